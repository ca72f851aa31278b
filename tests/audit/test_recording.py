"""The recorder: chunked transactions written alongside the evaluation, errors surfaced."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from eligibility.audit import recording
from eligibility.audit.backend import open_store
from eligibility.audit.record import RecordSettings
from eligibility.audit.recording import Recorder, record_decisions, recorder_for
from eligibility.audit.verify import verify
from eligibility.decision.model import Decision
from eligibility.errors import StoreError
from eligibility.profile.model import Profile
from eligibility.rules.loader import RuleSet

Pairs = list[tuple[Profile, Decision]]


def test_a_long_run_is_written_in_chunks_and_verifies(
    tmp_path: Path, ruleset: RuleSet, fixture_decisions: Pairs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many decisions are all recorded, in order, one transaction per chunk."""
    monkeypatch.setattr(recording, "CHUNK", 7)
    pairs = fixture_decisions * 5
    url = str(tmp_path / "audit.sqlite")
    records = record_decisions(RecordSettings(url, {"run": "1"}), ruleset, pairs)
    assert [r.seq for r in records] == list(range(1, len(pairs) + 1))
    with open_store(url) as store:
        assert verify(store).records == len(pairs)
        assert [r.profile_id for r in store.records()] == [p.id for p, _ in pairs]


def test_a_write_error_surfaces_when_the_block_ends(
    tmp_path: Path, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """A store locked by someone else makes the recorder raise, not lose records silently."""
    url = str(tmp_path / "audit.sqlite")
    record_decisions(RecordSettings(url), ruleset, fixture_decisions[:1])
    holder = sqlite3.connect(url, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(StoreError, match="is locked"),
            Recorder(RecordSettings(url), ruleset, timeout=0.2) as recorder,
        ):
            for profile, decision in fixture_decisions[1:4]:
                recorder.add(profile, decision)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_store(url) as store:
        assert verify(store).records == 1


def test_an_error_in_the_block_records_nothing_more(
    tmp_path: Path, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """Decisions buffered when the caller fails are dropped with the failed run."""
    url = str(tmp_path / "audit.sqlite")
    with pytest.raises(KeyError), Recorder(RecordSettings(url), ruleset) as recorder:
        recorder.add(*fixture_decisions[0])
        raise KeyError("the batch failed")
    with open_store(url) as store:
        assert verify(store).records == 0


def test_a_decision_already_serialised_is_recorded_as_given(
    tmp_path: Path, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """A caller that printed the decision's JSON hands it over; the record is the same."""
    url = str(tmp_path / "audit.sqlite")
    profile, decision = fixture_decisions[0]
    with Recorder(RecordSettings(url), ruleset) as recorder:
        recorder.add(profile, decision, decision.to_json())
        recorder.add(profile, decision)
    with open_store(url) as store:
        first, second = store.records()
    assert first.content["decision"] == second.content["decision"] == decision.to_dict()


def test_recorder_for_records_only_when_asked(
    tmp_path: Path, ruleset: RuleSet, fixture_decisions: Pairs
) -> None:
    """Without settings (no --record) the recorder writes nothing and creates no store."""
    url = str(tmp_path / "audit.sqlite")
    with recorder_for(None, ruleset) as recorder:
        recorder.add(*fixture_decisions[0])
    assert not Path(url).exists()
    with recorder_for(RecordSettings(url), ruleset) as recorder:
        recorder.add(*fixture_decisions[0])
    with open_store(url) as store:
        assert verify(store).records == 1
