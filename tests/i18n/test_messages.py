"""Every sentence and word the code writes has its French translation, placeholders kept."""

from __future__ import annotations

import ast
import copy
import pickle
import string
from pathlib import Path

import orjson
import pytest

from eligibility.i18n import messages, words
from eligibility.i18n.messages import Message, localized, say
from tests.conftest import ROOT

SOURCES = sorted((ROOT / "src" / "eligibility").rglob("*.py"))


def literal_calls(names: set[str]) -> dict[str, list[str]]:
    """The string literal first argument of every call to one of ``names`` in src, by where."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            # Plain names only: a method called ``say`` (the questionnaire's) is not ours.
            name = node.func.id if isinstance(node.func, ast.Name) else None
            first = node.args[0]
            if name in names and isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{Path(path).relative_to(ROOT)}:{node.lineno}"
                found.setdefault(first.value, []).append(where)
    return found


def placeholders(template: str) -> set[str]:
    """The named placeholders of a format template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


MESSAGES = literal_calls({"Message", "say", "Sentence"})
WORDS = literal_calls({"tr"})


def test_the_scan_finds_the_messages() -> None:
    """The source scan sees the sentences the code writes (it would pass vacuously if not)."""
    assert "No records." in MESSAGES
    assert "Decision for" in WORDS


@pytest.mark.parametrize("english", sorted(MESSAGES))
def test_every_message_has_a_french_translation(english: str) -> None:
    """Each sentence written with Message() or say() has a French template."""
    assert english in messages.FRENCH, f"no French for {english!r} ({MESSAGES[english]})"


@pytest.mark.parametrize("english", sorted(WORDS))
def test_every_word_has_a_french_translation(english: str) -> None:
    """Each literal word a renderer passes to tr() has a French wording."""
    assert english in words.FRENCH, f"no French for {english!r} ({WORDS[english]})"


def test_no_french_message_without_its_english_sentence() -> None:
    """The French table holds no sentence the code no longer writes."""
    assert sorted(set(messages.FRENCH) - set(MESSAGES)) == []


@pytest.mark.parametrize("module", [messages, words])
def test_no_english_key_is_written_twice(module: object) -> None:
    """A key repeated in a table literal would silently drop its first translation."""
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert sorted({k for k in keys if keys.count(k) > 1}) == []


@pytest.mark.parametrize("english", sorted(messages.FRENCH))
def test_french_keeps_the_placeholders(english: str) -> None:
    """A French template fills the same named placeholders as its English one."""
    assert placeholders(messages.FRENCH[english]) == placeholders(english)


class TestMessage:
    def test_a_message_is_its_english_text(self) -> None:
        """A message compares, joins and serialises as its English sentence."""
        m = Message("Wrote {path}", path="x.json")
        assert m == "Wrote x.json"
        assert orjson.dumps({"m": m}) == b'{"m":"Wrote x.json"}'

    def test_a_message_in_french_translates_its_message_parameters(self) -> None:
        """Parameters that are messages are translated with the sentence; others are kept."""
        record = Message("record #{seq} (decision {decision})", seq=2, decision="abc")
        m = Message("{record} was changed: its content is not valid JSON", record=record)
        assert m.text("fr") == (
            "l'enregistrement n° 2 (décision abc) a été modifié\u00a0: son contenu n'est pas "
            "du JSON valide"
        )
        assert localized(m, "fr") == m.text("fr")
        assert localized("plain", "fr") == "plain"

    def test_a_message_survives_copies_and_pickling(self) -> None:
        """Copies (asdict deep-copies) and pickles keep the template and parameters."""
        m = Message("Wrote {path}", path="x.json")
        for copied in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
            assert isinstance(copied, Message)
            assert copied.text("fr") == "Écrit\u00a0: x.json"

    def test_say_gives_english_by_default(self) -> None:
        """say() with no language is the English sentence."""
        assert say("Wrote {path}", path="p") == "Wrote p"
        assert say("Wrote {path}", "fr", path="p") == "Écrit\u00a0: p"
