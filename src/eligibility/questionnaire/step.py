"""The questionnaire without a session: the answers so far in, the next question out.

``eligibility ask`` keeps its answers in a :class:`~eligibility.questionnaire.session.Session`
for the length of a conversation; a web page or an HTTP client keeps them itself and sends
them with each request. These functions give such a client what ``ask`` would show next,
by asking the same :class:`Session` (so a change of order or relevance shows in both): the
question, its help, its choices and why it is asked, in the asked language.

Answers are a profile mapping, as ``ask --save`` writes it: a field set to ``None`` was
answered "I don't know"; a field left out was not asked yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from eligibility.decision.relevance import Relevance
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Lang, Prompt, Questions
from eligibility.questionnaire.session import Conversation, Session, why_line


@dataclass(frozen=True)
class Choice:
    """One answer offered: the field it answers, the value it gives that field, its label."""

    field: str
    value: Any
    label: str


@dataclass(frozen=True)
class Asked:
    """One question as a client shows it.

    ``fields`` are the fields one answer settles (``field`` itself). ``kind`` is the
    field's kind: ``bool`` (yes or no), ``enum`` (one of ``choices``), ``list`` (any of
    ``choices``, or none) or ``int`` (a whole number from ``minimum`` to ``maximum``).
    Every question may also be answered "I don't know" (``None``). ``why``
    names the journeys the answer can change (empty for a question asked again whose
    answer can no longer change anything). ``answer`` is the answer already given when the
    question is asked again (``answered`` tells an answered "don't know" from no answer).
    """

    field: str
    fields: list[str]
    kind: str
    group: str
    text: str
    help: str
    why: str
    choices: list[Choice] = default(default_factory=list)
    minimum: int | None = None
    maximum: int | None = None
    answered: bool = False
    answer: Any = None


class _Silent:
    """The terminal of a conversation that shows nothing (only its wording is used here)."""

    def ask(self, prompt: str, _default: str | None) -> str:  # pragma: no cover - never asked
        raise RuntimeError(f"a stateless questionnaire asks nothing: {prompt}")

    def say(self, text: str) -> None:
        """Show nothing."""


def next_field(relevance: Relevance, answers: Mapping[str, Any]) -> str | None:
    """The field ``ask`` would ask next given ``answers``; None when nothing can change the
    decision any more.

    One field a question: where ``ask`` offers a field's ticks with it, or a checklist of
    what the company has, this asks them one by one (each is still asked only while its
    answer can change the decision).
    """
    choice = relevance.choose(dict(answers))
    return None if choice is None else choice.field


def describe(
    relevance: Relevance,
    questions: Questions,
    name: str,
    answers: Mapping[str, Any],
    lang: Lang = "en",
) -> Asked:
    """The question that asks ``name``, worded as ``ask`` words it, given the other answers.

    Raises:
        KeyError: ``name`` is not a profile field the questionnaire asks.
    """
    spec = FIELDS[name]
    session = Session(relevance, questions, dict(answers))
    why = why_line(session, Conversation(questions, _Silent(), lang), Prompt(name))
    m = questions.messages
    if spec.kind == "bool":
        choices = [Choice(name, True, m.yes(lang)), Choice(name, False, m.no(lang))]
    elif spec.kind in ("enum", "list"):
        choices = [Choice(name, v, label) for v, label in questions.choices(name, lang)]
    else:
        choices = []
    question = questions.question(name)
    bounds = (spec.values[0], spec.values[-1]) if spec.kind == "int" else (None, None)
    return Asked(
        field=name,
        fields=[name],
        kind=spec.kind,
        group=questions.group_of(name).title(lang),
        text=question.question(lang),
        help=question.help(lang),
        why=why,
        choices=choices,
        minimum=bounds[0],
        maximum=bounds[1],
        answered=name in answers,
        answer=answers.get(name),
    )


def next_question(
    relevance: Relevance, questions: Questions, answers: Mapping[str, Any], lang: Lang = "en"
) -> Asked | None:
    """The question ``ask`` would ask next given ``answers`` (None when it would stop)."""
    name = next_field(relevance, answers)
    return None if name is None else describe(relevance, questions, name, answers, lang)


def read_answer(questions: Questions, name: str, picked: Sequence[str], lang: Lang = "en") -> Any:
    """Read the values picked in a form (value names, ``true``/``false``, a number) as the
    answer to ``name``, through the same reader as answers typed to ``ask``.

    Nothing picked for a several-answers question is the answer "none of them".

    Raises:
        AnswerError: the picks do not answer the question (the message says why, in ``lang``).
    """
    spec = FIELDS[name]
    text = ",".join(p.strip() for p in picked)
    if spec.kind == "list" and not text:
        text = "none"
    return questions.parse(name, text, lang)
