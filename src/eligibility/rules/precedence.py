"""Precedence by confidence: which statements a rule of lower confidence overrides.

A confidence tag ranks a statement: ``official`` and ``seed`` rest on an authority's own
text, ``third-party`` and ``inference`` do not (:attr:`Confidence.rests_on_authority`).
A rule of the second kind may not decide against one of the first (another rule, or the
catalogue's status of a step) unless it declares why in its ``precedence`` field:
``rules check`` enforces it (:mod:`eligibility.tooling.analysis`), and the decision shows the
declaration with the reason of every outcome the rule decides that way
(:mod:`eligibility.decision.policy`).
"""

from __future__ import annotations

from eligibility.rules.model import Confidence, Rule, Step


def step_default(step: Step) -> str:
    """The status the catalogue gives a step when no rule decides it."""
    return "optional" if step.optional else "required"


def step_authority(step: Step) -> Confidence | None:
    """The tag of the first of a step's sources that rests on an authority, if any."""
    return next((s.confidence for s in step.sources if s.confidence.rests_on_authority), None)


def catalogue_overrides(rule: Rule, steps: dict[str, Step]) -> list[Step]:
    """The steps whose catalogue status ``rule`` overrides against higher confidence.

    Those it concludes, when the rule does not rest on an authority, sets them to something
    else than the catalogue does, and they rest on one. ``done`` is left aside: it records
    the publisher's own progress, not a claim about the journey.
    """
    t = rule.then
    if rule.confidence.rests_on_authority or t.status in (None, "done"):
        return []
    return [
        steps[s]
        for s in t.steps
        if t.status != step_default(steps[s]) and step_authority(steps[s]) is not None
    ]
