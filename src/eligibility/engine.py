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
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as core
import orjson

from eligibility.errors import EngineError
from eligibility.evaluation import Evaluation, Firing
from eligibility.logic import Truth, atoms, profile_atoms
from eligibility.profile import Profile
from eligibility.rules.cache import compiled_networks
from eligibility.rules.compiler import FACT_VALUE, networks
from eligibility.rules.loader import RuleSet

# Result codes of durable's assert_fact (src/rules/rules.h).
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

_ruleset_names = itertools.count()

Emit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class _Action:
    """What one compiled durable rule reports, and the fact it asserts, if any."""

    firing: Firing
    fact: dict[str, Any] | None


class _Network:
    """One durable ruleset: the compiled rules of one journey (and the facts they read)."""

    def __init__(self, ruleset: RuleSet, definition: dict[str, Any]) -> None:
        read = [*ruleset.formulas.values(), *ruleset.guards.values()]
        # Only atoms some rule tests go into the profile fact: durable's C core spends time
        # on every property of a fact for every rule, so unread atoms only slow it down.
        self.atoms = tuple(sorted({a.key for f in read for a in atoms(f) if a.kind == "field"}))
        fact_of = {r.id: r.then.fact for r in ruleset.rules if r.then.fact}
        self.actions = {name: _action(rule["run"], fact_of) for name, rule in definition.items()}
        for rule in definition.values():
            del rule["run"]  # durable's C core takes the patterns only
        self.handle: int | None = None
        if not definition:  # durable's C core crashes on a network without rules
            return
        try:
            self.handle = core.create_ruleset(
                f"eligibility-{next(_ruleset_names)}", orjson.dumps(definition).decode()
            )
        except core.error as exc:
            raise EngineError(f"durable-rules rejected the compiled ruleset: {exc}") from None

    def run(self, atom_values: dict[str, bool], sid: str, firings: dict[str, Truth]) -> None:
        """Evaluate one profile in a fresh session; add each firing to ``firings``."""
        handle = self.handle
        if handle is None:
            return
        fact: dict[str, Any] = {"t": "profile", "sid": sid}
        for key in self.atoms:
            if key in atom_values:
                fact[key] = atom_values[key]

        def emit(derived: dict[str, Any]) -> None:
            code, _ = core.assert_fact(handle, orjson.dumps({**derived, "sid": sid}).decode())
            if code == _OBSERVED:
                raise EngineError(f"fact {derived['n']} asserted twice")

        rule_name = None
        try:
            code, offset = core.assert_fact(handle, orjson.dumps(fact).decode())
            if code == _OK:
                started = core.start_action_for_state(handle, offset)
                messages = started[1] if started else None
                seen: set[str] = set()
                while messages is not None:
                    # messages is {"<compiled rule name>": {<alias>: <fact>, ...}}
                    rule_name = messages[2 : messages.index('"', 2)]
                    if rule_name in seen:  # paths are exclusive: this guards the invariant
                        raise EngineError(f"compiled rule {rule_name} fired twice")
                    seen.add(rule_name)
                    action = self.actions[rule_name]
                    if action.fact is not None:
                        emit(action.fact)
                    _record(firings, action.firing)
                    messages = core.complete_and_start_action(handle, offset)
            elif code != _NOT_HANDLED:  # not handled: no rule matched, every rule fails
                raise EngineError(f"durable-rules refused the profile (code {code})")
        except EngineError as exc:
            raise EngineError(str(exc), _rule_of(rule_name)) from None
        except Exception as exc:
            raise EngineError(f"evaluation failed: {exc!r}", _rule_of(rule_name)) from None
        finally:
            _delete_session(handle, sid)

    def close(self) -> None:
        """Free the C ruleset."""
        if self.handle is not None:
            core.delete_ruleset(self.handle)
            self.handle = None


def _action(run: str, fact_of: dict[str, str]) -> _Action:
    rule_id, _, code = run.rpartition("#")
    result: Truth = {"T": True, "F": False, "U": None}[code]
    fact_name = fact_of.get(rule_id)
    fact = {"t": "fact", "n": fact_name, "v": FACT_VALUE[result]} if fact_name else None
    return _Action(Firing(rule_id, result), fact)


def _record(firings: dict[str, Truth], firing: Firing) -> None:
    previous = firings.get(firing.rule_id, firing.result)
    if previous != firing.result:  # a fact rule shared by two networks must agree
        raise EngineError(f"networks disagree ({previous} and {firing.result})", firing.rule_id)
    firings[firing.rule_id] = firing.result


class DurableEngine:
    """Runs a compiled :class:`RuleSet` in durable-rules, one isolated session per profile."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        subs = networks(ruleset)
        definitions = compiled_networks(ruleset)
        self._networks = [_Network(sub, d) for sub, d in zip(subs, definitions, strict=True)]
        self._rank = {r.id: (ruleset.stages[r.id], i) for i, r in enumerate(ruleset.rules)}
        self._fact_of_rule = {r.id: r.then.fact for r in ruleset.rules if r.then.fact}
        self._all_rules = [r.id for r in ruleset.rules]
        self._sids = itertools.count()
        self._closed = False

    def close(self) -> None:
        """Free the C rulesets (durable never frees them on its own)."""
        for network in self._networks:
            network.close()
        self._closed = True

    def evaluate(self, profile: Profile) -> Evaluation:
        """Run the rules on one profile and return the firings, in firing order.

        Each journey's network runs in its own session; the firings are merged in the
        order one network would fire them in: by stage, then in file order.

        Raises:
            EngineError: when durable-rules or an action fails; sessions are deleted anyway.
        """
        if self._closed:
            raise EngineError("this engine is closed")
        sid = str(next(self._sids))
        atom_values = profile_atoms(profile)
        found: dict[str, Truth] = {}
        for network in self._networks:
            network.run(atom_values, sid, found)
        rank = self._rank
        firings = tuple(Firing(rid, found[rid]) for rid in sorted(found, key=rank.__getitem__))
        return self._evaluation(firings)

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
    # a session always exists after an assert; this only guards against durable's error
    with contextlib.suppress(core.error):
        core.delete_state(handle, sid)
