"""What a portfolio report says about the run as a whole: the file, the rules, the journeys."""

from __future__ import annotations

from dataclasses import dataclass, replace

from eligibility.decision.model import RulesetRef
from eligibility.i18n.translation import Translation
from eligibility.rules.loader import RuleSet


@dataclass(frozen=True)
class ReportInfo:
    """The portfolio's name, the rules that decided, and the journeys in catalogue order."""

    source: str
    ruleset: RulesetRef
    journeys: tuple[tuple[str, str], ...]  # (id, title)

    @classmethod
    def of(cls, source: str, ruleset: RuleSet) -> ReportInfo:
        """The report info for a portfolio evaluated against a ruleset."""
        ref = RulesetRef(name=ruleset.name, version=ruleset.version, hash=ruleset.hash)
        return cls(source, ref, tuple((j.id, j.title) for j in ruleset.journeys))

    @property
    def journey_ids(self) -> tuple[str, ...]:
        """The journey ids, in catalogue order."""
        return tuple(j for j, _ in self.journeys)

    def localized(self, translation: Translation) -> ReportInfo:
        """The same info with the journey titles in the translation's language."""
        return replace(self, journeys=tuple((j, translation.text(t)) for j, t in self.journeys))
