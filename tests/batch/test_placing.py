"""Output laid out by offset: bytes written in place, room kept for a worker's bytes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from eligibility.batch import placing
from eligibility.batch.placing import (
    PositionalWriter,
    Remote,
    StreamWriter,
    placeable,
    size,
    write_at,
    writer_for,
)
from eligibility.decision.pieces import Parts
from eligibility.errors import EngineError, InputFileError
from eligibility.render import portfolio as portfolio_formats
from eligibility.render.portfolio import PORTFOLIO_FORMATS


class _Placer:
    """Stands for a worker: writes the bytes it holds where it is told, when told."""

    def __init__(self, held: dict[tuple[int, int, int], bytes], *, done: bool = True) -> None:
        self.held = held
        self.placed: list[tuple[tuple[int, int, int], int]] = []
        self.done = done

    def remote(self, key: tuple[int, int, int]) -> Remote:
        return Remote(len(self.held[key]), self, key)

    def place(self, key: tuple[int, int, int], sink: PositionalWriter, offset: int) -> None:
        self.placed.append((key, offset))
        if self.done:
            os.pwrite(sink.fd, self.held[key], offset)

    def written(self) -> bool:
        return self.done


class TestPositionalWriter:
    def test_bytes_follow_each_other_from_where_the_file_stands(self, tmp_path: Path) -> None:
        """Writing starts at the descriptor's position (after what ``out`` buffered)."""
        path = tmp_path / "out"
        with path.open("wb") as out:
            out.write(b"before;")
            with PositionalWriter(out, str(path)) as w:
                w.write(b"one;")
                w.write(b"two;")
            out.write(b"after")
        assert path.read_bytes() == b"before;one;two;after"

    def test_a_remote_piece_is_written_by_its_holder_at_its_offset(self, tmp_path: Path) -> None:
        """Room is kept for a remote piece; its holder is told where, and fills it."""
        placer = _Placer({(0, 0, 0): b"REMOTE-0;", (0, 1, 0): b"REMOTE-1;"})
        path = tmp_path / "out"
        with path.open("wb") as out, PositionalWriter(out, str(path)) as w:
            w.write(b"head;")
            w.write(placer.remote((0, 0, 0)))
            w.write(b"mine;")
            w.write(placer.remote((0, 1, 0)))
            w.write(b"tail")
        assert path.read_bytes() == b"head;REMOTE-0;mine;REMOTE-1;tail"
        assert placer.placed == [((0, 0, 0), 5), ((0, 1, 0), 19)]

    def test_the_descriptor_ends_after_the_output(self, tmp_path: Path) -> None:
        """What is written to the file next follows the output, as after plain writes."""
        placer = _Placer({(0, 0, 0): b"LAST"})
        path = tmp_path / "out"
        with path.open("wb") as out:
            with PositionalWriter(out, str(path)) as w:
                w.write(b"first;")
                w.write(placer.remote((0, 0, 0)))
            assert os.lseek(out.fileno(), 0, os.SEEK_CUR) == 10
            out.write(b";next")
        assert path.read_bytes() == b"first;LAST;next"

    def test_bytes_in_pieces_are_written_as_they_are(self, tmp_path: Path) -> None:
        """A payload in pieces is written piece after piece, not joined first."""
        path = tmp_path / "out"
        with path.open("wb") as out, PositionalWriter(out, str(path)) as w:
            w.write(Parts((b"a", b"", b"bc")))
            w.write(b"d")
        assert path.read_bytes() == b"abcd"

    def test_own_bytes_are_gathered_into_few_writes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Small pieces are written together, once enough are gathered or at the end."""
        calls: list[int] = []
        pwritev = os.pwritev

        def counted(fd: int, buffers: list[memoryview], offset: int) -> int:
            calls.append(len(buffers))
            return pwritev(fd, buffers, offset)

        monkeypatch.setattr(placing.os, "pwritev", counted)
        monkeypatch.setattr(placing, "BUFFER_BYTES", 10)
        path = tmp_path / "out"
        with path.open("wb") as out, PositionalWriter(out, str(path)) as w:
            for piece in (b"abc", b"def", b"ghij", b"kl"):
                w.write(piece)
        assert path.read_bytes() == b"abcdefghijkl"
        assert calls == [3, 1]

    def test_a_failed_block_keeps_what_was_written(self, tmp_path: Path) -> None:
        """An exception in the block, every remote piece written: the output stops where
        the run did, as with plain writes."""
        placer = _Placer({(0, 0, 0): b"REMOTE;"})
        path = tmp_path / "out"
        with path.open("wb") as out:
            out.write(b"kept;")
            with pytest.raises(RuntimeError), PositionalWriter(out, str(path)) as w:
                w.write(b"mine;")
                w.write(placer.remote((0, 0, 0)))
                w.write(b"gathered;")
                raise RuntimeError("the run failed")
            out.write(b"next")
        assert path.read_bytes() == b"kept;mine;REMOTE;gathered;next"

    def test_a_failed_block_with_an_unwritten_piece_takes_the_output_back(
        self, tmp_path: Path
    ) -> None:
        """An exception in the block while a remote piece is not written: the file is cut
        back to where the output started, so it has no gap a worker never filled."""
        placer = _Placer({(0, 0, 0): b"REMOTE"}, done=False)
        path = tmp_path / "out"
        with path.open("wb") as out:
            out.write(b"kept;")
            with pytest.raises(RuntimeError), PositionalWriter(out, str(path)) as w:
                w.write(b"x" * 100)
                w.write(placer.remote((0, 0, 0)))
                w.flush()
                raise RuntimeError("the run failed")
            out.write(b"next")
        assert path.read_bytes() == b"kept;next"

    def test_a_write_that_fails_names_the_output(self) -> None:
        """No room left is an InputFileError naming the output, not a traceback."""
        with (
            Path("/dev/full").open("wb") as out,
            pytest.raises(InputFileError, match=r"<stdout>: cannot be written: No space left"),
            PositionalWriter(out, "<stdout>") as w,
        ):
            w.write(b"x")


class TestWriteAt:
    def test_more_buffers_than_one_call_takes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Buffers past the system's limit per call go in further calls, in order."""
        monkeypatch.setattr(placing, "_IOV_MAX", 3)
        path = tmp_path / "out"
        path.write_bytes(b"")
        fd = os.open(path, os.O_WRONLY)
        try:
            write_at(fd, [b"%d," % n for n in range(10)], 2, str(path))
        finally:
            os.close(fd)
        assert path.read_bytes() == b"\0\0" + b"".join(b"%d," % n for n in range(10))

    def test_a_short_write_goes_on_where_it_stopped(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that takes only part of the bytes (a signal, a full pipe) is resumed."""
        pwritev = os.pwritev

        def at_most_4(fd: int, buffers: list[memoryview], offset: int) -> int:
            first = bytes(b"".join(buffers))[:4]
            return pwritev(fd, [first], offset)

        monkeypatch.setattr(placing.os, "pwritev", at_most_4)
        path = tmp_path / "out"
        path.write_bytes(b"")
        fd = os.open(path, os.O_WRONLY)
        try:
            write_at(fd, [b"abcdef", b"gh", b"", b"ijklm"], 0, str(path))
        finally:
            os.close(fd)
        assert path.read_bytes() == b"abcdefghijklm"

    def test_without_positional_writes_it_seeks_then_writes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where the platform has no pwritev (Windows), this process alone writes: by
        seeking, then writing, with the same result."""
        monkeypatch.setattr(placing, "POSITIONAL", False)
        path = tmp_path / "out"
        with path.open("wb") as out, PositionalWriter(out, str(path)) as w:
            w.write(b"ab")
            w.flush()
            w.write(Parts((b"cd", b"e")))
        assert path.read_bytes() == b"abcde"


class TestPlaceable:
    def test_a_regular_file_is(self, tmp_path: Path) -> None:
        """A file opened for writing takes positional writes."""
        with (tmp_path / "out").open("wb") as out:
            assert placeable(out)

    def test_a_file_opened_for_appending_is_not(self, tmp_path: Path) -> None:
        """With O_APPEND every positional write would land at the end (``>>``)."""
        with (tmp_path / "out").open("ab") as out:
            assert not placeable(out)

    def test_dev_null_is(self) -> None:
        """A device that seeks takes them (the benchmarks write there)."""
        with Path(os.devnull).open("wb") as out:
            assert placeable(out)

    def test_a_pipe_is_not(self) -> None:
        """A pipe takes bytes one after the other only."""
        read, write = os.pipe()
        with os.fdopen(read, "rb"), os.fdopen(write, "wb") as out:
            assert not placeable(out)

    def test_an_in_memory_file_is_not(self) -> None:
        """No descriptor (as under click's CliRunner)."""
        assert not placeable(io.BytesIO())

    def test_nothing_is_where_the_platform_cannot(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pwritev, no output is, and no format has the children write: not even
        the reports for people into their own sections."""
        monkeypatch.setattr(placing, "POSITIONAL", False)
        monkeypatch.setattr(portfolio_formats, "POSITIONAL", False)
        with (tmp_path / "out").open("wb") as out:
            assert not placeable(out)
            assert not any(f.can_place(out) for f in PORTFOLIO_FORMATS.values())

    def test_a_closed_file_is_not(self, tmp_path: Path) -> None:
        """A descriptor already closed cannot be written to."""
        out = (tmp_path / "out").open("wb")
        out.close()
        assert not placeable(out)


class TestStreamWriter:
    def test_writes_bytes_in_order(self) -> None:
        """Bytes go to the stream as they come, flushed at the end."""
        out = io.BytesIO()
        with writer_for(out, "<stdout>", place=False) as w:
            w.write(b"a")
            w.write(b"b")
        assert out.getvalue() == b"ab"

    def test_joins_bytes_in_pieces(self) -> None:
        """A stream takes a payload in pieces joined."""
        out = io.BytesIO()
        with StreamWriter(out, "<stdout>") as w:
            w.write(Parts((b"a", b"b")))
        assert out.getvalue() == b"ab"

    def test_refuses_a_remote_piece(self) -> None:
        """A worker's bytes cannot go into a stream: a caller's mistake, said clearly."""
        with pytest.raises(EngineError, match="cannot be placed in a stream"):
            StreamWriter(io.BytesIO(), "<stdout>").write(
                _Placer({(0, 0, 0): b"x"}).remote((0, 0, 0))
            )

    def test_a_write_that_fails_names_the_output(self) -> None:
        """No room left is an InputFileError naming the output, not a traceback."""
        with (
            Path("/dev/full").open("wb", buffering=0) as out,
            pytest.raises(InputFileError, match=r"<stdout>: cannot be written: No space left"),
        ):
            StreamWriter(out, "<stdout>").write(b"x")

    def test_a_reader_gone_stays_a_broken_pipe(self) -> None:
        """``| head`` closing early is left to click, which ends quietly."""
        read, write = os.pipe()
        os.close(read)
        with (
            os.fdopen(write, "wb", buffering=0) as out,
            pytest.raises(BrokenPipeError),
        ):
            StreamWriter(out, "<stdout>").write(b"x")


def test_size_counts_the_bytes_of_every_kind_of_output() -> None:
    """Bytes, pieces and a child's bytes: their size in bytes."""
    remote = _Placer({(0, 0, 0): b"12345"}).remote((0, 0, 0))
    assert [size(b"abc"), size(Parts((b"ab", b"cde"))), size(remote)] == [3, 5, 5]


def test_writer_for_places_only_when_asked(tmp_path: Path) -> None:
    """``place`` chooses the positional writer; otherwise the stream writer."""
    with (tmp_path / "out").open("wb") as out:
        assert isinstance(writer_for(out, "out", place=True), PositionalWriter)
        assert isinstance(writer_for(out, "out", place=False), StreamWriter)
