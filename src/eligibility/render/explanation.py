"""``explain``'s text in sentences: the outcome, why, the answers it rests on, and what
would change it, smallest change first (``--logic`` keeps the rules' formulas).

The sentences are built from the explanation (:mod:`eligibility.explain.explanation`):
the decision's reasons with their sources and confidence, the given answers as the
questionnaire asks and shows them, and the counterfactual search, each change said as an
answer the publisher would give.
"""

from __future__ import annotations

from typing import Any

from eligibility.decision.model import Reason
from eligibility.explain.explanation import Counterfactual, Explanation
from eligibility.i18n.messages import say
from eligibility.i18n.words import precedence_note, source_text, status_word, tr
from eligibility.render.view import WIDTH, wrap
from eligibility.render.wording import Wording

#: What the target would be, by kind and outcome, in English and French: the end of
#: "If you answered …, ___" (French agrees with the kind: une étape, un parcours).
_WOULD: dict[tuple[str, str], tuple[str, str]] = {
    ("step", "required"): ("this step would be to do", "cette étape serait à faire"),
    ("step", "optional"): ("this step would be optional", "cette étape serait facultative"),
    ("step", "done"): ("this step would count as done", "cette étape compterait comme faite"),
    ("step", "not_applicable"): ("this step would not apply", "cette étape ne s'appliquerait pas"),
    ("step", "undetermined"): (
        "this step would depend on answers not given yet",
        "cette étape dépendrait de réponses pas encore données",
    ),
    ("journey", "applies"): ("this journey would apply", "ce parcours s'appliquerait"),
    ("journey", "not_applicable"): (
        "this journey would not apply",
        "ce parcours ne s'appliquerait pas",
    ),
    ("journey", "undetermined"): (
        "this journey would depend on answers not given yet",
        "ce parcours dépendrait de réponses pas encore données",
    ),
    ("prerequisite", "met"): ("this prerequisite would be met", "ce prérequis serait rempli"),
    ("prerequisite", "not_met"): (
        "this prerequisite would not be met",
        "ce prérequis ne serait pas rempli",
    ),
    ("prerequisite", "undetermined"): (
        "this prerequisite would depend on answers not given yet",
        "ce prérequis dépendrait de réponses pas encore données",
    ),
}

#: The outcome as the headline says it, by kind, in English and French.
_IS: dict[tuple[str, str], tuple[str, str]] = {
    ("step", "required"): ("to do", "à faire"),
    ("step", "optional"): ("optional", "facultative"),
    ("step", "done"): ("done", "faite"),
    ("step", "not_applicable"): ("does not apply", "ne s'applique pas"),
    ("step", "undetermined"): ("undetermined", "indéterminée"),
    ("prerequisite", "met"): ("met", "rempli"),
    ("prerequisite", "not_met"): ("not met", "non rempli"),
    ("prerequisite", "undetermined"): ("undetermined", "indéterminé"),
}


def _in(words: tuple[str, str], lang: str) -> str:
    return words[1] if lang == "fr" else words[0]


class _Lines:
    def __init__(self, width: int, lang: str) -> None:
        self.width, self.lang, self.out = width, lang, list[str]()

    def add(self, text: str, indent: str = "", rest: str | None = None) -> None:
        self.out += wrap(text, self.width, self.lang, indent, rest) or [""]


def _quoted(text: str, lang: str) -> str:
    return f"« {text} »" if lang == "fr" else f"“{text}”"


def _outcome(ex: Explanation, outcome: str, wording: Wording) -> str:
    """The outcome as a reader says it: a status, a variant's title, INSi operations."""
    lang = wording.lang
    if ex.kind == "variant":
        if outcome == "None":
            return tr("no variant", lang)
        return wording.variant_titles.get((ex.journey, outcome), outcome)
    if ex.kind == "operations":
        if outcome in ("None", "[]"):
            return tr("no INSi operation", lang)
        return ", ".join(tr(o, lang) for o in outcome.strip("[]").split(", "))
    if ex.kind == "journey":
        return status_word(outcome, lang)
    words = _IS.get((ex.kind, outcome))
    return _in(words, lang) if words else outcome


def _would(ex: Explanation, outcome: str, wording: Wording) -> str:
    lang = wording.lang
    if ex.kind == "variant" and outcome == "None":
        return tr("there would be no variant", lang)
    if ex.kind == "operations" and outcome in ("None", "[]"):
        return tr("there would be no INSi operation", lang)
    if ex.kind == "variant":
        return say("the variant would be: {outcome}", lang, outcome=_outcome(ex, outcome, wording))
    if ex.kind == "operations":
        shown = _outcome(ex, outcome, wording)
        return say("the INSi operations would be: {outcome}", lang, outcome=shown)
    words = _WOULD.get((ex.kind, outcome))
    return _in(words, lang) if words else outcome


