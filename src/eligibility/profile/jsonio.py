"""JSON reading for profiles and portfolios: strict JSON, guessing nothing.

The standard library's parser, held to the JSON standard (RFC 8259) where it is lenient:
``NaN`` and ``Infinity`` are refused, as are whole numbers of more than 100 digits. A key
written twice in an object is not silently resolved (the last one would win): the object
comes back as a :class:`DuplicateKeys` mapping, so that the caller names the key in its
message (a portfolio row with one is an error of that row, the next rows are still read).
Nesting past what the parser can follow (about 1 000 levels) is a :class:`JsonError`, not
a crash.
"""

from __future__ import annotations

import json
from typing import Any

from eligibility.profile.problems import at_line

#: The most digits of a whole number (Python refuses to convert more than 4 300).
_INT_DIGITS = 100


class JsonError(ValueError):
    """The text is not strict JSON (``msg`` says why; ``pos`` is where, when known)."""

    def __init__(self, msg: str, pos: int | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.pos = pos


class DuplicateKeys(dict[str, Any]):
    """An object in which some keys were written twice (it holds their last values)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    twice = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    flagged = DuplicateKeys(obj)
    flagged.duplicates = tuple(dict.fromkeys(twice))
    return flagged


def _constant(name: str) -> Any:
    raise JsonError(f"{name} is not a JSON number")


def _integer(text: str) -> int:
    if len(text) > _INT_DIGITS:
        raise JsonError(f"a whole number of {len(text)} digits (at most {_INT_DIGITS})")
    return int(text)


DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer)


def raw_decode(text: str, pos: int = 0) -> tuple[Any, int]:
    """Decode one JSON value starting at ``pos``; return it and where it ends.

    Raises:
        json.JSONDecodeError: not valid JSON (with its position).
        JsonError: valid syntax, refused (NaN, a number too long, nesting too deep).
    """
    try:
        return DECODER.raw_decode(text, pos)
    except RecursionError:
        raise JsonError("nested too deeply", pos) from None


def load_json(text: str) -> Any:
    """Decode a whole JSON text (whitespace around the value allowed, nothing else).

    Raises:
        json.JSONDecodeError: not valid JSON (with its position).
        JsonError: valid syntax, refused (NaN, a number too long, nesting too deep).
    """
    try:
        return DECODER.decode(text)
    except RecursionError:
        raise JsonError("nested too deeply") from None


def json_problem(exc: ValueError, text: str | None = None) -> str:
    """What is wrong, and where when it is known: ``line 2, column 9: Expecting value``."""
    if isinstance(exc, json.JSONDecodeError):
        return at_line(exc.lineno, exc.colno, exc.msg)
    pos = getattr(exc, "pos", None)
    if text is not None and pos is not None:
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return at_line(line, column, str(exc))
    return str(exc)


def duplicate_keys(data: Any) -> tuple[str, ...]:
    """The keys written twice in ``data`` when it is an object decoded here, else ()."""
    return data.duplicates if isinstance(data, DuplicateKeys) else ()
