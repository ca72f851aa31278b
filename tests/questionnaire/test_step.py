"""The questionnaire without a session: what a web page or an HTTP client is asked next."""

from __future__ import annotations

import pytest

from eligibility.decision.relevance import Relevance
from eligibility.errors import InputFileError
from eligibility.profile.files import parse_document
from eligibility.questionnaire.questions import AnswerError, Prompt, Questions, load_questions
from eligibility.questionnaire.session import open_session
from eligibility.questionnaire.step import (
    describe,
    describe_prompt,
    next_question,
    prompt_key,
    prompt_of,
    read_answer,
    read_prompt,
    unknown,
)
from eligibility.rules.loader import RuleSet
from tests.conftest import BEFORE_MES, RULES


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


@pytest.fixture(scope="module")
def relevance(ruleset: RuleSet, questions: Questions) -> Relevance:
    """The relevance search over the shipped rules, as ``ask`` sets it up."""
    return open_session(ruleset, questions, "en")[0].relevance


MES = Prompt("mes_purposes", ("targets_mes_catalog",))


def test_the_next_question_is_the_sessions(relevance: Relevance, questions: Questions) -> None:
    """The same question as `ask` asks next with the same answers, in the same stage."""
    answers = {"processes_health_data": True, "is_identity_repository": None}
    asked = next_question(relevance, questions, answers, "en")
    assert asked is not None
    session, _ = open_session(relevance.ruleset, questions)
    session.answers.update(answers)
    nxt = session.next_prompt()
    assert nxt is not None and (asked.prompt(), asked.stage) == nxt
    assert not asked.answered


def test_a_question_with_a_tick_offers_the_ticks_choices_after_its_own(
    relevance: Relevance, questions: Questions
) -> None:
    """The purposes with the catalogue listing: both fields, the listing's choice last,
    labelled as `ask` numbers it."""
    asked = next_question(relevance, questions, BEFORE_MES)
    assert asked is not None and asked.prompt() == MES
    assert (asked.field, asked.fields, asked.kind) == ("mes_purposes", list(MES.fields), "list")
    assert [c.label for c in asked.choices] == questions.prompt_choices(MES, "en")
    assert (asked.choices[-1].field, asked.choices[-1].value) == ("targets_mes_catalog", True)
    assert asked.text == questions.prompt_question(MES, "en")[0]


def test_the_checklist_is_ticks_only(relevance: Relevance, questions: Questions) -> None:
    """A checklist: a several-answers question whose every choice is a field of its own;
    its first item is its field."""
    prompt = Prompt(None, ("has_isc_account", "ror_access_profile"), "already-done")
    asked = describe_prompt(relevance, questions, prompt, {}, "fr")
    assert (asked.kind, asked.checklist, asked.field) == ("list", "already-done", "has_isc_account")
    assert [(c.field, c.value) for c in asked.choices] == [
        ("has_isc_account", True),
        ("ror_access_profile", 0),
    ]
    assert asked.group == "Ce que votre société a déjà"
    assert asked.prompt() == prompt


def test_a_declined_item_is_not_offered_again(relevance: Relevance, questions: Questions) -> None:
    """An item the session declined (left unticked, recording nothing) is a known unknown:
    the stateless question leaves it out as `ask` does."""
    answers = dict.fromkeys(f for f in questions.order if f != "ror_access_profile")
    answers.update(processes_health_data=True, ror_roles=["consumer"])
    offered = next_question(relevance, questions, answers)
    assert offered is not None and offered.fields == ["ror_access_profile"]
    assert next_question(relevance, questions, answers, declined={"ror_access_profile"}) is None


def test_a_grouped_question_asked_again_carries_each_answer(
    relevance: Relevance, questions: Questions
) -> None:
    """Asked again: the answers given to each of its fields, "don't know" included."""
    answers = {**BEFORE_MES, "mes_purposes": ["care"], "targets_mes_catalog": None}
    asked = describe_prompt(relevance, questions, MES, answers)
    assert asked.answers == {"mes_purposes": ["care"], "targets_mes_catalog": None}
    assert (asked.answered, asked.answer, asked.stage) == (True, ["care"], None)


@pytest.mark.parametrize(
    ("picked", "ticked", "unsure", "typed"),
    [
        (["care"], ["targets_mes_catalog"], [], "3,6"),
        (["care", "prevention"], [], [], "1,3"),
        ([], [], ["targets_mes_catalog"], "?6"),
        (["care"], ["targets_mes_catalog"], ["targets_mes_catalog"], "3,?6"),
        ([], [], [], "none"),
    ],
)
def test_form_picks_of_a_grouped_question_read_as_typed_answers(
    questions: Questions, picked: list[str], ticked: list[str], unsure: list[str], typed: str
) -> None:
    """Picks, ticks and per-tick "don't know" read as `ask` reads the same answer typed."""
    expected = questions.parse_prompt(MES, typed, "en")
    assert read_prompt(questions, MES, picked, ticked, unsure) == expected


def test_a_pick_a_grouped_question_does_not_offer_is_refused(questions: Questions) -> None:
    """A value the question has not: the reader's message."""
    with pytest.raises(AnswerError, match="bogus"):
        read_prompt(questions, MES, ["bogus"])


def test_dont_know_to_the_whole_question_is_asks_question_mark(questions: Questions) -> None:
    """The main field unknown (its tick asked alone if needed); every item of a checklist."""
    assert unknown(questions, MES) == {"mes_purposes": None}
    items = Prompt(None, ("has_isc_account", "has_cnda_contract"), "already-done")
    assert unknown(questions, items) == {"has_isc_account": None, "has_cnda_contract": None}


@pytest.mark.parametrize(
    "prompt",
    [
        MES,
        Prompt("processes_health_data"),
        Prompt(None, ("has_isc_account", "ror_access_profile"), "already-done"),
    ],
    ids=["ticks", "one-field", "checklist"],
)
def test_a_question_key_names_the_question(questions: Questions, prompt: Prompt) -> None:
    """The key a page keeps reads back as the same question."""
    assert prompt_of(questions, prompt_key(prompt)) == prompt


@pytest.mark.parametrize(
    "key",
    [
        "",
        "colour",
        "mes_purposes+has_isc_account",
        "already-done:mes_purposes",
        "product:categories",
        "nowhere:has_isc_account",
        "storage_role+storage_role",
    ],
)
def test_a_key_no_ask_could_ask_names_no_question(questions: Questions, key: str) -> None:
    """A key edited by hand: a field that is not a tick of its main field, an item of no
    checklist, a group that is no checklist."""
    assert prompt_of(questions, key) is None


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
