"""``eligibility ask``: the questionnaire flows, driven through standard input."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from eligibility.cli import cli
from eligibility.cli.ask import ClickIo
from eligibility.profile.files import read_profile
from eligibility.profile.model import FIELDS
from eligibility.rules.loader import RuleSet, load_ruleset
from tests.rules_copy import copy_with_gam_rule

PHD = "Does the software handle health data about identified patients?"
ROR = "Does the product read or publish the health and social-care offer in the ROR national?"
IDENTITY = "Can the software create, modify or merge patient identities"
#: no ROR role, no health data, no Mon espace santé listing: three questions settle it all
SHORT = "none\nno\nno\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_rules: Path) -> None:
    """Run every flow in a scratch directory: an interrupted one saves a file where it runs.

    The flows are written against the seed's four journeys: ELIGIBILITY_RULES points every
    command (ask and evaluate) to that catalogue, so they do not move as the catalogue grows.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ELIGIBILITY_RULES", str(seed_rules))


def ask(runner: CliRunner, answers: str, *args: str) -> Result:
    """Run ``eligibility ask`` with the plain-Python engine and answers on stdin."""
    return runner.invoke(cli, ["ask", "--engine", "python", *args], input=answers)


def decision_of(result: Result) -> dict[str, object]:
    """The JSON decision printed on standard output."""
    data: dict[str, object] = json.loads(result.stdout)
    return data


def journey(decision: dict[str, object], journey_id: str) -> dict[str, object]:
    """One journey of a JSON decision."""
    journeys = decision["journeys"]
    assert isinstance(journeys, list)
    found: dict[str, object] = next(j for j in journeys if j["id"] == journey_id)
    return found


def test_asks_only_what_settles_the_decision(runner: CliRunner) -> None:
    """No health data, no ROR role, no listing: three questions, then the decision."""
    result = ask(runner, SHORT)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("product: ")
    assert (
        "3 questions asked: every question that could still change the decision has been asked."
        in result.stdout
    )
    assert IDENTITY not in result.output  # no INS question without health data


def test_each_question_says_why_it_is_asked(runner: CliRunner) -> None:
    """The help line names, as a publisher says them, the journeys the answer decides."""
    result = ask(runner, SHORT)
    assert "Why: your answer decides whether INS/INSi applies to the product." in result.stderr
    assert (
        "Why: your answer decides whether the ROR national as a supplier and the ROR "
        "national as a consumer apply to the product." in result.stderr
    )


def test_no_field_id_in_the_conversation(runner: CliRunner) -> None:
    """Questions, help lines and reasons read without the profile contract."""
    result = ask(runner, "2\nno\nno\n2\n2\n1,2\n")
    assert result.exit_code == 0, result.output
    conversation = result.stderr
    for name in FIELDS:
        assert name not in conversation


