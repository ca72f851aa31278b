"""``eligibility batch``: formats, stdin, -o, exit codes, stderr, progress, workers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from eligibility.batch import workers
from eligibility.batch.outcome import RowOutcome
from eligibility.cli import batch as batch_cli
from eligibility.cli import cli
from eligibility.render.portfolio import PORTFOLIO_FORMATS, PortfolioFormat, ReportInfo
from tests.conftest import FIXTURES

PORTFOLIOS = FIXTURES / "portfolios"
PUBLISHER_CSV = str(PORTFOLIOS / "publisher.csv")
BAD_CSV = str(PORTFOLIOS / "bad-rows.csv")


def invoke(runner: CliRunner, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["batch", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_default_is_jsonl_on_stdout_in_input_order(runner: CliRunner) -> None:
    """Without options: one decision per line on stdout, in input order, exit 0."""
    code, out, _ = invoke(runner, PUBLISHER_CSV)
    assert code == 0
    ids = [json.loads(line)["profile_id"] for line in out.splitlines()]
    products = json.loads((PORTFOLIOS / "publisher.json").read_text())
    assert ids == [p["id"] for p in products]


@pytest.mark.parametrize("fmt", list(PORTFOLIO_FORMATS))
def test_every_output_format(runner: CliRunner, fmt: str) -> None:
    """Each --format writes its document and exits 0 on a clean portfolio."""
    code, out, _ = invoke(runner, PUBLISHER_CSV, "--format", fmt, "--no-trace")
    assert code == 0
    first_line = out.splitlines()[0]
    expected = {"jsonl": '{"profile_id":"dpi-hospital"', "json": "[", "csv": "row,profile_id",
                "markdown": "# Portfolio report", "html": "<!DOCTYPE html>"}  # fmt: skip
    assert first_line.startswith(expected[fmt])


@pytest.mark.parametrize("name", ["publisher.csv", "publisher.json"])
def test_csv_and_json_inputs_give_the_same_output(runner: CliRunner, name: str) -> None:
    """Both fixture versions give the same decisions."""
    _, out, _ = invoke(runner, str(PORTFOLIOS / name), "--no-trace")
    _, reference, _ = invoke(runner, PUBLISHER_CSV, "--no-trace")
    assert out == reference


def test_yaml_and_jsonl_inputs(runner: CliRunner, tmp_path: Path) -> None:
    """YAML lists and JSONL files are read too."""
    (tmp_path / "p.yaml").write_text("- id: a\n  storage_role: archive\n")
    (tmp_path / "p.jsonl").write_text('{"id": "a", "storage_role": "archive"}\n')
    _, from_yaml, _ = invoke(runner, str(tmp_path / "p.yaml"))
    _, from_jsonl, _ = invoke(runner, str(tmp_path / "p.jsonl"))
    assert from_yaml == from_jsonl and json.loads(from_yaml)["profile_id"] == "a"


def test_stdin_with_input_format(runner: CliRunner) -> None:
    """- reads standard input in the format given."""
    text = (PORTFOLIOS / "publisher.csv").read_text()
    code, out, _ = invoke(runner, "-", "--input-format", "csv", "--no-trace", stdin=text)
    _, reference, _ = invoke(runner, PUBLISHER_CSV, "--no-trace")
    assert code == 0 and out == reference


def test_stdin_without_format_is_a_usage_error(runner: CliRunner) -> None:
    """Exit 2 and a message asking for --input-format."""
    code, _, err = invoke(runner, "-", stdin="id\nx\n")
    assert code == 2
    assert "--input-format" in err


class TestBadRows:
    def test_exit_1_with_error_records_and_stderr(self, runner: CliRunner) -> None:
        """Bad rows: error records in the output, one line each on stderr, exit 1."""
        code, out, err = invoke(runner, BAD_CSV, "--no-trace")
        records = [json.loads(line) for line in out.splitlines()]
        assert code == 1
        assert len(records) == 14
        assert [r["row"] for r in records if "errors" in r] == list(range(3, 15))
        assert "Error: row 4 (bad-enum): storage_role: not an allowed value" in err
        assert "Traceback" not in err

    def test_a_misspelt_column_is_named_with_the_field_it_meant(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """Each row of a CSV with a misspelt header says which field was meant."""
        path = tmp_path / "p.csv"
        path.write_text("id,storage_rol\na,archive\n", encoding="utf-8")
        code, _, err = invoke(runner, str(path), "--no-trace")
        assert code == 1
        assert (
            "Error: row 2 (a): storage_rol: unknown field; did you mean storage_role? "
            "(every field: `eligibility fields`, docs/profile.md) (got 'archive')"
        ) in err

    def test_allow_errors_exits_0(self, runner: CliRunner) -> None:
        """--allow-errors: same output, exit 0."""
        code, _, _ = invoke(runner, BAD_CSV, "--allow-errors")
        assert code == 0

    def test_summary_on_stderr(self, runner: CliRunner) -> None:
        """The summary counts rows, decisions, errors and products per journey."""
        _, _, err = invoke(runner, BAD_CSV, "--no-trace")
        assert "14 rows read: 2 decided, 12 with errors" in err
        ins = next(line for line in err.splitlines() if line.strip().startswith("INS and INSi "))
        assert ins.split() == ["INS", "and", "INSi", "2", "0"]

    def test_quiet_drops_the_summary_but_not_the_errors(self, runner: CliRunner) -> None:
        """--quiet: row errors still shown, no summary."""
        _, _, err = invoke(runner, BAD_CSV, "--quiet")
        assert "Error: row 9: id: field required" in err
        assert "rows read" not in err


class TestFileErrors:
    def test_missing_file_exits_1(self, runner: CliRunner) -> None:
        """A missing portfolio: exit 1, the file named, no traceback."""
        code, _, err = invoke(runner, "no/such.csv")
        assert code == 1
        assert err == "Error: no/such.csv: no such file\n"

    def test_unknown_suffix_exits_2(self, runner: CliRunner, tmp_path: Path) -> None:
        """A suffix that names no format is a usage error."""
        (tmp_path / "p.txt").write_text("id\n")
        code, _, _ = invoke(runner, str(tmp_path / "p.txt"))
        assert code == 2


class TestOutputFile:
    def test_writes_the_same_as_stdout(self, runner: CliRunner, tmp_path: Path) -> None:
        """-o FILE holds what stdout would, and stdout stays empty."""
        target = tmp_path / "report.html"
        code, out, _ = invoke(runner, PUBLISHER_CSV, "-f", "html", "-o", str(target))
        _, reference, _ = invoke(runner, PUBLISHER_CSV, "-f", "html")
        assert code == 0 and out == ""
        assert target.read_text() == reference

    def test_interrupted_run_leaves_no_half_file(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An exception mid-stream leaves the old file intact and no temporary file."""
        jsonl = PORTFOLIO_FORMATS["jsonl"]

        def failing(outcomes: Iterable[RowOutcome], info: ReportInfo) -> Iterator[bytes]:
            for n, chunk in enumerate(jsonl.document(outcomes, info)):
                if n == 3:
                    raise RuntimeError("interrupted")
                yield chunk

        monkeypatch.setitem(
            PORTFOLIO_FORMATS, "jsonl", PortfolioFormat("jsonl", jsonl.fragment, failing)
        )
        target = tmp_path / "out.jsonl"
        target.write_text("previous run\n")
        result = runner.invoke(cli, ["batch", PUBLISHER_CSV, "-o", str(target)])
        assert isinstance(result.exception, RuntimeError)
        assert target.read_text() == "previous run\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]

    def test_bad_input_leaves_no_file(self, runner: CliRunner, tmp_path: Path) -> None:
        """A file error mid-way (broken JSON after a good row) writes nothing."""
        (tmp_path / "p.json").write_text('[{"id": "a"}, {"id": ]')
        target = tmp_path / "out.jsonl"
        code, _, err = invoke(runner, str(tmp_path / "p.json"), "-o", str(target))
        assert code == 1 and "not valid JSON" in err
        assert not target.exists() and len(list(tmp_path.iterdir())) == 1


