"""Evaluate a stream of rows in several processes: this one and child processes.

The rows go out in chunks. A chunk goes to the least busy child process while some child
has fewer than :data:`DEPTH` chunks in hand; otherwise this process evaluates it itself.
So the reading process is an evaluator too and the children never wait for work: with
``--workers 2`` the two processes are this one and one child, and this one takes a little
less than half the rows, the rest of its time going to reading, collecting and writing.
(A pool of two children and an idle reader measured 1.3x on 2 cores: the reader was busy
a quarter of the time, and the children could not have that core time.)

Each child has its own pipe: chunks of raw rows go down it, with the memo entries made
elsewhere since the last chunk; for each chunk a short note comes back (the outcomes
without their payloads, and the child's new memo entries: see
:meth:`~eligibility.decision.evaluator.Evaluator.memo_news`).

The payloads, tens of kilobytes of rendered text per row, take one of two ways. When the
caller lays its output out by offset (``place=True``: see :mod:`eligibility.batch.placing`), they
stay in the child: each outcome's payload is a :class:`~eligibility.batch.placing.Remote` (or a
tuple of them), and when the caller writes it, the child is told where, with its next
chunk, and writes the bytes there itself (the output's descriptor is passed to it once).
The child lets go of a chunk's payloads once the caller has asked for the outcome after
that chunk's last: so a caller must write an outcome's pieces before asking for the next.
Otherwise they go through a spool file of a private temporary directory, as bytes (pickling
a megabyte of bytes costs more than writing it), and mostly by reference: a
:class:`~eligibility.decision.pieces.Recurring` piece (a memoised journey's JSON) is written once,
then kept on both sides and sent as its number (:class:`_Packer`). This process reads each
file when its chunk's turn comes, and deletes it at once. Chunks are taken back in input
order, and at most :data:`AHEAD` chunks per process are in flight or waiting, so memory
does not grow with the input.

Every evaluator runs the same code on the same rules, and their memos are exact, so the
output does not depend on which process evaluated a row.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.reduction
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from eligibility.batch.outcome import RowOutcome
from eligibility.batch.placing import PositionalWriter, Remote, write_at
from eligibility.decision.pieces import Parts, Recurring
from eligibility.errors import EligibilityError, EngineError, InputFileError

if TYPE_CHECKING:
    from eligibility.profile.portfolio import RawRow


class RowFunction(Protocol):
    """Evaluates one raw row; swaps memo entries with its peers (see :class:`Evaluator`)."""

    def __call__(self, raw: RawRow, /) -> RowOutcome: ...
    def pieces(self, raw: RawRow, /) -> RowOutcome: ...
    def share_memos(self) -> None: ...
    def memo_news(self) -> list[Any]: ...
    def learn(self, news: list[Any], /) -> None: ...


#: Rows per chunk.
CHUNK_SIZE = 16
#: Chunks a child holds (sent, not yet taken back) before this process evaluates one itself.
DEPTH = 3
#: Chunks in flight or waiting for their turn, per evaluating process, at most.
AHEAD = 4 * DEPTH

#: Bytes of payload pieces a child and this process keep (see :class:`_Packer`), at most.
KEPT_BYTES = 32 << 20

# How a payload travels in a spool file: bytes as they are, a tuple of bytes as its parts,
# Parts piece by piece, anything else pickled.
_BYTES, _PICKLED, _PARTS = -1, -2, -3

_evaluate: RowFunction | None = None
_spool = ""
_packer: _Packer


def evaluate_rows(
    rows: Iterator[RawRow],
    processes: int,
    make: Callable[[], RowFunction],
    *,
    place: bool = False,
) -> Generator[RowOutcome, None, None]:
    """Evaluate rows in ``processes`` processes (this one included), yielding in input order.

    ``make`` builds a row function; it is called once here and once in each child (it must
    be picklable where processes are spawned rather than forked). With ``place``, a child's
    payloads come as :class:`~eligibility.batch.placing.Remote` pieces, to be written to a
    :class:`~eligibility.batch.placing.PositionalWriter` before the next outcome is asked for,
    and this process's own :class:`~eligibility.decision.pieces.Parts` payloads stay in pieces.

    Raises:
        InputFileError: the spool directory cannot be written (no room, no directory), or
            a child could not write its bytes into the output.
        EngineError: a child process stopped without answering.
    """
    try:
        yield from _shared(rows, processes, make, place)
    except OSError as exc:  # the input's own errors are InputFileErrors already: the spool's
        where = exc.filename or tempfile.gettempdir()
        raise InputFileError(
            str(where),
            f"cannot hold the workers' temporary results ({exc.strerror or exc}); "
            "set TMPDIR to a directory with room, or use --workers 1",
        ) from None


def _shared(
    rows: Iterator[RawRow], processes: int, make: Callable[[], RowFunction], place: bool
) -> Iterator[RowOutcome]:
    chunks = _chunked(rows)
    with tempfile.TemporaryDirectory(prefix="eligibility-batch-") as spool:
        helpers = [_Helper(make, spool, place) for _ in range(processes - 1)]
        try:
            evaluate = make()
            evaluate.share_memos()
            # each entry: the outcomes of a chunk evaluated here, or the helper evaluating it
            pending: deque[list[RowOutcome] | _Helper] = deque()
            broken: EligibilityError | None = None
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except EligibilityError as exc:  # a file broken beyond a row, mid-way
                    broken = exc
                    break
                _swap(evaluate, helpers)
                helper = min(helpers, key=_Helper.in_hand)
                if helper.in_hand() < DEPTH:
                    helper.send(chunk)
                    pending.append(helper)
                elif place:  # payloads in pieces are written as they are (see placing)
                    pending.append([evaluate.pieces(raw) for raw in chunk])
                else:
                    pending.append([evaluate(raw) for raw in chunk])
                while pending and (len(pending) > AHEAD * processes or _ready(pending[0])):
                    yield from _take(pending.popleft())
            while pending:
                yield from _take(pending.popleft())
            for h in helpers:
                h.stop()
            if broken is not None:  # after the rows read before it, as with one process
                raise broken
        finally:  # children still running when the run failed or was closed early
            _end(helpers)


def _end(helpers: list[_Helper]) -> None:
    """Stop every child: after its last writes where it can still do them, so a run that
    fails keeps the output it had (as one process would), else at once."""
    try:
        for h in helpers:
            h.settle()
    finally:
        for h in helpers:
            h.kill()


def _chunked(rows: Iterator[RawRow]) -> Iterator[list[RawRow]]:
    """The rows in chunks of :data:`CHUNK_SIZE`; when reading fails, the rows read before
    the failure still come, then the error."""
    chunk: list[RawRow] = []
    try:
        for raw in rows:
            chunk.append(raw)
            if len(chunk) == CHUNK_SIZE:
                yield chunk
                chunk = []
    except EligibilityError:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


def _swap(evaluate: RowFunction, helpers: list[_Helper]) -> None:
    """Pass memo entries around: this process's to every child, each child's to all."""
    for h in helpers:
        for news in h.collect():
            evaluate.learn(news)
            for other in helpers:
                if other is not h:
                    other.outbox.extend(news)
    news = evaluate.memo_news()
    for h in helpers:
        h.outbox.extend(news)


def _ready(entry: list[RowOutcome] | _Helper) -> bool:
    return isinstance(entry, list) or entry.has_result()


def _take(entry: list[RowOutcome] | _Helper) -> list[RowOutcome] | Iterator[RowOutcome]:
    return entry if isinstance(entry, list) else entry.take()


class _Helper:
    """A child process evaluating the chunks sent down its pipe, one after another."""

    def __init__(self, make: Callable[[], RowFunction], spool: str, place: bool) -> None:
        ctx = multiprocessing.get_context()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, make, spool, place), daemon=True)
        self.process.start()
        child.close()
        self.sent = 0
        self.taken = 0
        self.received: deque[Any] = deque()
        self.place_mode = place
        #: What goes with the next message: the memo entries made elsewhere since the last
        #: chunk sent, where to write payloads held by the child (chunk, row, part, output
        #: descriptor, offset), the chunks whose payloads it can let go of, and the outputs
        #: it has not been given yet (descriptor, name).
        self.outbox: list[Any] = []
        self.placements: list[tuple[int, int, int, int, int]] = []
        self.finished: list[int] = []
        self.new_sinks: list[tuple[int, str]] = []
        self.sinks: set[int] = set()
        self.stopped = False
        self.settled = False
        self.unpacker = _Unpacker()

    def in_hand(self) -> int:
        """Chunks sent and not yet answered."""
        return self.sent - self.taken - len(self.received)

    def send(self, chunk: list[RawRow]) -> None:
        self._post(chunk)
        self.sent += 1

    def _post(self, chunk: list[RawRow] | None) -> None:
        message = (chunk, self.outbox, self.placements, self.finished, self.new_sinks)
        try:
            self.conn.send(message)
            for fd, _ in self.new_sinks:  # the descriptor itself, over the pipe's socket
                multiprocessing.reduction.send_handle(self.conn, fd, self.process.pid)
        except ConnectionError:  # the child is gone (a broken pipe is not a spool problem)
            raise self._gone() from None
        self.outbox, self.placements, self.finished, self.new_sinks = [], [], [], []

    def place(self, key: tuple[int, int, int], sink: PositionalWriter, offset: int) -> None:
        """Have the child write a payload piece it holds into ``sink`` at ``offset``."""
        if self.stopped:
            raise EngineError("a row's output was placed after its turn")
        if sink.fd not in self.sinks:
            self.sinks.add(sink.fd)
            self.new_sinks.append((sink.fd, sink.name))
        self.placements.append((*key, sink.fd, offset))

    def collect(self) -> list[list[Any]]:
        """Receive the notes that have arrived, without waiting; their memo entries."""
        news = []
        while self.conn.poll():
            note = self._receive()
            self.received.append(note)
            if note[0] == "ok":
                news.append(note[-1])
        return news

    def has_result(self) -> bool:
        """Whether the oldest chunk's note is in (as of the last :meth:`collect`)."""
        return bool(self.received)

    def take(self) -> Iterator[RowOutcome]:
        """The outcomes of the oldest chunk sent (waiting for them if needed)."""
        note = self.received.popleft() if self.received else self._receive()
        chunk = self.taken
        self.taken += 1
        kind, *rest = note
        if kind == "error":
            raise rest[0]
        body, _news = rest
        if self.place_mode:
            return self._remotes(chunk, body)
        return self.unpacker.unspool(*body)

    def _remotes(self, chunk: int, stubs: list[_Stub]) -> Iterator[RowOutcome]:
        """A chunk's outcomes, their payloads left in the child; it lets go of them once
        the caller asks for the outcome after the last (it has written them, or never will)."""
        for row, (bare, shape, sizes) in enumerate(stubs):
            payload: Remote | tuple[Remote, ...]
            if shape < 0:
                payload = Remote(sum(sizes), self, (chunk, row, 0))
            else:
                payload = tuple(Remote(n, self, (chunk, row, part)) for part, n in enumerate(sizes))
            yield RowOutcome.rebuilt(bare, payload)
        self.finished.append(chunk)

    def _receive(self) -> Any:
        try:
            return self.conn.recv()
        except (EOFError, ConnectionError):
            raise self._gone() from None

    def _gone(self) -> EngineError:
        self.process.join(1)
        code = self.process.exitcode
        return EngineError(f"a worker process stopped without answering (exit code {code})")

    def written(self) -> bool:
        """Whether the child has written every piece placed (it stopped after writing)."""
        return self.settled

    def stop(self) -> None:
        """Send what is left to do (the last writes), wait for the child to finish it, stop.

        Notes of chunks still in flight (a run that failed) are passed over.
        """
        self._post(None)
        self.stopped = True
        while (note := self._receive())[0] != "stopped":
            pass
        if note[1] is not None:
            raise note[1]
        self.settled = True
        self.process.join()
        self.conn.close()

    def settle(self) -> None:
        """When the run ends early: stop after the last writes, if there are some to do and
        the child can still do them; else leave it to :meth:`kill`."""
        if not self.place_mode or self.stopped or not self.process.is_alive():
            return
        # Another exception is on its way up: this one would only hide it. Unsettled, the
        # child's pieces count as unwritten, and the output is taken back.
        with contextlib.suppress(Exception):
            self.stop()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def _serve(conn: Connection, make: Callable[[], RowFunction], spool: str, place: bool) -> None:
    """A child's loop: evaluate each chunk received, answer with a note, until a chunk is
    None (then answer that the last writes are done)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle: it stops us
    global _evaluate, _spool, _packer
    _evaluate, _spool, _packer = make(), spool, _Packer()
    _evaluate.share_memos()
    held = _Held()
    try:
        while True:
            chunk, news, placements, finished, new_sinks = conn.recv()
            for fd, name in new_sinks:
                held.sinks[fd] = (multiprocessing.reduction.recv_handle(conn), name)
            note: tuple[Any, ...]
            try:
                held.write(placements)
                held.let_go(finished)
                if chunk is None:
                    note = ("stopped", None)
                else:
                    _evaluate.learn(news)
                    body = held.hold(chunk) if place else _evaluate_chunk(chunk)
                    note = ("ok", body, _evaluate.memo_news())
            except Exception as exc:  # handed to the parent, which raises it
                note = ("stopped" if chunk is None else "error", _portable(exc))
            conn.send(note)
            if chunk is None:
                return
    finally:
        for fd, _ in held.sinks.values():
            os.close(fd)


class _Held:
    """A child's payloads kept until the parent says where they go (``place=True``)."""

    def __init__(self) -> None:
        # chunk -> (row -> part -> pieces, row -> part -> size)
        self.chunks: dict[int, tuple[list[list[list[bytes]]], list[list[int]]]] = {}
        self.sinks: dict[int, tuple[int, str]] = {}  # parent's descriptor -> ours, its name
        self.number = 0

    def hold(self, chunk: list[RawRow]) -> list[_Stub]:
        """Evaluate a chunk and keep its payloads; their stubs (see :class:`_Packer`)."""
        assert _evaluate is not None, "_serve builds the row function first"
        rows: list[list[list[bytes]]] = []
        stubs: list[_Stub] = []
        for raw in chunk:
            outcome = _evaluate.pieces(raw)
            payload = outcome.payload
            if isinstance(payload, Parts):
                shape, parts = _PARTS, [list(payload)]
            else:
                shape, flat = _shape(payload)
                if shape == _PICKLED:  # only bytes can be placed: a caller's mistake
                    raise EngineError("a payload that is not bytes cannot be placed")
                parts = [[p] for p in flat]
            rows.append(parts)
            stubs.append((outcome.bare(), shape, [sum(map(len, p)) for p in parts]))
        self.chunks[self.number] = (rows, [sizes for _, _, sizes in stubs])
        self.number += 1
        return stubs

    def write(self, placements: list[tuple[int, int, int, int, int]]) -> None:
        """Write the payload pieces where the parent placed them, each run of pieces that
        follow each other in one output with one system call."""
        run: list[bytes] = []
        run_fd = run_end = -1
        start = 0
        for chunk, row, part, fd, offset in placements:
            held = self.chunks.get(chunk)
            if held is None:
                raise EngineError("a row's output was placed after its turn")
            rows, sizes = held
            if fd != run_fd or offset != run_end:
                if run:
                    write_at(self.sinks[run_fd][0], run, start, self.sinks[run_fd][1])
                run, run_fd, start, run_end = [], fd, offset, offset
            run += rows[row][part]
            run_end += sizes[row][part]
        if run:
            write_at(self.sinks[run_fd][0], run, start, self.sinks[run_fd][1])

    def let_go(self, finished: list[int]) -> None:
        """Forget the payloads of chunks the parent is done with."""
        for chunk in finished:
            del self.chunks[chunk]


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else an EngineError that says it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any failure means: send a description instead
        return EngineError(f"a worker process failed: {exc!r}")
    return exc


