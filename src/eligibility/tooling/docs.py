"""``rules docs``: the catalogue as Markdown, with a Mermaid diagram per journey, and the
profile's fields (``docs/profile.md``, ``docs/profile.schema.json``, from
:mod:`eligibility.questionnaire.fields`).

The catalogue, ``docs/catalogue.md``: per journey its description, actors, sources, variants
and prerequisites; a diagram of what decides its status, variant, prerequisites and steps
(profile fields and derived facts, into rules, into outcomes); its steps in guided-tour
order; and every rule with its condition in words, its conclusion, source and confidence.
The pages are pure functions of the rule set (no date, no path), so a test can tell when
a checked-in copy is stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from eligibility.i18n.messages import Message, localized, say
from eligibility.i18n.translation import Translation
from eligibility.i18n.words import colon, tr
from eligibility.questionnaire.fields import SCHEMA_FILE, profile_fields, profile_schema_text
from eligibility.questionnaire.questions import load_questions
from eligibility.render.fields import render_profile_page
from eligibility.rules.loader import RuleSet, journey_rules
from eligibility.rules.model import (
    AllOf,
    AnyOf,
    Condition,
    FactTest,
    FieldTest,
    Journey,
    NotOf,
    Rule,
    Source,
)

CATALOGUE_FILE = "catalogue.md"


def catalogue_file(lang: str = "en") -> str:
    """The page's file name in a language: ``catalogue.md``, ``catalogue.fr.md``."""
    return CATALOGUE_FILE if lang == "en" else f"catalogue.{lang}.md"


def _value(v: object) -> str:
    if isinstance(v, bool):
        return Message("true") if v else Message("false")
    return f"`{v}`"


def _values(values: list[object]) -> str:
    return ", ".join(_value(a) for a in values)


def condition_words(cond: Condition | None, lang: str = "en") -> str:
    """A condition as a sentence fragment: ``processes_health_data is true and ...``."""
    return localized(_condition(cond, lang), lang)


def _condition(cond: Condition | None, lang: str) -> str:
    if cond is None:
        return tr("always", lang)
    if isinstance(cond, FieldTest):
        name, op, arg = f"`{cond.field}`", cond.operator, cond.operand
        if op == "is":
            return Message("{field} is {value}", field=name, value=_value(arg))
        if op == "in":
            return Message("{field} is one of {values}", field=name, values=_values(arg))
        if op == "contains":
            return Message("{field} contains {value}", field=name, value=_value(arg))
        if op == "contains_any":
            return Message("{field} contains any of {values}", field=name, values=_values(arg))
        if op == "is_empty":
            if arg:
                return Message("{field} is empty", field=name)
            return Message("{field} is not empty", field=name)
        if op == "gte":
            return Message("{field} is at least {value}", field=name, value=arg)
        return Message("{field} is at most {value}", field=name, value=arg)
    if isinstance(cond, FactTest):
        if cond.is_:
            return Message("fact {fact} holds", fact=f"`{cond.fact}`")
        return Message("fact {fact} does not hold", fact=f"`{cond.fact}`")
    if isinstance(cond, NotOf):
        return Message("not ({condition})", condition=_condition(cond.not_, lang))
    parts = cond.all if isinstance(cond, AllOf) else cond.any
    joiner = f" **{tr('and', lang) if isinstance(cond, AllOf) else tr('or', lang)}** "
    words = [localized(_condition(c, lang), lang) for c in parts]
    return joiner.join(
        f"({w})" if isinstance(c, AllOf | AnyOf) else w for w, c in zip(words, parts, strict=True)
    )


def conclusion_words(rule: Rule, lang: str = "en", translation: Translation | None = None) -> str:
    """What a rule concludes, in words (its advice translated by ``translation``)."""
    t = rule.then
    if t.fact:
        return say("fact {fact} holds", lang, fact=f"`{t.fact}`")
    parts: list[str] = []
    if t.journey:
        if t.status:
            parts.append(f"{t.journey} → {t.status}")
        if t.variant:
            parts.append(
                say("{journey} variant → {variant}", lang, journey=t.journey, variant=t.variant)
            )
        if t.operations is not None:
            operations = ", ".join(t.operations)
            parts.append(
                say(
                    "{journey} operations → {operations}",
                    lang,
                    journey=t.journey,
                    operations=operations,
                )
            )
    elif t.prerequisite:
        parts.append(f"{t.prerequisite} → {tr('met', lang) if t.met else tr('not met', lang)}")
    elif t.status:
        parts += [f"{step} → {t.status}" for step in t.steps]
    if t.advice:
        advice = translation.text(t.advice) if translation is not None else t.advice
        steps = ", ".join(f"`{s}`" for s in t.steps)
        parts.append(say("advice on {steps}: “{advice}”", lang, steps=steps, advice=advice.strip()))
    return "; ".join(parts)


