"""French a French reader would sign: the questionnaire and the commands, checked word by word.

The checker (tests/i18n/french.py) fails on a typography error or an untranslated token; it
is itself checked on a few faulty sentences, so that a lenient checker cannot pass.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.decision.relevance import Relevance
from eligibility.profile.files import read_document
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Prompt, Questions, load_questions
from eligibility.questionnaire.session import (
    Conversation,
    open_session,
    typed_answers,
    why_line,
)
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, RULES
from tests.i18n.french import (
    catalogue_ids,
    french_problems,
    html_text,
    typography_problems,
    word_problems,
)

PERSONAS = sorted((FIXTURES / "personas").glob("*.yaml"))


@pytest.fixture(scope="module")
def questions() -> Questions:
    """The shipped questions."""
    return load_questions(RULES)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Pourquoi : parce que", "plain space before ':'"),
        ("Pourquoi: parce que", "no space before ':'"),
        ("Vraiment\u00a0?Oui", ""),
        ("« mot »", "guillemets"),
        ('il dit "bonjour"', "straight quotes"),
        ("déjà fait(s)", "'(s)'"),
        ("\u00a0: au début", "starts with ':'"),
    ],
)
def test_the_checker_catches_typography(text: str, found: str) -> None:
    """Each typography rule fires on a faulty sentence, and only there."""
    problems = typography_problems(text)
    if found:
        assert any(found in p for p in problems), problems
    else:
        assert problems == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("variante non_repository", "'non_repository'"),
        ("opérations INSi\u00a0: retrieval", "value 'retrieval'"),
        ("[ins.applies.health-data\u00a0; official]", "value 'official'"),
        ("Whether the journey applies", "English word 'the'"),
        ("s'applique\u00a0: pro-sante-connect", "id 'pro-sante-connect'"),
        ("dépend de\u00a0: processes_health_data", "value 'processes_health_data'"),
    ],
)
def test_the_checker_catches_untranslated_words(ruleset: RuleSet, text: str, found: str) -> None:
    """English words, contract and decision values, ids used as words are caught."""
    assert any(found in p for p in word_problems(text, catalogue_ids(ruleset)))


def test_the_checker_lets_references_and_names_be(ruleset: RuleSet) -> None:
    """Cited ids, URLs, commands and the domain's proper nouns are French text too."""
    text = (
        "Raccorder le logiciel à Pro Santé Connect (pro-sante-connect.sandbox), voir "
        "https://example.org/a:b et [ins.applies.health-data\u00a0; officielle]. "
        "Reprise avec eligibility ask --from my-product.yaml."
    )
    assert french_problems(text, catalogue_ids(ruleset)) == []


def test_the_html_text_is_what_a_reader_sees() -> None:
    """A page's text: a line per block, a status mark alone dropped, <code> as backquotes,
    inline elements within their line, entities decoded."""
    page = (
        "<style>p{color:red}</style><p>R\u00e8gles\u00a0: <b>un</b> &amp; deux</p>"
        "<table><tr><td>?</td><td>\u2713!</td><td><code>ins</code> \u00e0 faire</td></tr></table>"
        '<p><span class="u">?</span> ind\u00e9termin\u00e9</p>'
    )
    assert html_text(page).splitlines() == [
        "R\u00e8gles\u00a0: un & deux",
        "`ins` \u00e0 faire",
        "ind\u00e9termin\u00e9",
    ]


def _prompt_texts(questions: Questions) -> list[str]:
    """Every French text the questionnaire can show, each as it is shown."""
    q = questions
    texts: list[str] = []
    for field in FIELDS:
        question = q.question(field)
        texts += [question.question("fr"), question.help("fr")]
        if question.item is not None:
            texts.append(q.item(field, "fr"))
        if FIELDS[field].kind in ("enum", "list"):
            texts += [label for _, label in q.choices(field, "fr")]
        texts.append(q.hint(field, "fr"))
    for group in q.data.groups:
        texts.append(group.title("fr"))
        if group.checklist is not None:
            texts += [group.checklist.question("fr"), group.checklist.help("fr")]
    for name in type(q.messages).model_fields:  # templates: their placeholders filled later
        texts.append(re.sub(r"\{\w+\}", "X", getattr(q.messages, name)("fr")))
    return texts


def test_every_text_of_the_questionnaire_is_french(ruleset: RuleSet, questions: Questions) -> None:
    """Questions, help lines, choices, checklists and messages, as shown in French."""
    ids = catalogue_ids(ruleset)
    problems = [p for text in _prompt_texts(questions) for p in french_problems(text, ids)]
    assert problems == []


