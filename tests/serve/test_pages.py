"""The web questionnaire, pressed through as a browser without script would: the same
questions as ``ask`` (grouped as it groups them), back, review and change, "don't know",
the decision and the plan, and the profile file to keep."""

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
from eligibility.questionnaire.questions import Questions, load_questions
from eligibility.questionnaire.session import Session, open_session, replay, saved_text
from eligibility.questionnaire.step import prompt_key, prompt_of
from eligibility.rules.loader import RuleSet
from tests.conftest import BEFORE_MES, FIXTURES, RULES
from tests.serve.forms import answer_as, checked, forms_of, press, question_of, submit

EHR = FIXTURES / "profiles" / "hospital-ehr.yaml"
PERSONAS = sorted((FIXTURES / "personas").glob("*.yaml"))
NEXT = ("action", "answer")
DONT_KNOW = ("action", "dontknow")
BACK = ("action", "back")
MES = "mes_purposes+targets_mes_catalog"


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


def start(client: httpx.Client, lang: str = "en", product: str = "ehr") -> httpx.Response:
    """The first question, after the start page."""
    first = client.get(f"/?lang={lang}")
    return press(client, first, ("action", "start"), texts={"id": product})


def resume(client: httpx.Client, answers: dict[str, Any], lang: str = "en") -> httpx.Response:
    """The next question after ``answers``, pasted as a saved profile."""
    saved = yaml.safe_dump({"id": "resumed", **answers})
    first = client.get(f"/?lang={lang}")
    return press(client, first, ("action", "resume"), texts={"saved": saved})


def answer(client: httpx.Client, page: httpx.Response, value: Any) -> httpx.Response:
    """Answer the one-field question on ``page`` with a profile value (None: "don't know")."""
    name = question_of(page)
    assert name is not None and name in FIELDS
    return submit(
        client, page, answer_as(load_questions(RULES), prompt_of_page(page), {name: value})
    )


def prompt_of_page(page: httpx.Response) -> Any:
    """The question a page asks, as ``ask`` holds it."""
    key = question_of(page)
    assert key is not None
    prompt = prompt_of(load_questions(RULES), key)
    assert prompt is not None, key
    return prompt


def some_answer(name: str) -> Any:
    """A valid answer to a field: yes, or its first value (alone, for a list)."""
    spec = FIELDS[name]
    if spec.kind == "bool":
        return True
    return [spec.values[0]] if spec.kind == "list" else spec.values[0]


def play(
    client: httpx.Client, target: dict[str, Any], lang: str = "en", product: str = "ehr"
) -> tuple[list[str], httpx.Response]:
    """Answer every question as a person holding the answers ``target`` would (what they
    would type to ``ask``, ticked); return the questions asked (their keys) and the last
    page."""
    questions = load_questions(RULES)
    page = start(client, lang, product)
    asked: list[str] = []
    while (key := question_of(page)) is not None:
        assert page.status_code == 200, page.text
        asked.append(key)
        assert len(asked) <= len(FIELDS), "the questionnaire never ended"
        prompt = prompt_of(questions, key)
        assert prompt is not None, key
        page = submit(client, page, answer_as(questions, prompt, target))
    return asked, page


def played_by_ask(ruleset: RuleSet, questions: Questions, target: dict[str, Any]) -> Session:
    """``eligibility ask`` answered from ``target`` as its user would type the answers."""
    session, _ = open_session(ruleset, questions, "en", profile_id="ehr")
    replay(session, target)
    return session


def test_the_start_page_speaks_the_browser_language(client: httpx.Client) -> None:
    """French for a browser that asks for French first, with French typography."""
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    assert "s\u2019appliquent à votre produit\u00a0?" in page.text


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_the_web_asks_the_questions_ask_asks_grouped_as_ask_groups_them(
    client: httpx.Client, ruleset: RuleSet, questions: Questions, path: Path
) -> None:
    """Each persona answered on the pages and to `ask`: as many questions, each with the
    same fields, in the same order; and the same answers at the end."""
    target = yaml.safe_load(path.read_text())
    asked, page = play(client, target)
    session = played_by_ask(ruleset, questions, target)
    assert asked == [prompt_key(p) for p in session.asked]
    assert len(asked) == len(session.asked)
    keep = next(f for f in forms_of(page.text) if f.action == "/profile.yaml")
    assert keep.state()["answers"] == session.profile_data()


