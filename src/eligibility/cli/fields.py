"""``eligibility fields``: the profile's fields."""

from __future__ import annotations

import click

from eligibility.cli.options import format_option, lang_option, rules_option
from eligibility.questionnaire.fields import list_fields
from eligibility.render.fields import FIELDS_RENDERERS


@click.command("fields")
@format_option(["text", "json", "markdown"])
@rules_option
@lang_option
def fields_command(fmt: str, rules_dir: str | None, lang: str) -> None:
    """List every field a profile may hold: its type and allowed values, the question
    that asks it, and the journeys whose outcomes read it.

    A field left out or null is unknown. The same list, with the rules for CSV portfolios,
    is docs/profile.md (--format markdown prints it); docs/profile.schema.json checks a
    profile file in an editor.

    \b
    Examples:
      eligibility fields
      eligibility fields --lang fr
      eligibility fields --format json
    """
    click.echo(FIELDS_RENDERERS[fmt](list_fields(rules_dir, lang)), nl=False)
