"""What the portfolio reports for people (HTML, Markdown) need of one row, and of the run.

The reports are built from rows' results only: :func:`report_row` reduces a row's result
(a decision or an error) to a :class:`ReportRow`, a few hundred bytes of JSON wherever the
row was evaluated, and the report renderers read a stream of them, in row order, keeping
counts (:class:`Tally`) and the reasons the rows cite (for one legend at the end) as they
go. A row's steps are named by their number in the journey's guided tour, and its reasons
by rule id: the titles and sentences are written once, in the report's legend. What both
reports say alike is said here once: a journey's steps by status
(:meth:`ReportJourney.steps_text`), the summary's sentences and its counts per journey
(:meth:`Tally.sentences`, :meth:`Tally.counts`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

from eligibility.batch.outcome import RowError, RowResult
from eligibility.decision.model import JourneyOut, Reason
from eligibility.i18n.messages import localized, say
from eligibility.i18n.words import count, number_runs
from eligibility.render.wording import open_parts

#: The journey statuses, in the order reports list and sort them.
STATUSES = ("applies", "undetermined", "not_applicable")
#: The steps of a status in a product's details (English, French: "étapes" are feminine).
STEP_WORDS = {
    "required": ("to do", "à faire"),
    "optional": ("optional", "facultatives"),
    "undetermined": ("undetermined", "indéterminées"),
    "done": ("done", "faites"),
    "not_applicable": ("not applicable", "sans objet"),
}


@dataclass(frozen=True, slots=True)
class ReportJourney:
    """One journey of one product: its status and variant, its steps by guided-tour number
    and status, the rules behind its status and its exempted steps, and what would settle
    what is undetermined (see :func:`eligibility.render.wording.open_parts`)."""

    status: str
    variant: str | None = None
    steps: dict[str, list[int]] = field(default_factory=dict)  # status -> step numbers
    why: list[str] = field(default_factory=list)  # rules that decided its status
    exempt: dict[str, list[int]] = field(default_factory=dict)  # rule -> steps it decided
    missing: list[str] = field(default_factory=list)
    open_rules: list[str] = field(default_factory=list)
    step_fields: list[str] = field(default_factory=list)

    def steps_text(self, lang: str) -> str:
        """Its steps by status and number: ``to do 2–6; optional 7; done 1``."""
        return "; ".join(
            f"{STEP_WORDS[status][lang == 'fr']} {number_runs(self.steps[status])}"
            for status in STEP_WORDS
            if self.steps.get(status)
        )


@dataclass(frozen=True, slots=True)
class ReportConflict:
    """A journey that applies but needs one that does not (see ``Decision.conflicts``)."""

    journey: str
    needs: str
    dependency: str
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row of the portfolio as the reports show it: a product's journeys, conflicts and
    open answers, or an error's problems; ``reasons`` holds the cited rules' sentences,
    sources and confidence (and the conflicts' reasons), by rule or dependency id."""

    row: int
    profile_id: str | None
    name: str | None
    journeys: list[ReportJourney] = field(default_factory=list)
    conflicts: list[ReportConflict] = field(default_factory=list)
    missing: int = 0
    errors: list[str] = field(default_factory=list)
    reasons: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The row as compact JSON bytes (what travels from where it was evaluated)."""
        return orjson.dumps(self)

    @classmethod
    def from_json(cls, data: bytes) -> ReportRow:
        """The row of :meth:`to_json`."""
        raw = orjson.loads(data)
        raw["journeys"] = [ReportJourney(**j) for j in raw["journeys"]]
        raw["conflicts"] = [ReportConflict(**c) for c in raw["conflicts"]]
        raw["reasons"] = {k: tuple(v) for k, v in raw["reasons"].items()}
        return cls(**raw)

    @property
    def to_do(self) -> int:
        """Steps to do in the journeys that apply."""
        return sum(len(j.steps.get("required", [])) for j in self.journeys if j.status == "applies")


def _cite(reasons: dict[str, tuple[str, str, str]], r: Reason) -> str:
    reasons.setdefault(r.rule, (r.text, r.source, r.confidence))
    return r.rule


def _journey(j: JourneyOut, reasons: dict[str, tuple[str, str, str]]) -> ReportJourney:
    steps: dict[str, list[int]] = {}
    exempt: dict[str, list[int]] = {}
    if j.status != "not_applicable":
        for n, s in enumerate(j.steps, start=1):
            steps.setdefault(s.status, []).append(n)
            if s.status == "undetermined":
                continue
            for r in s.reasons:  # a rule (not the catalogue's default) decided the step
                if r.holds is True and not r.rule.startswith(("catalogue:", "journey:")):
                    exempt.setdefault(_cite(reasons, r), []).append(n)
    status, missing, open_rules, step_fields = open_parts(j)
    why = [_cite(reasons, r) for r in j.reasons if r.holds is not None]
    return ReportJourney(
        status, j.variant, steps, why, exempt, missing, open_rules, sorted(set(step_fields))
    )


def report_row(result: RowResult, lang: str = "en") -> ReportRow:
    """What the reports need of one row's result (its texts already in the report's
    language: see :class:`~eligibility.render.portfolio.LocalizedFragment`; an error's
    problems are said in ``lang``)."""
    if isinstance(result, RowError):
        errors = [localized(p.sentence(), lang) for p in result.problems]
        return ReportRow(result.row, result.profile_id, None, errors=errors)
    d = result.decision
    reasons: dict[str, tuple[str, str, str]] = {}
    journeys = [_journey(j, reasons) for j in d.journeys]
    conflicts = []
    for c in d.conflicts:
        reasons.setdefault(c.dependency, (c.reason, c.source, c.confidence))
        conflicts.append(ReportConflict(c.journey, c.needs, c.dependency, dict(c.answers)))
    return ReportRow(
        result.row, d.profile_id, result.name, journeys, conflicts, len(d.missing), [], reasons
    )


@dataclass
class Tally:
    """The report's counts, kept row by row: per journey and status, products with a
    conflict or open questions, errors, steps to do."""

    journeys: tuple[str, ...]
    rows: int = 0
    errors: int = 0
    conflicts: int = 0
    open_products: int = 0
    to_do: int = 0
    by_journey: dict[str, Counter[str]] = field(init=False)
    steps_by_journey: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_journey = {j: Counter() for j in self.journeys}

    def add(self, row: ReportRow) -> None:
        """Count one row, and keep the reasons it cites."""
        self.rows += 1
        if row.errors:
            self.errors += 1
            return
        self.conflicts += bool(row.conflicts)
        self.open_products += row.missing > 0
        self.to_do += row.to_do
        for jid, j in zip(self.journeys, row.journeys, strict=True):
            self.by_journey[jid][j.status] += 1
            if j.status == "applies":
                self.steps_by_journey[jid] += len(j.steps.get("required", []))
        for key, value in row.reasons.items():
            self.reasons.setdefault(key, value)

    @property
    def decided(self) -> int:
        """Rows that gave a decision."""
        return self.rows - self.errors

    def counts(self, journey: str) -> list[int]:
        """A journey's line of the summary table: the products it has each status for (in
        :data:`STATUSES` order), then the steps to do in the products it applies to."""
        return [self.by_journey[journey][s] for s in STATUSES] + [self.steps_by_journey[journey]]

    def sentences(self, lang: str) -> tuple[str, str]:
        """The summary's two sentences, in ``lang``: the products (decided, errors, in
        conflict, with open questions), and the steps to do in the journeys that apply."""
        totals = say(
            "{products}: {decided}, {errors}; {conflicts}; {open} with open questions.",
            lang,
            products=count(self.rows, "product", lang),
            decided=count(self.decided, "decided", lang),
            errors=count(self.errors, "error", lang),
            conflicts=count(self.conflicts, "product in conflict", lang),
            open=count(self.open_products, "product", lang),
        )
        steps = count(self.to_do, "step to do", lang)
        return totals, say("{steps} in the journeys that apply.", lang, steps=steps)
