"""Compile a :class:`RuleSet` into a durable-rules ruleset (plain JSON data).

Pure and deterministic: the same rules give the same dict, key for key, so a golden file
of it shows reviewers what a YAML edit does to the Rete network.

How the rule model maps onto durable-rules (see ``shared/engine/durable-rules-notes.md``):

* The profile is one fact ``{"t": "profile", <atom>: true|false, ...}``; an unknown field
  has no atoms, so an unknown test is ``$nex``. Each derived fact is one fact
  ``{"t": "fact", "n": <name>, "v": "t"|"f"|"u"}``, asserted by the rule that concludes it.
* A rule becomes one durable rule per mutually exclusive *path* (:func:`logic.paths`) to
  each outcome it must report: holds (``T``), unknown (``U``) and, for rules that conclude a
  derived fact, fails (``F``) too, since readers of the fact need its value as a fact. Paths
  are exclusive, so a rule fires once per evaluation, never once per true ``any`` branch.
* Every pattern starts with a positive discriminator (``t``), joins compare constants only,
  and no ``$not`` is needed: a fact's three values are all positive facts.
* Paths that test the same derived facts share one durable rule (an ``$or`` of exclusive
  branches, which fires once); durable's C core walks every rule for every asserted fact,
  so fewer rules is what makes it fast.
* ``pri`` is the rule's stage (0 for profile-only rules; readers of a derived fact come after
  the rule concluding it), so firing order is stage then file order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from eligibility.rules.loader import RuleSet, journey_rules
from eligibility.rules.logic import Atom, Truth, paths

STATE_CODE: dict[Truth, str] = {True: "T", False: "F", None: "U"}
FACT_VALUE: dict[Truth, str] = {True: "t", False: "f", None: "u"}


@dataclass(frozen=True)
class Action:
    """What a compiled durable rule reports when it fires."""

    rule_id: str
    result: Truth
    asserts_fact: str | None


def _pattern_for_profile(literals: list[tuple[Atom, Truth]]) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [{"t": "profile"}]
    for atom, value in literals:
        if value is None:
            tests.append({"$nex": {atom.key: 1}})
        else:
            tests.append({atom.key: value})
    return {"$and": tests} if len(tests) > 1 else tests[0]


def _fact_pattern(alias: str, atom: Atom, value: Truth) -> dict[str, Any]:
    return {alias: {"$and": [{"t": "fact"}, {"n": atom.key}, {"v": FACT_VALUE[value]}]}}


def _grouped_patterns(assignments: list[dict[Atom, Truth]]) -> list[list[dict[str, Any]]]:
    """Turn exclusive assignments into durable pattern lists, one per set of fact tests.

    Assignments that test the same derived facts share one durable rule whose profile
    pattern is an ``$or`` of their profile tests. durable fires an ``$or`` once per true
    branch, but the branches are mutually exclusive, so it fires once; and fewer rules
    make a smaller network, which is what durable's C core spends its time walking.
    """
    groups: dict[tuple[tuple[str, Truth], ...], list[dict[str, Any]]] = {}
    for assignment in assignments:
        facts = tuple((a.key, v) for a, v in assignment.items() if a.kind == "fact")
        profile = [(a, v) for a, v in assignment.items() if a.kind == "field"]
        groups.setdefault(facts, []).append(_pattern_for_profile(profile))
    out = []
    for facts, all_profiles in groups.items():
        for profiles in _chunks(all_profiles):
            profile_pattern = (
                profiles[0]
                if len(profiles) == 1
                else {
                    "$and": [{"t": "profile"}, {"$or": [_strip_discriminator(p) for p in profiles]}]
                }
            )
            out.append(_with_joins(profile_pattern, facts))
    return out


# durable's C core allows 32 expressions in one pattern (ERR_EXPRESSION_LIMIT_EXCEEDED);
# stay well below, counting each test and each $and/$or.
_MAX_EXPRESSIONS = 24


def _size(pattern: Any) -> int:
    if isinstance(pattern, dict):
        return sum(1 + _size(v) if k in ("$and", "$or") else 1 for k, v in pattern.items())
    if isinstance(pattern, list):
        return sum(_size(p) for p in pattern)
    return 0


def _chunks(patterns: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    chunks: list[list[dict[str, Any]]] = [[]]
    size = 2
    for p in patterns:
        cost = _size(p)
        if chunks[-1] and size + cost > _MAX_EXPRESSIONS:
            chunks.append([])
            size = 2
        chunks[-1].append(p)
        size += cost
    return chunks


def _with_joins(
    profile_pattern: dict[str, Any], facts: tuple[tuple[str, Truth], ...]
) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = [{"p": profile_pattern}]
    for i, (key, value) in enumerate(facts):
        patterns.append(_fact_pattern(f"f{i}", Atom("fact", key), value))
    return patterns


def _strip_discriminator(pattern: dict[str, Any]) -> dict[str, Any]:
    tests = pattern.get("$and", [pattern])[1:]
    if not tests:
        return {"$nex": {"$never": 1}}  # the always-true test: no profile has this key
    return tests[0] if len(tests) == 1 else {"$and": tests}


def compile_ruleset(ruleset: RuleSet) -> tuple[dict[str, Any], dict[str, Action]]:
    """Return the durable ruleset definition and the action each ``run`` name stands for.

    Rules are emitted by stage, then in load order, so durable's stable sort by ``pri``
    keeps the file order within a stage. A rule about a journey's steps, variant or
    prerequisites carries the journey's guard in its patterns (see
    :func:`eligibility.rules.logic.guarded`).
    """
    definition: dict[str, Any] = {}
    actions: dict[str, Action] = {}
    order = sorted(range(len(ruleset.rules)), key=lambda i: ruleset.stages[ruleset.rules[i].id])
    for index in order:
        rule = ruleset.rules[index]
        stage = ruleset.stages[rule.id]
        f = ruleset.formulas[rule.id]
        guard = ruleset.guards.get(rule.id)
        for result in ruleset.reports(rule.id):
            run = f"{rule.id}#{STATE_CODE[result]}"
            actions[run] = Action(rule.id, result, rule.then.fact)
            for n, patterns in enumerate(_grouped_patterns(paths(f, result, guard))):
                definition[f"{run}{n}"] = {"all": patterns, "pri": stage, "run": run}
    return definition, actions


def partition(ruleset: RuleSet) -> list[list[str]]:
    """Split the rules into one group per journey (with the fact rules it reads), plus the
    rules no journey reads.

    durable's C core walks every rule of a network for every property of every asserted
    fact, so several small networks cost far less than one large one. A fact rule read by
    several journeys is compiled into each of their networks.
    """
    groups = [journey_rules(ruleset, j.id) for j in ruleset.journeys]
    covered = {rid for g in groups for rid in g}
    rest = [r.id for r in ruleset.rules if r.id not in covered]
    return [g for g in [*groups, rest] if g]


def networks(ruleset: RuleSet) -> list[RuleSet]:
    """The rule set split as :func:`partition` says, one restricted rule set per network."""
    out = []
    for group in partition(ruleset):
        keep = set(group)
        out.append(
            replace(
                ruleset,
                rules=tuple(r for r in ruleset.rules if r.id in keep),
                formulas={k: v for k, v in ruleset.formulas.items() if k in keep},
                guards={k: v for k, v in ruleset.guards.items() if k in keep},
                guarded_by={k: v for k, v in ruleset.guarded_by.items() if k in keep},
            )
        )
    return out


def compile_networks(ruleset: RuleSet) -> list[dict[str, Any]]:
    """The durable ruleset definition of every network, in order (what durable receives)."""
    return [compile_ruleset(sub)[0] for sub in networks(ruleset)]
