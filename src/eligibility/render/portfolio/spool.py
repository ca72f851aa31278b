"""Sections of a report kept in temporary files until the whole portfolio has been read."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO


def spool() -> IO[bytes]:
    """A temporary file (deleted when closed) to collect one section of a report (UTF-8)."""
    return tempfile.TemporaryFile("w+b")


def replay(section: IO[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """Yield a spooled section's bytes from the start, a block at a time."""
    section.seek(0)
    while block := section.read(size):
        yield block
