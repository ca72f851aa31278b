"""Recording decisions: what ``evaluate``, ``batch`` and ``ask`` call with ``--record``."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from eligibility.audit.backend import open_store
from eligibility.audit.record import AuditRecord, RecordSettings, check_mask, record_content
from eligibility.audit.store import DEFAULT_TIMEOUT, AuditStore
from eligibility.decision.model import Decision
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet

CHUNK = 500  # records per transaction: one commit (one fsync) per chunk, not per record
_STOP = None


class Recorder:
    """Appends decisions to a store, a chunk per transaction; use it as a context manager.

    ``add`` buffers; each full chunk of :data:`CHUNK` records, and the rest on leaving the
    ``with`` block, is written by a writer thread, so hashing and database work overlap
    with the evaluation of the next decisions (both release the GIL). Leaving the block
    waits for every chunk; a write error is raised there, or by the next ``add``. When the
    block raises, the records not yet handed over are dropped (a failed run records no more).

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
        # Two chunks in flight at most: the evaluation never runs far ahead of the disk.
        self._chunks: queue.Queue[list[dict[str, Any]] | None] = queue.Queue(maxsize=2)
        self._writer: threading.Thread | None = None
        self._error: BaseException | None = None
        self._mask_key: bytes | None = None

    def __enter__(self) -> Recorder:
        self._store = open_store(self.settings.store, create=True, timeout=self.timeout)
        if self.settings.mask:
            try:
                self._mask_key = self._store.mask_key()
            except BaseException:
                self._store.close()
                raise
        self._writer = threading.Thread(target=self._write, name="audit-writer", daemon=True)
        self._writer.start()
        return self

    def _write(self) -> None:
        assert self._store is not None
        while (chunk := self._chunks.get()) is not _STOP:
            try:
                if self._error is None:  # after a failure, drain without writing
                    self.records += self._store.append(chunk, self.ruleset)
            except BaseException as exc:
                self._error = exc
            finally:
                self._chunks.task_done()
        self._chunks.task_done()

    def _raise_pending_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def add(self, profile: Profile, decision: Decision, decision_json: bytes | None = None) -> None:
        """Buffer one decision (handed to the writer at the next full chunk or at the end).

        ``decision_json``: ``decision.to_json()`` when the caller has it already.
        """
        self._raise_pending_error()
        self._pending.append(
            record_content(
                profile,
                decision,
                self.ruleset,
                self.settings,
                self.engine,
                decision_json=decision_json,
                mask_key=self._mask_key,
            )
        )
        if len(self._pending) >= CHUNK:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._writer is None:
            raise RuntimeError("Recorder used outside its with block")
        if self._pending:
            self._chunks.put(self._pending)
            self._pending = []

    def flush(self) -> None:
        """Write everything buffered now and wait for it; raise a write error if any."""
        self._hand_over()
        self._chunks.join()
        self._raise_pending_error()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            self._pending = []
            if self._writer is not None:
                self._chunks.put(_STOP)
                self._writer.join()
                self._writer = None
            if self._store is not None:
                self._store.close()
                self._store = None
        if kind is None:  # else the block's own exception is the one to see
            self._raise_pending_error()


class NullRecorder:
    """What :func:`recorder_for` gives when not recording: ``add`` does nothing."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def __enter__(self) -> NullRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add(self, profile: Profile, decision: Decision, decision_json: bytes | None = None) -> None:
        """Record nothing."""

    def flush(self) -> None:
        """Nothing to write."""


def recorder_for(
    settings: RecordSettings | None, ruleset: RuleSet, engine: str = "durable"
) -> Recorder | NullRecorder:
    """A :class:`Recorder` when ``settings`` is given (``--record``), else a no-op one.

    The two lines a command needs::

        with recorder_for(recording, evaluator.ruleset, engine) as recorder:
            ...  recorder.add(profile, decision)  # for each decision
    """
    return Recorder(settings, ruleset, engine) if settings is not None else NullRecorder()


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
