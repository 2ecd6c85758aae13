"""Who held a place, and since when: from the snapshots where there are any, else an
estimate from the events reported there.

Snapshots answer for every place and every date they cover. Without them, a *confirmed*
capture or control changes hands to the taker and a confirmed withdrawal to the other
side; claims that nobody confirmed are listed beside the estimate, never applied to it,
since a claim is what this product exists to check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.control.classes import Side
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
