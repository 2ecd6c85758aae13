"""OGC API – Features Part 1 (OGC 17-069r4), the abstract test suite of Annex A for the
Core, GeoJSON and OpenAPI 3.0 classes, carried out on every collection. Each test names the
abstract tests it carries out."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
import shapely
from shapely.geometry import shape

from geo.store import EventQuery

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon", "GeometryCollection"}
BOX = (36.5, 47.5, 38.5, 49.5)


def path(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def json_of(client, url: str, **params) -> dict:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rels(doc: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for lk in doc["links"]:
        assert {"href", "rel"} <= set(lk)
        out.setdefault(lk["rel"], []).append(lk)
    return out


@pytest.fixture(scope="module")
def collection_ids(client) -> list[str]:
    return [c["id"] for c in json_of(client, "/collections")["collections"]]


def check_feature(f: dict) -> None:
    """/conf/geojson/content: a GeoJSON Feature (RFC 7946, section 3.2)."""
    assert f["type"] == "Feature"
    assert set(f) >= {"type", "geometry", "properties"}
    assert isinstance(f.get("id"), (str, int))
    assert f["properties"] is None or isinstance(f["properties"], dict)
    g = f["geometry"]
    if g is not None:
        assert g["type"] in GEOMETRY_TYPES
        assert shape(g).is_valid
        lon0, lat0, lon1, lat1 = shape(g).bounds
        assert -180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90  # /conf/core/crs84


def test_root_op_and_success(client):
    """/conf/core/root-op, /conf/core/root-success: the landing page links the API
    definition, the conformance declaration and the collections."""
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    links = rels(r.json())
    assert "service-desc" in links or "service-doc" in links
    for rel in ("conformance", "data"):
        assert any(client.get(path(lk["href"])).status_code == 200 for lk in links[rel])


def test_api_definition_op_success_and_oas30(client):
    """/conf/core/api-definition-op, /conf/core/api-definition-success,
    /conf/oas30/oas-definition-1, -2 and /conf/oas30/oas-impl: the definition is OpenAPI 3.0
    of the advertised media type, and every resource of Part 1 is in it and answers."""
    link = rels(json_of(client, "/"))["service-desc"][0]
    assert link["type"] == "application/vnd.oai.openapi+json;version=3.0"
    r = client.get(path(link["href"]))
    assert r.status_code == 200 and r.headers["content-type"] == link["type"]
    doc = r.json()
    assert re.match(r"^3\.0\.\d+$", doc["openapi"]) and doc["info"]["title"]
    for resource in ("/", "/conformance", "/collections", "/collections/{collectionId}",
                     "/collections/{collectionId}/items",
                     "/collections/{collectionId}/items/{featureId}"):
        op = doc["paths"][resource]["get"]
        assert "200" in op["responses"]
        url = resource.replace("{collectionId}", "events").replace("{featureId}",
                                                                   "written-00-e")
        assert client.get(url, headers={"Accept": "application/json"}).status_code == 200
    items = doc["paths"]["/collections/{collectionId}/items"]["get"]
    assert GEOJSON in items["responses"]["200"]["content"]  # /conf/geojson/definition
    one = doc["paths"]["/collections/{collectionId}/items/{featureId}"]["get"]
    assert GEOJSON in one["responses"]["200"]["content"]


def items_parameters(client) -> dict[str, dict]:
    doc = json_of(client, "/openapi.json")
    op = doc["paths"]["/collections/{collectionId}/items"]["get"]
    return {p["name"]: p for p in op["parameters"]}


def test_fc_limit_definition(client):
    """/conf/core/fc-limit-definition."""
    p = items_parameters(client)["limit"]
    assert p["in"] == "query" and p["required"] is False
    assert p["style"] == "form" and p["explode"] is False
    s = p["schema"]
    assert s["type"] == "integer" and s["minimum"] == 1
    assert s["minimum"] <= s["default"] <= s["maximum"]


def test_fc_bbox_definition(client):
    """/conf/core/fc-bbox-definition: an array of 4 or 6 numbers, form style, not exploded."""
    p = items_parameters(client)["bbox"]
    assert p["in"] == "query" and p["required"] is False
    assert p["style"] == "form" and p["explode"] is False
    s = p["schema"]
    assert s["type"] == "array" and s["items"]["type"] == "number"
    assert sorted((o["minItems"], o["maxItems"]) for o in s["oneOf"]) == [(4, 4), (6, 6)]


def test_fc_time_definition(client):
    """/conf/core/fc-time-definition."""
    p = items_parameters(client)["datetime"]
    assert p["in"] == "query" and p["required"] is False
    assert p["style"] == "form" and p["explode"] is False
    assert p["schema"]["type"] == "string"


def test_conformance_op_and_success(client):
    """/conf/core/conformance-op, /conf/core/conformance-success."""
    conf = json_of(client, "/conformance")["conformsTo"]
    assert all(isinstance(c, str) for c in conf)
    for cls in ("core", "geojson", "oas30", "html"):
        assert CORE + cls in conf


def test_fc_md_op_success_and_links(client, collection_ids):
    """/conf/core/fc-md-op, /conf/core/fc-md-success, /conf/core/fc-md-links: a self link,
    an alternate per other encoding, and every collection described."""
    doc = json_of(client, "/collections")
    links = rels(doc)
    assert links["self"][0]["type"] == "application/json"
    alternate = links["alternate"][0]
    r = client.get(path(alternate["href"]))
    assert r.status_code == 200 and r.headers["content-type"].startswith(alternate["type"])
    assert len(collection_ids) == len(set(collection_ids)) >= 4


def test_fc_md_items_and_extent(client):
    """/conf/core/fc-md-items, /conf/core/fc-md-items-links, /conf/core/fc-md-extent and
    /conf/core/sfc-md-op, /conf/core/sfc-md-success: each collection has an id, an items
    link per encoding, a CRS84 box with its lower corner first and a Gregorian interval
    that does not end before it starts; its own document says the same."""
    for c in json_of(client, "/collections")["collections"]:
        assert c["id"] and c.get("title")
        items = rels(c)["items"]
        assert {lk["type"] for lk in items} >= {GEOJSON, "text/html"}
        for lk in items:
            assert path(lk["href"]).startswith(f"/collections/{c['id']}/items")
        spatial, temporal = c["extent"]["spatial"], c["extent"]["temporal"]
        assert spatial.get("crs", CRS84) == CRS84
        for box in spatial["bbox"]:
            assert len(box) in (4, 6)
            lon0, lat0, lon1, lat1 = box if len(box) == 4 else (*box[:2], *box[3:5])
            assert -180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90
        assert temporal["trs"] == "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
        for start, end in temporal["interval"]:
            for end_ in (start, end):
                assert end_ is None or RFC3339.match(end_)
            assert start is None or end is None or start <= end
        assert json_of(client, f"/collections/{c['id']}") == c


def every_page(client, cid: str, **params) -> tuple[list[dict], list[dict]]:
    url: str | None = f"/collections/{cid}/items"
    pages, features = [], []
    first = True
    while url:
        r = client.get(url, params=params if first else None)
        first = False
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(GEOJSON)
        doc = r.json()
        pages.append(doc)
        features += doc["features"]
        nxt = rels(doc).get("next")
        url = path(nxt[0]["href"]) if nxt else None
        assert len(pages) < 500
    return pages, features


def test_fc_response_links_counts_and_paging(client, collection_ids):
    """/conf/core/fc-op, /conf/core/fc-response, /conf/core/fc-links,
    /conf/core/fc-timeStamp, /conf/core/fc-numberMatched, /conf/core/fc-numberReturned,
    /conf/geojson/content: on every collection, pages of 3 followed by their next links
    hold numberMatched features in all, each page's numberReturned its own, no feature
    twice; self and alternate links on every page."""
    for cid in collection_ids:
        pages, features = every_page(client, cid, limit=3)
        for doc in pages:
            assert doc["type"] == "FeatureCollection"
            assert doc["numberReturned"] == len(doc["features"]) <= 3
            assert doc["numberMatched"] == pages[0]["numberMatched"]
            assert RFC3339.match(doc["timeStamp"])
            links = rels(doc)
            assert links["self"][0]["type"] == GEOJSON
            assert any(lk["type"] == "text/html" for lk in links["alternate"])
        assert "next" not in rels(pages[-1])
        assert len(features) == pages[0]["numberMatched"], cid
        assert len({f["id"] for f in features}) == len(features), cid
        for f in features:
            check_feature(f)


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_fc_limit_response(client, collection_ids, limit):
    """/conf/core/fc-limit-response-1: never more features than the limit."""
    for cid in collection_ids:
        doc = json_of(client, f"/collections/{cid}/items", limit=limit)
        assert len(doc["features"]) == doc["numberReturned"] == min(limit,
                                                                     doc["numberMatched"])


def test_fc_limit_response_over_maximum(client, collection_ids):
    """/conf/core/fc-limit-response-2: a limit over the maximum the API defines is refused
    with a 400 that says so (the permitted answer other than capping it)."""
    maximum = items_parameters(client)["limit"]["schema"]["maximum"]
    r = client.get("/collections/events/items", params={"limit": maximum + 1})
    assert r.status_code == 400 and "limit" in r.json()["description"]


def test_fc_bbox_response(client, collection_ids):
    """/conf/core/fc-bbox-response: every feature answered for a box meets the box, and
    no feature that meets it is left out (events: their point)."""
    box = shapely.box(*BOX)
    for cid in ("events", "places"):
        _, everything = every_page(client, cid, limit=1000)
        _, inside = every_page(client, cid, limit=1000, bbox=",".join(map(str, BOX)))
        expected = {f["id"] for f in everything if f["geometry"]
                    and shape(f["geometry"]).intersects(box)}
        assert {f["id"] for f in inside} == expected and expected, cid
    for cid in collection_ids:
        _, inside = every_page(client, cid, limit=1000, bbox=",".join(map(str, BOX)))
        for f in inside:
            assert f["geometry"] is None or shape(f["geometry"]).intersects(box.buffer(
                1e-6)) or cid == "event-areas", (cid, f["id"])


@pytest.mark.parametrize("when,start,end", [
    ("2025-05-11", date(2025, 5, 11), date(2025, 5, 11)),
    ("2025-05-10/2025-05-31", date(2025, 5, 10), date(2025, 5, 31)),
    ("2025-05-20T00:00:00Z/..", date(2025, 5, 20), None),
    ("../2025-05-15", None, date(2025, 5, 15)),
])
def test_fc_time_response(client, store, when, start, end):
    """/conf/core/fc-time-response: only events whose day meets the instant or interval,
    and all of them."""
    _, found = every_page(client, "events", limit=1000, datetime=when)
    expected = {e.id for e in store.events() if e.date is not None
                and (start is None or e.date >= start) and (end is None or e.date <= end)}
    assert {f["id"] for f in found} == expected and expected
    for f in found:
        day = date.fromisoformat(f["properties"]["date"])
        assert (start is None or day >= start) and (end is None or day <= end)


def test_f_op_and_success(client, collection_ids):
    """/conf/core/f-op, /conf/core/f-success: each collection's first feature by its id,
    with self, alternate and collection links, the same feature as in the page."""
    for cid in collection_ids:
        first = json_of(client, f"/collections/{cid}/items", limit=1)["features"]
        if not first:
            continue
        fid = first[0]["id"]
        r = client.get(f"/collections/{cid}/items/{fid}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(GEOJSON)
        doc = r.json()
        check_feature(doc)
        assert doc["id"] == fid and doc["geometry"] == first[0]["geometry"]
        links = rels(doc)
        assert path(links["self"][0]["href"]).startswith(f"/collections/{cid}/items/")
        assert links["alternate"][0]["type"] == "text/html"
        assert path(links["collection"][0]["href"]) == f"/collections/{cid}"


@pytest.mark.parametrize("url", ["/collections/tanks", "/collections/tanks/items",
                                 "/collections/tanks/items/1",
                                 "/collections/events/items/no-such-event",
                                 "/collections/event-areas/items/written-00-e",
                                 "/collections/oblasts/items/UA-99"])
def test_not_found_is_404(client, url):
    """Part 1, 7.5: a resource that does not exist is a 404 with a JSON body."""
    r = client.get(url)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert r.json()["description"]


@pytest.mark.parametrize("url", ["/", "/conformance", "/collections", "/collections/events",
                                 "/collections/events/items",
                                 "/collections/events/items/written-00-e"])
def test_query_param_unknown_and_invalid(client, url):
    """/req/core/query-param-unknown and /req/core/query-param-invalid: a parameter the
    API does not define, or a value it cannot take, is a 400."""
    r = client.get(url, params={"colour": "red"})
    assert r.status_code == 400 and "colour" in r.json()["description"]
    r = client.get(url, params={"f": "xml"})
    assert r.status_code == 400 and "xml" in r.json()["description"]


@pytest.mark.parametrize("url", ["/conformance", "/collections", "/collections/events",
                                 "/collections/places/items",
                                 "/collections/events/items/written-00-e"])
def test_html_encoding(client, url):
    """/conf/html/content: every resource also as HTML."""
    r = client.get(url, params={"f": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text.lower()


def test_fc_number_matched_left_out_past_the_count_limit(client, store, monkeypatch):
    """/conf/core/fc-numberMatched is optional: past the count limit a filtered page leaves
    it out, its next links still lead through every match, and the last page counts.
    Unfiltered, the count is exact whatever the limit."""
    from api import collections

    monkeypatch.setattr(collections, "COUNT_LIMIT", 5)
    q = EventQuery(types=("advance", "capture"))
    expected = [e.id for e in store.events(q)]
    assert len(expected) > 10
    pages, features = every_page(client, "events", limit=3, type="advance,capture")
    assert [f["id"] for f in features] == expected
    assert all("numberMatched" not in p for p in pages[:-2])
    assert pages[-1]["numberMatched"] == len(expected)
    few = json_of(client, "/collections/events/items", limit=2, type="withdrawal",
                  status="confirmed")
    small = store.count(EventQuery(types=("withdrawal",), statuses=("confirmed",)))
    assert few["numberMatched"] == small < 5
    everything = json_of(client, "/collections/events/items", limit=3)
    assert everything["numberMatched"] == store.count()
