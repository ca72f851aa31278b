"""The profile contract lives in the repo: docs/profile.md and docs/profile.schema.json are
generated from the model, the questions and the rules, and keep the contract's fields."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from eligibility.profile.model import FIELDS, Profile
from eligibility.profile.yamlio import load_yaml
from eligibility.questionnaire.fields import FieldList, profile_fields, profile_schema
from eligibility.questionnaire.questions import Questions, Text, load_questions
from eligibility.rules.loader import RuleSet
from eligibility.tooling.docs import render_docs
from tests.conftest import INVALID, PROFILES, ROOT

DOCS = ROOT / "docs"

#: The contract's fields (profile contract v1), with their type and allowed values, in
#: contract order. They are fixed: the model may add fields after them, never rename or
#: re-type one.
CONTRACT: dict[str, tuple[str, list[Any]]] = {
    "id": ("string", []),
    "name": ("string", []),
    "categories": (
        "list",
        [
            "DPI",
            "GAP_GAM",
            "LGC",
            "LGO",
            "LAP",
            "SGL",
            "RIS",
            "PACS",
            "DUI",
            "EAI_PFI",
            "BED_MANAGEMENT",
            "ORIENTATION_TOOL",
            "MSS_CLIENT",
            "TELECONSULTATION",
            "DMN",
            "PATIENT_APP",
            "APPOINTMENT",
            "OTHER",
        ],
    ),
    "end_users": ("list", ["health_professionals", "establishment_staff", "patients"]),
    "processes_health_data": ("boolean", []),
    "is_identity_repository": ("boolean", []),
    "receives_ins_data_from": ("list", ["own_domain", "other_domains"]),
    "storage_role": ("enum", ["none", "operational", "archive"]),
    "ror_roles": ("list", ["consumer", "supplier"]),
    "ror_circle_of_trust": ("enum", ["not_applied", "applied", "accepted"]),
    "ror_access_profile": ("integer", [0, 1, 2, 3, 4, 5]),
    "ror_supplier_type": ("enum", ["regional_eai", "saas", "proprietary"]),
    "targets_mes_catalog": ("boolean", []),
    "mes_data_exchange": ("boolean", []),
    "mes_purposes": ("list", ["prevention", "diagnosis", "care", "social_followup", "wellbeing"]),
    "has_read_doctrine": ("boolean", []),
    "has_ans_membership_contract": ("boolean", []),
    "has_legal_rep_card": ("boolean", []),
    "has_cpa_cards": ("boolean", []),
    "has_technical_admins": ("boolean", []),
    "has_test_cards_or_certificates": ("boolean", []),
    "has_sesam_vitale_industrial_account": ("boolean", []),
    "has_cnda_contract": ("boolean", []),
}

TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false",
    "enum": "one value",
    "list": "list of values",
    "integer": "integer from 0 to 5",
}


@pytest.fixture(scope="module")
def questions() -> Questions:
    return load_questions()


@pytest.fixture(scope="module")
def fields(ruleset: RuleSet, questions: Questions) -> FieldList:
    return profile_fields(ruleset, questions)


@pytest.fixture(scope="module")
def schema(questions: Questions) -> dict[str, Any]:
    return profile_schema(questions)


def test_the_model_keeps_the_contract_fields_first_and_in_order() -> None:
    """New fields are appended after the contract's; none is renamed or moved."""
    assert list(Profile.model_fields)[: len(CONTRACT)] == list(CONTRACT)


def test_every_contract_field_keeps_its_type_and_values(fields: FieldList) -> None:
    """The field list (what the page and `eligibility fields` show) matches the contract."""
    listed = {f.name: (f.type, [v.value for v in f.values]) for f in fields.fields}
    assert {name: listed[name] for name in CONTRACT} == CONTRACT


