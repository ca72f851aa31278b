"""Markdown report: the HTML report's summary (counts per journey and status, conflicts),
the matrix of products by journeys, each product's details, and the legend of steps and
reasons. Built from the rows' results only (:mod:`.report`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from eligibility.batch.outcome import RowOutcome, RowResult
from eligibility.i18n.messages import say
from eligibility.i18n.words import number_runs, source_text, status_word, tr, typeset
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.report import (
    STATUSES,
    ReportJourney,
    ReportRow,
    Tally,
    report_row,
)

NAME = "markdown"
_LINE_BREAK = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")

MARKS = {"applies": "✓", "undetermined": "?", "not_applicable": "–"}


def _cell(text: str) -> str:
    # On one line: a line break (a carriage return too, which renderers read as one) would
    # end the table row or the list item, and what follows would be read as Markdown.
    return _LINE_BREAK.sub(" ", text.replace("|", "\\|"))


class _Report:
    def __init__(self, info: ReportInfo, lang: str) -> None:
        self.info, self.lang, self.wording = info, lang, info.wording
        self.ids = info.journey_ids
        self.names = [self.wording.journey(j, t) for j, t in info.journeys]
        self.c = " :" if lang == "fr" else ":"

    def name(self, jid: str) -> str:
        return self.names[self.ids.index(jid)]

    def journey(self, jid: str, j: ReportJourney) -> str:
        if j.status == "undetermined":
            fields = self.wording.settling_of(j.status, j.missing, j.open_rules, j.step_fields)
            first = f"{self.c} {self.wording.question(fields[0])}" if fields else ""
            return f"- **{self.name(jid)}** — {status_word('undetermined', self.lang)}{first}"
        variant = self.wording.variant_titles.get((jid, j.variant)) if j.variant else None
        head = f"**{self.name(jid)}**" + (f", {variant.split(' (')[0]}" if variant else "")
        why = ", ".join(f"{number_runs(steps)} `{rule}`" for rule, steps in j.exempt.items())
        line = f"- {head}{self.c} {j.steps_text(self.lang)}"
        return f"{line} — {tr('why', self.lang)}{self.c} {why}" if why else line

    def row(self, row: ReportRow) -> tuple[str, str]:
        """The row's matrix line and its details section."""
        c, lang = self.c, self.lang
        who = f"`{_cell(row.profile_id)}`" if row.profile_id else tr("(no id)", lang)
        name = f" {_cell(row.name)}" if row.name else ""
        if row.errors:
            problems = "; ".join(_cell(p) for p in row.errors)
            error = tr("error", lang)
            line = f"| {row.row} | {who} | **{error}**{c} {problems} |\n"
            return line, f"### {row.row}. {who}{c} {error}\n\n- {problems}\n\n"
        in_conflict = {x.journey for x in row.conflicts}
        marks = [
            MARKS[j.status] + ("!" if jid in in_conflict else "")
            for jid, j in zip(self.ids, row.journeys, strict=True)
        ]
        line = f"| {row.row} | {who}{name} | {' | '.join(marks)} | {row.to_do} | {row.missing} |\n"
        out = [f"### {row.row}. {who}{name}", ""]
        for x in row.conflicts:
            text = say(
                "{journey} needs {needs}, which does not apply to the product as described.",
                lang,
                journey=self.name(x.journey),
                needs=self.name(x.needs),
            )
            answers = "; ".join(
                f"{self.wording.question(k)} ({tr('your answer', lang)}{c} "
                f"{self.wording.answer(k, v)})"
                for k, v in x.answers.items()
            )
            check = " " + say("Check these answers: {answers}", lang, answers=answers)
            reason = row.reasons.get(x.dependency, ("",))[0]
            out.append(f"- **{tr('CONFLICT', lang)}{c}** {text} {reason}{check if answers else ''}")
        out += [
            self.journey(jid, j)
            for jid, j in zip(self.ids, row.journeys, strict=True)
            if j.status != "not_applicable"
        ]
        out_of = [
            self.name(jid)
            for jid, j in zip(self.ids, row.journeys, strict=True)
            if j.status == "not_applicable"
        ]
        if out_of:
            head = tr("Does not apply" if len(out_of) == 1 else "Do not apply", lang)
            out.append(f"- {head}{c} {', '.join(out_of)}")
        return line, "\n".join(out) + "\n\n"


