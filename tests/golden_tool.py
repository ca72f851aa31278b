"""Regenerate the golden files after a deliberate change: ``make golden``.

Golden files pin what the rules decide for every fixture and what the compiler gives to
durable-rules, so a change shows up as a reviewable diff.
"""

from __future__ import annotations

import json
from pathlib import Path

from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_profile
from eligibility.rules.compiler import compile_networks
from eligibility.rules.loader import RuleSet, load_ruleset
from eligibility.rules.schema import write_schemas

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PROFILES = sorted((ROOT / "fixtures" / "profiles").glob("*.yaml"))


def compiled_text(ruleset: RuleSet) -> str:
    """The compiled durable networks, one per journey, as stable JSON text (what durable
    receives)."""
    return json.dumps(compile_networks(ruleset), indent=1, ensure_ascii=False) + "\n"


def decision_text(evaluator: Evaluator, profile_path: Path) -> str:
    """The decision for one fixture, as the CLI prints it with ``--format json``."""
    return evaluator.evaluate(read_profile(str(profile_path))).to_json(indent=True).decode() + "\n"


def golden_decision_path(profile_path: Path) -> Path:
    """Where a fixture's golden decision lives."""
    return GOLDEN / "decisions" / f"{profile_path.stem}.json"


def main() -> None:
    """Rewrite every golden file."""
    ruleset = load_ruleset(ROOT / "rules")
    (GOLDEN / "compiled.json").write_text(compiled_text(ruleset), encoding="utf-8")
    evaluator = Evaluator(ruleset)
    for path in PROFILES:
        golden_decision_path(path).write_text(decision_text(evaluator, path), encoding="utf-8")
    write_schemas(ROOT / "rules")
    print(f"golden files written for {len(PROFILES)} fixtures, the compiled ruleset, schemas")


if __name__ == "__main__":
    main()
