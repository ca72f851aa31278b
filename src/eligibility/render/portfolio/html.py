"""HTML report: one self-contained page (inline CSS, no script, no external asset).

Counts per journey, a colour-coded matrix of products by journeys (each cell also says its
status in words, so the page reads in black and white), then per product every journey
that applies or is undetermined, with its reasons, the sources they rest on, and a table
of steps. A print style sheet keeps the colours and avoids breaking a table row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from eligibility.batch.outcome import RowError, RowOutcome, RowResult
from eligibility.batch.run import BatchSummary
from eligibility.decision.model import JourneyOut, Reason
from eligibility.i18n.words import advice_lines, colon, precedence_note, status_word, tr
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.spool import spool

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


def _reasons(reasons: list[Reason], lang: str) -> str:
    items = []
    source = tr("source", lang) + colon(lang)
    for r in reasons:
        prefix = tr("if it holds: ", lang) if r.holds is None else ""
        items.append(
            f'<li class="reason">{escape(prefix + r.text)} <span class="rule">[{escape(r.rule)};'
            f" {escape(tr(r.confidence, lang))}]{escape(precedence_note(r, lang))}</span>"
            f' <span class="source">{source} {escape(r.source)}</span></li>'
        )
    return f"<ul>{''.join(items)}</ul>"


def _matrix_cell(j: JourneyOut, lang: str) -> str:
    word = status_word(j.status, lang) + (f" ({j.variant})" if j.variant else "")
    return f'<td class="{j.status}">{escape(word)}</td>'


def _journey(j: JourneyOut, lang: str) -> str:
    c = colon(lang)
    variant = f", {tr('variant', lang)} {escape(j.variant)}" if j.variant else ""
    head = escape(status_word(j.status, lang)) + variant
    out = [f'<h4 class="{j.status}">{escape(j.title)}{c} {head}</h4>', _reasons(j.reasons, lang)]
    if j.operations:
        ops = escape(", ".join(j.operations))
        out.append(f"<p>{tr('INSi operations', lang)}{c} {ops}</p>")
    for p in j.prerequisites:
        met = tr({True: "met", False: "not met", None: "unknown"}[p.met], lang)
        prerequisite = tr("Prerequisite", lang)
        out.append(f"<p>{prerequisite}{c} {escape(p.title)}{c} <strong>{met}</strong></p>")
    rows = []
    for n, s in enumerate(j.steps, start=1):
        advice = "".join(f"<p>{escape(a)}</p>" for a in advice_lines(s, lang))
        rows.append(
            f'<tr><td>{n}</td><td>{escape(s.title)}<br><span class="rule">{escape(s.id)}</span>'
            f'</td><td class="{s.status}">{escape(status_word(s.status, lang))}</td>'
            f"<td>{_reasons(s.reasons, lang)}</td><td>{advice}</td></tr>"
        )
    heads = "".join(f"<th>{tr(h, lang)}</th>" for h in ("step", "status", "why", "advice"))
    out.append(
        f"<table><thead><tr><th>#</th>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if j.missing:
        settle = tr("Answers that would settle it", lang)
        out.append(f"<p>{settle}{c} {escape(', '.join(j.missing))}</p>")
    return "\n".join(out)


def fragment(result: RowResult, lang: str = "en") -> tuple[bytes, bytes]:
    """One product's matrix row and its details section, as UTF-8 HTML, words in ``lang``."""
    c = colon(lang)
    row_word = tr("Row", lang)
    anchor = f"row-{result.row}"
    if isinstance(result, RowError):
        who = escape(result.profile_id or tr("(no id)", lang))
        problems = "".join(f"<li>{escape(p.render())}</li>" for p in result.problems)
        details = (
            f'<section class="product" id="{anchor}"><h3 class="error">'
            f"{row_word} {result.row}{c} {who}{c} {tr('error', lang)}</h3>"
            f"<ul>{problems}</ul></section>\n"
        )
        return b"", details.encode()  # document() writes the matrix row: it knows the width
    d = result.decision
    to_do = sum(1 for j in d.journeys for s in j.steps if s.status == "required")
    name = f" {escape(result.name)}" if result.name else ""
    cells = "".join(_matrix_cell(j, lang) for j in d.journeys)
    row = (
        f'<tr><td>{result.row}</td><td><a href="#{anchor}">{escape(d.profile_id)}</a>{name}</td>'
        f"{cells}<td>{to_do}</td></tr>\n"
    )
    parts = [f'<section class="product" id="{anchor}">']
    parts.append(f"<h3>{row_word} {result.row}{c} {escape(d.profile_id)}{name}</h3>")
    shown = [j for j in d.journeys if j.status != "not_applicable"]
    parts += [_journey(j, lang) for j in shown] or [f"<p>{tr('No journey applies.', lang)}</p>"]
    not_applicable = [j.title for j in d.journeys if j.status == "not_applicable"]
    if not_applicable:
        parts.append(f"<p>{tr('Not applicable', lang)}{c} {escape(', '.join(not_applicable))}</p>")
    if d.missing:
        parts.append(f"<p>{tr('Missing answers', lang)}{c} {escape(', '.join(d.missing))}</p>")
    parts.append("</section>\n")
    return row.encode(), "\n".join(parts).encode()


