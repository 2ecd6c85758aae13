"""Who held a place, and since when: from the snapshots where there are any, else an
estimate from the events reported there.

Snapshots answer for every place and every date they cover: ``PointIndex`` puts the
settlements of the theatre (some 28,000) in an R-tree that each snapshot's polygons query.
Without them, a *confirmed* capture or control changes hands to the taker and a confirmed
withdrawal to the other side; claims that nobody confirmed are listed beside the estimate,
never applied to it, since a claim is what this product exists to check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import shapely

from geo.control import theatre
from geo.control.classes import SIDE_OF, Side
from geo.control.snapshot import Snapshot

TAKER: dict[str, Side] = {"RU": "occupied", "UA": "held"}
LOSER: dict[str, Side] = {"RU": "held", "UA": "occupied"}
HAND_CHANGING = ("capture", "control", "withdrawal")


@dataclass(frozen=True)
class Report:
    """What an event at the place says, as the estimate needs it."""

    event_id: str
    type: str
    actor: str
    status: str
    day: date | None


@dataclass(frozen=True)
class Holding:
    since: date
    side: Side | None  # None: outside Ukraine
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "side": self.side, "basis": self.basis}


class PointIndex:
    """Many places (say, every settlement of the theatre) in an STRtree: each snapshot
    places them all with one query per polygon, each polygon prepared once, rather than
    one point-in-polygon test per place and class."""

    def __init__(self, lon: Sequence[float] | np.ndarray,
                 lat: Sequence[float] | np.ndarray) -> None:
        self.points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        self._tree = shapely.STRtree(self.points)
        self._inside = self._covered(shapely.get_parts(theatre.ukraine()))

    def __len__(self) -> int:
        return len(self.points)

    def _covered(self, polygons: Sequence[Any]) -> np.ndarray:
        _, at = self._tree.query(polygons, predicate="covers")
        inside = np.zeros(len(self.points), dtype=bool)
        inside[at] = True
        return inside

    def sides(self, snapshot: Snapshot) -> np.ndarray:
        """The side each place was on (None outside Ukraine), as ``Snapshot.side_at`` says
        it: a place on an edge counts as inside the polygon."""
        out = np.full(len(self.points), None, dtype=object)
        out[self._inside] = snapshot.residual
        parts = [(SIDE_OF[status], part) for status, g in snapshot.areas.items()
                 for part in shapely.get_parts(g)]
        if parts:
            sides = np.array([side for side, _ in parts], dtype=object)
            part, at = self._tree.query([p for _, p in parts], predicate="covers")
            out[at] = sides[part]
        return out


def from_snapshots(snapshots: Sequence[Snapshot], lon: float, lat: float) -> list[Holding]:
    """The side the place was on in each snapshot, oldest first."""
    ordered = sorted(snapshots, key=lambda s: (s.as_of, s.source))
    return [Holding(s.as_of, s.side_at(lon, lat), f"snapshot {s.id}") for s in ordered]



def from_reports(reports: Iterable[Report]) -> tuple[list[Holding], list[Holding]]:
    """The estimate from confirmed events, and the unconfirmed claims beside it."""
    estimate: list[Holding] = []
    claims: list[Holding] = []
    seen: set[str] = set()
    for r in sorted(reports, key=lambda r: (r.day or date.max, r.event_id)):
        if r.event_id in seen or r.day is None or r.type not in HAND_CHANGING:
            continue
        seen.add(r.event_id)
        side = (LOSER if r.type == "withdrawal" else TAKER).get(r.actor)
        if side is None:
            continue
        basis = f"{r.status} {r.type} by {r.actor} ({r.event_id})"
        if r.status != "confirmed":
            claims.append(Holding(r.day, side, basis))
        elif not estimate or estimate[-1].side != side:
            estimate.append(Holding(r.day, side, basis))
    return estimate, claims
