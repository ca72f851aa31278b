"""HTML report: one self-contained page a product director opens (no external asset).

At the top, the counts per journey and status and a bar chart drawn in inline SVG; then the
matrix of products by journeys (short journey names, the full titles on hover; sticky
header row and product column), each product's details folded in its cell (the journeys
that apply with their steps by guided-tour number, conflicts, the question that would
settle what is undetermined); at the end, the legend: each journey's steps and sources,
and every reason the products cite, with its source as a link. A small inline script adds
sorting by any column and filtering by journey and status; without it the page reads the
same. No trace: the decisions' JSON (``--format jsonl``) has it.

The page is written row by row as the results come, in constant memory: the summary,
known at the end, comes last in the file and is shown first (CSS ``order``).

One cohesive module although over 400 lines: one renderer, with its page's CSS and script.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from eligibility.batch.outcome import RowOutcome, RowResult
from eligibility.i18n.messages import say
from eligibility.i18n.typography import semicolon
from eligibility.i18n.words import count, number_runs, source_text, status_word, tr, typeset
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.report import (
    STATUSES,
    ReportConflict,
    ReportJourney,
    ReportRow,
    Tally,
    report_row,
)
from eligibility.render.wording import Wording

NAME = "html"

#: The mark and class of each journey status in the matrix (the mark reads without colour).
MARKS = {"applies": ("a", "✓"), "undetermined": ("u", "?"), "not_applicable": ("n", "–")}
COLOURS = {"applies": "#3b8f4a", "undetermined": "#e0a526", "not_applicable": "#c9c9c9"}

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a}
#page{display:flex;flex-direction:column;gap:.5rem;padding:1rem 1.5rem}
header{order:0}#summary{order:1}#products{order:2}#legend{order:3}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1em 0 .4em}
table{border-collapse:separate;border-spacing:0}
th,td{border-bottom:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top}
.counts{font-size:.92em}.counts td,.counts th{text-align:right}
.counts th:first-child{text-align:left}
.scroll{overflow:auto;max-height:calc(100vh - 3rem);border:1px solid #ccc}
#matrix thead th{position:sticky;top:0;background:#f4f4f4;z-index:2;vertical-align:bottom}
#matrix th.j span{writing-mode:vertical-rl;transform:rotate(180deg);max-height:9em;
 display:inline-block}
#matrix tbody th{position:sticky;left:0;background:#fff;z-index:1;font-weight:normal;
 min-width:14em}
#matrix thead th.p{left:0;z-index:3}
#matrix td{text-align:center;min-width:1.6em}
.a{background:#d5efd9}.u{background:#ffecb0}.n{color:#777}
.c{background:#f7c1c1;font-weight:bold}
.e{background:#f7c1c1;text-align:left!important}
details.card summary{cursor:pointer}
#matrix tbody th:has(details[open]){z-index:5}
details.card[open]>div{position:absolute;left:0;top:100%;width:min(52rem,88vw);background:#fff;
 border:1px solid #999;box-shadow:0 4px 14px #0003;padding:.4em .8em;z-index:4}
details.card ul{margin:.2em 0;padding-left:1.2em}
.name{color:#555}.muted{color:#666;font-size:.9em}
#controls{display:flex;gap:1em;align-items:center;margin:.3em 0}
th button{font:inherit;border:0;background:none;padding:0;cursor:pointer;text-align:inherit}
#legend li{margin:.15em 0}
@media print{.scroll{max-height:none;overflow:visible}#controls{display:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

# Sort by a column (a click on its heading) and filter by journey and status. Statuses sort
# applies, undetermined, does not apply; numbers by value; products by name.
_SCRIPT = """
(function(){
var t=document.getElementById('matrix'),b=t.tBodies[0];
var fj=document.getElementById('fj'),fs=document.getElementById('fs');
var shown=document.getElementById('shown'),J=+t.dataset.journeys,dir={};
document.getElementById('controls').hidden=false;
var rows=Array.prototype.slice.call(b.rows);
function has(r,i,c){var d=r.cells[i];return !!d&&(' '+d.className+' ').indexOf(' '+c+' ')>=0;}
function filter(){var j=fj.value,s=fs.value,n=0;
 rows.forEach(function(r){var ok=!s;
  if(s==='e')ok=has(r,2,'e');
  else if(s){for(var k=0;k<J;k++){if((j===''||+j===k)&&has(r,k+2,s))ok=true;}}
  r.hidden=!ok;if(ok)n++;});
 shown.textContent=n;}
var rank={a:0,u:1,n:2,e:3};
function key(r,i){var d=r.cells[i];if(!d)return 9;if(i===1)return d.dataset.k;
 if(i>=2&&i<2+J){var k=rank[d.className.split(' ')[0]];return k===undefined?9:k;}
 return +d.textContent||0;}
function sortBy(i){dir[i]=!dir[i];
 rows.sort(function(x,y){var a=key(x,i),z=key(y,i),o=a<z?-1:a>z?1:0;return dir[i]?o:-o;});
 rows.forEach(function(r){b.appendChild(r);});}
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h,i){
 var s=document.createElement('button');while(h.firstChild)s.appendChild(h.firstChild);
 h.appendChild(s);s.title=(h.title?h.title+' ':'')+'('+t.dataset.sort+')';
 s.onclick=function(){sortBy(i);};});
