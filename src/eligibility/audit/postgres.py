"""The shared audit store: a PostgreSQL database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from eligibility.audit.sql import SqlStore
from eligibility.audit.store import DEFAULT_TIMEOUT, redact
from eligibility.errors import StoreError

LOCK_KEY = 0x656C6967  # advisory lock key of the store's write lock ("elig")


class PostgresStore(SqlStore):
    """The shared store: a PostgreSQL database (an advisory lock serialises appends)."""

    _placeholder = "%s"

    def __init__(self, url: str, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(redact(url))
        self.timeout = timeout
        import psycopg  # imported lazily: only PostgreSQL users pay for it

        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
        except psycopg.ProgrammingError as exc:
            raise StoreError(self.location, f"invalid PostgreSQL URL: {_first_line(exc)}") from None
        except psycopg.Error as exc:
            raise StoreError(
                self.location, f"cannot connect to PostgreSQL: {_first_line(exc)}"
            ) from None
        with self._closing_on_error(), self._errors():
            self._execute(f"SET lock_timeout = '{int(timeout * 1000)}ms'")
            # Records are ~20 kB of JSON: compressed with lz4 rather than the default pglz,
            # the server spends a fraction of the CPU on each (a server built without lz4
            # keeps pglz).
            with contextlib.suppress(psycopg.Error):
                self._execute("SET default_toast_compression = 'lz4'")
        self._prepare(create)

    # READ COMMITTED, PostgreSQL's default, takes a new snapshot for every statement.
    _snapshot_begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    def _begin(self) -> None:
        self._execute("BEGIN")

    def _lock(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (LOCK_KEY,))

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """A session lock taken *before* the transaction: PostgreSQL refreshes its catalog
        caches when a transaction starts, so a process that waited for another one's
        migration sees the tables it created (under a lock taken inside the transaction,
        a stale "no such table" would remain)."""
        with self._errors():
            self._execute("SELECT pg_advisory_lock(?)", (LOCK_KEY,))
        try:
            yield
        finally:
            with self._errors():
                self._execute("SELECT pg_advisory_unlock(?)", (LOCK_KEY,))

    def _table_exists(self, name: str) -> bool:
        # A catalog scan under the statement's snapshot, not a (possibly stale) cache lookup.
        row = self._execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relname = ? AND n.nspname = current_schema())",
            (name,),
        ).fetchone()
        return bool(row[0])

    def _translate(self, exc: Exception) -> StoreError | None:
        psycopg = self._psycopg
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return StoreError(
                self.location,
                f"is locked by another writer (waited "
                f"{self.timeout:g} s); nothing was written, try again",
            )
        if isinstance(exc, psycopg.OperationalError):
            return StoreError(self.location, f"PostgreSQL connection failed: {_first_line(exc)}")
        if isinstance(exc, psycopg.Error):
            return StoreError(self.location, f"database error: {_first_line(exc)}")
        return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
