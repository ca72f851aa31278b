"""The command line: a thin skin over the library (only this package imports click).

Each command parses its options, calls one library function, renders the result and
leaves errors to :class:`errors.EligibilityGroup`, which maps them to messages and exit
codes in one place.
"""

from __future__ import annotations

import click

from eligibility import __version__
from eligibility.cli.ask import ask_command
from eligibility.cli.audit import audit_group
from eligibility.cli.batch import batch_command
from eligibility.cli.errors import EligibilityGroup
from eligibility.cli.evaluate import evaluate_command
from eligibility.cli.explain import explain_command
from eligibility.cli.plan import plan_command
from eligibility.cli.rules import rules_group


@click.group(cls=EligibilityGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="eligibility", message="%(prog)s %(version)s"
)
def cli() -> None:
    """Which French digital-health integration journeys apply to a software product
    (ROR national, Mon espace santé, INS/INSi, ...) and which of their steps remain,
    with the rules, sources and missing answers behind every outcome.

    \b
    Examples:
      eligibility evaluate fixtures/profiles/pacs-regional.yaml
      eligibility evaluate product.json --format json
      cat product.yaml | eligibility evaluate -
    """


cli.add_command(evaluate_command)
cli.add_command(ask_command)
cli.add_command(rules_group)
cli.add_command(explain_command)
cli.add_command(batch_command)
cli.add_command(plan_command)
cli.add_command(audit_group)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="eligibility")
