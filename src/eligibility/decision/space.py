"""The finite space of decisive answers of one journey, and how to walk it fast.

A journey's outcomes depend only on the fields its rules read (its own rules, the rules
concluding the derived facts they read, its applicability guard). Each of those fields has
finitely many answers *that make a difference*:

- a boolean: ``true``, ``false``, unknown;
- an enum or integer field: one value per class of values the rules cannot tell apart
  (each value a rule compares with alone, one for the values no rule reads), and unknown;
- a list field: every subset of its member classes (a member no rule reads is left out;
  members only ever read together in one ``any`` count once), and unknown.

Walking the product of these answers with the plain-Python interpreter covers every
distinct behaviour of the journey's rules; the analysis (:mod:`eligibility.tooling.analysis`) and
the counterfactuals of :mod:`eligibility.explain.explanation` both do it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations
from typing import Any

from eligibility.decision.model import JourneyOut
from eligibility.decision.policy import Decider
from eligibility.engine.evaluation import Evaluation
from eligibility.engine.interpreter import Interpreter
from eligibility.profile.model import FIELDS
from eligibility.rules.loader import RuleSet, journey_rules
from eligibility.rules.logic import And, Atom, Formula, Not, Or, answer_atoms, atom_key, atoms

EXAMPLE_ID = "counterexample"


def _all_formulas(ruleset: RuleSet) -> list[Formula]:
    return [*ruleset.formulas.values(), *ruleset.journey_guard.values()]


def value_classes(ruleset: RuleSet) -> dict[str, tuple[Any, ...]]:
    """For each field, one value per class of values the rules cannot tell apart.

    A list field gets every subset of its member classes, as tuples (hashable; the search
    keys its cache by assignment). A field no rule reads gets one value (it can never be
    relevant).
    """
    parents: dict[str, set[int]] = {}
    alone: set[str] = set()

    def walk(f: Formula, parent: Formula | None) -> None:
        if isinstance(f, Atom):
            if f.kind == "field":
                parents.setdefault(f.key, set())
                if isinstance(parent, Or):
                    parents[f.key].add(id(parent))
                else:
                    alone.add(f.key)
        elif isinstance(f, Not):
            walk(f.arg, f)
        elif isinstance(f, And | Or):
            for a in f.args:
                walk(a, f)

    formulas = _all_formulas(ruleset)
    for f in formulas:
        walk(f, None)

    out: dict[str, tuple[Any, ...]] = {}
    for name, spec in FIELDS.items():
        if spec.kind == "bool":
            out[name] = (True, False) if name in parents else (True,)
            continue
        classes: dict[Any, list[Any]] = {}
        for v in spec.values:
            key = atom_key(name, v)
            if key not in parents:
                label: Any = "unread"
            elif key in alone:
                label = ("alone", v)
            else:
                label = frozenset(parents[key])
            classes.setdefault(label, []).append(v)
        if spec.kind in ("enum", "int"):
            out[name] = tuple(members[0] for members in classes.values())
            continue
        read = [members[0] for label, members in classes.items() if label != "unread"]
        order = {v: i for i, v in enumerate(spec.values)}
        subsets = [c for n in range(len(read) + 1) for c in combinations(read, n)]
        out[name] = tuple(tuple(sorted(c, key=order.__getitem__)) for c in subsets)
    return out


@dataclass(frozen=True)
class Dimension:
    """One field of the space and its decisive answers (JSON values, ``None`` = unknown)."""

    field: str
    answers: tuple[Any, ...]


def journey_ruleset(ruleset: RuleSet, journey_id: str) -> RuleSet:
    """The rule set restricted to one journey and the rules it depends on.

    Evaluating it gives the same outcomes for that journey as the whole rule set (rules
    of other journeys never read each other except through derived facts, which are kept),
    at a cost that does not grow with the size of the catalogue.
    """
    keep = set(journey_rules(ruleset, journey_id))
    return replace(
        ruleset,
        journeys=(ruleset.journey_by_id[journey_id],),
        rules=tuple(r for r in ruleset.rules if r.id in keep),
        formulas={k: v for k, v in ruleset.formulas.items() if k in keep},
        guards={k: v for k, v in ruleset.guards.items() if k in keep},
        guarded_by={k: v for k, v in ruleset.guarded_by.items() if k in keep},
        journey_guard={journey_id: ruleset.journey_guard[journey_id]},
    )


def dimensions(ruleset: RuleSet, rule_ids: list[str]) -> list[Dimension]:
    """The decisive answers of every field the given rules (and their guards) read.

    The answers are the value classes of :func:`value_classes` (values no rule
    tells apart count once, list members always read together in one ``any`` too), and
    unknown.
    """
    read: set[str] = set()
    for rid in rule_ids:
        formulas = [ruleset.formulas[rid]]
        if rid in ruleset.guards:
            formulas.append(ruleset.guards[rid])
        read |= {a.field for f in formulas for a in atoms(f) if a.kind == "field"}
    classes = value_classes(ruleset)
    return [
        Dimension(name, (*(list(v) if isinstance(v, tuple) else v for v in classes[name]), None))
        for name in FIELDS
        if name in read
    ]


def field_atoms(name: str, value: Any) -> dict[str, bool]:
    """The atoms of one field's answer (what :func:`logic.profile_atoms` gives for it)."""
    return answer_atoms({name: value})


