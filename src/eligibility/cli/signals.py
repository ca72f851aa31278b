"""Stopping on a signal: clean up on the way out, then exit with 128 + the signal's number.

By default Python ends at once on SIGTERM or SIGHUP, leaving ``-o``'s temporary file and
a ``--workers`` pool behind, and turns SIGINT into KeyboardInterrupt, which click reports
as "Aborted!" with exit status 1. While :func:`stopping_cleanly` is in force, each of
:data:`STOPPING` raises :class:`Stopped` in the main thread instead: every ``with`` and
``finally`` on the way out runs (the temporary file is removed, the pool is shut down, an
audit transaction not committed is rolled back), and :func:`exit_status` gives the status
a shell shows for a process that signal killed (130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

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


def _stop(signum: int, _frame: FrameType | None) -> None:
    # One clean-up, run to its end: a second signal (^C pressed twice) would cut it short.
    for s in STOPPING:
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stopping_cleanly() -> Iterator[None]:
    """Within the block, a signal of :data:`STOPPING` raises :class:`Stopped` (main thread
    only: Python runs signal handlers there); the previous handlers come back after."""
    previous = {s: signal.signal(s, _stop) for s in STOPPING}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
