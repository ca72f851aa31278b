"""``eligibility serve`` refuses bad settings before it starts a server."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eligibility.cli import cli


def test_bad_rules_stop_it_before_it_listens(runner: CliRunner, tmp_path: Path) -> None:
    """A rules directory that does not load: the CLI's message, exit 1, no server."""
    result = runner.invoke(cli, ["serve", "--rules", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Questionnaire:" not in result.stderr


def test_masking_the_id_is_a_usage_error(runner: CliRunner) -> None:
    """--mask id cannot be: exit 2, as for evaluate --record --mask id."""
    result = runner.invoke(cli, ["serve", "--mask", "id", "--port", "1"])
    assert result.exit_code == 2
    assert "--mask id" in result.stderr
