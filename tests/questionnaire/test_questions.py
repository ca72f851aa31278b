"""The questions file and the reading of typed answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from eligibility.errors import RuleFileError
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import (
    LANGS,
    AnswerError,
    Questions,
    command_of,
    load_questions,
)
from tests.conftest import RULES


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


def _rules_with(tmp_path: Path, edit: object) -> Path:
    """A copy of the shipped rules whose questions.yaml is changed by ``edit(data)``."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    path = target / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_every_profile_field_has_a_question_in_every_language(questions: Questions) -> None:
    """Each field of the profile model has a question and a help line in English and French."""
    for name in FIELDS:
        q = questions.question(name)
        for lang in LANGS:
            assert q.question(lang).strip()
            assert q.help(lang).strip()


def test_every_choice_has_a_label_in_every_language(questions: Questions) -> None:
    """Each value of an enum or list field has a label in both languages."""
    for name, spec in FIELDS.items():
        if spec.kind in ("enum", "list"):
            for lang in LANGS:
                labels = [label for _, label in questions.choices(name, lang)]
                assert len(labels) == len(spec.values)
                assert all(label.strip() for label in labels)


def test_order_covers_every_field_once(questions: Questions) -> None:
    """The groups list every profile field exactly once."""
    assert sorted(questions.order) == sorted(FIELDS)
    assert len(set(questions.order)) == len(questions.order)


def test_groups_come_in_the_natural_order(questions: Questions) -> None:
    """Product, patient identity and data, ROR, Mon espace santé, administrative state, then
    the extension journeys' groups."""
    groups = [g.id for g in questions.data.groups]
    assert groups == [
        "product",
        "health-data",
        "ror",
        "mes",
        "administrative",
        "professionals-services",
        "programmes-hosting",
        "medical-device",
        "accounts",
    ]


def test_a_field_without_a_question_fails_to_load(tmp_path: Path) -> None:
    """Loading names the profile field that has no question."""
    rules = _rules_with(tmp_path, lambda d: d["questions"].pop("storage_role"))
    with pytest.raises(RuleFileError, match="no question for profile field storage_role"):
        load_questions(rules)


def test_a_missing_translation_fails_to_load(tmp_path: Path) -> None:
    """A question without its French text is an error naming where it is."""
    rules = _rules_with(tmp_path, lambda d: d["questions"]["has_cpa_cards"]["help"].pop("fr"))
    with pytest.raises(RuleFileError, match=r"has_cpa_cards\.help\.fr"):
        load_questions(rules)


def test_a_missing_answer_label_fails_to_load(tmp_path: Path) -> None:
    """An enum value without a label is an error."""
    rules = _rules_with(
        tmp_path, lambda d: d["questions"]["storage_role"]["answers"].pop("archive")
    )
    with pytest.raises(RuleFileError, match="no label for archive"):
        load_questions(rules)


def test_an_unknown_key_fails_to_load(tmp_path: Path) -> None:
    """The questions model forbids keys it does not know (a typo is not ignored)."""
    rules = _rules_with(tmp_path, lambda d: d["questions"]["has_cpa_cards"].update(hint="x"))
    with pytest.raises(RuleFileError, match=r"has_cpa_cards\.hint"):
        load_questions(rules)


def test_a_rules_directory_without_questions_uses_the_shipped_ones(tmp_path: Path) -> None:
    """A custom rules directory may leave the wording to the shipped file."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    (target / "questions.yaml").unlink()
    assert load_questions(target).order == load_questions(RULES).order


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("Y", True), ("oui", True), ("no", False), ("non", False), ("N", False)],
)
def test_yes_no_answers_in_either_language(questions: Questions, text: str, value: bool) -> None:
    """Yes and no are understood in English and French."""
    assert questions.parse("processes_health_data", text, "en") is value


@pytest.mark.parametrize("text", ["?", "dk", "don't know", "Don’t know", "je ne sais pas", "nsp"])
def test_dont_know_is_an_answer_to_every_kind(questions: Questions, text: str) -> None:
    """Every way of saying "I don't know" gives None for every kind of field."""
    for name in ("processes_health_data", "storage_role", "ror_roles", "ror_access_profile"):
        assert questions.parse(name, text, "en") is None


def test_one_choice_by_number_name_or_label(questions: Questions) -> None:
    """A single choice can be typed as its number, its value name or its label."""
    assert questions.parse("storage_role", "3", "en") == "archive"
    assert questions.parse("storage_role", "archive", "en") == "archive"
    assert questions.parse("ror_circle_of_trust", "Acceptée", "fr") == "accepted"


def test_several_choices_as_numbers(questions: Questions) -> None:
    """A list answer is numbers separated by commas (or spaces), in model order."""
    assert questions.parse("mes_purposes", "3,1", "en") == ["prevention", "care"]
    assert questions.parse("mes_purposes", "5 2", "en") == ["diagnosis", "wellbeing"]
    assert questions.parse("ror_roles", "supplier", "en") == ["supplier"]


def test_none_is_the_empty_list(questions: Questions) -> None:
    """``none`` (``aucun``) answers a list question with no member."""
    assert questions.parse("ror_roles", "none", "en") == []
    assert questions.parse("ror_roles", "aucun", "fr") == []


def test_whole_numbers_within_bounds(questions: Questions) -> None:
    """An integer answer must be a whole number within the field's bounds."""
    assert questions.parse("ror_access_profile", "0", "en") == 0
    with pytest.raises(AnswerError, match="9 is not between 0 and 5"):
        questions.parse("ror_access_profile", "9", "en")
    with pytest.raises(AnswerError, match="'two' is not a whole number"):
        questions.parse("ror_access_profile", "two", "en")


def test_a_bad_answer_says_why_and_how_to_answer(questions: Questions) -> None:
    """The message names the problem and the expected form, in the asked language."""
    with pytest.raises(AnswerError, match=r"'maybe' is neither yes nor no.*yes/no"):
        questions.parse("processes_health_data", "maybe", "en")
    with pytest.raises(AnswerError, match="« 7 » ne fait pas partie des choix"):
        questions.parse("ror_roles", "1,7", "fr")
    with pytest.raises(AnswerError, match="no answer given"):
        questions.parse("has_cpa_cards", "  ", "en")


def test_typed_answers_read_back_to_the_same_value(questions: Questions) -> None:
    """What Enter keeps on a re-asked question parses back to the answer it shows."""
    samples = {
        "processes_health_data": False,
        "storage_role": "operational",
        "ror_roles": ["consumer", "supplier"],
        "mes_purposes": [],
        "ror_access_profile": 4,
        "has_cpa_cards": None,
    }
    for lang in LANGS:
        for name, value in samples.items():
            assert questions.parse(name, questions.typed(name, value, lang), lang) == value


def test_commands_are_understood_in_both_languages() -> None:
    """``back``/``retour`` and ``review``/``revoir`` are commands, not answers."""
    assert command_of("back") == command_of(" Retour ") == "back"
    assert command_of("review") == command_of("revoir") == "review"
    assert command_of("yes") is None
