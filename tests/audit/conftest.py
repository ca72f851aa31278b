"""Audit fixtures: a store on each backend (``store_url``, from tests/conftest.py), the
fixture profiles' decisions, record contents."""

from __future__ import annotations

import sqlite3
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
