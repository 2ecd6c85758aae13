"""Text in: ``POST /geoparse`` answers without storing, ``POST /articles`` ingests.

Ingestion changes what every reader sees, so it needs the server's token; parsing alone
changes nothing and is open like the read endpoints.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api import deps, schemas, textin
from api.problems import Forbidden, Unauthorized, error_responses
from geo.store.base import Store

router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="the server's FRONTLINE_TOKEN")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def check_token(request: Request, credentials: Credentials) -> None:
    expected: str | None = request.app.state.token
    if not expected:
        raise Forbidden("ingestion is disabled: the server was started without FRONTLINE_TOKEN")
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized("ingestion needs the header 'Authorization: Bearer TOKEN'")
    if not hmac.compare_digest(credentials.credentials.strip().encode(), expected.encode()):
        raise Forbidden("the token is not valid for this server")


async def _body_text(request: Request) -> tuple[str, dict[str, Any]]:
    """The text and metadata of a JSON object or a plain-text body."""
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return textin.parse_body(raw, kind)


GEOPARSE_BODY = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": schemas.TEXT_IN},
    "application/json": {"schema": schemas.GEOPARSE_IN}}}}
ARTICLE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": schemas.ARTICLE_IN},
    "text/plain": {"schema": schemas.TEXT_IN}}}}


@router.post("/geoparse", summary="Toponyms and events of a text, as GeoJSON; nothing is stored",
             response_class=deps.GeoJSONResponse, openapi_extra=GEOPARSE_BODY,
             responses={**schemas.ok("Toponyms and events as one FeatureCollection",
                                     geojson=schemas.FEATURE_COLLECTION),
                        **error_responses(400, 413, 415, 503)})
async def geoparse(request: Request) -> Response:
    text, meta = await _body_text(request)
    article = textin.article(text, meta)
    toponyms, events = await request.app.state.parsers.run(textin.parse, article, True)
    return deps.GeoJSONResponse(textin.geoparse_document(toponyms, events))


@router.post("/articles", summary="Ingest an article (needs the server's token)",
             response_class=deps.JSONResponse, openapi_extra=ARTICLE_BODY,
             status_code=201, dependencies=[Depends(check_token)],
             responses={201: {"description": "Stored; the events it fused into",
                              "content": schemas.content(json=schemas.INGESTED)},
                        200: {"description": "Already stored: nothing changed",
                              "content": schemas.content(json=schemas.INGESTED)},
                        **error_responses(400, 401, 403, 409, 413, 415, 503)})
async def ingest(request: Request, store: Annotated[Store, Depends(deps.store)]) -> Response:
    text, meta = await _body_text(request)
    article = textin.article(text, meta)
    _, events = await request.app.state.parsers.run(textin.parse, article, False)
    outcome = await run_in_threadpool(textin.ingest, store, article, events)
    return deps.JSONResponse({"article_id": article.id, "outcome": outcome,
                              "extracted": len(events)},
                             status_code=201 if outcome == "new" else 200)