class TestProgress:
    def test_progress_bar_when_stderr_is_a_terminal(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A person watching stderr sees the progress label."""
        monkeypatch.setattr(batch_cli, "stderr_is_terminal", lambda: True)
        _, _, err = invoke(runner, PUBLISHER_CSV)
        assert "Evaluating" in err

    def test_no_progress_bar_when_stderr_is_not_a_terminal(self, runner: CliRunner) -> None:
        """Redirected stderr gets no progress bar."""
        _, _, err = invoke(runner, PUBLISHER_CSV)
        assert "Evaluating" not in err

    def test_quiet_hides_the_progress_bar(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--quiet: no progress bar even on a terminal."""
        monkeypatch.setattr(batch_cli, "stderr_is_terminal", lambda: True)
        _, _, err = invoke(runner, PUBLISHER_CSV, "--quiet")
        assert err == ""


@pytest.fixture
def many_rows(tmp_path: Path) -> Path:
    """A portfolio of many chunks (both processes of 2 workers evaluate), bad rows too."""
    lines = (PORTFOLIOS / "bad-rows.jsonl").read_text().splitlines()
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines * 8) + "\n")
    return path


@pytest.mark.parametrize("fmt", list(PORTFOLIO_FORMATS))
def test_two_workers_byte_identical(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, many_rows: Path, fmt: str
) -> None:
    """--workers 2 writes exactly what --workers 1 writes on standard output."""
    monkeypatch.setattr(workers, "CHUNK_SIZE", 2)
    for path in (PUBLISHER_CSV, BAD_CSV, str(many_rows)):
        _, one, _ = invoke(runner, path, "-f", fmt, "--workers", "1")
        _, two, _ = invoke(runner, path, "-f", fmt, "--workers", "2")
        assert len(one) > 1000
        assert one == two


