"""Evaluate a portfolio row by row, in one process or several, streaming in and out.

The pipeline: :func:`~eligibility.portfolio.read_rows` yields raw rows lazily; a repeated
product id is marked on the later row; each row is validated and evaluated into a
:class:`RowResult` (a :class:`RowDecision` or a :class:`RowError`); the output format's
*fragment* function turns that result into the text it will write (so the costly part of
rendering runs in the workers too); a :class:`RowOutcome` carries that text, with what
the summary needs, back to the caller, in input order.

With ``workers > 1`` the rows go to a process pool, one :class:`~eligibility.api.Evaluator`
per worker process, built once by the pool initializer. Rows are sent in windows of a few
hundred, one window ahead of the one being read back: ``Pool.imap`` would read the whole
input ahead of the workers (it has no back-pressure), so memory would grow with the
portfolio. Each worker runs exactly the code of the one-process path, so the output is
byte-identical whatever the number of workers.

The outcomes come back through files, not through the pool's pipes: a worker pickles each
chunk's outcomes into a spool file of a private temporary directory and sends its name;
the main process loads the file and deletes it at once. A decision with its trace is tens
of kilobytes, and receiving that through a pipe (many small reads, a copy each) made the
main process, which has one core to share with the workers, the bottleneck: 280 µs of its
CPU per product by pipe, 45 µs by file (measured alone, with the payloads of
``benchmarks/batch.py``). At most two windows of files exist at a time, and the directory
goes when the run ends, however it ends.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from eligibility.api import EngineName, Evaluator
from eligibility.decision import Decision
from eligibility.errors import FieldProblem, InputFileError, ProfileError, UsageError
from eligibility.portfolio import RawRow, input_format_of, read_rows, row_profile
from eligibility.profile import Profile
from eligibility.render.messages import say
from eligibility.render.words import tr
from eligibility.rules.loader import RuleSet

#: Rows per task sent to a worker, and tasks per worker in one window.
CHUNK_SIZE = 16
CHUNKS_PER_WINDOW = 8


@dataclass(frozen=True, slots=True)
class RowDecision:
    """A row that was valid: its number, the product's name, and its decision."""

    row: int
    name: str | None
    decision: Decision
    profile: Profile | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be evaluated: its number, its id when it has one, every problem."""

    row: int
    profile_id: str | None
    problems: tuple[FieldProblem, ...]

    def to_dict(self) -> dict[str, Any]:
        """The error record: profile_id, row, errors (each: field, message, value)."""
        errors = []
        for p in self.problems:
            entry: dict[str, Any] = {"field": p.loc, "message": p.message}
            if p.has_value:
                entry["value"] = p.value
            errors.append(entry)
        return {"profile_id": self.profile_id, "row": self.row, "errors": errors}

    def to_json(self) -> bytes:
        """The error record as compact JSON bytes."""
        # Values come from the input file; anything orjson cannot write is written as text.
        return orjson.dumps(self.to_dict(), default=repr)

    def describe(self) -> str:
        """One line for a person: ``row 7 (id x): field: message (got v); ...``."""
        who = f" ({self.profile_id})" if self.profile_id else ""
        return f"row {self.row}{who}: " + "; ".join(p.render() for p in self.problems)


RowResult = RowDecision | RowError
Fragment = Callable[[RowResult], Any]


# No __slots__: a slotted dataclass unpickles through a Python __setstate__, a plain one in
# C, and the main process unpickles every outcome a worker sends.
@dataclass(frozen=True)
class RowOutcome:
    """What comes back from evaluating one row: the summary's facts and its rendered output.

    ``statuses`` holds the journey statuses in catalogue order (empty for an error row);
    ``payload`` is whatever the output format's fragment function made of the result.
    """

    row: int
    profile_id: str | None
    statuses: tuple[str, ...]
    error: RowError | None
    payload: Any

    @classmethod
    def of(cls, result: RowResult, fragment: Fragment) -> RowOutcome:
        """The outcome of one row result, its payload rendered by ``fragment``."""
        if isinstance(result, RowError):
            return cls(result.row, result.profile_id, (), result, fragment(result))
        d = result.decision
        statuses = tuple(j.status for j in d.journeys)
        return cls(result.row, d.profile_id, statuses, None, fragment(result))


@dataclass
class BatchSummary:
    """Counts for the end of a run: rows read, decided, errors, and per journey statuses."""

    journeys: tuple[str, ...]
    rows: int = 0
    decided: int = 0
    errors: int = 0
    applies: dict[str, int] = field(default_factory=dict)
    undetermined: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.applies = dict.fromkeys(self.journeys, 0)
        self.undetermined = dict.fromkeys(self.journeys, 0)

    def add(self, outcome: RowOutcome) -> None:
        """Count one row."""
        self.rows += 1
        if outcome.error is not None:
            self.errors += 1
            return
        self.decided += 1
        for journey, status in zip(self.journeys, outcome.statuses, strict=True):
            if status == "applies":
                self.applies[journey] += 1
            elif status == "undetermined":
                self.undetermined[journey] += 1

    def lines(self, lang: str = "en") -> list[str]:
        """The summary as lines of text (for stderr), in a language (journey ids as they are)."""
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
        width = max([len(j) for j in self.journeys] + [len(journey)])
        a, u = len(applies), len(undetermined)
        out = [counts, f"  {journey:<{width}}  {applies}  {undetermined}"]
        for j in self.journeys:
            out.append(f"  {j:<{width}}  {self.applies[j]:>{a}}  {self.undetermined[j]:>{u}}")
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
                msg = f"duplicate product id: row {first} has it already"
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
) -> Iterator[RowOutcome]:
    """Evaluate every row of a portfolio file, yielding outcomes lazily, in input order.

    Args:
        path: the portfolio (CSV, JSON, JSONL or YAML), ``-`` for standard input.
        fragment: renders one :class:`RowResult` for the output format (run in the
            workers; must be a module-level function so it can be sent to them).
        ruleset: the rules.
        input_format: overrides the format told by the file suffix.
        engine: ``durable`` or ``python``.
        workers: number of evaluating processes (1: evaluate in this process).
        with_trace: put the rule trace in each decision.

    Raises:
        UsageError: fewer than one worker, or an input format that cannot be told.
        InputFileError: the file cannot be read, or its structure is broken beyond a row;
            or, with several workers, their temporary results cannot be written (no room).
        EngineError: the rule engine failed (a bug, not bad input: the run stops).
    """
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    input_format = input_format_of(path, input_format)  # a usage error shows before any output
    source = "<stdin>" if path == "-" else path
    # CSV cells are converted where the rows are evaluated: in the workers, when there are.
    rows = mark_duplicates(read_rows(path, input_format, convert=False))
    if workers == 1:
        evaluate_row = RowEvaluator(ruleset, engine, fragment, with_trace=with_trace, source=source)
        return map(evaluate_row, rows)
    init = (ruleset, engine, fragment, with_trace, source)
    return _in_pool(rows, workers, init)


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


_worker: RowEvaluator | None = None
_spool: str = ""


def _init_worker(
    ruleset: RuleSet,
    engine: EngineName,
    fragment: Fragment,
    with_trace: bool,
    source: str,
    spool: str,
) -> None:
    # One evaluator per worker process, built once (a durable host is costly).
    global _worker, _spool
    _worker = RowEvaluator(ruleset, engine, fragment, with_trace=with_trace, source=source)
    _spool = spool


def _evaluate_chunk(rows: list[RawRow]) -> str:
    """Evaluate a chunk of rows in a worker; return the spool file holding the outcomes."""
    assert _worker is not None, "the pool initializer builds the evaluator"
    outcomes = [_worker(raw) for raw in rows]
    fd, path = tempfile.mkstemp(dir=_spool, suffix=".pickle")
    # dumps then one write: pickle.dump into the file object is four times as slow here
    data = pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def _unspool(path: str) -> list[RowOutcome]:
    """Load a chunk's outcomes from its spool file, and delete the file."""
    spooled = Path(path)
    try:
        outcomes: list[RowOutcome] = pickle.loads(spooled.read_bytes())
    finally:
        spooled.unlink()
    return outcomes


