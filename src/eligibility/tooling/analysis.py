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
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import orjson

from eligibility.decision.model import JourneyOut
from eligibility.decision.space import JourneySpace, Point, example_profile
from eligibility.errors import RuleFileError
from eligibility.i18n.messages import Message, localized
from eligibility.i18n.words import agree, colon, tr
from eligibility.rules.loader import RuleSet, load_ruleset, step_by_id
from eligibility.rules.logic import Atom, Truth, evaluate
from eligibility.rules.model import CATALOGUE
from eligibility.rules.precedence import catalogue_overrides, step_default
from eligibility.tooling.cases import load_cases
from eligibility.tooling.provenance import provenance_problems

Severity = Literal["error", "warning"]

#: Above this many answer sets a journey is reported, not analysed (minutes of walking).
MAX_ANSWER_SETS = 5_000_000


@dataclass(frozen=True)
class Finding:
    """One problem found in a rule set.

    ``message`` is English (the JSON report's contract); when the analysis wrote it, it is a
    :class:`~eligibility.i18n.messages.Message`, so the text report can translate it.
    """

    kind: str
    severity: Severity
    message: str
    rule: str | None = None
    target: str | None = None
    file: str | None = None
    example: dict[str, Any] | None = None


@dataclass(frozen=True)
class JourneyStats:
    """How much of a journey's answer space was analysed."""

    journey: str
    fields: list[str]
    answer_sets: int
    rules: int


@dataclass
class CheckReport:
    """Everything ``rules check`` found, with what it covered."""

    root: str
    findings: list[Finding] = field(default_factory=list)
    journeys: list[JourneyStats] = field(default_factory=list)
    rules: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        """The findings that fail the check."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that do not fail the check (unless ``--strict``)."""
        return [f for f in self.findings if f.severity == "warning"]

    def ok(self, *, strict: bool = False) -> bool:
        """True when nothing fails the check (warnings too with ``strict``)."""
        return not (self.findings if strict else self.errors)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (timing left out, so the same rules give the same
        bytes)."""
        return {
            "root": self.root,
            "ok": self.ok(),
            "rules": self.rules,
            "journeys": [asdict(j) for j in self.journeys],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [asdict(f) for f in self.findings],
        }

    def to_text(self, lang: str = "en") -> str:
        """The report for a terminal: one paragraph per finding, then a summary line.

        With ``lang``, the report's words and the findings' messages are in that language;
        kinds, ids and the counterexamples stay as they are. A loader problem (an
        ``invalid`` finding) is shown as the loader wrote it.
        """
        c = colon(lang)
        out: list[str] = []
        for f in self.findings:
            where = f" [{f.file}]" if f.file else ""
            message = localized(f.message, lang)
            out.append(f"{tr(f.severity, lang)}{c} {f.kind}{c} {message}{where}")
            if f.example is not None:
                out.append(f"  {tr('counterexample', lang)}{c} {orjson.dumps(f.example).decode()}")
        spaces = ", ".join(f"{j.journey} {j.answer_sets}" for j in self.journeys)
        if spaces:
            out.append(f"{tr('answer sets analysed', lang)}{c} {spaces}")
        out.append(
            f"{self.rules} {tr('rules', lang)}, {agree(len(self.errors), 'error', lang)}, "
            f"{agree(len(self.warnings), 'warning', lang)}"
        )
        return "\n".join(out) + "\n"


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
        analysis = _JourneyAnalysis(space)
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
    apply, a variant condition no rule sets, and ordering cycles a plan would have to break."""
    from eligibility.plan.plan import catalogue_cycles  # the plan's own ordering graph

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
                "steps wait for each other through prerequisites and dependencies: {cycle}",
                cycle=" <-> ".join(cycle),
            ),
            target=cycle[0],
        )
        for cycle in catalogue_cycles(ruleset)
    ]
    return out


def _outcomes(j: JourneyOut) -> tuple[Any, ...]:
    """What a journey decides, with whether each gap-prone outcome came from a rule."""
    return (
        j.status,
        _by_default(j.reasons),
        j.variant,
        None if j.operations is None else tuple(j.operations),
        _by_default(j.operations_reasons),
        _by_default(j.variant_reasons),
        tuple((p.met, _by_default(p.reasons)) for p in j.prerequisites),
        tuple((s.status, tuple(s.advice)) for s in j.steps),
    )


def _by_default(reasons: list[Any]) -> bool:
    return len(reasons) == 1 and reasons[0].rule.startswith("catalogue:")


