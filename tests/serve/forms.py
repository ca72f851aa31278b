"""A browser without script, for the web questionnaire's tests: read a page's forms and
press a button as a browser would submit it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Prompt, Questions


@dataclass
class Form:
    """One form of a page: where it goes, its fields and its buttons."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    choices: list[tuple[str, str, bool]] = field(default_factory=list)  # name, value, checked
    texts: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        """The questionnaire's state in the hidden fields (answers parsed)."""
        data = dict(self.hidden)
        return {**data, "answers": json.loads(data["answers"]) if "answers" in data else None}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        elif tag == "input" and self.forms:
            kind, name, value = a.get("type", "text"), a.get("name", ""), a.get("value", "")
            if kind == "hidden":
                self.forms[-1].hidden.append((name, value))
            elif kind in ("radio", "checkbox"):
                self.forms[-1].choices.append((name, value, "checked" in a))
            else:
                self.forms[-1].texts[name] = value
        elif tag == "textarea" and self.forms:
            self._textarea = a.get("name", "")
            self.forms[-1].texts[self._textarea] = ""
        elif tag == "button" and self.forms:
            self.forms[-1].buttons.append((a.get("name", ""), a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1].texts[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    """Every form of a page."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def press(
    client: httpx.Client,
    page: httpx.Response,
    button: tuple[str, str],
    picks: list[str] | None = None,
    texts: dict[str, str] | None = None,
    ticks: list[str] | None = None,
    unsure: list[str] | None = None,
) -> httpx.Response:
    """Submit the form holding ``button`` (name, value) as a browser does: its hidden and
    text fields, the choices given (``picks`` of the question's own field, ``ticks`` and
    the ticks ``unsure`` of), or those already checked, and the button."""
    form = next(f for f in forms_of(page.text) if button in f.buttons)
    data: dict[str, list[str]] = {}
    for name, value in [*form.hidden, *{**form.texts, **(texts or {})}.items(), button]:
        data.setdefault(name, []).append(value)
    if picks is None and ticks is None and unsure is None:
        for name, value, checked in form.choices:
            if checked:
                data.setdefault(name, []).append(value)
    else:
        for name, given in (("value", picks), ("tick", ticks), ("unsure", unsure)):
            if given:
                data[name] = given
    return client.post(form.action, data=data)


def question_of(page: httpx.Response) -> str | None:
    """The question a page asks, as its key: its field, or its fields joined by ``+``
    (after ``<checklist>:`` for a checklist); None for any other page."""
    for form in forms_of(page.text):
        for name, value in form.hidden:
            if name == "prompt":
                return value
    return None


def checked(page: httpx.Response, name: str = "value") -> list[str]:
    """The values of the choices named ``name`` checked on a question page."""
    return [v for n, v, c in forms_of(page.text)[0].choices if c and n == name]


@dataclass(frozen=True)
class Answer:
    """What a person holding some answers does on one question page: "I don't know" to the
    whole question, or these choices (a number typed for a number question)."""

    dont_know: bool = False
    picks: list[str] = field(default_factory=list)
    ticks: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    number: str | None = None


def answer_as(questions: Questions, prompt: Prompt, data: dict[str, Any]) -> Answer:
    """How a person holding the answers ``data`` (None: "don't know") answers ``prompt``
    on the page: what they would type to ``ask`` (``typed_prompt``), ticked instead."""
    if not prompt.ticks:
        assert prompt.main is not None
        value = data.get(prompt.main)
        kind = FIELDS[prompt.main].kind
        if value is None:
            return Answer(dont_know=True)
        if kind == "int":
            return Answer(number=str(value))
        return Answer(
            picks=[json.dumps(value)] if kind == "bool" else value if kind == "list" else [value]
        )
    typed = questions.typed_prompt(prompt, {f: data.get(f) for f in prompt.fields}, "en")
    if typed is None or typed == "?":
        return Answer(dont_know=True)
    values = FIELDS[prompt.main].values if prompt.main is not None else ()
    picks: list[str] = []
    ticks: list[str] = []
    unsure: list[str] = []
    if typed != questions.messages.none("en"):
        for part in typed.split(","):
            i = int(part.lstrip("?")) - 1
            if i < len(values):
                picks.append(str(values[i]))
            else:
                (unsure if part.startswith("?") else ticks).append(prompt.ticks[i - len(values)])
    return Answer(picks=picks, ticks=ticks, unsure=unsure)


def submit(client: httpx.Client, page: httpx.Response, answer: Answer) -> httpx.Response:
    """Give ``answer`` on a question page."""
    if answer.dont_know:
        return press(client, page, ("action", "dontknow"))
    if answer.number is not None:
        return press(client, page, ("action", "answer"), picks=[], texts={"value": answer.number})
    return press(
        client, page, ("action", "answer"), answer.picks, None, answer.ticks, answer.unsure
    )
