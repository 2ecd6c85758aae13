"""What every route needs from the app: the store, opened once, and the public base URL."""

from __future__ import annotations

import threading
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response

from api.params import CRS84
from api.problems import Unavailable
from geo.errors import FrontlineError
from geo.store import Store, open_store


class StoreHolder:
    """Opens the store on first use, so a server starts (and says why) even if it cannot."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    try:
                        self._store = open_store(self.url)
                    except FrontlineError as exc:
                        raise Unavailable(f"the event store cannot be opened: {exc}") from exc
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def store_of(request: Request) -> Store:
    holder: StoreHolder = request.app.state.store
    return holder.get()


async def store(request: Request) -> Store:
    """FastAPI dependency. Async so that it runs on the event loop: a sync dependency
    costs a round trip through the thread pool on every request."""
    return store_of(request)


def base_url(request: Request) -> str:
    return str(request.base_url)


def dumps(doc: Any) -> bytes:
    """Compact UTF-8 JSON. orjson: encoding a page of events with the standard library
    costs about as much as reading it from the store."""
    return orjson.dumps(doc)


class GeoJSONResponse(Response):
    """GeoJSON is always CRS84; the header says so to clients of OGC API – Features Part 2."""

    media_type = "application/geo+json"

    def __init__(self, content: Any = None, status_code: int = 200,
                 headers: dict[str, str] | None = None, **kw: Any) -> None:
        super().__init__(content, status_code,
                         {"Content-Crs": f"<{CRS84}>", **(headers or {})}, **kw)

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else dumps(content)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else dumps(content)
