"""OGC API – Features documents as plain data: landing page, conformance, collections, pages.

Nothing here knows the web framework: the routers hand in the base URL and the request's
query pairs, and serialise what comes back, so the same documents can be tested (and
served by another framework) without a server.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from api import crs
from api.collections import COLLECTIONS, FILTERED, Collection, Extent
from geo.store.cql import QUERYABLES

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CRS84 = crs.CRS84
REL = "http://www.opengis.net/def/rel/ogc/1.0/"

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
)
TILED = {"events": "points", "oblasts": "polygons"}  # collections with vector tiles
TILES_CONFORMANCE = tuple(f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}" for c in (
    "core", "tileset", "tilesets-list", "geodata-tilesets", "mvt", "oas30"))
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
SCHEMA = "application/schema+json"


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict[str, str]:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def url(base: str, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """``base`` is the server root with or without a trailing slash."""
    href = base.rstrip("/") + path
    return f"{href}?{urlencode(list(params))}" if params else href


def landing(base: str) -> dict[str, Any]:
    return {
        "title": "Frontline",
        "description": "Events of the war in Ukraine extracted from English news, each with "
                       "its sources and a confirmation status. Place data: GeoNames "
                       "(CC BY 4.0) and Natural Earth.",
        "links": [
            link(url(base, "/"), "self", JSON, "this document"),
            link(url(base, "/", [("f", "html")]), "alternate", HTML, "the web map"),
            link(url(base, "/openapi.json"), "service-desc", OPENAPI, "the API definition"),
            link(url(base, "/docs"), "service-doc", HTML, "the API documentation"),
            link(url(base, "/conformance"), "conformance", JSON, "conformance classes"),
            link(url(base, "/conformance"), REL + "conformance", JSON),
            link(url(base, "/collections"), "data", JSON, "the collections"),
            link(url(base, "/collections"), REL + "data", JSON),
            link(url(base, "/tileMatrixSets"), REL + "tiling-schemes", JSON,
                 "the tile matrix sets of the vector tiles"),
            link(url(base, "/events.geojson"), "alternate", GEOJSON, "every event"),
        ],
    }


def conformance() -> dict[str, Any]:
    return {"conformsTo": [*CONFORMANCE, *TILES_CONFORMANCE]}


def collection(base: str, c: Collection, extent: Extent) -> dict[str, Any]:
    here = f"/collections/{c.id}"
    bbox = [list(extent.bbox)] if extent.bbox else [[-180.0, -90.0, 180.0, 90.0]]
    interval = [[d.isoformat() + "T00:00:00Z" if d else None
                 for d in (extent.first, extent.last)]]
    links = [
        link(url(base, here), "self", JSON, c.title),
        link(url(base, here, [("f", "html")]), "alternate", HTML),
        link(url(base, here + "/items"), "items", GEOJSON, f"{c.title} as GeoJSON"),
        link(url(base, here + "/items", [("f", "html")]), "items", HTML,
             f"{c.title} on the map" if c.id == "events" else f"{c.title} as a table"),
    ]
    if c.id in FILTERED:
        links.append(link(url(base, here + "/queryables"), REL + "queryables", SCHEMA,
                          "what filter and sortby may name"))
    if c.id in TILED:
        links.append(link(url(base, here + "/tiles"), REL + "tilesets-vector", JSON,
                          f"{c.title} as vector tiles"))
    doc: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "crs": list(crs.URIS),
        "storageCrs": crs.STORAGE.uri,
        "extent": {
            "spatial": {"bbox": bbox, "crs": CRS84},
            "temporal": {"interval": interval, "trs": GREGORIAN},
        },
        "links": links,
    }
    if c.geometry:
        doc["geometryType"] = c.geometry
    return doc


def collections(base: str, extents: dict[str, Extent]) -> dict[str, Any]:
    return {
        "links": [link(url(base, "/collections"), "self", JSON),
                  link(url(base, "/collections", [("f", "html")]), "alternate", HTML)],
        "collections": [collection(base, c, extents[c.id]) for c in COLLECTIONS.values()],
    }


def queryables(base: str, c: Collection) -> dict[str, Any]:
    """What ``filter`` and ``sortby`` may name, as JSON Schema (OGC API – Features Part 3)."""
    kinds = {"string": {"type": "string"}, "integer": {"type": "integer"},
             "date": {"type": "string", "format": "date"},
             "geometry": {"format": "geometry-point"
                          if c.geometry == "Point" else "geometry-multipolygon"}}
    props = {name: {"title": name.replace("_", " "), "description": q.description,
                    **kinds[q.kind]} for name, q in QUERYABLES.items()}
    if c.geometry != "Point":
        props["geometry"]["description"] = ("the event's point inside the area: s_intersects "
                                            "tests where the event is, not the whole oblast")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url(base, f"/collections/{c.id}/queryables"),
        "type": "object",
        "title": c.title,
        "properties": props,
        "additionalProperties": False,
    }


def select(features: list[dict[str, Any]], properties: Sequence[str] | None,
           skip_geometry: bool) -> list[dict[str, Any]]:
    """Only the properties asked for (in the order asked), and no geometry if so asked."""
    if properties is None and not skip_geometry:
        return features
    out = []
    for f in features:
        props = f["properties"] if properties is None else \
            {k: f["properties"][k] for k in properties if k in f["properties"]}
        out.append({**f, "properties": props,
                    "geometry": None if skip_geometry else f["geometry"]})
    return out


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def items_page(base: str, c: Collection, features: list[dict[str, Any]], matched: int | None,
               more: bool, params: Sequence[tuple[str, str]], offset: int,
               limit: int) -> dict[str, Any]:
    """A page of items with ``next``/``prev`` links that repeat every filter of the request;
    ``matched`` None leaves ``numberMatched`` out."""
    path = f"/collections/{c.id}/items"
    kept = [(k, v) for k, v in params if k not in ("offset", "f")]

    def at(off: int, fmt: str | None = None) -> str:
        extra = [("offset", str(off))] if off else []
        return url(base, path, kept + extra + ([("f", fmt)] if fmt else []))

    links = [
        link(at(offset), "self", GEOJSON, "this page"),
        link(at(offset, "html"), "alternate", HTML,
             "this page on the map" if c.id == "events" else "this page as a table"),
        link(url(base, f"/collections/{c.id}"), "collection", JSON, c.title),
    ]
    if more:
        links.append(link(at(offset + limit), "next", GEOJSON, "next page"))
    if offset > 0:
        links.append(link(at(max(0, offset - limit)), "prev", GEOJSON, "previous page"))
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if matched is not None:
        doc["numberMatched"] = matched
    return {**doc, "numberReturned": len(features), "timeStamp": timestamp(), "links": links}


def item_document(base: str, c: Collection, feature: dict[str, Any]) -> dict[str, Any]:
    here = f"/collections/{c.id}/items/{quote(str(feature['id']), safe=':')}"
    return {**feature, "links": [
        link(url(base, here), "self", GEOJSON),
        link(url(base, here, [("f", "html")]), "alternate", HTML),
        link(url(base, f"/collections/{c.id}"), "collection", JSON, c.title),
    ]}
