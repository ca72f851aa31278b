"""Reading portfolios: formats, CSV conventions, row numbers, laziness, broken files."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest

from eligibility.errors import FieldProblem, InputFileError, ProfileError, UsageError
from eligibility.profile import portfolio
from eligibility.profile.portfolio import (
    RawRow,
    convert_cell,
    count_rows,
    input_format_of,
    read_profiles,
    read_rows,
    row_profile,
)
from tests.conftest import FIXTURES

PORTFOLIOS = FIXTURES / "portfolios"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(path: str, fmt: str | None = None) -> list[RawRow]:
    return list(read_rows(path, fmt))


class TestFormat:
    @pytest.mark.parametrize(
        ("name", "fmt"),
        [("a.csv", "csv"), ("a.JSON", "json"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"),
         ("a.yaml", "yaml"), ("a.yml", "yaml")],
    )  # fmt: skip
    def test_format_is_told_by_suffix(self, name: str, fmt: str) -> None:
        """The suffix (any case) names the format."""
        assert input_format_of(name) == fmt

    def test_given_format_overrides_suffix(self) -> None:
        """--input-format wins over the suffix."""
        assert input_format_of("products.txt", "jsonl") == "jsonl"

    def test_unknown_suffix_is_a_usage_error(self) -> None:
        """A suffix that names no format asks for --input-format."""
        with pytest.raises(UsageError, match="--input-format"):
            input_format_of("products.txt")

    def test_stdin_needs_a_format(self) -> None:
        """Standard input has no suffix: the format must be given."""
        with pytest.raises(UsageError, match="standard input"):
            input_format_of("-")


class TestCsvCells:
    @pytest.mark.parametrize("word", ["true", "TRUE", "Yes", "1"])
    def test_true_words(self, word: str) -> None:
        """true, yes and 1 in any case are true."""
        assert convert_cell("processes_health_data", word) is True

    @pytest.mark.parametrize("word", ["false", "False", "NO", "0"])
    def test_false_words(self, word: str) -> None:
        """false, no and 0 in any case are false."""
        assert convert_cell("processes_health_data", word) is False

    def test_other_boolean_words_are_refused(self) -> None:
        """A word that is not a boolean is an error, never guessed."""
        with pytest.raises(ValueError, match="not a boolean"):
            convert_cell("processes_health_data", "maybe")

    def test_list_is_semicolon_separated(self) -> None:
        """Lists are ;-separated, spaces around items ignored."""
        assert convert_cell("categories", "DPI; LAP") == ["DPI", "LAP"]

    def test_brackets_are_an_explicit_empty_list(self) -> None:
        """[] is an empty list, not unknown."""
        assert convert_cell("ror_roles", "[]") == []

    def test_integer_cell(self) -> None:
        """An integer field reads plain digits."""
        assert convert_cell("ror_access_profile", "3") == 3

    def test_integer_cell_refuses_words(self) -> None:
        """Text in an integer field is an error."""
        with pytest.raises(ValueError, match="whole number"):
            convert_cell("ror_access_profile", "three")

    def test_enum_and_unknown_columns_stay_text(self) -> None:
        """Enum values and unknown columns are passed on as text for validation to judge."""
        assert convert_cell("storage_role", "archive") == "archive"
        assert convert_cell("colour", "blue") == "blue"


class TestCsv:
    def test_empty_cell_is_unknown(self, tmp_path: Path) -> None:
        """An empty cell leaves the field out (unknown), it is not false."""
        path = write(tmp_path, "p.csv", "id,processes_health_data,ror_roles\nx,,[]\n")
        assert rows(path)[0].data == {"id": "x", "ror_roles": []}

    def test_row_numbers_are_file_lines(self, tmp_path: Path) -> None:
        """The header is line 1; a quoted cell over two lines does not shift later rows."""
        text = 'id,name\na,"two\nlines"\n\nb,plain\n'
        assert [r.row for r in rows(write(tmp_path, "p.csv", text))] == [2, 5]

    def test_byte_order_mark_is_ignored(self, tmp_path: Path) -> None:
        """A spreadsheet's byte-order mark does not become part of the first column name."""
        path = tmp_path / "p.csv"
        path.write_bytes(b"\xef\xbb\xbfid\nx\n")
        assert rows(str(path))[0].data == {"id": "x"}

    def test_unconvertible_cells_are_problems_and_the_rest_is_kept(self, tmp_path: Path) -> None:
        """A bad cell is reported with its column and value; good cells stay for validation."""
        path = write(tmp_path, "p.csv", "id,processes_health_data,storage_role\nx,maybe,none\n")
        (row,) = rows(path)
        assert row.data == {"id": "x", "storage_role": "none"}
        assert [(p.loc, p.value) for p in row.problems] == [("processes_health_data", "maybe")]

    def test_wrong_cell_count_is_a_malformed_row(self, tmp_path: Path) -> None:
        """A line with more cells than the header is a bad row, and reading goes on."""
        (bad, good) = rows(write(tmp_path, "p.csv", "id,name\na,b,c\nd,e\n"))
        assert bad.data is None and "3 cells" in bad.problems[0].message
        assert good.data == {"id": "d", "name": "e"}

    def test_bad_quoting_is_a_malformed_row(self, tmp_path: Path) -> None:
        """Text after a closing quote is a bad row, and reading goes on."""
        (bad, good) = rows(write(tmp_path, "p.csv", 'id,name\n"a"b,c\nd,e\n'))
        assert bad.row == 2 and "malformed CSV" in bad.problems[0].message
        assert good.row == 3

    @pytest.mark.parametrize(
        ("text", "message"),
        [("", "is empty"), ("name\nx\n", "no 'id' column"), ("id,id\n", "repeats id"),
         ("id,,name\n", "empty column name")],
    )  # fmt: skip
    def test_broken_header_stops_the_file(self, tmp_path: Path, text: str, message: str) -> None:
        """Without a usable header nothing can be read: a file error."""
        with pytest.raises(InputFileError, match=message):
            rows(write(tmp_path, "p.csv", text))

    def test_same_products_as_the_json_fixture(self) -> None:
        """The CSV and JSON publisher portfolios describe the same products."""
        from_csv = [r.data for r in rows(str(PORTFOLIOS / "publisher.csv"))]
        from_json = [r.data for r in rows(str(PORTFOLIOS / "publisher.json"))]
        assert len(from_csv) >= 15
        assert from_csv == from_json


