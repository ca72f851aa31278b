"""The questionnaire loop as a library: a session driven through an injected terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eligibility.errors import InputFileError
from eligibility.questionnaire.ending import Ending, ending
from eligibility.questionnaire.questions import Questions, load_questions
from eligibility.questionnaire.resume import load_saved
from eligibility.questionnaire.session import (
    Conversation,
    Session,
    open_session,
    replay,
    run,
    save,
)
from eligibility.rules.loader import RuleSet
from tests.conftest import RULES


@pytest.fixture(scope="session")
def ruleset(seed_ruleset: RuleSet) -> RuleSet:
    """Written against the seed's four journeys (tests/seed_rules.py), not the whole map."""
    return seed_ruleset


class Scripted:
    """A terminal that types the given lines and records what is shown."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.shown: list[str] = []
        self.prompts: list[str] = []
        self.defaults: list[str | None] = []

    def ask(self, prompt: str, default: str | None) -> str:
        self.prompts.append(prompt)
        self.defaults.append(default)
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        return default if line == "" and default is not None else line

    def say(self, text: str) -> None:
        self.shown.append(text)


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


def session_for(ruleset: RuleSet, questions: Questions) -> Session:
    """A fresh session over the shipped rules."""
    return open_session(ruleset, questions)[0]


def test_run_stops_when_nothing_can_change_the_decision(
    ruleset: RuleSet, questions: Questions
) -> None:
    """The loop asks until no unanswered field is relevant, then returns the session."""
    io = Scripted("none", "no", "no")
    session = run(session_for(ruleset, questions), Conversation(questions, io))
    assert session.answers == {"processes_health_data": False, "ror_roles": [], "mes_purposes": []}
    assert [p.main for p in session.asked] == ["ror_roles", "processes_health_data", "mes_purposes"]
    assert session.relevance.relevant_fields(session.answers) == []


class TestEnding:
    """What closes a questionnaire, after the decision."""

    OPEN = ("targets_mes_catalog", "mes_data_exchange")

    @pytest.fixture
    def session(self, ruleset: RuleSet, questions: Questions) -> Session:
        return run(
            session_for(ruleset, questions),
            Conversation(questions, Scripted("none", "no", *"????")),
        )

    def test_nothing_open_is_the_summary_alone(self, session: Session) -> None:
        """How many questions, and that every one that could still change the decision was."""
        shown = ending(session, [], "en", shown=True, saved=None)
        assert shown == ending(session, [], "en", shown=False, saved=None)
        assert shown == Ending(
            [
                f"{len(session.asked)} questions asked: every question that could still "
                "change the decision has been asked."
            ],
            [],
        )

    def test_questions_already_shown_are_pointed_to_not_repeated(self, session: Session) -> None:
        """After a decision naming them, one sentence and no list."""
        end = ending(session, list(self.OPEN), "en", shown=True, saved="s.yaml")
        assert end.said[1:] == [
            'What is undetermined above stays open because of "don\'t know" answers; the '
            "question given for each would settle it."
        ]
        assert end.questions == []

    def test_after_the_short_text_the_end_points_to_its_last_command(
        self, session: Session
    ) -> None:
        """The short text ends with the command that asks the "don't know" answers again:
        the end points there, and says when no file holds the answers."""
        saved = ending(session, list(self.OPEN), "en", shown=True, saved="s.yaml")
        assert saved.then == ["When you know the answers, the last command above asks them again."]
        assert saved.command is None
        unsaved = ending(session, list(self.OPEN), "en", shown=True, saved=None)
        assert unsaved.then[1:] == ["These answers are not saved: --save PROFILE keeps them."]

    def test_after_listed_questions_the_end_gives_the_command(self, session: Session) -> None:
        """Otherwise the command follows the list, naming the file, in the language asked."""
        end = ending(session, list(self.OPEN), "fr", shown=False, saved="s.yaml")
        assert end.command == (
            "Quand vous connaîtrez les réponses\u00a0: eligibility ask --from s.yaml --unknown"
        )
        unsaved = ending(session, list(self.OPEN), "fr", shown=False, saved=None)
        assert unsaved.command is not None and unsaved.command.endswith(
            "eligibility ask --from PROFIL --unknown"
        )

    def test_no_command_when_no_dont_know_answer_is_open(self, session: Session) -> None:
        """What is missing but was never answered "don't know" needs no --unknown."""
        end = ending(session, ["storage_role"], "en", shown=False, saved="s.yaml")
        assert end.command is None and end.then == []

    def test_questions_not_shown_are_listed_once_each(self, session: Session) -> None:
        """Otherwise the questions, each once, in the language asked."""
        end = ending(session, list(self.OPEN), "fr", shown=False, saved="s.yaml")
        assert end.said[1].startswith("Reste ouvert à cause de réponses")
        assert end.questions == [
            "Souhaitez-vous que le service figure au catalogue de Mon espace santé\u00a0?",
            "Le service échangera-t-il des données (documents, agenda, mesures) avec Mon "
            "espace santé\u00a0?",
        ]


def test_enter_on_a_re_asked_question_keeps_the_answer(
    ruleset: RuleSet, questions: Questions
) -> None:
    """Going back shows the earlier answer as the default; Enter keeps it."""
    io = Scripted("none", "back", "", "no", "no")
    session = run(session_for(ruleset, questions), Conversation(questions, io))
    assert session.answers["ror_roles"] == []
    assert [p.main for p in session.asked].count("ror_roles") == 1
    assert io.defaults[:3] == [None, None, "none"]


def test_interruptions_reach_the_caller(ruleset: RuleSet, questions: Questions) -> None:
    """End of input propagates out of the loop, with the answers so far in the session."""
    session = session_for(ruleset, questions)
    with pytest.raises(EOFError):
        run(session, Conversation(questions, Scripted("none")))
    assert session.answers == {"ror_roles": []}


def test_the_stage_is_announced_when_it_changes(ruleset: RuleSet, questions: Questions) -> None:
    """A heading says what the questions are about: what the product does, then where it
    stands, then what the company already has."""
    io = Scripted("2", "no", "no", "2", "2", "1,2")
    session = run(session_for(ruleset, questions), Conversation(questions, io))
    headings = [line for line in io.shown if line.startswith("== ")]
    assert headings == [
        "== What the product does",
        "== Where the product stands",
        "== What your company already has",
    ]
    assert session.answers["has_legal_rep_card"] is True
    assert session.answers["has_cpa_cards"] is False


def test_replay_answers_every_question_from_an_answer_set(
    ruleset: RuleSet, questions: Questions
) -> None:
    """A complete answer set answers the questionnaire without a terminal."""
    data: dict[str, Any] = {
        "ror_roles": [],
        "processes_health_data": False,
        "mes_purposes": ["care"],
        "targets_mes_catalog": False,
    }
    asked = replay(session_for(ruleset, questions), data)
    assert [p.fields for p in asked] == [
        ("ror_roles",),
        ("processes_health_data",),
        ("mes_purposes", "targets_mes_catalog"),
    ]


def test_every_answer_can_be_saved_as_it_comes(
    ruleset: RuleSet, questions: Questions, tmp_path: Path
) -> None:
    """The answer hook sees each answer, so a saved file is never behind."""
    target = tmp_path / "answers.yaml"
    counts: list[int] = []

    def on_answer(s: Session) -> None:
        save(s, target, ruleset)
        counts.append(len(load_saved(str(target)).answers))

    run(
        session_for(ruleset, questions),
        Conversation(questions, Scripted("none", "no", "no"), on_answer=on_answer),
    )
    assert counts == [1, 2, 3]
    assert load_saved(str(target)).ruleset_hash == ruleset.hash


class TestReopen:
    """Resuming with the "don't know" answers reopened (``ask --from FILE --unknown``)."""

    SAVED = (
        "id: my-app\nprocesses_health_data: false\nror_roles: []\n"
        "mes_purposes: null\ntargets_mes_catalog: null\nmes_data_exchange: null\n"
        "has_read_doctrine: null\n"
    )
    DONT_KNOW = frozenset(
        {"mes_purposes", "targets_mes_catalog", "mes_data_exchange", "has_read_doctrine"}
    )

    @pytest.fixture
    def path(self, tmp_path: Path) -> str:
        target = tmp_path / "answers.yaml"
        target.write_text(self.SAVED, encoding="utf-8")
        return str(target)

    def test_without_reopening_a_dont_know_is_never_asked(
        self, ruleset: RuleSet, questions: Questions, path: str
    ) -> None:
        session, _ = open_session(ruleset, questions, from_path=path)
        assert session.next_prompt() is None

    def test_reopened_dont_know_answers_are_asked_as_unanswered(
        self, ruleset: RuleSet, questions: Questions, path: str
    ) -> None:
        """The first question is the one a fresh questionnaire would ask at that point."""
        session, note = open_session(ruleset, questions, from_path=path, reopen=True)
        nxt = session.next_prompt()
        assert nxt is not None and nxt[0].fields == ("mes_purposes", "targets_mes_catalog")
        assert note is not None and note.endswith(
            f'4 "don\'t know" answers in {path}: each asked again if it can still change '
            "the decision."
        )

    def test_a_reopened_answer_stays_null_until_answered(
        self, ruleset: RuleSet, questions: Questions, path: str
    ) -> None:
        """Answered anew, it is kept; the others no answer can reach stay "don't know"."""
        session, _ = open_session(ruleset, questions, from_path=path, reopen=True)
        run(session, Conversation(questions, Scripted("5")))  # wellbeing alone: no listing
        assert session.answers["mes_purposes"] == ["wellbeing"]
        assert session.answers["mes_data_exchange"] is None
        assert session.answers["has_read_doctrine"] is None
        assert session.answers["processes_health_data"] is False
        assert session.next_prompt() is None

    def test_a_dont_know_again_is_not_asked_a_third_time(
        self, ruleset: RuleSet, questions: Questions, path: str
    ) -> None:
        session, _ = open_session(ruleset, questions, from_path=path, reopen=True)
        io = Scripted(*["?"] * 8)
        run(session, Conversation(questions, io))
        assert len(io.prompts) == len({p.fields for p in session.asked}) == 4
        assert session.dont_know() == self.DONT_KNOW
        assert session.reopened == set()

    def test_a_file_without_dont_know_answers_says_so(
        self, ruleset: RuleSet, questions: Questions, tmp_path: Path
    ) -> None:
        target = tmp_path / "known.yaml"
        target.write_text("id: my-app\nprocesses_health_data: false\n", encoding="utf-8")
        _, note = open_session(ruleset, questions, from_path=str(target), reopen=True)
        assert note is not None
        assert note.endswith(f'{target} holds no "don\'t know" answer to ask again.')


def test_resuming_from_standard_input_is_refused() -> None:
    """Answers come on stdin, so a profile to resume from must be a file."""
    with pytest.raises(InputFileError, match="give --from a file"):
        load_saved("-")
