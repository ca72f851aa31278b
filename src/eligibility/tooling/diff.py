"""``rules diff OLD NEW``: what a change of the rules changes, in the rules and in decisions.

The rule-level diff compares the two rule sets by id: rules added, removed, and changed
(with the parts that differ: condition, conclusion, text, source, confidence, note, and a
move to another file or another place in the file order, which matters since the first
rule that holds wins); and catalogue entries (journeys, steps) added or removed.

With a portfolio (any file ``batch`` reads: CSV, JSON, JSONL or YAML), every
product is evaluated with both rule sets (plain-Python interpreter, identical decisions to
durable) and every outcome that differs is listed, journey by journey and step by step,
with the rules that decided it before and after.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision, JourneyOut, Reason
from eligibility.i18n.messages import Message, localized
from eligibility.i18n.words import colon, tr
from eligibility.profile.portfolio import read_profiles
from eligibility.rules.loader import RuleSet, load_ruleset

RULE_PARTS = ("when", "then", "text", "source", "confidence", "note")


@dataclass(frozen=True)
class RuleChange:
    """A rule present in both rule sets whose definition or place differs."""

    rule: str
    parts: list[str]


@dataclass(frozen=True)
class OutcomeChange:
    """One outcome of one product that differs between the rule sets."""

    profile_id: str
    journey: str
    target: str
    before: str
    after: str
    rules_before: list[str]
    rules_after: list[str]


@dataclass
class RuleDiff:
    """The difference between two rule sets, and its effect on a portfolio."""

    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RuleChange] = field(default_factory=list)
    catalogue: list[str] = field(default_factory=list)
    profiles: int | None = None
    outcomes: list[OutcomeChange] = field(default_factory=list)

    @property
    def rules_changed(self) -> bool:
        """Anything differs in the rules or the catalogue."""
        return bool(self.added or self.removed or self.changed or self.catalogue)

    @property
    def anything_changed(self) -> bool:
        """Rules, catalogue or a decision of the portfolio differ."""
        return self.rules_changed or bool(self.outcomes)

    @property
    def products_changed(self) -> list[str]:
        """The products whose decision changes, in portfolio order."""
        return list(dict.fromkeys(o.profile_id for o in self.outcomes))

    def to_dict(self) -> dict[str, Any]:
        """As plain JSON data."""
        data = asdict(self)
        data["products_changed"] = self.products_changed
        return data

    def to_text(self, lang: str = "en") -> str:
        """For a terminal (or a pull-request comment).

        With ``lang``, the report's own words, a rule's move and the catalogue change lines
        are in that language; ids, the changed parts of a rule (its YAML keys) and outcomes
        stay as written.
        """
        c_ = colon(lang)
        rule = tr("rule", lang)
        out = [f"{tr('rules', lang)}{c_} {self.old} -> {self.new}"]
        out += [f"  + {rule} {r}" for r in self.added]
        out += [f"  - {rule} {r}" for r in self.removed]
        out += [
            f"  ~ {rule} {c.rule}{c_} {', '.join(localized(p, lang) for p in c.parts)}"
            for c in self.changed
        ]
        out += [f"  {localized(c, lang)}" for c in self.catalogue]
        if not self.rules_changed:
            out.append(f"  {tr('no rule changed', lang)}")
        if self.profiles is not None:
            changed = self.products_changed
            out.append("")
            n, total = len(changed), self.profiles
            if lang == "fr":  # French agrees with the number changed, 0 and 1 singular
                counts = (
                    f"{n} produit{'s' if n > 1 else ''} sur {total} change{'nt' if n > 1 else ''}"
                )
            else:
                counts = f"{n} of {total} products change"
            out.append(f"{tr('portfolio', lang)}{c_} {counts}")
            current = None
            for o in self.outcomes:
                if o.profile_id != current:
                    current = o.profile_id
                    out.append(f"  {o.profile_id}")
                why = f"[{', '.join(o.rules_before)}] -> [{', '.join(o.rules_after)}]"
                out.append(f"    {o.target}: {o.before} -> {o.after}  {why}")
        return "\n".join(out) + "\n"


def _rule_data(ruleset: RuleSet) -> dict[str, dict[str, Any]]:
    return {
        r.id: r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in ruleset.rules
    }


def diff_rulesets(old: RuleSet, new: RuleSet) -> RuleDiff:
    """Compare two loaded rule sets (no portfolio)."""
    out = RuleDiff(old.root, new.root)
    before, after = _rule_data(old), _rule_data(new)
    out.added = [r for r in after if r not in before]
    out.removed = [r for r in before if r not in after]
    common_before = [r for r in before if r in after]
    common_after = [r for r in after if r in before]
    for rid in common_after:
        parts = [p for p in RULE_PARTS if before[rid].get(p) != after[rid].get(p)]
        if old.rule_files[rid] != new.rule_files[rid]:
            parts.append(Message("moved to {file}", file=new.rule_files[rid]))
        elif common_before.index(rid) != common_after.index(rid):
            parts.append(Message("order"))
        if parts:
            out.changed.append(RuleChange(rid, parts))
    out.catalogue = _catalogue_changes(old, new)
    return out


def _catalogue_changes(old: RuleSet, new: RuleSet) -> list[str]:
    """Journeys and steps added or removed, then journeys whose entry changed (as messages:
    English in JSON, translated in the text report)."""
    out: list[str] = []
    a, b = [j.id for j in old.journeys], [j.id for j in new.journeys]
    out += [Message("+ journey {journey}", journey=x) for x in b if x not in a]
    out += [Message("- journey {journey}", journey=x) for x in a if x not in b]
    a, b = list(old.step_journey), list(new.step_journey)
    out += [Message("+ step {step}", step=x) for x in b if x not in a]
    out += [Message("- step {step}", step=x) for x in a if x not in b]
    old_j, new_j = old.journey_by_id, new.journey_by_id
    for jid in new_j:
        if jid in old_j and old_j[jid] != new_j[jid]:
            out.append(Message("~ journey {journey}: catalogue entry changed", journey=jid))
    return out


def _outcomes(j: JourneyOut) -> list[tuple[str, str, list[Reason]]]:
    out: list[tuple[str, str, list[Reason]]] = [(j.id, j.status, j.reasons)]
    if j.variant is not None or j.variant_reasons:
        out.append((f"{j.id}.variant", str(j.variant), j.variant_reasons))
    if j.operations is not None or j.operations_reasons:
        ops = "None" if j.operations is None else "[" + ", ".join(j.operations) + "]"
        out.append((f"{j.id}.operations", ops, j.operations_reasons))
    for p in j.prerequisites:
        met = {True: "met", False: "not_met", None: "undetermined"}[p.met]
        out.append((p.id, met, p.reasons))
    out += [(s.id, s.status, s.reasons) for s in j.steps]
    return out


def compare_decisions(old: Decision, new: Decision) -> list[OutcomeChange]:
    """Every outcome (journey status, variant, prerequisite, step) that differs."""
    changes: list[OutcomeChange] = []
    old_j = {j.id: j for j in old.journeys}
    new_j = {j.id: j for j in new.journeys}
    for jid in dict.fromkeys([*old_j, *new_j]):
        before = {t: (v, r) for t, v, r in _outcomes(old_j[jid])} if jid in old_j else {}
        after = {t: (v, r) for t, v, r in _outcomes(new_j[jid])} if jid in new_j else {}
        for target in dict.fromkeys([*before, *after]):
            b, rb = before.get(target, ("absent", []))
            a, ra = after.get(target, ("absent", []))
            if a != b:
                changes.append(
                    OutcomeChange(
                        old.profile_id,
                        jid,
                        target,
                        b,
                        a,
                        [r.rule for r in rb],
                        [r.rule for r in ra],
                    )
                )
    return changes


def diff_rules(old_dir: str | Path, new_dir: str | Path, portfolio: str | None = None) -> RuleDiff:
    """Compare two rules directories and, with a portfolio, the decisions they give.

    Raises:
        RuleFileError: a rules directory is invalid.
        UsageError, InputFileError, ProfileError: the portfolio's format cannot be told,
            it is unreadable, or a profile is invalid.
    """
    old, new = load_ruleset(old_dir), load_ruleset(new_dir)
    out = diff_rulesets(old, new)
    out.old, out.new = str(old_dir), str(new_dir)
    if portfolio is not None:
        before, after = Evaluator(old, "python"), Evaluator(new, "python")
        out.profiles = 0
        for p in read_profiles(portfolio):
            out.profiles += 1
            out.outcomes += compare_decisions(
                before.evaluate(p, with_trace=False), after.evaluate(p, with_trace=False)
            )
    return out
