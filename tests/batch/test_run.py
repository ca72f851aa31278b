"""Evaluating a portfolio: bad rows of every kind, duplicates, order, workers, laziness."""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from eligibility.batch import run as batch
from eligibility.batch import workers as workers_module
from eligibility.batch.outcome import RowError, RowOutcome
from eligibility.batch.placing import PositionalWriter, Remote
from eligibility.batch.run import BatchSummary, run_batch
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.pieces import Parts, Recurring, joined
from eligibility.errors import EngineError, InputFileError, UsageError
from eligibility.profile.model import parse_profile
from eligibility.profile.portfolio import RawRow
from eligibility.render.portfolio import PORTFOLIO_FORMATS, ReportInfo, jsonl
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
    @pytest.mark.parametrize("workers", [2, 3])
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

    def test_spawned_children_give_the_same_output(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where children are spawned (macOS, Windows), not forked, the output is the same:
        the row function and its rules reach them pickled."""
        spawn = multiprocessing.get_context("spawn")
        monkeypatch.setattr(workers_module.multiprocessing, "get_context", lambda: spawn)
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        started: list[str] = []
        start = workers_module._Helper.__init__

        def recording(helper: Any, *args: Any) -> None:
            start(helper, *args)
            started.append(type(helper.process).__name__)

        monkeypatch.setattr(workers_module._Helper, "__init__", recording)
        path = PORTFOLIOS / "publisher.csv"
        one = [o.payload for o in outcomes(path, ruleset, workers=1)]
        spawned = [o.payload for o in outcomes(path, ruleset, workers=2)]
        assert started == ["SpawnProcess"]
        assert len(one) >= 15
        assert spawned == one

    def test_the_reading_process_and_its_children_share_the_rows(self) -> None:
        """With N workers, this process evaluates too, when the children have enough."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 201))
        got = list(workers_module.evaluate_rows(rows, 2, _SlowInChildren))
        assert [o.row for o in got] == list(range(1, 201))
        assert {o.payload for o in got} == {b"parent", b"child"}

    def test_every_payload_shape_comes_back_from_a_child(self) -> None:
        """Bytes, tuples of bytes (reports), Parts (joined) and other values all travel."""
        rows = [RawRow(n, {"id": f"p{n}"}) for n in range(1, 10)]
        got = list(workers_module.evaluate_rows(iter(rows), 2, _Shapes))
        assert [o.payload for o in got] == [joined(_Shapes.shape(n)) for n in range(1, 10)]

    def test_a_piece_sent_before_travels_as_a_number(self, tmp_path: Path) -> None:
        """A recurring piece in many rows is written once, then referred to by number."""
        outcomes = [_Shapes().pieces(RawRow(n, {"id": f"p{n}"})) for n in range(4, 24)]
        packer, unpacker = workers_module._Packer(), workers_module._Unpacker()
        spool = tmp_path / "chunk.spool"
        with spool.open("wb") as f:
            reset, kept, stubs = packer.pack(outcomes, f)
        assert (reset, kept) == (False, [len(_SHARED_PIECE)])
        assert spool.stat().st_size < 2 * len(_SHARED_PIECE)
        back = list(unpacker.unspool(str(spool), reset, kept, stubs))
        assert [o.payload for o in back] == [joined(o.payload) for o in outcomes]
        assert not spool.exists()

    def test_kept_pieces_start_again_past_their_limit(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Past KEPT_BYTES both sides drop their pieces: the next chunk says so, and reads."""
        monkeypatch.setattr(workers_module, "KEPT_BYTES", 100)
        outcomes = [_Shapes().pieces(RawRow(n, {"id": f"p{n}"})) for n in range(4, 8)]
        packer, unpacker = workers_module._Packer(), workers_module._Unpacker()
        notes = []
        for name in ("one", "two"):
            with (tmp_path / name).open("wb") as f:
                notes.append(packer.pack(outcomes, f))
        assert [reset for reset, _, _ in notes] == [False, True]
        for name, (reset, kept, stubs) in zip(("one", "two"), notes, strict=True):
            back = list(unpacker.unspool(str(tmp_path / name), reset, kept, stubs))
            assert [o.payload for o in back] == [joined(o.payload) for o in outcomes]
        assert len(unpacker.kept) <= 1

    def test_rows_are_read_only_a_bounded_way_ahead(self, ruleset: RuleSet) -> None:
        """The parallel path pulls rows lazily: an endless input still yields outcomes."""
        pulled = itertools.count()

        def endless() -> Iterator[RawRow]:
            return (RawRow(next(pulled) + 1, {"id": f"p{n}"}) for n in itertools.count())

        make = partial(batch.RowEvaluator, ruleset, "python", jsonl.fragment, with_trace=False)
        results = workers_module.evaluate_rows(endless(), 2, make)
        first = list(itertools.islice(results, 3))
        results.close()
        assert [o.profile_id for o in first] == ["p0", "p1", "p2"]
        ahead = (2 * workers_module.AHEAD + 2) * workers_module.CHUNK_SIZE
        assert next(pulled) <= ahead

    def test_payloads_come_back_through_spool_files_that_are_then_deleted(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Children hand each chunk back in a file of a private directory; the reading
        process deletes each file once read, and the directory when the run ends."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        read: list[tuple[Path, bool]] = []
        unspool = workers_module._Unpacker.unspool

        def watched(self: Any, path: str, *args: Any) -> Iterator[RowOutcome]:
            read.append((Path(path), Path(path).exists()))
            yield from unspool(self, path, *args)
            assert not Path(path).exists()

        monkeypatch.setattr(workers_module._Unpacker, "unspool", watched)
        got = outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=2)
        assert got == outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=1)
        assert read, "a child evaluated some chunks"
        assert all(there for _, there in read)
        assert {p.parent.parent for p, _ in read} == {tmp_path}
        assert all(p.parent.name.startswith("eligibility-batch-") for p, _ in read)
        assert all(p.suffix == ".spool" for p, _ in read)
        assert list(tmp_path.iterdir()) == []

    def test_a_run_stopped_early_leaves_no_spool_and_no_process_behind(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Closing the outcomes half-way stops the children and removes the spool directory."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        results = run_batch(
            str(PORTFOLIOS / "publisher.csv"), jsonl.fragment, ruleset=ruleset, workers=2
        )
        next(results)
        assert list(tmp_path.glob("eligibility-batch-*"))
        results.close()
        assert list(tmp_path.iterdir()) == []
        assert multiprocessing.active_children() == []

    def test_no_room_for_the_spool_is_a_clear_error(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A temporary directory that cannot be used is an InputFileError naming it."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
        with pytest.raises(InputFileError, match=r"temporary results.*TMPDIR"):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=2)

    def test_a_child_failing_to_write_its_results_is_a_clear_error(
        self, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A full disk in a child (an OSError) reaches the caller as an InputFileError."""
        monkeypatch.setattr(workers_module, "_evaluate_chunk", _disk_full)
        with pytest.raises(InputFileError, match="No space left on device"):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=2)
        assert multiprocessing.active_children() == []

    @pytest.mark.parametrize("place", [False, True])
    def test_rows_read_before_a_broken_file_all_come_before_its_error(
        self, tmp_path: Path, place: bool
    ) -> None:
        """Reading that fails mid-chunk: the rows before, handed out or not, still come
        (in order), then the error, as with one process."""

        def broken() -> Iterator[RawRow]:
            yield from (RawRow(n, {"id": f"p{n}"}) for n in range(1, 106))
            raise InputFileError("in.json", "not valid JSON")

        got: list[int] = []
        with (
            (tmp_path / "out").open("wb") as out,
            PositionalWriter(out, "out") as writer,
            pytest.raises(InputFileError, match="not valid JSON"),
        ):
            for o in workers_module.evaluate_rows(broken(), 2, _SlowInChildren, place=place):
                writer.write(o.payload)
                got.append(o.row)
        assert got == list(range(1, 106))
        assert multiprocessing.active_children() == []

    def test_a_child_that_dies_is_an_engine_error(self) -> None:
        """A child killed mid-run (no answer) stops the run with an error, not a hang."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 50))
        with pytest.raises(EngineError, match=r"stopped without answering \(exit code 3\)"):
            list(workers_module.evaluate_rows(rows, 2, _DiesInChildren))

    def test_an_exception_that_cannot_travel_is_described(self) -> None:
        """An exception a child cannot pickle back becomes an EngineError that names it."""
        portable = workers_module._portable(_Unpicklable("x", 1))
        assert isinstance(portable, EngineError)
        assert "_Unpicklable" in str(portable)
        same = EngineError("boom")
        assert workers_module._portable(same) is same

    def test_zero_workers_is_a_usage_error(self, ruleset: RuleSet) -> None:
        """At least one worker is needed."""
        with pytest.raises(UsageError):
            outcomes(PORTFOLIOS / "publisher.csv", ruleset, workers=0)


class TestPlacing:
    """With ``place``, a child's rows stay with it, and it writes them where it is told."""

    def test_a_childs_rows_come_as_remote_pieces_it_writes_itself(self, tmp_path: Path) -> None:
        """Rows the parent evaluated are bytes; a child's are Remote pieces, which the
        child writes into the output at the offsets the writer gives."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 201))
        path = tmp_path / "out"
        kinds: list[str] = []
        with path.open("wb") as out, PositionalWriter(out, str(path)) as writer:
            for o in workers_module.evaluate_rows(rows, 2, _SlowInChildren, place=True):
                kinds.append("bytes" if isinstance(o.payload, bytes) else "remote")
                writer.write(o.payload)
        assert set(kinds) == {"bytes", "remote"}
        expected = [b"parent" if k == "bytes" else b"child" for k in kinds]
        assert path.read_bytes() == b"".join(expected)
        assert multiprocessing.active_children() == []

    def test_every_payload_shape_of_bytes_is_placed(self, tmp_path: Path) -> None:
        """Bytes, Parts (one piece) and tuples of bytes (one piece each) are placed; the
        parent's own Parts are written in pieces."""
        numbers = [n for n in range(1, 200) if n != 3]  # 3 is not bytes: see the next test
        rows = (RawRow(n, {"id": f"p{n}"}) for n in numbers)
        path = tmp_path / "out"
        shapes: set[str] = set()
        with path.open("wb") as out, PositionalWriter(out, str(path)) as writer:
            for o in workers_module.evaluate_rows(rows, 2, _ShapesSlowInChildren, place=True):
                plain_tuple = isinstance(o.payload, tuple) and not isinstance(o.payload, Parts)
                parts = o.payload if plain_tuple else (o.payload,)
                shapes.add(f"{type(parts[0]).__name__}*{len(parts)}")
                for part in parts:
                    writer.write(part)
        expected = b"".join(_Shapes.flat(n) for n in numbers)
        assert path.read_bytes() == expected
        # rows 1-3 go to the child; this process's Parts stay in pieces
        assert shapes == {"Remote*1", "Remote*2", "Parts*1"}

    def test_a_payload_that_is_not_bytes_cannot_be_placed(self) -> None:
        """Only bytes have a size to keep room for: anything else is an error."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in [3] * 100)
        with pytest.raises(EngineError, match="not bytes cannot be placed"):
            list(workers_module.evaluate_rows(rows, 2, _ShapesSlowInChildren, place=True))
        assert multiprocessing.active_children() == []

    def test_a_piece_written_after_its_turn_is_an_error(self, tmp_path: Path) -> None:
        """A caller that keeps outcomes and writes them later is told, not given gaps."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 201))
        got = list(workers_module.evaluate_rows(rows, 2, _SlowInChildren, place=True))
        remote = next(o.payload for o in got if not isinstance(o.payload, bytes))
        with (
            (tmp_path / "out").open("wb") as out,
            pytest.raises(EngineError, match="placed after its turn"),
        ):
            PositionalWriter(out, "out").write(remote)

    def test_a_child_that_cannot_write_into_the_output_is_a_clear_error(self) -> None:
        """No room left in the output, in a child, is an InputFileError naming it."""
        # As many chunks as a child holds: the child takes them all, this process none.
        count = workers_module.DEPTH * workers_module.CHUNK_SIZE
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, count + 1))
        with (
            Path("/dev/full").open("wb") as out,
            pytest.raises(InputFileError, match=r"<out>: cannot be written: No space left"),
        ):
            writer = PositionalWriter(out, "<out>")
            for o in workers_module.evaluate_rows(rows, 2, _RowFunction, place=True):
                assert isinstance(o.payload, Remote)
                writer.write(o.payload)
        assert multiprocessing.active_children() == []

    @pytest.mark.parametrize("fmt", list(PORTFOLIO_FORMATS))
    def test_every_format_writes_what_one_worker_writes(
        self, ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
    ) -> None:
        """The document, laid out by offset and filled in by one child or two, is
        byte-identical to the one written by one process, bad rows included."""
        monkeypatch.setattr(workers_module, "CHUNK_SIZE", 2)
        lines = (PORTFOLIOS / "bad-rows.jsonl").read_text().splitlines()
        big = tmp_path / "big.jsonl"
        big.write_text("\n".join(lines * 6) + "\n")
        spec = PORTFOLIO_FORMATS[fmt]
        info = ReportInfo.of(str(big), ruleset)
        written = {}
        for workers in (1, 2, 3):
            path = tmp_path / f"out-{workers}"
            with path.open("wb") as out:
                place = workers > 1 and spec.can_place(out)
                results = run_batch(
                    str(big), spec.fragment, ruleset=ruleset, workers=workers, place=place
                )
                with spec.writer(out, str(path), place=place) as writer:
                    for chunk in spec.document(results, info):
                        writer.write(chunk)
            written[workers] = path.read_bytes()
        assert len(written[1]) > 1000
        assert written[2] == written[1]
        assert written[3] == written[1]  # two children, each told where its rows go

    def test_a_run_that_fails_here_keeps_its_output_as_one_process_would(
        self, tmp_path: Path
    ) -> None:
        """Closing the outcomes after a failure (as the CLI does before its writer ends)
        has the children write what was placed, then stop: the output is every row written
        before the failure, no gap."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 2001))
        path = tmp_path / "out"
        kinds: list[bytes] = []
        with path.open("wb") as out:
            out.write(b"before\n")
            with pytest.raises(RuntimeError), PositionalWriter(out, str(path)) as writer:
                results = workers_module.evaluate_rows(rows, 2, _SlowInChildren, place=True)
                with contextlib.closing(results):
                    for n, o in enumerate(results):
                        writer.write(o.payload)
                        kinds.append(o.payload if isinstance(o.payload, bytes) else b"child")
                        if n == 100:
                            raise RuntimeError("the run fails")
            assert multiprocessing.active_children() == []
            out.write(b"after\n")
        assert len(kinds) == 101
        assert b"child" in kinds
        assert path.read_bytes() == b"before\n" + b"".join(kinds) + b"after\n"

    def test_a_child_that_dies_leaves_no_output_with_gaps(self, tmp_path: Path) -> None:
        """A child gone before writing what was placed: the output is taken back whole
        (it would have gaps of zero bytes), and the run stops with an error."""
        rows = (RawRow(n, {"id": f"p{n}"}) for n in range(1, 2001))
        path = tmp_path / "out"
        with path.open("wb") as out:
            out.write(b"before\n")
            with (
                pytest.raises(EngineError, match="stopped without answering"),
                PositionalWriter(out, str(path)) as writer,
            ):
                results = workers_module.evaluate_rows(rows, 2, _DiesLaterInChildren, place=True)
                with contextlib.closing(results):
                    for o in results:
                        writer.write(o.payload)
            assert multiprocessing.active_children() == []
        assert path.read_bytes() == b"before\n"

    def test_a_child_told_to_write_a_chunk_it_let_go_says_so(self, tmp_path: Path) -> None:
        """In a child: a placement for a chunk already let go is an error, not a gap."""
        held = workers_module._Held()
        rows = [[[b"row 1;"]], [[b"matrix 2;", b"more;"], [b"details 2;"]]]
        held.chunks[0] = (rows, [[sum(map(len, part)) for part in row] for row in rows])
        path = tmp_path / "out"
        path.write_bytes(b"")
        fd = os.open(path, os.O_WRONLY)
        held.sinks[7] = (fd, "out")
        try:
            held.write([(0, 1, 1, 7, 6), (0, 0, 0, 7, 0), (0, 1, 0, 7, 16)])
            held.let_go([0])
            with pytest.raises(EngineError, match="placed after its turn"):
                held.write([(0, 0, 0, 7, 30)])
        finally:
            os.close(fd)
        assert path.read_bytes() == b"row 1;details 2;matrix 2;more;"

    def test_an_input_file_error_crosses_from_a_child_as_itself(self) -> None:
        """It pickles with its path and message, so the parent raises what the child did."""
        error = pickle.loads(pickle.dumps(InputFileError("out.jsonl", "cannot be written")))
        assert isinstance(error, InputFileError)
        assert (error.path, error.detail) == ("out.jsonl", "cannot be written")
        assert str(error) == "out.jsonl: cannot be written"


_PARENT = os.getpid()


class _RowFunction:
    """A stand-in row function for the worker tests: no rules, a payload saying who ran."""

    def __call__(self, raw: RawRow) -> RowOutcome:
        return RowOutcome(raw.row, raw.profile_id, (), None, self.payload(raw.row))

    def payload(self, row: int) -> object:  # noqa: ARG002  # subclasses use the row
        return b"parent" if os.getpid() == _PARENT else b"child"

    def pieces(self, raw: RawRow) -> RowOutcome:
        return self(raw)

    def share_memos(self) -> None:
        pass

    def memo_news(self) -> list[object]:
        return []

    def learn(self, news: list[object]) -> None:
        pass


class _SlowInChildren(_RowFunction):
    def payload(self, row: int) -> object:
        if os.getpid() != _PARENT:
            time.sleep(0.002)  # a child slower than the parent: the parent takes some rows
        return super().payload(row)


_SHARED_PIECE = Recurring(b"x" * 300)  # as a memoised journey's JSON


class _Shapes(_RowFunction):
    @staticmethod
    def shape(row: int) -> object:
        if row > 3:  # the same piece row after row, as a memoised journey's JSON
            return Parts((b"row %d:" % row, _SHARED_PIECE, b"\n"))
        return [b"line\n", (b"matrix", b"details"), {"row": row}][row - 1]

    def __call__(self, raw: RawRow) -> RowOutcome:
        outcome = self.pieces(raw)
        return RowOutcome(outcome.row, outcome.profile_id, (), None, joined(outcome.payload))

    def pieces(self, raw: RawRow) -> RowOutcome:
        return RowOutcome(raw.row, raw.profile_id, (), None, self.shape(raw.row))

    def payload(self, row: int) -> object:
        return self.shape(row)

    @staticmethod
    def flat(row: int) -> bytes:
        """The row's payload as the bytes written out (its parts one after the other)."""
        shape = _Shapes.shape(row)
        return b"".join(shape) if isinstance(shape, tuple) else bytes(shape)  # type: ignore[arg-type]


class _ShapesSlowInChildren(_Shapes):
    """Every shape, and a child slow enough that the parent takes rows too."""

    def pieces(self, raw: RawRow) -> RowOutcome:
        if os.getpid() != _PARENT:
            time.sleep(0.002)
        return super().pieces(raw)


class _DiesInChildren(_RowFunction):
    def payload(self, row: int) -> object:
        if os.getpid() != _PARENT:
            os._exit(3)
        return super().payload(row)


class _DiesLaterInChildren(_SlowInChildren):
    def payload(self, row: int) -> object:
        if os.getpid() != _PARENT and row > 100:
            os._exit(3)
        return super().payload(row)


class _Unpicklable(Exception):
    def __init__(self, a: str, b: int) -> None:  # pickling passes one argument back: fails
        super().__init__(f"{a}{b}")


def _disk_full(chunk: list[RawRow]) -> tuple[str, list[object]]:
    """Stands for a child whose spool write fails."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/eligibility-batch-x/y.spool")


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
