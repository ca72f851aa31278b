"""The problems of a bad profile, said in French: every kind of field problem, the heading,
the row of a portfolio; the English text stays the same (it is the JSON's contract)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eligibility.errors import ProfileError
from eligibility.i18n.messages import localized
from eligibility.profile.model import parse_profile
from eligibility.profile.portfolio import convert_cell, read_rows, row_profile

NBSP = "\u00a0"


def _french(exc: ProfileError) -> str:
    return exc.text(lambda sentence: localized(sentence, "fr"))


def _problems(data: object, row: int | None = None) -> ProfileError:
    with pytest.raises(ProfileError) as err:
        parse_profile(data, source="p.yaml", row=row)
    return err.value


@pytest.mark.parametrize(
    ("field", "value", "english", "french"),
    [
        (
            "id",
            "bad id!",
            "an id holds only letters, digits, '.', '_' and '-', no spaces (got 'bad id!')",
            "un identifiant ne contient que des lettres, des chiffres, « . », « _ » et « - », "
            "sans espace (valeur reçue : 'bad id!')",
        ),
        ("id", "", "must not be empty (got '')", "ne doit pas être vide (valeur reçue : '')"),
        (
            "id",
            "a" * 201,
            "longer than 200 characters",
            "plus de 200 caractères (valeur reçue : 'aaa",
        ),
        ("name", 3, "not text (got 3)", "pas du texte (valeur reçue : 3)"),
        (
            "processes_health_data",
            "maybe",
            "not yes or no; write true or false (got 'maybe')",
            "ni oui ni non ; écrivez true ou false (valeur reçue : 'maybe')",
        ),
        (
            "ror_access_profile",
            9,
            "above 5, the largest value allowed (got 9)",
            "au-dessus de 5, la plus grande valeur permise (valeur reçue : 9)",
        ),
        (
            "ror_access_profile",
            -1,
            "below 0, the smallest value allowed (got -1)",
            "en dessous de 0, la plus petite valeur permise (valeur reçue : -1)",
        ),
        (
            "ror_access_profile",
            2.5,
            "not a whole number (got 2.5)",
            "pas un nombre entier (valeur reçue : 2.5)",
        ),
        (
            "ror_roles",
            "consumer",
            "not a list; write the values between brackets, [a, b], or [] for none "
            "(got 'consumer')",
            "pas une liste ; écrivez les valeurs entre crochets, [a, b], ou [] pour aucune "
            "(valeur reçue : 'consumer')",
        ),
        (
            "storage_role",
            "cold",
            "not an allowed value; allowed: 'none', 'operational' or 'archive' (got 'cold')",
            "valeur non autorisée ; valeurs possibles : 'none', 'operational' ou 'archive' "
            "(valeur reçue : 'cold')",
        ),
        (
            "is_identiy_repository",
            False,
            "unknown field; did you mean is_identity_repository? "
            "(every field: `eligibility fields`, docs/profile.md) (got False)",
            "champ inconnu ; vouliez-vous dire is_identity_repository ? (tous les champs : "
            "`eligibility fields`, docs/profile.md) (valeur reçue : False)",
        ),
        (
            "colour",
            "blue",
            "unknown field (every field: `eligibility fields`, docs/profile.md) (got 'blue')",
            "champ inconnu (tous les champs : `eligibility fields`, docs/profile.md) "
            "(valeur reçue : 'blue')",
        ),
    ],
)
def test_each_field_problem_in_french(field: str, value: object, english: str, french: str) -> None:
    """Each kind of problem reads as a French regulatory lead would write it, with French
    typography (a non-breaking space before ; : ?, inside guillemets); the value is quoted
    as it was given; the English stays what it was."""
    exc = _problems({"id": "x", field: value})
    assert str(exc).splitlines()[1].startswith(f"  {field}: {english}")
    line = _french(exc).splitlines()[1]
    assert line.replace(NBSP, " ").startswith(f"  {field} : {french}")
    assert f"{field}{NBSP}:" in line
    assert " ;" not in line and " :" not in line and " ?" not in line


def test_the_heading_a_missing_field_and_the_row_in_french() -> None:
    """The heading names the source (and the row) and says the profile is invalid."""
    exc = _problems({"name": "no id"}, row=7)
    assert str(exc) == "p.yaml, row 7: invalid profile\n  id: field required"
    assert _french(exc) == f"p.yaml, ligne 7{NBSP}: profil invalide\n  id{NBSP}: champ obligatoire"


def test_a_document_that_is_not_a_mapping_in_french() -> None:
    """The whole profile is named "(profil)" in French; the JSON keeps "(profile)"."""
    exc = _problems(["id", "x"])
    assert exc.problems[0].loc == "(profile)"
    assert _french(exc).splitlines()[1] == (
        f"  (profil){NBSP}: un profil doit associer chaque nom de champ à sa valeur "
        f"(valeur reçue{NBSP}: 'list')"
    )


def test_many_problems_are_counted_in_french() -> None:
    """The problems past the twentieth are counted, in French too."""
    exc = _problems({"id": "x", **{f"extra_{n}": 1 for n in range(1234)}})
    assert str(exc).splitlines()[-1] == "  ...: and 1,214 more problems"
    assert _french(exc).splitlines()[-1] == f"  ...{NBSP}: et 1214 autres problèmes"


@pytest.mark.parametrize(
    ("column", "cell", "english", "french"),
    [
        (
            "processes_health_data",
            "maybe",
            "not a boolean; write true/false, yes/no or 1/0",
            "ni vrai ni faux ; écrivez true/false, yes/no ou 1/0",
        ),
        (
            "ror_access_profile",
            "two",
            "not a whole number (digits 0-9)",
            "pas un nombre entier (chiffres 0 à 9)",
        ),
        (
            "ror_roles",
            ";",
            "a list with no value; write [] for an empty list",
            "une liste sans valeur ; écrivez [] pour une liste vide",
        ),
    ],
)
def test_each_csv_cell_problem_in_french(column: str, cell: str, english: str, french: str) -> None:
    """A CSV cell that cannot be read as its field's kind says why, in both languages."""
    with pytest.raises(ValueError, match=re.escape(english)) as err:
        convert_cell(column, cell)
    message = err.value.args[0]
    assert message == english
    assert localized(message, "fr").replace(NBSP, " ") == french


def _first_problems(path: Path, text: str) -> list[str]:
    """The first problem of each row of a portfolio holding ``text``, in French (plain
    spaces)."""
    path.write_text(text, encoding="utf-8")
    lines = []
    for raw in read_rows(str(path)):
        with pytest.raises(ProfileError) as err:
            row_profile(raw, path.name)
        lines.append(_french(err.value).replace(NBSP, " ").splitlines()[1])
    return lines


def test_the_lines_of_a_portfolio_in_french(tmp_path: Path) -> None:
    """A malformed line, a line of the wrong length and a key written twice, in French
    (the JSON parser's own detail stays English)."""
    csv = _first_problems(tmp_path / "p.csv", 'id,name\na,b,c\nc,"x"y\nb,"x\n')
    assert csv == [
        "  (ligne) : CSV mal formé : la ligne a 3 cellules là où l'en-tête a 2 colonnes",
        "  (ligne) : CSV mal formé : une virgule doit suivre le guillemet qui ferme une cellule",
        "  (ligne) : CSV mal formé : fin des données inattendue",
    ]
    jsonl = _first_problems(tmp_path / "p.jsonl", '{"id": "a", "id": "b"}\n{"id": }\n')
    assert jsonl == [
        "  id : écrit deux fois dans ce profil",
        "  (ligne) : JSON mal formé : Expecting value (colonne 8)",
    ]
