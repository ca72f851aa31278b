"""YAML reading through libyaml when it is there (several times faster), safely either way."""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse one YAML document with the safe loader (no object construction from tags)."""
    return yaml.load(text, Loader=_Loader)  # a safe loader, C or Python