def test_every_why_line_is_french(ruleset: RuleSet, questions: Questions) -> None:
    """The "why" line of every question that can be asked first, in French."""

    class Silent:
        def ask(self, prompt: str, default: str | None) -> str:  # noqa: ARG002
            raise EOFError

        def say(self, text: str) -> None:
            pass

    session, _ = open_session(ruleset, questions, "fr")
    conv = Conversation(questions, Silent(), "fr")
    relevance: Relevance = session.relevance
    lines = [why_line(session, conv, Prompt(f)) for f in relevance.relevant_fields({})]
    assert len([line for line in lines if line]) > 10
    ids = catalogue_ids(ruleset)
    assert [p for line in lines for p in french_problems(line, ids)] == []


def _typed(questions: Questions, ruleset: RuleSet, data: dict[str, Any]) -> str:
    """The lines a persona types, in French, computed by replaying it."""
    session, _ = open_session(ruleset, questions, "fr")
    lines: list[str] = []
    while (nxt := session.next_prompt()) is not None:
        prompt, _ = nxt
        values = {f: data.get(f) for f in prompt.fields}
        lines.append(questions.typed_prompt(prompt, values, "fr") or "?")
        session.answer(prompt, typed_answers(questions, prompt, data))
    return "".join(f"{line}\n" for line in lines)


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_the_conversation_in_french_is_french(
    runner: CliRunner, ruleset: RuleSet, questions: Questions, path: Path
) -> None:
    """A whole `ask --lang fr` conversation, the closing lines included."""
    data, _ = read_document(str(path))
    assert isinstance(data, dict)
    typed = _typed(questions, ruleset, data)
    result = runner.invoke(
        cli, ["ask", "--lang", "fr", "--engine", "python", "--format", "json"], input=typed
    )
    assert result.exit_code == 0, result.stderr
    assert "questions posées" in result.stderr
    assert french_problems(result.stderr, catalogue_ids(ruleset)) == []


# -- every command's French output --------------------------------------------------------

#: The views written for a quality team or a rule author rather than a product manager:
#: the full listings and the formula view, which name the profile's fields and values and
#: the catalogue's journeys as the contract does (the short views say them as questions
#: and names), and the reference of the profile's fields. Every other word there, and the
#: typography, is checked all the same.
DETAILED = (
    "evaluate --details",
    "evaluate markdown",
    "plan",
    "explain --logic",
    "rules",
    "audit",
    "fields",
    "error",  # the errors of a bad profile name its fields and their allowed values
)


def _contract_word(problem: str) -> bool:
    """A profile field, one of its values, or a catalogue id used as a name."""
    token = problem.split("'")[1] if "'" in problem else ""
    fields_and_values = set(FIELDS) | {
        str(v) for spec in FIELDS.values() if spec.kind in ("enum", "list") for v in spec.values
    }
    return "used as a word" in problem or token in fields_and_values


