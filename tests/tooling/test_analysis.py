"""``rules check``: the loader's static checks and the analysis over each journey's answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.decision.evaluator import Evaluator
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import load_ruleset
from eligibility.tooling.analysis import check_rules
from eligibility.tooling.report import CheckReport, Finding
from tests.conftest import RULES
from tests.rulesets import APPLIES, NOT_APPLICABLE, journey, rule, write_cases, write_rules

HAS_CPA = {"field": "has_cpa_cards", "is": True}
HAS_ADMINS = {"field": "has_technical_admins", "is": True}


def _check(tmp_path: Path, rules: list[dict[str, Any]], **kw: Any) -> CheckReport:
    return check_rules(write_rules(tmp_path / "rules", rules, **kw))


def _only(report: CheckReport, kind: str) -> Finding:
    found = [f for f in report.findings if f.kind == kind]
    assert len(found) == 1, report.to_text()
    return found[0]


def _decide(directory: Path, example: dict[str, Any]) -> Any:
    return Evaluator(load_ruleset(directory), "python").evaluate(parse_profile(example))


class TestShippedCatalogue:
    def test_the_shipped_rules_have_no_error(self) -> None:
        """The catalogue CI ships passes the check."""
        report = check_rules(RULES)
        assert report.errors == [], report.to_text()
        assert report.ok()

    def test_every_journey_space_is_analysed(self) -> None:
        """Each journey of the catalogue is walked over its decisive fields."""
        report = check_rules(RULES)
        ins = next(j for j in report.journeys if j.journey == "ins")
        assert "storage_role" in ins.fields
        assert ins.answer_sets == 3 ** len(ins.fields)

    def test_the_shipped_rules_pass_strict(self) -> None:
        """No warning either: every overlap of the shipped rules is declared precedence."""
        report = check_rules(RULES)
        assert report.findings == [], report.to_text()
        assert report.ok(strict=True)

    def test_overlapping_exemptions_are_declared_precedence(self) -> None:
        """The INS exemptions meant to win over test cards already held say so."""
        ruleset = load_ruleset(RULES)
        for rid in ("ins.exempt.own-domain", "ins.exempt.archive"):
            precedence = ruleset.rule_by_id[rid].precedence
            assert precedence is not None and "ins.test-cards.done" in precedence.over


class TestStaticChecks:
    @pytest.mark.parametrize(
        ("when", "needle"),
        [
            ({"field": "no_such_field", "is": True}, "unknown profile field 'no_such_field'"),
            ({"field": "storage_role", "is": "attic"}, "'attic' is not an allowed value"),
            ({"field": "storage_role", "contains": "archive"}, "storage_role is a enum field"),
            ({"fact": "nowhere"}, "unknown fact 'nowhere'"),
        ],
    )
    def test_a_bad_condition_is_an_invalid_finding(
        self, tmp_path: Path, when: dict[str, Any], needle: str
    ) -> None:
        """Unknown fields, values, operators and facts are errors naming the rule."""
        bad = rule("demo.bad", {"step": "demo.a", "status": "done"}, when)
        finding = _only(_check(tmp_path, [APPLIES, bad]), "invalid")
        assert finding.severity == "error"
        assert finding.rule == "demo.bad"
        assert needle in finding.message

    def test_a_rule_without_source_is_invalid(self, tmp_path: Path) -> None:
        """Every rule needs a source."""
        bad = rule("demo.bad", {"step": "demo.a", "status": "done"}, HAS_CPA, source=None)
        finding = _only(_check(tmp_path, [APPLIES, bad]), "invalid")
        assert "source" in finding.message and finding.rule == "demo.bad"

    def test_a_rule_without_confidence_is_invalid(self, tmp_path: Path) -> None:
        """Every rule needs a confidence tag."""
        bad = rule("demo.bad", {"step": "demo.a", "status": "done"}, HAS_CPA, confidence=None)
        assert "confidence" in _only(_check(tmp_path, [APPLIES, bad]), "invalid").message

    def test_duplicate_rule_ids_are_invalid(self, tmp_path: Path) -> None:
        """Rule ids are unique."""
        report = _check(tmp_path, [APPLIES, APPLIES])
        assert "duplicate rule id" in _only(report, "invalid").message

    @pytest.mark.parametrize(
        ("then", "needle"),
        [
            ({"step": "demo.zzz", "status": "done"}, "unknown step 'demo.zzz'"),
            ({"journey": "nope", "status": "applies"}, "unknown journey 'nope'"),
            ({"journey": "demo", "variant": "nope"}, "has no variant 'nope'"),
            ({"prerequisite": "demo.nope", "met": True}, "unknown prerequisite 'demo.nope'"),
        ],
    )
    def test_a_conclusion_naming_nothing_known_is_invalid(
        self, tmp_path: Path, then: dict[str, Any], needle: str
    ) -> None:
        """Journeys, steps, variants and prerequisites a rule names exist."""
        report = _check(tmp_path, [APPLIES, rule("demo.bad", then, HAS_CPA)])
        assert needle in _only(report, "invalid").message

    def test_derived_facts_in_a_cycle_are_invalid(self, tmp_path: Path) -> None:
        """A fact may not depend on itself."""
        f1 = rule("demo.f1", {"fact": "one"}, {"fact": "two"})
        f2 = rule("demo.f2", {"fact": "two"}, {"fact": "one"})
        assert "cycle" in _only(_check(tmp_path, [APPLIES, f1, f2]), "invalid").message

    def test_a_fact_nobody_reads_is_a_warning(self, tmp_path: Path) -> None:
        """Concluding a fact no rule reads is reported."""
        fact = rule("demo.fact", {"fact": "lonely"}, HAS_CPA)
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, fact])
        assert [(f.kind, f.severity, f.target) for f in report.findings] == [
            ("unused-fact", "warning", "lonely")
        ]


class TestGaps:
    def test_a_journey_status_left_to_the_default_is_a_gap(self, tmp_path: Path) -> None:
        """Without a rule for 'no health data', the journey's status there is a gap."""
        report = _check(tmp_path, [APPLIES])
        gap = _only(report, "gap")
        assert gap.severity == "error" and gap.target == "demo"
        assert gap.example == {"id": "counterexample", "processes_health_data": False}
        decision = _decide(tmp_path / "rules", gap.example)
        assert decision.journey("demo").reasons[0].rule == "catalogue:demo"

    def test_a_gap_counts_every_answer_set_it_covers(self, tmp_path: Path) -> None:
        """Answer sets giving the same rule states are counted, not only the first."""
        done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
        gap = _only(_check(tmp_path, [APPLIES, done]), "gap")
        assert "in 3 answer set(s)" in gap.message  # has_cpa_cards true, false, unknown

    def test_a_variant_no_rule_sets_is_a_gap(self, tmp_path: Path) -> None:
        """A journey with variants needs a variant for every known answer set."""
        variant = rule("demo.v", {"journey": "demo", "variant": "one"}, HAS_CPA)
        report = _check(
            tmp_path,
            [APPLIES, NOT_APPLICABLE, variant],
            journeys=[journey(variants=("one", "two"))],
        )
        gap = _only(report, "gap")
        assert gap.target == "demo.variant"
        assert gap.example is not None and gap.example["has_cpa_cards"] is False

    def test_a_prerequisite_no_rule_speaks_for_is_a_gap(self, tmp_path: Path) -> None:
        """A prerequisite of an applying journey needs a rule saying whether it is met."""
        met = rule("demo.ready", {"prerequisite": "demo.ready", "met": True}, HAS_CPA)
        report = _check(
            tmp_path, [APPLIES, NOT_APPLICABLE, met], journeys=[journey(prerequisites=("ready",))]
        )
        assert _only(report, "gap").target == "demo.ready"

    def test_unknown_answers_are_no_gap(self, tmp_path: Path) -> None:
        """An undetermined status is not a gap: a rule speaks once the answer is known."""
        assert _check(tmp_path, [APPLIES, NOT_APPLICABLE]).findings == []


