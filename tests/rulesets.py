"""Build small rule directories in a temporary folder, each broken (or not) on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: A seed pointer that resolves in the seed index :func:`write_rules` writes beside the rules.
SEED = "seed: demo 01"
SOURCE = [{"ref": SEED, "confidence": "seed"}]
SEED_INDEX = {"tours": [{"id": "demo", "title": "demo", "statements": {"01": "the demo"}}]}


def step(step_id: str, *, optional: bool = False) -> dict[str, Any]:
    """A catalogue step with the fields the model requires."""
    return {
        "id": step_id,
        "title": step_id,
        "actors": ["publisher"],
        "description": step_id,
        "sources": SOURCE,
        "optional": optional,
    }


def journey(
    journey_id: str = "demo",
    steps: tuple[str, ...] = ("a", "b"),
    *,
    variants: tuple[str, ...] = (),
    prerequisites: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A catalogue journey whose steps are ``<journey>.<name>``."""
    return {
        "id": journey_id,
        "title": journey_id,
        "description": journey_id,
        "actors": ["publisher"],
        "sources": SOURCE,
        "variants": [{"id": v, "title": v} for v in variants],
        "prerequisites": [{"id": f"{journey_id}.{p}", "title": p} for p in prerequisites],
        "steps": [step(f"{journey_id}.{s}") for s in steps],
    }


def rule(
    rule_id: str, then: dict[str, Any], when: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A rule with a text, a source and a confidence tag (unless ``extra`` overrides them)."""
    out: dict[str, Any] = {"id": rule_id, "text": rule_id, "source": SEED, "confidence": "seed"}
    if when is not None:
        out["when"] = when
    out["then"] = then
    out.update(extra)
    return {k: v for k, v in out.items() if v is not None}


APPLIES = rule(
    "demo.applies",
    {"journey": "demo", "status": "applies"},
    {"field": "processes_health_data", "is": True},
)
NOT_APPLICABLE = rule(
    "demo.not-applicable",
    {"journey": "demo", "status": "not_applicable"},
    {"field": "processes_health_data", "is": False},
)


def write_rules(
    root: Path, rules: list[dict[str, Any]], journeys: list[dict[str, Any]] | None = None
) -> Path:
    """Write ``ruleset.yaml``, one folder per journey and all ``rules`` in the first one."""
    journeys = journeys if journeys is not None else [journey()]
    root.mkdir(parents=True, exist_ok=True)
    head = {"name": "test", "version": "1", "journeys": [j["id"] for j in journeys]}
    (root / "ruleset.yaml").write_text(yaml.safe_dump(head), encoding="utf-8")
    (root / "seed.yaml").write_text(yaml.safe_dump(SEED_INDEX), encoding="utf-8")
    for j in journeys:
        folder = root / j["id"]
        folder.mkdir(exist_ok=True)
        (folder / "journey.yaml").write_text(
            yaml.safe_dump({"journey": j}, sort_keys=False), encoding="utf-8"
        )
    (root / journeys[0]["id"] / "rules.yaml").write_text(
        yaml.safe_dump({"rules": rules}, sort_keys=False), encoding="utf-8"
    )
    return root


def write_cases(root: Path, cases: list[dict[str, Any]], journey_id: str = "demo") -> None:
    """Write ``<journey>/rules.test.yaml`` beside the rules."""
    (root / journey_id / "rules.test.yaml").write_text(
        yaml.safe_dump({"cases": cases}, sort_keys=False), encoding="utf-8"
    )
