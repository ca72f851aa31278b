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

A network's firings are a function of the one fact it receives, the values of the atoms
its rules read; so each network memoises them by those values (a bounded memo, emptied
when full). A portfolio repeats the same few combinations per journey many times over
(the fourteen networks of 10 000 random products see 12 600 distinct facts among 140 000),
and a memoised network answers without the C round trips. The memo is exact: it changes
when the engine runs, never what it answers.

What we leave out is safe here: no timers and no background threads (durable's Host would
start two, which post ``$pulse`` events and can crash after out-of-order deletes); no
session-state updates (no rule reads the state); no swallowed exceptions, since an error
in an action is ours to raise. ``shared/engine/durable-rules-notes.md`` has the details.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from eligibility.engine.evaluation import Evaluation, Firing
from eligibility.errors import EngineError
from eligibility.profile.model import Profile
from eligibility.rules.compiler import FACT_VALUE, compile_networks, networks
from eligibility.rules.loader import RuleSet
from eligibility.rules.logic import Truth, atoms, profile_atoms

#: The one compiler flag durable-rules 2.0.28 needs on Python 3.13 and later.
BUILD_FLAG = "-DPyEval_CallObject=PyObject_CallObject"


def core_import_error(error: ImportError) -> EngineError:
    """Say how to mend a durable-rules whose C core does not load.

    durable-rules 2.0.28 calls ``PyEval_CallObject``, which Python 3.13 removed: built
    without a define that maps it to ``PyObject_CallObject``, it installs but does not import.
    """
    if "PyEval_CallObject" in str(error):
        return EngineError(
            "durable-rules was compiled without the flag Python 3.13 and later need; "
            f'reinstall it with: CPPFLAGS="{BUILD_FLAG}" pip install --no-cache-dir '
            "--force-reinstall --no-deps durable-rules==2.0.28 (make does it for you)"
        )
    return EngineError(f"durable-rules' C core cannot be loaded: {error}")


try:
    import durable_rules_engine as core
except ImportError as _error:
    raise core_import_error(_error) from _error

# Result codes of durable's assert_fact (src/rules/rules.h).
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2

_ruleset_names = itertools.count()

#: Facts memoised per network at most (a few hundred bytes each); past it the memo restarts.
MEMO_LIMIT = 8192

Emit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class _Action:
    """What one compiled durable rule reports, and the fact it asserts, if any."""

    firing: Firing
    fact: dict[str, Any] | None


@dataclass(frozen=True)
class _Fired:
    """A network's firings for one fact: every result, and those other networks also give."""

    results: dict[str, Truth]
    shared: tuple[Firing, ...]

    @classmethod
    def of(cls, fired: tuple[Firing, ...], shared: frozenset[str]) -> _Fired:
        return cls(dict(fired), tuple(f for f in fired if f.rule_id in shared))


class _Network:
    """One durable ruleset: the compiled rules of one journey (and the facts they read)."""

    def __init__(self, ruleset: RuleSet, definition: dict[str, Any], memo_limit: int) -> None:
        self.memo_limit = memo_limit
        self.memo: dict[tuple[bool | None, ...], _Fired] = {}
        #: Rules other networks run too (fact rules several journeys read): set by the engine.
        self.shared: frozenset[str] = frozenset()
        self.rule_ids = frozenset(r.id for r in ruleset.rules)
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
        if self.handle is None:
            return
        key = tuple(map(atom_values.get, self.atoms))
        fired = self.memo.get(key)
        if fired is None:
            fired = _Fired.of(self._fire(atom_values, sid), self.shared)
            self.remember(key, fired)
        for firing in fired.shared:
            _record(firings, firing)
        firings.update(fired.results)

    def remember(self, key: tuple[bool | None, ...], fired: _Fired) -> None:
        """Keep a fact's firings in the memo (bounded: memory stays flat)."""
        if self.memo_limit:
            if len(self.memo) >= self.memo_limit:
                self.memo.clear()
            self.memo[key] = fired

    def _fire(self, atom_values: dict[str, bool], sid: str) -> tuple[Firing, ...]:
        """Run the C network on one fact; the firings in durable's agenda order."""
        handle = self.handle
        assert handle is not None, "run() skips a network without rules"
        fact: dict[str, Any] = {"t": "profile", "sid": sid}
        for key in self.atoms:
            if key in atom_values:
                fact[key] = atom_values[key]
        fired: list[Firing] = []

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
                    _perform(self.actions[rule_name], fired, emit)
                    messages = core.complete_and_start_action(handle, offset)
            elif code != _NOT_HANDLED:  # not handled: no rule matched, every rule fails
                raise EngineError(f"durable-rules refused the profile (code {code})")
        except EngineError as exc:
            raise EngineError(str(exc), _rule_of(rule_name)) from None
        except Exception as exc:
            raise EngineError(f"evaluation failed: {exc!r}", _rule_of(rule_name)) from None
        finally:
            _delete_session(handle, sid)
        return tuple(fired)

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


def _perform(action: _Action, fired: list[Firing], emit: Emit) -> None:
    """Our action for one firing: assert the fact it concludes, if any, and note it."""
    if action.fact is not None:
        emit(action.fact)
    fired.append(action.firing)


def _record(firings: dict[str, Truth], firing: Firing) -> None:
    previous = firings.get(firing.rule_id, firing.result)
    if previous != firing.result:  # a fact rule shared by two networks must agree
        raise EngineError(f"networks disagree ({previous} and {firing.result})", firing.rule_id)
    firings[firing.rule_id] = firing.result


class DurableEngine:
    """Runs a compiled :class:`RuleSet` in durable-rules, one isolated session per profile."""

    def __init__(self, ruleset: RuleSet, *, memo_limit: int = MEMO_LIMIT) -> None:
        """Compile one durable network per journey.

        The networks are compiled from the rules every time, never read from a file: a
        decision names its ruleset by hash, and nothing outside those rules may change
        what they decide (compiling the catalogue takes well under a tenth of a second).
        ``memo_limit`` bounds each network's memo of firings by fact; 0 runs the C
        network for every profile (the cross-checks against the interpreter use it).
        """
        self.ruleset = ruleset
        subs = networks(ruleset)
        definitions = compile_networks(ruleset)
        self._networks = [
            _Network(sub, d, memo_limit) for sub, d in zip(subs, definitions, strict=True)
        ]
        in_networks = collections.Counter(r for n in self._networks for r in n.rule_ids)
        for network in self._networks:
            network.shared = frozenset(r for r in network.rule_ids if in_networks[r] > 1)
        self._rank = {r.id: (ruleset.stages[r.id], i) for i, r in enumerate(ruleset.rules)}
        self._fact_of_rule = {r.id: r.then.fact for r in ruleset.rules if r.then.fact}
        self._all_false: dict[str, Truth] = {r.id: False for r in ruleset.rules}
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
        order = sorted(found, key=self._rank.__getitem__)
        firings = tuple(map(Firing, order, map(found.__getitem__, order)))
        facts = {name: found[rid] for rid, name in self._fact_of_rule.items() if rid in found}
        return Evaluation(firings, {**self._all_false, **found}, facts)


def _rule_of(compiled_name: str | None) -> str | None:
    return compiled_name.rpartition("#")[0] if compiled_name else None


def _delete_session(handle: int, sid: str) -> None:
    # a session always exists after an assert; this only guards against durable's error
    with contextlib.suppress(core.error):
        core.delete_state(handle, sid)
