"""A store edited by someone else never makes a command fail with a traceback, nor write
outside where it was told: each command says what is wrong and exits 1."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from eligibility.audit.backend import open_store
from eligibility.audit.record import chain_hash, encode_content
from eligibility.audit.sql import SqlStore
from eligibility.audit.verify import verify
from eligibility.cli import cli
from eligibility.decision.model import Decision
from eligibility.errors import NoStoreError, StoreError
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet
from tests.audit.conftest import contents, sqlite_db
from tests.conftest import FIXTURES

Pairs = list[tuple[Profile, Decision]]
PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")


def run(runner: CliRunner, *args: str) -> Result:
    """Invoke the CLI; an exception escaping it fails the test (it would be a traceback)."""
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(runner: CliRunner, tmp_path: Path) -> str:
    """A store of two records, written by the CLI."""
    path = str(tmp_path / "audit.sqlite")
    for _ in range(2):
        assert run(runner, "evaluate", PACS, "--record", "--store", path).exit_code == 0
    return path


def rewrite_record(path: str, seq: int, content: dict[str, object]) -> None:
    """Replace a record's content and recompute its hash, the next links and the head."""
    with sqlite_db(path) as conn:
        rows = conn.execute("SELECT seq, body, prev_hash FROM records ORDER BY seq").fetchall()
        prev = rows[0][2]
        for row_seq, body, _ in rows:
            text = encode_content(content).decode() if row_seq == seq else body
            digest = chain_hash(text.encode(), prev)
            conn.execute(
                "UPDATE records SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (text, prev, digest, row_seq),
            )
            prev = digest
        conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (prev,))


def content_of(path: str, seq: int) -> dict[str, object]:
    with open_store(path) as store:
        return dict(store.find(f"#{seq}").content)


class TestPositions:
    @pytest.mark.parametrize("ref", ["#99999999999999999999999999", "#9223372036854775808"])
    def test_a_position_past_any_record_is_no_record(
        self, runner: CliRunner, db: str, ref: str
    ) -> None:
        """A #SEQ too large for the database is simply not found."""
        result = run(runner, "audit", "show", ref, "--store", db)
        assert result.exit_code == 1
        assert f"no record {ref}" in result.stderr

    def test_a_position_in_other_digits_is_not_a_position(self, runner: CliRunner, db: str) -> None:
        """'#٢' (an Arabic-Indic two) does not name record #2."""
        result = run(runner, "audit", "show", "#\u0662", "--store", db)
        assert result.exit_code == 1
        assert "is not a decision id" in result.stderr


class TestCorruptedMetadata:
    def test_a_head_that_is_not_a_number_is_reported_by_verify(
        self, runner: CliRunner, db: str
    ) -> None:
        """verify names the metadata edit instead of failing on it."""
        with sqlite_db(db) as conn:
            conn.execute("UPDATE meta SET value = 'two' WHERE key = 'head_seq'")
        result = run(runner, "audit", "verify", "--store", db)
        assert result.exit_code == 1
        assert "TAMPERED" in result.stdout and "its head is 'two'" in result.stdout

    def test_recording_refuses_a_store_whose_head_was_changed(
        self, runner: CliRunner, db: str
    ) -> None:
        """Appending would rewrite the head and hide the edit: nothing is recorded."""
        with sqlite_db(db) as conn:
            conn.execute("UPDATE meta SET value = 'two' WHERE key = 'head_seq'")
        result = run(runner, "evaluate", PACS, "--record", "--store", db)
        assert result.exit_code == 1
        assert "is corrupted: its head is 'two'" in result.stderr
        with sqlite_db(db) as conn:
            assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 2

    def test_a_schema_version_that_is_not_a_number_is_an_error(
        self, runner: CliRunner, db: str
    ) -> None:
        """Every command names the corrupted schema version."""
        with sqlite_db(db) as conn:
            conn.execute("UPDATE meta SET value = 'x' WHERE key = 'schema_version'")
        result = run(runner, "audit", "list", "--store", db)
        assert result.exit_code == 1
        assert "is corrupted: schema version 'x'" in result.stderr


