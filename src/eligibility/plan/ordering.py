"""The order of a plan: the constraints between its items, and one deterministic
topological order of them.

Every constraint is an edge ``before -> after`` between two nodes. A journey step's node is
its shared step when it has one (so one shared step joins the orders of every journey that
needs it), else the step itself; a journey prerequisite is a node of its own. The
constraints are:

- each journey's guided-tour order: its steps in ``journey.yaml`` order;
- the steps' and the shared steps' ``prerequisites``;
- a journey prerequisite comes before the journey's first step or, when a step of the
  journey obtains it (``obtained_by``: the application whose acceptance it is), after that
  step and before the next one;
- a dependency between journeys: the other journey's steps (``first``, default all) come
  before this journey's step (``before``, default its first).

A step that does not apply to the product keeps its place in its own tour under its own
id: what comes before it still comes before what follows it, and a shared step it points
to, which another journey may need, is not pinned by it.

Among the nodes free to go, what has a long lead time, or leads to something that has,
goes first; then catalogue order. Constraints that form a cycle admit no order: that is a
catalogue error, and :func:`cycles` names its steps in order.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from eligibility.rules.loader import RuleSet
from eligibility.rules.model import Step


@dataclass
class OrderGraph:
    """Nodes in catalogue order (their rank) and the constraints between them."""

    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, set[str]] = field(default_factory=dict)

    def add_node(self, node: str) -> None:
        """Add a node at the next rank (a node already there keeps its rank)."""
        self.nodes.setdefault(node, len(self.nodes))

    def add_edge(self, before: str, after: str) -> None:
        """Order ``before`` ahead of ``after`` (both nodes of the graph)."""
        if before != after and before in self.nodes and after in self.nodes:
            self.edges.setdefault(before, set()).add(after)

    def ancestors(self, ordered: Sequence[str]) -> dict[str, set[str]]:
        """Every node's transitive predecessors, given the nodes in a topological order."""
        preds: dict[str, list[str]] = {n: [] for n in ordered}
        for before, afters in self.edges.items():
            for after in afters:
                preds[after].append(before)
        out: dict[str, set[str]] = {}
        for n in ordered:
            out[n] = set(preds[n]).union(*(out[p] for p in preds[n]))
        return out


def step_node(step: Step, skipped: Collection[str]) -> str:
    """The node a journey step is ordered as: its shared step, unless it does not apply."""
    return step.shared if step.shared and step.id not in skipped else step.id


def constraints(
    ruleset: RuleSet,
    journeys: Iterable[str],
    *,
    skipped: Collection[str] = frozenset(),
    dependencies: Collection[str] | None = None,
) -> OrderGraph:
    """The ordering graph of the given journeys (ids, in catalogue order).

    ``skipped`` are the steps that do not apply. ``dependencies`` are the ids of the
    dependencies in force (None: every one); a dependency counts only when the journey it
    names is one of ``journeys`` too.
    """
    chosen = [ruleset.journey_by_id[j] for j in journeys]
    graph = OrderGraph()
    for j in chosen:
        waiting = {p.obtained_by: p.id for p in j.prerequisites if p.obtained_by}
        for p in j.prerequisites:
            if not p.obtained_by:
                graph.add_node(p.id)
        for s in j.steps:
            graph.add_node(step_node(s, skipped))
            if s.id in waiting:
                graph.add_node(waiting[s.id])
    for j in chosen:
        nodes = [step_node(s, skipped) for s in j.steps]
        node = dict(zip((s.id for s in j.steps), nodes, strict=True))
        for before, after in pairwise(nodes):
            graph.add_edge(before, after)
        for s in j.steps:
            for pre in s.prerequisites:
                graph.add_edge(node[pre], node[s.id])
        for p in j.prerequisites:
            if p.obtained_by is None:
                graph.add_edge(p.id, nodes[0])
                continue
            at = [s.id for s in j.steps].index(p.obtained_by)
            graph.add_edge(nodes[at], p.id)
            if at + 1 < len(nodes):
                graph.add_edge(p.id, nodes[at + 1])
        for d in j.depends_on:
            if dependencies is not None and d.id not in dependencies:
                continue
            other = ruleset.journey_by_id[d.journey]
            if other not in chosen:
                continue
            target = node[d.before or j.steps[0].id]
            theirs = {s.id: s for s in other.steps}
            for first in d.first or list(theirs):
                graph.add_edge(step_node(theirs[first], skipped), target)
    for shared in ruleset.shared_steps:
        for pre in shared.prerequisites:
            graph.add_edge(pre, shared.id)
    return graph


