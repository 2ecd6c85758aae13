"""Whole filtered sets for scripts: GeoJSON, ACLED-like CSV, GeoPackage, and report maps."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from api import deps, exports, features, schemas
from api.params import ImplausibleParam, event_query, only
from api.problems import ApiError, error_responses
from geo.errors import FrontlineError
from geo.models import Event
from geo.store.base import EventQuery, Store

router = APIRouter()
StoreDep = Annotated[Store, Depends(deps.store)]
QueryDep = Annotated[EventQuery, Depends(event_query)]


def _geojson_chunks(events: list[Event], verdict: exports.Verdict) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    for i, e in enumerate(events):
        yield (b"," if i else b"") + deps.dumps(features.event_feature(e, verdict(e)))
    yield b"]}"


def _judged(store: Store, q: EventQuery,
            implausible: bool | None) -> tuple[list[Event], exports.Verdict]:
    from api.control import judge, judged_query, keep_judged

    verdict = judge(store)
    if implausible is None:
        return store.events(q), verdict
    judged_q = judged_query(q)
    events = store.events(judged_q) if judged_q is not None else []
    return keep_judged(events, verdict, implausible), verdict


@router.get("/events.geojson", dependencies=[Depends(only("implausible"))],
            summary="Every matching event as one GeoJSON file",
            response_class=deps.GeoJSONResponse,
            responses={**schemas.ok("A FeatureCollection",
                                    geojson=schemas.FEATURE_COLLECTION),
                       **error_responses(400, 503)})
def events_geojson(store: StoreDep, q: QueryDep,
                   implausible: ImplausibleParam = None) -> Response:
    events, verdict = _judged(store, q, implausible)
    return StreamingResponse(_geojson_chunks(events, verdict),
                             media_type="application/geo+json")


@router.get("/export.csv", dependencies=[Depends(only("implausible"))],
            summary="Matching events as ACLED-like CSV",
            response_class=Response,
            responses={**schemas.ok("CSV, one event a row", csv={"type": "string"}),
                       **error_responses(400, 503)})
def export_csv(store: StoreDep, q: QueryDep, implausible: ImplausibleParam = None) -> Response:
    events, verdict = _judged(store, q, implausible)
    chunks = (c.encode("utf-8") for c in exports.csv_chunks(events, verdict=verdict))
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="frontline-events.csv"'})


@router.get("/export.gpkg", dependencies=[Depends(only("implausible"))],
            summary="Matching events as a GeoPackage point layer",
            response_class=Response,
            responses={**schemas.ok("A GeoPackage with the layer 'events'",
                                    gpkg=schemas.BINARY),
                       **error_responses(400, 503)})
def export_gpkg(store: StoreDep, q: QueryDep, implausible: ImplausibleParam = None) -> Response:
    events, verdict = _judged(store, q, implausible)
    return Response(exports.gpkg_bytes(events, verdict=verdict),
                    media_type="application/geopackage+sqlite3", headers={
                        "Content-Disposition": 'attachment; filename="frontline-events.gpkg"'})


TitleParam = Annotated[str | None, Query(max_length=200, description="title drawn on the map")]
# Tighter than the renderer's own limits: a server must not draw poster-sized maps on demand.
WidthParam = Annotated[float | None, Query(ge=3, le=20,
                                           description="width in inches (default 10)")]
HeightParam = Annotated[float | None, Query(ge=2.5, le=20,
                                            description="height in inches (default 7.5)")]
DpiParam = Annotated[int | None, Query(ge=50, le=200, description=(
    "resolution of PNG maps (default 150, or the template's)"))]
TemplateParam = Annotated[Literal["newspaper", "a4"] | None, Query(description=(
    "a page made for print, instead of width and height: newspaper (one 85 mm column, "
    "300 dpi) or a4 (a full portrait page, 200 dpi), with the legend and facts laid out "
    "for it"))]
MEDIA = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def _render(store: Store, q: EventQuery, fmt: str, **options: Any) -> Response:
    from maps.render import render_map

    if q.bbox is not None:
        options["bbox"] = q.bbox
    elif len(q.oblasts) == 1:
        options["oblast"] = q.oblasts[0]
    options.update({k: v for k, v in (("start", q.start), ("end", q.end)) if v})
    if options.get("title") is None:
        options.pop("title", None)
    buf = BytesIO()
    try:
        from api.control import view

        render_map(store.events(q), buf, fmt=fmt, control=view(store, q.end), **options)
    except FrontlineError as exc:
        raise ApiError(f"cannot draw this map: {exc}") from exc
    return Response(buf.getvalue(), media_type=MEDIA[fmt])


def _render_route(fmt: str) -> None:
    def route(store: StoreDep, q: QueryDep, title: TitleParam = None, width: WidthParam = None,
              height: HeightParam = None, dpi: DpiParam = None,
              template: TemplateParam = None) -> Response:
        return _render(store, q, fmt, title=title, width=width, height=height, dpi=dpi,
                       template=template)

    route.__name__ = f"render_{fmt}"
    router.add_api_route(
        f"/render.{fmt}", route, methods=["GET"], response_class=Response,
        dependencies=[Depends(only("title", "width", "height", "dpi", "template"))],
        summary=f"A report map of the matching events as {fmt.upper()}",
        responses={**schemas.ok(f"The map as {fmt.upper()}", **{fmt: schemas.BINARY}),
                   **error_responses(400, 503)})


for _fmt in MEDIA:
    _render_route(_fmt)