def _run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(cli, [*args, "--lang", "fr"], env=env)
    assert result.exit_code in (0, 1), result.output
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def french_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The French output of every command that has one, on the shipped fixtures: the short
    views (evaluate, explain, the portfolio report in Markdown and HTML, conflicts
    included) and the detailed ones."""
    runner = CliRunner()
    outputs: dict[str, str] = {}
    for path in sorted((FIXTURES / "profiles").glob("*.yaml")):
        name = path.stem
        outputs[f"evaluate {name}"] = _run(runner, "evaluate", str(path))
        outputs[f"evaluate --details {name}"] = _run(runner, "evaluate", str(path), "--details")
        outputs[f"evaluate markdown {name}"] = _run(runner, "evaluate", str(path), "-f", "markdown")
        outputs[f"plan {name}"] = _run(runner, "plan", str(path))
        outputs[f"plan markdown {name}"] = _run(runner, "plan", str(path), "-f", "markdown")
    pacs = str(FIXTURES / "profiles" / "pacs-regional.yaml")
    for target in ("ins", "ins.cnda-authorisation", "ins.variant", "ror-consumer"):
        outputs[f"explain {target}"] = _run(runner, "explain", pacs, target)
        outputs[f"explain --logic {target}"] = _run(runner, "explain", pacs, target, "--logic")
    portfolio = FIXTURES / "portfolios" / "publisher.csv"
    names = [row.split(",")[1] for row in portfolio.read_text("utf-8").splitlines()[1:]]
    for fmt in ("markdown", "html"):
        report = _run(runner, "batch", str(portfolio), "-f", fmt)
        if fmt == "html":
            report = html_text(report)
        for name in names:  # product names are the publisher's data, in its own language
            report = report.replace(name, "")
        outputs[f"batch {fmt}"] = report
    outputs["fields"] = _run(runner, "fields")
    outputs["rules check"] = _run(runner, "rules", "check")
    outputs["rules test"] = _run(runner, "rules", "test")
    work = tmp_path_factory.mktemp("french")
    (work / "avant").symlink_to(RULES)
    (work / "apres").symlink_to(RULES)
    outputs["rules diff"] = _run(runner, "rules", "diff", str(work / "avant"), str(work / "apres"))
    # null answers ("don't know"): the short view suggests asking them again, which --unknown does
    draft = str(FIXTURES / "personas" / "draft-answers.yaml")
    outputs["evaluate draft-answers"] = _run(runner, "evaluate", draft)
    outputs["ask --unknown draft-answers"] = _run(
        runner, "ask", "--from", draft, "--unknown", "--save", str(work / "draft.yaml")
    )
    # the errors of a bad profile, and of a portfolio's bad rows (stderr and the reports)
    bad = work / "invalide.yaml"
    bad.write_text(
        'id: "bad id!"\nname: 5\nror_access_profile: 9\nstorage_role: cloud\n'
        "is_identiy_repository: 1\nror_roles: x\nhas_cnda_contract: 3\ncolour: bleu\n",
        encoding="utf-8",
    )
    for command in ("evaluate", "plan"):
        outputs[f"error {command}"] = _run(runner, command, str(bad))
    outputs["error explain"] = _run(runner, "explain", str(bad), "ins")
    outputs["error ask --from"] = _run(runner, "ask", "--from", str(bad))
    bad_rows = str(FIXTURES / "portfolios" / "bad-rows.csv")
    # the ids the rows give are the publisher's data: "bad id!" is shown as it was written
    markdown = _run(runner, "batch", bad_rows, "--no-trace", "-f", "markdown")
    outputs["error batch"] = markdown.replace("(bad id!)", "")
    page = _run(runner, "batch", bad_rows, "--no-trace", "-f", "html", "-q")
    outputs["error batch html"] = html_text(page).replace("bad id!", "")
    env = {"ELIGIBILITY_STORE": str(work / "audit.sqlite")}
    recorded = runner.invoke(cli, ["evaluate", pacs, "--record"], env=env)
    decision = recorded.stderr.split("Recorded decision ")[1].split()[0]
    outputs["audit list"] = _run(runner, "audit", "list", env=env)
    outputs["audit show"] = _run(runner, "audit", "show", decision, env=env)
    outputs["audit replay"] = _run(runner, "audit", "replay", decision, env=env)
    outputs["audit verify"] = _run(runner, "audit", "verify", env=env)
    return outputs


def test_the_outputs_checked_include_the_short_views_and_a_conflict(
    french_outputs: dict[str, str],
) -> None:
    """The check below reads what a product manager reads: the short decision with its
    conflicts, the explanation in sentences, the portfolio report (so it cannot pass by
    checking nothing)."""
    assert "CONFLIT" in french_outputs["evaluate mes-exchange-without-hosting"]
    assert "Pourquoi\u00a0:" in french_outputs["explain ins.cnda-authorisation"]
    assert "Rapport de portefeuille" in french_outputs["batch html"]
    assert "comprises\u00a0: eligibility ask --from" in french_outputs["evaluate draft-answers"]
    assert "«\u00a0je ne sais pas\u00a0» dans" in french_outputs["ask --unknown draft-answers"]
    assert "<" not in french_outputs["batch html"]  # the page's text, not its markup
    assert "profil invalide" in french_outputs["error evaluate"]
    assert "ligne 14 (two-problems)\u00a0: processes_health_data" in french_outputs["error batch"]
    assert "valeur reçue" in french_outputs["error batch html"]


def test_every_command_writes_french_typography(
    ruleset: RuleSet, french_outputs: dict[str, str]
) -> None:
    """No plain space before ; : ? !, no straight quote, no "(s)", in any French output."""
    problems = {
        name: typography_problems(text)[:3]
        for name, text in french_outputs.items()
        if typography_problems(text)
    }
    assert problems == {}


def test_every_command_says_its_own_words_in_french(
    ruleset: RuleSet, french_outputs: dict[str, str]
) -> None:
    """No English word, status, operation, confidence tag, field name, enum value or id used
    as a word in any French output; the detailed views may name the contract's fields and
    values and the catalogue's ids (see :data:`DETAILED`)."""
    ids = catalogue_ids(ruleset)
    problems = {
        name: found[:3]
        for name, text in french_outputs.items()
        if (
            found := [
                p
                for p in word_problems(text, ids)
                if not (name.startswith(DETAILED) and _contract_word(p))
            ]
        )
    }
    assert problems == {}
