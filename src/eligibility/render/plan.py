"""The plan (one to-do list per product) as text, Markdown and JSON."""

from __future__ import annotations

from textwrap import wrap
from typing import Protocol

from eligibility.i18n import typography
from eligibility.i18n.messages import say
from eligibility.i18n.words import count, status_word, tr, typeset
from eligibility.plan.plan import Plan, PlanDependency, PlanItem
from eligibility.render.json import json_text
from eligibility.render.wording import Wording

WIDTH = 100


class PlanRenderer(Protocol):
    """Renders a plan; ``lang`` is the language of the renderer's own words."""

    def __call__(self, plan: Plan, lang: str = "en", wording: Wording | None = None) -> str: ...


def _colon(lang: str) -> str:
    return typography.colon(lang)


def _status(item: PlanItem, lang: str) -> str:
    if item.kind == "prerequisite":
        return tr("not met yet" if item.status == "not_met" else "to confirm", lang)
    return status_word(item.status, lang)


def _dependency(d: PlanDependency, lang: str, wording: Wording) -> str:
    c = _colon(lang)
    journey, needs = wording.journey(d.journey), wording.journey(d.needs)
    if d.conflict:
        # The same sentence as evaluate's, then the reason once, then what to do.
        needs = say(
            "{journey} needs {needs}, which does not apply to the product as described.",
            lang,
            journey=journey,
            needs=needs,
        )
        check = say("Check the answers (eligibility evaluate names them).", lang)
        return typeset(f"{tr('CONFLICT', lang)}{c} {needs} {d.reason} {check}", lang)
    verb = tr("needs", lang) if d.kind == "requires" else tr("after", lang)
    cond = f", {tr('while in force', lang)}" if d.in_force is None else ""
    return f"{journey} {verb} {needs} ({status_word(d.status, lang)}{cond}){c} {d.reason}"


def _variant(journey_id: str, variant: str | None, wording: Wording) -> str | None:
    """The variant's name, without the explanation in brackets (as evaluate shows it)."""
    if variant is None:
        return None
    return wording.variant_titles.get((journey_id, variant), variant).split(" (")[0]


def _questions(fields: list[str], wording: Wording) -> str:
    """The first question that would settle something, and how many more there are."""
    ordered = wording.sort(set(fields))
    text = wording.question(ordered[0])
    if len(ordered) > 1:
        more = count(len(ordered) - 1, "more", wording.lang)
        text += " " + say("(and {more})", wording.lang, more=more)
    return text


def _wrapped(text: str, indent: str) -> list[str]:
    return wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_on_hyphens=False,
    ) or [indent]


