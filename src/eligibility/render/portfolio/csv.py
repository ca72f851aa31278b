"""CSV: one row per product and journey (status, variant, steps to do, done, undetermined).

Lists of step ids and field names are ``;``-separated, as in a portfolio CSV. A row that
failed gives one line with status ``error`` and its problems in the ``error`` column.
Text that a spreadsheet would run as a formula is written with a ``'`` before it (see
:mod:`eligibility.output.spreadsheet`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eligibility.batch.outcome import RowError, RowOutcome, RowResult
from eligibility.decision.model import JourneyOut
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
)


def _lines(rows: list[list[object]]) -> bytes:
    return csv_text(rows).encode()


def _ids(journey: JourneyOut, status: str) -> str:
    return ";".join(s.id for s in journey.steps if s.status == status)


def fragment(result: RowResult) -> bytes:
    """The CSV lines of one product (one per journey), or its error line."""
    if isinstance(result, RowError):
        problems = "; ".join(p.render() for p in result.problems)
        return _lines([[result.row, result.profile_id or "", "", "", "error", *[""] * 6, problems]])
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
        ]
        for j in d.journeys
    ]
    return _lines(rows)


def document(outcomes: Iterable[RowOutcome], _info: ReportInfo) -> Iterator[bytes]:
    """The header, then each product's lines in input order."""
    yield _lines([list(COLUMNS)])
    for o in outcomes:
        yield o.payload
