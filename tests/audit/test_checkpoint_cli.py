"""`audit keygen`, `audit checkpoint` and `audit verify --checkpoint`, as a user runs them."""

from __future__ import annotations

import base64
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from eligibility.audit.backend import open_store
from eligibility.cli import cli
from tests.audit.conftest import sqlite_db
from tests.conftest import FIXTURES

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")
GAM = str(FIXTURES / "profiles" / "hospital-gam.yaml")


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI; an exception escaping it fails the test."""
    return runner.invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def key(runner: CliRunner, tmp_path: Path) -> Path:
    """A signing key made by `audit keygen`."""
    path = tmp_path / "keys" / "audit-key.pem"
    result = run(runner, "audit", "keygen", "--key", str(path))
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def db(runner: CliRunner, tmp_path: Path) -> str:
    """A store of two records."""
    path = str(tmp_path / "audit.sqlite")
    for profile in (PACS, GAM):
        assert run(runner, "evaluate", profile, "--record", "--store", path).exit_code == 0
    return path


@pytest.fixture
def checkpoint(runner: CliRunner, db: str, key: Path, tmp_path: Path) -> Path:
    """A checkpoint of the two-record store, saved as a user would (stdout to a file)."""
    result = run(runner, "audit", "checkpoint", "--store", db, "--key", str(key))
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "checkpoint.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


class TestKeygen:
    def test_keygen_writes_a_private_key_for_the_owner_and_a_public_key(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """The private key is mode 600 in a private directory; KEY.pub is beside it."""
        path = tmp_path / "keys" / "k.pem"
        result = run(runner, "audit", "keygen", "--key", str(path))
        assert result.exit_code == 0
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
        assert path.read_text(encoding="utf-8").startswith("-----BEGIN PRIVATE KEY-----")
        public = Path(f"{path}.pub")
        assert public.read_text(encoding="utf-8").startswith("-----BEGIN PUBLIC KEY-----")
        assert f"Wrote the signing key {path} (keep it private)" in result.stdout
        assert "(key ed25519:" in result.stdout

    def test_a_link_where_the_public_key_goes_is_replaced_not_followed(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """keygen never writes through a symbolic link left at KEY.pub."""
        target = tmp_path / "elsewhere.txt"
        target.write_text("keep me", encoding="utf-8")
        path = tmp_path / "k.pem"
        Path(f"{path}.pub").symlink_to(target)
        assert run(runner, "audit", "keygen", "--key", str(path)).exit_code == 0
        assert target.read_text(encoding="utf-8") == "keep me"
        assert not Path(f"{path}.pub").is_symlink()

    def test_a_key_path_that_is_not_a_key_is_named(
        self, runner: CliRunner, db: str, tmp_path: Path
    ) -> None:
        """A large or foreign file given as --key is an Error line, read only in part."""
        big = tmp_path / "big.pem"
        big.write_bytes(b"x" * 100_000)
        result = run(runner, "audit", "checkpoint", "--store", db, "--key", str(big))
        assert result.exit_code == 1
        assert "is not a key file (too large)" in result.stderr
        small = tmp_path / "small.pem"
        small.write_text("hello", encoding="utf-8")
        result = run(runner, "audit", "checkpoint", "--store", db, "--key", str(small))
        assert result.exit_code == 1
        assert "is not a PEM private key" in result.stderr

    def test_an_existing_key_is_never_overwritten(self, runner: CliRunner, key: Path) -> None:
        """Replacing a key would orphan the checkpoints it signed: refused, key unchanged."""
        before = key.read_bytes()
        result = run(runner, "audit", "keygen", "--key", str(key))
        assert result.exit_code == 1
        assert "already exists" in result.stderr
        assert key.read_bytes() == before

    def test_the_default_key_lives_in_the_user_configuration(
        self, runner: CliRunner, tmp_path: Path, db: str
    ) -> None:
        """Without --key: $XDG_CONFIG_HOME/eligibility/audit-key.pem, used by every command."""
        env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
        assert run(runner, "audit", "keygen", env=env).exit_code == 0
        assert (tmp_path / "config" / "eligibility" / "audit-key.pem").exists()
        made = run(runner, "audit", "checkpoint", "--store", db, env=env)
        assert made.exit_code == 0
        saved = tmp_path / "cp.json"
        saved.write_text(made.stdout, encoding="utf-8")
        checked = run(runner, "audit", "verify", "--store", db, "--checkpoint", str(saved), env=env)
        assert checked.exit_code == 0, checked.stdout


class TestCheckpoint:
    def test_a_checkpoint_names_the_store_its_size_and_head(
        self, checkpoint: Path, db: str
    ) -> None:
        """The file holds the store's id, its record count and last hash, and a signature."""
        data = orjson.loads(checkpoint.read_bytes())
        with open_store(db) as store:
            assert data["store"] == store.store_id()
            assert data["head"] == store.find("#2").hash
        assert data["size"] == 2
        assert data["format"] == "eligibility-audit-checkpoint/1"
        assert len(base64.b64decode(data["signature"])) == 64

    @pytest.mark.usefixtures("checkpoint")
    def test_the_signing_key_is_nowhere_in_the_store(self, db: str, key: Path) -> None:
        """Neither key is written into the store (only the checkpoint names the key's id)."""
        stored = b"".join(Path(db + s).read_bytes() for s in ("", "-wal") if Path(db + s).exists())
        for pem in (key, Path(f"{key}.pub")):
            body = b"".join(pem.read_bytes().splitlines()[1:-1])
            assert body not in stored

    def test_verify_against_the_checkpoint_says_the_store_extends_it(
        self, runner: CliRunner, checkpoint: Path, db: str, key: Path
    ) -> None:
        """With the public key (or the private one), verify proves the store extends it."""
        assert run(runner, "evaluate", PACS, "--record", "--store", db).exit_code == 0
        for trusted in (Path(f"{key}.pub"), key):
            result = run(
                runner,
                "audit",
                "verify",
                "--store",
                db,
                "--checkpoint",
                str(checkpoint),
                "--key",
                str(trusted),
            )
            assert result.exit_code == 0, result.stdout
            assert "OK:" in result.stdout and "3 records" in result.stdout
            assert "It extends the checkpoint of 2 records signed" in result.stdout

    def test_a_store_rewritten_with_its_hashes_recomputed_fails(
        self, runner: CliRunner, checkpoint: Path, db: str, key: Path
    ) -> None:
        """Deleting the last record and moving the head back: caught only by the checkpoint."""
        with sqlite_db(db) as conn:
            conn.execute("DELETE FROM records WHERE seq = 2")
            (digest,) = conn.execute("SELECT hash FROM records WHERE seq = 1").fetchone()
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'head_seq'")
            conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (digest,))
        assert run(runner, "audit", "verify", "--store", db).exit_code == 0
        args = ("audit", "verify", "--store", db, "--checkpoint", str(checkpoint), "--key")
        result = run(runner, *args, str(key))
        assert result.exit_code == 1
        assert "TAMPERED" in result.stdout
        assert "the checkpoint covers 2 records, the store has 1" in result.stdout

    def test_a_deleted_store_fails_against_its_checkpoint(
        self, runner: CliRunner, checkpoint: Path, db: str, key: Path
    ) -> None:
        """Removing the whole store is tampering when a checkpoint says it held records."""
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        args = ("audit", "verify", "--store", db, "--checkpoint", str(checkpoint), "--key")
        result = run(runner, *args, str(key))
        assert result.exit_code == 1
        assert "TAMPERED" in result.stdout
        assert "no audit store is left here (no such file), but the checkpoint" in result.stdout

    def test_a_tampered_store_is_not_signed(self, runner: CliRunner, db: str, key: Path) -> None:
        """checkpoint verifies first: a broken chain gets no checkpoint, and exit 1."""
        with sqlite_db(db) as conn:
            conn.execute("UPDATE records SET recorded_at = '2000-01-01' WHERE seq = 1")
        result = run(runner, "audit", "checkpoint", "--store", db, "--key", str(key))
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "TAMPERED" in result.stderr and "recorded_at column" in result.stderr

    def test_a_new_checkpoint_can_require_the_previous_one(
        self, runner: CliRunner, checkpoint: Path, db: str, key: Path
    ) -> None:
        """--checkpoint PREVIOUS: signed only when the store still extends it."""
        assert run(runner, "evaluate", PACS, "--record", "--store", db).exit_code == 0
        args = ("audit", "checkpoint", "--store", db, "--key", str(key), "--checkpoint")
        result = run(runner, *args, str(checkpoint))
        assert result.exit_code == 0
        assert orjson.loads(result.stdout)["size"] == 3


