"""Admin-1 polygons (oblasts and their neighbours) from Natural Earth, for point-in-polygon.

The precise file keeps Natural Earth's 10 m detail for containment tests; the web file is
simplified for maps. Both are small enough to ship inside the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parent.parent / "data"
NEAREST_DEG = 0.15  # coastal points (ports, bridges) may fall just outside a 10 m polygon


@dataclass(frozen=True)
class Admin1:
    iso: str
    country: str
    name: str
    geometry: BaseGeometry


class Admin1Index:
    def __init__(self, units: list[Admin1]) -> None:
        self.units = units
        self._by_iso = {u.iso: u for u in units}
        self._tree = shapely.STRtree([u.geometry for u in units])

    @classmethod
    def from_geojson(cls, path: Path) -> Admin1Index:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        units = [
            Admin1(f["properties"]["iso"], f["properties"]["country"], f["properties"]["name"],
                   shape(f["geometry"]))
            for f in features
        ]
        return cls(units)

    def at(self, lon: float, lat: float, nearest: bool = True) -> str | None:
        point = Point(lon, lat)
        hits = self._tree.query(point, predicate="intersects")
        if len(hits):
            return self.units[int(hits[0])].iso
        if not nearest:
            return None
        idx = self._tree.query_nearest(point, max_distance=NEAREST_DEG)
        return self.units[int(idx[0])].iso if len(idx) else None

    def get(self, iso: str) -> Admin1 | None:
        return self._by_iso.get(iso.upper())


@lru_cache(maxsize=1)
def admin1_index() -> Admin1Index:
    return Admin1Index.from_geojson(DATA / "admin1.geojson")


def oblast_at(lon: float, lat: float) -> str | None:
    """ISO 3166-2 code of the admin-1 unit containing the point (Ukraine and neighbours)."""
    return admin1_index().at(lon, lat)


def oblast(code: str) -> BaseGeometry | None:
    """The admin-1 polygon for an ISO 3166-2 code such as ``UA-14``."""
    unit = admin1_index().get(code)
    return unit.geometry if unit else None
