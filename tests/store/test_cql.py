"""CQL2 filters, sortby and the kept extent give the same answers on both backends, and the
same answers as the filters computed here in Python from the stored events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import shapely

from geo.store import EventQuery, open_store
from geo.store.cql import FilterError, compile_filter
from geo.store.gpkg import SQLITE
from geo.synthetic import events


@pytest.fixture
def store(store_url):
    with open_store(store_url) as s:
        s.load_events(events(400, seed=7))
        yield s


def prop(name: str) -> dict:
    return {"property": name}


def claimants(e) -> str:
    return "; ".join(sorted({a.claimant for a in e.attestations if a.claimant}))


TRIANGLE = shapely.Polygon([(36.5, 47.5), (39.0, 47.5), (36.5, 49.5)])
CASES = [
    ({"op": "=", "args": [prop("status"), "claimed"]}, lambda e: e.status == "claimed"),
    ({"op": "in", "args": [prop("type"), ["strike", "advance"]]},
     lambda e: e.type in ("strike", "advance")),
    ({"op": "not", "args": [{"op": "like", "args": [prop("place_names"), "P%"]}]},
     lambda e: not e.places or not "; ".join(
         dict.fromkeys(t.resolved_name or t.name for t in e.places)).startswith("P")),
    ({"op": "like", "args": [prop("claimants"), "%_Staff%"]},
     lambda e: "Staff" in claimants(e)[1:]),
    ({"op": "or", "args": [{"op": ">=", "args": [prop("n_sources"), 3]},
                           {"op": "isNull", "args": [prop("admin1")]}]},
     lambda e: len(e.attestations) >= 3 or e.admin1 is None),
    ({"op": "and", "args": [
        {"op": "t_intersects", "args": [prop("date"), {"interval": ["2024-03-01", ".."]}]},
        {"op": "s_intersects", "args": [prop("geometry"),
                                        {"type": "Polygon",
                                         "coordinates": [list(TRIANGLE.exterior.coords)]}]}]},
     lambda e: e.date is not None and e.date >= date(2024, 3, 1) and e.mapped
     and bool(shapely.intersects_xy(TRIANGLE, e.lon, e.lat))),
    ({"op": "between", "args": [prop("date"), {"date": "2024-01-01"}, {"date": "2024-06-30"}]},
     lambda e: e.date is not None and date(2024, 1, 1) <= e.date <= date(2024, 6, 30)),
]


@pytest.mark.parametrize("node,keep", CASES)
def test_cql2_filters_match_python(store, node, keep):
    everything = store.events()
    want = [e.id for e in everything if keep(e)]
    q = EventQuery(filter=node)
    assert [e.id for e in store.events(q)] == want
    assert store.count(q) == len(want)


def test_the_synthetic_events_exercise_the_cases(store):
    for node, keep in CASES:
        n = sum(1 for e in store.events() if keep(e))
        assert 0 < n < store.count(), node


def test_sortby_orders_then_breaks_ties_by_date_and_id(store):
    q = EventQuery(sortby=(("n_sources", True), ("type", False)))
    got = store.events(q)
    everything = store.events()
    assert len(got) == len(everything)
    keys = [(-len(e.attestations), e.type) for e in got]
    assert keys == sorted(keys)
    pages = [e.id for off in range(0, len(got), 50)
             for e in store.events(replace(q, limit=50, offset=off))]
    assert pages == [e.id for e in got]


def test_the_extent_is_kept_and_covers_every_event(store):
    kept = store.extent()
    mapped = [e for e in store.events() if e.mapped]
    assert kept.bbox == pytest.approx((min(e.lon for e in mapped), min(e.lat for e in mapped),
                                       max(e.lon for e in mapped), max(e.lat for e in mapped)))
    dated = [e.date for e in store.events() if e.date]
    assert (kept.first, kept.last) == (min(dated), max(dated))


@pytest.mark.parametrize("node,word", [
    ({"op": "=", "args": [prop("colour"), "red"]}, "unknown property"),
    ({"op": "s_crosses", "args": [prop("geometry"), {"bbox": [1, 2, 3, 4]}]}, "not supported"),
    ({"op": "=", "args": [prop("date"), "soon"]}, "not a date"),
    ({"op": "like", "args": [prop("n_sources"), "1%"]}, "text property"),
    ({"op": "s_intersects", "args": [prop("geometry"), {"bbox": [10, 0, 0, 1]}]}, "invalid"),
    ({"op": "and", "args": [{"op": "=", "args": [prop("id"), str(i)]} for i in range(600)]},
     "more than"),
])
def test_bad_filters_raise_a_clear_error(node, word):
    with pytest.raises(FilterError, match=word):
        compile_filter(node, SQLITE)


def test_values_are_bound_never_written_into_the_sql():
    sql, params = compile_filter({"op": "=", "args": [prop("summary"), "x'); DROP TABLE e;--"]},
                                 SQLITE)
    assert "DROP" not in sql and params == ["x'); DROP TABLE e;--"]


def test_the_events_layer_has_the_flat_source_columns(store, store_url):
    from geo.claims.sources import STORED, basis_quote, flat_sources

    if not store_url.endswith(".gpkg"):
        q = EventQuery(filter={"op": "isNull", "args": [prop("sources")]})
        assert store.count(q) == 0
        return
    import pyogrio

    frame = pyogrio.read_dataframe(store_url, layer="events")
    by_id = {e.id: e for e in store.events()}
    for row in frame.itertuples():
        want = flat_sources(by_id[row.id], basis_quote(by_id[row.id]))
        got = {k: getattr(row, k) for k in STORED}
        for k in ("first_said", "last_said"):  # GDAL reads DATE columns as dates
            got[k] = got[k].date().isoformat() if hasattr(got[k], "date") else None
        got = {k: v if isinstance(v, str) or v is None else None for k, v in got.items()}
        assert got == {k: want[k] for k in STORED}


def test_a_store_without_the_source_columns_gets_them_filled(tmp_path):
    import sqlite3

    from geo.claims.sources import STORED

    path = tmp_path / "v4.gpkg"
    with open_store(str(path)) as s:
        s.load_events(events(60, seed=3))
        before = {e.id: e for e in s.events()}
        filled = s.events(EventQuery(filter={"op": ">=", "args": [prop("last_said"),
                                                                   {"date": "2024-01-01"}]}))
    conn = sqlite3.connect(path)
    conn.execute("DROP VIEW event_areas")  # schema 4 had neither the columns nor the view
    for table in ("gpkg_geometry_columns", "gpkg_contents"):
        conn.execute(f"DELETE FROM {table} WHERE table_name = 'event_areas'")
    for c in STORED:
        conn.execute(f"ALTER TABLE events DROP COLUMN {c}")
    conn.execute("UPDATE frontline_meta SET value = '4' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    with open_store(str(path)) as s:
        assert {e.id: e for e in s.events()} == before
        again = s.events(EventQuery(filter={"op": ">=", "args": [prop("last_said"),
                                                                  {"date": "2024-01-01"}]}))
        assert [e.id for e in again] == [e.id for e in filled] and again


@pytest.mark.postgis
def test_postgis_has_the_event_areas_view(postgis_url):
    import psycopg

    found = list(events(120, seed=9))
    areas = [replace(e, id=f"{e.id}-oblast", geometry_kind="admin1", precision=3)
             for e in found[:8] if e.admin1]
    with open_store(postgis_url) as s:
        s.load_events(found + areas)
    with psycopg.connect(postgis_url) as conn:
        rows = conn.execute("SELECT a.id, ST_GeometryType(a.geom), ST_Contains(a.geom, e.geom) "
                            "FROM event_areas a JOIN events e ON e.id = a.id "
                            "ORDER BY a.id").fetchall()
    assert [r[0] for r in rows] == sorted(e.id for e in areas) and rows
    assert all(r[1] == "ST_MultiPolygon" and r[2] for r in rows)
