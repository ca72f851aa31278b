"""A writable copy of the rules, for tests that break or change one file on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import RULES


def copy_rules(tmp_path: Path, source: Path = RULES) -> Path:
    """Copy a rules directory (the shipped ``rules/``) under ``tmp_path``; return the copy."""
    root = tmp_path / "rules"
    shutil.copytree(source, root)
    return root


def copy_with_gam_rule(tmp_path: Path, source: Path = RULES) -> Path:
    """A copy of the rules where a patient-administration system (GAM) always needs the
    INS: a rule reading the categories, first in ``ins/rules.yaml`` (the first rule that
    holds wins)."""
    root = copy_rules(tmp_path, source)
    path = root / "ins" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"].insert(
        0,
        {
            "id": "ins.applies.gam",
            "text": "A GAM handles identified patients.",
            "source": "seed",
            "confidence": "seed",
            "when": {"field": "categories", "contains": "GAP_GAM"},
            "then": {"journey": "ins", "status": "applies"},
        },
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
