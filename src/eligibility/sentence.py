"""A sentence the core writes (an error message), kept translatable.

The core (errors, profile) sits below the texts in every language (``eligibility.i18n``),
so it cannot translate; it writes a :class:`Sentence` instead of a plain string: an English
template with named placeholders, filled. The sentence *is* its English text (a ``str``),
so JSON outputs, comparisons and joins are unchanged;
:func:`eligibility.i18n.messages.localized` gives it in another language from the template
and the parameters it keeps. :class:`~eligibility.i18n.messages.Message` is the same thing
for the layers above, which can translate it themselves. This module imports nothing from
the package.
"""

from __future__ import annotations

from typing import Any, Self


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
