"""Vector tiles of events and oblasts (OGC API – Tiles, Mapbox Vector Tile encoding).

One tile matrix set, WebMercatorQuad, the grid of web maps. An events tile holds each
matching event where few events fall in it, and where many do (a zoomed-out view of a
million events) one point per cell of a 64 × 64 grid with the number of events there,
counted by the store without reading a single event. An oblasts tile holds the oblasts
it meets, clipped and simplified to the tile's resolution, with their counts in the
filtered window. Nothing here knows the web framework.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Any

from api import collections, features, ogc
from api.problems import NotFound
from geo.store.base import EventQuery, Store

MVT = "application/vnd.mapbox-vector-tile"
TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
REL_SCHEME = ogc.REL + "tiling-scheme"
TILED = ogc.TILED
MAX_ZOOM = 24  # the deepest tile matrix WebMercatorQuad defines
ORIGIN = 20037508.3427892  # half the equator in EPSG:3857 metres
RADIUS = 6378137.0
EXTENT = 4096  # tile units across a tile
BUFFER = 64  # tile units drawn beyond each edge, so symbols at an edge are whole
GRID = 64  # cells across a tile where its events are counted rather than listed
DETAIL = 500  # at most this many events are listed one by one in a tile
MAX_AGE = 60  # seconds a client may reuse a tile
# What a listed event carries: short scalars (the sources are a click away, in the API).
EVENT_PROPERTIES = ("type", "status", "actor", "date", "precision", "geometry_kind",
                    "admin1", "summary", "place_names", "n_sources", "claimants", "outlets",
                    "first_said", "last_said")


def tiled(cid: str) -> str:
    """The collection's id, if it has tiles; else a 404 that says which have."""
    collections.get(cid)
    if cid not in TILED:
        raise NotFound(f"collection {cid!r} has no tiles; {' and '.join(TILED)} have")
    return cid


def _matrix(z: int) -> dict[str, Any]:
    cell = 2 * ORIGIN / 256 / 2 ** z
    return {"id": str(z), "scaleDenominator": cell / 0.00028, "cellSize": cell,
            "cornerOfOrigin": "topLeft", "pointOfOrigin": [-ORIGIN, ORIGIN],
            "tileWidth": 256, "tileHeight": 256, "matrixWidth": 2 ** z,
            "matrixHeight": 2 ** z}


def tile_matrix_set(base: str) -> dict[str, Any]:
    """The definition of WebMercatorQuad (OGC 17-083r4, Annex D), in its JSON encoding."""
    return {
        "id": TMS_ID, "title": "Google Maps Compatible for the World", "uri": TMS_URI,
        "crs": MERCATOR, "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [_matrix(z) for z in range(MAX_ZOOM + 1)],
        "links": [ogc.link(ogc.url(base, f"/tileMatrixSets/{TMS_ID}"), "self", ogc.JSON)],
    }


def tile_matrix_sets(base: str) -> dict[str, Any]:
    here = ogc.url(base, f"/tileMatrixSets/{TMS_ID}")
    return {"tileMatrixSets": [{
        "id": TMS_ID, "title": "Google Maps Compatible for the World", "uri": TMS_URI,
        "crs": MERCATOR,
        "links": [ogc.link(here, "self", ogc.JSON), ogc.link(here, REL_SCHEME, ogc.JSON)],
    }], "links": [ogc.link(ogc.url(base, "/tileMatrixSets"), "self", ogc.JSON)]}


def _template(base: str, cid: str) -> str:
    return ogc.url(base, f"/collections/{cid}/tiles/{TMS_ID}") + \
        "/{tileMatrix}/{tileRow}/{tileCol}"


