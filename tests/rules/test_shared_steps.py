"""Shared steps: one catalogue entry that several journeys' steps point to."""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.errors import RuleFileError
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.rules_copy import copy_rules, edit

ISSUE_SHARED_STEPS = {
    "ans-contract",
    "cpa-cards",
    "technical-admins",
    "igc-certificates",
    "test-cards",
    "cnda-contract",
    "sesam-vitale-account",
    "isc-account",
    "convergence-account",
}


def test_the_catalogue_has_the_shared_steps_the_issue_lists(ruleset: RuleSet) -> None:
    """ANS contract, cards, admins, certificates, test cards, CNDA, GIE-SV, iSC, Convergence."""
    assert {s.id for s in ruleset.shared_steps} == ISSUE_SHARED_STEPS


def test_every_shared_step_is_used_by_at_least_two_journeys(ruleset: RuleSet) -> None:
    """A shared step is worth sharing: several journeys point to it. The GIE SESAM-Vitale
    account is the exception: the Vitale-reading access comes with the CNDA licence, after
    the CNDA contract, where the INS tour opens the account before it, so it is a step of
    its own (one step cannot hold both places)."""
    users: dict[str, set[str]] = {}
    for j in ruleset.journeys:
        for s in j.steps:
            if s.shared:
                users.setdefault(s.shared, set()).add(j.id)
    assert {k for k, v in users.items() if len(v) >= 2} == ISSUE_SHARED_STEPS - {
        "sesam-vitale-account"
    }
    assert users["sesam-vitale-account"] == {"ins"}


def test_contract_step_ids_stay_and_are_marked_shared(ruleset: RuleSet) -> None:
    """The contract's step ids are unchanged; they only gain a ``shared`` marker."""
    steps = {s.id: s for j in ruleset.journeys for s in j.steps}
    assert steps["ror-supplier.ans-contract"].shared == "ans-contract"
    assert steps["ror-consumer.prod-certificate"].shared == "igc-certificates"
    assert steps["ins.devenv.cnda-contract"].shared == "cnda-contract"
    assert steps["mes-referencing.convergence-account"].shared == "convergence-account"


def test_long_lead_time_items_are_flagged(ruleset: RuleSet) -> None:
    """Test cards, certificates and the CNDA contract take long: the catalogue says so."""
    long = {s.id for s in ruleset.shared_steps if s.lead_time == "long"}
    assert {"test-cards", "igc-certificates", "cnda-contract"} <= long


def test_the_decision_names_the_shared_step_of_each_step(evaluator: Evaluator) -> None:
    """A step of the decision carries its shared step id (null when it has none)."""
    decision = evaluator.evaluate(parse_profile({"id": "x", "processes_health_data": True}))
    assert decision.step("ins.devenv.test-cards").shared == "test-cards"
    assert decision.step("ins.base-documentation").shared is None


def test_a_step_pointing_to_an_unknown_shared_step_is_rejected(tmp_path: Path) -> None:
    """The loader names the journey file and the unknown shared step."""
    root = copy_rules(tmp_path)
    edit(root / "ins/journey.yaml", "shared: test-cards", "shared: test-kards")
    with pytest.raises(RuleFileError, match="unknown shared step 'test-kards'"):
        load_ruleset(root)


def test_a_shared_step_no_step_uses_is_rejected(tmp_path: Path) -> None:
    """An orphan shared step is a catalogue error."""
    root = copy_rules(tmp_path)
    edit(root / "ins/journey.yaml", "      shared: sesam-vitale-account\n", "")
    with pytest.raises(RuleFileError, match="sesam-vitale-account is used by no step"):
        load_ruleset(root)


def test_an_unknown_shared_prerequisite_is_rejected(tmp_path: Path) -> None:
    """Shared steps' prerequisites name other shared steps."""
    root = copy_rules(tmp_path)
    edit(root / "shared-steps.yaml", "prerequisites: [isc-account]", "prerequisites: [isc]")
    with pytest.raises(RuleFileError, match="unknown prerequisite isc"):
        load_ruleset(root)
