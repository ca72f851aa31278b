"""Dependencies between journeys, as the decision reports them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, DependencyOut
from eligibility.errors import RuleFileError
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.rules_copy import copy_rules, edit

MES = {"targets_mes_catalog": True, "mes_purposes": ["care"]}


def decide(evaluator: Evaluator, **fields: Any) -> Decision:
    return evaluator.evaluate(parse_profile({"id": "p", **fields}), with_trace=False)


def dependency(decision: Decision, journey: str, needs: str) -> DependencyOut | None:
    return next((d for d in decision.journey(journey).dependencies if d.journey == needs), None)


def test_mes_with_exchange_needs_certified_hosting(evaluator: Evaluator) -> None:
    """MES with exchange depends on HDS, and the decision gives the HDS journey's status."""
    d = decide(evaluator, **MES, mes_data_exchange=True, hosts_health_data_for_third_parties=True)
    dep = dependency(d, "mes-referencing", "hds-certification")
    assert dep is not None
    assert (dep.kind, dep.in_force, dep.status) == ("requires", True, "applies")


def test_mes_without_exchange_has_no_hosting_dependency(evaluator: Evaluator) -> None:
    """A dependency whose variant does not hold is left out."""
    d = decide(evaluator, **MES, mes_data_exchange=False)
    assert dependency(d, "mes-referencing", "hds-certification") is None
    assert dependency(d, "mes-referencing", "convergence") is not None


def test_an_unknown_variant_leaves_the_dependency_possible(evaluator: Evaluator) -> None:
    """Unknown is an answer: the dependency is listed with in_force null."""
    d = decide(evaluator, **MES)
    dep = dependency(d, "mes-referencing", "hds-certification")
    assert dep is not None and dep.in_force is None


def test_the_status_shows_a_needed_journey_that_does_not_apply(evaluator: Evaluator) -> None:
    """MES with exchange while hosting nothing for others: HDS reads not_applicable."""
    d = decide(evaluator, **MES, mes_data_exchange=True, hosts_health_data_for_third_parties=False)
    dep = dependency(d, "mes-referencing", "hds-certification")
    assert dep is not None and dep.status == "not_applicable"


def test_segur_wave_2_needs_pro_sante_connect_through_a_fact(evaluator: Evaluator) -> None:
    """The Ségur trust-space dependency holds on the derived fact segur.edc-psc."""
    wave2 = decide(
        evaluator,
        seeks_segur_referencing=True,
        segur_vague="vague_2",
        authenticates_health_professionals=True,
    )
    wave1 = decide(
        evaluator,
        seeks_segur_referencing=True,
        segur_vague="vague_1",
        authenticates_health_professionals=True,
    )
    assert dependency(wave2, "segur-referencing", "pro-sante-connect") is not None
    assert dependency(wave1, "segur-referencing", "pro-sante-connect") is None


def test_dmn_reimbursement_needs_ce_marking(evaluator: Evaluator) -> None:
    """A reimbursed digital medical device depends on its CE marking."""
    d = decide(
        evaluator,
        is_medical_device=True,
        is_individual_use=True,
        processes_health_data=True,
        seeks_reimbursement=["latm"],
    )
    dep = dependency(d, "dmn-reimbursement", "ce-marking")
    assert dep is not None and dep.status == "applies"


def test_a_journey_that_does_not_apply_reports_no_dependencies(evaluator: Evaluator) -> None:
    """Nothing is needed for a journey the product does not follow."""
    d = decide(evaluator, seeks_segur_referencing=False)
    assert d.journey("segur-referencing").dependencies == []


def test_dependencies_are_in_the_json_decision(evaluator: Evaluator) -> None:
    """The contract gains a field: every journey has a dependencies list."""
    data = decide(evaluator, **MES, mes_data_exchange=True).to_dict()
    mes = next(j for j in data["journeys"] if j["id"] == "mes-referencing")
    assert {d["journey"] for d in mes["dependencies"]} == {"convergence", "hds-certification"}
    assert all("dependencies" in j for j in data["journeys"])


def test_the_research_dependencies_are_declared(ruleset: RuleSet) -> None:
    """MES -> HDS and Convergence, Ségur -> Convergence, PSC and CNDA journeys, DMN -> CE."""
    declared = {(j.id, d.journey) for j in ruleset.journeys for d in j.depends_on}
    assert {
        ("mes-referencing", "hds-certification"),
        ("mes-referencing", "convergence"),
        ("segur-referencing", "convergence"),
        ("segur-referencing", "pro-sante-connect"),
        ("segur-referencing", "ins"),
        ("segur-referencing", "dmp"),
        ("dmn-reimbursement", "ce-marking"),
        ("dmn-reimbursement", "convergence"),
    } <= declared


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("journey: hds-certification", "journey: hds", "unknown or own journey 'hds'"),
        ("when_variant: with_exchange", "when_variant: exchange", "has no variant 'exchange'"),
        (
            "before: mes-referencing.hds-hosting",
            "before: ins.deployment",
            "'ins.deployment' is not a step of mes-referencing",
        ),
        (
            "first: [convergence.account]",
            "first: [convergence.acount]",
            "'convergence.acount' is not a step of convergence",
        ),
    ],
)
def test_a_bad_dependency_is_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    """The loader checks every name a dependency uses."""
    root = copy_rules(tmp_path)
    edit(root / "mes-referencing/journey.yaml", old, new)
    with pytest.raises(RuleFileError, match=message):
        load_ruleset(root)


def test_a_dependency_on_an_unknown_fact_is_rejected(tmp_path: Path) -> None:
    """``when_fact`` names a fact some rule concludes."""
    root = copy_rules(tmp_path)
    edit(
        root / "segur-referencing/journey.yaml", "when_fact: segur.edc-psc", "when_fact: segur.edc"
    )
    with pytest.raises(RuleFileError, match=r"unknown fact 'segur\.edc'"):
        load_ruleset(root)
