"""Coordinate reference systems the API answers in (OGC API – Features Part 2).

Features are stored in CRS84 (longitude, latitude). An answer in another CRS is transformed
on the way out, in that CRS's own axis order: EPSG:4326 is latitude first, as the EPSG
register defines it and as Part 2 requires, so transformations are never built with
``always_xy`` (which would silently turn EPSG:4326 into longitude-first). A ``bbox`` given
in another CRS is turned into CRS84 the other way round, and where the box's edges are
curved in longitude and latitude (UTM) it also comes back as the exact polygon.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from api.problems import ApiError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H = "http://www.opengis.net/def/crs/OGC/0/CRS84h"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class Crs:
    uri: str
    code: str  # what pyproj reads
    decimals: int  # a centimetre or so in its units


SUPPORTED: tuple[Crs, ...] = (
    Crs(CRS84, "OGC:CRS84", 7),
    Crs(EPSG + "4326", "EPSG:4326", 7),
    Crs(EPSG + "3857", "EPSG:3857", 2),
    # UTM zones 34N to 37N cover Ukraine from the Carpathians to the Donbas
    Crs(EPSG + "32634", "EPSG:32634", 2),
    Crs(EPSG + "32635", "EPSG:32635", 2),
    Crs(EPSG + "32636", "EPSG:32636", 2),
    Crs(EPSG + "32637", "EPSG:32637", 2),
)
URIS = [c.uri for c in SUPPORTED]
_BY_URI = {c.uri: c for c in SUPPORTED}
STORAGE = SUPPORTED[0]


def parse(value: str | None, what: str = "crs") -> Crs:
    """A CRS by its URI or safe CURIE (``[EPSG:32637]``); the 3D CRS84h reads as CRS84,
    since every coordinate here is 2D."""
    if value is None or value == CRS84H:
        return STORAGE
    text = value.strip()
    if text.startswith("[") and text.endswith("]") and ":" in text:
        authority, _, code = text[1:-1].partition(":")
        text = CRS84 if (authority.upper(), code) == ("OGC", "CRS84") \
            else f"{EPSG}{code}" if authority.upper() == "EPSG" else text
    found = _BY_URI.get(text.replace("https://", "http://", 1))
    if found is None:
        raise ApiError(f"{what}: {value[:120]!r} is not offered; use one of {', '.join(URIS)}")
    return found


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=False)


def _positions(coords: Any) -> Iterator[list[float]]:
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def _rebuild(coords: Any, out: Iterator[tuple[float, float]]) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return list(next(out))
    return [_rebuild(c, out) for c in coords]


def _geometries(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for f in features:
        g = f.get("geometry")
        if g is not None:
            found.extend(g["geometries"] if g.get("type") == "GeometryCollection" else [g])
    return found


def transform(features: list[dict[str, Any]], crs: Crs) -> list[dict[str, Any]]:
    """The features with their geometries in ``crs``, in its axis order. Every position of
    the page is transformed in one call; the input (whose geometries may be shared, cached
    objects) is left as it was."""
    if crs == STORAGE:
        return features
    import numpy as np

    xs, ys = [], []
    for g in _geometries(features):
        for p in _positions(g["coordinates"]):
            xs.append(p[0])
            ys.append(p[1])
    if not xs:
        return features
    a, b = _transformer(STORAGE.code, crs.code).transform(np.array(xs), np.array(ys))
    out = iter(zip(np.round(a, crs.decimals).tolist(), np.round(b, crs.decimals).tolist(),
                   strict=True))
    return [_moved(f, out) for f in features]


def _moved(f: dict[str, Any], out: Iterator[tuple[float, float]]) -> dict[str, Any]:
    g = f.get("geometry")
    if g is None:
        return f
    if g.get("type") == "GeometryCollection":
        moved = {**g, "geometries": [{**p, "coordinates": _rebuild(p["coordinates"], out)}
                                     for p in g["geometries"]]}
    else:
        moved = {**g, "coordinates": _rebuild(g["coordinates"], out)}
    return {**f, "geometry": moved}


@dataclass(frozen=True)
class Box:
    """A bbox given in some CRS, in CRS84: its bounds, and the exact area where its edges
    are not lines of longitude and latitude (a GeoJSON polygon), else None."""

    bounds: tuple[float, float, float, float]
    polygon: dict[str, Any] | None


def to_crs84(numbers: list[float], crs: Crs) -> Box:
    """``numbers``: the two corners' values in ``crs``'s axis order (lower corner first).
    Geographic boxes come back as given, for the caller to check their ranges; projected
    ones are clipped to the globe."""
    import numpy as np
    import shapely

    a0, b0, a1, b1 = numbers
    name = crs.uri.rsplit("/", 1)[-1]
    if a0 > a1 or b0 > b1:
        raise ApiError(f"bbox: in {name} the lower corner comes first, then the upper one")
    if crs == STORAGE:
        return Box((a0, b0, a1, b1), None)
    if crs.code == "EPSG:4326":
        return Box((b0, a0, b1, a1), None)  # latitude first: the same box, axes swapped
    steps = np.linspace(0.0, 1.0, 65)
    ring_a = np.concatenate([a0 + (a1 - a0) * steps, np.full(65, a1),
                             a1 - (a1 - a0) * steps, np.full(65, a0)])
    ring_b = np.concatenate([np.full(65, b0), b0 + (b1 - b0) * steps,
                             np.full(65, b1), b1 - (b1 - b0) * steps])
    lon, lat = _transformer(crs.code, STORAGE.code).transform(ring_a, ring_b)
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise ApiError(f"bbox: the box {numbers} lies outside where {name} is defined")
    polygon = shapely.Polygon(np.column_stack([lon, lat]))
    minx, miny, maxx, maxy = (float(v) for v in polygon.bounds)
    bounds = (max(minx, -180.0), max(miny, -90.0), min(maxx, 180.0), min(maxy, 90.0))
    box = shapely.box(*polygon.bounds)
    if not polygon.is_valid or abs(box.area - polygon.area) <= 1e-9 * max(box.area, 1e-12):
        return Box(bounds, None)
    clipped = shapely.intersection(polygon, shapely.box(-180, -90, 180, 90))
    return Box(bounds, shapely.geometry.mapping(clipped))


def literals_to_crs84(node: Any, crs: Crs) -> Any:
    """A CQL2 JSON filter with its geometry literals (GeoJSON geometries and bboxes) given
    in ``crs`` turned into CRS84; a projected bbox becomes its exact area, and a geometry's
    vertices move (its edges stay straight between them)."""
    if crs == STORAGE:
        return node
    if isinstance(node, list):
        return [literals_to_crs84(n, crs) for n in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"bbox"} and isinstance(node["bbox"], list) and \
            len(node["bbox"]) in (4, 6) and all(isinstance(v, (int, float))
                                                and not isinstance(v, bool)
                                                for v in node["bbox"]):
        b = node["bbox"]
        box = to_crs84([b[0], b[1], b[3], b[4]] if len(b) == 6 else list(b), crs)
        return box.polygon if box.polygon else {"bbox": list(box.bounds)}
    if isinstance(node.get("type"), str) and "coordinates" in node:
        return _vertices(node, crs)
    if node.get("type") == "GeometryCollection" and isinstance(node.get("geometries"), list):
        return {**node, "geometries": [literals_to_crs84(g, crs) for g in node["geometries"]]}
    return {k: literals_to_crs84(v, crs) for k, v in node.items()}


def _vertices(geometry: dict[str, Any], crs: Crs) -> dict[str, Any]:
    import numpy as np

    try:
        points = list(_positions(geometry["coordinates"]))
        a = np.array([float(p[0]) for p in points])
        b = np.array([float(p[1]) for p in points])
    except (TypeError, ValueError, IndexError):
        return geometry  # not coordinates: the filter's own check says so
    if not len(points):
        return geometry
    lon, lat = _transformer(crs.code, STORAGE.code).transform(a, b)
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        name = crs.uri.rsplit("/", 1)[-1]
        raise ApiError(f"filter: a geometry lies outside where {name} is defined")
    return {**geometry, "coordinates": _rebuild(geometry["coordinates"],
                                                iter(zip(lon.tolist(), lat.tolist(),
                                                         strict=True)))}
