"""Evaluating a portfolio: bad rows of every kind, duplicates, order, workers, laziness."""

from __future__ import annotations

import errno
import itertools
import json
import os
import tempfile
from pathlib import Path

import pytest

from eligibility import batch
from eligibility.api import Evaluator
from eligibility.batch import BatchSummary, RowError, RowOutcome, run_batch
from eligibility.errors import InputFileError, UsageError
from eligibility.portfolio import RawRow
from eligibility.profile import parse_profile
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
         (7, "ror_access_profile", "whole number"), (8, "ror_access_profile", "less than"),
         (9, "id", "field required"), (10, "id", "pattern"), (11, "id", "duplicate"),
         (12, "(line)", "cells"), (13, "(line)", "malformed CSV")],
    )  # fmt: skip
    def test_each_kind_names_its_row_and_field(
        self, bad_csv: dict[int, RowOutcome], row: int, loc: str, words: str
    ) -> None:
        """The error names the row, the field and what is wrong."""
        [(got_loc, message)] = problems(bad_csv[row])
        assert got_loc == loc
        assert words in message

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
        assert problems(got[4]) == [("processes_health_data", "Input should be a valid boolean")]
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


class TestWorkers:
    def test_two_workers_give_the_same_output_in_the_same_order(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Output is byte-identical for 1 and 2 workers, across several windows."""
        monkeypatch.setattr(batch, "CHUNK_SIZE", 2)  # 2 workers x 2 rows x 8 = 32-row windows
        lines = (PORTFOLIOS / "bad-rows.jsonl").read_text().splitlines()
        big = tmp_path / "big.jsonl"
        big.write_text("\n".join(lines * 8) + "\n")
        one = [o.payload for o in outcomes(big, ruleset, workers=1)]
        two = [o.payload for o in outcomes(big, ruleset, workers=2)]
        assert len(one) == 80
        assert b"".join(one) == b"".join(two)

    def test_pool_reads_only_a_window_ahead(self, ruleset: RuleSet) -> None:
        """The parallel path pulls rows lazily: an endless input still yields outcomes."""
        pulled = itertools.count()

        def endless() -> itertools.chain[RawRow]:
            return (RawRow(next(pulled) + 1, {"id": f"p{n}"}) for n in itertools.count())

        init = (ruleset, "python", jsonl.fragment, False, "<endless>")
        results = batch._in_pool(endless(), 2, init)
        first = list(itertools.islice(results, 3))
        results.close()
        assert [o.profile_id for o in first] == ["p0", "p1", "p2"]
        window = 2 * batch.CHUNK_SIZE * batch.CHUNKS_PER_WINDOW
        assert next(pulled) <= 3 * window

    def test_outcomes_come_back_through_spool_files_that_are_then_deleted(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Workers hand each chunk back in a file of a private directory; the main process
        deletes each file once loaded, and the directory when the run ends."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        monkeypatch.setattr(batch, "CHUNK_SIZE", 2)  # several chunks, so files wait their turn
        seen: list[list[str]] = []
        results = run_batch(
            str(PORTFOLIOS / "publisher.csv"), jsonl.fragment, ruleset=ruleset, workers=2
        )
        for _ in results:
            seen.append([p.name for p in tmp_path.glob("eligibility-batch-*/*")])
        assert [p.name for p in tmp_path.iterdir()] == []
        assert any(seen), "chunks were spooled while the run went on"
        assert all(name.endswith(".pickle") for names in seen for name in names)

    def test_a_run_stopped_early_leaves_no_spool_behind(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Closing the outcomes half-way stops the workers and removes the spool directory."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        results = run_batch(
            str(PORTFOLIOS / "publisher.csv"), jsonl.fragment, ruleset=ruleset, workers=2
        )
        next(results)
        assert list(tmp_path.glob("eligibility-batch-*"))
        results.close()
        assert list(tmp_path.iterdir()) == []

    def test_no_room_for_the_spool_is_a_clear_error(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A temporary directory that cannot be used is an InputFileError naming it."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
        with pytest.raises(InputFileError, match=r"temporary results.*TMPDIR"):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=2)

    def test_a_worker_failing_to_write_its_results_is_a_clear_error(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A full disk in a worker (an OSError) reaches the caller as an InputFileError."""
        monkeypatch.setattr(batch, "_evaluate_chunk", _disk_full)
        with pytest.raises(InputFileError, match="No space left on device"):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=2)

    def test_zero_workers_is_a_usage_error(self, ruleset: RuleSet) -> None:
        """At least one worker is needed."""
        with pytest.raises(UsageError):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=0)


def _disk_full(rows: list[RawRow]) -> str:
    """Stands for a worker whose spool write fails (module-level: workers import it)."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/eligibility-batch-x/y.pickle")


class TestSummary:
    def test_counts(self, ruleset: RuleSet, bad_csv: dict[int, RowOutcome]) -> None:
        """Rows read, decided, errors and per journey counts add up."""
        summary = BatchSummary(tuple(j.id for j in ruleset.journeys))
        for o in bad_csv.values():
            summary.add(o)
        assert (summary.rows, summary.decided, summary.errors) == (14, 2, 12)
        assert summary.applies["ins"] == 2
        assert summary.lines()[0] == "14 rows read: 2 decided, 12 with errors"

    def test_row_error_json_survives_odd_values(self) -> None:
        """An input value JSON cannot hold is written as text, not a crash."""
        from eligibility.errors import FieldProblem

        error = RowError(3, None, (FieldProblem("x", "bad", {1, 2}, True),))
        assert b'"value":"{1, 2}"' in error.to_json()