def test_json_decision_is_the_one_evaluate_gives(runner: CliRunner, tmp_path: Path) -> None:
    """The final decision is rendered exactly as ``evaluate`` renders the saved answers."""
    saved = tmp_path / "answers.yaml"
    result = ask(runner, SHORT, "--format", "json", "--save", str(saved))
    assert result.exit_code == 0, result.output
    evaluated = runner.invoke(
        cli, ["evaluate", str(saved), "--format", "json", "--engine", "python"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert result.stdout == evaluated.stdout
    assert "3 questions asked" in result.stderr


def test_dont_know_leaves_outcomes_undetermined(runner: CliRunner) -> None:
    """``?`` is an answer: what depends on it is undetermined and the field is missing."""
    result = ask(runner, "none\nno\n?\n?\n?\n?\n", "--format", "json")
    assert result.exit_code == 0, result.output
    decision = decision_of(result)
    assert journey(decision, "mes-referencing")["status"] == "undetermined"
    assert "targets_mes_catalog" in decision["missing"]  # type: ignore[operator]
    assert "questions asked" in result.stderr


#: don't know whether the service wants a Mon espace santé listing, and what follows
MES_UNKNOWN = "none\nno\n?\n?\n?\n?\n"
MES_QUESTION = "What is the service for, and do you want it in the Mon espace santé"


def words(text: str) -> str:
    """The text with its lines joined, as a reader reads across a wrapped line."""
    return " ".join(line.strip(" ") for line in text.strip("\n").split("\n"))


def test_the_text_ending_says_once_what_would_settle_what_stays_open(
    runner: CliRunner,
) -> None:
    """After "don't know" answers, the decision gives each undetermined journey the
    question that would settle it, and ends with the command that asks them again; the
    end points there instead of repeating them, and says the answers are not saved."""
    result = ask(runner, MES_UNKNOWN)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count(MES_QUESTION) == 1
    assert max(len(line) for line in out.splitlines()) <= 100  # wrapped as the decision
    tail = out.split("questions asked", 1)[1]
    assert words(tail) == (
        ": every question that could still change the decision has been asked. What is "
        'undetermined above stays open because of "don\'t know" answers; the question given '
        "for each would settle it. When you know the answers, the last command above asks "
        "them again. These answers are not saved: --save PROFILE keeps them."
    )
    before = out.split("questions asked", 1)[0].splitlines()
    assert before[-2].endswith(
        '"don\'t know" answers included: eligibility ask --from PROFILE --unknown'
    )


def test_the_french_text_ending_says_it_once_too(runner: CliRunner) -> None:
    """The same ending in French: the question once, in the decision, and the pointer."""
    result = ask(runner, "aucun\nnon\n?\n?\n?\n?\n", "--lang", "fr")
    assert result.exit_code == 0, result.output
    question = "À quoi sert le service, et souhaitez-vous qu'il figure au"
    assert result.stdout.count(question) == 1
    assert words(result.stdout.split("questions posées", 1)[1]) == (
        "\u00a0: toutes celles qui pouvaient encore changer la décision l'ont été. Ce qui est "
        "indéterminé plus haut reste ouvert à cause de réponses «\u00a0je ne sais pas\u00a0»"
        "\u00a0; la question donnée pour chaque point le trancherait. Quand vous connaîtrez "
        "les réponses, la dernière commande ci-dessus les reposera. Ces réponses ne sont pas "
        "enregistrées\u00a0: --save PROFIL les garde."
    )


@pytest.mark.parametrize(
    ("args", "stream"), [(("--format", "json"), "stderr"), (("--details",), "stdout")]
)
def test_a_decision_without_the_questions_is_followed_by_them(
    runner: CliRunner, args: tuple[str, ...], stream: str
) -> None:
    """JSON and the details give field ids: the end lists the questions that would settle
    what stays open, in words, each once."""
    result = ask(runner, MES_UNKNOWN, *args)
    assert result.exit_code == 0, result.output
    tail = getattr(result, stream).split("questions asked", 1)[1]
    assert "these questions would settle it:" in tail
    assert "  - Do you want the service listed in the Mon espace santé catalogue?" in tail
    assert "targets_mes_catalog" not in tail
    assert tail.count(MES_QUESTION) == 1


def test_a_bad_answer_is_explained_and_asked_again(runner: CliRunner) -> None:
    """An answer that does not fit gets a reason and the same question again."""
    result = ask(runner, "none\nmaybe\nno\nno\n")
    assert result.exit_code == 0, result.output
    assert "Not understood: 'maybe' is neither yes nor no." in result.stderr
    assert "3 questions asked" in result.stdout


def test_an_out_of_range_choice_is_explained(runner: CliRunner) -> None:
    """A number that is not one of the choices is refused with the reason."""
    result = ask(runner, "1,7\nnone\nno\nno\n")
    assert "'7' is not one of the choices" in result.stderr
    assert result.exit_code == 0


def test_back_returns_to_the_previous_question(runner: CliRunner) -> None:
    """``back`` asks the previous question again; the new answer replaces the old one."""
    result = ask(runner, "none\nyes\nback\nno\nno\n", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.count(PHD) == 2
    assert "[yes]" in result.stderr  # Enter would keep the earlier answer
    assert journey(decision_of(result), "ins")["status"] == "not_applicable"


def test_back_at_the_first_question_says_there_is_none(runner: CliRunner) -> None:
    """Going back from the first question explains there is nothing before it."""
    result = ask(runner, "back\n" + SHORT)
    assert "There is no earlier question to go back to." in result.stderr
    assert result.exit_code == 0


def test_review_changes_an_answer_and_keeps_the_others(runner: CliRunner) -> None:
    """``review`` lists the answers; changing one recomputes what is asked, losing nothing."""
    answers = "none\nno\nreview\n1\nyes\nno\nyes\nnone\n"
    result = ask(runner, answers, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Your answers:" in result.stderr
    assert IDENTITY in result.stderr  # the INS questions now matter
    assert result.stderr.count("  1. Reads the offer") == 1  # ROR answer kept, not re-asked
    decision = decision_of(result)
    assert journey(decision, "ins")["variant"] == "repository"
    assert journey(decision, "ror-consumer")["status"] == "not_applicable"


def test_enter_at_review_goes_on(runner: CliRunner) -> None:
    """An empty review answer goes back to the pending question."""
    result = ask(runner, "none\nreview\n\nno\nno\n")
    assert result.exit_code == 0, result.output
    assert "3 questions asked" in result.stdout


def test_save_writes_a_profile_with_the_ruleset_hash(
    runner: CliRunner, tmp_path: Path, seed_ruleset: RuleSet
) -> None:
    """The saved file is a valid profile recording the hash of the rules it answered."""
    saved = tmp_path / "answers.yaml"
    result = ask(runner, "none\nno\n?\n?\n?\n?\n", "--save", str(saved), "--id", "my-app")
    assert result.exit_code == 0, result.output
    text = saved.read_text(encoding="utf-8")
    assert f"# ruleset-hash: {seed_ruleset.hash}" in text
    profile = read_profile(str(saved))
    assert profile.id == "my-app"
    assert profile.ror_roles == []
    data = yaml.safe_load(text)
    assert data["targets_mes_catalog"] is None  # answered "don't know"
    assert "storage_role" not in data  # never asked


def test_resume_asks_only_what_is_still_needed(runner: CliRunner, tmp_path: Path) -> None:
    """``--from`` keeps the saved answers and goes on from there."""
    saved = tmp_path / "answers.yaml"
    saved.write_text("id: my-app\nprocesses_health_data: false\n", encoding="utf-8")
    result = ask(runner, "none\nno\n", "--from", str(saved), "--format", "json")
    assert result.exit_code == 0, result.output
    assert PHD not in result.stderr
    assert "Resuming from" in result.stderr
    assert "does not say which rules" in result.stderr  # a hand-written file has no hash
    assert decision_of(result)["profile_id"] == "my-app"
    assert "2 questions asked" in result.stderr


def test_resume_with_the_same_rules_says_nothing_changed(runner: CliRunner, tmp_path: Path) -> None:
    """A finished session resumed against the same rules asks nothing."""
    saved = tmp_path / "answers.yaml"
    ask(runner, SHORT, "--save", str(saved))
    result = ask(runner, "", "--from", str(saved))
    assert result.exit_code == 0, result.output
    assert "rules changed" not in result.stderr
    assert (
        "No question asked: every question that could change the decision has an answer "
        "already." in result.stdout
    )


def test_resume_after_a_rule_change_asks_what_the_change_made_relevant(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Resumed against changed rules, it says so and asks only the newly relevant field."""
    saved = tmp_path / "answers.yaml"
    ask(runner, SHORT, "--save", str(saved))
    changed = copy_with_gam_rule(tmp_path, Path(os.environ["ELIGIBILITY_RULES"]))
    result = ask(
        runner, "18\n", "--from", str(saved), "--rules", str(changed), "--save", str(saved)
    )
    assert result.exit_code == 0, result.output
    assert "The rules changed since" in result.stderr
    assert "What kind of software is the product?" in result.stderr
    assert "1 question asked: the only one that could still change the decision." in result.stdout
    assert f"# ruleset-hash: {load_ruleset(changed).hash}" in saved.read_text(encoding="utf-8")
    assert read_profile(str(saved)).categories == ["OTHER"]


#: the questions a follow-up with --unknown may ask after MES_UNKNOWN, saved
PURPOSES = "What is the service for, and do you want it in the Mon espace santé catalogue?"
EXCHANGE = "Will the service exchange data (documents, agenda, measures) with Mon espace santé?"
CHECKLIST = "Which of these does your company already have?"


def asked_questions(stderr: str) -> list[str]:
    """The questions of a conversation, in order (the line before each one's help line)."""
    lines = stderr.splitlines()
    return [
        line.split(" (several", 1)[0]
        for line, after in pairwise(lines)
        if line and not line.startswith(" ") and after.startswith("  ") and "?" in line
    ]


@pytest.fixture
def dont_know_saved(runner: CliRunner, tmp_path: Path) -> Path:
    """A session that answered "don't know" about Mon espace santé, saved."""
    saved = tmp_path / "answers.yaml"
    result = ask(runner, MES_UNKNOWN, "--save", str(saved))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert [f for f, v in data.items() if v is None] == [
        "targets_mes_catalog",
        "mes_data_exchange",
        "mes_purposes",
        "has_read_doctrine",
    ]
    return saved


def test_resume_never_asks_a_dont_know_again(runner: CliRunner, dont_know_saved: Path) -> None:
    """Without --unknown, --from takes "don't know" as an answer: nothing is asked, and the
    end names the command that would ask them, with the file resumed from."""
    result = ask(runner, "", "--from", str(dont_know_saved))
    assert result.exit_code == 0, result.output
    assert asked_questions(result.stderr) == []
    assert "No question asked" in result.stdout
    commands = [line for line in result.stdout.splitlines() if "eligibility ask" in line]
    assert commands == [
        'The questions one by one, "don\'t know" answers included: '
        f"eligibility ask --from {dont_know_saved} --unknown"
    ]
    assert "not saved" not in result.stdout  # the file resumed from holds these answers


def test_unknown_asks_again_the_dont_know_answers_that_can_change_the_decision(
    runner: CliRunner, dont_know_saved: Path
) -> None:
    """--unknown asks the "don't know" answers in the questionnaire's order, with what
    became relevant; every other answer is kept, and the decision is settled."""
    before = yaml.safe_load(dont_know_saved.read_text(encoding="utf-8"))
    result = ask(
        runner,
        "1,6\nno\nnone\n",
        *("--from", str(dont_know_saved), "--unknown", "--save", str(dont_know_saved)),
        *("--format", "json"),
    )
    assert result.exit_code == 0, result.output
    assert asked_questions(result.stderr) == [PURPOSES, EXCHANGE, CHECKLIST]
    assert PHD not in result.stderr and ROR not in result.stderr
    assert '4 "don\'t know" answers in ' in result.stderr
    decision = decision_of(result)
    assert decision["missing"] == []
    assert journey(decision, "mes-referencing")["status"] == "applies"
    after = yaml.safe_load(dont_know_saved.read_text(encoding="utf-8"))
    assert {f: after[f] for f in ("id", "processes_health_data", "ror_roles")} == {
        f: before[f] for f in ("id", "processes_health_data", "ror_roles")
    }
    assert after["mes_purposes"] == ["prevention"] and after["targets_mes_catalog"] is True
    assert after["mes_data_exchange"] is False and after["has_read_doctrine"] is False


def test_unknown_leaves_alone_the_dont_know_answers_that_no_longer_matter(
    runner: CliRunner, dont_know_saved: Path
) -> None:
    """A wellbeing service is not listed whatever else it does: once that is answered,
    the other "don't know" answers about the listing are not asked, and stay null."""
    result = ask(
        runner, "5\n", "--from", str(dont_know_saved), "--unknown", "--save", str(dont_know_saved)
    )
    assert result.exit_code == 0, result.output
    assert asked_questions(result.stderr) == [PURPOSES]
    assert "1 question asked: the only one that could still change the decision." in (result.stdout)
    after = yaml.safe_load(dont_know_saved.read_text(encoding="utf-8"))
    assert after["mes_purposes"] == ["wellbeing"]
    assert after["mes_data_exchange"] is None and after["has_read_doctrine"] is None
    assert "ask --from" not in result.stdout  # nothing is left undetermined


def test_a_dont_know_asked_again_shows_it_and_can_stay_so(
    runner: CliRunner, dont_know_saved: Path, tmp_path: Path
) -> None:
    """The "don't know" is the default (Enter keeps it); kept, it is not asked a third time,
    and the end names the command again, with the new file."""
    again = tmp_path / "again.yaml"
    args = ("--from", str(dont_know_saved), "--unknown", "--save", str(again))
    result = ask(runner, "\n" * 8, *args)
    assert result.exit_code == 0, result.output
    asked = asked_questions(result.stderr)
    assert asked[0] == PURPOSES and len(asked) == len(set(asked))
    assert "? = don't know) [?]: " in result.stderr
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == yaml.safe_load(
        dont_know_saved.read_text(encoding="utf-8")
    )
    assert f"eligibility ask --from {again} --unknown" in result.stdout


def test_unknown_without_from_is_a_usage_error(runner: CliRunner) -> None:
    """--unknown asks again the "don't know" answers of a file: alone, it is refused."""
    result = ask(runner, SHORT, "--unknown")
    assert result.exit_code == 2
    assert '--unknown asks again the "don\'t know" answers of a file: give --from FILE' in (
        result.stderr
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "When you know the answers: eligibility ask --from {path} --unknown"),
        ("fr", "Quand vous connaîtrez les réponses\u00a0: eligibility ask --from {path} --unknown"),
    ],
)
def test_the_end_after_json_names_the_command_with_the_saved_file(
    runner: CliRunner, tmp_path: Path, lang: str, said: str
) -> None:
    """After a decision that names no command (JSON), the end lists the questions, then the
    command that asks them again, with the file the answers were saved to, unwrapped."""
    saved = tmp_path / "a-rather-long-file-name-for-the-answers-of-this-product.yaml"
    answers = MES_UNKNOWN if lang == "en" else "aucun\nnon\n?\n?\n?\n?\n"
    result = ask(runner, answers, "--save", str(saved), "--format", "json", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == said.format(path=saved)
    assert "not saved" not in result.stderr and "pas enregistrées" not in result.stderr


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", 'The questions one by one, "don\'t know" answers included:'),
        (
            "fr",
            "Les questions une à une, réponses «\u00a0je ne sais pas\u00a0» comprises\u00a0:",
        ),
    ],
)
def test_the_text_decision_ends_with_the_command_for_the_saved_file(
    runner: CliRunner, tmp_path: Path, lang: str, label: str
) -> None:
    """The short text's last command, which the end points to, is the real one."""
    saved = tmp_path / "answers.yaml"
    answers = MES_UNKNOWN if lang == "en" else "aucun\nnon\n?\n?\n?\n?\n"
    result = ask(runner, answers, "--save", str(saved), "--lang", lang)
    assert result.exit_code == 0, result.output
    commands = [line for line in result.stdout.splitlines() if "eligibility ask" in line]
    assert commands == [f"{label} eligibility ask --from {saved} --unknown"]


def test_ctrl_c_saves_the_answers_and_exits_130(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted session saves what was answered and says where, without "Aborted!"."""
    typed = iter(["no"])

    def interrupt_after_one(self: ClickIo, prompt: str, default: str | None) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(ClickIo, "ask", interrupt_after_one)
    saved = tmp_path / "answers.yaml"
    result = ask(runner, "", "--save", str(saved))
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr
    assert f"Answers saved to {saved} (resume with --from {saved})." in result.stderr
    assert "Aborted" not in result.output
    assert read_profile(str(saved)).ror_roles == []


def test_end_of_input_saves_to_a_default_file_and_exits_1(runner: CliRunner) -> None:
    """Without --save, answers that end early are saved next to where it ran; exit 1."""
    result = ask(runner, "none\n", "--id", "my-app")
    assert result.exit_code == 1
    assert "The answers ended before the last question." in result.stderr
    assert "Answers saved to eligibility-ask-my-app.yaml" in result.stderr
    assert "Aborted" not in result.output
    assert read_profile("eligibility-ask-my-app.yaml").ror_roles == []


def test_questions_in_french(runner: CliRunner) -> None:
    """``--lang fr`` asks in French and understands French answers."""
    result = ask(runner, "aucun\nnon\nnon\n", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "Le logiciel traite-t-il des données de santé de patients identifiés\u00a0?" in (
        result.stderr
    )
    assert "Pourquoi\u00a0: votre réponse décide si l'INS/INSi concerne le produit." in (
        result.stderr
    )
    assert "3 questions posées\u00a0: toutes celles qui pouvaient encore changer" in result.stdout


def test_eligibility_lang_asks_in_french(runner: CliRunner) -> None:
    """ELIGIBILITY_LANG=fr chooses French, as for every other command."""
    result = runner.invoke(
        cli,
        ["ask", "--engine", "python"],
        input="aucun\nnon\nnon\n",
        env={"ELIGIBILITY_LANG": "fr"},
    )
    assert result.exit_code == 0, result.output
    assert "Répondez à chaque question." in result.stderr
    assert result.stdout.startswith("product\u00a0: ")


def test_french_bad_answer_is_explained_in_french(runner: CliRunner) -> None:
    """The reason for refusing an answer is given in the questions' language."""
    result = ask(runner, "aucun\npeut-être\nnon\nnon\n", "--lang", "fr")
    assert "Réponse non comprise\u00a0: «\u00a0peut-être\u00a0» n'est ni oui ni non" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "no-such-file.yaml"], "no-such-file.yaml: no such file"),
        (["--id", "not valid!"], "--id: invalid profile"),
    ],
)
def test_bad_options_are_errors_without_traceback(
    runner: CliRunner, args: Sequence[str], message: str
) -> None:
    """A missing resume file or an invalid id is reported on stderr with exit status 1."""
    result = ask(runner, SHORT, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_durable_engine_is_the_default(runner: CliRunner) -> None:
    """Without --engine the decision comes from the Rete engine, as with evaluate."""
    result = runner.invoke(cli, ["ask", "--format", "json"], input=SHORT)
    assert result.exit_code == 0, result.output
    assert journey(decision_of(result), "mes-referencing")["status"] == "not_applicable"


def test_the_decision_after_french_questions_is_in_french(runner: CliRunner) -> None:
    """``--lang fr`` also prints the final decision in French."""
    result = ask(runner, "aucun\nnon\nnon\n", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("product\u00a0: ")
    assert "Le logiciel ne traite aucune donnée de santé de patients identifiés" in result.stdout


def test_help_states_the_exit_statuses(runner: CliRunner) -> None:
    """``ask --help`` says what each exit status means, as the other commands do."""
    result = runner.invoke(cli, ["ask", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Exit status: 0 when a decision was made" in text
    assert "130 when interrupted (Ctrl-C)" in text
    assert "ELIGIBILITY_LANG" in text


def test_the_checklist_takes_ticks_and_a_dont_know_for_one(runner: CliRunner) -> None:
    """What the company already has is one list: ticked yes, others no, ``?N`` unknown."""
    saved = Path("answers.yaml")
    result = ask(runner, "2\nno\nno\n2\n2\n1,?3\n", "--save", str(saved))
    assert result.exit_code == 0, result.output
    assert "Which of these does your company already have?" in result.stderr
    profile = read_profile(str(saved))
    assert profile.has_ans_membership_contract is True
    assert profile.has_legal_rep_card is False
    assert profile.has_cpa_cards is None


def test_piped_answers_leave_each_prompt_on_its_own_line(runner: CliRunner) -> None:
    """A pipe does not echo the answer's Enter: the command ends each prompt's line, so the
    closing line does not stick to the last prompt."""
    result = ask(runner, SHORT, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert (
        "3 questions asked: every question that could still change the decision has been asked."
        in lines
    )
    prompts = [line for line in lines if line.startswith("Answer (")]
    assert len(prompts) == 3 and all(line.endswith(": ") for line in prompts)
