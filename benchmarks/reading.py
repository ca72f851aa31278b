"""Time of reading input: portfolios in each format, and the YAML of the shipped rules.

    .venv/bin/python benchmarks/reading.py                # 10 000 products, best of 3
    .venv/bin/python benchmarks/reading.py --rows 100000 --repeat 5
    .venv/bin/python benchmarks/reading.py --worst       # and the worst inputs' peak memory

The portfolio is the archetype products of ``generate.py`` (seeded), written once as CSV,
JSON, JSONL and YAML in a temporary directory. For each format the figure is the best of
``--repeat`` runs (processor time) of reading every row and validating it into a profile
(what ``batch`` does for each row before evaluating it); evaluation is left out, so the
figure shows the cost of parsing and checking the input alone. ``rules YAML`` is the time
to parse every YAML file under ``rules/`` (what each command does before its first
decision). Prints a Markdown table.

``--worst`` also runs the command line, each time in a new process, on the largest and
most hostile inputs it accepts or refuses (docs/reliability.md): a profile file at the
size limit full of unknown fields, or of one list, an alias bomb, portfolios of rows at
the row limit; and prints each one's exit status, time and peak memory (the process's
largest resident set).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from generate import generate_profiles  # the archetype generator beside this script

from eligibility.profile.limits import PROFILE_BYTES, ROW_CHARS
from eligibility.profile.model import FIELDS
from eligibility.profile.portfolio import read_rows, row_profile
from eligibility.rules.loader import read_rule_yaml

ROOT = Path(__file__).resolve().parents[1]


def _csv_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(map(str, value)) or "[]"
    return "" if value is None else str(value)


def write_portfolios(n: int, directory: Path) -> dict[str, Path]:
    """Write ``n`` archetype products in every input format; return the paths by format."""
    profiles: list[dict[str, Any]] = list(generate_profiles(n, seed=n))
    paths = {fmt: directory / f"portfolio.{fmt}" for fmt in ("csv", "json", "jsonl", "yaml")}
    with paths["csv"].open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", *FIELDS])
        out.writerows([p["id"], *(_csv_value(p.get(k)) for k in FIELDS)] for p in profiles)
    paths["json"].write_text(json.dumps(profiles, indent=1), encoding="utf-8")
    paths["jsonl"].write_text("".join(json.dumps(p) + "\n" for p in profiles), encoding="utf-8")
    paths["yaml"].write_text(yaml.safe_dump(profiles, sort_keys=False), encoding="utf-8")
    return paths


def read_all(path: Path) -> int:
    """Read and validate every row of a portfolio; return how many were valid."""
    valid = 0
    for raw in read_rows(str(path)):
        row_profile(raw, str(path))
        valid += 1
    return valid


def parse_rules() -> int:
    """Parse every YAML file of the shipped rules; return how many."""
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    for path in files:
        read_rule_yaml(path)
    return len(files)


def best(f: Callable[[], int], repeat: int) -> float:
    """The least processor time of ``repeat`` runs of ``f``, in seconds (processor time,
    not elapsed: other processes on the machine weigh less on it)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        f()
        times.append(time.process_time() - start)
    return min(times)


def _unknown_fields(size: int, indent: str = "") -> str:
    """Lines of unknown fields (each its own), ``size`` characters or just under."""
    line = len(indent) + len("unknown_0000000: 1\n")
    return "".join(f"{indent}unknown_{i:07d}: 1\n" for i in range(size // line))


def write_worst(directory: Path) -> dict[str, list[str]]:
    """Write the worst inputs; return, for each, the command that reads it."""
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    row = json.dumps({"id": "x", **{f"unknown_{i:07d}": 1 for i in range(ROW_CHARS // 22)}})
    files = {
        "unknown.yaml": "id: x\n" + _unknown_fields(PROFILE_BYTES - 10),
        "list.yaml": "id: x\ncategories: [" + "DPI," * ((PROFILE_BYTES - 40) // 4) + "DPI]\n",
        "bomb.yaml": "id: x\n" + bomb,
        "long-id.yaml": "id: " + "x" * (PROFILE_BYTES - 10) + "\n",
        "rows.jsonl": (row + "\n") * 20,
        "row.yaml": "- id: x\n" + _unknown_fields(ROW_CHARS - 100, "  "),
        "deep.jsonl": '{"id": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
    }
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    fixture = str(ROOT / "fixtures" / "profiles" / "pacs-regional.yaml")
    return {
        "a shipped profile (for comparison)": ["evaluate", fixture],
        "profile: 1 MiB of unknown fields": ["evaluate", str(directory / "unknown.yaml")],
        "profile: a list of 260 000 values": ["evaluate", str(directory / "list.yaml")],
        "profile: a 700-byte alias bomb": ["evaluate", str(directory / "bomb.yaml")],
        "profile: a 1 MiB id": ["evaluate", str(directory / "long-id.yaml")],
        "JSONL: 20 rows of 1 MiB": ["batch", str(directory / "rows.jsonl"), "-q"],
        "YAML: a row of 1 MiB": ["batch", str(directory / "row.yaml"), "-q"],
        "JSONL: 100 000 levels of nesting": ["batch", str(directory / "deep.jsonl"), "-q"],
    }


# Linux keeps a process's peak memory across exec, and a forked child starts from its
# parent's: the command is started by a small launcher process, so that its figure is its own.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.execv(sys.executable, [sys.executable, "-m", "eligibility", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_worst(args: list[str]) -> tuple[int, float, int, int]:
    """Run the command line in a new process: its exit status, seconds, peak resident
    memory (MiB) and the bytes it wrote to stderr."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-S", "-c", _LAUNCHER, *args],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    seconds = time.perf_counter() - start
    code, peak_kib = map(int, done.stdout.split())
    return code, seconds, peak_kib // 1024, len(done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worst", action="store_true", help="also the worst inputs' memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_portfolios(args.rows, Path(tmp))
        print(f"| input ({args.rows} products) | seconds | rows per second |")
        print("|---|---:|---:|")
        for fmt, path in paths.items():
            seconds = best(lambda path=path: read_all(path), args.repeat)
            print(f"| {fmt} | {seconds:.3f} | {args.rows / seconds:,.0f} |")
    seconds = best(parse_rules, args.repeat)
    print(f"| rules YAML ({parse_rules()} files) | {seconds:.3f} | |")
    if not args.worst:
        return
    print("\n| worst input | exit | seconds | peak MiB | stderr bytes |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for what, command in write_worst(Path(tmp)).items():
            code, seconds, peak, err = run_worst(command)
            print(f"| {what} | {code} | {seconds:.1f} | {peak} | {err:,} |")


if __name__ == "__main__":
    main()
