"""The decision as JSON, exactly the contract's shape (``shared/spec/decision.md``)."""

from __future__ import annotations

from eligibility.decision import Decision


def render_json(decision: Decision) -> str:
    """Indented JSON, one trailing newline; the same decision always gives the same text."""
    return decision.to_json(indent=True).decode() + "\n"
