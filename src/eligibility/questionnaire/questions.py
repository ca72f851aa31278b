"""The questions of the questionnaire (``rules/questions.yaml``) and how answers are read.

The file holds wording only: one question per profile field with a help line and answer
labels, in English and French, and the groups that set the order questions come in.
*Whether* a question is asked is computed from the rules (:mod:`eligibility.decision.relevance`).

Answers are typed: yes/no, one of a list (by number or by name), several of a list
(numbers separated by commas, or ``none``), whole numbers within bounds. ``?``, ``dk`` or
"don't know" (``je ne sais pas``, ``nsp``) is the answer "I don't know". Words of both
languages are understood whatever the language of the questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eligibility.errors import RuleFileError
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
        return self.en if lang == "en" else self.fr


class Question(_Strict):
    """How to ask for one profile field."""

    question: Text
    help: Text
    answers: dict[str, Text] | None = None


class Group(_Strict):
    """A group of questions, asked together, in file order."""

    id: str
    title: Text
    fields: list[str]


class Messages(_Strict):
    """Everything else the questionnaire says, in both languages."""

    intro: Text
    why: Text
    kind_journey: Text
    kind_prerequisite: Text
    kind_step: Text
    kind_advice: Text
    hint_yes_no: Text
    hint_one: Text
    hint_many: Text
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
    resumed: Text
    rules_changed: Text
    no_hash: Text
    saved: Text
    interrupted: Text
    summary: Text


class QuestionsFile(_Strict):
    """The whole of ``questions.yaml``."""

    groups: list[Group]
    journeys: dict[str, Text] = Field(default_factory=dict)
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

    def question(self, field: str) -> Question:
        """The question for a field."""
        return self.data.questions[field]

    def journey_name(self, journey_id: str, default: str, lang: Lang) -> str:
        """The short name of a journey (its catalogue title when the file gives none)."""
        text = self.data.journeys.get(journey_id)
        return text(lang) if text is not None else default

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
    if word in NONE_WORDS:
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
    grouped = [f for g in data.groups for f in g.fields]
    for field in FIELDS:
        count = grouped.count(field)
        if count != 1:
            problems.append(f"groups: {field} appears in {count} groups, not 1")
    for field in grouped:
        if field not in FIELDS:
            problems.append(f"groups: {field} is not a profile field")
    return problems
