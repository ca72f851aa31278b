"""The seed's four journeys alone, as a rules directory: for tests whose expectations are
written against that catalogue (the questionnaire's flows count questions, for instance)
and must not change each time the catalogue grows."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from eligibility.i18n.translation import catalogue_texts, read_locale
from eligibility.rules.loader import load_ruleset
from tests.conftest import RULES

SEED_JOURNEYS = ("ror-supplier", "ror-consumer", "mes-referencing", "ins")


def seed_rules_dir(target: Path) -> Path:
    """Write the seed catalogue (its journeys, questions, used shared steps) under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for journey in SEED_JOURNEYS:
        shutil.copytree(RULES / journey, target / journey)
        path = target / journey / "journey.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["journey"].pop("depends_on", None) is not None:  # on journeys left out
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    for extra in ("questions.yaml", "schema.json", "journey.schema.json", "cases.schema.json"):
        if (RULES / extra).exists():
            shutil.copy(RULES / extra, target / extra)
    head = yaml.safe_load((RULES / "ruleset.yaml").read_text(encoding="utf-8"))
    head["journeys"] = list(SEED_JOURNEYS)
    (target / "ruleset.yaml").write_text(yaml.safe_dump(head, sort_keys=False), encoding="utf-8")
    used = {
        step["shared"]
        for journey in SEED_JOURNEYS
        for step in yaml.safe_load((RULES / journey / "journey.yaml").read_text("utf-8"))[
            "journey"
        ]["steps"]
        if "shared" in step
    }
    shared = yaml.safe_load((RULES / "shared-steps.yaml").read_text(encoding="utf-8"))
    kept = [s for s in shared["shared_steps"] if s["id"] in used]
    for s in kept:
        s["prerequisites"] = [p for p in s.get("prerequisites", []) if p in used]
    (target / "shared-steps.yaml").write_text(
        yaml.safe_dump({"shared_steps": kept}, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    _write_french(target)
    return target


def _write_french(target: Path) -> None:
    """Keep the French texts of what the seed catalogue still has."""
    wanted = catalogue_texts(load_ruleset(target))
    french = read_locale(RULES / "locales" / "fr.yaml")
    tree: dict[str, Any] = {}
    for key in wanted:
        node = tree
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = french[key]
    (target / "locales").mkdir()
    (target / "locales" / "fr.yaml").write_text(
        yaml.safe_dump(_lists(tree), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def _lists(node: Any) -> Any:
    """Nested mappings back to YAML shape: a mapping keyed 0, 1, ... is a list."""
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_lists(node[str(i)]) for i in range(len(node))]
    return {k: _lists(v) for k, v in node.items()}
