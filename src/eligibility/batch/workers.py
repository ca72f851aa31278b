"""Evaluate a portfolio's rows in a pool of processes (``eligibility batch --workers N``).

The standard library's :class:`~concurrent.futures.ProcessPoolExecutor` does the work: this
process reads the rows and hands them out in chunks of :data:`CHUNK_SIZE`; each process of
the pool builds its row function once (the pool's initializer: one
:class:`~eligibility.decision.evaluator.Evaluator` per process), then evaluates *and
renders* the rows of each chunk it is given; the outcomes, rendered bytes included, come
back in input order.
At most :data:`AHEAD` chunks per process are in flight, so memory does not grow with the
input (nor when the output is slower to take them than the pool is to make them).

The pool is never larger than the machine's CPUs (asking for more is a usage error) nor
than the chunks of the portfolio (:func:`pool_size`). A pool process ends with the process
that started it, however that one ends (SIGKILL included): it watches its parent.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from eligibility.batch.outcome import RowOutcome
from eligibility.errors import EligibilityError, EngineError, UsageError

if TYPE_CHECKING:
    from eligibility.profile.portfolio import RawRow

#: Rows per chunk: enough that sending a chunk costs little beside evaluating it.
CHUNK_SIZE = 32
#: Chunks in flight (sent and not yet written out) per process of the pool, at most.
AHEAD = 4

RowFunction = Callable[["RawRow"], RowOutcome]

_row_function: RowFunction | None = None


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the platform tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pool_size(workers: int) -> int:
    """The processes ``workers`` asks for, checked against the CPUs this process may run on:
    more would only take turns on them, each holding its own rules and memos (``--workers
    100000`` would fork until memory runs out).

    Raises:
        UsageError: fewer than one worker, or more than the CPUs.
    """
    if workers < 1:
        raise UsageError(f"--workers {workers}: give 1 or more")
    cpus = available_cpus()
    if workers > cpus:
        raise UsageError(
            f"--workers {workers}: this machine lets the command run on {cpus} "
            f"CPU{'s' if cpus > 1 else ''}; give {cpus} or fewer"
        )
    return workers


def evaluate_rows(
    rows: Iterable[RawRow], workers: int, make: Callable[[], RowFunction]
) -> Generator[RowOutcome, None, None]:
    """Evaluate rows in a pool of ``workers`` processes, yielding the outcomes in input order.

    ``make`` builds the row function in each process of the pool (it must pickle where
    processes are spawned rather than forked). The pool has :func:`pool_size` processes,
    fewer for a portfolio of fewer chunks; one chunk is evaluated here, without a pool. When
    reading fails mid-way (a file broken beyond a row), the rows read before come first,
    then the error, as with one process.

    Raises:
        UsageError: fewer than one worker, or more than the CPUs.
        EngineError: a process of the pool died (killed, out of memory).
        EligibilityError: what reading the rows or evaluating them raised.
    """
    processes = pool_size(workers)
    chunks = _Chunks(rows)
    chunk_iter = iter(chunks)
    first = list(itertools.islice(chunk_iter, processes))
    if len(first) <= 1:
        evaluate = make()
        for chunk in first:
            yield from map(evaluate, chunk)
    else:
        yield from _in_pool(itertools.chain(first, chunk_iter), len(first), make)
    if chunks.error is not None:
        raise chunks.error


def _in_pool(
    chunks: Iterator[list[RawRow]], processes: int, make: Callable[[], RowFunction]
) -> Iterator[RowOutcome]:
    pool = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context(),
        initializer=_start,
        initargs=(make,),
    )
    pending: deque[Future[list[RowOutcome]]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_evaluate_chunk, chunk))
            if len(pending) >= AHEAD * processes:
                yield from _outcomes(pending.popleft())
        while pending:
            yield from _outcomes(pending.popleft())
    except (Exception, GeneratorExit):  # GeneratorExit: the caller stops early
        pool.shutdown(wait=True, cancel_futures=True)  # the chunks not started are dropped
        raise
    except BaseException:
        # A signal stopping the process (KeyboardInterrupt, the command line's Stopped):
        # not waited for, as a pool process the signal killed while it answered leaves
        # the pool waiting for ever; the pool's processes end with this one.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _outcomes(future: Future[list[RowOutcome]]) -> list[RowOutcome]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise EngineError("a worker process stopped without answering") from None


class _Chunks:
    """The rows in chunks; a file broken mid-way ends them, the error kept for later."""

    def __init__(self, rows: Iterable[RawRow]) -> None:
        self.rows = rows
        self.error: EligibilityError | None = None

    def __iter__(self) -> Iterator[list[RawRow]]:
        chunk: list[RawRow] = []
        try:
            for raw in self.rows:
                chunk.append(raw)
                if len(chunk) == CHUNK_SIZE:
                    yield chunk
                    chunk = []
        except EligibilityError as exc:
            self.error = exc
        if chunk:
            yield chunk


def _start(make: Callable[[], RowFunction]) -> None:
    """A pool process's start: tie its life to its parent's, then build the row function."""
    # multiprocessing's sentinel of the parent (a pipe only the parent writes to, with every
    # start method) becomes ready when the parent ends, killed or not: a thread waits for it.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    # Handlers a forked process inherits are the parent's, for the parent's clean-up: here
    # every signal does what it does by default; ^C (sent to the whole terminal's process
    # group) is the parent's to act on, and it stops the pool.
    for signum in signal.valid_signals():
        with contextlib.suppress(OSError, ValueError):
            if callable(signal.getsignal(signum)):
                signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _row_function
    _row_function = make()


def _end_with(parent_sentinel: int) -> None:
    """End this process as soon as its parent has ended (the sentinel is ready then)."""
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(1)


def _evaluate_chunk(chunk: list[RawRow]) -> list[RowOutcome]:
    assert _row_function is not None, "the pool's initializer builds it"
    return [_row_function(raw) for raw in chunk]
