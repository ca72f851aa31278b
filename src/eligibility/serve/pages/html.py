"""The web questionnaire's pages as HTML: server-rendered, no script, no outside asset.

Every page is one document with its style inline. Every text from outside the code (the
questions, the decision's texts, anything the user typed) goes through :func:`escape`.
The state of the questionnaire is the form's hidden fields (:class:`State`): the server
keeps nothing between two pages.

One cohesive module although over 400 lines: one renderer, the questionnaire's pages, with
their shared style and state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from eligibility.decision.model import Decision, JourneyOut, Reason
from eligibility.i18n.words import source_text, status_word, tr
from eligibility.plan.plan import Plan
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Lang, Prompt, Questions
from eligibility.questionnaire.session import answers_profile
from eligibility.questionnaire.step import Asked, Choice, prompt_key
from eligibility.rules.loader import RuleSet
from eligibility.serve.words import t, typeset

_STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --line: #c9c9c9; --accent: #1f4e9c; }
* { box-sizing: border-box; }
body { font: 17px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0; background: #f6f6f3; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; background: #fff;
       min-height: 100vh; }
header.top { display: flex; justify-content: space-between; align-items: baseline;
             gap: 1rem; font-size: .9rem; color: var(--muted); }
header.top a { color: var(--accent); }
h1 { font-size: 1.45rem; line-height: 1.3; margin: 1rem 0 .5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.group { display: block; text-transform: uppercase; letter-spacing: .04em; font-size: .8rem;
          color: var(--muted); margin: 0; }
p.help { color: var(--muted); margin-top: 0; }
.why { margin: .5rem 0 1rem; color: var(--muted); }
fieldset { border: 0; padding: 0; margin: 0; }
legend { padding: 0; }
label.choice { display: block; padding: .45rem .6rem; margin: .3rem 0;
               border: 1px solid var(--line); border-radius: .35rem; cursor: pointer; }
label.choice:hover { border-color: var(--accent); }
.ticks { margin-top: .9rem; }
.tick { display: flex; align-items: center; gap: .8rem; }
.tick label.choice { flex: 1; }
label.unsure { white-space: nowrap; font-size: .9rem; color: var(--muted); cursor: pointer; }
input[type=text], input[type=number], textarea { font: inherit; padding: .35rem .5rem;
  border: 1px solid #888; border-radius: .3rem; width: 100%; max-width: 24rem; }
textarea { max-width: 100%; min-height: 8rem; font-family: ui-monospace, monospace;
           font-size: .85rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1.2rem 0; }
button { font: inherit; padding: .45rem 1rem; border-radius: .35rem; border: 1px solid #888;
         background: #f0f0f0; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.link { border: 0; background: none; color: var(--accent); text-decoration: underline;
              padding: 0; }
.error { border-left: 4px solid #b00020; background: #fdecee; padding: .5rem .8rem; }
.note { border-left: 4px solid #888; background: #f2f2f2; padding: .5rem .8rem; }
.sofar { font-size: .9rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .4rem; text-align: left;
         vertical-align: top; }
.status { white-space: nowrap; font-weight: 600; }
.applies, .required { color: #0b5d1e; } .undetermined { color: #8a5300; }
.not_applicable, .done, .optional { color: var(--muted); }
ul.summary { font-size: 1.05rem; padding-left: 1.2rem; }
ul.reasons { margin: .2rem 0 .6rem; padding-left: 1.2rem; font-size: .92rem; }
.source { color: var(--muted); font-size: .85rem; }
ol.plan > li { margin-bottom: .6rem; }
.flag { font-size: .8rem; border: 1px solid #8a5300; color: #8a5300; border-radius: .3rem;
        padding: 0 .3rem; margin-left: .3rem; white-space: nowrap; }
@media print { .actions, header.top, form.keep { display: none; } main { max-width: none; } }
"""

KEEP = (
    "The same file as eligibility ask --save: eligibility evaluate and eligibility ask "
    "--from take it, and this page can continue from it."
)

#: The separator of the questionnaire's way back in its hidden field.
SEPARATOR = ","


