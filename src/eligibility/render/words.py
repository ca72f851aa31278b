"""Shared wording for the human-readable renderers."""

from __future__ import annotations

from eligibility.decision import Decision, JourneyOut, Reason

STATUS_WORDS = {
    "applies": "applies",
    "not_applicable": "not applicable",
    "undetermined": "undetermined",
    "required": "to do",
    "optional": "optional",
    "done": "done",
}


def status_word(status: str) -> str:
    """A status as a reader says it."""
    return STATUS_WORDS.get(status, status)


def reason_line(reason: Reason) -> str:
    """``text [rule; confidence]``, saying when the rule could not be evaluated."""
    prefix = "if it holds: " if reason.holds is None else ""
    return f"{prefix}{reason.text} [{reason.rule}; {reason.confidence}]"


def journey_headline(j: JourneyOut) -> str:
    """``title: status, variant X (operations: …)``."""
    line = f"{j.title}: {status_word(j.status)}"
    if j.variant:
        line += f", variant {j.variant}"
    if j.operations:
        line += f" (INSi operations: {', '.join(j.operations)})"
    return line


def summary(decision: Decision) -> str:
    """One line: what applies, and how many steps are left."""
    applies = [j.id for j in decision.journeys if j.status == "applies"]
    unsure = [j.id for j in decision.journeys if j.status == "undetermined"]
    todo = sum(1 for j in decision.journeys for s in j.steps if s.status == "required")
    optional = sum(1 for j in decision.journeys for s in j.steps if s.status == "optional")
    parts = [f"applies: {', '.join(applies) or 'none'}"]
    if unsure:
        parts.append(f"undetermined: {', '.join(unsure)}")
    parts.append(f"{todo} steps to do, {optional} optional")
    return "; ".join(parts)
