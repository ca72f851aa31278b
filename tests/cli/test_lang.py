"""``--lang fr`` on explain, batch and the rules tools: French texts and words, data unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import batch as batch_cli
from eligibility.cli import cli
from eligibility.i18n.translation import locale_path, read_locale
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, RULES
from tests.rules_copy import copy_rules
from tests.rulesets import APPLIES, NOT_APPLICABLE, rule, write_cases, write_rules

HAS_CPA = {"field": "has_cpa_cards", "is": True}
HAS_ADMINS = {"field": "has_technical_admins", "is": True}

PACS = str(FIXTURES / "profiles" / "pacs-regional.yaml")
PUBLISHER_CSV = str(FIXTURES / "portfolios" / "publisher.csv")
PUBLISHER_JSON = str(FIXTURES / "portfolios" / "publisher.json")
BAD_CSV = str(FIXTURES / "portfolios" / "bad-rows.csv")
CNDA = "ins.cnda-authorisation"


@pytest.fixture(scope="module")
def french(ruleset: RuleSet) -> dict[tuple[str, ...], Any]:
    """The shipped French translations, by key."""
    return read_locale(locale_path(ruleset, "fr"))


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


class TestExplain:
    def test_french_logic_has_rule_texts_and_french_words(
        self, runner: CliRunner, french: dict[tuple[str, ...], Any]
    ) -> None:
        """The deciding rule's French text, French roles and counterfactual sentences."""
        out = run(runner, "explain", PACS, CNDA, "--logic", "--lang", "fr")
        assert french[("rules", "ins.exempt.archive", "text")] in out
        assert "ins.exempt.archive\u00a0: VRAIE, décide" in out
        assert "Ce qui changerait le résultat (plus petits changements des réponses)\u00a0:" in out
        assert f"`{CNDA}` serait à faire si `storage_role` valait `operational`" in out
        assert "would be" not in out

    def test_french_conditions_are_said_in_french(self, runner: CliRunner) -> None:
        """Each condition and the fact it reads are put in French words, values kept."""
        out = run(runner, "explain", PACS, CNDA, "--logic", "--lang", "fr")
        assert (
            "le fait ins.non-repository est vrai\u00a0: vrai  (fait ins.non-repository = vrai)"
            in out
        )
        assert "storage_role vaut archive\u00a0: vrai  (storage_role = archive)" in out
        assert "receives_ins_data_from contient other_domains\u00a0: vrai" in out
        assert "is archive" not in out and "(fact " not in out
        assert (
            "ins.cnda-authorisation\u00a0: impossible d'obtenir «\u00a0faite\u00a0» en changeant"
            in out
        )

    def test_french_roles_name_the_rule_that_won(self, runner: CliRunner, tmp_path: Path) -> None:
        """A rule overridden by an earlier one says so in French, naming the winner."""
        profile = tmp_path / "both.yaml"
        profile.write_text(
            "id: both\nprocesses_health_data: true\nis_identity_repository: false\n"
            "receives_ins_data_from: []\nstorage_role: none\n"
            "has_test_cards_or_certificates: true\n",
            encoding="utf-8",
        )
        args = ("explain", str(profile), "ins.devenv.test-cards", "--logic")
        french = run(runner, *args, "--lang", "fr")
        assert (
            "ins.test-cards.done\u00a0: VRAIE, écartée par ins.exempt.own-domain, qui vient avant"
            in french
        )
        english = run(runner, *args)
        assert "ins.test-cards.done: HOLDS, overridden by ins.exempt.own-domain" in english

    def test_french_counterfactuals_of_a_journey_read_as_french(self, runner: CliRunner) -> None:
        """A journey's counterfactual uses the conditional of its status, not the status word."""
        out = run(runner, "explain", PACS, "ins", "--logic", "--lang", "fr")
        assert "`ins` ne s'appliquerait pas si `processes_health_data` valait `faux`" in out
        assert (
            "ins\u00a0: impossible d'obtenir «\u00a0indéterminé\u00a0» en changeant une ou deux"
            in out
        )

    def test_english_is_the_default(self, runner: CliRunner) -> None:
        """Without --lang the explanation is English, the same as with --lang en."""
        out = run(runner, "explain", PACS, CNDA, "--logic")
        assert "ins.exempt.archive: HOLDS, decides" in out
        assert "serait" not in out
        assert out == run(runner, "explain", PACS, CNDA, "--logic", "--lang", "en")

    def test_french_json_keeps_ids_outcomes_and_changes(
        self, runner: CliRunner, french: dict[tuple[str, ...], Any]
    ) -> None:
        """JSON in French: same fields, ids, outcomes and changes; texts translated."""
        en = orjson.loads(run(runner, "explain", PACS, CNDA, "-f", "json"))
        fr = orjson.loads(run(runner, "explain", PACS, CNDA, "-f", "json", "--lang", "fr"))
        assert fr.keys() == en.keys()
        for key in ("target", "kind", "journey", "outcome", "missing", "unreachable"):
            assert fr[key] == en[key]
        assert [r["rule"] for r in fr["rules"]] == [r["rule"] for r in en["rules"]]
        pairs = zip(fr["counterfactuals"], en["counterfactuals"], strict=True)
        assert all(f["changes"] == e["changes"] for f, e in pairs)
        archive = next(r for r in fr["rules"] if r["rule"] == "ins.exempt.archive")
        assert archive["text"] == french[("rules", "ins.exempt.archive", "text")]
        assert fr["counterfactuals"][0]["sentence"].startswith(f"`{CNDA}` serait")


