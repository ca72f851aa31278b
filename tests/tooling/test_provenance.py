"""Provenance lint: a confidence tag claims what its source says, and ``rules check`` holds
it to that (official: an official page specific to the claim; seed: a pointer to the seed
statement; inference: a note saying what it rests on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eligibility.rules.loader import load_ruleset
from eligibility.tooling.analysis import check_rules
from eligibility.tooling.provenance import is_official_url
from eligibility.tooling.report import CheckReport, Finding
from tests.conftest import RULES
from tests.rulesets import APPLIES, NOT_APPLICABLE, journey, rule, write_rules

HAS_CPA = {"field": "has_cpa_cards", "is": True}
DONE = {"step": "demo.a", "status": "done"}
GNIUS = "https://gnius.esante.gouv.fr/en/some-page"


def _check(tmp_path: Path, rules: list[dict[str, Any]], **kw: Any) -> CheckReport:
    return check_rules(write_rules(tmp_path / "rules", rules, **kw))


def _provenance(report: CheckReport) -> list[Finding]:
    return [f for f in report.findings if f.kind == "provenance"]


def _one(tmp_path: Path, **extra: Any) -> Finding:
    done = rule("demo.a.done", DONE, HAS_CPA, **extra)
    (finding,) = _provenance(_check(tmp_path, [APPLIES, NOT_APPLICABLE, done]))
    assert (finding.severity, finding.rule, finding.file) == (
        "error",
        "demo.a.done",
        "demo/rules.yaml",
    )
    return finding


@pytest.mark.parametrize(
    "url",
    [
        "https://gnius.esante.gouv.fr/en/taxonomy/term/475",
        "https://industriels.esante.gouv.fr/node/1433",
        "https://esante.gouv.fr/vos-demarches-etablissement-de-sante",
        "https://cnda.ameli.fr/editeurs/referencer-un-logiciel/dmp/",
        "https://www.sesam-vitale.fr/web/sesam-vitale/lire-la-carte-vitale-et-cps-ees",
        "https://ansm.sante.fr/documents/reference/x",
        "https://www.has-sante.fr/jcms/x",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045551195",
        "https://cms.mssante.fr/is/rejoindre",
        "https://github.com/ansforge/ROR-fhir-documentation",
    ],
)
def test_official_bodies_domains_are_official(url: str) -> None:
    """The ANS (G_NIUS, Portail Industriels), CNDA, GIE SESAM-Vitale, ANSM, HAS, Légifrance,
    the MSSanté space and the ANS's own repositories."""
    assert is_official_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.scribd.com/document/695856103/segur-numerique-hopital-guide-certificats",
        "https://hospitalia.fr/m/x",
        "https://juriblio.fr/codes/code-de-la-sante-publique",
        "https://esante.gouv.fr.example.com/page",
        "https://github.com/someone/ROR-fhir-documentation",
    ],
)
def test_other_pages_are_not_official(url: str) -> None:
    """Mirrors, press, vendors and look-alike hosts are not."""
    assert not is_official_url(url)


class TestOfficial:
    def test_an_official_tag_on_a_third_party_page_is_an_error(self, tmp_path: Path) -> None:
        """A vendor's page cannot back an official tag."""
        finding = _one(tmp_path, source="https://www.scribd.com/doc/1", confidence="official")
        assert "not a page of an official body" in finding.message

    def test_an_official_tag_without_a_url_is_an_error(self, tmp_path: Path) -> None:
        """A named document is no official page."""
        finding = _one(tmp_path, source="GitHub someone/notes", confidence="official")
        assert "not a page of an official body" in finding.message

    def test_another_journeys_page_is_not_this_claims_source(self, tmp_path: Path) -> None:
        """A journey's own page reused for another journey's rule is named as such."""
        ror = journey("ror", steps=("x",))
        ror["sources"] = [{"ref": GNIUS, "confidence": "official"}]
        done = rule("demo.a.done", DONE, HAS_CPA, source=GNIUS, confidence="official")
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, done], journeys=[journey(), ror])
        finding = next(f for f in _provenance(report) if f.rule == "demo.a.done")
        assert "the page of journey ror" in finding.message

    def test_a_journeys_own_page_backs_its_rules(self, tmp_path: Path) -> None:
        """The same page cited by the journey it belongs to is fine."""
        demo = journey()
        demo["sources"] = [{"ref": GNIUS, "confidence": "official"}]
        done = rule("demo.a.done", DONE, HAS_CPA, source=GNIUS, confidence="official")
        report = _check(tmp_path, [APPLIES, NOT_APPLICABLE, done], journeys=[demo])
        assert _provenance(report) == []


