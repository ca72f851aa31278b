"""CSV: one row per product and journey (status, variant, steps to do, done, undetermined,
conflicts).

Lists of step ids and field names are ``;``-separated, as in a portfolio CSV. A row that
failed gives one line with status ``error`` and its problems in the ``error`` column.
The ``conflicts`` column, last so that the columns before keep their places, shows a
conflict (a journey that applies needs one that does not) on both journeys' rows: the
journey that needs the other says which, by which dependency, and the answers to check;
the one needed says by which journey. Like the other columns it is data, in the rules'
own language (ids, and a few fixed English words), whatever ``--lang`` says.
Text that a spreadsheet would run as a formula is written with a ``'`` before it (see
:mod:`eligibility.output.spreadsheet`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from eligibility.batch.outcome import RowError, RowOutcome, RowResult
from eligibility.decision.model import ConflictOut, Decision, JourneyOut
from eligibility.output.spreadsheet import csv_text
from eligibility.render.portfolio.info import ReportInfo

NAME = "csv"
COLUMNS = (
    "row",
    "profile_id",
    "name",
    "journey",
    "status",
    "variant",
    "to_do",
    "optional",
    "done",
    "undetermined",
    "missing",
    "error",
    "conflicts",
)


def _lines(rows: list[list[object]]) -> bytes:
    return csv_text(rows).encode()


def _ids(journey: JourneyOut, status: str) -> str:
    return ";".join(s.id for s in journey.steps if s.status == status)


def _answer(value: Any) -> str:
    """An answer as a portfolio CSV holds it: ``true``/``false``, a list ``;``-separated
    (``[]`` when empty), anything else as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value) if value else "[]"
    return str(value)


def _needs(c: ConflictOut) -> str:
    text = f"needs {c.needs} ({c.dependency})"
    if c.answers:
        text += "; check " + ", ".join(f"{k}={_answer(v)}" for k, v in c.answers.items())
    return text


def _conflicts(decision: Decision, journey: str) -> str:
    """The journey's side of each conflict it is in, `` | ``-separated: what it needs and
    the answers to check, or which journey needs it."""
    return " | ".join(
        [_needs(c) for c in decision.conflicts if c.journey == journey]
        + [
            f"needed by {c.journey} ({c.dependency})"
            for c in decision.conflicts
            if c.needs == journey
        ]
    )


def fragment(result: RowResult) -> bytes:
    """The CSV lines of one product (one per journey), or its error line."""
    if isinstance(result, RowError):
        problems = "; ".join(p.render() for p in result.problems)
        return _lines(
            [[result.row, result.profile_id or "", "", "", "error", *[""] * 6, problems, ""]]
        )
    d = result.decision
    rows: list[list[object]] = [
        [
            result.row,
            d.profile_id,
            result.name or "",
            j.id,
            j.status,
            j.variant or "",
            _ids(j, "required"),
            _ids(j, "optional"),
            _ids(j, "done"),
            _ids(j, "undetermined"),
            ";".join(j.missing),
            "",
            _conflicts(d, j.id),
        ]
        for j in d.journeys
    ]
    return _lines(rows)


def document(outcomes: Iterable[RowOutcome], _info: ReportInfo) -> Iterator[bytes]:
    """The header, then each product's lines in input order."""
    yield _lines([list(COLUMNS)])
    for o in outcomes:
        yield o.payload
