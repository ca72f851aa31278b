"""Rule test cases: ``rules/**/rules.test.yaml``, data beside the rules they test.

A case is a partial profile plus expectations: rules that must *decide* (their condition
holds and their conclusion is used: cited as a reason, giving advice, or concluding a
fact), rules that must not, and expected outcomes (``ins: applies``,
``ins.devenv.cnda-contract: not_applicable``, ``ins.variant: repository``,
``ins.operations: "[]"``,
``ror-consumer.circle-of-trust-accepted: met``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.engine.evaluation import Evaluation
from eligibility.errors import ProfileError, RuleFileError
from eligibility.i18n.messages import Message
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet, read_rule_yaml
from eligibility.rules.model import RuleCase, RuleCaseFile


@dataclass(frozen=True)
class LoadedCase:
    """A case with the file it comes from."""

    path: str
    case: RuleCase

    @property
    def name(self) -> str:
        """``<file>::<case name>``, a stable test id."""
        return f"{self.path}::{self.case.name}"


@dataclass
class CaseResult:
    """What running one case gave.

    ``failures`` are English sentences (as JSON gives them), each a
    :class:`~eligibility.i18n.messages.Message` a text report can translate.
    """

    case: LoadedCase
    decided: set[str]
    states: dict[str, bool | None]
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every expectation held."""
        return not self.failures


def load_cases(ruleset: RuleSet) -> list[LoadedCase]:
    """Load every ``rules.test.yaml`` under the ruleset's root, in path order.

    Raises:
        RuleFileError: a case file is invalid or names an unknown rule or outcome.
    """
    root = Path(ruleset.root)
    out: list[LoadedCase] = []
    for path in sorted(root.rglob("rules.test.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            parsed = RuleCaseFile.model_validate(read_rule_yaml(path, rel))
        except ValidationError as exc:
            problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            raise RuleFileError(rel, problems) from None
        for case in parsed.cases:
            problems = _case_problems(ruleset, case)
            if problems:
                raise RuleFileError(rel, [f"case {case.name!r}: {p}" for p in problems])
            out.append(LoadedCase(rel, case))
    return out


def _targets(ruleset: RuleSet) -> set[str]:
    out: set[str] = set()
    for j in ruleset.journeys:
        out |= {j.id, f"{j.id}.variant", f"{j.id}.operations"} | {s.id for s in j.steps}
        out |= {p.id for p in j.prerequisites}
    return out


def _case_problems(ruleset: RuleSet, case: RuleCase) -> list[str]:
    known = ruleset.rule_by_id
    problems = [f"unknown rule {r!r}" for r in [*case.decides, *case.not_decides] if r not in known]
    targets = _targets(ruleset)
    problems += [f"unknown outcome {t!r}" for t in case.expect if t not in targets]
    try:
        _profile(case)
    except ProfileError as exc:
        problems.append(str(exc))
    return problems


def _profile(case: RuleCase) -> Any:
    data = {"id": "case", **case.profile}
    return parse_profile(data, source=f"case {case.name!r}")


def decided_rules(ruleset: RuleSet, decision: Decision, evaluation: Evaluation) -> set[str]:
    """The rules whose condition held and whose conclusion the decision uses."""
    cited = {
        r.rule
        for j in decision.journeys
        for group in (
            [j.reasons, j.variant_reasons, j.operations_reasons]
            + [p.reasons for p in j.prerequisites]
            + [s.reasons for s in j.steps]
        )
        for r in group
        if r.holds is True
    }
    out = set()
    for rule in ruleset.rules:
        if evaluation.states.get(rule.id) is not True:
            continue
        t = rule.then
        if rule.id in cited or t.fact or (t.advice and not t.status):
            out.add(rule.id)
    return out


def run_case(evaluator: Evaluator, loaded: LoadedCase) -> CaseResult:
    """Evaluate one case and check its expectations."""
    case = loaded.case
    profile = _profile(case)
    evaluation = evaluator.run(profile)
    decision = evaluator.decider.decide(profile, evaluation, with_trace=False)
    decided = decided_rules(evaluator.ruleset, decision, evaluation)
    result = CaseResult(loaded, decided, dict(evaluation.states))
    for rule in case.decides:
        if rule not in decided:
            state = evaluation.states.get(rule)
            if state is True:
                failure = Message("{rule} should decide, but it held but was not used", rule=rule)
            elif state is False:
                failure = Message("{rule} should decide, but it did not hold", rule=rule)
            else:
                failure = Message("{rule} should decide, but it could not be evaluated", rule=rule)
            result.failures.append(failure)
    for rule in case.not_decides:
        if rule in decided:
            result.failures.append(Message("{rule} should not decide, but it did", rule=rule))
    for target, want in case.expect.items():
        got = decision.outcome(target)
        if got != want:
            result.failures.append(
                Message("{target}: expected {want}, got {got}", target=target, want=want, got=got)
            )
    return result


def uncovered(ruleset: RuleSet, cases: list[LoadedCase]) -> dict[str, list[str]]:
    """Rules lacking a case where they decide, or a case where they do not."""
    decides = {r for c in cases for r in c.case.decides}
    silent = {r for c in cases for r in c.case.not_decides}
    out: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        gaps = []
        if rule.id not in decides:
            gaps.append("no case where it decides")
        if rule.id not in silent:
            gaps.append("no case where it does not decide")
        if gaps:
            out[rule.id] = gaps
    return out
