"""A journey that applies but needs one that does not: the decision's ``conflicts`` list."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import decision_from_dict
from eligibility.profile.files import read_profile
from eligibility.profile.model import parse_profile
from tests.conftest import FIXTURES

CONFLICT = str(FIXTURES / "profiles" / "mes-exchange-without-hosting.yaml")


def test_json_lists_the_conflict_with_the_answers_it_rests_on(runner: CliRunner) -> None:
    """MES with exchange needs HDS hosting, which the answers rule out: one conflict, after
    the trace, naming both journeys, the dependency and the two given answers."""
    result = runner.invoke(cli, ["evaluate", CONFLICT, "--format", "json"])
    data = orjson.loads(result.output)
    assert list(data)[-2:] == ["trace", "conflicts"]
    assert data["conflicts"] == [
        {
            "journey": "mes-referencing",
            "needs": "hds-certification",
            "dependency": "mes.needs.hds",
            "reason": (
                "A service exchanging data with Mon espace santé has its health data hosted "
                "by a certified host."
            ),
            "source": data["conflicts"][0]["source"],
            "confidence": "third-party",
            "answers": {"mes_data_exchange": True, "hosts_health_data_for_third_parties": False},
        }
    ]
    assert data["conflicts"][0]["source"].startswith("https://")


def test_the_answers_of_a_conflict_are_only_given_ones(interpreter: Evaluator) -> None:
    """Every answer a conflict names is one the profile gave, with its value."""
    profile = read_profile(CONFLICT)
    (conflict,) = interpreter.evaluate(profile).conflicts
    assert conflict.answers.items() <= profile.known().items()


def test_no_conflict_when_the_needed_journey_applies_or_is_undetermined(
    interpreter: Evaluator,
) -> None:
    """Hosting answered yes, or not answered: no conflict (undetermined is not a conflict)."""
    base = {
        "id": "mes",
        "categories": ["PATIENT_APP"],
        "end_users": ["patients"],
        "targets_mes_catalog": True,
        "mes_data_exchange": True,
        "mes_purposes": ["prevention"],
    }
    for hosting in ({"hosts_health_data_for_third_parties": True}, {}):
        decision = interpreter.evaluate(parse_profile({**base, **hosting}))
        assert decision.journey("mes-referencing").status == "applies"
        assert decision.journey("hds-certification").status != "not_applicable"
        assert decision.conflicts == []


def test_the_dependency_out_of_force_is_no_conflict(interpreter: Evaluator) -> None:
    """Without data exchange the hosting dependency is not in force: no conflict."""
    profile = parse_profile(
        {
            "id": "mes",
            "categories": ["PATIENT_APP"],
            "end_users": ["patients"],
            "targets_mes_catalog": True,
            "mes_data_exchange": False,
            "mes_purposes": ["prevention"],
            "hosts_health_data_for_third_parties": False,
        }
    )
    decision = interpreter.evaluate(profile)
    assert decision.journey("hds-certification").status == "not_applicable"
    assert decision.conflicts == []


def test_a_decision_round_trips_with_its_conflicts(interpreter: Evaluator) -> None:
    """decision_from_dict rebuilds the conflicts; a decision recorded before them has none."""
    decision = interpreter.evaluate(read_profile(CONFLICT))
    assert decision_from_dict(decision.to_dict()) == decision
    older = decision.to_dict()
    del older["conflicts"]
    assert decision_from_dict(older).conflicts == []


def test_both_engines_find_the_same_conflicts(evaluator: Evaluator, interpreter: Evaluator) -> None:
    """The Rete engine and the interpreter give the same conflicts, byte for byte."""
    profile = read_profile(CONFLICT)
    assert evaluator.evaluate(profile).to_json() == interpreter.evaluate(profile).to_json()


def test_the_plan_states_the_conflict_and_its_reason_once(runner: CliRunner) -> None:
    """plan: one CONFLICT line with evaluate's sentence and the dependency's reason once."""
    out = runner.invoke(cli, ["plan", CONFLICT]).output
    flat = " ".join(out.split())
    assert flat.count("CONFLICT") == 1
    assert (
        "CONFLICT: Mon espace santé referencing needs HDS hosting, which does not apply to the "
        "product as described. A service exchanging data with Mon espace santé has its health "
        "data hosted by a certified host. Check the answers"
    ) in flat
    assert flat.count("has its health data hosted by a certified host") == 1


def test_the_markdown_decision_states_the_conflict_with_the_answers(runner: CliRunner) -> None:
    """evaluate -f markdown: the conflict paragraph, in the questionnaire's words."""
    out = runner.invoke(cli, ["evaluate", CONFLICT, "-f", "markdown"]).output
    (line,) = [ln for ln in out.splitlines() if ln.startswith("**CONFLICT:**")]
    assert "Mon espace santé referencing needs HDS hosting" in line
    assert "Do you host health data on behalf of your customers" in line
    assert "(your answer: no)" in line
