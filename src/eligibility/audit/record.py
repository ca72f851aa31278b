"""The audit record: what was decided, on which answers, under which rules, and its hashes.

A record's content is plain JSON data, stored as the JSON text :func:`encode_content`
writes (sorted keys; the decision inside in its contract order). A record's hash covers
that exact text and the hash of the record before it, so the records form a chain in which
a changed, removed or reordered record shows, and checking it needs no re-serialising.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import orjson

from eligibility.decision.model import Decision
from eligibility.errors import StoreError, UsageError
from eligibility.profile.model import FIELDS, Profile
from eligibility.rules.loader import RuleSet

GENESIS = "sha256:" + "0" * 64  # the prev_hash of the first record of a store
DECISIVE = frozenset(FIELDS)  # fields the rules read: masking one prevents a replay


def canonical_json(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace (what every hash covers)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def sha256(data: bytes) -> str:
    """``sha256:<hex>`` of some bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@cache
def tool_version() -> str:
    """The version of this tool."""
    from eligibility import __version__

    return __version__


@cache
def durable_version() -> str:
    """The installed durable-rules version (``unknown`` if it is not installed)."""
    try:
        return version("durable-rules")
    except PackageNotFoundError:  # pragma: no cover - durable is a runtime dependency
        return "unknown"


def decision_id(profile: Profile, ruleset_hash: str, tool: str | None = None) -> str:
    """The decision id: a hash of the canonical profile, the ruleset hash and the tool version.

    The same answers under the same rules and tool give the same id, run after run.
    """
    return _decision_id(profile.canonical(), ruleset_hash, tool)


def _decision_id(canonical: Mapping[str, Any], ruleset_hash: str, tool: str | None) -> str:
    content = {
        "profile": canonical,
        "ruleset": ruleset_hash,
        "tool": tool if tool is not None else tool_version(),
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


MASK_PREFIX = "hmac-sha256:"


def mask_value(value: Any, key: bytes) -> str:
    """What a masked field keeps: an HMAC of its canonical JSON value under the store's key.

    Keyed, so that a short list of guesses cannot be hashed and compared without the key;
    the same value masks the same way in every record of one store (records stay
    comparable), and differently in another store.
    """
    return MASK_PREFIX + hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def check_mask(fields: Iterable[str]) -> tuple[str, ...]:
    """Validate ``--mask`` field names (any profile field but ``id``), in a stable order.

    Raises:
        UsageError: a name is not a profile field, or is ``id``.
    """
    names = sorted(set(fields))
    known = set(Profile.model_fields)
    for name in names:
        if name == "id":
            raise UsageError("--mask id: the product id identifies the record; it cannot be masked")
        if name not in known:
            raise UsageError(
                f"--mask {name}: not a profile field; fields: {', '.join(Profile.model_fields)}"
            )
    return tuple(names)


@dataclass(frozen=True)
class RecordSettings:
    """How to record decisions: where, with which labels and actor, masking which fields.

    Args:
        store: a SQLite file path or a ``postgresql://`` URL.
        labels: free ``key=value`` labels kept with each record.
        actor: who recorded (a person or a system).
        mask: profile fields of which only a hash is kept.
    """

    store: str
    labels: Mapping[str, str] = field(default_factory=dict)
    actor: str | None = None
    mask: tuple[str, ...] = ()


def _mask_trace(decision: dict[str, Any], masked: Iterable[str], key: bytes) -> None:
    hidden = set(masked)
    for entry in decision["trace"]:
        for name in hidden & entry["matched"].keys():
            entry["matched"][name] = mask_value(entry["matched"][name], key)


def record_content(
    profile: Profile,
    decision: Decision,
    ruleset: RuleSet,
    settings: RecordSettings,
    engine: str,
    recorded_at: datetime | None = None,
    decision_json: bytes | None = None,
    mask_key: bytes | None = None,
) -> dict[str, Any]:
    """The content of one record (everything but its place in the chain).

    A masked field keeps only an HMAC of its value (:func:`mask_value` under ``mask_key``,
    the store's masking key), in the profile and in the trace. ``decision_json`` is
    ``decision.to_json()`` when the caller already has it (a batch that prints JSON
    lines), to serialise each decision once.

    Raises:
        ValueError: a field is masked and no ``mask_key`` was given.
    """
    canonical = profile.canonical()
    profile_data = dict(canonical)
    masked = [name for name in settings.mask if name in profile_data]
    if masked and mask_key is None:
        raise ValueError("masking needs the store's mask key")
    for name in masked:
        profile_data[name] = mask_value(profile_data[name], mask_key or b"")
    # The decision goes in as ready-made JSON: parsing it back only to write it again would
    # cost more than the rules took to decide. Only a masked trace has to be rewritten.
    raw = decision_json if decision_json is not None else decision.to_json()
    decision_data: Any = orjson.Fragment(raw)
    if masked and decision.trace:
        decision_data = orjson.loads(raw)
        _mask_trace(decision_data, masked, mask_key or b"")
    when = (recorded_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "decision_id": _decision_id(canonical, ruleset.hash, None),
        "recorded_at": when.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "ruleset": {"name": ruleset.name, "version": ruleset.version, "hash": ruleset.hash},
        "tool_version": tool_version(),
        "durable_version": durable_version(),
        "engine": engine,
        "traced": bool(decision.trace),
        "profile": profile_data,
        "masked": masked,
        "decision": decision_data,
        "labels": dict(sorted(settings.labels.items())),
        "actor": settings.actor,
    }


def encode_content(content: Mapping[str, Any]) -> bytes:
    """The stored JSON text of a record's content (what its hash covers)."""
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)


