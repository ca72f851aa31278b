"""The combination policy: reasons, unknown answers, and what a journey's status implies."""

from __future__ import annotations

from collections import OrderedDict

import orjson
import pytest

from eligibility.decision import model as decision_module
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import PrecedenceReason, decision_from_dict
from eligibility.profile.files import read_profile
from eligibility.profile.model import parse_profile
from tests.conftest import FIXTURES, PROFILES


def _decide(evaluator: Evaluator, **fields: object):  # type: ignore[no-untyped-def]
    return evaluator.evaluate(parse_profile({"id": "t", **fields}))


def test_an_unknown_decisive_field_makes_the_journey_undetermined(evaluator: Evaluator) -> None:
    """Unknown is never read as false: the journey is undetermined and the field missing."""
    d = _decide(evaluator)
    assert d.journey("ins").status == "undetermined"
    assert "processes_health_data" in d.missing
    reasons = d.journey("ins").reasons
    assert any(r.holds is None for r in reasons)


def test_an_outcome_the_unknown_cannot_change_is_decided(evaluator: Evaluator) -> None:
    """Steps common to both INS variants are required even when the variant is unknown."""
    d = _decide(evaluator, processes_health_data=True)
    assert d.journey("ins").variant is None
    assert d.step("ins.guide-compliance").status == "required"
    assert d.step("ins.devenv.cnda-contract").status == "undetermined"
    assert "is_identity_repository" in d.step("ins.devenv.cnda-contract").missing


def test_steps_of_a_journey_that_does_not_apply_say_why(evaluator: Evaluator) -> None:
    """Every step is listed, not applicable, with the journey's own reason."""
    d = _decide(evaluator, ror_roles=[])
    journey = d.journey("ror-supplier")
    assert journey.status == "not_applicable"
    for step in journey.steps:
        assert step.status == "not_applicable"
        assert step.reasons == journey.reasons


def test_a_wellbeing_only_service_is_told_why_it_is_not_eligible(evaluator: Evaluator) -> None:
    """The reason for not applying names wellbeing."""
    d = evaluator.evaluate(read_profile(str(FIXTURES / "profiles" / "wellbeing-app.yaml")))
    journey = d.journey("mes-referencing")
    assert journey.status == "not_applicable"
    assert journey.reasons[0].rule == "mes.not-applicable.wellbeing-only"
    assert "Wellbeing alone" in journey.reasons[0].text


def test_an_inference_shows_in_the_decision(evaluator: Evaluator) -> None:
    """A rule resting on an inference carries that confidence into the reasons."""
    d = _decide(
        evaluator, processes_health_data=True, is_identity_repository=False, storage_role="archive"
    )
    reason = d.step("ins.devenv.cnda-contract").reasons[0]
    assert reason.rule == "ins.exempt.archive"
    assert reason.confidence == "inference"


def test_inference_advice_carries_its_confidence(evaluator: Evaluator) -> None:
    """What the access profile may change is advice, tagged with the rule that gives it."""
    d = _decide(evaluator, ror_roles=["consumer"], ror_access_profile=0)
    step = d.step("ror-consumer.prod-certificate")
    assert step.status == "required"
    assert [r.rule for r in step.advice_reasons] == ["ror-consumer.public-data.certificate-advice"]
    assert step.advice_reasons[0].confidence == "inference"
    assert len(step.advice) == len(step.advice_reasons)


def test_a_steps_own_advice_has_no_rule_behind_it(evaluator: Evaluator) -> None:
    """A step's own advice comes with the step (its sources): its place holds null."""
    d = _decide(evaluator, ror_roles=["consumer"])
    step = d.step("ror-consumer.admin-formalities")
    assert step.advice and step.advice_reasons == [None] * len(step.advice)


def test_done_steps_come_from_the_administrative_state(evaluator: Evaluator) -> None:
    """Contract and card held: done; CPA cards: optional unless held."""
    d = _decide(
        evaluator,
        ror_roles=["consumer"],
        has_ans_membership_contract=True,
        has_legal_rep_card=True,
        has_cpa_cards=False,
    )
    assert d.step("ror-consumer.ans-contract").status == "done"
    assert d.step("ror-consumer.cpa-cards").status == "optional"


