"""``eligibility explain PROFILE TARGET``."""

from __future__ import annotations

import click

from eligibility.cli.options import format_option, lang_option, rules_option
from eligibility.explain.explanation import explain
from eligibility.i18n.translation import load_translation
from eligibility.profile.files import read_profile
from eligibility.render.json import json_text
from eligibility.rules.loader import load_ruleset


@click.command("explain")
@click.argument("profile", metavar="PROFILE", type=str)
@click.argument("target", metavar="TARGET", type=str)
@format_option(["text", "json"])
@rules_option
@lang_option
def explain_command(profile: str, target: str, fmt: str, rules_dir: str | None, lang: str) -> None:
    """Explain why TARGET (a journey, step, prerequisite or <journey>.variant) came out as
    it did for the product in PROFILE, condition by condition, and which smallest changes
    to the answers would give each other outcome.

    Exit status: 0 when explained, 1 on bad input, 2 on an unknown TARGET.

    \b
    Examples:
      eligibility explain fixtures/profiles/pacs-regional.yaml ins.cnda-authorisation
      eligibility explain product.yaml ror-consumer --format json
      eligibility explain fixtures/profiles/pacs-regional.yaml ins --lang fr
    """
    ruleset = load_ruleset(rules_dir)
    result = explain(ruleset, read_profile(profile), target)
    if lang != "en":
        result = result.localized(load_translation(ruleset, lang))
    if fmt == "json":
        click.echo(json_text(result.to_dict()), nl=False)
    else:
        click.echo(result.to_text(lang), nl=False)
