"""``explain PROFILE TARGET``: why a journey, step, prerequisite or variant came out as it
did, condition by condition, and which smallest changes to the answers would change it.

The explanation re-evaluates every condition of the rules concluding the target with the
plain-Python interpreter (which can evaluate any rule alone) and shows each condition's
value beside the profile's answer. The counterfactuals are computed, never written: every
change of one decisive answer of the target's journey is evaluated, then, for the
outcomes no single change reaches, every change of two answers. A change gives a known
answer (to a field that was unknown, or a different one); only the fields the journey's
rules read are tried, with the answers that make a difference to them.

One cohesive module although over 400 lines: the explanation model and the two searches
that fill it (conditions re-evaluated, counterfactual changes) share the target's rules.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import JourneyOut, Reason
from eligibility.decision.relevance import deep_fields
from eligibility.decision.space import JourneySpace
from eligibility.errors import UsageError
from eligibility.i18n import typography
from eligibility.i18n.conditions import describe
from eligibility.i18n.messages import Message, localized, say
from eligibility.i18n.translation import Translation, localize
from eligibility.i18n.words import tr
from eligibility.profile.model import FIELDS, Profile
from eligibility.rules.loader import RuleSet
from eligibility.rules.logic import Atom, Truth, evaluate, formula, profile_atoms
from eligibility.rules.model import AllOf, AnyOf, Condition, FactTest, FieldTest, NotOf, Rule

TargetKind = Literal["journey", "step", "prerequisite", "variant", "operations"]

STATUSES: dict[str, tuple[str, ...]] = {
    "journey": ("applies", "not_applicable", "undetermined"),
    "step": ("required", "optional", "done", "not_applicable", "undetermined"),
    "prerequisite": ("met", "not_met", "undetermined"),
}


@dataclass(frozen=True)
class ConditionLine:
    """One node of a rule's condition: its words, its value, the answer it read."""

    depth: int
    text: str
    value: Truth
    answer: Any = None
    reads: str | None = None  # the field or fact whose answer is shown


@dataclass(frozen=True)
class RuleLine:
    """One rule concluding the target, and what it did for this profile."""

    rule: str
    text: str
    concludes: str
    result: Literal["holds", "fails", "unknown"]
    role: str
    conditions: list[ConditionLine]