class _JourneyAnalysis:
    def __init__(self, space: JourneySpace) -> None:
        self.space = space
        rs = space.ruleset
        self.journey = rs.journeys[0]
        self.files = rs.rule_files
        self.candidates: dict[str, list[tuple[str, Any]]] = {}
        for r in rs.rules:
            t = r.then
            if t.journey and t.status:
                self.candidates.setdefault(t.journey, []).append((r.id, t.status))
            if t.journey and t.variant:
                self.candidates.setdefault(f"{t.journey}.variant", []).append((r.id, t.variant))
            if t.journey and t.operations is not None:
                self.candidates.setdefault(f"{t.journey}.operations", []).append(
                    (r.id, tuple(t.operations))
                )
            if t.prerequisite and t.met is not None:
                self.candidates.setdefault(t.prerequisite, []).append((r.id, t.met))
            if t.status:
                for s in t.steps:
                    self.candidates.setdefault(s, []).append((r.id, t.status))
        self.outcome_rules = [r.id for r in rs.rules if not r.then.fact]
        self.authority = {r.id: r.confidence.rests_on_authority for r in rs.rules}
        self.confidence = {r.id: r.confidence.value for r in rs.rules}
        self.declared = {r.id: set(r.precedence.over) for r in rs.rules if r.precedence}
        self.declared_used: set[tuple[str, str]] = set()
        self.precedence: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.undetermines: dict[tuple[str, str, str], dict[str, Any]] = {}
        # rule states already seen -> the gaps they give
        self.seen: dict[tuple[bool | None, ...], list[str]] = {}
        self.ever_true: set[str] = set()
        self.bare_true: dict[str, dict[str, Any]] = {}
        self.effective: set[str] = set()
        self.first_held: dict[str, dict[str, Any]] = {}
        self.gaps: dict[str, tuple[int, dict[str, Any]]] = {}
        self.contradictions: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.live_steps: set[str] = set()
        self.applies_example: dict[str, Any] | None = None
        self.step_example: dict[str, tuple[str, dict[str, Any]]] = {}

    def visit(self, point: Point) -> None:
        # Every outcome but `missing` is a function of the rule states: answer sets with the
        # states of one already seen add nothing (its example, the first, is kept).
        if len(self.bare_true.keys() | self.ever_true) < len(self.space.rule_ids):
            self._bare(point)
        key = point.key
        if key in self.seen:
            for target in self.seen[key]:
                count, first = self.gaps[target]
                self.gaps[target] = (count + 1, first)
            return
        self.seen[key] = []
        states = point.evaluation.states
        example = example_profile(point.answers)
        for rid, state in states.items():
            if state is True:
                self.ever_true.add(rid)
        j = point.journey
        self.seen[key] = self._gaps(j, example)
        self._contradictions(states, example)
        self._steps(j, example)
        self._shadowing(point, example)

    def _bare(self, point: Point) -> None:
        """Remember, for rules that have not held yet, an answer set where the bare condition
        holds (guard ignored): the counterexample of an unreachable guarded rule."""
        facts, atoms_ = point.evaluation.facts, point.atoms

        def value_of(a: Atom) -> Truth:
            return facts.get(a.key) if a.kind == "fact" else atoms_.get(a.key)

        for rid in self.space.rule_ids:
            if rid in self.ever_true or rid in self.bare_true:
                continue
            if evaluate(self.space.ruleset.formulas[rid], value_of) is True:
                self.bare_true[rid] = example_profile(point.answers)

    def _gaps(self, j: JourneyOut, example: dict[str, Any]) -> list[str]:
        """Record the outcomes this answer set leaves to the catalogue default."""
        targets = []
        if j.status != "undetermined" and _by_default(j.reasons):
            targets.append(j.id)
        if j.status == "applies":
            if (
                self.journey.variants
                and j.variant is None
                and (not j.variant_reasons or _by_default(j.variant_reasons))
            ):
                targets.append(f"{j.id}.variant")
            targets += [
                p.id for p in j.prerequisites if p.met is not None and _by_default(p.reasons)
            ]
        for target in targets:
            count, first = self.gaps.get(target, (0, example))
            self.gaps[target] = (count + 1, first)
        return targets

    def _contradictions(self, states: dict[str, bool | None], example: dict[str, Any]) -> None:
        """Record, for each outcome, the rules that decide it (the first holding one, and
        the unknown ones before it, which may) against later holding rules of another
        value: a contradiction, or a precedence error when a decider has lower confidence
        than the rule it overrides; either is intended when the decider declares it."""
        for target, rules in self.candidates.items():
            deciders: list[tuple[str, Any]] = []
            first = None
            for i, (rid, value) in enumerate(rules):
                state = states.get(rid)
                if state is not False:
                    deciders.append((rid, value))
                if state is True:
                    first = i
                    break
            if first is None:
                continue
            winner, won = rules[first]
            for rid, value in deciders[:-1]:  # unknown before the winner: it may decide
                if value == won or winner in self.declared.get(rid, ()):
                    if value != won:
                        self.declared_used.add((rid, winner))
                    continue
                if self.authority[winner] and not self.authority[rid]:
                    self.undetermines.setdefault((rid, winner, target), example)
            for loser, lost in rules[first + 1 :]:
                if states.get(loser) is not True:
                    continue
                for rid, value in deciders:
                    if value == lost:
                        continue
                    if loser in self.declared.get(rid, ()):
                        self.declared_used.add((rid, loser))
                    elif self.authority[loser] and not self.authority[rid]:
                        self.precedence.setdefault((rid, loser, target), example)
                    elif rid == winner:
                        self.contradictions.setdefault((winner, loser, target), example)

    def _steps(self, j: JourneyOut, example: dict[str, Any]) -> None:
        if j.status != "applies":
            return
        if self.applies_example is None:
            self.applies_example = example
        for s in j.steps:
            if s.status in ("required", "optional"):
                self.live_steps.add(s.id)
            elif self.step_example.get(s.id, ("undetermined",))[0] == "undetermined":
                # keep the first example, unless it is undetermined and a decided one comes
                self.step_example[s.id] = (s.status, example)

    def _shadowing(self, point: Point, example: dict[str, Any]) -> None:
        states = point.evaluation.states
        base: tuple[Any, ...] | None = None
        for rid in self.outcome_rules:
            if rid in self.effective or states[rid] is False:
                continue
            if states[rid] is True:
                self.first_held.setdefault(rid, example)
            if base is None:
                base = _outcomes(point.journey)
            without = replace(point.evaluation, states={**states, rid: False})
            if _outcomes(self.space.decide(point.known, without)) != base:
                self.effective.add(rid)

    def findings(self) -> Iterator[Finding]:
        jid = self.journey.id
        for target, (count, example) in self.gaps.items():
            if target == jid:
                what = Message("status")
            elif target.endswith(".variant"):
                what = Message("variant")
            else:
                what = Message("prerequisite")
            yield Finding(
                "gap",
                "error",
                Message(
                    "{journey}: no rule decides the {what} of {target} in {count} answer set(s); "
                    "the catalogue default is used",
                    journey=jid,
                    what=what,
                    target=target,
                    count=count,
                ),
                target=target,
                example=example,
            )
        for (winner, loser, target), example in self.contradictions.items():
            yield Finding(
                "contradiction",
                "warning",
                Message(
                    "rules {winner} and {loser} both hold and give {target} different values; "
                    "{winner} comes first and wins",
                    winner=winner,
                    loser=loser,
                    target=target,
                ),
                rule=loser,
                target=target,
                file=self.files[loser],
                example=example,
            )
        for (rid, loser, target), example in self.precedence.items():
            yield Finding(
                "precedence",
                "error",
                Message(
                    "rule {rule} ({confidence}) decides {target} against rule {other} "
                    "({other_confidence}), which holds there too; declare why in the rule's "
                    "precedence field, or change the rule",
                    rule=rid,
                    confidence=self.confidence[rid],
                    target=target,
                    other=loser,
                    other_confidence=self.confidence[loser],
                ),
                rule=rid,
                target=target,
                file=self.files[rid],
                example=example,
            )
        for (rid, other, target), example in self.undetermines.items():
            yield Finding(
                "precedence",
                "error",
                Message(
                    "rule {rule} ({confidence}), when it cannot be evaluated, leaves {target} "
                    "undetermined where rule {other} ({other_confidence}) decides it; declare "
                    "why in the rule's precedence field, or change the rule",
                    rule=rid,
                    confidence=self.confidence[rid],
                    target=target,
                    other=other,
                    other_confidence=self.confidence[other],
                ),
                rule=rid,
                target=target,
                file=self.files[rid],
                example=example,
            )
        if self.applies_example is None:
            yield Finding(
                "dead-step",
                "error",
                Message(
                    "{journey} never applies, so none of its steps is ever required or optional",
                    journey=jid,
                ),
                target=jid,
            )
        for s in self.journey.steps if self.applies_example is not None else ():
            if s.id in self.live_steps:
                continue
            status, seen = self.step_example.get(s.id, ("not_applicable", None))
            yield Finding(
                "dead-step",
                "error",
                Message(
                    "step {step} is never required nor optional where {journey} applies "
                    "(it is {status})",
                    step=s.id,
                    journey=jid,
                    status=status,
                ),
                target=s.id,
                example=seen or self.applies_example,
            )
        for rid in self.outcome_rules:
            if rid in self.effective or rid not in self.first_held:
                continue  # never holding is reported as unreachable
            example = self.first_held[rid]
            yield Finding(
                "shadowed",
                "error",
                Message(
                    "rule {rule} changes no outcome: dropping it leaves every decision of "
                    "{journey} as it is (earlier rules win wherever it holds, or it restates "
                    "the default)",
                    rule=rid,
                    journey=jid,
                ),
                rule=rid,
                file=self.files[rid],
                example=example,
            )
