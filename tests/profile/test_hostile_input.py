"""Hostile and careless input: refused with a message naming the file, never a traceback,
never all the memory, and never read as something it does not say (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from eligibility.cli import cli
from eligibility.errors import InputFileError, ProfileError
from eligibility.profile.files import read_profile
from eligibility.profile.limits import PROFILE_BYTES, ROW_CHARS
from eligibility.profile.model import parse_profile
from eligibility.profile.portfolio import convert_cell, read_rows
from eligibility.profile.yamlio import load_yaml, yaml_problem
from tests.conftest import FIXTURES, ROOT
from tests.rules_copy import copy_rules

PACS = FIXTURES / "profiles" / "pacs-regional.yaml"

# Nine levels of nine aliases: 700 bytes that expand to 387 million strings.
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def failed_cleanly(result: Result, code: int = 1) -> str:
    """The ``Error:`` message of a run that ended with ``code`` and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stderr


def run_with_memory_cap(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """Run the command line in a process that may use at most 2 GiB of address space."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "eligibility", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )


class TestAliases:
    def test_an_alias_bomb_in_a_profile_is_refused_at_once(self, tmp_path: Path) -> None:
        """700 bytes of nested aliases are refused, not expanded to gigabytes."""
        path = write(tmp_path, "bomb.yaml", "id: x\n" + BOMB)
        done = run_with_memory_cap(["evaluate", path])
        assert done.returncode == 1, done.stderr[-2000:]
        assert done.stderr == (
            f"Error: {path}: is not valid YAML: line 6, column 4: "
            "holds more than 10,000 values (with its aliases expanded)\n"
        )

    def test_an_alias_bomb_in_a_portfolio_row_is_an_error_of_that_row(self, tmp_path: Path) -> None:
        """The row is reported; the rows after it are evaluated."""
        bomb = "".join("  " + line + "\n" for line in BOMB.splitlines())
        path = write(tmp_path, "p.yaml", f"- id: a\n- id: b\n{bomb}- id: c\n")
        done = run_with_memory_cap(["batch", path, "-q"])
        assert done.returncode == 1, done.stderr[-2000:]
        assert done.stderr.startswith("Error: row 2 (b): (profile): not valid YAML: line ")
        assert "holds more than 10,000 values" in done.stderr
        assert [json.loads(line)["profile_id"] for line in done.stdout.splitlines()] == [
            "a",
            "b",
            "c",
        ]

    def test_a_profile_may_use_an_alias(self, runner: CliRunner) -> None:
        """Tools writing YAML share values by aliases (PyYAML does for lists): read."""
        profile = "id: a\nror_roles: &r []\nmes_purposes: *r\n"
        result = runner.invoke(cli, ["evaluate", "-", "-f", "json"], input=profile)
        assert result.exit_code == 0, result.output

    def test_a_portfolio_written_by_pyyaml_with_shared_lists(self, tmp_path: Path) -> None:
        """An alias to a value of an earlier row is read as that value."""
        shared: list[str] = []
        text = yaml.safe_dump([{"id": "a", "ror_roles": shared}, {"id": "b", "ror_roles": shared}])
        assert "*id001" in text
        rows = list(read_rows(write(tmp_path, "p.yaml", text)))
        assert [r.data for r in rows] == [
            {"id": "a", "ror_roles": []},
            {"id": "b", "ror_roles": []},
        ]

    def test_a_rule_file_whose_aliases_expand_too_far_is_refused(self, tmp_path: Path) -> None:
        """Past 100 000 values once expanded, a rule file is refused, naming it."""
        root = copy_rules(tmp_path)
        (root / "ins" / "rules.yaml").write_text(BOMB, encoding="utf-8")
        result = CliRunner().invoke(cli, ["evaluate", str(PACS), "--rules", str(root)])
        err = failed_cleanly(result)
        assert f"Error: {root / 'ins' / 'rules.yaml'}: invalid rules" in err
        assert "holds more than 100,000 values (with its aliases expanded)" in err

    def test_an_alias_holding_itself_is_refused(self) -> None:
        """A recursive alias is an error, not an endless structure."""
        with pytest.raises(yaml.YAMLError) as caught:
            load_yaml("a: &x [*x]\n")
        assert "an alias holds its own anchor" in yaml_problem(caught.value)


class TestSizes:
    def test_a_profile_larger_than_the_limit_is_refused(self, tmp_path: Path) -> None:
        """A profile file of more than 1 MiB is refused before it is parsed."""
        path = write(tmp_path, "big.yaml", "id: a\n" + "# filler\n" * (PROFILE_BYTES // 9 + 1))
        with pytest.raises(InputFileError, match="larger than 1,048,576 bytes"):
            read_profile(path)

    def test_a_profile_on_standard_input_has_the_same_limit(self, runner: CliRunner) -> None:
        """Standard input is cut off at the limit too."""
        big = b"id: a\n" + b"#" * PROFILE_BYTES
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=big))
        assert "Error: <stdin>: is larger than 1,048,576 bytes" in err

    def test_a_long_value_is_cut_short_in_the_message(self, runner: CliRunner) -> None:
        """A one-megabyte id is quoted by its start and end, not whole."""
        profile = "id: " + "a" * 1_000_000 + "\n"
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=profile))
        assert "id: String should have at most 200 characters (got 'aaaa" in err
        assert "...aaa" in err
        assert len(err) < 400

    def test_a_deep_value_is_cut_short_in_the_message(self, runner: CliRunner) -> None:
        """Nested lists (aliases expanded under the bound) are quoted in one short line."""
        profile = (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nid: x\n"
        )
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=profile))
        lines = err.splitlines()
        assert [line.split(":")[0] for line in lines[1:]] == ["  a", "  b", "  c"]
        assert all(len(line) < 200 for line in lines)
        assert "(got [[['x', 'x'" in lines[3]

    def test_many_problems_are_counted_not_listed(self, runner: CliRunner) -> None:
        """A profile of 3 000 unknown fields lists 20 of them and counts the others."""
        profile = "id: a\n" + "".join(f"field{i}: 1\n" for i in range(3000))
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=profile))
        lines = err.splitlines()
        assert len(lines) == 22
        assert lines[-1] == "  ...: and 2,980 more problems"

    def test_a_jsonl_line_longer_than_a_row_may_be_is_a_bad_row(self, tmp_path: Path) -> None:
        """The line is skipped to its end; the next line is read as the next row."""
        long_line = json.dumps({"id": "a", "name": "n" * ROW_CHARS})
        path = write(tmp_path, "p.jsonl", long_line + '\n{"id": "b"}\n')
        first, second = read_rows(path)
        assert first.data is None
        assert "longer than 1,048,576 characters" in first.problems[0].message
        assert (second.row, second.data) == (2, {"id": "b"})

    def test_a_csv_line_longer_than_a_row_may_be_is_a_bad_row(self, tmp_path: Path) -> None:
        """A CSV row too long is an error of its row; the rows after it are read."""
        text = "id,name\n" + "a," + "n" * (ROW_CHARS + 10) + "\nb,B\n"
        first, second = read_rows(write(tmp_path, "p.csv", text))
        assert first.row == 2
        assert "longer than 1,048,576 characters" in first.problems[0].message
        assert (second.row, second.data) == (3, {"id": "b", "name": "B"})

    def test_a_csv_cell_larger_than_the_cell_limit_is_a_bad_row(self, tmp_path: Path) -> None:
        """A cell of more than 131 072 characters (a quoted one spans lines) is refused."""
        cell = "\n".join(["x" * 1000] * 200)
        text = f'id,name\na,"{cell}"\nb,B\n'
        rows = list(read_rows(write(tmp_path, "p.csv", text)))
        assert rows[0].row == 2
        assert "field larger than field limit (131072)" in rows[0].problems[0].message
        # The rest of the cell cannot be told from rows: each line of it is a bad row.
        assert all(r.data is None for r in rows[1:-1])
        assert (rows[-1].row, rows[-1].data) == (202, {"id": "b", "name": "B"})

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("p.json", '[{"id": "a"}, {"id": "b", "name": "' + "n" * ROW_CHARS + '"}]'),
            ("p.yaml", "- id: a\n- id: b\n  name: " + "n" * ROW_CHARS + "\n"),
        ],
    )
    def test_a_json_or_yaml_profile_too_long_ends_the_file(
        self, tmp_path: Path, name: str, text: str
    ) -> None:
        """Nothing says where the next profile starts: the rows before it are kept."""
        rows = read_rows(write(tmp_path, name, text))
        assert next(rows).data == {"id": "a"}
        with pytest.raises(InputFileError, match="profile 2 is longer than 1,048,576 characters"):
            next(rows)


class TestNesting:
    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            ("p.jsonl", '{"id": "a", "x": ' + "[" * 1000 + "]" * 1000 + "}\n", "nested too deeply"),
            ("p.json", '[{"id": "a", "x": ' + "[" * 1000 + "]" * 1000 + "}]", "nested too deeply"),
            ("p.yaml", "- id: a\n  x: " + "[" * 900 + "]" * 900 + "\n", "nested more than 100"),
        ],
    )
    def test_deep_nesting_in_a_portfolio_is_an_error(
        self, runner: CliRunner, tmp_path: Path, name: str, text: str, message: str
    ) -> None:
        """A thousand levels of nesting are an Error: line, not a RecursionError."""
        err = failed_cleanly(runner.invoke(cli, ["batch", write(tmp_path, name, text)]))
        assert message in err

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            ("p.json", '{"id": "a", "x": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
            ("p.yaml", "id: a\nx: " + "[" * 5000 + "]" * 5000 + "\n", "maximum nesting depth"),
            ("q.json", '{"id": "a", "x": ' + "[" * 300 + "]" * 300 + "}", "nested too deeply"),
        ],
    )
    def test_deep_nesting_in_a_profile_is_an_error(
        self, runner: CliRunner, tmp_path: Path, name: str, text: str, message: str
    ) -> None:
        """So it is in a profile file, whichever parser stops it."""
        err = failed_cleanly(runner.invoke(cli, ["evaluate", write(tmp_path, name, text)]))
        assert message in err


class TestNotUtf8:
    @pytest.mark.parametrize("command", [["evaluate", "-"], ["plan", "-"], ["explain", "-", "ins"]])
    def test_standard_input_that_is_not_utf8(self, runner: CliRunner, command: list[str]) -> None:
        """Latin-1 on standard input is named, not a UnicodeEncodeError."""
        err = failed_cleanly(runner.invoke(cli, command, input=b"id: a\nname: caf\xe9\n"))
        assert "Error: <stdin>: is not UTF-8 text (byte 16)" in err

    @pytest.mark.parametrize(
        ("relative", "command"),
        [
            ("ins/rules.yaml", ["rules", "check", "{root}"]),
            ("ins/rules.yaml", ["evaluate", str(PACS), "--rules", "{root}"]),
            ("ins/rules.yaml", ["rules", "diff", str(ROOT / "rules"), "{root}"]),
            ("ins/rules.test.yaml", ["rules", "test", "{root}"]),
            ("questions.yaml", ["ask", "--rules", "{root}"]),
            ("locales/fr.yaml", ["evaluate", str(PACS), "--rules", "{root}", "--lang", "fr"]),
        ],
    )
    def test_a_rule_file_that_is_not_utf8(
        self, runner: CliRunner, tmp_path: Path, relative: str, command: list[str]
    ) -> None:
        """Each file a rules directory is read from names itself when it is not UTF-8."""
        root = copy_rules(tmp_path)
        path = root / relative
        path.write_bytes(path.read_bytes() + b"# caf\xe9\n")
        result = runner.invoke(cli, [arg.format(root=root) for arg in command], input="")
        failed_cleanly(result)
        assert "is not UTF-8 text (byte" in result.output
        assert relative in result.output

    def test_a_seed_index_that_is_not_utf8(self, runner: CliRunner, tmp_path: Path) -> None:
        """`rules check` reads the seed's index (seed.yaml): unreadable, it says so."""
        root = copy_rules(tmp_path)
        (root / "seed.yaml").write_bytes((root / "seed.yaml").read_bytes() + b"# caf\xe9\n")
        result = runner.invoke(cli, ["rules", "check", str(root)])
        failed_cleanly(result)
        assert "seed.yaml, the index of the seed's statements, cannot be read" in result.output

    def test_generated_docs_that_are_not_utf8_are_out_of_date(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """`rules docs --check` reads a broken page as stale, not as a crash."""
        (tmp_path / "catalogue.md").write_bytes(b"caf\xe9")
        result = runner.invoke(cli, ["rules", "docs", "--check", "-o", str(tmp_path)])
        assert result.exit_code == 1
        assert f"out of date: {tmp_path / 'catalogue.md'}" in result.output


class TestNothingIsGuessed:
    def test_a_key_twice_in_a_yaml_profile(self, runner: CliRunner) -> None:
        """The last one does not silently win."""
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input="id: a\nid: b\n"))
        assert (
            "Error: <stdin>: is not valid YAML: line 2, column 1: found the key 'id' twice" in err
        )

    def test_a_key_twice_in_a_json_profile(self, runner: CliRunner, tmp_path: Path) -> None:
        """So in JSON."""
        path = write(tmp_path, "p.json", '{"id": "a", "storage_role": "none", "id": "b"}')
        err = failed_cleanly(runner.invoke(cli, ["evaluate", path]))
        assert f"Error: {path}: is not valid JSON: it holds the key 'id' twice" in err

    @pytest.mark.parametrize(
        ("name", "text", "row"),
        [
            ("p.jsonl", '{"id": "a"}\n{"id": "b", "name": "x", "name": "y"}\n{"id": "c"}\n', 2),
            ("p.json", '[{"id": "a"}, {"id": "b", "name": "x", "name": "y"}, {"id": "c"}]', 2),
            ("p.yaml", "- id: a\n- id: b\n  name: x\n  name: y\n- id: c\n", 2),
        ],
    )
    def test_a_key_twice_in_a_portfolio_row_is_an_error_of_that_row(
        self, runner: CliRunner, tmp_path: Path, name: str, text: str, row: int
    ) -> None:
        """The row is reported; the rows after it are still evaluated."""
        result = runner.invoke(cli, ["batch", write(tmp_path, name, text)])
        err = failed_cleanly(result)
        assert f"Error: row {row} (b): " in err
        assert "twice" in err
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["profile_id"] for r in records] == ["a", "b", "c"]
        assert "errors" in records[1]
        assert "journeys" in records[2]

    @pytest.mark.parametrize(
        ("text", "where"),
        # Python 3.13 places a trailing comma's error on the comma, earlier versions after it.
        [('{"id": "a", "name": }', "line 1, column 21"), ('{"id": "a",}', "line 1, column 1[12]")],
    )
    def test_a_json_file_is_parsed_as_json(
        self, runner: CliRunner, tmp_path: Path, text: str, where: str
    ) -> None:
        """A missing value or a trailing comma, which YAML would let through, is an error."""
        path = write(tmp_path, "p.json", text)
        err = failed_cleanly(runner.invoke(cli, ["evaluate", path]))
        assert re.search(f"Error: {re.escape(path)}: is not valid JSON: {where}:", err)

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_json_has_no_nan(self, tmp_path: Path, constant: str) -> None:
        """NaN and Infinity are not JSON: refused, not read as numbers."""
        path = write(tmp_path, "p.json", '{"id": "a", "ror_access_profile": ' + constant + "}")
        with pytest.raises(InputFileError, match=f"{constant.lstrip('-')} is not a JSON number"):
            read_profile(path)

    def test_an_id_that_looks_like_a_date_is_the_text_written(self, runner: CliRunner) -> None:
        """`id: 2026-01-01` is the id "2026-01-01" (YAML 1.2: no implicit dates)."""
        result = runner.invoke(cli, ["evaluate", "-", "-f", "json"], input="id: 2026-01-01\n")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["profile_id"] == "2026-01-01"

    def test_a_date_and_time_stays_the_text_written(self) -> None:
        """Not a datetime written back as 2026-01-01T10:00:00."""
        assert load_yaml("name: 2026-01-01 10:00:00\n") == {"name": "2026-01-01 10:00:00"}

    def test_an_explicit_date_is_not_a_profile_value(self, runner: CliRunner) -> None:
        """A value tagged !!timestamp is refused, not turned into text."""
        profile = "id: !!timestamp 2026-01-01\n"
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=profile))
        assert "a value tagged 'tag:yaml.org,2002:timestamp' is not accepted" in err

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("!!float x", "'x' is not a number"),
            ("!!bool maybe", "'maybe' is not true or false"),
            ("!!int ''", "'' is not a whole number"),
            ("!!binary aGk=", "a value tagged 'tag:yaml.org,2002:binary' is not accepted"),
            ("!!set {a: null}", "a value tagged 'tag:yaml.org,2002:set' is not accepted"),
        ],
    )
    def test_an_explicit_tag_on_a_wrong_value_is_an_error(self, text: str, problem: str) -> None:
        """An explicit tag is an error when the value is not of its type, not a crash."""
        with pytest.raises(yaml.YAMLError) as caught:
            load_yaml(f"name: {text}\n")
        assert problem in yaml_problem(caught.value)

    def test_a_date_given_by_a_library_caller_is_not_a_profile_value(self) -> None:
        """Nor is a date in data handed to the library: no field is a date."""
        with pytest.raises(ProfileError, match="holds a value that is not plain data"):
            parse_profile({"id": date(2026, 1, 1)})

    @pytest.mark.parametrize(
        ("text", "value"),
        [("010", 10), ("+3", 3), ("0x10", "0x10"), ("1_000", "1_000"), ("1:30", "1:30")],
    )
    def test_whole_numbers_are_decimal_digits(self, text: str, value: object) -> None:
        """YAML 1.2's integers: no octal, hexadecimal, underscores or base 60."""
        assert load_yaml(f"n: {text}\n") == {"n": value}

    def test_merge_keys_are_plain_keys(self) -> None:
        """`<<` merges nothing: it is a key, which a profile then refuses as unknown."""
        assert load_yaml("<<: {a: 1}\n") == {"<<": {"a": 1}}

    def test_unicode_digits_are_not_a_number_in_yaml(self, runner: CliRunner) -> None:
        """`٣` (Arabic-Indic three) is text, which an integer field refuses."""
        profile = "id: a\nror_access_profile: ٣\n"
        err = failed_cleanly(runner.invoke(cli, ["evaluate", "-"], input=profile))
        assert "ror_access_profile: Input should be a valid integer (got '٣')" in err

    @pytest.mark.parametrize("cell", ["٣", "３", "1٣"])
    def test_unicode_digits_are_not_a_number_in_csv(self, cell: str) -> None:
        """Only 0-9 make a whole number in a CSV cell."""
        with pytest.raises(ValueError, match="not a whole number"):
            convert_cell("ror_access_profile", cell)

    def test_a_whole_number_of_a_hundred_digits_at_most(self) -> None:
        """Python refuses to convert more than 4 300 digits: the cell says so first."""
        with pytest.raises(ValueError, match="not a whole number"):
            convert_cell("ror_access_profile", "9" * 5000)

    @pytest.mark.parametrize("cell", [";", ";;", " ; "])
    def test_a_list_cell_of_separators_alone_is_not_an_empty_list(self, cell: str) -> None:
        """`[]` says "none"; `;` says nothing, and is an error."""
        with pytest.raises(ValueError, match="write \\[\\] for an empty list"):
            convert_cell("ror_roles", cell)

    def test_a_trailing_separator_adds_no_value(self) -> None:
        """`consumer;` is the list of one value."""
        assert convert_cell("ror_roles", "consumer;") == ["consumer"]


class TestProfileFile:
    def test_a_yaml_profile_with_a_byte_order_mark(self, tmp_path: Path) -> None:
        """A byte-order mark at the start is not part of the profile."""
        path = write(tmp_path, "p.yaml", b"\xef\xbb\xbfid: a\n")
        assert read_profile(path).id == "a"

    def test_a_profile_error_names_the_line(self, tmp_path: Path) -> None:
        """YAML errors say where: line and column."""
        path = write(tmp_path, "p.yaml", "id: a\nname: [\n")
        with pytest.raises(InputFileError, match=r"is not valid YAML: line 3, column 1: "):
            read_profile(path)

    def test_a_profile_of_a_list_is_invalid(self, tmp_path: Path) -> None:
        """Parsed, but not a mapping: a profile error, not a crash."""
        with pytest.raises(ProfileError, match="a profile must be a mapping"):
            read_profile(write(tmp_path, "p.json", "[1, 2]"))
