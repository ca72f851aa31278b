"""Three-valued logic over the rule conditions.

A condition is turned into a small formula over *atoms*. A profile atom is one yes/no
proposition about one field ("``storage_role`` is ``archive``", "``ror_roles`` contains
``consumer``"); a fact atom is a derived fact concluded by another rule. An atom whose
field is unknown is unknown (``None``), and formulas follow Kleene's strong logic: an
``all`` with one false member is false even if another is unknown, and so on. This is how
"unknown is an answer" is kept all the way from the profile to the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from eligibility.profile.model import FIELDS, FieldSpec, Profile
from eligibility.rules.model import AllOf, AnyOf, Condition, FactTest, FieldTest, NotOf

Truth = bool | None  # True, False, or None for unknown


def atom_key(field: str, value: Any) -> str:
    """Return the flat key of the atom "``field`` has/contains ``value``".

    A boolean field is its own atom; other fields get one atom per allowed value.
    """
    spec = FIELDS[field]
    if spec.kind == "bool":
        return field
    return f"{field}__{value}"


def profile_atoms(profile: Profile) -> dict[str, bool]:
    """Return every atom of every known field, true or false. Unknown fields give none."""
    return answer_atoms(profile.known())


def answer_atoms(answers: Mapping[str, Any]) -> dict[str, bool]:
    """Return the atoms of answers given as field -> JSON value (None: unknown, no atoms)."""
    out: dict[str, bool] = {}
    for name, value in answers.items():
        if value is None:
            continue
        kind, keys = _ATOM_KEYS[name]
        if kind == "bool":
            out[name] = bool(value)
        elif kind == "list":
            members = set(value)
            for v, key in keys:
                out[key] = v in members
        else:
            for v, key in keys:
                out[key] = v == value
    return out


# Each field's kind and its (value, atom key) pairs, made once: every evaluation needs them.
_ATOM_KEYS: dict[str, tuple[str, tuple[tuple[Any, str], ...]]] = {
    name: (spec.kind, tuple((v, f"{name}__{v}") for v in spec.values))
    for name, spec in FIELDS.items()
}


# --- formulas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    """A profile atom (``kind='field'``, key as :func:`atom_key`) or a derived fact."""

    kind: Literal["field", "fact"]
    key: str
    field: str = ""


@dataclass(frozen=True)
class Not:
    """Negation."""

    arg: Formula


@dataclass(frozen=True)
class And:
    """Conjunction."""

    args: tuple[Formula, ...]


@dataclass(frozen=True)
class Or:
    """Disjunction."""

    args: tuple[Formula, ...]


@dataclass(frozen=True)
class Const:
    """A constant (an empty ``in`` list, an out-of-range ``gte``)."""

    value: bool


Formula = Atom | Not | And | Or | Const


def _field_atoms(spec: FieldSpec, values: list[Any]) -> Formula:
    atoms = [Atom("field", atom_key(spec.name, v), spec.name) for v in values]
    if not atoms:
        return Const(False)
    return atoms[0] if len(atoms) == 1 else Or(tuple(atoms))


def field_formula(test: FieldTest) -> Formula:
    """Translate a field test into a formula over that field's atoms.

    The test is assumed valid for the field (the loader checks operators and values).
    """
    spec = FIELDS[test.field]
    op, arg = test.operator, test.operand
    if spec.kind == "bool":
        atom = Atom("field", test.field, test.field)
        return atom if arg is True else Not(atom)
    if op == "is" or op == "contains":
        return _field_atoms(spec, [arg])
    if op == "in" or op == "contains_any":
        return _field_atoms(spec, list(arg))
    if op == "gte":
        return _field_atoms(spec, [v for v in spec.values if v >= arg])
    if op == "lte":
        return _field_atoms(spec, [v for v in spec.values if v <= arg])
    if op == "is_empty":
        members = _field_atoms(spec, list(spec.values))
        return Not(members) if arg else members
    raise ValueError(f"operator {op} does not apply to field {test.field}")


def formula(cond: Condition | None) -> Formula:
    """Translate a rule condition into a formula. No condition means always true."""
    if cond is None:
        return Const(True)
    if isinstance(cond, FieldTest):
        return field_formula(cond)
    if isinstance(cond, FactTest):
        atom = Atom("fact", cond.fact)
        return atom if cond.is_ else Not(atom)
    if isinstance(cond, AllOf):
        return And(tuple(formula(c) for c in cond.all))
    if isinstance(cond, AnyOf):
        return Or(tuple(formula(c) for c in cond.any))
    if isinstance(cond, NotOf):
        return Not(formula(cond.not_))
    raise TypeError(f"not a condition: {cond!r}")


def atoms(f: Formula) -> Iterator[Atom]:
    """Yield the atoms of a formula, in order of first appearance, without repeats."""
    seen: set[Atom] = set()

    def walk(g: Formula) -> Iterator[Atom]:
        if isinstance(g, Atom):
            if g not in seen:
                seen.add(g)
                yield g
        elif isinstance(g, Not):
            yield from walk(g.arg)
        elif isinstance(g, And | Or):
            for a in g.args:
                yield from walk(a)

    yield from walk(f)


def kleene_not(a: Truth) -> Truth:
    """Three-valued negation."""
    return None if a is None else not a


def evaluate(f: Formula, value_of: Callable[[Atom], Truth]) -> Truth:
    """Evaluate a formula with Kleene's strong three-valued logic."""
    if isinstance(f, Atom):
        return value_of(f)
    if isinstance(f, Const):
        return f.value
    if isinstance(f, Not):
        return kleene_not(evaluate(f.arg, value_of))
    if isinstance(f, And):
        result: Truth = True
        for a in f.args:
            v = evaluate(a, value_of)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    result = False
    for a in f.args:
        v = evaluate(a, value_of)
        if v is True:
            return True
        if v is None:
            result = None
    return result


