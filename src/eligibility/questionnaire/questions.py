"""The questions of the questionnaire (``rules/questions.yaml``) and how answers are read.

The file holds wording: one question per profile field with a help line and answer
labels, in English and French, and the groups that list the questions by theme. *Whether*
a question is asked, and when, is computed from the rules (:mod:`eligibility.decision.relevance`);
the file only says three things about asking:

* ``follows``: the question's wording presupposes another answer (whether DMP feeding
  is left to the hospital's platform presupposes that the software uses the DMP), so it
  waits while that other question can still change the decision;
* ``ticks``: questions offered as more choices of a several-answers question (the
  hospital's platform is one more choice of "what does the software do with the DMP?"),
  so that one answer settles both. A tick is a yes/no field (not ticked: no), or one
  value of another field (``tick_value``; not ticked: still unanswered). A question whose
  wording names its ticks has an ``alone`` wording, for when it is asked without them;
* a group's ``checklist``: its questions (what the publisher already has) are asked
  together, as one list to tick, once nothing else is left to ask. A checklist item for
  one value of a field, left unticked, is not asked again: the field stays unknown (it
  suits a field the rules read for that value's advice only, like the ROR public-data
  profile).

One screen of the conversation is a :class:`Prompt`: one field, with its ticks, or the
open fields of a checklist.

Answers are typed: yes/no, one of a list (by number or by name), several of a list
(numbers separated by commas, or ``none``), whole numbers within bounds. ``?``, ``dk`` or
"don't know" (``je ne sais pas``, ``nsp``) is the answer "I don't know"; in a list of
ticks, ``?3`` says "don't know" for the third choice alone. Words of both languages are
understood whatever the language of the questions.

One cohesive module although over 400 lines: the questions file's model and the reading of
answers to it, which its labels and value lists serve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eligibility.errors import RuleFileError
from eligibility.i18n.typography import french
from eligibility.profile.model import FIELDS, FieldSpec
from eligibility.rules.loader import read_rule_yaml

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")

QUESTIONS_FILE = "questions.yaml"
DEFAULT_QUESTIONS = Path(__file__).resolve().parents[3] / "rules" / QUESTIONS_FILE

DONT_KNOW_WORDS = frozenset(
    {"?", "dk", "don't know", "dont know", "idk", "unknown", "je ne sais pas", "nsp"}
)
YES_WORDS = frozenset({"y", "yes", "true", "o", "oui", "vrai"})
NO_WORDS = frozenset({"n", "no", "false", "non", "faux"})
NONE_WORDS = frozenset({"none", "aucun", "aucune", "-", "[]"})
BACK_WORDS = frozenset({"back", "retour", "<"})
REVIEW_WORDS = frozenset({"review", "revoir"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in every language of the questionnaire."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else french(self.fr)


class Question(_Strict):
    """How to ask for one profile field."""

    question: Text
    help: Text
    #: the question asked without its ticks, when ``question`` also asks them
    alone: Text | None = None
    answers: dict[str, Text] | None = None
    #: the label of a yes/no field offered as a choice (a tick) of another question
    item: Text | None = None
    #: for a one-choice field offered as a tick: the value ticking it means
    tick_value: str | int | None = None
    #: yes/no fields offered as more choices of this (several-answers) question
    ticks: list[str] = Field(default_factory=list)
    #: fields whose answer this question's wording presupposes (asked before it)
    follows: list[str] = Field(default_factory=list)


class Checklist(_Strict):
    """A group asked as one question: tick what holds among its yes/no fields."""

    question: Text
    help: Text


class Group(_Strict):
    """A theme of questions (the order of the review and of ties between questions)."""

    id: str
    title: Text
    fields: list[str]
    checklist: Checklist | None = None


class Messages(_Strict):
    """Everything else the questionnaire says, in both languages."""

    intro: Text
    stage_scope: Text
    stage_details: Text
    stage_last: Text
    why_applies: Text
    applies_one: Text
    applies_many: Text
    why_todo: Text
    why_todo_only: Text
    and_word: Text
    hint_yes_no: Text
    hint_one: Text
    hint_many: Text
    hint_ticks: Text
    hint_int: Text
    hint_dont_know: Text
    answer: Text
    bad_answer: Text
    problem_empty: Text
    problem_yes_no: Text
    problem_choice: Text
    problem_int: Text
    problem_range: Text
    dont_know: Text
    yes: Text
    no: Text
    none: Text
    nothing_back: Text
    review_header: Text
    review_empty: Text
    review_prompt: Text
    review_bad: Text
    resumed_one: Text
    resumed: Text
    rules_changed: Text
    no_hash: Text
    saved: Text
    interrupted: Text
    ended: Text
    summary_none: Text
    summary_one: Text
    summary: Text
    still_open: Text
    #: after a decision that already gives, for each thing undetermined, its question
    still_open_above: Text
    #: before the command that asks the "don't know" answers again
    ask_again: Text
    #: after a decision whose last line is that command
    ask_again_above: Text
    #: after "don't know" answers when no file holds the answers (no --save)
    not_saved: Text
    #: resuming with --unknown: how many "don't know" answers may be asked again
    reopened_none: Text
    reopened_one: Text
    reopened: Text


class QuestionsFile(_Strict):
    """The whole of ``questions.yaml``."""

    groups: list[Group]
    journeys: dict[str, Text] = Field(default_factory=dict)
    journey_phrases: dict[str, Text] = Field(default_factory=dict)
    questions: dict[str, Question]
    messages: Messages


class AnswerError(ValueError):
    """An answer that does not fit the question; the message says why, in the asked language."""


Command = Literal["back", "review"]


def command_of(text: str) -> Command | None:
    """Return the command typed instead of an answer (``back``, ``review``), or None."""
    word = text.strip().lower()
    if word in BACK_WORDS:
        return "back"
    if word in REVIEW_WORDS:
        return "review"
    return None


@dataclass(frozen=True)
class Prompt:
    """One question of the conversation: a field with the ticks it offers, or a checklist.

    ``main`` is the field asked (None for a checklist); ``ticks`` are the yes/no fields
    offered as more numbered choices after the main field's own.
    """

    main: str | None
    ticks: tuple[str, ...] = ()
    checklist: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field one answer to this question settles."""
        return ((self.main,) if self.main is not None else ()) + self.ticks


