"""Relevance: a question is asked only while its answer can still change the decision."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.relevance import Relevance, outcome_values
from eligibility.decision.space import value_classes
from eligibility.profile.files import read_profile
from eligibility.profile.model import FIELDS, parse_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.conftest import PROFILES, RULES
from tests.rules_copy import copy_with_gam_rule


@pytest.fixture(scope="module")
def relevance(ruleset: RuleSet) -> Relevance:
    """The relevance search over the shipped rules, in questionnaire order."""
    return Relevance(ruleset, load_questions(RULES).order)


def replay(relevance: Relevance, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Answer the questionnaire from a profile (its unknown fields answered "don't know")."""
    answers: dict[str, Any] = {}
    asked: list[str] = []
    while (name := relevance.next_field(answers)) is not None:
        assert name not in answers
        asked.append(name)
        answers[name] = data.get(name)
    return answers, asked


def outcomes_of(evaluator: Evaluator, answers: dict[str, Any]) -> dict[str, Any]:
    """The outcomes relevance compares, for a real, validated profile."""
    profile = parse_profile({"id": "p", **answers})
    return outcome_values(evaluator.evaluate(profile, with_trace=False))


def _all_values(name: str) -> list[Any]:
    """Every value of a field (for a list: the empty list, each member, all members)."""
    spec = FIELDS[name]
    if spec.kind == "list":
        return [[], *([v] for v in spec.values), list(spec.values)]
    return list(spec.values)


def test_fields_no_rule_reads_are_never_asked(relevance: Relevance) -> None:
    """The product's categories and end users decide nothing in the shipped rules."""
    assert len(relevance.domains["categories"]) == 1
    assert "categories" not in relevance.relevant_fields({})
    assert "end_users" not in relevance.relevant_fields({})


def test_values_the_rules_cannot_tell_apart_count_once(ruleset: RuleSet) -> None:
    """Purposes read only through one ``contains_any`` collapse into one class."""
    classes = value_classes(ruleset)
    assert classes["mes_purposes"] == (
        (),
        ("prevention",),
        ("wellbeing",),
        ("prevention", "wellbeing"),
    )
    assert classes["ror_supplier_type"] == ("regional_eai", "proprietary")
    assert classes["ror_access_profile"] == (0, 1)


def test_what_decides_whether_journeys_apply_is_asked_first(relevance: Relevance) -> None:
    """With nothing answered, the first question can bring a journey in or out."""
    choice = relevance.choose({})
    assert choice is not None and choice.stage == "scope"
    assert any(o.kind == "journey" for o in relevance.changes(choice.field, {}))


def test_the_first_question_settles_the_most_outcomes(relevance: Relevance) -> None:
    """Among the fields that decide whether journeys apply, the one that settles the most
    open outcomes on average over its answers comes first."""
    choice = relevance.choose({})
    assert choice is not None
    scope = [
        f
        for f in relevance.askable({})
        if any(o.kind == "journey" for o in relevance.changes(f, {}))
    ]
    assert len(scope) > 5
    best = relevance.effect(choice.field, {})
    assert all(relevance.effect(f, {}) <= best for f in scope)


def test_a_step_question_waits_until_whether_its_journey_applies_is_known(
    relevance: Relevance,
) -> None:
    """The CNDA contract changes INS steps only: not asked while health data is open."""
    assert "has_cnda_contract" in relevance.relevant_fields({"processes_health_data": None})
    answers: dict[str, Any] = {}
    while (choice := relevance.choose(answers)) is not None and choice.stage == "scope":
        assert choice.field != "has_cnda_contract"
        answers[choice.field] = True if FIELDS[choice.field].kind == "bool" else None
    assert "processes_health_data" in answers


def test_no_ins_data_questions_without_health_data(relevance: Relevance) -> None:
    """Software that handles no health data is not asked where INS data come from or are kept
    (nor about test cards, once no other journey needing them can apply)."""
    relevant = relevance.relevant_fields(
        {"processes_health_data": False, "authenticates_health_professionals": False}
    )
    for name in (
        "is_identity_repository",
        "receives_ins_data_from",
        "storage_role",
        "has_test_cards_or_certificates",
        "has_cnda_contract",
    ):
        assert name not in relevant


