"""Where library errors become messages and exit statuses (1: bad input, 2: usage)."""

from __future__ import annotations

import importlib
from typing import Any

import click

from eligibility.errors import EligibilityError


class EligibilityGroup(click.Group):
    """A click group that reports :class:`EligibilityError` without a traceback.

    ``lazy_commands`` maps command names to ``module:attribute``; each is imported the
    first time it is used (or listed in ``--help``).
    """

    def __init__(
        self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [
            *self.lazy_commands,
            *(n for n in super().list_commands(ctx) if n not in self.lazy_commands),
        ]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EligibilityError as exc:
            if exc.exit_code == 2:
                # The usage of the command that failed, not the group's.
                name = ctx.invoked_subcommand
                command = self.get_command(ctx, name) if name else None
                where = ctx if command is None else click.Context(command, ctx, name)
                raise click.UsageError(str(exc), where) from None
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
