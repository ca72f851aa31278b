"""The store's schema, as the list of steps that build it (the same SQL on both backends).

``MIGRATIONS[n]`` brings a store from version ``n`` to ``n + 1``; the store runs each step in
its own transaction under its write lock and then records the new version in ``meta``.
Never edit a released step: add one.

- 1: the first schema: ``meta``, ``rulesets`` (by content hash) and ``records`` (the whole
  record as canonical JSON in ``body``, with its chain hashes).
- 2: columns and indexes for listing by product, ruleset and date, and the chain's head in
  ``meta`` so that removing the last records shows.
- 3: the store's id in ``meta`` (named by its checkpoints), a ``secrets`` table holding the
  key that masks fields, and kept rulesets reduced to their hashed canonical model (the
  file each rule came from was covered by no hash, and nothing reads it).
"""

from __future__ import annotations

import secrets
import uuid
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


def new_store_id() -> str:
    """A fresh store id: random, so that two stores never share one."""
    return uuid.uuid4().hex


def new_mask_key() -> str:
    """A fresh masking key (256 random bits, hexadecimal)."""
    return secrets.token_hex(32)


def _store_id_secrets_and_bare_rulesets(execute: Execute, _table_exists: TableExists) -> None:
    execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (new_store_id(),))
    # Apart from the records and the metadata, so that a database can grant reading the
    # log without the key (PostgreSQL: GRANT SELECT on records, rulesets and meta only).
    execute("CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)", ())
    execute("INSERT INTO secrets (name, value) VALUES ('mask_key', ?)", (new_mask_key(),))
    for ruleset_hash, body in execute("SELECT hash, body FROM rulesets", ()).fetchall():
        try:
            bare = {"canonical": orjson.loads(body)["canonical"]}
        except (orjson.JSONDecodeError, KeyError, TypeError):
            continue  # not a kept ruleset any more: verify names it
        execute(
            "UPDATE rulesets SET body = ? WHERE hash = ?",
            (orjson.dumps(bare, option=orjson.OPT_SORT_KEYS).decode(), ruleset_hash),
        )


MIGRATIONS: list[Callable[[Execute, TableExists], None]] = [
    _first_schema,
    _listing_columns_and_head,
    _store_id_secrets_and_bare_rulesets,
]
CURRENT_VERSION = len(MIGRATIONS)
