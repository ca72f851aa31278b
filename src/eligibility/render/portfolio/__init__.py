"""Portfolio reports: one module per output format, over the batch's row results.

A format is two functions. ``fragment(result)`` renders one row (a decision or an error)
and runs wherever the row was evaluated, the processes of a ``--workers`` pool included,
so rendering is parallel too. ``document(outcomes, info)`` assembles the fragments, in
input order, into the output; it yields UTF-8 bytes as it goes. The reports for people
(Markdown, HTML) are built from each row's :class:`~.report.ReportRow`
(a few hundred bytes of JSON), which their document reads to count and lay out the page.
Fragments are bytes already: made in the pool, they reach the output with no decoding and
encoding on the way.

Languages: the reports for people (Markdown, HTML) are written in the ``--lang`` language,
their texts (titles, reasons, advice) and their own words; the data formats (JSONL, JSON,
CSV) are the contract and stay in the rules' own language, English, whatever ``--lang``
says. A translation reaches the worker processes inside the fragment
(:class:`LocalizedFragment`, which pickles with it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO, Any

from eligibility.batch.outcome import Fragment, RowDecision, RowOutcome, RowResult
from eligibility.i18n.translation import Translation, localize
from eligibility.output.guard import writing
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
    """An output format of ``eligibility batch``; ``for_people`` formats follow ``--lang``."""

    name: str
    fragment: Callable[..., Any]
    document: Callable[..., Iterator[bytes]]
    for_people: bool = False

    def fragment_in(self, translation: Translation) -> Fragment:
        """The fragment function for a language (the plain one for the data formats)."""
        if not self.for_people or translation.lang == "en":
            return self.fragment
        return LocalizedFragment(self.fragment, translation)

    def document_in(
        self, outcomes: Iterable[RowOutcome], info: ReportInfo, translation: Translation
    ) -> Iterator[bytes]:
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
    if translation is None:
        return f.document((RowOutcome.of(r, f.fragment) for r in results), info)
    fragment = f.fragment_in(translation)
    return f.document_in((RowOutcome.of(r, fragment) for r in results), info, translation)


def write_document(chunks: Iterable[bytes], out: IO[bytes], name: str) -> None:
    """Write a document's chunks to ``out`` as they come, then flush it.

    Raises:
        InputFileError: a write failed (no room left, an input/output error), naming the
            output by ``name``; a reader gone (``| head``) stays a BrokenPipeError, which
            click ends quietly.
    """
    for chunk in chunks:
        with writing(name):
            out.write(chunk)
    with writing(name):
        out.flush()


__all__ = [
    "PORTFOLIO_FORMATS",
    "LocalizedFragment",
    "PortfolioFormat",
    "ReportInfo",
    "render_portfolio",
    "write_document",
]
