"""Every example runs: the commands of the README's console blocks and of every ``--help``.

Examples are found, not listed: each line of a fenced ``console`` block of the README
that starts with ``$ `` (with its ``\\`` continuations), and each line of the "Examples:"
paragraph of every command's help. Those that run the tool (``eligibility``, however it
is reached, behind ``printf … |`` or ``cat … |``, with redirections) are run by a real
shell in a scratch directory; the others (``make``, the benchmarks) are CI's own steps.

The scratch directory holds what the examples name besides the shipped fixtures and
rules: a product file, a portfolio, a copy of the rules to compare with (see
:data:`PLACEHOLDERS`). A decision id (hexadecimal) in an ``audit`` example is replaced by
the id of a decision recorded beforehand. An example that asks questions without input
of its own answers "don't know" to each. An example exits 0, or what a trailing
``# exit N`` comment says. A server (``eligibility serve``) runs until it is stopped, so
its examples are parsed, not run: click reads their options and values as the command
would (the serve tests start real servers).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml

from eligibility.cli import cli
from tests.conftest import FIXTURES, ROOT, RULES

README = ROOT / "README.md"
BIN = Path(sys.executable).parent

#: Files the examples name, and the fixture each is copied from (a directory: the rules).
PLACEHOLDERS = {
    "product.yaml": FIXTURES / "profiles" / "hospital-gam.yaml",
    "my-product.yaml": FIXTURES / "profiles" / "pacs-regional.yaml",
    "product.json": None,  # product.yaml as JSON, written by the workspace
    "products.yaml": None,  # the publisher's portfolio as YAML, written by the workspace
    "products.jsonl": None,  # the same, one JSON record a line
    "portfolio.csv": FIXTURES / "portfolios" / "publisher.csv",
    "big.csv": FIXTURES / "portfolios" / "publisher.csv",
    "old-rules": RULES,
    "old": RULES,
    "my-rules": RULES,
    "new-rules": RULES,
    "rules-next": RULES,
    "../main/rules": RULES,
}

_RUNS_THE_TOOL = re.compile(r"(?:^|[|;&(]\s*|\s)(?:\S*/)?eligibility\s")
_DECISION_ID = re.compile(r"(?<=audit )(show|replay|promote) [0-9a-f]{8,12}\b")
_EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def readme_examples(text: str) -> Iterator[str]:
    """The ``$`` lines of the fenced console blocks, continuation lines joined."""
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        pending = ""
        for line in block.splitlines():
            if pending:
                pending += " " + line.strip()
            elif line.startswith("$ "):
                pending = line[2:]
            else:
                continue  # output shown after a command
            if pending.endswith("\\"):
                pending = pending[:-1].rstrip()
                continue
            yield pending
            pending = ""


def _commands(group: click.Group, ctx: click.Context) -> Iterator[click.Command]:
    yield group
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, ctx)
        elif command is not None:
            yield command


def help_examples() -> Iterator[str]:
    """The lines of every command's "Examples:" paragraph."""
    ctx = click.Context(cli, info_name="eligibility")
    for command in _commands(cli, ctx):
        lines = (command.help or "").splitlines()
        if "Examples:" not in [ln.strip() for ln in lines]:
            continue
        start = [ln.strip() for ln in lines].index("Examples:") + 1
        for line in lines[start:]:
            if not line.strip():
                break
            yield line.strip()


def runnable(examples: Iterator[str]) -> list[str]:
    """The examples that run the tool, in order, each once."""
    seen: list[str] = []
    for example in examples:
        if _RUNS_THE_TOOL.search(example) and example not in seen:
            seen.append(example)
    return seen


