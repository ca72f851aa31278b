"""One ordered to-do list for a product across every journey that applies to it.

A :class:`Plan` is built from a :class:`~eligibility.decision.model.Decision` and the catalogue:

- a step that points to a shared step (``shared: cnda-contract``) appears once, with every
  journey that needs it;
- a journey prerequisite that is not met yet comes before the journey's steps;
- items are ordered topologically by the steps' prerequisites, the shared steps'
  prerequisites and the dependencies between journeys; among the items that are free to
  start, long-lead-time ones (test cards, certificates, the CNDA contract) come first,
  then catalogue order, so the order is stable;
- steps already done are left out unless asked for.

Journeys whose applicability is undetermined are listed apart, with the answers that
would decide them; their steps are not in the to-do list.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, JourneyOut, RulesetRef, StepOut
from eligibility.i18n.translation import DEFAULT_LANGUAGE, load_translation, localize
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet

ItemKind = Literal["step", "shared", "prerequisite"]

#: How the statuses of one shared step in several journeys combine: the first found wins.
_STATUS_PRECEDENCE = ("required", "undetermined", "optional", "done")


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One thing to do: a journey step, a shared step, or a prerequisite not yet met.

    ``after`` lists the items of this plan to do before it; ``steps`` the journey steps
    merged into it (several for a shared step); ``lead_time`` is ``long`` for what takes
    weeks to obtain.
    """

    seq: int
    id: str
    kind: ItemKind
    title: str
    status: str
    journeys: list[str]
    steps: list[str]
    lead_time: str | None
    after: list[str]
    advice: list[str]
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlanJourney:
    """A journey of the plan (or one whose applicability is still undetermined)."""

    id: str
    title: str
    status: str
    variant: str | None
    missing: list[str]


@dataclass(frozen=True, slots=True)
class PlanDependency:
    """A dependency of an applicable journey on another, with that journey's status.

    ``conflict`` is true when a journey ``requires`` another that does not apply to the
    product as described: an answer is probably wrong, or a step is left uncovered.
    """

    journey: str
    needs: str
    kind: str
    reason: str
    status: str
    in_force: bool | None
    conflict: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """The to-do list of one product."""

    profile_id: str
    ruleset: RulesetRef
    journeys: list[PlanJourney]
    undetermined: list[PlanJourney]
    dependencies: list[PlanDependency]
    items: list[PlanItem]
    hidden_done: int
    missing: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON data, in field order."""
        return asdict(self)

    def to_json(self, *, indent: bool = False) -> bytes:
        """The plan as JSON bytes (stable: same plan, same bytes)."""
        return orjson.dumps(self, option=orjson.OPT_INDENT_2 if indent else 0)

    def item(self, item_id: str) -> PlanItem:
        """Return one item by id."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)


@dataclass
class _Node:
    id: str
    kind: ItemKind
    title: str
    rank: int
    lead_time: str | None
    statuses: list[str] = field(default_factory=list)
    journeys: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        for status in _STATUS_PRECEDENCE:
            if status in self.statuses:
                return status
        return self.statuses[0]


def _add_unique(target: list[str], values: Iterable[str]) -> None:
    for v in values:
        if v not in target:
            target.append(v)


