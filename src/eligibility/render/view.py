"""How a decision is laid out for a person: in short or in full, and how wide."""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import TextWrapper

from eligibility.i18n.words import typeset
from eligibility.render.wording import Wording

#: The width of text written anywhere but a terminal (a file, a pipe, a test): fixed, so
#: the same decision always gives the same bytes.
WIDTH = 100
#: The narrowest and widest a terminal's width is taken: narrower cannot hold a step's
#: title beside its number; wider lines are hard to follow.
MIN_WIDTH, MAX_WIDTH = 40, 120


@dataclass(frozen=True)
class View:
    """Options of the views for people (text, Markdown); the data formats ignore them.

    ``details``: every step with every reason, advice and source (``--details``), rather
    than the answer first; ``width``: where text lines wrap (Markdown does not wrap);
    ``wording``: the publisher's words for fields and journeys (questions, short names);
    ``source``: the profile's file, named in the commands the text suggests;
    ``dont_know``: the fields the profile answers "don't know" (``null``), which the
    command suggested to settle what is undetermined must ask again.
    """

    details: bool = False
    width: int = WIDTH
    wording: Wording | None = None
    source: str | None = None
    dont_know: frozenset[str] = frozenset()

    def wording_in(self, lang: str) -> Wording:
        """The wording, or ids only in a language when none was given."""
        return self.wording if self.wording is not None else Wording(lang)


def fit_width(columns: int) -> int:
    """A terminal's width in columns, kept between :data:`MIN_WIDTH` and :data:`MAX_WIDTH`."""
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def wrap(text: str, width: int, lang: str, indent: str = "", rest: str | None = None) -> list[str]:
    """A paragraph in the language's typography, wrapped at ``width`` columns, never inside a
    word (so never inside an id nor at a hyphen); its first line starts with ``indent``, the
    others with ``rest`` (``indent`` when not given). No line for an empty paragraph."""
    wrapper = TextWrapper(
        width,
        initial_indent=indent,
        subsequent_indent=indent if rest is None else rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(typeset(text, lang))