@dataclass
class State:
    """What the questionnaire carries from page to page (hidden fields of its forms).

    ``answers`` maps a field to its JSON value (None: "I don't know"); ``history`` is the
    way back, as in ``ask``: the questions answered on the way, last last; ``declined`` the
    checklist items left unticked that recorded nothing (not asked again, as in ``ask``).
    """

    lang: Lang = "en"
    profile_id: str = "product"
    name: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[Prompt] = field(default_factory=list)
    declined: set[str] = field(default_factory=set)

    def profile_data(self) -> dict[str, Any]:
        """The answers as a profile mapping (what the downloaded file holds)."""
        return answers_profile(self.profile_id, self.name, self.answers)

    def hidden(self) -> str:
        """The state as hidden form fields."""
        profile = json.dumps(self.profile_data(), ensure_ascii=False, separators=(",", ":"))
        return (
            f'<input type="hidden" name="lang" value="{self.lang}">'
            f'<input type="hidden" name="answers" value="{escape(profile)}">'
            f'<input type="hidden" name="history" value="{escape(self._way_back())}">'
            f'<input type="hidden" name="declined" '
            f'value="{escape(SEPARATOR.join(sorted(self.declined)))}">'
        )

    def _way_back(self) -> str:
        return SEPARATOR.join(prompt_key(p) for p in self.history)


def tx(text: str, lang: str) -> str:
    """A text from the rules or the questions, escaped, with French typography in French."""
    return escape(typeset(text) if lang == "fr" else text)


def page(title: str, body: str, lang: str, *, other_lang: str | None = None) -> str:
    """A whole page; ``other_lang`` is where the link to the other language points."""
    links = []
    if other_lang is not None:
        label = t("Français", lang) if lang == "en" else t("English", lang)
        hreflang = "fr" if lang == "en" else "en"
        links.append(f'<a href="{escape(other_lang)}" hreflang="{hreflang}">{label}</a>')
    links.append(f'<a href="/docs">{t("API", lang)}</a>')
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="top"><a href="/?lang={lang}">eligibility</a>'
        f"<span>{' · '.join(links)}</span></header>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def start_page(lang: Lang, error: str | None = None, saved: str = "") -> str:
    """The first page: what this is, the product's id and name, or a saved profile."""
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = f"""<h1>{t("Which integration journeys apply to your product?", lang)}</h1>
{problem}
<p>{
        t(
            "Answer a few questions about your software product: each one is asked only if its "
            "answer can still change which journeys apply (ROR, Mon espace santé, INS, DMP, "
            "MSSanté, ...) or which of their steps remain. Nothing is kept on the server: your "
            "answers travel with the page, and you can download them at the end.",
            lang,
        )
    }</p>
<form method="post" action="/ask">
<input type="hidden" name="lang" value="{lang}">
<p><label for="id">{t("Product id", lang)}</label><br>
<input type="text" id="id" name="id" value="product" required pattern="[A-Za-z0-9._\\-]+"
 aria-describedby="id-help"><br>
<span id="id-help" class="sofar">{
        t("letters, digits, - _ . (it names the downloaded file)", lang)
    }</span></p>
<p><label for="name">{t("Product name (optional)", lang)}</label><br>
<input type="text" id="name" name="name" value=""></p>
<div class="actions"><button class="primary" name="action" value="start">{
        t("Start", lang)
    }</button></div>
</form>
<h2>{t("Continue from a saved profile", lang)}</h2>
<form method="post" action="/ask">
<input type="hidden" name="lang" value="{lang}">
<p><label for="saved">{
        t(
            "Paste the text of a profile file (the one this page or eligibility ask "
            "--save writes): only the questions still needed are asked.",
            lang,
        )
    }</label></p>
<textarea id="saved" name="saved">{escape(saved)}</textarea>
<div class="actions"><button name="action" value="resume">{t("Continue", lang)}</button></div>
</form>"""
    return page(
        t("Which integration journeys apply to your product?", lang),
        body,
        lang,
        other_lang="/?lang=" + ("fr" if lang == "en" else "en"),
    )