def test_no_ror_questions_without_a_ror_role(relevance: Relevance) -> None:
    """Without an ROR role, no circle-of-trust, access-profile or supplier-type question."""
    relevant = relevance.relevant_fields({"ror_roles": []})
    for name in ("ror_circle_of_trust", "ror_access_profile", "ror_supplier_type"):
        assert name not in relevant
    assert "ror_circle_of_trust" in relevance.relevant_fields({"ror_roles": ["consumer"]})


def test_no_contract_question_for_journeys_that_do_not_apply(relevance: Relevance) -> None:
    """The ANS contract matters to the ROR, DMP and MSSanté journeys: without them, not asked."""
    answers: dict[str, Any] = {
        "ror_roles": [],
        "processes_health_data": False,
        "dmp_access": [],
        "mssante_roles": [],
    }
    assert "has_ans_membership_contract" not in relevance.relevant_fields(answers)
    answers["ror_roles"] = ["supplier"]
    assert "has_ans_membership_contract" in relevance.relevant_fields(answers)


def test_a_field_answered_dont_know_is_not_asked_again(relevance: Relevance) -> None:
    """None is an answer: the field stays unknown and is never the next question."""
    assert relevance.next_field({"processes_health_data": None}) != "processes_health_data"


def test_why_names_what_the_field_can_change(relevance: Relevance) -> None:
    """The outcomes a field can change are the parts of the journeys that read it: the
    access profile only changes the advice of the consumer's steps 07 and 08, never their
    status (the guided tour states them for every consumer)."""
    changed = relevance.changes("ror_access_profile", {"ror_roles": ["consumer"]})
    assert {o.id for o in changed} == {
        "ror-consumer.technical-admins#advice",
        "ror-consumer.prod-certificate#advice",
    }


