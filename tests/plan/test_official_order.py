"""Orders and outcomes the sources fix beyond the seed, as plans and decisions show them:
Pro Santé Connect starts with the API request (the official ANS page), the PECAN
application goes with the certificate application, not after its deposit, and Convergence
follows a Mon espace santé application only when the catalogue admits the service."""

from __future__ import annotations

from typing import Any

from eligibility.decision.evaluator import Evaluator
from eligibility.plan.plan import Plan, plan_profile
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet

PSC = {
    "authenticates_health_professionals": True,
    "is_sensitive_service": True,
    "seeks_segur_referencing": False,
    "has_isc_account": False,
}
PECAN = {
    "is_medical_device": True,
    "md_class": "IIa",
    "has_ce_marking": False,
    "is_individual_use": True,
    "processes_health_data": True,
    "seeks_reimbursement": ["pecan"],
    "is_presumed_innovative": True,
}


def _plan(evaluator: Evaluator, **fields: Any) -> Plan:
    return plan_profile(parse_profile({"id": "p", **fields}), evaluator)


def _before(plan: Plan, item: str) -> set[str]:
    """Every item the plan puts ``item`` after, directly or not."""
    after = {i.id: i.after for i in plan.items}
    seen: set[str] = set()
    todo = list(after[item])
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += after.get(current, [])
    return seen


def test_the_psc_api_request_comes_before_the_isc_account(evaluator: Evaluator) -> None:
    """The official ANS page: step 1 the API (DataPass) request, step 2 the iSC account."""
    plan = _plan(evaluator, **PSC)
    seq = {i.id: i.seq for i in plan.items}
    assert seq["pro-sante-connect.datapass"] < seq["isc-account"]
    assert {"pro-sante-connect.datapass", "isc-account"} <= _before(
        plan, "pro-sante-connect.sandbox-request"
    )


def test_the_psc_tour_lists_the_api_request_first(ruleset: RuleSet) -> None:
    """The catalogue's own order, which a plan keeps, starts with the API request."""
    steps = [s.id for s in ruleset.journey_by_id["pro-sante-connect"].steps]
    assert steps[:2] == ["pro-sante-connect.datapass", "pro-sante-connect.isc-account"]


def test_the_pecan_application_does_not_wait_for_the_certificate_deposit(
    evaluator: Evaluator,
) -> None:
    """Both applications (ANS certificate, PECAN to the HAS) are filed at the same time."""
    plan = _plan(evaluator, **PECAN)
    waits = _before(plan, "dmn-reimbursement.pecan-application")
    assert "dmn-reimbursement.certificate-deposit" not in waits
    seq = {i.id: i.seq for i in plan.items}
    assert seq["dmn-reimbursement.pecan-application"] < seq["dmn-reimbursement.certificate-deposit"]
    pecan = next(i for i in plan.items if i.id == "dmn-reimbursement.pecan-application")
    assert any("same" in a or "day you apply" in a for a in pecan.advice)


def test_the_pecan_application_still_waits_for_the_ce_marking(evaluator: Evaluator) -> None:
    """PECAN is for CE-marked devices: the marking's steps come before its application."""
    waits = _before(_plan(evaluator, **PECAN), "dmn-reimbursement.pecan-application")
    assert "ce-marking.conformity-assessment" in waits


def test_a_wellbeing_only_catalogue_target_has_no_convergence_journey(
    evaluator: Evaluator,
) -> None:
    """Mon espace santé does not admit wellbeing alone, so no application goes to Convergence."""
    decision = evaluator.evaluate(
        parse_profile(
            {
                "id": "sleep",
                "targets_mes_catalog": True,
                "mes_purposes": ["wellbeing"],
                "seeks_segur_referencing": False,
                "is_medical_device": False,
            }
        )
    )
    assert decision.journey("mes-referencing").status == "not_applicable"
    assert decision.journey("convergence").status == "not_applicable"