def _so_far(decision: Decision, lang: str, answered: int) -> str:
    if not answered:
        return ""  # nothing is decided before the first answer
    applies = sum(1 for j in decision.journeys if j.status == "applies")
    unsure = sum(1 for j in decision.journeys if j.status == "undetermined")
    count = (
        t("1 answer so far", lang)
        if answered == 1
        else t("{count} answers so far", lang, count=answered)
    )
    counts = t(
        "{applies} apply, {undetermined} undetermined", lang, applies=applies, undetermined=unsure
    )
    return f'<p class="sofar">{count} · {t("So far", lang)}{_colon(lang)} {counts}</p>'


def _colon(lang: str) -> str:
    return "\u00a0:" if lang == "fr" else ":"


def _given(asked: Asked) -> dict[str, Any]:
    """The answers already given to the fields of the question shown."""
    if asked.combined is not None:
        return asked.combined.answers
    return {asked.field: asked.answer} if asked.answered else {}


def _checked(asked: Asked, name: str, value: Any, *, tick: bool = False) -> str:
    """`` checked`` when the answer already given to ``name`` holds ``value``."""
    given = _given(asked).get(name)
    if given is None:
        return ""
    if not tick and asked.kind == "list":
        return " checked" if value in given else ""
    return " checked" if given == value else ""


def _number(asked: Asked, lang: Lang) -> str:
    given = _given(asked).get(asked.field)
    current = "" if given is None else str(given)
    return (
        f'<p><input type="number" id="value" name="value" min="{asked.minimum}" '
        f'max="{asked.maximum}" step="1" value="{escape(current)}" aria-describedby="hint">'
        f' <span id="hint" class="sofar">'
        f"{t('A whole number from {lo} to {hi}.', lang, lo=asked.minimum, hi=asked.maximum)}"
        "</span></p>"
    )


def _tick(asked: Asked, choice: Choice, i: int, lang: Lang) -> str:
    """A field offered as one more choice: ticked, it takes the choice's value; beside it,
    "I don't know" for that field alone (as ``?N`` typed to ``ask``)."""
    name = escape(choice.field)
    given = _given(asked)
    known = choice.field not in given or given[choice.field] is not None
    unsure = "" if known else " checked"
    label = tx(choice.label, lang)
    dont_know = t("I don't know", lang)
    checked = _checked(asked, choice.field, choice.value, tick=True)
    return (
        f'<div class="tick"><label class="choice" for="c{i}"><input type="checkbox" id="c{i}" '
        f'name="tick" value="{name}"{checked}> {label}</label>'
        f'<label class="unsure" for="u{i}"><input type="checkbox" id="u{i}" name="unsure" '
        f'value="{name}"{unsure} aria-label="{escape(dont_know)}{_colon(lang)} {label}"> '
        f"{dont_know}</label></div>"
    )


def _inputs(asked: Asked, lang: Lang) -> str:
    """The answers offered: ``field``'s choices (none for a checklist), then the ticks."""
    combined = asked.combined
    checklist = combined is not None and combined.checklist is not None
    if asked.kind == "int" and not checklist:
        return _number(asked, lang)
    several = asked.kind == "list" or checklist
    out = []
    if several:
        out.append(
            f'<p class="sofar">{t("Tick every answer that holds (none: tick nothing).", lang)}</p>'
        )
    own = [] if checklist else asked.choices
    kind = "checkbox" if asked.kind == "list" else "radio"
    for i, choice in enumerate(own):
        value = json.dumps(choice.value) if asked.kind == "bool" else str(choice.value)
        checked = _checked(asked, choice.field, choice.value)
        out.append(
            f'<label class="choice" for="c{i}"><input type="{kind}" id="c{i}" name="value" '
            f'value="{escape(value)}"{checked}> {tx(choice.label, lang)}</label>'
        )
    ticks = combined.ticks if combined is not None else []
    if ticks:
        items = "\n".join(_tick(asked, c, i, lang) for i, c in enumerate(ticks, start=len(own)))
        out.append(f'<div class="ticks">{items}</div>')
    return "\n".join(out)


