"""Golden files: fixture decisions, the compiled durable ruleset and the rule-file schemas.

After a deliberate change, regenerate them with ``make golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.rules.loader import RuleSet
from eligibility.rules.schema import SCHEMAS, schema_text
from tests.conftest import PROFILES, RULES
from tests.golden_tool import GOLDEN, compiled_text, decision_text, golden_decision_path


@pytest.mark.parametrize("profile_path", PROFILES, ids=[p.stem for p in PROFILES])
def test_fixture_decision_matches_its_golden_file(evaluator: Evaluator, profile_path: Path) -> None:
    """Each fixture's decision is exactly the checked-in one."""
    expected = golden_decision_path(profile_path).read_text(encoding="utf-8")
    assert decision_text(evaluator, profile_path) == expected


def test_every_fixture_has_a_golden_decision() -> None:
    """No fixture goes unpinned, and no golden file outlives its fixture."""
    golden = {p.stem for p in (GOLDEN / "decisions").glob("*.json")}
    assert golden == {p.stem for p in PROFILES}


def test_compiled_ruleset_matches_its_golden_file(ruleset: RuleSet) -> None:
    """What durable-rules receives is exactly the checked-in network."""
    assert compiled_text(ruleset) == (GOLDEN / "compiled.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_rule_file_schema_is_up_to_date(name: str) -> None:
    """rules/*.schema.json are what the rule model generates."""
    assert (RULES / name).read_text(encoding="utf-8") == schema_text(name)
