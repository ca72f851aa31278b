"""What an engine returns: which rules held, failed or were unknown, in firing order.

Both engines (durable-rules and the plain-Python interpreter) produce an
:class:`Evaluation`; :mod:`eligibility.decision.policy` turns it into a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from eligibility.rules.logic import Truth


class Firing(NamedTuple):
    """One rule firing: the rule and whether its condition held (True) or was unknown (None).

    Rules that conclude a derived fact also report a failed condition (False), because
    the rules that read the fact need its value.
    """

    rule_id: str
    result: Truth


@dataclass(frozen=True)
class Evaluation:
    """The outcome of running the rules on one profile."""

    firings: tuple[Firing, ...]
    states: dict[str, Truth]
    facts: dict[str, Truth]
