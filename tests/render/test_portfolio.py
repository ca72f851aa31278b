"""Portfolio reports: jsonl, json, csv, markdown and html over the same row results."""

from __future__ import annotations

import csv
import io
import json
from html import escape
from html.parser import HTMLParser

import pytest
import yaml
from click.testing import CliRunner

from eligibility.batch.outcome import RowDecision, RowError, RowResult
from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import JourneyOut
from eligibility.errors import FieldProblem
from eligibility.i18n.translation import load_translation
from eligibility.profile.model import parse_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render.portfolio import PORTFOLIO_FORMATS, ReportInfo, render_portfolio
from eligibility.render.portfolio.html import MARKS
from eligibility.render.portfolio.report import STATUSES
from eligibility.render.wording import Wording
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
    """The report info of a portfolio named like a fixture, in the publisher's words."""
    wording = Wording.of(ruleset, load_questions(), load_translation(ruleset, "en"))
    return ReportInfo.of("portfolio.csv", ruleset, wording)


def render(results: list[RowResult], fmt: str, info: ReportInfo) -> str:
    return b"".join(render_portfolio(results, fmt, info)).decode()


def test_every_format_renders_an_empty_portfolio(info: ReportInfo) -> None:
    """No rows is still a valid document in every format."""
    assert render([], "json", info) == "[]\n"
    assert render([], "jsonl", info) == ""
    assert render([], "csv", info).startswith("row,profile_id")
    assert "0 products: 0 decided, 0 errors" in render([], "markdown", info)
    assert "0 products: 0 decided, 0 errors" in render([], "html", info)


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

    def test_columns_keep_their_order_with_conflicts_last(self, info: ReportInfo) -> None:
        """The conflicts column comes after the columns a spreadsheet already reads."""
        header = render([], "csv", info).splitlines()[0].split(",")
        assert header == [
            "row", "profile_id", "name", "journey", "status", "variant", "to_do",
            "optional", "done", "undetermined", "missing", "error", "conflicts",
        ]  # fmt: skip

    def test_a_conflict_shows_on_both_journeys_rows(
        self, evaluator: Evaluator, info: ReportInfo
    ) -> None:
        """The journey that applies says what it needs, by which dependency and the answers
        to check; the journey it needs says by whom; every other row leaves the cell empty."""
        data = yaml.safe_load(
            (FIXTURES / "profiles" / "mes-exchange-without-hosting.yaml").read_text()
        )
        decision = evaluator.evaluate(parse_profile(data))
        assert [(c.journey, c.needs) for c in decision.conflicts] == [
            ("mes-referencing", "hds-certification")
        ]
        rows = list(
            csv.DictReader(io.StringIO(render([RowDecision(2, None, decision)], "csv", info)))
        )
        cells = {r["journey"]: r["conflicts"] for r in rows if r["conflicts"]}
        assert cells == {
            "mes-referencing": "needs hds-certification (mes.needs.hds); check "
            "mes_data_exchange=true, hosts_health_data_for_third_parties=false",
            "hds-certification": "needed by mes-referencing (mes.needs.hds)",
        }

    def test_an_error_line_has_every_column(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """A failed row's line has a cell for each column, its conflicts empty."""
        lines = list(csv.reader(io.StringIO(render(results, "csv", info))))
        error = next(line for line in lines if line[4] == "error")
        assert len(error) == len(lines[0]) and error[-1] == ""


def _applying(result: RowResult) -> list[tuple[int, JourneyOut]]:
    assert isinstance(result, RowDecision)
    return [(i, j) for i, j in enumerate(result.decision.journeys) if j.status == "applies"]


class TestMarkdown:
    def test_summary_then_matrix_then_products_then_legend(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """Counts per journey and status come first, then the matrix, the products, the
        legend of steps and reasons."""
        text = render(results, "markdown", info)
        order = ["| journey | applies |", "## Products and journeys", "## Products\n", "## Reasons"]
        assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
        assert "**5 products: 4 decided, 1 error; 0 products in conflict;" in text

    def test_counts_per_journey_and_status(
        self, results: list[RowResult], info: ReportInfo
    ) -> None:
        """Each journey's line counts the products per status and the steps to do."""
        text = render(results, "markdown", info)
        decided = [r for r in results if isinstance(r, RowDecision)]
        ins = [r.decision.journey("ins") for r in decided]
        counts = [sum(j.status == s for j in ins) for s in STATUSES]
        steps = sum(
            len([s for s in j.steps if s.status == "required"])
            for j in ins
            if j.status == "applies"
        )
        assert f"| INS and INSi | {counts[0]} | {counts[1]} | {counts[2]} | {steps} |" in text

    def test_matrix_rows_and_details(self, results: list[RowResult], info: ReportInfo) -> None:
        """A matrix line per row with a mark per journey; each product's details give the
        steps to do by number, their titles once in the legend."""
        text = render(results, "markdown", info)
        matrix_row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
        assert matrix_row.count("|") == len(info.journeys) + 5
        details = text[text.index("### 1.") : text.index("### 2.")]
        legend = text[text.index("## Journeys and their steps") :]
        for i, j in _applying(results[0]):
            to_do = [n for n, s in enumerate(j.steps, 1) if s.status == "required"]
            name = info.wording.journey(j.id)
            line = next(ln for ln in details.splitlines() if ln.startswith(f"- **{name}**"))
            assert f"to do {to_do[0]}" in line
            assert all(info.steps[i][n - 1] in legend for n in to_do)
        assert "| 9 | `broken<id>` | **error**: storage_role: not allowed (got 'x') |" in text


class _Page(HTMLParser):
    """Collects what the tests look at in the HTML report."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.style = ""
        self.cells: list[tuple[str, str]] = []  # (class, text) of matrix cells
        self.ids: dict[str, str] = {}  # element id -> its text
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        self.links += [v for k, v in attrs if k in ("href", "src") and v]
        self._in_style = tag == "style"
        if a.get("id"):
            self.ids[a["id"] or ""] = ""
        self._stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
            return
        for _, a in self._stack:
            if a.get("id"):
                self.ids[a["id"] or ""] += data
        in_matrix = any(t == "table" and a.get("id") == "matrix" for t, a in self._stack)
        if in_matrix and self._stack and self._stack[-1][0] == "td":
            self.cells.append((self._stack[-1][1].get("class") or "", data))


@pytest.fixture(scope="module")
def html(results: list[RowResult], info: ReportInfo) -> str:
    """The HTML report of the results."""
    return render(results, "html", info)


@pytest.fixture(scope="module")
def page(html: str) -> _Page:
    """The HTML report, parsed."""
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser


class TestHtml:
    def test_self_contained(self, page: _Page) -> None:
        """One inline script, an inline SVG chart, no external style sheet, image or script:
        every link is an in-page anchor or a source."""
        assert page.tags.count("script") == 1 and "svg" in page.tags
        assert "link" not in page.tags and "img" not in page.tags
        assert all(link.startswith(("#", "https://")) for link in page.links)

    def test_matrix_marks_every_journey_of_every_product(
        self, page: _Page, results: list[RowResult]
    ) -> None:
        """Each journey cell has its status as a class (colour) and as a mark (no colour)."""
        first = results[0]
        assert isinstance(first, RowDecision)
        expected = [MARKS[j.status] for j in first.decision.journeys]
        assert page.cells[1 : 1 + len(expected)] == [(c, m) for c, m in expected]

    def test_short_journey_names_and_full_titles_on_hover(
        self, html: str, info: ReportInfo
    ) -> None:
        """The matrix heads each column with the journey's short name, its title on hover."""
        for jid, title in info.journeys:
            name = info.wording.journey(jid)
            assert f'<th class="j" title="{escape(title)}"><span>{escape(name)}</span></th>' in html

    def test_error_row_in_matrix(self, page: _Page) -> None:
        """The failed row is in the matrix, marked as an error, with its problem."""
        assert "storage_role: not allowed (got 'x')" in page.ids["p9"]
        assert any(c == "e" for c, _ in page.cells)

    def test_a_product_folds_its_details(
        self, html: str, page: _Page, results: list[RowResult], info: ReportInfo
    ) -> None:
        """A product's card lists each journey that applies with its steps to do by number;
        the steps' titles and the reasons the card cites are in the legend, with sources
        as links."""
        card = page.ids["p1"]
        for _, j in _applying(results[0]):
            assert info.wording.journey(j.id) in card
            for s in j.steps:
                if s.status == "required":
                    assert s.title in page.ids[f"j-{j.id}"]
        cited = [link[3:] for link in page.links if link.startswith("#r-")]
        assert cited and all(f"r-{rule}" in page.ids for rule in cited)
        assert '<details class="card"><summary>' in html

    def test_sources_are_links(self, page: _Page, info: ReportInfo) -> None:
        """Each journey's sources that are URLs are links in the legend."""
        urls = {src for sources in info.sources for src in sources if src.startswith("https://")}
        assert urls and urls <= set(page.links)

    def test_the_summary_is_shown_first(self, html: str) -> None:
        """Written after the matrix (it is known at the end), shown before it."""
        assert html.index('<section id="products">') < html.index('<section id="summary">')
        assert "#summary{order:1}#products{order:2}" in html.replace(" ", "")

    def test_no_trace(self, html: str) -> None:
        """The report holds no trace of rule firings."""
        assert '"matched"' not in html and "trace" not in html

    def test_print_css(self, page: _Page) -> None:
        """A print style sheet keeps colours."""
        assert "@media print" in page.style
        assert "print-color-adjust:exact" in page.style

    def test_text_is_escaped(self, page: _Page) -> None:
        """Text from the input is escaped, not read as markup."""
        assert "broken<id>" in page.ids["p9"]
        assert "id" not in page.tags  # "<id>" did not become a tag


def test_format_registry() -> None:
    """The five formats of the issue are registered under their names."""
    assert list(PORTFOLIO_FORMATS) == ["jsonl", "json", "csv", "markdown", "html"]


def test_the_demo_report_is_small(runner: CliRunner) -> None:
    """The 18-product demo portfolio's HTML report stays under 200 KB."""
    result = runner.invoke(
        cli, ["batch", str(FIXTURES / "portfolios" / "publisher.csv"), "-f", "html", "-q"]
    )
    assert result.exit_code == 0
    assert len(result.stdout_bytes) < 200_000


def test_a_product_costs_under_3_kb_of_html(evaluator: Evaluator, info: ReportInfo) -> None:
    """Every fixture product, many times over: under 3 000 bytes a row, so a 20 000-product
    report stays under 60 MB (benchmarks/report.py measures the real one)."""
    profiles = [
        parse_profile(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted((FIXTURES / "profiles").glob("*.yaml"))
    ]
    decisions = [evaluator.evaluate(p, with_trace=False) for p in profiles]
    rows: list[RowResult] = [
        RowDecision(n, f"Product {n}", decisions[n % len(decisions)]) for n in range(1, 1001)
    ]
    empty = len(render([], "html", info).encode())
    assert (len(render(rows, "html", info).encode()) - empty) / len(rows) < 3_000
