"""Evaluating a portfolio: bad rows of every kind, duplicates, order, the pool, laziness."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from eligibility.batch import run as batch
from eligibility.batch import workers as workers_module
from eligibility.batch.outcome import RowError, RowOutcome
from eligibility.batch.run import BatchSummary, run_batch
from eligibility.decision.evaluator import Evaluator
from eligibility.errors import EngineError, InputFileError, UsageError
from eligibility.profile.model import parse_profile
from eligibility.profile.portfolio import RawRow, read_rows
from eligibility.render.portfolio import jsonl
from eligibility.rules.loader import RuleSet
from tests.conftest import FIXTURES

PORTFOLIOS = FIXTURES / "portfolios"


def outcomes(path: Path | str, ruleset: RuleSet, **kw: object) -> list[RowOutcome]:
    return list(run_batch(str(path), jsonl.fragment, ruleset=ruleset, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bad_csv(ruleset: RuleSet) -> dict[int, RowOutcome]:
    """The outcomes of the bad-rows CSV fixture, by row number."""
    return {o.row: o for o in outcomes(PORTFOLIOS / "bad-rows.csv", ruleset)}


def problems(o: RowOutcome) -> list[tuple[str, str]]:
    assert o.error is not None
    return [(p.loc, p.message) for p in o.error.problems]


class TestBadRows:
    """Each kind of bad row in ``fixtures/portfolios/bad-rows.csv`` is reported alone."""

    @pytest.mark.parametrize(
        ("row", "loc", "words"),
        [(3, "colour", "unknown field"), (4, "storage_role", "not an allowed value"),
         (5, "categories.0", "not an allowed value"), (6, "processes_health_data", "boolean"),
         (7, "ror_access_profile", "whole number"), (8, "ror_access_profile", "largest value"),
         (9, "id", "field required"), (10, "id", "letters, digits"), (11, "id", "duplicate"),
         (12, "(line)", "cells"), (13, "(line)", "malformed CSV")],
    )  # fmt: skip
    def test_each_kind_names_its_row_and_field(
        self, bad_csv: dict[int, RowOutcome], row: int, loc: str, words: str
    ) -> None:
        """The error names the row, the field and what is wrong."""
        [(got_loc, message)] = problems(bad_csv[row])
        assert got_loc == loc
        assert words in message

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("p.csv", "id,is_identiy_repository\na,false\n"),
            ("p.jsonl", '{"id": "a", "is_identiy_repository": false}\n'),
        ],
    )
    def test_a_misspelt_field_suggests_the_closest_name(
        self, ruleset: RuleSet, tmp_path: Path, name: str, text: str
    ) -> None:
        """A misspelt column or key: the row's error says which field was meant."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        [outcome] = outcomes(path, ruleset)
        [(loc, message)] = problems(outcome)
        assert loc == "is_identiy_repository"
        assert message.startswith("unknown field; did you mean is_identity_repository?")

    def test_every_problem_of_a_row_is_reported(self, bad_csv: dict[int, RowOutcome]) -> None:
        """Two bad fields on one row give one error with both."""
        assert [loc for loc, _ in problems(bad_csv[14])] == [
            "processes_health_data",
            "storage_role",
        ]

    def test_good_rows_around_bad_ones_are_decided(self, bad_csv: dict[int, RowOutcome]) -> None:
        """Bad rows do not stop the others."""
        decided = [o.profile_id for o in bad_csv.values() if o.error is None]
        assert decided == ["good-first", "good-last"]

    def test_duplicate_is_an_error_on_the_later_row(self, bad_csv: dict[int, RowOutcome]) -> None:
        """The first product with an id is decided; the later one is the error."""
        assert bad_csv[2].error is None
        assert "row 2 has it already" in problems(bad_csv[11])[0][1]

    def test_error_record_shape(self, bad_csv: dict[int, RowOutcome]) -> None:
        """An error record holds profile_id, row and errors with field, message and value."""
        error = bad_csv[4].error
        assert error is not None
        assert error.to_dict() == {
            "profile_id": "bad-enum",
            "row": 4,
            "errors": [
                {
                    "field": "storage_role",
                    "message": "not an allowed value; allowed: 'none', 'operational' or 'archive'",
                    "value": "cloud",
                }
            ],
        }

    def test_error_without_id_has_null_profile_id(self, bad_csv: dict[int, RowOutcome]) -> None:
        """A row without an id still has a record, with a null profile_id."""
        assert bad_csv[9].profile_id is None
        assert bad_csv[9].error is not None
        assert bad_csv[9].error.describe() == "row 9: id: field required"

    def test_jsonl_kinds(self, ruleset: RuleSet) -> None:
        """JSON-specific bad rows: a string for a boolean, a list for a profile, broken JSON."""
        got = {o.row: o for o in outcomes(PORTFOLIOS / "bad-rows.jsonl", ruleset)}
        assert problems(got[4]) == [("processes_health_data", "not yes or no; write true or false")]
        assert problems(got[8])[0][1].startswith("malformed JSON")
        assert problems(got[9])[0][0] == "(profile)"
        assert [o.row for o in got.values() if o.error is None] == [1, 11]


