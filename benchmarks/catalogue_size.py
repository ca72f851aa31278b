"""Evaluation speed against the number of compiled rules (issue 7: the whole map).

Run: ``python benchmarks/catalogue_size.py [RULES_DIR ...]`` (default: the shipped rules).
Prints, per rules directory and engine, the rule count, the build time and the mean time
of one evaluation (with trace) over every fixture profile.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from eligibility.api import Evaluator
from eligibility.profile_io import read_profile
from eligibility.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
PROFILES = [read_profile(str(p)) for p in sorted((ROOT / "fixtures/profiles").glob("*.yaml"))]
ROUNDS = 20


def measure(rules_dir: str | None) -> None:
    """Print build and evaluation times for one rules directory, both engines."""
    ruleset = load_ruleset(rules_dir)
    for engine in ("durable", "python"):
        start = time.perf_counter()
        evaluator = Evaluator(ruleset, engine)  # type: ignore[arg-type]
        built = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(ROUNDS):
            for profile in PROFILES:
                evaluator.evaluate(profile)
        each = (time.perf_counter() - start) / (ROUNDS * len(PROFILES))
        print(
            f"{rules_dir or 'rules/'}: {len(ruleset.rules)} rules, {engine}: "
            f"build {built * 1000:.1f} ms, evaluate {each * 1e6:.0f} µs/profile"
        )


if __name__ == "__main__":
    for directory in sys.argv[1:] or [None]:
        measure(directory)
