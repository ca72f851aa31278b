"""How a questionnaire ends, after the decision: how many questions were asked, and what
"don't know" answers leave open, said once.

The short text decision gives each undetermined journey (and the undetermined steps of one
that applies) the first question that would settle it; after it the ending points there.
After a decision that names no question (JSON, Markdown, the details), it lists them.
When "don't know" answers leave something open, it also says how to answer them later:
``ask --from FILE --unknown``, the short text's last command (pointed to), or its own last
line after the other formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eligibility.i18n.typography import typeset
from eligibility.i18n.words import tr
from eligibility.questionnaire.questions import Lang
from eligibility.questionnaire.session import Session


def ask_unknown_command(profile: str) -> str:
    """The command that asks the "don't know" answers of ``profile`` again."""
    return f"eligibility ask --from {profile} --unknown"


def open_questions(session: Session, fields: list[str], lang: Lang) -> list[str]:
    """The questions that would settle the given fields (``missing``), in the asked language."""
    return [session.questions.question(f).question(lang) for f in fields]


def summary(session: Session, lang: Lang) -> str:
    """How many questions were asked, and that every question that could still change the
    decision was (worded so that "don't know" answers leaving outcomes open do not belie it)."""
    messages, count = session.questions.messages, len(session.asked)
    if count == 0:
        return messages.summary_none(lang)
    if count == 1:
        return messages.summary_one(lang)
    return messages.summary(lang).format(asked=count)


@dataclass(frozen=True)
class Ending:
    """What closes a questionnaire, after the decision: sentences, then the questions
    listed (none when the decision shown names them already), then sentences about the
    command that asks the "don't know" answers again, and that command, typeset, on a
    line of its own (it is copied as it is)."""

    said: list[str]
    questions: list[str]
    then: list[str] = field(default_factory=list)
    command: str | None = None


def ending(
    session: Session, missing: list[str], lang: Lang, *, shown: bool, saved: str | None
) -> Ending:
    """The summary, then what "don't know" answers leave open (``missing``, the decision's
    unknown fields), and how to answer them again.

    When the decision just shown already gives, for each thing undetermined, the question
    that would settle it (``shown``: the short text, whose last line is the command that
    asks them again), one sentence points to each rather than repeating them; otherwise
    the questions are listed, then the command. ``saved`` is the file holding the answers,
    named in the command; None: a sentence says they are not saved, and the command names
    a placeholder.
    """
    messages = session.questions.messages
    said = [summary(session, lang)]
    if not missing:
        return Ending(said, [])
    again = bool(session.dont_know() & set(missing))
    unsaved = [messages.not_saved(lang)] if again and saved is None else []
    if shown:
        above = [messages.ask_again_above(lang)] if again else []
        return Ending([*said, messages.still_open_above(lang)], [], [*above, *unsaved])
    command = None
    if again:
        label = typeset(messages.ask_again(lang), lang)
        command = f"{label} {ask_unknown_command(saved or tr('PROFILE', lang))}"
    listed = open_questions(session, missing, lang)
    return Ending([*said, messages.still_open(lang)], listed, unsaved, command)
