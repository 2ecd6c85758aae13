from __future__ import annotations

from datetime import date

import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, POLTAVA, inside_oblast, snap, write_geojson
from pyproj import Geod

from geo.control import theatre
from geo.control.errors import ControlError
from geo.control.snapshot import from_files

DAY = date(2024, 5, 1)
GEOD = Geod(ellps="WGS84")


def geodesic_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def test_boxes_lie_in_their_oblasts():
    assert inside_oblast(POLTAVA, "UA-53")
    assert inside_oblast(DONETSK_A, "UA-14") and inside_oblast(DONETSK_B, "UA-14")


def test_bow_tie_is_repaired_into_its_two_triangles():
    x0, y0, x1, y1 = DONETSK_A.bounds
    bow_tie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    assert not bow_tie.is_valid
    s = snap(DAY, occupied=bow_tie)
    occupied = s.area("occupied")
    assert occupied.is_valid and len(occupied.geoms) == 2
    assert occupied.area == pytest.approx(DONETSK_A.area / 2)


def test_equal_area_km2_agree_with_the_ellipsoid():
    s = snap(DAY, occupied=DONETSK_A)
    assert theatre.area_km2(s.area("occupied")) == pytest.approx(geodesic_km2(DONETSK_A),
                                                                 rel=1e-4)


def test_overlaps_resolve_by_priority():
    both = DONETSK_A.union(DONETSK_B)
    s = snap(DAY, occupied=both, contested=DONETSK_B, liberated=DONETSK_A)
    assert s.area("contested").equals(shapely.MultiPolygon([DONETSK_B]))
    assert s.area("occupied").symmetric_difference(DONETSK_A).area < 1e-12
    assert "liberated" not in s.areas  # occupation outranks an older liberation
    pieces = list(s.areas.values())
    assert all(a.intersection(b).area < 1e-12 for i, a in enumerate(pieces)
               for b in pieces[i + 1:])


def test_exteriors_run_counter_clockwise():
    clockwise = shapely.Polygon(list(DONETSK_A.exterior.coords)[::-1])
    assert not clockwise.exterior.is_ccw
    s = snap(DAY, occupied=clockwise)
    assert all(p.exterior.is_ccw for p in s.area("occupied").geoms)


def test_ground_over_the_sea_and_the_border_is_clipped():
    overshoot = shapely.box(33.0, 44.0, 36.7, 46.2)  # Crimea and the sea around it
    s = snap(DAY, occupied=overshoot)
    inside = overshoot.intersection(theatre.ukraine())
    assert s.area("occupied").symmetric_difference(inside).area < 1e-9
    assert geodesic_km2(s.area("occupied")) < 0.8 * geodesic_km2(overshoot)


def test_undrawn_ground_is_held_unless_only_held_ground_is_drawn():
    occupied_only = snap(DAY, occupied=DONETSK_A)
    assert occupied_only.residual == "held"
    assert occupied_only.side_at(33.75, 49.5) == "held"
    assert occupied_only.side_at(37.4, 48.0) == "occupied"
    held_only = snap(DAY, ukrainian_held=POLTAVA)
    assert held_only.residual == "occupied"
    assert held_only.side_at(37.4, 48.0) == "occupied"
    assert held_only.side_at(33.75, 49.5) == "held"
    assert held_only.side_at(21.0, 52.0) is None  # Poland


def test_a_map_of_somewhere_else_is_refused():
    with pytest.raises(ControlError, match="outside Ukraine"):
        snap(DAY, occupied=shapely.box(19.0, 50.0, 21.0, 51.0))  # Poland
    with pytest.raises(ControlError, match="outside Ukraine"):
        snap(DAY, occupied=shapely.box(3_700_000, 6_100_000, 3_800_000, 6_200_000))  # metres


def test_files_make_one_snapshot_and_the_digest_covers_the_choices(tmp_path):
    occ = write_geojson(tmp_path / "occupied.geojson", [(DONETSK_A, {})])
    grey = write_geojson(tmp_path / "grey zone.geojson", [(DONETSK_B, {})])
    s = from_files([occ, grey], DAY, "test", "CC0")
    assert set(s.areas) == {"occupied", "contested"}
    assert s.files == ("occupied.geojson", "grey zone.geojson")
    again = from_files([occ, grey], DAY, "test", "CC0")
    later = from_files([occ, grey], date(2024, 5, 2), "test", "CC0")
    assert again.digest == s.digest and later.digest != s.digest
    with pytest.raises(ControlError, match="no such file"):
        from_files([tmp_path / "missing.geojson"], DAY, "test")
