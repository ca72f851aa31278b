"""Read a portfolio (many profiles) lazily from CSV, JSON, JSONL or YAML.

Every reader yields :class:`RawRow` items one at a time, so memory does not grow with the
portfolio: a row is raw data (not yet validated) or the problems that stopped it from
being read (a malformed CSV line, a JSONL line that is not JSON). Validation into a
:class:`~eligibility.profile.model.Profile` happens later, per row, so one bad row never stops
the others.

Row numbers are what a reader of the file can find: for CSV and JSONL the line number in
the file (the CSV header is line 1, so the first product is row 2, as in a spreadsheet);
for JSON and YAML the position of the profile in the list, from 1.

CSV conventions (``docs/profile.md``): lists are ``;``-separated, ``[]`` is an
explicit empty list, booleans are ``true``/``false``, ``yes``/``no`` or ``1``/``0`` (any
case), an empty cell is unknown, integers are plain digits. Cells are converted by the
:data:`~eligibility.profile.model.FIELDS` catalogue; ``id`` and ``name`` stay text, and a column
that is not a profile field is passed on as text so that validation names it.

One cohesive module although over 400 lines: the one portfolio reader, a function per
input format behind :func:`read_rows`.
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

from eligibility.display import Sentence
from eligibility.errors import (
    WHOLE_LINE,
    WHOLE_PROFILE,
    FieldProblem,
    InputFileError,
    ProfileError,
    UsageError,
)
from eligibility.profile.jsonio import JsonError, duplicate_keys, load_json
from eligibility.profile.jsonio import raw_decode as json_raw_decode
from eligibility.profile.limits import ROW_CHARS, YAML_VALUES
from eligibility.profile.model import FIELDS, Profile, parse_profile
from eligibility.profile.yamlio import YamlLoader, check_aliases, yaml_problem

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
_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)  # not other scripts' digits: "٣" is not 3

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
    if raw.data is not None or not problems:  # a row read as null is not a profile: say so
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


def read_profiles(path: str, fmt: str | None = None) -> Iterator[Profile]:
    """The profiles of a portfolio file (CSV, JSON, JSONL, YAML), lazily, stopping at the
    first invalid row (``batch`` reads :func:`read_rows` to go on past one).

    Raises:
        UsageError: the format cannot be told from the suffix.
        InputFileError: the file cannot be read, or its structure is broken beyond a row.
        ProfileError: a row is invalid (the first one; its row number and fields named).
    """
    source = "<stdin>" if path == "-" else path
    for raw in read_rows(path, fmt, convert=False):
        yield row_profile(raw, source)


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
        raise InputFileError(name, Sentence("no such file")) from None
    except IsADirectoryError:
        what = Sentence("portfolio file")
        raise InputFileError(name, Sentence("is a directory, not a {what}", what=what)) from None
    except OSError as exc:
        why = Sentence("cannot be read: {reason}", reason=exc.strerror or str(exc))
        raise InputFileError(name, why) from None
    with f:
        yield f


# --- lines ----------------------------------------------------------------------------


class _RowTooLong(Exception):
    """A row of more than ROW_CHARS characters: it is not kept in memory, nor read on."""


class _Lines:
    """The lines of a text stream, counted, each row at most ROW_CHARS characters.

    A line longer than that is skipped to its end and reported by raising
    :class:`_RowTooLong` from ``next()``; the lines after it are read as before (the
    iterator stays usable). A CSV row may span lines (a quoted cell holding line breaks):
    its reader calls :meth:`row_done` after each row, so the limit is on the whole row.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.number = 0  # lines read so far
        self.in_row = 0  # characters of the current row so far

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.number += 1
        self.in_row += len(line)
        if self.in_row > ROW_CHARS:
            while not line.endswith(("\n", "\r")) and (line := self.stream.readline(ROW_CHARS)):
                pass  # the rest of the line, read and dropped a piece at a time
            self.in_row = 0
            raise _RowTooLong
        return line

    def row_done(self) -> None:
        """The row ended: the next line starts a new one."""
        self.in_row = 0


