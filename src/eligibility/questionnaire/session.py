"""The questionnaire: ask, one at a time, only the questions that can still change the decision.

:class:`Session` is the state (the answers, the questions asked, the way back);
:func:`run` is the conversation, with the terminal injected as an :class:`Io` so that the
same loop runs under click, in tests, or from a script. Which question comes next is asked of
:class:`eligibility.decision.relevance.Relevance` (what decides whether journeys apply first, then
what settles the most), and shaped by :class:`eligibility.questionnaire.questions.Questions` (one
field, with its ticks, or a checklist of what the company already has).

Saved answers (``--save``) are a profile in the contract's format, written as YAML with a
comment header recording the ruleset hash they were answered against (read back by
:mod:`eligibility.questionnaire.resume`). In the file, a field set to ``null`` was answered
"I don't know" (asked again only when the session *reopens* it: ``--unknown``); a field
left out was not asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from eligibility.decision.relevance import Relevance, Stage
from eligibility.i18n.typography import french
from eligibility.output.atomic import atomic_output
from eligibility.output.guard import writing
from eligibility.profile.model import FIELDS, Profile, parse_profile
from eligibility.profile.yamlio import dump_yaml
from eligibility.questionnaire.questions import Lang, Prompt, Questions, command_of
from eligibility.questionnaire.resume import HASH_LINE, load_saved, reopened_note, ruleset_note
from eligibility.rules.loader import RuleSet

DEFAULT_ID = "product"


class Io(Protocol):
    """The terminal, as the conversation sees it."""

    def ask(self, prompt: str, default: str | None) -> str:
        """Ask and return what was typed (``default`` when nothing was)."""
        ...

    def say(self, text: str) -> None:
        """Show a line."""
        ...


@dataclass
class Session:
    """The answers of one questionnaire, and what was asked in this run.

    ``answers`` maps a field to its JSON value (None: "I don't know"); an unanswered
    field is absent. ``history`` is the way back: the questions answered in this run, last
    last. Going back or changing an answer never drops another answer.
    """

    relevance: Relevance
    questions: Questions
    answers: dict[str, Any] = field(default_factory=dict)
    profile_id: str = DEFAULT_ID
    name: str | None = None
    history: list[Prompt] = field(default_factory=list)
    asked: list[Prompt] = field(default_factory=list)
    #: checklist items for one value of a field, left unticked: unknown, not asked again
    declined: set[str] = field(default_factory=set)
    #: the fields each question's last answer settled, by the question's fields
    settled: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    #: "don't know" answers to ask again (``--unknown``): open until answered in this run
    reopened: set[str] = field(default_factory=set)

    def next_prompt(self) -> tuple[Prompt, Stage] | None:
        """The next question and its stage; None when no answer can change the decision."""
        choice = self.relevance.choose(self._asking())
        if choice is None:
            return None
        return self.questions.prompt(choice.field, self.still_open), choice.stage

    def still_open(self, name: str) -> bool:
        """Whether a field is unanswered and its answer can still change the decision."""
        answers = self._asking()
        return name not in answers and self.relevance.witness(name, answers) is not None

    def _asking(self) -> dict[str, Any]:
        """The answers as the choice of questions sees them: declined items are known
        unknowns, reopened "don't know" answers are not answered yet."""
        if not self.declined and not self.reopened:
            return self.answers
        kept = {f: v for f, v in self.answers.items() if f not in self.reopened}
        return {**dict.fromkeys(self.declined), **kept}

    def answer(self, prompt: Prompt, values: Mapping[str, Any]) -> None:
        """Record the answers to one question (None for "I don't know")."""
        self.answers.update(values)
        self.settled[prompt.fields] = tuple(values)
        if prompt.checklist is not None:
            self.declined |= {t for t in prompt.ticks if t not in values}
        self.declined -= set(values)
        self.reopened -= set(values)
        if prompt.fields not in [p.fields for p in self.asked]:
            self.asked.append(prompt)
        self.history.append(prompt)

    def questions_asked(self) -> list[tuple[str, ...]]:
        """The questions asked in this run, in order, each as the fields its answer settled."""
        return [self.settled[p.fields] for p in self.asked]

    def back(self) -> Prompt | None:
        """The previously answered question, to ask again (its answers are kept until then)."""
        return self.history.pop() if self.history else None

    def profile_data(self) -> dict[str, Any]:
        """The answers as a profile mapping (see :func:`answers_profile`)."""
        return answers_profile(self.profile_id, self.name, self.answers)

    def profile(self) -> Profile:
        """The answers as a validated :class:`Profile`."""
        return parse_profile(self.profile_data(), source="<answers>")

    def dont_know(self) -> frozenset[str]:
        """The fields answered "I don't know" (``null`` in the saved file)."""
        return frozenset(f for f, v in self.answers.items() if v is None)


def answers_profile(
    profile_id: str, name: str | None, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Answers as a profile mapping: the id, the name if any, then the fields answered in
    the contract's order (``None`` for "I don't know"); what ``--save`` and the web
    questionnaire's download hold."""
    data: dict[str, Any] = {"id": profile_id}
    if name is not None:
        data["name"] = name
    data.update((f, answers[f]) for f in FIELDS if f in answers)
    return data


