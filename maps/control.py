"""Areas of control, the line of contact and changed ground, ready for both maps.

A map shows one snapshot (the one in force on the map's last day) and what changed since
the snapshot before it. Areas come at a few levels of detail, one per band of zoom, so that
the whole country is drawn from a few vertices and a town's front from many. Each level is
simplified as one coverage together with the undrawn rest of Ukraine, keeping the country's
outline as it is: classes that share an edge keep sharing it, the line of contact (the edge
between occupied and undrawn held ground) is simplified with them, and no gap or overlap
opens between any two at any level. The line is then traced again from the simplified
areas, so it runs exactly along their edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.change import Change, changes
from geo.control.classes import Status
from geo.control.features import geometry_json
from geo.control.line import line_of_contact
from geo.control.snapshot import Snapshot, polygonal

MAX_ON_MAP = 12  # snapshots a page carries for its time filter; older ones stay in the API
# (last zoom of the band, tolerance in degrees): about a pixel at the band's closest zoom
# (a degree of longitude is ~75 km at 48° N). The last band has no end.
LEVELS: tuple[tuple[int | None, float], ...] = ((6, 0.02), (8, 0.006), (None, 0.002))


@dataclass(frozen=True)
class Level:
    """One level of detail: drawn up to ``max_zoom`` (None: beyond the other levels)."""

    max_zoom: int | None
    areas: dict[Status, BaseGeometry]
    line: BaseGeometry


@dataclass(frozen=True)
class ControlView:
    as_of: date
    source: str
    licence: str
    levels: tuple[Level, ...]  # coarsest first
    line_km: float
    since: date | None
    changes: tuple[Change, ...]

    @property
    def areas(self) -> dict[Status, BaseGeometry]:
        """The finest level's areas, as report maps draw them."""
        return self.levels[-1].areas

    @property
    def line(self) -> BaseGeometry:
        return self.levels[-1].line

    @property
    def zooms(self) -> list[int | None]:
        return [lv.max_zoom for lv in self.levels]

    def level_at(self, zoom: float) -> int:
        """The index of the level drawn at ``zoom``."""
        return next(i for i, lv in enumerate(self.levels)
                    if lv.max_zoom is None or zoom <= lv.max_zoom)

    @property
    def title(self) -> str:
        return f"Areas of control (as of {self.as_of.isoformat()})"

    @property
    def note(self) -> str:
        return f"Areas of control as of {self.as_of.isoformat()}"

    @property
    def credit(self) -> str:
        return f"control map: {self.source}" + (f" ({self.licence})" if self.licence else "")

    def areas_geojson(self, level: int = -1) -> dict[str, Any]:
        from maps import style

        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": geometry_json(g),
             "properties": {"status": s, "label": style.CONTROL_LABELS[s],
                            "as_of": self.as_of.isoformat(), "source": self.source}}
            for s, g in self.levels[level].areas.items()]}

    def line_geojson(self, level: int = -1) -> dict[str, Any]:
        line = self.levels[level].line
        return {"type": "FeatureCollection", "features": [] if line.is_empty else [
            {"type": "Feature", "geometry": geometry_json(line),
             "properties": {"km": f"{self.line_km:,.0f} km",
                            "as_of": self.as_of.isoformat()}}]}

    def page_record(self) -> dict[str, Any]:
        """What the web map's script swaps in when its time filter picks this snapshot or
        its zoom crosses into another level: areas and line, one per level."""
        return {"as_of": self.as_of.isoformat(),
                "since": self.since.isoformat() if self.since else None,
                "areas": [self.areas_geojson(i) for i in range(len(self.levels))],
                "line": [self.line_geojson(i) for i in range(len(self.levels))],
                "changes": self.changes_geojson()}

    def changes_geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": geometry_json(c.geometry),
             "properties": {"after": c.after, "direction": c.direction,
                            "oblast": c.oblast_name, "km2": f"{c.km2:,.1f} km²"}}
            for c in self.changes]}


def control_series(snapshots: Sequence[Snapshot], last: int = MAX_ON_MAP,
                   levels: Sequence[tuple[int | None, float]] = LEVELS) -> list[ControlView]:
    """Views of the ``last`` latest snapshots, oldest first, each with the change since the
    one before it: the web map swaps between them as its time filter moves."""
    ordered = sorted(snapshots, key=lambda s: (s.as_of, s.source))
    start = max(0, len(ordered) - last)
    return [control_view(s, ordered[i - 1] if i else None, levels)
            for i, s in enumerate(ordered) if i >= start]


def control_view(latest: Snapshot, previous: Snapshot | None = None,
                 levels: Sequence[tuple[int | None, float]] = LEVELS) -> ControlView:
    loc = line_of_contact(latest)
    found = tuple(changes(previous, latest)) if previous is not None else ()
    return ControlView(latest.as_of, latest.source, latest.licence,
                       tuple(level(latest, z, t) for z, t in levels), loc.km,
                       previous.as_of if previous is not None else None, found)


def level(snapshot: Snapshot, max_zoom: int | None, tolerance: float) -> Level:
    """The snapshot simplified to ``tolerance`` as one coverage with its undrawn ground."""
    *drawn, _ = simplified_coverage(snapshot, tolerance)
    simplified = dict(zip(snapshot.areas, drawn, strict=True))
    coarse = replace(snapshot, areas=simplified)
    return Level(max_zoom, simplified, line_of_contact(coarse).geometry)


def simplified_coverage(snapshot: Snapshot, tolerance: float) -> list[BaseGeometry]:
    """The drawn classes, then the undrawn rest of Ukraine, simplified together: shared
    edges move as one, the country's outline stays put."""
    parts = [*snapshot.areas.values(), snapshot.undrawn]
    if not snapshot.areas:
        return parts
    simple = shapely.coverage_simplify(parts, tolerance, simplify_boundary=False)
    return [polygonal(shapely.make_valid(g)) for g in simple]
