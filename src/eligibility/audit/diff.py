"""What changed between two decisions: each journey and step, and the rules behind each side.

Decisions are compared as JSON data (the decision contract), so a recorded decision and a
fresh one compare the same way whatever version of the tool produced the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_MET = {True: "met", False: "not_met", None: "undetermined"}


@dataclass(frozen=True)
class Change:
    """One outcome that differs: what it is, before and after, and the rules of each side.

    ``kind`` is ``journey``, ``variant``, ``operations``, ``prerequisite``, ``step`` or
    ``missing``; ``target`` names the journey, step or prerequisite (``<journey>.variant``
    and ``<journey>.operations`` for those). A journey or step only one side has shows as
    ``absent`` on the other.
    """

    kind: str
    target: str
    before: Any
    after: Any
    rules_before: tuple[str, ...] = ()
    rules_after: tuple[str, ...] = ()

    @property
    def before_text(self) -> str:
        """The old value as text."""
        return _text(self.before)

    @property
    def after_text(self) -> str:
        """The new value as text."""
        return _text(self.after)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "none" if value is None else str(value)


def _rules(item: dict[str, Any] | None, key: str = "reasons") -> tuple[str, ...]:
    if item is None:
        return ()
    return tuple(r["rule"] for r in item.get(key, []))


def _operations_rules(journey: dict[str, Any]) -> tuple[str, ...]:
    # decisions recorded before the operations had reasons of their own took the variant's
    key = "operations_reasons" if "operations_reasons" in journey else "variant_reasons"
    return _rules(journey, key)


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in items}


def diff_decisions(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every outcome that differs between two decisions, in catalogue order."""
    changes: list[Change] = []
    old_journeys, new_journeys = _by_id(before["journeys"]), _by_id(after["journeys"])
    order = list(old_journeys) + [j for j in new_journeys if j not in old_journeys]
    for jid in order:
        old, new = old_journeys.get(jid), new_journeys.get(jid)
        if old is None or new is None:
            changes.append(
                Change(
                    "journey",
                    jid,
                    old["status"] if old else "absent",
                    new["status"] if new else "absent",
                    _rules(old),
                    _rules(new),
                )
            )
            continue
        if old["status"] != new["status"]:
            changes.append(
                Change("journey", jid, old["status"], new["status"], _rules(old), _rules(new))
            )
        if old.get("variant") != new.get("variant"):
            changes.append(
                Change(
                    "variant",
                    f"{jid}.variant",
                    old.get("variant"),
                    new.get("variant"),
                    _rules(old, "variant_reasons"),
                    _rules(new, "variant_reasons"),
                )
            )
        if old.get("operations") != new.get("operations"):
            changes.append(
                Change(
                    "operations",
                    f"{jid}.operations",
                    old.get("operations"),
                    new.get("operations"),
                    _operations_rules(old),
                    _operations_rules(new),
                )
            )
        old_pre, new_pre = _by_id(old["prerequisites"]), _by_id(new["prerequisites"])
        for pid in list(old_pre) + [p for p in new_pre if p not in old_pre]:
            a, b = old_pre.get(pid), new_pre.get(pid)
            was = _MET[a["met"]] if a else "absent"
            now = _MET[b["met"]] if b else "absent"
            if was != now:
                changes.append(Change("prerequisite", pid, was, now, _rules(a), _rules(b)))
        old_steps, new_steps = _by_id(old["steps"]), _by_id(new["steps"])
        for sid in list(old_steps) + [s for s in new_steps if s not in old_steps]:
            a, b = old_steps.get(sid), new_steps.get(sid)
            was = a["status"] if a else "absent"
            now = b["status"] if b else "absent"
            if was != now:
                changes.append(Change("step", sid, was, now, _rules(a), _rules(b)))
    if before["missing"] != after["missing"]:
        changes.append(Change("missing", "missing", before["missing"], after["missing"]))
    return changes
