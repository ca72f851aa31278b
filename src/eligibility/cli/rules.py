"""``eligibility rules check|test|diff|docs``: tools for the people who maintain the rules."""

from __future__ import annotations

import click

from eligibility.cli.options import engine_option, format_option, lang_option
from eligibility.i18n.messages import say
from eligibility.i18n.translation import load_translation
from eligibility.render.json import json_text
from eligibility.rules.loader import load_ruleset
from eligibility.tooling.analysis import check_rules
from eligibility.tooling.coverage import run_rule_tests
from eligibility.tooling.diff import diff_rules
from eligibility.tooling.docs import stale_docs, write_docs


@click.group("rules")
def rules_group() -> None:
    """Check, test, compare and document the rules.

    \b
    Examples:
      eligibility rules check
      eligibility rules test --min-coverage 100
      eligibility rules diff old-rules/ rules/ --portfolio products.yaml
      eligibility rules docs

    --lang fr puts the check, test and diff text reports in French, and rules docs writes
    the French pages (catalogue.fr.md, profile.fr.md); ids, outcomes and the JSON reports
    stay as they are.
    """


@rules_group.command("check")
@click.argument(
    "directory", metavar="[DIR]", required=False, type=click.Path(file_okay=False, exists=True)
)
@format_option(["text", "json"])
@click.option("--strict", is_flag=True, help="Fail on warnings (contradictions) too.")
@lang_option
def check_command(directory: str | None, fmt: str, strict: bool, lang: str) -> None:
    """Validate the rule files in DIR (default: the shipped rules), then analyse every
    answer set of each journey for gaps, contradictions, unreachable rules, dead steps and
    shadowed rules, each with a counterexample profile.

    Exit status: 0 when no error was found (warnings allowed unless --strict), 1 otherwise.
    """
    report = check_rules(directory)
    if fmt == "json":
        click.echo(json_text(report.to_dict()), nl=False)
    else:
        click.echo(report.to_text(lang), nl=False)
    if not report.ok(strict=strict):
        click.get_current_context().exit(1)


@rules_group.command("test")
@click.argument(
    "directory", metavar="[DIR]", required=False, type=click.Path(file_okay=False, exists=True)
)
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=0,
    show_default=True,
    help="Fail when rule coverage (rules deciding in some case) is below N %.",
)
@click.option(
    "--min-condition-coverage",
    type=click.FloatRange(0, 100),
    default=0,
    show_default=True,
    help="Fail when condition coverage (each condition seen true and false) is below N %.",
)
@format_option(["text", "json"])
@engine_option
@lang_option
def test_command(
    directory: str | None,
    min_coverage: float,
    min_condition_coverage: float,
    fmt: str,
    engine: str,
    lang: str,
) -> None:
    """Run every case of rules/**/rules.test.yaml and report rule and condition coverage
    per rule file.

    Exit status: 0 when every case passes and coverage reaches the minimums, 1 otherwise.

    \b
    Examples:
      eligibility rules test --min-coverage 100
      eligibility rules test my-rules/ --format json
    """
    report = run_rule_tests(load_ruleset(directory), engine)
    if fmt == "json":
        click.echo(json_text(report.to_dict()), nl=False)
    else:
        click.echo(report.to_text(lang), nl=False)
    if not report.ok(min_coverage, min_condition_coverage):
        click.get_current_context().exit(1)


@rules_group.command("diff")
@click.argument("old_dir", metavar="OLD_DIR", type=click.Path(file_okay=False, exists=True))
@click.argument("new_dir", metavar="NEW_DIR", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--portfolio",
    "-p",
    metavar="FILE",
    help="A portfolio (CSV, JSON, JSONL or YAML, as batch reads): list each changed decision.",
)
@click.option(
    "--fail-on-change",
    is_flag=True,
    help="Exit 1 when any rule or decision changed (for CI on rule pull requests).",
)
@format_option(["text", "json"])
@lang_option
def diff_command(
    old_dir: str,
    new_dir: str,
    portfolio: str | None,
    fail_on_change: bool,
    fmt: str,
    lang: str,
) -> None:
    """Compare the rules in OLD_DIR and NEW_DIR: rules added, removed and changed and, with
    --portfolio, every product whose decision changes, outcome by outcome, with the rules
    that decided before and after.

    Exit status: 0, or 1 with --fail-on-change when anything changed; 1 on bad input.

    \b
    Examples:
      eligibility rules diff ../main/rules rules
      eligibility rules diff old/ rules/ --portfolio products.yaml --fail-on-change
    """
    result = diff_rules(old_dir, new_dir, portfolio)
    if fmt == "json":
        click.echo(json_text(result.to_dict()), nl=False)
    else:
        click.echo(result.to_text(lang), nl=False)
    if fail_on_change and result.anything_changed:
        click.get_current_context().exit(1)


@rules_group.command("docs")
@click.argument(
    "directory", metavar="[DIR]", required=False, type=click.Path(file_okay=False, exists=True)
)
@click.option(
    "--output",
    "-o",
    "output",
    default="docs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to write the documentation.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when the files in --output are out of date.",
)
@lang_option
def docs_command(directory: str | None, output: str, check: bool, lang: str) -> None:
    """Render the catalogue of DIR (default: the shipped rules) as Markdown, with a
    Mermaid diagram per journey, into OUTPUT/catalogue.md, and the profile's fields into
    OUTPUT/profile.md and OUTPUT/profile.schema.json (the JSON Schema of profile files).
    With --lang fr: catalogue.fr.md and profile.fr.md, texts from the rules' French
    translations and questions, the pages' words in French.

    \b
    Examples:
      eligibility rules docs
      eligibility rules docs --check
      eligibility rules docs --lang fr
    """
    ruleset = load_ruleset(directory)
    translation = load_translation(ruleset, lang) if lang != "en" else None
    if check:
        stale = stale_docs(ruleset, output, translation)
        command = "eligibility rules docs" + (f" --lang {lang}" if lang != "en" else "")
        for path in stale:
            click.echo(
                say("out of date: {path} (run: {command})", lang, path=path, command=command)
            )
        if stale:
            click.get_current_context().exit(1)
        return
    for path in write_docs(ruleset, output, translation):
        click.echo(say("wrote {path}", lang, path=path))
