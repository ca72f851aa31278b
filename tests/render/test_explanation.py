"""``explain``'s default text: sentences a product manager reads, in English and French."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from tests.conftest import FIXTURES

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")
CNDA = "ins.cnda-authorisation"
NBSP = "\u00a0"


def explain(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["explain", PACS, *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # wrapping aside


def test_a_step_says_its_outcome_the_rule_that_decided_and_its_source(runner: CliRunner) -> None:
    """The headline names the step and its journey; Why gives the rule's sentence, its id,
    its source and confidence."""
    out = explain(runner, CNDA)
    assert out.startswith(
        "[ins.cnda-authorisation] Step 7 of INS and INSi — Obtain the CNDA authorisation "
        "For pacs-regional-01: does not apply."
    )
    assert (
        "Why: Software that is not an identity repository and whose role is to store health "
        "data produced elsewhere"
    ) in out
    assert "[ins.exempt.archive] source (inference): seed: ins-non-repository vigilance" in out


def test_the_answers_read_are_the_questions_and_the_given_answers(runner: CliRunner) -> None:
    """The answers the rule rests on read as the questionnaire asks and shows them."""
    out = explain(runner, CNDA)
    assert (
        "The answers it rests on: Does the software handle health data about identified "
        "patients? yes Can the software create, modify or merge patient identities? no What "
        "does the software do with the health data it keeps? Archives data produced elsewhere "
        "(its main role)"
    ) in out
    assert "storage_role" not in out and "is_identity_repository" not in out


def test_what_would_change_it_is_said_as_answers_smallest_change_first(
    runner: CliRunner,
) -> None:
    """Each counterfactual is an answer the publisher would give and what would follow;
    one changed answer comes before two."""
    out = explain(runner, CNDA)
    assert (
        "If you answered “Keeps what it produces or uses for care” to “What does the software "
        "do with the health data it keeps?”, this step would be to do."
    ) in out
    section = out.split("What would change it, smallest change first:")[1]
    counts = [item.count("” to “") for item in section.split(" - ")[1:]]
    assert counts == sorted(counts) and counts[0] == 1


def test_the_formula_view_is_behind_logic(runner: CliRunner) -> None:
    """No formula in the sentences; --logic shows every rule's condition and value."""
    sentences = explain(runner, CNDA)
    logic = explain(runner, CNDA, "--logic")
    for formula in ("HOLDS", "all of:", "storage_role is archive: true"):
        assert formula not in sentences and formula in logic
    assert "--logic" in sentences


def test_a_journey_and_a_variant(runner: CliRunner) -> None:
    """A journey says whether it applies and what would make it apply; a variant is named
    by its title."""
    journey = explain(runner, "ror-consumer")
    assert "For pacs-regional-01: not applicable." in journey
    assert (
        "If you answered “Reads the offer” to “Does the product read or publish the health and "
        "social-care offer in the ROR national?”, this journey would apply."
    ) in journey
    variant = explain(runner, "ins.variant")
    assert "For pacs-regional-01: Not an identity repository (receives identities" in variant
    assert "there would be no variant." in variant


def test_a_prerequisite_of_a_journey_that_does_not_apply(runner: CliRunner) -> None:
    """A prerequisite says its journey does not apply, and changes of two answers reach it."""
    out = explain(runner, "mes-referencing.doctrine-read")
    assert "A prerequisite of Mon espace santé referencing —" in out
    assert "The journey itself: not applicable." in out
    assert "this prerequisite would be met." in out


@pytest.mark.parametrize(
    ("target", "sentence"),
    [
        (CNDA, "cette étape serait à faire."),
        ("ror-consumer", "ce parcours s'appliquerait."),
        ("ins.variant", "il n'y aurait pas de variante."),
        ("mes-referencing.doctrine-read", "ce prérequis serait rempli."),
    ],
)
def test_french_sentences_and_typography(runner: CliRunner, target: str, sentence: str) -> None:
    """French: French words and verbs agreeing with the target, a non-breaking space before
    : ; ? ! and inside guillemets, no English left."""
    result = runner.invoke(cli, ["explain", PACS, target, "--lang", "fr"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert sentence in re.sub(r" *\n *", " ", out)
    assert f"Si vous répondiez «{NBSP}" in out
    assert re.search(r"\S[:;?!](\s|$)", out) is None
    for english in ("Why", "would", "If you answered", "answers it rests on"):
        assert english not in out


@pytest.mark.parametrize(
    ("typo", "meant", "steps_of"),
    [
        ("ins.cnda-autorisation", "ins.cnda-authorisation", "ins"),
        ("ror-suplier", "ror-supplier", "ror-supplier"),
        ("dpm", "dmp", "dmp"),
        ("ins.devenv.test-card", "ins.devenv.test-cards", "ins"),
    ],
)
def test_a_typo_suggests_the_closest_id_and_lists_the_steps(
    runner: CliRunner, typo: str, meant: str, steps_of: str
) -> None:
    """An unknown target: exit 2, the command's usage, "did you mean", and the steps of
    the journey it most likely meant."""
    result = runner.invoke(cli, ["explain", PACS, typo])
    assert result.exit_code == 2
    assert re.match(r"Usage: \S+ explain \[OPTIONS\] PROFILE TARGET\n", result.stderr)
    assert f"Error: unknown target '{typo}'. Did you mean {meant}?" in result.stderr
    assert f"Steps of {steps_of}: {steps_of}." in result.stderr


def test_a_target_like_nothing_lists_the_journeys(runner: CliRunner) -> None:
    """Nothing close: no suggestion, the journeys instead."""
    result = runner.invoke(cli, ["explain", PACS, "zzz"])
    assert result.exit_code == 2
    assert "Did you mean" not in result.stderr
    assert "Journeys: ror-supplier, ror-consumer," in result.stderr
