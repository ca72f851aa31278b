"""The questionnaire without a session: what a web page or an HTTP client is asked next."""

from __future__ import annotations

import pytest

from eligibility.decision.relevance import Relevance
from eligibility.errors import InputFileError
from eligibility.profile.files import parse_document
from eligibility.questionnaire.questions import AnswerError, Questions, load_questions
from eligibility.questionnaire.session import open_session
from eligibility.questionnaire.step import describe, next_question, read_answer
from eligibility.rules.loader import RuleSet
from tests.conftest import RULES


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


@pytest.fixture(scope="module")
def relevance(ruleset: RuleSet, questions: Questions) -> Relevance:
    """The relevance search over the shipped rules, as ``ask`` sets it up."""
    return open_session(ruleset, questions, "en")[0].relevance


def test_the_next_question_is_the_sessions(relevance: Relevance, questions: Questions) -> None:
    """The same field as `ask` asks next with the same answers."""
    answers = {"processes_health_data": True, "is_identity_repository": None}
    asked = next_question(relevance, questions, answers, "en")
    assert asked is not None
    choice = relevance.choose(dict(answers))
    assert choice is not None and asked.field == choice.field
    assert not asked.answered


def test_a_question_is_worded_in_the_asked_language(
    relevance: Relevance, questions: Questions
) -> None:
    """French text, help, choices and why."""
    asked = describe(relevance, questions, "storage_role", {}, "fr")
    assert asked.text == questions.question("storage_role").question("fr")
    assert [c.value for c in asked.choices] == ["none", "operational", "archive"]
    assert asked.why.startswith("Pourquoi\u00a0: votre réponse décide")


def test_a_question_asked_again_carries_its_answer(
    relevance: Relevance, questions: Questions
) -> None:
    """Asked again (back, change): answered, with the answer given, "don't know" included."""
    asked = describe(relevance, questions, "processes_health_data", {"processes_health_data": None})
    assert (asked.answered, asked.answer) == (True, None)


def test_a_number_question_has_its_bounds(relevance: Relevance, questions: Questions) -> None:
    """An integer field: no choices, a minimum and a maximum."""
    asked = describe(relevance, questions, "ror_access_profile", {})
    assert (asked.kind, asked.choices, asked.minimum, asked.maximum) == ("int", [], 0, 5)


def test_no_question_is_left_once_nothing_can_change_the_decision(
    relevance: Relevance, questions: Questions
) -> None:
    """Every field answered: no next question."""
    answers = dict.fromkeys(questions.order)
    assert next_question(relevance, questions, answers) is None


@pytest.mark.parametrize(
    ("name", "picked", "value"),
    [
        ("processes_health_data", ["true"], True),
        ("storage_role", ["archive"], "archive"),
        ("end_users", ["patients", "health_professionals"], ["health_professionals", "patients"]),
        ("end_users", [], []),
        ("ror_access_profile", ["3"], 3),
    ],
)
def test_picks_read_as_typed_answers(
    questions: Questions, name: str, picked: list[str], value: object
) -> None:
    """Form picks are read by ask's reader: nothing ticked in a list is "none of them"."""
    assert read_answer(questions, name, picked) == value


def test_a_pick_out_of_bounds_says_why_in_the_language(questions: Questions) -> None:
    """A number out of range: the reader's message, in French."""
    with pytest.raises(AnswerError, match="n'est pas entre 0 et 5"):
        read_answer(questions, "ror_access_profile", ["9"], "fr")


def test_a_document_that_does_not_parse_is_named() -> None:
    """parse_document names the text as a file would be named."""
    with pytest.raises(InputFileError, match=r"^request body: is not valid YAML: "):
        parse_document("{id: [", "request body")