_TOO_LONG = Sentence("longer than {chars:,} characters, the most a row may hold", chars=ROW_CHARS)


# --- CSV -------------------------------------------------------------------------------


def _csv_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    lines = _Lines(stream)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(name, "is empty (a CSV portfolio starts with a header line)") from None
    except csv.Error as exc:
        raise InputFileError(name, f"line 1: the header is not valid CSV: {exc}") from None
    except _RowTooLong:
        raise InputFileError(name, f"line 1: the header is {_TOO_LONG}") from None
    lines.row_done()
    columns = tuple(c.strip() for c in header)
    if "id" not in columns:
        raise InputFileError(name, "line 1: the header has no 'id' column")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated or "" in columns:
        what = f"repeats {', '.join(repeated)}" if repeated else "has an empty column name"
        raise InputFileError(name, f"line 1: the header {what}")
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            lines.row_done()
            yield RawRow(start, None, (_malformed("CSV", _CSV_ERRORS.get(str(exc), str(exc))),))
            continue
        except _RowTooLong:
            # The reader may be inside a quoted cell: a new one starts afresh on the next line.
            reader = csv.reader(lines, strict=True)
            yield RawRow(start, None, (_malformed("CSV", _TOO_LONG),))
            continue
        lines.row_done()
        if not cells:
            continue  # a blank line holds no product
        if len(cells) != len(columns):
            msg = Sentence(
                "has {cells} cells where the header has {columns} columns",
                cells=len(cells),
                columns=len(columns),
            )
            yield RawRow(start, None, (_malformed("CSV", msg),))
            continue
        yield RawRow(start, None, (), (columns, cells))


#: The csv module's messages a spreadsheet's export can cause, as sentences (the same
#: English) so that they can be said in French too.
_CSV_ERRORS: dict[str, str] = {
    message: message
    for message in (Sentence("',' expected after '\"'"), Sentence("unexpected end of data"))
}


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
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], Sentence) else str(exc)
            problems.append(FieldProblem(column, reason, cell, True))
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
    raise ValueError(Sentence("not a boolean; write true/false, yes/no or 1/0"))


def _integer(cell: str) -> int:
    if not _INT.fullmatch(cell) or len(cell) > 100:
        raise ValueError(Sentence("not a whole number (digits 0-9)"))
    return int(cell)


def _listed(cell: str) -> list[str]:
    if cell == "[]":
        return []
    # A trailing or doubled ';' adds no value: it is not read as an empty value.
    values = [v.strip() for v in cell.split(";") if v.strip()]
    if not values:  # ';' alone says neither which values nor that there are none
        raise ValueError(Sentence("a list with no value; write [] for an empty list"))
    return values


# A converter per field, chosen once by its kind (a portfolio converts millions of cells).
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    name: {"bool": _boolean, "int": _integer, "list": _listed}.get(spec.kind, _text)
    for name, spec in FIELDS.items()
}


# --- JSON, JSONL, YAML ---------------------------------------------------------------


def _twice(data: Any) -> tuple[FieldProblem, ...]:
    """A problem for each key written twice in a row's JSON object."""
    twice = Sentence("written twice in this profile")
    return tuple(FieldProblem(k, twice) for k in duplicate_keys(data))


def _malformed(kind: str, detail: str) -> FieldProblem:
    """The problem of a line that is not valid CSV or JSON (``detail``: why)."""
    return FieldProblem(
        WHOLE_LINE, Sentence("malformed {kind}: {detail}", kind=kind, detail=detail)
    )


def _jsonl_rows(stream: IO[str], _name: str) -> Iterator[RawRow]:
    lines = _Lines(stream)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except _RowTooLong:
            yield RawRow(lines.number, None, (_malformed("JSON", _TOO_LONG),))
            continue
        lines.row_done()
        if not line.strip():
            continue
        try:
            data = load_json(line)
        except json.JSONDecodeError as exc:
            at = Sentence("{detail} (column {column})", detail=exc.msg, column=exc.colno)
            yield RawRow(lines.number, None, (_malformed("JSON", at),))
            continue
        except JsonError as exc:
            yield RawRow(lines.number, None, (_malformed("JSON", str(exc)),))
            continue
        yield RawRow(lines.number, data, _twice(data))


