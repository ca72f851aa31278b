"""Golden regression cases promoted from the audit log (``eligibility audit promote``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.audit.golden import check_case, load_case
from eligibility.decision.evaluator import Evaluator
from tests.conftest import ROOT

CASES = sorted((ROOT / "tests" / "golden" / "audit").glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_promoted_decision_is_still_decided_the_same(evaluator: Evaluator, path: Path) -> None:
    """Every journey, step and missing field of the promoted decision is unchanged."""
    changes = check_case(load_case(path), evaluator, str(path))
    assert changes == [], [f"{c.target}: {c.before_text} -> {c.after_text}" for c in changes]


def test_golden_cases_are_shipped() -> None:
    """The suite has promoted cases to run (the folder is not silently empty)."""
    assert CASES


def test_a_moved_outcome_fails_the_case(evaluator: Evaluator) -> None:
    """The check is not vacuous: a case expecting another status reports that step."""
    case = load_case(CASES[0])
    step = case["expected"]["journeys"][-1]["steps"][0]
    step["status"] = "done" if step["status"] != "done" else "required"
    changes = check_case(case, evaluator)
    assert [c.target for c in changes] == [step["id"]]
