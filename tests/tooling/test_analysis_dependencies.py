"""``rules check`` covers the dependencies between journeys."""

from __future__ import annotations

from dataclasses import replace

from eligibility.rules.loader import RuleSet
from eligibility.rules.model import Confidence, Dependency
from eligibility.tooling.static_checks import dependency_findings, unused_facts


def with_dependency(ruleset: RuleSet, journey_id: str, dependency: Dependency) -> RuleSet:
    """The rule set with one more dependency on one journey."""
    journeys = tuple(
        j.model_copy(update={"depends_on": [*j.depends_on, dependency]})
        if j.id == journey_id
        else j
        for j in ruleset.journeys
    )
    return replace(ruleset, journeys=journeys)


def dependency(**fields: object) -> Dependency:
    base: dict[str, object] = {
        "id": "x.dep",
        "journey": "dmp",
        "reason": "r",
        "source": "s",
        "confidence": Confidence.inference,
    }
    return Dependency.model_validate({**base, **fields})


def test_the_shipped_dependencies_have_no_finding(ruleset: RuleSet) -> None:
    """Every required journey can apply, every variant condition can hold, no cycle."""
    assert dependency_findings(ruleset) == []


def test_a_fact_read_only_by_a_dependency_is_not_unused(ruleset: RuleSet) -> None:
    """segur.edc-psc conditions a dependency: it counts as read."""
    assert not [f for f in unused_facts(ruleset) if f.target == "segur.edc-psc"]


def test_an_ordering_cycle_is_an_error(ruleset: RuleSet) -> None:
    """INS after the DMP tests while the DMP tests wait for INS: reported as a cycle."""
    looped = with_dependency(
        ruleset,
        "ins",
        dependency(kind="after", first=["dmp.dvx-tests"], before="ins.guide-compliance"),
    )
    findings = dependency_findings(looped)
    assert [(f.kind, f.severity) for f in findings] == [("dependency-cycle", "error")]
    assert "dmp.dvx-tests" in findings[0].message


def test_tours_that_order_shared_steps_both_ways_are_a_cycle(ruleset: RuleSet) -> None:
    """MSSanté's tour with the administrators before the ANS contract crosses the order of
    the ROR tours (and the shared steps' own prerequisites): an error naming the steps."""
    mssante = ruleset.journey_by_id["mssante"]
    steps = {s.id: s for s in mssante.steps}
    swapped = [
        steps[i]
        for i in (
            "mssante.operator-contract",
            "mssante.technical-admins",
            "mssante.ans-contract",
            "mssante.certificates",
        )
    ] + [
        s
        for s in mssante.steps
        if s.id
        not in {
            "mssante.operator-contract",
            "mssante.ans-contract",
            "mssante.technical-admins",
            "mssante.certificates",
        }
    ]
    crossed = mssante.model_copy(update={"steps": swapped})
    journeys = tuple(crossed if j.id == "mssante" else j for j in ruleset.journeys)
    findings = dependency_findings(replace(ruleset, journeys=journeys))
    assert [(f.kind, f.severity) for f in findings] == [("dependency-cycle", "error")]
    assert "ans-contract -> technical-admins -> ans-contract" in findings[0].message


def test_a_variant_no_rule_sets_is_a_warning(ruleset: RuleSet) -> None:
    """A dependency conditioned on a variant no rule concludes is never in force."""
    never = with_dependency(ruleset, "ce-marking", dependency(when_variant="nowhere"))
    findings = dependency_findings(never)
    assert [(f.kind, f.severity, f.target) for f in findings] == [
        ("dependency", "warning", "x.dep")
    ]


def test_requiring_a_journey_that_never_applies_is_an_error(ruleset: RuleSet) -> None:
    """Without any rule making HDS apply, MES with exchange requires the impossible."""
    rules = tuple(
        r
        for r in ruleset.rules
        if not (r.then.journey == "hds-certification" and r.then.status == "applies")
    )
    findings = dependency_findings(replace(ruleset, rules=rules))
    assert [(f.severity, f.target) for f in findings] == [("error", "mes.needs.hds")]
