"""The answer space of a journey: its decisive fields and the answers that make a difference."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import JourneyOut
from eligibility.decision.space import JourneySpace
from eligibility.profile.files import read_profile
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet, journey_rules
from tests.conftest import PROFILES
from tests.strategies import profiles


def on_its_own(journey: JourneyOut) -> JourneyOut:
    """A journey as decided alone: its dependencies on other journeys need the whole set."""
    return replace(journey, dependencies=[])


def test_a_journey_depends_on_its_rules_and_the_facts_they_read(ruleset: RuleSet) -> None:
    """The MES journey includes the rule concluding the legal-purpose fact, and no INS rule."""
    ids = journey_rules(ruleset, "mes-referencing")
    assert "mes.fact.legal-purpose" in ids
    assert not [r for r in ids if r.startswith("ins.")]
    assert ids == [r.id for r in ruleset.rules if r.id in ids]  # file order kept


def test_decisive_answers_per_kind_of_field(ruleset: RuleSet) -> None:
    """Booleans: true, false, unknown; enums and integers: one value per class the journey's
    rules tell apart, unknown; lists: every subset of the member classes, unknown."""
    ins = {d.field: d.answers for d in JourneySpace(ruleset, "ins").dimensions}
    assert ins["processes_health_data"] == (True, False, None)
    assert ins["storage_role"] == ("none", "archive", None)  # none stands for operational too
    assert ins["receives_ins_data_from"] == ([], ["other_domains"], None)
    ror = {d.field: d.answers for d in JourneySpace(ruleset, "ror-consumer").dimensions}
    assert ror["ror_access_profile"] == (0, 1, None)
    assert ror["ror_roles"] == ([], ["consumer"], None)  # supplier is another journey's
    # the three states are told apart: an application under review has advice of its own
    assert ror["ror_circle_of_trust"] == ("not_applied", "applied", "accepted", None)
    psc = {d.field: d.answers for d in JourneySpace(ruleset, "pro-sante-connect").dimensions}
    # a field read by one journey only is absent from the others' spaces
    assert "ror_circle_of_trust" not in psc
    mes = {d.field: d.answers for d in JourneySpace(ruleset, "mes-referencing").dimensions}
    # the four purposes the law admits are read together by one contains_any
    assert mes["mes_purposes"] == (
        [],
        ["prevention"],
        ["wellbeing"],
        ["prevention", "wellbeing"],
        None,
    )


def test_the_space_size_is_the_product_of_the_answers(ruleset: RuleSet) -> None:
    """Every combination is walked once."""
    space = JourneySpace(ruleset, "mes-referencing")
    expected = 1
    for d in space.dimensions:
        expected *= len(d.answers)
    assert space.size == expected == sum(1 for _ in space.points())


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_the_restricted_rules_decide_a_journey_as_the_whole_set_does(
    ruleset: RuleSet, interpreter: Evaluator, path: object
) -> None:
    """Evaluating a journey with only its own rules gives the same journey decision."""
    profile = read_profile(str(path))
    whole = interpreter.evaluate(profile, with_trace=False)
    for j in ruleset.journeys:
        space = JourneySpace(ruleset, j.id)
        alone = space.decide(profile.known(), space.interpreter.evaluate(profile))
        assert alone == on_its_own(whole.journey(j.id))


@pytest.fixture(scope="module")
def spaces(ruleset: RuleSet) -> dict[str, JourneySpace]:
    """The answer space of every shipped journey, built once."""
    return {j.id: JourneySpace(ruleset, j.id) for j in ruleset.journeys}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_journey_spaces_decide_as_the_durable_engine_on_random_profiles(
    spaces: dict[str, JourneySpace], evaluator: Evaluator, profile: Profile
) -> None:
    """What the analysis evaluates (one journey's rules, interpreter) is what ships (durable)."""
    whole = evaluator.evaluate(profile, with_trace=False)
    for jid, space in spaces.items():
        alone = space.decide(profile.known(), space.interpreter.evaluate(profile))
        assert alone == on_its_own(whole.journey(jid))
