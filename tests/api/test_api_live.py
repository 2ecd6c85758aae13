"""A real ``frontline serve`` on 127.0.0.1, read by real GIS clients: GDAL's OGC API driver
(through pyogrio) and OWSLib. What they read must be what the store holds."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from geo.store import EventQuery

ROOT = Path(__file__).resolve().parents[2]
BOX = (37.0, 48.0, 38.0, 49.0)

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", autouse=True)
def no_proxy_for_loopback() -> Iterator[None]:
    """GDAL (curl) and urllib honour proxy variables; the server is on this machine."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("no_proxy", "NO_PROXY"):
            mp.setenv(name, "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="module")
def server(api_store_url) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "FRONTLINE_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", api_store_url, "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    answer(proc, base + "/conformance", 60)
    yield base
    stop(proc)


def answer(proc: subprocess.Popen, url: str, seconds: float) -> dict:
    """``url``'s JSON once the server ``proc`` starts answering; fails if it never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return dict(json.load(r))
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"the server did not come up: {out}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


CONTROL = ["control-areas", "control-lines", "control-changes", "control-places"]


def test_gdal_reads_every_layer(server, store):
    import pyogrio

    layers = [name for name, _ in pyogrio.list_layers(f"OAPIF:{server}/")]
    assert layers == ["events", "event-areas", "places", "oblasts", *CONTROL]
    events = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="events")
    assert len(events) == store.count()
    assert sorted(events["id"]) == sorted(e.id for e in store.events())
    assert events.crs.to_epsg() in (4326, None) or "CRS84" in events.crs.to_string()
    pokrovsk = events[events["id"] == "written-00-e"].iloc[0]
    assert (pokrovsk.geometry.x, pokrovsk.geometry.y) == pytest.approx((37.17706, 48.28014))
    assert pokrovsk["status"] == store.event("written-00-e").status
    places = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="places")
    assert len(places) == len(store.places())
    oblasts = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="oblasts")
    assert len(oblasts) >= 27
    assert set(oblasts.geom_type) <= {"Polygon", "MultiPolygon"}


def test_gdal_reads_a_bbox(server, store):
    import pyogrio

    inside = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="events", bbox=BOX)
    expected = store.events(EventQuery(bbox=BOX))
    assert 5 < len(inside) < store.count()
    assert sorted(inside["id"]) == sorted(e.id for e in expected)


def test_owslib_reads_collections_items_and_pages(server, store):
    from owslib.ogcapi.features import Features

    api = Features(server)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in \
        api.conformance()["conformsTo"]
    assert [c["id"] for c in api.collections()["collections"]] == [
        "events", "event-areas", "places", "oblasts", *CONTROL]
    first = api.collection_items("events", limit=10)
    assert first["numberMatched"] == store.count() and first["numberReturned"] == 10
    ids = []
    offset = 0
    while True:
        page = api.collection_items("events", limit=10, offset=offset)
        ids += [f["id"] for f in page["features"]]
        if not any(lk["rel"] == "next" for lk in page["links"]):
            break
        offset += 10
    assert ids == [e.id for e in store.events()]
    boxed = api.collection_items("events", bbox=list(BOX), limit=1000)
    assert boxed["numberMatched"] == store.count(EventQuery(bbox=BOX))
    window = api.collection_items("events", datetime_="2025-05-10/2025-05-20", limit=1000)
    assert window["numberMatched"] == store.count(
        EventQuery(start=date(2025, 5, 10), end=date(2025, 5, 20)))
    one = api.collection_item("events", "written-00-e")
    assert one["properties"]["status"] == store.event("written-00-e").status


@pytest.mark.parametrize("where,query", [
    ("date >= '2025-05-20'", EventQuery(start=date(2025, 5, 20))),
    ("status = 'reported' AND type = 'strike'",
     EventQuery(statuses=("reported",), types=("strike",))),
    ("type IN ('advance', 'capture')", EventQuery(types=("advance", "capture"))),
])
def test_gdal_where_reaches_the_server_as_cql2(server, store, where, query):
    """What ``ogr2ogr -where`` does: GDAL turns the where clause into a server-side filter
    (the server declares CQL2 text), and the answer matches the store's."""
    import pyogrio

    found = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="events", where=where)
    expected = store.events(query)
    assert expected and sorted(found["id"]) == sorted(e.id for e in expected)


def test_gdal_reads_points_with_flat_attributes_and_areas_as_polygons(server, store):
    import pyogrio

    info = pyogrio.read_info(f"OAPIF:{server}/", layer="events", force_total_bounds=True)
    assert info["geometry_type"] == "Point"
    events = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="events", bbox=BOX)
    assert set(events.geom_type) == {"Point"}
    first = events[events["id"] == "written-00-e"].iloc[0]
    event = store.event("written-00-e")
    assert first["n_sources"] == len(event.attestations)
    assert event.attestations[0].quote in first["sources"]
    areas = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="event-areas")
    assert set(areas.geom_type) == {"MultiPolygon"}
    assert sorted(areas["id"]) == sorted(e.id for e in store.events()
                                         if e.geometry_kind == "admin1")
    mapped = [e for e in store.events() if e.mapped]
    minx, miny, maxx, maxy = info["total_bounds"]  # GDAL's layer extent: the collection's
    assert minx == pytest.approx(min(e.lon for e in mapped))
    assert maxy == pytest.approx(max(e.lat for e in mapped))


