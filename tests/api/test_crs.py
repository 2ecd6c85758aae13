"""OGC API – Features Part 2 (coordinate reference systems by reference): the abstract test
suite's assertions (OGC 18-058r1, Annex A), each test naming the test it carries out.
Coordinates are checked against independent figures: the spherical Mercator formula, the
swap of axes, and geodesic distances for UTM."""

from __future__ import annotations

import math

import pytest
from pyproj import Geod

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
WANTED = [CRS84, EPSG + "4326", EPSG + "3857", EPSG + "32636", EPSG + "32637"]
CONF = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
BOX = (36.5, 47.5, 38.5, 49.5)  # lon/lat: the Donbas front
EARTH = 6378137.0  # the sphere of EPSG:3857


def get(client, path: str, status: int = 200, **params):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    return r


def located(client, **params) -> dict[str, list[float]]:
    doc = get(client, "/collections/events/items", limit=10_000, **params).json()
    return {f["id"]: f["geometry"]["coordinates"] for f in doc["features"] if f["geometry"]}


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return (EARTH * math.radians(lon),
            EARTH * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def test_conformance_declares_crs_by_reference(client):
    assert CONF in get(client, "/conformance").json()["conformsTo"]


def test_fc_md_crs_list_and_storage_crs(client):
    """/conf/crs/fc-md-crs-list, /conf/crs/fc-md-storageCrs, /conf/crs/fc-md-extent."""
    listed = get(client, "/collections").json()["collections"]
    for c in listed:
        one = get(client, f"/collections/{c['id']}").json()
        assert one["crs"] == c["crs"]
        assert all(isinstance(u, str) and u.startswith("http://www.opengis.net/def/crs/")
                   for u in c["crs"])
        assert set(WANTED) <= set(c["crs"])
        assert c["storageCrs"] in c["crs"]
        assert c["extent"]["spatial"]["crs"] == CRS84


def test_crs_parameter_definition_in_openapi(client):
    """/conf/crs/crs-parameter-definition: crs on items and item, bbox-crs on items, with
    the offered CRSs as their values."""
    paths = get(client, "/openapi.json").json()["paths"]
    items = {p["name"]: p for p in paths["/collections/{collectionId}/items"]["get"]
             ["parameters"]}
    item = {p["name"]: p for p in paths["/collections/{collectionId}/items/{featureId}"]
            ["get"]["parameters"]}
    for params in (items, item):
        assert params["crs"]["in"] == "query"
        assert set(WANTED) <= set(params["crs"]["schema"]["enum"])
    assert set(WANTED) <= set(items["bbox-crs"]["schema"]["enum"])


def test_crs_parameter_default_is_crs84(client):
    """/conf/crs/crs-parameter-default and /conf/crs/ogc-crs-header-content-crs."""
    r = get(client, "/collections/events/items", limit=5)
    assert r.headers["Content-Crs"] == f"<{CRS84}>"
    same = get(client, "/collections/events/items", limit=5, crs=CRS84)
    assert same.json()["features"] == r.json()["features"]
    one = get(client, "/collections/events/items/written-00-e")
    assert one.headers["Content-Crs"] == f"<{CRS84}>"


@pytest.mark.parametrize("crs", WANTED)
def test_crs_parameter_each_listed_crs(client, crs):
    """/conf/crs/crs-parameter: every listed CRS answers, on items and on one item, and the
    Content-Crs header names it."""
    for cid in ("events", "event-areas", "oblasts", "places"):
        r = get(client, f"/collections/{cid}/items", limit=3, crs=crs)
        assert r.headers["Content-Crs"] == f"<{crs}>"
        assert r.json()["features"]
    r = get(client, "/collections/events/items/written-00-e", crs=crs)
    assert r.headers["Content-Crs"] == f"<{crs}>"
    assert r.json()["id"] == "written-00-e"


@pytest.mark.parametrize("bad", ["EPSG:4326", EPSG + "2154", "http://example.com/crs/1",
                                 EPSG + "32637x", ""])
def test_crs_parameter_invalid(client, bad):
    """/conf/crs/crs-parameter-invalid: a CRS not listed is a 400 that names the parameter."""
    for path in ("/collections/events/items", "/collections/events/items/written-00-e"):
        r = get(client, path, 400, crs=bad)
        assert "crs" in r.json()["description"]
    r = get(client, "/collections/events/items", 400, bbox="1,2,3,4", **{"bbox-crs": bad})
    assert "bbox-crs" in r.json()["description"]


def test_crs_parameter_transform_epsg4326_is_latitude_first(client):
    """/conf/crs/crs-parameter-transform: EPSG:4326 answers latitude, longitude."""
    lonlat, latlon = located(client), located(client, crs=EPSG + "4326")
    assert latlon.keys() == lonlat.keys() and lonlat
    for fid, (lon, lat) in lonlat.items():
        assert latlon[fid] == pytest.approx([lat, lon], abs=1e-7)
    area = get(client, "/collections/event-areas/items/written-region-e",
               crs=EPSG + "4326").json()["geometry"]["coordinates"]
    ring = area[0][0]
    assert all(44 < lat < 53 and 22 < lon < 41 for lat, lon in ring)


def test_crs_parameter_transform_web_mercator(client):
    lonlat, metres = located(client), located(client, crs=EPSG + "3857")
    for fid, (lon, lat) in lonlat.items():
        assert metres[fid] == pytest.approx(mercator(lon, lat), abs=0.01)


@pytest.mark.parametrize("zone,meridian", [(36, 33.0), (37, 39.0)])
def test_crs_parameter_transform_utm(client, zone, meridian):
    """UTM distances are geodesic distances scaled by about 0.9996 near the meridian;
    eastings grow eastward from 500 km at the central meridian, northings are the distance
    from the equator."""
    lonlat, utm = located(client), located(client, crs=f"{EPSG}326{zone}")
    geod = Geod(ellps="WGS84")
    ids = sorted(lonlat)
    for a, b in zip(ids, ids[1:], strict=False):
        (lon1, lat1), (lon2, lat2) = lonlat[a], lonlat[b]
        if lon1 == lon2 and lat1 == lat2:
            continue
        metres = geod.inv(lon1, lat1, lon2, lat2)[2]
        planar = math.dist(utm[a], utm[b])
        assert planar / metres == pytest.approx(1.0, abs=0.003)
    for fid, (lon, lat) in lonlat.items():
        easting, northing = utm[fid]
        assert (easting > 500_000) == (lon > meridian)
        assert 4_000_000 < northing < 6_000_000
        assert northing == pytest.approx(geod.inv(meridian, 0, meridian, lat)[2], rel=0.01)


def box_in(crs: str, box: tuple[float, float, float, float] = BOX) -> str:
    lon0, lat0, lon1, lat1 = box
    if crs == EPSG + "4326":
        return f"{lat0},{lon0},{lat1},{lon1}"
    if crs == EPSG + "3857":
        return ",".join(str(v) for v in (*mercator(lon0, lat0), *mercator(lon1, lat1)))
    return f"{lon0},{lat0},{lon1},{lat1}"


@pytest.mark.parametrize("crs", [CRS84, EPSG + "4326", EPSG + "3857"])
def test_bbox_crs_parameter_same_box_same_events(client, crs):
    """/conf/crs/bbox-crs-parameter: one box, written in each CRS, selects the same events."""
    plain = located(client, bbox=box_in(CRS84))
    assert 0 < len(plain) < len(located(client))
    assert located(client, bbox=box_in(crs), **{"bbox-crs": crs}).keys() == plain.keys()


@pytest.mark.parametrize("zone", [36, 37])
def test_bbox_crs_parameter_utm_box_is_exact(client, zone):
    """/conf/crs/bbox-crs-action: the events answered for a UTM box are exactly those whose
    UTM coordinates fall in it, though its edges are curves in longitude and latitude."""
    crs = f"{EPSG}326{zone}"
    everywhere = located(client, crs=crs)
    xs = sorted({x for x, _ in everywhere.values()})
    ys = sorted({y for _, y in everywhere.values()})

    def between(values: list[float], at: float) -> float:  # no event on the edge
        i = int(len(values) * at)
        return (values[i] + values[i + 1]) / 2

    box = (between(xs, 0.25), between(ys, 0.25), between(xs, 0.75), between(ys, 0.75))
    expected = {fid for fid, (x, y) in everywhere.items()
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]}
    found = located(client, crs=crs, bbox=",".join(map(str, box)), **{"bbox-crs": crs})
    assert found.keys() == expected and 0 < len(expected) < len(everywhere)
    doc = get(client, "/collections/events/items", limit=2, crs=crs,
              bbox=",".join(map(str, box)), **{"bbox-crs": crs}).json()
    assert doc["numberMatched"] == len(expected)
    assert all(f"bbox-crs={crs.replace(':', '%3A').replace('/', '%2F')}" in link["href"]
               for link in doc["links"] if link["rel"] == "next")


