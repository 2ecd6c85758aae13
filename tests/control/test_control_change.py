from __future__ import annotations

from datetime import date

import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, POLTAVA, snap
from pyproj import Geod

from geo.control import theatre
from geo.control.change import changes, totals

GEOD = Geod(ellps="WGS84")
SPRING, SUMMER = date(2024, 4, 1), date(2024, 7, 1)


def geodesic_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_an_advance_is_held_to_occupied_in_its_oblast():
    before = snap(SPRING, occupied=DONETSK_A)
    after = snap(SUMMER, occupied=DONETSK_A.union(DONETSK_B))
    (c,) = changes(before, after)
    assert (c.oblast, c.before, c.after) == ("UA-14", "held", "occupied")
    assert c.direction == "held→occupied"
    assert c.km2 == pytest.approx(geodesic_km2(DONETSK_B), rel=1e-4)
    assert c.geometry.symmetric_difference(DONETSK_B).area < 1e-9


def test_a_retreat_runs_the_other_way_and_nothing_is_no_change():
    big = snap(SPRING, occupied=DONETSK_A.union(DONETSK_B))
    small = snap(SUMMER, occupied=DONETSK_A)
    (c,) = changes(big, small)
    assert c.direction == "occupied→held"
    assert changes(big, big) == []


def test_ground_split_across_oblasts_is_cut_at_the_border():
    # Straddles the Donetsk–Zaporizhzhia line near Velyka Novosilka.
    strip = shapely.box(36.6, 47.6, 36.9, 48.0)
    found = changes(snap(SPRING, occupied=DONETSK_A), snap(SUMMER, occupied=DONETSK_A.union(
        strip)))
    assert {"UA-14", "UA-23"} <= {c.oblast for c in found}
    units = {o.iso: o.geometry for o in theatre.oblasts()}
    for c in found:
        assert c.km2 == pytest.approx(geodesic_km2(strip.intersection(units[c.oblast])),
                                      rel=1e-3)
    assert sum(c.km2 for c in found) == pytest.approx(geodesic_km2(strip), rel=1e-3)


def test_every_direction_between_explicit_and_undrawn_ground():
    before = snap(SPRING, occupied=DONETSK_A, contested=DONETSK_B)
    after = snap(SUMMER, occupied=DONETSK_B, contested=POLTAVA)
    got = totals(changes(before, after))
    assert got["occupied→held"] == pytest.approx(geodesic_km2(DONETSK_A), rel=1e-4)
    assert got["contested→occupied"] == pytest.approx(geodesic_km2(DONETSK_B), rel=1e-4)
    assert got["held→contested"] == pytest.approx(geodesic_km2(POLTAVA), rel=1e-4)
    assert set(got) == {"occupied→held", "contested→occupied", "held→contested"}


def test_exports_of_different_styles_compare():
    """An export of held ground only against one of occupied ground only."""
    occupied_style = snap(SPRING, occupied=DONETSK_A)
    held_style = snap(SUMMER, ukrainian_held=DONETSK_A)  # the rest of Ukraine occupied
    got = totals(changes(occupied_style, held_style))
    assert got["occupied→held"] == pytest.approx(geodesic_km2(DONETSK_A), rel=1e-4)
    assert got["held→occupied"] > 500_000  # everything else


def test_slivers_of_a_retraced_edge_are_not_change():
    wobble = shapely.box(37.2, 47.9, 37.6 + 1e-6, 48.2)  # the same box, a hair wider
    assert changes(snap(SPRING, occupied=DONETSK_A), snap(SUMMER, occupied=wobble)) == []