def test_gdal_reads_events_in_utm_with_a_utm_box(server, store):
    """GDAL's OAPIF driver with a CRS: it asks for ``crs`` and sends its box with
    ``bbox-crs``; the points come back in UTM 37N, and the box selects exactly the events
    whose UTM coordinates fall in it."""
    import geopandas as gpd
    import pyogrio

    mapped = [e for e in store.events() if e.mapped]
    utm = gpd.GeoSeries(gpd.points_from_xy([e.lon for e in mapped], [e.lat for e in mapped]),
                        index=[e.id for e in mapped], crs="OGC:CRS84").to_crs("EPSG:32637")
    box = (300_000, 5_300_000, 500_000, 5_500_000)
    inside = utm[(utm.x >= box[0]) & (utm.x <= box[2]) & (utm.y >= box[1]) & (utm.y <= box[3])]
    found = pyogrio.read_dataframe(f"OAPIF:{server}/", layer="events", CRS="EPSG:32637",
                                   bbox=box)
    assert found.crs.to_epsg() == 32637
    assert 0 < len(inside) < len(mapped)
    assert sorted(found["id"]) == sorted(inside.index)
    for _, row in found.iterrows():
        assert (row.geometry.x, row.geometry.y) == pytest.approx(
            (utm[row["id"]].x, utm[row["id"]].y), abs=0.01)


def test_gdal_reads_the_events_vector_tiles(server, store):
    """GDAL's OGC API driver follows the tileset metadata to the Mapbox Vector Tiles: every
    located event, in Web Mercator, within a tile unit (at most ~10 km at zoom 0)."""
    import math

    import pyogrio

    tiles = pyogrio.read_dataframe(f"OGCAPI:{server}/collections/events", API="TILES",
                                   layer=0)
    assert tiles.crs.to_epsg() == 3857
    mapped = {e.id: e for e in store.events() if e.mapped}
    assert sorted(tiles["id"]) == sorted(mapped)
    for _, row in tiles.iterrows():
        e = mapped[row["id"]]
        x = 6378137.0 * math.radians(e.lon)
        y = 6378137.0 * math.log(math.tan(math.pi / 4 + math.radians(e.lat) / 2))
        assert math.dist((row.geometry.x, row.geometry.y), (x, y)) < 10_000
        assert row["status"] == e.status


def test_openapi_tells_gdal_the_page_size(server):
    with urllib.request.urlopen(f"{server}/openapi.json", timeout=10) as r:
        doc = json.loads(r.read())
    params = doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    limit = next(p for p in params if p.get("name") == "limit" or
                 p.get("$ref", "").endswith("/limit"))
    if "$ref" in limit:
        limit = doc["components"]["parameters"]["limit"]
    assert limit["schema"]["default"] == 100 and limit["schema"]["maximum"] == 10_000


def test_owslib_queryables_and_cql2_filter(server, store):
    from owslib.ogcapi.features import Features

    api = Features(server)
    queryables = api.collection_queryables("events")
    assert {"date", "status", "type", "geometry"} <= set(queryables["properties"])
    found = api.collection_items("events", filter="status = 'claimed' AND n_sources >= 1",
                                 limit=1000)
    assert found["numberMatched"] == store.count(EventQuery(statuses=("claimed",))) > 0


def test_clear_errors_over_the_wire(server):
    req = urllib.request.Request(f"{server}/collections/events/items?bbox=1,2,3")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400
    assert "bbox" in json.loads(err.value.read())["description"]
    post = urllib.request.Request(f"{server}/articles", data=b'{"text": "x"}', method="POST",
                                  headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(post, timeout=10)
    assert err.value.code == 403


def test_serve_refuses_a_busy_port_in_one_line(api_store_url):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--port", str(port),
                            "--store", api_store_url], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.startswith("frontline: error: cannot listen on 127.0.0.1")
    assert "Traceback" not in r.stderr


def test_run_ingests_the_seeds_writes_the_maps_and_serves_them(tmp_path):
    """What ``make run`` does: the whole job, up to a server that answers."""
    port = free_port()
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "run", str(ROOT / "seeds"), "--synthetic-front",
         "--out", str(out), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env={**os.environ, "FRONTLINE_TOKEN": ""}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        events = answer(proc, f"http://127.0.0.1:{port}/collections/events/items?f=json", 180)
        assert events["numberMatched"] >= 8
        assert {p.name for p in out.iterdir()} >= {"map.html", "report.png", "report.svg",
                                                  "report.pdf"}
    finally:
        stop(proc)
