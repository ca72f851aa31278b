"""Every way of editing a store behind the tool's back, on every backend, and what catches it.

Each edit is applied with plain SQL (or to the file) to a store of five records that a
signed checkpoint was taken of. ``audit verify`` alone must catch every edit that leaves
a trace in the store; an edit that rewrites the chain consistently (recomputing the hashes
and the head), empties or replaces the store, can only be caught against a checkpoint kept
outside it, and must be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from eligibility.audit.backend import open_store
from eligibility.audit.checkpoint import make_checkpoint
from eligibility.audit.keys import generate_key, load_signing_key
from eligibility.audit.record import GENESIS, chain_hash, encode_content
from eligibility.audit.sql import SqlStore
from eligibility.audit.verify import Checkpoint, verify, verify_location
from eligibility.decision.model import Decision
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet
from tests.audit.conftest import contents

Pairs = list[tuple[Profile, Decision]]
RECORD_COLUMNS = (
    "seq, decision_id, recorded_at, profile_id, ruleset_hash, ruleset_version, body, "
    "prev_hash, hash"
)


# -- helpers that edit the store behind the library's back ---------------------------------


def sql(store: SqlStore, statement: str, *params: Any) -> Any:
    """Run one statement on the store's connection (autocommit)."""
    return store._execute(statement, params)


def body_of(store: SqlStore, seq: int) -> dict[str, Any]:
    (body,) = sql(store, "SELECT body FROM records WHERE seq = ?", seq).fetchone()
    data: dict[str, Any] = orjson.loads(body)
    return data


def set_body(store: SqlStore, seq: int, content: dict[str, Any]) -> None:
    sql(store, "UPDATE records SET body = ? WHERE seq = ?", encode_content(content).decode(), seq)


def flip_status(content: dict[str, Any]) -> dict[str, Any]:
    journey = content["decision"]["journeys"][0]
    journey["status"] = "not_applicable" if journey["status"] == "applies" else "applies"
    return content


def rechain(store: SqlStore) -> None:
    """Recompute every link, hash and the head: what a forger with SQL access would do."""
    prev = GENESIS
    rows = sql(store, "SELECT seq, body FROM records ORDER BY seq").fetchall()
    for seq, body in rows:
        digest = chain_hash(body.encode(), prev)
        sql(store, "UPDATE records SET prev_hash = ?, hash = ? WHERE seq = ?", prev, digest, seq)
        prev = digest
    sql(store, "DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')")
    if rows:
        sql(store, "INSERT INTO meta (key, value) VALUES ('head_seq', ?)", str(rows[-1][0]))
        sql(store, "INSERT INTO meta (key, value) VALUES ('head_hash', ?)", prev)


def renumber_down_from(store: SqlStore, seq: int) -> None:
    """Close a gap left at ``seq``: every later record moves down one place."""
    later = sql(store, "SELECT seq FROM records WHERE seq > ? ORDER BY seq", seq).fetchall()
    for (old,) in later:
        sql(store, "UPDATE records SET seq = ? WHERE seq = ?", old - 1, old)


def copy_row(store: SqlStore, seq: int, new_seq: int, **changes: Any) -> None:
    """Insert a copy of record ``seq`` at ``new_seq``, with some columns changed."""
    row = dict(
        zip(
            RECORD_COLUMNS.split(", "),
            sql(store, f"SELECT {RECORD_COLUMNS} FROM records WHERE seq = ?", seq).fetchone(),
            strict=True,
        )
    )
    row.update(seq=new_seq, **changes)
    sql(
        store,
        f"INSERT INTO records ({RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        *row.values(),
    )


def hash_of(store: SqlStore, seq: int) -> str:
    return str(sql(store, "SELECT hash FROM records WHERE seq = ?", seq).fetchone()[0])


def set_meta(store: SqlStore, key: str, value: str) -> None:
    sql(store, "UPDATE meta SET value = ? WHERE key = ?", value, key)