def typed_answers(questions: Questions, prompt: Prompt, data: Mapping[str, Any]) -> dict[str, Any]:
    """What answering ``prompt`` records for a user holding the answers ``data``.

    The answer is typed as that user would type it, and read back as a typed answer is:
    a tick for one value left unticked records nothing (the other values of that field
    cannot be said with a tick), exactly as in the conversation.
    """
    typed = questions.typed_prompt(prompt, {f: data.get(f) for f in prompt.fields}, "en")
    return questions.parse_prompt(prompt, typed or "?", "en")


def replay(session: Session, data: Mapping[str, Any]) -> list[Prompt]:
    """Answer every question from ``data`` (a complete answer set; None: "don't know").

    Each question is answered as a user holding those answers would type it
    (:func:`typed_answers`); returns the questions asked, in order.
    """
    while (nxt := session.next_prompt()) is not None:
        prompt, _ = nxt
        session.answer(prompt, typed_answers(session.questions, prompt, data))
    return list(session.asked)


def saved_text(session: Session, ruleset: RuleSet) -> str:
    """The text :func:`save` writes: the answers as a profile, with the ruleset hash."""
    header = (
        f"# Answers of `eligibility ask` for {session.profile_id}, against the rules "
        f"{ruleset.name} {ruleset.version}.\n"
        f"{HASH_LINE}{ruleset.hash}\n"
        '# null: answered "don\'t know"; a field left out was not asked (it could not change\n'
        "# the decision). Resume with: eligibility ask --from <this file>\n"
        '# (add --unknown to be asked the "don\'t know" answers again).\n'
    )
    return header + dump_yaml(session.profile_data())


def save(session: Session, path: str | Path, ruleset: RuleSet) -> None:
    """Write the answers as a profile recording the ruleset hash (atomically: no half file)."""
    target = Path(path)
    with atomic_output(str(target)) as out, writing(str(target)):
        out.write(saved_text(session, ruleset).encode())


# -- the conversation ------------------------------------------------------------------------


@dataclass
class Conversation:
    """What :func:`run` needs besides the session: wording, language, terminal, saving."""

    questions: Questions
    io: Io
    lang: Lang = "en"
    on_answer: Callable[[Session], None] | None = None
    _stage: Stage | None = None

    def say(self, text: str) -> None:
        self.io.say(text)


def why_line(session: Session, conv: Conversation, prompt: Prompt) -> str:
    """Which journeys the answer to ``prompt`` can bring in or out, and which it can change.

    Empty when it can change none (a question asked again from ``review``, say).
    """
    skip = {*prompt.fields, *session.reopened}  # a reopened "don't know" is open again
    answers = {k: v for k, v in session.answers.items() if k not in skip}
    scope, todo = session.relevance.changed_journeys(prompt.fields, answers)
    m, lang, q = conv.questions.messages, conv.lang, conv.questions
    titles = {j.id: j.title for j in session.relevance.ruleset.journeys}

    def names(ids: list[str]) -> str:
        words = [q.journey_phrase(j, titles[j], lang) for j in ids]
        if len(words) == 1:
            return words[0]
        return f"{', '.join(words[:-1])} {m.and_word(lang)} {words[-1]}"

    if scope:
        verb = (m.applies_one if len(scope) == 1 else m.applies_many)(lang)
        line = m.why_applies(lang).format(journeys=names(scope), verb=verb)
        if todo:
            line += ", " + m.why_todo(lang).format(journeys=names(todo))
        return line + "."
    return m.why_todo_only(lang).format(journeys=names(todo)) + "." if todo else ""


