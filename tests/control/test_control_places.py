from __future__ import annotations

from dataclasses import replace
from datetime import date

import shapely
from control_helpers import DONETSK_A, DONETSK_B, event, snap

from api.collections import items
from geo.control.places import Report, from_reports, from_snapshots
from geo.models import Attestation, Toponym
from geo.store import EventQuery, open_store

SPRING, SUMMER = date(2024, 4, 1), date(2024, 7, 1)


def test_snapshots_say_who_held_the_place_each_time():
    judged = from_snapshots([snap(SUMMER, occupied=DONETSK_A),
                             snap(SPRING, occupied=DONETSK_A.buffer(-0.1))], 37.25, 48.05)
    assert [(h.since, h.side) for h in judged] == [(SPRING, "held"), (SUMMER, "occupied")]
    assert judged[1].basis == f"snapshot {SUMMER.isoformat()}:test"
    assert from_snapshots([snap(SPRING, occupied=DONETSK_A)], 21.0, 52.0)[0].side is None


def test_confirmed_events_change_hands_and_claims_do_not():
    reports = [
        Report("a", "capture", "RU", "confirmed", date(2024, 5, 1)),
        Report("a", "capture", "RU", "confirmed", date(2024, 5, 1)),  # the same event again
        Report("b", "capture", "UA", "claimed", date(2024, 5, 20)),
        Report("c", "strike", "UA", "confirmed", date(2024, 5, 25)),
        Report("d", "withdrawal", "RU", "confirmed", date(2024, 6, 10)),
        Report("e", "control", "UA", "confirmed", date(2024, 6, 12)),  # held already
        Report("f", "capture", "RU", "disputed", None),
    ]
    estimate, claims = from_reports(reports)
    assert [(h.since, h.side) for h in estimate] == [(date(2024, 5, 1), "occupied"),
                                                    (date(2024, 6, 10), "held")]
    assert "confirmed withdrawal by RU (d)" in estimate[1].basis
    assert [(c.since, c.side, c.basis) for c in claims] == [
        (date(2024, 5, 20), "held", "claimed capture by UA (b)")]


def test_places_collection_tells_control_from_events_then_snapshots(tmp_path):
    place = Toponym(0, 8, "Testivka", 48.05, 37.3, "settlement", "UA", "UA-14", 1, 1.0,
                    place_id="sup:testivka", resolved_name="Testivka")
    said = Attestation("art-1", "reports", "Testivka was taken.", 0, 19, "Analyst",
                       "independent", "Wire", None, SPRING, SPRING)
    taken = replace(event("capture", "RU", 37.3, 48.05, SPRING, "taken"), places=(place,),
                    attestations=(said,), status="confirmed")
    with open_store(str(tmp_path / "frontline.gpkg")) as store:
        store.load_events([taken])
        (feature,) = items(store, "places", EventQuery()).features
        control = feature["properties"]["control"]
        assert control["basis"] == "confirmed events"
        assert control["history"] == [{"since": "2024-04-01", "side": "occupied",
                                       "basis": "confirmed capture by RU (taken)"}]
        store.put_snapshot(snap(SUMMER, occupied=shapely.box(37.45, 47.9, 37.6, 48.2)))
        (feature,) = items(store, "places", EventQuery()).features
        control = feature["properties"]["control"]
        assert control["basis"] == "snapshots"
        assert control["history"] == [{"since": "2024-07-01", "side": "held",
                                       "basis": "snapshot 2024-07-01:test"}]


def test_point_index_agrees_with_each_snapshot_point_by_point():
    import numpy as np

    from geo.control.places import PointIndex

    s = snap(SUMMER, occupied=DONETSK_A, contested=shapely.box(37.6, 47.9, 37.7, 48.2))
    lon, lat = np.meshgrid(np.linspace(36.9, 37.8, 37), np.linspace(47.85, 48.25, 17))
    lon = np.append(lon.ravel(), [37.2, 21.0])  # one on an edge, one in Poland
    lat = np.append(lat.ravel(), [48.0, 52.0])
    sides = PointIndex(lon, lat).sides(s)
    assert list(sides) == [s.side_at(x, y) for x, y in zip(lon, lat, strict=True)]
    assert {"occupied", "contested", "held", None} <= set(sides)


def test_every_settlement_has_a_side_in_each_snapshot(tmp_path):
    """Settlements with no event at all are answered, from the polygons."""
    from api.collections import item

    front = shapely.box(37.0, 47.8, 38.0, 48.4)
    with open_store(str(tmp_path / "frontline.gpkg")) as store:
        store.put_snapshot(snap(SPRING, occupied=front.difference(DONETSK_B)))
        store.put_snapshot(snap(SUMMER, occupied=front))
        box = EventQuery(bbox=(36.9, 47.85, 37.5, 48.25), limit=5000)
        page = items(store, "control-places", box)
        summer, n = page.features, page.matched
        spring = items(store, "control-places", replace(box, end=SPRING)).features
        assert n == len(summer) > 20 and store.places() == []
        assert {f["properties"]["as_of"] for f in summer} == {SUMMER.isoformat()}
        taken = [f for f, g in zip(summer, spring, strict=True)
                 if g["properties"]["side"] == "held" and f["properties"]["side"] == "occupied"]
        assert taken and all(DONETSK_B.covers(shapely.Point(f["geometry"]["coordinates"]))
                             for f in taken)
        one = item(store, "control-places", taken[0]["id"])
        assert [h["side"] for h in one["properties"]["history"]] == ["held", "occupied"]
        assert [h["since"] for h in one["properties"]["history"]] == ["2024-04-01",
                                                                      "2024-07-01"]