class _Graph:
    """Plan nodes keyed by item id, and the ordering edges between them."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[str, set[str]] = {}

    def edge(self, before: str | None, after: str | None) -> None:
        """Order ``before`` ahead of ``after`` when both are in the plan."""
        if before in self.nodes and after in self.nodes and before != after:
            self.edges.setdefault(before, set()).add(after)


def order(ranks: Mapping[str, tuple[int, int]], edges: Mapping[str, set[str]]) -> list[str]:
    """Topological order of ``ranks``' keys, the lowest rank first among free nodes.

    Stable and deterministic. A cycle (a catalogue error: :func:`cycles` finds them) does
    not stop the plan: the lowest-ranked remaining node is taken.
    """
    indegree = dict.fromkeys(ranks, 0)
    for targets in edges.values():
        for t in targets:
            indegree[t] += 1
    free = [(ranks[n], n) for n, d in indegree.items() if d == 0]
    heapq.heapify(free)
    out: list[str] = []
    done: set[str] = set()
    while len(out) < len(ranks):
        if not free:
            stuck = min((ranks[n], n) for n in ranks if n not in done)
            free.append(stuck)
            indegree[stuck[1]] = 0
        _, node = heapq.heappop(free)
        if node in done:
            continue
        done.add(node)
        out.append(node)
        for t in sorted(edges.get(node, ())):
            if t in done:
                continue
            indegree[t] -= 1
            if indegree[t] == 0:
                heapq.heappush(free, (ranks[t], t))
    return out


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Every cycle's nodes (strongly connected components of more than one node)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})

    def visit(n: str) -> None:
        index[n] = low[n] = len(index)
        stack.append(n)
        on_stack.add(n)
        for t in sorted(edges.get(n, ())):
            if t not in index:
                visit(t)
                low[n] = min(low[n], low[t])
            elif t in on_stack:
                low[n] = min(low[n], index[t])
        if low[n] == index[n]:
            component = []
            while True:
                m = stack.pop()
                on_stack.discard(m)
                component.append(m)
                if m == n:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for n in nodes:
        if n not in index:
            visit(n)
    return found


def catalogue_cycles(ruleset: RuleSet) -> list[list[str]]:
    """The ordering cycles of a catalogue in the worst case (every journey and step applying).

    A plan can only order what this graph orders: an empty answer means every plan of this
    catalogue is a true topological order.
    """
    node = {s.id: s.shared or s.id for j in ruleset.journeys for s in j.steps}
    edges: dict[str, set[str]] = {}

    def add(before: str, after: str) -> None:
        if before != after:
            edges.setdefault(before, set()).add(after)

    for j in ruleset.journeys:
        for step in j.steps:
            for pre in step.prerequisites:
                add(node[pre], node[step.id])
        for p in j.prerequisites:
            for step in j.steps:
                add(p.id, node[step.id])
        for d in j.depends_on:
            target = node[d.before or j.steps[0].id]
            for first in d.first or [s.id for s in ruleset.journey_by_id[d.journey].steps]:
                add(node[first], target)
    for shared in ruleset.shared_steps:
        for pre in shared.prerequisites:
            add(pre, shared.id)
    return cycles(edges)


def _step_nodes(
    graph: _Graph, ruleset: RuleSet, journey: JourneyOut, rank: int
) -> tuple[int, dict[str, str]]:
    """Add the journey's live steps; return the next rank and step id -> node id."""
    catalogue = {s.id: s for s in ruleset.journey_by_id[journey.id].steps}
    step_node: dict[str, str] = {}
    for out in journey.steps:
        if out.status == "not_applicable":
            continue
        step = catalogue[out.id]
        shared = ruleset.shared_by_id.get(step.shared) if step.shared else None
        node_id = shared.id if shared else step.id
        node = graph.nodes.get(node_id)
        if node is None:
            node = _Node(
                id=node_id,
                kind="shared" if shared else "step",
                title=shared.title if shared else out.title,
                rank=rank,
                lead_time=(shared.lead_time if shared else None) or step.lead_time,
                advice=list(shared.advice) if shared else [],
            )
            graph.nodes[node_id] = node
            rank += 1
        elif node.lead_time is None:
            node.lead_time = step.lead_time
        _record(node, journey.id, out)
        step_node[out.id] = node_id
    return rank, step_node


def _record(node: _Node, journey_id: str, out: StepOut) -> None:
    node.statuses.append(out.status)
    _add_unique(node.journeys, [journey_id])
    node.steps.append(out.id)
    _add_unique(node.advice, out.advice)
    _add_unique(node.missing, out.missing)


