"""Evaluation speed against the size of the catalogue.

Run: ``python benchmarks/catalogue_size.py [RULES_DIR ...]`` (default: the shipped rules),
e.g. with the rules of another checkout to compare. Prints, per rules directory and engine,
the rule count, the build time and the time of one evaluation with trace, averaged over
every fixture profile; each figure is the best of several rounds, as the machine is shared.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_profile
from eligibility.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
PROFILES = [read_profile(str(p)) for p in sorted((ROOT / "fixtures/profiles").glob("*.yaml"))]
ROUNDS = 7


def best(run: object, rounds: int = ROUNDS) -> float:
    """Best wall time of ``run()`` over several rounds, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def measure(rules_dir: str | None) -> None:
    """Print build and evaluation times for one rules directory, both engines."""
    ruleset = load_ruleset(rules_dir)
    for engine in ("durable", "python"):
        built = best(lambda: Evaluator(ruleset, engine), 3)  # type: ignore[arg-type]  # noqa: B023
        evaluator = Evaluator(ruleset, engine)  # type: ignore[arg-type]
        each = best(lambda: [evaluator.evaluate(p) for p in PROFILES]) / len(PROFILES)  # noqa: B023
        print(
            f"{rules_dir or 'rules/'}: {len(ruleset.rules)} rules, {engine}: "
            f"build {built * 1000:.0f} ms, evaluate {each * 1e6:.0f} µs/profile "
            f"({len(PROFILES)} profiles)"
        )


if __name__ == "__main__":
    for directory in sys.argv[1:] or [None]:
        measure(directory)
