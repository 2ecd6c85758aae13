from __future__ import annotations

from datetime import date

import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, event, snap
from pyproj import Geod

from geo.control.claims import BEYOND_KM, Assessor

GEOD = Geod(ellps="WGS84")
SPRING, SUMMER = date(2024, 4, 1), date(2024, 7, 1)
WEST_EDGE = 37.2  # DONETSK_A's western edge, the line facing held ground
MID_LAT = 48.05


def lon_km_west(km: float) -> float:
    lon, _, _ = GEOD.fwd(WEST_EDGE, MID_LAT, 270, km * 1000)
    return lon


@pytest.fixture
def assessor() -> Assessor:
    return Assessor([snap(SPRING, occupied=DONETSK_A)])


def test_capture_far_beyond_the_line_is_implausible(assessor):
    far = assessor.assess(event("capture", "RU", lon_km_west(30), MID_LAT, SUMMER))
    assert far is not None and far.implausible
    assert far.side == "held" and far.line_km == pytest.approx(30, rel=0.01)
    assert "beyond the line" in (far.reason or "")


def test_capture_near_the_line_is_plausible(assessor):
    near = assessor.assess(event("capture", "RU", lon_km_west(5), MID_LAT, SUMMER))
    assert near is not None and not near.implausible
    assert near.line_km == pytest.approx(5, rel=0.01)
    edge = assessor.assess(event("advance", "RU", lon_km_west(BEYOND_KM - 1), MID_LAT, SUMMER))
    assert edge is not None and not edge.implausible


def test_capturing_what_the_claimant_holds_is_implausible(assessor):
    inside = assessor.assess(event("capture", "RU", 37.4, MID_LAT, SUMMER))
    assert inside is not None and inside.implausible and inside.side == "occupied"
    assert "already held" in (inside.reason or "")
    advance = assessor.assess(event("advance", "RU", 37.4, MID_LAT, SUMMER))
    assert advance is not None and not advance.implausible  # advancing from held ground
    retake = assessor.assess(event("capture", "UA", 37.4, MID_LAT, SUMMER))
    assert retake is not None and not retake.implausible


def test_ukrainian_claims_are_judged_the_mirror_way():
    big = shapely.box(36.0, 47.5, 38.5, 48.6)
    judge = Assessor([snap(SPRING, occupied=big)])
    deep = judge.assess(event("capture", "UA", 37.8, 48.05, SUMMER))  # ~40 km inside
    assert deep is not None and deep.implausible and deep.side == "occupied"
    own = judge.assess(event("control", "UA", lon_km_west(100), MID_LAT, SUMMER))
    assert own is not None and own.implausible and own.side == "held"


def test_nothing_is_judged_without_a_snapshot_in_force(assessor):
    assert assessor.assess(event("capture", "RU", lon_km_west(30), MID_LAT,
                                 date(2024, 3, 1))) is None
    assert Assessor([]).assess(event("capture", "RU", 37.4, MID_LAT, SUMMER)) is None
    assert assessor.assess(event("strike", "RU", lon_km_west(300), MID_LAT, SUMMER)) is None


def test_the_snapshot_in_force_is_the_latest_before_the_date():
    earlier = snap(SPRING, occupied=DONETSK_A)
    later = snap(SUMMER, occupied=shapely.box(36.9, 47.9, 37.6, 48.2))
    judge = Assessor([later, earlier])
    claim = event("capture", "RU", lon_km_west(30), MID_LAT, date(2024, 5, 1))
    assert judge.assess(claim).implausible  # type: ignore[union-attr]
    moved = event("capture", "RU", lon_km_west(30), MID_LAT, date(2024, 8, 1))
    verdict = judge.assess(moved)
    assert verdict is not None and not verdict.implausible
    assert verdict.snapshot_id == later.id


def test_a_grey_zone_edge_counts_as_front():
    judge = Assessor([snap(SPRING, occupied=DONETSK_A, contested=DONETSK_B)])
    lon, _, _ = GEOD.fwd(37.0, MID_LAT, 270, 5000)  # 5 km west of the grey zone
    verdict = judge.assess(event("capture", "RU", lon, MID_LAT, SUMMER))
    assert verdict is not None and not verdict.implausible
    assert verdict.line_km == pytest.approx(5, rel=0.01)