@dataclass(frozen=True)
class Questions:
    """The loaded questions: wording, order, and reading and showing of answers."""

    data: QuestionsFile
    path: str

    @property
    def order(self) -> tuple[str, ...]:
        """Every field, in the order questions are asked."""
        return tuple(f for g in self.data.groups for f in g.fields)

    @property
    def messages(self) -> Messages:
        """The other texts of the questionnaire."""
        return self.data.messages

    def group_of(self, field: str) -> Group:
        """The group a field belongs to."""
        return next(g for g in self.data.groups if field in g.fields)

    @property
    def follows(self) -> dict[str, tuple[str, ...]]:
        """Field -> the fields its question presupposes, and the main field of a tick."""
        out = {f: tuple(q.follows) for f, q in self.data.questions.items() if q.follows}
        for main, q in self.data.questions.items():
            for t in q.ticks:
                out[t] = (*out.get(t, ()), main)
        return out

    @property
    def last(self) -> frozenset[str]:
        """The fields of the checklists (asked once nothing else is left)."""
        return frozenset(f for g in self.data.groups if g.checklist for f in g.fields)

    def prompt(self, field: str, still_open: Callable[[str], bool]) -> Prompt:
        """The question that asks ``field``: with the ticks still open, or its checklist.

        ``still_open`` says whether another field is unanswered and can still change the
        decision (only those are offered).
        """
        group = self.group_of(field)
        if group.checklist is not None:
            ticks = tuple(f for f in group.fields if f == field or still_open(f))
            return Prompt(None, ticks, group.id)
        offered = tuple(t for t in self.question(field).ticks if still_open(t))
        return Prompt(field, offered)

    def prompt_question(self, prompt: Prompt, lang: Lang) -> tuple[str, str]:
        """The question and help line of a prompt."""
        if prompt.checklist is not None:
            checklist = next(g for g in self.data.groups if g.id == prompt.checklist).checklist
            assert checklist is not None
            return checklist.question(lang), checklist.help(lang)
        assert prompt.main is not None
        q = self.question(prompt.main)
        text = q.alone if q.alone is not None and not prompt.ticks else q.question
        return text(lang), q.help(lang)

    def prompt_choices(self, prompt: Prompt, lang: Lang) -> list[str]:
        """The numbered choices of a prompt: the main field's, then its ticks'."""
        labels: list[str] = []
        if prompt.main is not None and FIELDS[prompt.main].kind in ("enum", "list"):
            labels = [label for _, label in self.choices(prompt.main, lang)]
        return labels + [self.item(t, lang) for t in prompt.ticks]

    def item(self, field: str, lang: Lang) -> str:
        """A yes/no field as a choice to tick (its question when it has no item label)."""
        q = self.question(field)
        return q.item(lang) if q.item is not None else q.question(lang)

    def prompt_hint(self, prompt: Prompt, lang: Lang) -> str:
        """How to answer a prompt, in a few words."""
        if prompt.main is None:
            return self.messages.hint_ticks(lang)
        return self.hint(prompt.main, lang)

    def parse_prompt(self, prompt: Prompt, text: str, lang: Lang) -> dict[str, Any]:
        """Read the answer to a prompt: a value for each field it settles.

        The ticks not chosen are answered "no", except after ``none`` to the main field
        (nothing to qualify: they stay unanswered); ``?`` answers every field "don't
        know", ``?N`` the N-th choice alone.

        Raises:
            AnswerError: the answer does not fit; the message says why and how to answer.
        """
        if not prompt.ticks:
            assert prompt.main is not None
            return {prompt.main: self.parse(prompt.main, text, lang)}
        word = " ".join(text.strip().lower().replace("’", "'").split())
        if word in DONT_KNOW_WORDS:
            if prompt.main is not None:
                return {prompt.main: None}  # its ticks are asked alone if still needed
            return dict.fromkeys(prompt.ticks, None)
        try:
            return self._read_ticks(prompt, word, lang)
        except AnswerError as exc:
            hint = f"{self.prompt_hint(prompt, lang)} ({self.messages.hint_dont_know(lang)})"
            raise AnswerError(
                self.messages.bad_answer(lang).format(problem=exc, hint=hint)
            ) from None

    def _read_ticks(self, prompt: Prompt, word: str, lang: Lang) -> dict[str, Any]:
        main_values: tuple[Any, ...] = ()
        if prompt.main is not None:
            main_values = FIELDS[prompt.main].values
        if not word:
            raise AnswerError(self.messages.problem_empty(lang))
        if word in NONE_WORDS or word in NO_WORDS:
            if prompt.main is not None:
                return {prompt.main: []}
            return {t: False for t in prompt.ticks if FIELDS[t].kind == "bool"}
        parts = [p.strip() for p in word.replace(";", ",").replace(" ", ",").split(",")]
        chosen: set[int] = set()
        unsure: set[int] = set()
        count = len(main_values) + len(prompt.ticks)
        for part in (p for p in parts if p):
            target = unsure if part.startswith("?") else chosen
            number = part.lstrip("?")
            if not (number.isdigit() and 1 <= int(number) <= count):
                raise AnswerError(self.messages.problem_choice(lang).format(text=part))
            target.add(int(number) - 1)
        out: dict[str, Any] = {}
        if prompt.main is not None:
            out[prompt.main] = [v for i, v in enumerate(main_values) if i in chosen]
        for i, t in enumerate(prompt.ticks, start=len(main_values)):
            if i in unsure:
                out[t] = None
            elif i in chosen:
                out[t] = self.tick_value(t)
            elif FIELDS[t].kind == "bool":
                out[t] = False  # a one-choice field not ticked stays unanswered
        return out

    def tick_value(self, field: str) -> Any:
        """The value a tick of ``field`` means: yes, or the question's ``tick_value``."""
        value = self.question(field).tick_value
        return True if value is None else value

    def typed_prompt(self, prompt: Prompt, answers: dict[str, Any], lang: Lang) -> str | None:
        """The answers already given to a prompt's fields, as they would be typed (or None)."""
        if not any(f in answers for f in prompt.fields):
            return None
        if not prompt.ticks:
            assert prompt.main is not None
            return self.typed(prompt.main, answers[prompt.main], lang)
        if prompt.main is not None and answers.get(prompt.main, ()) is None:
            return "?"
        offset = 0
        numbers: list[str] = []
        if prompt.main is not None:
            values = FIELDS[prompt.main].values
            offset = len(values)
            given = answers.get(prompt.main) or []
            numbers += [str(i) for i, v in enumerate(values, start=1) if v in given]
        for i, t in enumerate(prompt.ticks, start=offset + 1):
            if t in answers and answers[t] is None:
                numbers.append(f"?{i}")
            elif t in answers and answers[t] == self.tick_value(t):
                numbers.append(str(i))
        return ",".join(numbers) if numbers else self.messages.none(lang)

    def question(self, field: str) -> Question:
        """The question for a field."""
        return self.data.questions[field]

    def journey_name(self, journey_id: str, default: str, lang: Lang) -> str:
        """A journey's short name on its own, for a heading or a list (its catalogue title
        when the file gives none)."""
        text = self.data.journeys.get(journey_id)
        return text(lang) if text is not None else default

    def journey_phrase(self, journey_id: str, default: str, lang: Lang) -> str:
        """A journey's name as it reads inside a sentence, with its article (its short name
        when the file gives no phrase)."""
        text = self.data.journey_phrases.get(journey_id)
        return text(lang) if text is not None else self.journey_name(journey_id, default, lang)

    def choices(self, field: str, lang: Lang) -> list[tuple[Any, str]]:
        """The numbered choices of an enum or list field: (value, label), in model order."""
        spec = FIELDS[field]
        labels = self.question(field).answers or {}
        return [(v, labels[str(v)](lang)) for v in spec.values]

    def hint(self, field: str, lang: Lang) -> str:
        """How to answer a field, in a few words."""
        spec, m = FIELDS[field], self.messages
        if spec.kind == "bool":
            return m.hint_yes_no(lang)
        if spec.kind == "int":
            return m.hint_int(lang).format(lo=spec.values[0], hi=spec.values[-1])
        return (m.hint_many if spec.kind == "list" else m.hint_one)(lang)

    def parse(self, field: str, text: str, lang: Lang) -> Any:
        """Read a typed answer: the JSON value of the field, or None for "I don't know".

        Raises:
            AnswerError: the answer does not fit; the message says why and how to answer.
        """
        spec = FIELDS[field]
        word = " ".join(text.strip().lower().replace("’", "'").split())
        if word in DONT_KNOW_WORDS:
            return None
        try:
            if not word:
                raise AnswerError(self.messages.problem_empty(lang))
            return _READERS[spec.kind](self, spec, word, lang)
        except AnswerError as exc:
            hint = f"{self.hint(field, lang)} ({self.messages.hint_dont_know(lang)})"
            raise AnswerError(
                self.messages.bad_answer(lang).format(problem=exc, hint=hint)
            ) from None

    def show(self, field: str, value: Any, lang: Lang) -> str:
        """An answer as the user reads it (labels in the asked language)."""
        spec, m = FIELDS[field], self.messages
        if value is None:
            return m.dont_know(lang)
        if spec.kind == "bool":
            return (m.yes if value else m.no)(lang)
        if spec.kind == "int":
            return str(value)
        labels: dict[Any, str] = dict(self.choices(field, lang))
        if spec.kind == "enum":
            return labels[value]
        return ", ".join(labels[v] for v in value) if value else m.none(lang)

    def typed(self, field: str, value: Any, lang: Lang) -> str:
        """An answer as it would be typed (what pressing Enter on a re-asked question keeps)."""
        spec, m = FIELDS[field], self.messages
        if value is None:
            return "?"
        if spec.kind == "bool":
            return (m.yes if value else m.no)(lang)
        if spec.kind == "int":
            return str(value)
        numbers = {v: str(i) for i, v in enumerate(spec.values, start=1)}
        if spec.kind == "enum":
            return numbers[value]
        return ",".join(numbers[v] for v in value) if value else m.none(lang)


