"""Benchmark ``eligibility batch``: products per second and peak memory, 1 and 2 workers.

    .venv/bin/python benchmarks/batch.py 20000 100000   # the table of docs/performance.md
    .venv/bin/python benchmarks/batch.py --no-trace --format=csv 10000
    .venv/bin/python benchmarks/batch.py --side-by-side 20000   # what 2 cores give 2 processes

Each portfolio is generated (seeded, so the same every time) as a CSV file, the hard case:
every decisive field is unknown one time in six, otherwise a random allowed value, so
products share little and decisions are large (many journeys undetermined, each with its
reasons).

Each run is the command itself, ``eligibility batch PORTFOLIO --workers N --quiet`` (jsonl
with the trace unless told otherwise), in a fresh process, its standard output redirected
to /dev/null so that the figures measure the batch, not the disk. The time runs from the
command's start (its imports done) to its end. Peak memory is the largest resident set of
the main process and, apart, of the largest pool process (``resource.getrusage``). With
``--repeat=N`` runs alternate 1 and 2 workers and the fastest of each is kept, which
filters out the time other processes on the machine take from the cores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from eligibility.profile.model import FIELDS

SIZES = (1_000, 10_000, 100_000)


def _cell(rng: random.Random, kind: str, values: tuple[object, ...]) -> str:
    if rng.random() < 1 / 6:
        return ""  # unknown
    if kind == "bool":
        return rng.choice(("true", "false"))
    if kind == "list":
        picked = [v for v in values if rng.random() < 0.3]
        return ";".join(str(v) for v in picked) or "[]"
    return str(rng.choice(values))


def _random_rows(n: int) -> Iterator[list[str]]:
    rng = random.Random(n)
    for i in range(n):
        cells = [_cell(rng, s.kind, s.values) for s in FIELDS.values()]
        yield [f"product-{i:06d}", f"Product {i}", *cells]


def generate(n: int, directory: Path) -> Path:
    """Write (once) a portfolio of ``n`` generated products as CSV and return its path.

    The file name carries a digest of the profile fields, so a field added since the last
    run makes a new file instead of reusing one that lacks its column.
    """
    fields = hashlib.sha256(repr([(k, s.kind, s.values) for k, s in FIELDS.items()]).encode())
    path = directory / f"portfolio-{n}-{fields.hexdigest()[:12]}.csv"
    if path.exists():
        return path
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", "name", *FIELDS])
        out.writerows(_random_rows(n))
    return path


def run_once(arguments: list[str]) -> dict[str, float]:
    """Run ``eligibility ARGUMENTS`` in this process (the measured part); its figures."""
    from eligibility.cli import main

    sys.argv = ["eligibility", *arguments]
    start = time.perf_counter()
    try:
        main()
    except SystemExit as exit_:
        if exit_.code:
            raise
    elapsed = time.perf_counter() - start
    own, pool = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {
        "seconds": elapsed,
        "main_mb": own.ru_maxrss / 1024,
        "worker_mb": pool.ru_maxrss / 1024,
        "main_cpu": own.ru_utime + own.ru_stime,
        "workers_cpu": pool.ru_utime + pool.ru_stime,
    }


def _run(path: Path, workers: int, with_trace: bool, fmt: str) -> dict[str, float]:
    """One measured run in a fresh process, its output redirected to /dev/null."""
    arguments = ["batch", str(path), "--workers", str(workers), "--quiet", "--format", fmt]
    arguments += [] if with_trace else ["--no-trace"]
    done = subprocess.run(
        [sys.executable, __file__, "--run", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"a measured run failed: {done.stderr.decode()}")
    return dict(json.loads(done.stderr.splitlines()[-1]))


def side_by_side(path: Path, n: int, with_trace: bool, fmt: str) -> str:
    """Two one-process runs at once against one alone: what the 2 cores give two processes
    that share nothing (the most a pool of 2 could gain, before any cost of its own)."""
    alone = _run(path, 1, with_trace, fmt)
    with ThreadPoolExecutor(2) as both:
        pair = list(both.map(lambda _: _run(path, 1, with_trace, fmt), range(2)))
    seconds = max(f["seconds"] for f in pair)
    cpu = sum(f["main_cpu"] for f in pair) / 2
    return (
        f"side by side: two one-process runs of {n} products at once end in {seconds:.1f} s"
        f" (one alone: {alone['seconds']:.1f} s), {2 * alone['seconds'] / seconds:.2f}x the"
        f" throughput of one; each takes {cpu:.1f} CPU s (alone: {alone['main_cpu']:.1f})"
    )


def main(argv: list[str]) -> None:
    """Generate the portfolios, run each size with 1 and 2 workers, print a table."""
    with_trace = "--no-trace" not in argv
    fmt = next((a.split("=", 1)[1] for a in argv if a.startswith("--format=")), "jsonl")
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    repeat = int(next((a.split("=", 1)[1] for a in argv if a.startswith("--repeat=")), "1"))
    directory = Path(tempfile.gettempdir()) / "eligibility-bench"
    directory.mkdir(exist_ok=True)
    print(
        f"format: {fmt}; trace: {'on' if with_trace else 'off'};"
        f" cores: {os.cpu_count()}; best of {repeat}; load average before: {os.getloadavg()[0]:.1f}"
    )
    if "--side-by-side" in argv:
        for n in sizes:
            print(side_by_side(generate(n, directory), n, with_trace, fmt), flush=True)
        return
    print(
        "products  workers  seconds  products/s  speed-up  main MB  worker MB"
        "  main CPU s  workers CPU s"
    )
    for n in sizes:
        path = generate(n, directory)
        best: dict[int, dict[str, float]] = {}
        for _ in range(repeat):
            for workers in (1, 2):
                figures = _run(path, workers, with_trace, fmt)
                if workers not in best or figures["seconds"] < best[workers]["seconds"]:
                    best[workers] = figures
        for workers, figures in best.items():
            per_second = n / figures["seconds"]
            speed_up = best[1]["seconds"] / figures["seconds"]
            print(
                f"{n:>8}  {workers:>7}  {figures['seconds']:>7.1f}  {per_second:>10.0f}"
                f"  {speed_up:>8.2f}  {figures['main_mb']:>7.0f}  {figures['worker_mb']:>9.0f}"
                f"  {figures['main_cpu']:>10.1f}  {figures['workers_cpu']:>13.1f}",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        figures = run_once(sys.argv[2:])
        print(json.dumps(figures), file=sys.stderr)
    else:
        main(sys.argv[1:])
