"""``evaluate``'s default text: the answer first, within a screen or two, wrapped to a width."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, Reason
from eligibility.i18n.translation import load_translation, localize
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render import View, render_text, shows_settling_questions
from eligibility.render.brief import render_brief
from eligibility.render.wording import Wording
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, PROFILES

NBSP = "\u00a0"
CONFLICT = str(FIXTURES / "profiles" / "mes-exchange-without-hosting.yaml")
UNKNOWN = str(FIXTURES / "profiles" / "unknown-answers.yaml")
EHR = str(FIXTURES / "profiles" / "hospital-ehr.yaml")


def _decision(interpreter: Evaluator, path: str, lang: str = "en") -> Decision:
    translation = load_translation(interpreter.ruleset, lang)
    return localize(interpreter.evaluate(read_profile(path), with_trace=False), translation)


def _wording(ruleset: RuleSet, lang: str = "en") -> Wording:
    return Wording.of(ruleset, load_questions(), load_translation(ruleset, lang))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_fixture_fits_in_under_60_lines(runner: CliRunner, profile: Path, lang: str) -> None:
    """The default text of every shipped fixture, in either language, is under 60 lines."""
    result = runner.invoke(cli, ["evaluate", str(profile), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) < 60


def test_the_details_give_the_full_listing(runner: CliRunner) -> None:
    """--details lists every step with its status, id, reasons and advice."""
    short = runner.invoke(cli, ["evaluate", EHR]).output
    full = runner.invoke(cli, ["evaluate", EHR, "--details"]).output
    assert "(ins.devenv.cnda-contract)" in full and "\n       advice: " in full
    assert "ins.devenv.cnda-contract" not in short and "\n       advice: " not in short
    assert len(full.splitlines()) > 3 * len(short.splitlines())


def test_the_headline_counts_journeys_and_steps(interpreter: Evaluator) -> None:
    """The first line says how many journeys apply, with the steps left, and the rest."""
    decision = _decision(interpreter, CONFLICT)
    applies = [j for j in decision.journeys if j.status == "applies"]
    to_do = sum(1 for j in applies for s in j.steps if s.status == "required")
    first = render_brief(decision).splitlines()[0]
    assert first == (
        f"mes-conflict-01: {len(applies)} journeys apply ({to_do} steps to do), "
        "11 undetermined, 1 does not apply, 1 conflict."
    )


def test_only_steps_left_are_listed_with_their_guided_tour_number(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """A journey that applies lists its steps to do and optional ones, numbered as in the
    guided tour; steps done or not applicable are only counted."""
    decision = _decision(interpreter, EHR)
    text = render_brief(decision, wording=_wording(ruleset))
    ins = decision.journey("ins")
    assert "INS and INSi [ins], Not an identity repository: 8 steps to do, 1 not applicable" in text
    for n, step in enumerate(ins.steps, start=1):
        line = f"  {n}. {step.title}"
        assert (line in text.splitlines()) == (step.status == "required")


def test_a_reason_shared_by_steps_is_given_once(interpreter: Evaluator) -> None:
    """A rule's reason for several steps is written under the first, naming the others."""
    decision = _decision(interpreter, EHR)
    reason = Reason("x.rule", "The reason they share.", "src", "seed")
    ins = decision.journey("ins")
    steps = [
        replace(s, reasons=[reason]) if n in (1, 3, 6) else s
        for n, s in enumerate(ins.steps, start=1)
    ]
    journeys = [replace(j, steps=steps) if j.id == "ins" else j for j in decision.journeys]
    text = render_brief(replace(decision, journeys=journeys))
    assert text.count("The reason they share.") == 1
    assert "  1. Read the base documentation\n     why (also 3, 6): The reason they share." in text


