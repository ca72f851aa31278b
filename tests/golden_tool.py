"""Regenerate the golden files after a deliberate change: ``make golden``.

Golden files pin what the rules decide for every fixture and what the compiler gives to
durable-rules, in forms a reviewer reads, so that a rule change shows up as a short diff:

- ``decisions/<fixture>.txt`` for every fixture: the decision digest, one line per
  outcome (journey, variant, prerequisite, step, dependency) with the rules that decided
  it, its advice and its missing fields. The rules' sentences, sources and confidence tags
  are the rule files' own; the full JSON pins them.
- ``decisions/<fixture>.json`` for a few fixtures (:data:`TRACED`): the whole decision as
  ``evaluate --format json`` prints it, trace included.
- ``compiled.txt``: per durable network, the digest of what durable receives and, per
  rule, the durable rules it compiles to (:func:`compiled_text`).

The rule set's hash changes with every edit of a rule file, so golden files show it as
zeros (:func:`without_ruleset_hash`): a rule change then touches only the outcomes it
changes. The hash itself is tested with the loader.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, Reason
from eligibility.profile.files import read_profile
from eligibility.rules.compiler import compile_ruleset, networks
from eligibility.rules.loader import RuleSet, load_ruleset
from eligibility.rules.schema import write_schemas

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PROFILES = sorted((ROOT / "fixtures" / "profiles").glob("*.yaml"))

#: The fixtures whose whole decision, trace included, is pinned: a product whose answers
#: are all known (variants, INSi operations), one with many variants and dependencies in
#: force, and one with unknown answers (undetermined outcomes, missing fields).
TRACED = ("hospital-ehr", "telemonitoring-device", "unknown-answers")


def compiled_text(ruleset: RuleSet) -> str:
    """The compiled durable networks in a reviewable form: for each network, the sha256 of
    its definition (what durable receives, as canonical JSON), then each rule of the rule
    files with the durable rules it becomes (``T``: it holds, ``U``: it cannot be
    evaluated; one per path of its condition)."""
    lines = [
        "# Compiled durable-rules networks: a digest of each network's definition, and the",
        "# durable rules each rule becomes (T: holds, U: unknown). Regenerate: make golden.",
    ]
    for number, sub in enumerate(networks(ruleset), start=1):
        definition = compile_ruleset(sub)[0]
        canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        lines += ["", f"network {number}: {len(definition)} durable rules, sha256:{digest}"]
        compiled: dict[str, list[str]] = {}
        for name in definition:
            rule, _, path = name.rpartition("#")
            compiled.setdefault(rule, []).append(path)
        lines += [f"  {r.id}: {' '.join(compiled.get(r.id, ['-']))}" for r in sub.rules]
    return "\n".join(lines) + "\n"


def without_ruleset_hash(text: str, ruleset: RuleSet) -> str:
    """The text with the rule set's hash, whole or shortened, shown as zeros."""
    digest = ruleset.hash.removeprefix("sha256:")
    return text.replace(digest, "0" * len(digest)).replace(digest[:12], "0" * 12)


def decision_text(evaluator: Evaluator, profile_path: Path) -> str:
    """The decision for one fixture, as the CLI prints it with ``--format json``."""
    decision = evaluator.evaluate(read_profile(str(profile_path)))
    return without_ruleset_hash(decision.to_json(indent=True).decode() + "\n", evaluator.ruleset)


def _decided_by(reasons: list[Reason]) -> str:
    """The rules behind an outcome: ``<- rule`` (held), ``rule?`` (unknown answers)."""
    if not reasons:
        return ""
    marks = {True: "", None: "?", False: " (fails)"}
    return "  <- " + ", ".join(f"{r.rule}{marks[r.holds]}" for r in reasons)


def _listed(values: list[str] | None) -> str:
    return ", ".join(values) if values else "-"


def decision_digest(decision: Decision) -> str:
    """The decision in one line per outcome, with the rules that decided it."""
    ref = decision.ruleset
    lines = [
        f"# {decision.profile_id}: {ref.name} {ref.version}",
        f"missing: {_listed(decision.missing)}",
    ]
    for c in decision.conflicts:
        answers = ", ".join(f"{k}={v}" for k, v in c.answers.items())
        lines.append(f"conflict: {c.journey} needs {c.needs}  <- {c.dependency}; {answers}")
    for j in decision.journeys:
        head = f"{j.id}: {j.status}"
        if j.variant is not None:
            head += f", variant {j.variant}"
        if j.operations is not None:
            head += f", operations {_listed(j.operations)}"
        lines += ["", head + _decided_by(j.reasons)]
        if j.variant_reasons:
            lines.append("  variant" + _decided_by(j.variant_reasons))
        for p in j.prerequisites:
            met = {True: "met", False: "not met", None: "unknown"}[p.met]
            lines.append(f"  prerequisite {p.id}: {met}{_decided_by(p.reasons)}")
        for s in j.steps:
            shared = f" (shared {s.shared})" if s.shared else ""
            lines.append(f"  step {s.id}{shared}: {s.status}{_decided_by(s.reasons)}")
            lines += [f"    advice: {a}" for a in s.advice]
            if s.missing:
                lines.append(f"    missing: {_listed(s.missing)}")
        if j.missing:
            lines.append(f"  missing: {_listed(j.missing)}")
        lines += [
            f"  {d.kind} {d.journey} ({d.status}), in force: {d.in_force}  <- {d.id}"
            for d in j.dependencies
        ]
    return "\n".join(lines) + "\n"


def digest_text(evaluator: Evaluator, profile_path: Path) -> str:
    """The decision digest of one fixture."""
    return decision_digest(evaluator.evaluate(read_profile(str(profile_path))))


def golden_digest_path(profile_path: Path) -> Path:
    """Where a fixture's golden decision digest lives."""
    return GOLDEN / "decisions" / f"{profile_path.stem}.txt"


def golden_decision_path(profile_path: Path) -> Path:
    """Where a traced fixture's whole golden decision lives."""
    return GOLDEN / "decisions" / f"{profile_path.stem}.json"


def main() -> None:
    """Rewrite every golden file."""
    ruleset = load_ruleset(ROOT / "rules")
    (GOLDEN / "compiled.txt").write_text(compiled_text(ruleset), encoding="utf-8")
    evaluator = Evaluator(ruleset)
    for path in PROFILES:
        golden_digest_path(path).write_text(digest_text(evaluator, path), encoding="utf-8")
        if path.stem in TRACED:
            text = decision_text(evaluator, path)
            golden_decision_path(path).write_text(text, encoding="utf-8")
    write_schemas(ROOT / "rules")
    print(f"golden files written for {len(PROFILES)} fixtures, the compiled ruleset, schemas")


if __name__ == "__main__":
    main()
