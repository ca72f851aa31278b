"""``rules check``'s walk over one journey's answer space, and the findings it gathers.

One cohesive thing: the state kept while every answer set of a journey is visited, and
what it concludes (the findings are described in :mod:`eligibility.tooling.analysis`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from eligibility.decision.model import JourneyOut
from eligibility.decision.space import JourneySpace, Point, example_profile
from eligibility.i18n.messages import Message
from eligibility.rules.logic import Atom, Truth, evaluate
from eligibility.tooling.report import Finding


def _outcomes(j: JourneyOut) -> tuple[Any, ...]:
    """What a journey decides, with whether each gap-prone outcome came from a rule."""
    return (
        j.status,
        _by_default(j.reasons),
        j.variant,
        None if j.operations is None else tuple(j.operations),
        _by_default(j.operations_reasons),
        _by_default(j.variant_reasons),
        tuple((p.met, _by_default(p.reasons)) for p in j.prerequisites),
        tuple((s.status, tuple(s.advice)) for s in j.steps),
    )


def _by_default(reasons: list[Any]) -> bool:
    return len(reasons) == 1 and reasons[0].rule.startswith("catalogue:")


class JourneyAnalysis:
    """One journey's answer space walked once: the gaps, contradictions, unreachable rules,
    dead steps, shadowed rules and precedence conflicts it shows (:meth:`findings`)."""

    def __init__(self, space: JourneySpace) -> None:
        self.space = space
        rs = space.ruleset
        self.journey = rs.journeys[0]
        self.files = rs.rule_files
        self.candidates: dict[str, list[tuple[str, Any]]] = {}
        for r in rs.rules:
            t = r.then
            if t.journey and t.status:
                self.candidates.setdefault(t.journey, []).append((r.id, t.status))
            if t.journey and t.variant:
                self.candidates.setdefault(f"{t.journey}.variant", []).append((r.id, t.variant))
            if t.journey and t.operations is not None:
                self.candidates.setdefault(f"{t.journey}.operations", []).append(
                    (r.id, tuple(t.operations))
                )
            if t.prerequisite and t.met is not None:
                self.candidates.setdefault(t.prerequisite, []).append((r.id, t.met))
            if t.status:
                for s in t.steps:
                    self.candidates.setdefault(s, []).append((r.id, t.status))
        self.outcome_rules = [r.id for r in rs.rules if not r.then.fact]
        self.authority = {r.id: r.confidence.rests_on_authority for r in rs.rules}
        self.confidence = {r.id: r.confidence.value for r in rs.rules}
        self.declared = {r.id: set(r.precedence.over) for r in rs.rules if r.precedence}
        self.declared_used: set[tuple[str, str]] = set()
        self.precedence: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.undetermines: dict[tuple[str, str, str], dict[str, Any]] = {}
        # rule states already seen -> the gaps they give
        self.seen: dict[tuple[bool | None, ...], list[str]] = {}
        self.ever_true: set[str] = set()
        self.bare_true: dict[str, dict[str, Any]] = {}
        self.effective: set[str] = set()
        self.first_held: dict[str, dict[str, Any]] = {}
        self.gaps: dict[str, tuple[int, dict[str, Any]]] = {}
        self.contradictions: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.live_steps: set[str] = set()
        self.applies_example: dict[str, Any] | None = None
        self.step_example: dict[str, tuple[str, dict[str, Any]]] = {}

    def visit(self, point: Point) -> None:
        # Every outcome but `missing` is a function of the rule states: answer sets with the
        # states of one already seen add nothing (its example, the first, is kept).
        if len(self.bare_true.keys() | self.ever_true) < len(self.space.rule_ids):
            self._bare(point)
        key = point.key
        if key in self.seen:
            for target in self.seen[key]:
                count, first = self.gaps[target]
                self.gaps[target] = (count + 1, first)
            return
        self.seen[key] = []
        states = point.evaluation.states
        example = example_profile(point.answers)
        for rid, state in states.items():
            if state is True:
                self.ever_true.add(rid)
        j = point.journey
        self.seen[key] = self._gaps(j, example)
        self._contradictions(states, example)
        self._steps(j, example)
        self._shadowing(point, example)

    def _bare(self, point: Point) -> None:
        """Remember, for rules that have not held yet, an answer set where the bare condition
        holds (guard ignored): the counterexample of an unreachable guarded rule."""
        facts, atoms_ = point.evaluation.facts, point.atoms

        def value_of(a: Atom) -> Truth:
            return facts.get(a.key) if a.kind == "fact" else atoms_.get(a.key)

        for rid in self.space.rule_ids:
            if rid in self.ever_true or rid in self.bare_true:
                continue
            if evaluate(self.space.ruleset.formulas[rid], value_of) is True:
                self.bare_true[rid] = example_profile(point.answers)

    def _gaps(self, j: JourneyOut, example: dict[str, Any]) -> list[str]:
        """Record the outcomes this answer set leaves to the catalogue default."""
        targets = []
        if j.status != "undetermined" and _by_default(j.reasons):
            targets.append(j.id)
        if j.status == "applies":
            if (
                self.journey.variants
                and j.variant is None
                and (not j.variant_reasons or _by_default(j.variant_reasons))
            ):
                targets.append(f"{j.id}.variant")
            targets += [
                p.id for p in j.prerequisites if p.met is not None and _by_default(p.reasons)
            ]
        for target in targets:
            count, first = self.gaps.get(target, (0, example))
            self.gaps[target] = (count + 1, first)
        return targets

    def _contradictions(self, states: dict[str, bool | None], example: dict[str, Any]) -> None:
        """Record, for each outcome, the rules that decide it (the first holding one, and
        the unknown ones before it, which may) against later holding rules of another
        value: a contradiction, or a precedence error when a decider has lower confidence
        than the rule it overrides; either is intended when the decider declares it."""
        for target, rules in self.candidates.items():
            deciders: list[tuple[str, Any]] = []
            first = None
            for i, (rid, value) in enumerate(rules):
                state = states.get(rid)
                if state is not False:
                    deciders.append((rid, value))
                if state is True:
                    first = i
                    break
            if first is None:
                continue
            winner, won = rules[first]
            for rid, value in deciders[:-1]:  # unknown before the winner: it may decide
                if value == won or winner in self.declared.get(rid, ()):
                    if value != won:
                        self.declared_used.add((rid, winner))
                    continue
                if self.authority[winner] and not self.authority[rid]:
                    self.undetermines.setdefault((rid, winner, target), example)
            for loser, lost in rules[first + 1 :]:
                if states.get(loser) is not True:
                    continue
                for rid, value in deciders:
                    if value == lost:
                        continue
                    if loser in self.declared.get(rid, ()):
                        self.declared_used.add((rid, loser))
                    elif self.authority[loser] and not self.authority[rid]:
                        self.precedence.setdefault((rid, loser, target), example)
                    elif rid == winner:
                        self.contradictions.setdefault((winner, loser, target), example)

    def _steps(self, j: JourneyOut, example: dict[str, Any]) -> None:
        if j.status != "applies":
            return
        if self.applies_example is None:
            self.applies_example = example
        for s in j.steps:
            if s.status in ("required", "optional"):
                self.live_steps.add(s.id)
            elif self.step_example.get(s.id, ("undetermined",))[0] == "undetermined":
                # keep the first example, unless it is undetermined and a decided one comes
                self.step_example[s.id] = (s.status, example)

    def _shadowing(self, point: Point, example: dict[str, Any]) -> None:
        states = point.evaluation.states
        base: tuple[Any, ...] | None = None
        for rid in self.outcome_rules:
            if rid in self.effective or states[rid] is False:
                continue
            if states[rid] is True:
                self.first_held.setdefault(rid, example)
            if base is None:
                base = _outcomes(point.journey)
            without = replace(point.evaluation, states={**states, rid: False})
            if _outcomes(self.space.decide(point.known, without)) != base:
                self.effective.add(rid)

    def findings(self) -> Iterator[Finding]:
        jid = self.journey.id
        for target, (count, example) in self.gaps.items():
            if target == jid:
                what = Message("status")
            elif target.endswith(".variant"):
                what = Message("variant")
            else:
                what = Message("prerequisite")
            yield Finding(
                "gap",
                "error",
                Message(
                    "{journey}: no rule decides the {what} of {target} in {count} answer set(s); "
                    "the catalogue default is used",
                    journey=jid,
                    what=what,
                    target=target,
                    count=count,
                ),
                target=target,
                example=example,
            )
        for (winner, loser, target), example in self.contradictions.items():
            yield Finding(
                "contradiction",
                "warning",
                Message(
                    "rules {winner} and {loser} both hold and give {target} different values; "
                    "{winner} comes first and wins",
                    winner=winner,
                    loser=loser,
                    target=target,
                ),
                rule=loser,
                target=target,
                file=self.files[loser],
                example=example,
            )
        for (rid, loser, target), example in self.precedence.items():
            yield Finding(
                "precedence",
                "error",
                Message(
                    "rule {rule} ({confidence}) decides {target} against rule {other} "
                    "({other_confidence}), which holds there too; declare why in the rule's "
                    "precedence field, or change the rule",
                    rule=rid,
                    confidence=self.confidence[rid],
                    target=target,
                    other=loser,
                    other_confidence=self.confidence[loser],
                ),
                rule=rid,
                target=target,
                file=self.files[rid],
                example=example,
            )
        for (rid, other, target), example in self.undetermines.items():
            yield Finding(
                "precedence",
                "error",
                Message(
                    "rule {rule} ({confidence}), when it cannot be evaluated, leaves {target} "
                    "undetermined where rule {other} ({other_confidence}) decides it; declare "
                    "why in the rule's precedence field, or change the rule",
                    rule=rid,
                    confidence=self.confidence[rid],
                    target=target,
                    other=other,
                    other_confidence=self.confidence[other],
                ),
                rule=rid,
                target=target,
                file=self.files[rid],
                example=example,
            )
        if self.applies_example is None:
            yield Finding(
                "dead-step",
                "error",
                Message(
                    "{journey} never applies, so none of its steps is ever required or optional",
                    journey=jid,
                ),
                target=jid,
            )
        for s in self.journey.steps if self.applies_example is not None else ():
            if s.id in self.live_steps:
                continue
            status, seen = self.step_example.get(s.id, ("not_applicable", None))
            yield Finding(
                "dead-step",
                "error",
                Message(
                    "step {step} is never required nor optional where {journey} applies "
                    "(it is {status})",
                    step=s.id,
                    journey=jid,
                    status=status,
                ),
                target=s.id,
                example=seen or self.applies_example,
            )
        for rid in self.outcome_rules:
            if rid in self.effective or rid not in self.first_held:
                continue  # never holding is reported as unreachable
            example = self.first_held[rid]
            yield Finding(
                "shadowed",
                "error",
                Message(
                    "rule {rule} changes no outcome: dropping it leaves every decision of "
                    "{journey} as it is (earlier rules win wherever it holds, or it restates "
                    "the default)",
                    rule=rid,
                    journey=jid,
                ),
                rule=rid,
                file=self.files[rid],
                example=example,
            )
