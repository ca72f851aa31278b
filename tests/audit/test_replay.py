"""Replays: exact under the recorded rules; a diff naming steps and rules under others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eligibility.audit.backend import open_store
from eligibility.audit.diff import diff_decisions
from eligibility.audit.record import RecordSettings
from eligibility.audit.recording import record_decisions
from eligibility.audit.replay import Replayer, replay_all, ruleset_from_snapshot
from eligibility.audit.sql import SqlStore
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.errors import EligibilityError
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.audit.conftest import contents
from tests.conftest import RULES

Pairs = list[tuple[Profile, Decision]]


@pytest.fixture
def changed_rules(tmp_path: Path) -> RuleSet:
    """The shipped rules with the archive exemption of the INS journey narrowed."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "ins" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{field: storage_role, is: archive}" in text
    path.write_text(
        text.replace(
            "{field: storage_role, is: archive}", "{field: storage_role, is: operational}"
        ),
        encoding="utf-8",
    )
    return load_ruleset(rules)


def test_a_kept_ruleset_loads_back_to_the_same_hash(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """The canonical model kept in the store rebuilds the very same ruleset."""
    store.append(contents(fixture_decisions[:1], ruleset), ruleset)
    again = ruleset_from_snapshot(store.ruleset_snapshot(ruleset.hash), ruleset.hash)
    assert again.hash == ruleset.hash
    assert again.canonical() == ruleset.canonical()


def test_every_fixture_replays_identically_under_its_recorded_rules(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs, changed_rules: RuleSet
) -> None:
    """Even when the current rules differ, the recorded rules give the recorded decision."""
    store.append(contents(fixture_decisions, ruleset), ruleset)
    replayer = Replayer(store, changed_rules)
    for record in store.records():
        result = replayer.replay(record)
        assert result.recorded_identical, record.profile_id
        assert result.recorded_changes == []


def test_decisions_of_the_python_engine_replay_with_it(
    tmp_path: Path, interpreter: object, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """A record keeps its engine and is re-run with it."""
    url = str(tmp_path / "audit.sqlite")
    pairs = [(p, interpreter.evaluate(p)) for p, _ in fixture_decisions]  # type: ignore[attr-defined]
    record_decisions(RecordSettings(url), ruleset, pairs, engine="python")
    with open_store(url) as store:
        replayer = Replayer(store, ruleset)
        results = [replayer.replay(r) for r in store.records()]
    assert all(r.recorded_identical and r.same_rules for r in results)
    assert {r.record.content["engine"] for r in results} == {"python"}


def test_a_rule_change_shows_each_changed_step_and_the_rules_responsible(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs, changed_rules: RuleSet
) -> None:
    """The archive PACS loses its exemption: its steps and its INSi operations change,
    named with their rules."""
    pacs = [(p, d) for p, d in fixture_decisions if p.id == "pacs-regional-01"]
    (record,) = store.append(contents(pacs, ruleset), ruleset)
    result = Replayer(store, changed_rules).replay(record)
    assert result.recorded_identical and not result.same_rules
    by_target = {c.target: c for c in result.changes}
    cnda = by_target["ins.devenv.cnda-contract"]
    assert (cnda.kind, cnda.before, cnda.after) == ("step", "not_applicable", "required")
    assert "ins.exempt.archive" in cnda.rules_before
    assert "ins.exempt.archive" not in cnda.rules_after
    ops = by_target["ins.operations"]
    assert (ops.before, ops.after) == ([], ["verification"])
    assert ops.rules_before == ("ins.operations.exempt.archive",)
    assert {c.kind for c in result.changes} <= {"step", "operations", "missing"}
    assert all(c.target.startswith("ins.") for c in result.changes if c.kind == "step")


def test_the_same_rules_give_no_change(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """Replaying under the recorded rules as current ones reports the same decision."""
    (record,) = store.append(contents(fixture_decisions[:1], ruleset), ruleset)
    result = Replayer(store, ruleset).replay(record)
    assert result.same_rules and result.changes == []


def test_replay_all_summarises_what_todays_rules_change(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs, changed_rules: RuleSet
) -> None:
    """The summary counts the records that change and each transition, with its products."""
    store.append(contents(fixture_decisions, ruleset), ruleset)
    summary = replay_all(Replayer(store, changed_rules), store.records())
    fresh = Evaluator(changed_rules, "python")
    moved = {
        p.id
        for p, d in fixture_decisions
        if diff_decisions(d.to_dict(), fresh.evaluate(p).to_dict())
    }
    assert summary.records == len(fixture_decisions)
    assert summary.changed == len(moved) > 0
    assert summary.unchanged == summary.records - summary.changed
    key = ("ins.devenv.cnda-contract", "not_applicable", "required")
    assert "pacs-regional-01" in summary.products[key]
    assert summary.transitions[key] == len(summary.products[key])
    assert "ins.exempt.archive" not in summary.rules[key]
    assert summary.not_exact == []


def test_a_record_with_a_masked_decisive_field_cannot_be_replayed(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """Without the masked answer the decision cannot be re-run: said, not guessed."""
    pair = [(p, d) for p, d in fixture_decisions if p.storage_role is not None][:1]
    (record,) = store.append(
        contents(pair, ruleset, store.mask_key(), mask=("storage_role",)), ruleset
    )
    with pytest.raises(EligibilityError, match="storage_role was masked"):
        Replayer(store, ruleset).replay(record)


def test_a_masked_name_still_replays_identically(
    store: SqlStore, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """The product name is not read by the rules: masking it keeps the record replayable."""
    pair = [(p, d) for p, d in fixture_decisions if p.name][:1]
    (record,) = store.append(contents(pair, ruleset, store.mask_key(), mask=("name",)), ruleset)
    assert Replayer(store, ruleset).replay(record).recorded_identical


def test_diff_names_journey_variant_and_missing_changes(fixture_decisions: Pairs) -> None:
    """A journey status, its variant and the missing list each show as one change."""
    _, decision = fixture_decisions[0]
    before = decision.to_dict()
    after = decision.to_dict()
    current = before["journeys"][3]["status"]
    after["journeys"][3]["status"] = "applies" if current == "undetermined" else "undetermined"
    after["journeys"][3]["variant"] = "other"
    after["missing"] = ["has_cpa_cards"]
    kinds = [(c.kind, c.target) for c in diff_decisions(before, after)]
    jid = before["journeys"][3]["id"]
    assert ("journey", jid) in kinds
    assert ("variant", f"{jid}.variant") in kinds
    assert ("missing", "missing") in kinds