def test_undetermined_journeys_come_with_the_question_that_settles_them(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """Each undetermined journey has one line with a question in the publisher's words,
    never a field id."""
    decision = _decision(interpreter, UNKNOWN)
    text = render_brief(decision, wording=_wording(ruleset))
    section = text.split("Undetermined, and the first question that would settle each:\n")[1]
    lines = section.split("\n\n")[0].splitlines()
    names = [ln.split(":")[0].strip() for ln in lines if not ln.startswith("    ")]
    assert len(names) == sum(1 for j in decision.journeys if j.status == "undetermined")
    assert "  MSSanté: What part does the software play in MSSanté secure messaging?" in lines
    assert "mssante_roles" not in text


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_whether_the_brief_names_a_settling_question_is_known_before_reading_it(
    interpreter: Evaluator, ruleset: RuleSet, profile: Path
) -> None:
    """``shows_settling_questions`` says true exactly when the short text holds a question
    for an unknown answer (what ``ask`` relies on not to list them again); the details,
    JSON and Markdown never name them."""
    decision = _decision(interpreter, str(profile))
    wording = _wording(ruleset)
    view = View(width=1000, wording=wording)
    text = render_brief(decision, width=1000, wording=wording)
    named = any(wording.question(f) in text for f in decision.missing)
    assert shows_settling_questions(decision, "text", "en", view) is named
    details = replace(view, details=True)
    assert not shows_settling_questions(decision, "text", "en", details)
    assert not any(shows_settling_questions(decision, f, "en", view) for f in ("json", "markdown"))


def test_the_journeys_that_do_not_apply_close_the_text_with_their_reasons(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """One closing paragraph names every journey that does not apply with its reason."""
    decision = _decision(interpreter, EHR)
    text = render_brief(decision, width=1000, wording=_wording(ruleset))
    (closing,) = [ln for ln in text.splitlines() if ln.startswith("Do not apply — ")]
    for j in decision.journeys:
        if j.status == "not_applicable":
            assert f"{_wording(ruleset).journey(j.id)}: {j.reasons[0].text}" in closing


def test_a_conflict_is_stated_once_with_the_answers_to_check(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """A journey needing one that does not apply: the conflict comes first, with the
    dependency's reason, why the other does not apply, and the given answers."""
    decision = _decision(interpreter, CONFLICT)
    text = render_brief(decision, width=1000, wording=_wording(ruleset))
    assert text.splitlines()[2] == (
        "! CONFLICT: Mon espace santé referencing needs HDS hosting, which does not apply "
        "to the product as described."
    )
    hosting = "The publisher hosts no health data on behalf of others"
    assert text.count(hosting) == 1
    assert (
        "Do not apply" not in text
        and "Does not apply — HDS hosting: See the conflict above." in text
    )
    assert (
        "Check these answers: Will the service exchange data (documents, agenda, measures) "
        "with Mon espace santé? (your answer: yes); Do you host health data on behalf of your "
        "customers or their patients (SaaS, cloud)? (your answer: no)"
    ) in text


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("details", [False, True])
def test_lines_wrap_at_the_width_and_never_split_an_id(
    interpreter: Evaluator, ruleset: RuleSet, width: int, details: bool
) -> None:
    """No line is wider than asked unless it is one word (or a command to copy); every
    journey and step id stays whole on one line."""
    decision = _decision(interpreter, EHR)
    view = View(details=details, width=width, wording=_wording(ruleset), source="p.yaml")
    text = render_text(decision, "en", view)
    for line in text.splitlines():
        if len(line) > width:
            assert " " not in line.strip() or "eligibility " in line, line
    applies = [j for j in decision.journeys if j.status == "applies"]
    ids = [s.id for j in applies for s in j.steps] if details else [j.id for j in applies]
    for id_ in ids:
        assert re.search(rf"[\[(]{re.escape(id_)}[\])]", text), id_


def test_a_wider_terminal_gives_fewer_lines(interpreter: Evaluator, ruleset: RuleSet) -> None:
    """The same text wraps less at 120 columns than at 60."""
    decision = _decision(interpreter, UNKNOWN)
    narrow = render_brief(decision, width=60, wording=_wording(ruleset))
    wide = render_brief(decision, width=120, wording=_wording(ruleset))
    assert len(wide.splitlines()) < len(narrow.splitlines())
    assert " ".join(narrow.split()) == " ".join(wide.split())


def test_no_terminal_control_in_the_output(runner: CliRunner) -> None:
    """Outside a terminal: no escape sequence, and the fixed width of 100 columns."""
    out = runner.invoke(cli, ["evaluate", UNKNOWN]).output
    assert "\x1b" not in out
    assert max(len(ln) for ln in out.splitlines() if "eligibility " not in ln) <= 100


def test_french_typography_and_agreement(interpreter: Evaluator, ruleset: RuleSet) -> None:
    """French: a non-breaking space before : ; ? !, counts agreeing with their number."""
    decision = _decision(interpreter, CONFLICT, "fr")
    text = render_brief(decision, "fr", width=1000, wording=_wording(ruleset, "fr"))
    assert text.splitlines()[0] == (
        f"mes-conflict-01{NBSP}: 2 parcours s'appliquent (10 étapes à faire), 11 indéterminés, "
        "1 ne s'applique pas, 1 conflit."
    )
    assert re.search(r"\S[:;?!]", text.replace("https:", "")) is None
    assert f"avec Mon espace santé{NBSP}? (votre réponse{NBSP}: oui)" in text
    assert f"Le parcours «{NBSP}Référencement Mon espace santé{NBSP}» a besoin" in text
    assert f"étape 2 indéterminée{NBSP}: Votre société" in text


def test_ask_ends_with_the_same_short_text_and_its_conflicts(runner: CliRunner) -> None:
    """ask prints the decision as evaluate does, conflicts included."""
    answers = "--from", CONFLICT
    result = runner.invoke(cli, ["ask", *answers], input="?\n" * 60)
    assert result.exit_code == 0, result.output
    assert "! CONFLICT: Mon espace santé referencing needs HDS hosting" in result.stdout


def _ask_commands(text: str) -> list[str]:
    return [line for line in text.splitlines() if "eligibility ask" in line]


def test_missing_answers_end_with_the_command_that_asks_them(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """Fields left out are asked by ``ask --from``, named with the profile's file."""
    decision = _decision(interpreter, UNKNOWN)
    text = render_brief(decision, wording=_wording(ruleset), source="p.yaml")
    assert _ask_commands(text) == ["The questions one by one: eligibility ask --from p.yaml"]


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", 'The questions one by one, "don\'t know" answers included:'),
        ("fr", f"Les questions une à une, réponses «{NBSP}je ne sais pas{NBSP}» comprises{NBSP}:"),
    ],
)
def test_dont_know_answers_end_with_the_command_that_asks_them_again(
    interpreter: Evaluator, ruleset: RuleSet, lang: str, label: str
) -> None:
    """``ask --from`` never asks a "don't know" (null) again: when one leaves something
    undetermined, the command suggested is ``ask --from FILE --unknown``."""
    decision = _decision(interpreter, UNKNOWN, lang)
    assert "is_identity_repository" in decision.missing
    text = render_brief(
        decision,
        lang,
        wording=_wording(ruleset, lang),
        source="p.yaml",
        dont_know=frozenset({"is_identity_repository"}),
    )
    assert _ask_commands(text) == [f"{label} eligibility ask --from p.yaml --unknown"]


def test_a_dont_know_that_leaves_nothing_open_changes_no_command(
    interpreter: Evaluator, ruleset: RuleSet
) -> None:
    """A null field no undetermined outcome waits for needs no --unknown."""
    decision = _decision(interpreter, UNKNOWN)
    assert "storage_role" not in decision.missing
    text = render_brief(
        decision, wording=_wording(ruleset), source="p.yaml", dont_know=frozenset({"storage_role"})
    )
    assert _ask_commands(text) == ["The questions one by one: eligibility ask --from p.yaml"]
