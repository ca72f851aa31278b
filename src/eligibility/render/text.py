"""The decision as plain text for a terminal: by journey, steps numbered, reasons under each."""

from __future__ import annotations

from textwrap import wrap

from eligibility.decision import Decision, Reason
from eligibility.render.words import journey_headline, reason_line, status_word, summary

WIDTH = 100


def _wrapped(text: str, indent: str) -> list[str]:
    rest = " " * len(indent)
    return wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=rest, break_on_hyphens=False
    ) or [indent]


def render_text(decision: Decision) -> str:
    """Render for reading in a terminal."""
    rs = decision.ruleset
    out = [
        f"Decision for {decision.profile_id}",
        f"Rules: {rs.name} {rs.version} ({rs.hash[:19]}…)",
        f"Summary: {summary(decision)}",
    ]
    for j in decision.journeys:
        out += ["", f"== {journey_headline(j)}"]
        for r in j.reasons:
            out += _wrapped(reason_line(r), "   because: ")
        for r in j.variant_reasons if j.variant else []:
            out += _wrapped(reason_line(r), "   variant: ")
        if j.status == "not_applicable":
            continue
        for p in j.prerequisites:
            met = {True: "met", False: "NOT met", None: "unknown"}[p.met]
            out.append(f"   prerequisite: {p.title}: {met}")
        previous: list[Reason] | None = None
        for n, s in enumerate(j.steps, start=1):
            out.append(f"  {n:>2}. {status_word(s.status):<15} {s.title}  ({s.id})")
            if s.reasons == previous:
                out.append("       why: as for the step above")
            else:
                for r in s.reasons:
                    out += _wrapped(reason_line(r), "       why: ")
            previous = s.reasons
            for a in s.advice:
                out += _wrapped(a, "       advice: ")
            if s.missing:
                out.append(f"       depends on: {', '.join(s.missing)}")
        if j.missing:
            out.append(f"   unknown answers that matter here: {', '.join(j.missing)}")
    out.append("")
    if decision.missing:
        out.append(f"Missing answers: {', '.join(decision.missing)}")
        out.append("  Answer them to decide what is still undetermined.")
    else:
        out.append("Missing answers: none")
    return "\n".join(out) + "\n"
