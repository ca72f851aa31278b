"""How text from the input is shown to people: cut short, and never as terminal commands.

An input file can hold anything: a one-megabyte id, a name carrying the escape sequence
that retitles a terminal (``ESC ] 0 ; title BEL``) or clears it. Messages quote such values
through :func:`shown` (a bounded ``repr``) and pass through :func:`printable` before they
reach a terminal. This module imports nothing from the package (``errors`` uses it).
"""

from __future__ import annotations

import re
import reprlib

#: The most characters of one value quoted in a message (longer ones are cut in the middle).
SHOWN_CHARS = 80

_repr = reprlib.Repr()
_repr.maxstring = SHOWN_CHARS
_repr.maxother = SHOWN_CHARS
_repr.maxlong = SHOWN_CHARS
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 6
_repr.maxlevel = 3

# C0 and C1 control characters but the line break and the tab, DEL, and the invisible
# marks that reorder or hide text on screen (bidirectional overrides and isolates, as in
# "Trojan Source", CVE-2021-42574; the line and paragraph separators).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """A value as it is quoted in a message: its ``repr``, at most about 80 characters.

    A long text keeps its start and end (``'abc...xyz'``), a long list its first items; a
    deep structure is cut in the middle like a long text.
    """
    return cut(_repr.repr(value))


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` itself when short, else its start and end around ``...``."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return f"{text[:half]}...{text[-half:]}"


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape.

    Control characters (but ``\\n`` and ``\\t``) and the invisible marks that reorder text
    become ``\\x1b``, ``\\u202e``, ...: a message shows what the input holds, it does not
    run it.
    """
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
