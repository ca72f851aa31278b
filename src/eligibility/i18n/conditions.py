"""Rule conditions in words, in every language (used by ``rules test`` and ``explain``)."""

from __future__ import annotations

from eligibility.i18n.messages import Message
from eligibility.rules.model import FactTest, FieldTest


def describe(test: FieldTest | FactTest) -> Message:
    """A condition in words: ``storage_role is archive``, ``fact ins.non-repository is true``.

    A :class:`~eligibility.i18n.messages.Message`: English as a string (the JSON
    reports), in French with ``.text("fr")``.
    """
    if isinstance(test, FactTest):
        if test.is_:
            return Message("fact {fact} is true", fact=test.fact)
        return Message("fact {fact} is false", fact=test.fact)
    arg = test.operand
    if test.operator == "is_empty":
        if arg:
            return Message("{field} is empty", field=test.field)
        return Message("{field} is not empty", field=test.field)
    shown: str
    if isinstance(arg, bool):
        shown = Message("true") if arg else Message("false")
    elif isinstance(arg, list):
        shown = "[" + ", ".join(str(a) for a in arg) + "]"
    else:
        shown = str(arg)
    return _operator_words(test.field, test.operator, shown)


def _operator_words(field: str, operator: str, value: str) -> Message:
    if operator == "in":
        return Message("{field} in {value}", field=field, value=value)
    if operator == "contains":
        return Message("{field} contains {value}", field=field, value=value)
    if operator == "contains_any":
        return Message("{field} contains any {value}", field=field, value=value)
    if operator == "gte":
        return Message("{field} gte {value}", field=field, value=value)
    if operator == "lte":
        return Message("{field} lte {value}", field=field, value=value)
    return Message("{field} is {value}", field=field, value=value)