def test_an_existing_account_shortens_a_step_without_making_it_done(evaluator: Evaluator) -> None:
    """The SESAM-Vitale account and CNDA contract give advice; the steps stay to do."""
    d = _decide(
        evaluator,
        processes_health_data=True,
        is_identity_repository=True,
        has_sesam_vitale_industrial_account=True,
        has_cnda_contract=True,
    )
    docs = d.step("ins.devenv.gie-sv-documentation")
    contract = d.step("ins.devenv.cnda-contract")
    assert docs.status == contract.status == "required"
    assert any("download" in a for a in docs.advice)
    assert any("personal space" in a for a in contract.advice)


def test_test_cards_advice_says_to_order_early(evaluator: Evaluator) -> None:
    """Lead times for test cards are long: the advice says so."""
    d = _decide(evaluator, processes_health_data=True, is_identity_repository=True)
    assert any("as soon as possible" in a for a in d.step("ins.devenv.test-cards").advice)


def test_the_consumer_prerequisite_reports_met(evaluator: Evaluator) -> None:
    """The circle-of-trust prerequisite is reported with met true/false."""
    accepted = _decide(evaluator, ror_roles=["consumer"], ror_circle_of_trust="accepted")
    pending = _decide(evaluator, ror_roles=["consumer"], ror_circle_of_trust="applied")
    assert accepted.journey("ror-consumer").prerequisites[0].met is True
    assert pending.journey("ror-consumer").prerequisites[0].met is False


def test_insi_operations_follow_the_variant(evaluator: Evaluator) -> None:
    """A repository implements retrieval and verification; a non-repository that receives
    INS data from other domains, verification."""
    repo = _decide(evaluator, processes_health_data=True, is_identity_repository=True)
    non = _decide(
        evaluator,
        processes_health_data=True,
        is_identity_repository=False,
        receives_ins_data_from=["other_domains"],
        storage_role="operational",
    )
    assert repo.journey("ins").operations == ["retrieval", "verification"]
    assert non.journey("ins").operations == ["verification"]


def test_an_exempt_product_builds_no_insi_call(evaluator: Evaluator) -> None:
    """Exempt by the own-domain rule: no operation, and the exemption is the reason."""
    d = _decide(
        evaluator,
        processes_health_data=True,
        is_identity_repository=False,
        receives_ins_data_from=["own_domain"],
        storage_role="operational",
    )
    ins = d.journey("ins")
    assert ins.variant == "non_repository" and ins.operations == []
    assert [r.rule for r in ins.operations_reasons] == ["ins.operations.exempt.own-domain"]


def test_operations_left_open_do_not_hide_the_variant(evaluator: Evaluator) -> None:
    """Where the data come from is unknown: the operations are open, the variant is not."""
    d = _decide(evaluator, processes_health_data=True, is_identity_repository=False)
    ins = d.journey("ins")
    assert ins.variant == "non_repository" and ins.operations is None
    assert "receives_ins_data_from" in ins.missing


def test_an_inference_deciding_over_the_seed_says_so(evaluator: Evaluator) -> None:
    """The archive exemption (an inference) decides against the seed's steps: its reason
    carries the declared precedence, naming the catalogue step it overrides and why."""
    d = _decide(
        evaluator, processes_health_data=True, is_identity_repository=False, storage_role="archive"
    )
    reason = d.step("ins.devenv.cnda-contract").reasons[0]
    assert isinstance(reason, PrecedenceReason) and reason.precedence is not None
    assert [(o.rule, o.confidence) for o in reason.precedence.over] == [
        ("catalogue:ins.devenv.cnda-contract", "seed")
    ]
    assert "cut short" in reason.precedence.why
    data = orjson.loads(d.to_json())
    step = next(
        s for j in data["journeys"] for s in j["steps"] if s["id"] == "ins.devenv.cnda-contract"
    )
    assert step["reasons"][0]["precedence"]["over"][0]["confidence"] == "seed"


def test_a_declared_precedence_over_a_rule_shows_only_where_that_rule_holds(
    evaluator: Evaluator,
) -> None:
    """The own-domain exemption overrides test cards already held, and says so only then."""
    base = {
        "processes_health_data": True,
        "is_identity_repository": False,
        "receives_ins_data_from": ["own_domain"],
        "storage_role": "operational",
    }
    held = _decide(evaluator, **base, has_test_cards_or_certificates=True)
    none = _decide(evaluator, **base, has_test_cards_or_certificates=False)
    reason = held.step("ins.devenv.test-cards").reasons[0]
    assert isinstance(reason, PrecedenceReason) and reason.precedence is not None
    assert [o.rule for o in reason.precedence.over] == ["ins.test-cards.done"]
    assert not isinstance(none.step("ins.devenv.test-cards").reasons[0], PrecedenceReason)


