"""The plan: one ordered to-do list per product across the journeys that apply."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.plan.ordering import (
    OrderGraph,
    catalogue_cycles,
    cycle_text,
    cycles,
    leading_to,
    order,
)
from eligibility.plan.plan import Plan, build_plan, plan_profile
from eligibility.profile.files import read_profile
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet
from eligibility.rules.model import Confidence, Dependency
from tests.conftest import FIXTURES

WHOLE_PRODUCTS = ["hospital-ehr", "primary-care-practice", "telemonitoring-device"]


def plan_of(evaluator: Evaluator, include_done: bool = False, **fields: Any) -> Plan:
    return plan_profile(parse_profile({"id": "p", **fields}), evaluator, include_done=include_done)


def fixture_plan(evaluator: Evaluator, name: str, include_done: bool = False) -> Plan:
    profile = read_profile(str(FIXTURES / "profiles" / f"{name}.yaml"))
    return plan_profile(profile, evaluator, include_done=include_done)


@pytest.mark.parametrize("name", WHOLE_PRODUCTS)
def test_each_item_comes_after_everything_it_waits_for(evaluator: Evaluator, name: str) -> None:
    """Prerequisites, shared prerequisites and dependencies come first."""
    plan = fixture_plan(evaluator, name, include_done=True)
    seq = {i.id: i.seq for i in plan.items}
    for item in plan.items:
        assert all(seq[a] < item.seq for a in item.after), item.id


@pytest.mark.parametrize("name", WHOLE_PRODUCTS)
def test_a_shared_step_appears_once(evaluator: Evaluator, name: str) -> None:
    """No two items, and no item and a step it merges, share an id."""
    plan = fixture_plan(evaluator, name, include_done=True)
    ids = [i.id for i in plan.items]
    steps = [s for i in plan.items for s in i.steps]
    assert len(ids) == len(set(ids))
    assert len(steps) == len(set(steps))


def test_a_shared_step_lists_every_journey_that_needs_it(evaluator: Evaluator) -> None:
    """The CNDA contract of the GP system serves INSi, DMP, Vitale and e-prescription."""
    item = fixture_plan(evaluator, "primary-care-practice").item("cnda-contract")
    assert item.kind == "shared"
    assert set(item.journeys) == {"ins", "dmp", "e-prescription"}
    assert "ins.devenv.cnda-contract" in item.steps and "dmp.cnda-convention" in item.steps


def test_the_ans_contract_is_shared_by_both_ror_journeys(evaluator: Evaluator) -> None:
    """A ROR supplier and consumer signs one ANS contract, listed for both journeys."""
    plan = plan_of(
        evaluator,
        ror_roles=["supplier", "consumer"],
        ror_supplier_type="saas",
        ror_circle_of_trust="accepted",
        has_ans_membership_contract=False,
    )
    item = plan.item("ans-contract")
    assert item.journeys == ["ror-supplier", "ror-consumer"]
    assert item.steps == ["ror-supplier.ans-contract", "ror-consumer.ans-contract"]


def test_long_lead_time_items_are_flagged_and_started_early(evaluator: Evaluator) -> None:
    """Test cards, certificates and the CNDA contract are flagged and precede ordinary work."""
    plan = fixture_plan(evaluator, "primary-care-practice", include_done=True)
    flagged = {i.id for i in plan.items if i.lead_time == "long"}
    assert {"test-cards", "igc-certificates", "cnda-contract"} <= flagged
    early = set(flagged)
    for item in reversed(plan.items):  # what a flagged item waits for is early too
        if item.id in early:
            early.update(item.after)
    last_early = max(i.seq for i in plan.items if i.id in early)
    assert all(i.seq > last_early for i in plan.items if i.id not in early)


def test_what_leads_to_a_long_item_is_pulled_forward(evaluator: Evaluator) -> None:
    """The ANS contract and the administrators lead to the certificates: once free, they go
    before the INS test Vitale cards, free as soon but leading to no long item."""
    plan = fixture_plan(evaluator, "primary-care-practice")
    seq = {i.id: i.seq for i in plan.items}
    assert seq["ans-contract"] < seq["technical-admins"] < seq["igc-certificates"]
    assert seq["igc-certificates"] < seq["dmp.dv1-tests"]
    assert plan.item("ins.devenv.test-vitale-cards").after == ["cnda-contract"]
    assert plan.item("ans-contract").after == ["cnda-contract"]
    assert seq["igc-certificates"] < seq["ins.devenv.test-vitale-cards"]


def test_done_steps_are_hidden_unless_asked_for(evaluator: Evaluator) -> None:
    """The hospital EHR already has an iSC account: hidden, counted, shown with --all."""
    plan = fixture_plan(evaluator, "hospital-ehr")
    full = fixture_plan(evaluator, "hospital-ehr", include_done=True)
    assert "isc-account" not in {i.id for i in plan.items}
    assert full.item("isc-account").status == "done"
    assert plan.hidden_done == len(full.items) - len(plan.items) > 0


def test_an_unmet_journey_prerequisite_comes_before_the_journey(evaluator: Evaluator) -> None:
    """Reading the doctrine precedes every Mon espace santé step."""
    plan = plan_of(
        evaluator,
        targets_mes_catalog=True,
        mes_purposes=["care"],
        mes_data_exchange=False,
        has_read_doctrine=False,
    )
    prereq = plan.item("mes-referencing.doctrine-read")
    assert (prereq.kind, prereq.status) == ("prerequisite", "not_met")
    mes = [i for i in plan.items if "mes-referencing" in i.journeys and i is not prereq]
    assert all(i.seq > prereq.seq for i in mes)
    assert mes[0].after == [prereq.id]


def test_journey_dependencies_order_the_plan(evaluator: Evaluator) -> None:
    """Ségur's administrative file waits for the Convergence product and the CNDA procedures."""
    plan = fixture_plan(evaluator, "hospital-ehr")
    seq = {i.id: i.seq for i in plan.items}
    assert seq["convergence.add-product"] < seq["segur-referencing.administrative-file"]
    assert seq["cnda-contract"] < seq["segur-referencing.cnda-procedures"]
    assert (
        seq["pro-sante-connect.production-request"]
        < seq["segur-referencing.trust-space-habilitation"]
    )


