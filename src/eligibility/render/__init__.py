"""Renderers, one per output format: decisions, plans, portfolios, audit reports, fields."""

from __future__ import annotations

from typing import Protocol

from eligibility.decision.model import Decision
from eligibility.render.brief import names_settling_questions
from eligibility.render.json import render_json
from eligibility.render.markdown import render_markdown
from eligibility.render.text import render_text
from eligibility.render.view import View


class DecisionRenderer(Protocol):
    """Renders a decision; ``lang`` is the language of the renderer's own words, ``view``
    the layout of the views for people (the data formats ignore it)."""

    def __call__(self, decision: Decision, lang: str = "en", view: View | None = None) -> str: ...


RENDERERS: dict[str, DecisionRenderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}


def render(decision: Decision, fmt: str, lang: str = "en", view: View | None = None) -> str:
    """Render a decision in a named format (``text``, ``json``, ``markdown``)."""
    return RENDERERS[fmt](decision, lang, view)


def shows_settling_questions(
    decision: Decision, fmt: str, lang: str = "en", view: View | None = None
) -> bool:
    """Whether :func:`render` with these arguments names, in the publisher's words, the
    questions that would settle what is undetermined (the brief text does; the details,
    JSON and Markdown give field ids)."""
    view = view or View()
    if fmt != "text" or view.details:
        return False
    return names_settling_questions(decision, view.wording_in(lang))


__all__ = [
    "RENDERERS",
    "DecisionRenderer",
    "View",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "shows_settling_questions",
]
