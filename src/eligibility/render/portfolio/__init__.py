"""Portfolio reports: one module per output format, over the batch's row results.

A format is two functions. ``fragment(result)`` renders one row (a decision or an error)
and runs wherever the row was evaluated, worker processes included, so rendering is
parallel too. ``document(outcomes, info)`` assembles the fragments, in input order, into
the output; it yields UTF-8 bytes as it goes. The data formats' fragments are their
output's bytes: a row a worker process evaluated may come as
:class:`~eligibility.batch.placing.Remote` pieces, which the worker writes itself into the
output (:meth:`PortfolioFormat.can_place` tells when). The reports for people (Markdown,
HTML) are built from each row's :class:`~.report.ReportRow` (a few hundred bytes of JSON),
which their document reads to count and lay out the page.
Fragments are bytes already: made in the workers, they reach the output with no decoding
and encoding on the way (for decisions holding accented text, that cost the main process
four times the rest of its work on each row).

Languages: the reports for people (Markdown, HTML) are written in the ``--lang`` language,
their texts (titles, reasons, advice) and their own words; the data formats (JSONL, JSON,
CSV) are the contract and stay in the rules' own language, English, whatever ``--lang``
says. A translation reaches the worker processes inside the fragment
(:class:`LocalizedFragment`, which pickles with it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO, Any, cast

from eligibility.batch.outcome import Fragment, RowDecision, RowOutcome, RowResult
from eligibility.batch.placing import (
    POSITIONAL,
    Output,
    PositionalWriter,
    StreamWriter,
    placeable,
    writer_for,
)
from eligibility.i18n.translation import Translation, localize
from eligibility.render.portfolio import csv, html, json, jsonl, markdown
from eligibility.render.portfolio.info import ReportInfo


@dataclass(frozen=True)
class LocalizedFragment:
    """A report-for-people fragment in a language: the decision's texts translated, then
    rendered with the report's own words in that language. Pickles, for the workers."""

    inner: Callable[[RowResult, str], Any]
    translation: Translation

    def __call__(self, result: RowResult) -> Any:
        if isinstance(result, RowDecision):
            result = replace(result, decision=localize(result.decision, self.translation))
        return self.inner(result, self.translation.lang)


@dataclass(frozen=True)
class PortfolioFormat:
    """An output format of ``eligibility batch``; ``for_people`` formats follow ``--lang``
    (and read their rows in this process, see :meth:`can_place`)."""

    name: str
    fragment: Callable[..., Any]
    document: Callable[..., Iterator[Output]]
    for_people: bool = False

    def can_place(self, out: IO[bytes]) -> bool:
        """Whether worker processes can write their rows' bytes themselves, the document
        being written to ``out``: into ``out`` itself when it takes positional writes. A
        report for people reads its rows (:mod:`.report`) to write the page: never."""
        return POSITIONAL and not self.for_people and placeable(out)

    def writer(self, out: IO[bytes], name: str, *, place: bool) -> PositionalWriter | StreamWriter:
        """What writes the document to ``out`` (``name`` for errors): by offset when the
        workers ``place`` their rows; a report for people streams its document."""
        return writer_for(out, name, place and not self.for_people)

    def fragment_in(self, translation: Translation) -> Fragment:
        """The fragment function for a language (the plain one for the data formats)."""
        if not self.for_people or translation.lang == "en":
            return self.fragment
        return LocalizedFragment(self.fragment, translation)

    def document_in(
        self, outcomes: Iterable[RowOutcome], info: ReportInfo, translation: Translation
    ) -> Iterator[Output]:
        """The document, its journey titles and own words in the translation's language."""
        if not self.for_people:
            return self.document(outcomes, info)
        return self.document(outcomes, info.localized(translation), translation.lang)


PORTFOLIO_FORMATS: dict[str, PortfolioFormat] = {
    m.NAME: PortfolioFormat(m.NAME, m.fragment, m.document, m in (markdown, html))
    for m in (jsonl, json, csv, markdown, html)
}


def render_portfolio(
    results: Iterable[RowResult],
    fmt: str,
    info: ReportInfo,
    translation: Translation | None = None,
) -> Iterator[bytes]:
    """Render row results (already evaluated) in a named format, yielding UTF-8 lazily."""
    f = PORTFOLIO_FORMATS[fmt]
    # Rows evaluated here: their payloads are bytes, so the document yields only bytes.
    if translation is None:
        chunks = f.document((RowOutcome.of(r, f.fragment) for r in results), info)
    else:
        fragment = f.fragment_in(translation)
        chunks = f.document_in((RowOutcome.of(r, fragment) for r in results), info, translation)
    return cast(Iterator[bytes], chunks)


__all__ = [
    "PORTFOLIO_FORMATS",
    "LocalizedFragment",
    "PortfolioFormat",
    "ReportInfo",
    "render_portfolio",
]
