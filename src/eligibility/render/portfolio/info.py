"""What a portfolio report says about the run as a whole: the file, the rules, the journeys."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from eligibility.decision.model import RulesetRef
from eligibility.i18n.translation import Translation
from eligibility.render.wording import Wording
from eligibility.rules.loader import RuleSet


@dataclass(frozen=True)
class ReportInfo:
    """The portfolio's name, the rules that decided, and the journeys in catalogue order;
    for the reports for people, each journey's step titles and sources, and the wording
    (short journey names, questions) in the report's language."""

    source: str
    ruleset: RulesetRef
    journeys: tuple[tuple[str, str], ...]  # (id, title)
    steps: tuple[tuple[str, ...], ...] = ()  # each journey's step titles, in order
    sources: tuple[tuple[str, ...], ...] = ()  # each journey's sources
    wording: Wording = field(default_factory=Wording)

    @classmethod
    def of(cls, source: str, ruleset: RuleSet, wording: Wording | None = None) -> ReportInfo:
        """The report info for a portfolio evaluated against a ruleset."""
        ref = RulesetRef(name=ruleset.name, version=ruleset.version, hash=ruleset.hash)
        return cls(
            source,
            ref,
            tuple((j.id, j.title) for j in ruleset.journeys),
            tuple(tuple(s.title for s in j.steps) for j in ruleset.journeys),
            tuple(tuple(src.ref for src in j.sources) for j in ruleset.journeys),
            wording or Wording(),
        )

    @property
    def journey_ids(self) -> tuple[str, ...]:
        """The journey ids, in catalogue order."""
        return tuple(j for j, _ in self.journeys)

    def localized(self, translation: Translation) -> ReportInfo:
        """The same info with the journey and step titles in the translation's language."""
        return replace(
            self,
            journeys=tuple((j, translation.text(t)) for j, t in self.journeys),
            steps=tuple(tuple(translation.text(t) for t in titles) for titles in self.steps),
        )
