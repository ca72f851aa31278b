"""How text is shown to people: values from the input cut short and never run as terminal
commands, and the sentences the core writes kept translatable.

An input file can hold anything: a one-megabyte id, a name carrying the escape sequence
that retitles a terminal (``ESC ] 0 ; title BEL``) or clears it. Messages quote such values
through :func:`shown` (a bounded ``repr``) and pass through :func:`printable` before they
reach a terminal.

The core (errors, profile) sits below the texts in every language (``eligibility.i18n``),
so it cannot translate; it writes a :class:`Sentence` instead of a plain string: an English
template with named placeholders, filled. The sentence *is* its English text (a ``str``),
so JSON outputs, comparisons and joins are unchanged;
:func:`eligibility.i18n.messages.localized` gives it in another language from the template
and the parameters it keeps. :class:`~eligibility.i18n.messages.Message` is the same thing
for the layers above, which can translate it themselves.

This module imports nothing from the package (``errors`` uses it).
"""

from __future__ import annotations

import re
import reprlib
from typing import Any, Self

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


class Sentence(str):
    """An English template filled with its parameters; its value is the English text.

    Parameters that are themselves sentences are translated with it; others (ids, counts,
    values from the input) are put in as they are.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Self:
        """The sentence of an English ``template`` filled with ``params``."""
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        return self

    # A sentence is immutable: copies (dataclasses.asdict deep-copies) are the sentence itself.
    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.template, self.params))


def _rebuild(cls: type[Sentence], template: str, params: dict[str, Any]) -> Sentence:
    return cls(template, **params)
