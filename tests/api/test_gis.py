"""What GIS clients expect of the OGC API: flat typed attributes, one geometry type per
collection, extents from the data, date-only datetimes, queryables, CQL2, sortby,
properties and skipGeometry. Counts are checked against the store itself."""

from __future__ import annotations

import json
from datetime import date

import pytest
import shapely

from geo.claims.location import ADMIN1
from geo.store import EventQuery, open_store


def items(client, cid: str = "events", **params) -> dict:
    r = client.get(f"/collections/{cid}/items", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()


def ids(doc: dict) -> set[str]:
    return {f["id"] for f in doc["features"]}


def bad(client, description_word: str, cid: str = "events", **params) -> None:
    r = client.get(f"/collections/{cid}/items", params=params)
    assert r.status_code == 400, r.text
    assert description_word in r.json()["description"]


# flat attributes


def test_events_carry_flat_typed_source_attributes(client, store):
    by_id = {e.id: e for e in store.events()}
    for f in items(client)["features"]:
        p, e = f["properties"], by_id[f["id"]]
        said = [a.said_on or a.published for a in e.attestations if a.said_on or a.published]
        assert p["n_sources"] == len(e.attestations) == len(p["attestations"])
        assert isinstance(p["n_sources"], int)
        assert p["first_said"] == (min(said).isoformat() if said else None)
        assert p["last_said"] == (max(said).isoformat() if said else None)
        for a in e.attestations:
            assert a.quote in p["sources"]
            if a.claimant:
                assert a.claimant in p["claimants"].split("; ")
            if a.outlet:
                assert a.outlet in p["outlets"].split("; ")
        assert len(p["sources"].splitlines()) == len(e.attestations)
        basis = p["status_basis"]
        assert p["basis_quote"] == (basis["quote"] if basis else None)


# one geometry type per collection


def test_events_are_points_and_oblast_level_events_have_their_area(client, store):
    features = items(client)["features"]
    assert {f["geometry"]["type"] for f in features if f["geometry"]} == {"Point"}
    region = next(f for f in features if f["id"] == "written-region-e")
    assert region["properties"]["precision"] == 3
    areas = items(client, "event-areas")
    expected = {e.id for e in store.events() if e.geometry_kind == ADMIN1}
    assert ids(areas) == expected and "written-region-e" in expected
    assert {f["geometry"]["type"] for f in areas["features"]} == {"MultiPolygon"}
    one = client.get("/collections/event-areas/items/written-region-e").json()
    assert one["properties"]["n_sources"] == region["properties"]["n_sources"]
    point = client.get("/collections/event-areas/items/written-04-e")
    assert point.status_code == 404


def test_collections_declare_their_geometry_type(client):
    doc = client.get("/collections/event-areas").json()
    assert doc["geometryType"] == "MultiPolygon"
    assert client.get("/collections/events").json()["geometryType"] == "Point"


# extents


def test_extents_are_those_of_the_data(client, store):
    events = [e for e in store.events() if e.mapped]
    dated = [e.date for e in store.events() if e.date]
    doc = client.get("/collections/events").json()["extent"]
    minx, miny, maxx, maxy = doc["spatial"]["bbox"][0]
    assert minx == pytest.approx(min(e.lon for e in events))
    assert maxy == pytest.approx(max(e.lat for e in events))
    assert maxx - minx < 30  # Ukraine and its neighbours, not the world
    assert doc["temporal"]["interval"] == [[f"{min(dated).isoformat()}T00:00:00Z",
                                            f"{max(dated).isoformat()}T00:00:00Z"]]
    listed = {c["id"]: c for c in client.get("/collections").json()["collections"]}
    areas = listed["event-areas"]["extent"]["spatial"]["bbox"][0]
    assert areas[0] <= minx and areas[2] >= maxx


def test_the_store_keeps_the_extent_on_write(tmp_path, store):
    with open_store(str(tmp_path / "s.gpkg")) as fresh:
        assert fresh.extent().bbox is None and fresh.extent().first is None
        fresh.load_events(store.events())
        kept = fresh.extent()
    mapped = [e for e in store.events() if e.mapped]
    assert kept.bbox == pytest.approx((min(e.lon for e in mapped), min(e.lat for e in mapped),
                                       max(e.lon for e in mapped), max(e.lat for e in mapped)))
    assert kept.first == min(e.date for e in store.events() if e.date)


# datetime


@pytest.mark.parametrize("value,start,end", [
    ("2025-05-09T", date(2025, 5, 9), date(2025, 5, 9)),
    ("2025-05-09T/..", date(2025, 5, 9), None),
    ("../2025-05-09T", None, date(2025, 5, 9)),
])
def test_date_only_datetimes_are_whole_days(client, store, value, start, end):
    expected = {e.id for e in store.events(EventQuery(start=start, end=end))}
    assert expected and ids(items(client, datetime=value)) == expected


# CQL2


TRIANGLE = shapely.Polygon([(37, 48), (39, 48), (37, 50)])
CASES = [
    ("status = 'claimed'", EventQuery(statuses=("claimed",))),
    ("type IN ('advance','capture') AND actor <> 'UA'",
     lambda e: e.type in ("advance", "capture") and e.actor != "UA"),
    ("NOT (status = 'reported') OR n_sources > 1",
     lambda e: e.status != "reported" or len(e.attestations) > 1),
    ("date >= DATE('2025-05-20') AND date < DATE('2025-06-01')",
     EventQuery(start=date(2025, 5, 20), end=date(2025, 5, 31))),
    ("T_INTERSECTS(date, INTERVAL('2025-05-20', '..'))", EventQuery(start=date(2025, 5, 20))),
    ("S_INTERSECTS(geometry, BBOX(37, 48, 38.5, 49))", EventQuery(bbox=(37, 48, 38.5, 49))),
    ("S_INTERSECTS(geometry, POLYGON((37 48, 38.5 48, 38.5 49, 37 49, 37 48)))",
     EventQuery(bbox=(37, 48, 38.5, 49))),
    ("date > DATE('2025-05-20') AND date < DATE('2025-06-01')",
     lambda e: e.date is not None and date(2025, 5, 20) < e.date < date(2025, 6, 1)),
    ("date > DATE('2025-06-01') AND date < DATE('2025-05-01')", lambda e: False),
    ("S_INTERSECTS(geometry, POLYGON((37 48, 39 48, 37 50, 37 48))) AND actor = 'RU'",
     lambda e: e.mapped and e.actor == "RU" and bool(shapely.intersects_xy(TRIANGLE, e.lon,
                                                                         e.lat))),
    ("S_INTERSECTS(geometry, BBOX(37, 48, 38.5, 49)) OR status = 'disputed'",
     lambda e: e.status == "disputed" or (e.mapped and 37 <= e.lon <= 38.5
                                          and 48 <= e.lat <= 49)),
    ("place_names LIKE 'Pokr%'", lambda e: any(
        (t.resolved_name or t.name).startswith("Pokr") for t in e.places)),
    ("place_names LIKE 'pokr%'", lambda e: False),  # LIKE keeps case, as CQL2 says
    ("claimants LIKE '%General Staff%' AND date BETWEEN DATE('2025-05-01') AND "
     "DATE('2025-05-31')", lambda e: any("General Staff" in (a.claimant or "")
                                         for a in e.attestations)
     and e.date is not None and date(2025, 5, 1) <= e.date <= date(2025, 5, 31)),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_cql2_text_filters_match_the_store(client, store, text, expected):
    if isinstance(expected, EventQuery):
        want = {e.id for e in store.events(expected)}
    else:
        want = {e.id for e in store.events() if expected(e)}
    doc = items(client, filter=text)
    assert ids(doc) == want and doc["numberMatched"] == len(want)


def test_cql2_json_is_the_same_filter(client, store):
    node = {"op": "and", "args": [
        {"op": "=", "args": [{"property": "status"}, "reported"]},
        {"op": "s_intersects", "args": [{"property": "geometry"},
                                        {"bbox": [36.0, 47.0, 39.0, 50.0]}]}]}
    doc = items(client, filter=json.dumps(node), **{"filter-lang": "cql2-json"})
    want = {e.id for e in store.events(EventQuery(statuses=("reported",),
                                                  bbox=(36, 47, 39, 50)))}
    assert want and ids(doc) == want


def test_filters_combine_with_the_other_parameters_and_pages(client, store):
    want = [e.id for e in store.events(EventQuery(statuses=("reported",), types=("strike",)))]
    first = items(client, filter="type = 'strike'", status="reported", limit=2)
    assert [f["id"] for f in first["features"]] == want[:2]
    nxt = next(lk["href"] for lk in first["links"] if lk["rel"] == "next")
    assert "filter=" in nxt


@pytest.mark.parametrize("text,word", [
    ("colour = 'red'", "unknown property 'colour'"),
    ("status = ", "not valid cql2-text"),
    ("date > 'yesterday'", "not a date"),
    ("n_sources > 'many'", "not a number"),
    ("S_CROSSES(geometry, POINT(37 48))", "not supported"),
])
def test_bad_filters_are_clear_400s(client, text, word):
    bad(client, word, filter=text)


def test_filter_is_only_for_event_collections(client):
    bad(client, "only events", cid="places", filter="status = 'claimed'")
    bad(client, "filter-lang", filter="status = 'claimed'", **{"filter-lang": "ecql"})
    bad(client, "filter: not valid cql2-text", filter="")


# queryables, sortby, properties, skipGeometry


def test_queryables_are_json_schema_and_name_what_filters_take(client):
    r = client.get("/collections/events/queryables")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/schema+json")
    doc = r.json()
    assert doc["type"] == "object" and doc["$schema"].startswith("https://json-schema.org")
    assert doc["properties"]["date"] == {**doc["properties"]["date"], "type": "string",
                                         "format": "date"}
    assert doc["properties"]["n_sources"]["type"] == "integer"
    assert client.get("/collections/places/queryables").status_code == 404
    rels = {lk["rel"] for lk in client.get("/collections/events").json()["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in rels


def test_sortby_orders_and_pages_stay_total(client, store):
    doc = items(client, sortby="-n_sources,-date")
    keys = [(f["properties"]["n_sources"], f["properties"]["date"] or "")
            for f in doc["features"]]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    assert len(ids(doc)) == store.count()
    bad(client, "cannot sort by 'geometry'", sortby="geometry")


def test_properties_and_skip_geometry(client):
    doc = items(client, properties="status,n_sources", skipGeometry="true", limit=5)
    for f in doc["features"]:
        assert f["geometry"] is None
        assert list(f["properties"]) == ["status", "n_sources"]


def test_conformance_declares_filtering(client):
    conf = client.get("/conformance").json()["conformsTo"]
    for cls in ("ogcapi-features-3/1.0/conf/queryables", "ogcapi-features-3/1.0/conf/filter",
                "cql2/1.0/conf/cql2-text", "cql2/1.0/conf/cql2-json",
                "cql2/1.0/conf/basic-spatial-functions"):
        assert f"http://www.opengis.net/spec/{cls}" in conf


def test_csv_has_the_flat_source_columns(client, store):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").text)))
    by_id = {e.id: e for e in store.events()}
    assert len(rows) == len(by_id)
    for row in rows:
        e = by_id[row["event_id_cnty"]]
        assert int(row["n_sources"]) == len(e.attestations)
        assert all(a.quote in row["sources"] or a.quote.startswith("=")
                   for a in e.attestations)


def test_an_event_page_shows_its_places_status_reason_and_every_source(client, store):
    from html import escape

    ev = next(e for e in store.events(EventQuery(statuses=("disputed",))))
    r = client.get(f"/collections/events/items/{ev.id}", params={"f": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "Status: disputed" in page and "Because " in page
    for t in ev.places:
        assert escape(t.resolved_name or t.name) in page
    for a in ev.attestations:
        assert escape(a.quote) in page
    assert f"Sources ({len(ev.attestations)})" in page
    hostile = client.get("/collections/events/items/written-hostile-e", params={"f": "html"})
    assert "<b>Evil</b>" not in hostile.text and "<script>" not in hostile.text
    assert 'href="javascript:' not in hostile.text.lower()