def _error_row(error: RowError, span: str, lang: str) -> str:
    who = escape(error.profile_id or tr("(no id)", lang))
    return (
        f'<tr><td>{error.row}</td><td><a href="#row-{error.row}">{who}</a></td>'
        f'<td class="error" colspan="{span}">{tr("error", lang)}</td></tr>\n'
    )


def document(outcomes: Iterable[RowOutcome], info: ReportInfo, lang: str = "en") -> Iterator[bytes]:
    """The page: head and style, counts, matrix, details (sections spooled until the end)."""
    c = colon(lang)

    def t(english: str) -> str:
        return escape(tr(english, lang))

    summary = BatchSummary(info.journey_ids)
    span = str(len(info.journeys) + 1)
    with spool() as matrix, spool() as details:
        for o in outcomes:
            summary.add(o)
            row, section = o.payload
            matrix.write(_error_row(o.error, span, lang).encode() if o.error else row)
            details.write(section)
        rs = info.ruleset
        counts = "".join(
            f"<tr><td>{escape(t)}</td><td>{summary.applies[j]}</td>"
            f"<td>{summary.undetermined[j]}</td></tr>"
            for j, t in info.journeys
        )
        columns = "".join(f"<th>{escape(t)}</th>" for _, t in info.journeys)
        yield (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{t('Portfolio report')}{c} {escape(info.source)}</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{t('Portfolio report')}{c} {escape(info.source)}</h1>\n"
            f"<p>{t('Rules')}{c} {escape(rs.name)} {escape(rs.version)} ({escape(rs.hash)})</p>\n"
            f'<p id="totals"><strong>{summary.rows} {t("rows")}</strong>{c} {summary.decided} '
            f"{t('decided')}, {summary.errors} {t('with errors')}.</p>\n"
            f'<table id="counts"><thead><tr><th>{t("journey")}</th><th>{t("applies")}</th>'
            f"<th>{t('undetermined')}</th></tr></thead><tbody>{counts}</tbody></table>\n"
            f'<h2>{t("Matrix")}</h2>\n<p class="legend"><span class="applies">{t("applies")}</span>'
            f'<span class="undetermined">{t("undetermined")}</span>'
            f'<span class="not_applicable">{t("not applicable")}</span>'
            f'<span class="error">{t("error")}</span>'
            f'</p>\n<table id="matrix"><thead><tr><th>{t("row")}</th><th>{t("product")}</th>'
            f"{columns}<th>{t('steps to do')}</th></tr></thead><tbody>\n"
        ).encode()
        yield from matrix.replay()
        yield f"</tbody></table>\n<h2>{t('Products')}</h2>\n".encode()
        yield from details.replay()
        yield b"</body>\n</html>\n"
