"""The audit options read nothing into a mistake: a date that is not one, an empty store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from tests.conftest import FIXTURES

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")


@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize(
    "value", ["notadate", "2026-02-30", "31/01/2026", "٢٠٢٦-01-01", "2026-01-31 14:00"]
)
def test_a_date_that_is_not_an_iso_date_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, option: str, value: str
) -> None:
    """Not "No records": the option is refused, exit 2, before the store is opened."""
    result = runner.invoke(cli, ["audit", "list", "--store", str(tmp_path / "a.db"), option, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr
    assert "is not an ISO date or UTC time (2026-01-31 or 2026-01-31T14:00)" in result.stderr


@pytest.mark.parametrize("value", ["2000-01-31", "2000-01-31T14:00", "2000-01-31T14:00:05.25Z"])
def test_iso_dates_and_utc_times_select_records(
    runner: CliRunner, tmp_path: Path, value: str
) -> None:
    """A date, a time to the minute, to the microsecond with Z: all accepted."""
    store = str(tmp_path / "a.db")
    assert runner.invoke(cli, ["evaluate", PACS, "--record", "--store", store]).exit_code == 0
    result = runner.invoke(cli, ["audit", "list", "--store", store, "--since", value])
    assert result.exit_code == 0, result.output
    assert "pacs-regional-01" in result.stdout


@pytest.mark.parametrize(
    "command",
    [["audit", "list"], ["audit", "verify"], ["evaluate", PACS, "--record"]],
    ids=" ".join,
)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_store_is_a_usage_error(runner: CliRunner, command: list[str], value: str) -> None:
    """`--store ''` is a mistake (an unset variable), not the default store."""
    result = runner.invoke(cli, [*command, "--store", value])
    assert result.exit_code == 2
    assert "Invalid value for '--store'" in result.stderr
    assert "is empty; give a SQLite file or a postgresql:// URL" in result.stderr
