"""Markdown report: counts per journey, a matrix of products by journeys, then per product
the steps still to do (and what is undetermined, and the answers that would settle it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from eligibility.batch.outcome import RowError, RowOutcome, RowResult
from eligibility.batch.run import BatchSummary
from eligibility.decision.model import JourneyOut
from eligibility.i18n.words import colon, status_word, tr
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.spool import spool

NAME = "markdown"
_LINE_BREAK = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def _cell(text: str) -> str:
    # On one line: a line break (a carriage return too, which renderers read as one) would
    # end the table row or the list item, and what follows would be read as Markdown.
    return _LINE_BREAK.sub(" ", text.replace("|", "\\|"))


def _matrix_cell(j: JourneyOut, lang: str) -> str:
    if j.status == "applies":
        word = f"**{tr('applies', lang)}**"
        return f"{word} ({j.variant})" if j.variant else word
    return "–" if j.status == "not_applicable" else tr("undetermined", lang)


def _steps(j: JourneyOut, status: str) -> str:
    return ", ".join(f"{_cell(s.title)} (`{s.id}`)" for s in j.steps if s.status == status)


def fragment(result: RowResult, lang: str = "en") -> tuple[bytes, bytes]:
    """One product's matrix row and its details section (UTF-8), its words in ``lang``."""
    c = colon(lang)
    if isinstance(result, RowError):
        who = f"`{_cell(result.profile_id)}`" if result.profile_id else tr("(no id)", lang)
        problems = "; ".join(_cell(p.render()) for p in result.problems)
        error = tr("error", lang)
        row = f"| {result.row} | {who} | **{error}**{c} {problems} |\n"
        details = f"### {tr('Row', lang)} {result.row}{c} {who}{c} {error}\n\n"
        details += "".join(f"- {_cell(p.render())}\n" for p in result.problems) + "\n"
        return row.encode(), details.encode()
    d = result.decision
    to_do = sum(1 for j in d.journeys for s in j.steps if s.status == "required")
    name = f" {_cell(result.name)}" if result.name else ""
    cells = " | ".join(_matrix_cell(j, lang) for j in d.journeys)
    row = f"| {result.row} | `{d.profile_id}`{name} | {cells} | {to_do} |\n"
    out = [f"### {tr('Row', lang)} {result.row}{c} `{d.profile_id}`{name}", ""]
    for j in d.journeys:
        if j.status == "not_applicable":
            continue
        head = f"- **{_cell(j.title)}**{c} {status_word(j.status, lang)}"
        head += f", {tr('variant', lang)} {j.variant}" if j.variant else ""
        out.append(head)
        for label, status in (("to do", "required"), ("optional", "optional")):
            if steps := _steps(j, status):
                out.append(f"  - {tr(label, lang)}{c} {steps}")
        if steps := _steps(j, "undetermined"):
            out.append(f"  - {tr('undetermined', lang)}{c} {steps}")
        if j.missing:
            settled = ", ".join(f"`{m}`" for m in j.missing)
            out.append(f"  - {tr('would be settled by', lang)}{c} {settled}")
    if len(out) == 2:
        out.append(tr("No journey applies.", lang))
    if d.missing:
        out.append(f"- {tr('Missing answers', lang)}{c} {', '.join(f'`{m}`' for m in d.missing)}")
    return row.encode(), ("\n".join(out) + "\n\n").encode()


def document(outcomes: Iterable[RowOutcome], info: ReportInfo, lang: str = "en") -> Iterator[bytes]:
    """The report: title, counts, matrix, details (sections spooled until the end)."""
    c = colon(lang)
    summary = BatchSummary(info.journey_ids)
    with spool() as matrix, spool() as details:
        for o in outcomes:
            summary.add(o)
            row, section = o.payload
            matrix.write(row)
            details.write(section)
        rs = info.ruleset
        titles = [_cell(title) for _, title in info.journeys]
        ids = [f"`{j}`" for j in info.journey_ids]
        head = [
            f"# {tr('Portfolio report', lang)}{c} {_cell(info.source)}",
            "",
            f"{tr('Rules', lang)}{c} {rs.name} {rs.version} (`{rs.hash}`)",
            "",
            f"**{summary.rows} {tr('rows', lang)}**{c} {summary.decided} {tr('decided', lang)}, "
            f"{summary.errors} {tr('with errors', lang)}.",
            "",
            f"| {tr('journey', lang)} | {tr('applies', lang)} | {tr('undetermined', lang)} |",
            "|---|---|---|",
            *(
                f"| {t} | {summary.applies[j]} | {summary.undetermined[j]} |"
                for t, j in zip(titles, info.journey_ids, strict=True)
            ),
            "",
            f"## {tr('Matrix', lang)}",
            "",
            f"| {tr('row', lang)} | {tr('product', lang)} | {' | '.join(ids)} "
            f"| {tr('steps to do', lang)} |",
            "|---|---|" + "---|" * len(titles) + "---|",
            "",
        ]
        yield "\n".join(head).encode()
        yield from matrix.replay()
        yield f"\n## {tr('Products', lang)}\n\n".encode()
        yield from details.replay()
