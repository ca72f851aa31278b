"""The store's schema, as the list of steps that build it (the same SQL on both backends).

``MIGRATIONS[n]`` brings a store from version ``n`` to ``n + 1``; the store runs each step in
its own transaction under its write lock and then records the new version in ``meta``.
Never edit a released step: add one.

- 1: the first schema: ``meta``, ``rulesets`` (by content hash) and ``records`` (the whole
  record as canonical JSON in ``body``, with its chain hashes).
- 2: columns and indexes for listing by product, ruleset and date, and the chain's head in
  ``meta`` so that removing the last records shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

Execute = Callable[[str, Sequence[Any]], Any]
TableExists = Callable[[str], bool]


def _first_schema(execute: Execute, _table_exists: TableExists) -> None:
    execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", ())
    execute("INSERT INTO meta (key, value) VALUES ('schema_version', '0')", ())
    execute(
        "CREATE TABLE rulesets (hash TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "version TEXT NOT NULL, body TEXT NOT NULL)",
        (),
    )
    execute(
        "CREATE TABLE records (seq BIGINT PRIMARY KEY, decision_id TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, "
        "hash TEXT NOT NULL)",
        (),
    )


def _listing_columns_and_head(execute: Execute, _table_exists: TableExists) -> None:
    for column in ("profile_id", "ruleset_hash", "ruleset_version"):
        execute(f"ALTER TABLE records ADD COLUMN {column} TEXT", ())
    rows = execute("SELECT seq, body, hash FROM records ORDER BY seq", ()).fetchall()
    for seq, body, _ in rows:
        content = orjson.loads(body)
        execute(
            "UPDATE records SET profile_id = ?, ruleset_hash = ?, ruleset_version = ? "
            "WHERE seq = ?",
            (
                content["profile"]["id"],
                content["ruleset"]["hash"],
                content["ruleset"]["version"],
                seq,
            ),
        )
    execute("CREATE INDEX records_decision_id ON records (decision_id)", ())
    execute("CREATE INDEX records_profile_id ON records (profile_id)", ())
    execute("CREATE INDEX records_recorded_at ON records (recorded_at)", ())
    if rows:
        execute(
            "INSERT INTO meta (key, value) VALUES ('head_seq', ?), ('head_hash', ?)",
            (str(rows[-1][0]), rows[-1][2]),
        )


MIGRATIONS: list[Callable[[Execute, TableExists], None]] = [
    _first_schema,
    _listing_columns_and_head,
]
CURRENT_VERSION = len(MIGRATIONS)
