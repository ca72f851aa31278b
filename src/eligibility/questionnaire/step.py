"""The questionnaire without a session: the answers so far in, the next question out.

``eligibility ask`` keeps its answers in a :class:`~eligibility.questionnaire.session.Session`
for the length of a conversation; a web page or an HTTP client keeps them itself and sends
them with each request. These functions give such a client what ``ask`` would show next,
by asking the same :class:`Session` (so a change of order, relevance or grouping shows in
both): the question, its help, its choices and why it is asked, in the asked language.

A question is one :class:`~eligibility.questionnaire.questions.Prompt`, as in ``ask``: one
field, with its ticks (more fields offered as one more choice each), or a checklist of what
the company already has. Answers to it are read by ``ask``'s reader.

Answers are a profile mapping, as ``ask --save`` writes it: a field set to ``None`` was
answered "I don't know"; a field left out was not asked yet. Besides the answers a client
keeps the checklist items left unticked that recorded nothing (``declined``): ``ask`` does
not ask them again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from eligibility.decision.relevance import Relevance, Stage
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Lang, Prompt, Questions
from eligibility.questionnaire.session import Conversation, Session, why_line

#: Between the fields of a question in its key (:func:`prompt_key`).
_AND = "+"
#: After the checklist's id in a key.
_CHECKLIST = ":"


@dataclass(frozen=True)
class Choice:
    """One answer offered: the field it answers, the value it gives that field, its label."""

    field: str
    value: Any
    label: str


@dataclass(frozen=True)
class Asked:
    """One question as a client shows it.

    ``fields`` are the fields one answer settles: ``field``, then the ``ticks``. ``kind``
    is the question's kind: ``bool`` (yes or no), ``enum`` (one of ``choices``), ``list``
    (any of ``choices``, or none) or ``int`` (a whole number from ``minimum`` to
    ``maximum``). Every question may also be answered "I don't know" (``None``).

    A *tick* is a field offered as one more choice of a several-answers question, after
    the choices of ``field`` (the choice whose ``field`` is the tick): ticked, the tick
    takes that choice's value; left unticked, a yes/no tick is answered no and any other
    records nothing. A ``checklist`` (the id of its group; None for any other question)
    is a list of ticks only: ``field`` is its first item, and an item left unticked that
    records nothing is not asked again (the client sends it back as declined). "I don't
    know" to the whole question answers ``field`` (every item of a checklist); to a tick
    alone, that tick.

    ``why`` names the journeys the answer can change (empty for a question asked again
    whose answer can no longer change anything). ``stage`` is the part of the conversation
    the question opens or continues (``scope``, ``details``, ``last``; None for a question
    asked again). ``answer`` is the answer already given to ``field`` when the question is
    asked again (``answered`` tells an answered "don't know" from no answer), and
    ``answers`` those given to each of ``fields``.
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
    ticks: list[str] = default(default_factory=list)
    checklist: str | None = None
    stage: Stage | None = None
    answers: dict[str, Any] = default(default_factory=dict)

    def prompt(self) -> Prompt:
        """The question as ``ask`` holds it."""
        main = None if self.checklist is not None else self.field
        return Prompt(main, tuple(self.ticks), self.checklist)


class _Silent:
    """The terminal of a conversation that shows nothing (only its wording is used here)."""

    def ask(self, prompt: str, _default: str | None) -> str:  # pragma: no cover - never asked
        raise RuntimeError(f"a stateless questionnaire asks nothing: {prompt}")

    def say(self, text: str) -> None:
        """Show nothing."""


def session_of(
    relevance: Relevance,
    questions: Questions,
    answers: Mapping[str, Any],
    declined: Collection[str] = (),
) -> Session:
    """The session ``ask`` would hold with these answers and declined checklist items."""
    return Session(relevance, questions, dict(answers), declined=set(declined))


def describe_prompt(
    relevance: Relevance,
    questions: Questions,
    prompt: Prompt,
    answers: Mapping[str, Any],
    lang: Lang = "en",
    stage: Stage | None = None,
) -> Asked:
    """``prompt`` worded as ``ask`` words it, given the other answers."""
    session = Session(relevance, questions, dict(answers))
    why = why_line(session, Conversation(questions, _Silent(), lang), prompt)
    m = questions.messages
    choices: list[Choice] = []
    kind = "list"
    bounds: tuple[int | None, int | None] = (None, None)
    if prompt.main is not None:
        name = prompt.main
        spec = FIELDS[name]
        kind = spec.kind
        if spec.kind == "bool":
            choices = [Choice(name, True, m.yes(lang)), Choice(name, False, m.no(lang))]
        elif spec.kind in ("enum", "list"):
            choices = [Choice(name, v, label) for v, label in questions.choices(name, lang)]
        else:
            bounds = (spec.values[0], spec.values[-1])
        group = questions.group_of(name)
    else:
        group = next(g for g in questions.data.groups if g.id == prompt.checklist)
    choices += [Choice(t, questions.tick_value(t), questions.item(t, lang)) for t in prompt.ticks]
    text, help_line = questions.prompt_question(prompt, lang)
    first = prompt.fields[0]
    return Asked(
        field=first,
        fields=list(prompt.fields),
        kind=kind,
        group=group.title(lang),
        text=text,
        help=help_line,
        why=why,
        choices=choices,
        minimum=bounds[0],
        maximum=bounds[1],
        answered=first in answers,
        answer=answers.get(first),
        ticks=list(prompt.ticks),
        checklist=prompt.checklist,
        stage=stage,
        answers={f: answers[f] for f in prompt.fields if f in answers},
    )