class TestUntrustedCheckpoints:
    def test_an_altered_checkpoint_is_refused(
        self, runner: CliRunner, checkpoint: Path, db: str, key: Path
    ) -> None:
        """Changing any field breaks the signature."""
        data = orjson.loads(checkpoint.read_bytes())
        data["size"] = 1
        checkpoint.write_bytes(orjson.dumps(data))
        args = ("audit", "verify", "--store", db, "--checkpoint", str(checkpoint), "--key")
        result = run(runner, *args, str(key))
        assert result.exit_code == 1
        assert "its signature does not verify" in result.stderr

    def test_a_checkpoint_signed_by_another_key_is_refused(
        self, runner: CliRunner, checkpoint: Path, db: str, tmp_path: Path
    ) -> None:
        """Only the key the verifier trusts counts."""
        other = tmp_path / "other.pem"
        assert run(runner, "audit", "keygen", "--key", str(other)).exit_code == 0
        args = ("audit", "verify", "--store", db, "--checkpoint", str(checkpoint), "--key")
        result = run(runner, *args, f"{other}.pub")
        assert result.exit_code == 1
        assert "was signed by key ed25519:" in result.stderr

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"not json", "is not a checkpoint (not JSON)"),
            (b"{}", "is not a checkpoint (no format"),
            (
                b'{"format": "eligibility-audit-checkpoint/1", "store": "s", "size": "2"}',
                "size is missing or malformed",
            ),
        ],
    )
    def test_a_file_that_is_not_a_checkpoint_is_named(
        self,
        runner: CliRunner,
        db: str,
        key: Path,
        tmp_path: Path,
        content: bytes,
        message: str,
    ) -> None:
        """A clear Error line, exit 1."""
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        args = ("audit", "verify", "--store", db, "--checkpoint", str(path), "--key", str(key))
        result = run(runner, *args)
        assert result.exit_code == 1
        assert message in result.stderr

    def test_a_missing_key_says_how_to_make_one(
        self, runner: CliRunner, db: str, tmp_path: Path
    ) -> None:
        """No key file: the message gives the keygen command."""
        missing = tmp_path / "nokey.pem"
        result = run(runner, "audit", "checkpoint", "--store", db, "--key", str(missing))
        assert result.exit_code == 1
        assert f"no such key file (make a key with: eligibility audit keygen --key {missing})" in (
            result.stderr
        )


def test_verify_against_a_checkpoint_in_french(
    runner: CliRunner, checkpoint: Path, db: str, key: Path
) -> None:
    """--lang fr says both the verification and the checkpoint it extends in French."""
    args = ("audit", "verify", "--store", db, "--checkpoint", str(checkpoint), "--key", str(key))
    result = run(runner, *args, "--lang", "fr")
    assert result.exit_code == 0
    assert "OK\u00a0:" in result.stdout
    assert "Il prolonge le point de contrôle de 2 enregistrements" in result.stdout
