"""Any bytes, any YAML, any JSON, through every input of the command line: an answer or an
``Error:`` line (exit 0 or 1), never a traceback, and a bounded use of memory."""

from __future__ import annotations

import json
import resource
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.cli import cli
from eligibility.profile.model import FIELDS
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.conftest import FIXTURES, RULES
from tests.strategies import raw_profiles

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")

#: How far one run may raise the test process's peak resident set (KiB). Runs are compared
#: one by one: each durable evaluator keeps about 7 MiB after it is dropped, which adds up
#: over hundreds of runs in one process (the command line makes one per process).
MEMORY_BOUND_KIB = 256 << 10

# Pieces of YAML, put together at random: anchors, aliases and tags, dates, numbers of
# other scripts, flow and block collections, documents, field names and values.
_YAML_PIECES = [
    "id: ", "name: ", "- ", "  ", "\n", ": ", ", ", "[", "]", "{", "}", "? ", "&a ", "*a",
    "&b ", "*b", "<<: ", "!!timestamp ", "!!binary ", "!!python/object:os.system ", "!!set ",
    "!!int ", "!!float ", "2026-01-01", "2026-01-01 10:00:00", "٣", "0x1f", "010", "1_000",
    "1:30", "~", "null", "yes", "no", ".inf", '"', "'", "#", "---\n", "...\n", "%YAML 1.1\n",
    "|\n", ">\n", "\t", "\r", "\x1b]0;t\x07", "\ufeff", "=cmd", *FIELDS, "DPI", "archive",
    "consumer", "true", "false", "9" * 30,
]  # fmt: skip

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["id", *FIELDS, "x"]) | st.text(max_size=8), children)
    ),
    max_leaves=20,
)

#: Text a YAML or JSON reader may be given: bytes of any kind, pieces of YAML put together,
#: and well-formed documents (profiles, broken ones, lists of them), as YAML and as JSON.
documents = st.one_of(
    st.binary(max_size=2048),
    st.lists(st.sampled_from(_YAML_PIECES), max_size=60).map(lambda ps: "".join(ps).encode()),
    st.one_of(raw_profiles(), _json_values, st.lists(raw_profiles(), max_size=3)).flatmap(
        lambda value: st.sampled_from(
            [
                yaml.safe_dump(value, allow_unicode=True).encode(),
                json.dumps(value, ensure_ascii=False).encode(),
                "".join(json.dumps(v) + "\n" for v in _as_list(value)).encode(),
            ]
        )
    ),
)

