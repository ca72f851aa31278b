"""The audit store: an append-only, hash-chained log of records, on SQLite or PostgreSQL.

:class:`AuditStore` is what every back end offers; both back ends share one SQL schema and
one implementation (:class:`~eligibility.audit.sql.SqlStore`), and a back end
(``audit.sqlite``, ``audit.postgres``) only says how to connect, how to take the store's
write lock and how to name its errors. :func:`~eligibility.audit.backend.open_store`
chooses the back end a location names.
Every append is one transaction that holds the write lock from reading the chain's head to
writing the new head, so writers in several processes queue instead of forking the chain,
and a writer killed midway leaves nothing behind (the transaction never commits).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from eligibility.audit.record import (
    AuditRecord,
)
from eligibility.errors import StoreError
from eligibility.rules.loader import RuleSet

DEFAULT_TIMEOUT = 10.0  # seconds a writer waits for another one before giving up
PAGE = 500  # records read per query
MAX_SEQ = 2**63 - 1  # the largest position a BIGINT holds


def default_store() -> str:
    """The per-user default store: ``$XDG_DATA_HOME/eligibility/audit.sqlite``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "eligibility" / "audit.sqlite")


@dataclass(frozen=True)
class Filters:
    """Which records to list (every field optional; all given ones must hold).

    Args:
        product: the product id.
        since: records at or after this ISO date or time (UTC).
        until: records at or before this ISO date or time (a bare date includes that day).
        ruleset: a ruleset version or a prefix of its hash.
        status: ``journey -> status`` pairs the recorded decision must have.
        labels: ``key -> value`` labels the record must carry.
    """

    product: str | None = None
    since: str | None = None
    until: str | None = None
    ruleset: str | None = None
    status: Mapping[str, str] | None = None
    labels: Mapping[str, str] | None = None

    def keep(self, record: AuditRecord) -> bool:
        """Whether a record passes the filters the SQL query could not apply."""
        statuses = record.journey_status()
        if self.status and any(statuses.get(j) != s for j, s in self.status.items()):
            return False
        labels = record.labels
        return not (self.labels and any(labels.get(k) != v for k, v in self.labels.items()))


@dataclass(frozen=True)
class Head:
    """The last record of the chain, as the store's metadata remembers it."""

    seq: int
    hash: str


class StoredRow(NamedTuple):
    """A record row exactly as the database returns it (what verification reads).

    The values are not converted: an edit may have put anything in any column.
    """

    seq: Any
    decision_id: Any
    recorded_at: Any
    profile_id: Any
    ruleset_hash: Any
    ruleset_version: Any
    body: Any
    prev_hash: Any
    hash: Any


STORED_COLUMNS = ", ".join(StoredRow._fields)


class AuditStore(ABC):
    """An audit store (see :func:`open_store`). Use it as a context manager to close it."""

    location: str

    @abstractmethod
    def append(self, contents: Sequence[dict[str, Any]], ruleset: RuleSet) -> list[AuditRecord]:
        """Append records (one transaction), keeping the ruleset they were decided under."""

    @abstractmethod
    def records(self, filters: Filters | None = None) -> Iterator[AuditRecord]:
        """The records in chain order, filtered."""

    @abstractmethod
    def chain(self) -> dict[Any, Any]:
        """Every record's hash and position, as stored."""

    @abstractmethod
    def raw_rows(self) -> Iterator[StoredRow]:
        """Every record row as stored, in order of position (what verification reads)."""

    @abstractmethod
    def find(self, ref: str) -> AuditRecord:
        """The record named by a decision id (or a unique prefix of one; the latest record
        when the same decision was recorded several times) or by ``#SEQ``."""

    @abstractmethod
    def ruleset_snapshot(self, ruleset_hash: str) -> dict[str, Any]:
        """The stored ruleset with this hash: ``{"canonical": ...}``."""

    @abstractmethod
    def rulesets(self) -> Iterator[tuple[str, str]]:
        """Every stored ruleset as (hash, stored JSON text)."""

    @abstractmethod
    def ruleset_rows(self) -> Iterator[tuple[Any, Any, Any, Any]]:
        """Every kept ruleset row as stored: hash, name, version, body."""

    @abstractmethod
    def head(self) -> Head | None:
        """The chain's head as the metadata says (None for an empty store).

        Raises:
            StoreError: the metadata's head is not a position and a hash.
        """

    @abstractmethod
    def metadata(self) -> dict[str, str]:
        """The store's metadata as stored (schema version, head, store id)."""

    @abstractmethod
    def store_id(self) -> str:
        """The store's id (random, made when the store was created)."""

    @abstractmethod
    def mask_key(self) -> bytes:
        """The store's key for masking fields (kept apart from the records)."""

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[None]:
        """A context in which every read sees one consistent state of the store, while
        writers go on appending (what verification needs to never give a false alarm)."""

    @abstractmethod
    def schema_version(self) -> int:
        """The version of the store's schema."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_head(location: str, meta: Mapping[str, str]) -> Head | None:
    """The head the metadata names (None when it names none).

    Raises:
        StoreError: the head is not a position and a hash.
    """
    if "head_seq" not in meta and "head_hash" not in meta:
        return None
    seq, digest = meta.get("head_seq", ""), meta.get("head_hash", "")
    if not re.fullmatch(r"[0-9]{1,19}", seq, re.ASCII) or not digest:
        raise StoreError(
            location,
            f"is corrupted: its head is {seq!r}, {digest!r} (run: eligibility audit verify)",
        )
    return Head(int(seq), digest)


def redact(url: str) -> str:
    """A store location fit for messages: a URL loses its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