fj.onchange=fs.onchange=filter;filter();})();
"""


def _colon(lang: str) -> str:
    """A colon after a word, in the language's typography (French: a non-breaking space)."""
    return "\u00a0:" if lang == "fr" else ":"


def _link(source: str, lang: str) -> str:
    """A source as a link when it is a URL, as text otherwise."""
    if source.startswith(("https://", "http://")):
        return f'<a href="{escape(source)}">{escape(source)}</a>'
    return escape(source_text(source, lang))


class _Page:
    """The report's words, in its language."""

    def __init__(self, info: ReportInfo, lang: str) -> None:
        self.info, self.lang = info, lang
        self.wording: Wording = info.wording
        self.ids = info.journey_ids
        self.names = [self.wording.journey(j, t) for j, t in info.journeys]

    def t(self, english: str) -> str:
        return escape(typeset(tr(english, self.lang), self.lang))

    def s(self, template: str, **params: object) -> str:
        return typeset(say(template, self.lang, **params), self.lang)

    def name(self, journey_id: str) -> str:
        return self.names[self.ids.index(journey_id)]


def _journey_line(page: _Page, jid: str, j: ReportJourney) -> str:
    lang = page.lang
    name = f'<a href="#j-{jid}">{escape(page.name(jid))}</a>'
    if j.status == "undetermined":
        fields = page.wording.settling_of(j.status, j.missing, j.open_rules, j.step_fields)
        question = typeset(page.wording.question(fields[0]), page.lang) if fields else ""
        first = f"{_colon(page.lang)} {escape(question)}" if fields else ""
        return f'<li class="u">{name} — {page.t("undetermined")}{first}</li>'
    variant = page.wording.variant_titles.get((jid, j.variant)) if j.variant else None
    head = name + (f", {escape(variant.split(' (')[0])}" if variant else "")
    # Each rule that decided steps links to its reason, by the steps it decided.
    why = ", ".join(
        f'<a href="#r-{escape(rule)}">{number_runs(steps)}</a>' for rule, steps in j.exempt.items()
    )
    steps = typeset(j.steps_text(lang), lang)
    if why:
        steps += f" — {page.t('why')}{_colon(lang)} {why}"
    return f"<li>{head}{_colon(lang)} {steps}</li>"


def _conflict(page: _Page, c: ReportConflict, reason: str) -> str:
    text = page.s(
        "{journey} needs {needs}, which does not apply to the product as described.",
        journey=page.name(c.journey),
        needs=page.name(c.needs),
    )
    answers = "; ".join(
        f"{page.wording.question(k)} ({tr('your answer', page.lang)}{_colon(page.lang)} "
        f"{page.wording.answer(k, v)})"
        for k, v in c.answers.items()
    )
    check = page.s("Check these answers: {answers}", answers=answers) if answers else ""
    return (
        f'<p class="c">! {page.t("CONFLICT")}{_colon(page.lang)} {escape(text)} '
        f'{escape(reason)} <a href="#r-{escape(c.dependency)}">[{escape(c.dependency)}]</a> '
        f"{escape(check)}</p>"
    )


def _card(page: _Page, row: ReportRow) -> str:
    """A product's details: conflicts, journeys that apply or are undetermined, and the
    journeys that do not apply, each linking to its reason."""
    applies = sum(j.status == "applies" for j in row.journeys)
    steps = count(row.to_do, "step to do", page.lang)
    head = [f"{count(applies, 'journey applies', page.lang)} ({steps})"]
    if row.missing:
        head.append(count(row.missing, "open question", page.lang))
    out = [f"<p><b>{escape(row.profile_id or '')}</b> {escape(row.name or '')}<br>"]
    out.append(escape(typeset(", ".join(head), page.lang)) + "</p>")
    out += [_conflict(page, c, row.reasons.get(c.dependency, ("",))[0]) for c in row.conflicts]
    lines = [
        _journey_line(page, jid, j)
        for jid, j in zip(page.ids, row.journeys, strict=True)
        if j.status != "not_applicable"
    ]
    if lines:
        out.append(f"<ul>{''.join(lines)}</ul>")
    out_of = [
        f'<a href="#r-{escape(j.why[0])}">{escape(page.name(jid))}</a>'
        for jid, j in zip(page.ids, row.journeys, strict=True)
        if j.status == "not_applicable" and j.why
    ]
    if out_of:
        head_na = page.t("Does not apply" if len(out_of) == 1 else "Do not apply")
        out.append(f'<p class="muted">{head_na} — {", ".join(out_of)}</p>')
    return "".join(out)