def test_bbox_crs_parameter_bad_boxes(client):
    r = get(client, "/collections/events/items", 400, bbox="49.5,38.5,47.5,36.5",
            **{"bbox-crs": EPSG + "4326"})
    assert "bbox" in r.json()["description"]
    r = get(client, "/collections/events/items", 400, bbox="95,30,96,31",
            **{"bbox-crs": EPSG + "4326"})
    assert "latitude 95" in r.json()["description"]
    r = get(client, "/collections/events/items", 400, bbox="1e30,1e30,2e30,2e30",
            **{"bbox-crs": EPSG + "32637"})
    assert "bbox" in r.json()["description"]


def test_crs_and_bbox_crs_on_oblasts_and_places(client):
    """The few-feature collections take a projected box by its bounds and answer in any
    listed CRS; their polygons keep their rings closed."""
    crs = EPSG + "32637"
    doc = get(client, "/collections/oblasts/items", crs=crs, limit=100).json()
    for f in doc["features"]:
        for polygon in f["geometry"]["coordinates"] if f["geometry"]["type"] == \
                "MultiPolygon" else [f["geometry"]["coordinates"]]:
            assert polygon[0][0] == polygon[0][-1]
            assert all(abs(x) < 2e6 and 4e6 < y < 7e6 for x, y in polygon[0])
    lonlat = get(client, "/collections/oblasts/items", limit=100,
                 bbox=box_in(CRS84)).json()
    projected = get(client, "/collections/oblasts/items", limit=100, bbox=box_in(
        EPSG + "3857"), **{"bbox-crs": EPSG + "3857"}).json()
    assert [f["id"] for f in lonlat["features"]] == [f["id"] for f in projected["features"]]


