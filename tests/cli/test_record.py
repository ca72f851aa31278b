"""--record on batch and ask: every decision made is appended, in order, and the output
is what it would be without recording."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from eligibility.audit.backend import open_store
from eligibility.audit.verify import verify
from eligibility.cli import cli
from tests.conftest import FIXTURES

PORTFOLIO = str(FIXTURES / "portfolios" / "publisher.csv")
BAD_ROWS = str(FIXTURES / "portfolios" / "bad-rows.csv")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_records_every_decided_row_in_input_order(
    runner: CliRunner, tmp_path: Path, workers: str
) -> None:
    """One record per decided product, in portfolio order; the jsonl output is unchanged."""
    db = str(tmp_path / "audit.sqlite")
    plain = runner.invoke(cli, ["batch", PORTFOLIO, "--quiet", "--workers", workers])
    recorded = runner.invoke(
        cli, ["batch", PORTFOLIO, "--quiet", "--workers", workers, "--record", "--store", db]
    )
    assert recorded.exit_code == plain.exit_code == 0, recorded.stderr
    assert recorded.stdout == plain.stdout
    decided = [orjson.loads(line)["profile_id"] for line in plain.stdout.splitlines()]
    with open_store(db) as store:
        records = list(store.records())
        assert [r.content["profile"]["id"] for r in records] == decided
        assert verify(store).ok


def test_batch_records_nothing_for_bad_rows(runner: CliRunner, tmp_path: Path) -> None:
    """Rows that failed validation have no decision, so no record."""
    db = str(tmp_path / "audit.sqlite")
    result = runner.invoke(cli, ["batch", BAD_ROWS, "--quiet", "--record", "--store", db])
    assert result.exit_code == 1
    errors = sum(1 for line in result.stdout.splitlines() if "errors" in orjson.loads(line))
    with open_store(db) as store:
        assert len(list(store.records())) == len(result.stdout.splitlines()) - errors


def test_batch_says_how_many_decisions_it_recorded(runner: CliRunner, tmp_path: Path) -> None:
    """The summary on stderr names the count and the store."""
    db = str(tmp_path / "audit.sqlite")
    result = runner.invoke(cli, ["batch", PORTFOLIO, "--record", "--store", db])
    assert result.exit_code == 0
    assert "Recorded 18 decisions in" in result.stderr


def test_batch_says_it_in_french_with_lang_fr(runner: CliRunner, tmp_path: Path) -> None:
    """--lang fr puts the recording line in French too."""
    db = str(tmp_path / "audit.sqlite")
    args = ["batch", PORTFOLIO, "--record", "--store", db, "--lang", "fr"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "18 décisions enregistrées dans" in result.stderr
    assert "Recorded" not in result.stderr


def test_ask_records_the_final_decision(runner: CliRunner, tmp_path: Path) -> None:
    """The questionnaire's decision is recorded with the answers given."""
    db = str(tmp_path / "audit.sqlite")
    answers = "\n".join(["?"] * 60) + "\n"  # don't know, to every question asked
    result = runner.invoke(
        cli,
        [
            "ask",
            "--engine",
            "python",
            "--id",
            "asked-1",
            "--format",
            "json",
            "--record",
            "--store",
            db,
        ],
        input=answers,
    )
    assert result.exit_code == 0, result.stderr
    assert "Recorded decision" in result.stderr
    decision = orjson.loads(result.stdout)
    with open_store(db) as store:
        (record,) = list(store.records())
        assert record.content["profile"]["id"] == "asked-1"
        assert record.content["decision"]["journeys"] == decision["journeys"]