class TestDecisions:
    def test_lines_are_the_decisions_of_the_profiles(
        self, ruleset: RuleSet, evaluator: Evaluator
    ) -> None:
        """Each jsonl payload is exactly Decision.to_json of the row's profile, in input order."""
        got = outcomes(PORTFOLIOS / "publisher.json", ruleset)
        profiles = json.loads((PORTFOLIOS / "publisher.json").read_text())
        expected = [evaluator.evaluate(parse_profile(p)).to_json() + b"\n" for p in profiles]
        assert [o.payload for o in got] == expected

    def test_csv_and_json_portfolios_give_the_same_decisions(self, ruleset: RuleSet) -> None:
        """The two versions of the publisher fixture are decided alike."""
        from_csv = [o.payload for o in outcomes(PORTFOLIOS / "publisher.csv", ruleset)]
        from_json = [o.payload for o in outcomes(PORTFOLIOS / "publisher.json", ruleset)]
        assert from_csv == from_json

    def test_without_trace(self, ruleset: RuleSet) -> None:
        """with_trace=False leaves the trace empty."""
        got = outcomes(PORTFOLIOS / "publisher.json", ruleset, with_trace=False)
        assert all(b'"trace":[]' in o.payload for o in got)

    def test_python_engine_agrees(self, ruleset: RuleSet) -> None:
        """The interpreter gives the same output as the Rete engine."""
        durable = [o.payload for o in outcomes(PORTFOLIOS / "publisher.csv", ruleset)]
        python = [
            o.payload for o in outcomes(PORTFOLIOS / "publisher.csv", ruleset, engine="python")
        ]
        assert durable == python


@pytest.fixture
def cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine of 4 CPUs, whatever this one has (a pool of 3 is then possible)."""
    monkeypatch.setattr(workers_module, "available_cpus", lambda: 4)


@pytest.fixture(params=["fork", "spawn", "forkserver"])
def start_method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each way multiprocessing starts processes (Linux's fork; spawn, the default of
    macOS and Windows; forkserver, Linux's default from Python 3.14), as the default."""
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(request.param, force=True)
    yield request.param
    multiprocessing.set_start_method(before, force=True)


