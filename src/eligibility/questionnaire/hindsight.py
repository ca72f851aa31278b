"""What hindsight shows about a finished questionnaire: wasted questions, the fewest answers.

Once every answer is in, a question was *wasted* when removing its answers (every field
it settled) from the final answers changes no outcome of the decision (a journey's
status, variant and INSi operations, a prerequisite, a step's status or advice: what
:func:`eligibility.decision.relevance.outcome_values` compares). Each question was relevant when it
was asked; a wasted one is a question a better order would not have needed.

The *fewest* answers are the smallest set of the asked questions whose answers alone give
the same outcomes. Answers only ever settle outcomes (the decider treats unknown answers
soundly), so a set of answers that fixes the decision still fixes it with more answers
added; hence every question that is not wasted belongs to every such set, and the search
runs over the subsets of the wasted questions only, smallest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.relevance import outcome_values
from eligibility.profile.model import parse_profile

Outcomes = Callable[[Mapping[str, Any]], dict[str, tuple[Any, ...]]]


#: One question, as the fields its answer settled.
Question = tuple[str, ...]


@dataclass(frozen=True)
class Hindsight:
    """The questions of one run, the wasted ones, and how few would have fixed the decision."""

    asked: tuple[Question, ...]
    wasted: tuple[Question, ...]
    fewest: int

    @property
    def ratio(self) -> float:
        """Questions asked per question needed (1.0: nothing could have been spared)."""
        if not self.asked:
            return 1.0
        return len(self.asked) / self.fewest if self.fewest else float("inf")


def outcomes_with(evaluator: Evaluator) -> Outcomes:
    """The outcomes a set of answers gives, decided by ``evaluator``."""

    def outcomes(answers: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
        profile = parse_profile({"id": "hindsight", **answers}, source="<answers>")
        return outcome_values(evaluator.evaluate(profile, with_trace=False))

    return outcomes


def hindsight(
    outcomes: Outcomes, answers: Mapping[str, Any], asked: Sequence[Question]
) -> Hindsight:
    """Judge a finished run: ``answers`` are its final answers, ``asked`` its questions
    (each as the fields its answer settled: ``Session.questions_asked()``)."""
    final = outcomes(answers)
    every = {f for q in asked for f in q}

    def fixes(kept: Sequence[Question]) -> bool:
        dropped = every - {f for q in kept for f in q}
        return outcomes({k: v for k, v in answers.items() if k not in dropped}) == final

    wasted = [q for i, q in enumerate(asked) if fixes([*asked[:i], *asked[i + 1 :]])]
    needed = [q for q in asked if q not in wasted]
    fewest = len(asked)
    for size in range(len(wasted) + 1):
        if any(fixes(needed + list(extra)) for extra in combinations(wasted, size)):
            fewest = len(needed) + size
            break
    return Hindsight(tuple(asked), tuple(wasted), fewest)
