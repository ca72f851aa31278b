"""``eligibility batch`` stopped by a signal: real processes, real signals.

Each test starts the command in its own process, waits (polling) until it is mid-run, then
signals it and checks what is left: no temporary file, no pool process, no decision printed
that was not recorded. The waits have a generous bound that only turns a hang into a
failure; no test asserts how long anything takes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from eligibility.audit import open_store
from eligibility.batch import workers
from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's"
)

# The command, with multiprocessing's start method set first (argv[1]).
_LAUNCH = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv[1])\n"
    "sys.argv = ['eligibility', *sys.argv[2:]]\n"
    "from eligibility.cli import main\n"
    "main()\n"
)

two_cpus = pytest.mark.skipif(workers.available_cpus() < 2, reason="--workers 2 needs 2 CPUs")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 000 products (the publisher's, renamed): a run that lasts long enough to stop."""
    products = json.loads((FIXTURES / "portfolios" / "publisher.json").read_text())
    path = tmp_path_factory.mktemp("portfolio") / "big.jsonl"
    with path.open("w") as f:
        for n in range(3000):
            product = products[n % len(products)]
            f.write(json.dumps({**product, "id": f"{product['id']}-{n}"}) + "\n")
    return path


_RUNS: list[_Run] = []


@pytest.fixture(autouse=True)
def _nothing_left_running() -> Iterator[None]:
    """A test that fails half-way still ends every process it started."""
    yield
    while _RUNS:
        run = _RUNS.pop()
        for pid in _alive({run.pid, *run.seen}):
            os.kill(pid, signal.SIGKILL)
        if run.process.poll() is None:
            run.process.wait()


class _Run:
    """``eligibility ARGS`` in a process of its own (with a start method, if given); its
    standard error goes to a file, so that a process left behind holding it cannot make
    the test wait for it."""

    def __init__(self, logs: Path, *args: str, method: str | None = None, **kw: Any) -> None:
        command = [sys.executable, "-m", "eligibility", *args]
        if method is not None:
            command = [sys.executable, "-c", _LAUNCH, method, *args]
        self.stderr = logs / "stderr"
        kw.setdefault("stdout", subprocess.DEVNULL)
        with self.stderr.open("wb") as err:
            self.process = subprocess.Popen(command, stderr=err, **kw)
        self.pid = self.process.pid
        self.seen: set[int] = set()  # its processes, as last looked up
        _RUNS.append(self)

    def descendants(self) -> set[int]:
        """Every live process it started, directly or not."""
        self.seen |= _descendants(self.pid)
        return self.seen

    def stop(
        self, signum: int, *, group: bool = False, read: IO[bytes] | None = None
    ) -> tuple[int, str]:
        """Signal it (or its process group), wait for it: its exit status and stderr.
        What is left to ``read`` from its output is kept in :attr:`stopped_output`."""
        if group:
            os.killpg(self.pid, signum)
        else:
            self.process.send_signal(signum)
        self.stopped_output = read.read() if read is not None else b""
        code = self.process.wait(timeout=120)
        return code, self.stderr.read_text()


def _wait_for(condition: Callable[[], bool], what: str, bound: float = 120.0) -> None:
    """Poll until ``condition`` holds; fail (not hang) if it never does."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.02)


def _temporary_files(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def _writing(directory: Path) -> bool:
    """Whether ``-o``'s temporary file in ``directory`` holds some output already."""
    return any(p.stat().st_size > 0 for p in _temporary_files(directory) if p.exists())


def _processes() -> dict[int, int]:
    """Every live process (zombies are dead): pid -> parent pid."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # gone meanwhile
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _processes()
    found: set[int] = set()
    new = {pid}
    while new:
        new = {p for p, parent in parents.items() if parent in new} - found
        found |= new
    return found


def _alive(pids: set[int]) -> set[int]:
    return pids & set(_processes())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The directory of the output, apart from the run's log."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize("workers_", ["1", pytest.param("2", marks=two_cpus)])
def test_a_signal_during_o_leaves_the_target_as_it_was_and_no_temporary_file(
    tmp_path: Path, out: Path, big: Path, signum: signal.Signals, workers_: str
) -> None:
    """SIGTERM, SIGHUP or SIGINT mid-run: the temporary file is removed, the file given to
    -o keeps its previous content, no pool process is left, and the exit status is the
    shell's for that signal (128 + its number: 143, 129, 130)."""
    target = out / "out.jsonl"
    target.write_text("previous run\n")
    run = _Run(tmp_path, "batch", str(big), "-o", str(target), "-q", "-w", workers_)
    _wait_for(lambda: _writing(out), "the run writes its temporary file")
    pool = run.descendants()
    assert len(pool) >= int(workers_) - 1
    code, err = run.stop(signum)
    assert (code, err) == (128 + signum, f"Stopped by {signum.name}.\n")
    assert target.read_text() == "previous run\n"
    assert _temporary_files(out) == []
    _wait_for(lambda: not _alive(pool), "the pool's processes end")


