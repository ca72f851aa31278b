"""Turn an :class:`Evaluation` into a :class:`Decision`: the combination policy.

For every outcome (a journey's status and variant, a step's status, a prerequisite) the
rules that conclude it are taken in file order and the **first one that holds wins**. A
rule that cannot be evaluated (it reads an unknown field) leaves two possibilities open:
its conclusion, or whatever the rules after it give. The outcome is decided when every
possibility is the same value (an unknown that cannot change it does not matter), and
``undetermined`` otherwise, with the unknown fields listed in ``missing``. When no rule
holds, the catalogue default applies: a journey does not apply, a step is required (or
optional, when the guided tour marks it so), a prerequisite is not met.

A journey that does not apply makes all its steps ``not_applicable``; a journey whose
status is undetermined makes a step undetermined unless the step is not applicable anyway.

One cohesive module although over 400 lines: the one combination policy, every outcome
kind decided by the same first-rule-wins reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from eligibility.decision.model import (
    ConflictOut,
    Decision,
    DependencyOut,
    JourneyOut,
    Overridden,
    PrecedenceOut,
    PrecedenceReason,
    PrerequisiteOut,
    Reason,
    RulesetRef,
    StepOut,
    TraceEntry,
)
from eligibility.engine.evaluation import Evaluation
from eligibility.profile.model import FIELDS, Profile
from eligibility.rules.loader import RuleSet, journey_rules, step_by_id
from eligibility.rules.logic import Truth
from eligibility.rules.model import CATALOGUE, Dependency, Journey, Rule, Source, Step
from eligibility.rules.precedence import catalogue_overrides, step_authority

_NOT_DECIDED = object()
# Memoised journeys kept at most, past which the memo starts again: above the ~4 900
# distinct journeys of 100 000 random products, and tens of MB at worst (shared steps).
_MEMO_LIMIT = 16384
_RESULT_WORD: dict[Truth, Literal["holds", "unknown", "fails"]] = {
    True: "holds",
    False: "fails",
    None: "unknown",
}


@dataclass
class _Resolved:
    value: Any
    reasons: list[Reason]
    missing: set[str] = field(default_factory=set)
    possible: list[Any] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.value is not _NOT_DECIDED


def rule_reason(rule: Rule, holds: Truth = True) -> Reason:
    """The reason a rule gives when it decides (or might decide) an outcome."""
    return Reason(
        rule=rule.id,
        text=rule.text,
        source=rule.source,
        confidence=rule.confidence.value,
        holds=holds,
    )


_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}


def _ordered_fields(names: Iterable[str]) -> list[str]:
    """Field names without repeats, in the contract's order."""
    wanted = set(names)
    return sorted(wanted, key=_FIELD_ORDER.__getitem__) if wanted else []


def _source_reason(rule: str, src: Source, text: str, holds: Truth = True) -> Reason:
    """A reason that no rule gives (the catalogue's default), resting on a catalogue source."""
    return Reason(
        rule=rule, text=text, source=src.ref, confidence=src.confidence.value, holds=holds
    )


def _default_reasons(ruleset: RuleSet) -> dict[str, Reason]:
    """The reason given when no rule decides an outcome, by journey, step or prerequisite."""
    out: dict[str, Reason] = {}
    for j in ruleset.journeys:
        src = j.sources[0]
        out[j.id] = _source_reason(
            f"catalogue:{j.id}",
            src,
            "No rule of the catalogue makes this journey apply to the product.",
        )
        out[f"{j.id}.open"] = _source_reason(
            f"journey:{j.id}",
            src,
            "Whether the journey applies is not known yet: see the journey's reasons.",
            holds=None,
        )
        out[f"{j.id}.variant"] = _source_reason(
            f"catalogue:{j.id}.variant", src, "No rule sets the variant."
        )
        out[f"{j.id}.operations"] = _source_reason(
            f"catalogue:{j.id}.operations", src, "No rule sets the operations."
        )
        for p in j.prerequisites:
            out[p.id] = _source_reason(
                f"catalogue:{p.id}",
                src,
                "Nothing in the profile shows this prerequisite is met.",
            )
        for s in j.steps:
            out[s.id] = _source_reason(
                f"catalogue:{s.id}",
                s.sources[0],
                "An optional step of the journey, as the guided tour marks it."
                if s.optional
                else "A step of the journey, and no rule exempts the product from it.",
            )
    return out