def tileset(base: str, cid: str) -> dict[str, Any]:
    """The tileset's metadata (OGC 17-083r4, TileSetMetadata): what its tiles hold."""
    c = collections.get(tiled(cid))
    here = ogc.url(base, f"/collections/{cid}/tiles/{TMS_ID}")
    scheme = ogc.url(base, f"/tileMatrixSets/{TMS_ID}")
    layer_props = {"events": {
        "id": {"type": "string"}, "count": {"type": "integer",
                                            "description": "events at this point"},
        **{p: {"type": "string"} for p in EVENT_PROPERTIES}},
        "oblasts": {"iso": {"type": "string"}, "name": {"type": "string"},
                    "events": {"type": "integer"}}}[cid]
    return {
        "title": f"{c.title}: vector tiles", "dataType": "vector", "crs": MERCATOR,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            ogc.link(here, "self", ogc.JSON, "this tileset"),
            ogc.link(scheme, REL_SCHEME, ogc.JSON, "the tile matrix set"),
            ogc.link(ogc.url(base, f"/collections/{cid}"), "collection", ogc.JSON, c.title),
            {**ogc.link(_template(base, cid), "item", MVT, "a tile"), "templated": True},
        ],
        "layers": [{"id": cid, "title": c.title, "dataType": "vector",
                    "geometryType": TILED[cid], "minTileMatrix": "0",
                    "maxTileMatrix": str(MAX_ZOOM),
                    "propertiesSchema": {"type": "object", "properties": layer_props}}],
        "tileMatrixSetLimits": [{"tileMatrix": str(z), "minTileRow": 0,
                                 "maxTileRow": 2 ** z - 1, "minTileCol": 0,
                                 "maxTileCol": 2 ** z - 1} for z in range(MAX_ZOOM + 1)],
    }


def tilesets(base: str, cid: str) -> dict[str, Any]:
    c = collections.get(tiled(cid))
    here = ogc.url(base, f"/collections/{cid}/tiles/{TMS_ID}")
    return {
        "tilesets": [{
            "title": f"{c.title}: vector tiles", "dataType": "vector", "crs": MERCATOR,
            "tileMatrixSetURI": TMS_URI,
            "links": [ogc.link(here, "self", ogc.JSON, "the tileset"),
                      ogc.link(ogc.url(base, f"/tileMatrixSets/{TMS_ID}"), REL_SCHEME,
                               ogc.JSON),
                      {**ogc.link(_template(base, cid), "item", MVT, "a tile"),
                       "templated": True}],
        }],
        "links": [ogc.link(ogc.url(base, f"/collections/{cid}/tiles"), "self", ogc.JSON)],
    }


def check_tile(z: int, row: int, col: int) -> None:
    if not 0 <= z <= MAX_ZOOM:
        raise NotFound(f"no tile matrix {z}; {TMS_ID} has 0 to {MAX_ZOOM}")
    if not (0 <= row < 2 ** z and 0 <= col < 2 ** z):
        raise NotFound(f"no tile at row {row}, column {col} of tile matrix {z}: rows and "
                       f"columns run from 0 to {2 ** z - 1}")


def mercator_bounds(z: int, row: int, col: int) -> tuple[float, float, float, float]:
    size = 2 * ORIGIN / 2 ** z
    west, north = -ORIGIN + col * size, ORIGIN - row * size
    return west, north - size, west + size, north


def _lon(x: float) -> float:
    return math.degrees(x / RADIUS)


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y / RADIUS)) - math.pi / 2)


def _x(lon: Any) -> Any:
    import numpy as np

    return RADIUS * np.radians(lon)


def _y(lat: Any) -> Any:
    import numpy as np

    lat = np.clip(lat, -85.0511287798, 85.0511287798)
    return RADIUS * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def tile(store: Store, cid: str, z: int, row: int, col: int, q: EventQuery) -> bytes:
    """One tile of ``cid`` as Mapbox Vector Tile bytes, of what ``q`` matches."""
    import mapbox_vector_tile

    tiled(cid)
    check_tile(z, row, col)
    west, south, east, north = mercator_bounds(z, row, col)
    pad = (east - west) * BUFFER / EXTENT
    box = (west - pad, south - pad, east + pad, north + pad)
    found = _events(store, q, box) if cid == "events" else _oblasts(store, q, box)
    _to_tile_units(found, west, south, EXTENT / (east - west))
    options = {"extents": EXTENT,
               "on_invalid_geometry": mapbox_vector_tile.encoder.on_invalid_geometry_ignore}
    return bytes(mapbox_vector_tile.encode([{"name": cid, "features": found}],
                                           default_options=options))


