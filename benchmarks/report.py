"""How big the HTML portfolio report is, and whether Chromium opens it.

    .venv/bin/python benchmarks/report.py [--products 20000]

Generates a portfolio (benchmarks/batch.py's generator: every answer random, the worst case
for distinct outcomes), writes its HTML report with
``eligibility batch -f html --no-trace``, then loads it in headless Chromium and counts the
product rows it laid out (``--dump-dom``). Prints the size, the bytes per product and the
times. Needs Chromium (``apt-get install chromium``); without it, only the size is measured.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The sibling benchmark's generator, and the browser tests' Chromium flags (tests/chromium.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.chromium import CHROMIUM_FLAGS

from batch import generate

ROOT = Path(__file__).resolve().parents[1]
ELIGIBILITY = Path(sys.executable).parent / "eligibility"


def main(argv: list[str]) -> None:
    """Measure one report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        portfolio = generate(args.products, work)
        report = work / "report.html"
        started = time.perf_counter()
        subprocess.run(
            [
                *(str(ELIGIBILITY), "batch", str(portfolio), "-f", "html", "--no-trace"),
                *("-q", "--workers", str(args.workers), "-o", str(report)),
            ],
            check=True,
        )
        written = time.perf_counter() - started
        size = report.stat().st_size
        print(f"{args.products} products: {size / 1e6:.1f} MB,")
        print(f"  {size / args.products:.0f} bytes per product, written in {written:.1f} s")
        chromium = shutil.which("chromium")
        if chromium is None:
            print("  Chromium not installed: not opened")
            return
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}"]
        command += ["--window-size=1400,1000", "--dump-dom", report.as_uri()]
        started = time.perf_counter()
        dom = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        opened = time.perf_counter() - started
        rows = len(re.findall(r'<tr id="p\d+"', dom))
        shown = re.search(r'<span id="shown">(\d+)</span>', dom)
        print(f"  Chromium laid out {rows} product rows in {opened:.1f} s", end="")
        print(f" (its script counted {shown.group(1) if shown else 'none'} shown)")
        if args.screenshot:
            shot = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile-shot'}"]
            shot += ["--window-size=1400,1000", f"--screenshot={args.screenshot.resolve()}"]
            subprocess.run([*shot, report.as_uri()], capture_output=True, check=True)
            print(f"  screenshot: {args.screenshot}")


if __name__ == "__main__":
    main(sys.argv[1:])
