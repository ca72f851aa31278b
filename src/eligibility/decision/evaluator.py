"""The library's entry points: evaluate profiles against the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from eligibility.decision.model import Decision
from eligibility.decision.policy import Decider
from eligibility.engine.evaluation import Evaluation
from eligibility.engine.interpreter import Interpreter
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet, load_ruleset

EngineName = Literal["durable", "python"]


class Evaluator:
    """Evaluates profiles against one ruleset with one engine; build it once, reuse it.

    Args:
        ruleset: the rules (default: the shipped ``rules/``).
        engine: ``durable`` (the Rete engine, the default) or ``python`` (the interpreter).
    """

    def __init__(self, ruleset: RuleSet | None = None, engine: EngineName = "durable") -> None:
        self.ruleset = ruleset if ruleset is not None else load_ruleset()
        self.engine_name = engine
        if engine == "durable":
            from eligibility.engine.durable import (
                DurableEngine,  # imported lazily: it loads the C core
            )

            self._engine: DurableEngine | Interpreter = DurableEngine(self.ruleset)
        else:
            self._engine = Interpreter(self.ruleset)
        self.decider = Decider(self.ruleset)

    def run(self, profile: Profile) -> Evaluation:
        """Run the rules only (no decision): which rules held, failed or were unknown."""
        return self._engine.evaluate(profile)

    def evaluate(self, profile: Profile, *, with_trace: bool = True) -> Decision:
        """Return the decision for one profile."""
        return self.decider.decide(profile, self._engine.evaluate(profile), with_trace=with_trace)


def evaluate(
    profile: Profile, rules_dir: str | Path | None = None, engine: EngineName = "durable"
) -> Decision:
    """Evaluate one profile (convenience: builds a fresh :class:`Evaluator`)."""
    return Evaluator(load_ruleset(rules_dir), engine).evaluate(profile)