README_EXAMPLES = runnable(readme_examples(README.read_text(encoding="utf-8")))
HELP_EXAMPLES = runnable(help_examples())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A scratch directory with the fixtures, the rules, the placeholders and a recorded
    decision; returns the environment to run the examples in (its ``PWD``: the place)."""
    root = tmp_path_factory.mktemp("examples")
    place = root / "work"
    place.mkdir()
    (place / "fixtures").symlink_to(FIXTURES)
    (place / "rules").symlink_to(RULES)
    for name, source in PLACEHOLDERS.items():
        target = (place / name).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is None:
            continue
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(root),
        "ELIGIBILITY_STORE": str(root / "audit.sqlite"),
        "PWD": str(place),
    }
    env.pop("ELIGIBILITY_RULES", None)
    env.pop("ELIGIBILITY_LANG", None)
    data = yaml.safe_load((place / "product.yaml").read_text(encoding="utf-8"))
    (place / "product.json").write_text(json.dumps(data), encoding="utf-8")
    portfolio = json.loads((FIXTURES / "portfolios" / "publisher.json").read_text("utf-8"))
    (place / "products.yaml").write_text(yaml.safe_dump(portfolio), encoding="utf-8")
    lines = "".join(json.dumps(record) + "\n" for record in portfolio)
    (place / "products.jsonl").write_text(lines, encoding="utf-8")
    recorded = subprocess.run(
        ["eligibility", "evaluate", "product.yaml", "--record"],
        cwd=place, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"Recorded decision ([0-9a-f]+)", recorded.stderr)
    assert found, recorded.stderr
    env["RECORDED"] = found.group(1)
    return env


def is_server(example: str) -> bool:
    """Whether an example starts a server (which runs until it is stopped)."""
    return example.startswith("eligibility serve")


def parse_example(example: str) -> None:
    """Parse a server example's options and values as click would, without running it."""
    args = shlex.split(example)[1:]
    with cli.make_context("eligibility", args) as ctx:
        sub = cli.get_command(ctx, args[0])
        assert sub is not None
        sub.make_context(args[0], args[1:], parent=ctx)


def check_example(example: str, env: dict[str, str]) -> None:
    """An example exits as it should without a traceback (a server's: parses)."""
    if is_server(example):
        parse_example(example)
        return
    result = run_example(example, env)
    assert result.returncode == expected_status(example), result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def run_example(example: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one example as a shell would, in the workspace."""
    command = re.sub(r"(?:\.\./)?\.venv/bin/eligibility\b", "eligibility", example)
    command = _DECISION_ID.sub(lambda m: f"{m.group(1)} {env['RECORDED']}", command)
    needs_input = "eligibility ask" in command and not re.search(r"[<|]", command)
    return subprocess.run(
        ["bash", "-c", command],
        cwd=env["PWD"],
        env=env,
        input="?\n" * 100 if needs_input else "",
        capture_output=True,
        text=True,
        timeout=300,
    )


def expected_status(example: str) -> int:
    """0, or what a trailing ``# exit N`` says."""
    found = _EXIT.search(example)
    return int(found.group(1)) if found else 0


def test_examples_are_found() -> None:
    """The README and the help texts have examples, and the discovery finds them."""
    assert len(README_EXAMPLES) >= 10
    assert len(HELP_EXAMPLES) >= 20
    assert any(e.startswith("eligibility ask") for e in HELP_EXAMPLES)


def test_a_server_example_is_parsed_and_a_wrong_option_fails() -> None:
    """A server example is checked by parsing: a mistyped option is caught, not run."""
    assert is_server("eligibility serve --port 8080")
    parse_example("eligibility serve --port 8080")
    with pytest.raises(click.UsageError):
        parse_example("eligibility serve --prot 8080")


def test_a_continued_line_is_one_example() -> None:
    """A ``\\`` at the end of a ``$`` line continues it; output lines are not examples."""
    text = "```console\n$ eligibility a \\\n    --b c\nan output line\n$ make x\n```\n"
    assert list(readme_examples(text)) == ["eligibility a --b c", "make x"]
    assert runnable(iter(["make x", "eligibility a --b c"])) == ["eligibility a --b c"]


@pytest.mark.parametrize("example", README_EXAMPLES)
def test_every_readme_example_runs(example: str, workspace: dict[str, str]) -> None:
    """Each example of the README exits as it should."""
    check_example(example, workspace)


@pytest.mark.parametrize("example", HELP_EXAMPLES)
def test_every_help_example_runs(example: str, workspace: dict[str, str]) -> None:
    """Each example of a ``--help`` exits as it should."""
    check_example(example, workspace)
