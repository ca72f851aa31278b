"""The README's examples still hold: its commands exist and its printed output is real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import COMMANDS, cli
from eligibility.profile import limits
from tests.conftest import FIXTURES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_evaluate_transcript_is_what_evaluate_prints(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of the README's text excerpt appears, in order, in the real output of the
    `evaluate` command shown just before it."""
    before, after = README.split("```text\n", 1)
    block = after.split("```", 1)[0]
    fixture = re.findall(r"\$ eligibility evaluate (fixtures/\S+)\n", before)[-1]
    monkeypatch.chdir(ROOT)  # the paths in the output are the ones typed
    output = runner.invoke(cli, ["evaluate", fixture]).output.splitlines()
    assert len(block.splitlines()) > 10
    position = 0
    for line in (ln for ln in block.splitlines() if ln.strip() != "..."):
        position = output.index(line, position) + 1


def test_every_command_in_the_readme_exists() -> None:
    """`eligibility X` in the README names a real command."""
    # in commands: after a backtick, "$ ", or the .venv/bin/ path
    named = set(re.findall(r"(?:`|\$ |bin/)eligibility (\w+)", README))
    assert {"evaluate", "ask", "batch", "audit"} <= named
    assert named <= set(COMMANDS)


def test_the_set_up_is_two_make_commands() -> None:
    """The set-up is exactly `make demo` and `make test`, and the Makefile has both."""
    quickstart = README.split("## Set-up", 1)[1].split("```console\n", 1)[1].split("```")[0]
    assert [ln.split()[1:3] for ln in quickstart.splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _console_transcripts() -> list[tuple[str, list[str]]]:
    """Each ``$ eligibility ...`` line of the README's console blocks with the output lines
    shown under it (``...`` stands for lines left out)."""
    transcripts: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                transcripts.append((line[2:].split("  #")[0].strip(), []))
            elif transcripts:
                transcripts[-1][1].append(line)
    return [(cmd, shown) for cmd, shown in transcripts if cmd.startswith("eligibility ")]


def test_the_console_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    """Run in order in a scratch directory, as a reader would, each example prints the lines
    the README shows under it, in that order, and exits 0."""
    (tmp_path / "fixtures").symlink_to(FIXTURES)
    (tmp_path / "rules").symlink_to(ROOT / "rules")
    (tmp_path / "old-rules").symlink_to(ROOT / "rules")
    shutil.copy(FIXTURES / "portfolios" / "publisher.csv", tmp_path / "portfolio.csv")
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / ".local" / "share"),
    }
    for name in ("ELIGIBILITY_STORE", "ELIGIBILITY_LANG", "ELIGIBILITY_RECORD"):
        env.pop(name, None)
    checked = 0
    for command, shown in _console_transcripts():
        if command.split()[1] in ("ask", "serve"):  # interactive, or a server: tested apart
            continue
        run = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, (command, run.stderr)
        printed = (run.stdout + run.stderr).replace(str(tmp_path), "/root").splitlines()
        position = 0
        for line in (ln for ln in shown if ln.strip() != "..."):
            assert line in printed[position:], (command, line)
            position = printed.index(line, position) + 1
        checked += bool(shown)
    assert checked >= 5


def test_the_ten_line_profile_decides_as_its_fixture(runner: CliRunner, tmp_path: Path) -> None:
    """The profile shown in the README gives the same decision as the fixture it names."""
    block = README.split("```yaml\n", 1)[1].split("```", 1)[0]
    fixture = re.findall(r"# (fixtures/\S+\.yaml)", block)[0]
    profile = yaml.safe_load(block)
    assert len(profile) <= 10
    shown = tmp_path / "shown.yaml"
    shown.write_text(block, encoding="utf-8")
    expected = runner.invoke(cli, ["evaluate", str(ROOT / fixture), "--format", "json"])
    actual = runner.invoke(cli, ["evaluate", str(shown), "--format", "json"])
    assert json.loads(actual.output)["journeys"] == json.loads(expected.output)["journeys"]


def test_every_page_the_readme_links_exists() -> None:
    """A link to a docs page points at a file of the repository."""
    links = re.findall(r"\]\(((?:docs/)[^)#]+)", README)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_the_limits_the_readme_states_are_the_ones_enforced() -> None:
    """The README's limits paragraph quotes the limits the readers enforce."""
    text = " ".join(README.split())
    assert f"A profile file holds at most {limits.PROFILE_BYTES >> 20} MiB" in text
    assert f"a portfolio row {limits.ROW_CHARS >> 20} MiB" in text
    assert f"CSV cell {limits.CSV_CELL_CHARS >> 10} Ki characters" in text
    assert f"at most {limits.YAML_VALUES:,} values".replace(",", " ") in text
