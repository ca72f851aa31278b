"""Audit fixtures: a store on each backend (PostgreSQL when ELIGIBILITY_TEST_PG is set)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from eligibility.audit.backend import open_store
from eligibility.audit.record import RecordSettings, record_content
from eligibility.audit.sql import SqlStore
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.profile.files import read_profile
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet
from tests.conftest import PROFILES

PG_DSN = os.environ.get("ELIGIBILITY_TEST_PG")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_DSN, reason="ELIGIBILITY_TEST_PG is not set"),
    ),
]


@contextmanager
def sqlite_db(path: str | Path, **kwargs: Any) -> Iterator[sqlite3.Connection]:
    """A plain SQLite connection, committed when the block succeeds, and always closed.

    ``with sqlite3.connect(...)`` commits but does not close, and Python 3.13 warns about
    every connection left to the garbage collector.
    """
    conn = sqlite3.connect(path, **kwargs)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def with_schema(dsn: str, schema: str) -> str:
    """The DSN with a search path: each test gets its own schema of the test database."""
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, not yet created store lives: a SQLite file or a PostgreSQL schema."""
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


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    """A fresh, created store on each backend."""
    with open_store(store_url, create=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def fixture_decisions(evaluator: Evaluator) -> list[tuple[Profile, Decision]]:
    """Every shipped fixture profile with its decision (durable engine, with trace)."""
    profiles = [read_profile(str(p)) for p in PROFILES]
    return [(p, evaluator.evaluate(p)) for p in profiles]


def contents(
    pairs: list[tuple[Profile, Decision]],
    ruleset: RuleSet,
    mask_key: bytes | None = None,
    **settings: Any,
) -> list[dict[str, Any]]:
    """Record contents for some decisions (settings: labels, actor, mask)."""
    rs = RecordSettings("unused", **settings)
    return [record_content(p, d, ruleset, rs, "durable", mask_key=mask_key) for p, d in pairs]