def _catalogue_precedence(ruleset: RuleSet) -> dict[tuple[str, str], Overridden]:
    """(rule, step) -> the catalogue status the rule overrides there, for the rules that
    declare precedence over the catalogue."""
    steps = step_by_id(ruleset)
    out: dict[tuple[str, str], Overridden] = {}
    for rule in ruleset.rules:
        if rule.precedence is None or CATALOGUE not in rule.precedence.over:
            continue
        for step in catalogue_overrides(rule, steps):
            tag = step_authority(step)
            assert tag is not None  # catalogue_overrides keeps the steps resting on one
            out[(rule.id, step.id)] = Overridden(f"catalogue:{step.id}", tag.value)
    return out


def _concluded(rule: Rule, result: Truth) -> list[str]:
    """What a firing of ``rule`` with ``result`` concluded, as written in the trace."""
    if rule.then.fact:
        word = {True: "true", False: "false", None: "unknown"}[result]
        return [f"fact {rule.then.fact}: {word}"]
    return rule.then.describe() if result is True else []


@dataclass
class _JourneyPlan:
    journey: Journey
    status: list[tuple[Rule, str]] = field(default_factory=list)
    variant: list[tuple[Rule, str]] = field(default_factory=list)
    operations: list[tuple[Rule, tuple[str, ...]]] = field(default_factory=list)
    prerequisites: dict[str, list[tuple[Rule, bool]]] = field(default_factory=dict)
    steps: dict[str, list[tuple[Rule, str]]] = field(default_factory=dict)
    advice: dict[str, list[Rule]] = field(default_factory=dict)


