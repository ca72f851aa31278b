"""The compiled durable-rules networks respect durable's pitfalls (engine notes, §8)."""

from __future__ import annotations

from typing import Any

from eligibility.rules.compiler import compile_networks, partition
from eligibility.rules.loader import RuleSet


def _patterns(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for rule in definition.values() for p in rule["all"]]


def test_every_pattern_starts_with_a_positive_discriminator(ruleset: RuleSet) -> None:
    """No pattern can match durable's session-state object (which loops forever)."""
    for definition in compile_networks(ruleset):
        for pattern in _patterns(definition):
            (expr,) = pattern.values()
            first = expr["$and"][0] if "$and" in expr else expr
            assert set(first) == {"t"}


def test_no_negation_and_no_correlated_join(ruleset: RuleSet) -> None:
    """`$not` (order-sensitive) and cross-fact comparisons (a known segfault) are never used."""
    text = repr(compile_networks(ruleset))
    assert "$not" not in text and "'$m'" not in text


def test_priorities_are_stages_within_durables_range(ruleset: RuleSet) -> None:
    """pri is an unsigned short: stages stay small and non-negative."""
    for definition in compile_networks(ruleset):
        assert all(0 <= rule["pri"] < 100 for rule in definition.values())


def test_every_rule_is_in_a_network(ruleset: RuleSet) -> None:
    """Partitioning by journey loses no rule."""
    assert {rid for group in partition(ruleset) for rid in group} == {r.id for r in ruleset.rules}