# -- the edits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One way of editing the store; ``alone``: what ``verify`` says without a checkpoint
    (a fragment of its problem), or None when only a checkpoint can tell."""

    name: str
    apply: Callable[[SqlStore], None]
    alone: str | None
    seq: int | None = None


def _edit_body(store: SqlStore) -> None:
    set_body(store, 3, flip_status(body_of(store, 3)))


def _reformat_body(store: SqlStore) -> None:
    body = orjson.dumps(body_of(store, 3), option=orjson.OPT_INDENT_2).decode()
    sql(store, "UPDATE records SET body = ? WHERE seq = 3", body)


def _rechain_after(change: Callable[[SqlStore], None]) -> Callable[[SqlStore], None]:
    def apply(store: SqlStore) -> None:
        change(store)
        rechain(store)

    return apply


def _drop_key(*path: str) -> Callable[[SqlStore], None]:
    def apply(store: SqlStore) -> None:
        content = body_of(store, 3)
        inner = content
        for key in path[:-1]:
            inner = inner[key]
        del inner[path[-1]]
        set_body(store, 3, content)

    return apply


def _delete_middle_and_close_gap(store: SqlStore) -> None:
    sql(store, "DELETE FROM records WHERE seq = 3")
    renumber_down_from(store, 3)


def _swap(store: SqlStore) -> None:
    rows = {
        r[0]: r
        for r in sql(store, f"SELECT {RECORD_COLUMNS} FROM records WHERE seq IN (2, 3)").fetchall()
    }
    assignments = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS.split(", ")[1:])
    for seq, other in ((2, 3), (3, 2)):
        sql(store, f"UPDATE records SET {assignments} WHERE seq = ?", *rows[other][1:], seq)


def _shift_all(store: SqlStore) -> None:
    for seq in range(5, 0, -1):
        sql(store, "UPDATE records SET seq = ? WHERE seq = ?", seq + 100, seq)
    set_meta(store, "head_seq", "105")


def _shift_tail(store: SqlStore) -> None:
    for seq in (5, 4):
        sql(store, "UPDATE records SET seq = ? WHERE seq = ?", seq + 1, seq)
    set_meta(store, "head_seq", "6")


def _append_linked_row(store: SqlStore) -> None:
    """A forged sixth record, correctly linked to the fifth, the head left alone."""
    content = flip_status(body_of(store, 5))
    body = encode_content(content).decode()
    prev = hash_of(store, 5)
    copy_row(store, 5, 6, body=body, prev_hash=prev, hash=chain_hash(body.encode(), prev))


def _insert_position_zero(store: SqlStore) -> None:
    body = encode_content(body_of(store, 1)).decode()
    copy_row(store, 1, 0, body=body, prev_hash=GENESIS, hash=chain_hash(body.encode(), GENESIS))


def _delete_last_and_move_head(store: SqlStore) -> None:
    sql(store, "DELETE FROM records WHERE seq = 5")
    set_meta(store, "head_seq", "4")
    set_meta(store, "head_hash", hash_of(store, 4))


def _forge_tail(store: SqlStore) -> None:
    for seq in (4, 5):
        set_body(store, seq, flip_status(body_of(store, seq)))
    rechain(store)


def _empty_records_and_head(store: SqlStore) -> None:
    sql(store, "DELETE FROM records")
    sql(store, "DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')")


def _edit_kept_ruleset(store: SqlStore) -> None:
    (body,) = sql(store, "SELECT body FROM rulesets").fetchone()
    data = orjson.loads(body)
    data["canonical"]["version"] = "forged"
    sql(store, "UPDATE rulesets SET body = ?", orjson.dumps(data).decode())


def _add_to_kept_ruleset(store: SqlStore) -> None:
    (body,) = sql(store, "SELECT body FROM rulesets").fetchone()
    data = orjson.loads(body)
    data["rule_files"] = {"any.rule": "elsewhere.yaml"}
    sql(store, "UPDATE rulesets SET body = ?", orjson.dumps(data).decode())


EDITS = [
    # A record's content, hashes or link.
    Edit("record content", _edit_body, "record #3 (decision", 3),
    Edit("record content re-serialised", _reformat_body, "content does not match its hash", 3),
    Edit(
        "record hash",
        lambda s: sql(s, "UPDATE records SET hash = ? WHERE seq = 3", "sha256:" + "1" * 64),
        "content does not match its hash",
        3,
    ),
    Edit(
        "record link",
        lambda s: sql(s, "UPDATE records SET prev_hash = ? WHERE seq = 3", GENESIS),
        "content does not match its hash",
        3,
    ),
    # Every column beside the content must say what the content says.
    *(
        Edit(
            f"{column} column",
            (lambda c, v: lambda s: sql(s, f"UPDATE records SET {c} = ? WHERE seq = 2", v))(
                column, value
            ),
            f"its {column} column says {value!r}",
            2,
        )
        for column, value in (
            ("decision_id", "f" * 64),
            ("profile_id", "someone-else"),
            ("ruleset_hash", "sha256:" + "2" * 64),
            ("recorded_at", "2000-01-01T00:00:00.000000Z"),
            ("ruleset_version", "1999.1.1"),
        )
    ),
    # Removed, reordered, renumbered, added records.
    Edit("first record deleted", lambda s: sql(s, "DELETE FROM records WHERE seq = 1"), "#1 to #1"),
    Edit(
        "middle record deleted",
        lambda s: sql(s, "DELETE FROM records WHERE seq = 3"),
        "records were removed before record #4",
        4,
    ),
    Edit(
        "middle record deleted, gap closed",
        _delete_middle_and_close_gap,
        "records were removed before record #3",
        3,
    ),
    Edit(
        "last record deleted",
        lambda s: sql(s, "DELETE FROM records WHERE seq = 5"),
        "the last records were removed",
    ),
    Edit(
        "every record deleted",
        lambda s: sql(s, "DELETE FROM records"),
        "the last records were removed",
    ),
    Edit("two records swapped", _swap, "is out of order", 2),
    Edit(
        "one record renumbered",
        lambda s: sql(s, "UPDATE records SET seq = 30 WHERE seq = 3"),
        "record #4",
        4,
    ),
    Edit("every record renumbered", _shift_all, "is numbered #101 but is record 1", 101),
    Edit("later records renumbered", _shift_tail, "is numbered #5 but is record 4", 5),
    Edit("a record at position 0", _insert_position_zero, "is numbered #0 but is record 1", 0),
    Edit(
        "a record copied after the head",
        lambda s: copy_row(s, 5, 6),
        "does not follow record #5",
        6,
    ),
    Edit("a linked record after the head", _append_linked_row, "come after the store's head"),
    # The head in the metadata.
    Edit("head moved back", lambda s: set_meta(s, "head_seq", "4"), "come after the store's head"),
    Edit(
        "head moved on",
        lambda s: set_meta(s, "head_seq", "9"),
        "the last records were removed",
    ),
    Edit(
        "head hash",
        lambda s: set_meta(s, "head_hash", "sha256:" + "3" * 64),
        "does not match its last record",
    ),
    Edit(
        "head removed",
        lambda s: sql(s, "DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')"),
        "the store's head is missing",
    ),
    Edit("head not a number", lambda s: set_meta(s, "head_seq", "many"), "'many'"),
    # A malformed record whose hashes were made to match.
    Edit(
        "record content not JSON, chain recomputed",
        _rechain_after(lambda s: sql(s, "UPDATE records SET body = '{oops' WHERE seq = 3")),
        "its content is not valid JSON",
        3,
    ),
    Edit(
        "record without its product id, chain recomputed",
        _rechain_after(_drop_key("profile", "id")),
        "is not a valid record: profile.id is missing",
        3,
    ),
    Edit(
        "record without its decision, chain recomputed",
        _rechain_after(_drop_key("decision")),
        "decision is missing",
        3,
    ),
    # The kept rulesets.
    Edit("kept ruleset content", _edit_kept_ruleset, "was changed: its rules no longer match"),
    Edit("kept ruleset extra data", _add_to_kept_ruleset, "holds more than its rules"),
    Edit(
        "kept ruleset name",
        lambda s: sql(s, "UPDATE rulesets SET name = 'other'"),
        "its name column says 'other'",
    ),
    Edit(
        "kept ruleset version",
        lambda s: sql(s, "UPDATE rulesets SET version = '0.0'"),
        "its version column says '0.0'",
    ),
    Edit("kept ruleset removed", lambda s: sql(s, "DELETE FROM rulesets"), "is not kept", 1),
    # Consistent rewrites: only a checkpoint kept outside the store can tell.
    Edit("last record deleted, head moved back", _delete_last_and_move_head, None),
    Edit("a record edited, chain recomputed", _rechain_after(_edit_body), None),
    Edit("the tail forged and re-chained", _forge_tail, None),
    Edit(
        "middle record deleted, gap closed, chain recomputed",
        _rechain_after(_delete_middle_and_close_gap),
        None,
    ),
    Edit("every record and the head deleted", _empty_records_and_head, None),
    Edit("store id changed", lambda s: set_meta(s, "store_id", "f" * 32), None),
]


@pytest.fixture
def key(tmp_path: Path) -> Path:
    """A signing key of the test's own, outside the store."""
    path = tmp_path / "keys" / "audit-key.pem"
    generate_key(path)
    return path