def _evaluate_chunk(chunk: list[RawRow]) -> _Packed:
    """Evaluate a chunk in a child: the spool file of its payloads, and what reads them."""
    assert _evaluate is not None, "_serve builds the row function first"
    outcomes = [_evaluate.pieces(raw) for raw in chunk]
    fd, path = tempfile.mkstemp(dir=_spool, suffix=".spool")
    with os.fdopen(fd, "wb") as f:
        return path, *_packer.pack(outcomes, f)


# A spool file's note: its path, whether the pieces kept so far are dropped first, the
# sizes of the pieces kept from this chunk on (written first), and the outcomes' stubs:
# each outcome's fields but its payload (RowOutcome.bare), the payload's shape and its
# pieces (see _Packer).
_Stub = tuple[tuple[Any, ...], int, list[int]]
_Packed = tuple[str, bool, list[int], list[_Stub]]


class _Packer:
    """Writes a child's payloads to spool files; recurring pieces are kept on both sides.

    A :class:`~eligibility.decision.pieces.Recurring` piece of a payload in
    :class:`~eligibility.decision.pieces.Parts` goes in the file the first time; then the child and
    the reading process both keep it, numbered in the order kept, and from then on only
    its number travels. Pieces are told apart by content: the journey JSON cache, when it
    starts again, makes new objects of the same text (and a bytes object caches its hash,
    so a lookup costs little). At most :data:`KEPT_BYTES` are kept; past that both sides
    drop them and start again (the note says so).
    """

    def __init__(self) -> None:
        self.kept: dict[bytes, int] = {}  # piece -> its number
        self.kept_bytes = 0

    def pack(self, outcomes: list[RowOutcome], f: IO[bytes]) -> tuple[bool, list[int], list[_Stub]]:
        """Write the outcomes' payloads to ``f``; the note's reset flag, kept sizes, stubs."""
        reset = self.kept_bytes > KEPT_BYTES
        if reset:
            self.kept.clear()
            self.kept_bytes = 0
        kept: list[bytes] = []
        written: list[bytes] = []
        stubs: list[_Stub] = []
        for outcome in outcomes:
            payload = outcome.payload
            if isinstance(payload, Parts):
                shape, sizes = _PARTS, self._pieces(payload, kept, written)
            else:
                shape, parts = _shape(payload)
                written += parts
                sizes = [len(p) for p in parts]
            stubs.append((outcome.bare(), shape, sizes))
        f.write(b"".join(kept + written))  # one write: the pieces are small but many
        return reset, [len(p) for p in kept], stubs

    def _pieces(self, payload: Parts, kept: list[bytes], written: list[bytes]) -> list[int]:
        """Each recurring piece's number (as ``~number``), and the size of each run of
        other pieces between them (a decision has dozens of pieces, mostly separators)."""
        sizes: list[int] = []
        run = 0
        numbers = self.kept
        for piece in payload:
            if isinstance(piece, Recurring):
                number = numbers.get(piece)
                if number is None:
                    number = numbers[piece] = len(numbers)
                    self.kept_bytes += len(piece)
                    kept.append(piece)
                if run:
                    sizes.append(run)
                    run = 0
                sizes.append(~number)
            else:
                written.append(piece)
                run += len(piece)
        if run:
            sizes.append(run)
        return sizes


