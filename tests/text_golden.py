"""Golden files of the text views of a decision (``evaluate``'s default and ``--details``).

Every fixture's short text in English; in French, the fixtures chosen to cover every part
of the short view (whole products, a conflict, unknown answers); in full (``--details``),
one whole product (the French full texts are pinned by ``tests/map_golden.py``).
Regenerate after a deliberate change (``make golden``), then review the diff.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from eligibility.decision.evaluator import Evaluator
from eligibility.i18n.translation import load_translation, localize
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render import View, render_text
from eligibility.render.wording import Wording
from tests.golden_tool import without_ruleset_hash

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "text"
PROFILES = sorted((ROOT / "fixtures" / "profiles").glob("*.yaml"))

#: Fixtures whose short text is pinned in French too.
SHOWCASE = (
    "hospital-ehr",
    "mes-exchange-without-hosting",
    "primary-care-practice",
    "unknown-answers",
)
#: Fixtures whose full text is pinned.
DETAILED = ("hospital-ehr",)


def expected(evaluator: Evaluator) -> Iterator[tuple[Path, str]]:
    """Every golden text's path and what the code gives now."""
    questions = load_questions()
    for lang in ("en", "fr"):
        translation = load_translation(evaluator.ruleset, lang)
        wording = Wording.of(evaluator.ruleset, questions, translation)
        for path in PROFILES:
            if lang == "fr" and path.stem not in SHOWCASE:
                continue
            source = path.relative_to(ROOT).as_posix()
            decision = localize(evaluator.evaluate(read_profile(str(path))), translation)
            suffix = "" if lang == "en" else ".fr"
            view = View(wording=wording, source=source)
            yield GOLDEN / f"{path.stem}{suffix}.txt", render_text(decision, lang, view)
            if lang == "en" and path.stem in DETAILED:
                details = render_text(decision, lang, View(details=True))
                # a rule edit changes the hash, not this text
                yield (
                    GOLDEN / f"{path.stem}.details.txt",
                    without_ruleset_hash(details, evaluator.ruleset),
                )


def main() -> None:
    """Rewrite every golden text."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path, content in expected(Evaluator(engine="durable")):
        path.write_text(content, encoding="utf-8")
    print(f"golden texts written in {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
