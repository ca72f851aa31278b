"""``rules test``: every rule's cases, rule coverage and condition coverage."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.rules.loader import load_ruleset
from eligibility.tooling.coverage import RuleTestReport, run_rule_tests
from tests.conftest import RULES
from tests.rulesets import APPLIES, NOT_APPLICABLE, rule, write_cases, write_rules

DONE = rule(
    "demo.a.done",
    {"step": "demo.a", "status": "done"},
    {
        "any": [
            {"field": "has_cpa_cards", "is": True},
            {"field": "has_technical_admins", "is": True},
        ]
    },
)
CASES = [
    {
        "name": "health data, cards",
        "profile": {"processes_health_data": True, "has_cpa_cards": True},
        "decides": ["demo.applies", "demo.a.done"],
        "expect": {"demo.a": "done"},
    },
    {
        "name": "health data, no cards",
        "profile": {
            "processes_health_data": True,
            "has_cpa_cards": False,
            "has_technical_admins": False,
        },
        "expect": {"demo.a": "required"},
    },
]


@pytest.fixture
def known(tmp_path: Path) -> Path:
    """Three rules; the cases make two of them decide and leave one condition half seen."""
    root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, DONE])
    write_cases(root, CASES)
    return root


def _report(directory: Path) -> RuleTestReport:
    return run_rule_tests(load_ruleset(directory), "python")


def test_rule_coverage_counts_rules_that_decided_in_a_case(known: Path) -> None:
    """Two rules of three decide in some case: 66.7 %."""
    report = _report(known)
    assert not report.failures
    assert round(report.rule_percent, 1) == 66.7
    (only,) = report.files
    assert only.path == "demo/rules.yaml"
    assert [r for r in only.rules if r not in only.decided] == ["demo.not-applicable"]


def test_condition_coverage_needs_each_condition_true_and_false(known: Path) -> None:
    """processes_health_data and has_technical_admins are each seen one way only."""
    report = _report(known)
    seen = {(c.rule, c.text): c.seen for f in report.files for c in f.conditions}
    assert seen == {
        ("demo.applies", "processes_health_data is true"): {True},
        ("demo.not-applicable", "processes_health_data is false"): {False},
        ("demo.a.done", "has_cpa_cards is true"): {True, False},
        ("demo.a.done", "has_technical_admins is true"): {False},
    }
    assert report.condition_percent == 25.0


def test_a_failing_case_is_reported_with_its_failures(tmp_path: Path) -> None:
    """A wrong expectation fails the run and says what came instead."""
    root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, DONE])
    write_cases(
        root,
        [
            {
                "name": "wrong",
                "profile": {
                    "processes_health_data": True,
                    "has_cpa_cards": False,
                    "has_technical_admins": False,
                },
                "expect": {"demo.a": "done"},
            }
        ],
    )
    report = _report(root)
    assert [r.failures for r in report.failures] == [["demo.a: expected done, got required"]]
    assert not report.ok()


def test_the_shipped_cases_cover_every_rule_and_condition() -> None:
    """CI's gate: 100 % rule coverage (and today 100 % condition coverage too)."""
    report = run_rule_tests(load_ruleset(RULES), "python")
    assert report.ok(100, 100), report.to_text()


class TestCommand:
    def test_min_coverage_fails_below_the_threshold(self, known: Path, runner: CliRunner) -> None:
        """66.7 % rule coverage fails --min-coverage 100 and passes --min-coverage 60."""
        args = ["rules", "test", str(known), "--engine", "python"]
        assert runner.invoke(cli, [*args, "--min-coverage", "100"]).exit_code == 1
        assert runner.invoke(cli, [*args, "--min-coverage", "60"]).exit_code == 0

    def test_min_condition_coverage_fails_below_the_threshold(
        self, known: Path, runner: CliRunner
    ) -> None:
        """25 % condition coverage fails --min-condition-coverage 50."""
        args = ["rules", "test", str(known), "--engine", "python"]
        assert runner.invoke(cli, [*args, "--min-condition-coverage", "50"]).exit_code == 1

    def test_text_output_lists_what_is_not_covered(self, known: Path, runner: CliRunner) -> None:
        """The table gives per-file figures and names rules and conditions left out."""
        result = runner.invoke(cli, ["rules", "test", str(known), "--engine", "python"])
        assert "2/2 cases passed" in result.output
        assert "demo/rules.yaml    67%         25%" in result.output
        assert "rule never decides in a case: demo.not-applicable" in result.output
        assert "demo.a.done: condition 'has_technical_admins is true' never true" in result.output

    def test_json_output_has_the_figures(self, known: Path, runner: CliRunner) -> None:
        """JSON gives the same figures for tools."""
        result = runner.invoke(
            cli, ["rules", "test", str(known), "-f", "json", "--engine", "python"]
        )
        data = orjson.loads(result.output)
        assert (data["rule_coverage"], data["condition_coverage"]) == (66.7, 25.0)
        assert data["files"][0]["rules_not_deciding"] == ["demo.not-applicable"]

    def test_shipped_rules_pass_the_ci_gate(self, runner: CliRunner) -> None:
        """`rules test --min-coverage 100` passes on the shipped rules (durable engine)."""
        result = runner.invoke(cli, ["rules", "test", "--min-coverage", "100"])
        assert result.exit_code == 0, result.output


def test_an_invalid_rules_directory_is_an_error_not_a_traceback(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Broken rules give `Error: ...` naming the file, exit 1."""
    bad = rule("demo.bad", {"step": "demo.zzz", "status": "done"})
    root = write_rules(tmp_path / "rules", [APPLIES, bad])
    result = runner.invoke(cli, ["rules", "test", str(root)])
    assert result.exit_code == 1
    assert "Error: demo/rules.yaml: rule demo.bad: invalid rules" in result.output
