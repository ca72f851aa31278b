"""One renderer per output format, over the one result model (:class:`Decision`)."""

from __future__ import annotations

from collections.abc import Callable

from eligibility.decision import Decision
from eligibility.render.json import render_json
from eligibility.render.markdown import render_markdown
from eligibility.render.text import render_text

RENDERERS: dict[str, Callable[[Decision], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}


def render(decision: Decision, fmt: str) -> str:
    """Render a decision in a named format (``text``, ``json``, ``markdown``)."""
    return RENDERERS[fmt](decision)


__all__ = ["RENDERERS", "render", "render_json", "render_markdown", "render_text"]
