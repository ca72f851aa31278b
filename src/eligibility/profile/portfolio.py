"""Read a portfolio (many profiles) lazily from CSV, JSON, JSONL or YAML.

Every reader yields :class:`RawRow` items one at a time, so memory does not grow with the
portfolio: a row is raw data (not yet validated) or the problems that stopped it from
being read (a malformed CSV line, a JSONL line that is not JSON). Validation into a
:class:`~eligibility.profile.model.Profile` happens later, per row, so one bad row never stops
the others.

Row numbers are what a reader of the file can find: for CSV and JSONL the line number in
the file (the CSV header is line 1, so the first product is row 2, as in a spreadsheet);
for JSON and YAML the position of the profile in the list, from 1.

CSV conventions (``shared/spec/profile.md``): lists are ``;``-separated, ``[]`` is an
explicit empty list, booleans are ``true``/``false``, ``yes``/``no`` or ``1``/``0`` (any
case), an empty cell is unknown, integers are plain digits. Cells are converted by the
:data:`~eligibility.profile.model.FIELDS` catalogue; ``id`` and ``name`` stay text, and a column
that is not a profile field is passed on as text so that validation names it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import yaml

from eligibility.errors import FieldProblem, InputFileError, ProfileError, UsageError
from eligibility.profile.model import FIELDS, Profile, parse_profile

InputFormat = Literal["csv", "json", "jsonl", "yaml"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("csv", "json", "jsonl", "yaml")

_SUFFIXES: dict[str, InputFormat] = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
}

_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
_INT = re.compile(r"[+-]?\d+")

#: How much text the JSON reader asks for at a time (tests shrink it to cross boundaries).
JSON_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read: its number, its raw fields, and any problem found while reading.

    ``data`` is None when the row could not be read at all (then ``problems`` says why);
    otherwise it holds the fields that could be converted, and ``problems`` the cells that
    could not (CSV only), so validation can report every problem of the row at once.

    A CSV row read with ``convert=False`` holds its text cells in ``cells`` (the columns and
    the cells) and no ``data`` yet: :meth:`converted` does the conversion later, where the
    row is evaluated (a batch's worker processes, so the reading process stays free).
    """

    row: int
    data: Any
    problems: tuple[FieldProblem, ...] = field(default=())
    cells: tuple[tuple[str, ...], list[str]] | None = None

    @property
    def profile_id(self) -> str | None:
        """The row's ``id`` when it has a textual one (to name the row in errors)."""
        if self.cells is not None:
            columns, cells = self.cells
            return cells[columns.index("id")].strip() or None
        if isinstance(self.data, dict):
            value = self.data.get("id")
            return value if isinstance(value, str) and value else None
        return None

    def __reduce__(self) -> tuple[type[RawRow], tuple[Any, ...]]:
        # A batch sends rows to its child processes: the constructor and its arguments
        # pickle in half the time of a slotted dataclass's state.
        return (RawRow, (self.row, self.data, self.problems, self.cells))

    def converted(self) -> RawRow:
        """The row with its CSV cells converted by the field catalogue (or itself).

        Problems found in the cells come first, then those the row already had.
        """
        if self.cells is None:
            return self
        converted = _convert_csv_row(self.row, *self.cells)
        return RawRow(self.row, converted.data, (*converted.problems, *self.problems))


def row_profile(raw: RawRow, source: str) -> Profile:
    """Validate one row into a profile.

    Raises:
        ProfileError: naming ``source`` and the row, with every problem of the row: the
            line or cells that could not be read (and any problem already noted, such as a
            duplicate id), then the fields that are not valid.
    """
    raw = raw.converted()
    problems = list(raw.problems)
    profile = None
    if raw.data is not None:
        try:
            profile = parse_profile(raw.data, source, raw.row)
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems or profile is None:
        raise ProfileError(source, problems, raw.row)
    return profile


def input_format_of(path: str, given: str | None = None) -> InputFormat:
    """The input format: ``given`` when set, else from the file suffix.

    Raises:
        UsageError: standard input without a format, or a suffix that says nothing.
    """
    if given is not None:
        if given not in INPUT_FORMATS:
            raise UsageError(f"unknown input format {given!r}; use one of {INPUT_FORMATS}")
        return given
    if path == "-":
        raise UsageError("reading a portfolio from standard input needs --input-format")
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(
            f"cannot tell the format of {path} from its suffix; use --input-format "
            f"({', '.join(INPUT_FORMATS)})"
        )
    return fmt


