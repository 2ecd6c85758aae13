"""The HTTP API: OGC API – Features over the event store, exports, maps and ingestion.

``create_app`` wires routers, error handling and limits; the routers only parse requests
and call plain functions (``api.ogc``, ``api.collections``, ``api.exports``), so all of the
API's logic runs without a server. Every error is a JSON ``{code, description}``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import deps, html, textin
from api.bodylimit import BodyLimit
from api.deps import JSONResponse, StoreHolder
from api.errors import UsageError
from api.openapi import to_openapi30
from api.params import PARAMETER_STYLES, parameter_schemas
from api.parsepool import RETRY_AFTER_S, ParsePool
from api.problems import ApiError
from api.routers import control, exports, ogc, tiles, write
from api.routers.webmap import ASSET_PATH
from geo.errors import FrontlineError
from geo.ingest import limits

OPENAPI_MEDIA = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_MAX_BODY = 10_000_000
log = logging.getLogger("frontline.api")


def _error(status: int, code: str, description: str,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "description": description}, status_code=status,
                        headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.status == 503:
            headers = {"Retry-After": str(getattr(exc, "retry_after", RETRY_AFTER_S))}
        return _error(exc.status, exc.code, str(exc), headers)

    @app.exception_handler(UsageError)
    async def usage_error(_: Request, exc: UsageError) -> Response:
        return _error(400, "InvalidParameterValue", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> Response:
        return _error(400, "InvalidParameterValue", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "NotFound", 405: "MethodNotAllowed"}
        return _error(exc.status_code, codes.get(exc.status_code, "HTTPError"),
                      str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(FrontlineError)
    async def data_error(_: Request, exc: FrontlineError) -> Response:
        log.error("store or data error: %s", exc)
        return _error(503, "ServiceUnavailable", f"the event store cannot be read: {exc}")

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return _error(500, "InternalError", "the server failed on this request; it is logged")


def _install_openapi(app: FastAPI) -> None:
    cache: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "doc" not in cache:
            cache["doc"] = to_openapi30(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes), parameter_schemas(), PARAMETER_STYLES)
        return cache["doc"]

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json() -> Response:
        return JSONResponse(openapi(), media_type=OPENAPI_MEDIA)

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return HTMLResponse(html.api_page(openapi()))


def create_app(store_url: str | None = None, *, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, parse_workers: int = 2,
               parse_queue: int = 8, public_url: str | None = None) -> FastAPI:
    """``store_url`` as ``geo.store.open_store`` reads it (None: ``$FRONTLINE_STORE`` or the
    default file); without ``token`` the write endpoint answers 403. Texts are parsed by
    ``parse_workers`` processes (0: a thread of this one) with ``parse_queue`` waiting.
    Absolute links start at ``public_url`` (default: the address the server listens on)."""
    from maps.assets import leaflet_static_dir

    if max_body < 1:
        raise UsageError(f"max_body must be at least 1 byte, got {max_body}")
    if parse_workers < 0 or parse_queue < 0:
        raise UsageError("parse workers and parse queue cannot be negative")
    holder = StoreHolder(store_url)
    parsers = ParsePool(parse_workers, parse_queue, warm=textin.warm,
                        deadline=limits.parse_budget())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            parsers.close()
            holder.close()

    app = FastAPI(
        title="Frontline", version="0.1.0", lifespan=lifespan,
        description="Events of the war in Ukraine from English news, as OGC API – Features. "
                    "Place data: GeoNames (CC BY 4.0); boundaries: Natural Earth.",
        openapi_url=None, docs_url=None, redoc_url=None)
    app.state.store = holder
    app.state.parsers = parsers
    app.state.public_url = deps.public_url(public_url) if public_url else None
    app.state.token = token or None
    _install_handlers(app)
    _install_openapi(app)
    app.include_router(ogc.router)
    app.include_router(tiles.router)
    app.include_router(exports.router)
    app.include_router(control.router)
    app.include_router(write.router)
    app.mount(ASSET_PATH, StaticFiles(directory=leaflet_static_dir()), name="leaflet")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])
    app.add_middleware(BodyLimit, max_body=max_body)
    return app


def app_from_env() -> FastAPI:
    """The app as ``frontline serve --workers N`` starts it in each worker process:
    ``FRONTLINE_STORE``, ``FRONTLINE_TOKEN``, ``FRONTLINE_MAX_BODY``,
    ``FRONTLINE_PARSE_WORKERS``, ``FRONTLINE_PARSE_QUEUE`` and ``FRONTLINE_PUBLIC_URL``
    configure it."""
    numbers = {}
    for name, default in (("FRONTLINE_MAX_BODY", DEFAULT_MAX_BODY),
                          ("FRONTLINE_PARSE_WORKERS", 2), ("FRONTLINE_PARSE_QUEUE", 8)):
        value = os.environ.get(name, str(default))
        if not value.isdigit():
            raise UsageError(f"{name}={value!r}: expected a whole number")
        numbers[name] = int(value)
    return create_app(os.environ.get("FRONTLINE_STORE") or None,
                      token=os.environ.get("FRONTLINE_TOKEN") or None,
                      max_body=numbers["FRONTLINE_MAX_BODY"],
                      parse_workers=numbers["FRONTLINE_PARSE_WORKERS"],
                      parse_queue=numbers["FRONTLINE_PARSE_QUEUE"],
                      public_url=os.environ.get("FRONTLINE_PUBLIC_URL") or None)
