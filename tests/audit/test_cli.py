"""The command line: recording from evaluate, and every audit command, with their errors."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from eligibility.audit.backend import open_store
from eligibility.audit.golden import check_case, load_case
from eligibility.audit.record import canonical_json, mask_value, sha256
from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from tests.audit.conftest import sqlite_db
from tests.conftest import FIXTURES, RULES

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")
GAM = str(FIXTURES / "profiles" / "hospital-gam.yaml")


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI (no exception swallowed silently)."""
    return runner.invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store path that does not exist yet."""
    return str(tmp_path / "audit.sqlite")


@pytest.fixture
def recorded(runner: CliRunner, db: str) -> str:
    """A store holding the regional PACS, then the hospital GAM, decisions."""
    for profile, label in ((PACS, "team=imaging"), (GAM, "team=admin")):
        result = run(
            runner,
            "evaluate",
            profile,
            "--record",
            "--store",
            db,
            "--label",
            label,
            "--actor",
            "qa",
        )
        assert result.exit_code == 0, result.stderr
    return db


def record_id(db: str, seq: int) -> str:
    """The decision id of a record."""
    with open_store(db) as store:
        return store.find(f"#{seq}").decision_id


class TestRecording:
    def test_evaluate_record_appends_the_decision_it_prints(
        self, runner: CliRunner, db: str
    ) -> None:
        """--record stores the very decision shown, with labels and actor, and says so."""
        result = run(
            runner,
            "evaluate",
            PACS,
            "--format",
            "json",
            "--record",
            "--store",
            db,
            "--label",
            "customer=acme",
            "--actor",
            "alice",
        )
        assert result.exit_code == 0
        with open_store(db) as store:
            (record,) = store.records()
        assert record.content["decision"] == orjson.loads(result.stdout)
        assert record.labels == {"customer": "acme"}
        assert record.content["actor"] == "alice"
        assert f"Recorded decision {record.decision_id[:12]} as record #1" in result.stderr

    def test_the_environment_makes_recording_the_default(self, runner: CliRunner, db: str) -> None:
        """ELIGIBILITY_RECORD=1 and ELIGIBILITY_STORE record without any option."""
        env = {"ELIGIBILITY_RECORD": "1", "ELIGIBILITY_STORE": db, "ELIGIBILITY_ACTOR": "ci"}
        assert run(runner, "evaluate", PACS, env=env).exit_code == 0
        with open_store(db) as store:
            assert [r.content["actor"] for r in store.records()] == ["ci"]

    def test_without_record_nothing_is_written(self, runner: CliRunner, db: str) -> None:
        """Recording is opt-in: a plain evaluate creates no store."""
        assert run(runner, "evaluate", PACS, "--store", db).exit_code == 0
        assert not Path(db).exists()

    def test_masked_fields_are_hashed_in_the_store(self, runner: CliRunner, db: str) -> None:
        """--mask keeps a hash of the field; the plain value is nowhere in the store."""
        result = run(runner, "evaluate", PACS, "--record", "--store", db, "--mask", "name")
        assert result.exit_code == 0
        raw = Path(db).read_bytes() + (
            Path(db + "-wal").read_bytes() if Path(db + "-wal").exists() else b""
        )
        assert b"Regional imaging archive" not in raw
        with open_store(db) as store:
            (record,) = store.records()
            key = store.mask_key()
        assert record.masked == ["name"]
        assert record.content["profile"]["name"] == mask_value("Regional imaging archive", key)

    def test_a_masked_value_cannot_be_found_by_hashing_guesses(
        self, runner: CliRunner, db: str
    ) -> None:
        """Without the store's key, hashing the right guess does not give the masked value."""
        run(runner, "evaluate", PACS, "--record", "--store", db, "--mask", "storage_role")
        with open_store(db) as store:
            (record,) = store.records()
        masked = record.content["profile"]["storage_role"]
        guesses = ["archive", "viewer", "producer", "none"]
        assert masked.startswith("hmac-sha256:")
        assert masked.removeprefix("hmac-") not in {sha256(canonical_json(g)) for g in guesses}
        assert all(masked != mask_value(g, b"") for g in guesses)

    def test_the_masking_key_is_in_no_record_nor_export(self, runner: CliRunner, db: str) -> None:
        """The key stays in the store's secrets table: no record, export or show has it."""
        run(runner, "evaluate", PACS, "--record", "--store", db, "--mask", "name")
        with open_store(db) as store:
            key = store.mask_key().hex()
            bodies = [r.body for r in store.records()]
        outputs = [
            run(runner, "audit", "export", "--store", db).stdout,
            run(runner, "audit", "export", "--store", db, "--format", "csv").stdout,
            run(runner, "audit", "show", "#1", "--store", db, "--format", "json").stdout,
        ]
        assert len(key) == 64
        assert all(key not in text for text in [*bodies, *outputs])

    def test_each_store_masks_with_its_own_key(self, runner: CliRunner, tmp_path: Path) -> None:
        """The same value recorded in two stores is masked differently in each."""
        masked = []
        for name in ("a.sqlite", "b.sqlite"):
            path = str(tmp_path / name)
            run(runner, "evaluate", PACS, "--record", "--store", path, "--mask", "name")
            with open_store(path) as store:
                masked.append(next(iter(store.records())).content["profile"]["name"])
        assert masked[0] != masked[1]

    def test_the_store_file_is_readable_by_its_owner_only(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A new store (and its journal files, and a directory made for it) is mode 600."""
        path = tmp_path / "private" / "audit.sqlite"
        run(runner, "evaluate", PACS, "--record", "--store", str(path))
        with open_store(path):  # a reader keeps the journal files while it is open
            files = list(path.parent.iterdir())
            assert {p.stat().st_mode & 0o777 for p in files} == {0o600}
        assert len(files) >= 2  # the store and at least its WAL
        assert path.parent.stat().st_mode & 0o777 == 0o700

    @pytest.mark.parametrize(
        ("option", "message"),
        [(["--mask", "colour"], "not a profile field"), (["--label", "oops"], "key=value")],
    )
    def test_bad_recording_options_are_usage_errors(
        self, runner: CliRunner, db: str, option: list[str], message: str
    ) -> None:
        """An unknown masked field or a label without '=' exits 2 and records nothing."""
        result = run(runner, "evaluate", PACS, "--record", "--store", db, *option)
        assert result.exit_code == 2
        assert message in result.stderr
        assert not Path(db).exists()


class TestListShow:
    def test_list_shows_every_record_and_filters(self, runner: CliRunner, recorded: str) -> None:
        """list names each record; --product, --label and --status narrow it."""
        everything = run(runner, "audit", "list", "--store", recorded)
        assert everything.exit_code == 0
        assert "pacs-regional-01" in everything.stdout and "#2" in everything.stdout
        only = run(runner, "audit", "list", "--store", recorded, "--label", "team=admin")
        assert "pacs-regional-01" not in only.stdout and "#2" in only.stdout
        product = run(runner, "audit", "list", "--store", recorded, "--product", "pacs-regional-01")
        assert product.stdout.startswith("#1 ") and "#2" not in product.stdout
        none = run(runner, "audit", "list", "--store", recorded, "--status", "ror-supplier=applies")
        assert none.stdout == "No records.\n"

    def test_show_renders_the_decision_as_evaluate_does_with_metadata(
        self, runner: CliRunner, recorded: str
    ) -> None:
        """show prints the record's metadata, then exactly what evaluate --details printed."""
        evaluated = run(runner, "evaluate", PACS, "--details").stdout
        ref = record_id(recorded, 1)[:10]
        shown = run(runner, "audit", "show", ref, "--store", recorded)
        assert shown.exit_code == 0
        assert shown.stdout.endswith(evaluated)
        assert f"Decision id: {record_id(recorded, 1)}" in shown.stdout
        assert "Labels:      team=imaging" in shown.stdout

    def test_show_json_is_the_whole_record(self, runner: CliRunner, recorded: str) -> None:
        """--format json gives the record with its hashes and decision."""
        shown = run(runner, "audit", "show", "#2", "--store", recorded, "--format", "json")
        data = orjson.loads(shown.stdout)
        assert data["seq"] == 2 and data["hash"].startswith("sha256:")
        assert data["decision"] == orjson.loads(run(runner, "evaluate", GAM, "-f", "json").stdout)

    def test_an_unknown_id_is_an_error(self, runner: CliRunner, recorded: str) -> None:
        """An id that names no record exits 1 with a message."""
        result = run(runner, "audit", "show", "abcdef0123", "--store", recorded)
        assert result.exit_code == 1
        assert "no record with decision id abcdef0123" in result.stderr


class TestReplay:
    def test_replay_under_the_recorded_and_the_same_current_rules(
        self, runner: CliRunner, recorded: str
    ) -> None:
        """A replay is identical under the recorded rules and the same under today's."""
        result = run(runner, "audit", "replay", "#1", "--store", recorded)
        assert result.exit_code == 0
        assert "Under its recorded rules" in result.stdout and ": identical" in result.stdout
        assert "the same rules, same decision" in result.stdout

    def test_replay_with_other_rules_names_steps_and_rules(
        self, runner: CliRunner, recorded: str, tmp_path: Path
    ) -> None:
        """--rules DIR: each changed step is named with the rules before and now."""
        rules = _rules_exempting_operational_storage(tmp_path)
        result = run(runner, "audit", "replay", "#1", "--store", recorded, "--rules", str(rules))
        assert result.exit_code == 0
        assert "step ins.devenv.cnda-contract: not applicable -> to do" in result.stdout
        assert "was decided by: ins.exempt.archive" in result.stdout
        summary = run(
            runner, "audit", "replay", "--all", "--store", recorded, "--rules", str(rules)
        )
        assert "Replayed 2 records" in summary.stdout
        assert "changed: 1" in summary.stdout
        assert (
            "ins.devenv.cnda-contract: not applicable -> to do  (1; pacs-regional-01)"
            in summary.stdout
        )

    def test_replay_needs_an_id_or_all(self, runner: CliRunner, recorded: str) -> None:
        """Neither or both of ID and --all is a usage error."""
        assert run(runner, "audit", "replay", "--store", recorded).exit_code == 2
        assert run(runner, "audit", "replay", "#1", "--all", "--store", recorded).exit_code == 2


class TestExportPromoteVerify:
    def test_export_jsonl_gives_every_record_whole(self, runner: CliRunner, recorded: str) -> None:
        """One JSON record per line, in chain order, with hashes."""
        lines = run(runner, "audit", "export", "--store", recorded).stdout.splitlines()
        records = [orjson.loads(line) for line in lines]
        assert [r["seq"] for r in records] == [1, 2]
        assert records[1]["prev_hash"] == records[0]["hash"]

    def test_export_csv_gives_one_row_per_record(self, runner: CliRunner, recorded: str) -> None:
        """A header, then one row of metadata per record."""
        text = run(runner, "audit", "export", "--format", "csv", "--store", recorded).stdout
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["profile_id"] for r in rows] == ["pacs-regional-01", "gam-hospital-02"]
        assert rows[0]["labels"] == "team=imaging" and rows[0]["actor"] == "qa"
        assert "ins=applies" in rows[0]["journeys"]

    def test_promote_writes_a_golden_case_that_passes(
        self, runner: CliRunner, recorded: str, tmp_path: Path, evaluator: Evaluator
    ) -> None:
        """The case file holds the profile and outcomes; the current rules pass it."""
        folder = tmp_path / "golden"
        result = run(runner, "audit", "promote", "#1", "--store", recorded, "--dir", str(folder))
        assert result.exit_code == 0
        (path,) = folder.glob("*.json")
        assert str(path) in result.stdout
        case = load_case(path)
        assert case["profile"]["id"] == "pacs-regional-01"
        assert check_case(case, evaluator) == []

    def test_verify_counts_one_record_in_the_singular(self, runner: CliRunner, db: str) -> None:
        """One record, one ruleset: the counts read as English (and French) do."""
        run(runner, "evaluate", PACS, "--record", "--store", db)
        english = run(runner, "audit", "verify", "--store", db).stdout
        assert english == f"OK: {db}: 1 record chained and intact, 1 kept ruleset intact\n"
        french = run(runner, "audit", "verify", "--store", db, "--lang", "fr").stdout
        assert "1 enregistrement chaîné et intact, 1 jeu de règles conservé intact" in french

    def test_verify_passes_then_names_the_tampered_record(
        self, runner: CliRunner, recorded: str
    ) -> None:
        """verify exits 0 on an intact store, 1 naming the record once one is edited."""
        ok = run(runner, "audit", "verify", "--store", recorded)
        assert ok.exit_code == 0 and ok.stdout.startswith("OK:") and "2 records" in ok.stdout
        with sqlite_db(recorded) as conn:
            conn.execute(
                "UPDATE records SET body = replace(body, 'applies', 'xapplies') WHERE seq = 2"
            )
        bad = run(runner, "audit", "verify", "--store", recorded)
        assert bad.exit_code == 1
        assert "TAMPERED" in bad.stdout and "record #2" in bad.stdout

    @pytest.mark.parametrize("command", [["list"], ["verify"], ["export"], ["show", "#1"]])
    def test_a_missing_store_is_an_error_for_every_reader(
        self, runner: CliRunner, db: str, command: list[str]
    ) -> None:
        """Reading commands never create a store; they say it is missing."""
        result = run(runner, "audit", *command, "--store", db)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: audit store {db}: no such file "
            "(record a decision with --record to create the store)\n"
        )
        assert not Path(db).exists()

    def test_an_unreachable_postgresql_store_is_an_error(self, runner: CliRunner) -> None:
        """No server behind the URL: exit 1, a message, no traceback."""
        result = run(runner, "audit", "list", "--store", "postgresql://u@127.0.0.1:9/db")
        assert result.exit_code == 1
        assert "cannot connect to PostgreSQL" in result.stderr

    def test_a_newer_schema_is_an_error(self, runner: CliRunner, recorded: str) -> None:
        """A store from a newer eligibility: exit 1, and a new record is refused."""
        with sqlite_db(recorded) as conn:
            conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
        result = run(runner, "evaluate", PACS, "--record", "--store", recorded)
        assert result.exit_code == 1
        assert "schema version 7 is newer" in result.stderr


