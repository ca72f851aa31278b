"""``rules check``: validate a rules directory, then analyse the rule set as a whole.

First the files: the loader (:func:`load_ruleset`) checks every file against the model and
the rule set's references (unique ids; known fields with compatible operators and allowed
values; known journeys, steps, variants, prerequisites and derived facts; no cycle among
derived facts; a source and a confidence tag on every rule). A problem there is an
``invalid`` finding and stops the analysis, which needs a loadable rule set. The rule
cases (``rules.test.yaml``) are validated too: a case naming an unknown rule or outcome,
or holding an invalid profile, is ``invalid``.

Then, journey by journey, every answer set of the journey's decisive fields
(:mod:`eligibility.decision.space`) is evaluated with the plain-Python interpreter and the
decider, which applies our combination policy: for each outcome, the first rule in file
order whose condition holds wins; a rule that cannot be evaluated keeps its conclusion
open beside what the later rules give; when no rule holds the catalogue default applies
(a journey does not apply, a step is required or optional, a prerequisite is not met, no
variant). Under that policy the findings mean:

``gap`` (error)
    An answer set for which a journey's status, its variant (while it applies and has
    variants) or a prerequisite (while the journey applies) is decided by the catalogue
    default because no rule holds and none is unknown: the rules do not say what
    happens there. Steps have no gaps: their default (the step is part of the journey)
    is the normal case, and rules only carve out exceptions.
``contradiction`` (warning)
    Two rules hold at once for one answer set and conclude the same outcome (a step's,
    a journey's status, a variant, a prerequisite) with different values. The policy
    resolves it (the earlier rule wins, the later is overridden there), so it is a
    warning; the counterexample shows where. A later rule that loses *everywhere* is
    ``shadowed``, an error.
``unreachable`` (error)
    No answer set makes the rule's condition hold, its journey's guard included (a rule
    about a journey's steps says nothing when the journey surely does not apply). The
    counterexample, when there is one, makes the bare condition hold while the guard
    fails.
``dead-step`` (error)
    A step that is neither ``required`` nor ``optional`` in any answer set: nobody would
    ever be asked to do it (an ``undetermined`` status does not count: once the missing
    answers are given it becomes one of the others). A journey that never applies gives
    one such finding for all its steps, named after the journey.
``shadowed`` (error)
    A rule (other than one concluding a derived fact) that changes no outcome over the
    whole space: dropping it leaves every journey status, variant, operations,
    prerequisite, step status and step advice of every answer set as it was, and no
    outcome switches between being decided by a rule and by the catalogue default. Either
    earlier rules always win, or it restates the default.
``precedence`` (error)
    A rule of lower confidence (``inference``, ``third-party``) decides an outcome against
    one of higher confidence (``seed``, ``official``): it wins, or its unknown answer makes
    the outcome undetermined, in an answer set where a later rule of higher confidence
    holds with another value; or it changes a step's status (to anything but ``done``,
    which records the publisher's own progress) away from what the catalogue sets on
    higher-confidence sources. Allowed only when the rule declares it in its
    ``precedence`` field (``over``: the rules, or ``catalogue``; ``why``: the reason shown
    with every decision it makes). A declared precedence also turns a ``contradiction``
    between two rules into intended precedence.
``precedence-unused`` (error)
    A ``precedence`` declaration naming a rule (or the catalogue) the rule never decides
    against: a stale declaration would hide the next real conflict.
``provenance`` (error)
    A confidence tag its source does not back (:mod:`eligibility.tooling.provenance`): ``official``
    off an official domain or reusing another journey's page, ``seed`` without a pointer
    to the seed statement, ``inference`` without a note saying what it rests on.
``unused-fact`` (warning)
    A derived fact that no rule reads.
``not-analysed`` (warning)
    A journey whose answer space is over :data:`MAX_ANSWER_SETS` (its rules read many
    fields, or lists with many tested values): it is skipped rather than left running.

A finding names its rule (or outcome) and gives a counterexample: a profile (unknown
answers as ``null``) that can be fed to ``eligibility evaluate``.

The walk over one journey's answers is :mod:`~eligibility.tooling.journey_analysis`, the
checks that need no walk :mod:`~eligibility.tooling.static_checks`, the report
:mod:`~eligibility.tooling.report`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from eligibility.decision.space import JourneySpace
from eligibility.errors import RuleFileError
from eligibility.i18n.messages import Message
from eligibility.rules.loader import RuleSet, load_ruleset
from eligibility.tooling.cases import load_cases
from eligibility.tooling.journey_analysis import JourneyAnalysis
from eligibility.tooling.report import CheckReport, Finding, JourneyStats
from eligibility.tooling.static_checks import (
    catalogue_precedence,
    dependency_findings,
    provenance_findings,
    unused_facts,
    unused_precedence,
)

#: Above this many answer sets a journey is reported, not analysed (minutes of walking).
MAX_ANSWER_SETS = 5_000_000


def check_rules(directory: str | Path | None = None) -> CheckReport:
    """Load a rules directory and analyse it (see the module docstring for the findings)."""
    started = time.perf_counter()
    root = str(directory) if directory is not None else "rules"
    try:
        ruleset = load_ruleset(directory)
    except RuleFileError as exc:
        return CheckReport(root, [_invalid(exc)], seconds=time.perf_counter() - started)
    report = analyse(ruleset)
    try:
        load_cases(ruleset)
    except RuleFileError as exc:
        report.findings.insert(0, _invalid(exc))
    report.root = root
    report.seconds = time.perf_counter() - started
    return report


def _invalid(exc: RuleFileError) -> Finding:
    return Finding("invalid", "error", "; ".join(exc.problems), rule=exc.rule_id, file=exc.path)


def analyse(ruleset: RuleSet) -> CheckReport:
    """Analyse a loaded rule set over the answer space of each of its journeys."""
    report = CheckReport(ruleset.root, rules=len(ruleset.rules))
    report.findings += unused_facts(ruleset)
    report.findings += dependency_findings(ruleset)
    report.findings += provenance_findings(ruleset)
    catalogue_findings, used = catalogue_precedence(ruleset)
    report.findings += catalogue_findings
    ever_true: set[str] = set()
    analysed: set[str] = set()
    unreachable_examples: dict[str, dict[str, Any]] = {}
    for journey in ruleset.journeys:
        space = JourneySpace(ruleset, journey.id)
        report.journeys.append(
            JourneyStats(
                journey.id, [d.field for d in space.dimensions], space.size, len(space.rule_ids)
            )
        )
        if space.size > MAX_ANSWER_SETS:
            report.findings.append(
                Finding(
                    "not-analysed",
                    "warning",
                    Message(
                        "{journey}: {size} answer sets is over the limit of {limit}; its rules "
                        "were not analysed",
                        journey=journey.id,
                        size=f"{space.size:,}",
                        limit=f"{MAX_ANSWER_SETS:,}",
                    ),
                    target=journey.id,
                )
            )
            continue
        analysed.update(space.rule_ids)
        analysis = JourneyAnalysis(space)
        for point in space.points():
            analysis.visit(point)
        report.findings += analysis.findings()
        used |= analysis.declared_used
        ever_true |= analysis.ever_true
        for rid, example in analysis.bare_true.items():
            unreachable_examples.setdefault(rid, example)
    for rule in ruleset.rules:
        if rule.id in ever_true or rule.id not in analysed:
            continue  # a fact rule no journey depends on is reported as an unused fact
        bare = unreachable_examples.get(rule.id)
        why = (
            Message("its condition holds only where the journey surely does not apply")
            if bare
            else Message("no answer set makes its condition hold")
        )
        report.findings.append(
            Finding(
                "unreachable",
                "error",
                Message("rule {rule} never holds: {why}", rule=rule.id, why=why),
                rule=rule.id,
                file=ruleset.rule_files[rule.id],
                example=bare,
            )
        )
    report.findings += unused_precedence(ruleset, analysed, used)
    order = {r.id: i for i, r in enumerate(ruleset.rules)}
    report.findings.sort(
        key=lambda f: (f.severity != "error", order.get(f.rule or "", -1), f.kind, f.target or "")
    )
    return report
