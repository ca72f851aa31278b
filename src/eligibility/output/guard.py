"""Writing output: a failed write becomes an error naming the output, wherever it happens.

:func:`writing` is the one guard: an ``OSError`` raised while writing (no room left on the
device, an input/output error) becomes an :class:`~eligibility.errors.InputFileError`
naming the output (``<stdout>`` for standard output), which the command line reports as
``Error: <stdout>: cannot be written: No space left on device`` with exit status 1. A
reader gone (``| head``) stays a ``BrokenPipeError``, which click ends quietly.

:class:`GuardedOutput` puts that guard around every write to a stream, so standard output
is guarded whoever writes to it (a command's result, click's help text).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from eligibility.errors import InputFileError


@contextlib.contextmanager
def writing(name: str) -> Iterator[None]:
    """Turn a failed write into an InputFileError naming the output ``name``; a reader
    gone (``| head``) stays a BrokenPipeError, which click ends quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputFileError(name, f"cannot be written: {exc.strerror or exc}") from None


class GuardedOutput:
    """A text or binary stream whose writes go through :func:`writing`.

    It stands in for ``sys.stdout`` while a command runs: its ``buffer`` (the bytes under
    the text) is guarded too, and anything else is the stream's own. :meth:`discard` ends
    its use after a failed write: whatever is still buffered would fail again when the
    process exits and print a second error.
    """

    def __init__(self, stream: Any, name: str, _failed: list[bool] | None = None) -> None:
        self._stream = stream
        self._name = name
        self._failed = [False] if _failed is None else _failed  # shared with the buffer's

    @property
    def failed(self) -> bool:
        """Whether a write (or a flush) failed, through this stream or its buffer."""
        return self._failed[0]

    @property
    def buffer(self) -> Any:
        """The binary stream under a text one, guarded the same way."""
        return GuardedOutput(self._stream.buffer, self._name, self._failed)

    def write(self, data: Any) -> Any:
        """Write ``data`` (see the class docstring for a failure)."""
        with self._guard():
            return self._stream.write(data)

    def writelines(self, lines: Any) -> None:
        """Write each line."""
        with self._guard():
            self._stream.writelines(lines)

    def flush(self) -> None:
        """Flush the stream."""
        with self._guard():
            self._stream.flush()

    def discard(self) -> None:
        """Point the stream's descriptor at the null device (by ``dup2``, as a shell's ``>
        /dev/null`` does; the device itself is never opened for replacing), so that what is
        still buffered goes nowhere instead of failing again when the process exits."""
        with contextlib.suppress(AttributeError, OSError, ValueError):
            fd = self._stream.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            with writing(self._name):
                yield
        except InputFileError:
            self._failed[0] = True
            raise
