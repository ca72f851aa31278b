"""The decision as Markdown: a summary, then per journey a table of steps and the advice."""

from __future__ import annotations

from eligibility.decision import Decision, Reason
from eligibility.render.words import journey_headline, status_word, summary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reason(r: Reason) -> str:
    prefix = "if it holds: " if r.holds is None else ""
    return f"{prefix}{r.text} (`{r.rule}`, {r.confidence})"


def render_markdown(decision: Decision) -> str:
    """Render as a Markdown document."""
    rs = decision.ruleset
    out = [
        f"# Decision for `{decision.profile_id}`",
        "",
        f"Rules: {rs.name} {rs.version} (`{rs.hash}`)",
        "",
        f"**Summary:** {summary(decision)}",
        "",
        "| journey | status | variant |",
        "|---|---|---|",
    ]
    for j in decision.journeys:
        out.append(f"| {j.title} | {status_word(j.status)} | {j.variant or ''} |")
    for j in decision.journeys:
        out += ["", f"## {journey_headline(j)}", ""]
        out += [f"- {_reason(r)}" for r in j.reasons]
        if j.status == "not_applicable":
            continue
        for p in j.prerequisites:
            met = {True: "met", False: "**not met**", None: "unknown"}[p.met]
            out.append(f"- Prerequisite: {p.title}: {met}")
        out += ["", "| # | step | status | why |", "|---|---|---|---|"]
        for n, s in enumerate(j.steps, start=1):
            why = "<br>".join(_cell(_reason(r)) for r in s.reasons)
            out.append(f"| {n} | {_cell(s.title)} | {status_word(s.status)} | {why} |")
        advice = [(s.title, a) for s in j.steps for a in s.advice]
        if advice:
            out += ["", "**Advice**", ""]
            out += [f"- *{title}*: {a}" for title, a in advice]
    out += ["", "## Missing answers", ""]
    out.append(", ".join(f"`{m}`" for m in decision.missing) if decision.missing else "None.")
    return "\n".join(out) + "\n"