class TestContradictions:
    def test_two_rules_giving_a_step_two_statuses_are_reported(self, tmp_path: Path) -> None:
        """Both hold for one answer set: the later one is named, with that answer set."""
        done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
        na = rule("demo.a.na", {"step": "demo.a", "status": "not_applicable"}, HAS_ADMINS)
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, done, na])
        finding = _only(report, "contradiction")
        assert finding.severity == "warning" and report.ok()
        assert (finding.rule, finding.target) == ("demo.a.na", "demo.a")
        assert finding.example is not None
        assert finding.example["has_cpa_cards"] is True
        assert finding.example["has_technical_admins"] is True
        assert _decide(tmp_path / "rules", finding.example).step("demo.a").status == "done"

    def test_two_rules_agreeing_are_no_contradiction(self, tmp_path: Path) -> None:
        """Rules that hold together but conclude the same are fine."""
        one = rule("demo.a.one", {"step": "demo.a", "status": "done"}, HAS_CPA)
        two = rule("demo.a.two", {"step": "demo.a", "status": "done"}, HAS_ADMINS)
        assert _check(tmp_path, [APPLIES, NOT_APPLICABLE, one, two]).findings == []

    def test_strict_makes_a_contradiction_fail(self, tmp_path: Path) -> None:
        """With --strict, warnings fail the check."""
        done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
        na = rule("demo.a.na", {"step": "demo.a", "status": "not_applicable"}, HAS_ADMINS)
        assert not _check(tmp_path, [APPLIES, NOT_APPLICABLE, done, na]).ok(strict=True)


