"""Hypothesis strategies for profiles, built from the field catalogue."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from eligibility.profile.model import FIELDS, FieldSpec, Profile, parse_profile


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "list":
        return st.lists(st.sampled_from(spec.values), unique=True).map(
            lambda vs: [v for v in spec.values if v in vs]
        )
    return st.sampled_from(spec.values)


@st.composite
def raw_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A profile as raw data: every field unknown (left out) or an allowed value."""
    data: dict[str, Any] = {"id": "generated"}
    for name, spec in FIELDS.items():
        value = draw(st.none() | _value(spec))
        if value is not None:
            data[name] = value
    return data


def profiles() -> st.SearchStrategy[Profile]:
    """Valid profiles with any mix of known and unknown fields."""
    return raw_profiles().map(parse_profile)
