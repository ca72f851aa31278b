"""The durable-rules adapter: same answers as the interpreter, isolated, and loud on errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import eligibility.engine.durable as engine_module
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.engine.durable import DurableEngine
from eligibility.errors import EngineError
from eligibility.profile.files import read_profile
from eligibility.profile.model import FIELDS, Profile, parse_profile
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES, PROFILES, ROOT
from tests.strategies import profiles

STEP_STATUSES = {"required", "optional", "done", "not_applicable", "undetermined"}
JOURNEY_STATUSES = {"applies", "not_applicable", "undetermined"}


def test_the_networks_come_from_the_rules_alone(
    ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No compiled network is kept on disk (an edit there would change what a ruleset hash
    decides): building an engine and deciding writes nothing in the user's directories."""
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("ELIGIBILITY_CACHE", raising=False)
    engine = DurableEngine(ruleset)
    try:
        engine.evaluate(read_profile(str(PROFILES[0])))
    finally:
        engine.close()
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_durable_and_interpreter_agree_on_every_fixture(
    evaluator: Evaluator, interpreter: Evaluator, path: Any
) -> None:
    """Same firings in the same order, same decision bytes, from both evaluators."""
    profile = read_profile(str(path))
    assert evaluator.run(profile) == interpreter.run(profile)
    assert evaluator.evaluate(profile).to_json() == interpreter.evaluate(profile).to_json()


def _check_invariants(ruleset: RuleSet, profile: Profile, decision: Decision) -> None:
    assert [j.id for j in decision.journeys] == [j.id for j in ruleset.journeys]
    for journey, spec in zip(decision.journeys, ruleset.journeys, strict=True):
        assert journey.status in JOURNEY_STATUSES
        assert journey.reasons
        assert [s.id for s in journey.steps] == [s.id for s in spec.steps]
        for step in journey.steps:
            assert step.status in STEP_STATUSES
            assert step.reasons
            if journey.status == "not_applicable":
                assert step.status == "not_applicable"
    unknown = set(FIELDS) - set(profile.known())
    assert set(decision.missing) <= unknown
    undetermined = any(
        j.status == "undetermined" or any(s.status == "undetermined" for s in j.steps)
        for j in decision.journeys
    )
    assert bool(decision.missing) >= undetermined
    assert [t.seq for t in decision.trace] == list(range(1, len(decision.trace) + 1))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_random_profiles_engines_agree_and_invariants_hold(
    evaluator: Evaluator, interpreter: Evaluator, ruleset: RuleSet, profile: Profile
) -> None:
    """On any profile: both engines agree; every journey and step is present with a valid
    status and reasons; missing lists only unknown fields; the output is deterministic."""
    decision = evaluator.evaluate(profile)
    assert evaluator.run(profile) == interpreter.run(profile)
    assert decision.to_json() == interpreter.evaluate(profile).to_json()
    assert decision.to_json() == evaluator.evaluate(profile).to_json()
    _check_invariants(ruleset, profile, decision)


