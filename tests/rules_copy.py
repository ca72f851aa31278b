"""A writable copy of the shipped rules, for tests that break one file on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import RULES


def copy_rules(tmp_path: Path) -> Path:
    """Copy ``rules/`` under ``tmp_path`` and return the copy's root."""
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