def read_rows(path: str, fmt: str | None = None, *, convert: bool = True) -> Iterator[RawRow]:
    """Yield the rows of a portfolio file (``-`` for standard input), lazily.

    Args:
        path: the portfolio file, or ``-`` for standard input.
        fmt: ``csv``, ``json``, ``jsonl`` or ``yaml``; by default from the suffix.
        convert: convert CSV cells now; when False, each CSV row keeps its text cells
            until :meth:`RawRow.converted` is called.

    Raises:
        UsageError: the format cannot be told (see :func:`input_format_of`).
        InputFileError: the file cannot be opened or read, or its structure is broken
            beyond one row (no CSV header, a JSON document that is not an array, ...).
    """
    kind = input_format_of(path, fmt)
    name = "<stdin>" if path == "-" else path
    reader = {"csv": _csv_rows, "json": _json_rows, "jsonl": _jsonl_rows, "yaml": _yaml_rows}
    with _open_text(path, name, newline="" if kind == "csv" else None) as stream:
        try:
            rows = reader[kind](stream, name)
            yield from (map(RawRow.converted, rows) if convert else rows)
        except UnicodeDecodeError as exc:
            raise InputFileError(name, f"is not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise InputFileError(name, f"cannot be read: {exc.strerror}") from None


def count_rows(path: str, fmt: str | None = None) -> int | None:
    """A quick count of the rows of a CSV or JSONL file (for a progress bar), else None.

    Counts lines, so a CSV cell spanning lines makes it an overestimate; None for standard
    input, JSON and YAML, which cannot be counted without parsing them.
    """
    if path == "-":
        return None
    kind = input_format_of(path, fmt)
    if kind not in ("csv", "jsonl"):
        return None
    try:
        with Path(path).open("rb") as f:
            lines = 0
            last = b"\n"
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None
    lines += last != b"\n"  # a last line without its newline
    return max(lines - 1, 0) if kind == "csv" else lines


@contextmanager
def _open_text(path: str, name: str, newline: str | None) -> Iterator[IO[str]]:
    # utf-8-sig: spreadsheets write a byte-order mark at the start of CSV exports.
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline=newline)
        try:
            yield stream
        finally:
            stream.detach()  # leave the process's standard input open
        return
    try:
        f = Path(path).open(encoding="utf-8-sig", newline=newline)  # noqa: SIM115  # closed below
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(name, "is a directory, not a portfolio file") from None
    except OSError as exc:
        raise InputFileError(name, f"cannot be read: {exc.strerror}") from None
    with f:
        yield f


# --- CSV -------------------------------------------------------------------------------


def _csv_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(name, "is empty (a CSV portfolio starts with a header line)") from None
    except csv.Error as exc:
        raise InputFileError(name, f"line 1: the header is not valid CSV: {exc}") from None
    columns = tuple(c.strip() for c in header)
    if "id" not in columns:
        raise InputFileError(name, "line 1: the header has no 'id' column")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated or "" in columns:
        what = f"repeats {', '.join(repeated)}" if repeated else "has an empty column name"
        raise InputFileError(name, f"line 1: the header {what}")
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            yield RawRow(start, None, (FieldProblem("(line)", f"malformed CSV: {exc}"),))
            continue
        end = reader.line_num
        if not cells:
            continue  # a blank line holds no product
        if len(cells) != len(columns):
            msg = f"has {len(cells)} cells where the header has {len(columns)} columns"
            yield RawRow(start, None, (FieldProblem("(line)", f"malformed CSV: {msg}"),))
            continue
        yield RawRow(start, None, (), (columns, cells))


def _convert_csv_row(row: int, columns: tuple[str, ...], cells: list[str]) -> RawRow:
    data: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    converters = _CONVERTERS
    for column, raw in zip(columns, cells, strict=True):
        cell = raw.strip()
        if not cell:
            continue  # an empty cell is unknown
        try:
            data[column] = converters.get(column, _text)(cell)
        except ValueError as exc:
            problems.append(FieldProblem(column, str(exc), cell, True))
    return RawRow(row, data, tuple(problems))


def convert_cell(column: str, cell: str) -> Any:
    """Convert one non-empty CSV cell by the field catalogue (other columns stay text).

    Raises:
        ValueError: the cell cannot be read as the field's kind (the message says why).
    """
    return _CONVERTERS.get(column, _text)(cell)


