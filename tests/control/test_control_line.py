from __future__ import annotations

from datetime import date

import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, snap
from pyproj import Geod

from geo.control import theatre
from geo.control.line import line_of_contact

DAY = date(2024, 5, 1)
GEOD = Geod(ellps="WGS84")


def geodesic_km(geom) -> float:
    return GEOD.geometry_length(geom) / 1000


def test_an_inland_pocket_is_all_front():
    loc = line_of_contact(snap(DAY, occupied=DONETSK_A))
    assert loc.km == pytest.approx(geodesic_km(DONETSK_A.exterior), rel=1e-6)
    assert loc.geometry.geom_type == "MultiLineString"


def test_state_border_and_coast_are_not_front():
    east = shapely.box(38.5, 46.5, 41.0, 50.5)  # Donbas to past the Russian border
    crimea = shapely.box(32.0, 44.0, 37.0, 46.0)  # the peninsula and its coasts
    s = snap(DAY, occupied=east.union(crimea))
    loc = line_of_contact(s)
    front_edge = s.area("occupied").boundary.intersection(
        theatre.ukraine().buffer(-0.001))  # the edge away from border and coast
    assert loc.km == pytest.approx(geodesic_km(front_edge), rel=0.01)
    assert loc.km < 0.5 * geodesic_km(s.area("occupied").boundary)
    border = theatre.ukraine().boundary
    midpoints = [shapely.line_interpolate_point(g, 0.5, normalized=True)
                 for g in loc.geometry.geoms]
    assert all(border.distance(p) > 0.0005 for p in midpoints)


def test_a_grey_zone_between_the_sides_breaks_the_line():
    alone = line_of_contact(snap(DAY, occupied=DONETSK_A))
    screened = line_of_contact(snap(DAY, occupied=DONETSK_A, contested=DONETSK_B))
    shared_edge_km = geodesic_km(DONETSK_A.boundary.intersection(DONETSK_B.boundary))
    assert screened.km == pytest.approx(alone.km - shared_edge_km, rel=1e-3)


def test_no_occupied_ground_no_line():
    loc = line_of_contact(snap(DAY, liberated=DONETSK_A, occupied=DONETSK_B.buffer(0)))
    assert loc.km > 0
    empty = line_of_contact(snap(DAY, contested=DONETSK_A))
    assert empty.km == 0 and empty.geometry.is_empty