def chain_hash(body: bytes, prev_hash: str) -> str:
    """The hash of a record: its stored content and the hash of the record before it."""
    return sha256(prev_hash.encode() + b"\n" + body)


_DECISION_ID = re.compile(r"[0-9a-f]{64}")
_TYPES: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}


def _need(data: Mapping[str, Any], key: str, kind: type, where: str) -> str | None:
    """Why ``data[key]`` is not of ``kind`` (None when it is)."""
    if key not in data:
        return f"{where}{key} is missing"
    if type(data[key]) is not kind:
        return f"{where}{key} is not {_TYPES[kind]}"
    return None


def content_problem(content: Any) -> str | None:
    """What makes stored JSON data not a record's content (None when it is one).

    Checks every part the audit commands read (listing, filtering, rendering, replay), so
    that a record whose content was rewritten, with its hashes recomputed to match, is
    named as malformed instead of failing wherever it is read.
    """
    if not isinstance(content, dict):
        return "it is not a JSON object"
    checks: list[tuple[Mapping[str, Any], str, type, str]] = [
        (content, "decision_id", str, ""),
        (content, "recorded_at", str, ""),
        (content, "ruleset", dict, ""),
        (content, "tool_version", str, ""),
        (content, "durable_version", str, ""),
        (content, "engine", str, ""),
        (content, "traced", bool, ""),
        (content, "profile", dict, ""),
        (content, "masked", list, ""),
        (content, "decision", dict, ""),
        (content, "labels", dict, ""),
    ]
    for data, key, kind, where in checks:
        if problem := _need(data, key, kind, where):
            return problem
    if not _DECISION_ID.fullmatch(content["decision_id"]):
        return "decision_id is not a decision id (64 hexadecimal digits)"
    if "actor" not in content:
        return "actor is missing"
    if content["actor"] is not None and type(content["actor"]) is not str:
        return "actor is not a string"
    for key in ("name", "version", "hash"):
        if problem := _need(content["ruleset"], key, str, "ruleset."):
            return problem
    if problem := _need(content["profile"], "id", str, "profile."):
        return problem
    if not all(type(m) is str for m in content["masked"]):
        return "masked is not a list of field names"
    if not all(type(k) is str and type(v) is str for k, v in content["labels"].items()):
        return "labels are not key=value text"
    decision = content["decision"]
    for key, kind in (("journeys", list), ("missing", list)):
        if problem := _need(decision, key, kind, "decision."):
            return problem
    for journey in decision["journeys"]:
        if not isinstance(journey, dict):
            return "decision.journeys holds something that is not a journey"
        for key in ("id", "status"):
            if problem := _need(journey, key, str, "decision.journeys[]."):
                return problem
    return None


@dataclass(frozen=True)
class AuditRecord:
    """One stored record: its position (``seq``), stored content, and chain hashes.

    ``location`` names the store it was read from (for messages).
    """

    seq: int
    body: str
    prev_hash: str
    hash: str
    location: str = field(default="", compare=False)

    @cached_property
    def content(self) -> dict[str, Any]:
        """The record's content as JSON data (parsed and checked once, on first use).

        Raises:
            StoreError: the stored content is not a record's (it was tampered with).
        """
        try:
            data: Any = orjson.loads(self.body)
        except orjson.JSONDecodeError:
            problem: str | None = "its content is not valid JSON"
        else:
            problem = content_problem(data)
        if problem is not None:
            raise StoreError(
                self.location or "(unknown)",
                f"record #{self.seq} is not a valid record: {problem} (run: eligibility "
                "audit verify)",
            )
        checked: dict[str, Any] = data
        return checked

    @property
    def decision_id(self) -> str:
        """The decision id (content hash of profile, ruleset hash and tool version)."""
        return str(self.content["decision_id"])

    @property
    def profile_id(self) -> str:
        """The product id of the profile."""
        return str(self.content["profile"]["id"])

    @property
    def recorded_at(self) -> str:
        """When the decision was recorded (ISO 8601, UTC)."""
        return str(self.content["recorded_at"])

    @property
    def ruleset_hash(self) -> str:
        """The content hash of the rules that decided."""
        return str(self.content["ruleset"]["hash"])

    @property
    def masked(self) -> list[str]:
        """The profile fields of which only a hash was kept."""
        return list(self.content["masked"])

    @property
    def labels(self) -> dict[str, str]:
        """The record's labels."""
        return dict(self.content["labels"])

    def journey_status(self) -> dict[str, str]:
        """Each journey's recorded status."""
        return {j["id"]: j["status"] for j in self.content["decision"]["journeys"]}

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON data (what ``audit export`` writes)."""
        return {"seq": self.seq, **self.content, "prev_hash": self.prev_hash, "hash": self.hash}
