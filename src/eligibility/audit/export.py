"""``audit export``: the records as JSON Lines (everything) or CSV (one row of metadata each).

In CSV, text that a spreadsheet would run as a formula (an actor or a label starting with
``=``) is written with a ``'`` before it (see :mod:`eligibility.output.spreadsheet`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

import orjson

from eligibility.audit.record import AuditRecord
from eligibility.output.spreadsheet import CsvWriter

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "seq",
    "decision_id",
    "recorded_at",
    "profile_id",
    "ruleset_name",
    "ruleset_version",
    "ruleset_hash",
    "tool_version",
    "durable_version",
    "engine",
    "actor",
    "labels",
    "masked",
    "journeys",
    "missing",
    "prev_hash",
    "hash",
)


def _csv_row(record: AuditRecord) -> list[str]:
    c = record.content
    return [
        str(record.seq),
        record.decision_id,
        record.recorded_at,
        record.profile_id,
        c["ruleset"]["name"],
        c["ruleset"]["version"],
        record.ruleset_hash,
        c["tool_version"],
        c["durable_version"],
        c["engine"],
        c["actor"] or "",
        ";".join(f"{k}={v}" for k, v in record.labels.items()),
        ";".join(record.masked),
        ";".join(f"{j}={s}" for j, s in record.journey_status().items()),
        ";".join(c["decision"]["missing"]),
        record.prev_hash,
        record.hash,
    ]


def export_records(records: Iterable[AuditRecord], fmt: str, out: TextIO) -> int:
    """Write the records to ``out`` in ``fmt`` (``jsonl`` or ``csv``); return how many."""
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(orjson.dumps(record.to_dict()).decode() + "\n")
            count += 1
        return count
    writer = CsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(_csv_row(record))
        count += 1
    return count