def test_ce_marking_comes_before_the_dmn_certificate(evaluator: Evaluator) -> None:
    """The telemonitoring device is CE-marked before applying for the DMN certificate."""
    plan = fixture_plan(evaluator, "telemonitoring-device")
    seq = {i.id: i.seq for i in plan.items}
    assert seq["ce-marking.registration"] < seq["dmn-reimbursement.conformity-certificate"]


def test_a_needed_journey_that_does_not_apply_is_a_conflict(evaluator: Evaluator) -> None:
    """MES with exchange and no hosting for others: the plan flags the HDS dependency."""
    plan = fixture_plan(evaluator, "mes-exchange-without-hosting")
    conflicts = [(d.journey, d.needs) for d in plan.dependencies if d.conflict]
    assert conflicts == [("mes-referencing", "hds-certification")]


def test_undetermined_journeys_are_listed_apart_with_their_missing_answers(
    evaluator: Evaluator,
) -> None:
    """A journey that may apply is not in the to-do list; the answers that decide it are."""
    plan = plan_of(evaluator, dmp_access=["feed"])
    dmp = next(j for j in plan.undetermined if j.id == "dmp")
    assert "dmp_via_hospital_pfi" in dmp.missing
    assert not any("dmp" in i.journeys for i in plan.items)


def test_the_plan_is_deterministic(evaluator: Evaluator, interpreter: Evaluator) -> None:
    """Same profile, same bytes, whichever engine evaluated the rules."""
    a = fixture_plan(evaluator, "telemonitoring-device").to_json()
    b = fixture_plan(evaluator, "telemonitoring-device").to_json()
    c = fixture_plan(interpreter, "telemonitoring-device").to_json()
    assert a == b == c


def graph_of(nodes: str, edges: dict[str, set[str]]) -> OrderGraph:
    graph = OrderGraph()
    for n in nodes:
        graph.add_node(n)
    for before, afters in edges.items():
        for after in afters:
            graph.add_edge(before, after)
    return graph


def test_order_is_topological_and_stable() -> None:
    """Free nodes go early ones first, then by rank; a node waits for its predecessors."""
    assert order(graph_of("abcd", {"d": {"c"}})) == ["a", "b", "d", "c"]
    assert order(graph_of("abcd", {}), early={"c"}) == ["c", "a", "b", "d"]
    waiting = graph_of("abcd", {"b": {"c"}})
    assert order(waiting, early={"c"}) == ["a", "b", "c", "d"]  # early only among the free
    assert order(waiting, early=leading_to(waiting, ["c"])) == ["b", "c", "a", "d"]


def test_order_refuses_a_cycle_and_cycles_names_it_in_order() -> None:
    """A cycle has no order; :func:`cycles` gives its nodes in the order they wait."""
    edges = {"a": {"c"}, "c": {"b"}, "b": {"a"}, "d": {"a"}}
    with pytest.raises(ValueError, match="cycle"):
        order(graph_of("abcd", edges))
    assert cycles(edges) == [["a", "c", "b"]]
    assert cycle_text(["a", "c", "b"]) == "a -> c -> b -> a"


def test_the_shipped_catalogue_orders_without_cycles(ruleset: RuleSet) -> None:
    """With every journey and step applying, the ordering graph of the catalogue is acyclic."""
    assert catalogue_cycles(ruleset) == []


def test_a_dependency_loop_is_found(ruleset: RuleSet) -> None:
    """Two journeys each wanting the other's step first make a cycle that is reported."""
    ins = ruleset.journey_by_id["ins"]
    looped = ins.model_copy(
        update={
            "depends_on": [
                Dependency(
                    id="ins.after.dmp",
                    journey="dmp",
                    kind="after",
                    first=["dmp.dvx-tests"],
                    before="ins.guide-compliance",
                    reason="r",
                    source="s",
                    confidence=Confidence.inference,
                )
            ]
        }
    )
    journeys = tuple(looped if j.id == "ins" else j for j in ruleset.journeys)
    found = catalogue_cycles(replace(ruleset, journeys=journeys))
    assert found and {"dmp.dvx-tests", "ins.guide-compliance"} <= set(found[0])


def test_build_plan_needs_no_engine(ruleset: RuleSet, interpreter: Evaluator) -> None:
    """The plan is a pure function of a decision and the catalogue."""
    decision = interpreter.evaluate(parse_profile({"id": "p", "processes_health_data": True}))
    plan = build_plan(decision, ruleset)
    assert [j.id for j in plan.journeys] == ["ins"]
    assert plan.items[0].id == "ins.base-documentation"
