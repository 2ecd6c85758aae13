"""Synthetic control maps: a front that moves over the real oblasts, for tests and the demo.

No published control map is ever bundled (their licences vary); these are drawn here from
a made-up line through Kharkiv, Donetsk, Zaporizhzhia and Kherson oblasts. Russia pushes
in the Donetsk bulge and Ukraine in the south, so that any two dates differ both ways, and
a thin grey zone runs ahead of part of the line. The same date and seed give the same map.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, mapping

from geo.control import theatre

EPOCH = date(2024, 1, 1)
SOURCE = "Frontline synthetic front"
LICENCE = "synthetic demo data, no rights reserved"
# (lon, lat) of the line on EPOCH, north to south, then round the east back to the start.
_FRONT = ((37.9, 50.45), (37.75, 49.6), (37.95, 49.0), (37.7, 48.5), (37.3, 48.05),
          (36.6, 47.75), (35.9, 47.55), (35.2, 47.45), (34.3, 47.35), (33.6, 46.95),
          (32.9, 46.7), (32.1, 46.45), (31.4, 46.2))
_EAST = ((31.4, 44.0), (41.5, 44.0), (41.5, 51.5), (37.9, 51.5))
KNOTS = 400  # bends of the line; more vertices trace the same bends, not a longer line
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(48.0))


def front_line(day: date, seed: int = 0, vertices: int = 400) -> LineString:
    """The synthetic line on ``day``: ``vertices`` points, wobbling by the seed."""
    days = (day - EPOCH).days
    base = LineString(_FRONT)
    t = np.linspace(0.0, 1.0, max(vertices, len(_FRONT)))
    pts = shapely.get_coordinates(shapely.line_interpolate_point(base, t, normalized=True))
    rng = np.random.default_rng(seed)
    knots = np.linspace(0.0, 1.0, KNOTS)
    bends = np.convolve(rng.normal(0.0, 0.012, size=KNOTS), np.ones(5) / 5, mode="same")
    wobble = np.interp(t, knots, bends) + rng.normal(0.0, 0.0003, size=len(t))
    lat = pts[:, 1]
    east_km = (-0.12 * days * np.exp(-(((lat - 48.3) / 0.45) ** 2))  # Russia takes ground
               + 0.08 * days * np.exp(-(((lat - 47.4) / 0.2) ** 2)))  # Ukraine retakes it
    pts[:, 0] += east_km / KM_PER_DEG_LON + wobble
    return LineString(pts)


def occupied_area(day: date, seed: int = 0, vertices: int = 400) -> Polygon:
    line = front_line(day, seed, vertices)
    ring = list(line.coords) + list(_EAST)
    return shapely.make_valid(Polygon(ring))


def snapshot_geojson(day: date, seed: int = 0, vertices: int = 400,
                     grey_km: float = 2.0) -> dict[str, Any]:
    """A FeatureCollection like a publisher's export: occupied ground with a ``status``
    field, and a grey zone ahead of the Donetsk part of the line."""
    occupied = occupied_area(day, seed, vertices).intersection(theatre.ukraine().buffer(0.05))
    line = front_line(day, seed, vertices)
    stretch = line.intersection(shapely.box(36.0, 47.9, 39.0, 49.2))
    grey = stretch.buffer(grey_km / KM_PER_DEG_LON).difference(occupied)
    features = [{"type": "Feature", "properties": {"status": "occupied",
                                                   "name": "Synthetic occupied"},
                 "geometry": mapping(occupied)}]
    if not grey.is_empty:
        features.append({"type": "Feature", "properties": {"status": "grey zone",
                                                           "name": "Synthetic grey zone"},
                         "geometry": mapping(grey)})
    return {"type": "FeatureCollection",
            "name": f"synthetic front {day.isoformat()}", "features": features}


def write_snapshot(path: Path, day: date, seed: int = 0, vertices: int = 400) -> Path:
    path.write_text(json.dumps(snapshot_geojson(day, seed, vertices)), encoding="utf-8")
    return path

