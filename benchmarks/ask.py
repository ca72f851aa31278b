"""How many questions the questionnaire asks, and how long it takes to choose each one.

For every fixture, the questionnaire is replayed with the fixture's answers (unknown
fields answered "don't know") from a fresh :class:`Relevance` (cold caches: one session
as a user would run it), timing every call to ``next_field``: the time between an answer
and the next question. Prints questions asked against fields in the model per fixture,
then p50/p99/max of the choice time over all the choices of all fixtures.

    .venv/bin/python benchmarks/ask.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from eligibility.decision.relevance import Relevance
from eligibility.profile.files import read_profile
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import load_questions
from eligibility.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[1]


def replay(
    relevance: Relevance, data: dict[str, Any]
) -> tuple[list[str], list[float], list[float]]:
    """Answer from ``data``; return the fields asked and the wall and CPU time of each choice.

    CPU time is reported too because on a shared machine the wall time also counts the
    time the process waited for a core.
    """
    answers: dict[str, Any] = {}
    asked: list[str] = []
    times: list[float] = []
    cpu: list[float] = []
    while True:
        start, start_cpu = time.perf_counter(), time.process_time()
        name = relevance.next_field(answers)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if name is None:
            return asked, times, cpu
        asked.append(name)
        answers[name] = data.get(name)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="sessions per fixture")
    args = parser.parse_args()
    ruleset = load_ruleset(ROOT / "rules")
    order = load_questions(ROOT / "rules").order
    start = time.perf_counter()
    Relevance(ruleset, order)
    build = time.perf_counter() - start

    all_times: list[float] = []
    all_cpu: list[float] = []
    print(f"{'fixture':<34} {'asked':>5} / fields   max ms")
    for path in sorted((ROOT / "fixtures" / "profiles").glob("*.yaml")):
        data = read_profile(str(path)).known()
        worst = 0.0
        asked: list[str] = []
        for _ in range(args.repeat):
            asked, times, cpu = replay(Relevance(ruleset, order), data)
            all_times += times
            all_cpu += cpu
            worst = max(worst, max(times))
        print(f"{path.stem:<34} {len(asked):>5} / {len(FIELDS):<6} {worst * 1000:>8.1f}")
    print()
    print(f"build Relevance: {build * 1000:.1f} ms")
    for label, values in (("wall", all_times), ("cpu", all_cpu)):
        ms = [t * 1000 for t in values]
        print(
            f"time to choose the next question ({label}) over {len(ms)} choices: "
            f"p50 {statistics.median(ms):.2f} ms, p99 {percentile(ms, 99):.2f} ms, "
            f"max {max(ms):.2f} ms"
        )


if __name__ == "__main__":
    main()
