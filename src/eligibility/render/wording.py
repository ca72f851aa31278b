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
        if j.status == "not_applicable":
            return []
        unknown = set(j.missing)
        if not self.rule_fields:  # no rules to tell which decide what: every unknown
            return self.sort(unknown)
        if j.status == "undetermined":
            return self.sort(self._read_by(j.reasons) & unknown)
        found = self._read_by(j.variant_reasons)
        for p in j.prerequisites:
            if p.met is None:
                found |= self._read_by(p.reasons)
        for s in j.steps:
            if s.status == "undetermined":
                found |= set(s.missing)
        return self.sort(found & unknown)

    def _read_by(self, reasons: list[Reason]) -> set[str]:
        """The fields read by the rules that could not be evaluated among ``reasons``."""
        out: set[str] = set()
        for r in reasons:
            if r.holds is None:
                out |= self.rule_fields.get(r.rule, frozenset())
        return out