class TestWorkers:
    @pytest.mark.parametrize("workers", [2, 3])
    @pytest.mark.usefixtures("cpus")
    def test_several_workers_give_the_same_output_in_the_same_order(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
    ) -> None:
        """Output is byte-identical for 1 and N workers, over many small chunks."""
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        lines = (PORTFOLIOS / "bad-rows.jsonl").read_text().splitlines()
        big = tmp_path / "big.jsonl"
        big.write_text("\n".join(lines * 8) + "\n")
        one = [o.payload for o in outcomes(big, ruleset, workers=1)]
        many = [o.payload for o in outcomes(big, ruleset, workers=workers)]
        assert len(one) == 80
        assert b"".join(one) == b"".join(many)

    def test_every_start_method_gives_the_same_output(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch, start_method: str
    ) -> None:
        """Processes forked, spawned or started by a fork server evaluate and render
        exactly as this process does: the row function and its rules reach them."""
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        path = str(PORTFOLIOS / "publisher.csv")
        one = [o.payload for o in outcomes(path, ruleset, workers=1)]
        rows = batch.mark_duplicates(read_rows(path, convert=False))
        make = partial(_Reporting, ruleset, "durable", jsonl.fragment, source=path)
        got = list(workers_module.evaluate_rows(rows, 2, make))
        assert len(one) >= 15
        assert [o.payload[0] for o in got] == one
        assert {o.payload[2] for o in got} == {start_method}
        assert os.getpid() not in {o.payload[1] for o in got}  # all evaluated in the pool

    def test_a_portfolio_of_one_chunk_is_evaluated_here(self) -> None:
        """No pool for fewer rows than a chunk: starting processes would cost more."""
        rows = [RawRow(n, {"id": f"p{n}"}) for n in range(1, workers_module.CHUNK_SIZE + 1)]
        got = list(workers_module.evaluate_rows(iter(rows), 2, _WhoRuns))
        assert {o.payload for o in got} == {b"parent"}

    def test_there_are_never_more_processes_than_chunks(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two chunks for 3 workers: a pool of 2 processes."""
        monkeypatch.setattr(workers_module, "available_cpus", lambda: 4)
        started: list[int] = []
        pool = workers_module.ProcessPoolExecutor

        def counted(processes: int, **kw: Any) -> Any:
            started.append(processes)
            return pool(processes, **kw)

        monkeypatch.setattr(workers_module, "ProcessPoolExecutor", counted)
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, workers_module.CHUNK_SIZE + 2))
        got = list(workers_module.evaluate_rows(rows, 3, _WhoRuns))
        assert started == [2]
        assert {o.payload for o in got} == {b"child"}

    def test_rows_are_read_only_a_bounded_way_ahead(self, ruleset: RuleSet) -> None:
        """The pool gets a bounded number of chunks ahead of what is taken: an endless
        input still yields outcomes, and a slow output does not fill the memory."""
        pulled = itertools.count()

        def endless() -> Iterator[RawRow]:
            return (RawRow(next(pulled) + 1, {"id": f"p{n}"}) for n in itertools.count())

        make = partial(batch.RowEvaluator, ruleset, "python", jsonl.fragment, with_trace=False)
        results = workers_module.evaluate_rows(endless(), 2, make)
        first = list(itertools.islice(results, 3))
        results.close()
        assert [o.profile_id for o in first] == ["p0", "p1", "p2"]
        ahead = (workers_module.AHEAD * 2 + 1) * workers_module.CHUNK_SIZE
        assert next(pulled) <= ahead

    def test_a_run_stopped_early_leaves_no_process_behind(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Closing the outcomes half-way shuts the pool down."""
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        results = run_batch(
            str(PORTFOLIOS / "publisher.csv"), jsonl.fragment, ruleset=ruleset, workers=2
        )
        next(results)
        assert multiprocessing.active_children() != []
        results.close()
        assert multiprocessing.active_children() == []

    def test_rows_read_before_a_broken_file_all_come_before_its_error(self) -> None:
        """Reading that fails mid-chunk: the rows before, handed out or not, still come
        (in order), then the error, as with one process."""

        def broken() -> Iterator[RawRow]:
            yield from (RawRow(n, {"id": f"p{n}"}) for n in range(1, 106))
            raise InputFileError("in.json", "not valid JSON")

        got: list[int] = []
        with pytest.raises(InputFileError, match="not valid JSON"):
            for o in workers_module.evaluate_rows(broken(), 2, _WhoRuns):
                got.append(o.row)
        assert got == list(range(1, 106))
        assert multiprocessing.active_children() == []

    def test_a_process_that_dies_is_an_engine_error(self) -> None:
        """A pool process killed mid-run stops the run with an error, not a hang."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 200))
        with pytest.raises(EngineError, match="stopped without answering"):
            list(workers_module.evaluate_rows(rows, 2, _DiesInChildren))
        assert multiprocessing.active_children() == []

    def test_an_error_in_a_process_reaches_the_caller_as_itself(self) -> None:
        """An exception raised while evaluating in the pool is raised here, its message
        kept (an engine failure stops the run, as with one process)."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 200))
        with pytest.raises(EngineError, match="row 40 broke the engine"):
            list(workers_module.evaluate_rows(rows, 2, _FailsAtRow40))
        assert multiprocessing.active_children() == []

    def test_fewer_than_one_worker_is_a_usage_error(self, ruleset: RuleSet) -> None:
        """0 workers cannot evaluate anything: a usage error, before any row is read."""
        with pytest.raises(UsageError, match="--workers 0: give 1 or more"):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=0)

    def test_more_workers_than_cpus_is_a_usage_error_before_any_row_is_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """8 workers asked on a machine of 2 CPUs: refused, no row read and no pool started
        (more processes would only take turns on the 2 CPUs, each holding its rules)."""
        monkeypatch.setattr(workers_module, "available_cpus", lambda: 2)
        monkeypatch.setattr(workers_module, "ProcessPoolExecutor", None)
        read: list[int] = []
        rows = (read.append(n) or RawRow(n, {"id": f"p{n}"}) for n in range(1, 100))
        with pytest.raises(UsageError, match="run on 2 CPUs; give 2 or fewer"):
            list(workers_module.evaluate_rows(rows, 8, _Pid))
        assert read == []
        assert workers_module.pool_size(2) == 2

    def test_an_input_file_error_crosses_processes_as_itself(self) -> None:
        """It pickles with its path and message, so the caller gets what the pool raised."""
        error = pickle.loads(pickle.dumps(InputFileError("out.jsonl", "cannot be written")))
        assert isinstance(error, InputFileError)
        assert (error.path, error.detail) == ("out.jsonl", "cannot be written")
        assert str(error) == "out.jsonl: cannot be written"


