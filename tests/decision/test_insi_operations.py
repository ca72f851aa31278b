"""The INSi operations a decision reports are backed by the steps that build them.

An operation (retrieval, verification) is an INSi call the software implements: it needs
the INSi documentation, the development of the call and the CNDA authorisation. A decision
that lists an operation while one of those steps is not applicable (an exempt product
still "verifying") contradicts itself.
"""

from __future__ import annotations

from hypothesis import given, settings

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import JourneyOut
from eligibility.decision.space import JourneySpace
from eligibility.profile.model import Profile, parse_profile
from eligibility.rules.loader import RuleSet
from tests.strategies import profiles

#: The steps every INSi operation needs, and what retrieval needs besides (retrieval by
#: reading the Vitale card is tested with the CNDA's test Vitale cards).
OPERATION_STEPS = {
    "verification": (
        "ins.devenv.gie-sv-documentation",
        "ins.insi-development",
        "ins.cnda-authorisation",
    ),
    "retrieval": (
        "ins.devenv.gie-sv-documentation",
        "ins.insi-development",
        "ins.cnda-authorisation",
        "ins.devenv.test-vitale-cards",
    ),
}


def _problems(ins: JourneyOut) -> list[str]:
    status = {s.id: s.status for s in ins.steps}
    return [
        f"operation {op} needs {step}, which is not_applicable"
        for op in ins.operations or ()
        for step in OPERATION_STEPS[op]
        if status[step] == "not_applicable"
    ]


def test_every_answer_set_of_the_ins_journey_backs_its_operations(ruleset: RuleSet) -> None:
    """Over the whole answer space of the INS journey (unknown answers included), each
    operation has its steps, and an exempt product reports none."""
    space = JourneySpace(ruleset, "ins")
    bad = {}
    exempt = 0
    for point in space.points():
        ins = point.journey
        if problems := _problems(ins):
            bad[str(point.answers)] = problems
        exempt += ins.operations == []
    assert bad == {}, next(iter(bad.items()))
    assert exempt  # the exemptions do occur in the space: the check is not vacuous


@settings(max_examples=200, deadline=None)
@given(profile=profiles())
def test_random_products_get_operations_their_steps_back(
    evaluator: Evaluator, profile: Profile
) -> None:
    """For any product, with any answers known or not, the same holds in a full decision."""
    assert _problems(evaluator.evaluate(profile, with_trace=False).journey("ins")) == []


def test_an_exempt_product_reports_the_exemption_as_the_reason(evaluator: Evaluator) -> None:
    """Own domain only: operations [] and the reason is the exemption, not the variant."""
    decision = evaluator.evaluate(
        parse_profile(
            {
                "id": "lab",
                "processes_health_data": True,
                "is_identity_repository": False,
                "receives_ins_data_from": ["own_domain"],
                "storage_role": "operational",
            }
        )
    )
    ins = decision.journey("ins")
    assert ins.operations == []
    assert [r.rule for r in ins.operations_reasons] == ["ins.operations.exempt.own-domain"]
    assert decision.step("ins.insi-development").status == "not_applicable"