def _read_bool(q: Questions, _spec: FieldSpec, word: str, lang: Lang) -> bool:
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise AnswerError(q.messages.problem_yes_no(lang).format(text=word))


def _read_int(q: Questions, spec: FieldSpec, word: str, lang: Lang) -> int:
    try:
        value = int(word)
    except ValueError:
        raise AnswerError(q.messages.problem_int(lang).format(text=word)) from None
    lo, hi = spec.values[0], spec.values[-1]
    if not lo <= value <= hi:
        raise AnswerError(q.messages.problem_range(lang).format(value=value, lo=lo, hi=hi))
    return value


def _choice(q: Questions, spec: FieldSpec, word: str, lang: Lang) -> Any:
    """One choice by number, value name or label (either language)."""
    if word.isdigit() and 1 <= int(word) <= len(spec.values):
        return spec.values[int(word) - 1]
    answers = q.question(spec.name).answers or {}
    for v in spec.values:
        label = answers[str(v)]
        if word in (str(v).lower(), label.en.lower(), label.fr.lower()):
            return v
    raise AnswerError(q.messages.problem_choice(lang).format(text=word))


def _read_enum(q: Questions, spec: FieldSpec, word: str, lang: Lang) -> Any:
    return _choice(q, spec, word, lang)


def _read_list(q: Questions, spec: FieldSpec, word: str, lang: Lang) -> list[Any]:
    if word in NONE_WORDS or word in NO_WORDS:  # "no" to "which of these?" is none
        return []
    parts = [p.strip() for p in word.replace(";", ",").split(",") if p.strip()]
    if len(parts) == 1 and " " in parts[0] and all(p.isdigit() for p in parts[0].split()):
        parts = parts[0].split()  # "1 3" reads as "1,3"
    chosen = {_choice(q, spec, p, lang) for p in parts}
    return [v for v in spec.values if v in chosen]


