"""Shared fixtures: the shipped ruleset, evaluators for both engines, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.decision.evaluator import Evaluator
from eligibility.rules.loader import RuleSet, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
FIXTURES = ROOT / "fixtures"
PROFILES = sorted((FIXTURES / "profiles").glob("*.yaml"))
INVALID = sorted((FIXTURES / "invalid").glob("*"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The shipped rules, loaded once."""
    return load_ruleset(RULES)


@pytest.fixture(scope="session")
def evaluator(ruleset: RuleSet) -> Evaluator:
    """The durable-rules evaluator, built once per test session."""
    return Evaluator(ruleset, "durable")


@pytest.fixture(scope="session")
def interpreter(ruleset: RuleSet) -> Evaluator:
    """The plain-Python evaluator of the same rules."""
    return Evaluator(ruleset, "python")


@pytest.fixture
def runner() -> CliRunner:
    """A click runner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture(scope="session")
def seed_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's four journeys alone, as a rules directory (see tests/seed_rules.py)."""
    from tests.seed_rules import seed_rules_dir

    return seed_rules_dir(tmp_path_factory.mktemp("seed") / "rules")


@pytest.fixture(scope="session")
def seed_ruleset(seed_rules: Path) -> RuleSet:
    """The seed catalogue, loaded once."""
    return load_ruleset(seed_rules)


#: Headless Chromium flags that work as root in a container: no sandbox, no GPU, nothing
#: fetched from outside (the browser tests of the report and of the web questionnaire).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
