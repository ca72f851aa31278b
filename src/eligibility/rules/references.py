"""The references of a rule set, checked on load: every id a file names exists.

Steps start with their journey's id and have known prerequisites; shared steps are defined
once and used; rules name known fields (with operators and values their kind allows),
facts, journeys, variants, steps, prerequisites and rules they take precedence over;
dependencies between journeys name known journeys, variants, facts and steps. A problem is
a :class:`~eligibility.errors.RuleFileError` naming the file and the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from eligibility.errors import RuleFileError
from eligibility.profile.model import FIELDS
from eligibility.rules.model import (
    CATALOGUE,
    SHARED_STEPS_FILE,
    AllOf,
    AnyOf,
    Condition,
    FactTest,
    FieldTest,
    Journey,
    NotOf,
    Rule,
    SharedStep,
)


def check_catalogue(journeys: Iterable[Journey], paths: Mapping[str, str]) -> None:
    """Every step id starts with its journey's, is defined once, and has known prerequisites;
    a prerequisite is obtained by a step of its journey."""
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
        for pre in j.prerequisites:
            if pre.obtained_by and pre.obtained_by not in {x.id for x in j.steps}:
                raise RuleFileError(
                    paths[j.id],
                    [
                        f"prerequisite {pre.id}: obtained_by {pre.obtained_by} "
                        "is not a step of the journey"
                    ],
                )


def check_shared(
    journeys: Iterable[Journey], shared: tuple[SharedStep, ...], paths: Mapping[str, str]
) -> None:
    """Shared steps are defined once, have known prerequisites, and each is used by a step
    naming a known one."""
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


def check_dependencies(
    journeys: tuple[Journey, ...], fact_rule: Mapping[str, str], paths: Mapping[str, str]
) -> None:
    """Dependencies between journeys name known journeys, variants, facts and steps."""
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


def check_rule_references(
    rules: list[Rule], files: Mapping[str, str], journeys: tuple[Journey, ...]
) -> dict[str, str]:
    """Each rule's fields, values, facts, journeys, variants, steps, prerequisites and
    precedence exist, and each derived fact has one rule; returns fact -> rule id."""
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