@pytest.fixture
def checkpointed(
    store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet, key: Path
) -> tuple[SqlStore, Checkpoint]:
    """A store of five records, and a signed checkpoint of it."""
    for content in contents(fixture_decisions[:5], ruleset):
        store.append([content], ruleset)
    result, checkpoint = make_checkpoint(store, load_signing_key(key))
    assert result.ok, result.problem
    assert checkpoint is not None and checkpoint.size == 5
    return store, checkpoint


def test_the_untouched_store_verifies_alone_and_against_its_checkpoint(
    checkpointed: tuple[SqlStore, Checkpoint],
) -> None:
    """No false alarm: the store as written verifies, and extends its checkpoint."""
    store, checkpoint = checkpointed
    assert verify(store).ok
    result = verify(store, checkpoint)
    assert result.ok, result.problem
    assert result.checkpoint == checkpoint


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
def test_each_edit_is_caught_by_verify_or_by_the_checkpoint(
    checkpointed: tuple[SqlStore, Checkpoint], edit: Edit
) -> None:
    """What verify alone says about the edit, and that the checkpoint always catches it."""
    store, checkpoint = checkpointed
    edit.apply(store)
    alone = verify(store)
    if edit.alone is None:
        assert alone.ok, f"unexpectedly caught without a checkpoint: {alone.problem}"
    else:
        assert not alone.ok
        assert edit.alone in str(alone.problem), alone.problem
        if edit.seq is not None:
            assert alone.seq == edit.seq
    against = verify(store, checkpoint)
    assert not against.ok
    if edit.alone is None:
        assert "checkpoint" in str(against.problem)


