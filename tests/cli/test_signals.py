"""Stopping on a signal, in this process: the exception, and writes that end whole."""

from __future__ import annotations

import io
import os
import signal
import sys

import pytest

from eligibility.cli.signals import Stopped, WholeWrites, held, stopping_cleanly

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals sent to itself")


class _ShortWriter(io.BytesIO):
    """A stream that takes at most 3 bytes a write, as one interrupted mid-write may."""

    def write(self, data: object) -> int:
        return super().write(bytes(data)[:3])  # type: ignore[call-overload]


def test_a_write_given_fewer_bytes_than_asked_writes_the_rest() -> None:
    """Every byte reaches the stream, however few each of its writes takes."""
    out = _ShortWriter()
    assert WholeWrites(out).write(b"a decision\n") == 11
    assert out.getvalue() == b"a decision\n"


def test_a_signal_during_a_write_is_acted_on_when_the_write_ends() -> None:
    """SIGTERM while writing: the write goes to its end, then the run stops (Stopped)."""
    done = []
    with stopping_cleanly(), pytest.raises(Stopped) as stopped, held():
        os.kill(os.getpid(), signal.SIGTERM)
        done.append("the write went on")
    assert done == ["the write went on"]
    assert stopped.value.exit_status() == 143


def test_a_second_signal_during_a_write_stops_at_once() -> None:
    """A write that does not end (a reader that takes nothing) can still be stopped."""
    done = []
    with stopping_cleanly(), pytest.raises(Stopped) as stopped, held():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        done.append("never")
    assert done == []
    assert stopped.value.exit_status() == 130


def test_outside_a_write_a_signal_stops_at_once() -> None:
    """Between writes nothing waits."""
    with stopping_cleanly(), pytest.raises(Stopped, match="SIGTERM"):
        os.kill(os.getpid(), signal.SIGTERM)
