"""``rules docs``: the catalogue as Markdown with Mermaid, and the checked-in copy kept fresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.i18n.translation import load_translation, locale_path, read_locale
from eligibility.rules.loader import RuleSet
from eligibility.rules.model import Rule
from eligibility.tooling.docs import (
    CATALOGUE_FILE,
    condition_words,
    mermaid,
    render_catalogue,
    stale_docs,
)
from tests.conftest import ROOT, RULES

DOCS = ROOT / "docs"


def test_the_checked_in_docs_are_up_to_date(ruleset: RuleSet) -> None:
    """docs/catalogue.md, profile.md and profile.schema.json are what the rules, the
    questions and the profile model give; run `make docs` after changing any of them."""
    assert stale_docs(ruleset, DOCS) == [], "docs are stale: run `make docs`"


def _rule_when(when: dict[str, Any]) -> Rule:
    """A rule with this condition (and a plausible conclusion), to put it in words."""
    return Rule.model_validate(
        {
            "id": "x",
            "text": "x",
            "source": "seed",
            "confidence": "seed",
            "when": when,
            "then": {"step": "ins.deployment", "status": "done"},
        }
    )


def test_conditions_read_as_words(ruleset: RuleSet) -> None:
    """Nested conditions become a sentence with their operators spelled out."""
    rule = _rule_when(
        {
            "all": [
                {"fact": "ins.non-repository"},
                {
                    "any": [
                        {"field": "storage_role", "in": ["archive", "none"]},
                        {"not": {"field": "receives_ins_data_from", "contains": "other_domains"}},
                    ]
                },
                {"field": "ror_access_profile", "gte": 2},
            ]
        }
    )
    assert condition_words(rule.when) == (
        "fact `ins.non-repository` holds **and** (`storage_role` is one of `archive`, `none` "
        "**or** not (`receives_ins_data_from` contains `other_domains`)) **and** "
        "`ror_access_profile` is at least 2"
    )
    assert condition_words(None) == "always"


def test_each_journey_has_a_diagram_from_fields_to_outcomes(ruleset: RuleSet) -> None:
    """The INS diagram links storage_role to the archive fact, that to the archive
    exemption and the exemption to the steps."""
    chart = mermaid(ruleset, ruleset.journey_by_id["ins"])
    assert chart.startswith("flowchart LR")
    assert "f_storage_role --> r_ins_fact_archive_role" in chart
    assert "k_ins_non_repository --> r_ins_fact_archive_role" in chart
    assert "k_ins_archive_role --> r_ins_exempt_archive" in chart
    assert "r_ins_exempt_archive -->|not_applicable| s_ins_cnda_authorisation" in chart
    assert "r_ins_fact_non_repository --> k_ins_non_repository" in chart


def test_the_page_has_every_journey_step_and_rule(ruleset: RuleSet) -> None:
    """Nothing of the catalogue is left out, with sources and confidence."""
    page = render_catalogue(ruleset)
    for j in ruleset.journeys:
        assert f"## {j.title} (`{j.id}`)" in page
        assert all(f"(`{s.id}`)" in page for s in j.steps)
    assert all(f"#### `{r.id}`" in page for r in ruleset.rules)
    assert page.count("```mermaid") == len(ruleset.journeys)
    assert "- **Source:** seed: ins-non-repository vigilance (seed) (in `ins/rules.yaml`)" in page


def test_a_declared_precedence_is_listed_with_its_reason(ruleset: RuleSet) -> None:
    """A rule meant to win over others (or the catalogue) says so on the page, and why."""
    page = render_catalogue(ruleset)
    archive = page.split("#### `ins.exempt.archive`", 1)[1].split("####", 1)[0]
    assert "- **Prevails over:** `catalogue`, `ins.test-cards.done`: The guided tour" in archive


def test_docs_check_fails_on_stale_docs_and_passes_once_written(
    tmp_path: Path, runner: CliRunner
) -> None:
    """--check exits 1 on a missing or edited page; writing them makes it pass."""
    out = tmp_path / "docs"
    check = ["rules", "docs", str(RULES), "--output", str(out), "--check"]
    stale = runner.invoke(cli, check)
    assert stale.exit_code == 1 and "out of date" in stale.output
    written = runner.invoke(cli, ["rules", "docs", str(RULES), "--output", str(out)])
    assert written.exit_code == 0 and CATALOGUE_FILE in written.output
    assert runner.invoke(cli, check).exit_code == 0
    (out / CATALOGUE_FILE).write_text("edited by hand\n", encoding="utf-8")
    assert runner.invoke(cli, check).exit_code == 1


def test_conditions_read_as_french_words() -> None:
    """--lang fr: the same sentence with French operators and joiners, names and values kept."""
    rule = _rule_when(
        {
            "all": [
                {"fact": "ins.non-repository"},
                {
                    "any": [
                        {"field": "storage_role", "in": ["archive", "none"]},
                        {"not": {"field": "ror_roles", "is_empty": True}},
                    ]
                },
                {"field": "processes_health_data", "is": True},
            ]
        }
    )
    assert condition_words(rule.when, "fr") == (
        "le fait `ins.non-repository` est établi **et** (`storage_role` vaut l'une des valeurs "
        "`archive`, `none` **ou** non (`ror_roles` est vide)) **et** `processes_health_data` "
        "vaut vrai"
    )
    assert condition_words(None, "fr") == "toujours"


def test_the_french_page_has_french_texts_and_words(ruleset: RuleSet) -> None:
    """Titles and rule texts from fr.yaml, the page's own words in French, ids kept."""
    french = read_locale(locale_path(ruleset, "fr"))
    page = render_catalogue(ruleset, load_translation(ruleset, "fr"))
    assert page.startswith(f"# Catalogue des règles\u00a0: {ruleset.name} {ruleset.version}\n")
    assert f"## {french[('journeys', 'ins', 'title')]} (`ins`)" in page
    assert french[("rules", "ins.exempt.archive", "text")].strip() in page
    assert "- **Quand\u00a0:** " in page and "- **Alors\u00a0:** " in page
    assert (
        "- **Source\u00a0:** seed: ins-non-repository vigilance (seed) (dans `ins/rules.yaml`)"
        in page
    )
    assert (
        "- **L'emporte sur\u00a0:** `catalogue`, `ins.test-cards.done`\u00a0: Le parcours guidé"
        in page
    )
    assert "### Ce qui en décide" in page and "| # | étape | acteurs | sources |" in page
    assert "**When:**" not in page and "What decides it" not in page
    assert all(f"#### `{r.id}`" in page for r in ruleset.rules)


def test_french_docs_are_written_beside_the_english_and_checked(
    tmp_path: Path, runner: CliRunner
) -> None:
    """rules docs --lang fr writes catalogue.fr.md and profile.fr.md (English untouched);
    --check covers them."""
    out = tmp_path / "docs"
    check = ["rules", "docs", str(RULES), "-o", str(out), "--check", "--lang", "fr"]
    stale = runner.invoke(cli, check)
    assert stale.exit_code == 1 and "pas à jour\u00a0: " in stale.output
    assert "(lancez\u00a0: eligibility rules docs --lang fr)" in stale.output
    written = runner.invoke(cli, ["rules", "docs", str(RULES), "-o", str(out), "--lang", "fr"])
    assert written.output == (
        f"écrit\u00a0: {out / 'catalogue.fr.md'}\nécrit\u00a0: {out / 'profile.fr.md'}\n"
    )
    assert not (out / CATALOGUE_FILE).exists()
    assert "| `storage_role` | une valeur |" in (out / "profile.fr.md").read_text()
    assert runner.invoke(cli, check).exit_code == 0
