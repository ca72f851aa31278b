"""Where library errors become messages and exit statuses (1: bad input, 2: usage).

A message is said in the command's language (its ``--lang``, remembered by
:func:`remember_lang`): the sentences of a bad profile are translated; usage errors are
click's, in English.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from eligibility.display import printable
from eligibility.errors import EligibilityError
from eligibility.i18n.messages import localized, say
from eligibility.output.guard import GuardedOutput

#: Where the command's language is kept, in the context's ``meta`` (shared by the group's
#: context and the command's).
_LANG = "eligibility.lang"


def report(message: str, lang: str = "en") -> None:
    """Write ``Error: message`` to stderr (in French ``Erreur : message``), every control
    character in it escaped (the message may quote the input, and the input may hold
    terminal escape sequences)."""
    click.echo(say("Error: {message}", lang, message=printable(message)), err=True)


def remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The callback of ``--lang``: keep the command's language for its error messages."""
    ctx.meta[_LANG] = value
    return value


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
    lang = "en" if ctx is None else str(ctx.meta.get(_LANG, "en"))
    report(exc.text(lambda sentence: localized(sentence, lang)), lang)
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