def _in_pool(rows: Iterator[RawRow], workers: int, init: tuple[Any, ...]) -> Iterator[RowOutcome]:
    try:
        yield from _pooled(rows, workers, init)
    except OSError as exc:  # the input's own errors are InputFileErrors already: the spool's
        where = exc.filename or tempfile.gettempdir()
        raise InputFileError(
            str(where),
            f"cannot hold the workers' temporary results ({exc.strerror or exc}); "
            "set TMPDIR to a directory with room, or use --workers 1",
        ) from None


def _pooled(rows: Iterator[RawRow], workers: int, init: tuple[Any, ...]) -> Iterator[RowOutcome]:
    chunks = iter(lambda: list(itertools.islice(rows, CHUNK_SIZE)), [])
    windows = iter(lambda: list(itertools.islice(chunks, workers * CHUNKS_PER_WINDOW)), [])
    # The pool is left (its workers stopped) before the spool directory is removed.
    with (
        tempfile.TemporaryDirectory(prefix="eligibility-batch-") as spool,
        multiprocessing.get_context().Pool(workers, _init_worker, (*init, spool)) as pool,
    ):
        # Two windows in flight: the workers start the next while this one is read back.
        pending = deque(pool.map_async(_evaluate_chunk, w, 1) for w in itertools.islice(windows, 2))
        while pending:
            paths = pending.popleft().get()
            following = next(windows, None)
            if following is not None:
                pending.append(pool.map_async(_evaluate_chunk, following, 1))
            for path in paths:
                yield from _unspool(path)
        pool.close()
        pool.join()