def _kicker(asked: Asked, questions: Questions, lang: Lang) -> str:
    """The part of the conversation (as ``ask``'s ``==`` lines say it) and the theme."""
    group = tx(asked.group, lang)
    if asked.stage is None:
        return group
    stage = tx(getattr(questions.messages, f"stage_{asked.stage}")(lang), lang)
    return group if stage == group else f"{stage} · {group}"


def question_page(
    state: State,
    asked: Asked,
    decision: Decision,
    questions: Questions,
    *,
    error: str | None = None,
    note: str | None = None,
) -> str:
    """One question, with its help, why it is asked, and the ways on."""
    lang = state.lang
    # the question as ask asks it: the whole of it when it settles several fields
    whole = asked.combined if asked.combined is not None else asked
    # ask's own line, which says "Why:" itself
    why = f'<p class="why">{tx(whole.why, lang)}</p>' if whole.why else ""
    problem = ""
    if error:
        said = f"{t('Not understood', lang)}{_colon(lang)} {tx(error, lang)}"
        problem = f'<p class="error" role="alert">{said}</p>'
    notice = f'<p class="note">{escape(note)}</p>' if note else ""
    other = "fr" if lang == "en" else "en"
    switch = t("Français" if lang == "en" else "English", lang)
    body = f"""{_so_far(decision, lang, len(state.answers))}
{notice}
<form method="post" action="/ask">
{state.hidden()}
<input type="hidden" name="prompt" value="{escape(prompt_key(asked.prompt()))}">
<input type="hidden" name="stage" value="{escape(asked.stage or "")}">
<fieldset aria-describedby="help">
<legend><span class="group">{_kicker(asked, questions, lang)}</span><h1>{tx(whole.text, lang)}</h1>
</legend>
<p class="help" id="help">{tx(whole.help, lang)}</p>
{why}
{problem}
{_inputs(asked, lang)}
</fieldset>
<div class="actions">
<button class="primary" name="action" value="answer">{t("Next", lang)}</button>
<button name="action" value="dontknow">{t("I don't know", lang)}</button>
<button name="action" value="back">{t("Back", lang)}</button>
<button name="action" value="review">{t("Review my answers", lang)}</button>
<button class="link" name="action" value="lang:{other}" lang="{other}">{switch}</button>
</div>
</form>"""
    return page(whole.text, body, lang)


def review_page(state: State, questions: Questions, decision: Decision) -> str:
    """The answers so far, each with a button to change it."""
    lang = state.lang
    rows = []
    for f in questions.order:
        if f not in state.answers:
            continue
        shown = questions.show(f, state.answers[f], lang)
        rows.append(
            f"<tr><td>{tx(questions.question(f).question(lang), lang)}</td>"
            f"<td>{tx(shown, lang)}</td>"
            f'<td><button class="link" name="change" value="{escape(f)}">{t("Change", lang)}'
            "</button></td></tr>"
        )
    table = (
        f"<table><thead><tr><th>{t('Question', lang)}</th><th>{t('Answer', lang)}</th><th></th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else f"<p>{t('No answers yet.', lang)}</p>"
    )
    body = f"""{_so_far(decision, lang, len(state.answers))}
<h1>{t("Your answers", lang)}</h1>
<form method="post" action="/ask">
{state.hidden()}
<input type="hidden" name="action" value="change">
{table}
</form>
<form method="post" action="/ask">
{state.hidden()}
<div class="actions">
<button class="primary" name="action" value="next">{t("Go on", lang)}</button></div>
</form>"""
    return page(t("Your answers", lang), body, lang)


def _reasons(reasons: Iterable[Reason], lang: str) -> str:
    items = "".join(
        f'<li>{tx(r.text, lang)} <span class="source">({t("source", lang)}{_colon(lang)} '
        f"{tx(source_text(r.source, lang), lang)}; {escape(tr(r.confidence, lang))})</span></li>"
        for r in reasons
    )
    return f'<ul class="reasons">{items}</ul>' if items else ""


