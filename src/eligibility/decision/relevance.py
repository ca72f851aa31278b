"""Which unanswered profile fields can still change the decision, computed from the rules.

A field is *relevant*, given the answers so far, when two of its values, with some values
of the other unanswered fields, give different decisions. "The decision" is read as a set
of *outcomes*: each journey's status, variant and INSi operations, each prerequisite, and
each step's status and advice. Advice counts because it changes what the publisher is told
to do (a CNDA contract already signed makes a step shorter). The ``missing`` lists do not:
they say which unknown fields the rules read, which only "don't know" answers change.

Deciding that exactly by trying every profile would take millions of evaluations. Three
things make it instant:

* **Supports.** Each outcome is concluded by a few rules; the fields those rules read
  (through derived facts and journey guards too) are its *support*. An outcome can only
  change with a field of its support, so a field is relevant when it changes one outcome
  whose support holds it, searched over that support only.
* **Value classes.** Values a field can take that no rule tells apart count once: enum
  values no rule reads, or list members that only ever appear together in the same ``any``
  (``contains_any: [prevention, diagnosis, care, social_followup]``).
* **Three-valued pruning.** The decider treats unknown fields soundly: an outcome it
  decides with some fields unknown is the same for every value of those fields. The search
  fixes one support field at a time, and stops as soon as the outcome is decided for every
  value of the field under test (no change there) or decided differently for two values
  (a change, with the current assignment as witness).

Answers are JSON values by field name; ``None`` is an answered "I don't know" (it stays
unknown and is never asked again); a field absent from the answers is not answered yet.

One cohesive module although over 400 lines: the one search, whose supports, value classes
and caches serve each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal, NamedTuple

from eligibility.decision.model import Decision, JourneyOut
from eligibility.decision.policy import Decider
from eligibility.decision.space import journey_ruleset, value_classes
from eligibility.engine.evaluation import Evaluation
from eligibility.engine.interpreter import Interpreter
from eligibility.profile.model import FIELDS
from eligibility.rules.loader import RuleSet
from eligibility.rules.logic import (
    Atom,
    Truth,
    answer_atoms,
    atoms,
    guarded,
)

Answers = Mapping[str, Any]
OutcomeKind = Literal["journey", "prerequisite", "step", "advice"]

#: The suffix of a step's advice outcome (``<step id>#advice``): advice is an outcome of
#: its own, so that a field deciding only the advice does not slow the search on the status.
ADVICE = "#advice"

#: How many evaluations a :class:`Relevance` keeps (an evaluation is ~40 µs; the cache is
#: keyed by the whole assignment, so it stays valid across questions of a session).
CACHE_SIZE = 50_000


@dataclass(frozen=True)
class Outcome:
    """One part of a decision that a field can change, with the fields it depends on."""

    id: str
    kind: OutcomeKind
    journey: str
    support: frozenset[str]
    advice_fields: frozenset[str] = frozenset()
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Witness:
    """Proof that a field is relevant: with ``others`` fixed, ``first`` and ``second``
    values of ``field`` give different ``outcome``."""

    field: str
    outcome: str
    others: dict[str, Any]
    first: Any
    second: Any


Stage = Literal["scope", "details", "last"]


class Choice(NamedTuple):
    """The next question: its field, and the round of :meth:`Relevance.choose` that chose it."""

    field: str
    stage: Stage


class _Seen(NamedTuple):  # a tuple: hundreds are built per decision, dataclasses cost more
    """One outcome as evaluated under a (partial) assignment.

    ``settled`` and ``open_fields`` say when the value is sure: settled, and none of the
    still unassigned fields is in ``open_fields``.
    """

    value: tuple[Any, ...]
    settled: bool
    open_fields: frozenset[str]

    def sure(self, unassigned: frozenset[str]) -> bool:
        return self.settled and not (self.open_fields & unassigned)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Relevance:
    """Answers "can this field still change the decision?" for one ruleset.

    Build it once per ruleset and reuse it: it caches evaluations across calls.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        order: Sequence[str] | None = None,
        follows: Mapping[str, Iterable[str]] | None = None,
        last: Iterable[str] = (),
    ) -> None:
        self.ruleset = ruleset
        self.order: tuple[str, ...] = tuple(order) if order is not None else tuple(FIELDS)
        #: field -> the fields whose answer its question presupposes (asked before it)
        self.follows: dict[str, tuple[str, ...]] = {
            f: tuple(before) for f, before in (follows or {}).items()
        }
        #: fields asked only when no other field is left to ask
        self.last = frozenset(last)
        self.domains = value_classes(ruleset)
        self._deep = deep_fields(ruleset)
        # Each journey is evaluated with its own rules only, keyed by the answers to the
        # fields they read: a fraction of the catalogue's cost, and far more cache hits.
        self._journeys = {j.id: _JourneyRules(ruleset, j.id, self._deep) for j in ruleset.journeys}
        self.outcomes = _outcomes(ruleset, self._deep)
        # rules whose "unknown" the engines report as false (advice only on sure grounds)
        self._quiet = {r.id for r in ruleset.rules if None not in ruleset.reports(r.id)}
        self._by_field: dict[str, list[Outcome]] = {
            f: [o for o in self.outcomes if f in o.support] for f in FIELDS
        }
        self._by_journey: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            self._by_journey.setdefault(o.journey, []).append(o)
        self._advice_fields = {o.id: o.advice_fields for o in self.outcomes}
        self._cache: dict[tuple[str, _Items], dict[str, _Seen]] = {}
        self._states: dict[tuple[str, _Items], tuple[Evaluation, dict[str, bool]]] = {}
        #: how many times the rules were run, and decisions built (for the benchmark)
        self.evaluations = 0
        self.decisions = 0

    # -- public -----------------------------------------------------------------------------

    def askable(self, answers: Answers) -> list[str]:
        """The unanswered fields that some rule reads, in questionnaire order."""
        return [f for f in self.order if f not in answers and len(self.domains[f]) > 1]

    def next_field(self, answers: Answers) -> str | None:
        """The question to ask next, or None when no unanswered field can change the decision.

        See :meth:`choose`, which also says in which round the field was chosen.
        """
        choice = self.choose(answers)
        return choice.field if choice is not None else None

    def choose(self, answers: Answers) -> Choice | None:
        """The field to ask next and the round that chose it; None when nothing is left.

        Rounds, each taking the first field that can change an outcome of its kinds:

        1. ``scope``: what decides whether a journey applies, or its variant (a journey's
           steps only matter once it is known to apply);
        2. ``details``: what decides any outcome, but the fields asked last (``last``:
           the checklist of what the publisher already has);
        3. ``last``: what decides any outcome.

        Within a round the field that settles the most open outcomes, on average over its
        answers (:meth:`effect`), comes first; ties keep the questionnaire's order. A field
        whose question presupposes another's answer (``follows``) waits while that other
        field can still change the decision.
        """
        base = self._normal(answers)
        open_outcomes = self._open(base, answers)
        if not open_outcomes:
            return None
        unanswered = frozenset(f for f in FIELDS if f not in answers)
        candidates = [
            f
            for f in self.askable(answers)
            if any(o.id in open_outcomes for o in self._by_field[f])
        ]
        effects: dict[str, float] = {}
        relevant: dict[str, bool] = {}

        def can_change(f: str, kinds: frozenset[OutcomeKind]) -> bool:
            return any(
                o.kind in kinds and o.id in open_outcomes and self._witness(f, o, base, answers)
                for o in self._by_field[f]
            )

        def waits(f: str) -> bool:
            for a in self.follows.get(f, ()):
                if a in unanswered and a in candidates:
                    if a not in relevant:
                        relevant[a] = can_change(a, _ALL_KINDS)
                    if relevant[a]:
                        return True
            return False

        for stage, kinds, deferred in _ROUNDS:
            pool = [f for f in candidates if (deferred or f not in self.last) and not waits(f)]
            for f in pool:
                if f not in effects:
                    effects[f] = self._effect(f, base, open_outcomes, unanswered)
            ranked = sorted(pool, key=lambda f: -effects[f])  # stable: ties keep the order
            for f in ranked:
                if can_change(f, kinds):
                    return Choice(f, stage)
        return None

    def effect(self, field: str, answers: Answers) -> float:
        """How many open outcomes an answer to ``field`` settles, on average over its answers.

        An outcome is open when some unanswered field could still make it different; an
        answer settles it when, with that answer and every other unanswered field unknown,
        the outcome is sure. Each value class of the field counts once.
        """
        base = self._normal(answers)
        unanswered = frozenset(f for f in FIELDS if f not in answers)
        return self._effect(field, base, self._open(base, answers), unanswered)

    def relevant_fields(self, answers: Answers) -> list[str]:
        """Every unanswered field that can still change the decision, in questionnaire order."""
        return [f for f in self.askable(answers) if self.witness(f, answers) is not None]

    def witness(self, field: str, answers: Answers) -> Witness | None:
        """Return how ``field`` can change the decision given ``answers``, or None if it cannot."""
        if field in answers or len(self.domains[field]) < 2:
            return None
        base = self._normal(answers)
        open_outcomes = self._open(base, answers)
        for o in self._by_field[field]:
            if o.id in open_outcomes:
                found = self._witness(field, o, base, answers)
                if found is not None:
                    return found
        return None

    def changes(self, field: str, answers: Answers) -> list[Outcome]:
        """The outcomes ``field`` can still change given ``answers`` (why it is asked)."""
        if field in answers or len(self.domains[field]) < 2:
            return []
        base = self._normal(answers)
        open_outcomes = self._open(base, answers)
        return [
            o
            for o in self._by_field[field]
            if o.id in open_outcomes and self._witness(field, o, base, answers) is not None
        ]

    def changed_journeys(
        self, fields: Iterable[str], answers: Answers
    ) -> tuple[list[str], list[str]]:
        """The journeys an answer to ``fields`` can still bring in or out (their status,
        variant or operations), and those where it can change only something else (a
        prerequisite, a step, advice): what :meth:`changes` lists, by journey, each list
        in the order of the outcomes, the second without the journeys of the first.

        An outcome of a journey already listed where it would go is not searched: the
        answer to "why is this asked?" costs fewer searches than the whole list.
        """
        base = self._normal(answers)
        open_outcomes = self._open(base, answers)
        scope: list[str] = []
        todo: list[str] = []
        for field in fields:
            if field in answers or len(self.domains[field]) < 2:
                continue
            for o in self._by_field[field]:
                target = scope if o.kind == "journey" else todo
                if o.id not in open_outcomes or o.journey in scope or o.journey in target:
                    continue
                if self._witness(field, o, base, answers) is not None:
                    target.append(o.journey)
        return scope, [j for j in todo if j not in scope]

    # -- the search -------------------------------------------------------------------------

    def _effect(
        self, field: str, base: dict[str, Any], open_outcomes: set[str], unanswered: frozenset[str]
    ) -> float:
        rest = unanswered - {field}
        touched: dict[str, list[Outcome]] = {}
        for o in self._by_field[field]:
            if o.id in open_outcomes:
                touched.setdefault(o.journey, []).append(o)
        values = self.domains[field]
        settled = 0
        for v in values:
            assign = {**base, field: v}
            for journey, outcomes in touched.items():
                seen = self._seen(assign, journey)
                settled += sum(1 for o in outcomes if seen[o.id].sure(o.support & rest))
        return settled / len(values)

    def _normal(self, answers: Answers) -> dict[str, Any]:
        return {k: _hashable(v) for k, v in answers.items()}

    def _open(self, base: dict[str, Any], answers: Answers) -> set[str]:
        """Outcomes not already sure with every unanswered field unknown."""
        unanswered = frozenset(f for f in FIELDS if f not in answers)
        out: set[str] = set()
        for journey, outcomes in self._by_journey.items():
            seen = self._seen(base, journey)
            out.update(o.id for o in outcomes if not seen[o.id].sure(o.support & unanswered))
        return out

    def _witness(
        self, field: str, outcome: Outcome, base: dict[str, Any], answers: Answers
    ) -> Witness | None:
        free = [f for f in self.order if f in outcome.support and f not in answers and f != field]
        values = self.domains[field]

        def search(assign: dict[str, Any], i: int) -> Witness | None:
            if self._untouched(field, outcome, assign):
                return None
            unassigned = frozenset(free[i:])
            seen = [self._seen({**assign, field: v}, outcome.journey)[outcome.id] for v in values]
            if i == len(free):
                sure_values = [(s.value, v) for s, v in zip(seen, values, strict=True)]
            else:
                sure_values = [
                    (s.value, v) for s, v in zip(seen, values, strict=True) if s.sure(unassigned)
                ]
            for (a, va), (b, vb) in combinations(sure_values, 2):
                if a != b:
                    others = {k: _json(v) for k, v in assign.items() if k not in answers}
                    return Witness(field, outcome.id, others, _json(va), _json(vb))
            if len(sure_values) == len(values):
                return None  # the same sure value whatever the field: nothing to find below
            nxt = free[i]
            for w in self.domains[nxt]:
                found = search({**assign, nxt: w}, i + 1)
                if found is not None:
                    return found
            return None

        return search(base, 0)

    def _untouched(self, field: str, outcome: Outcome, assign: dict[str, Any]) -> bool:
        """True when ``field`` cannot change ``outcome`` under ``assign``, whatever the rest.

        The outcome is a function of the states of its rules. When every one of them that
        depends on ``field`` is already surely true or false with ``field`` and every
        unassigned field unknown, no value of those fields changes them (three-valued
        logic is sound), so the outcome does not depend on ``field`` there.
        """
        evaluation, values = self._evaluate(outcome.journey, assign)
        facts = evaluation.facts

        def value_of(atom: Atom) -> Truth:
            return facts.get(atom.key) if atom.kind == "fact" else values.get(atom.key)

        for rid in outcome.rules:
            if field not in self._deep[rid]:
                continue
            if rid in self._quiet:
                state = guarded(self.ruleset.formulas[rid], self.ruleset.guards.get(rid), value_of)
            else:
                state = evaluation.states[rid]
            if state is None:
                return False
        return True

    def _key(self, journey: str, assign: dict[str, Any]) -> tuple[str, _Items]:
        """An assignment as one journey sees it: the answers to the fields its rules read."""
        fields = self._journeys[journey].fields
        return journey, tuple(sorted(item for item in assign.items() if item[0] in fields))

    def _evaluate(self, journey: str, assign: dict[str, Any]) -> tuple[Evaluation, dict[str, bool]]:
        """A journey's rules run on the answers to the fields they read (cached)."""
        key = self._key(journey, assign)
        hit = self._states.get(key)
        if hit is not None:
            return hit
        if len(self._states) >= CACHE_SIZE:
            self._states.clear()
        self.evaluations += 1
        values = answer_atoms(dict(key[1]))
        result = (self._journeys[journey].interpreter.evaluate_atoms(values), values)
        self._states[key] = result
        return result

    def _seen(self, assign: dict[str, Any], journey: str) -> dict[str, _Seen]:
        """The outcomes of one journey under an assignment (cached)."""
        key = self._key(journey, assign)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self.decisions += 1
        evaluation, _ = self._evaluate(journey, assign)
        known = {k: v for k, v in key[1] if v is not None}
        out = self._journeys[journey].decider.decide_journey(journey, known, evaluation)
        seen = _outcome_values(out, self._advice_fields)
        self._cache[key] = seen
        return seen


