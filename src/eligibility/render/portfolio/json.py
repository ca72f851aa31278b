"""One JSON array of the jsonl records (decisions and error records), one per line.

Written as it is read, so a large portfolio never sits in memory, and still one valid
JSON document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eligibility.batch.outcome import RowOutcome
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.jsonl import record

NAME = "json"
fragment = record


def document(outcomes: Iterable[RowOutcome], _info: ReportInfo) -> Iterator[bytes]:
    """``[``, the records separated by ``,`` and a newline, ``]``."""
    separator = b"[\n"
    for o in outcomes:
        yield separator
        yield o.payload
        separator = b",\n"
    yield b"[]\n" if separator == b"[\n" else b"\n]\n"
