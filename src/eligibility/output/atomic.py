"""Write an output file all at once or not at all, without replacing what is not a file.

``-o PATH`` gets the whole output or nothing: the bytes go to a temporary file beside the
file, renamed over it at the end. Only a regular file (or a path where nothing is yet) is
replaced that way, and it keeps its permission bits (and, when allowed, its owner). What
is not a regular file is written through, as a shell's ``>`` would: a device (``-o
/dev/null`` must not turn the system's null device into a file), a FIFO, a terminal. A
symbolic link is followed: the file it points to is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from eligibility.errors import InputFileError
from eligibility.output.guard import writing


@contextmanager
def atomic_output(path: str) -> Iterator[IO[bytes]]:
    """Open ``path`` for writing bytes so that, when it is a file, it only ever holds a
    complete output.

    For a regular file, or a path that does not exist yet: the bytes go to a temporary
    file in the same directory (a rename across file systems would not be atomic), renamed
    over the file when the block ends normally; when the block raises, or the process is
    interrupted, the temporary file is removed and the file is left as it was. A symbolic
    link is resolved first (the file it points to is replaced, not the link). Anything
    else (a device, a FIFO, a terminal, a socket) is written through: opened for writing
    as it is, never replaced.

    Raises:
        InputFileError: the path is a directory, or its directory does not exist or
            cannot be written to, or the output cannot be opened.
    """
    try:
        existing: os.stat_result | None = Path(path).stat()  # through symbolic links
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise InputFileError(path, f"cannot be written: {exc.strerror}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise InputFileError(path, "is a directory")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _through(path) as out:
            yield out
        return
    with _replacing(Path(os.path.realpath(path)), existing, path) as out:
        yield out


@contextmanager
def _through(path: str) -> Iterator[IO[bytes]]:
    # No O_CREAT, no O_TRUNC: what is there is written to, not made anew. (Opening a FIFO
    # waits for its reader, as a shell's redirection does.)
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputFileError(path, f"cannot be written: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as f:
        yield f
        with writing(path):
            f.flush()


@contextmanager
def _replacing(target: Path, existing: os.stat_result | None, name: str) -> Iterator[IO[bytes]]:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputFileError(name, f"cannot be written: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            with writing(name):
                f.flush()
                os.fsync(f.fileno())
        _take_over(tmp, existing)
        with writing(name):
            Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _take_over(tmp: str, existing: os.stat_result | None) -> None:
    """Give the temporary file the mode of the file it replaces (mkstemp makes it 0600),
    or the mode a new file would have; and the replaced file's owner when allowed."""
    if existing is None:
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        return
    if hasattr(os, "chown"):
        # Only the superuser may give a file away; anyone else keeps their own. (Before
        # the mode: a change of owner clears the set-user-ID and set-group-ID bits.)
        with contextlib.suppress(OSError):
            os.chown(tmp, existing.st_uid, existing.st_gid)
    Path(tmp).chmod(stat.S_IMODE(existing.st_mode))
