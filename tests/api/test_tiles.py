"""Vector tiles (OGC API – Tiles, Mapbox Vector Tile): tiles decoded with the encoder's own
decoder and checked against the store, the tileset metadata followed as a client does."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

import mapbox_vector_tile
import pytest

from api import tiles
from geo.store import EventQuery

MVT = "application/vnd.mapbox-vector-tile"
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
ORIGIN = 20037508.342789244
R = 6378137.0


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return R * math.radians(lon), R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(row, column) of the WebMercatorQuad tile holding the point."""
    x, y = mercator(lon, lat)
    size = 2 * ORIGIN / 2 ** z
    return int((ORIGIN - y) // size), int((x + ORIGIN) // size)


def bounds(z: int, row: int, col: int) -> tuple[float, float, float, float]:
    size = 2 * ORIGIN / 2 ** z
    return (-ORIGIN + col * size, ORIGIN - (row + 1) * size, -ORIGIN + (col + 1) * size,
            ORIGIN - row * size)


def fetch(client, cid: str, z: int, row: int, col: int, **params) -> list[dict]:
    r = client.get(f"/collections/{cid}/tiles/WebMercatorQuad/{z}/{row}/{col}", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == MVT
    layers = mapbox_vector_tile.decode(r.content)
    assert set(layers) <= {cid}
    return layers[cid]["features"] if layers else []


def in_metres(point: list[float], z: int, row: int, col: int) -> tuple[float, float]:
    """A decoded point (tile units, y up) in EPSG:3857 metres."""
    west, south, east, _ = bounds(z, row, col)
    unit = (east - west) / 4096
    return west + point[0] * unit, south + point[1] * unit


def inside(e, z: int, row: int, col: int, pad_units: int = 64) -> bool:
    west, south, east, north = bounds(z, row, col)
    pad = (east - west) * pad_units / 4096
    x, y = mercator(e.lon, e.lat)
    return west - pad <= x <= east + pad and south - pad <= y <= north + pad


POKROVSK = (37.17706, 48.28014)


def test_conformance_and_links_lead_to_the_tiles(client):
    conf = client.get("/conformance").json()["conformsTo"]
    for cls in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt"):
        assert TILES + cls in conf
    landing = client.get("/", headers={"Accept": "application/json"}).json()
    schemes = next(lk for lk in landing["links"]
                   if lk["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes")
    listed = client.get(urlsplit(schemes["href"]).path).json()["tileMatrixSets"]
    assert [t["id"] for t in listed] == ["WebMercatorQuad"]
    for cid in ("events", "oblasts", "places"):
        links = client.get(f"/collections/{cid}").json()["links"]
        vector = [lk for lk in links
                  if lk["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
        assert bool(vector) == (cid != "places")


def test_web_mercator_quad_is_the_standard_one(client):
    doc = client.get("/tileMatrixSets/WebMercatorQuad").json()
    assert doc["uri"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    assert doc["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    matrices = doc["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(25)]
    # the values OGC 17-083r4 publishes for WebMercatorQuad
    assert matrices[0]["scaleDenominator"] == pytest.approx(559082264.028717, rel=1e-9)
    assert matrices[0]["cellSize"] == pytest.approx(156543.033928041, rel=1e-9)
    assert matrices[0]["pointOfOrigin"] == pytest.approx([-ORIGIN, ORIGIN])
    for z, m in enumerate(matrices):
        assert m["matrixWidth"] == m["matrixHeight"] == 2 ** z
        assert m["cellSize"] == pytest.approx(matrices[0]["cellSize"] / 2 ** z)


def test_tileset_metadata_template_gives_tiles(client):
    listing = client.get("/collections/events/tiles").json()
    meta_link = next(lk for lk in listing["tilesets"][0]["links"] if lk["rel"] == "self")
    meta = client.get(urlsplit(meta_link["href"]).path).json()
    assert meta["dataType"] == "vector"
    assert meta["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    assert meta["layers"][0]["id"] == "events"
    item = next(lk for lk in meta["links"] if lk["rel"] == "item")
    assert item["type"] == MVT and item["templated"] is True
    row, col = tile_of(*POKROVSK, 9)
    url = item["href"].format(tileMatrix=9, tileRow=row, tileCol=col)
    r = client.get(urlsplit(url).path)
    assert r.status_code == 200 and r.headers["content-type"] == MVT
    assert r.headers["cache-control"] == "public, max-age=60"
    ids = {f["properties"]["id"] for f in mapbox_vector_tile.decode(r.content)["events"]
           ["features"]}
    assert "written-00-e" in ids


@pytest.mark.parametrize("z", [6, 9, 12])
def test_events_tile_holds_each_event_in_it_where_it_is(client, store, z):
    row, col = tile_of(*POKROVSK, z)
    found = fetch(client, "events", z, row, col)
    events = {e.id: e for e in store.events() if e.mapped}
    expected = {i for i, e in events.items() if inside(e, z, row, col)}
    assert {f["properties"]["id"] for f in found} == expected and expected
    unit = (bounds(z, row, col)[2] - bounds(z, row, col)[0]) / 4096
    for f in found:
        e = events[f["properties"]["id"]]
        assert f["geometry"]["type"] == "Point"
        x, y = in_metres(f["geometry"]["coordinates"], z, row, col)
        assert math.dist((x, y), mercator(e.lon, e.lat)) <= unit
        p = f["properties"]
        assert (p["type"], p["status"], p.get("date"), p["count"]) == (
            e.type, e.status, e.date.isoformat() if e.date else None, 1)
        assert p["n_sources"] == len(e.attestations)


def test_events_tile_counts_where_events_are_many(client, store, monkeypatch):
    """Past the listing limit a tile holds counts per grid cell: every event of the tile
    counted once, each count at the mean of its events."""
    monkeypatch.setattr(tiles, "DETAIL", 5)
    z = 5
    row, col = tile_of(*POKROVSK, z)
    found = fetch(client, "events", z, row, col)
    events = [e for e in store.events() if e.mapped and inside(e, z, row, col)]
    assert len(events) > 5
    assert sum(f["properties"]["count"] for f in found) == len(events)
    assert len(found) < len(events)
    by_id = {e.id: e for e in events}
    unit = (bounds(z, row, col)[2] - bounds(z, row, col)[0]) / 4096
    for f in found:
        if f["properties"]["count"] == 1:
            e = by_id[f["properties"]["id"]]
            x, y = in_metres(f["geometry"]["coordinates"], z, row, col)
            assert math.dist((x, y), mercator(e.lon, e.lat)) <= unit
        else:
            assert "id" not in f["properties"]


def test_events_tile_takes_the_filters(client, store):
    z = 6
    row, col = tile_of(*POKROVSK, z)
    confirmed = fetch(client, "events", z, row, col, status="confirmed")
    expected = {e.id for e in store.events(EventQuery(statuses=("confirmed",)))
                if e.mapped and inside(e, z, row, col)}
    assert {f["properties"]["id"] for f in confirmed} == expected and expected
    cql = fetch(client, "events", z, row, col, filter="type = 'advance' AND n_sources >= 1")
    advances = {e.id for e in store.events(EventQuery(types=("advance",)))
                if e.mapped and inside(e, z, row, col)}
    assert {f["properties"]["id"] for f in cql} == advances and advances
    assert fetch(client, "events", z, row, col, datetime="1990-01-01/1990-12-31") == []


def test_oblasts_tile_holds_the_oblasts_it_meets_with_their_counts(client, store):
    z = 6
    row, col = tile_of(*POKROVSK, z)
    found = fetch(client, "oblasts", z, row, col)
    by_iso = {f["properties"]["iso"]: f for f in found}
    assert {"UA-14", "UA-63", "UA-23"} <= set(by_iso) and "UA-46" not in by_iso  # not Lviv
    counts = store.oblast_counts()
    for iso, f in by_iso.items():
        assert f["properties"]["events"] == sum(counts.get(iso, {}).values())
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        rings = f["geometry"]["coordinates"]
        flat = [pt for ring in (rings if f["geometry"]["type"] == "Polygon"
                                else [r for poly in rings for r in poly]) for pt in ring]
        assert all(-64 <= x <= 4096 + 64 and -64 <= y <= 4096 + 64 for x, y in flat)
    strikes = fetch(client, "oblasts", z, row, col, type="strike")
    by_type = store.oblast_counts(by="type")
    for f in strikes:
        iso = f["properties"]["iso"]
        assert f["properties"]["events"] == by_type.get(iso, {}).get("strike", 0)


@pytest.mark.parametrize("url,status", [
    ("/collections/places/tiles", 404),
    ("/collections/places/tiles/WebMercatorQuad/0/0/0", 404),
    ("/collections/tanks/tiles", 404),
    ("/collections/events/tiles/WorldCRS84Quad", 404),
    ("/tileMatrixSets/WorldCRS84Quad", 404),
    ("/collections/events/tiles/WebMercatorQuad/3/8/0", 404),
    ("/collections/events/tiles/WebMercatorQuad/3/0/8", 404),
    ("/collections/events/tiles/WebMercatorQuad/25/0/0", 400),
    ("/collections/events/tiles/WebMercatorQuad/-1/0/0", 400),
    ("/collections/events/tiles/WebMercatorQuad/x/0/0", 400),
    ("/collections/events/tiles/WebMercatorQuad/3/0/0?status=rumoured", 400),
    ("/collections/events/tiles/WebMercatorQuad/3/0/0?filter=colour%3D'red'", 400),
    ("/collections/oblasts/tiles/WebMercatorQuad/3/0/0?filter=type%3D'strike'", 400),
    ("/collections/events/tiles?limit=3", 400),
])
def test_bad_tile_requests_are_clear_errors(client, url, status):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["description"]