@pytest.fixture
def broken_json(tmp_path: Path) -> Path:
    """108 good profiles (several chunks), then a JSON syntax error."""
    products = json.loads((PORTFOLIOS / "publisher.json").read_text())
    many = [{**p, "id": f"{p['id']}-{n}"} for n in range(6) for p in products]
    assert len(many) == 108
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(many, indent=1)[:-1] + ', {"id": }]')
    return path


def test_two_workers_write_the_rows_before_a_broken_file_as_one_does(
    runner: CliRunner, broken_json: Path
) -> None:
    """A file broken mid-way: every row read before the break is written with 2 workers
    too (none lost among those handed out), then the error, exit 1."""
    code_one, one, err_one = invoke(runner, str(broken_json), "-w", "1")
    code_two, two, err_two = invoke(runner, str(broken_json), "-w", "2")
    assert (code_one, code_two) == (1, 1)
    assert len(one.splitlines()) == 108
    assert two == one
    assert "not valid JSON" in err_two
    assert err_two == err_one


@pytest.mark.parametrize("fmt", list(PORTFOLIO_FORMATS))
def test_two_workers_write_the_same_file(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    many_rows: Path,
    fmt: str,
) -> None:
    """-o FILE with --workers 2 holds exactly what --workers 1 writes, in every format."""
    monkeypatch.setattr(workers, "CHUNK_SIZE", 2)
    written = []
    for n in ("1", "2"):
        out = tmp_path / f"out-{n}.{fmt}"
        code, stdout, _ = invoke(runner, str(many_rows), "-f", fmt, "-w", n, "-o", str(out))
        assert (code, stdout) == (1, "")  # the bad rows
        written.append(out.read_bytes())
    assert len(written[0]) > 10_000
    assert written[1] == written[0]


def _run_cli(*args: str, stdout: IO[bytes]) -> subprocess.CompletedProcess[bytes]:
    """The command in its own process, its standard output a real file."""
    command = [sys.executable, "-m", "eligibility", "batch", *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, check=False)


