"""Load ``rules/`` into a validated :class:`RuleSet`.

Files are read in a fixed order (``ruleset.yaml``, then every ``journey.yaml`` and
``rules.yaml`` below it, sorted by path), validated with the models of
:mod:`eligibility.rules.model`, then checked as a whole: ids unique, every field, value,
journey, step, variant, prerequisite and derived fact a rule names exists, and derived
facts form no cycle (:mod:`eligibility.rules.references`). Any problem is a
:class:`RuleFileError` naming the file and rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
import yaml
from pydantic import ValidationError

from eligibility.display import Sentence
from eligibility.errors import InputFileError, RuleFileError
from eligibility.profile.limits import RULE_FILE_BYTES, RULE_FILE_VALUES
from eligibility.profile.textfile import read_text
from eligibility.profile.yamlio import load_yaml, yaml_problem
from eligibility.rules.logic import Const, Formula, Or, atoms, formula
from eligibility.rules.model import (
    SHARED_STEPS_FILE,
    Journey,
    JourneyFile,
    Rule,
    RuleFile,
    RulesetFile,
    SharedStep,
    SharedStepFile,
    Step,
)
from eligibility.rules.references import (
    check_catalogue,
    check_dependencies,
    check_rule_references,
    check_shared,
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


def read_rule_yaml(path: Path, name: str | None = None) -> Any:
    """Read one YAML file of a rules directory (rules, cases, questions, translations).

    Raises:
        RuleFileError: naming the file (as ``name`` when given): it cannot be read, is
            larger than RULE_FILE_BYTES, is not UTF-8 text, or is not valid YAML (by the
            rules of :mod:`eligibility.profile.yamlio`: aliases bounded, no key twice).
    """
    shown_as = str(path) if name is None else name
    try:
        return load_yaml(
            read_text(path, RULE_FILE_BYTES, Sentence("rule file")), max_values=RULE_FILE_VALUES
        )
    except InputFileError as exc:
        raise RuleFileError(shown_as, [exc.detail]) from None
    except yaml.YAMLError as exc:
        raise RuleFileError(shown_as, [f"not valid YAML: {yaml_problem(exc)}"]) from None


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
        head = RulesetFile.model_validate(read_rule_yaml(head_path))
    except ValidationError as exc:
        raise RuleFileError(str(head_path), _errors(exc)) from None

    journeys: dict[str, Journey] = {}
    journey_path: dict[str, str] = {}
    for path in sorted(root.rglob("journey.yaml")):
        try:
            journey = JourneyFile.model_validate(read_rule_yaml(path)).journey
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
        for rule in _validate_rule_file(path, read_rule_yaml(path)).rules:
            if rule.id in rule_files:
                raise RuleFileError(
                    rel, [f"duplicate rule id (also in {rule_files[rule.id]})"], rule.id
                )
            rule_files[rule.id] = rel
            rules.append(rule)

    ordered = tuple(journeys[j] for j in head.journeys)
    check_catalogue(ordered, journey_path)
    shared = _load_shared_steps(root)
    check_shared(ordered, shared, journey_path)
    fact_rule = check_rule_references(rules, rule_files, ordered)
    formulas = {r.id: formula(r.when) for r in rules}
    check_dependencies(ordered, fact_rule, journey_path)
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


def _load_shared_steps(root: Path) -> tuple[SharedStep, ...]:
    """``shared-steps.yaml`` (optional): the steps several journeys point to."""
    path = root / SHARED_STEPS_FILE
    if not path.is_file():
        return ()
    try:
        return tuple(SharedStepFile.model_validate(read_rule_yaml(path)).shared_steps)
    except ValidationError as exc:
        raise RuleFileError(SHARED_STEPS_FILE, _errors(exc)) from None


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