_PARENT = os.getpid()


class _Reporting(batch.RowEvaluator):
    """The batch's row function, its payload with the process and its start method."""

    def __call__(self, raw: RawRow) -> RowOutcome:
        outcome = super().__call__(raw)
        method = multiprocessing.get_start_method()
        return replace(outcome, payload=(outcome.payload, os.getpid(), method))


class _WhoRuns:
    """A stand-in row function for the worker tests: no rules, a payload saying who ran."""

    def __call__(self, raw: RawRow) -> RowOutcome:
        return RowOutcome(raw.row, raw.profile_id, (), None, self.payload(raw.row))

    def payload(self, row: int) -> bytes:  # noqa: ARG002  # subclasses use the row
        return b"parent" if os.getpid() == _PARENT else b"child"


class _Pid(_WhoRuns):
    def payload(self, row: int) -> int:  # type: ignore[override]  # noqa: ARG002
        return os.getpid()


class _DiesInChildren(_WhoRuns):
    def payload(self, row: int) -> bytes:
        if os.getpid() != _PARENT:
            os._exit(3)
        return super().payload(row)


class _FailsAtRow40(_WhoRuns):
    def payload(self, row: int) -> bytes:
        if row == 40:
            raise EngineError("row 40 broke the engine")
        return super().payload(row)


class TestSummary:
    def test_counts(self, ruleset: RuleSet, bad_csv: dict[int, RowOutcome]) -> None:
        """Rows read, decided, errors and per journey counts add up."""
        summary = BatchSummary(tuple(j.id for j in ruleset.journeys))
        for o in bad_csv.values():
            summary.add(o)
        assert (summary.rows, summary.decided, summary.errors) == (14, 2, 12)
        assert summary.applies["ins"] == 2
        assert summary.lines()[0] == "14 rows read: 2 decided, 12 with errors"

    def test_counts_stay_right_when_many_kinds_of_rows_are_folded(self) -> None:
        """Rows are counted by status tuple and folded past 4 096 kinds: totals are exact."""
        journeys = tuple(f"j{i}" for i in range(14))
        summary = BatchSummary(journeys)
        words = ("applies", "not_applicable", "undetermined")
        expected_applies = dict.fromkeys(journeys, 0)
        for n in range(10_000):
            statuses = tuple(words[(n // 3**i) % 3] for i in range(14))  # 10 000 kinds
            summary.add(RowOutcome(n, f"p{n}", statuses, None, b""))
            for j, status in zip(journeys, statuses, strict=True):
                expected_applies[j] += status == "applies"
        assert summary.applies == expected_applies
        assert sum(summary.undetermined.values()) == 14 * 10_000 - sum(
            expected_applies.values()
        ) - sum(1 for n in range(10_000) for i in range(14) if (n // 3**i) % 3 == 1)
        assert summary.decided == 10_000

    def test_row_error_json_survives_odd_values(self) -> None:
        """An input value JSON cannot hold is written as text, not a crash."""
        from eligibility.errors import FieldProblem

        error = RowError(3, None, (FieldProblem("x", "bad", {1, 2}, True),))
        assert b'"value":"{1, 2}"' in error.to_json()
