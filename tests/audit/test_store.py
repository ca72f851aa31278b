"""The store on every backend: appends, the hash chain, tampering, faults, concurrency."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson
import pytest

from eligibility.audit.backend import open_store
from eligibility.audit.migrations import CURRENT_VERSION, MIGRATIONS
from eligibility.audit.postgres import LOCK_KEY
from eligibility.audit.record import (
    GENESIS,
    RecordSettings,
    chain_hash,
    encode_content,
    record_content,
)
from eligibility.audit.sql import SqlStore
from eligibility.audit.store import Filters
from eligibility.audit.verify import verify
from eligibility.decision.model import Decision
from eligibility.errors import NoStoreError, StoreError
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.audit.conftest import contents, sqlite_db
from tests.conftest import PG_DSN, ROOT, RULES, with_schema

Pairs = list[tuple[Profile, Decision]]


def tamper(store: SqlStore, sql: str, *params: Any) -> None:
    """Change the store behind the library's back (autocommit)."""
    store._execute(sql, params)


def filled(store: SqlStore, pairs: Pairs, ruleset: RuleSet) -> list[Any]:
    """Append every fixture decision, one transaction each."""
    return [rec for c in contents(pairs, ruleset) for rec in store.append([c], ruleset)]


class TestAppend:
    def test_records_come_back_in_order_with_their_content(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """What is appended is read back whole, in chain order."""
        written = filled(store, fixture_decisions, ruleset)
        read = list(store.records())
        assert [r.seq for r in read] == list(range(1, len(fixture_decisions) + 1))
        assert [r.content for r in read] == [r.content for r in written]

    def test_each_record_links_to_the_one_before(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """The first record links to the genesis hash, every other to its predecessor."""
        filled(store, fixture_decisions[:4], ruleset)
        records = list(store.records())
        assert records[0].prev_hash == GENESIS
        for before, after in itertools.pairwise(records):
            assert after.prev_hash == before.hash
            assert after.hash == chain_hash(after.body.encode(), after.prev_hash)

    def test_the_ruleset_is_kept_once_by_hash(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Every ruleset a record was decided under is kept, once, under its hash."""
        filled(store, fixture_decisions[:3], ruleset)
        kept = dict(store.rulesets())
        assert list(kept) == [ruleset.hash]
        assert orjson.loads(kept[ruleset.hash])["canonical"] == ruleset.canonical()

    def test_a_fresh_store_verifies(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A store written only through the library verifies."""
        filled(store, fixture_decisions, ruleset)
        result = verify(store)
        assert result.ok, result.problem
        assert result.records == len(fixture_decisions)

    def test_find_by_prefix_by_seq_and_latest_of_a_repeated_decision(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """An id prefix names the latest record of that decision; #SEQ names one record."""
        pair = fixture_decisions[:1]
        store.append(contents(pair, ruleset), ruleset)
        store.append(contents(pair, ruleset), ruleset)
        latest = store.find(next(iter(store.records())).decision_id[:8])
        assert latest.seq == 2
        assert store.find("#1").seq == 1

    def test_unknown_and_malformed_ids_are_clear_errors(self, store: SqlStore) -> None:
        """An unknown id, a missing #SEQ and a non-id each name the problem."""
        with pytest.raises(StoreError, match="no record with decision id abcdef12"):
            store.find("abcdef12")
        with pytest.raises(StoreError, match="no record #9"):
            store.find("#9")
        with pytest.raises(StoreError, match="is not a decision id"):
            store.find("xyz")

    def test_filters_select_by_product_label_status_and_ruleset(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Each list filter keeps exactly the records it names."""
        store.append(contents(fixture_decisions[:2], ruleset, labels={"team": "a"}), ruleset)
        store.append(contents(fixture_decisions[2:4], ruleset, labels={"team": "b"}), ruleset)
        target = fixture_decisions[3][0].id
        assert [r.profile_id for r in store.records(Filters(product=target))] == [target]
        assert len(list(store.records(Filters(labels={"team": "b"})))) == 2
        assert len(list(store.records(Filters(ruleset=ruleset.hash[7:19])))) == 4
        assert len(list(store.records(Filters(ruleset=ruleset.version)))) == 4
        assert list(store.records(Filters(ruleset="0000deadbeef"))) == []
        applies = [r.profile_id for r in store.records(Filters(status={"ins": "applies"}))]
        expected = [p.id for p, d in fixture_decisions[:4] if d.outcome("ins") == "applies"]
        assert applies == expected

    def test_date_filters_bound_the_recording_time(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """--since and --until compare with the recording time; a bare date is a whole day."""
        filled(store, fixture_decisions[:2], ruleset)
        day = next(iter(store.records())).recorded_at[:10]
        assert len(list(store.records(Filters(since=day, until=day)))) == 2
        assert list(store.records(Filters(until="2000-01-01"))) == []
        assert list(store.records(Filters(since="2999-01-01"))) == []


class TestTamperEvidence:
    def test_an_edited_record_is_named(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Changing a recorded decision breaks its hash; verify names that record."""
        filled(store, fixture_decisions[:5], ruleset)
        record = store.find("#3")
        content = dict(record.content)
        content["decision"]["journeys"][0]["status"] = "applies"
        body = orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()
        tamper(store, "UPDATE records SET body = ? WHERE seq = 3", body)
        result = verify(store)
        assert not result.ok
        assert result.seq == 3
        assert "record #3" in str(result.problem) and "was changed" in str(result.problem)

    def test_a_deleted_record_is_named(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Removing a record from the middle breaks the next record's link."""
        filled(store, fixture_decisions[:5], ruleset)
        tamper(store, "DELETE FROM records WHERE seq = 3")
        result = verify(store)
        assert result.seq == 4
        assert "records were removed before record #4" in str(result.problem)
        assert "#3 to #3" in str(result.problem)

    def test_swapped_records_are_named(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Exchanging two records' places shows as the first one being out of order."""
        filled(store, fixture_decisions[:5], ruleset)
        rows = {
            r[0]: r
            for r in store._execute(
                "SELECT seq, decision_id, recorded_at, profile_id, ruleset_hash, "
                "ruleset_version, body, prev_hash, hash FROM records WHERE seq IN (2, 3)"
            ).fetchall()
        }
        for seq, other in ((2, 3), (3, 2)):
            tamper(
                store,
                "UPDATE records SET decision_id = ?, recorded_at = ?, profile_id = ?, "
                "ruleset_hash = ?, ruleset_version = ?, body = ?, prev_hash = ?, hash = ? "
                "WHERE seq = ?",
                *rows[other][1:],
                seq,
            )
        result = verify(store)
        assert result.seq == 2
        assert "is out of order: it was recorded after record #3" in str(result.problem)

    def test_removing_the_last_records_is_detected(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """The store's head remembers the last record, so truncating the chain shows."""
        filled(store, fixture_decisions[:5], ruleset)
        tamper(store, "DELETE FROM records WHERE seq >= 4")
        result = verify(store)
        assert "the last records were removed" in str(result.problem)
        assert "#5" in str(result.problem) and "#3" in str(result.problem)

    def test_an_edited_listing_column_is_named(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A listing column that disagrees with the hashed content is reported."""
        filled(store, fixture_decisions[:3], ruleset)
        tamper(store, "UPDATE records SET profile_id = 'someone-else' WHERE seq = 2")
        result = verify(store)
        assert result.seq == 2
        assert "profile_id column says 'someone-else'" in str(result.problem)

    def test_an_edited_kept_ruleset_is_named(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Changing the kept rules breaks their content hash."""
        filled(store, fixture_decisions[:2], ruleset)
        ((_, body),) = store.rulesets()
        data = orjson.loads(body)
        data["canonical"]["version"] = "forged"
        tamper(store, "UPDATE rulesets SET body = ?", orjson.dumps(data).decode())
        result = verify(store)
        assert f"kept ruleset {ruleset.hash} was changed" in str(result.problem)


class TestFaults:
    def test_a_missing_store_is_not_created_by_readers(self, tmp_path: Path) -> None:
        """Reading a store that does not exist is an error and creates nothing."""
        path = tmp_path / "nope.sqlite"
        with pytest.raises(StoreError, match="no such file"):
            open_store(path)
        assert not path.exists()

    def test_no_store_yet_says_how_to_record_in_each_front_end_s_words(
        self, tmp_path: Path
    ) -> None:
        """No file, or a database without the tables: the message says to record a
        decision, with --record for the command line, another way for another front end."""
        path = tmp_path / "tableless.sqlite"  # a SQLite file, but no tables in it
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE dropped (x)")
            conn.execute("DROP TABLE dropped")
            conn.commit()
        for where, what in (
            (tmp_path / "nope.sqlite", "no such file (record a decision with {} to create "),
            (path, "no audit store here yet (record a decision with {} to create one)"),
        ):
            with pytest.raises(NoStoreError) as raised:
                open_store(where)
            assert what.format("--record") in str(raised.value)
            told = raised.value.recording_with("record=true")
            assert told.startswith(f"audit store {where}: ")
            assert what.format("record=true") in told and "--record" not in told

    def test_a_file_that_is_not_sqlite_is_reported_corrupted(self, tmp_path: Path) -> None:
        """A garbage file is named as corrupted and left as it was."""
        path = tmp_path / "audit.sqlite"
        path.write_bytes(b"this is not a database at all" * 100)
        with pytest.raises(StoreError, match="corrupted or not a SQLite file"):
            open_store(path)
        assert path.read_bytes() == b"this is not a database at all" * 100

    def test_a_newer_schema_is_refused_untouched(
        self, store_url: str, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A store written by a newer eligibility is refused and its records kept."""
        with open_store(store_url, create=True) as store:
            filled(store, fixture_decisions[:2], ruleset)
            tamper(store, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        with pytest.raises(StoreError, match="schema version 99 is newer"):
            open_store(store_url)
        with _raw(store_url) as raw:
            assert raw.execute("SELECT count(*) FROM records").fetchone()[0] == 2

    def test_a_locked_sqlite_store_times_out_clearly_and_loses_nothing(
        self, tmp_path: Path, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A writer blocked by another one gives up with a message; nothing is lost."""
        path = tmp_path / "audit.sqlite"
        with open_store(path, create=True) as store:
            filled(store, fixture_decisions[:2], ruleset)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with (
                open_store(path, timeout=0.2) as blocked,
                pytest.raises(StoreError, match="is locked by another process"),
            ):
                blocked.append(contents(fixture_decisions[2:3], ruleset), ruleset)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        with open_store(path) as store:
            assert verify(store).records == 2
            store.append(contents(fixture_decisions[2:3], ruleset), ruleset)
            assert verify(store).records == 3

    @pytest.mark.skipif(not PG_DSN, reason="ELIGIBILITY_TEST_PG is not set")
    def test_a_locked_postgresql_store_times_out_clearly_and_loses_nothing(
        self, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A writer waiting on another's lock past its timeout gives up with a message."""
        import psycopg

        assert PG_DSN is not None
        schema = f"audit_lock_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        url = with_schema(PG_DSN, schema)
        try:
            with open_store(url, create=True) as store:
                filled(store, fixture_decisions[:2], ruleset)
            with psycopg.connect(url, autocommit=True) as holder:
                holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
                with (
                    open_store(url, timeout=0.3) as blocked,
                    pytest.raises(StoreError, match="is locked by another writer"),
                ):
                    blocked.append(contents(fixture_decisions[2:3], ruleset), ruleset)
            with open_store(url) as store:
                assert verify(store).records == 2
        finally:
            with psycopg.connect(PG_DSN, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")

    def test_another_programs_sqlite_database_is_left_alone(self, tmp_path: Path) -> None:
        """Recording into a SQLite file that holds other tables is refused, file untouched."""
        path = tmp_path / "tableless.sqlite"  # a SQLite file, but no tables in it
        with sqlite_db(path) as conn:
            conn.execute("CREATE TABLE customers (name TEXT)")
        before = path.read_bytes()
        with pytest.raises(StoreError, match="is a SQLite database, but not an audit store"):
            open_store(path, create=True)
        assert path.read_bytes() == before

    def test_a_directory_is_not_a_store(self, tmp_path: Path) -> None:
        """A directory given as the store is named as such."""
        with pytest.raises(StoreError, match="is a directory"):
            open_store(tmp_path)

    def test_an_unsupported_url_scheme_is_refused(self) -> None:
        """Only file paths and postgresql:// URLs are stores."""
        with pytest.raises(StoreError, match="unsupported store URL scheme 'mysql'"):
            open_store("mysql://user:secret@host/db")

    def test_an_unreachable_postgresql_server_is_a_clear_error(self) -> None:
        """A server that does not answer gives a connection error without the password."""
        with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
            open_store("postgresql://user:secret@127.0.0.1:9/db", timeout=1)
        assert "secret" not in str(caught.value)

    def test_a_wrong_postgresql_url_is_a_clear_error(self) -> None:
        """A URL libpq cannot parse is named as invalid."""
        with pytest.raises(StoreError, match="PostgreSQL"):
            open_store("postgresql://host:notaport/db", timeout=1)


def _raw(url: str) -> Any:
    """A plain connection to the store's database (no library involved)."""
    if url.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(url, autocommit=True)
    return closing(sqlite3.connect(url))


class TestMigrations:
    def test_a_first_schema_store_is_migrated_and_keeps_verifying(
        self, store_url: str, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A store written with schema 1 opens at the current schema, whole and listable."""
        with _raw(store_url) as raw:
            MIGRATIONS[0](
                lambda sql, params: raw.execute(_ph(url=store_url, sql=sql), params),
                lambda _name: False,
            )
            raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            prev = GENESIS
            settings = RecordSettings("unused")
            body = {"canonical": ruleset.canonical(), "rule_files": dict(ruleset.rule_files)}
            raw.execute(
                _ph(store_url, "INSERT INTO rulesets VALUES (?, ?, ?, ?)"),
                (ruleset.hash, ruleset.name, ruleset.version, orjson.dumps(body).decode()),
            )
            for seq, (profile, decision) in enumerate(fixture_decisions[:3], start=1):
                content = record_content(profile, decision, ruleset, settings, "durable")
                body = encode_content(content)
                digest = chain_hash(body, prev)
                raw.execute(
                    _ph(store_url, "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)"),
                    (
                        seq,
                        content["decision_id"],
                        content["recorded_at"],
                        body.decode(),
                        prev,
                        digest,
                    ),
                )
                prev = digest
            raw.commit()
        with open_store(store_url) as store:
            assert store.schema_version() == CURRENT_VERSION
            result = verify(store)
            assert result.ok, result.problem
            assert result.records == 3
            wanted = fixture_decisions[1][0].id
            assert [r.seq for r in store.records(Filters(product=wanted))] == [2]
            assert store.head() is not None and store.head().seq == 3  # type: ignore[union-attr]
            store.append(contents(fixture_decisions[3:4], ruleset), ruleset)
            assert verify(store).records == 4

    def test_a_second_schema_store_gets_an_id_a_mask_key_and_bare_rulesets(
        self, store_url: str, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A store of the previous schema opens migrated: same records, still verifying."""
        with _raw(store_url) as raw:
            for step in MIGRATIONS[:2]:
                step(lambda sql, params: raw.execute(_ph(store_url, sql), params), lambda _: False)
            raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
            old_body = {"canonical": ruleset.canonical(), "rule_files": dict(ruleset.rule_files)}
            raw.execute(
                _ph(store_url, "INSERT INTO rulesets VALUES (?, ?, ?, ?)"),
                (ruleset.hash, ruleset.name, ruleset.version, orjson.dumps(old_body).decode()),
            )
            prev, seq = GENESIS, 0
            for seq, content in enumerate(contents(fixture_decisions[:3], ruleset), start=1):
                body = encode_content(content)
                digest = chain_hash(body, prev)
                raw.execute(
                    _ph(
                        store_url,
                        "INSERT INTO records (seq, decision_id, recorded_at, profile_id, "
                        "ruleset_hash, ruleset_version, body, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ),
                    (
                        seq,
                        content["decision_id"],
                        content["recorded_at"],
                        content["profile"]["id"],
                        ruleset.hash,
                        ruleset.version,
                        body.decode(),
                        prev,
                        digest,
                    ),
                )
                prev = digest
            raw.execute(
                _ph(store_url, "INSERT INTO meta VALUES ('head_seq', ?), ('head_hash', ?)"),
                (str(seq), prev),
            )
            raw.commit()
        with open_store(store_url) as store:
            assert store.schema_version() == CURRENT_VERSION == 3
            assert len(store.store_id()) == 32
            assert len(store.mask_key()) == 32
            ((_, kept),) = store.rulesets()
            assert orjson.loads(kept) == {"canonical": ruleset.canonical()}
            result = verify(store)
            assert result.ok, result.problem
            assert result.records == 3
            store.append(contents(fixture_decisions[3:4], ruleset), ruleset)
            assert verify(store).records == 4

    def test_a_malformed_old_store_is_left_untouched_with_a_message(self, store_url: str) -> None:
        """A first-schema record without a profile cannot be migrated: said, not a crash."""
        with _raw(store_url) as raw:
            MIGRATIONS[0](lambda sql, params: raw.execute(_ph(store_url, sql), params), bool)
            raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            raw.execute(
                _ph(store_url, "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)"),
                (1, "f" * 64, "2026-01-01", '{"no": "profile"}', GENESIS, "sha256:x"),
            )
            raw.commit()
        with pytest.raises(StoreError, match="cannot be brought to schema version 2"):
            open_store(store_url)
        with _raw(store_url) as raw:
            (version,) = raw.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        assert version == "1"

    def test_a_new_store_is_created_at_the_current_version(self, store: SqlStore) -> None:
        """Creating a store runs every migration."""
        assert store.schema_version() == CURRENT_VERSION == len(MIGRATIONS)


def _ph(url: str, sql: str) -> str:
    return sql.replace("?", "%s") if url.startswith("postgresql://") else sql


# -- several processes at once ---------------------------------------------------------------

WRITES = 500
WORKERS = 4


def append_many(url: str, worker: int, count: int) -> None:
    """A writer process: ``count`` appends of one record each (like ``evaluate --record``)."""
    from eligibility.decision.evaluator import Evaluator
    from eligibility.profile.files import read_profile

    rules = load_ruleset(RULES)
    profile = read_profile(str(ROOT / "fixtures" / "profiles" / "pacs-regional.yaml"))
    decision = Evaluator(rules, "python").evaluate(profile)
    with open_store(url, create=True, timeout=60) as store:
        for n in range(count):
            settings = RecordSettings("unused", labels={"worker": str(worker), "n": str(n)})
            store.append([record_content(profile, decision, rules, settings, "python")], rules)


def test_four_processes_appending_500_records_each_lose_nothing(store_url: str) -> None:
    """Concurrent writers queue on the store's lock: every record is there, chained."""
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=append_many, args=(store_url, w, WRITES)) for w in range(WORKERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
        assert w.exitcode == 0
    with open_store(store_url) as store:
        result = verify(store)
        assert result.ok, result.problem
        assert result.records == WORKERS * WRITES
        seen = {(r.labels["worker"], r.labels["n"]) for r in store.records()}
    assert seen == {(str(w), str(n)) for w in range(WORKERS) for n in range(WRITES)}


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from eligibility.decision.evaluator import Evaluator
    from eligibility.audit.record import RecordSettings, record_content
    from eligibility.audit.backend import open_store
    from eligibility.profile.files import read_profile
    from eligibility.rules.loader import load_ruleset

    url, rules_dir, profile_path = sys.argv[1:4]
    rules = load_ruleset(rules_dir)
    profile = read_profile(profile_path)
    decision = Evaluator(rules, "python").evaluate(profile)
    content = record_content(profile, decision, rules, RecordSettings("unused"), "python")
    with open_store(url, create=True) as store:
        print("ready", flush=True)
        while True:
            store.append([content] * 200, rules)
    """
)


def test_killing_a_writer_mid_transaction_leaves_a_store_that_verifies(
    store_url: str,
) -> None:
    """kill -9 during appends loses at most the open chunk; the chain still verifies."""
    profile = str(ROOT / "fixtures" / "profiles" / "pacs-regional.yaml")
    for round_ in range(2):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, store_url, str(RULES), profile],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
            deadline = time.monotonic() + 120  # generous: a loaded machine writes slowly
            with open_store(store_url) as watcher:
                while time.monotonic() < deadline:
                    seen = verify(watcher)  # while the writer writes: never a false alarm
                    assert seen.ok, seen.problem
                    if seen.records >= 400 * (round_ + 1):
                        break
                    time.sleep(0.02)
        finally:  # the writer never stops by itself: never leave it running
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        with open_store(store_url) as store:
            result = verify(store)
            assert result.ok, result.problem
            assert result.records >= 400 * (round_ + 1)
            assert result.records % 200 == 0  # whole transactions only


def test_reads_in_a_snapshot_do_not_see_appends_made_meanwhile(
    store: SqlStore, store_url: str, ruleset: RuleSet, fixture_decisions: Any
) -> None:
    """Inside snapshot(), the head and the rows stay consistent while another connection
    appends: what verification relies on to never raise a false alarm."""
    first = contents(fixture_decisions[:1], ruleset)
    with open_store(store_url) as other:
        with store.snapshot():
            head = store.head()
            other.append(first, ruleset)  # committed by another writer, mid-snapshot
            rows = list(store.raw_rows())
        assert head is None and rows == []
        assert verify(store).ok and verify(store).records == 1
