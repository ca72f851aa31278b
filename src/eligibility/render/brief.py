"""The decision in short, for a terminal: the answer first (``evaluate``'s default text).

One headline; any conflict between journeys; per journey that applies, one line (variant,
steps left), what stands in its way (a prerequisite not met, a journey it needs that is
still undetermined) and its steps still to do in guided-tour order, each with its reason
when a rule decided it (a reason shared by several steps is given once); the journeys
still undetermined, one line each, and the questions that would settle them, in the
publisher's words; the journeys that do not apply in one closing paragraph with their
reasons. ``--details`` (:mod:`eligibility.render.text`) gives every step with every reason,
advice and source.

Lines are wrapped at the width given (never inside a word, so never inside an id); the
text holds no colour nor any other terminal control.
"""

from __future__ import annotations

from eligibility.decision.model import ConflictOut, Decision, JourneyOut, StepOut
from eligibility.i18n.messages import say
from eligibility.i18n.words import count, number_runs, tr, typeset
from eligibility.questionnaire.ending import ask_unknown_command
from eligibility.render.view import wrap
from eligibility.render.wording import Wording

#: The statuses of the steps listed under a journey that applies: what is left.
_LEFT = ("required", "optional", "undetermined")


class _Lines:
    """Paragraphs wrapped at a width, in a language's typography."""

    def __init__(self, width: int, lang: str) -> None:
        self.width = width
        self.lang = lang
        self.out: list[str] = []

    def add(self, text: str, indent: str = "", rest: str | None = None) -> None:
        indent = typeset(indent, self.lang)
        self.out += wrap(text, self.width, self.lang, indent, rest) or [indent.rstrip()]

    def blank(self) -> None:
        if self.out and self.out[-1]:
            self.out.append("")


def _first_question(fields: list[str], wording: Wording) -> str:
    """``: <the first question>`` (and how many more would settle it), or nothing."""
    if not fields:
        return ""
    text = f": {wording.question(fields[0])}"
    if len(fields) > 1:
        more = count(len(fields) - 1, "more", wording.lang)
        text += " " + say("(and {more})", wording.lang, more=more)
    return text


def _headline(decision: Decision, lang: str) -> str:
    by_status = {s: [j for j in decision.journeys if j.status == s] for s in _STATUSES}
    applies = by_status["applies"]
    steps = [s for j in applies for s in j.steps]
    to_do = sum(1 for s in steps if s.status == "required")
    parts = [f"{count(len(applies), 'journey applies', lang)} ({count(to_do, 'step to do', lang)})"]
    if by_status["undetermined"]:
        parts.append(count(len(by_status["undetermined"]), "undetermined", lang))
    if by_status["not_applicable"]:
        parts.append(count(len(by_status["not_applicable"]), "does not apply", lang))
    if decision.conflicts:
        parts.append(count(len(decision.conflicts), "conflict", lang))
    return f"{decision.profile_id}: {', '.join(parts)}."


_STATUSES = ("applies", "undetermined", "not_applicable")


def _settled_by_a_question(j: JourneyOut) -> bool:
    """Whether the brief gives the journey a line with the question that would settle it:
    it is undetermined, or it applies with steps still undetermined."""
    if j.status == "undetermined":
        return True
    return j.status == "applies" and any(s.status == "undetermined" for s in j.steps)


def names_settling_questions(decision: Decision, wording: Wording) -> bool:
    """Whether the brief names, for something undetermined, the question that would settle
    it (so that what comes after it need not list them again)."""
    return any(_settled_by_a_question(j) and wording.settling(j) for j in decision.journeys)


def _conflict(lines: _Lines, c: ConflictOut, decision: Decision, wording: Wording) -> None:
    lang = wording.lang
    needs = decision.journey(c.needs)
    lines.add(
        f"{tr('CONFLICT', lang)}: "
        + say(
            "{journey} needs {needs}, which does not apply to the product as described.",
            lang,
            journey=wording.journey(c.journey),
            needs=wording.journey(c.needs, needs.title),
        ),
        "! ",
        "  ",
    )
    lines.add(f"{c.reason} [{c.dependency}; {tr(c.confidence, lang)}]", "  ")
    because = " ".join(r.text for r in needs.reasons)
    lines.add(
        say(
            "Why {journey} does not apply: {reason}",
            lang,
            journey=wording.journey(c.needs, needs.title),
            reason=because,
        ),
        "  ",
    )
    if c.answers:
        answers = "; ".join(
            f"{wording.question(name)} ({tr('your answer', lang)}: {wording.answer(name, value)})"
            for name, value in c.answers.items()
        )
        lines.add(say("Check these answers: {answers}", lang, answers=answers), "  ")


def _journey_line(j: JourneyOut, wording: Wording) -> str:
    lang = wording.lang
    steps = j.steps
    counts = [
        count(n, what, lang)
        for what, status in (
            ("step to do", "required"),
            ("optional", "optional"),
            ("undetermined", "undetermined"),
            ("done", "done"),
            ("not applicable", "not_applicable"),
        )
        if (n := sum(1 for s in steps if s.status == status))
    ]
    if lang == "fr" and any(s.status == "undetermined" for s in steps):
        # « 2 indéterminées »: the steps are feminine, the journeys of the headline are not
        counts = [c.replace("indéterminé", "indéterminée") for c in counts]
    head = f"{wording.journey(j.id, j.title)} [{j.id}]"
    variant = wording.variant(j)
    if variant:
        # the variant's name, without the explanation in brackets (--details has it)
        head += f", {variant.split(' (')[0]}"
    return f"{head}: {', '.join(counts)}" if counts else head


