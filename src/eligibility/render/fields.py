"""The profile's fields (:class:`~eligibility.questionnaire.fields.FieldList`) as text, JSON and the
Markdown page ``docs/profile.md``."""

from __future__ import annotations

from itertools import groupby
from textwrap import wrap
from typing import Protocol

from eligibility.i18n.messages import say
from eligibility.i18n.words import colon, tr
from eligibility.profile.problems import PROFILE_DOC
from eligibility.questionnaire.fields import SCHEMA_FILE, FieldDoc, FieldList

WIDTH = 100


class FieldsRenderer(Protocol):
    """Renders the field list (its texts are already in the list's language)."""

    def __call__(self, fields: FieldList) -> str: ...


def type_words(f: FieldDoc, lang: str) -> str:
    """``true or false``, ``one value``, ``integer from 0 to 5``, ..."""
    if f.type == "string":
        return tr("text, required", lang) if f.required else tr("text", lang)
    if f.type == "integer":
        lo, hi = f.values[0].value, f.values[-1].value
        return say("integer from {lo} to {hi}", lang, lo=lo, hi=hi)
    if f.type == "boolean":
        return tr("true or false", lang)
    return tr("one value", lang) if f.type == "enum" else tr("list of values", lang)


def _wrapped(text: str, indent: str) -> list[str]:
    return wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def render_fields_text(fields: FieldList) -> str:
    """For a terminal: the fields by group, each with its type, question and values."""
    lang, c = fields.lang, colon(fields.lang)
    out = [
        say(
            "Profile fields ({count}). A field left out or null is unknown. Details: {doc}",
            lang,
            count=len(fields.fields),
            doc=PROFILE_DOC,
        )
    ]
    for group, members in groupby(fields.fields, key=lambda f: f.group):
        out += ["", group]
        for f in members:
            out.append(f"  {f.name}  {type_words(f, lang)}")
            if f.question:
                out += _wrapped(f.question, "      ")
            out += _wrapped(f.help, "      ")
            labelled = [v for v in f.values if v.label]
            width = max((len(str(v.value)) for v in labelled), default=0)
            out += [f"        {v.value!s:<{width}}  {v.label}" for v in labelled]
            if f.name not in ("id", "name"):
                readers = ", ".join(f.read_by) or tr("no journey yet", lang)
                out += _wrapped(f"{tr('read by', lang)}{c} {readers}", "      ")
    return "\n".join(out) + "\n"


def render_fields_json(fields: FieldList) -> str:
    """Indented JSON: the language and every field (names and values never translated)."""
    return fields.to_json().decode() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _values_cell(f: FieldDoc, lang: str) -> str:
    if f.type == "boolean":
        return "`true`, `false`"
    if f.type == "integer":
        return f"`{f.values[0].value}` … `{f.values[-1].value}`"
    empty = [f"`[]`{colon(lang)} {tr('none', lang)}"] if f.type == "list" else []
    return "<br>".join(
        [f"`{v.value}`{colon(lang)} {_cell(v.label or '')}" for v in f.values] + empty
    )


def render_profile_page(fields: FieldList) -> str:
    """The Markdown page of the profile's fields (``docs/profile.md``)."""
    lang = fields.lang
    out = [
        f"# {tr('Profile fields', lang)}",
        "",
        say(
            "A *profile* describes one software product: a YAML or JSON file (`eligibility "
            "evaluate`, `plan`, `explain`), one row or record of a portfolio (`eligibility "
            "batch`), or the answers to `eligibility ask`. This page is generated from the "
            "profile model, `rules/questions.yaml` and the rules by `eligibility rules docs`; "
            "`eligibility fields` prints the same list.",
            lang,
        ),
        "",
        "- "
        + say(
            "A field left out or `null` is **unknown**: whatever depends on it is "
            "`undetermined` and the field is listed in `missing`; it is never read as false.",
            lang,
        ),
        "- "
        + say(
            "An unknown field name, a wrong type or a value that is not allowed is an error "
            "naming the field (and the row, in a portfolio); a misspelt name gets the "
            "closest field suggested.",
            lang,
        ),
        "- "
        + say(
            "In a CSV portfolio, a list holds its values separated by `;` "
            "(`own_domain;other_domains`) and `[]` is an explicit empty list; booleans are "
            "`true`/`false` (also `yes`/`no`, `1`/`0`); an empty cell is unknown.",
            lang,
        ),
        "- "
        + say(
            "`{schema}` is the JSON Schema of a profile file: an editor with the YAML "
            "language server checks and completes a profile that starts with "
            "`# yaml-language-server: $schema=<path to>/docs/{schema}`.",
            lang,
            schema=SCHEMA_FILE,
        ),
        "- " + say("Example profiles: `fixtures/profiles/`.", lang),
    ]
    head = " | ".join(
        (
            tr("field", lang),
            tr("type", lang),
            tr("allowed values", lang),
            tr("question", lang),
            tr("read by", lang),
        )
    )
    for group, members in groupby(fields.fields, key=lambda f: f.group):
        out += ["", f"## {group}", "", f"| {head} |", "|---|---|---|---|---|"]
        for f in members:
            asked = f"{_cell(f.question)}<br>*{_cell(f.help)}*" if f.question else _cell(f.help)
            readers = ", ".join(f"`{j}`" for j in f.read_by)
            if not readers and f.question:
                readers = tr("no journey yet", lang)
            out.append(
                f"| `{f.name}` | {type_words(f, lang)} | {_values_cell(f, lang)} | {asked} "
                f"| {readers} |"
            )
    return "\n".join(out) + "\n"


FIELDS_RENDERERS: dict[str, FieldsRenderer] = {
    "text": render_fields_text,
    "json": render_fields_json,
    "markdown": render_profile_page,
}
