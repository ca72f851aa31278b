"""Recording decisions: what ``evaluate``, ``batch`` and ``ask`` call with ``--record``."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

from eligibility.audit.record import AuditRecord, RecordSettings, check_mask, record_content
from eligibility.audit.store import DEFAULT_TIMEOUT, AuditStore, open_store
from eligibility.decision import Decision
from eligibility.profile import Profile
from eligibility.rules.loader import RuleSet

CHUNK = 500  # records per transaction: one commit (one fsync) per chunk, not per record


class Recorder:
    """Appends decisions to a store, a chunk per transaction; use it as a context manager.

    ``add`` buffers; the buffer is written every :data:`CHUNK` records and on leaving the
    ``with`` block (not when the block raises: a failed run records nothing more).

    Args:
        settings: where to record and what to keep (labels, actor, masked fields).
        ruleset: the rules the decisions were made under (kept in the store by hash).
        engine: the engine that decided (``durable`` or ``python``), replayed the same way.
    """

    def __init__(
        self,
        settings: RecordSettings,
        ruleset: RuleSet,
        engine: str = "durable",
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.settings = RecordSettings(
            settings.store, settings.labels, settings.actor, check_mask(settings.mask)
        )
        self.ruleset = ruleset
        self.engine = engine
        self.timeout = timeout
        self.records: list[AuditRecord] = []
        self._store: AuditStore | None = None
        self._pending: list[dict[str, Any]] = []

    def __enter__(self) -> Recorder:
        self._store = open_store(self.settings.store, create=True, timeout=self.timeout)
        return self

    def add(self, profile: Profile, decision: Decision) -> None:
        """Buffer one decision (written at the next full chunk or at the end)."""
        self._pending.append(
            record_content(profile, decision, self.ruleset, self.settings, self.engine)
        )
        if len(self._pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the buffered records now (one transaction)."""
        if self._store is None:
            raise RuntimeError("Recorder used outside its with block")
        if self._pending:
            self.records += self._store.append(self._pending, self.ruleset)
            self._pending = []

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None


def record_decisions(
    settings: RecordSettings,
    ruleset: RuleSet,
    items: Iterable[tuple[Profile, Decision]],
    engine: str = "durable",
) -> list[AuditRecord]:
    """Append each (profile, decision) to the store of ``settings``; return the records.

    Raises:
        StoreError: the store cannot be opened or written (nothing of the failing chunk is
            written).
        UsageError: a masked field is not a profile field.
    """
    with Recorder(settings, ruleset, engine) as recorder:
        for profile, decision in items:
            recorder.add(profile, decision)
    return recorder.records
