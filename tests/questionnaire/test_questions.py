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
    Lang,
    Prompt,
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
    """Product, patient identity and data, ROR, Mon espace santé, the other national
    services, funding and hosting, medical device, then what the company already has."""
    groups = [g.id for g in questions.data.groups]
    assert groups == [
        "product",
        "health-data",
        "ror",
        "mes",
        "professionals-services",
        "programmes-hosting",
        "medical-device",
        "already-done",
    ]


def test_what_the_company_has_is_one_checklist_asked_last(questions: Questions) -> None:
    """Contracts, cards and accounts are ticked in one list, and held back to the end."""
    fields = {
        "has_ans_membership_contract",
        "has_legal_rep_card",
        "has_cpa_cards",
        "has_technical_admins",
        "has_cnda_contract",
    }
    assert fields <= questions.last
    prompt = questions.prompt("has_cpa_cards", lambda f: f in fields)
    assert prompt.main is None
    assert set(prompt.ticks) == fields
    assert questions.prompt_question(prompt, "en")[0].startswith("Which of these does your")


def test_ticks_in_a_checklist_read_as_yes_no_or_dont_know(questions: Questions) -> None:
    """Ticked numbers are yes, the others no, ``?N`` is "don't know" for that one alone."""
    prompt = Prompt(None, ("has_cpa_cards", "has_technical_admins", "has_cnda_contract"))
    assert questions.parse_prompt(prompt, "1,?3", "en") == {
        "has_cpa_cards": True,
        "has_technical_admins": False,
        "has_cnda_contract": None,
    }
    assert questions.parse_prompt(prompt, "none", "en") == dict.fromkeys(prompt.ticks, False)
    assert questions.parse_prompt(prompt, "?", "en") == dict.fromkeys(prompt.ticks, None)
    with pytest.raises(AnswerError, match="'4' is not one of the choices"):
        questions.parse_prompt(prompt, "1,4", "en")


def test_a_tick_of_a_several_answers_question_is_one_more_choice(questions: Questions) -> None:
    """The hospital's platform is choice 4 of the DMP question: one answer settles both."""
    prompt = questions.prompt("dmp_access", lambda _: True)
    assert prompt == Prompt("dmp_access", ("dmp_via_hospital_pfi",))
    assert questions.parse_prompt(prompt, "2,4", "en") == {
        "dmp_access": ["feed"],
        "dmp_via_hospital_pfi": True,
    }
    assert questions.parse_prompt(prompt, "2,3", "en")["dmp_via_hospital_pfi"] is False
    # nothing to qualify after "none": the tick stays unanswered
    assert questions.parse_prompt(prompt, "none", "en") == {"dmp_access": []}


def test_a_tick_for_one_value_leaves_the_field_unanswered_when_not_ticked(
    questions: Questions,
) -> None:
    """Archiving is a tick of the data-origin question; not ticked, the storage question
    is still to ask (the other storage answers are not told apart by a tick)."""
    prompt = questions.prompt("receives_ins_data_from", lambda _: True)
    assert prompt.ticks == ("storage_role",)
    assert questions.parse_prompt(prompt, "2,3", "en") == {
        "receives_ins_data_from": ["other_domains"],
        "storage_role": "archive",
    }
    assert questions.parse_prompt(prompt, "2", "en") == {
        "receives_ins_data_from": ["other_domains"]
    }


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_naming_its_tick_is_worded_without_it_when_asked_alone(
    questions: Questions, lang: Lang
) -> None:
    """The purposes with the catalogue listing ask about both; the purposes alone (the
    listing answered, or changed from the review) do not ask about the listing."""
    with_tick, _ = questions.prompt_question(Prompt("mes_purposes", ("targets_mes_catalog",)), lang)
    alone, help_line = questions.prompt_question(Prompt("mes_purposes"), lang)
    assert "catalogue" in with_tick
    assert "catalogue" not in alone
    assert alone.startswith(("What is the service for?", "À quoi sert le service\u00a0?"))
    assert help_line == questions.question("mes_purposes").help(lang)


def test_typed_ticks_read_back_to_the_same_answers(questions: Questions) -> None:
    """What Enter keeps on a re-asked list of ticks parses back to the same answers."""
    prompt = questions.prompt("dmp_access", lambda _: True)
    answers = {"dmp_access": ["create", "consult"], "dmp_via_hospital_pfi": True}
    typed = questions.typed_prompt(prompt, answers, "en")
    assert typed == "1,3,4"
    assert questions.parse_prompt(prompt, typed, "en") == answers


def test_a_question_that_presupposes_another_follows_it(questions: Questions) -> None:
    """Whether feeding goes through the hospital's platform presupposes DMP use; the
    Ségur wave presupposes seeking the referencing."""
    assert questions.follows["dmp_via_hospital_pfi"] == ("dmp_access",)
    assert questions.follows["segur_vague"] == ("seeks_segur_referencing",)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["questions"]["segur_vague"].update(follows=["segur_vague"]),
            "segur_vague.follows: segur_vague is not another question",
        ),
        (
            lambda d: d["questions"]["is_medical_device"].update(follows=["md_class"]),
            "follow each other in a cycle",
        ),
        (
            lambda d: d["questions"]["storage_role"].update(ticks=["has_cpa_cards"]),
            "only a several-answers question has ticks",
        ),
        (
            lambda d: d["questions"]["dmp_access"].update(ticks=["md_class"]),
            "a tick is a yes/no field, or needs a tick_value",
        ),
        (
            lambda d: d["questions"]["has_cnda_contract"].pop("item"),
            "has_cnda_contract.item: a tick needs a label",
        ),
        (
            lambda d: d["questions"]["storage_role"].update(alone={"en": "x", "fr": "x"}),
            "storage_role.alone: only a question with ticks is asked alone",
        ),
    ],
)
def test_inconsistent_asking_fails_to_load(tmp_path: Path, edit: object, message: str) -> None:
    """Follows, ticks and checklists are checked on load, naming the question."""
    with pytest.raises(RuleFileError, match=message):
        load_questions(_rules_with(tmp_path, edit))


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
    """``none`` (``aucun``), or ``no``, answers a list question with no member."""
    assert questions.parse("ror_roles", "none", "en") == []
    assert questions.parse("ror_roles", "aucun", "fr") == []
    assert questions.parse("ror_roles", "non", "fr") == []


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
    with pytest.raises(AnswerError, match="«\u00a07\u00a0» ne fait pas partie des choix"):
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