def test_the_page_documents_every_contract_field_with_its_type_and_values() -> None:
    """docs/profile.md has a row per contract field giving its type and each allowed value."""
    page = (DOCS / "profile.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[0][3:-1]: line for line in page.splitlines() if line[:3] == "| `"}
    for name, (kind, values) in CONTRACT.items():
        assert name in rows, name
        words = TYPE_WORDS[kind] + (", required" if name == "id" else "")
        assert f"| `{name}` | {words} |" in rows[name]
        if kind != "integer":
            assert [v for v in values if f"`{v}`" not in rows[name]] == [], name


def test_every_model_field_is_listed_once(fields: FieldList) -> None:
    """Nothing is left out of the list, and nothing is listed twice."""
    assert sorted(f.name for f in fields.fields) == sorted(Profile.model_fields)


def test_the_journeys_reading_a_field_include_those_reading_it_through_a_fact(
    fields: FieldList,
) -> None:
    """Pro Santé Connect reads the Ségur wave through the derived fact segur.edc-psc."""
    read_by = {f.name: f.read_by for f in fields.fields}
    assert read_by["is_identity_repository"] == ["ins"]
    assert read_by["ror_circle_of_trust"] == ["ror-supplier", "ror-consumer"]
    assert "pro-sante-connect" in read_by["segur_vague"]


def test_each_field_carries_its_question_in_the_asked_language(
    ruleset: RuleSet, questions: Questions
) -> None:
    """The French list has the French question, help and answer labels; ids never change."""
    english = profile_fields(ruleset, questions, "en").fields
    french = profile_fields(ruleset, questions, "fr").fields
    assert [f.name for f in english] == [f.name for f in french]
    storage = next(f for f in french if f.name == "storage_role")
    assert storage.question == questions.question("storage_role").question("fr")
    assert [v.value for v in storage.values] == ["none", "operational", "archive"]
    assert storage.values[0].label == "N'en conserve aucune (passerelle, visionneuse)"


@pytest.mark.parametrize("name", ["profile.md", "profile.schema.json"])
def test_the_checked_in_contract_files_are_up_to_date(ruleset: RuleSet, name: str) -> None:
    """docs/profile.md and docs/profile.schema.json are what the model, the questions and
    the rules give: run `make docs` after changing any of them."""
    text = (DOCS / name).read_text(encoding="utf-8")
    assert text == render_docs(ruleset)[name], f"docs/{name} is stale: run `make docs`"


def test_the_schema_is_a_valid_json_schema(schema: dict[str, Any]) -> None:
    """Draft 2020-12, every field described, unknown fields refused, id required."""
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["id"]
    assert all(p.get("description") for p in schema["properties"].values())


def _marked(questions: Questions) -> Questions:
    """The questions with each text replaced by a marker naming its field (and value)."""

    def mark(text: str) -> Text:
        return Text(en=text, fr=text)

    marked = {
        name: q.model_copy(
            update={
                "question": mark(f"<Q {name}>"),
                "help": mark(f"<H {name}>"),
                "answers": {v: mark(f"<A {name}={v}>") for v in q.answers or {}} or None,
            }
        )
        for name, q in questions.data.questions.items()
    }
    return Questions(questions.data.model_copy(update={"questions": marked}), "marked.yaml")


def test_every_description_in_the_schema_is_the_questions_current_wording(
    questions: Questions,
) -> None:
    """A field's description, and its type's (the values an enum field takes), come from
    questions.yaml alone: a reworded question reaches the schema (and the up-to-date check
    fails until `make docs`); no other wording of it, such as a model docstring, is left."""
    schema = profile_schema(_marked(questions))
    for name, prop in schema["properties"].items():
        if name not in ("id", "name"):
            assert prop["description"] == f"<Q {name}> <H {name}>"
    typed = {
        ref.rsplit("/", 1)[1]: name
        for name, prop in schema["properties"].items()
        for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(prop))
    }
    assert sorted(typed) == sorted(schema["$defs"])
    for type_name, definition in schema["$defs"].items():
        name = typed[type_name]
        labels = "; ".join(f"{v} = <A {name}={v}>" for v in definition["enum"])
        assert definition["description"] == f"<Q {name}> Values: {labels}.", type_name


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_schema_accepts_every_shipped_profile(schema: dict[str, Any], path: Path) -> None:
    """What the reader accepts, the schema accepts."""
    jsonschema.validate(load_yaml(path.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize(
    "name", ["bad-enum", "missing-id", "not-a-mapping", "unknown-field", "wrong-type"]
)
def test_the_schema_refuses_what_the_reader_refuses(schema: dict[str, Any], name: str) -> None:
    """An unknown field, a value outside an enum, a wrong type, no id: refused by both."""
    path = next(p for p in INVALID if p.stem == name)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(load_yaml(path.read_text(encoding="utf-8")), schema)


def test_the_schema_bounds_the_access_profile_and_checks_list_items(
    schema: dict[str, Any],
) -> None:
    """ror_access_profile is 0 to 5; each list item is an allowed value."""
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"id": "p", "ror_access_profile": 5, "ror_roles": ["consumer"]})
    assert not validator.is_valid({"id": "p", "ror_access_profile": 6})
    assert not validator.is_valid({"id": "p", "ror_roles": ["reader"]})
    assert validator.is_valid({"id": "p", "storage_role": None})


def test_the_contract_files_name_no_file_outside_the_repo() -> None:
    """The pages and messages point to docs/profile.md, not to a spec users do not have."""
    for path in [
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "docs").glob("*.md"),
        ROOT / "README.md",
    ]:
        assert "spec/profile.md" not in path.read_text(encoding="utf-8"), path


def test_the_field_catalogue_and_the_list_agree(fields: FieldList) -> None:
    """The rules' field catalogue (kinds, values) is what the list shows."""
    for f in fields.fields:
        if f.name in FIELDS:
            assert [v.value for v in f.values] == (
                list(FIELDS[f.name].values) if f.type != "boolean" else []
            )


def test_the_schema_file_is_plain_json() -> None:
    """The checked-in schema parses as JSON (editors read it as such)."""
    assert json.loads((DOCS / "profile.schema.json").read_text(encoding="utf-8"))["title"] == (
        "Profile"
    )
