"""Loading rules/: validation on load, with errors naming the file and the rule id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eligibility.errors import RuleFileError
from eligibility.profile.yamlio import load_yaml
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.conftest import RULES
from tests.rules_copy import copy_rules, edit


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped rules, to break on purpose."""
    return copy_rules(tmp_path)


_replace = edit


def _error(directory: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as err:
        load_ruleset(directory)
    return err.value


class TestShippedRules:
    def test_load_in_catalogue_order(self, ruleset: RuleSet) -> None:
        """Journeys come in the order of ruleset.yaml, with their contract ids."""
        listed = load_yaml((RULES / "ruleset.yaml").read_text(encoding="utf-8"))["journeys"]
        assert [j.id for j in ruleset.journeys] == listed
        assert listed[:4] == ["ror-supplier", "ror-consumer", "mes-referencing", "ins"]

    def test_every_rule_has_a_sentence_a_source_and_a_confidence(self, ruleset: RuleSet) -> None:
        """Provenance is required on every rule."""
        for rule in ruleset.rules:
            assert rule.text and rule.source and rule.confidence

    def test_hash_is_stable(self, ruleset: RuleSet) -> None:
        """Loading twice gives the same content hash."""
        assert load_ruleset(RULES).hash == ruleset.hash
        assert ruleset.hash.startswith("sha256:")

    def test_hash_changes_with_a_rule(self, rules_copy: Path, ruleset: RuleSet) -> None:
        """Any change of a rule changes the hash."""
        _replace(rules_copy / "ins" / "rules.yaml", "the INS journey applies", "it applies")
        assert load_ruleset(rules_copy).hash != ruleset.hash

    def test_forward_chaining_puts_fact_readers_after_the_fact(self, ruleset: RuleSet) -> None:
        """A rule reading a derived fact runs at a later stage than the rule concluding it."""
        assert ruleset.stages["ins.exempt.archive"] > ruleset.stages["ins.fact.non-repository"]


class TestInvalidRules:
    def test_unknown_field_names_file_and_rule(self, rules_copy: Path) -> None:
        """A misspelt profile field is reported with the file and the rule id."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "{field: storage_role, is: archive}",
            "{field: storage_rol, is: archive}",
        )
        err = _error(rules_copy)
        assert err.path == "ins/rules.yaml" and err.rule_id == "ins.fact.archive-role"
        assert "unknown profile field 'storage_rol'" in str(err)

    def test_bad_enum_value(self, rules_copy: Path) -> None:
        """A value outside the field's enum is reported with the allowed values."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "{field: storage_role, is: archive}",
            "{field: storage_role, is: archived}",
        )
        assert "'archived' is not an allowed value" in str(_error(rules_copy))

    def test_operator_must_fit_the_field(self, rules_copy: Path) -> None:
        """contains is for list fields only."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "{field: storage_role, is: archive}",
            "{field: storage_role, contains: archive}",
        )
        assert "use in, is, not contains" in str(_error(rules_copy))

    def test_unknown_step(self, rules_copy: Path) -> None:
        """A conclusion about a step that does not exist is an error."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "then: {step: ins.devenv.test-cards, status: done}",
            "then: {step: ins.devenv.test-card, status: done}",
        )
        err = _error(rules_copy)
        assert err.rule_id == "ins.test-cards.done" and "unknown step" in str(err)

    def test_duplicate_rule_id(self, rules_copy: Path) -> None:
        """Rule ids are unique across files."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "id: ins.test-cards.done",
            "id: ins.applies.health-data",
        )
        assert "duplicate rule id" in str(_error(rules_copy))

    def test_missing_source(self, rules_copy: Path) -> None:
        """A rule without a source does not load; the message names the rule."""
        path = rules_copy / "ins" / "rules.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("  - id: ins.test-cards.done")
        block_end = text.index("  - id:", start + 5)
        block = text[start:block_end]
        lines = [ln for ln in block.splitlines(keepends=True) if not ln.startswith("    source:")]
        path.write_text(text[:start] + "".join(lines) + text[block_end:], encoding="utf-8")
        err = _error(rules_copy)
        assert err.rule_id == "ins.test-cards.done" and "source" in str(err)

    def test_unknown_operator(self, rules_copy: Path) -> None:
        """Only the operators of the rule language are accepted."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "{field: storage_role, is: archive}",
            "{field: storage_role, equals: archive}",
        )
        assert "equals" in str(_error(rules_copy))

    def test_derived_facts_cannot_form_a_cycle(self, rules_copy: Path) -> None:
        """A fact read, directly or not, by the rule concluding it is an error."""
        path = rules_copy / "ins" / "rules.yaml"
        cyclic = "- {fact: ins.non-repository}\n        - {field: is_identity_repository"
        _replace(
            path,
            "- {field: processes_health_data, is: true}\n        - {field: is_identity_repository",
            cyclic,
        )
        assert "cycle" in str(_error(rules_copy))

    def test_unknown_fact(self, rules_copy: Path) -> None:
        """Reading a fact no rule concludes is an error."""
        _replace(
            rules_copy / "ins" / "rules.yaml",
            "- {fact: ins.non-repository}\n        - {field: storage_role",
            "- {fact: ins.non-repositori}\n        - {field: storage_role",
        )
        assert "unknown fact 'ins.non-repositori'" in str(_error(rules_copy))

    def test_unknown_variant(self, rules_copy: Path) -> None:
        """A variant must be declared by its journey."""
        _replace(rules_copy / "ins" / "rules.yaml", "variant: repository,", "variant: repo,")
        assert "has no variant 'repo'" in str(_error(rules_copy))

    def test_a_prerequisite_is_obtained_by_a_step_of_its_journey(self, rules_copy: Path) -> None:
        """``obtained_by`` names a step of the prerequisite's own journey."""
        _replace(
            rules_copy / "ror-consumer" / "journey.yaml",
            "obtained_by: ror-consumer.admin-formalities",
            "obtained_by: ror-supplier.circle-of-trust",
        )
        err = _error(rules_copy)
        assert err.path == "ror-consumer/journey.yaml"
        assert "obtained_by ror-supplier.circle-of-trust is not a step of the journey" in str(err)

    def test_yaml_syntax_error_names_the_file(self, rules_copy: Path) -> None:
        """A file that is not YAML is reported by path."""
        (rules_copy / "ins" / "rules.yaml").write_text("rules: [\n", encoding="utf-8")
        assert "not valid YAML" in str(_error(rules_copy))

    def test_journey_not_in_ruleset_file(self, rules_copy: Path) -> None:
        """Every journey listed in ruleset.yaml needs its journey.yaml."""
        shutil.rmtree(rules_copy / "ins")
        assert "journeys without journey.yaml" in str(_error(rules_copy))

    def test_missing_directory(self, tmp_path: Path) -> None:
        """A directory without ruleset.yaml is reported."""
        assert "ruleset.yaml" in str(_error(tmp_path))
