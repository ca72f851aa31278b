"""Atomic output files: complete or untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eligibility.errors import InputFileError
from eligibility.output.atomic import atomic_output


def test_file_appears_complete_with_the_usual_mode(tmp_path: Path) -> None:
    """The bytes are in place after the block, with the mode a new file gets (umask applied)."""
    target = tmp_path / "out.txt"
    with atomic_output(str(target)) as f:
        f.write(b"line 1\n")
        assert not target.exists()  # nothing at the target while writing
    assert target.read_text() == "line 1\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_interrupt_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """A KeyboardInterrupt mid-write leaves the previous content and no stray file."""
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), atomic_output(str(target)) as f:
        f.write(b"half")
        raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    """Writing into a directory that does not exist is reported, not a traceback."""
    with (
        pytest.raises(InputFileError, match="cannot be written"),
        atomic_output(str(tmp_path / "no" / "out.txt")),
    ):
        pass