@pytest.fixture(scope="module")
def unmemoised(ruleset: RuleSet) -> DurableEngine:
    """A durable engine that runs its C networks for every profile."""
    return DurableEngine(ruleset, memo_limit=0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_the_memo_never_changes_an_answer(
    evaluator: Evaluator, interpreter: Evaluator, unmemoised: DurableEngine, profile: Profile
) -> None:
    """The C networks run afresh agree with the interpreter and with the memoised engine."""
    fresh = unmemoised.evaluate(profile)
    assert fresh == interpreter.run(profile)
    assert fresh == evaluator.run(profile)


def _count_network_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The session ids of each C network run from now on (memo misses)."""
    runs: list[str] = []
    original = engine_module._Network._fire

    def counted(network: Any, atom_values: Any, sid: str) -> Any:
        runs.append(sid)
        return original(network, atom_values, sid)

    monkeypatch.setattr(engine_module._Network, "_fire", counted)
    return runs


class TestMemo:
    def test_a_repeated_profile_does_not_run_the_networks_again(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The second evaluation of the same facts is answered from the memo."""
        engine = DurableEngine(ruleset)
        runs = _count_network_runs(monkeypatch)
        profile = parse_profile({"id": "x", "processes_health_data": True})
        first = engine.evaluate(profile)
        after_first = len(runs)
        assert after_first > 0
        assert engine.evaluate(parse_profile({"id": "y", "processes_health_data": True})) == first
        assert len(runs) == after_first

    def test_the_memo_is_bounded(self, ruleset: RuleSet) -> None:
        """Past its limit a network's memo starts again: memory stays flat."""
        engine = DurableEngine(ruleset, memo_limit=2)
        for value in (True, False, None):
            engine.evaluate(parse_profile({"id": "x", "processes_health_data": value}))
        sizes = [len(n.memo) for n in engine._networks]
        assert max(sizes) <= 2
        assert any(sizes)

    def test_a_zero_limit_memoises_nothing(self, unmemoised: DurableEngine) -> None:
        """memo_limit=0 keeps no memo at all."""
        unmemoised.evaluate(parse_profile({"id": "x", "processes_health_data": True}))
        assert all(not n.memo for n in unmemoised._networks)


class TestIsolation:
    def test_one_profile_never_sees_anothers_facts(self, ruleset: RuleSet) -> None:
        """Evaluating A, then B, then A again gives A's first decision again."""
        engine = Evaluator(ruleset)
        a = read_profile(str(PROFILES[0]))
        b = read_profile(str(PROFILES[-1]))
        first = engine.evaluate(a).to_json()
        engine.evaluate(b)
        assert engine.evaluate(a).to_json() == first

    def test_sessions_are_deleted_after_each_evaluation(self, ruleset: RuleSet) -> None:
        """More evaluations than durable's 1024 live sessions run fine: none is left."""
        engine = DurableEngine(ruleset, memo_limit=0)  # the C networks run every time
        profile = parse_profile({"id": "x", "processes_health_data": True})
        results = {engine.evaluate(profile).firings for _ in range(1100)}
        assert len(results) == 1

    def test_a_ruleset_without_rules_gives_an_empty_evaluation(self, ruleset: RuleSet) -> None:
        """No rule, no firing (and durable's core, which crashes on an empty network, is
        never handed one)."""
        empty = RuleSet(
            name="x",
            version="0",
            journeys=ruleset.journeys[:1],
            rules=(),
            rule_files={},
            root="",
            formulas={},
            stages={},
            fact_rule={},
        )
        evaluation = DurableEngine(empty).evaluate(parse_profile({"id": "x"}))
        assert evaluation.firings == () and evaluation.states == {}

    def test_a_closed_engine_refuses_to_evaluate(self, ruleset: RuleSet) -> None:
        """close() frees the C ruleset; using the engine afterwards is an error, not a crash."""
        engine = DurableEngine(ruleset)
        engine.close()
        with pytest.raises(EngineError, match="closed"):
            engine.evaluate(parse_profile({"id": "x"}))


def test_an_exception_inside_an_action_is_reported_not_swallowed(
    ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """durable's own layer swallows exceptions in actions; ours raises EngineError naming
    the rule, deletes the session and stays usable."""
    engine = DurableEngine(ruleset)
    original = engine_module._perform

    def failing(action: Any, fired: list[Any], emit: Any) -> None:
        if action.firing.rule_id == "ins.applies.health-data":
            raise RuntimeError("boom")
        original(action, fired, emit)

    monkeypatch.setattr(engine_module, "_perform", failing)
    with pytest.raises(EngineError, match="boom") as err:
        engine.evaluate(parse_profile({"id": "x", "processes_health_data": True}))
    assert err.value.rule_id == "ins.applies.health-data"
    monkeypatch.undo()
    for _ in range(3):  # sessions were deleted: the same sid space keeps working
        assert engine.evaluate(parse_profile({"id": "x", "processes_health_data": True})).firings


class TestBuild:
    def test_a_core_built_without_the_313_flag_names_the_flag_to_rebuild_with(self) -> None:
        """The undefined PyEval_CallObject of Python 3.13 turns into the command that mends it."""
        error = engine_module.core_import_error(
            ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")
        )
        assert isinstance(error, EngineError)
        assert f'CPPFLAGS="{engine_module.BUILD_FLAG}"' in str(error)
        assert "--force-reinstall" in str(error) and "--no-cache-dir" in str(error)

    def test_a_core_missing_for_another_reason_says_so_plainly(self) -> None:
        """Any other import failure is reported as it is, without the 3.13 advice."""
        error = engine_module.core_import_error(ImportError("No module named 'x'"))
        assert str(error) == "durable-rules' C core cannot be loaded: No module named 'x'"

    def test_the_cli_reports_an_unloadable_core_as_an_error_not_a_traceback(self) -> None:
        """evaluate with a core that does not import: an `Error:` line and exit 1."""
        profile = str(FIXTURES / "profiles" / "hospital-ehr.yaml")
        script = (
            "import sys; sys.modules['durable_rules_engine'] = None\n"
            "from eligibility.cli import main\n"
            f"sys.argv = ['eligibility', 'evaluate', {profile!r}]\n"
            "main()\n"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # this tree, whatever is installed
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("Error: durable-rules' C core cannot be loaded")
        assert "Traceback" not in done.stderr

    def test_the_makefile_builds_the_core_with_the_flag(self) -> None:
        """make exports the flag, so every pip install it runs compiles durable-rules with it."""
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        assert f"export CPPFLAGS := -O2 {engine_module.BUILD_FLAG}" in makefile
