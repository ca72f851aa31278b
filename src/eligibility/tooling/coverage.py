"""``rules test``: run every rule's cases and measure how much of the rules they exercise.

Two measures, per rule file and overall:

- **rule coverage**: the share of rules that *decided* in at least one case (their
  condition held and their conclusion was used, see :func:`cases.decided_rules`);
- **condition coverage**: the share of conditions (every field or fact test in a rule's
  ``when``, wherever it sits in ``all``/``any``/``not``) seen both true and false over
  the cases. A test on an unknown field is neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eligibility.decision.evaluator import Evaluator
from eligibility.i18n.conditions import describe
from eligibility.i18n.messages import localized
from eligibility.i18n.words import colon, tr
from eligibility.profile.model import parse_profile
from eligibility.rules.loader import RuleSet
from eligibility.rules.logic import Atom, Truth, evaluate, field_formula, formula, profile_atoms
from eligibility.rules.model import AllOf, AnyOf, Condition, FactTest, FieldTest, NotOf
from eligibility.tooling.cases import CaseResult, load_cases, run_case


def conditions(cond: Condition | None) -> Iterator[FieldTest | FactTest]:
    """The field and fact tests of a condition, in reading order."""
    if cond is None:
        return
    if isinstance(cond, FieldTest | FactTest):
        yield cond
    elif isinstance(cond, AllOf | AnyOf):
        for c in cond.all if isinstance(cond, AllOf) else cond.any:
            yield from conditions(c)
    elif isinstance(cond, NotOf):
        yield from conditions(cond.not_)


@dataclass
class ConditionCoverage:
    """One condition of one rule and the values it took over the cases."""

    rule: str
    index: int
    text: str
    seen: set[bool] = field(default_factory=set)

    @property
    def covered(self) -> bool:
        """Seen both true and false."""
        return self.seen == {True, False}


@dataclass
class FileCoverage:
    """Coverage of one rule file."""

    path: str
    rules: list[str]
    decided: set[str]
    conditions: list[ConditionCoverage]

    @property
    def rule_percent(self) -> float:
        """Share of rules that decided in at least one case (100 for a file without rules)."""
        return _percent(len(self.decided & set(self.rules)), len(self.rules))

    @property
    def condition_percent(self) -> float:
        """Share of conditions seen both true and false."""
        return _percent(sum(c.covered for c in self.conditions), len(self.conditions))


def _percent(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else 100.0 * part / whole


@dataclass
class RuleTestReport:
    """Every case's result and the coverage of every rule file."""

    results: list[CaseResult]
    files: list[FileCoverage]

    @property
    def failures(self) -> list[CaseResult]:
        """The cases whose expectations did not hold."""
        return [r for r in self.results if not r.ok]

    @property
    def rule_percent(self) -> float:
        """Rule coverage over every file."""
        rules = [r for f in self.files for r in f.rules]
        decided = set().union(*(f.decided for f in self.files)) if self.files else set()
        return _percent(len([r for r in rules if r in decided]), len(rules))

    @property
    def condition_percent(self) -> float:
        """Condition coverage over every file."""
        conds = [c for f in self.files for c in f.conditions]
        return _percent(sum(c.covered for c in conds), len(conds))

    def ok(self, min_coverage: float = 0.0, min_condition_coverage: float = 0.0) -> bool:
        """Every case passed and the coverage reaches the thresholds (in percent)."""
        return (
            not self.failures
            and self.rule_percent >= min_coverage
            and self.condition_percent >= min_condition_coverage
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "cases": len(self.results),
            "failed": [{"case": r.case.name, "failures": r.failures} for r in self.failures],
            "rule_coverage": round(self.rule_percent, 1),
            "condition_coverage": round(self.condition_percent, 1),
            "files": [
                {
                    "path": f.path,
                    "rule_coverage": round(f.rule_percent, 1),
                    "condition_coverage": round(f.condition_percent, 1),
                    "rules_not_deciding": [r for r in f.rules if r not in f.decided],
                    "conditions_not_covered": [
                        {"rule": c.rule, "condition": c.text, "seen": sorted(c.seen)}
                        for c in f.conditions
                        if not c.covered
                    ],
                }
                for f in self.files
            ],
        }

    def to_text(self, lang: str = "en") -> str:
        """The report for a terminal: failed cases, a coverage table, what is not covered.

        With ``lang``, the report's words, the failures' details and the conditions are in
        that language; case names and rule ids stay as written.
        """
        colon_ = colon(lang)
        fail = tr("FAIL", lang)
        out = [
            f"{fail} {r.case.name}{colon_} {'; '.join(localized(f, lang) for f in r.failures)}"
            for r in self.failures
        ]
        passed = len(self.results) - len(self.failures)
        out.append(f"{passed}/{len(self.results)} {tr('cases passed', lang)}")
        out.append("")
        head = (tr("file", lang), tr("rules", lang), tr("conditions", lang))
        width = max((len(f.path) for f in self.files), default=len(head[0]))
        out.append(f"{head[0]:<{width}}  {head[1]:>5}  {head[2]:>10}")
        for f in self.files:
            out.append(f"{f.path:<{width}}  {f.rule_percent:>4.0f}%  {f.condition_percent:>9.0f}%")
        total = tr("total", lang)
        out.append(f"{total:<{width}}  {self.rule_percent:>4.0f}%  {self.condition_percent:>9.0f}%")
        for f in self.files:
            for r in f.rules:
                if r not in f.decided:
                    out.append(f"  {tr('rule never decides in a case', lang)}{colon_} {r}")
            for c in f.conditions:
                if not c.covered:
                    never = f" {tr('and', lang)} ".join(
                        tr(w, lang)
                        for w, v in (("true", True), ("false", False))
                        if v not in c.seen
                    )
                    condition, never_word = tr("condition", lang), tr("never", lang)
                    text = localized(c.text, lang)
                    out.append(f"  {c.rule}{colon_} {condition} '{text}' {never_word} {never}")
        return "\n".join(out) + "\n"


