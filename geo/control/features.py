"""Snapshots, lines and changes as GeoJSON features, for the API, the maps and the CLI.

Coordinates keep 7 decimals (about a centimetre) like every other Frontline feature; each
feature names the snapshot it comes from and its source's licence, so that a map drawn
from it can credit the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.change import Change
from geo.control.classes import SIDE_OF
from geo.control.line import LineOfContact
from geo.control.snapshot import Snapshot

DECIMALS = 7


def geometry_json(geom: BaseGeometry) -> dict[str, Any] | None:
    if geom.is_empty:
        return None
    rounded = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    return dict(mapping(rounded))


def _about(s: Snapshot) -> dict[str, Any]:
    return {"snapshot": s.id, "as_of": s.as_of.isoformat(), "source": s.source,
            "licence": s.licence}


def area_features(s: Snapshot) -> list[dict[str, Any]]:
    return [{"type": "Feature", "id": f"{s.id}:{status}", "geometry": geometry_json(g),
             "properties": {**_about(s), "status": status, "side": SIDE_OF[status],
                            "km2": round(theatre.area_km2(g), 2)}}
            for status, g in s.areas.items()]


def line_feature(s: Snapshot, line: LineOfContact) -> dict[str, Any]:
    return {"type": "Feature", "id": s.id, "geometry": geometry_json(line.geometry),
            "properties": {**_about(s), "km": round(line.km, 2)}}


def change_features(a: Snapshot, b: Snapshot,
                    found: Sequence[Change]) -> list[dict[str, Any]]:
    return [{"type": "Feature", "id": f"{a.as_of}_{b.as_of}:{c.oblast}:{c.before}-{c.after}",
             "geometry": geometry_json(c.geometry),
             "properties": {"from_snapshot": a.id, "to_snapshot": b.id,
                            "from": a.as_of.isoformat(), "to": b.as_of.isoformat(),
                            "oblast": c.oblast, "oblast_name": c.oblast_name,
                            "before": c.before, "after": c.after, "direction": c.direction,
                            "km2": round(c.km2, 3),
                            "licence": "; ".join(dict.fromkeys(
                                x for x in (a.licence, b.licence) if x))}}
            for c in found]


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}
