"""JSON Lines: one decision per line, exactly the decision contract; error records between.

A decision line is ``Decision.to_json()`` (``shared/spec/decision.md``). A row that failed
is an error record, ``{"profile_id": ..., "row": n, "errors": [{"field", "message",
"value"}]}``: it has ``errors`` where a decision has ``journeys``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eligibility.batch.outcome import RowError, RowOutcome, RowResult
from eligibility.render.portfolio.info import ReportInfo

NAME = "jsonl"


def record(result: RowResult, end: bytes = b"") -> bytes:
    """One row as compact JSON (UTF-8): the decision, or the error record."""
    if isinstance(result, RowError):
        return result.to_json() + end
    return result.decision.to_json(end=end)


def fragment(result: RowResult) -> bytes:
    """One line of output."""
    return record(result, b"\n")


def document(outcomes: Iterable[RowOutcome], _info: ReportInfo) -> Iterator[bytes]:
    """The lines, in input order."""
    for o in outcomes:
        yield o.payload
