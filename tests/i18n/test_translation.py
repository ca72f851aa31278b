"""Both languages have every text; results translate their texts and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.errors import RuleFileError, UsageError
from eligibility.i18n.translation import (
    FIXED_TEXTS,
    catalogue_texts,
    load_translation,
    locale_path,
    localize,
    read_locale,
    translation_problems,
)
from eligibility.plan.plan import plan_profile
from eligibility.profile.files import read_profile
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.conftest import FIXTURES
from tests.rules_copy import copy_rules, edit

EHR = FIXTURES / "profiles" / "hospital-ehr.yaml"


def test_french_has_every_text_and_no_orphan(ruleset: RuleSet) -> None:
    """Every catalogue and rule text has a French translation, and every translation a text."""
    assert translation_problems(ruleset, read_locale(locale_path(ruleset, "fr"))) == []


def test_one_english_text_has_one_french_text(ruleset: RuleSet) -> None:
    """A text repeated in several places is translated the same way everywhere."""
    french = read_locale(locale_path(ruleset, "fr"))
    seen: dict[str, str] = {}
    for key, english in catalogue_texts(ruleset).items():
        assert seen.setdefault(english, french[key]) == french[key], "/".join(key)


def test_a_missing_translation_fails_loading(tmp_path: Path) -> None:
    """Removing one French text makes the translation unusable, naming the key."""
    root = copy_rules(tmp_path)
    edit(root / "locales/fr.yaml", '    title: "Déclarer le produit"\n', "")
    ruleset = load_ruleset(root)
    with pytest.raises(
        RuleFileError, match=r"missing translation: steps/convergence\.add-product/title"
    ):
        load_translation(ruleset, "fr")


def test_an_orphan_translation_fails_loading(tmp_path: Path) -> None:
    """A translation of a text that no longer exists is reported."""
    root = copy_rules(tmp_path)
    edit(
        root / "locales/fr.yaml",
        "  convergence.roadmap:\n",
        '  convergence.gone:\n    title: "Parti"\n  convergence.roadmap:\n',
    )
    ruleset = load_ruleset(root)
    with pytest.raises(RuleFileError, match=r"orphan translation .*convergence\.gone/title"):
        load_translation(ruleset, "fr")


def test_an_unknown_language_is_a_usage_error(ruleset: RuleSet) -> None:
    """Only the languages the tool ships are accepted."""
    with pytest.raises(UsageError, match="unknown language 'de'"):
        load_translation(ruleset, "de")


def test_english_is_left_as_written(ruleset: RuleSet, evaluator: Evaluator) -> None:
    """The default language changes nothing."""
    decision = evaluator.evaluate(read_profile(str(EHR)))
    assert localize(decision, load_translation(ruleset, "en")) is decision


def test_a_french_decision_translates_texts_and_keeps_data(
    ruleset: RuleSet, evaluator: Evaluator
) -> None:
    """Titles, reasons and advice are French; ids, statuses and field names are unchanged."""
    english = evaluator.evaluate(read_profile(str(EHR)))
    french = localize(english, load_translation(ruleset, "fr"))
    assert french.journey("ins").title == "Mettre en œuvre l'INS et le téléservice INSi"
    assert french.step("ins.insi-development").advice == [
        "Suivez à la lettre le guide des tests de conformité du CNDA."
    ]
    en, fr = english.to_dict(), french.to_dict()
    assert [j["id"] for j in en["journeys"]] == [j["id"] for j in fr["journeys"]]
    assert [[s["status"] for s in j["steps"]] for j in en["journeys"]] == [
        [s["status"] for s in j["steps"]] for j in fr["journeys"]
    ]
    assert en["trace"] == fr["trace"] and en["missing"] == fr["missing"]
    assert list(en["journeys"][0]) == list(fr["journeys"][0])


def test_every_text_of_a_french_decision_is_translated(
    ruleset: RuleSet, evaluator: Evaluator
) -> None:
    """No English catalogue text is left in a French decision."""
    english_texts = set(catalogue_texts(ruleset).values()) | set(FIXED_TEXTS["fr"])
    french = localize(evaluator.evaluate(read_profile(str(EHR))), load_translation(ruleset, "fr"))
    texts = [j.title for j in french.journeys]
    texts += [r.text for j in french.journeys for r in j.reasons]
    texts += [s.title for j in french.journeys for s in j.steps]
    texts += [r.text for j in french.journeys for s in j.steps for r in s.reasons]
    texts += [a for j in french.journeys for s in j.steps for a in s.advice]
    texts += [d.reason for j in french.journeys for d in j.dependencies]
    assert [t for t in texts if t in english_texts] == []


def test_a_french_plan_translates_shared_step_titles(evaluator: Evaluator) -> None:
    """Plan items, journeys and dependencies speak French too."""
    plan = plan_profile(read_profile(str(EHR)), evaluator, lang="fr")
    assert plan.item("cnda-contract").title.startswith("Signer le contrat CNDA")
    assert plan.journeys[0].title == "Mettre en œuvre l'INS et le téléservice INSi"
    assert plan.dependencies[0].reason.startswith("Les documents envoyés au DMP")