_READERS = {"bool": _read_bool, "int": _read_int, "enum": _read_enum, "list": _read_list}


def load_questions(rules_dir: str | Path | None = None) -> Questions:
    """Load ``questions.yaml`` from a rules directory (the shipped one when it has none).

    Raises:
        RuleFileError: the file is invalid: a profile field without a question, a text
            missing a language, a value without a label, a field in no group or in two.
    """
    path = DEFAULT_QUESTIONS
    if rules_dir is not None and (Path(rules_dir) / QUESTIONS_FILE).is_file():
        path = Path(rules_dir) / QUESTIONS_FILE
    name = str(path)
    raw = read_rule_yaml(path, name)
    try:
        data = QuestionsFile.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleFileError(name, problems) from None
    problems = check_questions(data)
    if problems:
        raise RuleFileError(name, problems)
    return Questions(data, name)


def check_questions(data: QuestionsFile) -> list[str]:
    """Say what does not match the profile model: every field asked once, every value named."""
    problems: list[str] = []
    for field in FIELDS:
        if field not in data.questions:
            problems.append(f"questions: no question for profile field {field}")
    for field, q in data.questions.items():
        spec = FIELDS.get(field)
        if spec is None:
            problems.append(f"questions.{field}: not a profile field the rules read")
            continue
        labelled = set(q.answers or {})
        if spec.kind in ("enum", "list"):
            wanted = {str(v) for v in spec.values}
            for v in sorted(wanted - labelled):
                problems.append(f"questions.{field}.answers: no label for {v}")
            for v in sorted(labelled - wanted):
                problems.append(f"questions.{field}.answers: {v} is not a value of {field}")
        elif labelled:
            problems.append(f"questions.{field}.answers: a {spec.kind} field takes no labels")
    problems += _check_asking(data)
    grouped = [f for g in data.groups for f in g.fields]
    for field in FIELDS:
        count = grouped.count(field)
        if count != 1:
            problems.append(f"groups: {field} appears in {count} groups, not 1")
    for field in grouped:
        if field not in FIELDS:
            problems.append(f"groups: {field} is not a profile field")
    return problems


