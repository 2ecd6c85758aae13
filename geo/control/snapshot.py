"""Classified polygons to one dated snapshot: repaired, disjoint, clipped to the theatre.

Repair runs in a fixed order, each step for a reason: ``make_valid`` (self-crossing rings
and bow-ties are common in hand-drawn maps), a union per class (publishers split one area
into many touching features), the priority of ``classes.PRIORITY`` where classes overlap
(so every point has one class), a clip to Ukraine (exports overshoot into the sea and
across the border), and counter-clockwise exteriors (RFC 7946 and most renderers).

Ground in Ukraine that no polygon covers is the other side's: most exports draw only the
occupied ground, so the rest is held; an export of held ground alone leaves the rest
occupied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.classes import PRIORITY, SIDE_OF, SIDES, STATUSES, Side, Status
from geo.control.errors import ControlError
from geo.control.read import ClassifiedArea, file_digest, read_areas

MIN_INSIDE_SHARE = 0.1  # less of a map than this inside Ukraine: a map of elsewhere,
# or one in another CRS; exports that overshoot into the sea stay well above it
EMPTY = MultiPolygon()


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Who held which ground on ``as_of`` according to ``source``.

    ``areas`` holds the classes the source drew, each a (multi)polygon in lon/lat, pairwise
    disjoint and inside Ukraine; ``residual`` is the side of the ground it left undrawn.
    """

    as_of: date
    source: str
    licence: str
    digest: str
    areas: Mapping[Status, BaseGeometry]
    residual: Side = "held"
    files: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.as_of.isoformat()}:{self.source}"

    @property
    def vertices(self) -> int:
        return int(sum(shapely.get_num_coordinates(g) for g in self.areas.values()))

    def area(self, status: Status) -> BaseGeometry:
        return self.areas.get(status, EMPTY)

    def drawn(self, side: Side) -> BaseGeometry:
        """The ground of ``side`` that the source drew (for the residual side, a part)."""
        return self._drawn[side]

    @cached_property
    def _drawn(self) -> dict[Side, BaseGeometry]:
        return {side: union([g for s, g in self.areas.items() if SIDE_OF[s] == side])
                for side in SIDES}

    @property
    def undrawn(self) -> BaseGeometry:
        """The ground of Ukraine that no class covers: the residual side's, beside its own."""
        return self._residual_ground

    @cached_property
    def _residual_ground(self) -> BaseGeometry:
        rest = theatre.ukraine().difference(shapely.union_all(list(self.areas.values())))
        return polygonal(rest)

    def ground(self, side: Side) -> BaseGeometry:
        """All the ground of ``side``, the undrawn rest included where it is theirs."""
        drawn = self.drawn(side)
        if side != self.residual:
            return drawn
        return polygonal(shapely.union_all([drawn, self._residual_ground]))

    def side_at(self, lon: float, lat: float) -> Side | None:
        """Whose ground a point is on; None outside Ukraine."""
        point = shapely.Point(lon, lat)
        for status, geom in self.areas.items():
            shapely.prepare(geom)  # many points are asked of the same snapshot
            if geom.covers(point):
                return SIDE_OF[status]
        return self.residual if theatre.ukraine().covers(point) else None


def build_snapshot(areas: Sequence[ClassifiedArea], as_of: date, source: str, licence: str,
                   digest: str, files: Sequence[str] = ()) -> Snapshot:
    where = ", ".join(files) or source
    if not areas:
        raise ControlError(f"{where}: no polygons to read")
    by_class: dict[Status, BaseGeometry] = {}
    for status in STATUSES:
        parts = [a.geometry for a in areas if a.status == status]
        if parts:
            repaired = shapely.make_valid(shapely.get_parts(parts))
            by_class[status] = polygonal(shapely.union_all(repaired))
    _check_theatre(by_class, where)
    resolved: dict[Status, BaseGeometry] = {}
    above: BaseGeometry = EMPTY
    inside = theatre.ukraine()
    for status in PRIORITY:
        if status not in by_class:
            continue
        geom = by_class[status].intersection(inside)
        if not above.is_empty:
            geom = geom.difference(above)
        geom = polygonal(geom)
        if not geom.is_empty:
            resolved[status] = oriented(geom)
            above = shapely.union_all([above, geom])
    drawn_sides = {SIDE_OF[s] for s in resolved}
    residual: Side = "occupied" if drawn_sides == {"held"} else "held"
    ordered = {s: resolved[s] for s in STATUSES if s in resolved}
    return Snapshot(as_of, source, licence, digest, ordered, residual, tuple(files))


def from_files(paths: Sequence[Path], as_of: date, source: str, licence: str = "",
               status_field: str | None = None,
               mapping: Mapping[str, Status] | None = None) -> Snapshot:
    """One snapshot from one or more files (say, occupied.kml and grey-zone.kml).

    Its digest covers the files' bytes and every choice that shapes the result, so the
    same import twice is the same snapshot and a corrected mapping is a new one.
    """
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ControlError(f"no such file: {', '.join(missing)}")
    areas = [a for p in paths for a in read_areas(p, status_field, mapping)]
    h = hashlib.sha256()
    for part in (file_digest(paths), as_of.isoformat(), source, licence, status_field or "",
                 repr(sorted((mapping or {}).items()))):
        h.update(part.encode("utf-8") + b"\0")
    return build_snapshot(areas, as_of, source, licence, h.hexdigest(),
                          [p.name for p in paths])


def _check_theatre(by_class: Mapping[Status, BaseGeometry], where: str) -> None:
    everything = shapely.union_all(list(by_class.values()))
    minx, miny, maxx, maxy = everything.bounds if not everything.is_empty else (0, 0, 0, 0)
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ControlError(f"{where}: the snapshot lies outside Ukraine (coordinates up to "
                           f"{max(abs(minx), abs(maxx), abs(miny), abs(maxy)):.0f}: not "
                           "longitude and latitude; give the file a CRS or reproject it)")
    total = theatre.area_km2(everything)
    inside = theatre.area_km2(everything.intersection(theatre.ukraine())) if total else 0.0
    if total == 0 or inside < MIN_INSIDE_SHARE * total:
        b = ", ".join(f"{v:.2f}" for v in everything.bounds) if not everything.is_empty else "–"
        raise ControlError(f"{where}: the snapshot lies outside Ukraine ({inside:.0f} of "
                           f"{total:.0f} km² inside; bounds {b}); is it in lon/lat on WGS 84?")


def union(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union of disjoint classes (no overlay needed for one)."""
    if not parts:
        return EMPTY
    return parts[0] if len(parts) == 1 else polygonal(shapely.union_all(parts))


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygons of an overlay result, as one MultiPolygon (lines and points that
    touching boundaries leave behind are dropped)."""
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else EMPTY
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon | MultiPolygon)]
    flat = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
    return MultiPolygon(flat) if flat else EMPTY


def oriented(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counter-clockwise, holes clockwise."""
    return polygonal(shapely.orient_polygons(geom, exterior_cw=False))