def markdown_report(rows: Iterable[ReportRow], info: ReportInfo, lang: str = "en") -> Iterator[str]:
    """The report from the rows in order (its words in ``lang``, in its typography). The
    summary comes first, so the rows' lines are kept until the end (a few hundred bytes a
    row)."""
    for piece in _markdown(rows, info, lang):
        yield typeset(piece, lang)


def _markdown(rows: Iterable[ReportRow], info: ReportInfo, lang: str) -> Iterator[str]:
    r = _Report(info, lang)
    c = r.c
    tally = Tally(info.journey_ids)
    lines: list[str] = []
    sections: list[str] = []
    for row in rows:
        tally.add(row)
        line, section = r.row(row)
        lines.append(line)
        sections.append(section)
    rs = info.ruleset
    totals, steps = tally.sentences(lang)
    heads = " | ".join(status_word(s, lang) for s in STATUSES)
    yield "\n".join(
        [
            f"# {tr('Portfolio report', lang)}{c} {_cell(info.source)}",
            "",
            f"{tr('Rules', lang)}{c} {rs.name} {rs.version} (`{rs.hash}`)",
            "",
            f"**{totals}** {steps}",
            "",
            f"| {tr('journey', lang)} | {heads} | {tr('steps to do', lang)} |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {_cell(n)} | " + " | ".join(str(k) for k in tally.counts(j)) + " |"
                for j, n in zip(info.journey_ids, r.names, strict=True)
            ),
            "",
            f"## {tr('Products and journeys', lang)}",
            "",
            " · ".join(f"{MARKS[s]} {status_word(s, lang)}" for s in STATUSES)
            + f" · ! {tr('conflict', lang)}",
            "",
            f"| {tr('row', lang)} | {tr('product', lang)} | "
            + " | ".join(_cell(n) for n in r.names)
            + f" | {tr('steps to do', lang)} | {tr('open questions', lang)} |",
            "|---|---|" + "---|" * len(r.names) + "---:|---:|",
            "",
        ]
    )
    yield from lines
    yield f"\n## {tr('Products', lang)}\n\n"
    yield from sections
    yield f"## {tr('Journeys and their steps', lang)}\n\n"
    for i, (jid, title) in enumerate(info.journeys):
        yield f"### {r.names[i]} (`{jid}`)\n\n{title}\n\n"
        if info.steps:
            yield "".join(f"{n}. {_cell(s)}\n" for n, s in enumerate(info.steps[i], start=1))
        if info.sources:
            sources = ", ".join(source_text(s, lang) for s in info.sources[i])
            yield f"\n{tr('Sources', lang)}{c} {sources}\n\n"
    yield f"## {tr('Reasons', lang)}\n\n"
    for key, (text, source, conf) in sorted(tally.reasons.items()):
        yield f"- `{key}` ({tr(conf, lang)}){c} {_cell(text)} — {source_text(source, lang)}\n"


def fragment(result: RowResult, lang: str = "en") -> bytes:
    """One row as the report needs it (see :mod:`.report`), wherever it was evaluated."""
    return report_row(result, lang).to_json()


def document(outcomes: Iterable[RowOutcome], info: ReportInfo, lang: str = "en") -> Iterator[bytes]:
    """The report, from the rows' fragments in row order."""
    rows = (ReportRow.from_json(o.payload) for o in outcomes)
    for piece in markdown_report(rows, info, lang):
        yield piece.encode()
