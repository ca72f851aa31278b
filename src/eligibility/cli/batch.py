"""``eligibility batch PORTFOLIO``: evaluate every product of a portfolio file."""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from typing import IO

import click

from eligibility.audit import RecordSettings, recorder_for
from eligibility.audit.recording import CHUNK as RECORD_CHUNK
from eligibility.audit.recording import NullRecorder, Recorder
from eligibility.audit.store import redact
from eligibility.batch.outcome import RowOutcome
from eligibility.batch.run import BatchSummary, KeepDecisions, run_batch
from eligibility.cli.errors import report
from eligibility.cli.options import (
    engine_option,
    format_option,
    lang_option,
    record_options,
    rules_option,
)
from eligibility.cli.signals import Stopped, WholeWrites
from eligibility.i18n.messages import say
from eligibility.i18n.translation import load_translation
from eligibility.i18n.words import tr
from eligibility.output.atomic import atomic_output
from eligibility.profile.portfolio import INPUT_FORMATS, count_rows
from eligibility.questionnaire.questions import load_questions
from eligibility.render.portfolio import PORTFOLIO_FORMATS, ReportInfo, write_document
from eligibility.render.wording import Wording
from eligibility.rules.loader import load_ruleset


def stderr_is_terminal() -> bool:
    """Whether a person watches stderr (a progress bar is then worth drawing)."""
    return sys.stderr.isatty()


def _tap(outcomes: Iterable[RowOutcome], summary: BatchSummary, lang: str) -> Iterator[RowOutcome]:
    # Errors are reported as they come, so a long run shows them before it ends.
    for o in outcomes:
        summary.add(o)
        if o.error is not None:
            report(o.error.describe(lang), lang)
        yield o


def _recorded(
    outcomes: Iterable[RowOutcome], recorder: Recorder | NullRecorder
) -> Iterator[RowOutcome]:
    """Record each decided row (payloads made by :class:`KeepDecisions`) and pass the rows
    on a chunk at a time, once their records are committed: a decision printed is a
    decision recorded, even when the run is killed half-way."""
    held: list[RowOutcome] = []
    for outcome in outcomes:
        payload, profile, decision = outcome.payload
        if profile is not None and decision is not None:
            recorder.add(profile, decision)
        held.append(replace(outcome, payload=payload))
        if len(held) == RECORD_CHUNK:
            recorder.flush()
            yield from held
            held = []
    recorder.flush()
    yield from held


@contextmanager
def _closed_unless_stopped(outcomes: Generator[RowOutcome, None, None]) -> Iterator[None]:
    """Close the outcomes at the end, which stops the pool at once on an error; not when a
    signal stops the run: the command then exits without waiting on the pool (a pool
    process the signal killed while it answered leaves the pool waiting for ever) and
    the pool's processes end with it (see :mod:`eligibility.batch.workers`)."""
    try:
        yield
    except Stopped:
        raise
    except BaseException:
        outcomes.close()
        raise
    outcomes.close()


@click.command("batch")
@click.argument("portfolio", metavar="PORTFOLIO", type=str)
@format_option(list(PORTFOLIO_FORMATS), default="jsonl")
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    help="Format of PORTFOLIO (default: from its suffix; required for standard input).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (atomically: complete or not at all) instead of stdout.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Evaluate in a pool of this many processes, at most the machine's CPUs (same "
    "output, in input order).",
)
@click.option("--no-trace", is_flag=True, help="Leave the rule trace out of the decisions.")
@click.option("--allow-errors", is_flag=True, help="Exit 0 even when some rows failed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
@rules_option
@engine_option
@lang_option
@record_options
def batch_command(
    portfolio: str,
    fmt: str,
    input_format: str | None,
    output: str | None,
    workers: int,
    no_trace: bool,
    allow_errors: bool,
    quiet: bool,
    rules_dir: str | None,
    engine: str,
    lang: str,
    recording: RecordSettings | None,
) -> None:
    """Evaluate every product of PORTFOLIO, a CSV, JSON, JSONL or YAML file (- for stdin).

    Rows are read and evaluated one at a time, so the portfolio can be large. A row that
    fails validation is reported (row number, field, message) on stderr and as an error
    record in the output, and the others are still evaluated. A summary goes to stderr.
    --lang sets the language of the Markdown and HTML reports; JSONL, JSON and CSV are
    data and keep the rules' own texts (English).

    Exit status: 0 when every row was decided, 1 when a row failed (0 with
    --allow-errors) or on bad input, 2 on a usage error.

    \b
    Examples:
      eligibility batch fixtures/portfolios/publisher.csv > decisions.jsonl
      eligibility batch fixtures/portfolios/publisher.json -f html -o report.html
      eligibility batch fixtures/portfolios/publisher.csv -f markdown --lang fr
      eligibility batch big.csv --workers 2 --no-trace -f csv -o summary.csv
      cat products.jsonl | eligibility batch - --input-format jsonl
      eligibility batch portfolio.csv --record --label campaign=2026-q4 > decisions.jsonl
    """
    ruleset = load_ruleset(rules_dir)
    spec = PORTFOLIO_FORMATS[fmt]
    translation = load_translation(ruleset, lang)
    fragment = spec.fragment_in(translation)
    wording = Wording.of(ruleset, load_questions(rules_dir), translation)
    info = ReportInfo.of("<stdin>" if portfolio == "-" else portfolio, ruleset, wording)
    summary = BatchSummary(info.journey_ids)
    outcomes = run_batch(  # a usage error (the input format) comes before any output
        portfolio,
        # Recorded decisions stay in the rules' own language: KeepDecisions wraps the
        # (localizing) fragment and keeps the decision as evaluated.
        KeepDecisions(fragment) if recording is not None else fragment,
        ruleset=ruleset,
        input_format=input_format,
        engine=engine,  # type: ignore[arg-type]  # click.Choice checked it
        workers=workers,
        with_trace=not no_trace,
    )
    target: AbstractContextManager[IO[bytes]] = (
        atomic_output(output) if output else nullcontext(sys.stdout.buffer)
    )
    rows: AbstractContextManager[Iterable[RowOutcome]] = nullcontext(outcomes)
    if not quiet and stderr_is_terminal():
        # Without a row count (JSON, YAML, stdin) click draws a moving mark and a counter.
        rows = click.progressbar(
            outcomes,
            length=count_rows(portfolio, input_format),
            label=tr("Evaluating", lang),
            file=sys.stderr,
            show_pos=True,
        )
    with (
        target as out,
        _closed_unless_stopped(outcomes),
        recorder_for(recording, ruleset, engine) as recorder,
        rows as counted,
    ):
        tapped = _tap(counted, summary, lang)
        if recording is not None:
            tapped = _recorded(tapped, recorder)
        # Each row's bytes are written whole, even when a signal stops the run meanwhile.
        document = spec.document_in(tapped, info, translation)
        write_document(document, WholeWrites(out), output or "<stdout>")
    if recording is not None and not quiet:
        said = say(
            "Recorded {count} decisions in {store}",
            lang,
            count=len(recorder.records),
            store=redact(recording.store),
        )
        click.echo(said, err=True)
    if not quiet:
        names = {j: wording.journey(j) for j in info.journey_ids}
        for line in summary.lines(lang, names):
            click.echo(line, err=True)
    if summary.errors and not allow_errors:
        raise click.exceptions.Exit(1)