class TestSeed:
    def test_a_bare_seed_source_is_an_error(self, tmp_path: Path) -> None:
        """'seed' alone points to no statement."""
        finding = _one(tmp_path, source="seed")
        assert "does not point to the seed statement" in finding.message

    @pytest.mark.parametrize(
        ("source", "needle"),
        [
            ("seed: nowhere 01", "the seed has no tour 'nowhere'"),
            ("seed: demo 09", "tour demo of the seed has no statement '09'"),
            ("seed: demo", "names a tour but not its statement"),
            ("seed: demo 01 02", "is not 'seed: <tour> <statement>'"),
        ],
    )
    def test_a_pointer_must_resolve_in_the_seed_index(
        self, tmp_path: Path, source: str, needle: str
    ) -> None:
        """Tour and statement are looked up in rules/seed.yaml."""
        assert needle in _one(tmp_path, source=source).message

    def test_a_journey_may_name_its_tour_alone(self, tmp_path: Path) -> None:
        """A journey's own source is the whole tour."""
        demo = journey()
        demo["sources"] = [{"ref": "seed: demo", "confidence": "seed"}]
        assert _provenance(_check(tmp_path, [APPLIES, NOT_APPLICABLE], journeys=[demo])) == []

    def test_an_inference_building_on_the_seed_points_to_it_too(self, tmp_path: Path) -> None:
        """Whatever its tag, a pointer into the seed must resolve."""
        finding = _one(tmp_path, source="seed: demo 07", confidence="inference", note="x" * 30)
        assert "no statement '07'" in finding.message

    def test_without_the_seed_index_seed_tags_cannot_be_checked(self, tmp_path: Path) -> None:
        """A missing rules/seed.yaml is reported, not skipped."""
        root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE])
        (root / "seed.yaml").unlink()
        findings = _provenance(check_rules(root))
        assert findings and all("seed.yaml" in f.message for f in findings)


class TestInference:
    def test_an_inference_without_a_note_is_an_error(self, tmp_path: Path) -> None:
        """The note says what the inference rests on."""
        finding = _one(tmp_path, source="https://example.org", confidence="inference")
        assert "no note saying what the inference rests on" in finding.message

    def test_an_inference_with_its_note_passes(self, tmp_path: Path) -> None:
        """A sentence is enough for the lint; its truth is the reviewer's."""
        done = rule(
            "demo.a.done",
            DONE,
            HAS_CPA,
            source="https://example.org",
            confidence="inference",
            note="Holding the cards makes the order done: our reading.",
        )
        assert _provenance(_check(tmp_path, [APPLIES, NOT_APPLICABLE, done])) == []


class TestShippedCatalogue:
    def test_no_done_rule_claims_the_seed(self) -> None:
        """The seed states steps, never when a step is done: no .done rule is tagged seed."""
        ruleset = load_ruleset(RULES)
        claimed = [
            r.id for r in ruleset.rules if r.then.status == "done" and r.confidence == "seed"
        ]
        assert claimed == []

    def test_shared_ans_steps_do_not_cite_the_ror_page_as_official(self) -> None:
        """The DMP and MSSanté contract rules are inferences from the ROR pages (§3.0)."""
        ruleset = load_ruleset(RULES)
        for rid in ("dmp.ans-contract.done", "mss.ans-contract.done"):
            assert ruleset.rule_by_id[rid].confidence == "inference"

    def test_the_shipped_catalogue_passes_the_lint(self) -> None:
        """Every tag of the shipped rules and catalogue is backed."""
        assert _provenance(check_rules(RULES)) == []
