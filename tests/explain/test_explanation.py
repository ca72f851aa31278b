"""``explain PROFILE TARGET``: condition by condition, and computed counterfactuals."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from eligibility.errors import UsageError
from eligibility.explain.explanation import Explanation, explain
from eligibility.i18n.conditions import describe
from eligibility.profile.files import read_profile
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet
from eligibility.rules.model import FactTest, FieldTest
from tests.conftest import FIXTURES

PACS = FIXTURES / "profiles" / "pacs-regional.yaml"
WELLBEING = FIXTURES / "profiles" / "wellbeing-app.yaml"
ORIENTATION = FIXTURES / "profiles" / "ror-orientation-applied.yaml"
DRAFT = FIXTURES / "profiles" / "unknown-answers.yaml"


def _explain(ruleset: RuleSet, path: Any, target: str) -> Explanation:
    return explain(ruleset, read_profile(str(path)), target)


def test_the_deciding_rule_and_its_conditions_with_the_answers(ruleset: RuleSet) -> None:
    """The archive exemption decides; each of its conditions shows its value and answer."""
    ex = _explain(ruleset, PACS, "ins.cnda-authorisation")
    assert (ex.outcome, ex.kind, ex.journey, ex.journey_status) == (
        "not_applicable",
        "step",
        "ins",
        "applies",
    )
    assert ex.journey_reasons == ["ins.applies.health-data"]
    roles = {r.rule: (r.result, r.role) for r in ex.rules}
    assert roles["ins.exempt.own-domain.cnda-authorisation"] == (
        "fails",
        "its condition does not hold",
    )
    assert roles["ins.exempt.archive"] == ("holds", "decides")
    archive = next(r for r in ex.rules if r.rule == "ins.exempt.archive")
    leaf = next(c for c in archive.conditions if c.reads == "storage_role")
    assert (leaf.text, leaf.value, leaf.answer) == ("storage_role is archive", True, "archive")


def test_counterfactuals_name_the_smallest_change(ruleset: RuleSet) -> None:
    """One answer changed suffices: an operational store would have to be authorised."""
    ex = _explain(ruleset, PACS, "ins.cnda-authorisation")
    sentences = [c.sentence for c in ex.counterfactuals]
    assert (
        "`ins.cnda-authorisation` would be required if `storage_role` were `operational`"
        in sentences
    )
    assert all(len(c.changes) == 1 for c in ex.counterfactuals)
    assert "done" in ex.unreachable


def test_every_counterfactual_really_gives_its_outcome(
    ruleset: RuleSet, evaluator: Evaluator
) -> None:
    """Applying each change to the profile and evaluating it (durable) gives the outcome."""
    for path, target in [
        (PACS, "ins.cnda-authorisation"),
        (WELLBEING, "mes-referencing"),
        (ORIENTATION, "ror-consumer.ans-contract"),
        (DRAFT, "ins.variant"),
    ]:
        profile = read_profile(str(path))
        ex = explain(ruleset, profile, target)
        assert ex.counterfactuals, target
        for cf in ex.counterfactuals:
            data = {**profile.canonical(), **{c.field: c.after for c in cf.changes}}
            again = parse_profile(data)
            assert evaluator.evaluate(again).outcome(target) == cf.outcome, cf.sentence


def test_a_journey_that_does_not_apply_can_be_made_to(ruleset: RuleSet) -> None:
    """A wellbeing app would be eligible if it also served a purpose the law admits."""
    ex = _explain(ruleset, WELLBEING, "mes-referencing")
    assert ex.outcome == "not_applicable"
    applies = [c for c in ex.counterfactuals if c.outcome == "applies"]
    assert applies and all(len(c.changes) == 1 for c in applies)
    assert {c.changes[0].field for c in applies} == {"mes_purposes"}


def test_two_changes_when_one_is_not_enough(ruleset: RuleSet) -> None:
    """Without health data, the CNDA authorisation is required only if the product also is
    an identity repository: two answers change, and no single one suffices."""
    ex = _explain(ruleset, WELLBEING, "ins.cnda-authorisation")
    required = [c for c in ex.counterfactuals if c.outcome == "required"]
    assert [[(ch.field, ch.after) for ch in c.changes] for c in required] == [
        [("processes_health_data", True), ("is_identity_repository", True)]
    ]
    assert required[0].sentence == (
        "`ins.cnda-authorisation` would be required if `processes_health_data` were `true` "
        "and `is_identity_repository` were `true`"
    )


def test_an_undetermined_step_lists_its_unknown_answers(ruleset: RuleSet) -> None:
    """An unknown rule keeps the outcome open; the missing answer is named."""
    ex = _explain(ruleset, DRAFT, "mes-referencing.api-integration")
    assert ex.outcome == "undetermined"
    assert ex.missing == ["mes_data_exchange"]
    assert ex.rules[0].result == "unknown"
    assert {c.outcome for c in ex.counterfactuals} >= {"required", "not_applicable"}


def test_a_prerequisite_can_be_explained(ruleset: RuleSet) -> None:
    """The circle-of-trust prerequisite is not met while the application is pending."""
    ex = _explain(ruleset, ORIENTATION, "ror-consumer.circle-of-trust-accepted")
    assert (ex.kind, ex.outcome) == ("prerequisite", "not_met")
    assert any(
        c.sentence.endswith("`ror_circle_of_trust` were `accepted`") for c in ex.counterfactuals
    )


def test_an_unknown_target_is_a_usage_error(ruleset: RuleSet) -> None:
    """A target that names nothing in the catalogue is refused with the journeys listed."""
    with pytest.raises(UsageError, match=r"unknown target 'ins\.nope'"):
        _explain(ruleset, PACS, "ins.nope")


class TestCommand:
    def test_logic_output(self, runner: CliRunner) -> None:
        """--logic prints the rules tried and the counterfactuals as formulas."""
        result = runner.invoke(cli, ["explain", str(PACS), "ins.cnda-authorisation", "--logic"])
        assert result.exit_code == 0, result.output
        assert "ins.exempt.archive: HOLDS, decides" in result.output
        assert "would be required if `storage_role` were `operational`" in result.output

    def test_json_output(self, runner: CliRunner) -> None:
        """JSON has the outcome, rules and counterfactuals."""
        result = runner.invoke(cli, ["explain", str(PACS), "ins", "-f", "json"])
        data = orjson.loads(result.output)
        assert (data["target"], data["outcome"]) == ("ins", "applies")
        assert {c["outcome"] for c in data["counterfactuals"]} == {"not_applicable"}

    def test_unknown_target_exits_2(self, runner: CliRunner) -> None:
        """A wrong target is a usage error."""
        result = runner.invoke(cli, ["explain", str(PACS), "nowhere"])
        assert result.exit_code == 2
        assert "unknown target 'nowhere'" in result.output

    def test_bad_profile_exits_1_without_traceback(self, runner: CliRunner) -> None:
        """An invalid profile file is reported like everywhere else."""
        bad = FIXTURES / "invalid" / "bad-enum.yaml"
        result = runner.invoke(cli, ["explain", str(bad), "ins"])
        assert result.exit_code == 1
        assert "invalid profile" in result.output


@pytest.mark.parametrize(
    ("test", "english", "french"),
    [
        (
            {"field": "storage_role", "is": "archive"},
            "storage_role is archive",
            "storage_role vaut archive",
        ),
        (
            {"field": "processes_health_data", "is": True},
            "processes_health_data is true",
            "processes_health_data vaut vrai",
        ),
        (
            {"field": "storage_role", "in": ["archive", "none"]},
            "storage_role in [archive, none]",
            "storage_role est l'une des valeurs [archive, none]",
        ),
        (
            {"field": "ror_roles", "contains": "consumer"},
            "ror_roles contains consumer",
            "ror_roles contient consumer",
        ),
        (
            {"field": "ror_roles", "contains_any": ["consumer"]},
            "ror_roles contains any [consumer]",
            "ror_roles contient l'une des valeurs [consumer]",
        ),
        ({"field": "ror_roles", "is_empty": True}, "ror_roles is empty", "ror_roles est vide"),
        (
            {"field": "ror_roles", "is_empty": False},
            "ror_roles is not empty",
            "ror_roles n'est pas vide",
        ),
        (
            {"field": "ror_access_profile", "gte": 2},
            "ror_access_profile gte 2",
            "ror_access_profile vaut au moins 2",
        ),
        (
            {"field": "ror_access_profile", "lte": 1},
            "ror_access_profile lte 1",
            "ror_access_profile vaut au plus 1",
        ),
        (
            {"fact": "ins.non-repository", "is": False},
            "fact ins.non-repository is false",
            "le fait ins.non-repository est faux",
        ),
    ],
)
def test_a_condition_in_words_in_both_languages(
    test: dict[str, Any], english: str, french: str
) -> None:
    """Every operator has its English words (unchanged) and French words."""
    parsed = FactTest.model_validate(test) if "fact" in test else FieldTest.model_validate(test)
    words = describe(parsed)
    assert (words, words.text("fr")) == (english, french)
