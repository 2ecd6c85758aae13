"""The ground a snapshot covers: Ukraine within its 1991 borders, its oblasts, and the
equal-area projection every area and distance is measured in.

Ukraine is the union of the Natural Earth oblasts the gazetteer ships, so the state border
and the coast a line of contact must leave out are the same lines oblasts are cut from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.admin import admin1_index

# Lambert azimuthal equal-area centred on Ukraine: areas are exact, distances within a few
# tenths of a percent over the theatre, which is all a 15 km threshold needs.
EQUAL_AREA = "+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
BORDER_TOLERANCE_DEG = 1e-6  # a line this close to the border or coast runs along it
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Oblast:
    iso: str
    name: str
    geometry: BaseGeometry


@lru_cache(maxsize=1)
def oblasts() -> tuple[Oblast, ...]:
    units = [u for u in admin1_index().units if u.country == "UA"]
    return tuple(Oblast(u.iso, u.name, shapely.make_valid(u.geometry)) for u in units)


@lru_cache(maxsize=1)
def ukraine() -> BaseGeometry:
    shape = shapely.unary_union([o.geometry for o in oblasts()])
    shapely.prepare(shape)
    return shape


@lru_cache(maxsize=1)
def border_zone() -> BaseGeometry:
    """The state border and the coast, widened by a hair so that lines along them drop out."""
    zone = ukraine().boundary.buffer(BORDER_TOLERANCE_DEG)
    shapely.prepare(zone)
    return zone


@lru_cache(maxsize=1)
def oblast_tree() -> shapely.STRtree:
    return shapely.STRtree([o.geometry for o in oblasts()])


@lru_cache(maxsize=2)
def _transformer(inverse: bool) -> Transformer:
    src, dst = ("EPSG:4326", EQUAL_AREA)
    return Transformer.from_crs(dst, src, always_xy=True) if inverse else \
        Transformer.from_crs(src, dst, always_xy=True)


def projected(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` (lon/lat) in the equal-area projection, metres."""
    t = _transformer(False)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def area_km2(geom: BaseGeometry) -> float:
    return float(projected(geom).area) / 1e6 if not geom.is_empty else 0.0


def length_km(geom: BaseGeometry) -> float:
    """Geodesic length of lines in lon/lat."""
    return float(_GEOD.geometry_length(geom)) / 1000 if not geom.is_empty else 0.0
