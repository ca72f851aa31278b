"""JSON Schemas of the rule files, generated from the rule model for editor completion.

``python -m eligibility.rules.schema [DIR]`` writes them into ``rules/`` (or DIR); a test
fails when the checked-in files differ from what the model gives.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eligibility.rules.loader import DEFAULT_RULES_DIR
from eligibility.rules.model import JourneyFile, RuleCaseFile, RuleFile, SeedFile, SharedStepFile

SCHEMAS: dict[str, type[Any]] = {
    "schema.json": RuleFile,
    "journey.schema.json": JourneyFile,
    "cases.schema.json": RuleCaseFile,
    "shared-steps.schema.json": SharedStepFile,
    "seed.schema.json": SeedFile,
}


def schema_text(name: str) -> str:
    """The JSON Schema of one kind of rule file, as stable, indented text."""
    schema = SCHEMAS[name].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path = DEFAULT_RULES_DIR) -> list[Path]:
    """Write every schema into ``directory``; return the paths written."""
    written = []
    for name in SCHEMAS:
        path = directory / name
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RULES_DIR
    for path in write_schemas(target):
        print(f"wrote {path}")
