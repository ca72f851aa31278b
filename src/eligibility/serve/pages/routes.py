"""The web questionnaire: ``/`` to start, ``/ask`` for each step, ``/profile.yaml`` to keep.

Every step is a POST of the page's form: the answers so far, the way back and the
checklist items declined travel in its hidden fields
(:class:`~eligibility.serve.pages.html.State`), the button pressed says what to do, and the
server answers with the next page. Each step is one of the
:class:`~eligibility.questionnaire.session.Session` of ``eligibility ask``, made from that
state: the same question next (one field with its ticks, or the checklist), the same
reading of the answer, the same way back. The page's own state is read by the same
readers as a profile file, so a page edited by hand gets the CLI's message, never a 500.
"""

from __future__ import annotations

from typing import Any, cast, get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from eligibility.decision.relevance import Stage
from eligibility.errors import EligibilityError, ProfileError
from eligibility.profile.files import parse_document
from eligibility.profile.model import FIELDS, parse_profile
from eligibility.questionnaire.questions import LANGS, AnswerError, Lang, Prompt, Questions
from eligibility.questionnaire.session import Session, saved_text
from eligibility.questionnaire.step import prompt_of, read_prompt, unknown
from eligibility.serve.api import answers_of, service_of
from eligibility.serve.bodies import form_of, read_body
from eligibility.serve.pages.html import (
    SEPARATOR,
    State,
    decision_page,
    error_page,
    question_page,
    review_page,
    start_page,
)
from eligibility.serve.service import Service
from eligibility.serve.words import t

router = APIRouter(include_in_schema=False)

Form = dict[str, list[str]]


def _first(form: Form, name: str, default: str = "") -> str:
    values = form.get(name)
    return values[0] if values else default


def _lang(text: str | None) -> Lang:
    return "fr" if text == "fr" else "en"