def _row(page: _Page, row: ReportRow) -> str:
    span = len(page.ids) + 2
    name = f' <span class="name">{escape(row.name)}</span>' if row.name else ""
    who = escape(row.profile_id or tr("(no id)", page.lang))
    key = escape(row.profile_id or "", quote=True)
    if row.errors:
        problems = escape(f"{semicolon(page.lang)} ".join(row.errors))
        return (
            f'<tr id="p{row.row}"><td>{row.row}</td><th data-k="{key}">{who}</th>'
            f'<td class="e" colspan="{span}">{page.t("error")}{_colon(page.lang)} '
            f"{problems}</td></tr>\n"
        )
    in_conflict = {c.journey for c in row.conflicts}
    cells = []
    for jid, j in zip(page.ids, row.journeys, strict=True):
        cls, mark = MARKS[j.status]
        if jid in in_conflict:
            cls, mark = f"{cls} c", mark + "!"
        cells.append(f'<td class="{cls}">{mark}</td>')
    card = f'<details class="card"><summary>{who}</summary><div>{_card(page, row)}</div></details>'
    return (
        f'<tr id="p{row.row}"><td>{row.row}</td><th data-k="{key}">{card}{name}</th>'
        f"{''.join(cells)}<td>{row.to_do}</td><td>{row.missing}</td></tr>\n"
    )


def _head(page: _Page) -> str:
    info, lang = page.info, page.lang
    rs = info.ruleset
    title = f"{page.t('Portfolio report')}{_colon(lang)} {escape(info.source)}"
    journeys = "".join(
        f'<th class="j" title="{escape(t, quote=True)}"><span>{escape(n)}</span></th>'
        for (_, t), n in zip(info.journeys, page.names, strict=True)
    )
    options = "".join(f'<option value="{i}">{escape(n)}</option>' for i, n in enumerate(page.names))
    statuses = "".join(
        f'<option value="{MARKS[s][0]}">{escape(status_word(s, lang))}</option>' for s in STATUSES
    )
    statuses += f'<option value="c">{page.t("conflict")}</option>'
    statuses += f'<option value="e">{page.t("error")}</option>'
    legend = " · ".join(
        f'<span class="{MARKS[s][0]}">{MARKS[s][1]}</span> {escape(status_word(s, lang))}'
        for s in STATUSES
    )
    legend += f' · <span class="c">!</span> {page.t("conflict")}'
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<div id="page">\n'
        f'<header><h1>{title}</h1>\n<p class="muted">{page.t("Rules")}{_colon(lang)} '
        f"{escape(rs.name)} {escape(rs.version)} ({escape(rs.hash)})</p></header>\n"
        f'<section id="products">\n<h2>{page.t("Products and journeys")}</h2>\n'
        f'<p class="muted">{legend}. {page.t("Open a product for its details.")}</p>\n'
        f'<div id="controls" hidden><label>{page.t("journey")} <select id="fj">'
        f'<option value="">{page.t("any")}</option>{options}</select></label>'
        f'<label>{page.t("status")} <select id="fs"><option value="">{page.t("any")}</option>'
        f'{statuses}</select></label><span><span id="shown"></span> '
        f"{page.t('shown')}</span></div>\n"
        f'<div class="scroll"><table id="matrix" data-journeys="{len(info.journeys)}" '
        f'data-sort="{page.t("sort")}"><thead><tr><th>{page.t("row")}</th>'
        f'<th class="p">{page.t("product")}</th>{journeys}'
        f'<th class="j"><span>{page.t("steps to do")}</span></th>'
        f'<th class="j"><span>{page.t("open questions")}</span></th></tr></thead>\n<tbody>\n'
    )


