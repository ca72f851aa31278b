"""Markdown report: counts per journey, a matrix of products by journeys, then per product
the steps still to do (and what is undetermined, and the answers that would settle it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eligibility.batch import BatchSummary, RowError, RowOutcome, RowResult
from eligibility.decision import JourneyOut
from eligibility.render.portfolio.info import ReportInfo
from eligibility.render.portfolio.spool import replay, spool
from eligibility.render.words import status_word

NAME = "markdown"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _matrix_cell(j: JourneyOut) -> str:
    if j.status == "applies":
        return f"**applies** ({j.variant})" if j.variant else "**applies**"
    return "–" if j.status == "not_applicable" else "undetermined"


def _steps(j: JourneyOut, status: str) -> str:
    return ", ".join(f"{_cell(s.title)} (`{s.id}`)" for s in j.steps if s.status == status)


def fragment(result: RowResult) -> tuple[str, str]:
    """One product's matrix row and its details section."""
    if isinstance(result, RowError):
        who = f"`{_cell(result.profile_id)}`" if result.profile_id else "(no id)"
        problems = "; ".join(_cell(p.render()) for p in result.problems)
        row = f"| {result.row} | {who} | **error**: {problems} |\n"
        details = f"### Row {result.row}: {who}: error\n\n"
        details += "".join(f"- {p.render()}\n" for p in result.problems) + "\n"
        return row, details
    d = result.decision
    to_do = sum(1 for j in d.journeys for s in j.steps if s.status == "required")
    name = f" {_cell(result.name)}" if result.name else ""
    cells = " | ".join(_matrix_cell(j) for j in d.journeys)
    row = f"| {result.row} | `{d.profile_id}`{name} | {cells} | {to_do} |\n"
    out = [f"### Row {result.row}: `{d.profile_id}`{name}", ""]
    for j in d.journeys:
        if j.status == "not_applicable":
            continue
        head = f"- **{_cell(j.title)}**: {status_word(j.status)}"
        head += f", variant {j.variant}" if j.variant else ""
        out.append(head)
        for label, status in (("to do", "required"), ("optional", "optional")):
            if steps := _steps(j, status):
                out.append(f"  - {label}: {steps}")
        if steps := _steps(j, "undetermined"):
            out.append(f"  - undetermined: {steps}")
        if j.missing:
            out.append(f"  - would be settled by: {', '.join(f'`{m}`' for m in j.missing)}")
    if len(out) == 2:
        out.append("No journey applies.")
    if d.missing:
        out.append(f"- Missing answers: {', '.join(f'`{m}`' for m in d.missing)}")
    return row, "\n".join(out) + "\n\n"


def document(outcomes: Iterable[RowOutcome], info: ReportInfo) -> Iterator[str]:
    """The report: title, counts, matrix, details (sections spooled until the end)."""
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
            f"# Portfolio report: {_cell(info.source)}",
            "",
            f"Rules: {rs.name} {rs.version} (`{rs.hash}`)",
            "",
            f"**{summary.rows} rows**: {summary.decided} decided, {summary.errors} with errors.",
            "",
            "| journey | applies | undetermined |",
            "|---|---|---|",
            *(
                f"| {t} | {summary.applies[j]} | {summary.undetermined[j]} |"
                for t, j in zip(titles, info.journey_ids, strict=True)
            ),
            "",
            "## Matrix",
            "",
            f"| row | product | {' | '.join(ids)} | steps to do |",
            "|---|---|" + "---|" * len(titles) + "---|",
            "",
        ]
        yield "\n".join(head)
        yield from replay(matrix)
        yield "\n## Products\n\n"
        yield from replay(details)
