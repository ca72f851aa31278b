"""The SQL implementation of the audit store shared by both back ends.

One cohesive module although over 400 lines: the one class :class:`SqlStore`, whose
queries share the schema and the transaction discipline.
"""

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
    sha256,
)
from eligibility.audit.store import (
    MAX_SEQ,
    PAGE,
    STORED_COLUMNS,
    AuditStore,
    Filters,
    Head,
    StoredRow,
    parse_head,
)
from eligibility.errors import NoStoreError, StoreError
from eligibility.rules.loader import RuleSet


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
                raise NoStoreError(
                    self.location,
                    "no audit store here yet (record a decision with {record} to create one)",
                    "no audit store tables",
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
                try:
                    MIGRATIONS[version](self._execute, self._table_exists)
                except (KeyError, TypeError, ValueError, orjson.JSONDecodeError) as exc:
                    raise StoreError(
                        self.location,
                        f"cannot be brought to schema version {version + 1}: a stored row "
                        f"is malformed ({type(exc).__name__}: {exc}); the store was left "
                        f"at version {version}, untouched",
                    ) from None
                self._execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version + 1),)
                )

    # -- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The version of the store's schema."""
        with self._errors():
            return self._read_version()

    def _record(self, row: Sequence[Any]) -> AuditRecord:
        if type(row[0]) is not int:
            raise StoreError(
                self.location,
                f"is corrupted: a record's position is {row[0]!r} (run: eligibility audit verify)",
            )
        return AuditRecord(
            seq=row[0],
            body=str(row[1]),
            prev_hash=str(row[2]),
            hash=str(row[3]),
            location=self.location,
        )

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
        pages, and a large store never sits whole in memory).

        The first page has no lower bound and each next one starts after the last position
        read, whatever its type: a position edited to 0, a negative number or (SQLite
        keeps any type) a text is still read, where the verification names it.
        """
        last: Any = None
        while True:
            bounds = [*where, "seq > ?"] if last is not None else where
            sql = f"SELECT {columns} FROM records"
            if bounds:
                sql += " WHERE " + " AND ".join(bounds)
            args = [*params, last] if last is not None else params
            with self._errors():
                page = self._execute(f"{sql} ORDER BY seq LIMIT {PAGE}", args).fetchall()
            yield from page
            if len(page) < PAGE:
                return
            last = page[-1][0]

    def chain(self) -> dict[Any, Any]:
        """Every record's hash and position (what tells reordering from removal)."""
        return {h: seq for seq, h in self._paged("seq, hash", [], [])}

    def raw_rows(self) -> Iterator[StoredRow]:
        """Every record row as stored, in order of position (what verification reads)."""
        for row in self._paged(STORED_COLUMNS, [], []):
            yield StoredRow(*row)

    def find(self, ref: str) -> AuditRecord:
        """The record named by a decision id (or a unique prefix) or by ``#SEQ``."""
        sql = "SELECT seq, body, prev_hash, hash, decision_id FROM records"
        if re.fullmatch(r"#[0-9]+", ref, re.ASCII):
            seq = int(ref[1:])
            if seq > MAX_SEQ:
                raise StoreError(self.location, f"no record {ref}")
            with self._errors():
                row = self._execute(sql + " WHERE seq = ?", (seq,)).fetchone()
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
        # Only rules that still hash to the recorded hash are ever re-run.
        try:
            data = orjson.loads(row[0])
            intact = sha256(canonical_json(data["canonical"])) == ruleset_hash
        except (orjson.JSONDecodeError, KeyError, TypeError):
            intact = False
        if not intact:
            raise StoreError(
                self.location,
                f"kept ruleset {ruleset_hash} was changed: its rules no longer match its "
                "hash (run: eligibility audit verify)",
            )
        return {"canonical": data["canonical"]}

    def rulesets(self) -> Iterator[tuple[str, str]]:
        """Every stored ruleset as (hash, stored JSON text)."""
        with self._errors():
            rows = self._execute("SELECT hash, body FROM rulesets ORDER BY hash").fetchall()
        for row in rows:
            yield str(row[0]), str(row[1])

    def ruleset_rows(self) -> Iterator[tuple[Any, Any, Any, Any]]:
        """Every kept ruleset row as stored: hash, name, version, body."""
        with self._errors():
            rows = self._execute(
                "SELECT hash, name, version, body FROM rulesets ORDER BY hash"
            ).fetchall()
        for row in rows:
            yield row[0], row[1], row[2], row[3]

    def metadata(self) -> dict[str, str]:
        """The store's metadata as stored (schema version, head, store id)."""
        with self._errors():
            rows = self._execute("SELECT key, value FROM meta").fetchall()
        return {str(k): str(v) for k, v in rows}

    def head(self) -> Head | None:
        """The chain's head as the metadata says."""
        return parse_head(self.location, self.metadata())

    def store_id(self) -> str:
        """The store's id (random, made when the store was created)."""
        value = self.metadata().get("store_id")
        if not value:
            raise StoreError(self.location, "is corrupted: its store id is missing")
        return value

    def mask_key(self) -> bytes:
        """The store's key for masking fields, from its ``secrets`` table."""
        with self._errors():
            row = self._execute("SELECT value FROM secrets WHERE name = 'mask_key'").fetchone()
        if row is None:
            raise StoreError(self.location, "is corrupted: its masking key is missing")
        try:
            return bytes.fromhex(str(row[0]))
        except ValueError:
            raise StoreError(
                self.location, "is corrupted: its masking key is not hexadecimal"
            ) from None

    # -- writing ---------------------------------------------------------------------------

    def append(self, contents: Sequence[dict[str, Any]], ruleset: RuleSet) -> list[AuditRecord]:
        """Append records in one transaction, after the chain's current head."""
        if not contents:
            return []
        out: list[AuditRecord] = []
        with self._transaction():
            self._keep_ruleset(ruleset)
            seq, prev = self._append_point()
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
                out.append(AuditRecord(seq, text, prev, digest, self.location))
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

    def _append_point(self) -> tuple[int, str]:
        """The position and hash the next record follows, under the write lock.

        The last row and the metadata's head must agree: appending after records removed
        at the end (or added outside the tool) would rewrite the head and hide it.
        """
        last = self._execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        head = parse_head(self.location, self.metadata())
        found = Head(last[0], last[1]) if last is not None else None
        if found != head:
            raise StoreError(
                self.location,
                "its last record and its head disagree (the store was changed outside "
                "eligibility); nothing was recorded: run eligibility audit verify",
            )
        return (found.seq, found.hash) if found is not None else (0, GENESIS)

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
            body = {"canonical": ruleset.canonical()}
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
