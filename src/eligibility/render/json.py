"""The decision as JSON, exactly the contract's shape (``shared/spec/decision.md``)."""

from __future__ import annotations

from eligibility.decision.model import Decision
from eligibility.render.view import View


def render_json(decision: Decision, lang: str = "en", view: View | None = None) -> str:  # noqa: ARG001
    """Indented JSON, one trailing newline; the same decision always gives the same text.

    ``lang`` and ``view`` are accepted for a uniform renderer signature: the texts inside
    the decision are translated beforehand (:func:`eligibility.i18n.translation.localize`),
    the field names never.
    """
    return decision.to_json(indent=True).decode() + "\n"
