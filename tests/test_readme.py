"""The README's examples still hold: its commands exist and its printed output is real."""

from __future__ import annotations

import re

from click.testing import CliRunner

from eligibility.cli import COMMANDS, cli
from tests.conftest import FIXTURES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_evaluate_transcript_is_what_evaluate_prints(runner: CliRunner) -> None:
    """Every line of the README's text excerpt appears, in order, in the real output."""
    block = README.split("```text\n", 1)[1].split("```", 1)[0]
    fixture = FIXTURES / "profiles" / "ror-orientation-applied.yaml"
    output = runner.invoke(cli, ["evaluate", str(fixture)]).output.splitlines()
    position = 0
    for line in (ln for ln in block.splitlines() if ln.strip() != "..."):
        position = output.index(line, position) + 1


def test_every_command_in_the_readme_exists() -> None:
    """`eligibility X` in the README names a real command."""
    # in commands: after a backtick, "$ ", or the .venv/bin/ path
    named = set(re.findall(r"(?:`|\$ |bin/)eligibility (\w+)", README))
    assert {"evaluate", "ask", "batch", "audit"} <= named
    assert named <= set(COMMANDS)


def test_the_quickstart_is_two_make_commands() -> None:
    """The quickstart is exactly `make demo` and `make test`, and the Makefile has both."""
    quickstart = README.split("## Quickstart", 1)[1].split("```console\n", 1)[1].split("```")[0]
    assert [ln.split()[1:3] for ln in quickstart.splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
