"""Areas of control, the line of contact and changed ground, ready for both maps.

A map shows one snapshot (the one in force on the map's last day) and what changed since
the snapshot before it. Areas are simplified as one coverage, so classes that share an
edge keep sharing it: no gaps or overlaps appear between them at any zoom the tolerance
allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
TOLERANCE_DEG = 0.002  # ~200 m: below what the web map shows at its closest zoom to a front


@dataclass(frozen=True)
class ControlView:
    as_of: date
    source: str
    licence: str
    areas: dict[Status, BaseGeometry]
    line: BaseGeometry
    line_km: float
    since: date | None
    changes: tuple[Change, ...]

    @property
    def title(self) -> str:
        return f"Areas of control (as of {self.as_of.isoformat()})"

    @property
    def note(self) -> str:
        return f"Areas of control as of {self.as_of.isoformat()}"

    @property
    def credit(self) -> str:
        return f"control map: {self.source}" + (f" ({self.licence})" if self.licence else "")

    def areas_geojson(self) -> dict[str, Any]:
        from maps import style

        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": geometry_json(g),
             "properties": {"status": s, "label": style.CONTROL_LABELS[s],
                            "as_of": self.as_of.isoformat(), "source": self.source}}
            for s, g in self.areas.items()]}

    def line_geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": [] if self.line.is_empty else [
            {"type": "Feature", "geometry": geometry_json(self.line),
             "properties": {"km": f"{self.line_km:,.0f} km",
                            "as_of": self.as_of.isoformat()}}]}

    def page_record(self) -> dict[str, Any]:
        """What the web map's script swaps in when its time filter picks this snapshot."""
        return {"as_of": self.as_of.isoformat(),
                "since": self.since.isoformat() if self.since else None,
                "areas": self.areas_geojson(), "line": self.line_geojson(),
                "changes": self.changes_geojson()}

    def changes_geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": geometry_json(c.geometry),
             "properties": {"after": c.after, "direction": c.direction,
                            "oblast": c.oblast_name, "km2": f"{c.km2:,.1f} km²"}}
            for c in self.changes]}


def control_series(snapshots: Sequence[Snapshot], last: int = MAX_ON_MAP,
                   tolerance: float = TOLERANCE_DEG) -> list[ControlView]:
    """Views of the ``last`` latest snapshots, oldest first, each with the change since the
    one before it: the web map swaps between them as its time filter moves."""
    ordered = sorted(snapshots, key=lambda s: (s.as_of, s.source))
    start = max(0, len(ordered) - last)
    return [control_view(s, ordered[i - 1] if i else None, tolerance)
            for i, s in enumerate(ordered) if i >= start]


def control_view(latest: Snapshot, previous: Snapshot | None = None,
                 tolerance: float = TOLERANCE_DEG) -> ControlView:
    statuses = list(latest.areas)
    simple = shapely.coverage_simplify([latest.areas[s] for s in statuses], tolerance) \
        if statuses else []
    areas = {s: polygonal(shapely.make_valid(g)) for s, g in zip(statuses, simple, strict=True)}
    loc = line_of_contact(latest)
    found = tuple(changes(previous, latest)) if previous is not None else ()
    return ControlView(latest.as_of, latest.source, latest.licence, areas,
                       shapely.simplify(loc.geometry, tolerance), loc.km,
                       previous.as_of if previous is not None else None, found)
