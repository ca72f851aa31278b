"""The result model: one :class:`Decision` per profile (contract: ``shared/spec/decision.md``).

Every renderer (text, JSON, Markdown, batch formats) reads this one model. The classes are
plain frozen dataclasses: a decision holds some fifty objects and is built for every
profile of a portfolio, where validating models would cost more than evaluating the rules.
They serialise in field order, which is the contract's order.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson

JourneyStatusOut = Literal["applies", "not_applicable", "undetermined"]
StepStatusOut = Literal["required", "optional", "done", "not_applicable", "undetermined"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an outcome is what it is: a rule, its sentence, its source and confidence.

    ``holds`` is true when the rule's condition held and null when it could not be
    evaluated because a field it reads is unknown (the outcome is then undetermined).
    ``rule`` is ``catalogue:<id>`` when no rule decided and the catalogue default applies.
    """

    rule: str
    text: str
    source: str
    confidence: str
    holds: bool | None = True


@dataclass(frozen=True, slots=True)
class Overridden:
    """What a rule decided against: another rule (its id), or the catalogue's status of a
    step (``catalogue:<step>``), with its confidence."""

    rule: str
    confidence: str


@dataclass(frozen=True, slots=True)
class PrecedenceOut:
    """A rule's declared precedence, in force for this outcome: why it decides, and what it
    decides against."""

    why: str
    over: list[Overridden]


@dataclass(frozen=True, slots=True)
class PrecedenceReason(Reason):
    """The reason of a rule that decided against another rule or the catalogue, as its
    ``precedence`` field declares: the JSON adds ``precedence`` to the reason's fields, so a
    reader sees when, say, an inference decided over the guided tour, and why."""

    precedence: PrecedenceOut | None = None


def reason_from_dict(data: dict[str, Any]) -> Reason:
    """A :class:`Reason` (or :class:`PrecedenceReason`) from its JSON data."""
    if "precedence" not in data:
        return Reason(**data)
    p = data["precedence"]
    precedence = PrecedenceOut(p["why"], [Overridden(**o) for o in p["over"]])
    return PrecedenceReason(**{**data, "precedence": precedence})


@dataclass(frozen=True, slots=True)
class PrerequisiteOut:
    """A prerequisite of a journey and whether the profile says it is met (null: unknown)."""

    id: str
    title: str
    met: bool | None
    reasons: list[Reason]


