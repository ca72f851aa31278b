"""``rules check`` on the rule set as written, without walking its answer sets: unused facts,
provenance, the catalogue's precedence and dependencies between journeys."""

from __future__ import annotations

from eligibility.i18n.messages import Message
from eligibility.rules.loader import RuleSet, step_by_id
from eligibility.rules.model import CATALOGUE
from eligibility.rules.precedence import catalogue_overrides, step_default
from eligibility.tooling.provenance import provenance_problems
from eligibility.tooling.report import Finding


def unused_facts(ruleset: RuleSet) -> list[Finding]:
    """Derived facts that no rule (nor journey guard, nor dependency between journeys) reads."""
    read = {fact for r in ruleset.rules for fact in ruleset.facts_of(r.id)}
    read |= {d.when_fact for j in ruleset.journeys for d in j.depends_on if d.when_fact}
    return [
        Finding(
            "unused-fact",
            "warning",
            Message("fact {fact} is concluded but no rule reads it", fact=fact),
            rule=rid,
            target=fact,
            file=ruleset.rule_files[rid],
        )
        for fact, rid in ruleset.fact_rule.items()
        if fact not in read
    ]


def provenance_findings(ruleset: RuleSet) -> list[Finding]:
    """Confidence tags their sources do not back (see :mod:`eligibility.tooling.provenance`)."""
    return [
        Finding("provenance", "error", p.message, rule=p.rule, file=p.file)
        for p in provenance_problems(ruleset)
    ]


def catalogue_precedence(ruleset: RuleSet) -> tuple[list[Finding], set[tuple[str, str]]]:
    """Rules of lower confidence changing steps the catalogue sets on sources of higher
    confidence, without declaring it; and the declarations over the catalogue in use."""
    steps = step_by_id(ruleset)
    out: list[Finding] = []
    used: set[tuple[str, str]] = set()
    for rule in ruleset.rules:
        overridden = catalogue_overrides(rule, steps)
        if not overridden:
            continue
        if rule.precedence is not None and CATALOGUE in rule.precedence.over:
            used.add((rule.id, CATALOGUE))
            continue
        for step in overridden:
            out.append(
                Finding(
                    "precedence",
                    "error",
                    Message(
                        "rule {rule} ({confidence}) makes step {step} {status}, against the "
                        "catalogue, which sets it {default} on a source of higher confidence; "
                        "declare why in the rule's precedence field, or give advice instead",
                        rule=rule.id,
                        confidence=rule.confidence.value,
                        step=step.id,
                        status=rule.then.status,
                        default=step_default(step),
                    ),
                    rule=rule.id,
                    target=step.id,
                    file=ruleset.rule_files[rule.id],
                )
            )
    return out, used


def unused_precedence(
    ruleset: RuleSet, analysed: set[str], used: set[tuple[str, str]]
) -> list[Finding]:
    """Precedence declarations that name a rule, or the catalogue, never decided against."""
    out = []
    for rule in ruleset.rules:
        if rule.precedence is None or rule.id not in analysed:
            continue
        for over in rule.precedence.over:
            if (rule.id, over) in used:
                continue
            out.append(
                Finding(
                    "precedence-unused",
                    "error",
                    Message(
                        "rule {rule} declares precedence over {over}, but never decides "
                        "against it; drop it from the declaration",
                        rule=rule.id,
                        over=over,
                    ),
                    rule=rule.id,
                    target=over,
                    file=ruleset.rule_files[rule.id],
                )
            )
    return out


def dependency_findings(ruleset: RuleSet) -> list[Finding]:
    """Dependencies between journeys that cannot work: a journey required that no rule makes
    apply, a variant condition no rule sets, and cycles among the plan's constraints (the
    journeys' tour order, prerequisites, dependencies), which leave a plan no order."""
    from eligibility.plan.ordering import catalogue_cycles, cycle_text  # the plan's own order

    applies = {r.then.journey for r in ruleset.rules if r.then.status == "applies"}
    variants = {(r.then.journey, r.then.variant) for r in ruleset.rules if r.then.variant}
    out: list[Finding] = []
    for j in ruleset.journeys:
        for d in j.depends_on:
            if d.kind == "requires" and d.journey not in applies:
                out.append(
                    Finding(
                        "dependency",
                        "error",
                        Message(
                            "{journey} requires {needs} ({dependency}), which no rule makes apply",
                            journey=j.id,
                            needs=d.journey,
                            dependency=d.id,
                        ),
                        target=d.id,
                    )
                )
            if d.when_variant and (j.id, d.when_variant) not in variants:
                out.append(
                    Finding(
                        "dependency",
                        "warning",
                        Message(
                            "dependency {dependency} is never in force: no rule sets variant "
                            "{variant} of {journey}",
                            dependency=d.id,
                            variant=d.when_variant,
                            journey=j.id,
                        ),
                        target=d.id,
                    )
                )
    out += [
        Finding(
            "dependency-cycle",
            "error",
            Message(
                "steps wait for each other in a cycle (tour order, prerequisites, "
                "dependencies): {cycle}",
                cycle=cycle_text(cycle),
            ),
            target=cycle[0],
        )
        for cycle in catalogue_cycles(ruleset)
    ]
    return out