def _json_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    """Yield the items of a JSON array one by one, reading the text a chunk at a time.

    A syntax error cannot be skipped (nothing says where the next profile starts), so it
    ends the file with an :class:`InputFileError` naming the line and column; so does a
    profile longer than ROW_CHARS, which is not read whole. A key written twice is an
    error of its row.
    """
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
                item, end = json_raw_decode(buf, pos)
                if end >= len(buf) and not eof:  # a number cut by the chunk would look whole
                    raise ValueError("the value may go on in the next chunk")
                if end - pos > ROW_CHARS:
                    raise fail(pos, f"profile {number + 1} is {_TOO_LONG}")
                after = skip(end)
            except JsonError as exc:  # refused whole (NaN, too deep): reading on changes nothing
                at = exc.pos if exc.pos is not None else pos
                raise fail(at, f"not valid JSON: {exc}") from None
            except ValueError as exc:
                if len(buf) - pos > ROW_CHARS:
                    raise fail(pos, f"profile {number + 1} is {_TOO_LONG}") from None
                if not eof:
                    more()
                    continue  # the item may be cut by the chunk boundary: read on and retry
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else "unexpected end"
                raise fail(getattr(exc, "pos", pos), f"not valid JSON: {message}") from None
            number += 1
            yield RawRow(number, item, _twice(item))
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


class _Metered:
    """A text stream read by the YAML parser, which refuses to be read more than ROW_CHARS
    characters past the start of the current row (set in ``row_start``): a row longer than
    that is never held in memory whole."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.name = getattr(stream, "name", "<stream>")
        self.read_chars = 0
        self.row_start = 0

    def read(self, size: int = -1) -> str:
        if self.read_chars - self.row_start > ROW_CHARS:
            raise _RowTooLong
        chunk = self.stream.read(size)
        self.read_chars += len(chunk)
        return chunk


def _scalar_id(node: yaml.Node) -> str | None:
    """The ``id`` written in a profile's node, when it is plain text."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    return None


def _yaml_rows(stream: IO[str], name: str) -> Iterator[RawRow]:
    """Yield the items of a YAML list one by one: each item is composed and built alone.

    A row whose profile cannot be built (a key written twice, aliases expanding past
    YAML_VALUES) is an error of that row; a syntax error, nesting too deep or a row longer
    than ROW_CHARS ends the file (nothing says where the next profile starts).
    """
    metered = _Metered(stream)
    loader: Any = YamlLoader(metered)  # typed as Any: the stubs leave the event API untyped
    number = 0
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise InputFileError(name, "is empty (a YAML portfolio is a list of profiles)")
        loader.get_event()  # document start
        if not loader.check_event(yaml.SequenceStartEvent):
            raise InputFileError(name, "a YAML portfolio is a list of profiles (- id: ...)")
        loader.get_event()
        while not loader.check_event(yaml.SequenceEndEvent):
            metered.row_start = loader.peek_event().start_mark.index
            node = loader.compose_node(None, None)  # a root node: no parent, no index
            number += 1
            try:
                if loader.aliased:
                    loader.aliased = False
                    check_aliases(node, YAML_VALUES)
                data = loader.construct_document(node)
            except (yaml.constructor.ConstructorError, yaml.composer.ComposerError) as exc:
                why = Sentence("not valid YAML: {detail}", detail=yaml_problem(exc))
                problem = FieldProblem(WHOLE_PROFILE, why)
                pid = _scalar_id(node)  # to name the row in messages
                yield RawRow(number, None if pid is None else {"id": pid}, (problem,))
                continue
            yield RawRow(number, data)
        loader.get_event()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise InputFileError(name, "holds more than one YAML document")
    except yaml.YAMLError as exc:
        raise InputFileError(name, f"is not valid YAML: {yaml_problem(exc)}") from None
    except _RowTooLong:
        raise InputFileError(name, f"profile {number + 1} is {_TOO_LONG}") from None
    finally:
        loader.dispose()
