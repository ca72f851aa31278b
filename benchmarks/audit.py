"""Recording cost: decisions per second with and without ``--record``.

Runs N generated products (``benchmarks/generate.py``: plausible products, some answers
unknown) through one durable-rules evaluator (with the trace, as ``evaluate`` and ``batch``
do) and compares:

- no recording;
- recording a batch: a :class:`~eligibility.audit.Recorder`, one transaction per 500 records;
- recording one decision per transaction (what ``evaluate --record`` does once per run).

On SQLite (a temporary file) and, when ``ELIGIBILITY_TEST_PG`` holds a DSN, on PostgreSQL
(in a throw-away schema). Usage: ``.venv/bin/python benchmarks/audit.py [N]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from eligibility.audit import Recorder, RecordSettings, open_store
from eligibility.audit.record import record_content
from eligibility.decision.evaluator import Evaluator
from eligibility.profile.model import Profile, parse_profile
from eligibility.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_profiles  # noqa: E402

ROUNDS = 5


def rate(n: int, run: Callable[[], None]) -> float:
    """Decisions per second of one run."""
    start = time.perf_counter()
    run()
    return n / (time.perf_counter() - start)


def main() -> None:
    """Print the table of figures."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    ruleset = load_ruleset()
    evaluator = Evaluator(ruleset, "durable")
    profiles: list[Profile] = [parse_profile(raw) for raw in generate_profiles(n)]
    for p in profiles:  # warm up: every round then evaluates with the same memos filled
        evaluator.evaluate(p)

    def plain() -> None:
        for p in profiles:
            evaluator.evaluate(p)

    def batch(store: str) -> Callable[[], None]:
        def run() -> None:
            with Recorder(RecordSettings(store, {"bench": "batch"}), ruleset) as recorder:
                for p in profiles:
                    recorder.add(p, evaluator.evaluate(p))

        return run

    def one_by_one(store: str) -> Callable[[], None]:
        def run() -> None:
            settings = RecordSettings(store, {"bench": "single"})
            with open_store(store, create=True) as opened:
                for p in profiles:
                    content = record_content(p, evaluator.evaluate(p), ruleset, settings, "durable")
                    opened.append([content], ruleset)

        return run

    modes: list[tuple[str, Callable[[], None]]] = [("no recording", plain)]
    tmp = tempfile.TemporaryDirectory()
    sqlite = str(Path(tmp.name) / "audit.sqlite")
    modes.append(("SQLite, batch (500 per transaction)", batch(sqlite)))
    modes.append(("SQLite, one transaction per decision", one_by_one(sqlite)))
    dsn = os.environ.get("ELIGIBILITY_TEST_PG")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    if dsn:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        url = f"{dsn}{'&' if '?' in dsn else '?'}options=-csearch_path%3D{schema}"
        modes.append(("PostgreSQL, batch (500 per transaction)", batch(url)))
        modes.append(("PostgreSQL, one transaction per decision", one_by_one(url)))
    # Best of several rounds, the modes taking turns: the machine is shared, and a burst of
    # load elsewhere should not be charged to one mode.
    best = {name: 0.0 for name, _ in modes}
    try:
        for _ in range(ROUNDS):
            for name, run in modes:
                best[name] = max(best[name], rate(n, run))
    finally:
        tmp.cleanup()
        if dsn:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    base = best["no recording"]
    rows = list(best.items())
    print(f"{n} decisions (durable engine, with trace), best of {ROUNDS} rounds")
    print(f"{'mode':<44}{'decisions/s':>12}{'slowdown':>10}")
    for name, value in rows:
        print(f"{name:<44}{value:>12.0f}{base / value:>9.2f}x")


if __name__ == "__main__":
    main()
