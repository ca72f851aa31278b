"""Portfolio reports: jsonl, json, csv, markdown and html over the same row results."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from eligibility.batch.outcome import RowDecision, RowError, RowResult
from eligibility.decision.evaluator import Evaluator
from eligibility.errors import FieldProblem
from eligibility.profile.model import parse_profile
from eligibility.render.portfolio import PORTFOLIO_FORMATS, ReportInfo, render_portfolio
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES

PROFILES = json.loads((FIXTURES / "portfolios" / "publisher.json").read_text())


@pytest.fixture(scope="module")
def results(evaluator: Evaluator) -> list[RowResult]:
    """Three decided products (one with a name), then an error row, then one more product."""
    decided: list[RowResult] = []
    for n, data in enumerate(PROFILES[:3] + PROFILES[-1:], start=1):
        profile = parse_profile(data)
        decided.append(RowDecision(n, profile.name, evaluator.evaluate(profile)))
    error = RowError(9, "broken<id>", (FieldProblem("storage_role", "not allowed", "x", True),))
    return [*decided[:3], error, decided[3]]


@pytest.fixture(scope="module")
def info(ruleset: RuleSet) -> ReportInfo:
    """The report info of a portfolio named like a fixture."""
    return ReportInfo.of("portfolio.csv", ruleset)


def render(results: list[RowResult], fmt: str, info: ReportInfo) -> str:
    return b"".join(render_portfolio(results, fmt, info)).decode()


def test_every_format_renders_an_empty_portfolio(info: ReportInfo) -> None:
    """No rows is still a valid document in every format."""
    assert render([], "json", info) == "[]\n"
    assert render([], "jsonl", info) == ""
    assert render([], "csv", info).startswith("row,profile_id")
    assert "0 rows" in render([], "markdown", info)
    assert "0 rows" in render([], "html", info)


def test_renderers_stream(results: list[RowResult], info: ReportInfo) -> None:
    """jsonl yields its first line before the rest of the rows are read."""
    pulled = []

    def source() -> object:
        for r in results:
            pulled.append(r.row)
            yield r

    chunks = render_portfolio(source(), "jsonl", info)  # type: ignore[arg-type]
    next(chunks)
    assert pulled == [1]


class TestJson:
    def test_jsonl_lines_are_decisions_and_error_records(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """One line per row: the decision contract, or the error record."""
        lines = render(results, "jsonl", info).splitlines()
        first = results[0]
        assert isinstance(first, RowDecision)
        assert lines[0] == first.decision.to_json().decode()
        assert json.loads(lines[3]) == {
            "profile_id": "broken<id>",
            "row": 9,
            "errors": [{"field": "storage_role", "message": "not allowed", "value": "x"}],
        }

    def test_json_is_one_array_of_the_jsonl_records(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """The json format parses to the list of jsonl records."""
        records = json.loads(render(results, "json", info))
        lines = [json.loads(line) for line in render(results, "jsonl", info).splitlines()]
        assert records == lines


class TestCsv:
    def test_one_row_per_product_and_journey(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """Each product has a line per journey; an error row has one line with status error."""
        rows = list(csv.DictReader(io.StringIO(render(results, "csv", info))))
        assert len(rows) == 4 * len(info.journeys) + 1
        assert [r["journey"] for r in rows[: len(info.journeys)]] == list(info.journey_ids)
        error = next(r for r in rows if r["status"] == "error")
        assert (error["row"], error["profile_id"]) == ("9", "broken<id>")
        assert error["error"] == "storage_role: not allowed (got 'x')"

    def test_step_columns(self, results: list[RowResult], info: ReportInfo) -> None:
        """to_do, done and undetermined list the journey's step ids by status."""
        rows = list(csv.DictReader(io.StringIO(render(results, "csv", info))))
        first = results[0]
        assert isinstance(first, RowDecision)
        ins = first.decision.journey("ins")
        row = next(r for r in rows if r["row"] == "1" and r["journey"] == "ins")
        assert row["status"] == ins.status and row["variant"] == (ins.variant or "")
        for column, status in (("to_do", "required"), ("done", "done")):
            assert row[column] == ";".join(s.id for s in ins.steps if s.status == status)
        assert row["to_do"]  # the fixture's first product has INS steps to do


