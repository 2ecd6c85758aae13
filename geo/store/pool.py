"""A few open connections, lent to whichever thread needs one.

Web servers run requests on short-lived threads; a connection per thread would pile up as
threads come and go. Lending from a small pool keeps the count bounded by the actual
concurrency, and a store stays usable from any thread. A database error reaches callers
as a ``StoreError`` naming the store, and the connection it happened on is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from geo.store.errors import StoreError

C = TypeVar("C")


class Pool(Generic[C]):
    def __init__(self, connect: Callable[[], C], close: Callable[[C], None], *,
                 errors: tuple[type[BaseException], ...], where: str, keep: int = 8) -> None:
        self._connect = connect
        self._close = close
        self._errors = errors
        self._where = where
        self._keep = keep
        self._idle: list[C] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def use(self) -> Iterator[C]:
        with self._lock:
            if self._closed:
                raise StoreError(f"{self._where}: the store is closed")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        healthy = True
        try:
            yield conn
        except self._errors as exc:
            healthy = False
            raise StoreError(f"{self._where}: {str(exc).strip() or type(exc).__name__}"
                             ) from exc
        finally:
            with self._lock:
                keep = healthy and not self._closed and len(self._idle) < self._keep
                if keep:
                    self._idle.append(conn)
            if not keep:
                self._close(conn)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            self._close(conn)
