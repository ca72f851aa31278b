"""The command line: a thin skin over the library (only this package imports click).

Each command parses its options, calls one library function, renders the result and
leaves errors to :class:`errors.EligibilityGroup`, which maps them to messages and exit
codes in one place.
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from eligibility import __version__
from eligibility.cli.errors import EligibilityGroup
from eligibility.cli.signals import Stopped, stopping_cleanly

# Commands are imported when used: `eligibility evaluate` need not load the questionnaire,
# the batch pool or the audit store (it is a start-up cost on every run).
COMMANDS = {
    "evaluate": "eligibility.cli.evaluate:evaluate_command",
    "ask": "eligibility.cli.ask:ask_command",
    "rules": "eligibility.cli.rules:rules_group",
    "explain": "eligibility.cli.explain:explain_command",
    "batch": "eligibility.cli.batch:batch_command",
    "plan": "eligibility.cli.plan:plan_command",
    "fields": "eligibility.cli.fields:fields_command",
    "audit": "eligibility.cli.audit:audit_group",
    "serve": "eligibility.cli.serve:serve_command",
}


@click.group(
    cls=EligibilityGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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


def main() -> None:
    """Console-script entry point: the command, stopped cleanly by a signal (see
    :mod:`eligibility.cli.signals`)."""
    try:
        with stopping_cleanly():
            cli(prog_name="eligibility")
    except Stopped as stopped:
        click.echo(f"Stopped by {stopped}.", err=True)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        # Every clean-up has run on the way here; exiting now, without the interpreter's
        # own clean-up, does not wait on a process pool that a signal left stuck.
        os._exit(stopped.exit_status())
