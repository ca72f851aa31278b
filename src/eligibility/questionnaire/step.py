"""The questionnaire without a session: the answers so far in, the next question out.

``eligibility ask`` keeps its answers in a :class:`~eligibility.questionnaire.session.Session`
for the length of a conversation; a web page or an HTTP client keeps them itself and sends
them with each request. These functions give such a client what ``ask`` would show next,
by asking the same :class:`Session` (so a change of order, relevance or grouping shows in
both): the question, its help, its choices and why it is asked, in the asked language.

A question is one :class:`~eligibility.questionnaire.questions.Prompt`, as in ``ask``: one
field, with its ticks (more fields offered as one more choice each), or a checklist of what
the company already has. It is described twice over (:class:`Asked`): its first field as a
question of its own, for a client that answers one field at a time (the other fields are
then asked later, each on its own, when they still matter), and the whole question, for a
client that asks as ``ask`` does. Answers to it are read by ``ask``'s reader.

Answers are a profile mapping, as ``ask --save`` writes it: a field set to ``None`` was
answered "I don't know"; a field left out was not asked yet. Besides the answers a client
keeps the checklist items left unticked that recorded nothing (``declined``): ``ask`` does
not ask them again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from eligibility.decision.relevance import Relevance, Stage
from eligibility.profile.model import FIELDS, FieldKind
from eligibility.questionnaire.questions import Lang, Prompt, Questions
from eligibility.questionnaire.session import Conversation, Session, why_line

#: Between the fields of a question in its key (:func:`prompt_key`).
_AND = "+"
#: After the checklist's id in a key.
_CHECKLIST = ":"


class _Described(BaseModel):
    """A model whose members are described by the docstrings under them (the OpenAPI
    description of the questionnaire's answer shows them)."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)


class Choice(_Described):
    """One answer offered."""

    field: str
    """The field this choice answers."""
    value: Any
    """The value it gives that field."""
    label: str
    """What the choice says."""


class Combined(_Described):
    """The question as ``eligibility ask`` asks it when one answer settles several fields:
    a several-answers question, the choices of ``field`` (none for a checklist), then its
    ticks. "I don't know" to the whole of it answers ``field`` alone (its ticks are then
    asked on their own if they still matter), every item of a checklist."""

    fields: list[str]
    """Every field one answer settles: ``field``, then the ticks' (for a checklist, its
    items)."""
    text: str
    """The whole question."""
    help: str
    """One line of help for the whole question."""
    why: str
    """The journeys an answer to the whole question can change."""
    ticks: list[Choice]
    """More fields, each offered as one more choice (for a checklist, every item, ``field``
    first). Ticked, the tick's ``field`` takes its ``value``. Left unticked, a yes/no field
    (``value`` true) is false, and any other records nothing: a checklist item so left is
    sent back as ``declined`` and not asked again, any other is asked on its own later if
    it still matters. Nothing ticked at all (but in a checklist): ``field`` is ``[]`` and
    the ticks record nothing. "I don't know" to one tick alone is null for its field."""
    checklist: str | None = None
    """The checklist's id (``already-done``: what the company already has): ticks only,
    without the choices of ``field``. Null for a field with its ticks."""
    answers: dict[str, Any] = Field(default_factory=dict)
    """The answers already given to each of ``fields`` (the question is asked again)."""


class Asked(_Described):
    """One question: the field ``field`` asked on its own, and the question ``ask`` asks
    when it asks that field with others (``combined``). A client that answers only
    ``field`` is asked the other fields later, each on its own, when they still matter."""

    field: str
    """The profile field asked: the answer is its value (null: "I don't know")."""
    kind: FieldKind
    """``bool`` (yes or no), ``enum`` (one of ``choices``), ``list`` (any of ``choices``, or
    none: ``[]``) or ``int`` (a whole number from ``minimum`` to ``maximum``)."""
    group: str
    """The theme of the questionnaire the field belongs to."""
    text: str
    """The question asking ``field``."""
    help: str
    """One line of help."""
    why: str
    """The journeys the answer can change (empty for a question asked again whose answer
    can no longer change anything)."""
    choices: list[Choice] = Field(default_factory=list)
    """The values ``field`` can take, its own only, each ``field`` being ``field`` (yes
    and no for ``bool``; none for ``int``). The other fields a combined question offers
    are its ``ticks``."""
    minimum: int | None = None
    """For ``int``: the smallest value."""
    maximum: int | None = None
    """For ``int``: the largest value."""
    answered: bool = False
    """Whether ``field`` was answered already (the question is asked again): tells an
    answered "I don't know" from no answer."""
    answer: Any = None
    """The answer already given to ``field``."""
    stage: Stage | None = None
    """The part of the questionnaire the question opens or continues: ``scope`` (what the
    product does), ``details`` (where it stands), ``last`` (what the company already has);
    null for a question asked again."""
    combined: Combined | None = None
    """The question ``ask`` asks when it asks ``field`` with other fields, one answer
    settling them all; null when it asks ``field`` alone."""

    def prompt(self) -> Prompt:
        """The question as ``ask`` holds it."""
        c = self.combined
        if c is None:
            return Prompt(self.field)
        ticks = tuple(t.field for t in c.ticks)
        return Prompt(None if c.checklist is not None else self.field, ticks, c.checklist)


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


def _choice(field: str, value: Any, label: str) -> Choice:
    return Choice(field=field, value=value, label=label)


def describe_prompt(
    relevance: Relevance,
    questions: Questions,
    prompt: Prompt,
    answers: Mapping[str, Any],
    lang: Lang = "en",
    stage: Stage | None = None,
) -> Asked:
    """``prompt`` worded as ``ask`` words it, given the other answers: its first field as
    a question of its own, and the whole of it when it settles several fields."""
    session = Session(relevance, questions, dict(answers))
    conversation = Conversation(questions, _Silent(), lang)
    name = prompt.fields[0]
    alone = Prompt(name)
    spec = FIELDS[name]
    m = questions.messages
    choices: list[Choice] = []
    bounds: tuple[int | None, int | None] = (None, None)
    if spec.kind == "bool":
        choices = [_choice(name, True, m.yes(lang)), _choice(name, False, m.no(lang))]
    elif spec.kind in ("enum", "list"):
        choices = [_choice(name, v, label) for v, label in questions.choices(name, lang)]
    else:
        bounds = (spec.values[0], spec.values[-1])
    text, help_line = questions.prompt_question(alone, lang)
    combined = None
    if prompt != alone:
        whole_text, whole_help = questions.prompt_question(prompt, lang)
        combined = Combined(
            fields=list(prompt.fields),
            text=whole_text,
            help=whole_help,
            why=why_line(session, conversation, prompt),
            ticks=[
                _choice(t, questions.tick_value(t), questions.item(t, lang)) for t in prompt.ticks
            ],
            checklist=prompt.checklist,
            answers={f: answers[f] for f in prompt.fields if f in answers},
        )
    return Asked(
        field=name,
        kind=spec.kind,
        group=questions.group_of(name).title(lang),
        text=text,
        help=help_line,
        why=why_line(session, conversation, alone),
        choices=choices,
        minimum=bounds[0],
        maximum=bounds[1],
        answered=name in answers,
        answer=answers.get(name),
        stage=stage,
        combined=combined,
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
