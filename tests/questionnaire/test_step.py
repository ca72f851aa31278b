"""The questionnaire without a session: what a web page or an HTTP client is asked next."""

from __future__ import annotations

import pytest

from eligibility.decision.relevance import Relevance
from eligibility.errors import InputFileError
from eligibility.profile.files import parse_document, read_document
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import AnswerError, Prompt, Questions, load_questions
from eligibility.questionnaire.session import Conversation, open_session, why_line
from eligibility.questionnaire.step import (
    describe,
    describe_prompt,
    next_question,
    prompt_key,
    prompt_of,
    read_answer,
    read_prompt,
    session_of,
    unknown,
)
from eligibility.rules.loader import RuleSet
from tests.conftest import BEFORE_MES, FIXTURES, RULES


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


@pytest.fixture(scope="module")
def relevance(ruleset: RuleSet, questions: Questions) -> Relevance:
    """The relevance search over the shipped rules, as ``ask`` sets it up."""
    return open_session(ruleset, questions, "en")[0].relevance


MES = Prompt("mes_purposes", ("targets_mes_catalog",))


class Quiet:
    """A terminal that is never asked anything (only the wording of why is used)."""

    def ask(self, prompt: str, _default: str | None) -> str:
        raise AssertionError(prompt)

    def say(self, text: str) -> None:
        """Show nothing."""


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


def test_a_question_with_a_tick_is_its_field_alone_and_the_whole_question(
    relevance: Relevance, questions: Questions
) -> None:
    """The purposes with the catalogue listing: the purposes as a question of their own
    (only their choices, worded without the listing), and the whole question as `ask`
    asks it, the listing's choice last, labelled as `ask` numbers it."""
    asked = next_question(relevance, questions, BEFORE_MES)
    assert asked is not None and asked.prompt() == MES
    assert (asked.field, asked.kind) == ("mes_purposes", "list")
    assert [c.value for c in asked.choices] == list(FIELDS["mes_purposes"].values)
    assert {c.field for c in asked.choices} == {"mes_purposes"}
    assert asked.text == questions.prompt_question(Prompt("mes_purposes"), "en")[0]
    whole = asked.combined
    assert whole is not None
    assert (whole.fields, whole.checklist) == (list(MES.fields), None)
    assert [(c.field, c.value) for c in whole.ticks] == [("targets_mes_catalog", True)]
    labels = [c.label for c in asked.choices + whole.ticks]
    assert labels == questions.prompt_choices(MES, "en")
    assert (whole.text, whole.help) == questions.prompt_question(MES, "en")


def test_why_the_field_alone_is_asked_names_only_what_it_can_change(
    relevance: Relevance, questions: Questions
) -> None:
    """The last two items of the checklist, for the draft answers: the ISC account alone
    changes what is left for Pro Santé Connect; with the access profile, for the ROR too."""
    draft, _ = read_document(str(FIXTURES / "personas" / "draft-answers.yaml"))
    assert isinstance(draft, dict)
    items = ("has_isc_account", "ror_access_profile")
    answers = {f: v for f, v in draft.items() if f in FIELDS and f not in items}
    prompt = Prompt(None, items, "already-done")
    asked = describe_prompt(relevance, questions, prompt, answers)
    assert asked.combined is not None
    session, _ = open_session(relevance.ruleset, questions)
    session.answers.update(answers)
    conversation = Conversation(questions, Quiet(), "en")
    assert asked.why == why_line(session, conversation, Prompt("has_isc_account"))
    assert asked.combined.why == why_line(session, conversation, prompt)
    assert "ROR" not in asked.why and "ROR" in asked.combined.why


