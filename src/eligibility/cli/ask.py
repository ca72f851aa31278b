"""``eligibility ask``: the questionnaire in the terminal.

The conversation goes to standard error and the decision to standard output, so that
``eligibility ask --format json < answers.txt > decision.json`` works in a pipeline.
"""

from __future__ import annotations

import click

from eligibility.audit import RecordSettings, record_decisions
from eligibility.audit.store import redact
from eligibility.cli.options import (
    details_option,
    engine_option,
    format_option,
    output_width,
    record_options,
    rules_option,
)
from eligibility.decision.evaluator import Evaluator
from eligibility.i18n.translation import load_translation, localize
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Lang, load_questions
from eligibility.questionnaire.session import (
    DEFAULT_ID,
    Conversation,
    Session,
    open_session,
    run,
    save,
)
from eligibility.render import RENDERERS, View, render
from eligibility.render.wording import Wording
from eligibility.rules.loader import load_ruleset


class ClickIo:
    """The terminal through click: prompts and messages on standard error."""

    def ask(self, prompt: str, default: str | None) -> str:
        """Prompt once; Enter gives ``default``. Ctrl-C or end of input raise click.Abort."""
        answer: str = click.prompt(
            prompt, default=default or "", show_default=bool(default), err=True
        )
        return answer

    def say(self, text: str) -> None:
        """Show a line on standard error."""
        click.echo(text, err=True)


def interrupted_path(profile_id: str) -> str:
    """Where an interrupted session is saved when ``--save`` was not given."""
    return f"eligibility-ask-{profile_id}.yaml"


@click.command("ask")
@click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of the questions.",
)
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False),
    help="Write the answers to this profile file (after every answer, and on Ctrl-C).",
)
@click.option(
    "--from",
    "from_path",
    type=click.Path(dir_okay=False),
    help="Start from a (partial) profile file; ask only what is still needed.",
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
@record_options
def ask_command(
    lang: str,
    save_path: str | None,
    from_path: str | None,
    fmt: str,
    details: bool,
    no_trace: bool,
    profile_id: str | None,
    name: str | None,
    rules_dir: str | None,
    engine: str,
    recording: RecordSettings | None,
) -> None:
    """Ask, one at a time, only the questions whose answer can still change the decision,
    then print the decision.

    Type ? for "I don't know", back for the previous question, review to see or change
    the answers. Answers may come on standard input. Ctrl-C saves the answers (to --save,
    or to eligibility-ask-<id>.yaml) so that --from can resume.

    \b
    Examples:
      eligibility ask --save my-product.yaml
      eligibility ask --from my-product.yaml --lang fr
      printf 'no\\nnone\\nno\\n' | eligibility ask --format json
    """
    ruleset = load_ruleset(rules_dir)
    questions = load_questions(rules_dir)
    language: Lang = "fr" if lang == "fr" else "en"
    session, note = open_session(ruleset, questions, language, from_path, profile_id, name)
    if note is not None:
        click.echo(note, err=True)
    io = ClickIo()
    on_answer = None
    if save_path is not None:
        target = save_path

        def on_answer(s: Session) -> None:
            save(s, target, ruleset)

    conversation = Conversation(questions, io, language, on_answer)
    messages = questions.messages
    try:
        run(session, conversation)
    except (KeyboardInterrupt, click.Abort):
        path = save_path or interrupted_path(session.profile_id)
        save(session, path, ruleset)
        click.echo("", err=True)
        click.echo(messages.interrupted(language), err=True)
        click.echo(messages.saved(language).format(path=path), err=True)
        raise click.Abort() from None
    if save_path is not None:
        save(session, save_path, ruleset)
        click.echo(messages.saved(language).format(path=save_path), err=True)
    evaluator = Evaluator(ruleset, engine)  # type: ignore[arg-type]
    profile = session.profile()
    decision = evaluator.evaluate(profile, with_trace=not no_trace)
    if recording is not None:
        (record,) = record_decisions(recording, ruleset, [(profile, decision)], engine)
        click.echo(
            f"Recorded decision {record.decision_id[:12]} as record #{record.seq} in "
            f"{redact(recording.store)}",
            err=True,
        )
    translation = load_translation(ruleset, language)
    wording = Wording.of(ruleset, questions, translation)
    view = View(details=details, width=output_width(), wording=wording, source=save_path)
    click.echo(render(localize(decision, translation), fmt, language, view), nl=False)
    summary = messages.summary(language).format(asked=len(session.asked), fields=len(FIELDS))
    click.echo(summary, err=fmt != "text")
