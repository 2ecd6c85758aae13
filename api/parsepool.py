"""Where the server parses text: a few worker processes behind a bounded queue.

Parsing a long text takes its worker for seconds; in worker processes it takes nothing else,
so the event loop keeps answering and a short text waits only for a free worker. When every
worker is busy and the queue is full the request is refused at once with 503 and
``Retry-After`` rather than piling up. A process can also be stopped mid-parse, which a
thread cannot: shutting the server down terminates its workers instead of waiting for them.
A parse stops itself when it runs past its time budget (``geo.ingest.limits.time_budget``);
one that does not stop within ``GRACE_S`` more has its workers terminated, and its request
gets 503.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from api.problems import Unavailable

T = TypeVar("T")
RETRY_AFTER_S = 5
GRACE_S = 10.0


class Busy(Unavailable):
    """Every parse worker is busy and the queue is full."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ParsePool:
    """``workers`` processes (0: one thread in this process, for tests and small tools)
    with at most ``queue`` requests waiting for them."""

    def __init__(self, workers: int = 1, queue: int = 8, retry_after: int = RETRY_AFTER_S,
                 warm: Callable[[], object] | None = None,
                 deadline: float | None = None) -> None:
        if workers < 0 or queue < 0:
            raise ValueError("parse workers and queue cannot be negative")
        self.workers, self.queue, self.retry_after = workers, queue, retry_after
        self.warm, self.deadline = warm, deadline
        self._executor: Executor | None = None
        self._admitted = 0
        self._lock = threading.Lock()
        _pools.add(self)

    @property
    def capacity(self) -> int:
        return max(1, self.workers) + self.queue

    def _pool(self) -> Executor:
        with self._lock:
            if self._executor is None:
                if self.workers == 0:
                    self._executor = ThreadPoolExecutor(1, thread_name_prefix="parse")
                else:
                    self._executor = ProcessPoolExecutor(
                        self.workers, mp_context=multiprocessing.get_context("spawn"),
                        initializer=_start_worker, initargs=(self.warm,))
                    # Every worker at once: one started later would load the model while a
                    # short text waits for it.
                    for _ in range(self.workers):
                        self._executor.submit(int)
            return self._executor

    def start(self) -> None:
        """Start the workers now rather than on the first text (a server that never parses
        need not call it, and then never pays for the model)."""
        self._pool()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            if self._admitted >= self.capacity:
                raise Busy(f"the server is parsing {self._admitted} texts already; try again "
                           f"in {self.retry_after} s", self.retry_after)
            self._admitted += 1
        try:
            future = asyncio.wrap_future(self._pool().submit(fn, *args))
            if self.deadline is None or self.workers == 0:
                return await future
            try:
                return await asyncio.wait_for(future, self.deadline + GRACE_S)
            except TimeoutError:
                self.close()  # the only way to stop a parse that ignores its budget
                raise Unavailable(f"the parse ran past its {self.deadline:g} s budget and "
                                  "was stopped; send a shorter text") from None
        except BrokenProcessPool:
            # A worker died (killed, out of memory, or the server is stopping): the next
            # request starts a fresh pool.
            self.close()
            raise Unavailable("the parse worker stopped before finishing this text; try "
                              f"again in {self.retry_after} s") from None
        finally:
            with self._lock:
                self._admitted -= 1

    def close(self) -> None:
        """Stop now: queued parses are dropped and running ones killed."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=2)


_pools: weakref.WeakSet[ParsePool] = weakref.WeakSet()


def close_all() -> None:
    """Every pool of this process stopped: a server shutting down calls it first, so that
    requests waiting on a parse end at once with 503 instead of being cancelled later."""
    for pool in list(_pools):
        pool.close()


def _start_worker(warm: Callable[[], object] | None) -> None:
    # Ctrl-C reaches the whole process group: the server decides, and stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        warm()
