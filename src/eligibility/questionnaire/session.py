"""The questionnaire: ask, one at a time, only the questions that can still change the decision.

:class:`Session` is the state (the answers, the questions asked, the way back);
:func:`run` is the conversation, with the terminal injected as an :class:`Io` so that the
same loop runs under click, in tests, or from a script. Which field comes next is asked of
:class:`eligibility.decision.relevance.Relevance`: the first field, in the order of
``questions.yaml``, whose answer can still change the decision given the answers so far.

Saved answers (``--save``) are a profile in the contract's format, written as YAML with a
comment header recording the ruleset hash they were answered against (comments are not
data, so the file stays a valid profile for ``eligibility evaluate``). In the file, a
field set to ``null`` was answered "I don't know"; a field left out was not asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from eligibility.decision.relevance import Relevance
from eligibility.errors import InputFileError
from eligibility.output.atomic import atomic_output
from eligibility.output.guard import writing
from eligibility.profile.files import read_document
from eligibility.profile.model import FIELDS, Profile, parse_profile
from eligibility.profile.yamlio import dump_yaml
from eligibility.questionnaire.questions import Lang, Questions, command_of
from eligibility.rules.loader import RuleSet

HASH_LINE = "# ruleset-hash: "
_HASH_RE = re.compile(r"^# ruleset-hash: (\S+)\s*$", re.MULTILINE)
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
    field is absent. ``history`` is the way back: the fields answered in this run, last
    last. Going back or changing an answer never drops another answer.
    """

    relevance: Relevance
    answers: dict[str, Any] = field(default_factory=dict)
    profile_id: str = DEFAULT_ID
    name: str | None = None
    history: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def next_field(self) -> str | None:
        """The next question to ask, or None when no unanswered field can change the decision."""
        return self.relevance.next_field(self.answers)

    def answer(self, name: str, value: Any) -> None:
        """Record an answer (None for "I don't know")."""
        self.answers[name] = value
        if name not in self.asked:
            self.asked.append(name)
        self.history.append(name)

    def back(self) -> str | None:
        """The previously answered question, to ask again (its answer is kept until then)."""
        return self.history.pop() if self.history else None

    def profile_data(self) -> dict[str, Any]:
        """The answers as a profile mapping (contract order; ``null`` for "I don't know")."""
        data: dict[str, Any] = {"id": self.profile_id}
        if self.name is not None:
            data["name"] = self.name
        data.update((f, self.answers[f]) for f in FIELDS if f in self.answers)
        return data

    def profile(self) -> Profile:
        """The answers as a validated :class:`Profile`."""
        return parse_profile(self.profile_data(), source="<answers>")


@dataclass(frozen=True)
class Saved:
    """A saved (or hand-written) profile to resume from."""

    path: str
    answers: dict[str, Any]
    profile_id: str
    name: str | None
    ruleset_hash: str | None


def saved_text(session: Session, ruleset: RuleSet) -> str:
    """The text :func:`save` writes: the answers as a profile, with the ruleset hash."""
    header = (
        f"# Answers of `eligibility ask` for {session.profile_id}, against the rules "
        f"{ruleset.name} {ruleset.version}.\n"
        f"{HASH_LINE}{ruleset.hash}\n"
        '# null: answered "don\'t know"; a field left out was not asked (it could not change\n'
        "# the decision). Resume with: eligibility ask --from <this file>\n"
    )
    return header + dump_yaml(session.profile_data())


def save(session: Session, path: str | Path, ruleset: RuleSet) -> None:
    """Write the answers as a profile recording the ruleset hash (atomically: no half file)."""
    target = Path(path)
    with atomic_output(str(target)) as out, writing(str(target)):
        out.write(saved_text(session, ruleset).encode())


def load_saved(path: str) -> Saved:
    """Read a profile to resume from, with the ruleset hash it records (if any).

    Raises:
        InputFileError: the file cannot be read or parsed.
        ProfileError: it is not a valid profile.
    """
    if path == "-":
        # standard input carries the answers; a profile to resume from must be a file
        raise InputFileError("-", "answers come on standard input; give --from a file")
    data, name = read_document(path)
    if data is None:
        raise InputFileError(name, "is empty")
    profile = parse_profile(data, source=name)  # rejects anything but a mapping
    fields = cast(Mapping[str, Any], data)
    text = Path(path).read_text(encoding="utf-8")
    match = _HASH_RE.search(text)
    answers = {f: fields[f] for f in FIELDS if f in fields}
    return Saved(name, answers, profile.id, profile.name, match.group(1) if match else None)


# -- the conversation ------------------------------------------------------------------------


@dataclass
class Conversation:
    """What :func:`run` needs besides the session: wording, language, terminal, saving."""

    questions: Questions
    io: Io
    lang: Lang = "en"
    on_answer: Callable[[Session], None] | None = None
    _group: str | None = None

    def say(self, text: str) -> None:
        self.io.say(text)


