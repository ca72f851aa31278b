"""The order of a plan: a deterministic topological order, and the cycles that forbid one."""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from eligibility.rules.loader import RuleSet


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