@pytest.mark.parametrize("zone", [36, 37])
def test_filter_crs_takes_geometries_in_any_listed_crs(client, zone):
    """Part 3's filter-crs: a BBOX in UTM selects what the same box as bbox-crs selects;
    a polygon written latitude first in EPSG:4326 what it selects in CRS84."""
    crs = f"{EPSG}326{zone}"
    box = "300000,5300000,500000,5500000" if zone == 37 else "600000,5200000,800000,5400000"
    by_bbox = located(client, bbox=box, **{"bbox-crs": crs})
    by_filter = located(client, filter=f"S_INTERSECTS(geometry, BBOX({box}))",
                        **{"filter-crs": crs})
    assert by_filter.keys() == by_bbox.keys()
    lon0, lat0, lon1, lat1 = BOX
    ring = [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)]

    def polygon(points) -> str:
        return "POLYGON((" + ", ".join(f"{a} {b}" for a, b in points) + "))"

    plain = located(client, filter=f"S_INTERSECTS(geometry, {polygon(ring)})")
    swapped = located(client, filter=f"S_INTERSECTS(geometry, "
                                     f"{polygon([(b, a) for a, b in ring])})",
                      **{"filter-crs": EPSG + "4326"})
    assert swapped.keys() == plain.keys() and 0 < len(plain) < len(located(client))
    r = get(client, "/collections/events/items", 400, filter="S_INTERSECTS(geometry, "
            "BBOX(1,2,3,4))", **{"filter-crs": EPSG + "2154"})
    assert "filter-crs" in r.json()["description"]
