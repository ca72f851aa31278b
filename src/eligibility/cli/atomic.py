"""Write a file all at once or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from eligibility.errors import InputFileError


@contextmanager
def atomic_output(path: str) -> Iterator[IO[bytes]]:
    """Open ``path`` for writing bytes so that it only ever holds a complete output.

    The bytes go to a temporary file in the same directory (a rename across file systems
    would not be atomic), renamed over ``path`` when the block ends normally; when the
    block raises, or the process is interrupted, the temporary file is removed and
    ``path`` is left as it was.

    Raises:
        InputFileError: the directory does not exist or cannot be written to.
    """
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputFileError(path, f"cannot be written: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would have.
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
