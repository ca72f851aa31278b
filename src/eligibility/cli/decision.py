"""What ``evaluate`` and ``ask`` do with the one decision they make: record it when asked
(saying so on standard error) and print it in the chosen format and language."""

from __future__ import annotations

import click

from eligibility.audit import RecordSettings, record_decisions
from eligibility.audit.store import redact
from eligibility.cli.options import output_width
from eligibility.decision.model import Decision
from eligibility.i18n.messages import say
from eligibility.i18n.translation import load_translation, localize
from eligibility.profile.model import Profile
from eligibility.questionnaire.questions import Questions
from eligibility.render import View, render
from eligibility.render.wording import Wording
from eligibility.rules.loader import RuleSet


def record_one(
    recording: RecordSettings,
    ruleset: RuleSet,
    profile: Profile,
    decision: Decision,
    engine: str,
    lang: str,
) -> None:
    """Append the decision to the audit store and say which record it became.

    Recorded in the rules' own language, before the decision is printed: a decision shown
    as recorded is surely in the store.
    """
    (record,) = record_decisions(recording, ruleset, [(profile, decision)], engine)
    said = say(
        "Recorded decision {decision} as record #{seq} in {store}",
        lang,
        decision=record.decision_id[:12],
        seq=record.seq,
        store=redact(recording.store),
    )
    click.echo(said, err=True)


def echo_decision(
    decision: Decision,
    ruleset: RuleSet,
    questions: Questions,
    fmt: str,
    lang: str,
    *,
    details: bool,
    source: str | None,
    dont_know: frozenset[str] = frozenset(),
) -> View:
    """Print the decision on standard output: its texts translated into ``lang``, the
    fields and journeys in the publisher's words, text wrapped to the terminal; ``source``
    (the profile's file) goes in the commands the text suggests, which ask again the
    fields answered "don't know" (``dont_know``). Returns the view it was laid out with
    (for what is printed after it)."""
    translation = load_translation(ruleset, lang)
    wording = Wording.of(ruleset, questions, translation)
    view = View(
        details=details,
        width=output_width(),
        wording=wording,
        source=source,
        dont_know=dont_know,
    )
    click.echo(render(localize(decision, translation), fmt, lang, view), nl=False)
    return view
