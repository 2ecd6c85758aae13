"""OGC API – Tiles routes: the tile matrix set, each tiled collection's tileset, its tiles."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from api import collections, deps, tiles
from api.deps import JSONResponse, base_url
from api.params import FilterLangParam, FilterParam, both, event_query, only, parse_filter
from api.problems import ApiError, NotFound, error_responses
from api.schemas import ok
from geo.store.base import EventQuery, Store

router = APIRouter()
StoreDep = Annotated[Store, Depends(deps.store)]
TiledId = Annotated[str, Path(alias="collectionId", description="events or oblasts",
                              json_schema_extra={"enum": list(tiles.TILED)})]
TmsId = Annotated[str, Path(alias="tileMatrixSetId", description="the tile matrix set",
                            json_schema_extra={"enum": [tiles.TMS_ID]})]
MatrixParam = Annotated[int, Path(alias="tileMatrix", ge=0, le=tiles.MAX_ZOOM,
                                  description="the zoom level")]
RowParam = Annotated[int, Path(alias="tileRow", ge=0, le=2**tiles.MAX_ZOOM - 1,
                               description="the row, from the top")]
ColParam = Annotated[int, Path(alias="tileCol", ge=0, le=2**tiles.MAX_ZOOM - 1,
                               description="the column, from the left")]
JSON_DOC = {"type": "object"}
NOT_OURS = "no tile matrix set {!r}; the tiles are in " + tiles.TMS_ID


def _scheme(tms: str) -> None:
    if tms != tiles.TMS_ID:
        raise NotFound(NOT_OURS.format(tms))


@router.get("/tileMatrixSets", summary="The tile matrix sets of the tiles",
            response_class=JSONResponse, dependencies=[Depends(only(filters=False))],
            responses={**ok("The tile matrix sets", json=JSON_DOC), **error_responses(400)})
def tile_matrix_sets(request: Request) -> Response:
    return JSONResponse(tiles.tile_matrix_sets(base_url(request)))


@router.get("/tileMatrixSets/{tileMatrixSetId}", summary="A tile matrix set's definition",
            response_class=JSONResponse, dependencies=[Depends(only(filters=False))],
            responses={**ok("The tile matrix set", json=JSON_DOC),
                       **error_responses(400, 404)})
def tile_matrix_set(request: Request, tms: TmsId) -> Response:
    _scheme(tms)
    return JSONResponse(tiles.tile_matrix_set(base_url(request)))


@router.get("/collections/{collectionId}/tiles", summary="A collection's vector tilesets",
            response_class=JSONResponse, dependencies=[Depends(only(filters=False))],
            responses={**ok("The tilesets", json=JSON_DOC), **error_responses(400, 404)})
def tilesets(request: Request, cid: TiledId) -> Response:
    return JSONResponse(tiles.tilesets(base_url(request), cid))


@router.get("/collections/{collectionId}/tiles/{tileMatrixSetId}",
            summary="A vector tileset's metadata", response_class=JSONResponse,
            dependencies=[Depends(only(filters=False))],
            responses={**ok("The tileset", json=JSON_DOC), **error_responses(400, 404)})
def tileset(request: Request, cid: TiledId, tms: TmsId) -> Response:
    _scheme(tms)
    return JSONResponse(tiles.tileset(base_url(request), cid))


@router.get("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}"
            "/{tileCol}", summary="A vector tile of the filtered features",
            response_class=Response,
            dependencies=[Depends(only("filter", "filter-lang"))],
            responses={**ok("The tile (Mapbox Vector Tile)", mvt={"type": "string",
                                                                  "format": "binary"}),
                       **error_responses(400, 404, 503)})
def tile(cid: TiledId, tms: TmsId, z: MatrixParam, row: RowParam, col: ColParam,
         store: StoreDep, q: Annotated[EventQuery, Depends(event_query)],
         filter_: FilterParam = None, filter_lang: FilterLangParam = None) -> Response:
    _scheme(tms)
    tiles.tiled(cid)
    asked = parse_filter(filter_, filter_lang)
    if asked is not None and cid not in collections.FILTERED:
        raise ApiError("filter: only the events tiles take it")
    q = replace(q, filter=both(q.filter, asked))
    # a zoomed-out tile counts a whole region: clients may keep it a minute
    return Response(tiles.tile(store, cid, z, row, col, q), media_type=tiles.MVT,
                    headers={"Cache-Control": f"public, max-age={tiles.MAX_AGE}"})
