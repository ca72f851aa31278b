"""How a questionnaire ends, after the decision: how many questions were asked, and what
"don't know" answers leave open, said once.

The short text decision gives each undetermined journey (and the undetermined steps of one
that applies) the first question that would settle it; after it the ending points there.
After a decision that names no question (JSON, Markdown, the details), it lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from eligibility.questionnaire.questions import Lang
from eligibility.questionnaire.session import Session


def open_questions(session: Session, fields: list[str], lang: Lang) -> list[str]:
    """The questions that would settle the given fields (``missing``), in the asked language."""
    return [session.questions.question(f).question(lang) for f in fields]


def summary(session: Session, lang: Lang) -> str:
    """How many questions were asked, and that no other answer could change the decision."""
    messages, count = session.questions.messages, len(session.asked)
    if count == 0:
        return messages.summary_none(lang)
    if count == 1:
        return messages.summary_one(lang)
    return messages.summary(lang).format(asked=count)


@dataclass(frozen=True)
class Ending:
    """What closes a questionnaire, after the decision: sentences, then the questions
    listed (none when the decision shown names them already)."""

    said: list[str]
    questions: list[str]


def ending(session: Session, missing: list[str], lang: Lang, *, shown: bool) -> Ending:
    """The summary, then what "don't know" answers leave open (``missing``, the decision's
    unknown fields).

    When the decision just shown already gives, for each thing undetermined, the question
    that would settle it (``shown``), one sentence points to it rather than listing the
    questions a second time; otherwise the questions are listed.
    """
    messages = session.questions.messages
    said = [summary(session, lang)]
    if not missing:
        return Ending(said, [])
    if shown:
        return Ending([*said, messages.still_open_above(lang)], [])
    return Ending([*said, messages.still_open(lang)], open_questions(session, missing, lang))
