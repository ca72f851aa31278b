"""Golden files of issue 7 (the whole map): plans and decisions of the new fixtures.

Regenerate after a deliberate change to the rules, the catalogue or the renderers:

    .venv/bin/python -m tests.map_golden

then review the diff (``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from eligibility.api import Evaluator
from eligibility.decision import Decision
from eligibility.i18n import load_translation, localize
from eligibility.plan import plan_profile
from eligibility.profile_io import read_profile
from eligibility.render import render_json, render_text
from eligibility.render.plan import PLAN_RENDERERS

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PROFILES = ROOT / "fixtures" / "profiles"

#: The three whole products: their plans in every format, and in French.
WHOLE_PRODUCTS = ("hospital-ehr", "primary-care-practice", "telemonitoring-device")

#: The fixtures of the journeys issue 7 added, one per branch, plus the whole products.
MAP_FIXTURES = (
    *WHOLE_PRODUCTS,
    "psc-sensitive-service",
    "dmp-lab-via-hospital-pfi",
    "mssante-operator",
    "segur-wave1-lab",
    "hds-self-hosted-saas",
    "ce-class-i-marked",
    "dmn-common-law",
    "vitale-reader",
    "pharmacy-eprescription",
    "mes-exchange-without-hosting",
)

PLAN_FILES = (
    ("txt", "text", "en"),
    ("md", "markdown", "en"),
    ("json", "json", "en"),
    ("fr.txt", "text", "fr"),
    ("fr.md", "markdown", "fr"),
)


def outcomes(decision: Decision) -> dict[str, Any]:
    """The decided outcomes only (statuses, variants, dependencies, missing): a small file
    that still changes whenever a rule's result does."""
    return {
        "journeys": {
            j.id: {
                "status": j.status,
                "variant": j.variant,
                "steps": {s.id: s.status for s in j.steps},
                "prerequisites": {p.id: p.met for p in j.prerequisites},
                "dependencies": {d.journey: [d.status, d.in_force] for d in j.dependencies},
            }
            for j in decision.journeys
        },
        "missing": decision.missing,
    }


def expected(evaluator: Evaluator) -> Iterator[tuple[Path, str]]:
    """Every golden file's path and the content the code produces now."""
    french = load_translation(evaluator.ruleset, "fr")
    for name in WHOLE_PRODUCTS:
        profile = read_profile(str(PROFILES / f"{name}.yaml"))
        for suffix, fmt, lang in PLAN_FILES:
            plan = plan_profile(profile, evaluator, lang=lang)
            yield GOLDEN / "plans" / f"{name}.{suffix}", PLAN_RENDERERS[fmt](plan, lang)
        decision = evaluator.evaluate(profile)
        yield GOLDEN / "decisions" / f"{name}.json", render_json(decision)
        yield GOLDEN / "decisions" / f"{name}.fr.txt", render_text(localize(decision, french), "fr")
    for name in MAP_FIXTURES:
        decision = evaluator.evaluate(read_profile(str(PROFILES / f"{name}.yaml")))
        data = orjson.dumps(outcomes(decision), option=orjson.OPT_INDENT_2).decode()
        yield GOLDEN / "outcomes" / f"{name}.json", data + "\n"


def main() -> None:
    """Rewrite every golden file."""
    evaluator = Evaluator(engine="durable")
    for path, content in expected(evaluator):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