@dataclass(frozen=True, slots=True)
class StepOut:
    """One step of a journey: its status, why, and advice for the publisher."""

    id: str
    title: str
    status: StepStatusOut
    reasons: list[Reason]
    advice: list[str]
    missing: list[str] = field(default_factory=list)
    shared: str | None = None
    #: Where each piece of ``advice`` comes from, in the same order: the rule that gave it
    #: (with its confidence: advice may be an inference), or null for the step's own
    #: advice (the step's sources say where it comes from).
    advice_reasons: list[Reason | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DependencyOut:
    """What a journey needs from another journey, and that journey's status for the product.

    ``in_force`` is false when the dependency's condition (a variant, a derived fact) does
    not hold, null when it is unknown. ``kind`` is ``requires`` (the other journey must be
    followed too) or ``after`` (when it applies, some of its steps come first).
    """

    id: str
    journey: str
    kind: str
    reason: str
    source: str
    confidence: str
    in_force: bool | None
    status: JourneyStatusOut


@dataclass(frozen=True, slots=True)
class ConflictOut:
    """A journey that applies requires another journey that does not apply to the product
    as described: an answer is probably wrong, or a requirement is left uncovered.

    ``dependency`` names the catalogue's dependency and ``reason`` says why ``journey``
    needs ``needs``; ``answers`` are the given answers the two sides rest on (those that
    made ``needs`` not apply, and those that put the dependency in force): the ones to
    check. It holds only answers the profile gave, never a default.
    """

    journey: str
    needs: str
    dependency: str
    reason: str
    source: str
    confidence: str
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class JourneyOut:
    """One journey of the catalogue, applicable or not."""

    id: str
    title: str
    status: JourneyStatusOut
    variant: str | None
    operations: list[str] | None
    reasons: list[Reason]
    variant_reasons: list[Reason]
    prerequisites: list[PrerequisiteOut]
    steps: list[StepOut]
    missing: list[str] = field(default_factory=list)
    dependencies: list[DependencyOut] = field(default_factory=list)
    #: Why ``operations`` are what they are (a rule, or the catalogue when none sets them).
    operations_reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One rule firing, in firing order: the facts it read and what it concluded."""

    seq: int
    rule: str
    result: Literal["holds", "unknown", "fails"]
    matched: dict[str, Any]
    unknown: list[str]
    concluded: list[str]


@dataclass(frozen=True, slots=True)
class RulesetRef:
    """Which rules decided: name, version and content hash."""

    name: str
    version: str
    hash: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision for one profile.

    ``conflicts`` (added to the contract, after the trace) lists the journeys that apply
    but need one that does not.
    """

    profile_id: str
    ruleset: RulesetRef
    journeys: list[JourneyOut]
    missing: list[str]
    trace: list[TraceEntry]
    conflicts: list[ConflictOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The decision as plain JSON data, in the contract's field order."""
        return asdict(self)

    def to_json(self, *, indent: bool = False, end: bytes = b"") -> bytes:
        """The decision as JSON bytes (stable: same decision, same bytes), then ``end``."""
        if indent:
            return orjson.dumps(self, option=orjson.OPT_INDENT_2) + end
        # Assembled from parts, byte for byte what orjson gives for the whole: the
        # journeys, often shared between decisions (the decider memoises them), are
        # serialised once (see _journey_json).
        last = len(self.journeys) - 1
        return b"".join(
            (
                b'{"profile_id":',
                orjson.dumps(self.profile_id),
                b',"ruleset":',
                orjson.dumps(self.ruleset),
                b',"journeys":[',
                *(_journey_json(j, i == last) for i, j in enumerate(self.journeys)),
                b'],"missing":',
                orjson.dumps(self.missing),
                b',"trace":',
                orjson.dumps(self.trace),
                b',"conflicts":',
                orjson.dumps(self.conflicts),
                b"}",
                end,
            )
        )

    def journey(self, journey_id: str) -> JourneyOut:
        """Return one journey by id."""
        for j in self.journeys:
            if j.id == journey_id:
                return j
        raise KeyError(journey_id)

    def step(self, step_id: str) -> StepOut:
        """Return one step by id."""
        for j in self.journeys:
            for s in j.steps:
                if s.id == step_id:
                    return s
        raise KeyError(step_id)

    def outcome(self, target: str) -> str:
        """The outcome of a journey, step or prerequisite by id.

        ``<journey>.variant`` gives the variant (``None`` when there is none);
        ``<journey>.operations`` the operations as ``[retrieval, verification]`` (``[]``:
        none, ``None``: not set or undetermined); a
        prerequisite gives ``met``, ``not_met`` or ``undetermined``.
        """
        if target.endswith(".variant"):
            return str(self.journey(target.removesuffix(".variant")).variant)
        if target.endswith(".operations"):
            ops = self.journey(target.removesuffix(".operations")).operations
            return "None" if ops is None else "[" + ", ".join(ops) + "]"
        for j in self.journeys:
            if j.id == target:
                return j.status
            for p in j.prerequisites:
                if p.id == target:
                    return {True: "met", False: "not_met", None: "undetermined"}[p.met]
        return self.step(target).status


# (id(journey), last) -> (journey, its JSON and the comma after it unless it is the last);
# holding the journey keeps its id from being reused. A journey has one place in the
# catalogue, so it is seldom cached both ways. Least recently used out first: a random
# portfolio of 30 000 products has 8 000 journeys, and emptying the cache when full
# rendered twice as many of them again as dropping the stalest one does.
_JOURNEY_JSON: OrderedDict[tuple[int, bool], tuple[JourneyOut, bytes]] = OrderedDict()
_JOURNEY_JSON_LIMIT = 4096


def _journey_json(journey: JourneyOut, last: bool) -> bytes:
    key = (id(journey), last)
    cached = _JOURNEY_JSON.get(key)
    if cached is not None and cached[0] is journey:
        _JOURNEY_JSON.move_to_end(key)
        return cached[1]
    data = orjson.dumps(journey) if last else orjson.dumps(journey) + b","
    _JOURNEY_JSON[key] = (journey, data)
    if len(_JOURNEY_JSON) > _JOURNEY_JSON_LIMIT:
        _JOURNEY_JSON.popitem(last=False)
    return data


def decision_from_dict(data: dict[str, Any]) -> Decision:
    """Rebuild a :class:`Decision` from its JSON data (as ``to_dict``/``to_json`` give it).

    ``decision_from_dict(d.to_dict()) == d`` for every decision.
    """

    def reasons(items: list[dict[str, Any]]) -> list[Reason]:
        return [reason_from_dict(r) for r in items]

    journeys = [
        JourneyOut(
            id=j["id"],
            title=j["title"],
            status=j["status"],
            variant=j["variant"],
            operations=j["operations"],
            reasons=reasons(j["reasons"]),
            variant_reasons=reasons(j["variant_reasons"]),
            prerequisites=[
                PrerequisiteOut(p["id"], p["title"], p["met"], reasons(p["reasons"]))
                for p in j["prerequisites"]
            ],
            steps=[
                StepOut(
                    s["id"],
                    s["title"],
                    s["status"],
                    reasons(s["reasons"]),
                    list(s["advice"]),
                    list(s.get("missing", [])),
                    s.get("shared"),
                    [
                        None if r is None else reason_from_dict(r)
                        for r in s.get("advice_reasons", [])
                    ],
                )
                for s in j["steps"]
            ],
            missing=list(j.get("missing", [])),
            dependencies=[DependencyOut(**d) for d in j.get("dependencies", [])],
            operations_reasons=reasons(j.get("operations_reasons", [])),
        )
        for j in data["journeys"]
    ]
    return Decision(
        profile_id=data["profile_id"],
        ruleset=RulesetRef(**data["ruleset"]),
        journeys=journeys,
        missing=list(data["missing"]),
        trace=[TraceEntry(**t) for t in data["trace"]],
        conflicts=[ConflictOut(**c) for c in data.get("conflicts", [])],
    )
