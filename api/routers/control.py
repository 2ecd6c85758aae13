"""Who held a settlement, asked by name: every place the name can mean, with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import control_places, deps, schemas
from api.deps import GeoJSONResponse
from api.problems import ApiError, error_responses
from geo.store.base import Store

router = APIRouter()
StoreDep = Annotated[Store, Depends(deps.store)]
NameParam = Annotated[str, Query(min_length=1, max_length=200,
                                 description="a settlement's name, in any script or spelling")]


@router.get("/control/places", summary="Who held the settlements of a name, snapshot by snapshot",
            response_class=GeoJSONResponse,
            responses={**schemas.ok("The settlements the name can mean, each with its side "
                                    "in every stored snapshot",
                                    geojson=schemas.FEATURE_COLLECTION),
                       **error_responses(400, 503)})
def places_by_name(request: Request, store: StoreDep, name: NameParam) -> Response:
    unknown = sorted(set(request.query_params) - {"name"})
    if unknown:
        raise ApiError(f"unknown parameter(s) {', '.join(unknown)}; this endpoint accepts name")
    found = control_places.by_name(store, name)
    return GeoJSONResponse({"type": "FeatureCollection", "features": found,
                            "numberMatched": len(found), "numberReturned": len(found)})
