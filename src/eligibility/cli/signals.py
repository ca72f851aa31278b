"""Stopping on a signal: clean up on the way out, then exit with 128 + the signal's number.

By default Python ends at once on SIGTERM or SIGHUP, leaving ``-o``'s temporary file and
a ``--workers`` pool behind, and turns SIGINT into KeyboardInterrupt, which click reports
as "Aborted!" with exit status 1. While :func:`stopping_cleanly` is in force, each of
:data:`STOPPING` raises :class:`Stopped` in the main thread instead: every ``with`` and
``finally`` on the way out runs (the temporary file is removed, the pool is shut down, an
audit transaction not committed is rolled back), and :func:`exit_status` gives the status
a shell shows for a process that signal killed (130 for SIGINT, 143 for SIGTERM).

A signal that comes while output is being written (:func:`held`, :class:`WholeWrites`)
waits until that write ends: Python acts on a signal in the middle of a large write (to a
pipe, which takes it in parts), and a handler that raised there would leave the rest
unwritten, a line of output cut short. A second signal then stops at once (a write that a
reader no longer takes could block for ever).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO

#: The signals that end a process by default and that people and systems send to stop one.
STOPPING = tuple(
    getattr(signal, name)
    for name in ("SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM")
    if hasattr(signal, name)  # Windows has SIGINT and SIGTERM only
)


class Stopped(BaseException):
    """A stopping signal arrived. A BaseException, as KeyboardInterrupt is, so that no
    ``except Exception`` takes it for an error and carries on."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    def exit_status(self) -> int:
        """128 + the signal's number, as shells report a process that signal killed."""
        return 128 + self.signum


# Writes under way (held) and the signal that came meanwhile, if one did.
_writing = 0
_pending: list[int] = []


def _stop(signum: int, _frame: FrameType | None) -> None:
    if _writing and not _pending:
        _pending.append(signum)  # acted on when the write ends
        return
    # One clean-up, run to its end: a second signal (^C pressed twice) would cut it short.
    for s in STOPPING:
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(_pending[0] if _pending else signum)


@contextmanager
def held() -> Iterator[None]:
    """Within the block, a stopping signal waits until the block ends (a second one does
    not wait)."""
    global _writing
    _writing += 1
    try:
        yield
    finally:
        _writing -= 1
    if _pending and not _writing:
        _stop(_pending[0], None)


class WholeWrites:
    """A binary output each write and flush of which ends before a signal is acted on."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out

    def write(self, data: bytes, /) -> int:
        """Write ``data``, all of it, a signal or not."""
        rest = memoryview(data)
        with held():
            # A buffered stream interrupted by a signal mid-write may report fewer bytes
            # written than given (the rest neither written nor buffered): write the rest.
            while rest:
                rest = rest[self._out.write(rest) :]
        return len(data)

    def flush(self) -> None:
        """Flush the output, a signal or not."""
        with held():
            self._out.flush()


@contextmanager
def stopping_cleanly() -> Iterator[None]:
    """Within the block, a signal of :data:`STOPPING` raises :class:`Stopped` (main thread
    only: Python runs signal handlers there); the previous handlers come back after."""
    previous = {s: signal.signal(s, _stop) for s in STOPPING}
    try:
        yield
    finally:
        _pending.clear()
        for s, handler in previous.items():
            signal.signal(s, handler)