def _steps(lines: _Lines, j: JourneyOut, wording: Wording) -> None:
    lang = wording.lang
    numbered = [(n, s) for n, s in enumerate(j.steps, start=1) if s.status in _LEFT]
    # A reason a rule gave (not the catalogue's default) is said once, under the first
    # step it explains, naming the other steps it explains too.
    shared: dict[str, list[int]] = {}
    for n, s in numbered:
        for text in _decided_reasons(s):
            shared.setdefault(text, []).append(n)
    said: set[str] = set()
    for n, s in numbered:
        if s.status == "undetermined":
            continue
        title = s.title
        if s.status == "optional":
            title += " (facultative)" if lang == "fr" else " (optional)"  # une étape
        lines.add(title, f"  {n}. ", "     ")
        for text in _decided_reasons(s):
            if text in said:
                continue
            said.add(text)
            others = [str(m) for m in shared[text] if m != n]
            label = tr("why", lang)
            if others:
                label = tr("why (also {steps})", lang).format(steps=", ".join(others))
            lines.add(f"{label}: {text}", "     ", "       ")
    # Steps still undetermined in a journey that applies: one line, with the question
    # that would settle them first.
    open_steps = [n for n, s in numbered if s.status == "undetermined"]
    if open_steps:
        word = "indéterminée" if lang == "fr" and len(open_steps) == 1 else "undetermined"
        if lang == "fr" and len(open_steps) > 1:
            word = "indéterminées"
        text = f"{_step_numbers(open_steps, lang)} {word}"
        lines.add(text + _first_question(wording.settling(j), wording), "     ", "       ")


def _step_numbers(numbers: list[int], lang: str) -> str:
    """``step 3`` or ``steps 2-4, 7``."""
    word = tr("step" if len(numbers) == 1 else "steps", lang)
    return f"{word} {number_runs(numbers, '-')}"


def _decided_reasons(s: StepOut) -> list[str]:
    if s.status == "undetermined":
        return []
    return [r.text for r in s.reasons if r.holds is True and not r.rule.startswith("catalogue:")]


def _not_applicable(lines: _Lines, decision: Decision, wording: Wording) -> None:
    lang = wording.lang
    journeys = [j for j in decision.journeys if j.status == "not_applicable"]
    if not journeys:
        return
    in_conflict = {c.needs for c in decision.conflicts}
    # Journeys that do not apply for the same reason share it.
    by_reason: dict[str, list[str]] = {}
    for j in journeys:
        if j.id in in_conflict:
            reason = say("See the conflict above", lang) + "."
        else:
            reason = " ".join(r.text for r in j.reasons)
        by_reason.setdefault(reason, []).append(wording.journey(j.id, j.title))
    items = [f"{', '.join(names)}: {reason}" for reason, names in by_reason.items()]
    head = tr("Does not apply" if len(journeys) == 1 else "Do not apply", lang)
    lines.add(f"{head} — {' '.join(items)}")


def render_brief(
    decision: Decision,
    lang: str = "en",
    *,
    width: int = 100,
    wording: Wording | None = None,
    source: str | None = None,
    dont_know: frozenset[str] = frozenset(),
) -> str:
    """The decision in short, wrapped at ``width`` columns, its texts in ``lang`` (the
    decision is translated before; ``wording`` gives the questions and short names;
    ``source``, the profile's file, goes in the commands the text suggests; ``dont_know``,
    the fields the profile answers "don't know" (``null``), makes the command suggested to
    settle what is undetermined ask those again)."""
    view_source = source
    wording = wording or Wording(lang)
    lines = _Lines(width, lang)
    lines.add(_headline(decision, lang))
    for c in decision.conflicts:
        lines.blank()
        _conflict(lines, c, decision, wording)

    lines.blank()  # the journeys that apply, one paragraph each (their titles stand out)
    for j in decision.journeys:
        if j.status != "applies":
            continue
        lines.add(_journey_line(j, wording), "", "    ")
        for p in j.prerequisites:
            if p.met is not True:
                state = "prerequisite not met yet" if p.met is False else "prerequisite to confirm"
                lines.add(f"{tr(state, lang)}: {p.title}", "    ", "      ")
        for d in j.dependencies:
            if d.kind == "requires" and d.status == "undetermined" and d.in_force is not False:
                lines.add(
                    say(
                        "needs {journey}, still undetermined",
                        lang,
                        journey=wording.journey(d.journey),
                    ),
                    "    ",
                    "      ",
                )
        _steps(lines, j, wording)

    undetermined = [j for j in decision.journeys if j.status == "undetermined"]
    if undetermined:
        lines.blank()
        lines.add(tr("Undetermined, and the first question that would settle each:", lang))
        for j in undetermined:
            name = wording.journey(j.id, j.title)
            lines.add(name + _first_question(wording.settling(j), wording), "  ", "    ")
    lines.blank()
    _not_applicable(lines, decision, wording)
    rs = decision.ruleset
    profile = view_source or tr("PROFILE", lang)
    rules = say("Rules: {name} {version}.", lang, name=rs.name, version=rs.version)
    lines.add(f"{rules} {say('Every step, its reasons and advice: --details.', lang)}")
    # Commands on lines of their own, never wrapped: they are copied as they are.
    lines.out.append(
        typeset(say("Why an outcome:", lang), lang) + f" eligibility explain {profile} ID"
    )
    if dont_know.intersection(decision.missing):
        # `ask --from` never asks a "don't know" again: --unknown does, with what is absent
        again = typeset(
            say('The questions one by one, "don\'t know" answers included:', lang), lang
        )
        lines.out.append(f"{again} {ask_unknown_command(profile)}")
    elif decision.missing:
        asked = typeset(say("The questions one by one:", lang), lang)
        lines.out.append(f"{asked} eligibility ask --from {profile}")
    return "\n".join(lines.out) + "\n"