class TestUnreachable:
    def test_a_condition_nothing_satisfies_is_unreachable(self, tmp_path: Path) -> None:
        """A condition that contradicts itself never holds; no example exists."""
        never = rule(
            "demo.never",
            {"step": "demo.a", "status": "done"},
            {"all": [HAS_CPA, {"field": "has_cpa_cards", "is": False}]},
        )
        finding = _only(_check(tmp_path, [APPLIES, NOT_APPLICABLE, never]), "unreachable")
        assert finding.rule == "demo.never" and finding.example is None

    def test_a_step_rule_outside_its_journey_guard_is_unreachable(self, tmp_path: Path) -> None:
        """A step rule that holds only where its journey surely does not apply never holds."""
        outside = rule(
            "demo.outside",
            {"step": "demo.a", "status": "done"},
            {"field": "processes_health_data", "is": False},
        )
        finding = _only(_check(tmp_path, [APPLIES, NOT_APPLICABLE, outside]), "unreachable")
        assert finding.example == {"id": "counterexample", "processes_health_data": False}
        assert "journey surely does not apply" in finding.message


class TestDeadSteps:
    def test_a_step_always_excluded_is_dead(self, tmp_path: Path) -> None:
        """A step that is never to do where the journey applies is dead."""
        gone = rule("demo.b.gone", {"step": "demo.b", "status": "not_applicable"})
        finding = _only(_check(tmp_path, [APPLIES, NOT_APPLICABLE, gone]), "dead-step")
        assert finding.target == "demo.b" and finding.severity == "error"
        assert finding.example is not None and finding.example["processes_health_data"] is True

    def test_a_step_excluded_only_sometimes_is_alive(self, tmp_path: Path) -> None:
        """A step excluded for some answers only is fine."""
        some = rule("demo.b.some", {"step": "demo.b", "status": "not_applicable"}, HAS_CPA)
        assert _check(tmp_path, [APPLIES, NOT_APPLICABLE, some]).findings == []


class TestShadowed:
    def test_a_rule_an_earlier_one_always_beats_is_shadowed(self, tmp_path: Path) -> None:
        """A narrower rule after a wider one with the same conclusion changes nothing."""
        wide = rule("demo.a.wide", {"step": "demo.a", "status": "done"}, HAS_CPA)
        narrow = rule(
            "demo.a.narrow",
            {"step": "demo.a", "status": "not_applicable"},
            {"all": [HAS_CPA, HAS_ADMINS]},
        )
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, wide, narrow])
        finding = _only(report, "shadowed")
        assert finding.rule == "demo.a.narrow" and not report.ok()

    def test_a_rule_restating_the_default_is_shadowed(self, tmp_path: Path) -> None:
        """Saying a step is required, as it is anyway, changes no outcome."""
        same = rule("demo.a.required", {"step": "demo.a", "status": "required"}, HAS_CPA)
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, same])
        assert _only(report, "shadowed").rule == "demo.a.required"

    def test_a_rule_filling_a_gap_is_not_shadowed(self, tmp_path: Path) -> None:
        """A not-applicable rule matching the default still decides on its own grounds."""
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE])
        assert [f for f in report.findings if f.kind == "shadowed"] == []