_Items = tuple[tuple[str, Any], ...]


class _JourneyRules:
    """One journey's rules (and those concluding the facts they read), ready to run."""

    def __init__(self, ruleset: RuleSet, journey: str, deep: Mapping[str, frozenset[str]]) -> None:
        restricted = journey_ruleset(ruleset, journey)
        self.interpreter = Interpreter(restricted)
        self.decider = Decider(restricted)
        self.fields: frozenset[str] = frozenset().union(*(deep[r.id] for r in restricted.rules))


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def outcome_values(decision: Decision) -> dict[str, tuple[Any, ...]]:
    """The outcomes of a decision that relevance compares, by journey, prerequisite or step id."""
    out: dict[str, tuple[Any, ...]] = {}
    for j in decision.journeys:
        ops = tuple(j.operations) if j.operations is not None else None
        out[j.id] = (j.status, j.variant, ops)
        for p in j.prerequisites:
            out[p.id] = (p.met,)
        for s in j.steps:
            out[s.id] = (s.status,)
            out[s.id + ADVICE] = (tuple(s.advice),)
    return out


_NOTHING: frozenset[str] = frozenset()

#: The rounds of :meth:`Relevance.next_field`: what decides whether journeys apply (and
#: their variant) first, then everything else.
_ALL_KINDS: frozenset[OutcomeKind] = frozenset({"journey", "prerequisite", "step", "advice"})
_ROUNDS: tuple[tuple[Stage, frozenset[OutcomeKind], bool], ...] = (
    ("scope", frozenset({"journey"}), True),
    ("details", _ALL_KINDS, False),
    ("last", _ALL_KINDS, True),
)


