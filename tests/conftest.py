"""Shared fixtures: the shipped ruleset, evaluators for both engines, the CLI runner, an
audit store's place on each backend (PostgreSQL when ELIGIBILITY_TEST_PG is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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
#: The answers after which `ask` (and the web questionnaire) asks the Mon espace santé
#: purposes next, with the catalogue listing as a tick.
BEFORE_MES = {
    "ror_roles": [],
    "processes_health_data": True,
    "seeks_segur_referencing": False,
    "mssante_roles": [],
    "is_medical_device": False,
}

PG_DSN = os.environ.get("ELIGIBILITY_TEST_PG")
#: The audit store's backends, for ``store_url`` (PostgreSQL skipped without a DSN).
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_DSN, reason="ELIGIBILITY_TEST_PG is not set"),
    ),
]


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


def with_schema(dsn: str, schema: str) -> str:
    """The DSN with a search path: each test gets its own schema of the test database."""
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, not yet created audit store lives: a SQLite file or a schema of the
    test PostgreSQL database (dropped after the test)."""
    if request.param == "sqlite":
        yield str(tmp_path / "audit.sqlite")
        return
    import psycopg

    assert PG_DSN is not None
    schema = f"audit_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(PG_DSN, schema)
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
