"""The web questionnaire, pressed through as a browser without script would: the same
questions as ``ask``, back, review and change, "don't know", the decision and the plan,
and the profile file to keep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Prompt, load_questions
from eligibility.questionnaire.session import open_session, saved_text
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, RULES
from tests.serve.forms import forms_of, press, question_of

EHR = FIXTURES / "profiles" / "hospital-ehr.yaml"
NEXT = ("action", "answer")
DONT_KNOW = ("action", "dontknow")


def start(client: httpx.Client, lang: str = "en", product: str = "ehr") -> httpx.Response:
    """The first question, after the start page."""
    first = client.get(f"/?lang={lang}")
    return press(client, first, ("action", "start"), texts={"id": product})


def answer(client: httpx.Client, page: httpx.Response, value: Any) -> httpx.Response:
    """Answer the question on ``page`` with a profile value (None: "don't know")."""
    name = question_of(page)
    assert name is not None
    if value is None:
        return press(client, page, DONT_KNOW)
    kind = FIELDS[name].kind
    if kind == "int":
        return press(client, page, NEXT, picks=[], texts={"value": str(value)})
    picks = [json.dumps(value)] if kind == "bool" else value if kind == "list" else [value]
    return press(client, page, NEXT, picks=picks)


def some_answer(name: str) -> Any:
    """A valid answer to a field: yes, or its first value (alone, for a list)."""
    spec = FIELDS[name]
    if spec.kind == "bool":
        return True
    return [spec.values[0]] if spec.kind == "list" else spec.values[0]


def play(
    client: httpx.Client, target: dict[str, Any], lang: str = "en"
) -> tuple[list[str], httpx.Response]:
    """Answer every question from ``target``; return the fields asked and the last page."""
    page = start(client, lang)
    asked: list[str] = []
    while (name := question_of(page)) is not None:
        assert page.status_code == 200, page.text
        asked.append(name)
        assert len(asked) <= len(FIELDS), "the questionnaire never ended"
        page = answer(client, page, target.get(name))
    return asked, page


def test_the_start_page_speaks_the_browser_language(client: httpx.Client) -> None:
    """French for a browser that asks for French first, with French typography."""
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    assert "s\u2019appliquent à votre produit\u00a0?" in page.text


def test_the_web_asks_what_ask_asks_and_ends_on_the_decision(
    client: httpx.Client, ruleset: RuleSet, tmp_path: Path
) -> None:
    """Played with a fixture's answers: the questions of the questionnaire library, in its
    order; then the decision, the plan, and a profile file that `evaluate` and
    `ask --from` take."""
    target = yaml.safe_load(EHR.read_text())
    asked, page = play(client, target)
    session, _ = open_session(ruleset, load_questions(RULES), "en", profile_id="ehr")
    expected: list[str] = []
    while (choice := session.relevance.choose(session.answers)) is not None:
        name = choice.field
        expected.append(name)
        session.answer(Prompt(name), {name: target.get(name)})
    assert asked == expected
    assert 'id="plan"' in page.text
    assert 'id="summary"' in page.text
    download = press(client, page, ("", ""))  # the download form's button has no name
    assert download.headers["content-disposition"] == 'attachment; filename="ehr.yaml"'
    assert download.text == saved_text(session, ruleset)
    saved = tmp_path / "ehr.yaml"
    saved.write_bytes(download.content)
    resumed = CliRunner().invoke(cli, ["ask", "--from", str(saved), "--format", "json"], input="")
    assert resumed.exit_code == 0, resumed.stderr
    evaluated = CliRunner().invoke(cli, ["evaluate", str(saved), "--format", "json"])
    assert json.loads(resumed.stdout)["journeys"] == json.loads(evaluated.stdout)["journeys"]


def test_the_decision_says_when_an_answer_is_probably_wrong(client: httpx.Client) -> None:
    """A journey that applies but needs one that does not: the page asks to check."""
    target = yaml.safe_load(
        (FIXTURES / "profiles" / "mes-exchange-without-hosting.yaml").read_text()
    )
    _, page = play(client, target)
    assert "Check your answers: " in page.text
    assert page.text.count('role="note"') == 1
    changed = press(client, page, ("change", "hosts_health_data_for_third_parties"))
    assert question_of(changed) == "hosts_health_data_for_third_parties"


@pytest.mark.parametrize(("lang", "why"), [("en", "Why: "), ("fr", "Pourquoi\u00a0: ")])
def test_a_question_says_once_why_it_is_asked(client: httpx.Client, lang: str, why: str) -> None:
    """The line `ask` shows under the question, once, in the page's language."""
    page = start(client, lang)
    assert page.text.count('class="why"') == 1
    assert f'<p class="why">{why}' in page.text
    assert page.text.count(why) == 1


