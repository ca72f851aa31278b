"""Benchmark ``eligibility batch``: products per second and peak memory, 1 and 2 workers.

    .venv/bin/python benchmarks/batch.py                 # 1 000, 10 000 and 100 000 products
    .venv/bin/python benchmarks/batch.py 1000 10000      # chosen sizes
    .venv/bin/python benchmarks/batch.py --no-trace 10000
    .venv/bin/python benchmarks/batch.py --format=html 1000 10000
    .venv/bin/python benchmarks/batch.py --repeat=3 1000 10000   # best of 3 runs each
    .venv/bin/python benchmarks/batch.py --portfolio=archetypes  # products of a few kinds
    .venv/bin/python benchmarks/batch.py --ceiling 10000  # and two 1-worker runs side by side
    .venv/bin/python benchmarks/batch.py --split 10000    # and designs moving no rows
    .venv/bin/python benchmarks/batch.py --streamed 10000  # and 2 workers as to a pipe

Each portfolio is generated (seeded, so the same every time) as a CSV file. ``random``
(the default, the hard case): every decisive field is unknown one time in six, otherwise
a random allowed value, so products share little and decisions are large (many journeys
undetermined, each with its reasons). ``archetypes``: each product is one of the kinds of
``generate.py`` (hospital systems, labs, imaging, ROR tools, patient apps) with the other
fields random and one answer in twenty unknown. Each run happens in a
fresh Python process that evaluates the whole file with the library pipeline the CLI uses
(read, validate, evaluate, render: jsonl unless ``--format=``) and writes to /dev/null,
so the figures measure evaluation, not the disk. Peak memory is the largest resident set
of the main process and, separately, of the largest worker (``resource.getrusage``).

``--ceiling`` also times two one-worker runs started together, each on the whole file: on
a machine where two busy processes slow each other (shared caches, a virtual machine's
cores), ``2 x (one run) / (both runs)`` is the most any 2-worker design could get.

``--split`` also times the other design, which moves no rows nor outcomes between
processes: two processes each read the whole file, evaluate every other chunk of rows and
write their own output (here to /dev/null, in no particular order: a real one would also
have to take turns writing). Twice: sharing nothing (each process builds every memo entry
its rows need), then swapping their durable memo entries after each chunk as the batch's
processes do.

The 2-worker runs write to ``/dev/null`` by offset, as the batch does to a file: the child
writes its rows' bytes itself (:mod:`eligibility.batch.placing`). ``--streamed`` also times them
with every byte coming back through the main process, as the batch does when its output is
a pipe or a terminal.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from generate import generate_profiles  # the archetype generator beside this script

from eligibility.batch.outcome import RowOutcome
from eligibility.batch.placing import size
from eligibility.batch.run import BatchSummary, RowEvaluator, mark_duplicates, run_batch
from eligibility.batch.workers import CHUNK_SIZE
from eligibility.decision.pieces import joined
from eligibility.profile.model import FIELDS
from eligibility.profile.portfolio import read_rows
from eligibility.render.portfolio import PORTFOLIO_FORMATS, ReportInfo
from eligibility.rules.loader import load_ruleset

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


def _csv_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(map(str, value)) or "[]"
    return str(value)


def _archetype_rows(n: int) -> Iterator[list[str]]:
    for profile in generate_profiles(n, seed=n):
        cells = [_csv_value(profile[k]) if k in profile else "" for k in FIELDS]
        yield [profile["id"], profile["id"], *cells]


#: How portfolios are generated: every field random, or products of a few archetypes.
PORTFOLIOS = {"random": _random_rows, "archetypes": _archetype_rows}


def generate(n: int, directory: Path, kind: str = "random") -> Path:
    """Write (once) a portfolio of ``n`` generated products as CSV and return its path.

    The file name carries a digest of the profile fields, so a field added since the last
    run makes a new file instead of reusing one that lacks its column.
    """
    fields = hashlib.sha256(repr([(k, s.kind, s.values) for k, s in FIELDS.items()]).encode())
    path = directory / f"portfolio-{kind}-{n}-{fields.hexdigest()[:12]}.csv"
    if path.exists():
        return path
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", "name", *FIELDS])
        out.writerows(PORTFOLIOS[kind](n))
    return path


def _count(outcomes: Iterator[RowOutcome], summary: BatchSummary) -> Iterator[RowOutcome]:
    for o in outcomes:
        summary.add(o)
        yield o


def run_once(
    path: str, workers: int, with_trace: bool, fmt_name: str, stream: bool = False
) -> dict[str, float]:
    """Evaluate one portfolio in this process (the measured part) and report figures."""
    ruleset = load_ruleset()
    fmt = PORTFOLIO_FORMATS[fmt_name]
    start = time.perf_counter()
    written = 0
    summary = BatchSummary(tuple(j.id for j in ruleset.journeys))
    with open(os.devnull, "wb") as sink:  # noqa: PTH123  # a device, not a path
        place = workers > 1 and not stream and fmt.can_place(sink)
        outcomes = run_batch(
            path, fmt.fragment, ruleset=ruleset, workers=workers, with_trace=with_trace, place=place
        )
        with fmt.writer(sink, os.devnull, place=place) as out:
            for chunk in fmt.document(_count(outcomes, summary), ReportInfo.of(path, ruleset)):
                written += size(chunk)
                out.write(chunk)
    elapsed = time.perf_counter() - start
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "rows": summary.rows,
        "seconds": elapsed,
        "per_second": summary.rows / elapsed,
        "main_mb": own.ru_maxrss / 1024,
        "worker_mb": children.ru_maxrss / 1024 if workers > 1 else 0.0,
        "main_cpu": own.ru_utime + own.ru_stime,
        "worker_cpu": children.ru_utime + children.ru_stime,
        "output_mb": written / 1e6,
    }


def run_split(path: str, with_trace: bool, fmt_name: str, swap: bool) -> dict[str, float]:
    """Evaluate one portfolio in two processes that move no rows nor outcomes (``--split``);
    with ``swap``, they swap their durable memo entries after each chunk, as the batch does.
    """
    ruleset = load_ruleset()
    fragment = PORTFOLIO_FORMATS[fmt_name].fragment
    start = time.perf_counter()
    ends = socket.socketpair()
    for end in ends:  # room for a chunk's memo entries, so a send never waits for the peer
        end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
    child = os.fork()
    mine = 1 if child == 0 else 0
    peer = Connection(os.dup(ends[mine].fileno()))
    for end in ends:
        end.close()
    evaluate = RowEvaluator(ruleset, "durable", fragment, with_trace=with_trace)
    if swap:
        evaluate.share_memos()
    peer_done = False
    rows = mark_duplicates(read_rows(path, "csv", convert=False))
    with open(os.devnull, "wb") as sink:  # noqa: PTH123  # a device, not a path
        for i, raw in enumerate(rows):
            if (i // CHUNK_SIZE) % 2 == mine:  # chunks of the size the batch's workers take
                sink.write(joined(evaluate(raw).payload))
                if swap and i % CHUNK_SIZE == CHUNK_SIZE - 1:
                    while not peer_done and peer.poll():
                        news = peer.recv()
                        peer_done = news is None
                        if news:
                            evaluate.learn(news)
                    peer.send(evaluate.memo_news())
    peer.send(None)
    while not peer_done:  # take the peer's last entries, so its sends never block
        peer_done = peer.recv() is None
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed}


def main(argv: list[str]) -> None:
    """Generate the portfolios, run each size with 1 and 2 workers, print a table."""
    with_trace = "--no-trace" not in argv
    fmt = next((a.split("=", 1)[1] for a in argv if a.startswith("--format=")), "jsonl")
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    repeat = int(next((a.split("=", 1)[1] for a in argv if a.startswith("--repeat=")), "1"))
    kind = next((a.split("=", 1)[1] for a in argv if a.startswith("--portfolio=")), "random")
    ceiling = "--ceiling" in argv
    split = "--split" in argv
    streamed = "--streamed" in argv
    directory = Path(tempfile.gettempdir()) / "eligibility-bench"
    directory.mkdir(exist_ok=True)
    print(
        f"portfolio: {kind}; format: {fmt}; trace: {'on' if with_trace else 'off'};"
        f" cores: {os.cpu_count()}; best of {repeat}; load average before: {os.getloadavg()[0]:.1f}"
    )
    print(
        "products  workers  seconds  products/s  speed-up  main MB  worker MB  output MB"
        "  main CPU s  workers CPU s"
    )
    for n in sizes:
        path = generate(n, directory, kind)
        best: dict[int, dict[str, float]] = {}
        side_by_side = float("inf")
        split_seconds = {False: float("inf"), True: float("inf")}
        streamed_seconds = float("inf")
        # Runs alternate 1 and 2 workers; the fastest of each is kept, which filters out
        # the time other processes on the machine take from the cores.
        for _ in range(repeat):
            for workers in (1, 2):
                figures = _run(path, workers, with_trace, fmt)
                if workers not in best or figures["seconds"] < best[workers]["seconds"]:
                    best[workers] = figures
            if ceiling:
                side_by_side = min(side_by_side, _side_by_side(path, with_trace, fmt))
            if split:
                for swap in split_seconds:
                    figures = _run(path, 2, with_trace, fmt, "--split", str(swap))
                    split_seconds[swap] = min(split_seconds[swap], figures["seconds"])
            if streamed:
                figures = _run(path, 2, with_trace, fmt, "--streamed")
                streamed_seconds = min(streamed_seconds, figures["seconds"])
        for workers, figures in best.items():
            speed_up = figures["per_second"] / best[1]["per_second"]
            print(
                f"{n:>8}  {workers:>7}  {figures['seconds']:>7.1f}  {figures['per_second']:>10.0f}"
                f"  {speed_up:>8.2f}  {figures['main_mb']:>7.0f}"
                f"  {figures['worker_mb']:>9.0f}  {figures['output_mb']:>9.0f}"
                f"  {figures['main_cpu']:>10.1f}  {figures['worker_cpu']:>13.1f}",
                flush=True,
            )
        if ceiling:
            most = 2 * best[1]["seconds"] / side_by_side
            reached = best[1]["seconds"] / best[2]["seconds"] / most
            print(
                f"{n:>8}  ceiling: two 1-worker runs side by side took {side_by_side:.1f} s,"
                f" so two independent processes give {most:.2f}x;"
                f" 2 workers reach {reached:.0%} of it",
                flush=True,
            )
        if split:
            for swap, seconds in split_seconds.items():
                how = "swapping durable memos" if swap else "sharing nothing"
                print(
                    f"{n:>8}  split, {how}: {seconds:.1f} s, {best[1]['seconds'] / seconds:.2f}x",
                    flush=True,
                )
        if streamed:
            print(
                f"{n:>8}  2 workers, streamed: {streamed_seconds:.1f} s,"
                f" {best[1]['seconds'] / streamed_seconds:.2f}x",
                flush=True,
            )


def _command(path: Path, workers: int, with_trace: bool, fmt: str, *how: str) -> list[str]:
    """The command line of one measured run in a fresh process (see ``run_once``; ``how``
    is ``--streamed``, or ``--split`` and whether to swap memos for ``run_split``)."""
    cmd = [sys.executable, __file__, "--run", str(path), str(workers), str(with_trace), fmt]
    return [*cmd, *how]


def _run(path: Path, workers: int, with_trace: bool, fmt: str, *how: str) -> dict[str, float]:
    """One measured run in a fresh process."""
    cmd = _command(path, workers, with_trace, fmt, *how)
    return dict(json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout))


def _side_by_side(path: Path, with_trace: bool, fmt: str) -> float:
    """The longer of two 1-worker runs started together (each timed as ``run_once`` times
    it): how much this machine slows two busy processes, whatever they run."""
    cmd = _command(path, 1, with_trace, fmt)
    pair = [subprocess.Popen(cmd, stdout=subprocess.PIPE) for _ in range(2)]
    seconds = []
    for p in pair:
        out, _ = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"a side-by-side run failed: {' '.join(cmd)}")
        seconds.append(json.loads(out)["seconds"])
    return float(max(seconds))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        _, _, file, workers, trace, fmt, *how = sys.argv
        if how[:1] == ["--split"]:
            print(json.dumps(run_split(file, trace == "True", fmt, how[1] == "True")))
        else:
            streaming = how[:1] == ["--streamed"]
            print(json.dumps(run_once(file, int(workers), trace == "True", fmt, streaming)))
    else:
        main(sys.argv[1:])
