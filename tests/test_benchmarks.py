"""The benchmark scripts still run: each on a tiny input, printing the figures it reports.

Their figures are not checked (a test never asserts a time); what rots unseen is a script
left behind by a change of the code it measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Each script with arguments that make it quick, and a piece of the last line it prints.
RUNS = {
    "batch.py": (["64"], "64"),
    "batch.py --side-by-side": (["--side-by-side", "64"], "the throughput of one"),
    "report.py": (["--products", "40", "--workers", "1"], "product rows"),
    "evaluate.py": (["--sizes", "10", "--repeat", "1"], "compiling the durable networks"),
    "rules_check.py": (["--scale", "1", "--repeat", "1"], "| generated ×1 |"),
    "audit.py": (["20"], "one transaction per decision"),
    "audit_batch.py": (["20"], "20 products, --record on "),
    "reading.py": (["--rows", "50", "--repeat", "1"], "| rules YAML"),
    "catalogue_size.py": ([], "rules/: "),
    "ask.py": (["--repeat", "1"], "first question, at start-up"),
}


@pytest.mark.parametrize("script", list(RUNS))
def test_the_benchmark_runs_on_a_tiny_input(script: str, tmp_path: Path) -> None:
    """The script ends with exit 0 and prints its last figure line."""
    arguments, last_line = RUNS[script]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script.split()[0]), *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert last_line in done.stdout.strip().splitlines()[-1]


#: Scripts run elsewhere: a module the others import, and the server benchmark (its
#: shortest run starts fresh servers for about 20 s; tests/serve runs a real server).
NOT_RUN_HERE = {"generate.py", "serve.py"}


def test_every_benchmark_script_is_run_here_or_said_why_not() -> None:
    """A new script in benchmarks/ joins RUNS (or NOT_RUN_HERE, with the reason)."""
    scripts = {p.name for p in (ROOT / "benchmarks").glob("*.py")}
    assert scripts == {run.split()[0] for run in RUNS} | NOT_RUN_HERE