class TestStandardOutputAFile:
    """Standard output redirected to a file, by a shell that writes around the command."""

    def test_output_lands_between_what_others_write(self, tmp_path: Path, many_rows: Path) -> None:
        """Written from where the file stands, and the file stands after it at the end
        (``(echo; eligibility batch ...; echo) > file``)."""
        reference = tmp_path / "reference.jsonl"
        with reference.open("wb") as out:
            _run_cli(str(many_rows), "-q", "--allow-errors", stdout=out)
        path = tmp_path / "out"
        with path.open("wb") as out:
            out.write(b"before\n")
            out.flush()
            done = _run_cli(str(many_rows), "-q", "--allow-errors", "-w", "2", stdout=out)
            out.write(b"after\n")
        assert done.returncode == 0, done.stderr
        assert path.read_bytes() == b"before\n" + reference.read_bytes() + b"after\n"
        assert reference.stat().st_size > 10_000

    def test_appending_output_follows_what_the_file_had(
        self, tmp_path: Path, many_rows: Path
    ) -> None:
        """``>> file`` (O_APPEND): the output comes after what the file held."""
        reference = tmp_path / "reference.jsonl"
        with reference.open("wb") as out:
            _run_cli(str(many_rows), "-q", "--allow-errors", stdout=out)
        path = tmp_path / "out"
        path.write_bytes(b"kept\n")
        with path.open("ab") as out:
            done = _run_cli(str(many_rows), "-q", "--allow-errors", "-w", "2", stdout=out)
        assert done.returncode == 0, done.stderr
        assert path.read_bytes() == b"kept\n" + reference.read_bytes()

    def test_a_run_stopped_by_a_broken_file_keeps_the_rows_before(
        self, tmp_path: Path, broken_json: Path
    ) -> None:
        """A JSON syntax error after many good profiles: with 2 workers, as with 1, the
        output holds the rows before it, complete, and the run exits 1."""
        broken = broken_json
        written = []
        for n in ("1", "2"):
            path = tmp_path / f"out-{n}"
            with path.open("wb") as out:
                done = _run_cli(str(broken), "-q", "-w", n, stdout=out)
            assert done.returncode == 1
            assert "Error:" in done.stderr.decode()
            written.append(path.read_bytes())
        assert written[1] == written[0]
        assert len(written[0].splitlines()) == 108

    @pytest.mark.parametrize("workers", ["1", "2"])
    def test_no_room_left_is_a_message_not_a_traceback(self, many_rows: Path, workers: str) -> None:
        """A full device as output: exit 1 and a last line naming standard output (the
        bad rows' errors may come before it)."""
        with Path("/dev/full").open("wb") as out:
            done = _run_cli(str(many_rows), "-q", "--allow-errors", "-w", workers, stdout=out)
        assert done.returncode == 1
        err = done.stderr.decode()
        assert err.splitlines()[-1] == "Error: <stdout>: cannot be written: No space left on device"
        assert "Traceback" not in err


def test_zero_workers_is_a_usage_error(runner: CliRunner) -> None:
    """--workers 0 is refused by the option parser."""
    code, _, _ = invoke(runner, PUBLISHER_CSV, "--workers", "0")
    assert code == 2


def test_more_workers_than_cpus_is_a_usage_error_before_any_output(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, many_rows: Path, tmp_path: Path
) -> None:
    """--workers 64 on a machine of 2 CPUs is refused (exit 2), saying how many it may
    have, before a row is read or a pool started: 64 processes would only take turns on
    the CPUs, each holding its own rules (--workers 100000 would fill the memory)."""
    monkeypatch.setattr(workers, "available_cpus", lambda: 2)
    started: list[int] = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda n, **_: started.append(n))
    target = tmp_path / "out.jsonl"
    code, out, err = invoke(runner, str(many_rows), "-w", "64", "-o", str(target))
    assert (code, out, started, target.exists()) == (2, "", [], False)
    assert err.splitlines()[-1] == (
        "Error: --workers 64: this machine lets the command run on 2 CPUs; give 2 or fewer"
    )
    assert "batch [OPTIONS] PORTFOLIO" in err


