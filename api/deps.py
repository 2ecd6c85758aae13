"""What every route needs from the app: the store, opened once, and the public base URL."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

import orjson
from fastapi import Request
from fastapi.responses import Response

from api.errors import UsageError
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
    """The root that absolute links start from: the configured public URL, else the address
    the server listens on. Never the request's ``Host`` header, which the client chooses:
    links built from it would send other readers of a cached answer wherever it said."""
    configured: str | None = getattr(request.app.state, "public_url", None)
    if configured:
        return configured
    scope = request.scope
    scheme = scope.get("scheme", "http")
    host, port = scope.get("server") or ("localhost", None)
    netloc = f"[{host}]" if ":" in str(host) else str(host)
    if port and port != {"http": 80, "https": 443}.get(scheme):
        netloc += f":{port}"
    return f"{scheme}://{netloc}{scope.get('root_path', '')}/"


def public_url(value: str) -> str:
    """A public URL as configured, checked: http(s), a host, no query; ending in '/'."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise UsageError(f"public URL {value!r}: expected http(s)://host[:port][/path]")
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl()


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