@dataclass(frozen=True)
class Change:
    """One answer changed."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Counterfactual:
    """A smallest set of changed answers that gives the target another outcome."""

    outcome: str
    changes: list[Change]
    sentence: str


@dataclass
class Explanation:
    """Why a target came out as it did, and what would change it."""

    profile_id: str
    target: str
    kind: TargetKind
    journey: str
    journey_status: str
    journey_reasons: list[str]
    outcome: str
    rules: list[RuleLine]
    default: bool
    missing: list[str]
    counterfactuals: list[Counterfactual] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    #: The target's title (a journey's, step's or prerequisite's), its number in the
    #: journey's guided tour (steps only), the reasons the decision gives for its outcome,
    #: and the answers those reasons rest on (``None``: not answered), in field order.
    title: str = ""
    number: int | None = None
    because: list[Reason] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """As plain JSON data."""
        return asdict(self)

    def localized(self, translation: Translation) -> Explanation:
        """A copy with the rule texts and the counterfactual sentences in a language.

        Ids, outcomes, field names and answers keep their values (the JSON contract).
        """
        lang = translation.lang
        return replace(
            self,
            title=translation.text(self.title),
            because=localize(self.because, translation),
            rules=[replace(r, text=translation.text(r.text)) for r in self.rules],
            counterfactuals=[
                replace(c, sentence=_sentence(self.target, c.outcome, c.changes, lang, self.kind))
                for c in self.counterfactuals
            ],
        )

    def to_text(self, lang: str = "en") -> str:
        """For a terminal, in a language (the texts themselves come from :meth:`localized`)."""
        c = typography.colon(lang)

        def t(english: str) -> str:
            return _word(english, lang)

        out = [
            f"{self.target} ({t(self.kind)} {t('of')} {self.journey}) {t('for')} "
            f"{self.profile_id}{c} {_outcome(self.outcome, lang, self.kind)}"
        ]
        if self.kind != "journey":
            why = ", ".join(self.journey_reasons)
            status = _outcome(self.journey_status, lang)
            out.append(f"  {t('journey')} {self.journey}{c} {status} ({why})")
        if self.missing:
            out.append(f"  {t('unknown answers that matter')}{c} {', '.join(self.missing)}")
        out.append("")
        out.append(t("Rules, in the order they are tried (the first that holds wins):"))
        if not self.rules:
            out.append(f"  {t('(no rule concludes it)')}")
        for r in self.rules:
            out.append(f"  {r.rule}{c} {t(r.result).upper()}, {localized(r.role, lang)}")
            if lang != "en":
                # The rule's own words, translated; English readers have them in the files.
                out.append(f"    « {r.text} »")
            out.append(f"    {t('concludes')} {_concludes_text(r.concludes, lang)}")
            for cond in r.conditions:
                answer = ""
                if cond.reads is not None:
                    shown = t("unknown") if cond.answer is None else _show(cond.answer, lang)
                    answer = f"  ({localized(cond.reads, lang)} = {shown})"
                # A leaf says its test in words (a Message); a node is one of our words.
                text = t(cond.text) if cond.reads is None else localized(cond.text, lang)
                out.append(f"    {'  ' * cond.depth}{text}{c} {_truth(cond.value, lang)}{answer}")
        if self.default:
            out.append(f"  {t('No rule holds or is unknown: the catalogue default applies.')}")
        out.append("")
        out.append(t("What would change it (smallest changes of the answers):"))
        for cf in self.counterfactuals:
            out.append(f"  {cf.sentence}")
        for outcome in self.unreachable:
            shown = _outcome(outcome, lang, self.kind)
            sentence = say(
                "{target} cannot become {outcome} by changing one or two answers",
                lang,
                target=self.target,
                outcome=shown,
            )
            out.append(f"  {sentence}")
        if not self.counterfactuals and not self.unreachable:
            out.append(f"  {t('nothing')}")
        text = "\n".join(out) + "\n"
        return typography.french(text) if lang == "fr" else text


#: Explain's own words in French, keyed by their English wording.
FRENCH = {
    "journey": "parcours",
    "step": "étape",
    "prerequisite": "prérequis",
    "variant": "variante",
    "of": "de",
    "for": "pour",
    "unknown answers that matter": "réponses inconnues qui comptent",
    "Rules, in the order they are tried (the first that holds wins):": (
        "Règles, dans l'ordre où elles sont essayées (la première qui s'applique l'emporte) :"
    ),
    "(no rule concludes it)": "(aucune règle ne conclut dessus)",
    "holds": "vraie",
    "fails": "fausse",
    "unknown": "inconnu",
    "concludes": "conclut",
    "always": "toujours",
    "all of": "toutes ces conditions",
    "any of": "l'une de ces conditions",
    "not": "non",
    "true": "vrai",
    "false": "faux",
    "No rule holds or is unknown: the catalogue default applies.": (
        "Aucune règle ne s'applique ni n'est inconnue : la valeur par défaut du catalogue"
        " s'applique."
    ),
    "What would change it (smallest changes of the answers):": (
        "Ce qui changerait le résultat (plus petits changements des réponses) :"
    ),
    "nothing": "rien",
    "met": "rempli",
    "not met": "non rempli",
    "operations": "opérations",
}

#: Outcomes as a French reader says them (the ids stay in JSON).
FRENCH_OUTCOMES = {
    "applies": "s'applique",
    "not_applicable": "ne s'applique pas",
    "undetermined": "indéterminé",
    "required": "à faire",
    "optional": "facultative",
    "done": "faite",
    "met": "rempli",
    "not_met": "non rempli",
}


def _word(english: str, lang: str) -> str:
    return FRENCH.get(english, english) if lang == "fr" else english


def _outcome(outcome: str, lang: str, kind: str = "journey") -> str:
    if lang != "fr":
        return outcome
    if kind == "step" and outcome == "undetermined":
        return "indéterminée"  # une étape
    return FRENCH_OUTCOMES.get(outcome, outcome)


def _operations_fr(operations: str) -> str:
    """INSi operations, ``retrieval, verification``, in French words."""
    return ", ".join(tr(op, "fr") for op in operations.split(", "))


def _concludes_text(concludes: str, lang: str) -> str:
    if lang != "fr":
        return concludes
    target, _, value = concludes.partition(": ")
    if value.startswith("variant "):
        variant, _, operations = value.removeprefix("variant ").partition(" (operations: ")
        value = f"variante {variant}"
        if operations:
            value += f" (opérations : {_operations_fr(operations.removesuffix(')'))})"
    elif value.startswith("operations "):
        value = "opérations " + _operations_fr(value.removeprefix("operations "))
    else:
        value = _outcome(value.replace("not met", "not_met"), lang, "step")
    return f"{target} : {value}"


def _truth(v: Truth, lang: str = "en") -> str:
    return _word({True: "true", False: "false", None: "unknown"}[v], lang)


def _show(value: Any, lang: str = "en") -> str:
    if isinstance(value, bool):
        return _word("true" if value else "false", lang)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _target(ruleset: RuleSet, target: str) -> tuple[TargetKind, str]:
    if target in ruleset.journey_by_id:
        return "journey", target
    if target.endswith(".variant") and target.removesuffix(".variant") in ruleset.journey_by_id:
        return "variant", target.removesuffix(".variant")
    journey_id = target.removesuffix(".operations")
    if target.endswith(".operations") and journey_id in ruleset.journey_by_id:
        return "operations", journey_id
    if target in ruleset.step_journey:
        return "step", ruleset.step_journey[target].id
    for j in ruleset.journeys:
        if target in {p.id for p in j.prerequisites}:
            return "prerequisite", j.id
    raise UsageError(unknown_target(ruleset, target))


def target_ids(ruleset: RuleSet) -> list[str]:
    """Every id ``explain`` takes: journeys, their variants and operations, prerequisites
    and steps, in catalogue order."""
    ids: list[str] = []
    for j in ruleset.journeys:
        ids.append(j.id)
        if j.variants:
            ids.append(f"{j.id}.variant")
        if any(r.then.journey == j.id and r.then.operations is not None for r in ruleset.rules):
            ids.append(f"{j.id}.operations")
        ids += [p.id for p in j.prerequisites]
        ids += [s.id for s in j.steps]
    return ids


def unknown_target(ruleset: RuleSet, target: str) -> str:
    """What to say of a target that names nothing: the closest ids, and the steps of the
    journey it most likely meant (the journeys when none is likely)."""
    ids = target_ids(ruleset)
    # The closest ids, and those nearly as close: a typo has one answer, most of the time.
    scored = sorted(
        ((difflib.SequenceMatcher(None, target, i).ratio(), i) for i in ids), reverse=True
    )
    best = scored[0][0] if scored else 0.0
    close = [i for score, i in scored[:3] if score >= 0.6 and score >= best - 0.05]
    lines = [f"unknown target {target!r}."]
    if close:
        lines[0] += f" Did you mean {' or '.join(close)}?"
    head = target.split(".")[0]
    journey = ruleset.journey_by_id.get(head)
    if journey is None and close:
        journey = ruleset.journey_by_id.get(close[0].split(".")[0])
    if journey is None:
        lines.append(f"Journeys: {', '.join(j.id for j in ruleset.journeys)}.")
    else:
        lines.append(f"Steps of {journey.id}: {', '.join(s.id for s in journey.steps)}.")
    lines.append(
        "A target is a journey, a step, a prerequisite, <journey>.variant or <journey>.operations."
    )
    return "\n".join(lines)


def outcome_of(journey: JourneyOut, kind: TargetKind, target: str) -> str:
    """The target's outcome in a journey's decision, as :meth:`Decision.outcome` gives it."""
    if kind == "journey":
        return journey.status
    if kind == "variant":
        return str(journey.variant)
    if kind == "operations":
        ops = journey.operations
        return "None" if ops is None else "[" + ", ".join(ops) + "]"
    if kind == "prerequisite":
        p = next(p for p in journey.prerequisites if p.id == target)
        return {True: "met", False: "not_met", None: "undetermined"}[p.met]
    return next(s for s in journey.steps if s.id == target).status


def _concludes(rule: Rule, kind: TargetKind) -> bool:
    t = rule.then
    if kind == "journey":
        return t.status is not None
    if kind == "variant":
        return t.variant is not None
    if kind == "operations":
        return t.operations is not None
    if kind == "prerequisite":
        return t.met is not None
    return t.status is not None


def _rules_for(ruleset: RuleSet, kind: TargetKind, target: str, journey: str) -> list[Rule]:
    out = []
    for r in ruleset.rules:
        t = r.then
        about = (
            (kind in ("journey", "variant", "operations") and t.journey == journey)
            or (kind == "prerequisite" and t.prerequisite == target)
            or (kind == "step" and target in t.steps)
        )
        if about and _concludes(r, kind):
            out.append(r)
    return out


def _value_text(rule: Rule, kind: TargetKind) -> str:
    t = rule.then
    if kind == "variant":
        ops = f" (operations: {', '.join(t.operations)})" if t.operations else ""
        return f"variant {t.variant}{ops}"
    if kind == "operations":
        return "operations [" + ", ".join(t.operations or ()) + "]"
    if kind == "prerequisite":
        return "met" if t.met else "not met"
    return str(t.status)


def _condition_lines(
    cond: Condition | None,
    value_of: Any,
    known: dict[str, Any],
    facts: dict[str, Truth],
    depth: int = 0,
    ruleset: RuleSet | None = None,
) -> Iterator[ConditionLine]:
    """The lines of a condition, a derived fact followed by the condition of the rule that
    concludes it (one level deeper), so the answers it rests on show."""
    if cond is None:
        yield ConditionLine(depth, "always", True)
        return
    value = evaluate(formula(cond), value_of)
    if isinstance(cond, FieldTest):
        yield ConditionLine(depth, describe(cond), value, known.get(cond.field), cond.field)
    elif isinstance(cond, FactTest):
        reads = Message("fact {fact}", fact=cond.fact)
        yield ConditionLine(depth, describe(cond), value, facts.get(cond.fact), reads)
        if ruleset is not None:
            concluding = ruleset.rule_by_id[ruleset.fact_rule[cond.fact]]
            yield from _condition_lines(concluding.when, value_of, known, facts, depth + 1, ruleset)
    elif isinstance(cond, AllOf | AnyOf):
        words, parts = ("all of", cond.all) if isinstance(cond, AllOf) else ("any of", cond.any)
        yield ConditionLine(depth, words, value)
        for c in parts:
            yield from _condition_lines(c, value_of, known, facts, depth + 1, ruleset)
    elif isinstance(cond, NotOf):
        yield ConditionLine(depth, "not", value)
        yield from _condition_lines(cond.not_, value_of, known, facts, depth + 1, ruleset)


def explain(ruleset: RuleSet, profile: Profile, target: str) -> Explanation:
    """Explain one target's outcome for a profile and compute its counterfactuals.

    Raises:
        UsageError: the target names no journey, step, prerequisite or variant.
    """
    kind, journey_id = _target(ruleset, target)
    evaluator = Evaluator(ruleset, "python")
    evaluation = evaluator.run(profile)
    decision = evaluator.decider.decide(profile, evaluation, with_trace=False)
    journey = decision.journey(journey_id)
    outcome = outcome_of(journey, kind, target)
    known = profile.known()
    atoms_ = profile_atoms(profile)
    facts = evaluation.facts

    def value_of(a: Atom) -> Truth:
        return facts.get(a.key) if a.kind == "fact" else atoms_.get(a.key)

    lines: list[RuleLine] = []
    winner: str | None = None
    for r in _rules_for(ruleset, kind, target, journey_id):
        state = evaluation.states[r.id]
        bare = evaluate(ruleset.formulas[r.id], value_of)
        # Roles are Messages: English in JSON, translated by the text report.
        if state is True and winner is None:
            role = Message("decides")
            winner = r.id
        elif state is True:
            role = Message("overridden by {rule}, which comes first", rule=winner)
        elif state is None and winner is not None:
            role = Message("unknown, but {rule} decided first", rule=winner)
        elif state is None:
            role = Message("unknown: keeps its conclusion open")
        elif bare is not False:
            role = Message(
                "the journey {journey} does not apply, so it says nothing", journey=journey_id
            )
        else:
            role = Message("its condition does not hold")
        result: Literal["holds", "fails", "unknown"] = (
            "holds" if state is True else "unknown" if state is None else "fails"
        )
        lines.append(
            RuleLine(
                r.id,
                r.text,
                f"{target}: {_value_text(r, kind)}",
                result,
                role,
                list(_condition_lines(r.when, value_of, known, facts, ruleset=ruleset)),
            )
        )
    reasons = _reasons(journey, kind, target)
    default = len(reasons) == 1 and reasons[0].startswith("catalogue:")
    missing = journey.missing
    if kind == "step":
        missing = next(s.missing for s in journey.steps if s.id == target)
    out = Explanation(
        profile.id,
        target,
        kind,
        journey_id,
        journey.status,
        [r.rule for r in journey.reasons],
        outcome,
        lines,
        default,
        missing,
    )
    out.title, out.number, out.because = _described(journey, kind, target)
    out.answers = _answers(ruleset, out, known)
    _counterfactuals(out, ruleset, known)
    return out


def _described(
    journey: JourneyOut, kind: TargetKind, target: str
) -> tuple[str, int | None, list[Reason]]:
    """The target's title, its number among the journey's steps, and its reasons."""
    if kind == "journey":
        return journey.title, None, list(journey.reasons)
    if kind in ("variant", "operations"):
        reasons = journey.variant_reasons if kind == "variant" else journey.operations_reasons
        return journey.title, None, list(reasons)
    if kind == "prerequisite":
        p = next(p for p in journey.prerequisites if p.id == target)
        return p.title, None, list(p.reasons)
    number, step = next((n, s) for n, s in enumerate(journey.steps, 1) if s.id == target)
    return step.title, number, list(step.reasons)


def _answers(ruleset: RuleSet, out: Explanation, known: dict[str, Any]) -> dict[str, Any]:
    """The answers the target's reasons rest on: the fields read by the rules that decided
    it (or, when the catalogue's default applies, by every rule tried for it)."""
    deep = deep_fields(ruleset)
    rules = [r.rule for r in out.because if r.rule in deep]
    if not rules:
        rules = [r.rule for r in out.rules]
    names = {f for rule in rules for f in deep[rule]}
    return {name: known.get(name) for name in FIELDS if name in names}


def _reasons(journey: JourneyOut, kind: TargetKind, target: str) -> list[str]:
    if kind == "journey":
        return [r.rule for r in journey.reasons]
    if kind == "variant":
        return [r.rule for r in journey.variant_reasons]
    if kind == "operations":
        return [r.rule for r in journey.operations_reasons]
    if kind == "prerequisite":
        return [r.rule for p in journey.prerequisites if p.id == target for r in p.reasons]
    return [r.rule for s in journey.steps if s.id == target for r in s.reasons]


def _alternatives(space: JourneySpace, known: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """For each decisive field, the known answers different from the current one."""
    out = []
    for d in space.dimensions:
        spec = FIELDS[d.field]
        current = known.get(d.field)
        if spec.kind == "list":
            tested = {v for subset in d.answers if subset is not None for v in subset}
            kept = [v for v in (current or []) if v not in tested]
            options = [
                [v for v in spec.values if v in kept or v in subset]
                for subset in d.answers
                if subset is not None
            ]
        else:
            options = list(spec.atoms())
        out.append((d.field, [o for o in options if o != current]))
    return out


#: "would be <outcome>" in French, as a verb: a status is not an adjective everywhere.
FRENCH_WOULD_BE = {
    "applies": "s'appliquerait",
    "not_applicable": "ne s'appliquerait pas",
    "required": "serait à faire",
    "met": "serait rempli",
    "not_met": "ne serait pas rempli",
}


def _would_be(outcome: str, kind: str) -> str:
    return FRENCH_WOULD_BE.get(outcome) or f"serait {_outcome(outcome, 'fr', kind)}"


def _sentence(
    target: str, outcome: str, changes: list[Change], lang: str = "en", kind: str = "journey"
) -> str:
    if lang == "fr":
        ifs = " et ".join(f"`{c.field}` valait `{_show(c.after, lang)}`" for c in changes)
        return f"`{target}` {_would_be(outcome, kind)} si {ifs}"
    ifs = " and ".join(f"`{c.field}` were `{_show(c.after)}`" for c in changes)
    return f"`{target}` would be {outcome} if {ifs}"


MAX_PER_OUTCOME = 5


def _counterfactuals(out: Explanation, ruleset: RuleSet, known: dict[str, Any]) -> None:
    space = JourneySpace(ruleset, out.journey)
    fields = [d.field for d in space.dimensions]
    base = {f: known.get(f) for f in fields}
    alternatives = _alternatives(space, known)
    found: dict[str, list[list[Change]]] = {}

    def outcome_with(changes: list[Change]) -> str:
        answers = dict(base)
        for c in changes:
            answers[c.field] = c.after
        point = space.evaluate({k: v for k, v in answers.items() if v is not None})
        return outcome_of(point.journey, out.kind, out.target)

    singles = [[Change(f, base[f], v)] for f, options in alternatives for v in options]
    for changes in singles:
        got = outcome_with(changes)
        if got != out.outcome:
            found.setdefault(got, []).append(changes)
    wanted = STATUSES.get(out.kind) or (
        _operations(ruleset, out.journey)
        if out.kind == "operations"
        else _variants(ruleset, out.journey)
    )
    if any(w not in found and w != out.outcome for w in wanted):
        for (f1, o1), (f2, o2) in itertools.combinations(alternatives, 2):
            for v1, v2 in itertools.product(o1, o2):
                changes = [Change(f1, base[f1], v1), Change(f2, base[f2], v2)]
                got = outcome_with(changes)
                if got != out.outcome and (got not in found or len(found[got][0]) == 2):
                    found.setdefault(got, []).append(changes)
    order = {w: i for i, w in enumerate(wanted)}
    for outcome in sorted(found, key=lambda o: (order.get(o, len(order)), o)):
        for changes in found[outcome][:MAX_PER_OUTCOME]:
            out.counterfactuals.append(
                Counterfactual(outcome, changes, _sentence(out.target, outcome, changes))
            )
    out.unreachable = [w for w in wanted if w != out.outcome and w not in found]


def _variants(ruleset: RuleSet, journey_id: str) -> tuple[str, ...]:
    return (*(v.id for v in ruleset.journey_by_id[journey_id].variants), "None")


def _operations(ruleset: RuleSet, journey_id: str) -> tuple[str, ...]:
    """The operations the rules can give a journey, as :func:`outcome_of` writes them."""
    seen: dict[str, None] = {}
    for r in ruleset.rules:
        if r.then.journey == journey_id and r.then.operations is not None:
            seen["[" + ", ".join(r.then.operations) + "]"] = None
    return (*seen, "None")
