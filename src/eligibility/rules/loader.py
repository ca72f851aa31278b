"""Load ``rules/`` into a validated :class:`RuleSet`.

Files are read in a fixed order (``ruleset.yaml``, then every ``journey.yaml`` and
``rules.yaml`` below it, sorted by path), validated with the models of
:mod:`eligibility.rules.model`, then checked as a whole: ids unique, every field, value,
journey, step, variant, prerequisite and derived fact a rule names exists, and derived
facts form no cycle. Any problem is a :class:`RuleFileError` naming the file and rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
import yaml
from pydantic import ValidationError

from eligibility.errors import RuleFileError
from eligibility.profile.model import FIELDS
from eligibility.profile.yamlio import load_yaml
from eligibility.rules.logic import Const, Formula, Or, atoms, formula
from eligibility.rules.model import (
    CATALOGUE,
    AllOf,
    AnyOf,
    Condition,
    FactTest,
    FieldTest,
    Journey,
    JourneyFile,
    NotOf,
    Rule,
    RuleFile,
    RulesetFile,
    SharedStep,
    SharedStepFile,
    Step,
)

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[3] / "rules"


@dataclass(frozen=True)
class RuleSet:
    """The loaded catalogue and rules, with the indexes every consumer needs."""

    name: str
    version: str
    journeys: tuple[Journey, ...]
    rules: tuple[Rule, ...]
    rule_files: Mapping[str, str]
    root: str = ""
    formulas: Mapping[str, Formula] = field(default_factory=dict)
    stages: Mapping[str, int] = field(default_factory=dict)
    fact_rule: Mapping[str, str] = field(default_factory=dict)
    guards: Mapping[str, Formula] = field(default_factory=dict)
    guarded_by: Mapping[str, str] = field(default_factory=dict)
    journey_guard: Mapping[str, Formula] = field(default_factory=dict)
    hash: str = ""
    shared_steps: tuple[SharedStep, ...] = ()

    @cached_property
    def shared_by_id(self) -> dict[str, SharedStep]:
        """Shared steps by id."""
        return {s.id: s for s in self.shared_steps}

    @cached_property
    def journey_by_id(self) -> dict[str, Journey]:
        """Journeys by id."""
        return {j.id: j for j in self.journeys}

    @cached_property
    def step_journey(self) -> dict[str, Journey]:
        """The journey each step id belongs to."""
        return {s.id: j for j in self.journeys for s in j.steps}

    @cached_property
    def rule_by_id(self) -> dict[str, Rule]:
        """Rules by id."""
        return {r.id: r for r in self.rules}

    def reports(self, rule_id: str) -> tuple[bool | None, ...]:
        """The outcomes an engine reports for a rule; any other outcome counts as false.

        Every rule reports when it holds and when it is unknown; a rule concluding a derived
        fact also reports when it fails (readers need the fact's value); a rule that only
        gives advice reports only when it holds (advice is given on sure grounds only).
        """
        then = self.rule_by_id[rule_id].then
        if then.fact:
            return (True, False, None)
        if then.advice and not then.status:
            return (True,)
        return (True, None)

    def fields_of(self, rule_id: str) -> list[str]:
        """The profile fields a rule's condition reads directly, in order."""
        seen: dict[str, None] = {}
        for a in atoms(self.formulas[rule_id]):
            if a.kind == "field":
                seen[a.field] = None
        return list(seen)

    def facts_of(self, rule_id: str) -> list[str]:
        """The derived facts a rule's condition reads, in order."""
        return [a.key for a in atoms(self.formulas[rule_id]) if a.kind == "fact"]

    def canonical(self) -> dict[str, Any]:
        """The engine-neutral model as plain JSON data (what the hash covers)."""
        out = {
            "name": self.name,
            "version": self.version,
            "journeys": [
                j.model_dump(mode="json", by_alias=True, exclude_none=True) for j in self.journeys
            ],
            "rules": [
                r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in self.rules
            ],
        }
        if self.shared_steps:
            out["shared_steps"] = [
                s.model_dump(mode="json", exclude_none=True) for s in self.shared_steps
            ]
        return out


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(str(path), [f"cannot read: {exc.strerror}"]) from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(str(path), [f"not valid YAML: {exc}"]) from None


def _errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            rid = data["rules"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        return rid if isinstance(rid, str) else None
    return None


def _validate_rule_file(path: Path, data: Any) -> RuleFile:
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        rid = _rule_id_at(data, tuple(first["loc"]))
        raise RuleFileError(str(path), _errors(exc), rid) from None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def load_ruleset(directory: str | Path | None = None) -> RuleSet:
    """Load and check every catalogue and rule file under ``directory`` (default: ``rules/``).

    Raises:
        RuleFileError: naming the file (and the rule id) of the first invalid file.
    """
    root = (Path(directory) if directory is not None else DEFAULT_RULES_DIR).resolve()
    head_path = root / "ruleset.yaml"
    if not head_path.is_file():
        raise RuleFileError(str(head_path), ["missing: a rules directory needs ruleset.yaml"])
    try:
        head = RulesetFile.model_validate(_read_yaml(head_path))
    except ValidationError as exc:
        raise RuleFileError(str(head_path), _errors(exc)) from None

    journeys: dict[str, Journey] = {}
    journey_path: dict[str, str] = {}
    for path in sorted(root.rglob("journey.yaml")):
        try:
            journey = JourneyFile.model_validate(_read_yaml(path)).journey
        except ValidationError as exc:
            raise RuleFileError(_relative(path, root), _errors(exc)) from None
        if journey.id in journeys:
            raise RuleFileError(_relative(path, root), [f"journey {journey.id} is defined twice"])
        journeys[journey.id] = journey
        journey_path[journey.id] = _relative(path, root)

    missing = [j for j in head.journeys if j not in journeys]
    if missing:
        raise RuleFileError(str(head_path), [f"journeys without journey.yaml: {missing}"])
    extra = [j for j in journeys if j not in head.journeys]
    if extra:
        raise RuleFileError(journey_path[extra[0]], ["journey not listed in ruleset.yaml"])

    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    for path in sorted(root.rglob("rules.yaml")):
        rel = _relative(path, root)
        for rule in _validate_rule_file(path, _read_yaml(path)).rules:
            if rule.id in rule_files:
                raise RuleFileError(
                    rel, [f"duplicate rule id (also in {rule_files[rule.id]})"], rule.id
                )
            rule_files[rule.id] = rel
            rules.append(rule)

    ordered = tuple(journeys[j] for j in head.journeys)
    _check_catalogue(ordered, journey_path)
    shared = _load_shared_steps(root)
    _check_shared(ordered, shared, journey_path)
    fact_rule = _check_rules(rules, rule_files, ordered)
    formulas = {r.id: formula(r.when) for r in rules}
    _check_dependencies(ordered, fact_rule, journey_path)
    journey_guard = journey_guards(rules, formulas, ordered)
    guarded_by = _guarded_by(rules, ordered)
    guards = {rid: journey_guard[j] for rid, j in guarded_by.items()}
    stages = _stages(rules, formulas, guards, fact_rule, rule_files)
    parts = {
        "name": head.name,
        "version": head.version,
        "journeys": ordered,
        "rules": tuple(rules),
        "rule_files": rule_files,
        "root": str(root),
        "formulas": formulas,
        "stages": stages,
        "fact_rule": fact_rule,
        "guards": guards,
        "guarded_by": guarded_by,
        "journey_guard": journey_guard,
        "shared_steps": shared,
    }
    unhashed = RuleSet(**parts)  # type: ignore[arg-type]
    digest = hashlib.sha256(orjson.dumps(unhashed.canonical(), option=orjson.OPT_SORT_KEYS))
    return RuleSet(**parts, hash="sha256:" + digest.hexdigest())  # type: ignore[arg-type]


def _check_catalogue(journeys: Iterable[Journey], paths: Mapping[str, str]) -> None:
    seen: dict[str, str] = {}
    for j in journeys:
        for s in j.steps:
            if not s.id.startswith(j.id + "."):
                raise RuleFileError(paths[j.id], [f"step {s.id} must start with '{j.id}.'"])
            if s.id in seen:
                raise RuleFileError(paths[j.id], [f"step {s.id} is defined twice"])
            seen[s.id] = j.id
            for p in s.prerequisites:
                if p not in {x.id for x in j.steps}:
                    raise RuleFileError(paths[j.id], [f"step {s.id}: unknown prerequisite {p}"])


SHARED_STEPS_FILE = "shared-steps.yaml"


def _load_shared_steps(root: Path) -> tuple[SharedStep, ...]:
    """``shared-steps.yaml`` (optional): the steps several journeys point to."""
    path = root / SHARED_STEPS_FILE
    if not path.is_file():
        return ()
    try:
        return tuple(SharedStepFile.model_validate(_read_yaml(path)).shared_steps)
    except ValidationError as exc:
        raise RuleFileError(SHARED_STEPS_FILE, _errors(exc)) from None


def _check_shared(
    journeys: Iterable[Journey], shared: tuple[SharedStep, ...], paths: Mapping[str, str]
) -> None:
    ids = [s.id for s in shared]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleFileError(SHARED_STEPS_FILE, [f"shared step {dupes[0]} is defined twice"])
    for s in shared:
        unknown = [p for p in s.prerequisites if p not in ids]
        if unknown:
            raise RuleFileError(
                SHARED_STEPS_FILE, [f"shared step {s.id}: unknown prerequisite {unknown[0]}"]
            )
    used: set[str] = set()
    for j in journeys:
        for step in j.steps:
            if step.shared is None:
                continue
            if step.shared not in ids:
                raise RuleFileError(
                    paths[j.id],
                    [
                        f"step {step.id}: unknown shared step "
                        f"{step.shared!r} (see {SHARED_STEPS_FILE})"
                    ],
                )
            used.add(step.shared)
    orphans = [i for i in ids if i not in used]
    if orphans:
        raise RuleFileError(SHARED_STEPS_FILE, [f"shared step {orphans[0]} is used by no step"])


def _check_dependencies(
    journeys: tuple[Journey, ...], fact_rule: Mapping[str, str], paths: Mapping[str, str]
) -> None:
    by_id = {j.id: j for j in journeys}
    seen: set[str] = set()
    for j in journeys:
        own_steps = {s.id for s in j.steps}
        for d in j.depends_on:
            problems = []
            if d.id in seen:
                problems.append(f"dependency {d.id} is defined twice")
            seen.add(d.id)
            target = by_id.get(d.journey)
            if target is None or target.id == j.id:
                problems.append(f"dependency {d.id}: unknown or own journey {d.journey!r}")
            if d.when_variant and d.when_variant not in {v.id for v in j.variants}:
                problems.append(f"dependency {d.id}: {j.id} has no variant {d.when_variant!r}")
            if d.when_fact and d.when_fact not in fact_rule:
                problems.append(f"dependency {d.id}: unknown fact {d.when_fact!r}")
            if d.before and d.before not in own_steps:
                problems.append(f"dependency {d.id}: {d.before!r} is not a step of {j.id}")
            if target is not None:
                theirs = {s.id for s in target.steps}
                problems += [
                    f"dependency {d.id}: {s!r} is not a step of {target.id}"
                    for s in d.first
                    if s not in theirs
                ]
            if problems:
                raise RuleFileError(paths[j.id], problems)


def _walk(cond: Condition | None) -> Iterable[FieldTest | FactTest]:
    if cond is None:
        return
    if isinstance(cond, FieldTest | FactTest):
        yield cond
    elif isinstance(cond, AllOf):
        for c in cond.all:
            yield from _walk(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from _walk(c)
    elif isinstance(cond, NotOf):
        yield from _walk(cond.not_)


def field_test_problem(test: FieldTest) -> str | None:
    """Say what is wrong with a field test (unknown field, operator or value), or None."""
    spec = FIELDS.get(test.field)
    if spec is None:
        return f"unknown profile field {test.field!r}; known: {', '.join(FIELDS)}"
    op, arg = test.operator, test.operand
    ops = {
        "bool": {"is"},
        "enum": {"is", "in"},
        "int": {"is", "in", "gte", "lte"},
        "list": {"contains", "contains_any", "is_empty"},
    }[spec.kind]
    if op not in ops:
        return f"{test.field} is a {spec.kind} field: use {', '.join(sorted(ops))}, not {op}"
    if spec.kind == "bool":
        return None if isinstance(arg, bool) else f"{test.field} is true or false, not {arg!r}"
    if op == "is_empty":
        return None
    values = arg if isinstance(arg, list) else [arg]
    if op in ("gte", "lte"):
        return None
    bad = [v for v in values if v not in spec.values or isinstance(v, bool)]
    if bad:
        allowed = ", ".join(str(v) for v in spec.values)
        return f"{test.field}: {bad[0]!r} is not an allowed value; allowed: {allowed}"
    return None


def _check_rules(
    rules: list[Rule], files: Mapping[str, str], journeys: tuple[Journey, ...]
) -> dict[str, str]:
    by_journey = {j.id: j for j in journeys}
    steps = {s.id: j for j in journeys for s in j.steps}
    rule_ids = {r.id for r in rules}
    fact_rule: dict[str, str] = {}
    for r in rules:
        if r.then.fact:
            if r.then.fact in fact_rule:
                raise RuleFileError(
                    files[r.id],
                    [
                        f"fact {r.then.fact} is already concluded by "
                        f"{fact_rule[r.then.fact]}; a fact has one rule"
                    ],
                    r.id,
                )
            fact_rule[r.then.fact] = r.id
    for r in rules:
        problems: list[str] = []
        for test in _walk(r.when):
            if isinstance(test, FieldTest):
                problem = field_test_problem(test)
                if problem:
                    problems.append(f"when: {problem}")
            elif test.fact not in fact_rule:
                problems.append(f"when: unknown fact {test.fact!r}")
        t = r.then
        if t.journey:
            journey = by_journey.get(t.journey)
            if journey is None:
                problems.append(f"then: unknown journey {t.journey!r}")
            elif t.variant and t.variant not in {v.id for v in journey.variants}:
                problems.append(f"then: journey {t.journey} has no variant {t.variant!r}")
        for step in t.steps:
            if step not in steps:
                problems.append(f"then: unknown step {step!r}")
        step_owners = {steps[s].id for s in t.steps if s in steps}
        if len(step_owners) > 1:
            problems.append("then: the steps of one rule belong to one journey")
        if t.prerequisite:
            owners = [j for j in journeys if t.prerequisite in {p.id for p in j.prerequisites}]
            if not owners:
                problems.append(f"then: unknown prerequisite {t.prerequisite!r}")
        for over in r.precedence.over if r.precedence else ():
            if over != CATALOGUE and (over not in rule_ids or over == r.id):
                problems.append(
                    f"precedence.over: {over!r} is neither another rule nor {CATALOGUE!r}"
                )
        if problems:
            raise RuleFileError(files[r.id], problems, r.id)
    return fact_rule


def journey_guards(
    rules: list[Rule], formulas: Mapping[str, Formula], journeys: tuple[Journey, ...]
) -> dict[str, Formula]:
    """Each journey's applicability guard: the disjunction of its ``applies`` conditions.

    When the guard is surely false no rule can make the journey apply, and the rules
    about its steps, variant and prerequisites have nothing to say.
    """
    applies: dict[str, list[Formula]] = {j.id: [] for j in journeys}
    for r in rules:
        if r.then.journey and r.then.status == "applies":
            applies[r.then.journey].append(formulas[r.id])
    return {
        j: (fs[0] if len(fs) == 1 else Or(tuple(fs))) if fs else Const(False)
        for j, fs in applies.items()
    }


def _guarded_by(rules: list[Rule], journeys: tuple[Journey, ...]) -> dict[str, str]:
    """The journey guarding each rule about a journey's steps, variant or prerequisites."""
    owner_of_step = {s.id: j.id for j in journeys for s in j.steps}
    owner_of_prereq = {p.id: j.id for j in journeys for p in j.prerequisites}
    out: dict[str, str] = {}
    for r in rules:
        t = r.then
        if t.journey and t.status is None:
            out[r.id] = t.journey
        elif t.prerequisite:
            out[r.id] = owner_of_prereq[t.prerequisite]
        elif t.steps:
            out[r.id] = owner_of_step[t.steps[0]]
    return out


def _facts(f: Formula) -> list[str]:
    return [a.key for a in atoms(f) if a.kind == "fact"]


def _stages(
    rules: list[Rule],
    formulas: Mapping[str, Formula],
    guards: Mapping[str, Formula],
    fact_rule: Mapping[str, str],
    files: Mapping[str, str],
) -> dict[str, int]:
    """Stage of a rule = 1 + the highest stage of the rules concluding the facts it reads."""
    stages: dict[str, int] = {}
    visiting: list[str] = []

    def stage(rule_id: str) -> int:
        if rule_id in stages:
            return stages[rule_id]
        if rule_id in visiting:
            cycle = " -> ".join([*visiting[visiting.index(rule_id) :], rule_id])
            raise RuleFileError(files[rule_id], [f"derived facts form a cycle: {cycle}"], rule_id)
        visiting.append(rule_id)
        read = _facts(formulas[rule_id]) + (_facts(guards[rule_id]) if rule_id in guards else [])
        value = 1 + max((stage(fact_rule[f]) for f in read), default=-1)
        visiting.pop()
        stages[rule_id] = value
        return value

    for r in rules:
        stage(r.id)
    return stages


def step_by_id(ruleset: RuleSet) -> dict[str, Step]:
    """Every step of the catalogue by id."""
    return {s.id: s for j in ruleset.journeys for s in j.steps}


def journey_rules(ruleset: RuleSet, journey_id: str) -> list[str]:
    """The ids of the rules a journey's outcomes depend on, in file order.

    Its own rules (status, variant, prerequisites, steps) and, transitively, the rules
    concluding the derived facts they, its guard and its dependencies read. Rules of
    different journeys never read each other except through derived facts, so a journey's
    outcomes can be computed from these rules alone.
    """
    journey = ruleset.journey_by_id[journey_id]
    steps = {s.id for s in journey.steps}
    prereqs = {p.id for p in journey.prerequisites}
    wanted: set[str] = set()
    for r in ruleset.rules:
        t = r.then
        if t.journey == journey_id or t.prerequisite in prereqs or set(t.steps) & steps:
            wanted.add(r.id)
    wanted |= {
        ruleset.fact_rule[d.when_fact] for d in journey.depends_on if d.when_fact is not None
    }
    todo = list(wanted)
    while todo:
        rid = todo.pop()
        read = [ruleset.formulas[rid]] + ([ruleset.guards[rid]] if rid in ruleset.guards else [])
        for fact in (a.key for f in read for a in atoms(f) if a.kind == "fact"):
            dep = ruleset.fact_rule[fact]
            if dep not in wanted:
                wanted.add(dep)
                todo.append(dep)
    return [r.id for r in ruleset.rules if r.id in wanted]