def test_records_appended_after_a_checkpoint_still_extend_it(
    checkpointed: tuple[SqlStore, Checkpoint], fixture_decisions: Pairs, ruleset: RuleSet
) -> None:
    """A log that only grew since its checkpoint verifies against it."""
    store, checkpoint = checkpointed
    store.append(contents(fixture_decisions[5:8], ruleset), ruleset)
    result = verify(store, checkpoint)
    assert result.ok, result.problem
    assert result.records == 8


def test_a_checkpoint_of_another_store_is_refused(
    checkpointed: tuple[SqlStore, Checkpoint],
    store_url: str,
    tmp_path: Path,
    fixture_decisions: Pairs,
    ruleset: RuleSet,
) -> None:
    """A store rebuilt with the very same records is still another store."""
    _, checkpoint = checkpointed
    if not store_url.startswith("postgresql://"):
        other_url = str(tmp_path / "other.sqlite")
        with open_store(other_url, create=True) as other:
            other.append(contents(fixture_decisions[:5], ruleset), ruleset)
            result = verify(other, checkpoint)
        assert not result.ok
        assert "is of another store" in str(result.problem)


# -- the store itself gone ------------------------------------------------------------------


def _drop_tables(store: SqlStore) -> None:
    for table in ("records", "rulesets", "meta", "secrets"):
        sql(store, f"DROP TABLE {table}")


def test_a_store_whose_tables_were_dropped_fails_against_its_checkpoint(
    checkpointed: tuple[SqlStore, Checkpoint], store_url: str
) -> None:
    """Without a checkpoint an emptied database is "no store yet"; with one, it is tampering."""
    store, checkpoint = checkpointed
    _drop_tables(store)
    store.close()
    result, _ = verify_location(store_url, checkpoint)
    assert not result.ok
    assert "the checkpoint covers 5 records" in str(result.problem)


@pytest.mark.parametrize("how", ["truncated", "deleted"])
def test_a_sqlite_store_truncated_or_deleted_fails_against_its_checkpoint(
    tmp_path: Path, fixture_decisions: Pairs, ruleset: RuleSet, key: Path, how: str
) -> None:
    """A store file emptied or removed is a failure when a checkpoint says it held records."""
    path = tmp_path / "audit.sqlite"
    with open_store(path, create=True) as store:
        store.append(contents(fixture_decisions[:3], ruleset), ruleset)
        _, checkpoint = make_checkpoint(store, load_signing_key(key))
    assert checkpoint is not None
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            if how == "truncated":
                extra.write_bytes(b"")
            else:
                extra.unlink()
    result, _ = verify_location(str(path), checkpoint)
    assert not result.ok
    assert "the checkpoint covers 3 records" in str(result.problem)


def test_a_checkpoint_is_refused_for_a_store_that_does_not_verify(
    checkpointed: tuple[SqlStore, Checkpoint], key: Path
) -> None:
    """Signing a tampered store would launder it: no checkpoint, and the problem named."""
    store, _ = checkpointed
    _edit_body(store)
    result, checkpoint = make_checkpoint(store, load_signing_key(key))
    assert checkpoint is None
    assert result.seq == 3


def test_a_new_checkpoint_must_extend_the_previous_one(
    checkpointed: tuple[SqlStore, Checkpoint], key: Path
) -> None:
    """Given the previous checkpoint, a store rewritten since is not signed again."""
    store, previous = checkpointed
    _forge_tail(store)
    result, checkpoint = make_checkpoint(store, load_signing_key(key), previous)
    assert checkpoint is None
    assert "checkpoint" in str(result.problem)
