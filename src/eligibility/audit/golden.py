"""Golden regression cases made from recorded decisions (``audit promote``).

A case keeps a recorded profile and the outcomes decided for it (journeys and ``missing``;
not the ruleset reference nor the trace, which change with any rule edit). The test suite
re-decides every case under the current rules and fails on any outcome that moved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from eligibility.audit.diff import Change, diff_decisions
from eligibility.audit.record import AuditRecord
from eligibility.audit.replay import record_profile
from eligibility.decision.evaluator import Evaluator
from eligibility.errors import InputFileError, StoreError
from eligibility.profile.model import parse_profile

GOLDEN_DIR = Path("tests") / "golden" / "audit"


def golden_case(record: AuditRecord) -> dict[str, Any]:
    """The golden case of a record: its profile and its recorded outcomes.

    Raises:
        EligibilityError: a field the rules read was masked (the case could not be re-run).
    """
    profile = record_profile(record)
    decision = record.content["decision"]
    return {
        "decision_id": record.decision_id,
        "recorded_at": record.recorded_at,
        "ruleset": record.content["ruleset"],
        "profile": profile.canonical(),
        "expected": {"journeys": decision["journeys"], "missing": decision["missing"]},
    }


def promote(record: AuditRecord, directory: str | Path = GOLDEN_DIR) -> Path:
    """Write the golden case of a record to ``directory/<id>.json``; return its path.

    The file name comes from the store, which may have been tampered with: the id must be
    a decision id (hexadecimal digits only, checked with the record's content), and the
    file, once every symbolic link on its way is followed, must still be in ``directory``.

    Raises:
        StoreError: the record is malformed (its decision id is not one).
        InputFileError: the file would land outside ``directory``, or cannot be written.
    """
    case = golden_case(record)  # checks the record's content, its decision id included
    folder = Path(directory)
    name = f"{record.decision_id[:16]}.json"
    if not re.fullmatch(r"[0-9a-f]{16}\.json", name):
        raise StoreError(record.location, f"record #{record.seq} has no valid decision id")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve(strict=True)
        path = (folder / name).resolve()
        if path.parent != root:
            raise InputFileError(
                str(folder / name), f"leads outside {folder} (a symbolic link?); nothing written"
            )
        path.write_bytes(orjson.dumps(case, option=orjson.OPT_INDENT_2) + b"\n")
    except OSError as exc:
        raise InputFileError(str(folder / name), f"cannot be written: {exc.strerror}") from None
    return folder / name


def load_case(path: Path) -> dict[str, Any]:
    """Read one golden case file.

    Raises:
        InputFileError: the file is not a golden case.
    """
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputFileError(str(path), f"is not a golden case: {exc}") from None
    if not isinstance(data, dict) or not {"profile", "expected"} <= data.keys():
        raise InputFileError(str(path), "is not a golden case (needs profile and expected)")
    return data


def check_case(case: dict[str, Any], evaluator: Evaluator, source: str = "<case>") -> list[Change]:
    """What the current rules decide differently from the case (empty: still the same)."""
    profile = parse_profile(case["profile"], source=source)
    now = orjson.loads(evaluator.evaluate(profile, with_trace=False).to_json())
    return diff_decisions(case["expected"], now)