def _leaf_formula(test: FieldTest | FactTest) -> Any:
    return field_formula(test) if isinstance(test, FieldTest) else formula(test)


def run_rule_tests(ruleset: RuleSet, engine: str = "durable") -> RuleTestReport:
    """Run every case of ``rules/**/rules.test.yaml`` and measure rule and condition coverage.

    Raises:
        RuleFileError: a case file is invalid or names an unknown rule or outcome.
    """
    evaluator = Evaluator(ruleset, engine)  # type: ignore[arg-type]
    cases = load_cases(ruleset)
    results = [run_case(evaluator, c) for c in cases]
    leaves = {
        r.id: [(i, t, _leaf_formula(t)) for i, t in enumerate(conditions(r.when))]
        for r in ruleset.rules
    }
    coverage = {
        r.id: [ConditionCoverage(r.id, i, describe(t)) for i, t, _ in leaves[r.id]]
        for r in ruleset.rules
    }
    for loaded in cases:
        profile = parse_profile({"id": "case", **loaded.case.profile}, source=loaded.name)
        values = profile_atoms(profile)
        facts = evaluator.run(profile).facts

        def value_of(
            a: Atom, values: dict[str, bool] = values, facts: dict[str, Truth] = facts
        ) -> Truth:
            return facts.get(a.key) if a.kind == "fact" else values.get(a.key)

        for rid, tests in leaves.items():
            for i, _, f in tests:
                v = evaluate(f, value_of)
                if v is not None:
                    coverage[rid][i].seen.add(v)
    files: dict[str, list[str]] = {}
    for r in ruleset.rules:
        files.setdefault(ruleset.rule_files[r.id], []).append(r.id)
    decided = set().union(*(res.decided for res in results)) if results else set()
    report_files = [
        FileCoverage(path, ids, decided & set(ids), [c for rid in ids for c in coverage[rid]])
        for path, ids in sorted(files.items())
    ]
    return RuleTestReport(results, report_files)
