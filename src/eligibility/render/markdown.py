"""The decision as Markdown: a summary, then per journey a table of steps and the advice."""

from __future__ import annotations

from eligibility.decision.model import ConflictOut, Decision, Reason
from eligibility.i18n import typography
from eligibility.i18n.messages import say
from eligibility.i18n.words import (
    advice_lines,
    journey_headline,
    precedence_note,
    status_word,
    summary,
    tr,
)
from eligibility.render.text import dependency_line
from eligibility.render.view import View
from eligibility.render.wording import Wording


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reason(r: Reason, lang: str = "en") -> str:
    prefix = tr("if it holds: ", lang) if r.holds is None else ""
    return f"{prefix}{r.text} (`{r.rule}`, {tr(r.confidence, lang)}){precedence_note(r, lang)}"


def conflict_markdown(c: ConflictOut, wording: Wording) -> str:
    """A conflict as one Markdown paragraph: what needs what, why, the answers to check."""
    lang = wording.lang
    colon = typography.colon(lang)
    text = say(
        "{journey} needs {needs}, which does not apply to the product as described.",
        lang,
        journey=wording.journey(c.journey),
        needs=wording.journey(c.needs),
    )
    cited = f"(`{c.dependency}`, {tr(c.confidence, lang)})"
    out = f"**{tr('CONFLICT', lang)}{colon}** {text} {c.reason} {cited}"
    if c.answers:
        answers = "; ".join(
            f"{wording.question(name)} ({tr('your answer', lang)}{colon} "
            f"{wording.answer(name, value)})"
            for name, value in c.answers.items()
        )
        out += " " + say("Check these answers: {answers}", lang, answers=answers)
    return _cell(typography.typeset(out, lang))


def render_markdown(decision: Decision, lang: str = "en", view: View | None = None) -> str:
    """Render as a Markdown document (``view`` gives the publisher's words for conflicts)."""
    wording = (view or View()).wording_in(lang)
    rs = decision.ruleset
    c = typography.colon(lang)
    out = [
        f"# {tr('Decision for', lang)} `{decision.profile_id}`",
        "",
        f"{tr('Rules', lang)}{c} {rs.name} {rs.version} (`{rs.hash}`)",
        "",
        f"**{tr('Summary', lang)}{c}** {summary(decision, lang)}",
        "",
    ]
    for conflict in decision.conflicts:
        out += [conflict_markdown(conflict, wording), ""]
    out += [
        f"| {tr('journey', lang)} | {tr('status', lang)} | {tr('variant', lang)} |",
        "|---|---|---|",
    ]
    for j in decision.journeys:
        out.append(f"| {j.title} | {status_word(j.status, lang)} | {j.variant or ''} |")
    for j in decision.journeys:
        out += ["", f"## {journey_headline(j, lang)}", ""]
        out += [f"- {_reason(r, lang)}" for r in j.reasons]
        if j.status == "not_applicable":
            continue
        out += [f"- {dependency_line(d, lang)}" for d in j.dependencies]
        for p in j.prerequisites:
            met = tr({True: "met", False: "**not met**", None: "unknown"}[p.met], lang)
            if p.met is False and lang == "fr":
                met = f"**{tr('not met', lang)}**"
            out.append(f"- {tr('Prerequisite', lang)}{c} {p.title}{c} {met}")
        out += [
            "",
            f"| # | {tr('step', lang)} | {tr('status', lang)} | {tr('why', lang)} |",
            "|---|---|---|---|",
        ]
        for n, s in enumerate(j.steps, start=1):
            why = "<br>".join(_cell(_reason(r, lang)) for r in s.reasons)
            out.append(f"| {n} | {_cell(s.title)} | {status_word(s.status, lang)} | {why} |")
        advice = [(s.title, a) for s in j.steps for a in advice_lines(s, lang)]
        if advice:
            out += ["", f"**{tr('Advice', lang)}**", ""]
            out += [f"- *{title}*{c} {a}" for title, a in advice]
    out += ["", f"## {tr('Missing answers', lang)}", ""]
    out.append(
        ", ".join(f"`{m}`" for m in decision.missing) if decision.missing else tr("None.", lang)
    )
    return "\n".join(out) + "\n"
