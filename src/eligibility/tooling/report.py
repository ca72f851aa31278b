"""What ``rules check`` reports: its findings and the coverage of each journey, as JSON or text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import orjson

from eligibility.i18n.messages import localized
from eligibility.i18n.words import colon, count, tr

Severity = Literal["error", "warning"]


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
            f"{self.rules} {tr('rules', lang)}, {count(len(self.errors), 'error', lang)}, "
            f"{count(len(self.warnings), 'warning', lang)}"
        )
        return "\n".join(out) + "\n"
