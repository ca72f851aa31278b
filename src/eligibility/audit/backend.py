"""Open an audit store: the back end its location names (a file path or a URL)."""

from __future__ import annotations

import re
from pathlib import Path

from eligibility.audit.sql import SqlStore
from eligibility.audit.store import DEFAULT_TIMEOUT, default_store, redact
from eligibility.errors import StoreError


def open_store(
    spec: str | Path | None = None, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> SqlStore:
    """Open an audit store: a SQLite file path or a ``postgresql://`` URL.

    Args:
        spec: where the store is (default: :func:`default_store`).
        create: create the store (file, tables) when it does not exist yet.
        timeout: seconds to wait for another writer's lock.

    Raises:
        StoreError: missing (and not ``create``), locked, corrupted, newer schema,
            unreachable server, unsupported URL.
    """
    text = str(spec) if spec is not None else default_store()
    if re.match(r"^postgres(ql)?://", text):
        from eligibility.audit.postgres import PostgresStore  # psycopg only when needed

        return PostgresStore(text, create=create, timeout=timeout)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        scheme = text.split("://", 1)[0]
        raise StoreError(
            redact(text),
            f"unsupported store URL scheme {scheme!r}; use a "
            "file path (SQLite) or postgresql://user@host/db",
        )
    from eligibility.audit.sqlite import SqliteStore

    return SqliteStore(Path(text).expanduser(), create=create, timeout=timeout)
