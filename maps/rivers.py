"""The main rivers the report maps draw, with their names: from data in the package only.

Natural Earth's 1:50 m river centrelines (``geo/data/rivers.geojson``, extracted by
``data/gazetteer/build_boundaries.py``) give true courses but no names, and only for the
biggest rivers (the Dnipro with its reservoirs, the Dniester). The gazetteer's rivers
(``data/gazetteer/waters.csv``) have names but are lines through the towns that stand on
them. So a Natural Earth line is named after the river most of whose vertices lie near that
river's towns, and a river that Natural Earth leaves out at this scale (the Siverskyi Donets,
the Southern Buh, the Oskil) is drawn through its towns: close to its course at a country's
scale, a chord at a district's.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from geo.gazetteer.admin import DATA
from geo.gazetteer.build import read_table

# A centreline vertex this close to a river's line through its towns counts as that river's;
# a line is the river's when at least NEAR_SHARE of its vertices do.
NEAR_KM = 20.0
NEAR_SHARE = 0.5
KM_PER_DEGREE = 111.2
# Degrees of longitude shrink by the cosine of the latitude: at Ukraine's middle.
LON_SCALE = math.cos(math.radians(48.5))


@dataclass(frozen=True)
class River:
    """A named river and its lines, each an (n, 2) array of lon, lat."""

    name: str
    lines: tuple[np.ndarray, ...]
    traced: bool  # Natural Earth's course; False: drawn through the towns on it


def _plane(lonlat: np.ndarray) -> np.ndarray:
    return np.column_stack([lonlat[:, 0] * LON_SCALE, lonlat[:, 1]]) * KM_PER_DEGREE


def _centrelines() -> list[np.ndarray]:
    doc = json.loads((DATA / "rivers.geojson").read_text(encoding="utf-8"))
    return [np.array(f["geometry"]["coordinates"], dtype=float) for f in doc["features"]]


def name_lines(lines: list[np.ndarray],
               courses: dict[str, np.ndarray]) -> dict[str, list[np.ndarray]]:
    """Each centreline under the river (by name) whose course through its towns runs along
    it; a line near none (a river without an entry) is left out."""
    plane = {name: shapely.LineString(_plane(c)) if len(c) > 1 else shapely.Point(_plane(c)[0])
             for name, c in courses.items()}
    named: dict[str, list[np.ndarray]] = {}
    for line in lines:
        vertices = shapely.points(_plane(line))
        best, share = None, NEAR_SHARE
        for name, course in plane.items():
            near = float(np.mean(shapely.distance(vertices, course) < NEAR_KM))
            if near >= share and (best is None or near > share):
                best, share = name, near
        if best is not None:
            named.setdefault(best, []).append(line)
    return named


@lru_cache(maxsize=1)
def main_rivers() -> tuple[River, ...]:
    """The rivers of ``waters.csv`` with a course to draw; none without a built gazetteer
    (the towns that name the lines live there)."""
    from maps.names import has_gazetteer

    if not has_gazetteer():
        return ()
    from geo.gazetteer.default import default_gazetteer

    g = default_gazetteer()
    courses: dict[str, np.ndarray] = {}
    for entry in read_table(DATA / "waters.csv"):
        line = g.line(entry["id"]) if entry["kind"] == "river" else None
        if line:
            courses[entry["name"]] = np.array([(lon, lat) for lat, lon in line], dtype=float)
    named = name_lines(_centrelines(), courses)
    out = []
    for name, course in courses.items():
        if name in named:
            out.append(River(name, tuple(named[name]), True))
        elif len(course) >= 3:  # two towns make a chord, not a river
            out.append(River(name, (course,), False))
    return tuple(out)
