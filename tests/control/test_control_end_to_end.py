"""Two synthetic snapshots through the whole product: import, diff, the API and the events."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
import shapely
from control_helpers import event
from fastapi.testclient import TestClient
from pyproj import Geod
from shapely.geometry import shape

from api.app import create_app
from api.cli import main
from geo.control.synthetic import front_line, write_snapshot
from geo.gazetteer.admin import oblast_at
from geo.store import open_store

SPRING, SUMMER = date(2024, 3, 1), date(2024, 6, 1)
GEOD = Geod(ellps="WGS84")


def _west_of_front(day: date, km: float) -> tuple[float, float]:
    line = front_line(day)
    on_line = shapely.intersection(line, shapely.LineString([(30, 48.3), (40, 48.3)]))
    lon = min(p.x for p in shapely.get_parts(on_line))
    west, lat, _ = GEOD.fwd(lon, 48.3, 270, km * 1000)
    return west, lat


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("control")
    store = str(tmp / "frontline.gpkg")
    for day in (SPRING, SUMMER):
        path = write_snapshot(tmp / f"front-{day}.geojson", day)
        assert main(["control", "import", str(path), "--as-of", day.isoformat(),
                     "--source", "synthetic", "--licence", "synthetic", "--store", store]) == 0
    far = _west_of_front(SUMMER, 40)
    near = _west_of_front(SUMMER, 3)
    claims = [event("capture", "RU", *far, date(2024, 6, 10), "far"),
              event("capture", "RU", *near, date(2024, 6, 10), "near"),
              event("capture", "RU", *far, date(2024, 2, 1), "before")]
    with open_store(store) as s:
        s.load_events([replace(e, admin1=oblast_at(e.lon, e.lat)) for e in claims])
    out = tmp / "changes.geojson"
    assert main(["control", "diff", "--from", SPRING.isoformat(), "--to", SUMMER.isoformat(),
                 "--store", store, "--out", str(out)]) == 0
    with TestClient(create_app(store)) as client:
        yield client, json.loads(out.read_text()), store


def test_api_areas_follow_datetime(served):
    client, _, _ = served
    ids = {c["id"] for c in client.get("/collections").json()["collections"]}
    assert {"control-areas", "control-lines", "control-changes"} <= ids
    spring = client.get("/collections/control-areas/items",
                        params={"datetime": "2024-04-15"}).json()
    summer = client.get("/collections/control-areas/items").json()
    assert {f["properties"]["as_of"] for f in spring["features"]} == {"2024-03-01"}
    assert {f["properties"]["as_of"] for f in summer["features"]} == {"2024-06-01"}
    occ = {f["properties"]["as_of"]: f["properties"]["km2"]
           for f in spring["features"] + summer["features"]
           if f["properties"]["status"] == "occupied"}
    assert occ["2024-06-01"] != occ["2024-03-01"]
    none = client.get("/collections/control-areas/items", params={"datetime": "2023-01-01"})
    assert none.status_code == 200 and none.json()["features"] == []


def test_api_line_of_contact(served):
    client, _, _ = served
    (line,) = client.get("/collections/control-lines/items").json()["features"]
    geom = shape(line["geometry"])
    assert geom.geom_type == "MultiLineString"
    assert line["properties"]["km"] == pytest.approx(GEOD.geometry_length(geom) / 1000,
                                                     rel=1e-3)
    one = client.get(f"/collections/control-lines/items/{line['id']}")
    assert one.status_code == 200 and one.json()["properties"]["km"] == line["properties"]["km"]


def test_api_changes_match_the_cli_diff(served):
    client, diffed, _ = served
    api = client.get("/collections/control-changes/items",
                     params={"datetime": "2024-03-01/2024-06-01", "limit": 1000}).json()
    assert api["numberMatched"] == len(diffed["features"]) > 0
    by_id = {f["id"]: f["properties"]["km2"] for f in api["features"]}
    assert by_id == {f["id"]: f["properties"]["km2"] for f in diffed["features"]}
    directions = {f["properties"]["direction"] for f in api["features"]}
    assert {"held→occupied", "occupied→held"} <= directions


def test_events_carry_the_lines_verdict(served):
    client, _, _ = served
    props = {f["id"]: f["properties"]
             for f in client.get("/collections/events/items").json()["features"]}
    assert props["far"]["implausible"] is True and props["far"]["line_km"] >= 15
    assert props["far"]["control_snapshot"] == "2024-06-01:synthetic"
    assert props["near"]["implausible"] is False and props["near"]["control_side"] == "held"
    assert "implausible" not in props["before"]  # no snapshot in force yet
    one = client.get("/collections/events/items/far").json()
    assert one["properties"]["implausible"] is True


def test_maps_show_the_snapshot_in_force(served):
    client, _, _ = served
    page = client.get("/map", params={"datetime": "2024-01-01/2024-04-30"}).text
    assert "Areas of control (as of 2024-03-01)" in page
    latest = client.get("/map").text
    assert "Areas of control (as of 2024-06-01)" in latest
    assert "Changed hands since 2024-03-01" in latest
    png = client.get("/render.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_exports_carry_the_verdict_too(served, tmp_path):
    client, _, store = served
    exported = {f["id"]: f["properties"] for f in client.get("/events.geojson").json()["features"]}
    assert exported["far"]["implausible"] is True and "implausible" not in exported["before"]
    out = tmp_path / "events.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out), "--store", store]) == 0
    offline = {f["id"]: f["properties"] for f in json.loads(out.read_text())["features"]}
    assert offline["far"]["line_km"] == exported["far"]["line_km"]
    assert offline["near"]["implausible"] is False


def test_events_filter_by_the_verdict(served):
    client, _, _ = served
    bad = client.get("/collections/events/items", params={"implausible": "true"}).json()
    assert [f["id"] for f in bad["features"]] == ["far"] and bad["numberMatched"] == 1
    good = client.get("/collections/events/items", params={"implausible": "false"}).json()
    assert [f["id"] for f in good["features"]] == ["near"]
    paged = client.get("/collections/events/items",
                       params={"implausible": "false", "limit": 1, "offset": 1}).json()
    assert paged["features"] == [] and paged["numberMatched"] == 1
    places = client.get("/collections/places/items").json()
    ignored = client.get("/collections/places/items", params={"implausible": "true"})
    assert ignored.status_code == 200  # a filter of events, ignored elsewhere
    assert ignored.json()["numberMatched"] == places["numberMatched"]


def test_oblasts_count_implausible_claims(served):
    client, _, _ = served
    iso = oblast_at(*_west_of_front(SUMMER, 40))
    assert iso is not None
    oblasts = {f["id"]: f["properties"]
               for f in client.get("/collections/oblasts/items", params={"limit": 100})
               .json()["features"]}
    assert oblasts[iso]["implausible"] == 1
    assert sum(p["implausible"] for p in oblasts.values()) == 1
    before = client.get("/collections/oblasts/items",
                        params={"limit": 100, "datetime": "../2024-03-01"}).json()
    assert all(f["properties"]["implausible"] == 0 for f in before["features"])
    one = client.get(f"/collections/oblasts/items/{iso}").json()
    assert one["properties"]["implausible"] == 1
