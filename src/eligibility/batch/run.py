"""Evaluate a portfolio row by row, in one process or a pool, streaming in and out.

The pipeline: :func:`~eligibility.profile.portfolio.read_rows` yields raw rows lazily; a repeated
product id is marked on the later row; each row is validated and evaluated into a
:class:`RowResult` (a :class:`RowDecision` or a :class:`RowError`); the output format's
*fragment* function turns that result into the bytes it will write (so rendering runs in
the pool too); a :class:`RowOutcome` carries them, with what the summary needs, back to
the caller, in input order.

With ``workers > 1`` the rows are evaluated by a pool of processes
(:mod:`eligibility.batch.workers`), each with its own
:class:`~eligibility.decision.evaluator.Evaluator`. Each runs exactly the code of the
one-process path, so the output is byte-identical whatever the number of workers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from eligibility.batch.outcome import Fragment, RowDecision, RowError, RowOutcome, RowResult
from eligibility.batch.workers import evaluate_rows, pool_size
from eligibility.decision.evaluator import EngineName, Evaluator
from eligibility.errors import FieldProblem, ProfileError
from eligibility.i18n.messages import Message, say
from eligibility.i18n.words import tr
from eligibility.profile.portfolio import RawRow, input_format_of, read_rows, row_profile
from eligibility.rules.loader import RuleSet


@dataclass
class BatchSummary:
    """Counts for the end of a run: rows read, decided, errors, and per journey statuses."""

    journeys: tuple[str, ...]
    rows: int = 0
    decided: int = 0
    errors: int = 0
    # Rows are counted by their tuple of statuses (products repeat them) and folded into
    # per-journey counts when asked, or when too many tuples are held.
    _seen: Counter[tuple[str, ...]] = field(default_factory=Counter, init=False, repr=False)
    _applies: dict[str, int] = field(init=False, repr=False)
    _undetermined: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._applies = dict.fromkeys(self.journeys, 0)
        self._undetermined = dict.fromkeys(self.journeys, 0)

    def add(self, outcome: RowOutcome) -> None:
        """Count one row."""
        self.rows += 1
        if outcome.error is not None:
            self.errors += 1
            return
        self.decided += 1
        self._seen[outcome.statuses] += 1
        if len(self._seen) > 4096:
            self._fold()

    @property
    def applies(self) -> dict[str, int]:
        """Products each journey applies to, by journey id."""
        self._fold()
        return self._applies

    @property
    def undetermined(self) -> dict[str, int]:
        """Products each journey is undetermined for, by journey id."""
        self._fold()
        return self._undetermined

    def _fold(self) -> None:
        for statuses, count in self._seen.items():
            for journey, status in zip(self.journeys, statuses, strict=True):
                if status == "applies":
                    self._applies[journey] += count
                elif status == "undetermined":
                    self._undetermined[journey] += count
        self._seen.clear()

    def lines(self, lang: str = "en", names: Mapping[str, str] | None = None) -> list[str]:
        """The summary as lines of text (for stderr), in a language; a journey by its name in
        ``names`` (by id when it has none there)."""
        named = {j: (names or {}).get(j, j) for j in self.journeys}
        counts = say(
            "{rows} rows read: {decided} decided, {errors} with errors",
            lang,
            rows=self.rows,
            decided=self.decided,
            errors=self.errors,
        )
        journey, applies, undetermined = (
            tr(w, lang) for w in ("journey", "applies", "undetermined")
        )
        width = max([len(n) for n in named.values()] + [len(journey)])
        a, u = len(applies), len(undetermined)
        out = [counts, f"  {journey:<{width}}  {applies}  {undetermined}"]
        applies_to, undetermined_for = self.applies, self.undetermined
        for j in self.journeys:
            out.append(f"  {named[j]:<{width}}  {applies_to[j]:>{a}}  {undetermined_for[j]:>{u}}")
        return out


def mark_duplicates(rows: Iterable[RawRow]) -> Iterator[RawRow]:
    """Pass rows on, adding an ``id`` problem to a row whose id an earlier row has.

    Holds one entry per distinct id (the only state that grows with the portfolio).
    """
    first_row: dict[str, int] = {}
    for raw in rows:
        pid = raw.profile_id
        if pid is not None:
            first = first_row.setdefault(pid, raw.row)
            if first != raw.row:
                msg = Message("duplicate product id: row {row} has it already", row=first)
                raw = replace(raw, problems=(*raw.problems, FieldProblem("id", msg, pid, True)))
        yield raw


class RowEvaluator:
    """Validates and evaluates one raw row, then renders its fragment; one per process."""

    def __init__(
        self,
        ruleset: RuleSet,
        engine: EngineName,
        fragment: Fragment,
        *,
        with_trace: bool = True,
        source: str = "<portfolio>",
    ) -> None:
        self.evaluator = Evaluator(ruleset, engine)
        self.fragment = fragment
        self.with_trace = with_trace
        self.source = source

    def result(self, raw: RawRow) -> RowResult:
        """Validate and evaluate a row; every problem of the row goes into one error."""
        try:
            profile = row_profile(raw, self.source)
        except ProfileError as exc:
            return RowError(raw.row, raw.profile_id, tuple(exc.problems))
        decision = self.evaluator.evaluate(profile, with_trace=self.with_trace)
        return RowDecision(raw.row, profile.name, decision, profile)

    def __call__(self, raw: RawRow) -> RowOutcome:
        return RowOutcome.of(self.result(raw), self.fragment)


def run_batch(
    path: str,
    fragment: Fragment,
    *,
    ruleset: RuleSet,
    input_format: str | None = None,
    engine: EngineName = "durable",
    workers: int = 1,
    with_trace: bool = True,
) -> Generator[RowOutcome, None, None]:
    """Evaluate every row of a portfolio file, yielding outcomes lazily, in input order.

    Args:
        path: the portfolio (CSV, JSON, JSONL or YAML), ``-`` for standard input.
        fragment: renders one :class:`RowResult` for the output format (run in the
            pool's processes; it must pickle where processes are spawned).
        ruleset: the rules.
        input_format: overrides the format told by the file suffix.
        engine: ``durable`` or ``python``.
        workers: evaluating processes (1: evaluate in this process), at most the
            machine's CPUs (see :func:`~.workers.pool_size`); fewer for a small portfolio.
        with_trace: put the rule trace in each decision.

    Raises:
        UsageError: fewer than one worker or more than the CPUs, or an input format that
            cannot be told.
        InputFileError: the file cannot be read, or its structure is broken beyond a row.
        EngineError: the rule engine failed, or a process of the pool died (the run stops).
    """
    processes = pool_size(workers)  # usage errors show before any output
    input_format = input_format_of(path, input_format)
    source = "<stdin>" if path == "-" else path
    # CSV cells are converted where the rows are evaluated: in the pool, when there is one.
    rows = mark_duplicates(read_rows(path, input_format, convert=False))
    make = partial(RowEvaluator, ruleset, engine, fragment, with_trace=with_trace, source=source)
    if processes == 1:
        evaluate = make()
        return (evaluate(raw) for raw in rows)  # a generator, like the pool's: it can be closed
    return evaluate_rows(rows, processes, make)


class KeepDecisions:
    """A fragment that also hands back each row's profile and decision, for recording.

    It wraps the output format's fragment: the payload becomes ``(inner payload, profile,
    decision)`` (the last two None for an error row). Module-level, so workers can use it.
    """

    def __init__(self, inner: Fragment) -> None:
        self.inner = inner

    def __call__(self, result: RowResult) -> Any:
        if isinstance(result, RowDecision):
            return (self.inner(result), result.profile, result.decision)
        return (self.inner(result), None, None)
