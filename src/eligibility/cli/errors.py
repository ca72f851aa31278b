"""Where library errors become messages and exit statuses (1: bad input, 2: usage)."""

from __future__ import annotations

from typing import Any

import click

from eligibility.errors import EligibilityError


class EligibilityGroup(click.Group):
    """A click group that reports :class:`EligibilityError` without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EligibilityError as exc:
            if exc.exit_code == 2:
                raise click.UsageError(str(exc), ctx) from None
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
