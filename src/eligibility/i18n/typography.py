"""French typography: a non-breaking space before ``; : ? !`` and inside guillemets.

Texts are written with a plain space where French wants a non-breaking one (easier to type
and to read in YAML); :func:`french` puts the non-breaking space (U+00A0) in when the
text is shown. It only changes spaces already there: a colon without a space before it
(a URL, a time) is left alone. A non-breaking space also keeps the punctuation on the
line of the word before when a terminal wraps the text.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_BEFORE = re.compile(r" +([;:?!»])")
_AFTER = re.compile(r"« +")


def french(text: str) -> str:
    """``text`` with non-breaking spaces before ``; : ? ! »`` and after ``«``."""
    return _AFTER.sub("«" + NBSP, _BEFORE.sub(NBSP + r"\1", text))


def colon(lang: str) -> str:
    """A colon as the language writes it after a word (French: a non-breaking space first)."""
    return NBSP + ":" if lang == "fr" else ":"
