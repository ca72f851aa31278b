"""Every rule's cases, from ``rules/**/rules.test.yaml``, run through the durable engine."""

from __future__ import annotations

import pytest

from eligibility.decision.evaluator import Evaluator
from eligibility.rules.loader import load_ruleset
from eligibility.tooling.cases import LoadedCase, load_cases, run_case, uncovered
from tests.conftest import RULES

CASES = load_cases(load_ruleset(RULES))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_case(evaluator: Evaluator, case: LoadedCase) -> None:
    """The case's rules decide (or not) and its outcomes are as written."""
    result = run_case(evaluator, case)
    assert result.failures == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule_case_same_with_interpreter(interpreter: Evaluator, case: LoadedCase) -> None:
    """The plain-Python interpreter passes the same cases."""
    assert run_case(interpreter, case).failures == []


def test_every_rule_has_a_case_where_it_decides_and_one_where_it_does_not() -> None:
    """No rule goes untested either way."""
    assert uncovered(load_ruleset(RULES), CASES) == {}
