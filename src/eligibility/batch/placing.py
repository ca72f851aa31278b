"""Output laid out by offset, so a worker process can write its rows' bytes itself.

With several workers, a row evaluated by a child process has tens of kilobytes of output
(about 60 KB of JSON with the trace). Carried back to the main process, only to be written
out, those bytes cost the main process a good part of the time it could spend evaluating.
When the output takes positional writes (a regular file, or a device such as
``/dev/null``, not opened for appending), the main process lays the output out instead: a
:class:`PositionalWriter` writes the main process's own bytes at their offsets and, for a
:class:`Remote` piece (a child's bytes), only keeps the room and tells the child where its
bytes go; the child writes them there (:mod:`eligibility.batch.workers`). The file has gaps until
then, and every one is filled before the run ends: the children are stopped, and stop only
after their last writes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Sequence
from typing import IO, Protocol, Self

from eligibility.decision.pieces import Parts
from eligibility.errors import EngineError
from eligibility.output.guard import writing

#: Bytes of the main process's own output gathered before one positional write.
BUFFER_BYTES = 1 << 16

#: Whether a child process can write into an output by offset on this platform (POSIX,
#: with ``pwritev``: Linux, macOS 11 and later, the BSDs; not Windows).
POSITIONAL = hasattr(os, "pwritev") and sys.platform != "win32"

# The most buffers one pwritev takes (POSIX's IOV_MAX; Linux's is 1024).
_IOV_MAX = min(os.sysconf("SC_IOV_MAX"), 1024) if POSITIONAL else 1024


class Placer(Protocol):
    """Whatever holds a remote piece's bytes: it writes them where it is told."""

    def place(self, key: tuple[int, int, int], sink: PositionalWriter, offset: int, /) -> None:
        """Have the bytes known by ``key`` written into ``sink`` at ``offset``."""
        ...

    def written(self) -> bool:
        """Whether every piece placed so far has been written (it is done writing)."""
        ...


class Remote:
    """Output bytes held by the process that made them: how many, and who writes them."""

    __slots__ = ("key", "placer", "size")

    def __init__(self, size: int, placer: Placer, key: tuple[int, int, int]) -> None:
        self.size = size
        self.placer = placer
        self.key = key

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"Remote({self.size} bytes, {self.key})"


#: What a portfolio document yields and a writer takes: bytes, bytes in pieces (written
#: without joining them where they can be), or a child's bytes to place.
Output = bytes | Parts | Remote


def size(data: Output) -> int:
    """How many bytes a piece of output holds."""
    return sum(map(len, data)) if isinstance(data, Parts) else len(data)


def placeable(out: IO[bytes]) -> bool:
    """Whether ``out`` takes positional writes from any process holding its descriptor.

    A regular file or a seekable device, not opened for appending (``O_APPEND`` would make
    every positional write an append); not a pipe, socket or terminal, nor an in-memory
    file; nothing where the platform cannot (:data:`POSITIONAL`).
    """
    if not POSITIONAL:
        return False
    import fcntl  # POSIX only

    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return False
    try:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND:
            return False
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
            return False
        os.lseek(fd, 0, os.SEEK_CUR)  # a terminal is a character device, but does not seek
    except OSError:
        return False
    return True


class PositionalWriter:
    """Writes bytes, and has :class:`Remote` pieces written, one after the other, by offset.

    It starts where ``out``'s descriptor stands (after flushing ``out``), and :meth:`close`
    leaves the descriptor at the end of what was laid out, so whatever is written to it
    next follows, as after ordinary writes. A block that ends with an exception does the
    same (the output stops where the run did, as with plain writes) when every piece
    placed was written; otherwise the output would have gaps where a child never wrote,
    and it is taken back (:meth:`withdraw`). ``name`` names the output in error messages.
    """

    def __init__(self, out: IO[bytes], name: str) -> None:
        out.flush()
        self.fd = out.fileno()
        self.name = name
        self.start = self.offset = os.lseek(self.fd, 0, os.SEEK_CUR)
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._placers: set[Placer] = set()

    def write(self, data: Output) -> None:
        """Lay out the next piece of output."""
        if isinstance(data, Remote):
            self.flush()
            self._placers.add(data.placer)
            data.placer.place(data.key, self, self.offset)
            self.offset += data.size
            return
        if isinstance(data, Parts):  # written as they are, by one gathering system call
            self._buffer += data
            self._buffered += sum(map(len, data))
        else:
            self._buffer.append(data)
            self._buffered += len(data)
        if self._buffered >= BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the bytes gathered so far at their offset."""
        if not self._buffered:
            return
        at = self.offset
        self.offset += self._buffered
        buffer, self._buffer, self._buffered = self._buffer, [], 0
        write_at(self.fd, buffer, at, self.name)

    def close(self) -> None:
        """Write what is gathered and leave the descriptor at the end of the output."""
        self.flush()
        os.lseek(self.fd, self.offset, os.SEEK_SET)

    def withdraw(self) -> None:
        """Take back all the output (a failed run): cut the file back to where it started.

        Whoever else writes into it (child processes) must have stopped.
        """
        with contextlib.suppress(OSError):  # a device cannot be cut: nothing stays on it
            os.ftruncate(self.fd, self.start)
        os.lseek(self.fd, self.start, os.SEEK_SET)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None or all(p.written() for p in self._placers):
            self.close()
        else:
            self.withdraw()


class StreamWriter:
    """Writes bytes to an output that takes them one after the other only (a pipe, a
    terminal, an in-memory file): there, every byte must come through this process."""

    def __init__(self, out: IO[bytes], name: str) -> None:
        self.out = out
        self.name = name

    def write(self, data: Output) -> None:
        """Write the next piece of output.

        Raises:
            InputFileError: the write failed (no room left, an input/output error); a
                reader gone (``| head``) stays a BrokenPipeError, which click ends quietly.
        """
        if isinstance(data, Remote):  # the caller asked for placing where it cannot be
            raise EngineError("a worker's output cannot be placed in a stream")
        with writing(self.name):
            self.out.write(b"".join(data) if isinstance(data, Parts) else data)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        with writing(self.name):
            self.out.flush()


def writer_for(out: IO[bytes], name: str, place: bool) -> PositionalWriter | StreamWriter:
    """What writes a document to ``out``: by offset when workers ``place`` their rows in it
    (``out`` must then be :func:`placeable`), else as a stream. ``name`` is for errors."""
    return PositionalWriter(out, name) if place else StreamWriter(out, name)


def write_at(fd: int, buffers: Sequence[bytes | memoryview], offset: int, name: str) -> None:
    """Write the buffers one after the other at ``offset`` (all of them, however many).

    Raises:
        InputFileError: the write failed (no room left, an input/output error).
    """
    with writing(name):
        if not POSITIONAL:  # only this process writes here (see placeable): seek, then write
            _write_from(fd, buffers, offset)
            return
        pending = buffers
        while pending:
            batch = pending[:_IOV_MAX]
            written = os.pwritev(fd, batch, offset)
            offset += written
            if written == sum(map(len, batch)):  # the usual case: every byte at once
                pending = pending[len(batch) :]
                continue
            done = 0  # a short write: on from the first byte not written
            while written >= len(batch[done]):
                written -= len(batch[done])
                done += 1
            pending = [memoryview(batch[done])[written:], *pending[done + 1 :]]


def _write_from(fd: int, buffers: Sequence[bytes | memoryview], offset: int) -> None:
    os.lseek(fd, offset, os.SEEK_SET)
    for buffer in buffers:
        view = memoryview(buffer)
        while view:
            view = view[os.write(fd, view) :]
