"""The plan's order: a topological order in which every journey's guided-tour order, the
shared steps' and the steps' prerequisites and the journeys' dependencies are constraints,
and a long lead time only breaks ties among the items free to go."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from eligibility.decision.evaluator import Evaluator
from eligibility.errors import RuleFileError
from eligibility.plan.plan import Plan, plan_profile
from eligibility.profile.model import Profile, parse_profile
from eligibility.render.plan import PLAN_RENDERERS
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.rules_copy import copy_rules, edit
from tests.strategies import profiles

#: ROR supplier with everything to do and no application to the circle of trust yet.
ROR_SUPPLIER_TO_DO = {
    "ror_roles": ["supplier"],
    "ror_supplier_type": "saas",
    "ror_circle_of_trust": "not_applied",
    "has_ans_membership_contract": False,
    "has_legal_rep_card": False,
    "has_cpa_cards": False,
    "has_technical_admins": False,
}

#: ROR consumer whose application to the circle of trust is with the committee.
ROR_CONSUMER_APPLIED = {
    "ror_roles": ["consumer"],
    "ror_circle_of_trust": "applied",
    "ror_access_profile": 2,
    "has_ans_membership_contract": False,
    "has_legal_rep_card": False,
    "has_cpa_cards": False,
    "has_technical_admins": False,
}


def plan_of(evaluator: Evaluator, **fields: Any) -> Plan:
    return plan_profile(parse_profile({"id": "p", **fields}), evaluator, include_done=True)


def step_positions(plan: Plan) -> dict[str, int]:
    """Each journey step of the plan -> the number of the item that holds it."""
    return {step: item.seq for item in plan.items for step in item.steps}


def tour_violations(plan: Plan, ruleset: RuleSet) -> list[tuple[str, str]]:
    """Pairs of a journey's steps that the plan lists against the journey's tour order."""
    at = step_positions(plan)
    out = []
    for journey in plan.journeys:
        tour = [s.id for s in ruleset.journey_by_id[journey.id].steps if s.id in at]
        out += [(a, b) for a, b in itertools.pairwise(tour) if at[a] >= at[b]]
    return out


def test_the_ror_supplier_plan_follows_the_guided_tour(evaluator: Evaluator) -> None:
    """03 circle of trust, 04 contract, 05 CPA cards, 06 administrators, 07 certificates."""
    plan = plan_of(evaluator, **ROR_SUPPLIER_TO_DO)
    at = step_positions(plan)
    tour = [
        "ror-supplier.circle-of-trust",
        "ror-supplier.ans-contract",
        "ror-supplier.cpa-cards",
        "ror-supplier.technical-admins",
        "ror-supplier.certificates",
        "ror-supplier.sandbox-connection",
        "ror-supplier.test-results",
        "ror-supplier.ans-feedback",
    ]
    assert sorted(tour, key=at.__getitem__) == tour


def test_a_long_lead_time_does_not_jump_the_tour(evaluator: Evaluator) -> None:
    """The certificates are flagged to start early, yet come after the administrators."""
    plan = plan_of(evaluator, **ROR_SUPPLIER_TO_DO)
    certificates = plan.item("igc-certificates")
    assert certificates.lead_time == "long"
    assert certificates.after == ["technical-admins"]
    assert plan.items[0].id == "ror-supplier.circle-of-trust"


def test_a_prerequisite_a_step_obtains_comes_after_that_step(evaluator: Evaluator) -> None:
    """The consumer's application is its formalities: its acceptance is awaited after them,
    and the steps after the formalities wait for it."""
    plan = plan_of(evaluator, **ROR_CONSUMER_APPLIED)
    seq = {i.id: i.seq for i in plan.items}
    accepted = plan.item("ror-consumer.circle-of-trust-accepted")
    assert accepted.after == ["ror-consumer.admin-formalities"]
    assert seq["ror-consumer.admin-formalities"] == 1
    assert plan.item("ans-contract").after == ["ror-consumer.circle-of-trust-accepted"]


def test_no_item_waits_for_a_later_one(evaluator: Evaluator) -> None:
    """Every "after" points back: the order is a true topological order."""
    for fields in (ROR_SUPPLIER_TO_DO, ROR_CONSUMER_APPLIED):
        plan = plan_of(evaluator, **fields)
        seq = {i.id: i.seq for i in plan.items}
        assert all(seq[a] < i.seq for i in plan.items for a in i.after), fields


def test_a_shared_step_keeps_its_place_in_every_journey(
    evaluator: Evaluator, ruleset: RuleSet
) -> None:
    """A supplier and consumer: one contract, one certificate step, both tours kept."""
    both = {**ROR_SUPPLIER_TO_DO, **ROR_CONSUMER_APPLIED, "ror_roles": ["supplier", "consumer"]}
    plan = plan_of(evaluator, **both)
    assert tour_violations(plan, ruleset) == []
    assert plan.item("igc-certificates").steps == [
        "ror-supplier.certificates",
        "ror-consumer.prod-certificate",
    ]


def test_a_step_that_does_not_apply_ties_no_journey_to_another(
    evaluator: Evaluator, ruleset: RuleSet
) -> None:
    """A DMP product authenticating with CPS cards skips the contract, administrators and
    certificates of the DMP tour: those shared steps follow the ROR tour alone (no wait for
    the CNDA contract), and the DMP tests still come after the CNDA convention."""
    plan = plan_of(
        evaluator,
        **ROR_SUPPLIER_TO_DO,
        dmp_access=["feed"],
        dmp_via_hospital_pfi=False,
        dmp_authentication=["cps_card"],
    )
    assert "dmp.certificates" not in step_positions(plan)
    assert tour_violations(plan, ruleset) == []
    assert plan.item("ans-contract").after == ["ror-supplier.circle-of-trust"]
    assert plan.item("dmp.dv1-tests").after == ["cnda-contract"]


def test_an_after_names_the_nearest_items_only(evaluator: Evaluator) -> None:
    """The certificates wait for the administrators, who wait for the contract: the contract
    is not repeated for the certificates."""
    plan = plan_of(evaluator, **ROR_SUPPLIER_TO_DO)
    assert plan.item("igc-certificates").after == ["technical-admins"]
    assert plan.item("cpa-cards").after == ["ans-contract"]


def test_an_optional_item_does_not_hide_what_it_waits_for(evaluator: Evaluator) -> None:
    """The administrators come after the optional CPA cards and, should those be left out,
    after the contract: both are named."""
    plan = plan_of(evaluator, **ROR_SUPPLIER_TO_DO)
    assert plan.item("cpa-cards").status == "optional"
    assert plan.item("technical-admins").after == ["ans-contract", "cpa-cards"]


def test_a_done_step_still_orders_the_steps_around_it(evaluator: Evaluator) -> None:
    """With the contract done and hidden, the CPA cards still come after the circle of trust."""
    fields = {**ROR_SUPPLIER_TO_DO, "has_ans_membership_contract": True, "has_legal_rep_card": True}
    plan = plan_profile(parse_profile({"id": "p", **fields}), evaluator)
    assert "ans-contract" not in {i.id for i in plan.items}
    assert plan.item("cpa-cards").after == ["ror-supplier.circle-of-trust"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_every_journey_keeps_its_tour_order_in_any_plan(
    profile: Profile, interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """For any profile, each journey's steps come in the plan in its guided-tour order, and
    each item after what it waits for."""
    plan = plan_profile(profile, interpreter)
    assert tour_violations(plan, ruleset) == []
    seq = {i.id: i.seq for i in plan.items}
    assert all(seq[a] < i.seq for i in plan.items for a in i.after)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_showing_the_done_steps_moves_nothing_left_to_do(
    profile: Profile, interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """--all inserts the done steps without reordering the rest; only a done shared step,
    which holds the place of its first journey, may sit out of another journey's tour."""
    plan = plan_profile(profile, interpreter)
    full = plan_profile(profile, interpreter, include_done=True)
    assert [i.id for i in full.items if i.status != "done"] == [i.id for i in plan.items]
    done_shared = {
        s for i in full.items if i.status == "done" and i.kind == "shared" for s in i.steps
    }
    assert all({a, b} & done_shared for a, b in tour_violations(full, ruleset))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_the_same_profile_gives_the_same_plan_bytes(
    profile: Profile, interpreter: Evaluator
) -> None:
    """Building and rendering a plan twice gives the same bytes, in every format."""
    first = plan_profile(profile, interpreter, include_done=True)
    again = plan_profile(profile, interpreter, include_done=True)
    for render in PLAN_RENDERERS.values():
        assert render(first) == render(again)