@two_cpus
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_whole_process_group_stops_the_run_cleanly(
    tmp_path: Path, out: Path, big: Path, signum: signal.Signals
) -> None:
    """^C in a terminal signals every process of the foreground group, and so does a
    service manager stopping a service: the pool's processes (forked: they inherit the
    command's handlers, then reset them) end without a word, the command cleans up."""
    args = ("batch", str(big), "-o", str(out / "out.jsonl"), "-q", "-w", "2")
    run = _Run(tmp_path, *args, method="fork", start_new_session=True)
    _wait_for(lambda: _writing(out), "the run writes its temporary file")
    pool = run.descendants()
    code, err = run.stop(signum, group=True)
    assert (code, err) == (128 + signum, f"Stopped by {signum.name}.\n")
    assert list(out.iterdir()) == []
    _wait_for(lambda: not _alive(pool), "the pool's processes end")


@two_cpus
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_no_pool_process_outlives_its_run(
    tmp_path: Path, out: Path, big: Path, signum: signal.Signals, method: str
) -> None:
    """A --workers 2 run killed (SIGKILL, which nothing can catch) or terminated: every
    process it started ends too, however multiprocessing started them."""
    args = ("batch", str(big), "-o", str(out / "out.jsonl"), "-q", "-w", "2")
    run = _Run(tmp_path, *args, method=method)
    _wait_for(lambda: _writing(out), "the pool's rows reach the output")
    started = run.descendants()
    assert len(started) >= 2  # the pool, and multiprocessing's helpers but with fork
    code, _ = run.stop(signum)
    assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signal.SIGTERM)
    _wait_for(lambda: not _alive(started), "every process of the run ends")


def test_a_killed_record_run_printed_only_decisions_it_recorded(
    tmp_path: Path, out: Path, big: Path
) -> None:
    """Killed mid-run (SIGKILL: no clean-up at all), ``batch --record`` has printed no
    decision that is not in the store."""
    printed = out / "decisions.jsonl"
    store = tmp_path / "audit.sqlite"
    with printed.open("wb") as stdout:
        args = ("batch", str(big), "--record", "--store", str(store), "--no-trace", "-q")
        run = _Run(tmp_path, *args, stdout=stdout)
        _wait_for(lambda: printed.stat().st_size > 0, "some decisions are printed")
        run.stop(signal.SIGKILL)
    lines = printed.read_bytes().split(b"\n")[:-1]  # the last line may be cut short
    with open_store(str(store)) as opened:
        recorded = {r.profile_id for r in opened.records()}
    assert 0 < len(lines) < 3000  # stopped mid-run
    assert {json.loads(line)["profile_id"] for line in lines} <= recorded


@pytest.fixture(scope="module")
def big_output(big: Path) -> bytes:
    """What a run over ``big`` writes when nothing stops it."""
    run = subprocess.run(
        [sys.executable, "-m", "eligibility", "batch", str(big), "-q"], capture_output=True
    )
    assert run.returncode == 0
    return run.stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("workers_", ["1", pytest.param("2", marks=two_cpus)])
def test_a_signal_keeps_every_line_written_to_standard_output_whole(
    tmp_path: Path, big: Path, big_output: bytes, signum: signal.Signals, workers_: str
) -> None:
    """Stopped mid-run while writing to a pipe: the lines already written all reach the
    reader, each whole (the row being written when the signal came is written to its
    end first), they are the run's first lines, no pool process is left, and the exit
    status is the shell's for that signal."""
    args = ("batch", str(big), "-q", "-w", workers_)
    run = _Run(tmp_path, *args, stdout=subprocess.PIPE)
    assert run.process.stdout is not None
    with run.process.stdout as pipe:
        received = pipe.read(200_000)  # the pipe is full behind it: mid-write
        pool = run.descendants()
        code, err = run.stop(signum, read=pipe)
        received += run.stopped_output
    assert (code, err) == (128 + signum, f"Stopped by {signum.name}.\n")
    assert received.endswith(b"\n")
    assert 200_000 < len(received) < len(big_output)
    assert big_output.startswith(received)
    _wait_for(lambda: not _alive(pool), "the pool's processes end")
