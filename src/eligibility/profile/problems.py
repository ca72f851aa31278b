"""The problems of a profile that does not validate, in the words of the people who write
profiles: pydantic's errors turned into :class:`~eligibility.errors.FieldProblem`.

Each message is a :class:`~eligibility.sentence.Sentence` (its French is in
:data:`eligibility.i18n.messages.FRENCH`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from typing import Any

from eligibility.errors import WHOLE_PROFILE, FieldProblem
from eligibility.sentence import Sentence

#: Where the profile's fields are documented, for the messages that point to them.
PROFILE_DOC = "docs/profile.md"


def closest_field(name: str, fields: Collection[str]) -> str | None:
    """The field of ``fields`` a misspelt name most likely meant, if one is close enough."""
    found = difflib.get_close_matches(name.lower(), list(fields), n=1, cutoff=0.7)
    return found[0] if found else None


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or WHOLE_PROFILE


# pydantic's messages ("Input should be a valid array") in the words of the people who
# write profiles; the others (rare: a float for a list) keep pydantic's.
_PLAIN = {
    "string_pattern_mismatch": "an id holds only letters, digits, '.', '_' and '-', no spaces",
    "string_too_short": "must not be empty",
    "string_too_long": "longer than {max_length} characters",
    "string_type": "not text",
    **dict.fromkeys(("bool_type", "bool_parsing"), "not yes or no; write true or false"),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "not a whole number"),
    "less_than_equal": "above {le}, the largest value allowed",
    "greater_than_equal": "below {ge}, the smallest value allowed",
    "list_type": "not a list; write the values between brackets, [a, b], or [] for none",
}


def field_problem(err: Mapping[str, Any], fields: Collection[str]) -> FieldProblem:
    """The problem of one pydantic error, in the words of the people who write profiles
    (``fields``: the profile's field names, to suggest one for a misspelt name)."""
    loc = _loc(tuple(err["loc"]))
    msg = str(err["msg"])
    kind = err["type"]
    if kind == "extra_forbidden":
        guess = closest_field(loc, fields)
        every = "(every field: `eligibility fields`, {doc})"
        if guess:
            msg = Sentence(
                "unknown field; did you mean {guess}? " + every, guess=guess, doc=PROFILE_DOC
            )
        else:
            msg = Sentence("unknown field " + every, doc=PROFILE_DOC)
    elif kind == "enum":
        allowed = _one_of(err.get("ctx", {}).get("expected", ""))
        msg = Sentence("not an allowed value; allowed: {allowed}", allowed=allowed)
    elif kind == "missing":
        msg = Sentence("field required")
    elif kind in _PLAIN:
        msg = Sentence(_PLAIN[kind], **err.get("ctx", {}))
    return FieldProblem(loc, msg, err.get("input"), has_value=kind != "missing")


def _one_of(expected: str) -> str:
    """pydantic's list of the allowed values (``'a', 'b' or 'c'``) as a sentence, so that
    French can say ``ou``."""
    values = re.findall(r"'[^']*'", expected)
    if len(values) < 2:
        return expected
    return Sentence("{values} or {last}", values=", ".join(values[:-1]), last=values[-1])