def test_the_web_ends_on_the_decision_and_the_file_ask_saves(
    client: httpx.Client, ruleset: RuleSet, questions: Questions, tmp_path: Path
) -> None:
    """Played with a fixture's answers: the decision, the plan, and the very file `ask
    --save` writes for the same answers, which `evaluate` and `ask --from` take."""
    target = yaml.safe_load(EHR.read_text())
    _, page = play(client, target)
    session = played_by_ask(ruleset, questions, target)
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
    expected = ["true"] if given is True else given if isinstance(given, list) else [given]
    assert checked(again) == expected


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


# -- questions that settle several fields, as `ask` asks them --------------------------------


def answers_on(page: httpx.Response) -> dict[str, Any]:
    """The answers a page carries in its hidden fields."""
    answers: dict[str, Any] = forms_of(page.text)[0].state()["answers"]
    return answers


def hidden(page: httpx.Response, name: str) -> str:
    """A hidden field of a page's first form."""
    return dict(forms_of(page.text)[0].hidden)[name]


def test_a_grouped_question_offers_both_answers_and_dont_know_for_the_tick(
    client: httpx.Client,
) -> None:
    """The purposes and the catalogue listing, one question as in `ask`: the purposes to
    tick, the listing as one more choice with its own "I don't know"; both answers go."""
    page = resume(client, BEFORE_MES)
    assert question_of(page) == MES
    choices = forms_of(page.text)[0].choices
    purposes = [v for n, v, _ in choices if n == "value"]
    assert purposes == list(FIELDS["mes_purposes"].values)
    assert ("tick", "targets_mes_catalog", False) in choices
    assert ("unsure", "targets_mes_catalog", False) in choices
    assert "You want it listed in the Mon espace santé catalogue" in page.text
    answered = press(client, page, NEXT, picks=["care"], ticks=["targets_mes_catalog"])
    assert answered.status_code == 200
    got = answers_on(answered)
    assert (got["mes_purposes"], got["targets_mes_catalog"]) == (["care"], True)
    assert question_of(answered) != MES
    assert hidden(answered, "history").endswith(MES)


def test_dont_know_to_the_tick_alone_keeps_the_other_answer(client: httpx.Client) -> None:
    """The tick's "I don't know" answers it null, even ticked too (as `?6` typed to `ask`),
    and the purposes ticked are kept."""
    page = resume(client, BEFORE_MES)
    tick = ["targets_mes_catalog"]
    answered = press(client, page, NEXT, picks=["care", "wellbeing"], ticks=tick, unsure=tick)
    got = answers_on(answered)
    assert got["mes_purposes"] == ["care", "wellbeing"]
    assert got["targets_mes_catalog"] is None


def test_dont_know_to_a_grouped_question_leaves_the_tick_to_ask_alone(
    client: httpx.Client,
) -> None:
    """ "I don't know" to the whole question answers its main field, as `?` does; the
    listing, which still matters, is then asked on its own."""
    page = press(client, resume(client, BEFORE_MES), DONT_KNOW)
    got = answers_on(page)
    assert got["mes_purposes"] is None and "targets_mes_catalog" not in got
    assert question_of(page) == "targets_mes_catalog"


def test_back_over_a_grouped_question_shows_both_answers_and_takes_new_ones(
    client: httpx.Client,
) -> None:
    """Back: the grouped question again, the purposes and the listing ticked as answered;
    answered again, both answers change."""
    page = resume(client, BEFORE_MES)
    page = press(client, page, NEXT, picks=["care"], ticks=["targets_mes_catalog"])
    again = press(client, page, BACK)
    assert question_of(again) == MES
    assert checked(again) == ["care"]
    assert checked(again, "tick") == ["targets_mes_catalog"]
    assert checked(again, "unsure") == []
    changed = press(client, again, NEXT, picks=["wellbeing"])
    got = answers_on(changed)
    assert (got["mes_purposes"], got["targets_mes_catalog"]) == (["wellbeing"], False)