def _shape(payload: Any) -> tuple[int, list[bytes]]:
    if isinstance(payload, bytes):
        return _BYTES, [payload]
    if isinstance(payload, tuple) and all(isinstance(p, bytes) for p in payload):
        return len(payload), list(payload)
    return _PICKLED, [pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)]


class _Unpacker:
    """Reads a child's spool files back, with the pieces kept so far (see :class:`_Packer`)."""

    def __init__(self) -> None:
        self.kept: list[bytes] = []

    def unspool(
        self, path: str, reset: bool, kept: list[int], stubs: list[_Stub]
    ) -> Iterator[RowOutcome]:
        """The outcomes of a chunk, payloads read back from its spool file (then deleted)."""
        spooled = Path(path)
        try:
            data = memoryview(spooled.read_bytes())
        finally:
            spooled.unlink()
        expected = sum(kept) + sum(n for _, _, sizes in stubs for n in sizes if n >= 0)
        if len(data) != expected:
            raise InputFileError(path, "a worker's temporary results were cut short")
        if reset:
            self.kept.clear()
        at = 0
        for n in kept:
            self.kept.append(bytes(data[at : at + n]))
            at += n
        table = self.kept
        for bare, shape, sizes in stubs:
            pieces: list[Any] = []
            for n in sizes:
                if n < 0:
                    pieces.append(table[~n])
                else:
                    pieces.append(data[at : at + n])
                    at += n
            if shape == _PARTS:
                payload: Any = b"".join(pieces)
            elif shape == _BYTES:
                payload = bytes(pieces[0])
            elif shape == _PICKLED:
                payload = pickle.loads(pieces[0])
            else:
                payload = tuple(bytes(p) for p in pieces)
            yield RowOutcome.rebuilt(bare, payload)