class TestMarkdown:
    def test_matrix_then_details(self, results: list[RowResult], info: ReportInfo) -> None:
        """Counts and the matrix come first, then per product the steps to do."""
        text = render(results, "markdown", info)
        assert text.index("## Matrix") < text.index("## Products")
        assert "**5 rows**: 4 decided, 1 with errors." in text
        first = results[0]
        assert isinstance(first, RowDecision)
        matrix_row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
        assert matrix_row.count("|") == len(info.journeys) + 4
        todo = [s.title for j in first.decision.journeys for s in j.steps if s.status == "required"]
        details = text[text.index("### Row 1:") : text.index("### Row 2:")]
        assert todo and all(title in details for title in todo)
        assert "| 9 | `broken<id>` | **error**: storage_role: not allowed (got 'x') |" in text


class _Page(HTMLParser):
    """Collects what the tests look at in the HTML report."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.style = ""
        self.cells: list[tuple[str, str]] = []  # (class, text) of matrix cells
        self.sections: dict[str, str] = {}  # id -> text
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        self.links += [v for k, v in attrs if k in ("href", "src") and v]
        self._in_style = tag == "style"
        if tag == "section":
            self.sections[a["id"] or ""] = ""
        self._stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
            return
        section = next((a["id"] for t, a in self._stack if t == "section"), None)
        if section:
            self.sections[section] += data
        in_matrix = any(t == "table" and a.get("id") == "matrix" for t, a in self._stack)
        if in_matrix and self._stack and self._stack[-1][0] == "td":
            self.cells.append((self._stack[-1][1].get("class") or "", data))


@pytest.fixture(scope="module")
def page(results: list[RowResult], info: ReportInfo) -> _Page:
    """The HTML report of the results, parsed."""
    parser = _Page()
    parser.feed(render(results, "html", info))
    parser.close()
    return parser


class TestHtml:
    def test_self_contained(self, page: _Page) -> None:
        """No script, no external style sheet or image: every link is an in-page anchor."""
        assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
        assert page.links and all(link.startswith("#row-") for link in page.links)

    def test_matrix_cells_are_colour_coded_and_say_their_status(
        self, page: _Page, results: list[RowResult]
    ) -> None:
        """Each journey cell has its status as class (colour) and as words."""
        first = results[0]
        assert isinstance(first, RowDecision)
        expected = [j.status for j in first.decision.journeys]
        coded = [c for c in page.cells if c[0]][: len(expected)]
        assert [cls for cls, _ in coded] == expected
        assert all(text.startswith(cls.replace("_", " ")) for cls, text in coded)
        for status in ("applies", "not_applicable", "undetermined", "error"):
            assert f".{status} " in page.style

    def test_error_row_in_matrix(self, page: _Page) -> None:
        """The failed row is in the matrix, marked as an error, and its details list the problem."""
        assert ("error", "error") in page.cells
        assert "storage_role: not allowed (got 'x')" in page.sections["row-9"]

    def test_details_have_reasons_and_sources(self, page: _Page, results: list[RowResult]) -> None:
        """A product's section names each applying journey with its reasons and their sources."""
        first = results[0]
        assert isinstance(first, RowDecision)
        section = page.sections["row-1"]
        for j in first.decision.journeys:
            if j.status == "applies":
                assert j.title in section
                for r in j.reasons:
                    assert r.text in section and f"source: {r.source}" in section
                for s in j.steps:
                    assert s.title in section

    def test_print_css(self, page: _Page) -> None:
        """A print style sheet keeps colours and avoids breaking rows."""
        assert "@media print" in page.style
        assert "print-color-adjust: exact" in page.style

    def test_text_is_escaped(self, page: _Page) -> None:
        """Text from the input is escaped, not read as markup."""
        assert "broken<id>" in page.sections["row-9"]
        assert "id" not in page.tags  # "<id>" did not become a tag


def test_format_registry() -> None:
    """The five formats of the issue are registered under their names."""
    assert list(PORTFOLIO_FORMATS) == ["jsonl", "json", "csv", "markdown", "html"]