def _check_asking(data: QuestionsFile) -> list[str]:
    """Say what does not hold in ``follows``, ``ticks`` and checklists."""
    problems: list[str] = []
    questions = data.questions
    ticked: dict[str, str] = {}
    for field, q in questions.items():
        for before in q.follows:
            if before not in questions or before == field:
                problems.append(f"questions.{field}.follows: {before} is not another question")
        if q.ticks and FIELDS.get(field) is not None and FIELDS[field].kind != "list":
            problems.append(f"questions.{field}.ticks: only a several-answers question has ticks")
        if q.alone is not None and not q.ticks:
            problems.append(f"questions.{field}.alone: only a question with ticks is asked alone")
        for t in q.ticks:
            if t in ticked:
                problems.append(f"questions.{field}.ticks: {t} is already a tick of {ticked[t]}")
            ticked[t] = field
    checklisted = {f for g in data.groups if g.checklist for f in g.fields}
    for t in [*ticked, *sorted(checklisted)]:
        spec = FIELDS.get(t)
        value = questions[t].tick_value if t in questions else None
        if spec is None:
            problems.append(f"questions.{t}: a tick must be a profile field")
        elif value is not None and (spec.kind not in ("enum", "int") or value not in spec.values):
            problems.append(f"questions.{t}.tick_value: {value} is not a value of {t}")
        elif value is None and spec.kind != "bool":
            problems.append(f"questions.{t}: a tick is a yes/no field, or needs a tick_value")
        elif questions.get(t) is not None and questions[t].item is None:
            problems.append(f"questions.{t}.item: a tick needs a label to tick")
        if t in ticked and t in checklisted:
            problems.append(f"questions.{t}: a tick of {ticked[t]} and in a checklist")

    def cycle(field: str, path: tuple[str, ...]) -> bool:
        if field in path:
            return True
        q = questions.get(field)
        return q is not None and any(cycle(b, (*path, field)) for b in q.follows)

    for field in questions:
        if cycle(field, ()):
            problems.append(
                f"questions.{field}.follows: the questions follow each other in a cycle"
            )
    return problems