def _reason(lines: _Lines, r: Reason, lang: str) -> None:
    """A reason's sentence and rule, then its source on a line of its own (a URL is long)."""
    prefix = tr("if it holds: ", lang) if r.holds is None else ""
    lines.add(f"{prefix}{r.text} [{r.rule}]", "  ", "    ")
    source = say(
        "source ({confidence}): {source}",
        lang,
        source=source_text(r.source, lang),
        confidence=tr(r.confidence, lang),
    )
    lines.add(source, "    ", "      ")
    note = precedence_note(r, lang).strip()
    if note:  # an inference or a rule deciding against another says so, and why
        note = note.removeprefix("(").removesuffix(")")
        lines.add(note[0].upper() + note[1:], "    ", "      ")


def _change(cf: Counterfactual, ex: Explanation, wording: Wording) -> str:
    lang = wording.lang
    parts = [
        say(
            "{answer} to {question}",
            lang,
            answer=_quoted(wording.answer(c.field, c.after), lang),
            question=_quoted(wording.question(c.field), lang),
        )
        for c in cf.changes
    ]
    answers = f" {tr('and', lang)} ".join(parts)
    return say(
        "If you answered {answers}, {outcome}.",
        lang,
        answers=answers,
        outcome=_would(ex, cf.outcome, wording),
    )


def render_explanation(
    ex: Explanation, lang: str = "en", *, width: int = WIDTH, wording: Wording | None = None
) -> str:
    """The explanation in sentences (its texts already in ``lang``: see
    :meth:`Explanation.localized`)."""
    wording = wording or Wording(lang)
    lines = _Lines(width, lang)
    journey = wording.journey(ex.journey)
    outcome = _outcome(ex, ex.outcome, wording)
    what = {
        "journey": say("the journey {name}", lang, name=journey),
        "step": say("step {number} of {journey}", lang, number=ex.number, journey=journey),
        "prerequisite": say("a prerequisite of {journey}", lang, journey=journey),
        "variant": say("the variant of {journey}", lang, journey=journey),
        "operations": say("the INSi operations of {journey}", lang, journey=journey),
    }[ex.kind]
    title = f" — {ex.title}" if ex.kind in ("step", "prerequisite") else ""
    lines.add(f"[{ex.target}] {what[:1].upper()}{what[1:]}{title}")
    lines.add(say("For {product}: {outcome}.", lang, product=ex.profile_id, outcome=outcome))
    if ex.kind != "journey" and ex.journey_status != "applies":
        status = status_word(ex.journey_status, lang)
        lines.add(say("The journey itself: {status}.", lang, status=status))

    lines.out.append("")
    lines.add(f"{tr('Why', lang)}:")
    for r in ex.because:
        _reason(lines, r, lang)

    if ex.answers:
        lines.out.append("")
        lines.add(f"{tr('The answers it rests on', lang)}:")
        for name, value in ex.answers.items():
            lines.add(f"{wording.question(name)} {answer_text(wording, name, value)}", "  ", "    ")

    lines.out.append("")
    lines.add(f"{tr('What would change it, smallest change first', lang)}:")
    ordered = sorted(ex.counterfactuals, key=lambda cf: len(cf.changes))
    for cf in ordered:
        lines.add(_change(cf, ex, wording), "  - ", "    ")
    # A change gives a known answer, so "undetermined" is seldom in reach: not worth a word.
    unreachable = [o for o in ex.unreachable if o != "undetermined"]
    if unreachable:
        never = f" {tr('or', lang)} ".join(_outcome(ex, o, wording) for o in unreachable)
        lines.add(
            say("No change of one or two answers gives: {outcomes}.", lang, outcomes=never),
            "  ",
            "    ",
        )
    if not ex.counterfactuals and not ex.unreachable:
        lines.add(tr("No change of the answers changes it.", lang), "  ")
    lines.out.append("")
    lines.add(say("Each rule's condition, value and answers: --logic.", lang))
    return "\n".join(lines.out) + "\n"


def answer_text(wording: Wording, name: str, value: Any) -> str:
    """A given answer as the questionnaire shows it, or "not answered"."""
    return tr("not answered", wording.lang) if value is None else wording.answer(name, value)
