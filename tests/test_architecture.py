"""The architecture: imports point down the layers, and nothing imports itself round a circle.

The layers, lowest first: the core pipeline (errors, with display and output beside it,
profile, rules, engine, decision), the texts in every language (i18n), the features, the
renderers, the rule tooling (which writes the documentation pages with the renderers) and
the web server (which answers with them), the command line. A package imports only
packages of its own layer or below; features may use one another as long as no circle
forms. The import graph is read from the source with :mod:`ast` (every import, including
those inside functions), so the test needs nothing installed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "eligibility"

CORE = ("errors", "profile", "rules", "engine", "decision")
FEATURES = ("questionnaire", "explain", "plan", "batch", "audit")
#: Each top-level package (or module) of ``eligibility`` and its layer, lowest first. The
#: package itself (``eligibility/__init__.py``, the public API) re-exports the core.
LAYER: dict[str, int] = {
    **{name: rank for rank, name in enumerate(CORE)},
    # Beside errors: how input is quoted in messages and the sentences of the error
    # messages (translated by i18n, above), how output is written.
    "display": 0,
    "output": 0,
    "": len(CORE),
    "i18n": len(CORE) + 1,
    **dict.fromkeys(FEATURES, len(CORE) + 2),
    "render": len(CORE) + 3,
    "tooling": len(CORE) + 4,
    "serve": len(CORE) + 4,
    "cli": len(CORE) + 5,
    "__main__": len(CORE) + 6,
}


def module_name(path: Path, src: Path) -> str:
    """``src/eligibility/audit/store.py`` -> ``eligibility.audit.store``."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(node: ast.AST, modules: Iterable[str]) -> list[str]:
    """The modules an import statement names (``from a import b`` names ``a.b`` when it is
    a module, else ``a``)."""
    known = set(modules)
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [
            f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
            for a in node.names
        ]
    return []


def import_graph(src: Path, package: str = PACKAGE) -> dict[str, set[str]]:
    """Every module of the package and the modules of the package it imports."""
    files = {module_name(p, src): p for p in sorted((src / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {m for node in ast.walk(tree) for m in imported(node, files)}
        graph[name] = {m for m in targets if m in files and m != name}
    return graph


def third_party_importers(src: Path, top: str, package: str = PACKAGE) -> set[str]:
    """The modules of the package that import the distribution ``top`` (or a submodule)."""
    found = set()
    for path in sorted((src / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = imported(node, ())
            if any(n == top or n.startswith(top + ".") for n in names):
                found.add(module_name(path, src))
    return found


def top_level(module: str) -> str:
    """The top-level entry a module belongs to (``""`` for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def package_graph(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between top-level entries."""
    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out.setdefault(top_level(module), set()).update(
            top_level(t) for t in targets if top_level(t) != top_level(module)
        )
    return out


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


GRAPH = import_graph(SRC)
PACKAGES = package_graph(GRAPH)


def test_the_graph_is_read_from_the_source() -> None:
    """The reader sees a known import, from a function body too (a guard against a
    vacuous graph)."""
    assert "eligibility.decision.evaluator" in GRAPH["eligibility.cli.evaluate"]
    assert "eligibility.audit.postgres" in GRAPH["eligibility.audit.backend"]


def test_every_top_level_entry_has_a_layer() -> None:
    """A new package must be placed in a layer before it can be imported."""
    entries = {top_level(m) for m in GRAPH}
    assert entries - LAYER.keys() == set()


@pytest.mark.parametrize("package", sorted(LAYER))
def test_a_package_imports_only_its_layer_and_below(package: str) -> None:
    """The core knows no feature, features know neither renderers nor the CLI, the
    renderers know neither the rule tooling, the server nor the CLI."""
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if top_level(module) == package
        for target in targets
        if LAYER[top_level(target)] > LAYER[package]
    )
    assert upward == []


def test_no_circle_between_packages() -> None:
    assert circles(PACKAGES) == []


def test_no_circle_between_modules() -> None:
    assert circles(GRAPH) == []


def test_only_the_cli_imports_click() -> None:
    importers = third_party_importers(SRC, "click")
    assert importers
    assert {top_level(m) for m in importers} == {"cli"}


def test_only_the_server_imports_the_web_stack() -> None:
    """FastAPI and Starlette in serve/ alone; uvicorn, which runs it, in its command."""
    web = third_party_importers(SRC, "fastapi") | third_party_importers(SRC, "starlette")
    assert web
    assert {top_level(m) for m in web} == {"serve"}
    assert third_party_importers(SRC, "uvicorn") == {"eligibility.cli.serve"}


def test_only_the_durable_adapter_imports_durable() -> None:
    importers = third_party_importers(SRC, "durable") | third_party_importers(
        SRC, "durable_rules_engine"
    )
    assert importers == {"eligibility.engine.durable"}


def test_the_checks_catch_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The graph, the layers and the circle finder on a planted tree: decision importing
    a feature, and two modules importing each other."""
    root = tmp_path / PACKAGE
    for folder in ("decision", "batch"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "decision" / "model.py").write_text("from eligibility.batch import pieces\n")
    (root / "batch" / "pieces.py").write_text(
        "def f() -> None:\n    from eligibility.decision.model import X\n"
    )
    graph = import_graph(tmp_path)
    assert graph["eligibility.decision.model"] == {"eligibility.batch.pieces"}
    assert circles(graph) == [["eligibility.batch.pieces", "eligibility.decision.model"]]
    assert circles(package_graph(graph)) == [["batch", "decision"]]
    assert LAYER["batch"] > LAYER["decision"]


def test_a_module_over_400_lines_says_why_it_is_one_piece() -> None:
    """A long module is split, or its docstring says what makes it one cohesive thing."""
    long_ones = [
        path
        for path in (ROOT / "src" / "eligibility").rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > 400
    ]
    assert long_ones  # the check reads real files
    unexplained = [
        str(path.relative_to(ROOT))
        for path in long_ones
        if "One cohesive module although over 400 lines"
        not in " ".join(path.read_text(encoding="utf-8").split())
    ]
    assert unexplained == []
