"""Precedence by confidence: an inference (or a third-party page) never silently decides
against the seed or an official page; a rule may, when it declares why, and then the
decision shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import PrecedenceReason
from eligibility.errors import RuleFileError
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import load_ruleset
from eligibility.rules.model import Precedence, Rule
from eligibility.tooling.analysis import check_rules
from eligibility.tooling.report import CheckReport, Finding
from tests.rulesets import APPLIES, NOT_APPLICABLE, journey, rule, write_rules

HAS_CPA = {"field": "has_cpa_cards", "is": True}
HAS_ADMINS = {"field": "has_technical_admins", "is": True}
NOTE = "Our reading of the demo page, which says nothing of this case."
WHY = "The demo tour does not cover products holding CPA cards; reviewed."


def _inference(rule_id: str, then: dict[str, Any], when: dict[str, Any], **extra: Any) -> Any:
    return rule(rule_id, then, when, confidence="inference", note=NOTE, **extra)


def _check(tmp_path: Path, rules: list[dict[str, Any]], **kw: Any) -> CheckReport:
    return check_rules(write_rules(tmp_path / "rules", rules, **kw))


def _kinds(report: CheckReport, *kinds: str) -> list[Finding]:
    return [f for f in report.findings if f.kind in kinds]


def _decide(tmp_path: Path, **answers: Any) -> Any:
    evaluator = Evaluator(load_ruleset(tmp_path / "rules"), "python")
    return evaluator.evaluate(parse_profile({"id": "p", **answers}))


class TestAgainstTheCatalogue:
    def test_an_inference_exempting_a_seed_step_is_an_error(self, tmp_path: Path) -> None:
        """The catalogue sets the step on the seed; an inference may not drop it silently."""
        drop = _inference("demo.a.drop", {"step": "demo.a", "status": "not_applicable"}, HAS_CPA)
        (finding,) = _kinds(_check(tmp_path, [APPLIES, NOT_APPLICABLE, drop]), "precedence")
        assert (finding.severity, finding.rule, finding.target) == (
            "error",
            "demo.a.drop",
            "demo.a",
        )
        assert "against the catalogue" in finding.message

    def test_a_declared_precedence_passes_and_the_decision_shows_it(self, tmp_path: Path) -> None:
        """Declared with its reason: no finding, and the step's reason names what it overrides."""
        drop = _inference(
            "demo.a.drop",
            {"step": "demo.a", "status": "not_applicable"},
            HAS_CPA,
            precedence={"over": ["catalogue"], "why": WHY},
        )
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, drop])
        assert _kinds(report, "precedence", "precedence-unused") == []
        reason = _decide(tmp_path, processes_health_data=True, has_cpa_cards=True)
        (why,) = reason.step("demo.a").reasons
        assert isinstance(why, PrecedenceReason) and why.precedence is not None
        assert why.confidence == "inference" and why.precedence.why == WHY
        assert [(o.rule, o.confidence) for o in why.precedence.over] == [
            ("catalogue:demo.a", "seed")
        ]

    def test_an_unknown_inference_may_not_leave_a_seed_step_undetermined(
        self, tmp_path: Path
    ) -> None:
        """The rule is flagged whatever its answers: unknown, it would make the step open."""
        drop = _inference("demo.a.drop", {"step": "demo.a", "status": "not_applicable"}, HAS_CPA)
        _check(tmp_path, [APPLIES, NOT_APPLICABLE, drop])
        step = _decide(tmp_path, processes_health_data=True).step("demo.a")
        assert step.status == "undetermined"  # what the error keeps from shipping

    def test_done_records_progress_and_is_no_precedence_matter(self, tmp_path: Path) -> None:
        """An inference that a step is done (the publisher holds its result) is not flagged."""
        done = _inference("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
        assert _kinds(_check(tmp_path, [APPLIES, NOT_APPLICABLE, done]), "precedence") == []

    def test_advice_from_an_inference_is_no_precedence_matter(self, tmp_path: Path) -> None:
        """Advice changes no status: it carries its tag instead (see the decision tests)."""
        tip = _inference("demo.a.tip", {"step": "demo.a", "advice": "Ask ANS first."}, HAS_CPA)
        assert _kinds(_check(tmp_path, [APPLIES, NOT_APPLICABLE, tip]), "precedence") == []
        step = _decide(tmp_path, processes_health_data=True, has_cpa_cards=True).step("demo.a")
        assert step.status == "required" and step.advice == ["Ask ANS first."]
        assert [(r.rule, r.confidence) for r in step.advice_reasons] == [
            ("demo.a.tip", "inference")
        ]

    def test_a_third_party_rule_is_held_like_an_inference(self, tmp_path: Path) -> None:
        """third-party ranks below seed and official too."""
        drop = rule(
            "demo.a.drop",
            {"step": "demo.a", "status": "optional"},
            HAS_CPA,
            source="https://example.org/blog",
            confidence="third-party",
        )
        (finding,) = _kinds(_check(tmp_path, [APPLIES, NOT_APPLICABLE, drop]), "precedence")
        assert "(third-party)" in finding.message


class TestAgainstARule:
    @staticmethod
    def _rules(**extra: Any) -> list[dict[str, Any]]:
        met = _inference("demo.p.met", {"prerequisite": "demo.p", "met": True}, HAS_CPA, **extra)
        not_met = rule("demo.p.not-met", {"prerequisite": "demo.p", "met": False}, HAS_ADMINS)
        return [APPLIES, NOT_APPLICABLE, met, not_met]

    def test_an_inference_winning_over_a_seed_rule_is_an_error(self, tmp_path: Path) -> None:
        """Both hold: the earlier inference wins against the seed, with a counterexample."""
        report = _check(tmp_path, self._rules(), journeys=[journey(prerequisites=("p",))])
        findings = [f for f in _kinds(report, "precedence") if "against rule" in f.message]
        assert [(f.rule, f.target) for f in findings] == [("demo.p.met", "demo.p")]
        assert "against rule demo.p.not-met (seed)" in findings[0].message
        example = findings[0].example
        assert example and example["has_cpa_cards"] is True and example["has_technical_admins"]

    def test_an_unknown_inference_before_a_seed_rule_is_an_error(self, tmp_path: Path) -> None:
        """Unknown, it would make the seed's outcome undetermined: flagged too."""
        report = _check(tmp_path, self._rules(), journeys=[journey(prerequisites=("p",))])
        (finding,) = [f for f in _kinds(report, "precedence") if "undetermined" in f.message]
        assert finding.rule == "demo.p.met"
        assert finding.example and finding.example["has_cpa_cards"] is None
        assert finding.example["has_technical_admins"] is True

    def test_declaring_it_makes_it_intended(self, tmp_path: Path) -> None:
        """Declared over the seed rule: no precedence error, no contradiction warning."""
        rules = self._rules(precedence={"over": ["demo.p.not-met"], "why": WHY})
        report = _check(tmp_path, rules, journeys=[journey(prerequisites=("p",))])
        assert _kinds(report, "precedence", "precedence-unused", "contradiction") == []
        d = _decide(
            tmp_path, processes_health_data=True, has_cpa_cards=True, has_technical_admins=True
        )
        (why,) = d.journey("demo").prerequisites[0].reasons
        assert isinstance(why, PrecedenceReason) and why.precedence is not None
        assert [o.rule for o in why.precedence.over] == ["demo.p.not-met"]

    def test_a_higher_rule_winning_is_a_contradiction_only(self, tmp_path: Path) -> None:
        """Seed first, inference later: the seed wins, so it is a warning as before."""
        rules = self._rules()
        rules[2], rules[3] = rules[3], rules[2]
        report = _check(tmp_path, rules, journeys=[journey(prerequisites=("p",))])
        assert _kinds(report, "precedence") == []
        (warning,) = _kinds(report, "contradiction")
        assert warning.rule == "demo.p.met"

    def test_a_declared_precedence_resolves_a_contradiction_between_equals(
        self, tmp_path: Path
    ) -> None:
        """Two seed rules overlap on purpose: the winner says so, and --strict passes."""
        na = rule(
            "demo.a.na",
            {"step": "demo.a", "status": "not_applicable"},
            HAS_CPA,
            precedence={"over": ["demo.a.done"], "why": WHY},
        )
        done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_ADMINS)
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, na, done])
        assert report.findings == [] and report.ok(strict=True)


