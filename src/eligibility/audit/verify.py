"""Check a whole store: every record, every column, the head, the kept rulesets, and, given a
signed checkpoint, that the store still extends it. Name the first thing tampered with.

Without a checkpoint, verification catches every edit that leaves the chain inconsistent:
a changed, removed, added, reordered or renumbered record, a column that disagrees with
the hashed content, a head that disagrees with the last record, a changed kept ruleset. It
cannot catch an edit followed by recomputing the chain (the hashes have no secret), nor a
store emptied, deleted or replaced: a checkpoint kept outside the store catches those for
every record it covers (see :mod:`eligibility.audit.checkpoint`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from eligibility.audit.backend import open_store
from eligibility.audit.record import GENESIS, canonical_json, chain_hash, content_problem, sha256
from eligibility.audit.store import AuditStore, StoredRow, parse_head
from eligibility.errors import NoStoreError, StoreError
from eligibility.i18n.messages import Message

CHECKPOINT_FORMAT = "eligibility-audit-checkpoint/1"  # the checkpoint file's format field


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of a store's head: its id, record count and last hash."""

    store: str
    size: int
    head: str
    signed_at: str
    key: str
    signature: str = ""

    def payload(self) -> bytes:
        """The bytes the signature covers: every field but the signature, canonical JSON."""
        fields = {k: v for k, v in asdict(self).items() if k != "signature"}
        return canonical_json({"format": CHECKPOINT_FORMAT, **fields})

    def to_json(self) -> bytes:
        """The checkpoint file's content."""
        data = {"format": CHECKPOINT_FORMAT, **asdict(self)}
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