#: Cells of a CSV portfolio: any text, the conventions' words, separators and formulas.
csv_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "[]", ";", "a;;b", "true", "YES", "1", "٣", "+3", "-0", "=1+1", '"']),
    st.sampled_from([v for spec in FIELDS.values() for v in map(str, spec.values)]),
)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@st.composite
def csv_portfolios(draw: st.DrawFn) -> bytes:
    """A CSV portfolio: a header of field names (and others), rows of random cells."""
    columns = draw(
        st.lists(st.sampled_from(["id", "name", *FIELDS, "x", ""]), min_size=1, max_size=8)
    )
    rows = draw(st.lists(st.lists(csv_cells, min_size=len(columns), max_size=len(columns))))
    lines = [",".join(columns)] + [",".join(r) for r in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module", autouse=True)
def shipped_rules_once() -> Iterator[None]:
    """The shipped rules are loaded once for the module (the examples are many): each
    command's own ``load_ruleset`` answers from a cache when it is given no directory."""
    original = load_ruleset

    @cache
    def shipped() -> RuleSet:
        return original(None)

    def cached(rules_dir: str | None = None) -> RuleSet:
        return shipped() if rules_dir is None else original(rules_dir)

    with pytest.MonkeyPatch.context() as patch:
        for module in ("evaluate", "plan", "explain", "batch"):
            patch.setattr(f"eligibility.cli.{module}.load_ruleset", cached)
        yield


def peak_kib() -> int:
    """The test process's largest resident set so far (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def answered(result: Result, peak_before: int) -> None:
    """The run ended with exit 0 or 1, no traceback, a short message; memory stayed bounded."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        # "Erreur :" when the command runs in French (a locale file may be read in French)
        assert (
            "Error:" in result.stderr
            or "Erreur\u00a0:" in result.stderr
            or ("error" in result.output)
        )
    assert len(result.stderr) < 20_000
    assert peak_kib() - peak_before < MEMORY_BOUND_KIB


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Each input path: how the bytes reach it (a file with this suffix, or standard input).
PROFILE_PATHS: dict[str, Callable[[Path], list[str]]] = {
    "evaluate FILE.yaml": lambda p: ["evaluate", str(p.with_suffix(".yaml"))],
    "evaluate FILE.json": lambda p: ["evaluate", str(p.with_suffix(".json"))],
    "evaluate -": lambda _: ["evaluate", "-", "-f", "json"],
    "plan -": lambda _: ["plan", "-"],
    "explain - ins": lambda _: ["explain", "-", "ins"],
}
PORTFOLIO_PATHS: dict[str, Callable[[Path], list[str]]] = {
    f"batch {how}": (
        lambda p, fmt=fmt, stdin=stdin: (
            ["batch", "-", "--input-format", fmt, "-f", "csv"]
            if stdin
            else ["batch", str(p.with_suffix("." + fmt)), "-f", "markdown"]
        )
    )
    for fmt in ("json", "jsonl", "yaml", "csv")
    for stdin, how in ((False, f"FILE.{fmt}"), (True, f"- --input-format {fmt}"))
}


def _invoke(args: list[str], data: bytes, file: Path) -> Result:
    for suffix in (".yaml", ".json", ".jsonl", ".csv"):
        file.with_suffix(suffix).write_bytes(data)
    return CliRunner().invoke(cli, args, input=data)


@pytest.mark.parametrize("path", list(PROFILE_PATHS))
@SETTINGS
@given(data=documents)
def test_any_profile_input(path: str, data: bytes, tmp_path: Path) -> None:
    """evaluate, plan and explain, from a file (YAML or JSON) or standard input."""
    file, peak = tmp_path / "input", peak_kib()
    answered(_invoke(PROFILE_PATHS[path](file), data, file), peak)


@pytest.mark.parametrize("path", list(PORTFOLIO_PATHS))
@SETTINGS
@given(data=st.one_of(documents, csv_portfolios()))
def test_any_portfolio_input(path: str, data: bytes, tmp_path: Path) -> None:
    """batch, from a file or standard input, in each input format."""
    file, peak = tmp_path / "input", peak_kib()
    answered(_invoke(PORTFOLIO_PATHS[path](file), data, file), peak)


@pytest.fixture(scope="module")
def rules_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped rules, one file of which each example overwrites."""
    root = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(RULES, root)
    return root


RULE_FILES = {
    "ruleset.yaml": ["evaluate", PACS, "--rules", "{root}"],
    "ins/rules.yaml": ["evaluate", PACS, "--rules", "{root}"],
    "ins/rules.test.yaml": ["rules", "test", "{root}"],
    "questions.yaml": ["ask", "--rules", "{root}"],
    "locales/fr.yaml": ["evaluate", PACS, "--rules", "{root}", "--lang", "fr"],
}


@pytest.mark.parametrize("relative", list(RULE_FILES))
@settings(SETTINGS, max_examples=15)
@given(data=documents)
def test_any_rule_file(relative: str, data: bytes, rules_copy: Path) -> None:
    """A file of a rules directory holding anything: the directory is reported invalid."""
    path = rules_copy / relative
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        args = [a.format(root=rules_copy) for a in RULE_FILES[relative]]
        peak = peak_kib()
        answered(CliRunner().invoke(cli, args, input=""), peak)
    finally:
        path.write_bytes(original)