def _chart(page: _Page, tally: Tally) -> str:
    """Stacked horizontal bars, one per journey: products it applies to, is undetermined
    for, does not apply to."""
    bar, label, row_h = 300, 250, 22
    total = max(tally.decided, 1)
    height = row_h * len(page.ids) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label + bar + 60}" '
        f'height="{height}" viewBox="0 0 {label + bar + 60} {height}" font-size="12">',
        f"<title>{page.t('Products per journey and status')}</title>",
    ]
    for i, (jid, name) in enumerate(zip(page.ids, page.names, strict=True)):
        y = i * row_h
        out.append(f'<text x="{label - 6}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        x = float(label)
        for status in STATUSES:
            n = tally.by_journey[jid][status]
            w = bar * n / total
            if n:
                word = escape(status_word(status, page.lang))
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{COLOURS[status]}"><title>{escape(name)}{_colon(page.lang)} '
                    f"{n} {word}</title></rect>"
                )
            x += w
        applies = tally.by_journey[jid]["applies"]
        out.append(f'<text x="{x + 5:.1f}" y="{y + 15}">{applies}</text>')
    y = row_h * len(page.ids) + 16
    x = float(label)
    for status in STATUSES:
        word = escape(status_word(status, page.lang))
        out.append(
            f'<rect x="{x:.0f}" y="{y - 10}" width="12" height="12" fill="{COLOURS[status]}"/>'
        )
        out.append(f'<text x="{x + 16:.0f}" y="{y}">{word}</text>')
        x += 120
    out.append("</svg>")
    return "".join(out)


def _summary(page: _Page, tally: Tally) -> str:
    lang = page.lang
    totals, steps = (typeset(text, lang) for text in tally.sentences(lang))
    heads = "".join(f"<th>{escape(status_word(s, lang))}</th>" for s in STATUSES)
    rows = "".join(
        f'<tr><th title="{escape(t, quote=True)}"><a href="#j-{jid}">{escape(n)}</a></th>'
        + "".join(f"<td>{k}</td>" for k in tally.counts(jid))
        + "</tr>"
        for (jid, t), n in zip(page.info.journeys, page.names, strict=True)
    )
    return (
        f'<section id="summary"><h2>{page.t("Summary")}</h2><p><strong>{escape(totals)}</strong> '
        f"{escape(steps)}"
        f'</p>\n<div style="display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start">'
        f'<table class="counts"><thead><tr><th>{page.t("journey")}</th>{heads}'
        f"<th>{page.t('steps to do')}</th></tr></thead><tbody>{rows}</tbody></table>\n"
        f"{_chart(page, tally)}</div></section>\n"
    )


def _legend(page: _Page, tally: Tally) -> str:
    journeys = []
    for i, ((jid, title), name) in enumerate(zip(page.info.journeys, page.names, strict=True)):
        steps = (
            "".join(f"<li>{escape(s)}</li>" for s in page.info.steps[i]) if page.info.steps else ""
        )
        sources = (
            ", ".join(_link(s, page.lang) for s in page.info.sources[i])
            if page.info.sources
            else ""
        )
        journeys.append(
            f'<li id="j-{jid}"><b>{escape(name)}</b> — {escape(title)} <code>{jid}</code>'
            f'<ol>{steps}</ol><span class="muted">{page.t("Sources")}{_colon(page.lang)} '
            f"{sources}</span></li>"
        )
    reasons = "".join(
        f'<li id="r-{escape(key)}"><code>{escape(key)}</code> ({page.t(conf)}) '
        f'{escape(typeset(text, page.lang))} <span class="muted">{_link(source, page.lang)}</span>'
        "</li>"
        for key, (text, source, conf) in sorted(tally.reasons.items())
    )
    return (
        f'<section id="legend"><h2>{page.t("Journeys and their steps")}</h2>'
        f"<ul>{''.join(journeys)}</ul>\n<h2>{page.t('Reasons')}</h2><ul>{reasons}</ul></section>\n"
    )


def html_report(rows: Iterable[ReportRow], info: ReportInfo, lang: str = "en") -> Iterator[str]:
    """The page, in pieces, from the rows in order (its words in ``lang``; the rows' and
    the info's texts already in it)."""
    page = _Page(info, lang)
    tally = Tally(info.journey_ids)
    yield _head(page)
    for row in rows:
        tally.add(row)
        yield _row(page, row)
    yield "</tbody></table></div></section>\n"
    yield _summary(page, tally)
    yield _legend(page, tally)
    yield f"<script>{_SCRIPT}</script>\n</div>\n</body>\n</html>\n"


def fragment(result: RowResult, lang: str = "en") -> bytes:
    """One row as the report needs it (see :mod:`.report`), wherever it was evaluated."""
    return report_row(result, lang).to_json()


def document(outcomes: Iterable[RowOutcome], info: ReportInfo, lang: str = "en") -> Iterator[bytes]:
    """The page, from the rows' fragments in row order."""
    rows = (ReportRow.from_json(o.payload) for o in outcomes)
    for piece in html_report(rows, info, lang):
        yield piece.encode()
