"""Time of ``rules check`` on the shipped catalogue and on one ten times larger.

Usage: ``python benchmarks/rules_check.py [--scale 10] [--repeat 3]``

The larger catalogue is generated: every journey of ``rules/`` is copied ``scale - 1``
times under new ids (journey, steps, prerequisites, rules and derived facts renamed), so
it has ``scale`` times the journeys, steps and rules, each copy with the same decisive
fields (dependencies between journeys are left out of the copies). The copies cite their
original's pages, which the provenance check reports as errors: they are counted apart.
Each figure is the median of ``--repeat`` runs of :func:`check_rules` (loading and
validation included) in this process, plus the whole command from process start. Prints a
Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from eligibility.tooling.analysis import check_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"


def _rename_condition(cond: Any, fact: dict[str, str]) -> Any:
    if isinstance(cond, dict):
        out = {k: _rename_condition(v, fact) for k, v in cond.items()}
        if "fact" in cond:
            out["fact"] = fact[cond["fact"]]
        return out
    if isinstance(cond, list):
        return [_rename_condition(c, fact) for c in cond]
    return cond


def _copy_journey(folder: Path, target: Path, suffix: str, facts: dict[str, str]) -> str:
    """Copy one journey folder with every id renamed; return the new journey id."""
    journey = yaml.safe_load((folder / "journey.yaml").read_text(encoding="utf-8"))["journey"]
    old = journey["id"]
    new = f"{old}-{suffix}"

    def step(sid: str) -> str:
        return new + sid.removeprefix(old)

    journey["id"] = new
    journey.pop("depends_on", None)  # the copies stand alone: dependencies add no answer set
    for s in journey["steps"]:
        s["id"] = step(s["id"])
        s["prerequisites"] = [step(p) for p in s.get("prerequisites", [])]
    for p in journey.get("prerequisites", []):
        p["id"] = step(p["id"])
        if "obtained_by" in p:
            p["obtained_by"] = step(p["obtained_by"])
    rules = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))["rules"]
    for r in rules:
        r["id"] = f"{suffix}.{r['id']}"
        then = r["then"]
        if "fact" in then:
            facts[then["fact"]] = f"{suffix}.{then['fact']}"
    for r in rules:
        then = r["then"]
        if "when" in r:
            r["when"] = _rename_condition(r["when"], facts)
        if "fact" in then:
            then["fact"] = facts[then["fact"]]
        if "precedence" in r:
            over = r["precedence"]["over"]
            r["precedence"]["over"] = [o if o == "catalogue" else f"{suffix}.{o}" for o in over]
        if "journey" in then:
            then["journey"] = new
        if "prerequisite" in then:
            then["prerequisite"] = step(then["prerequisite"])
        if "step" in then:
            then["step"] = (
                [step(s) for s in then["step"]]
                if isinstance(then["step"], list)
                else step(then["step"])
            )
    out = target / new
    out.mkdir()
    (out / "journey.yaml").write_text(yaml.safe_dump({"journey": journey}), encoding="utf-8")
    (out / "rules.yaml").write_text(yaml.safe_dump({"rules": rules}), encoding="utf-8")
    return new


def scaled_catalogue(target: Path, scale: int) -> Path:
    """Write into ``target`` a catalogue ``scale`` times the shipped one."""
    shutil.copytree(RULES, target)
    head = yaml.safe_load((RULES / "ruleset.yaml").read_text(encoding="utf-8"))
    journeys = list(head["journeys"])
    for k in range(2, scale + 1):
        # Every derived fact first: a journey may read a fact another journey concludes.
        rules = [
            r
            for jid in head["journeys"]
            for r in yaml.safe_load((RULES / jid / "rules.yaml").read_text("utf-8"))["rules"]
        ]
        facts = {
            r["then"]["fact"]: f"copy{k}.{r['then']['fact']}" for r in rules if "fact" in r["then"]
        }
        for jid in head["journeys"]:
            journeys.append(_copy_journey(RULES / jid, target, f"copy{k}", facts))
    head["journeys"] = journeys
    (target / "ruleset.yaml").write_text(yaml.safe_dump(head), encoding="utf-8")
    return target


def measure(directory: Path, repeat: int) -> dict[str, Any]:
    """Median in-process and whole-command times of ``rules check`` on a directory."""
    inner = []
    report = check_rules(directory)
    for _ in range(repeat):
        start = time.perf_counter()
        report = check_rules(directory)
        inner.append(time.perf_counter() - start)
    command = [str(Path(sys.executable).with_name("eligibility")), "rules", "check", str(directory)]
    outer = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        outer.append(time.perf_counter() - start)
    return {
        "journeys": len(report.journeys),
        "rules": report.rules,
        "answer_sets": sum(j.answer_sets for j in report.journeys),
        "errors": sum(f.kind != "provenance" for f in report.errors),
        "in_process": statistics.median(inner),
        "command": statistics.median(outer),
    }


def main() -> None:
    """Run the benchmark and print the README table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = scaled_catalogue(Path(tmp) / "rules", args.scale)
        rows = [
            ("shipped", measure(RULES, args.repeat)),
            (f"generated ×{args.scale}", measure(big, args.repeat)),
        ]
    print(
        "| catalogue | journeys | rules | answer sets | errors | check (in process) "
        "| `eligibility rules check` |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, m in rows:
        print(
            f"| {name} | {m['journeys']} | {m['rules']} | {m['answer_sets']:,} | "
            f"{m['errors']} | {m['in_process']:.2f} s | {m['command']:.2f} s |"
        )


if __name__ == "__main__":
    main()