class TestBatch:
    def test_markdown_in_french(self, runner: CliRunner) -> None:
        """The report's own words, the journeys' short names and the counts in French."""
        out = run(runner, "batch", PUBLISHER_CSV, "-f", "markdown", "-q", "--lang", "fr")
        assert out.startswith("# Rapport de portefeuille\u00a0: ")
        assert "| INS et INSi | 15 | 0 | 3 |" in out
        nbsp = "\u00a0"
        assert (
            f"**18 produits{nbsp}: 18 décidés, 0 erreur{nbsp}; 1 produit en conflit{nbsp};" in out
        )
        assert f"- **INS et INSi**, Pas un référentiel d'identités{nbsp}: à faire 1, 8–9" in out
        assert "## Produits" in out
        assert "Portfolio report" not in out

    def test_html_in_french_is_the_same_with_workers(self, runner: CliRunner) -> None:
        """The translation reaches the worker processes: two workers give the same page."""
        args = ("batch", PUBLISHER_CSV, "-f", "html", "-q", "--lang", "fr")
        one = run(runner, *args)
        assert one == run(runner, *args, "--workers", "2")
        assert '<html lang="fr">' in one
        assert "INS et INSi</a>, Pas un référentiel d&#x27;identités\u00a0: à faire 1, 8–9" in one
        assert "<h2>Les parcours et leurs étapes</h2>" in one

    def test_summary_on_stderr_in_french(self, runner: CliRunner) -> None:
        """The stderr summary counts in French, its columns headed in French."""
        result = runner.invoke(cli, ["batch", BAD_CSV, "--no-trace", "--lang", "fr"])
        assert "14 lignes lues\u00a0: 2 décidées, 12 en erreur" in result.stderr
        lines = result.stderr.splitlines()
        head = next(line for line in lines if line.strip().startswith("parcours "))
        assert head.split() == ["parcours", "s'applique", "indéterminé"]
        ins = next(line for line in lines if line.strip().startswith("INS et INSi "))
        assert ins.split() == ["INS", "et", "INSi", "2", "0"]
        assert "rows read" not in result.stderr

    def test_progress_label_in_french(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A person watching the terminal sees the progress bar labelled in French."""
        monkeypatch.setattr(batch_cli, "stderr_is_terminal", lambda: True)
        result = runner.invoke(cli, ["batch", PUBLISHER_CSV, "--lang", "fr"])
        assert "Évaluation" in result.stderr and "Evaluating" not in result.stderr

    @pytest.mark.parametrize("fmt", ["markdown", "html"])
    def test_english_reports_are_the_default(self, runner: CliRunner, fmt: str) -> None:
        """Without --lang the reports are English, the same as with --lang en."""
        out = run(runner, "batch", PUBLISHER_CSV, "-f", fmt, "-q")
        assert "Portfolio report" in out
        assert "Rapport" not in out
        assert out == run(runner, "batch", PUBLISHER_CSV, "-f", fmt, "-q", "--lang", "en")

    @pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
    def test_data_formats_do_not_change_with_the_language(
        self, runner: CliRunner, fmt: str
    ) -> None:
        """JSONL, JSON and CSV are the contract: --lang fr leaves them byte-identical."""
        english = run(runner, "batch", PUBLISHER_CSV, "-f", fmt, "-q")
        assert run(runner, "batch", PUBLISHER_CSV, "-f", fmt, "-q", "--lang", "fr") == english


BAD_PROFILE = 'id: "bad id!"\nror_access_profile: 9\nstorage_role: cloud\ncolour: x\n'


def _bad_profile_error(path: str) -> str:
    """The French error message of BAD_PROFILE, non-breaking spaces and all."""
    text = (
        "Erreur : {path} : profil invalide\n"
        "  id : un identifiant ne contient que des lettres, des chiffres, « . », « _ » et "
        "« - », sans espace (valeur reçue : 'bad id!')\n"
        "  storage_role : valeur non autorisée ; valeurs possibles : 'none', 'operational' "
        "ou 'archive' (valeur reçue : 'cloud')\n"
        "  ror_access_profile : au-dessus de 5, la plus grande valeur permise (valeur reçue : 9)\n"
        "  colour : champ inconnu (tous les champs : `eligibility fields`, docs/profile.md) "
        "(valeur reçue : 'x')\n"
    )
    nbsp = text.replace(" :", "\u00a0:").replace(" ;", "\u00a0;").replace("« ", "«\u00a0")
    return nbsp.replace(" »", "\u00a0»").format(path=path)


def run_failing(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, [*args, "--lang", "fr"])
    assert result.exit_code == 1, result.output
    return result.stdout


class TestErrors:
    """The errors of a bad profile in the command's language; JSON stays English."""

    @pytest.mark.parametrize(
        "command", [["evaluate"], ["plan"], ["explain", "{path}", "ins"], ["ask", "--from"]]
    )
    def test_a_bad_profile_is_told_in_french(
        self, runner: CliRunner, tmp_path: Path, command: list[str]
    ) -> None:
        """--lang fr: the heading, every field problem and the "Error:" prefix in French."""
        path = tmp_path / "bad.yaml"
        path.write_text(BAD_PROFILE, encoding="utf-8")
        args = [a.format(path=path) for a in command]
        if "{path}" not in command:
            args.append(str(path))
        result = runner.invoke(cli, [*args, "--lang", "fr"])
        assert result.exit_code == 1
        assert result.stderr == _bad_profile_error(str(path))

    def test_a_file_that_cannot_be_read_is_told_in_french(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """No such file, a directory, an empty file, a YAML syntax error: the tool's own
        words in French (the YAML parser's stay English), the English ones unchanged."""
        empty = tmp_path / "vide.yaml"
        empty.write_text("", encoding="utf-8")
        broken = tmp_path / "casse.yaml"
        broken.write_text("id: [\n", encoding="utf-8")
        nbsp = "\u00a0"
        cases = [
            ("absent.yaml", "absent.yaml: no such file", f"absent.yaml{nbsp}: fichier introuvable"),
            (
                str(tmp_path),
                f"{tmp_path}: is a directory, not a profile file",
                f"{tmp_path}{nbsp}: est un dossier, pas un fichier de profil",
            ),
            (str(empty), f"{empty}: is empty", f"{empty}{nbsp}: est vide"),
            (
                str(broken),
                f"{broken}: is not valid YAML: line 2, column 1: did not find expected node "
                "content",
                f"{broken}{nbsp}: n'est pas du YAML valide{nbsp}: ligne 2, colonne 1{nbsp}: did "
                "not find expected node content",
            ),
        ]
        for path, english, french in cases:
            assert runner.invoke(cli, ["evaluate", path]).stderr == f"Error: {english}\n"
            result = runner.invoke(cli, ["evaluate", path, "--lang", "fr"])
            assert result.stderr == f"Erreur{nbsp}: {french}\n"

    def test_the_language_may_come_from_the_environment(self, runner: CliRunner) -> None:
        """ELIGIBILITY_LANG=fr does what --lang fr does, for a profile on standard input."""
        result = runner.invoke(
            cli, ["evaluate", "-"], input=BAD_PROFILE, env={"ELIGIBILITY_LANG": "fr"}
        )
        assert result.exit_code == 1
        assert result.stderr == _bad_profile_error("<stdin>")

    def test_english_is_unchanged(self, runner: CliRunner) -> None:
        """Without --lang, the message is the English one, word for word."""
        result = runner.invoke(cli, ["evaluate", "-"], input=BAD_PROFILE)
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: <stdin>: invalid profile\n"
            "  id: an id holds only letters, digits, '.', '_' and '-', no spaces (got 'bad id!')\n"
            "  storage_role: not an allowed value; allowed: 'none', 'operational' or 'archive' "
            "(got 'cloud')\n"
            "  ror_access_profile: above 5, the largest value allowed (got 9)\n"
            "  colour: unknown field (every field: `eligibility fields`, docs/profile.md) "
            "(got 'x')\n"
        )

    def test_batch_names_each_bad_row_in_french(self, runner: CliRunner) -> None:
        """Each row's error line on stderr is French: the row, its id, every problem."""
        result = runner.invoke(cli, ["batch", BAD_CSV, "--no-trace", "--lang", "fr"])
        lines = [line for line in result.stderr.splitlines() if line.startswith("Erreur")]
        assert len(lines) == 12
        assert lines[0] == (
            "Erreur\u00a0: ligne 3 (unknown-field)\u00a0: colour\u00a0: champ inconnu (tous les "
            "champs\u00a0: `eligibility fields`, docs/profile.md) (valeur reçue\u00a0: 'blue')"
        )
        assert lines[-1] == (
            "Erreur\u00a0: ligne 14 (two-problems)\u00a0: processes_health_data\u00a0: ni vrai ni "
            "faux\u00a0; écrivez true/false, yes/no ou 1/0 (valeur reçue\u00a0: 'perhaps')\u00a0; "
            "storage_role\u00a0: valeur non autorisée\u00a0; valeurs possibles\u00a0: 'none', "
            "'operational' ou 'archive' (valeur reçue\u00a0: 'tape')"
        )
        assert "Error" not in result.stderr and "got" not in result.stderr

    def test_the_french_report_says_the_errors_in_french(self, runner: CliRunner) -> None:
        """A Markdown report in French lists each bad row's problems in French."""
        out = run_failing(runner, "batch", BAD_CSV, "--no-trace", "-q", "-f", "markdown")
        assert "- ror_access_profile\u00a0: au-dessus de 5, la plus grande valeur permise " in out
        assert "got" not in out

    @pytest.mark.parametrize("fmt", ["jsonl", "json"])
    def test_batch_error_records_stay_english(self, runner: CliRunner, fmt: str) -> None:
        """The error records of the JSON outputs are the contract: the same in French."""
        english = runner.invoke(cli, ["batch", BAD_CSV, "--no-trace", "-q", "-f", fmt])
        french = runner.invoke(
            cli, ["batch", BAD_CSV, "--no-trace", "-q", "-f", fmt, "--lang", "fr"]
        )
        assert french.stdout == english.stdout
        assert "not an allowed value; allowed: 'none', 'operational' or 'archive'" in (
            french.stdout
        )


class TestRulesTools:
    def test_check_in_french(self, runner: CliRunner) -> None:
        """The check report's own words are French; the finding kinds stay ids."""
        result = runner.invoke(cli, ["rules", "check", "--lang", "fr"])
        assert "jeux de réponses analysés\u00a0: " in result.stdout
        assert " règles, 0 erreur, 0 avertissement" in result.stdout
        assert "answer sets analysed" not in result.stdout

    def test_check_findings_in_french(self, tmp_path: Path, runner: CliRunner) -> None:
        """The findings' messages are French too, ids kept; English is gone."""
        done = rule("demo.a.done", {"step": "demo.a", "status": "done"}, HAS_CPA)
        na = rule("demo.a.na", {"step": "demo.a", "status": "not_applicable"}, HAS_ADMINS)
        root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, done, na])
        out = runner.invoke(cli, ["rules", "check", str(root), "--lang", "fr"]).stdout
        assert (
            "avertissement\u00a0: contradiction\u00a0: les règles demo.a.done et demo.a.na "
            "s'appliquent toutes deux et donnent à demo.a des valeurs différentes\u00a0; "
            "demo.a.done vient avant et l'emporte" in out
        )
        assert "both hold" not in out and "comes first" not in out

    def test_provenance_findings_in_french(self, tmp_path: Path, runner: CliRunner) -> None:
        """A tag its source does not back is described in French."""
        bare = rule(
            "demo.bare", {"step": "demo.a", "status": "done"}, HAS_CPA, confidence="inference"
        )
        root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, bare])
        out = runner.invoke(cli, ["rules", "check", str(root), "--lang", "fr"]).stdout
        assert (
            "erreur\u00a0: provenance\u00a0: la règle demo.bare porte l'étiquette inference, "
            "mais aucune note ne dit sur quoi repose l'inférence" in out
        )

    def test_check_gap_in_french(self, tmp_path: Path, runner: CliRunner) -> None:
        """A gap is described in French, with its counterexample."""
        directory = write_rules(tmp_path / "rules", [APPLIES])
        result = runner.invoke(cli, ["rules", "check", str(directory), "--lang", "fr"])
        assert result.exit_code == 1
        assert (
            "erreur\u00a0: gap\u00a0: demo\u00a0: aucune règle ne décide le statut de demo "
            "dans 1 jeu(x) de réponses\u00a0; la valeur par défaut du catalogue s'applique"
            in result.stdout
        )
        assert "no rule decides" not in result.stdout

    def test_check_json_does_not_change_with_the_language(self, runner: CliRunner) -> None:
        """The check's JSON findings keep their English messages in every language."""
        args = ("rules", "check", "-f", "json")
        french = runner.invoke(cli, [*args, "--lang", "fr"]).stdout
        assert french == runner.invoke(cli, list(args)).stdout
        assert '"findings": []' in french

    def test_check_is_english_by_default(self, runner: CliRunner) -> None:
        """Without --lang the summary line is English."""
        result = runner.invoke(cli, ["rules", "check"])
        assert " rules, 0 errors, 0 warnings" in result.stdout

    def test_test_in_french(self, runner: CliRunner) -> None:
        """The rule tests report counts and heads its table in French."""
        out = run(runner, "rules", "test", "--engine", "python", "--lang", "fr")
        assert "cas réussis" in out
        assert out.splitlines()[2].split() == ["fichier", "règles", "conditions"]

    def test_test_failures_and_conditions_in_french(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """A failing case's details and a condition left half seen read in French."""
        done = rule(
            "demo.a.done",
            {"step": "demo.a", "status": "done"},
            {"field": "has_technical_admins", "is": True},
        )
        root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE, done])
        profile = {"processes_health_data": True, "has_technical_admins": False}
        case = {"name": "wrong", "profile": profile, "decides": ["demo.a.done"]}
        write_cases(root, [{**case, "expect": {"demo.a": "done"}}])
        args = ("rules", "test", str(root), "--engine", "python")
        out = runner.invoke(cli, [*args, "--lang", "fr"]).stdout
        assert (
            "ÉCHEC demo/rules.test.yaml::wrong\u00a0: demo.a.done devrait décider, mais elle ne "
            "s'est pas appliquée; demo.a\u00a0: attendu done, obtenu required\n" in out
        )
        assert "demo.a.done\u00a0: condition 'has_technical_admins vaut vrai' jamais vraie" in out
        assert "should decide" not in out and "expected" not in out
        english = runner.invoke(cli, list(args)).stdout
        assert "demo.a.done should decide, but it did not hold; demo.a: expected done" in english
        assert "demo.a.done: condition 'has_technical_admins is true' never true" in english

    def test_test_json_does_not_change_with_the_language(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """The failures and conditions stay English in the JSON report."""
        root = write_rules(tmp_path / "rules", [APPLIES, NOT_APPLICABLE])
        case = {"name": "wrong", "profile": {"processes_health_data": True}}
        write_cases(root, [{**case, "expect": {"demo": "not_applicable"}}])
        args = ("rules", "test", str(root), "--engine", "python", "-f", "json")
        french = runner.invoke(cli, [*args, "--lang", "fr"]).stdout
        assert french == runner.invoke(cli, list(args)).stdout
        assert "demo: expected not_applicable, got applies" in french

    def test_test_is_english_by_default(self, runner: CliRunner) -> None:
        """Without --lang the report is English."""
        out = run(runner, "rules", "test", "--engine", "python")
        assert "cases passed" in out
        assert out.splitlines()[2].split() == ["file", "rules", "conditions"]

    def test_diff_in_french(self, runner: CliRunner) -> None:
        """The diff report's own words in French, counts unchanged."""
        rules = str(RULES)
        out = run(runner, "rules", "diff", rules, rules, "-p", PUBLISHER_JSON, "--lang", "fr")
        assert "  aucune règle modifiée" in out
        assert "portefeuille\u00a0: 0 produit sur 18 change" in out

    def test_diff_catalogue_and_order_changes_in_french(
        self, tmp_path: Path, runner: CliRunner
    ) -> None:
        """A removed step, a changed journey and a reordered rule are described in French."""
        root = copy_rules(tmp_path)
        journey = root / "ror-supplier" / "journey.yaml"
        data = yaml.safe_load(journey.read_text(encoding="utf-8"))
        steps = data["journey"]["steps"]
        data["journey"]["steps"] = [s for s in steps if s["id"] != "ror-supplier.ans-feedback"]
        journey.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        rules = root / "ins" / "rules.yaml"
        data = yaml.safe_load(rules.read_text(encoding="utf-8"))
        ids = [r["id"] for r in data["rules"]]
        a, b = (
            ids.index("ins.exempt.own-domain.cnda-authorisation"),
            ids.index("ins.exempt.archive"),
        )
        data["rules"][a], data["rules"][b] = data["rules"][b], data["rules"][a]
        rules.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        out = run(runner, "rules", "diff", str(RULES), str(root), "--lang", "fr")
        assert "  - étape ror-supplier.ans-feedback\n" in out
        assert "  ~ parcours ror-supplier\u00a0: entrée du catalogue modifiée\n" in out
        assert "  ~ règle ins.exempt.archive\u00a0: ordre\n" in out
        assert "catalogue entry changed" not in out and "- step" not in out
        english = run(runner, "rules", "diff", str(RULES), str(root))
        assert "  ~ journey ror-supplier: catalogue entry changed\n" in english
        assert "  ~ rule ins.exempt.archive: order\n" in english

    def test_diff_json_does_not_change_with_the_language(self, runner: CliRunner) -> None:
        """The diff's JSON is data: the same in both languages."""
        rules = str(RULES)
        args = ("rules", "diff", rules, rules, "-f", "json")
        assert run(runner, *args, "--lang", "fr") == run(runner, *args)
