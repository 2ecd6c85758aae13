"""Geometries as RFC 7946 wants them: lon/lat, right-hand rule, no false precision.

Seven decimals is about a centimetre, far finer than any place a news text names; clients
such as GDAL and d3 misdraw clockwise exterior rings, so rings are oriented on the way out.
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

DECIMALS = 7


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]}


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), DECIMALS)
    return [_round(c) for c in coords]


def geometry(geom: BaseGeometry | dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON geometry object with counter-clockwise exterior rings and rounded coordinates."""
    if geom is None:
        return None
    if isinstance(geom, dict):
        if geom.get("type") == "Point":
            return {"type": "Point", "coordinates": _round(geom["coordinates"])}
        geom = shape(geom)
    g: BaseGeometry = geom
    if g.is_empty:
        return None
    if g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        g = shapely.orient_polygons(g, exterior_cw=False)
    out = dict(mapping(g))
    if "coordinates" in out:
        out["coordinates"] = _round(out["coordinates"])
    else:
        out["geometries"] = [geometry(g) for g in out["geometries"]]
    return out