def _source(s: Source, text: Callable[[str], str] = str) -> str:
    ref = f"<{s.ref}>" if s.ref.startswith("http") else s.ref
    note = f"; {text(s.note)}" if s.note else ""
    return f"{ref} ({s.confidence.value}{note})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _node(prefix: str, key: str) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9]", "_", key)


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def mermaid(ruleset: RuleSet, journey: Journey, translation: Translation | None = None) -> str:
    """A flowchart of what decides a journey: fields and facts → rules → outcomes.

    With a ``translation``, titles and the chart's words are in its language (ids and
    statuses stay as written).
    """
    text = translation.text if translation is not None else str
    lang = translation.lang if translation is not None else "en"
    lines = ["flowchart LR"]
    declared: set[str] = set()

    def node(name: str, shape: str) -> str:
        if name not in declared:
            declared.add(name)
            lines.append(f"  {name}{shape}")
        return name

    step_title = {s.id: text(s.title) for s in journey.steps}
    for rid in journey_rules(ruleset, journey.id):
        rule = ruleset.rule_by_id[rid]
        r = node(_node("r_", rid), f"[{_label(rid)}]")
        for name in ruleset.fields_of(rid):
            lines.append(f"  {node(_node('f_', name), f'([{_label(name)}])')} --> {r}")
        for fact in ruleset.facts_of(rid):
            lines.append(f"  {node(_node('k_', fact), '{{' + _label(fact) + '}}')} --> {r}")
        t = rule.then
        if t.fact:
            lines.append(f"  {r} --> {node(_node('k_', t.fact), '{{' + _label(t.fact) + '}}')}")
        elif t.journey:
            if t.status:
                j = node(_node("j_", t.journey), f"[[{_label(text(journey.title))}]]")
                lines.append(f"  {r} -->|{t.status}| {j}")
            if t.variant:
                variant = f"{tr('variant', lang)} {t.variant}"
                v = node(_node("v_", t.variant), f"[/{_label(variant)}/]")
                lines.append(f"  {r} --> {v}")
        elif t.prerequisite:
            p = node(_node("p_", t.prerequisite), f"[/{_label(t.prerequisite)}/]")
            lines.append(f"  {r} -->|{tr('met', lang) if t.met else tr('not met', lang)}| {p}")
        for step in t.steps:
            s = node(_node("s_", step), f"[{_label(step_title[step])}]")
            lines.append(f"  {r} -->|{t.status or tr('advice', lang)}| {s}")
    return "\n".join(lines)


