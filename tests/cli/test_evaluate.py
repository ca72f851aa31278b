"""``eligibility evaluate``: formats, standard input, exit codes and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility import __version__
from eligibility.cli import cli
from eligibility.rules.loader import load_ruleset
from tests.conftest import FIXTURES, INVALID, RULES

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")


def test_detailed_text_groups_by_journey_and_numbers_steps(runner: CliRunner) -> None:
    """--details names each journey, numbers steps, and ends with missing answers."""
    result = runner.invoke(cli, ["evaluate", PACS, "--details"])
    assert result.exit_code == 0
    out = result.output
    assert (
        "== Implement the INS and the INSi teleservice: applies, variant non_repository "
        "(no INSi operation)" in out
    )
    assert "   1. to do           Read the base documentation (ins.base-documentation)" in out
    assert "why: as for step 2" in out
    assert "ins.exempt.archive" in out
    # the fixture leaves the extension journeys' fields unanswered: they are listed last
    tail = out[out.rindex("\n\n") :].lstrip()
    assert tail.startswith("Missing answers: ")
    assert tail.rstrip().endswith("Answer them to decide what is still undetermined.")


def test_json_output_follows_the_decision_contract(runner: CliRunner) -> None:
    """JSON has the contract's keys, every journey, and the ruleset hash."""
    result = runner.invoke(cli, ["evaluate", PACS, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data)[:5] == ["profile_id", "ruleset", "journeys", "missing", "trace"]
    assert data["ruleset"]["hash"].startswith("sha256:")
    assert [j["id"] for j in data["journeys"]] == [j.id for j in load_ruleset(RULES).journeys]
    step = next(
        s for j in data["journeys"] for s in j["steps"] if s["id"] == "ins.devenv.cnda-contract"
    )
    assert step["status"] == "not_applicable"
    assert set(step["reasons"][0]) >= {"rule", "text", "source", "confidence"}
    assert data["trace"][0]["seq"] == 1


def test_markdown_output_has_a_step_table(runner: CliRunner) -> None:
    """Markdown gives a summary table and one step table per applicable journey."""
    result = runner.invoke(cli, ["evaluate", PACS, "-f", "markdown"])
    assert result.exit_code == 0
    assert result.output.startswith("# Decision for `pacs-regional-01`")
    assert "| # | step | status | why |" in result.output


def test_profile_from_standard_input(runner: CliRunner) -> None:
    """'-' reads the profile from stdin (YAML or JSON)."""
    result = runner.invoke(
        cli,
        ["evaluate", "-", "-f", "json", "--no-trace"],
        input='{"id": "stdin-1", "processes_health_data": false}',
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["profile_id"] == "stdin-1" and data["trace"] == []


def test_output_is_byte_identical_across_runs(runner: CliRunner) -> None:
    """Determinism: the same profile and rules give the same bytes."""
    first = runner.invoke(cli, ["evaluate", PACS, "-f", "json"]).output
    assert runner.invoke(cli, ["evaluate", PACS, "-f", "json"]).output == first


def test_both_engines_print_the_same_decision(runner: CliRunner) -> None:
    """--engine python gives the same decision as durable-rules."""
    durable = runner.invoke(cli, ["evaluate", PACS, "-f", "json"]).output
    python = runner.invoke(cli, ["evaluate", PACS, "-f", "json", "--engine", "python"]).output
    assert durable == python


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", 'The questions one by one, "don\'t know" answers included:'),
        ("fr", "Les questions une à une, réponses «\u00a0je ne sais pas\u00a0» comprises\u00a0:"),
    ],
)
def test_null_answers_are_suggested_to_ask_again_with_unknown(
    runner: CliRunner, tmp_path: Path, lang: str, label: str
) -> None:
    """A profile whose null ("don't know") answers leave something undetermined is told
    the command that asks them again; the same fields left out keep ``ask --from``."""
    nulls = tmp_path / "nulls.yaml"
    nulls.write_text("id: p\nprocesses_health_data: null\n", encoding="utf-8")
    absent = tmp_path / "absent.yaml"
    absent.write_text("id: p\n", encoding="utf-8")
    commands = {}
    for path in (nulls, absent):
        result = runner.invoke(cli, ["evaluate", str(path), "--lang", lang])
        assert result.exit_code == 0, result.output
        commands[path] = [line for line in result.stdout.splitlines() if "eligibility ask" in line]
    assert commands[nulls] == [f"{label} eligibility ask --from {nulls} --unknown"]
    assert commands[absent][0].endswith(f"eligibility ask --from {absent}")


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_profile_exits_1_with_a_message_naming_the_file(
    runner: CliRunner, path: Path
) -> None:
    """Bad input: a clear message on stderr naming the file, no traceback, exit 1."""
    result = runner.invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}")
    assert "Traceback" not in result.output + result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("unknown-field.yaml", "is_identiy_repository"),
        ("bad-enum.yaml", "storage_role"),
        ("wrong-type.yaml", "processes_health_data"),
        ("missing-id.yaml", "id"),
    ],
)
def test_invalid_profile_message_names_the_field(runner: CliRunner, name: str, field: str) -> None:
    """The field path is in the message."""
    result = runner.invoke(cli, ["evaluate", str(FIXTURES / "invalid" / name)])
    assert f"  {field}:" in result.stderr


def test_missing_file_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    """A profile path that does not exist is bad input."""
    result = runner.invoke(cli, ["evaluate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_bad_option_is_a_usage_error(runner: CliRunner) -> None:
    """Usage errors exit 2."""
    result = runner.invoke(cli, ["evaluate", PACS, "--format", "pdf"])
    assert result.exit_code == 2


def test_invalid_rules_directory_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    """A rules directory that does not load is reported like bad input."""
    result = runner.invoke(cli, ["evaluate", PACS, "--rules", str(tmp_path)])
    assert result.exit_code == 1 and "ruleset.yaml" in result.stderr


def test_version(runner: CliRunner) -> None:
    """--version prints the tool's version."""
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_help_has_examples(runner: CliRunner) -> None:
    """--help of evaluate shows examples."""
    result = runner.invoke(cli, ["evaluate", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output


def test_every_command_is_listed_and_has_help(runner: CliRunner) -> None:
    """The lazily loaded commands all appear in --help and each has help with examples."""
    from eligibility.cli import COMMANDS

    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in top.output
        sub = runner.invoke(cli, [name, "--help"])
        assert sub.exit_code == 0 and sub.output.strip()


def test_an_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    """A misspelt command exits 2."""
    assert runner.invoke(cli, ["evalute"]).exit_code == 2