def _by_journey(
    relevance: Relevance, fields: list[str], answers: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The journeys each outcome :meth:`Relevance.changes` lists belongs to, in order."""
    scope: list[str] = []
    todo: list[str] = []
    for name in fields:
        for o in relevance.changes(name, answers):
            target = scope if o.kind == "journey" else todo
            if o.journey not in target:
                target.append(o.journey)
    return scope, [j for j in todo if j not in scope]


@pytest.mark.parametrize("path", PROFILES[::4], ids=lambda p: p.stem)
def test_the_journeys_a_question_can_change_are_those_of_the_outcomes_it_can_change(
    relevance: Relevance, path: Path
) -> None:
    """Along a fixture's questionnaire, for each question and for the pairs of fields a
    question with a tick asks: the journeys it can bring in or out, and the others it can
    change, are read off every outcome it can change, in the same order."""
    data = read_profile(str(path)).model_dump(mode="json")
    answers, asked = replay(relevance, data)
    pairs = [["dmp_access", "dmp_via_hospital_pfi"], ["mes_purposes", "targets_mes_catalog"]]
    for i, name in enumerate(asked):
        before = {f: answers[f] for f in asked[:i]}
        for fields in ([name], *pairs):
            assert relevance.changed_journeys(fields, before) == _by_journey(
                relevance, fields, before
            ), (name, fields)


def test_a_new_rule_changes_what_is_asked(tmp_path: Path) -> None:
    """Relevance comes from the rules: a rule reading the categories makes them a question."""
    target = copy_with_gam_rule(tmp_path)
    changed = Relevance(load_ruleset(target))
    assert changed.witness("categories", {}) is not None
    assert any(o.id == "ins" for o in changed.changes("categories", {}))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_each_asked_field_could_change_the_decision(
    relevance: Relevance, interpreter: Evaluator, path: Path
) -> None:
    """Minimality: when asked, a field has two values that give different decisions.

    The witness found by the search is checked on real profiles with every other
    unanswered field given a value, so the check does not trust the search.
    """
    data = read_profile(str(path)).known()
    answers: dict[str, Any] = {}
    while (name := relevance.next_field(answers)) is not None:
        witness = relevance.witness(name, answers)
        assert witness is not None, name
        rest = {f: _all_values(f)[0] for f in FIELDS if f not in answers and f != name}
        rest.update(witness.others)
        first = outcomes_of(interpreter, {**answers, **rest, name: witness.first})
        second = outcomes_of(interpreter, {**answers, **rest, name: witness.second})
        assert first != second, name
        answers[name] = data.get(name)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_no_field_that_could_change_the_decision_is_skipped(
    relevance: Relevance, interpreter: Evaluator, path: Path
) -> None:
    """Completeness: at the end, no unanswered field changes the decision, for sampled values.

    Sampled over every value of the fields (not the search's value classes), with a fixed
    seed so that the test is deterministic.
    """
    answers, _ = replay(relevance, read_profile(str(path)).known())
    assert relevance.relevant_fields(answers) == []
    unanswered = [f for f in FIELDS if f not in answers]
    rng = random.Random(path.stem)
    for _ in range(60):
        rest = {f: rng.choice(_all_values(f)) for f in unanswered}
        expected = outcomes_of(interpreter, {**answers, **rest})
        name = rng.choice(unanswered)
        for value in _all_values(name):
            assert outcomes_of(interpreter, {**answers, **rest, name: value}) == expected, name


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_questionnaire_decides_as_evaluate_does(
    relevance: Relevance, evaluator: Evaluator, path: Path
) -> None:
    """Replaying a fixture gives the decision ``evaluate`` gives on the whole fixture."""
    profile = read_profile(str(path))
    answers, asked = replay(relevance, profile.known())
    assert len(asked) < len(FIELDS)
    mine = evaluator.evaluate(parse_profile({"id": profile.id, **answers}), with_trace=False)
    theirs = evaluator.evaluate(profile, with_trace=False)
    assert outcome_values(mine) == outcome_values(theirs)


def _journey_fields(ruleset: RuleSet, journey_id: str) -> list[str]:
    """The fields the rules of a journey's rule file read (from the rules, not the search)."""
    rule_file = f"{journey_id}/rules.yaml"
    found = {
        f
        for r in ruleset.rules
        if ruleset.rule_files[r.id] == rule_file
        for f in ruleset.fields_of(r.id)
    }
    return [f for f in FIELDS if f in found]


def _every_value(name: str) -> list[Any]:
    """Every value of a field; every subset for a list field."""
    spec = FIELDS[name]
    if spec.kind != "list":
        return list(spec.values)
    subsets: list[list[Any]] = [[]]
    for v in spec.values:
        subsets += [[*s, v] for s in subsets]
    return subsets


BRUTE_FORCE_STATES = [
    ("ins", {}),
    ("ins", {"processes_health_data": True, "is_identity_repository": False}),
    ("ins", {"processes_health_data": True, "is_identity_repository": None}),
    ("mes-referencing", {}),
    ("mes-referencing", {"targets_mes_catalog": True}),
    ("mes-referencing", {"targets_mes_catalog": None, "mes_purposes": ["wellbeing"]}),
    ("ror-consumer", {"ror_roles": ["consumer"]}),
    ("ror-consumer", {"ror_roles": ["consumer"], "ror_circle_of_trust": "accepted"}),
    ("ror-supplier", {"ror_roles": ["supplier"]}),
    ("ror-supplier", {"ror_roles": None, "ror_supplier_type": "saas"}),
]


@pytest.mark.parametrize(("journey_id", "answers"), BRUTE_FORCE_STATES)
def test_relevance_agrees_with_brute_force_on_one_journey(
    relevance: Relevance, interpreter: Evaluator, journey_id: str, answers: dict[str, Any]
) -> None:
    """Exactness, both ways: a field changes a journey's outcomes iff trying every value says so.

    Every combination of every value of the journey's unanswered fields is evaluated; a
    field is relevant when two combinations differing only in it give different outcomes.
    """
    fields = [f for f in _journey_fields(relevance.ruleset, journey_id) if f not in answers]
    combos: list[dict[str, Any]] = [{}]
    for name in fields:
        combos = [{**c, name: v} for c in combos for v in _every_value(name)]
    assert fields
    results = []
    for combo in combos:
        values = outcomes_of(interpreter, {**answers, **combo})
        mine = {
            k: v for k, v in values.items() if k == journey_id or k.startswith(journey_id + ".")
        }
        results.append((combo, mine))
    for name in fields:
        groups: dict[str, list[Any]] = {}
        for combo, values in results:
            key = repr(sorted((k, v) for k, v in combo.items() if k != name))
            groups.setdefault(key, []).append(values)
        brute = any(any(v != vs[0] for v in vs) for vs in groups.values())
        searched = any(o.journey == journey_id for o in relevance.changes(name, answers))
        assert searched == brute, name