def test_as_many_workers_as_cpus_are_accepted(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, many_rows: Path
) -> None:
    """--workers equal to the CPU count starts a pool of that size, with the same output."""
    monkeypatch.setattr(workers, "available_cpus", lambda: 2)
    monkeypatch.setattr(workers, "CHUNK_SIZE", 2)
    started: list[int] = []
    pool = workers.ProcessPoolExecutor

    def counted(processes: int, **kw: object) -> object:
        started.append(processes)
        return pool(processes, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "ProcessPoolExecutor", counted)
    _, one, _ = invoke(runner, str(many_rows), "--allow-errors", "-w", "1")
    code, two, _ = invoke(runner, str(many_rows), "--allow-errors", "-w", "2")
    assert (code, started) == (0, [2])
    assert two == one


#: The command, with multiprocessing's start method (argv[1]) set first.
_LAUNCH = (
    "import multiprocessing, sys\n"
    "multiprocessing.set_start_method(sys.argv[1])\n"
    "sys.argv = ['eligibility', *sys.argv[2:]]\n"
    "from eligibility.cli import main\n"
    "main()\n"
)
#: Warnings are errors, as in the suite (fork in a process with threads warns from 3.12).
_STRICT = ["-W", "error", "-W", "ignore::DeprecationWarning:durable.engine"]
#: The plain data, and a report in French recorded as it goes (what reaches the pool then
#: is a localizing fragment wrapped to keep the decisions: all of it must pickle).
_VARIANTS = {"jsonl": [], "html-fr-recorded": ["-f", "html", "--lang", "fr", "--record"]}


@pytest.fixture(scope="module")
def portfolio_80(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80 rows, bad ones among them: 3 chunks, so --workers 2 starts a pool."""
    lines = (PORTFOLIOS / "bad-rows.jsonl").read_text().splitlines()
    path = tmp_path_factory.mktemp("portfolio") / "many.jsonl"
    path.write_text("\n".join(lines * 8) + "\n")
    return path


def _batch(
    portfolio: Path, options: list[str], store: Path, *launch: str
) -> subprocess.CompletedProcess[bytes]:
    """``eligibility batch`` in a process of its own (launched by ``launch``), strict."""
    if "--record" in options:
        options = [*options, "--store", str(store)]
    args = ["batch", str(portfolio), "-q", "--allow-errors", *options]
    return subprocess.run([sys.executable, *_STRICT, *launch, *args], capture_output=True)


@pytest.fixture(scope="module")
def one_worker_output(
    tmp_path_factory: pytest.TempPathFactory, portfolio_80: Path
) -> dict[str, tuple[bytes, bytes]]:
    """What --workers 1 writes for each variant, on stdout and stderr (the reference)."""
    written = {}
    for variant, options in _VARIANTS.items():
        store = tmp_path_factory.mktemp(variant) / "audit.sqlite"
        one = _batch(portfolio_80, [*options, "-w", "1"], store, "-m", "eligibility")
        assert one.returncode == 0
        written[variant] = (one.stdout, one.stderr)
    return written


@pytest.mark.skipif(workers.available_cpus() < 2, reason="--workers 2 needs 2 CPUs")
@pytest.mark.parametrize("variant", list(_VARIANTS))
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_two_workers_under_every_start_method(
    tmp_path: Path,
    portfolio_80: Path,
    one_worker_output: dict[str, tuple[bytes, bytes]],
    method: str,
    variant: str,
) -> None:
    """The command with --workers 2, its pool's processes forked, spawned or started by a
    fork server (Linux's default from Python 3.14), writes byte for byte what --workers 1
    writes, on stdout and stderr, with no warning (warnings are errors here)."""
    options = [*_VARIANTS[variant], "-w", "2"]
    two = _batch(portfolio_80, options, tmp_path / "audit.sqlite", "-c", _LAUNCH, method)
    stdout, stderr = one_worker_output[variant]
    assert len(stdout) > 10_000
    row = "Erreur\u00a0: ligne " if "fr" in variant else "Error: row "
    assert stderr.count(row.encode()) == 78  # bad rows and repeated ids, as they come
    assert (two.returncode, two.stdout, two.stderr) == (0, stdout, stderr)
