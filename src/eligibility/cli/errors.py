"""Where library errors become messages and exit statuses (1: bad input, 2: usage)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from eligibility.display import printable
from eligibility.errors import EligibilityError
from eligibility.output.guard import GuardedOutput


def report(message: str) -> None:
    """Write ``Error: message`` to stderr, every control character in it escaped (the
    message may quote the input, and the input may hold terminal escape sequences)."""
    click.echo(f"Error: {printable(message)}", err=True)


class EligibilityGroup(click.Group):
    """A click group that reports :class:`EligibilityError` without a traceback.

    ``lazy_commands`` maps command names to ``module:attribute``; each is imported the
    first time it is used (or listed in ``--help``). While it runs, standard output is
    guarded (:class:`~eligibility.output.guard.GuardedOutput`): a write that fails (``>
    /dev/full``) is reported as ``Error: <stdout>: cannot be written: ...``, for every
    command and for ``--help`` too.
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

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with _guarded_stdout():
            try:
                return super().main(*args, **kwargs)
            except EligibilityError as exc:  # raised outside a command (the group's --help)
                _fail(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EligibilityError as exc:
            _fail(exc, ctx)


def _fail(exc: EligibilityError, ctx: click.Context | None = None) -> NoReturn:
    if exc.exit_code == 2:
        raise click.UsageError(printable(str(exc)), _failing_command(ctx)) from None
    report(str(exc))
    if ctx is not None:
        ctx.exit(exc.exit_code)
    sys.exit(exc.exit_code)


def _failing_command(ctx: click.Context | None) -> click.Context | None:
    """The context of the subcommand that failed, so a usage error shows its usage line."""
    if ctx is None or not isinstance(ctx.command, click.Group):
        return ctx
    name = ctx.invoked_subcommand
    command = ctx.command.get_command(ctx, name) if name else None
    return ctx if command is None else click.Context(command, ctx, name)


@contextmanager
def _guarded_stdout() -> Iterator[None]:
    stdout = sys.stdout
    if stdout is None or isinstance(stdout, GuardedOutput):  # no stdout, or guarded already
        yield
        return
    guarded = GuardedOutput(stdout, "<stdout>")
    sys.stdout = guarded
    try:
        yield
    finally:
        sys.stdout = stdout
        if guarded.failed:  # said once: what stays buffered must not fail again at exit
            guarded.discard()
