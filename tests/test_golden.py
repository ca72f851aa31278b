"""Golden files: fixture decisions, the compiled durable networks and the rule-file schemas.

Every fixture's decision digest, a few fixtures' whole decisions (trace included), the
compiled networks' digest. After a deliberate change, regenerate them with ``make golden``
and review the diff (``tests/golden_tool.py`` says what each file holds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.rules.loader import RuleSet
from eligibility.rules.schema import SCHEMAS, schema_text
from tests.conftest import PROFILES, RULES
from tests.golden_tool import (
    GOLDEN,
    TRACED,
    compiled_text,
    decision_text,
    digest_text,
    golden_decision_path,
    golden_digest_path,
)

TRACED_PROFILES = [p for p in PROFILES if p.stem in TRACED]


@pytest.mark.parametrize("profile_path", PROFILES, ids=[p.stem for p in PROFILES])
def test_fixture_decision_matches_its_golden_digest(
    evaluator: Evaluator, profile_path: Path
) -> None:
    """Each fixture's outcomes, the rules deciding them, advice and missing fields are
    exactly the checked-in ones."""
    expected = golden_digest_path(profile_path).read_text(encoding="utf-8")
    assert digest_text(evaluator, profile_path) == expected


@pytest.mark.parametrize("profile_path", TRACED_PROFILES, ids=[p.stem for p in TRACED_PROFILES])
def test_traced_fixture_decision_matches_its_golden_json(
    evaluator: Evaluator, profile_path: Path
) -> None:
    """The whole decision (texts, sources, confidence, trace) of a few fixtures is exactly
    the checked-in JSON."""
    expected = golden_decision_path(profile_path).read_text(encoding="utf-8")
    assert decision_text(evaluator, profile_path) == expected


def test_every_fixture_has_a_golden_digest_and_the_traced_ones_their_json() -> None:
    """No fixture goes unpinned, and no golden file outlives its fixture."""
    decisions = GOLDEN / "decisions"
    assert {p.stem for p in decisions.glob("*.txt")} == {p.stem for p in PROFILES}
    assert {p.stem for p in decisions.glob("*.json")} == set(TRACED)


def test_compiled_networks_match_their_golden_digest(ruleset: RuleSet) -> None:
    """What durable-rules receives is exactly what was reviewed: each network's digest,
    and the durable rules each rule becomes."""
    assert compiled_text(ruleset) == (GOLDEN / "compiled.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_rule_file_schema_is_up_to_date(name: str) -> None:
    """rules/*.schema.json are what the rule model generates."""
    assert (RULES / name).read_text(encoding="utf-8") == schema_text(name)


def test_the_golden_files_stay_small_enough_to_review() -> None:
    """All of tests/golden weighs under 1.5 MB: a rule change gives a diff a person reads."""
    files = [p for p in GOLDEN.rglob("*") if p.is_file()]
    assert len(files) > 10
    assert sum(p.stat().st_size for p in files) < 1_500_000
