"""Portfolio reports: one module per output format, over the batch's row results.

A format is two functions. ``fragment(result)`` renders one row (a decision or an error)
and runs wherever the row was evaluated, worker processes included, so rendering is
parallel too. ``document(outcomes, info)`` assembles the fragments, in input order, into
the output; it yields text as it goes, and the Markdown and HTML reports, whose summary
matrix comes before the details, keep both sections in temporary files rather than in
memory (see :mod:`.spool`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from eligibility.batch import Fragment, RowOutcome, RowResult
from eligibility.render.portfolio import csv, html, json, jsonl, markdown
from eligibility.render.portfolio.info import ReportInfo


@dataclass(frozen=True)
class PortfolioFormat:
    """An output format of ``eligibility batch``."""

    name: str
    fragment: Fragment
    document: Callable[[Iterable[RowOutcome], ReportInfo], Iterator[str]]


PORTFOLIO_FORMATS: dict[str, PortfolioFormat] = {
    m.NAME: PortfolioFormat(m.NAME, m.fragment, m.document)
    for m in (jsonl, json, csv, markdown, html)
}


def render_portfolio(results: Iterable[RowResult], fmt: str, info: ReportInfo) -> Iterator[str]:
    """Render row results (already evaluated) in a named format, yielding text lazily."""
    f = PORTFOLIO_FORMATS[fmt]
    return f.document((RowOutcome.of(r, f.fragment) for r in results), info)


__all__ = ["PORTFOLIO_FORMATS", "PortfolioFormat", "ReportInfo", "render_portfolio"]