def test_dont_know_is_kept_as_unknown(client: httpx.Client) -> None:
    """ "I don't know" answers null, and the next question comes."""
    first = start(client)
    name = question_of(first)
    page = press(client, first, DONT_KNOW)
    state = forms_of(page.text)[0].state()
    assert name is not None and state["answers"][name] is None
    assert question_of(page) not in (None, name)


def test_back_asks_the_previous_question_with_its_answer(client: httpx.Client) -> None:
    """Back: the question before, its answer ticked; nothing else is lost."""
    first = start(client)
    name = question_of(first)
    assert name is not None
    given = some_answer(name)
    second = answer(client, first, given)
    assert "1 answer so far" in second.text
    again = press(client, second, ("action", "back"))
    assert question_of(again) == name
    checked = [v for _, v, c in forms_of(again.text)[0].choices if c]
    assert checked == (["true"] if given is True else given if isinstance(given, list) else [given])


def test_review_lists_the_answers_and_change_asks_one_again(client: httpx.Client) -> None:
    """Review: each answer in words, with a button that asks its question again."""
    first = start(client)
    name = question_of(first)
    assert name is not None
    page = answer(client, first, some_answer(name))
    second = question_of(page)
    assert second is not None
    page = answer(client, page, None)
    review = press(client, page, ("action", "review"))
    assert "Your answers" in review.text
    assert "don&#x27;t know" in review.text or "don't know" in review.text
    changed = press(client, review, ("change", second))
    assert question_of(changed) == second


def test_an_answer_missing_is_asked_again_with_why(client: httpx.Client) -> None:
    """Next without an answer (nothing ticked; a several-answers question, where nothing
    ticked means "none", gets a value it does not offer): 422, the same question, and why."""
    first = start(client)
    name = question_of(first)
    assert name is not None
    # nothing ticked answers "none" to a several-answers question; a value it lacks fails
    picks = ["no-such-value"] if FIELDS[name].kind == "list" else []
    page = press(client, first, NEXT, picks=picks)
    assert page.status_code == 422
    assert question_of(page) == name
    assert "Not understood" in page.text


def test_the_language_can_change_on_a_question(client: httpx.Client) -> None:
    """The other language's button: the same question, in that language."""
    first = start(client)
    page = press(client, first, ("action", "lang:fr"))
    assert question_of(page) == question_of(first)
    assert '<html lang="fr">' in page.text


@pytest.mark.parametrize(
    ("answers", "message"),
    [("{not json", "answers: is not valid JSON"), ('{"colour": 1}', "colour")],
    ids=["malformed", "unknown-field"],
)
def test_a_page_edited_by_hand_gets_the_message_not_a_500(
    client: httpx.Client, answers: str, message: str
) -> None:
    """The hidden answers edited by hand: 422 and the profile reader's message."""
    page = client.post("/ask", data={"lang": "en", "answers": answers, "action": "next"})
    assert page.status_code == 422
    assert message in page.text


def test_a_saved_profile_resumes_where_it_stopped(client: httpx.Client, ruleset: RuleSet) -> None:
    """Pasting a saved profile asks only what is still needed, as `ask --from`."""
    saved = "id: resumed\nprocesses_health_data: true\nis_identity_repository: false\n"
    page = press(client, client.get("/"), ("action", "resume"), texts={"saved": saved})
    relevance = open_session(ruleset, load_questions(RULES), "en")[0].relevance
    given = {"processes_health_data": True, "is_identity_repository": False}
    choice = relevance.choose(given)
    assert choice is not None and question_of(page) == choice.field
    assert forms_of(page.text)[0].state()["answers"]["id"] == "resumed"


def test_a_step_opened_afresh_goes_back_to_the_start(client: httpx.Client) -> None:
    """GET /ask (a bookmark, a reload): the start page, the server keeping no session."""
    page = client.get("/ask", follow_redirects=True)
    assert page.url.path == "/"
    assert forms_of(page.text)[0].action == "/ask"


def test_a_bad_product_id_is_said_on_the_start_page(client: httpx.Client) -> None:
    """An id the contract refuses: the start page again, with the message."""
    page = press(client, client.get("/"), ("action", "start"), texts={"id": "no spaces"})
    assert page.status_code == 422
    assert "id: String should match pattern" in page.text


def test_the_french_decision_names_variants_and_sources_in_french(client: httpx.Client) -> None:
    """A variant by its French title, confidence tags and guided-tour sources in French: no
    variant id nor English tag on the page."""
    target = yaml.safe_load(EHR.read_text())
    _, page = play(client, target, "fr")
    assert "(Pas un référentiel d\u2019identités)" in page.text
    assert "non_repository" not in page.text
    assert "; official)" not in page.text and "; officielle)" in page.text
    assert "seed:" not in page.text
