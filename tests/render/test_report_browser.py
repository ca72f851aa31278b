"""The HTML report in a real headless Chromium: its matrix, its counts, its filter and
sorting, and a screenshot kept in test-artifacts/ to look at.

Chromium runs as a plain command (``--dump-dom`` after the page's own script and, for the
filter and the sorting, a few lines appended to a copy of the page that act as a reader
would: choose a journey and a status, click a column's heading). Skipped where Chromium is
not installed (``.ci/run`` installs it from Debian's packages).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from tests.chromium import CHROMIUM_FLAGS
from tests.conftest import FIXTURES, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
PORTFOLIO = str(FIXTURES / "portfolios" / "publisher.csv")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _chromium(page: Path, profile: Path, *args: str) -> str:
    """Run headless Chromium on a local page with flags known to work as root in CI."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio's HTML report, as a file."""
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["batch", PORTFOLIO, "-f", "html", "-q", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _dom(report: Path, tmp_path: Path, actions: str = "") -> str:
    """The DOM Chromium built from the report, after ``actions`` (JavaScript) ran."""
    page = report
    if actions:
        page = tmp_path / "acted.html"
        html = report.read_text(encoding="utf-8")
        page.write_text(html.replace("</body>", f"<script>{actions}</script></body>"), "utf-8")
    return _chromium(page, tmp_path / "profile", "--window-size=1400,1000", "--dump-dom")


def _rows(dom: str) -> list[str]:
    body = dom[dom.index("<tbody>") : dom.index("</tbody>")]
    return re.findall(r"<tr id=\"p\d+\"[^>]*>", body)


def test_the_matrix_has_every_product_and_its_counts(report: Path, tmp_path: Path) -> None:
    """Chromium lays out 18 product rows of 14 journey cells, shows the controls (the
    script ran) and counts the journeys as the summary table says."""
    dom = _dom(report, tmp_path)
    rows = _rows(dom)
    assert len(rows) == 18 and not any("hidden" in r for r in rows)
    assert '<div id="controls">' in dom and '<span id="shown">18</span>' in dom
    first = dom[dom.index('<tr id="p2"') : dom.index("</tr>", dom.index('<tr id="p2"'))]
    assert len(re.findall(r'<td class="[aun]', first)) == 14
    summary = dom[dom.index('<section id="summary">') :]
    ins = re.search(r'href="#j-ins">INS and INSi</a></th><td>(\d+)</td>', summary)
    assert ins is not None
    column = list(re.findall(r'<tr id="p\d+".*?</tr>', dom, re.S))
    applies = sum(1 for r in column if re.findall(r'<td class="([^"]+)"', r)[3].startswith("a"))
    assert int(ins.group(1)) == applies == 15


def test_the_filter_shows_the_products_a_journey_applies_to(report: Path, tmp_path: Path) -> None:
    """Choosing Mon espace santé and "applies" leaves its three products shown."""
    actions = (
        "var j=document.getElementById('fj'),s=document.getElementById('fs');"
        "j.value='2';s.value='a';j.dispatchEvent(new Event('change'));"
    )
    dom = _dom(report, tmp_path, actions)
    shown = [r for r in _rows(dom) if "hidden" not in r]
    assert [re.search(r"p(\d+)", r).group(1) for r in shown] == ["15", "16", "18"]  # type: ignore[union-attr]
    assert '<span id="shown">3</span>' in dom


def test_the_conflict_filter_and_sorting(report: Path, tmp_path: Path) -> None:
    """ "Conflict" leaves the appointment service; a click on "steps to do" sorts by it."""
    actions = (
        "document.getElementById('fs').value='c';"
        "document.getElementById('fs').dispatchEvent(new Event('change'));"
        "var h=document.querySelectorAll('#matrix thead th');h[h.length-2].firstChild.click();"
    )
    dom = _dom(report, tmp_path, actions)
    rows = _rows(dom)
    assert [r for r in rows if "hidden" not in r] == ['<tr id="p18">']
    order = [int(n) for n in re.findall(r'<tr id="p(\d+)"', dom[dom.index("<tbody>") :])]
    steps = dict(re.findall(r'<tr id="p(\d+)".*?<td>(\d+)</td><td>\d+</td></tr>', dom, re.S))
    values = [int(steps[str(n)]) for n in order]
    assert values == sorted(values, reverse=True) or values == sorted(values)


def test_a_screenshot_of_the_report(report: Path, tmp_path: Path) -> None:
    """A 1400-pixel-wide screenshot of the report, and one with a product's details open,
    are kept in test-artifacts/ (the matrix fits the width)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        "report.png": report,
        "report-matrix.png": tmp_path / "matrix.html",
    }
    html = report.read_text(encoding="utf-8")
    opened = html.replace(
        '<tr id="p4"><td>4</td><th data-k="lgc-gp-desktop"><details',
        ('<tr id="p4"><td>4</td><th data-k="lgc-gp-desktop"><details open'),
    )
    # The matrix alone (the summary, shown first, set aside), a product's card open.
    alone = "<style>header,#summary{display:none}</style></head>"
    shots["report-matrix.png"].write_text(opened.replace("</head>", alone), encoding="utf-8")
    for name, page in shots.items():
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        _chromium(
            page, tmp_path / f"profile-{name}", "--window-size=1400,1000", f"--screenshot={target}"
        )
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size > 20_000
    width = _dom(report, tmp_path, "document.title=document.getElementById('matrix').scrollWidth;")
    matrix_width = int(re.search(r"<title>(\d+)</title>", width).group(1))  # type: ignore[union-attr]
    assert matrix_width < 1400 - 48