def test_show_markdown_lists_the_metadata_then_the_decision(
    runner: CliRunner, recorded: str
) -> None:
    """--format markdown: a metadata list, then evaluate's Markdown rendering."""
    shown = run(runner, "audit", "show", "#1", "--store", recorded, "--format", "markdown")
    evaluated = run(runner, "evaluate", PACS, "--format", "markdown").stdout
    assert shown.stdout.startswith("## Audit record #1\n")
    assert "- **Actor**: `qa`" in shown.stdout
    assert shown.stdout.endswith(evaluated)


class TestFrench:
    def test_evaluate_says_what_it_recorded_in_french(self, runner: CliRunner, db: str) -> None:
        """evaluate --record --lang fr: the note on stderr is French."""
        result = run(runner, "evaluate", PACS, "--record", "--store", db, "--lang", "fr")
        assert result.stderr.startswith("Décision ")
        assert f" enregistrée sous le n° 1 dans {db}" in result.stderr

    def test_list_in_french(self, runner: CliRunner, recorded: str) -> None:
        """--lang fr: the list's words are French, ids and versions as recorded."""
        out = run(runner, "audit", "list", "--store", recorded, "--lang", "fr").stdout
        assert "pacs-regional-01  règles " in out and "  s'applique\u00a0: ins" in out
        assert "applies:" not in out
        none = run(runner, "audit", "list", "--store", recorded, "--product", "x", "--lang", "fr")
        assert none.stdout == "Aucun enregistrement.\n"

    def test_show_in_french_is_evaluate_in_french(self, runner: CliRunner, recorded: str) -> None:
        """show --lang fr: French metadata, then what evaluate --details --lang fr prints."""
        evaluated = run(runner, "evaluate", PACS, "--details", "--lang", "fr").stdout
        shown = run(runner, "audit", "show", "#1", "--store", recorded, "--lang", "fr").stdout
        assert shown.endswith(evaluated)
        assert f"Id de décision\u00a0: {record_id(recorded, 1)}" in shown
        assert "Étiquettes\u00a0:     team=imaging" in shown
        assert "Decision id" not in shown and "Labels" not in shown

    def test_show_markdown_in_french(self, runner: CliRunner, recorded: str) -> None:
        """show -f markdown --lang fr: a French heading and metadata, evaluate's French Markdown."""
        args = ("audit", "show", "#1", "--store", recorded, "-f", "markdown", "--lang", "fr")
        shown = run(runner, *args).stdout
        assert shown.startswith("## Enregistrement d'audit n° 1\n")
        assert "- **Acteur**\u00a0: `qa`" in shown
        assert shown.endswith(
            run(runner, "evaluate", PACS, "-f", "markdown", "--lang", "fr").stdout
        )

    def test_show_json_does_not_change_with_the_language(
        self, runner: CliRunner, recorded: str
    ) -> None:
        """The JSON record is data: the same in both languages."""
        args = ("audit", "show", "#1", "--store", recorded, "-f", "json")
        assert run(runner, *args, "--lang", "fr").stdout == run(runner, *args).stdout

    def test_replay_in_french(self, runner: CliRunner, recorded: str, tmp_path: Path) -> None:
        """replay and replay --all in French: sentences translated, ids and statuses kept."""
        rules = _rules_exempting_operational_storage(tmp_path)
        common = ("--store", recorded, "--rules", str(rules), "--lang", "fr")
        one = run(runner, "audit", "replay", "#1", *common).stdout
        assert one.startswith("Enregistrement n° 1 (décision ")
        assert "Avec ses règles enregistrées (" in one and ")\u00a0: identique" in one
        assert "étape ins.devenv.cnda-contract\u00a0: ne s'applique pas -> à faire" in one
        assert "décidé avant par\u00a0: ins.exempt.archive" in one
        assert "was decided by" not in one
        every = run(runner, "audit", "replay", "--all", *common).stdout
        assert every.startswith("2 enregistrements rejoués avec ")
        assert "  décision changée\u00a0: 1" in every
        assert "Replayed" not in every

    def test_verify_in_french(self, runner: CliRunner, recorded: str) -> None:
        """verify --lang fr: the verdict and the tampered record's description in French."""
        ok = run(runner, "audit", "verify", "--store", recorded, "--lang", "fr")
        assert ok.stdout.startswith(
            f"OK\u00a0: {recorded}\u00a0: 2 enregistrements chaînés et intacts"
        )
        with sqlite_db(recorded) as conn:
            conn.execute(
                "UPDATE records SET body = replace(body, 'applies', 'xapplies') WHERE seq = 2"
            )
        bad = run(runner, "audit", "verify", "--store", recorded, "--lang", "fr")
        assert bad.exit_code == 1
        assert bad.stdout.startswith(
            f"ALTÉRÉ\u00a0: {recorded}\u00a0: l'enregistrement n° 2 (décision "
        )
        assert "a été modifié\u00a0: son contenu ne correspond pas à son empreinte" in bad.stdout
        english = run(runner, "audit", "verify", "--store", recorded).stdout
        assert "record #2 (decision " in english and "was changed" in english

    def test_promote_in_french(self, runner: CliRunner, recorded: str, tmp_path: Path) -> None:
        """promote --lang fr says what it wrote in French."""
        folder = tmp_path / "golden"
        args = ("audit", "promote", "#1", "--store", recorded, "--dir", str(folder), "--lang", "fr")
        out = run(runner, *args).stdout
        (path,) = folder.glob("*.json")
        assert out == f"Écrit\u00a0: {path}\n"


def _rules_exempting_operational_storage(tmp_path: Path) -> Path:
    """A copy of the rules whose INS archive exemption reads ``operational`` instead."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "ins" / "rules.yaml"
    path.write_text(
        path.read_text().replace(
            "{field: storage_role, is: archive}", "{field: storage_role, is: operational}"
        )
    )
    return rules
