"""The durable-rules adapter: the only module that imports ``durable``.

One :class:`DurableEngine` per process and ruleset. Each evaluation runs in its own
session (a fresh ``sid``), deleted straight after, so no state is left behind and no
profile meets another's facts. Lessons from ``shared/engine/durable-rules-notes.md``:

* ``QuietHost`` starts none of durable's timer threads (they post ``$pulse`` events into
  every session and can crash after out-of-order deletes); we never need timers.
* Exceptions raised in actions are swallowed by durable into ``state["exception"]``: the
  actions here catch their own, and the session state is checked after each evaluation.
* durable round-trips JSON through the stdlib ``json`` module on every action; pointing
  that module at orjson makes each firing markedly cheaper (measured in ``benchmarks/``)
  without changing what is sent to the C core.
"""

from __future__ import annotations

import contextlib
import itertools
import json as _stdlib_json
import time
from collections.abc import Callable
from typing import Any

import durable.engine as durable_engine
import orjson
from durable.engine import Host, MessageNotHandledException, MessageObservedException

from eligibility.errors import EngineError
from eligibility.evaluation import Evaluation, Firing
from eligibility.logic import Truth, atoms, profile_atoms
from eligibility.profile import Profile
from eligibility.rules.compiler import FACT_VALUE, Action, compile_ruleset
from eligibility.rules.loader import RuleSet


class _OrjsonShim:
    """The subset of the ``json`` module that durable.engine uses, backed by orjson."""

    @staticmethod
    def dumps(obj: Any, ensure_ascii: bool = True, **_: Any) -> str:
        try:
            return orjson.dumps(obj).decode()
        except TypeError:  # orjson refuses what stdlib json would stringify; keep stdlib's say
            return _stdlib_json.dumps(obj, ensure_ascii=ensure_ascii)

    loads = staticmethod(orjson.loads)


durable_engine.json = _OrjsonShim
# durable reads the clock twice per action, through datetime and the deprecated
# utcfromtimestamp, only to time actions out after 10 s; a monotonic float does the job.
durable_engine._unix_now = time.monotonic


class _QuietHost(Host):  # type: ignore[misc]  # durable ships no type information
    """A durable Host that starts no background threads and resolves our action names."""

    def __init__(self, resolve: Callable[[str], Callable[[Any], None]]) -> None:
        self._resolve = resolve
        super().__init__()

    def _run(self) -> None:
        """Start nothing: evaluation is synchronous, timers are never used."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._resolve(action_name)


_host_counter = itertools.count()


class DurableEngine:
    """Runs a compiled :class:`RuleSet` in durable-rules, one isolated session per profile."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        definition, self._actions = compile_ruleset(ruleset)
        # Only atoms some rule tests go into the profile fact: durable's C core spends time
        # on every property of a fact, and unread atoms only slow it down.
        read = [*ruleset.formulas.values(), *ruleset.guards.values()]
        self._atoms = frozenset(a.key for f in read for a in atoms(f) if a.kind == "field")
        self._name = f"eligibility-{next(_host_counter)}"
        self._sids = itertools.count()
        self._firings: list[Firing] = []
        self._seen: set[str] = set()
        self._errors: list[str] = []
        self._host = _QuietHost(self._make_action)
        # set_rulesets mutates its argument (drops every "run"): hand it a private copy.
        self._host.set_rulesets({self._name: orjson.loads(orjson.dumps(definition))})

    def _make_action(self, run: str) -> Callable[[Any], None]:
        action: Action = self._actions[run]
        firing = Firing(action.rule_id, action.result)
        fact: dict[str, Any] | None = None
        if action.asserts_fact:
            fact = {"t": "fact", "n": action.asserts_fact, "v": FACT_VALUE[action.result]}

        def run_action(c: Any) -> None:
            try:
                if run in self._seen:  # paths are exclusive; this guards the invariant
                    raise EngineError(f"fired twice in one evaluation ({run})", action.rule_id)
                self._seen.add(run)
                self._firings.append(firing)
                if fact is not None:
                    # a fact no rule reads raises NotHandled: nothing to do then
                    with contextlib.suppress(MessageNotHandledException):
                        c.assert_fact(dict(fact))
            except MessageObservedException:
                self._errors.append(f"{action.rule_id}: fact {action.asserts_fact} asserted twice")
            except Exception as exc:  # durable would swallow it; we report it
                self._errors.append(f"{action.rule_id}: {exc!r}")

        return run_action

    def evaluate(self, profile: Profile) -> Evaluation:
        """Run the rules on one profile and return the firings, in firing order.

        Raises:
            EngineError: when an action failed or durable recorded an exception.
        """
        sid = str(next(self._sids))
        self._firings, self._seen, self._errors = [], set(), []
        fact: dict[str, Any] = {"t": "profile", "sid": sid}
        fact.update((k, v) for k, v in profile_atoms(profile).items() if k in self._atoms)
        state: dict[str, Any] = {}
        try:
            self._host.assert_fact(self._name, fact)
        except MessageNotHandledException:
            pass  # no rule matched at all: every rule fails
        finally:
            try:
                state = self._host.get_state(self._name, sid)
                self._host.delete_state(self._name, sid)
            except Exception:  # no session exists when nothing matched
                state = {}
        if "exception" in state:
            self._errors.append(str(state["exception"])[:500])
        if self._errors:
            raise EngineError("; ".join(self._errors))
        firings = tuple(self._firings)
        states: dict[str, Truth] = {r.id: False for r in self.ruleset.rules}
        facts: dict[str, Truth] = {}
        for f in firings:
            states[f.rule_id] = f.result
            fact_name = self.ruleset.rule_by_id[f.rule_id].then.fact
            if fact_name:
                facts[fact_name] = f.result
        return Evaluation(firings, states, facts)
