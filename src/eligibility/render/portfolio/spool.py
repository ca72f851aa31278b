"""Sections of a report kept in temporary files until the whole portfolio has been read.

A section is laid out by offset (:class:`~eligibility.batch.placing.PositionalWriter`), so the
rows a worker process evaluated can be written into it by that process (see
:mod:`eligibility.batch.placing`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from eligibility.batch.placing import PositionalWriter


class Spool(PositionalWriter):
    """A temporary file (deleted when closed) collecting one section of a report (UTF-8)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile("w+b")  # noqa: SIM115  # closed by close()
        super().__init__(self.file, tempfile.gettempdir())

    def close(self) -> None:
        """Delete the section."""
        self.file.close()

    withdraw = close

    def replay(self, size: int = 1 << 16) -> Iterator[bytes]:
        """Yield the section's bytes from the start, a block at a time."""
        self.flush()
        self.file.seek(0)
        while block := self.file.read(size):
            yield block


def spool() -> Spool:
    """A new section, empty."""
    return Spool()