class TestCsvLaterConversion:
    """With ``convert=False`` a CSV row keeps its text until ``converted()`` (in a worker)."""

    def test_rows_keep_their_text_cells_and_their_id(self) -> None:
        """An unconverted row has no data yet, but its id is known (for duplicates)."""
        lazy = list(read_rows(str(PORTFOLIOS / "publisher.csv"), convert=False))
        eager = rows(str(PORTFOLIOS / "publisher.csv"))
        assert all(r.data is None and r.cells is not None for r in lazy)
        assert [r.profile_id for r in lazy] == [r.profile_id for r in eager]

    def test_converted_rows_are_the_rows_read_at_once(self) -> None:
        """converted() gives exactly what the eager reader gives, bad cells included."""
        path = str(PORTFOLIOS / "bad-rows.csv")
        lazy = [r.converted() for r in read_rows(path, convert=False)]
        assert lazy == rows(path)

    def test_cell_problems_come_before_problems_the_row_already_had(self, tmp_path: Path) -> None:
        """A problem added before conversion (a duplicate id) follows the cells' problems."""
        path = write(tmp_path, "p.csv", "id,processes_health_data\np1,perhaps\n")
        (row,) = read_rows(path, convert=False)
        later = FieldProblem("id", "duplicate product id", "p1", True)
        done = RawRow(row.row, row.data, (later,), row.cells).converted()
        assert [p.loc for p in done.problems] == ["processes_health_data", "id"]
        assert done.data == {"id": "p1"} and done.cells is None


