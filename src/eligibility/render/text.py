"""The decision as plain text for a terminal: by journey, steps numbered, reasons under each."""

from __future__ import annotations

from dataclasses import replace
from textwrap import wrap

from eligibility.decision.model import Decision, DependencyOut, PrecedenceReason, Reason
from eligibility.i18n import typography
from eligibility.i18n.words import (
    advice_lines,
    journey_headline,
    reason_line,
    status_word,
    summary,
    tr,
)

WIDTH = 100


def _same_for_every_step(reason: Reason, step_id: str) -> Reason:
    """A reason without the step's own catalogue entry among what it prevails over: the
    same exemption of several steps reads "as for the step above"."""
    if not isinstance(reason, PrecedenceReason) or reason.precedence is None:
        return reason
    own = f"catalogue:{step_id}"
    over = [o for o in reason.precedence.over if o.rule != own]
    return replace(reason, precedence=replace(reason.precedence, over=over))


def _wrapped(text: str, indent: str) -> list[str]:
    rest = " " * len(indent)
    return wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=rest, break_on_hyphens=False
    ) or [indent]


def dependency_line(d: DependencyOut, lang: str = "en") -> str:
    """``needs <journey> (<status>): reason``, saying when its condition is unknown."""
    cond = f", {tr('while in force', lang)}" if d.in_force is None else ""
    state = f"({status_word(d.status, lang)}{cond})"
    colon = typography.colon(lang)
    if d.kind == "requires":
        return f"{tr('needs', lang)} {d.journey} {state}{colon} {d.reason}"
    where = tr("where it applies", lang)
    return f"{tr('after', lang)} {d.journey} {where} {state}{colon} {d.reason}"


def render_text(decision: Decision, lang: str = "en") -> str:
    """Render for reading in a terminal."""
    rs = decision.ruleset
    c = typography.colon(lang)
    out = [
        f"{tr('Decision for', lang)} {decision.profile_id}",
        f"{tr('Rules', lang)}{c} {rs.name} {rs.version} ({rs.hash[:19]}…)",
        f"{tr('Summary', lang)}{c} {summary(decision, lang)}",
    ]
    for j in decision.journeys:
        out += ["", f"== {journey_headline(j, lang)}"]
        for r in j.reasons:
            out += _wrapped(reason_line(r, lang), f"   {tr('because', lang)}{c} ")
        for r in j.variant_reasons if j.variant else []:
            out += _wrapped(reason_line(r, lang), f"   {tr('variant', lang)}{c} ")
        # why the operations are what they are, when another rule than the variant's says it
        shown = {r.rule for r in j.variant_reasons} if j.variant else set()
        for r in j.operations_reasons if j.operations is not None else []:
            if r.rule not in shown:
                out += _wrapped(reason_line(r, lang), f"   {tr('operations', lang)}{c} ")
        if j.status == "not_applicable":
            continue
        for d in j.dependencies:
            out += _wrapped(dependency_line(d, lang), "   ")
        for p in j.prerequisites:
            met = tr({True: "met", False: "NOT met", None: "unknown"}[p.met], lang)
            out.append(f"   {tr('prerequisite', lang)}{c} {p.title}{c} {met}")
        previous: list[str] | None = None
        for n, s in enumerate(j.steps, start=1):
            out.append(f"  {n:>2}. {status_word(s.status, lang):<15} {s.title}  ({s.id})")
            lines = [reason_line(_same_for_every_step(r, s.id), lang) for r in s.reasons]
            if lines == previous:
                out.append(f"       {tr('why', lang)}{c} {tr('as for the step above', lang)}")
            else:
                for r in s.reasons:
                    out += _wrapped(reason_line(r, lang), f"       {tr('why', lang)}{c} ")
            previous = lines
            for a in advice_lines(s, lang):
                out += _wrapped(a, f"       {tr('advice', lang)}{c} ")
            if s.missing:
                out.append(f"       {tr('depends on', lang)}{c} {', '.join(s.missing)}")
        if j.missing:
            out.append(
                f"   {tr('unknown answers that matter here', lang)}{c} {', '.join(j.missing)}"
            )
    out.append("")
    if decision.missing:
        out.append(f"{tr('Missing answers', lang)}{c} {', '.join(decision.missing)}")
        out.append(f"  {tr('Answer them to decide what is still undetermined.', lang)}")
    else:
        out.append(f"{tr('Missing answers', lang)}{c} {tr('none', lang)}")
    return "\n".join(out) + "\n"
