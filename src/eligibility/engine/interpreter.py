"""A plain-Python interpreter of the rule model: the second evaluator.

It reads the same :class:`RuleSet` as the durable-rules path and evaluates each condition
with Kleene's three-valued logic (:func:`logic.evaluate`), stage by stage and in file
order, which is the order durable fires in. Tests check both give identical evaluations;
the analysis and explanation tools use this one because it can evaluate any rule alone.
"""

from __future__ import annotations

from eligibility.engine.evaluation import Evaluation, Firing
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet
from eligibility.rules.logic import Atom, Truth, guarded, profile_atoms


class Interpreter:
    """Evaluates a :class:`RuleSet` directly in Python."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        indexed = list(enumerate(ruleset.rules))
        order = [r for _, r in sorted(indexed, key=lambda p: (ruleset.stages[p[1].id], p[0]))]
        self._plan = [
            (r, ruleset.formulas[r.id], ruleset.guards.get(r.id), ruleset.reports(r.id))
            for r in order
        ]

    def evaluate(self, profile: Profile) -> Evaluation:
        """Run the rules on one profile."""
        return self.evaluate_atoms(profile_atoms(profile))

    def evaluate_atoms(self, values: dict[str, bool]) -> Evaluation:
        """Run the rules on a profile given as its atoms (see :func:`logic.profile_atoms`)."""
        facts: dict[str, Truth] = {}

        def value_of(atom: Atom) -> Truth:
            if atom.kind == "fact":
                return facts.get(atom.key)
            return values.get(atom.key)

        firings: list[Firing] = []
        states: dict[str, Truth] = {}
        for rule, formula, guard, reports in self._plan:
            result = guarded(formula, guard, value_of)
            if result not in reports:
                result = False
            states[rule.id] = result
            if rule.then.fact:
                facts[rule.then.fact] = result
            if result is not False or rule.then.fact:
                firings.append(Firing(rule.id, result))
        return Evaluation(tuple(firings), states, facts)
