"""JSON Schemas (OpenAPI 3.0 dialect) of what the API answers, published in /openapi.json.

Written by hand rather than derived from models: the documents are built as plain data for
speed, and clients (and schemathesis) check the answers against exactly these shapes.
"""

from __future__ import annotations

from typing import Any

from geo.ingest import limits

LINK: dict[str, Any] = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {"href": {"type": "string"}, "rel": {"type": "string"},
                   "type": {"type": "string"}, "title": {"type": "string"}},
}
LINKS: dict[str, Any] = {"type": "array", "items": LINK}

_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
GEOMETRY: dict[str, Any] = {
    "type": "object",
    "nullable": True,
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": [
            "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
            "GeometryCollection"]},
        "coordinates": {"type": "array", "items": {}},
        "geometries": {"type": "array", "items": {"type": "object"}},
    },
}
FEATURE: dict[str, Any] = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": GEOMETRY,
        "properties": {"type": "object", "nullable": True},
        "links": LINKS,
    },
}
FEATURE_COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
        "timeStamp": {"type": "string", "format": "date-time"},
        "links": LINKS,
    },
}
LANDING: dict[str, Any] = {
    "type": "object",
    "required": ["links"],
    "properties": {"title": {"type": "string"}, "description": {"type": "string"},
                   "links": LINKS},
}
CONFORMANCE: dict[str, Any] = {
    "type": "object",
    "required": ["conformsTo"],
    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
}
COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "links"],
    "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "description": {"type": "string"}, "itemType": {"type": "string"},
        "crs": {"type": "array", "items": {"type": "string"}},
        "extent": {"type": "object"}, "links": LINKS,
    },
}
COLLECTIONS: dict[str, Any] = {
    "type": "object",
    "required": ["links", "collections"],
    "properties": {"links": LINKS, "collections": {"type": "array", "items": COLLECTION}},
}
# What ``geo.ingest.limits`` accepts: text with something in it besides spaces and no NUL,
# at most the default article size; ids without control characters; calendar dates of the
# years 1900-2100 (leap days of leap years only), written YYYY-MM-DD.
TEXT_IN: dict[str, Any] = {
    "type": "string", "minLength": 1, "maxLength": limits.DEFAULT_MAX_TEXT,
    "pattern": r"^[^\x00]*[^\x00\s][^\x00]*$", "description": "the article's body"}
_META_IN: dict[str, Any] = {"type": "string", "nullable": True, "maxLength": limits.MAX_META}
DAY_PATTERN = (r"^((19\d\d|20\d\d|2100)-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])"
               r"|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))"
               r"|((19|20)(0[48]|[2468][048]|[13579][26])|2000)-02-29)$")
_PUBLISHED_IN: dict[str, Any] = {
    "type": "string", "nullable": True, "format": "date", "pattern": DAY_PATTERN}
ARTICLE_IN: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": TEXT_IN,
        "title": _META_IN,
        "outlet": _META_IN,
        "url": _META_IN,
        "published": _PUBLISHED_IN,
        "id": {"type": "string", "nullable": True, "minLength": 1, "maxLength": limits.MAX_ID,
               "pattern": r"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x1f\x7f-\x9f\s]"
                          r"[^\x00-\x1f\x7f-\x9f]*$",
               "description": "defaults to a hash of the text"},
    },
}
GEOPARSE_IN: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": TEXT_IN,
        "title": _META_IN,
        "published": _PUBLISHED_IN,
    },
}
INGESTED: dict[str, Any] = {
    "type": "object",
    "required": ["article_id", "outcome", "extracted"],
    "properties": {
        "article_id": {"type": "string"},
        "outcome": {"type": "string", "enum": ["new", "duplicate"]},
        "extracted": {"type": "integer", "minimum": 0,
                      "description": "events found in the text (before fusing)"},
    },
}
HTML: dict[str, Any] = {"type": "string"}
QUERYABLES: dict[str, Any] = {
    "type": "object", "required": ["type", "properties"],
    "properties": {"type": {"type": "string", "enum": ["object"]},
                   "properties": {"type": "object"}},
}
BINARY: dict[str, Any] = {"type": "string", "format": "binary"}


def content(**by_type: dict[str, Any]) -> dict[str, Any]:
    """``content(geojson=…, html=…)`` as an OpenAPI content map keyed by media type."""
    names = {"json": "application/json", "geojson": "application/geo+json", "html": "text/html",
             "csv": "text/csv", "gpkg": "application/geopackage+sqlite3", "png": "image/png",
             "svg": "image/svg+xml", "pdf": "application/pdf", "text": "text/plain",
             "schema": "application/schema+json", "mvt": "application/vnd.mapbox-vector-tile"}
    return {names[k]: {"schema": v} for k, v in by_type.items()}


def ok(description: str, **by_type: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": content(**by_type)}}
