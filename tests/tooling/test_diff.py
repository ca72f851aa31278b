"""``rules diff OLD NEW``: rule changes, and their effect on a portfolio's decisions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.errors import ProfileError
from eligibility.tooling.diff import diff_rules
from tests.conftest import FIXTURES, PROFILES, RULES

GATEWAY = {
    "id": "gateway-01",
    "processes_health_data": True,
    "is_identity_repository": False,
    "receives_ins_data_from": ["other_domains"],
    "storage_role": "none",
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """A copy of the shipped rules with the archive exemption widened to storage 'none',
    the CPA-cards rule of ror-consumer removed and a rule added."""
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    _edit(
        root / "ins" / "rules.yaml",
        "{field: storage_role, is: archive}",
        "{field: storage_role, in: [archive, none]}",
    )
    rules = root / "ror-consumer" / "rules.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    data["rules"] = [r for r in data["rules"] if r["id"] != "ror-consumer.cpa-cards.done"]
    data["rules"].append(
        {
            "id": "ror-consumer.prod-certificate.done",
            "text": "Certificate at hand.",
            "source": "seed",
            "confidence": "seed",
            "when": {"field": "has_test_cards_or_certificates", "is": True},
            "then": {"step": "ror-consumer.prod-certificate", "status": "done"},
        }
    )
    rules.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """Every fixture profile plus an INS gateway that stores nothing."""
    profiles: list[Any] = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in PROFILES]
    path = tmp_path / "portfolio.yaml"
    path.write_text(yaml.safe_dump([*profiles, GATEWAY]), encoding="utf-8")
    return path


def test_identical_rules_have_no_difference() -> None:
    """A rule set compared with itself changes nothing."""
    diff = diff_rules(RULES, RULES)
    assert not diff.anything_changed
    assert "no rule changed" in diff.to_text()


def test_rules_added_removed_and_changed_are_listed(changed: Path) -> None:
    """Each kind of rule change is named, with the part that changed."""
    diff = diff_rules(RULES, changed)
    assert diff.added == ["ror-consumer.prod-certificate.done"]
    assert diff.removed == ["ror-consumer.cpa-cards.done"]
    assert [(c.rule, c.parts) for c in diff.changed] == [("ins.fact.archive-role", ["when"])]


def test_a_reordered_rule_is_a_change(tmp_path: Path) -> None:
    """Order decides which rule wins, so moving a rule is reported."""
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    rules = root / "ins" / "rules.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    ids = [r["id"] for r in data["rules"]]
    a, b = ids.index("ins.exempt.own-domain.cnda-authorisation"), ids.index("ins.exempt.archive")
    data["rules"][a], data["rules"][b] = data["rules"][b], data["rules"][a]
    rules.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    diff = diff_rules(RULES, root)
    assert {c.rule for c in diff.changed} >= {
        "ins.exempt.own-domain.cnda-authorisation",
        "ins.exempt.archive",
    }
    assert all(c.parts == ["order"] for c in diff.changed)


def test_the_portfolio_shows_each_changed_outcome_and_its_rules(
    changed: Path, portfolio: Path
) -> None:
    """Only the gateway's INSi steps change, now decided by the widened exemption."""
    diff = diff_rules(RULES, changed, str(portfolio))
    assert diff.profiles == len(PROFILES) + 1
    gateway = [o for o in diff.outcomes if o.profile_id == "gateway-01"]
    cnda = next(o for o in gateway if o.target == "ins.cnda-authorisation")
    assert (cnda.journey, cnda.before, cnda.after) == ("ins", "required", "not_applicable")
    assert cnda.rules_before == ["catalogue:ins.cnda-authorisation"]
    assert cnda.rules_after == ["ins.exempt.archive"]
    assert "gateway-01" in diff.products_changed


def test_a_csv_portfolio_gives_the_same_outcomes_as_its_json_twin(changed: Path) -> None:
    """--portfolio reads every format batch reads: the publisher CSV and JSON agree."""
    portfolios = FIXTURES / "portfolios"
    from_csv = diff_rules(RULES, changed, str(portfolios / "publisher.csv"))
    from_json = diff_rules(RULES, changed, str(portfolios / "publisher.json"))
    assert from_csv.profiles == from_json.profiles >= 15
    assert from_csv.outcomes == from_json.outcomes


def test_a_bad_row_in_the_portfolio_is_named(tmp_path: Path) -> None:
    """An invalid product stops the diff with its row and field, not a traceback."""
    path = tmp_path / "p.csv"
    path.write_text("id,storage_role\ngood,archive\nbad,cloud\n", encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        diff_rules(RULES, RULES, str(path))
    assert err.value.row == 3
    assert [p.loc for p in err.value.problems] == ["storage_role"]


def test_a_catalogue_change_is_listed(tmp_path: Path) -> None:
    """A step removed from a journey shows in the diff."""
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    journey = root / "ror-supplier" / "journey.yaml"
    data = yaml.safe_load(journey.read_text(encoding="utf-8"))
    data["journey"]["steps"] = [
        s for s in data["journey"]["steps"] if s["id"] != "ror-supplier.ans-feedback"
    ]
    journey.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    diff = diff_rules(RULES, root)
    assert "- step ror-supplier.ans-feedback" in diff.catalogue
    assert "~ journey ror-supplier: catalogue entry changed" in diff.catalogue


class TestCommand:
    def test_fail_on_change_exits_1_when_decisions_change(
        self, changed: Path, portfolio: Path, runner: CliRunner
    ) -> None:
        """CI on a rule pull request fails when anything changes, and says what."""
        args = ["rules", "diff", str(RULES), str(changed), "--portfolio", str(portfolio)]
        result = runner.invoke(cli, [*args, "--fail-on-change"])
        assert result.exit_code == 1
        assert "~ rule ins.fact.archive-role: when" in result.output
        assert (
            "ins.cnda-authorisation: required -> not_applicable  "
            "[catalogue:ins.cnda-authorisation] -> [ins.exempt.archive]"
        ) in result.output
        assert runner.invoke(cli, args).exit_code == 0

    def test_fail_on_change_exits_0_when_nothing_changes(self, runner: CliRunner) -> None:
        """Unchanged rules pass."""
        result = runner.invoke(cli, ["rules", "diff", str(RULES), str(RULES), "--fail-on-change"])
        assert result.exit_code == 0

    def test_json_output(self, changed: Path, portfolio: Path, runner: CliRunner) -> None:
        """JSON lists the rule changes and the changed products."""
        result = runner.invoke(
            cli, ["rules", "diff", str(RULES), str(changed), "-p", str(portfolio), "-f", "json"]
        )
        data = orjson.loads(result.output)
        assert data["removed"] == ["ror-consumer.cpa-cards.done"]
        assert "gateway-01" in data["products_changed"]

    def test_a_portfolio_that_is_not_a_list_is_refused(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """A bad portfolio is an error naming the file, exit 1."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("id: just-one\n", encoding="utf-8")
        result = runner.invoke(cli, ["rules", "diff", str(RULES), str(RULES), "-p", str(bad)])
        assert result.exit_code == 1
        assert "portfolio is a list of profiles" in result.output

    def test_an_invalid_profile_names_its_row(self, tmp_path: Path, runner: CliRunner) -> None:
        """A profile that fails validation is reported with its row."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("- {id: a}\n- {id: b, storage_role: attic}\n", encoding="utf-8")
        result = runner.invoke(cli, ["rules", "diff", str(RULES), str(RULES), "-p", str(bad)])
        assert result.exit_code == 1
        assert "row 2" in result.output and "storage_role" in result.output
