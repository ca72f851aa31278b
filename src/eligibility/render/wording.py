"""The publisher's words for what a decision names by id, for the views read by people.

A decision names profile fields, journeys and variants by id; a product manager reads
questions, short journey names and variant titles. :class:`Wording` holds them in one
language (the questions and short names of ``rules/questions.yaml``, the variant titles of
the catalogue and its translation), and which fields each rule reads, to find the
questions whose answers would settle what a decision leaves undetermined.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eligibility.decision.model import JourneyOut, Reason
from eligibility.decision.relevance import deep_fields
from eligibility.i18n.translation import Translation
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Lang, Questions
from eligibility.rules.loader import RuleSet

_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}


@dataclass(frozen=True)
class Wording:
    """Questions, journey names and variant titles in one language.

    ``Wording(lang)`` alone knows no words: it names fields and journeys by id and finds
    no question (a view still reads, with ids).
    """

    lang: str = "en"
    questions: Questions | None = None
    journey_names: Mapping[str, str] = field(default_factory=dict)
    variant_titles: Mapping[tuple[str, str], str] = field(default_factory=dict)
    rule_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    order: Mapping[str, int] = field(default_factory=lambda: _FIELD_ORDER)

    @classmethod
    def of(cls, ruleset: RuleSet, questions: Questions, translation: Translation) -> Wording:
        """The wording of a ruleset's decisions in the translation's language."""
        lang: Lang = "fr" if translation.lang == "fr" else "en"
        return cls(
            lang=lang,
            questions=questions,
            journey_names={
                j.id: questions.journey_name(j.id, translation.text(j.title), lang)
                for j in ruleset.journeys
            },
            variant_titles={
                (j.id, v.id): translation.text(v.title)
                for j in ruleset.journeys
                for v in j.variants
            },
            rule_fields=deep_fields(ruleset),
            order={name: i for i, name in enumerate(questions.order)},
        )

    def journey(self, journey_id: str, title: str | None = None) -> str:
        """A journey's short name (its title, or its id, when there is none)."""
        return self.journey_names.get(journey_id) or title or journey_id

    def variant(self, j: JourneyOut) -> str | None:
        """The title of a journey's variant (its id when the wording has no title)."""
        if j.variant is None:
            return None
        return self.variant_titles.get((j.id, j.variant), j.variant)

    def question(self, name: str) -> str:
        """The question that asks for a field, without its answering hint (``several
        answers possible``): the field's id when there is no question."""
        if self.questions is None or name not in self.questions.data.questions:
            return name
        text = self.questions.question(name).question(self._lang)
        head, mark, tail = text.rpartition("?")
        if mark and tail.strip().startswith("(") and tail.strip().endswith(")"):
            return head + mark
        return text

    def answer(self, name: str, value: Any) -> str:
        """A given answer as the questionnaire shows it (the value itself without questions)."""
        if self.questions is None or name not in FIELDS:
            return str(value)
        return self.questions.show(name, value, self._lang)

    @property
    def _lang(self) -> Lang:
        return "fr" if self.lang == "fr" else "en"

    def sort(self, names: set[str]) -> list[str]:
        """Fields in the order the questionnaire asks them."""
        return sorted(names, key=lambda n: (self.order.get(n, len(self.order)), n))

    def settling(self, j: JourneyOut) -> list[str]:
        """The unknown fields whose answers would settle what is undetermined in a journey.

        For an undetermined journey, those that decide whether it applies (its steps wait
        for that); for one that applies, those of its variant, prerequisites and steps.
        Questions order.
        """
        return self.settling_of(*open_parts(j))

    def settling_of(
        self, status: str, missing: list[str], open_rules: list[str], step_fields: list[str]
    ) -> list[str]:
        """:meth:`settling` from a journey's parts (see :func:`open_parts`)."""
        if status == "not_applicable":
            return []
        unknown = set(missing)
        if not self.rule_fields:  # no rules to tell which decide what: every unknown
            return self.sort(unknown)
        found = {f for rule in open_rules for f in self.rule_fields.get(rule, frozenset())}
        return self.sort((found | set(step_fields)) & unknown)


def open_parts(j: JourneyOut) -> tuple[str, list[str], list[str], list[str]]:
    """What settling a journey depends on: its status, its unknown fields, the rules left
    open (that could not be evaluated) among the reasons that matter, and the unknown fields
    of its undetermined steps (those of a journey that applies only: the steps of an
    undetermined journey wait for the journey)."""
    reasons: list[Reason] = []
    steps: list[str] = []
    if j.status == "undetermined":
        reasons = j.reasons
    elif j.status == "applies":
        reasons = j.variant_reasons + [
            r for p in j.prerequisites if p.met is None for r in p.reasons
        ]
        steps = [f for s in j.steps if s.status == "undetermined" for f in s.missing]
    return j.status, list(j.missing), [r.rule for r in reasons if r.holds is None], steps