class TestMalformedRecords:
    @pytest.fixture
    def malformed(self, db: str) -> str:
        """Record #2 without its product id, every hash recomputed to match."""
        content = content_of(db, 2)
        del content["profile"]["id"]  # type: ignore[attr-defined]
        rewrite_record(db, 2, content)
        return db

    @pytest.mark.parametrize(
        "command",
        [
            ["audit", "list"],
            ["audit", "show", "#2"],
            ["audit", "replay", "#2"],
            ["audit", "replay", "--all"],
            ["audit", "export"],
            ["audit", "export", "--format", "csv"],
            ["audit", "promote", "#2", "--dir", "{tmp}"],
        ],
        ids=lambda c: " ".join(c[1:]),
    )
    def test_every_reader_names_the_malformed_record(
        self, runner: CliRunner, malformed: str, tmp_path: Path, command: list[str]
    ) -> None:
        """An Error line naming the record and what it lacks, exit 1."""
        args = [a.replace("{tmp}", str(tmp_path / "golden")) for a in command]
        result = run(runner, *args, "--store", malformed)
        assert result.exit_code == 1
        assert "record #2 is not a valid record: profile.id is missing" in result.stderr

    def test_verify_names_it_too(self, runner: CliRunner, malformed: str) -> None:
        """verify reports it as tampering, with the record's position."""
        result = run(runner, "audit", "verify", "--store", malformed)
        assert result.exit_code == 1
        assert "is not a valid record: profile.id is missing" in result.stdout


class TestPromoteStaysInItsDirectory:
    def test_a_decision_id_naming_a_path_writes_nothing(
        self, runner: CliRunner, db: str, tmp_path: Path
    ) -> None:
        """A decision id rewritten to '../../../x' (hashes recomputed) is refused."""
        content = content_of(db, 1)
        content["decision_id"] = "../../../x"
        rewrite_record(db, 1, content)
        work = tmp_path / "a" / "b" / "c"
        work.mkdir(parents=True)
        result = run(runner, "audit", "promote", "#1", "--store", db, "--dir", str(work))
        assert result.exit_code == 1
        assert "decision_id is not a decision id" in result.stderr
        assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["audit.sqlite"]

    def test_a_symbolic_link_out_of_the_directory_is_not_followed(
        self, runner: CliRunner, db: str, tmp_path: Path
    ) -> None:
        """A case file that is a link elsewhere is refused, and its target left alone."""
        folder = tmp_path / "golden"
        folder.mkdir()
        target = tmp_path / "elsewhere.txt"
        target.write_text("keep me", encoding="utf-8")
        with open_store(db) as store:
            name = store.find("#1").decision_id[:16] + ".json"
        (folder / name).symlink_to(target)
        result = run(runner, "audit", "promote", "#1", "--store", db, "--dir", str(folder))
        assert result.exit_code == 1
        assert "leads outside" in result.stderr
        assert target.read_text(encoding="utf-8") == "keep me"


class TestAppendGuard:
    def test_an_append_after_removed_last_records_is_refused(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """The head keeps the evidence of the removal: recording does not overwrite it."""
        store.append(contents(fixture_decisions[:3], ruleset), ruleset)
        store._execute("DELETE FROM records WHERE seq = 3")
        with pytest.raises(StoreError, match="its last record and its head disagree"):
            store.append(contents(fixture_decisions[3:4], ruleset), ruleset)
        assert "the last records were removed" in str(verify(store).problem)

    def test_an_append_after_rows_added_outside_is_refused(
        self, store: SqlStore, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Rows after the head stay after it: the next append does not adopt them."""
        store.append(contents(fixture_decisions[:2], ruleset), ruleset)
        store._execute("DELETE FROM meta WHERE key IN ('head_seq', 'head_hash')")
        with pytest.raises(StoreError, match="its last record and its head disagree"):
            store.append(contents(fixture_decisions[2:3], ruleset), ruleset)
        assert "the store's head is missing" in str(verify(store).problem)


class TestTruncatedFile:
    def test_an_emptied_store_file_is_not_taken_for_no_store_yet(
        self, runner: CliRunner, db: str
    ) -> None:
        """Readers say the file is empty (and may have been truncated), not "no store yet"."""
        for suffix in ("", "-wal", "-shm"):
            if Path(db + suffix).exists():
                Path(db + suffix).write_bytes(b"")
        with pytest.raises(NoStoreError, match="is an empty file"):
            open_store(db)
        result = run(runner, "audit", "verify", "--store", db)
        assert result.exit_code == 1
        assert "is an empty file, not an audit store (was it truncated?)" in result.stderr


def test_a_kept_ruleset_edited_is_not_replayed(
    runner: CliRunner, db: str, ruleset: RuleSet, seed_rules: Path
) -> None:
    """Replay re-runs only kept rules that still hash to the recorded hash."""
    with sqlite_db(db) as conn:
        (body,) = conn.execute("SELECT body FROM rulesets").fetchone()
        data = orjson.loads(body)
        data["canonical"]["rules"] = data["canonical"]["rules"][:-1]
        conn.execute("UPDATE rulesets SET body = ?", (orjson.dumps(data).decode(),))
    result = run(runner, "audit", "replay", "#1", "--store", db, "--rules", str(seed_rules))
    assert result.exit_code == 1
    assert f"kept ruleset {ruleset.hash} was changed" in result.stderr