# The columns kept beside each record's content, for listing and filtering, and where the
# hashed content says what each must hold.
_COLUMNS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "decision_id": lambda c: c["decision_id"],
    "recorded_at": lambda c: c["recorded_at"],
    "profile_id": lambda c: c["profile"]["id"],
    "ruleset_hash": lambda c: c["ruleset"]["hash"],
    "ruleset_version": lambda c: c["ruleset"]["version"],
}


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify`: how much was checked and the first problem, if any.

    ``seq`` is the position of the first bad record (None when the problem is not one
    record's, or when there is none). ``problem`` is a
    :class:`~eligibility.i18n.messages.Message`: English, and translatable. ``store_id``
    and ``head`` (the last record's hash) describe what was verified; ``checkpoint`` is the
    checkpoint it was verified against.
    """

    records: int
    rulesets: int
    problem: str | None = None
    seq: int | None = None
    store_id: str | None = None
    head: str | None = None
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole store is intact (and extends the checkpoint, when given)."""
        return self.problem is None


def verify(store: AuditStore, checkpoint: Checkpoint | None = None) -> Verification:
    """Check every record, every column, the head and every kept ruleset; given a
    checkpoint (whose signature was checked), check that the store still extends it.

    Everything is read in one snapshot of the store, so a writer appending meanwhile can
    never look like tampering; what it appends is checked next time.
    """
    with store.snapshot():
        return verify_snapshot(store, checkpoint)


def verify_location(
    spec: str | None, checkpoint: Checkpoint | None = None
) -> tuple[Verification, str]:
    """Open the store at ``spec`` and :func:`verify` it; return the outcome and where it is.

    With a checkpoint, a store that is gone (no file, an empty file, no tables) is not an
    error but a failed verification: the checkpoint proves it held records.

    Raises:
        StoreError: the store cannot be opened (or is gone, without a checkpoint).
    """
    try:
        opened = open_store(spec)
    except NoStoreError as exc:
        if checkpoint is None:
            raise
        problem = Message(
            "no audit store is left here ({detail}), but the checkpoint covers {size} records",
            detail=exc.reason,
            size=checkpoint.size,
        )
        return Verification(0, 0, problem, checkpoint=checkpoint), exc.store
    with opened:
        return verify(opened, checkpoint), opened.location


def _ruleset_problem(ruleset_hash: Any, name: Any, version: Any, body: Any) -> Message | None:
    """What is wrong with a kept ruleset row (None: intact)."""

    def mismatch() -> Message:
        return Message(
            "kept ruleset {hash} was changed: its rules no longer match its hash",
            hash=str(ruleset_hash),
        )

    try:
        data = orjson.loads(body)
        canonical = data["canonical"]
        intact = sha256(canonical_json(canonical)) == ruleset_hash
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return mismatch()
    if not intact:
        return mismatch()
    if set(data) != {"canonical"}:
        return Message(
            "kept ruleset {hash} was changed: it holds more than its rules", hash=ruleset_hash
        )
    if canonical_json(data).decode() != body:
        return Message(
            "kept ruleset {hash} was changed: its stored text is not the one written",
            hash=ruleset_hash,
        )
    for column, value in (("name", name), ("version", version)):
        if value != canonical.get(column):
            return Message(
                "kept ruleset {hash} was changed: its {column} column says {value}, its "
                "rules {stored}",
                hash=str(ruleset_hash),
                column=column,
                value=repr(value),
                stored=repr(canonical.get(column)),
            )
    return None


class _Walk:
    """The state of one walk down the chain, and the checks of each row."""

    def __init__(self, position: dict[Any, Any], kept: set[Any], at: int | None) -> None:
        self.position = position  # hash -> seq, to tell reordering from removal
        self.kept = kept
        self.at = at  # the position whose hash the checkpoint signed
        self.expected = GENESIS
        self.count = 0
        self.last_seq = 0
        self.hash_at: str | None = None

    def check(self, row: StoredRow) -> Message | None:
        """The problem of the next row (None: it is the record expected there)."""
        index = self.count + 1
        seq = row.seq
        if type(seq) is not int:
            return Message(
                "the record at position {index} is numbered {seq}, not a number",
                index=index,
                seq=repr(seq),
            )
        name = Message(
            "record #{seq} (decision {decision})", seq=seq, decision=str(row.decision_id)[:12]
        )
        if not isinstance(row.body, str) or not isinstance(row.prev_hash, str):
            return Message("{record} was changed: its content is not text", record=name)
        if chain_hash(row.body.encode(), row.prev_hash) != row.hash:
            return Message("{record} was changed: its content does not match its hash", record=name)
        try:
            content = orjson.loads(row.body)
        except orjson.JSONDecodeError:  # only if its hash was forged to match as well
            return Message("{record} was changed: its content is not valid JSON", record=name)
        malformed = content_problem(content)
        if malformed is not None:
            return Message(
                "{record} is not a valid record: {problem}", record=name, problem=malformed
            )
        for column, read in _COLUMNS.items():
            value, stored = getattr(row, column), read(content)
            if value != stored:
                return Message(
                    "{record} was changed: its {column} column says {value}, its content {stored}",
                    record=name,
                    column=column,
                    value=repr(value),
                    stored=repr(stored),
                )
        if row.prev_hash != self.expected:
            return self._link_problem(row, name)
        if seq != index:
            return Message(
                "{record} is numbered #{seq} but is record {index} of the chain: records "
                "were renumbered",
                record=name,
                seq=seq,
                index=index,
            )
        if row.ruleset_hash not in self.kept:
            return Message(
                "{record}: its ruleset {hash} is not kept in the store",
                record=name,
                hash=row.ruleset_hash,
            )
        self.expected, self.last_seq, self.count = row.hash, seq, index
        if index == self.at:
            self.hash_at = row.hash
        return None

    def _link_problem(self, row: StoredRow, name: Message) -> Message:
        linked = self.position.get(row.prev_hash)
        if isinstance(linked, int) and linked > row.seq:
            return Message(
                "{record} is out of order: it was recorded after record #{after}",
                record=name,
                after=linked,
            )
        if isinstance(linked, int):
            return Message(
                "{record} does not follow record #{before}: it links to record #{linked}",
                record=name,
                before=self.last_seq,
                linked=linked,
            )
        gap = (
            Message(" (#{first} to #{last})", first=self.last_seq + 1, last=row.seq - 1)
            if row.seq > self.last_seq + 1
            else ""
        )
        return Message(
            "records were removed before {record}{gap}: its link points to no record of the store",
            record=name,
            gap=gap,
        )


def verify_snapshot(store: AuditStore, checkpoint: Checkpoint | None = None) -> Verification:
    """:func:`verify` inside a snapshot the caller holds (one consistent state)."""
    rows = list(store.ruleset_rows())
    kept = {r[0] for r in rows}
    meta = store.metadata()
    store_id = meta.get("store_id")
    walk = _Walk(store.chain(), kept, checkpoint.size if checkpoint is not None else None)

    def fail(problem: Message, seq: int | None = None) -> Verification:
        return Verification(
            walk.count, len(kept), problem, seq, store_id=store_id, checkpoint=checkpoint
        )

    for row in rows:
        problem = _ruleset_problem(*row)
        if problem is not None:
            return fail(problem)
    for stored in store.raw_rows():
        problem = walk.check(stored)
        if problem is not None:
            return fail(problem, stored.seq if type(stored.seq) is int else None)

    try:
        head = parse_head(store.location, meta)
    except StoreError:
        return fail(
            Message(
                "the store's metadata was changed: its head is {seq}, {hash}",
                seq=repr(meta.get("head_seq")),
                hash=repr(meta.get("head_hash")),
            )
        )
    if head is None and walk.count:
        return fail(Message("the store's head is missing: its metadata was changed"))
    if head is not None and head.seq < walk.last_seq:
        return fail(
            Message(
                "records #{first} to #{last} come after the store's head (#{head}): they "
                "were added outside eligibility, or the head was changed",
                first=head.seq + 1,
                last=walk.last_seq,
                head=head.seq,
            )
        )
    if head is not None and head.seq > walk.last_seq:
        return fail(
            Message(
                "the last records were removed: the store's head is record #{head}, "
                "the chain ends at #{last}",
                head=head.seq,
                last=walk.last_seq,
            )
        )
    if head is not None and head.hash != walk.expected:
        return fail(
            Message(
                "the store's head does not match its last record #{last}: the head or the "
                "record was changed",
                last=walk.last_seq,
            )
        )
    if not store_id:
        return fail(Message("the store's id is missing: its metadata was changed"))
    if checkpoint is not None:
        problem = _checkpoint_problem(checkpoint, store_id, walk)
        if problem is not None:
            return fail(problem)
    return Verification(
        walk.count,
        len(kept),
        store_id=store_id,
        head=walk.expected,
        checkpoint=checkpoint,
    )


def _checkpoint_problem(checkpoint: Checkpoint, store_id: str, walk: _Walk) -> Message | None:
    """Why the verified chain does not extend the checkpoint (None: it does)."""
    if checkpoint.store != store_id:
        return Message(
            "the checkpoint is of another store ({checkpointed}); this store is {store}: "
            "it was replaced or made anew",
            checkpointed=checkpoint.store,
            store=store_id,
        )
    if checkpoint.size > walk.count:
        return Message(
            "the checkpoint covers {size} records, the store has {count}: records were "
            "removed and the chain recomputed",
            size=checkpoint.size,
            count=walk.count,
        )
    at = walk.hash_at if checkpoint.size else GENESIS
    if at != checkpoint.head:
        return Message(
            "record #{size} is not the one the checkpoint signed: records up to #{size} "
            "were changed and the chain recomputed",
            size=checkpoint.size,
        )
    return None
