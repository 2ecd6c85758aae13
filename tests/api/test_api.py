"""The HTTP API through FastAPI's TestClient, against a real filled GeoPackage store."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import math
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape

from api.app import create_app
from api.exports import ACLED_COLUMNS, COLUMNS
from geo.claims.sources import FLAT_FIELDS
from geo.geojson import flat_properties
from geo.store import EventQuery, open_store

TOKEN = "s3cret-token-for-tests"


def ok_geojson(r) -> dict:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    return r.json()


def error(r, status: int, *words: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"code", "description"}
    for w in words:
        assert w in body["description"], body
    return body


def all_pages(client, url: str) -> tuple[list[dict], int]:
    """Follow ``next`` links to the end, as a GIS client does."""
    feats: list[dict] = []
    pages = 0
    while url:
        doc = ok_geojson(client.get(url))
        pages += 1
        assert doc["numberReturned"] == len(doc["features"])
        feats += doc["features"]
        url = next((lk["href"] for lk in doc["links"] if lk["rel"] == "next"), None)
        assert pages < 1000
    return feats, pages


def test_the_fixture_store_holds_the_seed_events_and_the_written_ones(store):
    events = store.events()
    seed_articles = {a.article_id for e in events for a in e.attestations
                     if not a.article_id.startswith("written")}
    assert len(seed_articles) == 2
    assert store.count() == len(events) > 40
    assert {e.status for e in events} >= {"reported", "claimed", "disputed"}


# landing page, conformance, collections


def test_landing_page_links_for_json_clients(client):
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    rels = {lk["rel"]: lk for lk in r.json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    desc = client.get(urlsplit(rels["service-desc"]["href"]).path)
    assert desc.headers["content-type"] == rels["service-desc"]["type"]
    assert desc.json()["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in desc.json()["paths"]
    assert client.get(urlsplit(rels["conformance"]["href"]).path).status_code == 200
    assert client.get(urlsplit(rels["data"]["href"]).path).json()["collections"]


def test_landing_page_without_accept_header_is_json(client):
    assert client.get("/", headers={"Accept": "*/*"}).json()["links"]


def test_browsers_get_the_web_map_at_root_and_at_map(client):
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    for page in (client.get("/", headers=browser), client.get("/map"),
                 client.get("/?f=html")):
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "/static/leaflet/leaflet.js" in page.text
        assert "GeoNames (CC BY 4.0)" in page.text and "Natural Earth" in page.text
        loads = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)", page.text)
        assert loads and all(u.startswith(("/", "data:")) for u in loads), loads
    js = client.get("/static/leaflet/leaflet.js")
    assert js.status_code == 200 and "Leaflet 1.9.4" in js.text[:300]
    assert client.get("/static/leaflet/leaflet.css").status_code == 200


def test_web_map_only_draws_the_filtered_events(client, store):
    # the map embeds its events as JSON; a filtered map holds only matching ids
    page = client.get("/map", params={"type": "strike"}).text
    strikes = {e.id for e in store.events(EventQuery(types=("strike",))) if e.mapped}
    others = {e.id for e in store.events(EventQuery(types=("advance",))) if e.mapped}
    assert strikes and others
    assert all(f'"{i}"' in page for i in strikes)
    assert not any(f'"id":"{i}"' in page for i in others)


def test_conformance_declares_core_geojson_and_oas30(client):
    conf = client.get("/conformance").json()["conformsTo"]
    for cls in ("core", "geojson", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{cls}" in conf


def test_collections_are_events_places_oblasts_and_control(client):
    doc = client.get("/collections").json()
    assert [c["id"] for c in doc["collections"]] == [
        "events", "event-areas", "places", "oblasts", "control-areas", "control-lines",
        "control-changes", "control-places"]
    for c in doc["collections"]:
        one = client.get(f"/collections/{c['id']}").json()
        assert one["id"] == c["id"]
        items = [lk for lk in one["links"] if lk["rel"] == "items"]
        assert any(lk["type"] == "application/geo+json" for lk in items)
        minx, miny, maxx, maxy = one["extent"]["spatial"]["bbox"][0]
        assert minx <= maxx and miny <= maxy
        if c["id"] == "oblasts":
            assert minx < 22.2 and maxx > 40.1 and miny < 44.4 and maxy > 52.3  # Ukraine


def test_unknown_collection_and_item_are_404_json(client):
    error(client.get("/collections/tanks"), 404, "tanks")
    error(client.get("/collections/tanks/items"), 404, "events, event-areas, places, oblasts")
    error(client.get("/collections/events/items/no-such-event"), 404, "no-such-event")
    error(client.get("/collections/places/items/999999999"), 404)
    error(client.get("/collections/oblasts/items/UA-99"), 404)
    error(client.get("/no/such/path"), 404)


# items: counts, paging, filters


def test_items_count_and_page_like_the_store(client, store):
    doc = ok_geojson(client.get("/collections/events/items"))
    assert doc["numberMatched"] == store.count()
    assert doc["numberReturned"] == min(100, store.count())
    assert doc["timeStamp"].endswith("Z")
    assert "crs" not in doc
    feats, pages = all_pages(client, "/collections/events/items?limit=7")
    assert pages == math.ceil(store.count() / 7)
    assert [f["id"] for f in feats] == [e.id for e in store.events()]


def test_next_links_keep_every_filter(client, store):
    q = EventQuery(statuses=("claimed", "disputed"), start=date(2025, 5, 1))
    first = ok_geojson(client.get("/collections/events/items", params={
        "status": "claimed,disputed", "datetime": "2025-05-01/..", "limit": 3}))
    nxt = next(lk["href"] for lk in first["links"] if lk["rel"] == "next")
    params = parse_qs(urlsplit(nxt).query)
    assert params["status"] == ["claimed,disputed"] and params["offset"] == ["3"]
    assert params["datetime"] == ["2025-05-01/.."]
    feats, _ = all_pages(client, nxt)
    assert len(feats) + 3 == first["numberMatched"] == store.count(q)
    second = ok_geojson(client.get(nxt))
    assert any(lk["rel"] == "prev" and "offset" not in lk["href"] for lk in second["links"])


def test_bbox_selects_what_the_store_selects(client, store):
    box = (37.0, 48.0, 38.0, 49.0)  # Pokrovsk, Bakhmut, Toretsk… not Kharkiv or Kryvyi Rih
    doc = ok_geojson(client.get("/collections/events/items",
                                params={"bbox": ",".join(map(str, box)), "limit": 1000}))
    assert doc["numberMatched"] == store.count(EventQuery(bbox=box)) > 5
    assert doc["numberMatched"] < store.count()
    for f in doc["features"]:
        lon, lat = f["properties"]["lon"], f["properties"]["lat"]
        assert box[0] <= lon <= box[2] and box[1] <= lat <= box[3]
    six = client.get("/collections/events/items", params={"bbox": "37,48,-100,38,49,100"})
    assert ok_geojson(six)["numberMatched"] == doc["numberMatched"]


@pytest.mark.parametrize("value,start,end", [
    ("2025-05-11", date(2025, 5, 11), date(2025, 5, 11)),
    ("2025-05-11T13:45:00Z", date(2025, 5, 11), date(2025, 5, 11)),
    ("2025-05-05/2025-05-25", date(2025, 5, 5), date(2025, 5, 25)),
    ("2025-05-20/..", date(2025, 5, 20), None),
    ("../2025-05-09", None, date(2025, 5, 9)),
    ("/2025-05-09", None, date(2025, 5, 9)),
    ("2025-05-05T00:00:00+03:00/2025-05-25T23:59:59.5Z", date(2025, 5, 5), date(2025, 5, 25)),
])
def test_datetime_instants_and_intervals(client, store, value, start, end):
    doc = ok_geojson(client.get("/collections/events/items",
                                params={"datetime": value, "limit": 1000}))
    expected = store.events(EventQuery(start=start, end=end))
    assert doc["numberMatched"] == len(expected) > 0
    assert [f["id"] for f in doc["features"]] == [e.id for e in expected]


@pytest.mark.parametrize("params,query", [
    ({"status": "disputed"}, EventQuery(statuses=("disputed",))),
    ({"status": "REPORTED,claimed"}, EventQuery(statuses=("reported", "claimed"))),
    ({"type": "strike"}, EventQuery(types=("strike",))),
    ({"type": ["advance", "capture"]}, EventQuery(types=("advance", "capture"))),
    ({"actor": "ua"}, EventQuery(actors=("UA",))),
    ({"claimant": "russian ministry of defence"},
     EventQuery(claimants=("Russian Ministry of Defence",))),
    ({"outlet": "Reuters"}, EventQuery(outlets=("reuters",))),
    ({"oblast": "UA-63"}, EventQuery(oblasts=("UA-63",))),
    ({"oblast": "Donetsk"}, EventQuery(oblasts=("UA-14",))),
    ({"oblast": "ua-14,UA-12", "type": "advance"},
     EventQuery(oblasts=("UA-14", "UA-12"), types=("advance",))),
    ({"q": "general staff"}, EventQuery(text="general staff")),
])
def test_filters_select_what_the_store_selects(client, store, params, query):
    doc = ok_geojson(client.get("/collections/events/items", params={**params, "limit": 1000}))
    expected = store.events(query)
    assert expected, "the fixture store must hold matching events"
    assert [f["id"] for f in doc["features"]] == [e.id for e in expected]
    assert doc["numberMatched"] == len(expected) < store.count()


@pytest.mark.parametrize("params,words", [
    ({"bbox": "1,2,3"}, ["bbox", "4 or 6"]),
    ({"bbox": "a,b,c,d"}, ["bbox", "numbers"]),
    ({"bbox": "30,50,40,45"}, ["latitude"]),
    ({"bbox": "30,45,40,95"}, ["latitude 95"]),
    ({"bbox": "30,45,200,50"}, ["longitude 200"]),
    ({"bbox": "nan,45,40,50"}, ["finite"]),
    ({"bbox-crs": "EPSG:3857", "bbox": "1,2,3,4"}, ["CRS84"]),
    ({"datetime": "2025-06-01/2025-05-01"}, ["ends before it starts"]),
    ({"datetime": "yesterday"}, ["RFC 3339"]),
    ({"datetime": "2025-02-30"}, ["not a valid date"]),
    ({"datetime": "2025-01-01/2025-02-01/2025-03-01"}, ["'/'"]),
    ({"limit": "0"}, ["limit"]),
    ({"limit": "10001"}, ["limit"]),
    ({"limit": "ten"}, ["limit"]),
    ({"offset": "-1"}, ["offset"]),
    ({"status": "rumoured"}, ["status", "rumoured", "disputed"]),
    ({"type": "parade"}, ["type", "parade"]),
    ({"actor": "NATO"}, ["actor", "NATO"]),
    ({"oblast": "Atlantis"}, ["oblast", "Atlantis"]),
    ({"f": "xml"}, ["f", "xml"]),
    ({"stauts": "claimed"}, ["unknown parameter", "stauts"]),
])
def test_bad_parameters_are_clear_400s(client, params, words):
    error(client.get("/collections/events/items", params=params), 400, *words)


def test_bad_parameters_are_400s_on_every_filtered_endpoint(client):
    for path in ("/events.geojson", "/export.csv", "/export.gpkg", "/render.png", "/map",
                 "/collections/oblasts/items", "/collections/places/items"):
        error(client.get(path, params={"datetime": "2025-06-01/2025-05-01"}), 400, "ends before")
        error(client.get(path, params={"bbox": "1,2"}), 400, "bbox")
        error(client.get(path, params={"colour": "red"}), 400, "colour")


def test_limit_bounds_are_accepted(client, store):
    assert ok_geojson(client.get("/collections/events/items?limit=1"))["numberReturned"] == 1
    doc = ok_geojson(client.get("/collections/events/items?limit=10000"))
    assert doc["numberReturned"] == store.count()
    assert not any(lk["rel"] == "next" for lk in doc["links"])
    past = ok_geojson(client.get("/collections/events/items?offset=100000"))
    assert past["features"] == [] and past["numberMatched"] == store.count()


def test_one_event_item_has_every_field_and_its_sources(client, store):
    ev = next(e for e in store.events(EventQuery(statuses=("disputed",))))
    f = ok_geojson(client.get(f"/collections/events/items/{ev.id}"))
    assert f["id"] == ev.id
    why = f["properties"].pop("status_basis")
    assert why["stance"] == "denies" and why["quote"] in {a.quote for a in ev.attestations}
    flat = {k: f["properties"].pop(k) for k in FLAT_FIELDS}
    assert flat == flat_properties(ev) and flat["basis_quote"] == why["quote"]
    assert f["properties"] == json.loads(json.dumps(ev.to_dict()))
    stances = {a["stance"] for a in f["properties"]["attestations"]}
    assert {"asserts", "denies"} <= stances
    assert {lk["rel"] for lk in f["links"]} >= {"self", "collection"}


def test_served_events_are_the_shared_geojson_of_every_stored_event(client, store):
    from geo.geojson import event_feature

    served = {f["id"]: f for f in ok_geojson(client.get("/events.geojson"))["features"]}
    events = store.events()
    assert len(served) == len(events)
    for e in events:
        assert served[e.id] == json.loads(json.dumps(event_feature(e)))


def test_event_geometry_is_lon_lat_and_oblast_level_events_have_areas(client, store):
    pokrovsk = next(e for e in store.events() if e.id == "written-04-e" or
                    (e.places and e.places[0].place_id == "704422" and e.mapped))
    f = ok_geojson(client.get(f"/collections/events/items/{pokrovsk.id}"))
    lon, lat = f["geometry"]["coordinates"]
    assert (round(lon, 3), round(lat, 3)) == (round(pokrovsk.lon, 3), round(pokrovsk.lat, 3))
    assert 22 < lon < 41 and 44 < lat < 53
    point = ok_geojson(client.get("/collections/events/items/written-region-e"))
    assert point["geometry"]["type"] == "Point"
    region = ok_geojson(client.get("/collections/event-areas/items/written-region-e"))
    assert region["geometry"]["type"] == "MultiPolygon"
    assert shape(region["geometry"]).contains(shape(point["geometry"]))
    assert shape(region["geometry"]).contains(shapely.Point(region["properties"]["lon"],
                                                            region["properties"]["lat"]))
    unplaced = ok_geojson(client.get("/collections/events/items/written-unplaced-e"))
    assert unplaced["geometry"] is None


def _rings(geom: dict):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        yield True, poly[0]
        for hole in poly[1:]:
            yield False, hole


def _decimals(x: float) -> int:
    text = repr(x)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _positions(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


@pytest.mark.parametrize("path", ["/collections/events/items?limit=1000",
                                  "/collections/oblasts/items?limit=1000",
                                  "/collections/places/items?limit=1000", "/events.geojson"])
def test_rfc7946_no_crs_ccw_rings_seven_decimals(client, path):
    doc = ok_geojson(client.get(path))
    assert "crs" not in doc
    polygons = 0
    for f in doc["features"]:
        assert "crs" not in f
        g = f["geometry"]
        if g is None:
            continue
        for pos in _positions(g["coordinates"]):
            assert -180 <= pos[0] <= 180 and -90 <= pos[1] <= 90
            assert _decimals(pos[0]) <= 7 and _decimals(pos[1]) <= 7
        if g["type"] in ("Polygon", "MultiPolygon"):
            polygons += 1
            for exterior, ring in _rings(g):
                assert shapely.LinearRing(ring).is_ccw == exterior
    if "oblasts" in path:
        assert polygons == len(doc["features"]) >= 27


# places and oblasts


def test_places_carry_their_claims_ledger(client, store):
    summaries = store.places()
    doc = ok_geojson(client.get("/collections/places/items", params={"limit": 1000}))
    assert doc["numberMatched"] == len(summaries)
    assert [f["id"] for f in doc["features"]] == [p.place_id for p in summaries]
    pokrovsk = next(f for f in doc["features"] if f["id"] == "704422")
    ledger = pokrovsk["properties"]["ledger"]
    assert ledger == [e.to_dict() for e in store.ledger("704422")]
    assert {e["stance"] for e in ledger} >= {"asserts", "denies"}
    one = ok_geojson(client.get("/collections/places/items/704422"))
    assert one["properties"]["ledger"] == ledger
    assert one["geometry"]["coordinates"] == pytest.approx([37.17706, 48.28014], abs=1e-5)


def test_places_follow_the_filters(client, store):
    q = EventQuery(oblasts=("UA-63",))
    doc = ok_geojson(client.get("/collections/places/items?oblast=UA-63&limit=2"))
    assert doc["numberMatched"] == len(store.places(q)) >= 3
    assert doc["numberReturned"] == 2
    assert all(f["properties"]["admin1"] == "UA-63" for f in doc["features"])


def test_oblasts_count_events_by_status_and_type_in_the_window(client, store):
    window = {"datetime": "2025-05-01/2025-05-31", "limit": 1000}
    doc = ok_geojson(client.get("/collections/oblasts/items", params=window))
    q = EventQuery(start=date(2025, 5, 1), end=date(2025, 5, 31))
    by_status = store.oblast_counts(q, "status")
    by_type = store.oblast_counts(q, "type")
    feats = {f["id"]: f["properties"] for f in doc["features"]}
    assert {iso for iso in feats if iso.startswith("UA-")} >= {"UA-14", "UA-63", "UA-30"}
    donetsk = feats["UA-14"]
    assert donetsk["events"] == sum(by_status["UA-14"].values()) > 3
    assert donetsk["events"] == sum(v for k, v in donetsk.items() if k.startswith("type_"))
    for status, n in by_status["UA-14"].items():
        assert donetsk[f"status_{status}"] == n
    for kind, n in by_type["UA-14"].items():
        assert donetsk[f"type_{kind}"] == n
    later = ok_geojson(client.get("/collections/oblasts/items/UA-14"))
    assert later["properties"]["events"] == store.count(EventQuery(oblasts=("UA-14",)))
    assert later["properties"]["events"] > donetsk["events"]
    boxed = ok_geojson(client.get("/collections/oblasts/items?bbox=36,49.5,38,50.5"))
    assert {f["id"] for f in boxed["features"]} >= {"UA-63", "UA-09"}
    assert "UA-51" not in {f["id"] for f in boxed["features"]}


# content negotiation and HTML


def test_html_views_for_browsers(client):
    for path in ("/conformance", "/collections", "/collections/places",
                 "/collections/places/items", "/collections/oblasts/items/UA-14"):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
        assert "GeoNames (CC BY 4.0)" in r.text
        assert client.get(path, params={"f": "json"},
                          headers={"Accept": "text/html"}).headers["content-type"] != "text/html"
    events_map = client.get("/collections/events/items?f=html&type=capture")
    assert "/static/leaflet/leaflet.js" in events_map.text


@pytest.mark.parametrize("f,accept,html", [
    (None, None, False),
    (None, "*/*", False),
    (None, "application/json, text/html;q=0.5", False),
    (None, "text/html;q=0.9, application/geo+json", False),
    (None, "text/html", True),
    (None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
    ("json", "text/html", False),
    ("application/geo+json", None, False),
    ("HTML", "application/json", True),
])
def test_content_negotiation(client, f, accept, html):
    r = client.get("/collections/places/items", params={"f": f} if f else {},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    kind = r.headers["content-type"]
    assert kind.startswith("text/html") if html else kind.startswith("application/geo+json")


def test_html_escapes_what_the_news_says(client):
    page = client.get("/collections/events/items/written-hostile-e?f=html")
    assert page.status_code == 200 and "shelling in Kherson" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    events_map = client.get("/map", params={"oblast": "UA-65"}).text
    assert "<script>alert(1)</script>" not in events_map
    # The popups' text travels gzip'd in base64, which holds no markup at all.
    chunks = re.findall(r'<script type="text/plain" id="frontline-data-[^"]+">([^<]*)</script>',
                        events_map)
    details = [json.loads(gzip.decompress(base64.b64decode(c))) for c in chunks]
    assert chunks and any("shelling in Kherson" in json.dumps(d) for d in details)
    assert any("<script>alert(1)</script>" in json.dumps(d) for d in details)  # inert there


# exports


def test_events_geojson_is_the_whole_filtered_set(client, store):
    doc = ok_geojson(client.get("/events.geojson"))
    assert len(doc["features"]) == store.count() > 100 or len(doc["features"]) == store.count()
    strikes = ok_geojson(client.get("/events.geojson?type=strike&oblast=UA-12"))
    assert [f["id"] for f in strikes["features"]] == [
        e.id for e in store.events(EventQuery(types=("strike",), oblasts=("UA-12",)))]


def test_csv_export_has_acled_columns_and_our_status(client, store):
    r = client.get("/export.csv", params={"outlet": "Reuters"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0]) == COLUMNS and COLUMNS[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    for col in ("event_date", "event_type", "sub_event_type", "actor1", "admin1", "location",
                "latitude", "longitude", "geo_precision", "source", "notes", "status",
                "claimant"):
        assert col in ACLED_COLUMNS
    expected = store.events(EventQuery(outlets=("Reuters",)))
    assert [row["event_id_cnty"] for row in rows] == [e.id for e in expected]
    kharkiv = next(row for row in rows if row["location"] == "Kharkiv")
    ev = next(e for e in expected if e.id == kharkiv["event_id_cnty"])
    assert kharkiv["admin1"] == "Kharkiv" and kharkiv["admin1_iso"] == "UA-63"
    assert float(kharkiv["latitude"]) == pytest.approx(ev.lat)
    assert float(kharkiv["longitude"]) == pytest.approx(ev.lon)
    assert kharkiv["event_date"] == ev.date.isoformat()
    assert kharkiv["status"] == ev.status and "Reuters" in kharkiv["source"]
    assert kharkiv["geo_precision"] == "1"
    assert kharkiv["actor1"].startswith("Military Forces of")


def test_csv_cells_never_run_as_spreadsheet_formulas(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?oblast=UA-65").text)))
    hostile = next(row for row in rows if row["event_id_cnty"] == "written-hostile-e")
    assert hostile["notes"].startswith("'=HYPERLINK(")
    assert hostile["source"] == "<b>Evil</b> Daily"
    assert not any(v.startswith(("=", "+", "@")) for row in rows for v in row.values())


def test_gpkg_export_opens_in_gdal(client, store, tmp_path):
    import pyogrio

    r = client.get("/export.gpkg", params={"oblast": "UA-14"})
    assert r.status_code == 200 and r.content[:16] == b"SQLite format 3\x00"
    path = tmp_path / "export.gpkg"
    path.write_bytes(r.content)
    assert [name for name, _ in pyogrio.list_layers(path)] == ["events", "event_areas"]
    frame = pyogrio.read_dataframe(path, layer="events")
    expected = store.events(EventQuery(oblasts=("UA-14",)))
    areas = pyogrio.read_dataframe(path, layer="event_areas")
    assert list(areas["event_id_cnty"]) == [e.id for e in expected
                                            if e.geometry_kind == "admin1"]
    assert set(areas.geom_type) <= {"MultiPolygon"}
    assert list(frame["n_sources"]) == [len(e.attestations) for e in expected]
    assert frame["n_sources"].dtype.kind == "i"
    assert list(frame["event_id_cnty"]) == [e.id for e in expected]
    assert frame.crs.to_epsg() == 4326
    first = frame.iloc[0]
    assert first.geometry.x == pytest.approx(expected[0].lon)
    assert json.loads(first["attestations"]) == [a.to_dict() for a in expected[0].attestations]


def test_empty_exports_are_valid_files(client, tmp_path):
    import pyogrio

    none = {"datetime": "1990-01-01"}
    assert ok_geojson(client.get("/events.geojson", params=none))["features"] == []
    lines = client.get("/export.csv", params=none).text.strip().splitlines()
    assert lines == [",".join(COLUMNS)]
    path = tmp_path / "none.gpkg"
    path.write_bytes(client.get("/export.gpkg", params=none).content)
    assert len(pyogrio.read_dataframe(path, layer="events")) == 0


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_report_maps(client, fmt, magic):
    r = client.get(f"/render.{fmt}", params={"oblast": "UA-14", "title": "Donetsk",
                                             "width": 6, "height": 4.5, "dpi": 60})
    assert r.status_code == 200, r.text
    assert r.content.startswith(magic)


def test_report_map_templates(client):
    import struct

    r = client.get("/render.png", params={"template": "newspaper", "title": "Donetsk"})
    assert r.status_code == 200, r.text
    assert struct.unpack(">II", r.content[16:24]) == (1003, 1476)  # 85 x 125 mm at 300 dpi
    error(client.get("/render.png", params={"template": "a4", "width": 5}), 400, "not both")
    error(client.get("/render.png", params={"template": "poster"}), 400, "template")


def test_report_map_refuses_what_it_cannot_draw(client):
    error(client.get("/render.png", params={"bbox": "-70,-40,-60,-30"}), 400, "outside")
    error(client.get("/render.png", params={"width": 100}), 400, "width")


# writing


SEED = "seeds/000_d639c1b7433ac7a4.txt"


def _seed_text() -> str:
    from pathlib import Path

    return Path(__file__).resolve().parents[2].joinpath(SEED).read_text(encoding="utf-8")


@pytest.mark.slow
def test_geoparse_returns_toponyms_and_events_and_stores_nothing(client, store, expected):
    before = store.count()
    r = client.post("/geoparse", content=_seed_text().encode(),
                    headers={"Content-Type": "text/plain"})
    doc = ok_geojson(r)
    toponyms = [f for f in doc["features"] if f["properties"]["feature_type"] == "toponym"]
    events = [f for f in doc["features"] if f["properties"]["feature_type"] == "event"]
    pokrovsk = next(f for f in toponyms if f["properties"]["name"] == "Pokrovsk")
    assert pokrovsk["geometry"]["coordinates"] == pytest.approx([37.17706, 48.28014], abs=0.1)
    want = expected["articles"]["000_d639c1b7433ac7a4.txt"]["events"]
    assert len(events) == len(want)
    assert sorted(f["properties"]["type"] for f in events) == sorted(e["type"] for e in want)
    assert store.count() == before
    as_json = client.post("/geoparse", json={"text": "Russian forces captured Toretsk.",
                                              "published": "2025-06-01"})
    names = [f["properties"]["name"] for f in ok_geojson(as_json)["features"]
             if f["properties"]["feature_type"] == "toponym"]
    assert names == ["Toretsk"]


@pytest.mark.parametrize("body,ctype,status,words", [
    (b"", "text/plain", 400, ["empty"]),
    (b"\xff\xfe\x00", "text/plain", 400, ["UTF-8"]),
    (b"{not json", "application/json", 400, ["JSON"]),
    (b'["a list"]', "application/json", 400, ["object"]),
    (b'{"title": "no text"}', "application/json", 400, ["text"]),
    (b'{"text": "Kyiv", "published": "June"}', "application/json", 400, ["published"]),
    (b'{"text": 42}', "application/json", 400, ["text"]),
    (b"<p>Kyiv</p>", "text/html", 415, ["text/plain"]),
])
def test_geoparse_refuses_bad_bodies(client, body, ctype, status, words):
    error(client.post("/geoparse", content=body, headers={"Content-Type": ctype}),
          status, *words)


def test_ingest_is_disabled_without_a_configured_token(client):
    r = client.post("/articles", json={"text": "Russian forces captured Toretsk."},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    error(r, 403, "FRONTLINE_TOKEN")


@pytest.fixture
def writable(tmp_path):
    with TestClient(create_app(str(tmp_path / "w.gpkg"), token=TOKEN)) as c:
        yield c, str(tmp_path / "w.gpkg")


def test_ingest_needs_the_right_bearer_token(writable):
    client, url = writable
    body = {"text": "Russian forces captured Toretsk, the defence ministry said."}
    r = client.post("/articles", json=body)
    error(r, 401, "Bearer")
    assert r.headers["www-authenticate"] == "Bearer"
    error(client.post("/articles", json=body, headers={"Authorization": "Basic abc"}), 401)
    error(client.post("/articles", json=body, headers={"Authorization": "Bearer nope"}), 403)
    with open_store(url) as s:
        assert s.count() == 0 and s.articles() == []


@pytest.mark.slow
def test_ingest_stores_the_article_once(writable):
    client, url = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": _seed_text(), "title": "Russia Claims Advance", "outlet": "Example News",
            "published": "2025-06-08", "id": "seed-000"}
    r = client.post("/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["outcome"] == "new" and r.json()["article_id"] == "seed-000"
    with open_store(url) as s:
        n = s.count()
        assert n == r.json()["extracted"] > 0
        assert [a.outlet for a in s.articles()] == ["Example News"]
    again = client.post("/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    clash = client.post("/articles", json={**body, "text": "Another text entirely."},
                        headers=auth)
    error(clash, 409, "seed-000")
    items = ok_geojson(client.get("/collections/events/items"))
    assert items["numberMatched"] == n


def test_body_size_limit_is_413(tmp_path):
    with TestClient(create_app(str(tmp_path / "s.gpkg"), token=TOKEN, max_body=1000)) as c:
        big = "Kyiv. " * 400
        error(c.post("/geoparse", content=big, headers={"Content-Type": "text/plain"}),
              413, "1000 bytes")
        auth = {"Authorization": f"Bearer {TOKEN}"}
        error(c.post("/articles", json={"text": big}, headers=auth), 413)

        def chunks():
            for _ in range(50):
                yield b"Kyiv. " * 10

        error(c.post("/geoparse", content=chunks(), headers={"Content-Type": "text/plain"}),
              413)
        with open_store(str(tmp_path / "s.gpkg")) as s:
            assert s.count() == 0


def test_texts_longer_than_a_parse_is_allowed_are_413_within_the_body_limit(client):
    from geo.ingest.limits import max_text

    long = "Kyiv. " * (max_text() // 6 + 1)
    r = client.post("/geoparse", content=long.encode(), headers={"Content-Type": "text/plain"})
    error(r, 413, "characters")


def test_unusable_store_is_a_503_not_a_crash(tmp_path):
    (tmp_path / "junk.gpkg").write_bytes(b"this is not sqlite at all" * 100)
    with TestClient(create_app(str(tmp_path / "junk.gpkg"))) as c:
        assert c.get("/").status_code == 200
        error(c.get("/collections/events/items"), 503, "junk.gpkg")
        error(c.get("/export.csv"), 503)


def test_create_app_refuses_a_nonsense_body_limit():
    from api.errors import UsageError

    with pytest.raises(UsageError, match="max_body"):
        create_app(None, max_body=0)
