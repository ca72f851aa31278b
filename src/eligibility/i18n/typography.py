"""French typography: a non-breaking space before ``; : ? !`` and inside guillemets.

Texts are written with a plain space where French wants a non-breaking one (easier to type
and to read in YAML), or with none at all after a word, as in English; :func:`french` puts
the non-breaking space (U+00A0) in when the text is shown, and turns straight or curly
quotes into guillemets. A colon inside a token (a URL, a time, ``sha256:…``) is left alone.
A non-breaking space also keeps the punctuation on the line of the word before when a
terminal wraps the text.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_BEFORE = re.compile(r" +([;:?!»])")
# A mark written right after a word in a sentence (``word:`` then a space or the end),
# never one inside a URL or an id (``https://``, ``a:b``).
_GLUED = re.compile(r"(?<=[^\s\u00a0\u202f«])([:;?!])(?=\s|$)")
_AFTER = re.compile(r"« +")
_QUOTED = re.compile(r"[\"“]([^\"“”]*)[\"”]")


def french(text: str) -> str:
    """``text`` in French typography: non-breaking spaces before ``; : ? ! »`` and after
    ``«``, guillemets in place of quotes."""
    text = _QUOTED.sub(lambda m: f"« {m.group(1)} »", text)
    text = _GLUED.sub(NBSP + r"\1", _BEFORE.sub(NBSP + r"\1", text))
    return _AFTER.sub("«" + NBSP, text)


def typeset(text: str, lang: str = "en") -> str:
    """``text`` in the typography of ``lang`` (English is left as it is)."""
    return french(text) if lang == "fr" else text


def colon(lang: str) -> str:
    """A colon as the language writes it after a word (French: a non-breaking space first)."""
    return NBSP + ":" if lang == "fr" else ":"


def semicolon(lang: str) -> str:
    """A semicolon as the language writes it after a word (French: a non-breaking space
    first)."""
    return NBSP + ";" if lang == "fr" else ";"
