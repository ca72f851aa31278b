"""The decision as JSON, exactly the contract's shape (``shared/spec/decision.md``)."""

from __future__ import annotations

from eligibility.decision.model import Decision


def render_json(decision: Decision, lang: str = "en") -> str:  # noqa: ARG001
    """Indented JSON, one trailing newline; the same decision always gives the same text.

    ``lang`` is accepted for a uniform renderer signature: the texts inside the decision
    are translated beforehand (:func:`eligibility.i18n.translation.localize`), the field
    names never.
    """
    return decision.to_json(indent=True).decode() + "\n"