def test_the_plan_bytes_do_not_depend_on_hash_seeds(tmp_path: Path) -> None:
    """Two processes with different string hash seeds print the same plan (no set order
    leaks into the output)."""
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "id: p\nror_roles: [supplier, consumer]\nror_supplier_type: saas\n"
        "ror_circle_of_trust: applied\nprocesses_health_data: true\n"
        "is_identity_repository: false\ndmp_access: [feed]\ndmp_via_hospital_pfi: false\n",
        encoding="utf-8",
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "eligibility", "plan", str(profile), "--engine", "python"],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert b"[ans-contract]" in outputs[0]


def test_tours_that_cross_through_shared_steps_are_a_clear_error(tmp_path: Path) -> None:
    """Two tours that order two shared steps both ways: the plan names the steps."""
    root = copy_rules(tmp_path)
    # The MSSanté tour puts the administrators before the ANS contract; ROR the reverse.
    path = root / "mssante/journey.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = "    - id: mssante.ans-contract", "    - id: mssante.technical-admins"
    contract = text[text.index(start) : text.index(end)]
    edit(path, contract, "")
    edit(path, "    - id: mssante.certificates", contract + "    - id: mssante.certificates")
    evaluator = Evaluator(load_ruleset(root), "python")
    profile = parse_profile({"id": "p", **ROR_SUPPLIER_TO_DO, "mssante_roles": ["operator"]})
    cycle = r"ans-contract -> .*technical-admins -> .*ans-contract"
    with pytest.raises(RuleFileError, match=cycle):
        plan_profile(profile, evaluator)