def example_profile(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A profile (contract shape) giving these answers; unknown fields are ``null``."""
    return {"id": EXAMPLE_ID, **answers}


class Point:
    """One answer set of the space, evaluated; its profile and decision are made on demand."""

    def __init__(
        self, space: JourneySpace, answers: dict[str, Any], atoms_: dict[str, bool]
    ) -> None:
        self.space = space
        self.answers = answers
        self.atoms = atoms_
        self.evaluation = space.interpreter.evaluate_atoms(atoms_)

    @cached_property
    def known(self) -> dict[str, Any]:
        """The known answers (what :meth:`Profile.known` gives for them)."""
        return {k: v for k, v in self.answers.items() if v is not None}

    @cached_property
    def journey(self) -> JourneyOut:
        """The journey's outcome for these answers."""
        return self.space.decide(self.known, self.evaluation)

    @property
    def key(self) -> tuple[bool | None, ...]:
        """The rule states, which (with the rule set) fix every outcome but ``missing``."""
        return tuple(self.evaluation.states.values())


class JourneySpace:
    """The answer space of one journey, with the evaluator and decider restricted to it."""

    def __init__(self, ruleset: RuleSet, journey_id: str) -> None:
        self.journey_id = journey_id
        self.ruleset = journey_ruleset(ruleset, journey_id)
        self.rule_ids = [r.id for r in self.ruleset.rules]
        self.dimensions = dimensions(self.ruleset, self.rule_ids)
        self.interpreter = Interpreter(self.ruleset)
        self.decider = Decider(self.ruleset)
        self._atoms = [[field_atoms(d.field, v) for v in d.answers] for d in self.dimensions]

    @property
    def size(self) -> int:
        """How many answer sets the space holds."""
        n = 1
        for d in self.dimensions:
            n *= len(d.answers)
        return n

    def decide(self, known: dict[str, Any], evaluation: Evaluation) -> JourneyOut:
        """The journey's outcome for an evaluation (another one, to test a rule's effect),
        given the known answers (``Profile.known()``)."""
        return self.decider.decide_journey(self.journey_id, known, evaluation)

    def evaluate(self, answers: Mapping[str, Any]) -> Point:
        """Evaluate one answer set (fields absent from ``answers`` are unknown)."""
        atoms_: dict[str, bool] = {}
        for name, value in answers.items():
            atoms_.update(field_atoms(name, value))
        return Point(self, dict(answers), atoms_)

    def points(self) -> Iterator[Point]:
        """Every answer set of the space, known answers before unknown ones."""
        names = [d.field for d in self.dimensions]
        for picks in itertools.product(*(range(len(d.answers)) for d in self.dimensions)):
            answers: dict[str, Any] = {}
            atoms_: dict[str, bool] = {}
            for i, pick in enumerate(picks):
                answers[names[i]] = self.dimensions[i].answers[pick]
                atoms_.update(self._atoms[i][pick])
            yield Point(self, answers, atoms_)