def test_a_decision_with_precedence_round_trips_through_json(evaluator: Evaluator) -> None:
    """decision_from_dict rebuilds precedence reasons and advice reasons as they were."""
    d = _decide(
        evaluator,
        processes_health_data=True,
        is_identity_repository=False,
        storage_role="archive",
        ror_roles=["consumer"],
        ror_access_profile=0,
    )
    assert decision_from_dict(orjson.loads(d.to_json())) == d


def test_the_trace_records_matched_values_and_conclusions(evaluator: Evaluator) -> None:
    """Each firing lists the profile values it read and what it concluded, in order."""
    d = _decide(
        evaluator, processes_health_data=True, is_identity_repository=False, storage_role="archive"
    )
    entries = {t.rule: t for t in d.trace}
    archive = entries["ins.fact.archive-role"]
    assert archive.result == "holds"
    assert archive.matched == {"storage_role": "archive", "fact:ins.non-repository": True}
    assert archive.concluded == ["fact ins.archive-role: true"]
    exempt = entries["ins.exempt.archive"]
    assert exempt.matched == {"fact:ins.archive-role": True}
    assert "ins.devenv.cnda-contract: not_applicable" in exempt.concluded
    fact = entries["ins.fact.non-repository"]
    assert fact.seq < archive.seq < exempt.seq
    assert fact.concluded == ["fact ins.non-repository: true"]


def test_without_trace_the_decision_is_otherwise_the_same(evaluator: Evaluator) -> None:
    """--no-trace only drops the trace."""
    profile = parse_profile({"id": "t", "processes_health_data": True})
    full = evaluator.evaluate(profile)
    bare = evaluator.evaluate(profile, with_trace=False)
    assert bare.trace == [] and full.trace
    assert bare.journeys == full.journeys and bare.missing == full.missing


def test_a_decision_rebuilds_from_its_json(evaluator: Evaluator) -> None:
    """decision_from_dict(to_dict()) gives the same decision (the audit log relies on it)."""
    from eligibility.decision.model import decision_from_dict
    from tests.conftest import PROFILES

    for path in PROFILES:
        decision = evaluator.evaluate(read_profile(str(path)))
        assert decision_from_dict(decision.to_dict()) == decision


def test_compact_json_is_byte_for_byte_what_orjson_gives(evaluator: Evaluator) -> None:
    """The assembled compact JSON (journeys serialised once) equals the plain dump."""
    import orjson

    from tests.conftest import PROFILES

    for path in PROFILES:
        decision = evaluator.evaluate(read_profile(str(path)))
        assert decision.to_json() == orjson.dumps(decision)
        assert decision.to_json() == orjson.dumps(decision)  # from the cache, the same


def test_the_journey_json_cache_drops_the_least_recently_used_journey(
    evaluator: Evaluator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its bound the cache drops its stalest journey; one just used stays cached."""
    monkeypatch.setattr(decision_module, "_JOURNEY_JSON", OrderedDict())
    monkeypatch.setattr(decision_module, "_JOURNEY_JSON_LIMIT", 3)
    journeys = evaluator.evaluate(read_profile(str(PROFILES[0]))).journeys[:4]
    pieces = [decision_module._journey_json(j, False) for j in journeys[:3]]
    assert decision_module._journey_json(journeys[0], False) is pieces[0]  # now the freshest
    decision_module._journey_json(journeys[3], False)  # one too many: journeys[1] goes
    assert len(decision_module._JOURNEY_JSON) == 3
    assert decision_module._journey_json(journeys[0], False) is pieces[0]
    assert decision_module._journey_json(journeys[2], False) is pieces[2]
    again = decision_module._journey_json(journeys[1], False)
    assert again == pieces[1] and again is not pieces[1]  # rendered anew


def test_to_json_ends_with_what_it_is_asked(evaluator: Evaluator) -> None:
    """``end`` is appended, compact or indented."""
    decision = evaluator.evaluate(read_profile(str(PROFILES[0])))
    assert decision.to_json(end=b"\n") == decision.to_json() + b"\n"
    assert decision.to_json(indent=True, end=b"\n") == decision.to_json(indent=True) + b"\n"
