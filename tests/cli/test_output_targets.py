"""Where output goes: a full device is an error line, and ``-o`` never replaces what is not
a regular file nor loses a file's permissions (docs/reliability.md, "Output")."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.errors import InputFileError
from eligibility.output.atomic import atomic_output
from tests.conftest import FIXTURES, ROOT

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")
PUBLISHER = str(FIXTURES / "portfolios" / "publisher.csv")
NO_ROOM = "Error: <stdout>: cannot be written: No space left on device\n"

needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")


def run(*args: str, stdout: int | object = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """The command line in its own process (a real standard output)."""
    return subprocess.run(
        [sys.executable, "-m", "eligibility", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
        check=False,
    )


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["evaluate", "--help"],
        ["evaluate", PACS],
        ["evaluate", PACS, "-f", "json"],
        ["plan", PACS],
        ["explain", PACS, "ins"],
        ["rules", "check"],
        ["batch", PUBLISHER, "-q", "-f", "markdown"],
        ["audit", "--help"],
        ["ask", "--help"],
    ],
    ids=" ".join,
)
def test_a_full_device_as_standard_output_is_one_error_line(args: list[str]) -> None:
    """`> /dev/full`: exit 1 and one line naming standard output, for every command."""
    with Path("/dev/full").open("wb") as full:
        done = run(*args, stdout=full)
    assert done.stderr.decode() == NO_ROOM
    assert done.returncode == 1


@needs_dev_full
def test_a_full_device_under_the_audit_commands(tmp_path: Path) -> None:
    """The audit views and export too."""
    store = str(tmp_path / "audit.sqlite")
    assert run("evaluate", PACS, "--record", "--store", store).returncode == 0
    for args in (["list"], ["show", "#1"], ["export", "-f", "csv"], ["verify"]):
        with Path("/dev/full").open("wb") as full:
            done = run("audit", *args, "--store", store, stdout=full)
        assert (done.returncode, done.stderr.decode()) == (1, NO_ROOM), args


def test_a_reader_gone_is_not_an_error() -> None:
    """`| head`: the command stops quietly when the reader closes the pipe."""
    with subprocess.Popen(
        [sys.executable, "-m", "eligibility", "evaluate", PACS, "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10) == b'{\n  "profi'
        process.stdout.close()
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) in (0, 1)
    assert "Error" not in err
    assert "Traceback" not in err


class TestOutputOption:
    def test_a_file_keeps_its_permission_bits(self, runner: CliRunner, tmp_path: Path) -> None:
        """A private (0600) file stays private when the output replaces it."""
        target = tmp_path / "decisions.jsonl"
        target.write_text("old\n")
        target.chmod(0o600)
        result = runner.invoke(cli, ["batch", PUBLISHER, "-q", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert target.read_text().startswith('{"profile_id"')

    def test_a_new_file_has_the_mode_the_umask_gives(self, tmp_path: Path) -> None:
        """Not the temporary file's 0600."""
        umask = os.umask(0o022)
        try:
            with atomic_output(str(tmp_path / "new.txt")) as out:
                out.write(b"x")
        finally:
            os.umask(umask)
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644

    def test_a_symbolic_link_stays_and_its_file_is_replaced(self, tmp_path: Path) -> None:
        """The link is kept; the file it points to gets the output."""
        (tmp_path / "real.txt").write_text("old")
        (tmp_path / "real.txt").chmod(0o640)
        link = tmp_path / "link.txt"
        link.symlink_to("real.txt")
        with atomic_output(str(link)) as out:
            out.write(b"new")
        assert link.is_symlink()
        assert (tmp_path / "real.txt").read_text() == "new"
        assert stat.S_IMODE((tmp_path / "real.txt").stat().st_mode) == 0o640
        assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]

    def test_a_dangling_link_gets_its_file(self, tmp_path: Path) -> None:
        """A link to a file not made yet: the file is made where the link points."""
        link = tmp_path / "link.txt"
        link.symlink_to("later.txt")
        with atomic_output(str(link)) as out:
            out.write(b"new")
        assert link.is_symlink()
        assert (tmp_path / "later.txt").read_text() == "new"

    def test_a_link_to_a_device_writes_into_the_device(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """`-o` through a link to /dev/null: the output goes nowhere, the device stays one."""
        link = tmp_path / "null"
        link.symlink_to(os.devnull)
        result = runner.invoke(cli, ["batch", PUBLISHER, "-q", "-o", str(link)])
        assert result.exit_code == 0, result.output
        assert link.is_symlink()
        assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
        assert [p.name for p in tmp_path.iterdir()] == ["null"]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
    @pytest.mark.parametrize("workers", ["1", "2"])
    def test_a_fifo_is_written_through(
        self, runner: CliRunner, tmp_path: Path, workers: str
    ) -> None:
        """A named pipe stays a pipe, and its reader gets the whole output."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        # Both ends held here first, so that nothing waits for the other: the reader sees the
        # end of the output once the command and this test have closed their write ends.
        read_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(read_end, True)
        write_end = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        got = bytearray()

        def read_all() -> None:
            while chunk := os.read(read_end, 1 << 16):
                got.extend(chunk)

        reader = threading.Thread(target=read_all, daemon=True)
        reader.start()
        try:
            result = runner.invoke(cli, ["batch", PUBLISHER, "-q", "-w", workers, "-o", str(fifo)])
        finally:
            os.close(write_end)
            reader.join(timeout=60)
            os.close(read_end)
        assert result.exit_code == 0, result.output
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        reference = runner.invoke(cli, ["batch", PUBLISHER, "-q"]).stdout_bytes
        assert bytes(got) == reference

    @pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc/self/fd")
    def test_a_link_to_the_standard_output_writes_there(self, tmp_path: Path) -> None:
        """`-o` naming a link to /proc/self/fd/1 writes to the process's standard output."""
        link = tmp_path / "out"
        link.symlink_to("/proc/self/fd/1")
        done = run("batch", PUBLISHER, "-q", "-f", "csv", "-o", str(link))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(b"row,profile_id,name,journey,status")
        assert link.is_symlink()

    def test_a_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is never replaced (click says so before the library would)."""
        with pytest.raises(InputFileError, match="is a directory"), atomic_output(str(tmp_path)):
            pass

    def test_a_failed_run_through_a_link_leaves_the_file(self, tmp_path: Path) -> None:
        """The file a link points to is left as it was when the output fails."""
        (tmp_path / "real.txt").write_text("old")
        link = tmp_path / "link.txt"
        link.symlink_to("real.txt")
        with pytest.raises(RuntimeError), atomic_output(str(link)) as out:
            out.write(b"half")
            raise RuntimeError("interrupted")
        assert (tmp_path / "real.txt").read_text() == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]
