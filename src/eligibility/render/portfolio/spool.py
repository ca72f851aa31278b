"""Sections of a report kept in temporary files until the whole portfolio has been read.

The Markdown and HTML reports put the summary before the products, so each product's
matrix row and details wait on disk, not in memory, until the counts are known. The files
have no name (deleted when closed, or when the process ends however it ends).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from eligibility.errors import InputFileError


@contextmanager
def spool() -> Iterator[IO[bytes]]:
    """A new section, empty: a temporary file to write bytes to, then :func:`replay`.

    Raises:
        InputFileError: the temporary directory cannot hold it (missing, no room left).
    """
    try:
        with tempfile.TemporaryFile("w+b") as section:
            yield section
    except OSError as exc:
        where = exc.filename or tempfile.gettempdir()
        raise InputFileError(
            str(where),
            f"cannot hold the report's sections ({exc.strerror or exc}); "
            "set TMPDIR to a directory with room",
        ) from None


def replay(section: IO[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """Yield a section's bytes from the start, a block at a time."""
    section.seek(0)
    while block := section.read(size):
        yield block