def possible_values(f: Formula, fixed: Mapping[Atom, Truth]) -> set[Truth]:
    """Return the values ``f`` can take when the atoms not in ``fixed`` may be anything.

    Atoms are treated independently, so the result may be wider than the truth, never
    narrower: a single value here is a sure value.
    """
    if isinstance(f, Atom):
        return {fixed[f]} if f in fixed else {True, False, None}
    if isinstance(f, Const):
        return {f.value}
    if isinstance(f, Not):
        return {kleene_not(v) for v in possible_values(f.arg, fixed)}
    sets = [possible_values(a, fixed) for a in f.args]
    combine = _and if isinstance(f, And) else _or
    acc = sets[0]
    for s in sets[1:]:
        acc = {combine(x, y) for x in acc for y in s}
    return acc


def _and(x: Truth, y: Truth) -> Truth:
    if x is False or y is False:
        return False
    return None if x is None or y is None else True


def _or(x: Truth, y: Truth) -> Truth:
    if x is True or y is True:
        return True
    return None if x is None or y is None else False


def paths(f: Formula, target: Truth, guard: Formula | None = None) -> list[dict[Atom, Truth]]:
    """Return mutually exclusive partial assignments under which ``f`` surely equals ``target``.

    With a ``guard``, only assignments under which the guard is surely not false are kept
    (see :func:`guarded`). Every complete assignment of the atoms that gives ``target``
    (with the guard not false) extends exactly one of the returned assignments. The compiler
    turns each into one engine pattern, so that a rule fires once, never once per true
    branch of an ``any``.
    """
    order = list(atoms(f))
    if guard is not None:
        order += [a for a in atoms(guard) if a not in order]
    out: list[dict[Atom, Truth]] = []

    def walk(i: int, fixed: dict[Atom, Truth]) -> None:
        values = possible_values(f, fixed)
        gvalues = possible_values(guard, fixed) if guard is not None else {True}
        if target not in values or gvalues == {False}:
            return
        if values == {target} and False not in gvalues:
            out.append(dict(fixed))
            return
        atom = order[i]
        for v in _consistent_values(atom, fixed):
            fixed[atom] = v
            walk(i + 1, fixed)
            del fixed[atom]

    walk(0, {})
    return out


def _consistent_values(atom: Atom, fixed: Mapping[Atom, Truth]) -> tuple[Truth, ...]:
    """The values an atom can take given the atoms of the same field already fixed.

    A field is known or unknown as a whole, so its atoms are all known or all unknown;
    an enum or integer field has one value, so once one of its atoms is true the others
    are false.
    """
    if atom.kind != "field":
        return (True, False, None)
    siblings = [v for a, v in fixed.items() if a.kind == "field" and a.field == atom.field]
    if not siblings:
        return (True, False, None)
    if None in siblings:
        return (None,)
    if True in siblings and FIELDS[atom.field].kind in ("enum", "int"):
        return (False,)
    return (True, False)


def guarded(f: Formula, guard: Formula | None, value_of: Callable[[Atom], Truth]) -> Truth:
    """Evaluate ``f`` when ``guard`` is not surely false; a false guard makes it false.

    Rules about a journey's steps, variant and prerequisites are guarded by the journey's
    applicability: when no rule can make the journey apply they have nothing to say.
    """
    if guard is not None and evaluate(guard, value_of) is False:
        return False
    return evaluate(f, value_of)