def _ask_one(session: Session, conv: Conversation, prompt: Prompt, stage: Stage | None) -> str:
    """Ask one question until it gets an answer or a command; record the answer."""
    q, lang, m = conv.questions, conv.lang, conv.questions.messages
    if stage is not None and stage != conv._stage:
        conv._stage = stage
        conv.say("")
        conv.say(f"== {getattr(m, 'stage_' + stage)(lang)}")
    question, help_line = q.prompt_question(prompt, lang)
    conv.say("")
    conv.say(question)
    conv.say(f"  {help_line}")
    why = why_line(session, conv, prompt)
    if why:
        conv.say(f"  {why}")
    for i, label in enumerate(q.prompt_choices(prompt, lang), start=1):
        conv.say(f"  {i}. {label}")
    default = q.typed_prompt(prompt, session.answers, lang)
    separator = french(" ; ") if lang == "fr" else "; "
    hint = f"{q.prompt_hint(prompt, lang)}{separator}{m.hint_dont_know(lang)}"
    text = f"{m.answer(lang)} ({hint})"
    while True:
        typed = conv.io.ask(text, default)
        command = command_of(typed)
        if command is not None:
            return command
        try:
            values = q.parse_prompt(prompt, typed, lang)
        except ValueError as exc:
            conv.say(str(exc))
            continue
        session.answer(prompt, values)
        if conv.on_answer is not None:
            conv.on_answer(session)
        return "answered"


def _review(session: Session, conv: Conversation) -> Prompt | None:
    """List the answers; return the question of the one the user wants to change, if any."""
    q, lang, m = conv.questions, conv.lang, conv.questions.messages
    answered = [f for f in q.order if f in session.answers]
    conv.say("")
    if not answered:
        conv.say(m.review_empty(lang))
        return None
    conv.say(m.review_header(lang))
    for i, f in enumerate(answered, start=1):
        conv.say(f"  {i}. {q.question(f).question(lang)} {q.show(f, session.answers[f], lang)}")
    while True:
        text = conv.io.ask(m.review_prompt(lang), "").strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(answered):
            return Prompt(answered[int(text) - 1])
        conv.say(m.review_bad(lang).format(text=text))


def run(session: Session, conv: Conversation) -> Session:
    """Ask until no unanswered field can change the decision; return the session.

    ``back`` asks the previous question again, ``review`` lists the answers and lets one
    be changed; after any change the next question is computed afresh. Interruptions
    (KeyboardInterrupt, end of input) propagate: the caller saves.
    """
    conv.say(conv.questions.messages.intro(conv.lang))
    again: Prompt | None = None  # a question to ask again (back, review), answered or not
    while True:
        stage: Stage | None = None
        if again is not None:
            prompt = again
        else:
            nxt = session.next_prompt()
            if nxt is None:
                return session
            prompt, stage = nxt
        outcome = _ask_one(session, conv, prompt, stage)
        if outcome == "answered":
            again = None
        elif outcome == "back":
            previous = session.back()
            if previous is None:
                conv.say(conv.questions.messages.nothing_back(conv.lang))
            again = previous if previous is not None else prompt
        else:
            chosen = _review(session, conv)
            again = chosen if chosen is not None else prompt


def open_session(
    ruleset: RuleSet,
    questions: Questions,
    lang: Lang = "en",
    from_path: str | None = None,
    profile_id: str | None = None,
    name: str | None = None,
    *,
    reopen: bool = False,
) -> tuple[Session, str | None]:
    """Start a session, from saved answers when ``from_path`` is given.

    Returns the session and, when resuming, what to tell the user (how many answers, and
    whether the rules changed since they were saved). ``profile_id`` and ``name`` override
    the saved ones. With ``reopen``, the saved "don't know" answers are asked again (those
    that can still change the decision); the others stay "don't know".

    Raises:
        InputFileError, ProfileError: the file to resume from is unreadable or invalid, or
            the id is not one a profile accepts.
    """
    relevance = Relevance(ruleset, questions.order, questions.follows, questions.last)
    session = Session(relevance, questions)
    note = None
    if from_path is not None:
        saved = load_saved(from_path)
        session.answers = dict(saved.answers)
        session.profile_id, session.name = saved.profile_id, saved.name
        note = ruleset_note(saved, ruleset, questions, lang)
        if reopen:
            session.reopened = set(session.dont_know())
            note += "\n" + reopened_note(saved.path, len(session.reopened), questions, lang)
    if profile_id is not None:
        parse_profile({"id": profile_id}, source="--id")  # letters, digits, - _ . only
        session.profile_id = profile_id
    if name is not None:
        session.name = name
    return session, note
