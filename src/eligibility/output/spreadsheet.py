"""CSV for spreadsheets: cells that cannot run as formulas, rows that cannot be split.

Text from the input (a product's name, an id, a label) may start with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: a spreadsheet opening the file would take the cell
for a formula (``=HYPERLINK(...)``, ``=cmd|...``: "CSV injection"). As the OWASP
recommends, such a cell is written with a ``'`` before it, which spreadsheets read as
"this is text" and do not show. The value in the file then differs from the input by that
one character; the JSON and JSONL outputs keep it as it is.

A carriage return alone in a cell is not quoted by Python's CSV writer before 3.13 (its
line ending here is ``\\n``), and a reader would cut the row there: a row holding one is
written with every cell quoted, the same on every Python version.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TextIO

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """The value as a cell: text starting like a formula gets a ``'`` before it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    """Writes rows of cells to a text stream: ``\n`` line endings, quotes where needed,
    cells made safe by :func:`cell`, a row holding a carriage return quoted whole."""

    def __init__(self, out: TextIO) -> None:
        self._plain = csv.writer(out, lineterminator="\n")
        self._quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[object]) -> None:
        """Write one row."""
        cells = [cell(v) for v in row]
        carriage_return = any(isinstance(v, str) and "\r" in v for v in cells)
        (self._quoted if carriage_return else self._plain).writerow(cells)


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The rows as CSV text (see :class:`CsvWriter`)."""
    out = io.StringIO()
    writer = CsvWriter(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
