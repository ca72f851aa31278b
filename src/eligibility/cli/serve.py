"""``eligibility serve``."""

from __future__ import annotations

import os
import signal
from types import FrameType

import click

from eligibility.audit.record import check_mask
from eligibility.audit.store import default_store, redact
from eligibility.cli.options import engine_option, rules_option, store_option
from eligibility.questionnaire.questions import load_questions
from eligibility.rules.loader import load_ruleset
from eligibility.serve.settings import SETTINGS_VARIABLE, ServeSettings

#: Seconds the server waits, on Ctrl-C or SIGTERM, for the requests under way.
GRACEFUL_SECONDS = 10


def _stopped(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (each evaluates on one thread of its own).",
)
@rules_option
@engine_option
@store_option
@click.option("--actor", envvar="ELIGIBILITY_ACTOR", help="Who records (kept with each record).")
@click.option(
    "--mask",
    multiple=True,
    metavar="FIELD",
    help="Keep only a keyed hash of this profile field in records (repeatable).",
)
@click.option("--no-access-log", is_flag=True, help="Do not log each request.")
def serve_command(
    host: str,
    port: int,
    workers: int,
    rules_dir: str | None,
    engine: str,
    store: str | None,
    actor: str | None,
    mask: tuple[str, ...],
    no_access_log: bool,
) -> None:
    """Serve the decisions over HTTP, and the questionnaire in a browser.

    Open the printed address for the questionnaire; the API is described at /docs.
    Decisions asked with ?record=true go to the audit store (--store: a SQLite file or a
    postgresql:// URL). Ctrl-C (or SIGTERM) stops accepting requests, answers those under
    way, then stops. Exit status: 0 when stopped, 1 when it could not start.

    \b
    Examples:
      eligibility serve
      eligibility serve --port 8080 --workers 2 --store postgresql://audit@db/eligibility
      curl -s --data-binary @fixtures/profiles/hospital-ehr.yaml \\
           -H 'Content-Type: application/yaml' http://127.0.0.1:8000/v1/decisions
    """
    import uvicorn  # the server only: every other command starts without it

    settings = ServeSettings(
        rules_dir=rules_dir,
        store=store or default_store(),
        engine=engine,  # type: ignore[arg-type]  # click.Choice checked it
        actor=actor,
        mask=check_mask(mask),
    )
    # Bad rules stop here, with the CLI's message, before any process starts.
    load_questions(rules_dir)
    load_ruleset(rules_dir)
    os.environ[SETTINGS_VARIABLE] = settings.to_env()
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Questionnaire: http://{shown}:{port}/   API: http://{shown}:{port}/docs", err=True)
    click.echo(f"Audit store: {redact(settings.store or '')}", err=True)
    for stop in (signal.SIGINT, signal.SIGTERM):
        # uvicorn stops gracefully on these, then raises them again: here they end the
        # command with status 0, as a stop that was asked for.
        signal.signal(stop, _stopped)
    uvicorn.run(
        "eligibility.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=not no_access_log,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        server_header=False,
    )