def _outcome_values(j: JourneyOut, advice_fields: Mapping[str, frozenset[str]]) -> dict[str, _Seen]:
    """The outcomes of one decided journey, with what makes each sure."""
    out: dict[str, _Seen] = {}
    settled = j.status != "undetermined"
    out_of_scope = j.status == "not_applicable"
    # a variant or prerequisite left open by an unknown field lists it in ``missing``
    journey_open = _NOTHING if out_of_scope else frozenset(j.missing)
    ops = tuple(j.operations) if j.operations is not None else None
    out[j.id] = _Seen((j.status, j.variant, ops), settled, journey_open)
    for p in j.prerequisites:
        p_open = _NOTHING if p.met is not None else journey_open
        out[p.id] = _Seen((p.met,), settled, p_open)
    for s in j.steps:
        step_settled = s.status != "undetermined"
        out[s.id] = _Seen((s.status,), step_settled, _NOTHING)
        # advice rules speak only when they surely hold: an unknown one may still speak
        quiet = s.status in ("not_applicable", "done")
        out[s.id + ADVICE] = _Seen(
            (tuple(s.advice),), step_settled, _NOTHING if quiet else advice_fields[s.id + ADVICE]
        )
    return out


def deep_fields(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """The fields each rule depends on: its own, its guard's, and its derived facts'."""
    deep: dict[str, frozenset[str]] = {}

    def rule_fields(rule_id: str) -> frozenset[str]:
        if rule_id not in deep:
            found: set[str] = set()
            for f in (ruleset.formulas[rule_id], ruleset.guards.get(rule_id)):
                if f is None:
                    continue
                for a in atoms(f):
                    if a.kind == "field":
                        found.add(a.field)
                    else:  # facts form no cycle (the loader checks)
                        found |= rule_fields(ruleset.fact_rule[a.key])
            deep[rule_id] = frozenset(found)
        return deep[rule_id]

    for r in ruleset.rules:
        rule_fields(r.id)
    return deep


def _outcomes(ruleset: RuleSet, deep: Mapping[str, frozenset[str]]) -> list[Outcome]:
    """Every outcome of the catalogue with the rules that conclude it and their fields."""

    def union(rule_ids: Iterable[str]) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for rid in rule_ids:
            out |= deep[rid]
        return out

    rules = ruleset.rules
    outcomes: list[Outcome] = []
    for j in ruleset.journeys:
        status = tuple(r.id for r in rules if r.then.journey == j.id and r.then.status)
        variant = tuple(r.id for r in rules if r.then.journey == j.id and r.then.variant)
        outcomes.append(
            Outcome(j.id, "journey", j.id, union(status + variant), rules=status + variant)
        )
        for p in j.prerequisites:
            own = tuple(r.id for r in rules if r.then.prerequisite == p.id)
            outcomes.append(
                Outcome(p.id, "prerequisite", j.id, union(status + own), rules=status + own)
            )
        for s in j.steps:
            own = tuple(r.id for r in rules if s.id in r.then.steps and r.then.status)
            advice = tuple(r.id for r in rules if s.id in r.then.steps and r.then.advice)
            outcomes.append(Outcome(s.id, "step", j.id, union(status + own), rules=status + own))
            outcomes.append(
                Outcome(
                    s.id + ADVICE,
                    "advice",
                    j.id,
                    union(status + own + advice),
                    union(advice),
                    rules=status + own + advice,
                )
            )
    return outcomes
