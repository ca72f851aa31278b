"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def rules_option(f: F) -> F:
    """``--rules DIR``: the rules directory (default: the shipped ``rules/``)."""
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, exists=True),
        envvar="ELIGIBILITY_RULES",
        show_envvar=True,
        help="Rules directory (default: the rules shipped with the tool).",
    )(f)


def engine_option(f: F) -> F:
    """``--engine durable|python``: which evaluator runs the rules."""
    return click.option(
        "--engine",
        type=click.Choice(["durable", "python"]),
        default="durable",
        show_default=True,
        help="durable: the Rete engine; python: the plain interpreter of the same rules.",
    )(f)


def lang_option(f: F) -> F:
    """``--lang en|fr``: the language of every text printed (JSON field names never change)."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "fr"]),
        default="en",
        show_default=True,
        envvar="ELIGIBILITY_LANG",
        show_envvar=True,
        help="Language of the texts: titles, reasons, advice and the renderer's own words.",
    )(f)
