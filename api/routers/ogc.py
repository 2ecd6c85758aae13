"""OGC API – Features routes: parse the request, ask ``api.collections``, pick the format."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import collections, crs, deps, html, ogc, schemas
from api.deps import GeoJSONResponse, JSONResponse, base_url
from api.negotiation import wants_html
from api.params import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    FilterCrsParam,
    FilterLangParam,
    FilterParam,
    ImplausibleParam,
    PropertiesParam,
    SkipGeometryParam,
    SortbyParam,
    answer_crs,
    both,
    event_query,
    only,
    paged_query,
    parse_filter,
    parse_sortby,
    split_values,
)
from api.problems import NotFound, error_responses
from api.routers.webmap import map_page
from geo.store.base import EventQuery, Store

router = APIRouter()

FormatParam = Annotated[str | None, Query(
    alias="f", description="json (GeoJSON for items) or html", examples=["json"],
    json_schema_extra={"enum": ["json", "geojson", "html"]})]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]
CollectionId = Annotated[str, Path(
    alias="collectionId", description="events, places, oblasts or a control collection",
    json_schema_extra={"enum": list(collections.COLLECTIONS)})]
FeatureId = Annotated[str, Path(alias="featureId", description="the feature's id")]
MapLimitParam = Annotated[int, Query(
    ge=1, le=MAX_LIMIT, description="how many events the map shows at most (oldest first)")]
StoreDep = Annotated[Store, Depends(deps.store)]
CrsDep = Annotated[crs.Crs, Depends(answer_crs)]


def _in_crs(doc: dict, answer: crs.Crs) -> Response:
    return GeoJSONResponse(doc, headers={"Content-Crs": f"<{answer.uri}>"})


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _doc(doc: dict, title: str, as_html: bool) -> Response:
    return HTMLResponse(html.page(doc, title)) if as_html else JSONResponse(doc)


@router.get("/", summary="Landing page (JSON), or the web map for browsers",
            response_class=JSONResponse, dependencies=[Depends(only("limit", "f"))],
            responses={**schemas.ok("The landing page, or the web map",
                                    json=schemas.LANDING, html=schemas.HTML),
                       **error_responses(400, 503)})
def landing(request: Request, q: Annotated[EventQuery, Depends(event_query)],
            limit: MapLimitParam = MAX_LIMIT, f: FormatParam = None,
            accept: AcceptHeader = None) -> Response:
    if wants_html(f, accept):
        return map_page(deps.store_of(request), replace(q, limit=limit), _root(request))
    return JSONResponse(ogc.landing(base_url(request)))


@router.get("/map", summary="The web map of the filtered events", response_class=HTMLResponse,
            dependencies=[Depends(only("limit"))],
            responses={**schemas.ok("The web map", html=schemas.HTML),
                       **error_responses(400, 503)})
def web_map(request: Request, store: StoreDep,
            q: Annotated[EventQuery, Depends(event_query)],
            limit: MapLimitParam = MAX_LIMIT) -> Response:
    return map_page(store, replace(q, limit=limit), _root(request))


@router.get("/conformance", summary="Conformance classes", response_class=JSONResponse,
            dependencies=[Depends(only("f", filters=False))],
            responses={**schemas.ok("Conformance classes", json=schemas.CONFORMANCE,
                                    html=schemas.HTML), **error_responses(400)})
def conformance(f: FormatParam = None, accept: AcceptHeader = None) -> Response:
    return _doc(ogc.conformance(), "Conformance", wants_html(f, accept))


@router.get("/collections", summary="The feature collections", response_class=JSONResponse,
            dependencies=[Depends(only("f", filters=False))],
            responses={**schemas.ok("The collections", json=schemas.COLLECTIONS,
                                    html=schemas.HTML), **error_responses(400)})
def collections_list(request: Request, store: StoreDep, f: FormatParam = None,
                     accept: AcceptHeader = None) -> Response:
    extents = {cid: collections.extent(store, cid) for cid in collections.COLLECTIONS}
    return _doc(ogc.collections(base_url(request), extents), "Collections",
                wants_html(f, accept))


@router.get("/collections/{collectionId}", summary="One feature collection",
            response_class=JSONResponse, dependencies=[Depends(only("f", filters=False))],
            responses={**schemas.ok("The collection", json=schemas.COLLECTION,
                                    html=schemas.HTML), **error_responses(400, 404)})
def collection(request: Request, collection_id: CollectionId, store: StoreDep,
               f: FormatParam = None, accept: AcceptHeader = None) -> Response:
    as_html = wants_html(f, accept)
    c = collections.get(collection_id)
    doc = ogc.collection(base_url(request), c, collections.extent(store, c.id))
    return _doc(doc, c.title, as_html)


@router.get("/collections/{collectionId}/queryables",
            summary="What filter and sortby may name (JSON Schema)",
            response_class=JSONResponse, dependencies=[Depends(only("f", filters=False))],
            responses={**schemas.ok("The queryables", schema=schemas.QUERYABLES,
                                    html=schemas.HTML),
                       **error_responses(400, 404)})
def queryables(request: Request, collection_id: CollectionId, f: FormatParam = None,
               accept: AcceptHeader = None) -> Response:
    c = collections.get(collection_id)
    if c.id not in collections.FILTERED:
        raise NotFound(f"collection {c.id!r} has no queryables; "
                       f"{' and '.join(collections.FILTERED)} have")
    doc = ogc.queryables(base_url(request), c)
    if wants_html(f, accept):
        return HTMLResponse(html.page(doc, f"{c.title}: queryables"))
    return JSONResponse(doc, media_type=ogc.SCHEMA)


@router.get("/collections/{collectionId}/items", summary="Features of a collection",
            response_class=GeoJSONResponse,
            dependencies=[Depends(only("limit", "offset", "f", "crs", "implausible", "sortby",
                                       "properties", "skipGeometry", "filter", "filter-lang",
                                       "filter-crs"))],
            responses={**schemas.ok("A page of features", geojson=schemas.FEATURE_COLLECTION,
                                    html=schemas.HTML), **error_responses(400, 404, 503)})
def items(request: Request, collection_id: CollectionId,
          store: StoreDep,
          q: Annotated[EventQuery, Depends(paged_query)], answer: CrsDep,
          f: FormatParam = None,
          implausible: ImplausibleParam = None, sortby: SortbyParam = None,
          properties: PropertiesParam = None, skip_geometry: SkipGeometryParam = False,
          filter_: FilterParam = None, filter_lang: FilterLangParam = None,
          filter_crs: FilterCrsParam = None, accept: AcceptHeader = None) -> Response:
    as_html = wants_html(f, accept)
    c = collections.get(collection_id)
    asked = parse_filter(filter_, filter_lang, filter_crs)
    # a bbox in a projected CRS comes as its exact area too: events test their points
    # against it, the other collections (few, whole areas) keep to its bounds
    q = replace(q, sortby=parse_sortby(sortby),
                filter=both(q.filter, asked) if c.id in collections.FILTERED else asked)
    if as_html and c.id == "events" and implausible is None and q.filter is None \
            and not q.sortby:
        return map_page(store, q, _root(request))
    page = collections.items(store, c.id, q, implausible)
    features = ogc.select(page.features, split_values([properties]) if properties else None,
                          skip_geometry)
    doc = ogc.items_page(base_url(request), c, features, page.matched, page.more,
                         list(request.query_params.multi_items()), q.offset,
                         q.limit or DEFAULT_LIMIT)
    if as_html:
        return HTMLResponse(html.page(doc, c.title))
    doc["features"] = crs.transform(doc["features"], answer)
    return _in_crs(doc, answer)


@router.get("/collections/{collectionId}/items/{featureId}", summary="One feature",
            response_class=GeoJSONResponse,
            dependencies=[Depends(only("f", "crs", filters=False))],
            responses={**schemas.ok("The feature", geojson=schemas.FEATURE, html=schemas.HTML),
                       **error_responses(400, 404, 503)})
def item(request: Request, collection_id: CollectionId, feature_id: FeatureId,
         store: StoreDep, answer: CrsDep, f: FormatParam = None,
         accept: AcceptHeader = None) -> Response:
    as_html = wants_html(f, accept)
    c = collections.get(collection_id)
    doc = ogc.item_document(base_url(request), c, collections.item(store, c.id, feature_id))
    if as_html:
        return HTMLResponse(html.page(doc, f"{c.title}: {feature_id}"))
    return _in_crs(crs.transform([doc], answer)[0], answer)
