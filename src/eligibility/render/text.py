"""The decision as plain text for a terminal.

By default the answer first (:mod:`eligibility.render.brief`); with ``details`` every
journey, every step numbered in guided-tour order with its status, reasons (a reason
shared by several steps is written once), advice and what it depends on.
"""

from __future__ import annotations

from dataclasses import replace

from eligibility.decision.model import Decision, DependencyOut, PrecedenceReason, Reason
from eligibility.i18n import typography
from eligibility.i18n.messages import say
from eligibility.i18n.words import (
    advice_lines,
    journey_headline,
    reason_line,
    status_word,
    summary,
    tr,
    typeset,
)
from eligibility.render.brief import render_brief
from eligibility.render.view import View, wrap


def _same_for_every_step(reason: Reason, step_id: str) -> Reason:
    """A reason without the step's own catalogue entry among what it prevails over: the
    same exemption of several steps reads "as for step N"."""
    if not isinstance(reason, PrecedenceReason) or reason.precedence is None:
        return reason
    own = f"catalogue:{step_id}"
    over = [o for o in reason.precedence.over if o.rule != own]
    return replace(reason, precedence=replace(reason.precedence, over=over))


class _Wrap:
    """Lines wrapped at a width, never inside a word (so never inside an id)."""

    def __init__(self, width: int, lang: str) -> None:
        self.width = width
        self.lang = lang

    def __call__(self, text: str, indent: str, rest: str | None = None) -> list[str]:
        indent = typeset(indent, self.lang)  # a label's colon, in French too
        rest = " " * len(indent) if rest is None else rest
        return wrap(text, self.width, self.lang, indent, rest) or [indent.rstrip()]


def dependency_line(d: DependencyOut, lang: str = "en") -> str:
    """``needs <journey> (<status>): reason``, saying when its condition is unknown."""
    cond = f", {tr('while in force', lang)}" if d.in_force is None else ""
    state = f"({status_word(d.status, lang)}{cond})"
    colon = typography.colon(lang)
    if d.kind == "requires":
        return f"{tr('needs', lang)} {d.journey} {state}{colon} {d.reason}"
    where = tr("where it applies", lang)
    return f"{tr('after', lang)} {d.journey} {where} {state}{colon} {d.reason}"


def render_text(decision: Decision, lang: str = "en", view: View | None = None) -> str:
    """Render for reading in a terminal: in short, or in full with ``view.details``."""
    view = view or View()
    if not view.details:
        return render_brief(
            decision,
            lang,
            width=view.width,
            wording=view.wording_in(lang),
            source=view.source,
            dont_know=view.dont_know,
        )
    return render_details(decision, lang, view.width)


def render_details(decision: Decision, lang: str = "en", width: int = 100) -> str:
    """Every journey and step with its reasons, advice and what it depends on."""
    wrapped = _Wrap(width, lang)
    rs = decision.ruleset
    c = ":"  # typeset() spaces it in French
    out = wrapped(f"{tr('Decision for', lang)} {decision.profile_id}", "")
    out += wrapped(f"{rs.name} {rs.version} ({rs.hash[:19]}…)", f"{tr('Rules', lang)}{c} ")
    out += wrapped(summary(decision, lang), f"{tr('Summary', lang)}{c} ")
    for conflict in decision.conflicts:
        text = say(
            "{journey} needs {needs}, which does not apply to the product as described.",
            lang,
            journey=conflict.journey,
            needs=conflict.needs,
        )
        out += wrapped(f"{tr('CONFLICT', lang)}{c} {text} {conflict.reason}", "! ", "  ")
    for j in decision.journeys:
        out += ["", *wrapped(journey_headline(j, lang), "== ", "   ")]
        for r in j.reasons:
            out += wrapped(reason_line(r, lang), f"   {tr('because', lang)}{c} ")
        for r in j.variant_reasons if j.variant else []:
            out += wrapped(reason_line(r, lang), f"   {tr('variant', lang)}{c} ")
        # why the operations are what they are, when another rule than the variant's says it
        shown = {r.rule for r in j.variant_reasons} if j.variant else set()
        for r in j.operations_reasons if j.operations is not None else []:
            if r.rule not in shown:
                out += wrapped(reason_line(r, lang), f"   {tr('operations', lang)}{c} ")
        if j.status == "not_applicable":
            continue
        for d in j.dependencies:
            out += wrapped(dependency_line(d, lang), "   ", "     ")
        for p in j.prerequisites:
            met = tr({True: "met", False: "NOT met", None: "unknown"}[p.met], lang)
            out += wrapped(f"{tr('prerequisite', lang)}{c} {p.title}{c} {met}", "   ", "     ")
        # A reason written out once; later steps with the same reasons point back to it.
        first_with: dict[tuple[str, ...], int] = {}
        for n, s in enumerate(j.steps, start=1):
            line = f"{status_word(s.status, lang):<15} {s.title} ({s.id})"
            out += wrapped(line, f"  {n:>2}. ", " " * 22)
            key = tuple(reason_line(_same_for_every_step(r, s.id), lang) for r in s.reasons)
            if key in first_with:
                said = tr("as for step {step}", lang).format(step=first_with[key])
                out += wrapped(said, f"       {tr('why', lang)}{c} ")
            else:
                first_with[key] = n
                for r in s.reasons:
                    out += wrapped(reason_line(r, lang), f"       {tr('why', lang)}{c} ")
            for a in advice_lines(s, lang):
                out += wrapped(a, f"       {tr('advice', lang)}{c} ")
            if s.missing:
                out += wrapped(", ".join(s.missing), f"       {tr('depends on', lang)}{c} ")
        if j.missing:
            out += wrapped(
                ", ".join(j.missing), f"   {tr('unknown answers that matter here', lang)}{c} "
            )
    out.append("")
    if decision.missing:
        out += wrapped(", ".join(decision.missing), f"{tr('Missing answers', lang)}{c} ")
        out.append(
            f"  {typeset(tr('Answer them to decide what is still undetermined.', lang), lang)}"
        )
    else:
        out += wrapped(tr("none", lang), f"{tr('Missing answers', lang)}{c} ")
    return "\n".join(out) + "\n"