@pytest.mark.parametrize("purposes", [["care"], None], ids=["care", "dont-know"])
def test_a_tick_left_unanswered_is_asked_later_on_its_own(
    relevance: Relevance, questions: Questions, purposes: list[str] | None
) -> None:
    """A client that answered only the purposes (as one field, or "I don't know"): the
    catalogue listing, which still matters, comes next, asked alone."""
    asked = next_question(relevance, questions, {**BEFORE_MES, "mes_purposes": purposes})
    assert asked is not None
    assert (asked.field, asked.combined, asked.kind) == ("targets_mes_catalog", None, "bool")
    assert asked.text == questions.question("targets_mes_catalog").question("en")


def test_no_purpose_leaves_the_listing_unasked(relevance: Relevance, questions: Questions) -> None:
    """No purpose at all: the listing can change nothing, it is not asked."""
    answers = {**BEFORE_MES, "mes_purposes": []}
    assert not session_of(relevance, questions, answers).still_open("targets_mes_catalog")
    asked = next_question(relevance, questions, answers)
    assert asked is not None and asked.field != "targets_mes_catalog"


def test_a_question_asked_alone_has_no_combined_question(
    relevance: Relevance, questions: Questions
) -> None:
    """A field `ask` asks on its own: nothing combined."""
    asked = describe(relevance, questions, "processes_health_data", {})
    assert asked.combined is None
    assert asked.prompt() == Prompt("processes_health_data")


def test_the_checklist_is_its_first_item_alone_and_a_list_of_ticks(
    relevance: Relevance, questions: Questions
) -> None:
    """A checklist: its first item as a yes/no question of its own; the whole of it a
    list of ticks, each a field of its own, without choices of a main field."""
    prompt = Prompt(None, ("has_isc_account", "ror_access_profile"), "already-done")
    asked = describe_prompt(relevance, questions, prompt, {}, "fr")
    assert (asked.field, asked.kind) == ("has_isc_account", "bool")
    assert [(c.field, c.value) for c in asked.choices] == [
        ("has_isc_account", True),
        ("has_isc_account", False),
    ]
    assert asked.text == questions.question("has_isc_account").question("fr")
    whole = asked.combined
    assert whole is not None and whole.checklist == "already-done"
    assert [(c.field, c.value) for c in whole.ticks] == [
        ("has_isc_account", True),
        ("ror_access_profile", 0),
    ]
    assert whole.text == questions.prompt_question(prompt, "fr")[0]
    assert asked.group == "Ce que votre société a déjà"
    assert asked.prompt() == prompt


def test_a_checklist_item_for_one_value_is_asked_alone_with_every_value(
    relevance: Relevance, questions: Questions
) -> None:
    """The access profile, last item of the checklist: alone, a number from 0 to 5 (the
    checklist offers only 0)."""
    prompt = Prompt(None, ("ror_access_profile",), "already-done")
    asked = describe_prompt(relevance, questions, prompt, {})
    assert (asked.field, asked.kind, asked.minimum, asked.maximum) == (
        "ror_access_profile",
        "int",
        0,
        5,
    )
    assert asked.combined is not None
    assert [c.value for c in asked.combined.ticks] == [0]


def test_a_declined_item_is_not_offered_again(relevance: Relevance, questions: Questions) -> None:
    """An item the session declined (left unticked, recording nothing) is a known unknown:
    the stateless question leaves it out as `ask` does."""
    answers = dict.fromkeys(f for f in questions.order if f != "ror_access_profile")
    answers.update(processes_health_data=True, ror_roles=["consumer"])
    offered = next_question(relevance, questions, answers)
    assert offered is not None and offered.prompt().fields == ("ror_access_profile",)
    assert next_question(relevance, questions, answers, declined={"ror_access_profile"}) is None


def test_a_grouped_question_asked_again_carries_each_answer(
    relevance: Relevance, questions: Questions
) -> None:
    """Asked again: the answers given to each of its fields, "don't know" included."""
    answers = {**BEFORE_MES, "mes_purposes": ["care"], "targets_mes_catalog": None}
    asked = describe_prompt(relevance, questions, MES, answers)
    assert asked.combined is not None
    assert asked.combined.answers == {"mes_purposes": ["care"], "targets_mes_catalog": None}
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
