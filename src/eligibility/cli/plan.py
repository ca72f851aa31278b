"""``eligibility plan PROFILE``."""

from __future__ import annotations

import click

from eligibility.cli.options import engine_option, format_option, lang_option, rules_option
from eligibility.decision.evaluator import Evaluator
from eligibility.i18n.translation import load_translation
from eligibility.plan.plan import plan_profile
from eligibility.profile.files import read_profile
from eligibility.questionnaire.questions import load_questions
from eligibility.render.plan import PLAN_RENDERERS
from eligibility.render.wording import Wording
from eligibility.rules.loader import load_ruleset


@click.command("plan")
@click.argument("profile", metavar="PROFILE", type=str)
@format_option(sorted(PLAN_RENDERERS))
@click.option("--all", "include_done", is_flag=True, help="Also list the steps already done.")
@rules_option
@engine_option
@lang_option
def plan_command(
    profile: str, fmt: str, include_done: bool, rules_dir: str | None, engine: str, lang: str
) -> None:
    """One ordered to-do list for the product described in PROFILE, across every journey
    that applies to it.

    Shared steps (ANS contract, certificates, CNDA contract, ...) appear once with every
    journey that needs them; prerequisites and the journeys a journey depends on come
    first; long-lead-time items are flagged to start early; steps already done are hidden
    unless --all. Exit status: 0 when a plan was made, 1 on bad input, 2 on a usage error.

    \b
    Examples:
      eligibility plan fixtures/profiles/hospital-ehr.yaml
      eligibility plan fixtures/profiles/primary-care-practice.yaml --format markdown --lang fr
      eligibility plan product.json --all --format json
    """
    parsed = read_profile(profile)
    evaluator = Evaluator(load_ruleset(rules_dir), engine)  # type: ignore[arg-type]
    plan = plan_profile(parsed, evaluator, include_done=include_done, lang=lang)
    translation = load_translation(evaluator.ruleset, lang)
    wording = Wording.of(evaluator.ruleset, load_questions(rules_dir), translation)
    click.echo(PLAN_RENDERERS[fmt](plan, lang, wording), nl=False)
