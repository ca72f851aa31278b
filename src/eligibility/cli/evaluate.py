"""``eligibility evaluate PROFILE``."""

from __future__ import annotations

import click

from eligibility.audit import RecordSettings
from eligibility.cli.decision import echo_decision, record_one
from eligibility.cli.options import (
    details_option,
    engine_option,
    format_option,
    lang_option,
    record_options,
    rules_option,
)
from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render import RENDERERS
from eligibility.rules.loader import load_ruleset


@click.command("evaluate")
@click.argument("profile", metavar="PROFILE", type=str)
@format_option(sorted(RENDERERS))
@details_option
@click.option("--no-trace", is_flag=True, help="Leave the rule trace out of the decision.")
@rules_option
@engine_option
@lang_option
@record_options
def evaluate_command(
    profile: str,
    fmt: str,
    details: bool,
    no_trace: bool,
    rules_dir: str | None,
    engine: str,
    lang: str,
    recording: RecordSettings | None,
) -> None:
    """Decide which journeys and steps apply to the product described in PROFILE.

    PROFILE is a YAML or JSON file, or - for standard input; its fields: eligibility
    fields, docs/profile.md (null: "don't know", which ask --from PROFILE --unknown asks
    again). The text says first what applies and what is left to do, and the questions
    that would settle what is undetermined; --details lists every step with its reasons
    and advice.
    Exit status: 0 when a decision was made (whatever it says), 1 on bad input,
    2 on a usage error.

    \b
    Examples:
      eligibility evaluate fixtures/profiles/pacs-regional.yaml
      eligibility evaluate fixtures/profiles/pacs-regional.yaml --details
      eligibility evaluate fixtures/profiles/hospital-gam.yaml --format json
      eligibility evaluate - --format markdown < product.yaml
      eligibility evaluate fixtures/profiles/hospital-ehr.yaml --lang fr
      eligibility evaluate product.yaml --record --label customer=acme --mask name
    """
    parsed = read_profile(profile)
    evaluator = Evaluator(load_ruleset(rules_dir), engine)  # type: ignore[arg-type]
    decision = evaluator.evaluate(parsed, with_trace=not no_trace)
    if recording is not None:
        record_one(recording, evaluator.ruleset, parsed, decision, engine, lang)
    source = None if profile == "-" else profile
    questions = load_questions(rules_dir)
    echo_decision(
        decision,
        evaluator.ruleset,
        questions,
        fmt,
        lang,
        details=details,
        source=source,
        dont_know=parsed.dont_know(),
    )
