"""The disk cache of compiled networks only ever saves time: same networks, or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.rules.cache import cache_key, compiled_networks
from eligibility.rules.compiler import compile_networks
from eligibility.rules.loader import RuleSet


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of this test's own."""
    monkeypatch.setenv("ELIGIBILITY_CACHE", str(tmp_path))
    return tmp_path


def test_a_cached_compilation_is_the_compilation(ruleset: RuleSet, cache: Path) -> None:
    """The first call writes the networks, the second reads them back identical."""
    first = compiled_networks(ruleset)
    assert list(cache.glob("networks-*.json"))
    assert compiled_networks(ruleset) == first == compile_networks(ruleset)


def test_a_corrupted_cache_file_is_recompiled(ruleset: RuleSet, cache: Path) -> None:
    """Garbage in the cache is ignored and replaced."""
    path = cache / f"networks-{cache_key(ruleset)}.json"
    path.write_text("{not json", encoding="utf-8")
    assert compiled_networks(ruleset) == compile_networks(ruleset)
    assert path.read_text(encoding="utf-8").startswith("[")


def test_caching_can_be_switched_off(
    ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ELIGIBILITY_CACHE=off writes nothing anywhere."""
    monkeypatch.setenv("ELIGIBILITY_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compiled_networks(ruleset) == compile_networks(ruleset)
    assert not list(tmp_path.rglob("*.json"))


def test_an_unwritable_cache_is_only_a_missed_saving(
    ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache path that cannot be created (a file is in the way) does not fail."""
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ELIGIBILITY_CACHE", str(blocker / "sub"))
    assert Evaluator(ruleset).ruleset is ruleset


def test_the_key_follows_the_rules(ruleset: RuleSet) -> None:
    """Another ruleset content gives another key."""
    from dataclasses import replace

    assert cache_key(replace(ruleset, hash="sha256:other")) != cache_key(ruleset)
