"""The embedded audit store: one SQLite file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from eligibility.audit.sql import SqlStore
from eligibility.audit.store import DEFAULT_TIMEOUT
from eligibility.errors import NoStoreError, StoreError


class SqliteStore(SqlStore):
    """The embedded store: one SQLite file (WAL journal, full sync, a busy timeout)."""

    def __init__(
        self, path: Path, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        super().__init__(str(path))
        self.path = path
        self.timeout = timeout
        if not path.exists():
            if not create:
                raise NoStoreError(
                    self.location,
                    "no such file (record a decision with {record} to create the store)",
                    "no such file",
                )
            _create_private(path, self.location)
        elif path.is_dir():
            raise StoreError(self.location, "is a directory, not a store file")
        elif not create and path.stat().st_size == 0:
            # Not "no store yet": the file is there, and an audit store is never empty.
            raise NoStoreError(
                self.location,
                "is an empty file, not an audit store (was it truncated?)",
                "an empty file",
            )
        with self._closing_on_error(), self._errors():
            # Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE. Any
            # thread may use the store, one at a time (a Recorder hands it to its writer).
            self._conn = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            # Never touch some other program's database (not even its journal mode).
            tables = self._execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            if tables.fetchone()[0] and not self._table_exists("meta"):
                raise StoreError(self.location, "is a SQLite database, but not an audit store")
            mode = self._execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self._execute("PRAGMA journal_mode = WAL")
            # FULL: a committed record survives a power cut, not just a process crash.
            self._execute("PRAGMA synchronous = FULL")
        self._prepare(create)

    def _begin(self) -> None:
        self._execute("BEGIN IMMEDIATE")

    def _lock(self) -> None:
        """BEGIN IMMEDIATE already holds SQLite's single write lock."""

    def _table_exists(self, name: str) -> bool:
        row = self._execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def _translate(self, exc: Exception) -> StoreError | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        message = str(exc)
        if "locked" in message or "busy" in message:
            return StoreError(
                self.location,
                f"is locked by another process (waited "
                f"{self.timeout:g} s); nothing was written, try again",
            )
        if isinstance(exc, sqlite3.DatabaseError) and (
            "not a database" in message or "malformed" in message or "corrupt" in message
        ):
            return StoreError(self.location, f"is corrupted or not a SQLite file ({message})")
        if "readonly" in message or "unable to open" in message:
            return StoreError(self.location, f"cannot be written: {message}")
        return StoreError(self.location, f"database error: {message}")


def _create_private(path: Path, location: str) -> None:
    """Create an empty store file readable by its owner only (mode 600).

    The records hold what products answered, and the store its masking key. SQLite gives
    its journal files (``-wal``, ``-shm``) the database file's mode. A directory made for
    it is private too (mode 700). Another process creating the same file at the same
    moment is no error: both then open the one file.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise StoreError(location, f"cannot create: {exc.strerror}") from None