def _journey(j: JourneyOut, lang: str, variants: Mapping[tuple[str, str], str]) -> str:
    title = variants.get((j.id, j.variant), j.variant) if j.variant else None
    variant = f" ({tx(title.split(' (')[0], lang)})" if title else ""
    out = [
        f'<h3 id="{escape(j.id)}">{tx(j.title, lang)}{variant} '
        f'<span class="status {j.status}">{tx(status_word(j.status, lang), lang)}</span></h3>',
        f"<details><summary>{t('Why', lang)}</summary>{_reasons(j.reasons, lang)}</details>",
    ]
    if j.prerequisites:
        words = {True: t("met", lang), False: t("not met", lang), None: t("unknown", lang)}
        items = "".join(
            f"<li>{tx(p.title, lang)}{_colon(lang)} {words[p.met]}</li>" for p in j.prerequisites
        )
        out.append(f"<p>{t('Prerequisites', lang)}{_colon(lang)}</p><ul>{items}</ul>")
    rows = []
    for s in j.steps:
        advice = "".join(f"<p>{tx(a, lang)}</p>" for a in s.advice)
        rows.append(
            f'<tr><td class="status {s.status}">{tx(status_word(s.status, lang), lang)}</td>'
            f"<td>{tx(s.title, lang)}</td><td>{advice}</td></tr>"
        )
    if rows:
        out.append(
            f"<table><thead><tr><th>{t('Status', lang)}</th><th>{t('Step', lang)}</th>"
            f"<th>{t('Advice', lang)}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "\n".join(out)


def _plan(plan: Plan, lang: str) -> str:
    if not plan.items:
        return f"<p>{t('Nothing left to do.', lang)}</p>"
    seq = {i.id: i.seq for i in plan.items}
    items = []
    for i in plan.items:
        flag = (
            f'<span class="flag">{t("start early", lang)}</span>' if i.lead_time == "long" else ""
        )
        after = f"; {t('after', lang)} {', '.join(str(seq[a]) for a in i.after)}" if i.after else ""
        advice = "".join(f"<p>{tx(a, lang)}</p>" for a in i.advice)
        status = tx(status_word(i.status, lang), lang)
        items.append(
            f"<li><strong>{tx(i.title, lang)}</strong>{flag} "
            f'<span class="status {escape(i.status)}">{status}</span>'
            f'<br><span class="source">{t("for", lang)} {escape(", ".join(i.journeys))}{after}'
            f"</span>{advice}</li>"
        )
    return f'<ol class="plan">{"".join(items)}</ol>'


def _summary(applies: list[JourneyOut], unsure: list[JourneyOut], lang: str) -> str:
    """The answer first: which journeys apply, how many steps are left, what is open."""
    todo = sum(1 for j in applies for s in j.steps if s.status == "required")
    names = ", ".join(f'<a href="#{escape(j.id)}">{tx(j.title, lang)}</a>' for j in applies)
    lines = [
        t("{count} journeys apply", lang, count=len(applies))
        if len(applies) != 1
        else t("1 journey applies", lang)
    ]
    lines[0] += f"{_colon(lang)} {names}" if applies else "."
    lines.append(t("{count} steps to do.", lang, count=todo))
    if unsure:
        lines.append(t("{count} still undetermined: see below.", lang, count=len(unsure)))
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f'<ul class="summary" id="summary">{items}</ul>'


def _conflicts(state: State, questions: Questions, decision: Decision) -> str:
    """A journey that applies but needs one that does not: an answer is probably wrong;
    the answers it rests on, each with a button to change it."""
    lang = state.lang
    titles = {j.id: j.title for j in decision.journeys}
    out = []
    for c in decision.conflicts:
        said = t(
            "Check your answers: {journey} needs {needs}, which does not apply to this "
            "product as described.",
            lang,
            journey=tx(titles.get(c.journey, c.journey), lang),
            needs=tx(titles.get(c.needs, c.needs), lang),
        )
        answers = "".join(
            f"<li>{tx(questions.question(f).question(lang), lang)} "
            f"<strong>{tx(questions.show(f, v, lang), lang)}</strong> "
            f'<button class="link" name="change" value="{escape(f)}">{t("Change", lang)}'
            "</button></li>"
            for f, v in c.answers.items()
            if f in FIELDS
        )
        out.append(
            f'<div class="error" role="note"><p>{said} {tx(c.reason, lang)}</p>'
            f'<form method="post" action="/ask">{state.hidden()}'
            f'<input type="hidden" name="action" value="change"><ul>{answers}</ul></form></div>'
        )
    return "\n".join(out)


def decision_page(
    state: State,
    questions: Questions,
    ruleset: RuleSet,
    decision: Decision,
    plan: Plan,
    variants: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """The decision and the plan, with the answers to download; readable without script.

    ``variants`` titles each journey's variants, by journey and variant id, in the page's
    language (without it a variant is named by its id)."""
    variants = variants or {}
    lang = state.lang
    c = _colon(lang)
    applies = [j for j in decision.journeys if j.status == "applies"]
    unsure = [j for j in decision.journeys if j.status == "undetermined"]
    others = [j for j in decision.journeys if j.status == "not_applicable"]
    parts = [
        f"<h1>{t('Decision for', lang)} {escape(decision.profile_id)}"
        + (f" ({escape(state.name)})" if state.name else "")
        + "</h1>",
        f'<p class="sofar">{t("Rules", lang)}{c} {escape(ruleset.name)} '
        f"{escape(ruleset.version)} ({escape(ruleset.hash[:19])}…)</p>",
        _summary(applies, unsure, lang),
        _conflicts(state, questions, decision),
        f'<h2 id="applies">{t("What applies", lang)}</h2>',
    ]
    if applies:
        parts += [_journey(j, lang, variants) for j in applies]
    else:
        parts.append(f"<p>{t('No journey applies to this product as described.', lang)}</p>")
    if unsure:
        parts.append(f'<h2 id="undetermined">{t("Still undetermined", lang)}</h2>')
        parts.append(
            f'<form method="post" action="/ask">{state.hidden()}'
            '<input type="hidden" name="action" value="change">'
        )
        for j in unsure:
            parts.append(_journey(j, lang, variants))
            if j.missing:
                parts.append(f"<p>{t('It depends on', lang)}{c}</p><ul>")
                parts += [
                    f"<li>{tx(questions.question(f).question(lang), lang)} "
                    f'<button class="link" name="change" value="{escape(f)}">'
                    f"{t('Answer this', lang)}</button></li>"
                    for f in j.missing
                    if f in FIELDS
                ]
                parts.append("</ul>")
        parts.append("</form>")
    if others:
        names = ", ".join(tx(j.title, lang) for j in others)
        parts.append(f"<h2>{t('Does not apply', lang)}</h2><p>{names}</p>")
    parts += [
        f'<h2 id="plan">{t("The plan", lang)}</h2>',
        f"<p>{t('One to-do list across the journeys, in the order to follow.', lang)}</p>",
        _plan(plan, lang),
        f'<h2 id="keep">{t("Keep your answers", lang)}</h2>',
        f"<p>{t(KEEP, lang)}</p>",
        f'<form class="keep" method="post" action="/profile.yaml">{state.hidden()}'
        f'<div class="actions"><button class="primary" id="download">'
        f"{t('Download the profile (YAML)', lang)}</button></div></form>",
        f'<form method="post" action="/ask">{state.hidden()}<div class="actions">'
        f'<button name="action" value="back">{t("Back", lang)}</button>'
        f'<button name="action" value="review">{t("Review my answers", lang)}</button>'
        f'</div></form><p><a href="/?lang={lang}">{t("Start again", lang)}</a></p>',
    ]
    return page(f"{t('Decision for', lang)} {decision.profile_id}", "\n".join(parts), lang)


def error_page(lang: Lang, message: str) -> str:
    """A page whose form could not be read (edited by hand, say): the message, a way out."""
    body = (
        f"<h1>{t('The page could not be read', lang)}</h1>"
        f'<pre class="error">{escape(message)}</pre>'
        f'<p><a href="/?lang={lang}">{t("Start again from the first page.", lang)}</a></p>'
    )
    return page(t("The page could not be read", lang), body, lang)
