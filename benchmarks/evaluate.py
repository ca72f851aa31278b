"""Speed and memory of `evaluate`: durable-rules against the plain-Python floor.

Usage: ``python benchmarks/evaluate.py [--sizes 1,1000,10000] [--repeat 3]``

Each (engine, trace, N) runs in a fresh process that generates N plausible profiles
lazily (``benchmarks/generate.py``), evaluates them one by one and reports profiles per
second, per-profile latency p50/p99 and the process's peak RSS. The figures are the median
of ``--repeat`` runs. It also times ``eligibility evaluate`` on a fixture from process start
to printed decision, and the compilation of the durable networks that every start does
(``--startup`` times only these two). Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(engine: str, n: int, trace: bool, rules: str) -> dict[str, Any]:
    """Evaluate ``n`` generated profiles in this process and measure."""
    sys.path.insert(0, str(HERE))
    from generate import generate_profiles

    from eligibility.decision.evaluator import Evaluator
    from eligibility.profile.model import parse_profile
    from eligibility.rules.loader import load_ruleset

    evaluator = Evaluator(load_ruleset(rules or None), engine=engine)  # type: ignore[arg-type]
    latencies: list[float] = []
    clock = time.perf_counter
    total = 0.0
    for raw in generate_profiles(n):
        profile = parse_profile(raw)
        start = clock()
        evaluator.evaluate(profile, with_trace=trace)
        elapsed = clock() - start
        latencies.append(elapsed)
        total += elapsed
    latencies.sort()
    return {
        "per_second": n / total if total else 0.0,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(engine: str, n: int, trace: bool, rules: str) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(n), "1" if trace else "0", rules],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over several runs."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def cli_start_to_decision(repeat: int) -> float:
    """Median seconds for ``eligibility evaluate`` on a fixture, process start to output."""
    exe = shutil.which("eligibility")
    command = [exe] if exe else [sys.executable, "-m", "eligibility"]
    fixture = str(ROOT / "fixtures" / "profiles" / "pacs-regional.yaml")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([*command, "evaluate", fixture], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compile_seconds(repeat: int, rules: str) -> tuple[float, float]:
    """Best and median seconds to compile the durable networks of the rules."""
    from eligibility.rules.compiler import compile_networks
    from eligibility.rules.loader import load_ruleset

    ruleset = load_ruleset(rules or None)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        compile_networks(ruleset)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def startup(repeat: int, rules: str) -> None:
    """Print the start-up figures: the command from process start, and compiling."""
    print(
        f"eligibility evaluate, process start to printed decision: "
        f"{cli_start_to_decision(repeat):.3f} s (median of {repeat})"
    )
    best, median = compile_seconds(max(repeat, 10), rules)
    print(
        f"compiling the durable networks (done at every start): {1000 * best:.0f} ms best, "
        f"{1000 * median:.0f} ms median of {max(repeat, 10)}"
    )


def main() -> None:
    """Run every configuration and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", default="", help="rules directory (default: the shipped one)")
    parser.add_argument("--startup", action="store_true", help="only the start-up figures")
    args = parser.parse_args()
    if args.startup:
        startup(max(5, args.repeat), args.rules)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| engine | trace | N | profiles/s | p50 ms | p99 ms | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    rates: dict[tuple[str, bool, int], float] = {}
    for n in sizes:
        for trace in (True, False):
            for engine in ("durable", "python"):
                runs = [run_child(engine, n, trace, args.rules) for _ in range(args.repeat)]
                m = median_of(runs)
                rates[(engine, trace, n)] = m["per_second"]
                print(
                    f"| {engine} | {'on' if trace else 'off'} | {n} | {m['per_second']:,.0f} "
                    f"| {m['p50_ms']:.3f} | {m['p99_ms']:.3f} | {m['peak_rss_mb']:.1f} |"
                )
    print()
    for n in sizes:
        if n >= 1000:
            ratio = rates[("python", True, n)] / rates[("durable", True, n)]
            print(
                f"N={n}: durable-rules with trace is {ratio:.1f}x slower than the "
                "plain-Python evaluation of the same rules"
            )
    startup(max(5, args.repeat), args.rules)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5])))
    else:
        main()