def render_catalogue(ruleset: RuleSet, translation: Translation | None = None) -> str:
    """The catalogue page (Markdown with Mermaid blocks).

    With a ``translation``, the catalogue's and rules' texts and the page's own words are
    in its language; ids, statuses, field names and sources stay as written.
    """
    text = translation.text if translation is not None else str
    lang = translation.lang if translation is not None else "en"
    c = colon(lang)
    out = [
        f"# {tr('Rules catalogue', lang)}{c} {ruleset.name} {ruleset.version}",
        "",
        "<!-- "
        + say(
            "Generated by {command} (make docs) from rules/: do not edit.",
            lang,
            command=(
                "`eligibility rules docs`"
                if lang == "en"
                else f"`eligibility rules docs --lang {lang}`"
            ),
        )
        + " -->",
        "",
        say(
            "Rules hash: {hash}. {journeys} journeys, {rules} rules. For every outcome the "
            "first rule (in the order below) whose condition holds wins; when none holds, a "
            "journey does not apply, a step is to do (or optional), a prerequisite is not "
            "met. An unknown answer leaves what depends on it undetermined.",
            lang,
            hash=f"`{ruleset.hash}`",
            journeys=len(ruleset.journeys),
            rules=len(ruleset.rules),
        ),
        "",
    ]
    out += [f"- [{text(j.title)}](#{j.id})" for j in ruleset.journeys]
    for j in ruleset.journeys:
        out += [
            "",
            f'<a id="{j.id}"></a>',
            "",
            f"## {text(j.title)} (`{j.id}`)",
            "",
            text(j.description),
            "",
            f"**{tr('Actors', lang)}{c}** {', '.join(j.actors)}",
            "",
            f"**{tr('Sources', lang)}{c}**",
            "",
        ]
        out += [f"- {_source(s, text)}" for s in j.sources]
        if j.variants:
            variants = "; ".join(f"`{v.id}`{c} {text(v.title)}" for v in j.variants)
            out += ["", f"**{tr('Variants', lang)}{c}** {variants}"]
        if j.prerequisites:
            prerequisites = "; ".join(
                f"`{p.id}`{c} {text(p.title)}"
                + (f" ({tr('awaited after', lang)} `{p.obtained_by}`)" if p.obtained_by else "")
                for p in j.prerequisites
            )
            out += ["", f"**{tr('Prerequisites', lang)}{c}** {prerequisites}"]
        head = " | ".join((tr("step", lang), tr("actors", lang), tr("sources", lang)))
        out += [
            "",
            f"### {tr('What decides it', lang)}",
            "",
            "```mermaid",
            mermaid(ruleset, j, translation),
            "```",
            "",
            f"### {tr('Steps', lang)}",
            "",
            f"| # | {head} |",
            "|---|---|---|---|",
        ]
        for n, s in enumerate(j.steps, start=1):
            optional = f" *({tr('optional', lang)})*" if s.optional else ""
            sources = "<br>".join(_source(src, text) for src in s.sources)
            out.append(
                f"| {n} | **{text(s.title)}**{optional} (`{s.id}`){c} {text(s.description)} | "
                f"{', '.join(s.actors)} | {sources} |"
            )
        out += ["", f"### {tr('Rules', lang)}"]
        for rid in journey_rules(ruleset, j.id):
            rule = ruleset.rule_by_id[rid]
            source = _source(Source(ref=rule.source, confidence=rule.confidence))
            where = say("(in {file})", lang, file=f"`{ruleset.rule_files[rid]}`")
            out += [
                "",
                f"#### `{rid}`",
                "",
                text(rule.text).strip(),
                "",
                f"- **{tr('When', lang)}{c}** {condition_words(rule.when, lang)}",
                f"- **{tr('Then', lang)}{c}** {conclusion_words(rule, lang, translation)}",
                f"- **{tr('Source', lang)}{c}** {source} {where}",
            ]
            if rule.note:
                out.append(f"- **{tr('Note', lang)}{c}** {text(rule.note).strip()}")
            if rule.precedence:
                over = ", ".join(f"`{o}`" for o in rule.precedence.over)
                why = text(rule.precedence.why).strip()
                out.append(f"- **{tr('Prevails over', lang)}{c}** {over}{c} {why}")
    return "\n".join(out) + "\n"


def profile_file(lang: str = "en") -> str:
    """The profile page's file name in a language: ``profile.md``, ``profile.fr.md``."""
    return "profile.md" if lang == "en" else f"profile.{lang}.md"


def render_docs(ruleset: RuleSet, translation: Translation | None = None) -> dict[str, str]:
    """Every generated documentation file, by name (in the translation's language): the
    catalogue, the profile's fields and, in English, the JSON Schema of profile files.

    Raises:
        RuleFileError: the rules' ``questions.yaml`` is invalid.
    """
    lang = translation.lang if translation is not None else "en"
    questions = load_questions(ruleset.root or None)
    files = {
        catalogue_file(lang): render_catalogue(ruleset, translation),
        profile_file(lang): render_profile_page(profile_fields(ruleset, questions, lang)),
    }
    if lang == "en":
        files[SCHEMA_FILE] = profile_schema_text(questions)
    return files


def stale_docs(
    ruleset: RuleSet, directory: str | Path, translation: Translation | None = None
) -> list[str]:
    """The generated files missing from ``directory`` or differing from what the rules give."""
    root = Path(directory)
    out = []
    for name, text in render_docs(ruleset, translation).items():
        path = root / name
        # errors="replace": a file that is not UTF-8 is stale too, not a crash.
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
            out.append(str(path))
    return out


def write_docs(
    ruleset: RuleSet, directory: str | Path, translation: Translation | None = None
) -> list[str]:
    """Write the generated files into ``directory``; return their paths."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_docs(ruleset, translation).items():
        (root / name).write_text(text, encoding="utf-8")
        written.append(str(root / name))
    return written
