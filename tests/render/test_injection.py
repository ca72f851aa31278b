"""Text from the input reaches spreadsheets, Markdown and terminals as text: never as a
formula, a line break or a terminal command (docs/reliability.md, "What the output holds")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.display import printable
from eligibility.output.spreadsheet import cell, csv_text
from tests.conftest import FIXTURES

PACS = FIXTURES / "profiles" / "pacs-regional.yaml"
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def portfolio(tmp_path: Path, rows: list[dict[str, object]]) -> str:
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


class TestSpreadsheetCells:
    @pytest.mark.parametrize("name", FORMULAS)
    def test_a_name_starting_like_a_formula_is_text(
        self, runner: CliRunner, tmp_path: Path, name: str
    ) -> None:
        """The batch CSV writes such a name after a ' (OWASP), on every row of the product."""
        path = portfolio(tmp_path, [{"id": "a", "name": name}])
        result = runner.invoke(cli, ["batch", path, "-f", "csv", "-q"])
        assert result.exit_code == 0, result.output
        rows = read_csv(result.stdout)
        assert rows[0][2] == "name"
        assert {r[2] for r in rows[1:]} == {"'" + name}

    def test_an_error_row_neutralises_its_id_and_its_problems(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A bad row's id and problem text (which starts with a field name) too."""
        path = portfolio(tmp_path, [{"id": "=1+1"}, {"id": "b", "=cmd|' /C calc'!A0": True}])
        result = runner.invoke(cli, ["batch", path, "-f", "csv", "-q", "--allow-errors"])
        header, first, second = read_csv(result.stdout)
        assert first[header.index("profile_id")] == "'=1+1"
        error = second[header.index("error")]
        assert error.startswith("'=cmd|' /C calc'!A0: unknown field")

    def test_other_text_is_left_as_it_is(self) -> None:
        """Only the first character counts; numbers are not text."""
        assert [cell("a=b"), cell("Ségur - vague 1"), cell(-3), cell("")] == [
            "a=b",
            "Ségur - vague 1",
            -3,
            "",
        ]

    def test_a_carriage_return_does_not_split_the_row(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A bare CR in a name is quoted: a reader finds one row per journey, name whole."""
        path = portfolio(tmp_path, [{"id": "a", "name": "first\rsecond"}, {"id": "b"}])
        result = runner.invoke(cli, ["batch", path, "-f", "csv", "-q"])
        rows = read_csv(result.stdout)
        journeys = len(rows) // 2
        assert len(rows) == 1 + 2 * journeys
        assert {r[2] for r in rows[1 : 1 + journeys]} == {"first\rsecond"}

    def test_the_same_bytes_on_every_python(self) -> None:
        """Python 3.13 quotes a bare CR by itself, 3.11 does not: the row is quoted whole."""
        assert csv_text([[1, "a\rb", "c"]]) == '"1","a\rb","c"\n'
        assert csv_text([[1, "a", "c"]]) == "1,a,c\n"

    def test_audit_export_neutralises_the_actor_and_labels(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """`audit export -f csv`: the actor, a label, a CR in them, as in the batch CSV."""
        store = str(tmp_path / "audit.sqlite")
        record = ["evaluate", str(PACS), "--record", "--store", store]
        assert runner.invoke(cli, [*record, "--actor", "=HYPERLINK(1)"]).exit_code == 0
        assert runner.invoke(cli, [*record, "--actor", "-x", "--label", "k=a\rb"]).exit_code == 0
        result = runner.invoke(cli, ["audit", "export", "-f", "csv", "--store", store])
        assert result.exit_code == 0, result.output
        header, first, second = read_csv(result.stdout)
        actor, labels = header.index("actor"), header.index("labels")
        assert (first[actor], second[actor]) == ("'=HYPERLINK(1)", "'-x")
        assert second[labels] == "k=a\rb"


class TestMarkdown:
    def test_a_carriage_return_in_a_name_stays_on_its_line(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """The report's matrix row and heading keep one line: no raw CR in the report."""
        path = portfolio(tmp_path, [{"id": "a", "name": "first\r# Injected\rsecond|x"}])
        result = runner.invoke(cli, ["batch", path, "-f", "markdown", "-q"])
        assert result.exit_code == 0, result.output
        assert "\r" not in result.stdout
        assert "| 1 | `a` first # Injected second\\|x |" in result.stdout
        assert "### 1. `a` first # Injected second\\|x" in result.stdout

    def test_an_error_row_stays_in_its_list(self, runner: CliRunner, tmp_path: Path) -> None:
        """A bad row's unknown field holding line breaks does not start Markdown of its own."""
        path = portfolio(tmp_path, [{"id": "a", "x\n# Title\ry": 1}])
        result = runner.invoke(cli, ["batch", path, "-f", "markdown", "-q", "--allow-errors"])
        assert "\r" not in result.stdout
        assert "\n# Title" not in result.stdout
        assert "- x # Title y: unknown field" in result.stdout


class TestTerminal:
    ESCAPE = "\x1b]0;pwned\x07"

    def test_an_id_with_an_escape_sequence_is_shown_escaped(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A bad row's id holding `ESC ] 0 ; title BEL` is written as \\x1b...\\x07."""
        path = portfolio(tmp_path, [{"id": self.ESCAPE}])
        result = runner.invoke(cli, ["batch", path, "-q", "--allow-errors"])
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "Error: row 1 (\\x1b]0;pwned\\x07): id: String should match pattern" in result.stderr

    def test_a_field_name_with_an_escape_sequence(self, runner: CliRunner) -> None:
        """An unknown field's name is shown escaped too."""
        profile = json.dumps({"id": "a", self.ESCAPE: 1})
        result = runner.invoke(cli, ["evaluate", "-"], input=profile)
        assert result.exit_code == 1
        assert "\x1b" not in result.stderr
        assert "  \\x1b]0;pwned\\x07: unknown field" in result.stderr

    def test_a_file_name_with_an_escape_sequence(self, runner: CliRunner) -> None:
        """Whatever the message quotes: a file name too."""
        result = runner.invoke(cli, ["evaluate", f"no-{self.ESCAPE}.yaml"])
        assert result.stderr == "Error: no-\\x1b]0;pwned\\x07.yaml: no such file\n"

    def test_invisible_reordering_marks_are_shown(self) -> None:
        """Bidirectional overrides (Trojan Source) and other controls are escaped; line
        breaks, tabs and accented letters are not."""
        assert printable("a\u202eb\u2066c\x9bd\x00") == "a\\u202eb\\u2066c\\x9bd\\x00"
        assert printable("Ségur\tvague 1\nligne") == "Ségur\tvague 1\nligne"