def leading_to(graph: OrderGraph, targets: Iterable[str]) -> set[str]:
    """The targets and every node that must come before one of them."""
    preds: dict[str, set[str]] = {}
    for before, afters in graph.edges.items():
        for after in afters:
            preds.setdefault(after, set()).add(before)
    out: set[str] = set()
    todo = list(targets)
    while todo:
        node = todo.pop()
        if node not in out:
            out.add(node)
            todo.extend(preds.get(node, ()))
    return out


def order(graph: OrderGraph, early: Collection[str] = frozenset()) -> list[str]:
    """The nodes in a topological order: among the nodes free to go, ``early`` ones first,
    then by rank. Deterministic: the same graph gives the same order.

    Raises:
        ValueError: the constraints form a cycle (:func:`cycles` names it).
    """
    indegree = dict.fromkeys(graph.nodes, 0)
    for targets in graph.edges.values():
        for t in targets:
            indegree[t] += 1

    def key(node: str) -> tuple[int, int, str]:
        return (0 if node in early else 1, graph.nodes[node], node)

    free = [key(n) for n, d in indegree.items() if d == 0]
    heapq.heapify(free)
    out: list[str] = []
    while free:
        node = heapq.heappop(free)[2]
        out.append(node)
        for t in graph.edges.get(node, ()):
            indegree[t] -= 1
            if indegree[t] == 0:
                heapq.heappush(free, key(t))
    if len(out) < len(graph.nodes):
        raise ValueError(f"the constraints form a cycle: {cycles(graph.edges)}")
    return out


def cycles(edges: Mapping[str, Collection[str]]) -> list[list[str]]:
    """One cycle of each knot of constraints, its nodes in order (the first node, the
    smallest of its knot, comes back after the last). Deterministic."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    knots: list[set[str]] = []
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})

    def visit(n: str) -> None:  # Tarjan's strongly connected components
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
            component = set()
            while True:
                m = stack.pop()
                on_stack.discard(m)
                component.add(m)
                if m == n:
                    break
            if len(component) > 1:
                knots.append(component)

    for n in nodes:
        if n not in index:
            visit(n)
    return sorted(_shortest_cycle(edges, knot) for knot in knots)


def _shortest_cycle(edges: Mapping[str, Collection[str]], knot: set[str]) -> list[str]:
    """The shortest cycle through the knot's smallest node, by breadth-first search."""
    start = min(knot)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        for t in sorted(edges.get(n, ())):
            if t == start:
                path = [n]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if t in knot and t not in came_from:
                came_from[t] = n
                queue.append(t)
    raise AssertionError("a strongly connected component holds a cycle")  # pragma: no cover


def cycle_text(cycle: Sequence[str]) -> str:
    """``a -> b -> c -> a``."""
    return " -> ".join([*cycle, cycle[0]])


def catalogue_cycles(ruleset: RuleSet) -> list[list[str]]:
    """The ordering cycles of a catalogue in the worst case (every journey, step and
    dependency applying).

    A plan orders a part of this graph (a step that does not apply only passes its place
    on), so an empty answer means every plan of the catalogue has a topological order.
    """
    return cycles(constraints(ruleset, [j.id for j in ruleset.journeys]).edges)
