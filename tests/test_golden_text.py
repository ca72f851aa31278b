"""The text views of every fixture match their checked-in golden files.

A deliberate change regenerates them: ``make golden`` (``python -m tests.text_golden``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from tests.text_golden import GOLDEN, expected

CASES = list(expected(Evaluator(engine="python")))


@pytest.mark.parametrize(("path", "content"), CASES, ids=[p.name for p, _ in CASES])
def test_text_matches_its_golden_file(path: Path, content: str) -> None:
    """Byte for byte, with the interpreter (the durable engine wrote the files)."""
    assert path.is_file(), "missing golden file: run make golden"
    assert path.read_text(encoding="utf-8") == content


def test_no_golden_text_is_left_over() -> None:
    """Every file of the folder is one the tool writes (a renamed fixture leaves none)."""
    assert {p.name for p in GOLDEN.glob("*.txt")} == {p.name for p, _ in CASES}
