"""The line of contact: where occupied ground meets ground Ukraine holds.

It is the edge of the occupied ground with the state border and the coast taken out (an
occupied area that reaches the Sea of Azov or the Russian border has no front there), and
with the edges facing contested ground taken out too: a grey zone separates the sides, so
the line runs only where they touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.snapshot import Snapshot


@dataclass(frozen=True)
class LineOfContact:
    snapshot_id: str
    geometry: BaseGeometry  # MultiLineString, lon/lat
    km: float


def line_of_contact(snapshot: Snapshot) -> LineOfContact:
    occupied = snapshot.ground("occupied")
    edge = occupied.boundary.difference(theatre.border_zone())
    contested = snapshot.ground("contested")
    if not contested.is_empty:
        edge = edge.difference(contested.buffer(theatre.BORDER_TOLERANCE_DEG))
    lines = _lines(edge)
    return LineOfContact(snapshot.id, lines, theatre.length_km(lines))


def _lines(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(shapely.line_merge(_only_lines(geom)))
             if p.geom_type == "LineString" and not p.is_empty]
    return MultiLineString(parts) if parts else MultiLineString()


def _only_lines(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geom)
             if p.geom_type in ("LineString", "LinearRing") and not p.is_empty]
    return MultiLineString([shapely.LineString(p.coords) for p in parts]) if parts \
        else MultiLineString()
