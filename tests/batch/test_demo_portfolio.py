"""The demo portfolio (fixtures/portfolios/publisher.*) shows a portfolio at a glance:
realistic products, most journeys decided, a few deliberate "don't know"."""

from __future__ import annotations

import json
from collections import Counter

from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.profile.model import parse_profile
from tests.conftest import FIXTURES

PRODUCTS = json.loads((FIXTURES / "portfolios" / "publisher.json").read_text(encoding="utf-8"))


def _decisions(interpreter: Evaluator) -> list[Decision]:
    return [interpreter.evaluate(parse_profile(p), with_trace=False) for p in PRODUCTS]


def test_most_journeys_of_the_demo_are_decided(interpreter: Evaluator) -> None:
    """Over nine in ten journey outcomes are decided; every status shows up."""
    statuses = Counter(j.status for d in _decisions(interpreter) for j in d.journeys)
    assert statuses["undetermined"] < 0.1 * sum(statuses.values())
    assert statuses["applies"] > 0 and statuses["not_applicable"] > 0


def test_a_few_products_leave_a_deliberate_dont_know(interpreter: Evaluator) -> None:
    """A draft, and a couple of products with one open answer, keep something undetermined;
    the others are fully decided."""
    open_ = [d.profile_id for d in _decisions(interpreter) if d.missing]
    assert "draft-product" in open_
    assert 2 <= len(open_) <= 4


def test_the_demo_shows_a_conflict(interpreter: Evaluator) -> None:
    """One product needs a journey its answers rule out: the report has a conflict to show."""
    conflicts = [c for d in _decisions(interpreter) for c in d.conflicts]
    assert [(c.journey, c.needs) for c in conflicts] == [("mes-referencing", "hds-certification")]


def test_every_journey_applies_to_some_product(interpreter: Evaluator) -> None:
    """The matrix has something in every column."""
    applying = {j.id for d in _decisions(interpreter) for j in d.journeys if j.status == "applies"}
    assert applying == {j.id for j in interpreter.ruleset.journeys}