def why_line(session: Session, conv: Conversation, name: str) -> str:
    """Which journeys (and which of their parts) the answer to ``name`` can change.

    Empty when it can change none (a question asked again from ``review``, say).
    """
    answers = {k: v for k, v in session.answers.items() if k != name}
    kinds: dict[str, list[str]] = {}
    for o in session.relevance.changes(name, answers):
        seen = kinds.setdefault(o.journey, [])
        if o.kind not in seen:
            seen.append(o.kind)
    m, lang = conv.questions.messages, conv.lang
    words = {
        "journey": m.kind_journey,
        "prerequisite": m.kind_prerequisite,
        "step": m.kind_step,
        "advice": m.kind_advice,
    }
    titles = {j.id: j.title for j in session.relevance.ruleset.journeys}
    parts = [
        f"{conv.questions.journey_name(j, titles[j], lang)} "
        f"({', '.join(words[k](lang) for k in ks)})"
        for j, ks in kinds.items()
    ]
    separator = " ; " if lang == "fr" else "; "  # French puts a space before a semicolon
    return m.why(lang).format(outcomes=separator.join(parts)) if parts else ""


def _ask_one(session: Session, conv: Conversation, name: str) -> str:
    """Ask one question until it gets an answer or a command; record the answer."""
    q, lang = conv.questions, conv.lang
    group = q.group_of(name)
    if group.id != conv._group:
        conv._group = group.id
        conv.say("")
        conv.say(f"== {group.title(lang)}")
    question = q.question(name)
    conv.say("")
    conv.say(question.question(lang))
    conv.say(f"  {question.help(lang)}")
    why = why_line(session, conv, name)
    if why:
        conv.say(f"  {why}")
    if FIELDS[name].kind in ("enum", "list"):
        for i, (_, label) in enumerate(q.choices(name, lang), start=1):
            conv.say(f"  {i}. {label}")
    default = q.typed(name, session.answers[name], lang) if name in session.answers else None
    prompt = f"{q.messages.answer(lang)} ({q.hint(name, lang)}; {q.messages.hint_dont_know(lang)})"
    while True:
        text = conv.io.ask(prompt, default)
        command = command_of(text)
        if command is not None:
            return command
        try:
            value = q.parse(name, text, lang)
        except ValueError as exc:
            conv.say(str(exc))
            continue
        session.answer(name, value)
        if conv.on_answer is not None:
            conv.on_answer(session)
        return "answered"


def _review(session: Session, conv: Conversation) -> str | None:
    """List the answers; return the field the user wants to change, if any."""
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
            return answered[int(text) - 1]
        conv.say(m.review_bad(lang).format(text=text))


def run(session: Session, conv: Conversation) -> Session:
    """Ask until no unanswered field can change the decision; return the session.

    ``back`` asks the previous question again, ``review`` lists the answers and lets one
    be changed; after any change the next question is computed afresh. Interruptions
    (KeyboardInterrupt, end of input) propagate: the caller saves.
    """
    conv.say(conv.questions.messages.intro(conv.lang))
    again: str | None = None  # a question to ask again (back, review), answered or not
    while True:
        name = again if again is not None else session.next_field()
        if name is None:
            return session
        outcome = _ask_one(session, conv, name)
        if outcome == "answered":
            again = None
        elif outcome == "back":
            previous = session.back()
            if previous is None:
                conv.say(conv.questions.messages.nothing_back(conv.lang))
            again = previous if previous is not None else name
        else:
            chosen = _review(session, conv)
            again = chosen if chosen is not None else name


def ruleset_note(saved: Saved, ruleset: RuleSet, questions: Questions, lang: Lang) -> str:
    """What to tell the user when resuming: how many answers, and whether the rules changed."""
    m = questions.messages
    lines = [m.resumed(lang).format(path=saved.path, count=len(saved.answers))]
    if saved.ruleset_hash is None:
        lines.append(m.no_hash(lang).format(path=saved.path))
    elif saved.ruleset_hash != ruleset.hash:
        lines.append(
            m.rules_changed(lang).format(
                path=saved.path, old=saved.ruleset_hash[:19], new=ruleset.hash[:19]
            )
        )
    return "\n".join(lines)


def open_session(
    ruleset: RuleSet,
    questions: Questions,
    lang: Lang = "en",
    from_path: str | None = None,
    profile_id: str | None = None,
    name: str | None = None,
) -> tuple[Session, str | None]:
    """Start a session, from saved answers when ``from_path`` is given.

    Returns the session and, when resuming, what to tell the user (how many answers, and
    whether the rules changed since they were saved). ``profile_id`` and ``name`` override
    the saved ones.

    Raises:
        InputFileError, ProfileError: the file to resume from is unreadable or invalid, or
            the id is not one a profile accepts.
    """
    session = Session(Relevance(ruleset, questions.order))
    note = None
    if from_path is not None:
        saved = load_saved(from_path)
        session.answers = dict(saved.answers)
        session.profile_id, session.name = saved.profile_id, saved.name
        note = ruleset_note(saved, ruleset, questions, lang)
    if profile_id is not None:
        parse_profile({"id": profile_id}, source="--id")  # letters, digits, - _ . only
        session.profile_id = profile_id
    if name is not None:
        session.name = name
    return session, note
