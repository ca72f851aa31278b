"""``eligibility fields``: the profile's fields on the command line."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.profile.model import Profile
from tests.conftest import ROOT


def test_fields_lists_each_field_with_its_type_question_values_and_readers(
    runner: CliRunner,
) -> None:
    """Text: the fields by group, with the question, the values and their labels."""
    result = runner.invoke(cli, ["fields"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Profile fields (43). A field left out or null is unknown. Details: docs/profile.md\n"
    )
    assert (
        "  storage_role  one value\n"
        "      What does the software do with the health data it keeps?\n"
        "      An archive keeps data produced elsewhere, like a regional PACS; archives are "
        "spared the INSi\n"
        "      checks.\n"
        "        none         Keeps none (gateway, viewer)\n"
        "        operational  Keeps what it produces or uses for care\n"
        "        archive      Archives data produced elsewhere (its main role)\n"
        "      read by: ins\n"
    ) in result.output
    assert "  ror_access_profile  integer from 0 to 5\n" in result.output


def test_fields_json_has_every_field_with_untranslated_names(runner: CliRunner) -> None:
    """JSON: one object per field; names, types and values are the same in French."""
    en = orjson.loads(runner.invoke(cli, ["fields", "-f", "json"]).output)
    fr = orjson.loads(runner.invoke(cli, ["fields", "-f", "json", "--lang", "fr"]).output)
    assert sorted(f["name"] for f in en["fields"]) == sorted(Profile.model_fields)
    strip = [(f["name"], f["type"], [v["value"] for v in f["values"]]) for f in en["fields"]]
    assert strip == [
        (f["name"], f["type"], [v["value"] for v in f["values"]]) for f in fr["fields"]
    ]
    role = next(f for f in en["fields"] if f["name"] == "ror_circle_of_trust")
    assert role["read_by"] == ["ror-supplier", "ror-consumer"]
    assert role["values"][0] == {"value": "not_applied", "label": role["values"][0]["label"]}
    assert (en["lang"], fr["lang"]) == ("en", "fr")


def test_fields_in_french(runner: CliRunner) -> None:
    """--lang fr: the questions, labels and the command's own words in French."""
    result = runner.invoke(cli, ["fields", "--lang", "fr"])
    assert result.exit_code == 0
    assert result.output.startswith("Champs du profil (43). Un champ absent ou null est inconnu.")
    assert "  is_identity_repository  true ou false\n" in result.output
    assert "      lu par\u00a0: ins\n" in result.output


def test_fields_markdown_is_the_profile_page(runner: CliRunner) -> None:
    """--format markdown prints docs/profile.md."""
    result = runner.invoke(cli, ["fields", "-f", "markdown"])
    assert result.output == (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")


def test_fields_in_an_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    """--lang takes en or fr."""
    assert runner.invoke(cli, ["fields", "--lang", "de"]).exit_code == 2
