"""The profile's fields as the people who fill profiles in need them: what ``eligibility
fields`` lists, ``docs/profile.md`` documents and ``docs/profile.schema.json`` checks.

A field's type and allowed values come from the profile model, its question, help line and
answer labels from ``rules/questions.yaml`` (English and French), and the journeys that read
it from the rules (directly or through a derived fact).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import orjson

from eligibility.errors import UsageError
from eligibility.i18n.messages import Message, localized
from eligibility.profile.model import FIELDS, Profile
from eligibility.profile.problems import PROFILE_DOC
from eligibility.questionnaire.questions import LANGS, Lang, Questions, load_questions
from eligibility.rules.loader import RuleSet, journey_rules, load_ruleset
from eligibility.rules.logic import atoms

FieldType = Literal["string", "boolean", "enum", "list", "integer"]

SCHEMA_FILE = "profile.schema.json"

#: The two fields no question asks: they name the product rather than describe it.
_NAMING = {
    "id": Message(
        "The product's stable identifier in a portfolio: letters, digits, '.', '_', '-'."
    ),
    "name": Message("The product's commercial name."),
}


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One allowed value of a field and its label in the questionnaire."""

    value: Any
    label: str | None


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One profile field: its type, allowed values, question and the journeys reading it.

    ``values`` lists the members of an enum or list field and the numbers of an integer
    one (empty for booleans and text); ``question`` and ``help`` are None for ``id`` and
    ``name``, which ``help`` describes instead.
    """

    name: str
    type: FieldType
    required: bool
    values: list[FieldValue]
    group: str
    question: str | None
    help: str
    read_by: list[str]


@dataclass(frozen=True, slots=True)
class FieldList:
    """Every profile field, in questionnaire order after ``id`` and ``name``."""

    lang: str
    fields: list[FieldDoc]

    def to_json(self) -> bytes:
        """The list as indented JSON (field names and values never translated)."""
        return orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2)


_TYPES: dict[str, FieldType] = {
    "bool": "boolean",
    "enum": "enum",
    "list": "list",
    "int": "integer",
}


def field_readers(ruleset: RuleSet) -> dict[str, list[str]]:
    """Each profile field -> the journeys whose outcomes read it, in catalogue order."""
    out: dict[str, list[str]] = {name: [] for name in Profile.model_fields}
    for journey in ruleset.journeys:
        read: set[str] = set()
        for rid in journey_rules(ruleset, journey.id):
            formulas = [ruleset.formulas[rid]]
            if rid in ruleset.guards:
                formulas.append(ruleset.guards[rid])
            read |= {a.field for f in formulas for a in atoms(f) if a.kind == "field"}
        for name in sorted(read):
            out[name].append(journey.id)
    return out


def profile_fields(ruleset: RuleSet, questions: Questions, lang: str = "en") -> FieldList:
    """Describe every profile field in ``lang``: type, values, question, readers.

    Raises:
        UsageError: a language the questions are not written in.
    """
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return _profile_fields(ruleset, questions, "fr" if lang == "fr" else "en")


def list_fields(rules_dir: str | Path | None = None, lang: str = "en") -> FieldList:
    """The profile's fields in ``lang``, with the questions and rules of ``rules_dir``
    (default: the shipped rules).

    Raises:
        RuleFileError: the rules or their questions are invalid.
        UsageError: a language the questions are not written in.
    """
    ruleset = load_ruleset(rules_dir)
    return profile_fields(ruleset, load_questions(rules_dir), lang)


def _profile_fields(ruleset: RuleSet, questions: Questions, lang: Lang) -> FieldList:
    readers = field_readers(ruleset)
    fields = [
        FieldDoc(
            name=name,
            type="string",
            required=Profile.model_fields[name].is_required(),
            values=[],
            group=localized(Message("Identification"), lang),
            question=None,
            help=localized(_NAMING[name], lang),
            read_by=[],
        )
        for name in _NAMING
    ]
    for name in questions.order:
        spec = FIELDS[name]
        q = questions.question(name)
        values = (
            [FieldValue(v, label) for v, label in questions.choices(name, lang)]
            if spec.kind in ("enum", "list")
            else [FieldValue(v, None) for v in spec.values if spec.kind == "int"]
        )
        fields.append(
            FieldDoc(
                name=name,
                type=_TYPES[spec.kind],
                required=False,
                values=values,
                group=questions.group_of(name).title(lang),
                question=q.question(lang),
                help=q.help(lang),
                read_by=readers[name],
            )
        )
    return FieldList(lang=lang, fields=fields)


def _refs(node: Any) -> list[str]:
    """The names of the definitions (``$defs``) a part of the schema refers to."""
    if isinstance(node, dict):
        found = [node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def profile_schema(questions: Questions) -> dict[str, Any]:
    """The JSON Schema of a profile file (YAML or JSON), from the model, with each field's
    question and help line as its description.

    Every description is the questions' wording: the type of an enum field's values (a
    definition under ``$defs``) is described by the field's question and its values'
    labels, not by the model's docstring, which would keep an older wording of it.
    """
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Profile"
    schema["description"] = (
        "One software product, as `eligibility evaluate`, `plan` and `batch` read it. "
        "A field left out or null is unknown. Every field: " + PROFILE_DOC + "."
    )
    for name, prop in schema["properties"].items():
        if name in _NAMING:
            prop["description"] = str(_NAMING[name])
        else:
            q = questions.question(name)
            prop["description"] = f"{q.question.en} {q.help.en}"
            for definition in _refs(prop):  # an enum field's values
                labels = "; ".join(f"{v} = {label}" for v, label in questions.choices(name, "en"))
                schema["$defs"][definition]["description"] = f"{q.question.en} Values: {labels}."
    return schema


def profile_schema_text(questions: Questions) -> str:
    """The schema as stable, indented text (what ``docs/profile.schema.json`` holds)."""
    text = json.dumps(profile_schema(questions), indent=2, sort_keys=True, ensure_ascii=False)
    return text + "\n"
