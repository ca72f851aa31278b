"""Check a store's hash chain and kept rulesets; name the first record that was tampered with."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from eligibility.audit.record import GENESIS, canonical_json, chain_hash, sha256
from eligibility.audit.store import AuditStore
from eligibility.i18n.messages import Message


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify`: how much was checked and the first problem, if any.

    ``seq`` is the position of the first bad record (None when the problem is not one
    record's, or when there is none). ``problem`` is a
    :class:`~eligibility.i18n.messages.Message`: English, and translatable.
    """

    records: int
    rulesets: int
    problem: str | None = None
    seq: int | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole chain and every kept ruleset are intact."""
        return self.problem is None


def verify(store: AuditStore) -> Verification:
    """Check every record's hash, the chain links, the head, and every kept ruleset.

    Everything is read in one snapshot of the store, so a writer appending meanwhile can
    never look like tampering; what it appends is checked next time.
    """
    with store.snapshot():
        return _verify(store)


def _verify(store: AuditStore) -> Verification:
    """Check every record's hash, the chain links, the head, and every kept ruleset.

    A record whose content no longer matches its hash was *changed*; a record whose link
    points at a record found further on was *reordered*; a link to no record at all means
    records before it were *removed*; a head past the last record means the last ones were.
    """
    # The head first: records appended while verifying come after it and are left alone.
    head = store.head()
    upto = head.seq if head is not None else None
    position = store.chain(upto)  # hash -> seq, to tell reordering from removal
    kept = dict(store.rulesets())
    count = 0

    def fail(problem: Message, seq: int | None = None) -> Verification:
        return Verification(count, len(kept), problem, seq)

    for ruleset_hash, body in kept.items():
        if sha256(canonical_json(orjson.loads(body)["canonical"])) != ruleset_hash:
            return fail(
                Message(
                    "kept ruleset {hash} was changed: its rules no longer match its hash",
                    hash=ruleset_hash,
                )
            )

    expected, last_seq = GENESIS, 0
    for seq, decision_id, profile_id, ruleset_hash, body, prev_hash, digest in store.raw_rows(upto):
        name = Message("record #{seq} (decision {decision})", seq=seq, decision=decision_id[:12])
        if chain_hash(body.encode(), prev_hash) != digest:
            return fail(
                Message("{record} was changed: its content does not match its hash", record=name),
                seq,
            )
        try:
            content = orjson.loads(body)
        except orjson.JSONDecodeError:  # only if its hash was forged to match as well
            return fail(
                Message("{record} was changed: its content is not valid JSON", record=name), seq
            )
        columns = {
            "decision_id": decision_id,
            "profile_id": profile_id,
            "ruleset_hash": ruleset_hash,
        }
        stored = {
            "decision_id": content["decision_id"],
            "profile_id": content["profile"]["id"],
            "ruleset_hash": content["ruleset"]["hash"],
        }
        for column, value in columns.items():
            if value != stored[column]:
                return fail(
                    Message(
                        "{record} was changed: its {column} column says {value}, its content "
                        "{stored}",
                        record=name,
                        column=column,
                        value=repr(value),
                        stored=repr(stored[column]),
                    ),
                    seq,
                )
        if prev_hash != expected:
            if prev_hash in position and position[prev_hash] > seq:
                return fail(
                    Message(
                        "{record} is out of order: it was recorded after record #{after}",
                        record=name,
                        after=position[prev_hash],
                    ),
                    seq,
                )
            gap = (
                Message(" (#{first} to #{last})", first=last_seq + 1, last=seq - 1)
                if seq > last_seq + 1
                else ""
            )
            return fail(
                Message(
                    "records were removed before {record}{gap}: its link points to no "
                    "record of the store",
                    record=name,
                    gap=gap,
                ),
                seq,
            )
        if ruleset_hash not in kept:
            return fail(
                Message(
                    "{record}: its ruleset {hash} is not kept in the store",
                    record=name,
                    hash=ruleset_hash,
                ),
                seq,
            )
        expected, last_seq = digest, seq
        count += 1

    if head is not None and (head.seq != last_seq or head.hash != expected):
        return fail(
            Message(
                "the last records were removed: the store's head is record #{head}, "
                "the chain ends at #{last}",
                head=head.seq,
                last=last_seq,
            )
        )
    if head is None and position:
        return fail(Message("the store's head is missing: its metadata was changed"))
    return Verification(count, len(kept))
