"""Claims weighed against the line of contact in force on their date.

A capture, advance or control claim is ``implausible`` when it puts the claimant's troops
``BEYOND_KM`` or more past the line into the other side's ground (front lines move a few
kilometres a week, not tens in a day), or when it claims to capture a place the claimant
already held. Without a snapshot on or before the event's date nothing is judged.

Distances are to the front as a claim meets it: the line of contact and the edges of any
grey zone, since a place just past a grey zone is not deep behind the line.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.classes import Side
from geo.control.line import line_of_contact
from geo.control.snapshot import Snapshot
from geo.models import Event

BEYOND_KM = 15.0
JUDGED_TYPES = ("capture", "advance", "control")
TAKING_TYPES = ("capture", "control")  # a claim to hold the place, not just to approach it
OWN_SIDE: dict[str, Side] = {"RU": "occupied", "UA": "held"}


@dataclass(frozen=True)
class Assessment:
    snapshot_id: str
    side: Side | None  # whose ground the place was on, None outside Ukraine
    line_km: float | None  # distance to the line of contact, None when there is no line
    implausible: bool
    reason: str | None

    def properties(self) -> dict[str, Any]:
        return {"control_snapshot": self.snapshot_id, "control_side": self.side,
                "line_km": None if self.line_km is None else round(self.line_km, 2),
                "implausible": self.implausible, "implausible_reason": self.reason}


class _Front:
    """One snapshot's line and grounds, projected once for every event judged against it."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        line = line_of_contact(snapshot).geometry
        contested = snapshot.ground("contested")
        if not contested.is_empty:
            grey = contested.boundary.difference(theatre.border_zone())
            line = shapely.union_all([line, grey])
        self.line: BaseGeometry | None = None if line.is_empty else theatre.projected(line)
        if self.line is not None:
            shapely.prepare(self.line)


class Assessor:
    """Judges events against the snapshots given, each in force from its date on."""

    def __init__(self, snapshots: Sequence[Snapshot]) -> None:
        ordered = sorted(snapshots, key=lambda s: (s.as_of, s.source))
        self._days = [s.as_of for s in ordered]
        self._snapshots = ordered
        self._fronts: dict[int, _Front] = {}

    def in_force(self, day: date) -> Snapshot | None:
        i = bisect.bisect_right(self._days, day)
        return self._snapshots[i - 1] if i else None

    def assess(self, event: Event) -> Assessment | None:
        if (event.type not in JUDGED_TYPES or event.date is None or event.lat is None
                or event.lon is None):
            return None
        i = bisect.bisect_right(self._days, event.date)
        if not i:
            return None
        front = self._fronts.get(i - 1)
        if front is None:
            front = self._fronts[i - 1] = _Front(self._snapshots[i - 1])
        return judge(front, event)


def judge(front: _Front, event: Event) -> Assessment:
    assert event.lon is not None and event.lat is not None
    side = front.snapshot.side_at(event.lon, event.lat)
    km = None
    if front.line is not None:
        point = theatre.projected(shapely.Point(event.lon, event.lat))
        km = float(front.line.distance(point)) / 1000
    own = OWN_SIDE.get(event.actor)
    reason = None
    if own is not None and side is not None:
        if event.type in TAKING_TYPES and side == own:
            reason = "the claimant already held the place"
        elif side not in (own, "contested") and km is not None and km >= BEYOND_KM:
            reason = f"{km:.0f} km beyond the line of contact"
    return Assessment(front.snapshot.id, side, km, reason is not None, reason)