def test_review_lists_each_answer_of_a_grouped_question_and_changes_one_alone(
    client: httpx.Client, questions: Questions
) -> None:
    """Review: the purposes and the listing each with its answer; Change on the listing
    asks its own question, as `ask`'s review does."""
    page = resume(client, BEFORE_MES)
    page = press(client, page, NEXT, picks=["care"], ticks=["targets_mes_catalog"])
    review = press(client, page, ("action", "review"))
    for name in ("mes_purposes", "targets_mes_catalog"):
        assert questions.question(name).question("en") in review.text
    changed = press(client, review, ("change", "targets_mes_catalog"))
    assert question_of(changed) == "targets_mes_catalog"
    assert checked(changed) == ["true"]
    unlisted = press(client, changed, NEXT, picks=["false"])
    assert answers_on(unlisted)["targets_mes_catalog"] is False
    assert answers_on(unlisted)["mes_purposes"] == ["care"]


def test_the_checklist_is_one_question_and_an_item_left_unticked_is_not_asked_again(
    client: httpx.Client, questions: Questions
) -> None:
    """What the company has, one list, last: the yes/no items left unticked are no; the
    public-data access profile left unticked records nothing and is not asked again."""
    persona = yaml.safe_load((FIXTURES / "personas" / "hospital-gam-ror.yaml").read_text())
    known = {k: v for k, v in persona.items() if k not in questions.last and k not in ("id",)}
    page = resume(client, known)
    key = question_of(page)
    assert key is not None and key.startswith("already-done:")
    assert "ror_access_profile" in key
    assert "What your company already has" in page.text
    done = press(client, page, NEXT, ticks=["has_cpa_cards"])
    assert question_of(done) is None and 'id="plan"' in done.text
    got = answers_on(done)
    assert got["has_cpa_cards"] is True and got["has_ans_membership_contract"] is False
    assert "ror_access_profile" not in got
    assert hidden(done, "declined") == "ror_access_profile"
    assert hidden(done, "history").split(",")[-1] == key
    again = press(client, done, BACK)
    assert question_of(again) == key
    assert checked(again, "tick") == ["has_cpa_cards"]


def test_a_grouped_question_in_french(client: httpx.Client) -> None:
    """Switched to French: the same question, its labels, its stage and "don't know"
    beside the tick in French."""
    english = resume(client, BEFORE_MES)
    assert "What the product does · Mon espace santé catalogue" in english.text
    page = press(client, english, ("action", "lang:fr"))
    assert question_of(page) == MES
    assert "Vous souhaitez qu\u2019il figure au catalogue de Mon espace santé" in page.text
    assert "Ce que fait le produit · Catalogue Mon espace santé" in page.text
    assert 'aria-label="Je ne sais pas\u00a0: Vous souhaitez' in page.text
    answered = press(client, page, NEXT, picks=["prevention"], unsure=["targets_mes_catalog"])
    assert '<html lang="fr">' in answered.text
    assert answers_on(answered)["targets_mes_catalog"] is None


def test_a_question_key_edited_by_hand_is_not_answered(client: httpx.Client) -> None:
    """A question no `ask` could ask (a field offered as a tick of another it is no tick
    of): nothing is recorded, the next question comes."""
    page = resume(client, BEFORE_MES)
    form = forms_of(page.text)[0]
    data = {**dict(form.hidden), "prompt": "mes_purposes+has_isc_account", "action": "answer"}
    sent = client.post("/ask", data={**data, "tick": "has_isc_account"})
    assert sent.status_code == 200
    assert "has_isc_account" not in answers_on(sent)
    assert question_of(sent) == MES