def render_plan_text(plan: Plan, lang: str = "en", wording: Wording | None = None) -> str:
    """Render the plan for a terminal: numbered items, what they wait for, who needs them.

    ``wording`` names variants, journeys and unknown answers as a publisher reads them
    (variant titles, short journey names, questions); without it they are named by id.
    """
    wording = wording or Wording(lang)
    c = _colon(lang)
    rs = plan.ruleset
    seq = {i.id: i.seq for i in plan.items}
    out = [
        f"{tr('Plan for', lang)} {plan.profile_id}",
        f"{tr('Rules', lang)}{c} {rs.name} {rs.version} ({rs.hash[:19]}…)",
        "",
        f"{tr('Journeys', lang)}{c}",
    ]
    for j in plan.journeys:
        variant = _variant(j.id, j.variant, wording)
        out += _wrapped(f"{j.title} [{j.id}]" + (f", {variant}" if variant else ""), "  - ")
    if not plan.journeys:
        out.append(f"  {tr('none', lang)}")
    if plan.undetermined:
        out += ["", f"{tr('Undetermined journeys', lang)}{c}"]
        for j in plan.undetermined:
            question = f"{c} {_questions(j.missing, wording)}" if j.missing else ""
            out += _wrapped(typeset(f"{j.title} [{j.id}]{question}", lang), "  - ")
    if plan.dependencies:
        out += ["", f"{tr('Dependencies', lang)}{c}"]
        for d in plan.dependencies:
            out += _wrapped(_dependency(d, lang, wording), "  ! " if d.conflict else "  - ")
    head = f"{tr('To do', lang)} ({count(len(plan.items), 'item', lang)}"
    if plan.hidden_done:
        semicolon = typography.french(" ;") if lang == "fr" else ";"
        head += f"{semicolon} {typeset(count(plan.hidden_done, 'done, hidden', lang), lang)}"
    out += ["", head + f"){c}"]
    if not plan.items:
        out.append(f"  {tr('Nothing left to do.', lang)}")
    for i in plan.items:
        flag = f" [{tr('start early', lang)}]" if i.lead_time == "long" else ""
        out += _wrapped(f"{i.title} [{i.id}]{c} {_status(i, lang)}{flag}", f"  {i.seq:>2}. ")
        names = ", ".join(wording.journey(j) for j in i.journeys)
        out += _wrapped(names, f"      {tr('for', lang)}{c} ")
        if i.after:
            out.append(f"      {tr('after', lang)}{c} {', '.join(str(seq[a]) for a in i.after)}")
        for a in i.advice:
            out += _wrapped(a, f"      {tr('advice', lang)}{c} ")
        if i.missing:
            question = typeset(_questions(i.missing, wording), lang)
            out += _wrapped(question, f"      {tr('depends on', lang)}{c} ")
    if plan.missing:
        out += ["", f"{tr('Missing answers', lang)}{c}"]
        for name in wording.sort(set(plan.missing)):
            out += _wrapped(typeset(wording.question(name), lang), "  - ")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan_markdown(plan: Plan, lang: str = "en", wording: Wording | None = None) -> str:
    """Render the plan as a Markdown checklist with one table (``wording``: as for text)."""
    wording = wording or Wording(lang)
    c = _colon(lang)
    rs = plan.ruleset
    seq = {i.id: i.seq for i in plan.items}
    out = [
        f"# {tr('Plan for', lang)} `{plan.profile_id}`",
        "",
        f"{tr('Rules', lang)}{c} {rs.name} {rs.version} (`{rs.hash}`)",
        "",
        f"## {tr('Journeys', lang)}",
        "",
    ]
    for j in plan.journeys:
        variant = _variant(j.id, j.variant, wording)
        out.append(f"- {j.title} (`{j.id}`)" + (f"{c} {variant}" if variant else ""))
    if not plan.journeys:
        out.append(tr("None.", lang))
    if plan.undetermined:
        out += ["", f"## {tr('Undetermined journeys', lang)}", ""]
        out += [
            typeset(f"- {j.title} (`{j.id}`){c} {_cell(_questions(j.missing, wording))}", lang)
            if j.missing
            else f"- {j.title} (`{j.id}`)"
            for j in plan.undetermined
        ]
    if plan.dependencies:
        out += ["", f"## {tr('Dependencies', lang)}", ""]
        for d in plan.dependencies:
            strong = "**" if d.conflict else ""
            out.append(f"- {strong}{_dependency(d, lang, wording)}{strong}")
    out += ["", f"## {tr('To do', lang)}", ""]
    if plan.hidden_done:
        out += [f"{typeset(count(plan.hidden_done, 'done, hidden', lang), lang)}.", ""]
    out += [
        f"| # | {tr('step', lang)} | {tr('status', lang)} | {tr('for', lang)} "
        f"| {tr('after', lang)} |",
        "|---|---|---|---|---|",
    ]
    for i in plan.items:
        flag = f" **{tr('start early', lang)}**" if i.lead_time == "long" else ""
        after = ", ".join(str(seq[a]) for a in i.after)
        out.append(
            f"| {i.seq} | {_cell(i.title)} (`{i.id}`){flag} | {_status(i, lang)} "
            f"| {_cell(', '.join(wording.journey(j) for j in i.journeys))} | {after} |"
        )
    advice = [(i.seq, a) for i in plan.items for a in i.advice]
    if advice:
        out += ["", f"**{tr('Advice', lang)}**", ""]
        out += [f"- {n}{c} {_cell(a)}" for n, a in advice]
    if plan.missing:
        out += ["", f"## {tr('Missing answers', lang)}", ""]
        out += [
            typeset(f"- {_cell(wording.question(m))}", lang)
            for m in wording.sort(set(plan.missing))
        ]
    return "\n".join(out) + "\n"


def render_plan_json(plan: Plan, lang: str = "en", wording: Wording | None = None) -> str:  # noqa: ARG001
    """Indented JSON, one trailing newline (texts are translated before, field names never)."""
    return json_text(plan)


PLAN_RENDERERS: dict[str, PlanRenderer] = {
    "text": render_plan_text,
    "json": render_plan_json,
    "markdown": render_plan_markdown,
}
