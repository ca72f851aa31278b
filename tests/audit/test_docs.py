"""docs/audit.md names only commands and options that exist."""

from __future__ import annotations

import re

import click

from eligibility.cli.audit import audit_group
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")


def test_every_audit_command_in_the_doc_exists() -> None:
    """`audit X` in the page is a subcommand of `eligibility audit`."""
    named = set(re.findall(r"(?:eligibility |`)audit (\w+)", DOC))
    assert {"verify", "checkpoint", "keygen", "replay", "promote"} <= named
    assert named <= set(audit_group.commands)


def test_every_option_of_the_audit_commands_in_the_doc_exists() -> None:
    """Each `--option` of an `audit` command line in the page is one of its options."""
    for command, options in re.findall(r"eligibility audit (\w+)((?: [^\n]*)?)", DOC):
        known = {
            opt
            for param in audit_group.commands[command].params
            if isinstance(param, click.Option)
            for opt in param.opts
        }
        assert set(re.findall(r"--[a-z-]+", options)) <= known, command
