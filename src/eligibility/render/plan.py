"""The plan (one to-do list per product) as text, Markdown and JSON."""

from __future__ import annotations

from textwrap import wrap
from typing import Protocol

from eligibility.i18n import typography
from eligibility.i18n.messages import say
from eligibility.i18n.words import count, status_word, tr, typeset
from eligibility.plan.plan import Plan, PlanDependency, PlanItem
from eligibility.render.json import json_text

WIDTH = 100


class PlanRenderer(Protocol):
    """Renders a plan; ``lang`` is the language of the renderer's own words."""

    def __call__(self, plan: Plan, lang: str = "en") -> str: ...


def _colon(lang: str) -> str:
    return typography.colon(lang)


def _status(item: PlanItem, lang: str) -> str:
    if item.kind == "prerequisite":
        return tr("not met yet" if item.status == "not_met" else "to confirm", lang)
    return status_word(item.status, lang)


def _dependency(d: PlanDependency, lang: str) -> str:
    c = _colon(lang)
    if d.conflict:
        # The same sentence as evaluate's, then the reason once, then what to do.
        needs = say(
            "{journey} needs {needs}, which does not apply to the product as described.",
            lang,
            journey=d.journey,
            needs=d.needs,
        )
        check = say("Check the answers (eligibility evaluate names them).", lang)
        return typeset(f"{tr('CONFLICT', lang)}{c} {needs} {d.reason} {check}", lang)
    verb = tr("needs", lang) if d.kind == "requires" else tr("after", lang)
    cond = f", {tr('while in force', lang)}" if d.in_force is None else ""
    return f"{d.journey} {verb} {d.needs} ({status_word(d.status, lang)}{cond}){c} {d.reason}"


def _wrapped(text: str, indent: str) -> list[str]:
    return wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_on_hyphens=False,
    ) or [indent]


def render_plan_text(plan: Plan, lang: str = "en") -> str:
    """Render the plan for a terminal: numbered items, what they wait for, who needs them."""
    c = _colon(lang)
    rs = plan.ruleset
    seq = {i.id: i.seq for i in plan.items}
    out = [
        f"{tr('Plan for', lang)} {plan.profile_id}",
        f"{tr('Rules', lang)}{c} {rs.name} {rs.version} ({rs.hash[:19]}…)",
        "",
        f"{tr('Journeys', lang)}{c}",
    ]
    out += [
        f"  - {j.title} [{j.id}]" + (f", {tr('variant', lang)} {j.variant}" if j.variant else "")
        for j in plan.journeys
    ]
    if not plan.journeys:
        out.append(f"  {tr('none', lang)}")
    if plan.undetermined:
        out += ["", f"{tr('Undetermined journeys', lang)}{c}"]
        out += [
            f"  - {j.title} [{j.id}] ({tr('missing', lang)}{c} {', '.join(j.missing)})"
            for j in plan.undetermined
        ]
    if plan.dependencies:
        out += ["", f"{tr('Dependencies', lang)}{c}"]
        for d in plan.dependencies:
            out += _wrapped(_dependency(d, lang), "  ! " if d.conflict else "  - ")
    head = f"{tr('To do', lang)} ({count(len(plan.items), 'item', lang)}"
    if plan.hidden_done:
        semicolon = typography.french(" ;") if lang == "fr" else ";"
        head += f"{semicolon} {count(plan.hidden_done, 'done, hidden', lang)}"
    out += ["", head + f"){c}"]
    if not plan.items:
        out.append(f"  {tr('Nothing left to do.', lang)}")
    for i in plan.items:
        flag = f" [{tr('start early', lang)}]" if i.lead_time == "long" else ""
        out.append(f"  {i.seq:>2}. {i.title} [{i.id}]{c} {_status(i, lang)}{flag}")
        out.append(f"      {tr('for', lang)}{c} {', '.join(i.journeys)}")
        if i.after:
            out.append(f"      {tr('after', lang)}{c} {', '.join(str(seq[a]) for a in i.after)}")
        for a in i.advice:
            out += _wrapped(a, f"      {tr('advice', lang)}{c} ")
        if i.missing:
            out.append(f"      {tr('depends on', lang)}{c} {', '.join(i.missing)}")
    if plan.missing:
        out += ["", f"{tr('Missing answers', lang)}{c} {', '.join(plan.missing)}"]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan_markdown(plan: Plan, lang: str = "en") -> str:
    """Render the plan as a Markdown checklist with one table."""
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
    out += [
        f"- {j.title} (`{j.id}`" + (f", {tr('variant', lang)} `{j.variant}`)" if j.variant else ")")
        for j in plan.journeys
    ]
    if not plan.journeys:
        out.append(tr("None.", lang))
    if plan.undetermined:
        out += ["", f"## {tr('Undetermined journeys', lang)}", ""]
        out += [
            f"- {j.title} (`{j.id}`){_colon(lang)} {', '.join(f'`{m}`' for m in j.missing)}"
            for j in plan.undetermined
        ]
    if plan.dependencies:
        out += ["", f"## {tr('Dependencies', lang)}", ""]
        out += [
            f"- {'**' if d.conflict else ''}{_dependency(d, lang)}{'**' if d.conflict else ''}"
            for d in plan.dependencies
        ]
    out += ["", f"## {tr('To do', lang)}", ""]
    if plan.hidden_done:
        out += [f"{count(plan.hidden_done, 'done, hidden', lang)}.", ""]
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
            f"| {', '.join(i.journeys)} | {after} |"
        )
    advice = [(i.seq, a) for i in plan.items for a in i.advice]
    if advice:
        out += ["", f"**{tr('Advice', lang)}**", ""]
        out += [f"- {n}{c} {_cell(a)}" for n, a in advice]
    if plan.missing:
        out += ["", f"## {tr('Missing answers', lang)}", ""]
        out.append(", ".join(f"`{m}`" for m in plan.missing))
    return "\n".join(out) + "\n"


def render_plan_json(plan: Plan, lang: str = "en") -> str:  # noqa: ARG001
    """Indented JSON, one trailing newline (texts are translated before, field names never)."""
    return json_text(plan)


PLAN_RENDERERS: dict[str, PlanRenderer] = {
    "text": render_plan_text,
    "json": render_plan_json,
    "markdown": render_plan_markdown,
}
