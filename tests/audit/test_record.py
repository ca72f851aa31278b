"""Record content: decision ids, versions, masking."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys

import orjson
import pytest

from eligibility.audit.record import (
    RecordSettings,
    check_mask,
    decision_id,
    encode_content,
    mask_value,
    record_content,
)
from eligibility.decision.model import Decision
from eligibility.errors import UsageError
from eligibility.profile.model import Profile, parse_profile
from eligibility.rules.loader import RuleSet
from tests.conftest import ROOT

Pairs = list[tuple[Profile, Decision]]


class TestDecisionId:
    def test_the_same_answers_rules_and_tool_give_the_same_id_in_another_process(
        self, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """The id is a content hash: a fresh interpreter computes the same one."""
        profile = fixture_decisions[0][0]
        script = (
            "import sys\nfrom eligibility.audit.record import decision_id\n"
            "from eligibility.profile.files import read_profile\n"
            "from eligibility.rules.loader import load_ruleset\n"
            "print(decision_id(read_profile(sys.argv[1]), load_ruleset(sys.argv[2]).hash))"
        )
        fixture = next(
            p
            for p in (ROOT / "fixtures" / "profiles").glob("*.yaml")
            if f"id: {profile.id}" in p.read_text()
        )
        out = subprocess.run(
            [sys.executable, "-c", script, str(fixture), str(ROOT / "rules")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == decision_id(profile, ruleset.hash)

    def test_field_order_and_explicit_unknowns_do_not_change_the_id(self) -> None:
        """Two spellings of the same answers are the same decision."""
        a = parse_profile({"id": "x", "storage_role": "archive", "processes_health_data": True})
        b = parse_profile(
            {
                "processes_health_data": True,
                "id": "x",
                "storage_role": "archive",
                "has_cpa_cards": None,
            }
        )
        assert decision_id(a, "sha256:r") == decision_id(b, "sha256:r")

    def test_a_different_answer_ruleset_or_tool_version_changes_the_id(self) -> None:
        """Each of the three inputs of the id matters."""
        a = parse_profile({"id": "x", "storage_role": "archive"})
        b = parse_profile({"id": "x", "storage_role": "operational"})
        ids = {
            decision_id(a, "sha256:r", "1"),
            decision_id(b, "sha256:r", "1"),
            decision_id(a, "sha256:s", "1"),
            decision_id(a, "sha256:r", "2"),
        }
        assert len(ids) == 4


class TestContent:
    def test_a_record_holds_versions_profile_decision_trace_labels_and_actor(
        self, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Everything the issue lists is in the record."""
        profile, decision = fixture_decisions[0]
        settings = RecordSettings("unused", {"customer": "acme"}, "qa-bot")
        c = orjson.loads(
            encode_content(record_content(profile, decision, ruleset, settings, "durable"))
        )
        assert c["ruleset"] == {
            "name": ruleset.name,
            "version": ruleset.version,
            "hash": ruleset.hash,
        }
        assert c["tool_version"] == "0.1.0"
        assert c["durable_version"] == "2.0.28"
        assert c["recorded_at"].endswith("Z")
        assert c["profile"] == profile.canonical()
        assert c["decision"] == orjson.loads(decision.to_json())
        assert c["decision"]["trace"] and c["traced"] is True
        assert c["labels"] == {"customer": "acme"}
        assert c["actor"] == "qa-bot"


class TestMasking:
    def test_a_masked_field_keeps_only_its_hash_in_profile_and_trace(
        self, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """Neither the profile nor the trace of the record shows a masked value."""
        profile, decision = next(
            (p, d)
            for p, d in fixture_decisions
            if p.name and any("storage_role" in t.matched for t in d.trace)
        )
        settings = RecordSettings("unused", mask=("name", "storage_role"))
        key = b"k" * 32
        content = record_content(profile, decision, ruleset, settings, "durable", mask_key=key)
        c = orjson.loads(encode_content(content))
        assert c["masked"] == ["name", "storage_role"]
        assert c["profile"]["name"] == mask_value(profile.name, key)
        role = mask_value(profile.storage_role.value, key)
        assert c["profile"]["storage_role"] == role
        matched = [t["matched"] for t in c["decision"]["trace"] if "storage_role" in t["matched"]]
        assert matched and all(m["storage_role"] == role for m in matched)
        text = orjson.dumps(c).decode()
        assert profile.name not in text
        assert f'"storage_role":"{profile.storage_role.value}"' not in text

    def test_a_mask_is_an_hmac_under_the_key(self) -> None:
        """The mask of a value is HMAC-SHA256 of its canonical JSON, and depends on the key."""
        expected = hmac.new(b"secret", b'"archive"', hashlib.sha256).hexdigest()
        assert mask_value("archive", b"secret") == "hmac-sha256:" + expected
        assert mask_value("archive", b"other") != mask_value("archive", b"secret")

    def test_masking_without_the_key_is_refused(
        self, fixture_decisions: Pairs, ruleset: RuleSet
    ) -> None:
        """A masked field is never written in clear, nor hashed without a key."""
        profile, decision = next((p, d) for p, d in fixture_decisions if p.name)
        settings = RecordSettings("unused", mask=("name",))
        with pytest.raises(ValueError, match="mask key"):
            record_content(profile, decision, ruleset, settings, "durable")

    def test_masking_an_unknown_field_is_a_usage_error(self) -> None:
        """--mask names a profile field; the product id cannot be masked."""
        with pytest.raises(UsageError, match="not a profile field"):
            check_mask(["colour"])
        with pytest.raises(UsageError, match="cannot be masked"):
            check_mask(["id"])