class Decider:
    """Applies the combination policy of a :class:`RuleSet` to evaluations."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._ref = RulesetRef(name=ruleset.name, version=ruleset.version, hash=ruleset.hash)
        self._plans = {j.id: _JourneyPlan(j) for j in ruleset.journeys}
        for j in ruleset.journeys:
            plan = self._plans[j.id]
            plan.prerequisites = {p.id: [] for p in j.prerequisites}
            plan.steps = {s.id: [] for s in j.steps}
            plan.advice = {s.id: [] for s in j.steps}
        step_journey = ruleset.step_journey
        for rule in ruleset.rules:
            t = rule.then
            if t.journey:
                plan = self._plans[t.journey]
                if t.status:
                    plan.status.append((rule, t.status))
                if t.variant:
                    plan.variant.append((rule, t.variant))
                if t.operations is not None:
                    plan.operations.append((rule, tuple(t.operations)))
            elif t.prerequisite:
                for plan in self._plans.values():
                    if t.prerequisite in plan.prerequisites and t.met is not None:
                        plan.prerequisites[t.prerequisite].append((rule, t.met))
            for step_id in t.steps:
                plan = self._plans[step_journey[step_id].id]
                if t.status:
                    plan.steps[step_id].append((rule, t.status))
                if t.advice:
                    plan.advice[step_id].append(rule)
        self._defaults = _default_reasons(ruleset)
        self._holds = {r.id: rule_reason(r, True) for r in ruleset.rules}
        self._precedence = _catalogue_precedence(ruleset)
        self._unknown = {r.id: rule_reason(r, None) for r in ruleset.rules}
        self._fields_of = {r.id: ruleset.fields_of(r.id) for r in ruleset.rules}
        self._facts_of = {r.id: ruleset.facts_of(r.id) for r in ruleset.rules}
        self._has_dependencies = any(j.depends_on for j in ruleset.journeys)
        self._fact_keys = {
            r.id: [(f, f"fact:{f}") for f in self._facts_of[r.id]] for r in ruleset.rules
        }
        self._concluded = {
            (r.id, result): _concluded(r, result)
            for r in ruleset.rules
            for result in (True, False, None)
        }
        # Rules whose states decide each step (status and advice), for memoising steps.
        self._step_rules = {
            step_id: sorted(
                {r.id for r, _ in plan.steps[step_id]} | {r.id for r in plan.advice[step_id]}
            )
            for plan in self._plans.values()
            for step_id in plan.steps
        }
        # A journey's outcomes are a function of the states of its rules (and, when one is
        # unknown, of which fields it reads are known): memoise them, since a portfolio has
        # few distinct combinations.
        self._journey_rules = {j.id: journey_rules(ruleset, j.id) for j in ruleset.journeys}
        self._journey_fields = {
            j: sorted({f for rid in rules for f in ruleset.fields_of(rid)})
            for j, rules in self._journey_rules.items()
        }
        self._journey_memo: dict[tuple[str, tuple[Truth, ...]], JourneyOut] = {}
        # Decisions share these immutable parts: nothing may modify a Decision in place.
        self._step_memo: dict[tuple[str, tuple[Truth, ...]], StepOut] = {}
        self._na_steps: dict[tuple[str, tuple[str, ...]], StepOut] = {}
        # (id of a memoised journey, its dependencies) -> (that journey, it with them)
        self._dependency_memo: dict[tuple[int, tuple[Any, ...]], tuple[JourneyOut, JourneyOut]] = {}

    # -- missing fields ---------------------------------------------------------------------

    def _missing_of(self, rule_id: str, known: dict[str, Any], facts: dict[str, Truth]) -> set[str]:
        out = {f for f in self._fields_of[rule_id] if f not in known}
        for fact in self._facts_of[rule_id]:
            if facts.get(fact) is None:
                out |= self._missing_of(self.ruleset.fact_rule[fact], known, facts)
        return out

    def _first_match(
        self,
        candidates: Sequence[tuple[Rule, Any]],
        states: dict[str, Truth],
        default: Any,
        default_reason: Reason,
        known: dict[str, Any],
        facts: dict[str, Truth],
        target: str = "",
    ) -> _Resolved:
        possible: list[Any] = []
        unknown: list[Rule] = []
        decider: Rule | None = None
        at = 0  # where the decider is among the candidates
        for at, (rule, value) in enumerate(candidates):  # noqa: B007 (``at`` is read below)
            state = states[rule.id]
            if state is False:
                continue
            if value not in possible:
                possible.append(value)
            if state is True:
                decider = rule
                break
            unknown.append(rule)
        else:
            if default not in possible:
                possible.append(default)
        if decider is None:
            final = default_reason
        elif decider.precedence is None:
            final = self._holds[decider.id]
        else:
            final = self._precedence_reason(decider, value, candidates[at + 1 :], states, target)
        if len(possible) == 1:
            return _Resolved(possible[0], [final], possible=possible)
        missing: set[str] = set()
        for rule in unknown:
            missing |= self._missing_of(rule.id, known, facts)
        reasons = [self._unknown[r.id] for r in unknown] + [final]
        return _Resolved(_NOT_DECIDED, reasons, missing, possible)

    def _precedence_reason(
        self,
        rule: Rule,
        value: Any,
        later: Sequence[tuple[Rule, Any]],
        states: dict[str, Truth],
        target: str,
    ) -> Reason:
        """The reason of a rule with a declared precedence: with what it decides against
        here (the rules it names that hold with another value; the catalogue's status of
        the step), or its plain reason when it overrides nothing here."""
        assert rule.precedence is not None
        declared = set(rule.precedence.over)
        over = [
            Overridden(other.id, other.confidence.value)
            for other, other_value in later
            if other.id in declared and states[other.id] is True and other_value != value
        ]
        if CATALOGUE in declared and (rule.id, target) in self._precedence:
            over.append(self._precedence[(rule.id, target)])
        if not over:
            return self._holds[rule.id]
        plain = self._holds[rule.id]
        return PrecedenceReason(
            rule=plain.rule,
            text=plain.text,
            source=plain.source,
            confidence=plain.confidence,
            precedence=PrecedenceOut(rule.precedence.why, over),
        )

    # -- the decision -----------------------------------------------------------------------

    def decide(
        self, profile: Profile, evaluation: Evaluation, *, with_trace: bool = True
    ) -> Decision:
        """Build the decision for one profile from its evaluation."""
        known = profile.known()
        states, facts = evaluation.states, evaluation.facts
        journeys = []
        for journey_id, plan in self._plans.items():
            key = tuple(map(states.__getitem__, self._journey_rules[journey_id]))
            if None in key:
                # with unknown answers, what is missing also depends on which fields are known
                key += tuple(map(known.__contains__, self._journey_fields[journey_id]))
            cached = self._journey_memo.get((journey_id, key))
            if cached is None:
                cached = self._journey(plan, states, known, facts)
                if len(self._journey_memo) >= _MEMO_LIMIT:  # bounded: memory stays flat
                    self._journey_memo.clear()
                self._journey_memo[(journey_id, key)] = cached
            journeys.append(cached)
        if self._has_dependencies:
            journeys = self._with_dependencies(journeys, evaluation.facts)
        missing = _ordered_fields(m for j in journeys for m in j.missing)
        conflicts = self._conflicts(journeys, known, evaluation.facts)
        trace = self._trace(evaluation, known) if with_trace else []
        return Decision(
            profile_id=profile.id,
            ruleset=self._ref,
            journeys=journeys,
            missing=missing,
            trace=trace,
            conflicts=conflicts,
        )

    def decide_journey(
        self, journey_id: str, known: dict[str, Any], evaluation: Evaluation
    ) -> JourneyOut:
        """Decide one journey only, given the known fields (``profile.known()``).

        For analyses that look at one journey at a time (the questionnaire's relevance
        search): a quarter of the cost of :meth:`decide` with four journeys.
        """
        return self._journey(self._plans[journey_id], evaluation.states, known, evaluation.facts)

    def _journey(
        self,
        plan: _JourneyPlan,
        states: dict[str, Truth],
        known: dict[str, Any],
        facts: dict[str, Truth],
    ) -> JourneyOut:
        j = plan.journey
        defaults = self._defaults
        status = self._first_match(
            plan.status, states, "not_applicable", defaults[j.id], known, facts, j.id
        )
        out_of_scope = status.decided and status.value == "not_applicable"
        missing = set(status.missing)

        variant: str | None = None
        variant_reasons: list[Reason] = []
        if not out_of_scope and plan.variant:
            variant, variant_reasons, unknown = self._detail(
                plan.variant, defaults[f"{j.id}.variant"], states, known, facts, j.id
            )
            missing |= unknown
        # The operations are an outcome of their own: a rule may set them with a variant or
        # alone (an exemption empties them), and an unknown answer that only they depend on
        # leaves the variant decided.
        operations: list[str] | None = None
        operations_reasons: list[Reason] = []
        if not out_of_scope and plan.operations:
            ops, operations_reasons, unknown = self._detail(
                plan.operations, defaults[f"{j.id}.operations"], states, known, facts, j.id
            )
            operations = list(ops) if ops is not None else None
            missing |= unknown

        prerequisites = []
        for p in j.prerequisites:
            if out_of_scope:
                # nothing to meet for a journey that does not apply
                met, reasons = None, status.reasons
            else:
                r = self._first_match(
                    plan.prerequisites[p.id], states, False, defaults[p.id], known, facts, p.id
                )
                missing |= r.missing
                met, reasons = (r.value if r.decided else None), r.reasons
            prerequisites.append(PrerequisiteOut(id=p.id, title=p.title, met=met, reasons=reasons))

        steps = [self._step(plan, s, status, states, known, facts) for s in j.steps]
        for s in steps:
            missing.update(s.missing)
        return JourneyOut(
            id=j.id,
            title=j.title,
            status=status.value if status.decided else "undetermined",
            variant=variant,
            operations=operations,
            reasons=status.reasons,
            variant_reasons=variant_reasons,
            prerequisites=prerequisites,
            steps=steps,
            missing=_ordered_fields(missing),
            operations_reasons=operations_reasons,
        )

    def _detail(
        self,
        candidates: Sequence[tuple[Rule, Any]],
        default_reason: Reason,
        states: dict[str, Truth],
        known: dict[str, Any],
        facts: dict[str, Truth],
        journey_id: str,
    ) -> tuple[Any, list[Reason], set[str]]:
        """A journey's variant or operations: the value the first rule that holds sets (None
        when no rule does, and while undetermined), its reasons, and the unknown fields that
        leave it undetermined."""
        r = self._first_match(candidates, states, None, default_reason, known, facts, journey_id)
        if r.decided:
            return r.value, r.reasons, set()
        return None, r.reasons, r.missing

    def _step(
        self,
        plan: _JourneyPlan,
        step: Step,
        journey: _Resolved,
        states: dict[str, Truth],
        known: dict[str, Any],
        facts: dict[str, Truth],
    ) -> StepOut:
        if journey.decided and journey.value == "not_applicable":
            # the same for every profile whose journey is excluded by the same reasons
            na_key = (step.id, tuple(r.rule for r in journey.reasons))
            cached = self._na_steps.get(na_key)
            if cached is None:
                cached = StepOut(
                    id=step.id,
                    title=step.title,
                    status="not_applicable",
                    reasons=journey.reasons,
                    advice=[],
                    missing=[],
                    shared=step.shared,
                )
                self._na_steps[na_key] = cached
            return cached
        rules = self._step_rules[step.id]
        key = tuple(states[r] for r in rules) if journey.decided else None
        if key is not None and not any(v is None for v in key):
            # fully decided by the rule states alone: memoise (portfolios repeat them a lot)
            cached = self._step_memo.get((step.id, key))
            if cached is None:
                cached = self._build_step(plan, step, journey, states, known, facts)
                self._step_memo[(step.id, key)] = cached
            return cached
        return self._build_step(plan, step, journey, states, known, facts)

    def _build_step(
        self,
        plan: _JourneyPlan,
        step: Step,
        journey: _Resolved,
        states: dict[str, Truth],
        known: dict[str, Any],
        facts: dict[str, Truth],
    ) -> StepOut:
        default_value = "optional" if step.optional else "required"
        r = self._first_match(
            plan.steps[step.id],
            states,
            default_value,
            self._defaults[step.id],
            known,
            facts,
            step.id,
        )
        status: Any
        if journey.decided:
            status, reasons, missing = r.value, r.reasons, r.missing
        elif r.decided and r.value == "not_applicable":
            status, reasons, missing = r.value, r.reasons, set()
        else:
            status = _NOT_DECIDED
            # One reason points at the journey (its own reasons say what is unknown) rather
            # than repeating them under every step.
            reasons = [self._defaults[f"{plan.journey.id}.open"], *r.reasons]
            missing = journey.missing | r.missing
        if status is _NOT_DECIDED:
            status = "undetermined"
        advice: list[str] = []
        advice_reasons: list[Reason | None] = []
        if status in ("required", "optional", "undetermined"):
            advice = list(step.advice)
            advice_reasons = [None] * len(advice)  # the step's own: its sources say where from
            for rule in plan.advice[step.id]:
                if states[rule.id] is True and rule.then.advice:
                    advice.append(rule.then.advice)
                    advice_reasons.append(self._holds[rule.id])
        return StepOut(
            id=step.id,
            title=step.title,
            status=status,
            reasons=reasons,
            advice=advice,
            missing=_ordered_fields(missing),
            shared=step.shared,
            advice_reasons=advice_reasons,
        )

    # -- dependencies between journeys -----------------------------------------------------

    def _with_dependencies(
        self, journeys: list[JourneyOut], facts: dict[str, Truth]
    ) -> list[JourneyOut]:
        """Add to each journey that may apply what it needs from other journeys."""
        status = {j.id: j.status for j in journeys}
        out = []
        for j in journeys:
            declared = self.ruleset.journey_by_id[j.id].depends_on
            if not declared or j.status == "not_applicable":
                out.append(j)
                continue
            in_force_of: list[tuple[Dependency, Truth]] = []
            for d in declared:
                in_force: Truth = True
                if d.when_variant is not None:
                    in_force = None if j.variant is None else j.variant == d.when_variant
                if d.when_fact is not None and in_force is not False:
                    fact = facts.get(d.when_fact)
                    in_force = False if fact is False else (in_force and fact)
                if in_force is not False:
                    in_force_of.append((d, in_force))
            # The same journey with the same dependencies is one object, so its JSON is
            # made once (decision.to_json caches journeys by identity).
            key = (id(j), tuple((d.id, f, status[d.journey]) for d, f in in_force_of))
            cached = self._dependency_memo.get(key)
            if cached is None or cached[0] is not j:
                deps = [
                    DependencyOut(
                        id=d.id,
                        journey=d.journey,
                        kind=d.kind,
                        reason=d.reason,
                        source=d.source,
                        confidence=d.confidence.value,
                        in_force=in_force,
                        status=status[d.journey],
                    )
                    for d, in_force in in_force_of
                ]
                if len(self._dependency_memo) >= _MEMO_LIMIT:
                    self._dependency_memo.clear()
                cached = (j, replace(j, dependencies=deps))
                self._dependency_memo[key] = cached
            out.append(cached[1])
        return out

    def _conflicts(
        self, journeys: list[JourneyOut], known: dict[str, Any], facts: dict[str, Truth]
    ) -> list[ConflictOut]:
        """Journeys that apply and require one that does not apply, with the given answers
        both sides rest on."""
        by_id = {j.id: j for j in journeys}
        out = []
        for j in journeys:
            if j.status != "applies":
                continue
            for d in j.dependencies:
                if d.kind != "requires" or d.in_force is not True or d.status != "not_applicable":
                    continue
                rules = [r.rule for r in by_id[d.journey].reasons]
                declared = next(
                    x for x in self.ruleset.journey_by_id[j.id].depends_on if x.id == d.id
                )
                if declared.when_variant is not None:
                    rules += [r.rule for r in j.variant_reasons]
                if declared.when_fact is not None:
                    rules.append(self.ruleset.fact_rule[declared.when_fact])
                answers: dict[str, Any] = {}
                for rule_id in rules:
                    if rule_id in self._fields_of:  # not a catalogue default
                        answers.update(self._answers_of(rule_id, known, facts))
                ordered = {name: answers[name] for name in _ordered_fields(answers)}
                out.append(
                    ConflictOut(
                        journey=j.id,
                        needs=d.journey,
                        dependency=d.id,
                        reason=d.reason,
                        source=d.source,
                        confidence=d.confidence,
                        answers=ordered,
                    )
                )
        return out

    def _answers_of(
        self, rule_id: str, known: dict[str, Any], facts: dict[str, Truth]
    ) -> dict[str, Any]:
        """The given answers a rule read, through the derived facts it reads too."""
        out = {f: known[f] for f in self._fields_of[rule_id] if f in known}
        for fact in self._facts_of[rule_id]:
            if facts.get(fact) is not None:
                out.update(self._answers_of(self.ruleset.fact_rule[fact], known, facts))
        return out

    # -- the trace --------------------------------------------------------------------------

    def _trace(self, evaluation: Evaluation, known: dict[str, Any]) -> list[TraceEntry]:
        entries = []
        facts = evaluation.facts
        fields_of, facts_of, concluded = self._fields_of, self._fact_keys, self._concluded
        for seq, (rule_id, result) in enumerate(evaluation.firings, start=1):
            matched: dict[str, Any] = {}
            unknown: list[str] = []
            for name in fields_of[rule_id]:
                if name in known:
                    matched[name] = known[name]
                else:
                    unknown.append(name)
            for fact, key in facts_of[rule_id]:
                value = facts.get(fact)
                if value is None:
                    unknown.append(key)
                else:
                    matched[key] = value
            entries.append(
                TraceEntry(
                    seq,
                    rule_id,
                    _RESULT_WORD[result],
                    matched,
                    unknown,
                    concluded[(rule_id, result)],
                )
            )
        return entries
