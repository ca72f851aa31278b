"""Golden files of issue 7 (the whole map): the plans of the three whole products, in
every format and in French, and their decisions in French. (Every fixture's English JSON
decision is pinned by the core's golden files, ``tests/golden_tool.py``.)

Regenerate after a deliberate change to the rules, the catalogue or the renderers:

    .venv/bin/python -m tests.map_golden

then review the diff (``git diff tests/golden``) before committing it. The rule set's hash
shows as zeros (see ``tests/golden_tool.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from eligibility.decision.evaluator import Evaluator
from eligibility.i18n.translation import load_translation, localize
from eligibility.plan.plan import plan_profile
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render.plan import PLAN_RENDERERS
from eligibility.render.text import render_details
from eligibility.render.wording import Wording
from tests.golden_tool import without_ruleset_hash

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PROFILES = ROOT / "fixtures" / "profiles"

#: The three whole products: their plans in every format, and in French.
WHOLE_PRODUCTS = ("hospital-ehr", "primary-care-practice", "telemonitoring-device")

PLAN_FILES = (
    ("txt", "text", "en"),
    ("md", "markdown", "en"),
    ("json", "json", "en"),
    ("fr.txt", "text", "fr"),
    ("fr.md", "markdown", "fr"),
)


def expected(evaluator: Evaluator) -> Iterator[tuple[Path, str]]:
    """Every golden file's path and the content the code produces now."""
    ruleset = evaluator.ruleset
    french = load_translation(ruleset, "fr")
    questions = load_questions()
    wordings = {
        lang: Wording.of(ruleset, questions, load_translation(ruleset, lang))
        for lang in ("en", "fr")
    }
    for name in WHOLE_PRODUCTS:
        profile = read_profile(str(PROFILES / f"{name}.yaml"))
        for suffix, fmt, lang in PLAN_FILES:
            plan = plan_profile(profile, evaluator, lang=lang)
            text = PLAN_RENDERERS[fmt](plan, lang, wordings[lang])
            yield GOLDEN / "plans" / f"{name}.{suffix}", without_ruleset_hash(text, ruleset)
        decision = evaluator.evaluate(profile)
        text = render_details(localize(decision, french), "fr")
        yield GOLDEN / "decisions-fr" / f"{name}.txt", without_ruleset_hash(text, ruleset)


def main() -> None:
    """Rewrite every golden file."""
    evaluator = Evaluator(engine="durable")
    for path, content in expected(evaluator):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
