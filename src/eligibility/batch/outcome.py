"""What evaluating one portfolio row gives: its result, and the outcome a batch yields.

A :class:`RowResult` is a :class:`RowDecision` (a valid row) or a :class:`RowError`; the
output format's fragment function renders it, and a :class:`RowOutcome` carries that
rendering with what the batch summary needs (it is what a pool process sends back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from eligibility.decision.model import Decision
from eligibility.display import cut
from eligibility.errors import FieldProblem
from eligibility.i18n.messages import Message, localized, say
from eligibility.i18n.typography import semicolon
from eligibility.profile.model import Profile


@dataclass(frozen=True, slots=True)
class RowDecision:
    """A row that was valid: its number, the product's name, and its decision."""

    row: int
    name: str | None
    decision: Decision
    profile: Profile | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be evaluated: its number, its id when it has one, every problem."""

    row: int
    profile_id: str | None
    problems: tuple[FieldProblem, ...]

    def to_dict(self) -> dict[str, Any]:
        """The error record: profile_id, row, errors (each: field, message, value)."""
        errors = []
        for p in self.problems:
            entry: dict[str, Any] = {"field": p.loc, "message": p.message}
            if p.has_value:
                entry["value"] = p.value
            errors.append(entry)
        return {"profile_id": self.profile_id, "row": self.row, "errors": errors}

    def to_json(self) -> bytes:
        """The error record as compact JSON bytes."""
        # Values come from the input file; anything orjson cannot write is written as text.
        return orjson.dumps(self.to_dict(), default=repr)

    def describe(self, lang: str = "en") -> str:
        """One line for a person, in a language: ``row 7 (x): field: message (got v); ...``."""
        row = (
            Message("row {row} ({id})", row=self.row, id=cut(self.profile_id))
            if self.profile_id
            else Message("row {row}", row=self.row)
        )
        problems = f"{semicolon(lang)} ".join(localized(p.sentence(), lang) for p in self.problems)
        return say("{row}: {problems}", lang, row=row, problems=problems)


RowResult = RowDecision | RowError
Fragment = Callable[[RowResult], Any]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What comes back from evaluating one row: the summary's facts and its rendered output.

    ``statuses`` holds the journey statuses in catalogue order (empty for an error row);
    ``payload`` is whatever the output format's fragment function made of the result.
    """

    row: int
    profile_id: str | None
    statuses: tuple[str, ...]
    error: RowError | None
    payload: Any

    @classmethod
    def of(cls, result: RowResult, fragment: Fragment) -> RowOutcome:
        """The outcome of one row result, its payload rendered by ``fragment``."""
        payload = fragment(result)
        if isinstance(result, RowError):
            return cls(result.row, result.profile_id, (), result, payload)
        d = result.decision
        statuses = tuple(j.status for j in d.journeys)
        return cls(result.row, d.profile_id, statuses, None, payload)