def describe(
    relevance: Relevance,
    questions: Questions,
    name: str,
    answers: Mapping[str, Any],
    lang: Lang = "en",
) -> Asked:
    """The question that asks ``name`` alone (as ``ask`` asks an answer changed from its
    review), worded as ``ask`` words it, given the other answers.

    Raises:
        KeyError: ``name`` is not a profile field the questionnaire asks.
    """
    return describe_prompt(relevance, questions, Prompt(name), answers, lang)


def next_question(
    relevance: Relevance,
    questions: Questions,
    answers: Mapping[str, Any],
    lang: Lang = "en",
    declined: Collection[str] = (),
) -> Asked | None:
    """The question ``ask`` would ask next given ``answers`` and the checklist items
    ``declined`` (None when it would stop)."""
    nxt = session_of(relevance, questions, answers, declined).next_prompt()
    if nxt is None:
        return None
    prompt, stage = nxt
    return describe_prompt(relevance, questions, prompt, answers, lang, stage)


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


def read_prompt(
    questions: Questions,
    prompt: Prompt,
    picked: Sequence[str] = (),
    ticked: Collection[str] = (),
    unsure: Collection[str] = (),
    lang: Lang = "en",
) -> dict[str, Any]:
    """Read a form's answer to ``prompt``, as ``ask`` reads the same answer typed: the
    values ``picked`` for the main field (as :func:`read_answer` reads them), the ticks
    ``ticked``, and the ticks answered "I don't know" (``unsure``, which wins over a tick).

    Returns a value for each field the answer settles (see
    :meth:`~eligibility.questionnaire.questions.Questions.parse_prompt`: an unticked yes/no
    tick is no, nothing at all is "none").

    Raises:
        AnswerError: the picks do not answer the question (the message says why, in ``lang``).
    """
    if not prompt.ticks:
        assert prompt.main is not None
        return {prompt.main: read_answer(questions, prompt.main, picked, lang)}
    values = FIELDS[prompt.main].values if prompt.main is not None else ()
    number = {str(v): str(i) for i, v in enumerate(values, start=1)}
    # a value the question does not offer stays as picked: the reader says it is no choice
    typed = [number.get(p.strip(), p.strip()) for p in picked if p.strip()]
    for i, t in enumerate(prompt.ticks, start=len(values) + 1):
        if t in unsure:
            typed.append(f"?{i}")
        elif t in ticked:
            typed.append(str(i))
    return questions.parse_prompt(prompt, ",".join(typed) or "none", lang)


def unknown(questions: Questions, prompt: Prompt) -> dict[str, Any]:
    """What "I don't know" to the whole of ``prompt`` records, as ``?`` typed to ``ask``:
    the main field unknown (its ticks are asked alone if they still matter), or every item
    of a checklist."""
    return questions.parse_prompt(prompt, "?", "en")


def prompt_key(prompt: Prompt) -> str:
    """A question as text, for a client to ask it again (:func:`prompt_of` reads it): its
    fields joined by ``+``, after ``<checklist id>:`` for a checklist."""
    key = _AND.join(prompt.fields)
    return f"{prompt.checklist}{_CHECKLIST}{key}" if prompt.checklist is not None else key


def prompt_of(questions: Questions, key: str) -> Prompt | None:
    """The question a :func:`prompt_key` names; None when the key names no question ``ask``
    could ask (a field that is no tick of its main field, an item of another checklist)."""
    checklist, sep, rest = key.rpartition(_CHECKLIST)
    fields = tuple(rest.split(_AND))
    if len(set(fields)) != len(fields) or not all(f in FIELDS for f in fields):
        return None
    if sep:
        group = next((g for g in questions.data.groups if g.id == checklist), None)
        if group is None or group.checklist is None or not set(fields) <= set(group.fields):
            return None
        return Prompt(None, fields, checklist)
    main, ticks = fields[0], fields[1:]
    if not set(ticks) <= set(questions.question(main).ticks):
        return None
    return Prompt(main, ticks)
