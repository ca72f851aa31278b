"""``eligibility ask``: the questionnaire in the terminal.

The conversation goes to standard error and the decision to standard output, so that
``eligibility ask --format json < answers.txt > decision.json`` works in a pipeline.
"""

from __future__ import annotations

import sys

import click

from eligibility.audit import RecordSettings
from eligibility.cli.decision import echo_decision, record_one
from eligibility.cli.options import (
    details_option,
    engine_option,
    format_option,
    lang_option,
    record_options,
    rules_option,
)
from eligibility.cli.signals import Stopped
from eligibility.decision.evaluator import Evaluator
from eligibility.errors import UsageError
from eligibility.i18n.typography import colon
from eligibility.questionnaire.ending import Ending, ending
from eligibility.questionnaire.questions import Lang, Messages, load_questions
from eligibility.questionnaire.session import (
    DEFAULT_ID,
    Conversation,
    Session,
    open_session,
    run,
    save,
)
from eligibility.render import RENDERERS, shows_settling_questions
from eligibility.render.view import wrap
from eligibility.rules.loader import load_ruleset

#: Exit status of a run interrupted by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
#: Exit status when the answers end (end of input) before the last question.
EXIT_INPUT_ENDED = 1


class ClickIo:
    """The terminal through click: prompts and messages on standard error.

    Ctrl-C raises KeyboardInterrupt and the end of input EOFError, so that the command
    tells them apart (click's own prompt turns both into "Aborted!").
    """

    def __init__(self, lang: Lang = "en") -> None:
        self.lang = lang

    def ask(self, prompt: str, default: str | None) -> str:
        """Prompt once; Enter gives ``default``."""
        shown = f" [{default}]" if default else ""
        click.echo(f"{prompt}{shown}{colon(self.lang)} ", nl=False, err=True)
        if sys.stdin.isatty():
            line = input()  # line editing in a terminal
        else:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            click.echo("", err=True)  # a terminal echoes the answer's Enter; a pipe does not
        line = line.strip()
        return line if line or default is None else default

    def say(self, text: str) -> None:
        """Show a line on standard error."""
        click.echo(text, err=True)


def interrupted_path(profile_id: str) -> str:
    """Where an interrupted session is saved when ``--save`` was not given."""
    return f"eligibility-ask-{profile_id}.yaml"


def _stop(messages: Messages, lang: Lang, why: str, path: str, status: int) -> None:
    """Say why the questionnaire stopped and where the answers are; exit with ``status``."""
    click.echo("", err=True)
    click.echo(why, err=True)
    click.echo(messages.saved(lang).format(path=path), err=True)
    click.get_current_context().exit(status)


def _echo_ending(end: Ending, width: int, lang: Lang, *, err: bool) -> None:
    """The questionnaire's closing lines, wrapped as the decision before them (but the
    command, copied as it is)."""
    lines = [line for text in end.said for line in wrap(text, width, lang)]
    lines += [line for text in end.questions for line in wrap(text, width, lang, "  - ", "    ")]
    lines += [line for text in end.then for line in wrap(text, width, lang)]
    lines += [end.command] if end.command is not None else []
    for line in lines:
        click.echo(line, err=err)


def answers_file(
    session: Session, save_path: str | None, from_path: str | None, *, renamed: bool
) -> str | None:
    """The file holding exactly the answers decided on, named in the commands the output
    suggests: --save's, or --from's when this run changed nothing (no question asked, no
    new --id or --name); None when no file holds them."""
    if save_path is not None:
        return save_path
    return from_path if not session.asked and not renamed else None


