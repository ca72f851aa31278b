"""``eligibility audit ...``: list, show, replay, export, promote and verify recorded decisions."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from eligibility.audit.backend import open_store
from eligibility.audit.checkpoint import make_checkpoint, read_checkpoint
from eligibility.audit.export import FORMATS, export_records
from eligibility.audit.golden import GOLDEN_DIR, promote
from eligibility.audit.keys import (
    default_key_path,
    generate_key,
    key_id,
    load_signing_key,
    load_verify_key,
    verify_key_path,
)
from eligibility.audit.replay import Replayer, replay_all
from eligibility.audit.store import Filters
from eligibility.audit.verify import verify_location
from eligibility.cli.options import format_option, lang_option, rules_option, store_option
from eligibility.display import shown
from eligibility.errors import UsageError
from eligibility.i18n.messages import say
from eligibility.i18n.translation import load_translation
from eligibility.render import RENDERERS
from eligibility.render.audit import (
    render_checkpoint_made,
    render_list,
    render_replay,
    render_show,
    render_summary,
    render_verification,
)
from eligibility.rules.loader import load_ruleset

F = TypeVar("F", bound=Callable[..., Any])


def _key_option(help: str) -> Callable[[F], F]:
    """``--key PATH``: the checkpoint signing key (or, to verify, its public key)."""
    return click.option(
        "--key",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="ELIGIBILITY_AUDIT_KEY",
        show_envvar=True,
        help=help,
    )


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise UsageError(f"{option} {value!r}: write key=value")
        out[key] = text
    return out


_UTC_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?Z?)?"
)


def _utc_time(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    # Records are compared by their time as text (2026-01-31T14:00:00.000000Z): anything but
    # an ISO date or UTC time would compare as something else, and select the wrong ones.
    if value is None:
        return None
    try:
        if not _UTC_TIME.fullmatch(value):
            raise ValueError
        datetime.fromisoformat(value.removesuffix("Z"))  # a real day and time
    except ValueError:
        raise click.BadParameter(
            f"{shown(value)} is not an ISO date or UTC time (2026-01-31 or 2026-01-31T14:00)"
        ) from None
    return value


@click.group("audit")
def audit_group() -> None:
    """The audit log of recorded decisions (record with `evaluate --record`).

    Each record keeps the profile, the decision and its trace, the rules version and hash,
    the tool versions, labels and actor; records are hash-chained, and each ruleset seen is
    kept by hash so any decision can be re-run under its own rules. Signed checkpoints,
    kept outside the store, prove later that it was not rewritten (see docs/audit.md).

    \b
    Examples:
      eligibility evaluate product.yaml --record --label customer=acme
      eligibility audit list --product pacs-regional-01
      eligibility audit show 3f2a9c1b
      eligibility audit replay 3f2a9c1b --rules ./new-rules
      eligibility audit replay --all
      eligibility audit verify
      eligibility audit keygen
      eligibility audit checkpoint > checkpoint.json
      eligibility audit verify --checkpoint checkpoint.json
    """


@audit_group.command("list")
@store_option
@click.option("--product", help="Only this product id.")
@click.option(
    "--since",
    metavar="DATE",
    callback=_utc_time,
    help="Recorded on or after (ISO date or time, UTC: 2026-01-31 or 2026-01-31T14:00).",
)
@click.option(
    "--until",
    metavar="DATE",
    callback=_utc_time,
    help="Recorded on or before (ISO date or time, UTC: a bare date includes its day).",
)
@click.option("--ruleset", metavar="VERSION|HASH", help="Decided under this ruleset.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="JOURNEY=STATUS",
    help="Journey status in the decision, e.g. ins=applies (repeatable).",
)
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="KEY=VALUE",
    help="Carrying this label (repeatable).",
)
@lang_option
def list_command(
    store: str | None,
    product: str | None,
    since: str | None,
    until: str | None,
    ruleset: str | None,
    statuses: tuple[str, ...],
    labels: tuple[str, ...],
    lang: str,
) -> None:
    """List recorded decisions, oldest first."""
    filters = Filters(
        product, since, until, ruleset, _pairs(statuses, "--status"), _pairs(labels, "--label")
    )
    with open_store(store) as opened:
        click.echo(render_list(opened.records(filters), lang), nl=False)


@audit_group.command("show")
@click.argument("ref", metavar="ID")
@store_option
@format_option(sorted(RENDERERS))
@rules_option
@lang_option
def show_command(ref: str, store: str | None, fmt: str, rules_dir: str | None, lang: str) -> None:
    """Show a recorded decision as `evaluate` renders it, with the record's metadata.

    ID is a decision id (or a unique prefix of at least 6 digits; the latest record of
    that decision) or #SEQ, a record's position. With --lang, the decision's texts are
    translated by the translations of the current rules (or --rules DIR); a text those
    rules no longer have stays as recorded. JSON is the record as stored.
    """
    translation = load_translation(load_ruleset(rules_dir), lang) if lang != "en" else None
    with open_store(store) as opened:
        click.echo(render_show(opened.find(ref), fmt, translation), nl=False)


@audit_group.command("replay")
@click.argument("ref", metavar="[ID]", required=False)
@click.option(
    "--all",
    "replay_every",
    is_flag=True,
    help="Replay every record and summarise what today's rules would change.",
)
@store_option
@rules_option
@lang_option
def replay_command(
    ref: str | None, replay_every: bool, store: str | None, rules_dir: str | None, lang: str
) -> None:
    """Re-run a recorded decision under its recorded rules, then the current ones.

    Under its own rules (kept in the store) the decision must come out identical. Under the
    current rules (or --rules DIR) the command says whether it is the same, or lists each
    journey and step that changed with the rules deciding before and now. Exit status 1
    when a decision is not reproduced under its own rules.
    """
    if replay_every == (ref is not None):
        raise UsageError("give a record ID or --all (not both)")
    with open_store(store) as opened:
        replayer = Replayer(opened, load_ruleset(rules_dir))
        if replay_every:
            summary = replay_all(replayer, opened.records())
            click.echo(render_summary(summary, lang), nl=False)
            exact = not summary.not_exact
        else:
            result = replayer.replay(opened.find(str(ref)))
            click.echo(render_replay(result, lang), nl=False)
            exact = result.recorded_identical
    if not exact:
        raise click.exceptions.Exit(1)


@audit_group.command("export")
@store_option
@format_option(
    FORMATS, default="jsonl", help="jsonl: every record whole; csv: one row of metadata each."
)
def export_command(store: str | None, fmt: str) -> None:
    """Write every record to standard output, oldest first."""
    with open_store(store) as opened:
        export_records(opened.records(), fmt, sys.stdout)


@audit_group.command("promote")
@click.argument("ref", metavar="ID")
@store_option
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=str(GOLDEN_DIR),
    show_default=True,
    help="Where golden cases live (collected by the tests).",
)
@lang_option
def promote_command(ref: str, store: str | None, directory: str, lang: str) -> None:
    """Turn a recorded decision into a golden regression case of the test suite.

    The case keeps the profile and the recorded outcomes; the tests fail when the current
    rules decide any journey or step of it differently.
    """
    with open_store(store) as opened:
        path = promote(opened.find(ref), directory)
    click.echo(say("Wrote {path}", lang, path=path))


@audit_group.command("verify")
@store_option
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint made by `audit checkpoint`: also prove that the store still extends "
    "it (fails if the store was emptied, replaced, or rewritten up to it).",
)
@_key_option(
    "The key that signed the checkpoint: its public key KEY.pub, or the private key "
    f"(default: {default_key_path()}.pub)."
)
@lang_option
def verify_command(store: str | None, checkpoint: Path | None, key: Path | None, lang: str) -> None:
    """Check every record, column and kept ruleset; name the first thing tampered with.

    Without --checkpoint, this catches any edit that leaves the hash chain inconsistent,
    but not a store rewritten with its hashes recomputed, emptied, or replaced: for those,
    verify against a checkpoint kept outside the store (see `audit checkpoint`).
    Exit status 0 when intact, 1 when something was changed, removed, added or reordered.
    """
    trusted = (
        read_checkpoint(checkpoint, load_verify_key(verify_key_path(key))) if checkpoint else None
    )
    result, location = verify_location(store, trusted)
    click.echo(render_verification(result, location, lang), nl=False)
    if not result.ok:
        raise click.exceptions.Exit(1)


@audit_group.command("keygen")
@_key_option(f"Where to write the private key (default: {default_key_path()}).")
@lang_option
def keygen_command(key: Path | None, lang: str) -> None:
    """Make the Ed25519 key that signs checkpoints of the audit store.

    Writes the private key (mode 600; never overwritten) and KEY.pub, its public key, to
    hand to whoever verifies. Keep the private key away from whoever can write the store
    (another machine or account): with both, a store could be rewritten and signed again.
    """
    path = key or default_key_path()
    public = generate_key(path)
    click.echo(
        say(
            "Wrote the signing key {key} (keep it private) and its public key {public} (key {id})",
            lang,
            key=path,
            public=public,
            id=key_id(load_verify_key(public)),
        )
    )


@audit_group.command("checkpoint")
@store_option
@_key_option(f"The private key to sign with (default: {default_key_path()}).")
@click.option(
    "--checkpoint",
    "previous",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The previous checkpoint: sign only if the store still extends it.",
)
@lang_option
def checkpoint_command(
    store: str | None, key: Path | None, previous: Path | None, lang: str
) -> None:
    """Verify the store, then write a signed checkpoint of its head to standard output.

    A checkpoint names the store, its number of records and the hash of the last one,
    signed with the key of `audit keygen`. Keep checkpoints outside the store (another
    machine, a ticket, a mail): `audit verify --checkpoint FILE` later proves that no
    record up to it was changed or removed, even with every hash recomputed. A store that
    does not verify is not signed (exit status 1).
    """
    signing = load_signing_key(key or default_key_path())
    prior = read_checkpoint(previous, signing.public_key()) if previous else None
    with open_store(store) as opened:
        result, checkpoint = make_checkpoint(opened, signing, prior)
        location = opened.location
    if checkpoint is None:
        click.echo(render_verification(result, location, lang), nl=False, err=True)
        raise click.exceptions.Exit(1)
    click.echo(checkpoint.to_json().decode(), nl=False)
    click.echo(render_checkpoint_made(result, location, checkpoint.key, lang), nl=False, err=True)
