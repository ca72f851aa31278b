"""Re-run recorded decisions: under their own kept rules (must be identical), or other rules.

A kept ruleset is its canonical model; it is written back as rule files in a temporary
directory and loaded with the ordinary loader, so a replayed ruleset goes through exactly
the checks and compilation of a live one (and must hash to the same value).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from eligibility.audit.diff import Change, diff_decisions
from eligibility.audit.record import DECISIVE, AuditRecord, canonical_json
from eligibility.audit.store import AuditStore
from eligibility.decision.evaluator import EngineName, Evaluator
from eligibility.errors import EligibilityError, StoreError
from eligibility.profile.model import Profile, parse_profile
from eligibility.rules.loader import RuleSet, load_ruleset
from eligibility.rules.model import SHARED_STEPS_FILE


def ruleset_from_snapshot(snapshot: dict[str, Any], expected_hash: str | None = None) -> RuleSet:
    """Load a kept ruleset (``{"canonical": ..., ...}``) back into a :class:`RuleSet`.

    Raises:
        StoreError: it does not load back to ``expected_hash``.
    """
    canonical = snapshot["canonical"]
    with tempfile.TemporaryDirectory(prefix="eligibility-replay-") as tmp:
        root = Path(tmp)
        head = {
            "name": canonical["name"],
            "version": canonical["version"],
            "journeys": [j["id"] for j in canonical["journeys"]],
        }
        # JSON is YAML: written as JSON, the data read back exactly as it was dumped.
        (root / "ruleset.yaml").write_bytes(orjson.dumps(head))
        for journey in canonical["journeys"]:
            (root / journey["id"]).mkdir()
            (root / journey["id"] / "journey.yaml").write_bytes(orjson.dumps({"journey": journey}))
        # One file keeps the rules in their recorded order (the loader reads files sorted).
        (root / "rules.yaml").write_bytes(orjson.dumps({"rules": canonical["rules"]}))
        if canonical.get("shared_steps"):
            shared = {"shared_steps": canonical["shared_steps"]}
            (root / SHARED_STEPS_FILE).write_bytes(orjson.dumps(shared))
        ruleset = load_ruleset(root)
    if expected_hash is not None and ruleset.hash != expected_hash:
        raise StoreError(
            "(kept rules)",
            f"ruleset {expected_hash} loads back as {ruleset.hash}; it cannot be replayed",
        )
    return ruleset


def record_profile(record: AuditRecord) -> Profile:
    """The profile of a record, as it can be re-run.

    A masked field that the rules do not read (the product name) is left unknown; a masked
    field the rules read makes the record impossible to re-run.

    Raises:
        EligibilityError: a decisive field was masked.
    """
    decisive = [f for f in record.masked if f in DECISIVE]
    if decisive:
        raise EligibilityError(
            f"record #{record.seq}: {', '.join(decisive)} "
            f"{'was' if len(decisive) == 1 else 'were'} masked when "
            "recorded; the decision cannot be re-run without "
            f"{'it' if len(decisive) == 1 else 'them'}"
        )
    data = {k: v for k, v in record.content["profile"].items() if k not in record.masked}
    return parse_profile(data, source=f"record #{record.seq}")


@dataclass(frozen=True)
class Replay:
    """One record re-run: under its recorded rules, then under other (current) rules.

    ``recorded_changes`` must be empty (a replay is exact); ``changes`` lists what the other
    rules decide differently (empty: the same decision).
    """

    record: AuditRecord
    recorded_identical: bool
    recorded_changes: list[Change]
    against: str
    same_rules: bool
    changes: list[Change]


class Replayer:
    """Re-runs records; keeps one evaluator per ruleset (building one costs ~50 ms)."""

    def __init__(self, store: AuditStore, current: RuleSet | None = None) -> None:
        self.store = store
        self.current = current if current is not None else load_ruleset()
        self._rulesets: dict[str, RuleSet] = {self.current.hash: self.current}
        self._evaluators: dict[tuple[str, str], Evaluator] = {}

    def ruleset(self, ruleset_hash: str) -> RuleSet:
        """A kept ruleset by hash."""
        if ruleset_hash not in self._rulesets:
            snapshot = self.store.ruleset_snapshot(ruleset_hash)
            self._rulesets[ruleset_hash] = ruleset_from_snapshot(snapshot, ruleset_hash)
        return self._rulesets[ruleset_hash]

    def _evaluator(self, ruleset: RuleSet, engine: str) -> Evaluator:
        key = (ruleset.hash, engine)
        if key not in self._evaluators:
            name: EngineName = "python" if engine == "python" else "durable"
            self._evaluators[key] = Evaluator(ruleset, name)
        return self._evaluators[key]

    def rerun(self, record: AuditRecord, ruleset: RuleSet) -> dict[str, Any]:
        """The decision (as JSON data) the record's profile gets under ``ruleset``."""
        profile = record_profile(record)
        evaluator = self._evaluator(ruleset, record.content["engine"])
        decision = evaluator.evaluate(profile, with_trace=record.content["traced"])
        data: dict[str, Any] = orjson.loads(decision.to_json())
        return data

    def replay(self, record: AuditRecord) -> Replay:
        """Re-run one record under its recorded rules, then under the current rules."""
        recorded = record.content["decision"]
        again = self.rerun(record, self.ruleset(record.ruleset_hash))
        identical = canonical_json(again) == canonical_json(recorded)
        same = self.current.hash == record.ruleset_hash
        now = again if same else self.rerun(record, self.current)
        return Replay(
            record=record,
            recorded_identical=identical,
            recorded_changes=[] if identical else diff_decisions(recorded, again),
            against=f"{self.current.name} {self.current.version} ({self.current.hash[:19]})",
            same_rules=same,
            changes=diff_decisions(recorded, now),
        )


@dataclass
class ReplaySummary:
    """What the current rules would change over a whole store (``audit replay --all``).

    ``transitions`` counts each (target, before, after) change over the records, with the
    rules responsible now; ``not_replayable`` lists records that cannot be re-run and why.
    """

    against: str
    records: int = 0
    unchanged: int = 0
    changed: int = 0
    not_exact: list[int] = field(default_factory=list)
    not_replayable: list[tuple[int, str]] = field(default_factory=list)
    transitions: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    rules: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    products: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)


def replay_all(replayer: Replayer, records: Iterable[AuditRecord]) -> ReplaySummary:
    """Replay every record under the current rules and summarise what would change."""
    summary = ReplaySummary(against="")
    for record in records:
        summary.records += 1
        try:
            result = replayer.replay(record)
        except EligibilityError as exc:
            summary.not_replayable.append((record.seq, str(exc)))
            continue
        summary.against = result.against
        if not result.recorded_identical:
            summary.not_exact.append(record.seq)
        if not result.changes:
            summary.unchanged += 1
            continue
        summary.changed += 1
        for change in result.changes:
            key = (change.target, change.before_text, change.after_text)
            summary.transitions[key] += 1
            summary.rules.setdefault(key, set()).update(change.rules_after)
            summary.products.setdefault(key, set()).add(record.profile_id)
    if not summary.against:
        c = replayer.current
        summary.against = f"{c.name} {c.version} ({c.hash[:19]})"
    return summary


__all__ = [
    "Replay",
    "ReplaySummary",
    "Replayer",
    "record_profile",
    "replay_all",
    "ruleset_from_snapshot",
]