@click.command("ask")
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False),
    help="Write the answers to this profile file (after every answer, and when interrupted).",
)
@click.option(
    "--from",
    "from_path",
    type=click.Path(dir_okay=False),
    help="Start from a (partial) profile file; ask only what is still needed.",
)
@click.option(
    "--unknown",
    "ask_unknown",
    is_flag=True,
    help='With --from: also ask again the questions answered "don\'t know" (null) there, '
    "those that can still change the decision; every other answer is kept.",
)
@format_option(sorted(RENDERERS), help="Output format of the decision.")
@details_option
@click.option("--no-trace", is_flag=True, help="Leave the rule trace out of the decision.")
@click.option(
    "--id",
    "profile_id",
    help=f"Product id for the profile (default: {DEFAULT_ID}, or the id in --from).",
)
@click.option("--name", help="Commercial name of the product.")
@rules_option
@engine_option
@lang_option
@record_options
def ask_command(
    save_path: str | None,
    from_path: str | None,
    ask_unknown: bool,
    fmt: str,
    details: bool,
    no_trace: bool,
    profile_id: str | None,
    name: str | None,
    rules_dir: str | None,
    engine: str,
    lang: str,
    recording: RecordSettings | None,
) -> None:
    """Ask, one at a time, only the questions whose answer can still change the decision,
    then print the decision.

    What decides whether a journey applies is asked first, then what settles the most;
    what your company already has (contracts, cards, accounts) comes last, as one list to
    tick. Type ? for "I don't know", back for the previous question, review to see or
    change the answers. Answers may come on standard input, one per line.

    When interrupted, the answers so far are saved (to --save, or to
    eligibility-ask-<id>.yaml) so that --from can resume. --from never asks a "don't
    know" again, unless --unknown is given too (without --from, --unknown is a usage
    error).

    Exit status: 0 when a decision was made; 1 on bad input, or when the answers ended
    before the last question; 2 on a usage error; 130 when interrupted (Ctrl-C).

    \b
    Examples:
      eligibility ask --save my-product.yaml
      eligibility ask --from my-product.yaml --lang fr
      eligibility ask --from my-product.yaml --unknown --save my-product.yaml
      yes no | head -n 20 | eligibility ask --format json > decision.json
    """
    if ask_unknown and from_path is None:
        raise UsageError(
            '--unknown asks again the "don\'t know" answers of a file: give --from FILE'
        )
    ruleset = load_ruleset(rules_dir)
    questions = load_questions(rules_dir)
    language: Lang = "fr" if lang == "fr" else "en"
    messages = questions.messages
    session, note = open_session(
        ruleset, questions, language, from_path, profile_id, name, reopen=ask_unknown
    )
    if note is not None:
        click.echo(note, err=True)
    on_answer = None
    if save_path is not None:
        target = save_path

        def on_answer(s: Session) -> None:
            save(s, target, ruleset)

    conversation = Conversation(questions, ClickIo(language), language, on_answer)
    path = save_path or interrupted_path(session.profile_id)
    try:
        run(session, conversation)
    except KeyboardInterrupt:
        save(session, path, ruleset)
        _stop(messages, language, messages.interrupted(language), path, EXIT_INTERRUPTED)
    except EOFError:
        save(session, path, ruleset)
        _stop(messages, language, messages.ended(language), path, EXIT_INPUT_ENDED)
    except Stopped as exc:  # a signal: saved, said, then the exit status that signal gives
        save(session, path, ruleset)
        _stop(messages, language, messages.interrupted(language), path, exc.exit_status())
    if save_path is not None:
        save(session, save_path, ruleset)
        click.echo(messages.saved(language).format(path=save_path), err=True)
    evaluator = Evaluator(ruleset, engine)  # type: ignore[arg-type]
    profile = session.profile()
    decision = evaluator.evaluate(profile, with_trace=not no_trace)
    if recording is not None:
        record_one(recording, ruleset, profile, decision, engine, language)
    missing = list(decision.missing)
    renamed = profile_id is not None or name is not None
    source = answers_file(session, save_path, from_path, renamed=renamed)
    view = echo_decision(
        decision,
        ruleset,
        questions,
        fmt,
        language,
        details=details,
        source=source,
        dont_know=session.dont_know(),
    )
    named = shows_settling_questions(decision, fmt, language, view)
    end = ending(session, missing, language, shown=named, saved=source)
    _echo_ending(end, view.width, language, err=fmt != "text")
