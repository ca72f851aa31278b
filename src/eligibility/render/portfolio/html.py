"""HTML report: one self-contained page (inline CSS, no script, no external asset).

Counts per journey, a colour-coded matrix of products by journeys (each cell also says its
status in words, so the page reads in black and white), then per product every journey
that applies or is undetermined, with its reasons, the sources they rest on, and a table
of steps. A print style sheet keeps the colours and avoids breaking a table row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from eligibility.batch import BatchSummary, RowError, RowOutcome, RowResult
from eligibility.decision import JourneyOut, Reason
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.spool import replay, spool
from eligibility.render.words import status_word

NAME = "html"

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1a1a1a; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.applies { background: #c8ecc9; } .not_applicable { background: #eeeeee; color: #555; }
.undetermined { background: #ffe8a3; } .error { background: #f7c1c1; }
.required { background: #cfe2ff; } .optional { background: #e7f0ff; } .done { background: #c8ecc9; }
.reason { font-size: .9em; } .source, .rule { color: #555; font-size: .85em; }
section.product { border-top: 2px solid #888; margin-top: 1.5em; }
.legend span { padding: .1em .5em; margin-right: .5em; border: 1px solid #bbb; }
@media print {
  body { margin: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  tr, .reason { break-inside: avoid; }
  section.product { break-before: auto; break-inside: avoid-page; }
  h2, h3, h4 { break-after: avoid; }
}
"""


def _reasons(reasons: list[Reason]) -> str:
    items = []
    for r in reasons:
        prefix = "if it holds: " if r.holds is None else ""
        items.append(
            f'<li class="reason">{escape(prefix + r.text)} <span class="rule">[{escape(r.rule)};'
            f' {escape(r.confidence)}]</span> <span class="source">source: {escape(r.source)}'
            "</span></li>"
        )
    return f"<ul>{''.join(items)}</ul>"


def _matrix_cell(j: JourneyOut) -> str:
    word = status_word(j.status) + (f" ({j.variant})" if j.variant else "")
    return f'<td class="{j.status}">{escape(word)}</td>'


def _journey(j: JourneyOut) -> str:
    head = escape(status_word(j.status)) + (f", variant {escape(j.variant)}" if j.variant else "")
    out = [f'<h4 class="{j.status}">{escape(j.title)}: {head}</h4>', _reasons(j.reasons)]
    if j.operations:
        out.append(f"<p>INSi operations: {escape(', '.join(j.operations))}</p>")
    for p in j.prerequisites:
        met = {True: "met", False: "not met", None: "unknown"}[p.met]
        out.append(f"<p>Prerequisite: {escape(p.title)}: <strong>{met}</strong></p>")
    rows = []
    for n, s in enumerate(j.steps, start=1):
        advice = "".join(f"<p>{escape(a)}</p>" for a in s.advice)
        rows.append(
            f'<tr><td>{n}</td><td>{escape(s.title)}<br><span class="rule">{escape(s.id)}</span>'
            f'</td><td class="{s.status}">{escape(status_word(s.status))}</td>'
            f"<td>{_reasons(s.reasons)}</td><td>{advice}</td></tr>"
        )
    out.append(
        "<table><thead><tr><th>#</th><th>step</th><th>status</th><th>why</th><th>advice</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if j.missing:
        out.append(f"<p>Answers that would settle it: {escape(', '.join(j.missing))}</p>")
    return "\n".join(out)


def fragment(result: RowResult) -> tuple[str, str]:
    """One product's matrix row and its details section, as HTML."""
    anchor = f"row-{result.row}"
    if isinstance(result, RowError):
        who = escape(result.profile_id or "(no id)")
        problems = "".join(f"<li>{escape(p.render())}</li>" for p in result.problems)
        details = (
            f'<section class="product" id="{anchor}"><h3 class="error">Row {result.row}: {who}:'
            f" error</h3><ul>{problems}</ul></section>\n"
        )
        return "", details  # the matrix row is written by document(), which knows the width
    d = result.decision
    to_do = sum(1 for j in d.journeys for s in j.steps if s.status == "required")
    name = f" {escape(result.name)}" if result.name else ""
    cells = "".join(_matrix_cell(j) for j in d.journeys)
    row = (
        f'<tr><td>{result.row}</td><td><a href="#{anchor}">{escape(d.profile_id)}</a>{name}</td>'
        f"{cells}<td>{to_do}</td></tr>\n"
    )
    parts = [f'<section class="product" id="{anchor}">']
    parts.append(f"<h3>Row {result.row}: {escape(d.profile_id)}{name}</h3>")
    shown = [j for j in d.journeys if j.status != "not_applicable"]
    parts += [_journey(j) for j in shown] or ["<p>No journey applies.</p>"]
    not_applicable = [j.title for j in d.journeys if j.status == "not_applicable"]
    if not_applicable:
        parts.append(f"<p>Not applicable: {escape(', '.join(not_applicable))}</p>")
    if d.missing:
        parts.append(f"<p>Missing answers: {escape(', '.join(d.missing))}</p>")
    parts.append("</section>\n")
    return row, "\n".join(parts)


def _error_row(error: RowError, span: str) -> str:
    who = escape(error.profile_id or "(no id)")
    return (
        f'<tr><td>{error.row}</td><td><a href="#row-{error.row}">{who}</a></td>'
        f'<td class="error" colspan="{span}">error</td></tr>\n'
    )


def document(outcomes: Iterable[RowOutcome], info: ReportInfo) -> Iterator[str]:
    """The page: head and style, counts, matrix, details (sections spooled until the end)."""
    summary = BatchSummary(info.journey_ids)
    span = str(len(info.journeys) + 1)
    with spool() as matrix, spool() as details:
        for o in outcomes:
            summary.add(o)
            row, section = o.payload
            matrix.write(_error_row(o.error, span) if o.error else row)
            details.write(section)
        rs = info.ruleset
        counts = "".join(
            f"<tr><td>{escape(t)}</td><td>{summary.applies[j]}</td>"
            f"<td>{summary.undetermined[j]}</td></tr>"
            for j, t in info.journeys
        )
        columns = "".join(f"<th>{escape(t)}</th>" for _, t in info.journeys)
        yield (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Portfolio report: {escape(info.source)}</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>Portfolio report: {escape(info.source)}</h1>\n"
            f"<p>Rules: {escape(rs.name)} {escape(rs.version)} ({escape(rs.hash)})</p>\n"
            f'<p id="totals"><strong>{summary.rows} rows</strong>: {summary.decided} '
            f"decided, {summary.errors} with errors.</p>\n"
            '<table id="counts"><thead><tr><th>journey</th><th>applies</th>'
            f"<th>undetermined</th></tr></thead><tbody>{counts}</tbody></table>\n"
            '<h2>Matrix</h2>\n<p class="legend"><span class="applies">applies</span>'
            '<span class="undetermined">undetermined</span>'
            '<span class="not_applicable">not applicable</span><span class="error">error</span>'
            '</p>\n<table id="matrix"><thead><tr><th>row</th><th>product</th>'
            f"{columns}<th>steps to do</th></tr></thead><tbody>\n"
        )
        yield from replay(matrix)
        yield "</tbody></table>\n<h2>Products</h2>\n"
        yield from replay(details)
        yield "</body>\n</html>\n"