def _text(cell: str) -> str:
    return cell


def _boolean(cell: str) -> bool:
    word = cell.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("not a boolean; write true/false, yes/no or 1/0")


def _integer(cell: str) -> int:
    if not _INT.fullmatch(cell):
        raise ValueError("not a whole number")
    return int(cell)


def _listed(cell: str) -> list[str]:
    if cell == "[]":
        return []
    # A trailing or doubled ';' adds no value: it is not read as an empty value.
    return [v.strip() for v in cell.split(";") if v.strip()]


# A converter per field, chosen once by its kind (a portfolio converts millions of cells).
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    name: {"bool": _boolean, "int": _integer, "list": _listed}.get(spec.kind, _text)
    for name, spec in FIELDS.items()
}


# --- JSON, JSONL, YAML ---------------------------------------------------------------


def _jsonl_rows(stream: IO[str], _name: str) -> Iterator[RawRow]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = FieldProblem("(line)", f"malformed JSON: {exc.msg} (column {exc.colno})")
            yield RawRow(number, None, (problem,))
            continue
        yield RawRow(number, data)


def _json_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    """Yield the items of a JSON array one by one, reading the text a chunk at a time.

    A syntax error cannot be skipped (nothing says where the next profile starts), so it
    ends the file with an :class:`InputFileError` naming the line and column.
    """
    decoder = json.JSONDecoder()
    buf, eof, consumed_lines = "", False, 0

    def more() -> bool:
        nonlocal buf, eof
        chunk = stream.read(JSON_CHUNK)
        eof = not chunk
        buf += chunk
        return bool(chunk)

    def skip(pos: int) -> int:
        # Whitespace may run past the end of the buffer: keep reading until something shows.
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or eof or not more():
                return pos

    def fail(pos: int, message: str) -> InputFileError:
        line = consumed_lines + buf.count("\n", 0, pos) + 1
        return InputFileError(name, f"line {line}: {message}")

    more()
    pos = skip(0)
    if pos >= len(buf):
        raise InputFileError(name, "is empty (a JSON portfolio is an array of profiles)")
    if buf[pos] != "[":
        raise fail(pos, "a JSON portfolio is an array of profiles, [ {...}, {...} ]")
    pos = skip(pos + 1)
    number = 0
    if pos < len(buf) and buf[pos] == "]":
        pos = skip(pos + 1)
    else:
        while True:
            try:
                item, end = decoder.raw_decode(buf, pos)
                if end >= len(buf) and not eof:  # a number cut by the chunk would look whole
                    raise ValueError("the value may go on in the next chunk")
                after = skip(end)
            except ValueError as exc:
                if not eof:
                    more()
                    continue  # the item may be cut by the chunk boundary: read on and retry
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else "unexpected end"
                raise fail(getattr(exc, "pos", pos), f"not valid JSON: {message}") from None
            number += 1
            yield RawRow(number, item)
            if after >= len(buf):
                raise fail(after, "not valid JSON: the array is not closed with ]")
            if buf[after] == "]":
                pos = skip(after + 1)
                break
            if buf[after] != ",":
                raise fail(after, "not valid JSON: expected , or ] after a profile")
            pos = skip(after + 1)
            if pos > JSON_CHUNK:  # drop what has been read: the buffer stays a chunk or two
                consumed_lines += buf.count("\n", 0, pos)
                buf, pos = buf[pos:], 0
    if pos < len(buf):
        raise fail(pos, "not valid JSON: text after the closing ]")


def _yaml_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    """Yield the items of a YAML list one by one: each item is composed and built alone."""
    loader: Any = yaml.SafeLoader(stream)  # typed as Any: the stubs leave the event API untyped
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise InputFileError(name, "is empty (a YAML portfolio is a list of profiles)")
        loader.get_event()  # document start
        if not loader.check_event(yaml.SequenceStartEvent):
            raise InputFileError(name, "a YAML portfolio is a list of profiles (- id: ...)")
        loader.get_event()
        number = 0
        while not loader.check_event(yaml.SequenceEndEvent):
            node = loader.compose_node(None, None)  # a root node: no parent, no index
            number += 1
            yield RawRow(number, loader.construct_document(node))
        loader.get_event()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise InputFileError(name, "holds more than one YAML document")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputFileError(name, f"is not valid YAML{where}: {problem}") from None
    finally:
        loader.dispose()
