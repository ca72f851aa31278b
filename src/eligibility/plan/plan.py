"""One ordered to-do list for a product across every journey that applies to it.

A :class:`Plan` is built from a :class:`~eligibility.decision.model.Decision` and the catalogue:

- a step that points to a shared step (``shared: cnda-contract``) appears once, with every
  journey that needs it;
- a journey prerequisite that is not met yet is an item of its own;
- items come in a topological order of the constraints :mod:`eligibility.plan.ordering`
  gathers: each journey's guided-tour order, the steps' and shared steps' prerequisites,
  the journey prerequisites and the dependencies between journeys. A long lead time (test
  cards, certificates, the CNDA contract) only breaks ties among the items free to go, as
  catalogue order does after it, so the order is stable;
- an item's ``after`` names the nearest items it waits for (what those wait for is not
  repeated, unless they are optional);
- steps already done are left out unless asked for; they still hold their place.

Journeys whose applicability is undetermined are listed apart, with the answers that
would decide them; their steps are not in the to-do list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, JourneyOut, RulesetRef, StepOut
from eligibility.errors import RuleFileError
from eligibility.i18n.translation import DEFAULT_LANGUAGE, load_translation, localize
from eligibility.plan.ordering import constraints, cycle_text, cycles, leading_to, order
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


def _step_nodes(nodes: dict[str, _Node], ruleset: RuleSet, journey: JourneyOut) -> None:
    """Add the journey's steps that apply, merging those that point to one shared step."""
    catalogue = {s.id: s for s in ruleset.journey_by_id[journey.id].steps}
    for out in journey.steps:
        if out.status == "not_applicable":
            continue
        step = catalogue[out.id]
        shared = ruleset.shared_by_id.get(step.shared) if step.shared else None
        node_id = shared.id if shared else step.id
        node = nodes.get(node_id)
        if node is None:
            node = _Node(
                id=node_id,
                kind="shared" if shared else "step",
                title=shared.title if shared else out.title,
                lead_time=(shared.lead_time if shared else None) or step.lead_time,
                advice=list(shared.advice) if shared else [],
            )
            nodes[node_id] = node
        elif node.lead_time is None:
            node.lead_time = step.lead_time
        _record(node, journey.id, out)


def _record(node: _Node, journey_id: str, out: StepOut) -> None:
    node.statuses.append(out.status)
    _add_unique(node.journeys, [journey_id])
    node.steps.append(out.id)
    _add_unique(node.advice, out.advice)
    _add_unique(node.missing, out.missing)


def build_plan(decision: Decision, ruleset: RuleSet, *, include_done: bool = False) -> Plan:
    """Build the to-do list of a decision (made with ``ruleset``).

    Raises:
        RuleFileError: the catalogue's constraints form a cycle (named step by step).
    """
    applies = [j for j in decision.journeys if j.status == "applies"]
    nodes: dict[str, _Node] = {}
    for j in applies:
        for p in j.prerequisites:
            if p.met is not True:
                status = "not_met" if p.met is False else "undetermined"
                nodes[p.id] = _Node(
                    id=p.id,
                    kind="prerequisite",
                    title=p.title,
                    lead_time=None,
                    statuses=[status],
                    journeys=[j.id],
                )
        _step_nodes(nodes, ruleset, j)
    done = [n for n in nodes.values() if n.status == "done"]
    # A step that does not apply, or is done, only passes its place on in its own tour: a
    # done shared step ties no journey to another.
    passing = {s.id for j in applies for s in j.steps if s.status == "not_applicable"}
    passing.update(step for n in done for step in n.steps)
    graph = constraints(
        ruleset,
        [j.id for j in applies],
        skipped=passing,
        dependencies={d.id for j in applies for d in j.dependencies},
    )
    found = cycles(graph.edges)
    if found:
        raise RuleFileError(
            ruleset.root or "rules",
            [
                f"steps wait for each other in a cycle: {cycle_text(c)} "
                "(`eligibility rules check` lists every cycle)"
                for c in found
            ],
        )
    long = [n.id for n in nodes.values() if n.lead_time == "long" and n.status != "done"]
    ordered = order(graph, early=leading_to(graph, long))
    rank = {node: i for i, node in enumerate(ordered)}
    # The node that places an item: its own, or a done item's first step in the order.
    place = {n.id: n.id for n in nodes.values()}
    place.update({n.id: min(n.steps, key=rank.__getitem__) for n in done})
    shown = sorted(
        (n for n in nodes.values() if include_done or n.status != "done"),
        key=lambda n: rank[place[n.id]],
    )
    ancestors = graph.ancestors(ordered)
    items = []
    for seq, n in enumerate(shown, start=1):
        before = ancestors[place[n.id]]
        waits = [m for m in shown if place[m.id] in before]
        # Nearest: what no other awaited item waits for, unless that one is optional (it
        # does not hide what it waits for: it may be left out).
        nearest = [
            w.id
            for w in waits
            if not any(
                place[w.id] in ancestors[place[v.id]] for v in waits if v.status != "optional"
            )
        ]
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
                after=nearest,
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
        hidden_done=len(nodes) - len(shown),
        missing=decision.missing,
    )


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
