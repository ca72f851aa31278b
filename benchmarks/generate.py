"""Generate plausible product profiles for benchmarks (deterministic for a seed).

Profiles follow a few archetypes of the field (hospital systems, labs, imaging, ROR tools,
patient apps) so that the rules work as on real portfolios; a small share of answers is
left unknown.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from eligibility.profile.model import FIELDS

ARCHETYPES: list[dict[str, Any]] = [
    {
        "categories": ["GAP_GAM"],
        "processes_health_data": True,
        "is_identity_repository": True,
        "storage_role": "operational",
        "ror_roles": [],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["DPI"],
        "processes_health_data": True,
        "is_identity_repository": True,
        "storage_role": "operational",
        "ror_roles": ["supplier"],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["SGL"],
        "processes_health_data": True,
        "is_identity_repository": False,
        "storage_role": "operational",
        "ror_roles": [],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["PACS"],
        "processes_health_data": True,
        "is_identity_repository": False,
        "storage_role": "archive",
        "ror_roles": [],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["ORIENTATION_TOOL"],
        "processes_health_data": False,
        "ror_roles": ["consumer"],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["BED_MANAGEMENT"],
        "processes_health_data": False,
        "ror_roles": ["supplier", "consumer"],
        "targets_mes_catalog": False,
    },
    {
        "categories": ["PATIENT_APP"],
        "processes_health_data": True,
        "is_identity_repository": True,
        "storage_role": "operational",
        "ror_roles": [],
        "targets_mes_catalog": True,
    },
    {
        "categories": ["PATIENT_APP"],
        "processes_health_data": False,
        "ror_roles": [],
        "targets_mes_catalog": True,
    },
]


def _random_value(rng: random.Random, name: str) -> Any:
    spec = FIELDS[name]
    if spec.kind == "bool":
        return rng.random() < 0.5
    if spec.kind == "list":
        return [v for v in spec.values if rng.random() < 0.4]
    return rng.choice(spec.values)


def generate_profiles(
    n: int, seed: int = 2026, unknown_rate: float = 0.05
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` raw profiles (dicts ready for ``parse_profile``), lazily."""
    rng = random.Random(seed)
    for i in range(n):
        base = rng.choice(ARCHETYPES)
        profile: dict[str, Any] = {"id": f"gen-{i:06d}"}
        for name in FIELDS:
            if rng.random() < unknown_rate:
                continue
            profile[name] = base[name] if name in base else _random_value(rng, name)
        yield profile
