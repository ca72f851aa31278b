"""A browser without script, for the web questionnaire's tests: read a page's forms and
press a button as a browser would submit it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx


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
) -> httpx.Response:
    """Submit the form holding ``button`` (name, value) as a browser does: its hidden and
    text fields, the choices ``picks`` (or those already checked), and the button."""
    form = next(f for f in forms_of(page.text) if button in f.buttons)
    data: dict[str, list[str]] = {}
    for name, value in [*form.hidden, *{**form.texts, **(texts or {})}.items(), button]:
        data.setdefault(name, []).append(value)
    if picks is None:
        picks = [value for _, value, checked in form.choices if checked]
    if picks:
        data["value"] = picks
    return client.post(form.action, data=data)


def question_of(page: httpx.Response) -> str | None:
    """The field a question page asks (None for any other page)."""
    for form in forms_of(page.text):
        for name, value in form.hidden:
            if name == "field":
                return value
    return None
