"""Three-valued logic and the exclusive paths the compiler turns into engine patterns."""

from __future__ import annotations

import itertools

import pytest

from eligibility.rules.logic import And, Atom, Const, Formula, Not, Or, Truth, evaluate, paths

A, B, C = (Atom("fact", name) for name in "abc")
VALUES: tuple[Truth, ...] = (True, False, None)


def _value(assignment: dict[Atom, Truth]):  # type: ignore[no-untyped-def]
    return lambda atom: assignment[atom]


class TestKleene:
    def test_and_is_false_when_one_member_is_false_even_with_an_unknown(self) -> None:
        """False wins over unknown in a conjunction."""
        assert evaluate(And((A, B)), _value({A: False, B: None})) is False
        assert evaluate(And((A, B)), _value({A: True, B: None})) is None

    def test_or_is_true_when_one_member_is_true_even_with_an_unknown(self) -> None:
        """True wins over unknown in a disjunction."""
        assert evaluate(Or((A, B)), _value({A: None, B: True})) is True
        assert evaluate(Or((A, B)), _value({A: None, B: False})) is None

    def test_not_keeps_unknown(self) -> None:
        """The negation of unknown is unknown."""
        assert evaluate(Not(A), _value({A: None})) is None
        assert evaluate(Not(A), _value({A: True})) is False


FORMULAS: list[Formula] = [
    A,
    Not(A),
    And((A, B)),
    Or((A, B, C)),
    And((A, Or((B, Not(C))))),
    Or((And((A, B)), And((Not(A), C)))),
    Const(True),
]


@pytest.mark.parametrize("formula", FORMULAS, ids=[repr(f)[:40] for f in FORMULAS])
@pytest.mark.parametrize("target", VALUES)
def test_exactly_one_path_covers_each_assignment_giving_the_target(
    formula: Formula, target: Truth
) -> None:
    """Paths are exclusive and complete: a rule fires once, never once per branch."""
    found = paths(formula, target)
    for values in itertools.product(VALUES, repeat=3):
        assignment = dict(zip((A, B, C), values, strict=True))
        covering = [p for p in found if all(assignment[a] == v for a, v in p.items())]
        expected = 1 if evaluate(formula, _value(assignment)) == target else 0
        assert len(covering) == expected


def test_a_guard_that_is_surely_false_removes_every_path() -> None:
    """Guarded paths exist only where the guard may hold."""
    found = paths(A, True, guard=B)
    assert found and all(p.get(B) is not False for p in found)
