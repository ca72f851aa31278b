"""Options shared by several commands."""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from eligibility.audit.record import RecordSettings, check_mask
from eligibility.audit.store import default_store
from eligibility.cli.errors import remember_lang
from eligibility.render.view import WIDTH, fit_width

F = TypeVar("F", bound=Callable[..., Any])


def format_option(
    choices: Sequence[str], default: str = "text", help: str = "Output format."
) -> Callable[[F], F]:
    """``--format/-f``: the output format, one of ``choices`` (passed on as ``fmt``)."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


def details_option(f: F) -> F:
    """``--details``: the full text listing rather than the answer first."""
    return click.option(
        "--details",
        is_flag=True,
        help="Text: every journey and step with its reasons, advice and sources "
        "(default: the answer first).",
    )(f)


def output_width() -> int:
    """Where text wraps: the terminal's width when standard output is one, else the fixed
    :data:`~eligibility.render.view.WIDTH` (a file or a pipe gets the same bytes anywhere)."""
    if not sys.stdout.isatty():
        return WIDTH
    return fit_width(shutil.get_terminal_size((WIDTH, 24)).columns)


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
    """``--lang en|fr``: the language of every text printed, error messages included (JSON
    field names never change)."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "fr"]),
        default="en",
        show_default=True,
        envvar="ELIGIBILITY_LANG",
        show_envvar=True,
        callback=remember_lang,
        help="Language of the texts: titles, reasons, advice and the renderer's own words.",
    )(f)


def _not_empty(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    # An empty --store is a mistake (an unset variable in a script), not "the default store".
    if value is not None and not value.strip():
        raise click.BadParameter("is empty; give a SQLite file or a postgresql:// URL")
    return value


def store_option(f: F) -> F:
    """``--store PATH|URL``: the audit store (default: a per-user SQLite file)."""
    return click.option(
        "--store",
        "store",
        metavar="PATH|URL",
        callback=_not_empty,
        envvar="ELIGIBILITY_STORE",
        show_envvar=True,
        help=f"Audit store: a SQLite file or a postgresql:// URL (default: {default_store()}).",
    )(f)


def _labels(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r}: write key=value")
        labels[key.strip()] = text.strip()
    return labels


def record_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--record``, ``--store``, ``--label``, ``--actor``, ``--mask``: record decisions.

    The decorated command receives one ``recording`` argument in their place: a
    :class:`~eligibility.audit.RecordSettings`, or None when not recording. Put it under
    ``@click.command`` and hand ``recording`` to :func:`eligibility.audit.record_decisions`,
    or for a stream of decisions to :func:`eligibility.audit.recorder_for`.
    """

    @functools.wraps(f)
    def command(
        *args: Any,
        record: bool,
        store: str | None,
        labels: dict[str, str],
        actor: str | None,
        mask: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        kwargs["recording"] = (
            RecordSettings(
                default_store() if store is None else store, labels, actor, check_mask(mask)
            )
            if record
            else None
        )
        return f(*args, **kwargs)

    options = [
        click.option(
            "--record",
            is_flag=True,
            envvar="ELIGIBILITY_RECORD",
            show_envvar=True,
            help="Append each decision to the audit store.",
        ),
        store_option,
        click.option(
            "--label",
            "labels",
            multiple=True,
            metavar="KEY=VALUE",
            callback=_labels,
            help="A label kept with the record (repeatable).",
        ),
        click.option(
            "--actor",
            envvar="ELIGIBILITY_ACTOR",
            show_envvar=True,
            help="Who records (kept with the record).",
        ),
        click.option(
            "--mask",
            multiple=True,
            metavar="FIELD",
            help="Keep only a keyed hash (HMAC) of this profile field in the record "
            "(repeatable). Whoever reads records, exports or shown decisions cannot recover "
            "the value by hashing guesses; equal values still mask equally within one store. "
            "It does not hide the value from whoever can read the store's database itself "
            "(its key is kept there); a masked field the rules read cannot be replayed.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