def build_plan(decision: Decision, ruleset: RuleSet, *, include_done: bool = False) -> Plan:
    """Build the to-do list of a decision (made with ``ruleset``)."""
    graph = _Graph()
    applies = [j for j in decision.journeys if j.status == "applies"]
    step_node: dict[str, str] = {}
    rank = 0
    for j in applies:
        for p in j.prerequisites:
            if p.met is not True:
                status = "not_met" if p.met is False else "undetermined"
                graph.nodes[p.id] = _Node(
                    id=p.id,
                    kind="prerequisite",
                    title=p.title,
                    rank=rank,
                    lead_time=None,
                    statuses=[status],
                    journeys=[j.id],
                )
                rank += 1
        rank, nodes = _step_nodes(graph, ruleset, j, rank)
        step_node.update(nodes)
    _edges(graph, ruleset, applies, step_node)

    early = _leading_to_long(graph)
    ranks = {n.id: (0 if n.id in early else 1, n.rank) for n in graph.nodes.values()}
    ordered = order(ranks, graph.edges)
    visible = [n for n in ordered if include_done or graph.nodes[n].status != "done"]
    shown = set(visible)
    preds: dict[str, list[str]] = {n: [] for n in visible}
    for before in ordered:
        for after in sorted(graph.edges.get(before, ()), key=ordered.index):
            if before in shown and after in shown:
                preds[after].append(before)
    items = []
    for seq, node_id in enumerate(visible, start=1):
        n = graph.nodes[node_id]
        items.append(
            PlanItem(
                seq=seq,
                id=n.id,
                kind=n.kind,
                title=n.title,
                status=n.status,
                journeys=n.journeys,
                steps=n.steps,
                lead_time=n.lead_time,
                after=preds[node_id],
                advice=n.advice,
                missing=n.missing,
            )
        )
    return Plan(
        profile_id=decision.profile_id,
        ruleset=decision.ruleset,
        journeys=[_plan_journey(j) for j in applies],
        undetermined=[_plan_journey(j) for j in decision.journeys if j.status == "undetermined"],
        dependencies=_dependencies(applies),
        items=items,
        hidden_done=len(ordered) - len(visible),
        missing=decision.missing,
    )


def _leading_to_long(graph: _Graph) -> set[str]:
    """Long-lead-time items and everything that must come before them: start these early."""
    preds: dict[str, set[str]] = {}
    for before, afters in graph.edges.items():
        for after in afters:
            preds.setdefault(after, set()).add(before)
    out: set[str] = set()
    todo = [n.id for n in graph.nodes.values() if n.lead_time == "long"]
    while todo:
        node = todo.pop()
        if node not in out:
            out.add(node)
            todo.extend(preds.get(node, ()))
    return out


def _edges(
    graph: _Graph, ruleset: RuleSet, applies: list[JourneyOut], step_node: Mapping[str, str]
) -> None:
    """Ordering edges: step and shared-step prerequisites, journey prerequisites, dependencies."""
    status = {j.id: j.status for j in applies}
    for j in applies:
        journey = ruleset.journey_by_id[j.id]
        live = [step_node[s.id] for s in j.steps if s.id in step_node]
        for p in j.prerequisites:
            for node in live:
                graph.edge(p.id, node)
        for step in journey.steps:
            for pre in step.prerequisites:
                graph.edge(step_node.get(pre), step_node.get(step.id))
        for d in j.dependencies:
            if status.get(d.journey) != "applies":
                continue
            declared = next(x for x in journey.depends_on if x.id == d.id)
            target = declared.before or journey.steps[0].id
            firsts = declared.first or [s.id for s in ruleset.journey_by_id[d.journey].steps]
            for first in firsts:
                graph.edge(step_node.get(first), step_node.get(target))
    for shared in ruleset.shared_steps:
        for pre in shared.prerequisites:
            graph.edge(pre, shared.id)


def _plan_journey(j: JourneyOut) -> PlanJourney:
    return PlanJourney(
        id=j.id, title=j.title, status=j.status, variant=j.variant, missing=j.missing
    )


def _dependencies(applies: list[JourneyOut]) -> list[PlanDependency]:
    out = []
    for j in applies:
        for d in j.dependencies:
            if d.kind == "after" and d.status == "not_applicable":
                continue  # nothing to do first when the other journey does not apply
            conflict = d.kind == "requires" and d.in_force is True and d.status == "not_applicable"
            out.append(
                PlanDependency(
                    journey=j.id,
                    needs=d.journey,
                    kind=d.kind,
                    reason=d.reason,
                    status=d.status,
                    in_force=d.in_force,
                    conflict=conflict,
                )
            )
    return out


def plan_profile(
    profile: Profile,
    evaluator: Evaluator,
    *,
    include_done: bool = False,
    lang: str = DEFAULT_LANGUAGE,
) -> Plan:
    """Evaluate a profile and build its to-do list, its texts in ``lang``.

    Raises:
        UsageError: unknown language.
        RuleFileError: the language's translation file is incomplete.
    """
    translation = load_translation(evaluator.ruleset, lang)
    decision = evaluator.evaluate(profile, with_trace=False)
    plan = build_plan(decision, evaluator.ruleset, include_done=include_done)
    return localize(plan, translation)
