from __future__ import annotations

import json
from datetime import date

from shapely.geometry import LinearRing, Point, shape

from geo.claims.fusion import build, event_id
from geo.gazetteer.admin import oblast
from geo.geojson import event_feature, feature_collection
from geo.models import Attestation, Toponym

CLAIM = (Attestation("tass", "asserts", "…", 0, 1, "Russian Ministry of Defense", "RU"),)
KRYVYI_RIH = Toponym(0, 10, "Kryvyi Rih", 47.90572, 33.39404, "settlement", "UA", "UA-12", 1,
                     1.0, place_id="703845")
DNIPRO = Toponym(0, 14, "Dnipropetrovsk", 48.6313, 34.9555, "admin1", "UA", "UA-12", 3, 1.0,
                 place_id="709929")
UKRAINE = Toponym(0, 7, "Ukraine", 48.799, 31.05873, "country", None, None, 3, 1.0,
                  place_id="690791", resolved_name="Ukraine")


def event(place):
    places = [place] if place else []
    return build("strike", "RU", places, [], CLAIM, date(2025, 3, 6), "day",
                 event_id_=event_id("strike", "RU", place, date(2025, 3, 6), "a:1"),
                 sub_event_type=None)


def _decimals(coords):
    if isinstance(coords, float):
        text = repr(coords)
        return len(text.split(".")[1]) if "." in text else 0
    return max((_decimals(c) for c in coords), default=0)


def test_point_is_lon_lat():
    f = event_feature(event(KRYVYI_RIH))
    assert f["geometry"] == {"type": "Point", "coordinates": [33.39404, 47.90572]}
    assert f["id"] == f["properties"]["id"] and f["properties"]["status"] == "claimed"
    assert f["properties"]["attestations"][0]["claimant"] == "Russian Ministry of Defense"


def test_oblast_event_is_the_oblast_polygon_counter_clockwise():
    e = event(DNIPRO)
    g = event_feature(e)["geometry"]
    assert g["type"] in ("Polygon", "MultiPolygon")
    polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for rings in polygons:
        assert LinearRing(rings[0]).is_ccw
        assert all(not LinearRing(hole).is_ccw for hole in rings[1:])
    assert _decimals(g["coordinates"]) <= 7
    drawn = shape(g)
    assert drawn.contains(Point(e.lon, e.lat))
    assert abs(drawn.area - oblast("UA-12").area) < 1e-6


def test_country_and_unlocated_events_are_listed_not_drawn():
    for e in (event(UKRAINE), event(None)):
        f = event_feature(e)
        assert f["geometry"] is None and f["properties"]["lat"] is None
    assert event_feature(event(UKRAINE))["properties"]["geometry_kind"] == "country"


def test_collection_is_plain_rfc7946_json():
    fc = feature_collection([event(KRYVYI_RIH), event(DNIPRO), event(None)])
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(json.loads(json.dumps(fc))["features"]) == 3
