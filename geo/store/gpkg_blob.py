"""GeoPackage binary geometry: a small header in front of standard WKB.

Points are written without an envelope (the standard allows that for points), control
areas with one. Reading handles any envelope, since QGIS may rewrite geometries it edits; the
``ST_*`` functions here are the ones the standard R-tree triggers call, registered on each
connection because plain SQLite lacks them.
"""

from __future__ import annotations

import sqlite3
import struct

import shapely

SRS_ID = 4326
_HEADER = struct.Struct("<2sBBi")
_POINT = struct.Struct("<BIdd")
_ENVELOPE = struct.Struct("<4d")
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_FLAG_LITTLE_ENDIAN = 0x01
_FLAG_EMPTY = 0x10


def point_blob(lon: float, lat: float) -> bytes:
    return _HEADER.pack(b"GP", 0, _FLAG_LITTLE_ENDIAN, SRS_ID) + _POINT.pack(1, 1, lon, lat)


def geometry_blob(wkb: bytes, bounds: tuple[float, float, float, float]) -> bytes:
    """Any geometry, with its envelope (minx, maxx, miny, maxy) so readers can skip it."""
    minx, miny, maxx, maxy = bounds
    return (_HEADER.pack(b"GP", 0, _FLAG_LITTLE_ENDIAN | (1 << 1), SRS_ID)
            + _ENVELOPE.pack(minx, maxx, miny, maxy) + wkb)


def wkb_of(blob: bytes) -> bytes:
    return _wkb(blob)


def _wkb(blob: bytes) -> bytes:
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    envelope = _ENVELOPE_BYTES.get((blob[3] >> 1) & 0x07)
    if envelope is None:
        raise ValueError("bad GeoPackage geometry envelope")
    return blob[8 + envelope:]


def is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    if blob[3] & _FLAG_EMPTY:
        return 1
    b = bounds(blob)
    return 1 if b is None or any(v != v for v in b) else 0


def bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    if blob is None:
        return None
    wkb = _wkb(blob)
    if len(wkb) == _POINT.size and wkb[0] == 1 and wkb[1:5] == b"\x01\x00\x00\x00":
        _, _, x, y = _POINT.unpack(wkb)
        return x, y, x, y
    geom = shapely.from_wkb(wkb)
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return minx, miny, maxx, maxy


def _bound(i: int):
    def f(blob: bytes | None) -> float | None:
        b = bounds(blob)
        return None if b is None else b[i]

    return f


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        conn.create_function(name, 1, _bound(i), deterministic=True)
