"""``eligibility explain PROFILE TARGET``."""

from __future__ import annotations

import click

from eligibility.cli.options import format_option, lang_option, output_width, rules_option
from eligibility.explain.explanation import explain
from eligibility.i18n.translation import load_translation
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render.explanation import render_explanation
from eligibility.render.json import json_text
from eligibility.render.wording import Wording
from eligibility.rules.loader import load_ruleset


@click.command("explain")
@click.argument("profile", metavar="PROFILE", type=str)
@click.argument("target", metavar="TARGET", type=str)
@format_option(["text", "json"])
@click.option(
    "--logic",
    is_flag=True,
    help="Text: every rule tried, its condition node by node, with values and answers.",
)
@rules_option
@lang_option
def explain_command(
    profile: str, target: str, fmt: str, logic: bool, rules_dir: str | None, lang: str
) -> None:
    """Explain why TARGET (a journey, a step, a prerequisite, <journey>.variant or
    <journey>.operations) came out as it did for the product in PROFILE: the rule that
    decided, in its words, with its source and confidence; the answers it rests on; and
    the smallest changes of the answers that would change it. --logic shows the rules'
    conditions instead.

    Exit status: 0 when explained, 1 on bad input, 2 on an unknown TARGET (the closest ids
    are suggested).

    \b
    Examples:
      eligibility explain fixtures/profiles/pacs-regional.yaml ins.cnda-authorisation
      eligibility explain product.yaml ror-consumer --format json
      eligibility explain fixtures/profiles/pacs-regional.yaml ins --lang fr
      eligibility explain fixtures/profiles/pacs-regional.yaml ins.variant --logic
    """
    ruleset = load_ruleset(rules_dir)
    result = explain(ruleset, read_profile(profile), target)
    translation = load_translation(ruleset, lang)
    if lang != "en":
        result = result.localized(translation)
    if fmt == "json":
        click.echo(json_text(result.to_dict()), nl=False)
    elif logic:
        click.echo(result.to_text(lang), nl=False)
    else:
        wording = Wording.of(ruleset, load_questions(rules_dir), translation)
        text = render_explanation(result, lang, width=output_width(), wording=wording)
        click.echo(text, nl=False)
