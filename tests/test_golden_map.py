"""The plans and decisions of the issue-7 fixtures match their checked-in golden files.

A deliberate change regenerates them: ``.venv/bin/python -m tests.map_golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from tests.map_golden import ROOT, expected

CASES = [(path, content) for path, content in expected(Evaluator(engine="python"))]


@pytest.mark.parametrize(
    ("path", "content"),
    CASES,
    ids=[str(p.relative_to(ROOT / "tests" / "golden")) for p, _ in CASES],
)
def test_output_matches_the_golden_file(path: Path, content: str) -> None:
    """Byte for byte, with the interpreter (the durable engine wrote the file)."""
    assert path.is_file(), "missing golden file: run python -m tests.map_golden"
    assert path.read_text(encoding="utf-8") == content


def test_the_durable_engine_gives_the_same_files(evaluator: Evaluator) -> None:
    """Both engines produce the golden files (checked on the whole-product plans)."""
    for path, content in expected(evaluator):
        if path.parent.name == "plans":
            assert path.read_text(encoding="utf-8") == content
