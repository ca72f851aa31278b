"""The library's entry points: evaluate profiles against the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

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

    def share_memos(self) -> None:
        """Keep the engine's new memo entries for :meth:`memo_news` (the Rete engine only)."""
        self._engine.share_memos()

    def memo_news(self) -> list[Any]:
        """The engine's memo entries made since the last call, for another evaluator."""
        return self._engine.memo_news()

    def learn(self, news: list[Any]) -> None:
        """Take the memo entries another evaluator of the same rules and engine made."""
        self._engine.learn(news)

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
