"""Sections of a report kept in temporary files until the whole portfolio has been read."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO


def spool() -> IO[str]:
    """A temporary text file (deleted when closed) to collect one section of a report."""
    return tempfile.TemporaryFile("w+", encoding="utf-8", newline="")


def replay(section: IO[str], size: int = 1 << 16) -> Iterator[str]:
    """Yield a spooled section's text from the start, a block at a time."""
    section.seek(0)
    while block := section.read(size):
        yield block