class TestJson:
    def test_items_are_numbered_from_one(self, tmp_path: Path) -> None:
        """JSON rows are numbered by position in the array."""
        path = write(tmp_path, "p.json", '[{"id": "a"}, {"id": "b"}]')
        assert [(r.row, r.data) for r in rows(path)] == [(1, {"id": "a"}), (2, {"id": "b"})]

    def test_empty_array(self, tmp_path: Path) -> None:
        """An empty array is an empty portfolio."""
        assert rows(write(tmp_path, "p.json", " [ ] \n")) == []

    def test_items_cut_by_chunk_boundaries(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Items are read whole whatever the chunk size, numbers included."""
        monkeypatch.setattr(portfolio, "JSON_CHUNK", 3)
        text = '[\n {"id": "a", "n": [1, 2]},\n 12345 ,\n {"id": "b"}\n]\n'
        got = [r.data for r in rows(write(tmp_path, "p.json", text))]
        assert got == [{"id": "a", "n": [1, 2]}, 12345, {"id": "b"}]

    def test_reads_lazily(self) -> None:
        """The first profile is yielded before the rest of the file is read."""
        reads = []

        class Stream(io.StringIO):
            def read(self, size: int | None = -1) -> str:
                reads.append(size)
                return super().read(size)

        text = "[" + ",".join(f'{{"id": "p{i}"}}' for i in range(20000)) + "]"
        items = portfolio._json_rows(Stream(text), "big.json")
        assert next(items).data == {"id": "p0"}
        assert len(reads) == 1

    @pytest.mark.parametrize(
        ("text", "message"),
        [("", "is empty"), ('{"id": "a"}', "array of profiles"),
         ('[{"id": "a"},\n {"id": }]', "line 2: not valid JSON"),
         ('[{"id": "a"}', "not closed"), ('[{"id": "a"}] x', "after the closing")],
    )  # fmt: skip
    def test_broken_json_is_a_file_error(self, tmp_path: Path, text: str, message: str) -> None:
        """A JSON syntax error cannot be skipped: a file error naming the line."""
        with pytest.raises(InputFileError, match=message):
            rows(write(tmp_path, "p.json", text))


class TestJsonl:
    def test_rows_are_line_numbers_and_bad_lines_are_bad_rows(self, tmp_path: Path) -> None:
        """Each line is a row (blank lines skipped); a line that is not JSON is a bad row."""
        got = rows(write(tmp_path, "p.jsonl", '{"id": "a"}\n\n{oops\n{"id": "b"}\n'))
        assert [(r.row, r.data) for r in got] == [(1, {"id": "a"}), (3, None), (4, {"id": "b"})]
        assert "malformed JSON" in got[1].problems[0].message

    def test_a_line_holding_null_is_a_row_error_that_says_what_is_wrong(
        self, tmp_path: Path
    ) -> None:
        """`null` is read, but it is no profile: the row's error names the problem."""
        (raw,) = rows(write(tmp_path, "p.jsonl", "null\n"))
        with pytest.raises(ProfileError) as caught:
            row_profile(raw, "p.jsonl")
        assert [p.message for p in caught.value.problems] == [
            "a profile must be a mapping of field names to values"
        ]


class TestYaml:
    def test_list_items_are_rows(self, tmp_path: Path) -> None:
        """A YAML list gives one row per item, numbered from one."""
        path = write(tmp_path, "p.yaml", "- id: a\n  ror_roles: []\n- id: b\n")
        assert [(r.row, r.data) for r in rows(path)] == [(1, {"id": "a", "ror_roles": []}),
                                                         (2, {"id": "b"})]  # fmt: skip

    @pytest.mark.parametrize(
        ("text", "message"),
        [("", "is empty"), ("id: a\n", "list of profiles"), ("- id: a\n- [\n", "not valid YAML"),
         ("- id: a\n---\n- id: b\n", "more than one")],
    )  # fmt: skip
    def test_broken_yaml_is_a_file_error(self, tmp_path: Path, text: str, message: str) -> None:
        """A YAML file that is not one list of profiles is a file error."""
        with pytest.raises(InputFileError, match=message):
            rows(write(tmp_path, "p.yaml", text))


class TestFiles:
    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is named in the error."""
        with pytest.raises(InputFileError, match="no such file"):
            rows(str(tmp_path / "nope.csv"))

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 give a file error, not a traceback."""
        path = tmp_path / "p.csv"
        path.write_bytes(b"id,name\nx,caf\xe9\n")
        with pytest.raises(InputFileError, match="not UTF-8"):
            rows(str(path))

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """- reads standard input in the given format."""

        class Stdin:
            buffer = io.BytesIO(b'{"id": "a"}\n')

        monkeypatch.setattr(sys, "stdin", Stdin())
        assert [r.data for r in rows("-", "jsonl")] == [{"id": "a"}]

    @pytest.mark.parametrize(
        ("name", "text", "count"),
        [("p.csv", "id\na\nb\n", 2), ("p.csv", "id\na\nb", 2), ("p.jsonl", "{}\n{}\n{}\n", 3),
         ("p.json", "[{}]", None)],
    )  # fmt: skip
    def test_count_rows(self, tmp_path: Path, name: str, text: str, count: Any) -> None:
        """CSV and JSONL rows are counted from lines; JSON and YAML are not counted."""
        assert count_rows(write(tmp_path, name, text)) == count


def test_a_raw_row_survives_pickling_as_worker_processes_receive_it() -> None:
    """Rows go to a batch's child processes pickled: every field comes back, problems too."""
    path = FIXTURES / "portfolios" / "bad-rows.csv"
    rows = list(read_rows(str(path), "csv", convert=False))
    assert any(r.problems for r in rows) and any(r.cells is not None for r in rows)
    assert [pickle.loads(pickle.dumps(r)) for r in rows] == rows
    converted = RawRow(3, {"id": "x"}, (FieldProblem("id", "duplicate", "x", True),))
    assert pickle.loads(pickle.dumps(converted)) == converted


class TestReadProfiles:
    def test_every_row_becomes_a_validated_profile_in_file_order(self) -> None:
        """The same products from the CSV and the JSON portfolio, as profiles."""
        csv_ids = [p.id for p in read_profiles(str(PORTFOLIOS / "publisher.csv"))]
        json_ids = [p.id for p in read_profiles(str(PORTFOLIOS / "publisher.json"))]
        assert csv_ids == json_ids
        assert len(csv_ids) == 18

    def test_the_first_invalid_row_stops_the_reading_with_its_row_and_field(
        self, tmp_path: Path
    ) -> None:
        path = write(tmp_path, "p.csv", "id,storage_role\na,operational\nb,cloud\nc,archive\n")
        read = read_profiles(path)
        assert next(read).id == "a"
        with pytest.raises(ProfileError) as caught:
            next(read)
        assert caught.value.row == 3
        assert [p.loc for p in caught.value.problems] == ["storage_role"]
