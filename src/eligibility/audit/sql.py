"""The SQL implementation of the audit store shared by both back ends."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson

from eligibility.audit.migrations import CURRENT_VERSION, MIGRATIONS
from eligibility.audit.record import (
    GENESIS,
    AuditRecord,
    canonical_json,
    chain_hash,
    encode_content,
)
from eligibility.audit.store import AuditStore, Filters, Head
from eligibility.errors import StoreError
from eligibility.rules.loader import RuleSet

PAGE = 500  # records read per query


class SqlStore(AuditStore):
    """The SQL implementation shared by both backends (``?`` placeholders throughout)."""

    _placeholder = "?"
    _snapshot_begin = "BEGIN"  # a read transaction: one snapshot for all its reads

    def __init__(self, location: str) -> None:
        self.location = location
        self._conn: Any = None
        self._known_rulesets: set[str] = set()

    # -- what a backend provides ------------------------------------------------------------

    @abstractmethod
    def _lock(self) -> None:
        """Take the store's write lock inside the open transaction."""

    @abstractmethod
    def _begin(self) -> None:
        """Open a write transaction."""

    @abstractmethod
    def _table_exists(self, name: str) -> bool:
        """Whether the store has this table."""

    @abstractmethod
    def _translate(self, exc: Exception) -> StoreError | None:
        """The store error a database exception means (None: not a database error)."""

    # -- plumbing --------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), tuple(params))

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.cursor().executemany(self._sql(sql), rows)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            error = self._translate(exc)
            if error is None:
                raise
            raise error from None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see the store as it was at the first of them."""
        with self._errors():
            self._execute(self._snapshot_begin)
        try:
            yield
        finally:
            with self._errors():
                self._execute("COMMIT")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._errors():
            self._begin()
            try:
                self._lock()
                yield
            except BaseException:
                self._execute("ROLLBACK")
                raise
            self._execute("COMMIT")

    @contextmanager
    def _closing_on_error(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self.close()
            raise

    def _prepare(self, create: bool) -> None:
        """Check the schema version; create or migrate the schema (closes on failure)."""
        try:
            self._check_schema(create)
        except BaseException:
            self.close()
            raise

    def _check_schema(self, create: bool) -> None:
        with self._errors():
            version = self._read_version()
            if version == 0 and not create:
                raise StoreError(
                    self.location,
                    "no audit store here yet (record a decision with --record to create one)",
                )
            if version > CURRENT_VERSION:
                raise StoreError(
                    self.location,
                    f"schema version {version} is newer than this "
                    f"eligibility understands ({CURRENT_VERSION}); upgrade "
                    "eligibility to read it (the store was left untouched)",
                )
            if version < CURRENT_VERSION:
                self.migrate()

    def _read_version(self, *, locked: bool = False) -> int:
        if not self._table_exists("meta"):
            # Only under the write lock: outside it, another process may be creating the
            # tables between the two lookups.
            if locked and self._table_exists("records"):
                raise StoreError(
                    self.location,
                    "is not an audit store (it has a records table but no schema version)",
                )
            return 0
        row = self._execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError(self.location, "is corrupted: its schema version is missing")
        try:
            return int(row[0])
        except ValueError:
            raise StoreError(self.location, f"is corrupted: schema version {row[0]!r}") from None

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """Held around the migration transactions (a backend may need more than BEGIN's)."""
        yield

    def migrate(self, target: int = CURRENT_VERSION) -> int:
        """Bring the schema up to ``target`` (one transaction per step); return the version."""
        with self._migration_lock():
            return self._migrate(target)

    def _migrate(self, target: int) -> int:
        while True:
            with self._transaction():
                # Read again under the lock: another process may have migrated meanwhile.
                version = self._read_version(locked=True)
                if version >= target:
                    return version
                MIGRATIONS[version](self._execute, self._table_exists)
                self._execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version + 1),)
                )

    # -- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The version of the store's schema."""
        with self._errors():
            return self._read_version()

    @staticmethod
    def _record(row: Sequence[Any]) -> AuditRecord:
        return AuditRecord(seq=int(row[0]), body=str(row[1]), prev_hash=row[2], hash=row[3])

    def records(self, filters: Filters | None = None) -> Iterator[AuditRecord]:
        """The records in chain order, filtered."""
        f = filters or Filters()
        where: list[str] = []
        params: list[Any] = []
        if f.product:
            where.append("profile_id = ?")
            params.append(f.product)
        if f.since:
            where.append("recorded_at >= ?")
            params.append(f.since)
        if f.until:
            # A bare date means the whole day: compare with the next character after it.
            where.append("recorded_at <= ?")
            params.append(f.until + ("T99" if len(f.until) == 10 else ""))
        if f.ruleset:
            where.append("(ruleset_hash LIKE ? OR ruleset_hash LIKE ? OR ruleset_version = ?)")
            params += [f.ruleset + "%", "sha256:" + f.ruleset + "%", f.ruleset]
        for row in self._paged("seq, body, prev_hash, hash", where, params):
            record = self._record(row)
            if f.keep(record):
                yield record

    def _paged(self, columns: str, where: list[str], params: list[Any]) -> Iterator[Any]:
        """Rows in chain order, a page at a time (by seq: no cursor stays open between
        pages, and a large store never sits whole in memory)."""
        last = 0
        sql = f"SELECT {columns} FROM records WHERE " + " AND ".join([*where, "seq > ?"])
        while True:
            with self._errors():
                rows = self._execute(f"{sql} ORDER BY seq LIMIT {PAGE}", [*params, last])
                page = rows.fetchall()
            yield from page
            if len(page) < PAGE:
                return
            last = int(page[-1][0])

    def chain(self, upto: int | None = None) -> dict[str, int]:
        """Every record's hash and position (what tells reordering from removal)."""
        where, params = (["seq <= ?"], [upto]) if upto is not None else ([], [])
        return {str(h): int(seq) for seq, h in self._paged("seq, hash", where, params)}

    def raw_rows(
        self, upto: int | None = None
    ) -> Iterator[tuple[int, str, str, str, str, str, str]]:
        """Every record row as stored, up to position ``upto`` (what verification reads)."""
        columns = "seq, decision_id, profile_id, ruleset_hash, body, prev_hash, hash"
        where, params = (["seq <= ?"], [upto]) if upto is not None else ([], [])
        for row in self._paged(columns, where, params):
            yield (int(row[0]), *(str(v) for v in row[1:]))  # type: ignore[misc]

    def find(self, ref: str) -> AuditRecord:
        """The record named by a decision id (or a unique prefix) or by ``#SEQ``."""
        sql = "SELECT seq, body, prev_hash, hash, decision_id FROM records"
        if ref.startswith("#") and ref[1:].isdigit():
            with self._errors():
                row = self._execute(sql + " WHERE seq = ?", (int(ref[1:]),)).fetchone()
            if row is None:
                raise StoreError(self.location, f"no record {ref}")
            return self._record(row)
        prefix = ref.removeprefix("sha256:").lower()
        if len(prefix) < 6 or not re.fullmatch(r"[0-9a-f]+", prefix):
            raise StoreError(
                self.location,
                f"{ref!r} is not a decision id (at least 6 hexadecimal digits) nor #SEQ",
            )
        with self._errors():
            rows = self._execute(
                sql + " WHERE decision_id LIKE ? ORDER BY seq DESC", (prefix + "%",)
            ).fetchall()
        if not rows:
            raise StoreError(self.location, f"no record with decision id {ref}")
        ids = sorted({r[4] for r in rows})
        if len(ids) > 1:
            raise StoreError(
                self.location,
                f"decision id {ref} is ambiguous: "
                f"{', '.join(i[:12] for i in ids[:5])}; give more digits",
            )
        return self._record(rows[0])

    def ruleset_snapshot(self, ruleset_hash: str) -> dict[str, Any]:
        """The stored ruleset with this hash."""
        with self._errors():
            row = self._execute(
                "SELECT body FROM rulesets WHERE hash = ?", (ruleset_hash,)
            ).fetchone()
        if row is None:
            raise StoreError(self.location, f"ruleset {ruleset_hash} is not in the store")
        data: dict[str, Any] = orjson.loads(row[0])
        return data

    def rulesets(self) -> Iterator[tuple[str, str]]:
        """Every stored ruleset as (hash, stored JSON text)."""
        with self._errors():
            rows = self._execute("SELECT hash, body FROM rulesets ORDER BY hash").fetchall()
        for row in rows:
            yield str(row[0]), str(row[1])

    def head(self) -> Head | None:
        """The chain's head as the metadata says."""
        with self._errors():
            rows = dict(
                self._execute(
                    "SELECT key, value FROM meta WHERE key IN ('head_seq', 'head_hash')"
                ).fetchall()
            )
        if "head_seq" not in rows:
            return None
        return Head(int(rows["head_seq"]), rows["head_hash"])

    # -- writing ---------------------------------------------------------------------------

    def append(self, contents: Sequence[dict[str, Any]], ruleset: RuleSet) -> list[AuditRecord]:
        """Append records in one transaction, after the chain's current head."""
        if not contents:
            return []
        out: list[AuditRecord] = []
        with self._transaction():
            self._keep_ruleset(ruleset)
            last = self._execute(
                "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            rows = []
            for content in contents:
                seq += 1
                body = encode_content(content)
                digest = chain_hash(body, prev)
                text = body.decode()
                rows.append(
                    (
                        seq,
                        content["decision_id"],
                        content["recorded_at"],
                        content["profile"]["id"],
                        content["ruleset"]["hash"],
                        content["ruleset"]["version"],
                        text,
                        prev,
                        digest,
                    )
                )
                out.append(AuditRecord(seq, text, prev, digest))
                prev = digest
            self._executemany(
                (
                    "INSERT INTO records (seq, decision_id, recorded_at, profile_id, ruleset_hash, "
                    "ruleset_version, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )
            self._set_head(seq, prev)
        return out

    def _set_head(self, seq: int, digest: str) -> None:
        self._execute("DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')")
        self._executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("head_seq", str(seq)), ("head_hash", digest)],
        )

    def _keep_ruleset(self, ruleset: RuleSet) -> None:
        if ruleset.hash in self._known_rulesets:
            return
        found = self._execute("SELECT 1 FROM rulesets WHERE hash = ?", (ruleset.hash,))
        if found.fetchone() is None:
            body = {"canonical": ruleset.canonical(), "rule_files": dict(ruleset.rule_files)}
            self._execute(
                "INSERT INTO rulesets (hash, name, version, body) VALUES (?, ?, ?, ?)",
                (ruleset.hash, ruleset.name, ruleset.version, canonical_json(body).decode()),
            )
        self._known_rulesets.add(ruleset.hash)

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
