"""The problems of a profile that does not validate, in the words of the people who write
profiles: pydantic's errors turned into :class:`~eligibility.errors.FieldProblem`.

Each message is a :class:`~eligibility.display.Sentence` (its French is in
:data:`eligibility.i18n.messages.FRENCH`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from typing import Any

from eligibility.display import Sentence
from eligibility.errors import WHOLE_PROFILE, FieldProblem

#: Where the profile's fields are documented, for the messages that point to them.
PROFILE_DOC = "docs/profile.md"


def closest_field(name: str, fields: Collection[str]) -> str | None:
    """The field of ``fields`` a misspelt name most likely meant, if one is close enough."""
    found = difflib.get_close_matches(name.lower(), list(fields), n=1, cutoff=0.7)
    return found[0] if found else None


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or WHOLE_PROFILE


def field_problem(err: Mapping[str, Any], fields: Collection[str]) -> FieldProblem:
    """The problem of one pydantic error, in the words of the people who write profiles
    (``fields``: the profile's field names, to suggest one for a misspelt name); the rare
    others (a float for a list) keep pydantic's message."""
    loc = _loc(tuple(err["loc"]))
    kind = err["type"]
    msg = _plain(kind, err.get("ctx", {}), loc, fields) or str(err["msg"])
    return FieldProblem(loc, msg, err.get("input"), has_value=kind != "missing")


def _plain(kind: str, ctx: Mapping[str, Any], loc: str, fields: Collection[str]) -> str | None:
    """pydantic's error ``kind`` ("Input should be a valid array") as a sentence."""
    match kind:
        case "extra_forbidden":
            guess = closest_field(loc, fields)
            if guess is None:
                return Sentence(
                    "unknown field (every field: `eligibility fields`, {doc})", doc=PROFILE_DOC
                )
            return Sentence(
                "unknown field; did you mean {guess}? (every field: `eligibility fields`, {doc})",
                guess=guess,
                doc=PROFILE_DOC,
            )
        case "enum":
            allowed = _one_of(ctx.get("expected", ""))
            return Sentence("not an allowed value; allowed: {allowed}", allowed=allowed)
        case "missing":
            return Sentence("field required")
        case "string_pattern_mismatch":
            return Sentence("an id holds only letters, digits, '.', '_' and '-', no spaces")
        case "string_too_short":
            return Sentence("must not be empty")
        case "string_too_long":
            return Sentence("longer than {max_length} characters", max_length=ctx["max_length"])
        case "string_type":
            return Sentence("not text")
        case "bool_type" | "bool_parsing":
            return Sentence("not yes or no; write true or false")
        case "int_type" | "int_parsing" | "int_from_float":
            return Sentence("not a whole number")
        case "less_than_equal":
            return Sentence("above {le}, the largest value allowed", le=ctx["le"])
        case "greater_than_equal":
            return Sentence("below {ge}, the smallest value allowed", ge=ctx["ge"])
        case "list_type":
            return Sentence("not a list; write the values between brackets, [a, b], or [] for none")
    return None


def _one_of(expected: str) -> str:
    """pydantic's list of the allowed values (``'a', 'b' or 'c'``) as a sentence, so that
    French can say ``ou``."""
    values = re.findall(r"'[^']*'", expected)
    if len(values) < 2:
        return expected
    return Sentence("{values} or {last}", values=", ".join(values[:-1]), last=values[-1])


def at_line(line: int, column: int, problem: str) -> str:
    """``line 2, column 9: problem``, where a YAML or JSON parser stopped, as a sentence
    (the parser's own words stay English)."""
    return Sentence(
        "line {line}, column {column}: {problem}", line=line, column=column, problem=problem
    )
