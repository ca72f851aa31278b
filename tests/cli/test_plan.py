"""``eligibility plan`` and ``--lang`` on the command line."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from eligibility.cli import cli
from tests.conftest import FIXTURES

EHR = str(FIXTURES / "profiles" / "hospital-ehr.yaml")


def test_plan_prints_the_numbered_to_do_list(runner: CliRunner) -> None:
    """Text output lists the journeys, then the items with what they wait for."""
    result = runner.invoke(cli, ["plan", EHR, "--engine", "python"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Plan for hospital-ehr-01\n")
    assert (
        "[cnda-contract]: to do\n      [start early]\n"
        "      for: INS and INSi, DMP-compatibility, E-prescription\n"
    ) in result.output
    assert "done, hidden; --all shows them" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_plan_names_variants_journeys_and_answers_in_the_publishers_words(
    runner: CliRunner,
) -> None:
    """A variant by its title, the journeys an item serves by their short names, and the
    missing answers as the questions that ask them: no field or variant id as a word."""
    ehr = runner.invoke(cli, ["plan", EHR]).output
    assert "[ins], Not an identity repository\n" in ehr
    assert "non_repository" not in ehr
    assert "  - DMP-compatibility after INS and INSi (applies): " in ehr
    unknown = runner.invoke(cli, ["plan", str(FIXTURES / "profiles" / "unknown-answers.yaml")])
    missing = unknown.output.split("Missing answers:\n", 1)[1]
    assert "  - Do health professionals log in to the software?\n" in missing
    assert "authenticates_health_professionals" not in unknown.output


def test_plan_all_shows_the_done_steps(runner: CliRunner) -> None:
    """--all lists the steps already done."""
    result = runner.invoke(cli, ["plan", EHR, "--all", "--format", "json"])
    assert result.exit_code == 0
    data = orjson.loads(result.output)
    assert data["hidden_done"] == 0
    assert {"id": "isc-account", "status": "done"}.items() <= next(
        i for i in data["items"] if i["id"] == "isc-account"
    ).items()


def test_plan_markdown_has_a_table_of_items(runner: CliRunner) -> None:
    """Markdown output is a document with one row per item."""
    result = runner.invoke(cli, ["plan", EHR, "-f", "markdown"])
    assert result.exit_code == 0
    assert result.output.startswith("# Plan for `hospital-ehr-01`\n")
    assert "| 3 | Sign the CNDA contract" in result.output


def test_plan_in_french(runner: CliRunner) -> None:
    """--lang fr translates the renderer's words and the catalogue's texts."""
    result = runner.invoke(cli, ["plan", EHR, "--lang", "fr"])
    assert result.exit_code == 0
    assert result.output.startswith("Plan pour hospital-ehr-01\n")
    assert "[cnda-contract]\u00a0:\n      à faire [à lancer tôt]\n" in result.output
    assert "[ins], Pas un référentiel d'identités\n" in result.output


def test_plan_json_keeps_its_field_names_in_french(runner: CliRunner) -> None:
    """The JSON of a French plan has the same keys and ids as the English one."""
    en = orjson.loads(runner.invoke(cli, ["plan", EHR, "-f", "json"]).output)
    fr = orjson.loads(runner.invoke(cli, ["plan", EHR, "-f", "json", "--lang", "fr"]).output)
    assert list(en) == list(fr)
    assert [i["id"] for i in en["items"]] == [i["id"] for i in fr["items"]]
    assert en["items"][0]["title"] != fr["items"][0]["title"]


def test_evaluate_in_french(runner: CliRunner) -> None:
    """evaluate --details --lang fr prints the whole decision in French."""
    result = runner.invoke(cli, ["evaluate", EHR, "--details", "--lang", "fr"])
    assert result.exit_code == 0
    assert result.output.startswith("Décision pour hospital-ehr-01\n")
    assert "== Mettre en œuvre l'INS et le téléservice INSi\u00a0: s'applique" in result.output


def test_evaluate_shows_the_dependencies(runner: CliRunner) -> None:
    """The detailed text decision says what a journey needs from another."""
    result = runner.invoke(cli, ["evaluate", EHR, "--details"])
    assert "   needs convergence (applies): The Ségur application is made on Convergence" in (
        result.output
    )


def test_plan_of_a_bad_profile_is_an_error(runner: CliRunner) -> None:
    """Bad input gives exit 1 and a message naming the file, no traceback."""
    bad = str(FIXTURES / "invalid" / "bad-enum.yaml")
    result = runner.invoke(cli, ["plan", bad])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "bad-enum.yaml" in result.stderr


def test_an_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    """--lang takes en or fr only."""
    result = runner.invoke(cli, ["plan", EHR, "--lang", "de"])
    assert result.exit_code == 2
