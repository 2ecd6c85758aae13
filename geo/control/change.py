"""The ground that changed hands between two snapshots, by oblast and direction.

A direction names the side that held the ground before and the side that holds it after
(``held→occupied`` is ground Russia took). Areas are measured in the equal-area projection
of ``theatre``; pieces under ``MIN_KM2`` are dropped, since two exports of the same front
rarely trace it with the same vertices and the slivers between them are not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.classes import SIDE_OF, SIDES, Side
from geo.control.snapshot import Snapshot, polygonal, union

MIN_KM2 = 0.01


@dataclass(frozen=True)
class Change:
    oblast: str  # ISO 3166-2
    oblast_name: str
    before: Side
    after: Side
    geometry: BaseGeometry  # MultiPolygon, lon/lat
    km2: float

    @property
    def direction(self) -> str:
        return f"{self.before}→{self.after}"


def changes(a: Snapshot, b: Snapshot) -> list[Change]:
    """Every piece of ground whose side differs from ``a`` to ``b``, cut by oblast, ordered
    by oblast then direction."""
    out: list[Change] = []
    for before in SIDES:
        for after in SIDES:
            if before == after:
                continue
            moved = _both(a, before, b, after)
            if not moved.is_empty:
                out.extend(_by_oblast(moved, before, after))
    return sorted(out, key=lambda c: (c.oblast, SIDES.index(c.before), SIDES.index(c.after)))


def _both(a: Snapshot, before: Side, b: Snapshot, after: Side) -> BaseGeometry:
    """``a``'s ground of ``before`` that is ``b``'s ground of ``after``.

    The undrawn rest of Ukraine is taken as a complement, never built: it is the country's
    whole outline, and overlaying it would cost more than the front itself.
    """
    if before == a.residual and after != b.residual:
        x = b.ground(after)
        return _minus_others(x, a, before)
    if after == b.residual and before != a.residual:
        x = a.ground(before)
        return _minus_others(x, b, after)
    return polygonal(a.ground(before).intersection(b.ground(after)))


def _minus_others(x: BaseGeometry, s: Snapshot, side: Side) -> BaseGeometry:
    """``x`` (inside Ukraine) less every ground of ``s`` that is not ``side`` and not its
    residual: what is left is ``x`` on ``s``'s ground of ``side``."""
    others = [g for status, g in s.areas.items() if status not in _statuses_of(side)]
    if not others or x.is_empty:
        return x
    return polygonal(x.difference(union(others)))


def _statuses_of(side: Side) -> set[str]:
    return {s for s, v in SIDE_OF.items() if v == side}


def _by_oblast(moved: BaseGeometry, before: Side, after: Side) -> Iterable[Change]:
    units = theatre.oblasts()
    for i in sorted(theatre.oblast_tree().query(moved, predicate="intersects")):
        unit = units[int(i)]
        piece = polygonal(moved.intersection(unit.geometry))
        parts = [p for p in piece.geoms if theatre.area_km2(p) >= MIN_KM2] \
            if not piece.is_empty else []
        if not parts:
            continue
        geom = polygonal(shapely.union_all(parts))
        yield Change(unit.iso, unit.name, before, after, geom, theatre.area_km2(geom))


def totals(found: Iterable[Change]) -> dict[str, float]:
    """km² by direction over every oblast."""
    out: dict[str, float] = {}
    for c in found:
        out[c.direction] = out.get(c.direction, 0.0) + c.km2
    return out

