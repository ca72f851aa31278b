"""The personas (complete answer sets) answer the questionnaire: nothing asked is wasted.

The figures of ``benchmarks/ask.py`` are asserted loosely here: the same personas, the
same judge (:mod:`eligibility.questionnaire.hindsight`), no timing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_document
from eligibility.questionnaire.hindsight import Hindsight, hindsight, outcomes_with
from eligibility.questionnaire.questions import Questions, load_questions
from eligibility.questionnaire.session import Session, open_session, replay, typed_answers
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, RULES

PERSONAS = sorted((FIXTURES / "personas").glob("*.yaml"))
STAGES = ("scope", "details", "last")


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


def persona(path: Path) -> dict[str, Any]:
    """A persona's answers (null: "don't know")."""
    data, _ = read_document(str(path))
    assert isinstance(data, dict)
    return data


def played(ruleset: RuleSet, questions: Questions, data: dict[str, Any]) -> Session:
    """A fresh session answered by a persona."""
    session, _ = open_session(ruleset, questions)
    replay(session, data)
    return session


def judged(ruleset: RuleSet, interpreter: Evaluator, questions: Questions, path: Path) -> Hindsight:
    """What hindsight shows about a persona's run."""
    session = played(ruleset, questions, persona(path))
    return hindsight(outcomes_with(interpreter), session.answers, session.questions_asked())


def test_there_are_a_dozen_personas_and_one_does_not_know_everything() -> None:
    """At least 12 personas, every profile field answered, and some "don't know" ones."""
    assert len(PERSONAS) >= 12
    unsure = [p for p in PERSONAS if None in persona(p).values()]
    assert 1 <= len(unsure) < len(PERSONAS)


@pytest.mark.parametrize(
    "path", [p for p in PERSONAS if None not in persona(p).values()], ids=lambda p: p.stem
)
def test_no_question_is_wasted_without_dont_know(
    ruleset: RuleSet, interpreter: Evaluator, questions: Questions, path: Path
) -> None:
    """Every question asked of a persona that knows its answers changed the decision."""
    seen = judged(ruleset, interpreter, questions, path)
    assert seen.wasted == ()
    assert seen.fewest == len(seen.asked)


def test_on_average_at_most_a_fifth_more_questions_than_the_fewest(
    ruleset: RuleSet, interpreter: Evaluator, questions: Questions
) -> None:
    """Over every persona, "don't know" ones included, asked / fewest stays under 1.2."""
    ratios = [judged(ruleset, interpreter, questions, p).ratio for p in PERSONAS]
    assert sum(ratios) / len(ratios) <= 1.2


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_the_questionnaire_decides_as_evaluate_does_on_the_whole_persona(
    ruleset: RuleSet, interpreter: Evaluator, questions: Questions, path: Path
) -> None:
    """The answers to the questions asked give the decision the complete answers give."""
    data = persona(path)
    session = played(ruleset, questions, data)
    outcomes = outcomes_with(interpreter)
    whole = {k: v for k, v in data.items() if k not in ("id", "name")}
    assert outcomes(session.answers) == outcomes(whole)
    assert len(session.answers) < len(whole)


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_scope_comes_before_details_and_the_checklist_last(
    ruleset: RuleSet, questions: Questions, path: Path
) -> None:
    """What decides whether journeys apply, then where the product stands, then the list
    of what the company already has (asked once, at the end)."""
    session, _ = open_session(ruleset, questions)
    data = persona(path)
    stages: list[str] = []
    while (nxt := session.next_prompt()) is not None:
        prompt, stage = nxt
        stages.append(stage)
        session.answer(prompt, typed_answers(questions, prompt, data))
    assert stages == sorted(stages, key=STAGES.index)
    checklists = [p for p in session.asked if p.checklist is not None]
    assert len(checklists) <= 1
    assert not checklists or session.asked[-1] == checklists[0]


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_a_question_comes_after_the_one_it_presupposes(
    ruleset: RuleSet, questions: Questions, path: Path
) -> None:
    """A follow-up (the Ségur wave, the hospital's platform) never comes before its lead."""
    asked = played(ruleset, questions, persona(path)).asked
    position = {f: i for i, p in enumerate(asked) for f in p.fields}
    for field, leads in questions.follows.items():
        for lead in leads:
            if field in position and lead in position:
                assert position[lead] <= position[field], (lead, field)


def test_no_card_question_after_no_to_technical_administrators(
    ruleset: RuleSet, questions: Questions
) -> None:
    """CPA cards and the designation of administrators, when both matter, are ticked in the
    same list: the cards are never a follow-up of the designation."""
    both = 0
    for path in PERSONAS:
        asked = played(ruleset, questions, persona(path)).asked
        cards = [p for p in asked if "has_cpa_cards" in p.fields]
        admins = [p for p in asked if "has_technical_admins" in p.fields]
        if cards and admins:
            both += 1
            assert cards == admins, path.stem
    assert both >= 2


def test_hindsight_finds_a_question_a_later_answer_made_useless(interpreter: Evaluator) -> None:
    """Asked about the CNDA contract before saying it handles no health data: wasted."""
    cnda = ("has_cnda_contract",)
    health = ("processes_health_data",)
    answers = {"has_cnda_contract": True, "processes_health_data": False}
    seen = hindsight(outcomes_with(interpreter), answers, [cnda, health])
    assert seen.wasted == (cnda,)
    assert seen.fewest == 1
    assert seen.ratio == 2.0