def _accepted_lang(request: Request) -> Lang:
    """French when the browser asks for French before English."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith(("fr", "en")):
            return _lang(tag[:2])
    return "en"


@router.get("/", response_class=HTMLResponse)
async def start(request: Request, lang: str | None = None) -> HTMLResponse:
    """The first page, in ``lang`` (else the browser's language)."""
    chosen = _lang(lang) if lang in LANGS else _accepted_lang(request)
    return HTMLResponse(start_page(chosen))


@router.get("/ask")
async def ask_again() -> RedirectResponse:
    """A step's address opened afresh (a bookmark, a reload): back to the first page."""
    return RedirectResponse("/", status_code=303)


def state_of(form: Form, questions: Questions) -> State:
    """The questionnaire's state from a page's hidden fields (a question of the way back
    that ``ask`` could not ask, edited by hand, is dropped).

    Raises:
        InputFileError, ProfileError: the answers are not a profile (the page was edited).
    """
    lang = _lang(_first(form, "lang"))
    data = parse_document(_first(form, "answers"), "answers", json_text=True) or {}
    profile, answers = answers_of(data, "answers")
    history = [prompt_of(questions, key) for key in _first(form, "history").split(SEPARATOR)]
    declined = {f for f in _first(form, "declined").split(SEPARATOR) if f in FIELDS}
    way_back = [p for p in history if p is not None]
    return State(lang, profile.id, profile.name, answers, way_back, declined)


async def _form(request: Request) -> Form:
    service = service_of(request)
    return form_of(await read_body(request, service.settings.profile_body_bytes))


@router.post("/ask", response_class=HTMLResponse)
async def ask(request: Request) -> HTMLResponse:
    """One step of the questionnaire: read the button pressed, answer with the next page."""
    service = service_of(request)
    form = await _form(request)
    action = _first(form, "action", "next")
    lang = _lang(_first(form, "lang"))
    if action in ("start", "resume"):
        html, status = await service.run(_begin, service, form, action, lang)
        return HTMLResponse(html, status)
    try:
        state = state_of(form, service.questions)
    except EligibilityError as exc:
        return HTMLResponse(error_page(lang, str(exc)), status_code=422)
    html, status = await service.run(_step, service, state, form, action)
    return HTMLResponse(html, status)


def _begin(service: Service, form: Form, action: str, lang: Lang) -> tuple[str, int]:
    """The first question of a new questionnaire, or of one resumed from a saved profile."""
    try:
        if action == "start":
            name = _first(form, "name").strip() or None
            profile = parse_profile({"id": _first(form, "id").strip(), "name": name}, "id")
            state = State(lang, profile.id, profile.name)
        else:
            data = parse_document(_first(form, "saved"), "saved profile")
            profile, answers = answers_of(data, "saved profile")
            state = State(lang, profile.id, profile.name, answers)
    except EligibilityError as exc:
        return start_page(lang, str(exc), _first(form, "saved")), 422
    return _next(service, state), 200


def _step(service: Service, state: State, form: Form, action: str) -> tuple[str, int]:
    """The page after ``action`` (a button of a question, review or decision page)."""
    prompt = prompt_of(service.questions, _first(form, "prompt"))
    stage = _stage(_first(form, "stage"))
    if action.startswith("lang:"):
        state.lang = _lang(action.removeprefix("lang:"))
        return (_show(service, state, prompt, stage) if prompt else _next(service, state)), 200
    if action in ("answer", "dontknow") and prompt is not None:
        try:
            values = _read(service, state, form, action, prompt)
        except AnswerError as exc:
            return _show(service, state, prompt, stage, error=str(exc)), 422
        _session(service, state).answer(prompt, values)
        return _next(service, state), 200
    if action == "back":
        previous = _session(service, state).back()
        if previous is not None:
            return _show(service, state, previous), 200
        note = t("There is no earlier question to go back to.", state.lang)
        if prompt is not None:
            return _show(service, state, prompt, stage, note=note), 200
        return _next(service, state, note=note), 200
    if action == "review":
        return review_page(state, service.questions, _decision(service, state)), 200
    if action == "change" and _first(form, "change") in FIELDS:
        # one answer changed from the review is asked alone, as `ask` asks it
        return _show(service, state, Prompt(_first(form, "change"))), 200
    return _next(service, state), 200


def _stage(text: str) -> Stage | None:
    for stage in get_args(Stage):
        if text == stage:
            return cast(Stage, stage)
    return None


def _read(
    service: Service, state: State, form: Form, action: str, prompt: Prompt
) -> dict[str, Any]:
    """The answers a question's form gives, read as ``ask`` reads them.

    Raises:
        AnswerError: they do not answer the question.
    """
    if action == "dontknow":
        return unknown(service.questions, prompt)
    picks = form.get("value", [])
    ticked, unsure = form.get("tick", []), form.get("unsure", [])
    return read_prompt(service.questions, prompt, picks, ticked, unsure, state.lang)


def _session(service: Service, state: State) -> Session:
    """The session ``ask`` would hold: the state's own answers, way back and declined
    items, which its methods change in place."""
    return Session(
        service.relevance,
        service.questions,
        state.answers,
        state.profile_id,
        state.name,
        history=state.history,
        declined=state.declined,
    )


def _profile(state: State) -> Any:
    return parse_profile(state.profile_data(), source="answers")


def _decision(service: Service, state: State) -> Any:
    return service.evaluate(_profile(state), state.lang)


def _show(
    service: Service,
    state: State,
    prompt: Prompt,
    stage: Stage | None = None,
    *,
    error: str | None = None,
    note: str | None = None,
) -> str:
    asked = service.describe(prompt, state.answers, state.lang, stage)
    decision = _decision(service, state)
    return question_page(state, asked, decision, service.questions, error=error, note=note)


def _next(service: Service, state: State, *, note: str | None = None) -> str:
    asked = service.next_question(state.answers, state.lang, state.declined)
    if asked is None:
        profile = _profile(state)
        decision = service.evaluate(profile, state.lang)
        plan = service.plan(profile, state.lang)
        translation = service.translations[state.lang]
        variants = {
            (j.id, v.id): translation.text(v.title)
            for j in service.ruleset.journeys
            for v in j.variants
        }
        return decision_page(state, service.questions, service.ruleset, decision, plan, variants)
    return question_page(state, asked, _decision(service, state), service.questions, note=note)


@router.post("/profile.yaml")
async def download(request: Request) -> Response:
    """The answers as the profile file ``eligibility ask --save`` writes."""
    service = service_of(request)
    form = await _form(request)
    try:
        state = state_of(form, service.questions)
    except (EligibilityError, ProfileError) as exc:
        lang = _lang(_first(form, "lang"))
        return HTMLResponse(error_page(lang, str(exc)), status_code=422)
    session = Session(
        service.relevance, service.questions, dict(state.answers), state.profile_id, state.name
    )
    text = saved_text(session, service.ruleset)
    return Response(
        text.encode(),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{state.profile_id}.yaml"'},
    )
