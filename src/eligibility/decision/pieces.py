"""Payloads in pieces: rendered text kept apart where a part of it recurs from row to row.

A decision's JSON is mostly the JSON of its journeys, and the decider memoises journeys,
so the same journey text recurs product after product. Rendering keeps that text as one
:class:`Recurring` piece per journey, serialised once; a fragment can hand a row's
payload over as :class:`Parts`. Where the payload is used it is joined into bytes
(:func:`joined`); a batch's child process sends a recurring piece once and then by number
(:mod:`eligibility.batch.workers`).
"""

from __future__ import annotations

from typing import Any


class Recurring(bytes):
    """A piece of text that recurs across rows (a memoised journey's JSON)."""

    __slots__ = ()


class Parts(tuple[bytes, ...]):
    """A payload in pieces, to be joined where it is used (a fragment may return one)."""

    __slots__ = ()


def joined(payload: Any) -> Any:
    """The payload, with :class:`Parts` joined into bytes."""
    return b"".join(payload) if isinstance(payload, Parts) else payload
