"""Read a text file whole: UTF-8 only, and no larger than a limit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from eligibility.display import Sentence
from eligibility.errors import InputFileError


def read_text(path: str | Path, limit: int, what: str = Sentence("file")) -> str:
    """Read a UTF-8 text file whole (``-`` for standard input), refusing one of more than
    ``limit`` bytes (without reading further). ``what`` names the file in messages
    (a :class:`~eligibility.display.Sentence`, such as ``Sentence("rule file")``).

    Raises:
        InputFileError: no such file, a directory, unreadable, larger than ``limit``, or
            not UTF-8 text; named as given (``<stdin>`` for standard input).
    """
    name = "<stdin>" if path == "-" else str(path)
    try:
        if path == "-":
            data = _read_at_most(sys.stdin.buffer, limit)
        else:
            with Path(path).open("rb") as f:
                data = _read_at_most(f, limit)
    except FileNotFoundError:
        raise InputFileError(name, Sentence("no such file")) from None
    except IsADirectoryError:
        raise InputFileError(name, Sentence("is a directory, not a {what}", what=what)) from None
    except OSError as exc:
        why = Sentence("cannot be read: {reason}", reason=exc.strerror or str(exc))
        raise InputFileError(name, why) from None
    if data is None:
        too_large = Sentence(
            "is larger than {limit:,} bytes, the most a {what} may hold", limit=limit, what=what
        )
        raise InputFileError(name, too_large)
    try:
        # utf-8-sig: a byte-order mark at the start is not part of the text.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        why = Sentence("is not UTF-8 text (byte {byte})", byte=exc.start + 1)
        raise InputFileError(name, why) from None


def _read_at_most(f: IO[bytes], limit: int) -> bytes | None:
    data = f.read(limit + 1)
    return None if len(data) > limit else data