class TestCommand:
    def test_check_exits_0_on_the_shipped_rules(self, runner: CliRunner) -> None:
        """The shipped catalogue passes; the summary line says so."""
        result = runner.invoke(cli, ["rules", "check", str(RULES)])
        assert result.exit_code == 0, result.output
        assert "0 errors" in result.output

    def test_check_exits_1_on_an_error_and_prints_the_counterexample(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """A gap fails the command and is shown with its counterexample."""
        directory = write_rules(tmp_path / "rules", [APPLIES])
        result = runner.invoke(cli, ["rules", "check", str(directory)])
        assert result.exit_code == 1
        assert "error: gap: demo:" in result.output
        assert '"processes_health_data":false' in result.output

    def test_check_json_lists_findings(self, tmp_path: Path, runner: CliRunner) -> None:
        """The JSON report has the findings and the analysed spaces."""
        directory = write_rules(tmp_path / "rules", [APPLIES])
        result = runner.invoke(cli, ["rules", "check", str(directory), "--format", "json"])
        data = orjson.loads(result.output)
        assert data["ok"] is False
        assert [f["kind"] for f in data["findings"]] == ["gap"]
        assert data["journeys"][0]["answer_sets"] == 3

    def test_check_reports_an_invalid_file_without_traceback(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """A broken rule file is a finding naming the file and rule, exit 1."""
        bad = rule("demo.bad", {"step": "demo.a", "status": "done"}, {"field": "nope", "is": 1})
        directory = write_rules(tmp_path / "rules", [APPLIES, bad])
        result = runner.invoke(cli, ["rules", "check", str(directory)])
        assert result.exit_code == 1
        assert "error: invalid:" in result.output and "demo/rules.yaml" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_strict_passes_on_the_shipped_rules(runner: CliRunner) -> None:
    """CI runs the check strict: the shipped rules give no error and no warning."""
    result = runner.invoke(cli, ["rules", "check", str(RULES), "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_strict_fails_on_a_contradiction(runner: CliRunner, tmp_path: Path) -> None:
    """--strict turns a contradiction warning into a failure (exit 1)."""
    done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
    na = rule("demo.a.na", {"step": "demo.a", "status": "not_applicable"}, HAS_ADMINS)
    root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, done, na])
    assert runner.invoke(cli, ["rules", "check", str(root)]).exit_code == 0
    result = runner.invoke(cli, ["rules", "check", str(root), "--strict"])
    assert result.exit_code == 1 and "1 warning" in result.output


def test_a_step_only_ever_undetermined_or_excluded_is_dead(tmp_path: Path) -> None:
    """Undetermined does not keep a step alive: once known it is never to do."""
    gone = rule(
        "demo.b.gone",
        {"step": "demo.b", "status": "not_applicable"},
        {"any": [HAS_CPA, {"field": "has_cpa_cards", "is": False}]},
    )
    finding = _only(_check(tmp_path, [APPLIES, NOT_APPLICABLE, gone]), "dead-step")
    assert finding.target == "demo.b"
    assert "(it is not_applicable)" in finding.message


def test_a_case_naming_an_unknown_rule_is_invalid(tmp_path: Path) -> None:
    """The rule cases are checked with the rules they test."""
    root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE])
    write_cases(root, [{"name": "typo", "profile": {}, "decides": ["demo.aplies"]}])
    finding = _only(check_rules(root), "invalid")
    assert finding.file == "demo/rules.test.yaml"
    assert "unknown rule 'demo.aplies'" in finding.message


def test_a_journey_over_the_size_limit_is_reported_not_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A space too large to walk is a warning, and its rules are not called unreachable."""
    monkeypatch.setattr("eligibility.tooling.analysis.MAX_ANSWER_SETS", 2)
    report = _check(tmp_path, [APPLIES, NOT_APPLICABLE])
    assert [(f.kind, f.severity, f.target) for f in report.findings] == [
        ("not-analysed", "warning", "demo")
    ]


def test_a_journey_that_never_applies_is_one_dead_step_finding(tmp_path: Path) -> None:
    """Its steps are not listed one by one; the unreachable applies rule is named too."""
    never = rule(
        "demo.applies",
        {"journey": "demo", "status": "applies"},
        {"all": [HAS_CPA, {"field": "has_cpa_cards", "is": False}]},
    )
    report = _check(tmp_path, [never, NOT_APPLICABLE])
    dead = [f for f in report.findings if f.kind == "dead-step"]
    assert [(f.target, f.message) for f in dead] == [
        ("demo", "demo never applies, so none of its steps is ever required or optional")
    ]
    assert "demo.applies" in {f.rule for f in report.findings if f.kind == "unreachable"}
