"""What --record costs a real batch: `eligibility batch` with and without recording.

Usage: ``python benchmarks/audit_batch.py [N]`` (default 2 000 generated products, the
generator of ``benchmarks/batch.py``; 1 worker, jsonl with trace to a file). SQLite always;
PostgreSQL too when ``ELIGIBILITY_TEST_PG`` holds a DSN (``.ci/postgres.sh`` prints one).
Best of 3 runs each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import generate  # the sibling benchmark's portfolio generator


def _seconds(command: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Time the batch without recording, then recording on each store."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    exe = [sys.executable, "-m", "eligibility"]
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = str(generate(n, Path(tmp)))
        out = str(Path(tmp) / "out.jsonl")
        base = [*exe, "batch", portfolio, "--quiet", "--allow-errors", "-o", out]
        plain = _seconds(base)
        print(f"{n} products, no recording: {plain:.2f} s")
        stores = {"SQLite": str(Path(tmp) / "audit.sqlite")}
        if os.environ.get("ELIGIBILITY_TEST_PG"):
            stores["PostgreSQL"] = os.environ["ELIGIBILITY_TEST_PG"]
        for name, store in stores.items():
            recorded = _seconds([*base, "--record", "--store", store])
            print(f"{n} products, --record on {name}: {recorded:.2f} s ({recorded / plain:.2f}x)")


if __name__ == "__main__":
    main()