def _to_tile_units(found: list[dict[str, Any]], west: float, south: float,
                   scale: float) -> None:
    """Metres to tile units (y up, as the encoder expects), every geometry in one call."""
    import numpy as np
    import shapely

    if not found:
        return
    moved = shapely.transform(np.array([f["geometry"] for f in found], dtype=object),
                              lambda xy: (xy - (west, south)) * scale)
    for f, g in zip(found, moved, strict=True):
        f["geometry"] = g


def _lonlat_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (max(_lon(box[0]), -180.0), max(_lat(box[1]), -90.0),
            min(_lon(box[2]), 180.0), min(_lat(box[3]), 90.0))


def _events(store: Store, q: EventQuery,
            box: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    import shapely

    lonlat = _lonlat_box(box)
    area = _narrowed(q, lonlat)
    if area is None:
        return []
    across = (lonlat[2] - lonlat[0]) * EXTENT / (EXTENT + 2 * BUFFER)
    middle = math.radians((lonlat[1] + lonlat[3]) / 2)
    cells = store.grid(area, across / GRID, across / GRID * max(math.cos(middle), 0.01))
    if sum(c.count for c in cells) > DETAIL:
        xs, ys = _x([c.lon for c in cells]), _y([c.lat for c in cells])
        return [{"geometry": shapely.Point(x, y),
                 "properties": {"count": c.count, **({"id": c.event_id} if c.event_id
                                                     else {})}}
                for c, x, y in zip(cells, xs.tolist(), ys.tolist(), strict=True)]
    events = [e for e in store.events(replace(area, limit=DETAIL, offset=0))
              if e.lon is not None and e.lat is not None]
    xs, ys = _x([e.lon for e in events]), _y([e.lat for e in events])
    out = []
    for e, x, y in zip(events, xs.tolist(), ys.tolist(), strict=True):
        props = features.event_feature(e, as_point=True)["properties"]
        out.append({"geometry": shapely.Point(x, y), "properties": {
            "id": e.id, "count": 1, **{k: props[k] for k in EVENT_PROPERTIES
                                       if isinstance(props.get(k), (str, int, float))}}})
    return out


def _narrowed(q: EventQuery, box: tuple[float, float, float, float]) -> EventQuery | None:
    """``q`` within the tile's box; None where they do not meet."""
    if q.bbox is None:
        return replace(q, bbox=box)
    b = (max(q.bbox[0], box[0]), max(q.bbox[1], box[1]), min(q.bbox[2], box[2]),
         min(q.bbox[3], box[3]))
    return None if b[0] > b[2] or b[1] > b[3] else replace(q, bbox=b)


@lru_cache(maxsize=1)
def _oblast_shapes() -> dict[str, Any]:
    """Each unit's polygon in EPSG:3857, projected once per process."""
    import numpy as np
    import shapely

    def project(xy: Any) -> Any:
        return np.column_stack([_x(xy[:, 0]), _y(xy[:, 1])])

    return {u.iso: shapely.transform(u.geometry, project) for u in features.web_units().units}


def _oblasts(store: Store, q: EventQuery,
             box: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    import shapely

    shapes = _oblast_shapes()
    window = shapely.box(*box)
    tolerance = (box[2] - box[0]) / (EXTENT + 2 * BUFFER) / 2  # half a tile unit
    out = []
    for f in collections.oblast_features(store, q):
        shape = shapes.get(f["id"])
        if shape is None or not shape.intersects(window):
            continue
        clipped = shapely.clip_by_rect(shape, *box).simplify(tolerance)
        if clipped.is_empty:
            continue
        props = {k: v for k, v in f["properties"].items()
                 if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
        out.append({"geometry": clipped, "properties": props})
    return out