class TestStaleDeclarations:
    def test_precedence_over_a_rule_it_never_overrides_is_an_error(self, tmp_path: Path) -> None:
        """A declaration that no answer set uses would hide the next real conflict."""
        na = rule(
            "demo.a.na",
            {"step": "demo.a", "status": "not_applicable"},
            HAS_CPA,
            precedence={"over": ["demo.b.done"], "why": WHY},
        )
        done = rule("demo.b.done", {"step": "demo.b", "status": "done"}, HAS_ADMINS)
        (finding,) = _kinds(
            _check(tmp_path, [APPLIES, NOT_APPLICABLE, na, done]), "precedence-unused"
        )
        assert (finding.rule, finding.target) == ("demo.a.na", "demo.b.done")

    def test_precedence_over_the_catalogue_without_need_is_an_error(self, tmp_path: Path) -> None:
        """A seed rule needs no leave to exempt a seed step."""
        na = rule(
            "demo.a.na",
            {"step": "demo.a", "status": "not_applicable"},
            HAS_CPA,
            precedence={"over": ["catalogue"], "why": WHY},
        )
        (finding,) = _kinds(_check(tmp_path, [APPLIES, NOT_APPLICABLE, na]), "precedence-unused")
        assert finding.target == "catalogue"


class TestTheField:
    def test_over_names_a_rule_or_the_catalogue(self, tmp_path: Path) -> None:
        """An unknown rule id in the declaration is a loader error naming the rule."""
        na = rule(
            "demo.a.na",
            {"step": "demo.a", "status": "not_applicable"},
            HAS_CPA,
            precedence={"over": ["demo.nowhere"], "why": WHY},
        )
        with pytest.raises(RuleFileError) as err:
            load_ruleset(write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, na]))
        assert err.value.rule_id == "demo.a.na"
        assert "'demo.nowhere' is neither another rule nor 'catalogue'" in str(err.value)

    @pytest.mark.parametrize(
        "precedence",
        [
            {"over": ["catalogue"], "why": "short"},
            {"over": [], "why": WHY},
            {"over": ["catalogue"], "why": WHY, "reviewer": "me"},
        ],
    )
    def test_the_declaration_says_why_and_nothing_else(self, precedence: dict[str, Any]) -> None:
        """A reason of a sentence, at least one target, no unknown key (extra is forbidden)."""
        with pytest.raises(ValidationError):
            Precedence.model_validate(precedence)

    def test_a_rule_takes_the_declaration(self) -> None:
        """The rule model carries it as written."""
        data = rule("demo.x", {"step": "demo.a", "status": "not_applicable"}, HAS_CPA)
        data["precedence"] = {"over": ["catalogue", "demo.y"], "why": WHY}
        parsed = Rule.model_validate(data)
        assert parsed.precedence == Precedence(over=["catalogue", "demo.y"], why=WHY)
