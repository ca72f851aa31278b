"""The durable-rules adapter: the only module that imports durable-rules.

durable-rules has a Rete core in C (the ``durable_rules_engine`` extension) and a Python
layer (``durable.engine``: Host, Ruleset, Closure) that wraps every action in several
objects, two clock reads and two JSON round trips of the session state. For one-shot,
synchronous evaluations that layer costs more than the matching itself, so this adapter
drives the C core through the same calls the Python layer makes, minus what we never use:

* ``create_ruleset`` once per engine, with the compiled ruleset (plain JSON);
* per profile: ``assert_fact`` of the profile under a fresh session id, then the action
  loop ``start_action_for_state`` / ``complete_and_start_action``: each step hands back the
  next rule whose patterns matched, in durable's agenda order (``pri``, then definition);
  our action records the firing and, for a rule concluding a derived fact, asserts that
  fact into the same session, where the Rete network matches it at once (forward chaining);
* ``delete_state`` straight after, always: no session outlives its evaluation (durable
  keeps at most 1024 live sessions per ruleset and about 1 MB each).

What we leave out is safe here: no timers and no background threads (durable's Host would
start two, which post ``$pulse`` events and can crash after out-of-order deletes); no
session-state updates (no rule reads the state); no swallowed exceptions, since an error
in an action is ours to raise. ``shared/engine/durable-rules-notes.md`` has the details.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

import durable_rules_engine as core
import orjson

from eligibility.errors import EngineError
from eligibility.evaluation import Evaluation, Firing
from eligibility.logic import Truth, atoms, profile_atoms
from eligibility.profile import Profile
from eligibility.rules.compiler import FACT_VALUE, compile_ruleset
from eligibility.rules.loader import RuleSet

# Result codes of durable's assert_fact (src/rules/rules.h).
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

_ruleset_names = itertools.count()

Emit = Callable[[dict[str, Any]], None]
ActionFn = Callable[[Emit], Firing]


class DurableEngine:
    """Runs a compiled :class:`RuleSet` in durable-rules, one isolated session per profile."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        definition, _ = compile_ruleset(ruleset)
        # Only atoms some rule tests go into the profile fact: durable's C core spends time
        # on every property of a fact, and atoms no rule reads would only slow it down.
        read = [*ruleset.formulas.values(), *ruleset.guards.values()]
        self._atoms = frozenset(a.key for f in read for a in atoms(f) if a.kind == "field")
        self._fact_of_rule = {r.id: r.then.fact for r in ruleset.rules if r.then.fact}
        self._all_rules = [r.id for r in ruleset.rules]
        # durable names each matched rule; map every compiled rule name to its action.
        self._actions = {name: self._make_action(rule["run"]) for name, rule in definition.items()}
        for rule in definition.values():
            del rule["run"]  # durable's C core takes the patterns only
        self._name = f"eligibility-{next(_ruleset_names)}"
        self._sids = itertools.count()
        self._handle: int | None = None
        self._empty = not definition
        if self._empty:  # durable's C core crashes on a network without rules
            self._handle = None
            return
        try:
            self._handle = core.create_ruleset(self._name, orjson.dumps(definition).decode())
        except core.error as exc:
            raise EngineError(f"durable-rules rejected the compiled ruleset: {exc}") from None

    def _make_action(self, run: str) -> ActionFn:
        """Build the action of one compiled rule: record the firing, assert its fact."""
        rule_id, _, code = run.rpartition("#")
        result: Truth = {"T": True, "F": False, "U": None}[code]
        firing = Firing(rule_id, result)
        fact_name = self._fact_of_rule.get(rule_id)
        fact = {"t": "fact", "n": fact_name, "v": FACT_VALUE[result]} if fact_name else None

        def action(emit: Emit) -> Firing:
            if fact is not None:
                emit(fact)
            return firing

        return action

    def close(self) -> None:
        """Free the C ruleset (durable never frees it on its own)."""
        if self._handle is not None:
            core.delete_ruleset(self._handle)
            self._handle = None

    def evaluate(self, profile: Profile) -> Evaluation:
        """Run the rules on one profile and return the firings, in firing order.

        Raises:
            EngineError: when durable-rules or an action fails; the session is deleted anyway.
        """
        if self._empty:
            return self._evaluation(())
        if self._handle is None:
            raise EngineError("this engine is closed")
        handle = self._handle
        sid = str(next(self._sids))
        fact: dict[str, Any] = {"t": "profile", "sid": sid}
        fact.update((k, v) for k, v in profile_atoms(profile).items() if k in self._atoms)
        firings: list[Firing] = []
        seen: set[str] = set()
        rule_name = None

        def emit(derived: dict[str, Any]) -> None:
            code, _ = core.assert_fact(handle, orjson.dumps({**derived, "sid": sid}).decode())
            if code == _OBSERVED:
                raise EngineError(f"fact {derived['n']} asserted twice")

        try:
            code, offset = core.assert_fact(handle, orjson.dumps(fact).decode())
            if code == _OK:
                started = core.start_action_for_state(handle, offset)
                messages = started[1] if started else None
                while messages is not None:
                    # messages is {"<compiled rule name>": {<alias>: <fact>, ...}}
                    rule_name = messages[2 : messages.index('"', 2)]
                    if rule_name in seen:  # paths are exclusive: this guards the invariant
                        raise EngineError(f"compiled rule {rule_name} fired twice")
                    seen.add(rule_name)
                    firings.append(self._actions[rule_name](emit))
                    messages = core.complete_and_start_action(handle, offset)
            elif code != _NOT_HANDLED:  # not handled: no rule matched, every rule fails
                raise EngineError(f"durable-rules refused the profile (code {code})")
        except EngineError as exc:
            raise EngineError(str(exc), _rule_of(rule_name)) from None
        except Exception as exc:
            raise EngineError(f"evaluation failed: {exc!r}", _rule_of(rule_name)) from None
        finally:
            _delete_session(handle, sid)
        return self._evaluation(tuple(firings))

    def _evaluation(self, firings: tuple[Firing, ...]) -> Evaluation:
        states: dict[str, Truth] = dict.fromkeys(self._all_rules, False)
        facts: dict[str, Truth] = {}
        for f in firings:
            states[f.rule_id] = f.result
            name = self._fact_of_rule.get(f.rule_id)
            if name:
                facts[name] = f.result
        return Evaluation(firings, states, facts)


def _rule_of(compiled_name: str | None) -> str | None:
    return compiled_name.rpartition("#")[0] if compiled_name else None


def _delete_session(handle: int, sid: str) -> None:
    # no session exists when no rule matched the profile
    with contextlib.suppress(core.error):
        core.delete_state(handle, sid)
