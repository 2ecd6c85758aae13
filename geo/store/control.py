"""Control snapshots in the store: one row per snapshot, one polygon row per class.

Both backends keep the same two tables; only the geometry column differs (a GeoPackage
geometry blob, so QGIS opens ``control_areas`` as a layer, or a PostGIS MultiPolygon). A
snapshot is written in one transaction with its areas; one whose content hash is stored
already is a duplicate and changes nothing, and a new export for the same date and source
replaces the old one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import shapely

from geo.control.classes import STATUSES, Side, Status
from geo.control.snapshot import Snapshot, polygonal

SnapshotOutcome = Literal["new", "duplicate", "replaced"]

SNAPSHOT_FIELDS = ("id", "as_of", "source", "licence", "hash", "residual", "files",
                   "vertices")

GPKG_TABLES = """
CREATE TABLE IF NOT EXISTS control_snapshots (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, as_of DATE NOT NULL,
  source TEXT NOT NULL, licence TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  residual TEXT NOT NULL, files TEXT NOT NULL, vertices INTEGER NOT NULL,
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE IF NOT EXISTS control_areas (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, snapshot_id TEXT NOT NULL,
  as_of DATE NOT NULL, status TEXT NOT NULL, km2 DOUBLE NOT NULL,
  UNIQUE (snapshot_id, status));
"""

POSTGIS_TABLES = """
CREATE TABLE IF NOT EXISTS control_snapshots (
  fid bigserial PRIMARY KEY, id text COLLATE "C" NOT NULL UNIQUE, as_of date NOT NULL,
  source text NOT NULL, licence text NOT NULL, hash text NOT NULL UNIQUE,
  residual text NOT NULL, files text NOT NULL, vertices integer NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS control_areas (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4326), snapshot_id text NOT NULL,
  as_of date NOT NULL, status text NOT NULL, km2 double precision NOT NULL,
  UNIQUE (snapshot_id, status))
"""


@dataclass(frozen=True)
class SnapshotInfo:
    """A stored snapshot without its polygons, for listings."""

    id: str
    as_of: date
    source: str
    licence: str
    hash: str
    residual: Side
    files: tuple[str, ...]
    vertices: int
    km2: dict[str, float]


def in_force(infos: Sequence[SnapshotInfo], day: date) -> SnapshotInfo | None:
    """The snapshot in force on ``day``: the latest dated on or before it."""
    before = [i for i in infos if i.as_of <= day]
    return max(before, key=lambda i: (i.as_of, i.source)) if before else None


def snapshot_columns(s: Snapshot) -> dict[str, Any]:
    return {"id": s.id, "as_of": s.as_of.isoformat(), "source": s.source,
            "licence": s.licence, "hash": s.digest, "residual": s.residual,
            "files": json.dumps(list(s.files), ensure_ascii=False), "vertices": s.vertices}


def info_from_row(row: Any, km2: dict[str, float]) -> SnapshotInfo:
    d = dict(zip(SNAPSHOT_FIELDS, row, strict=True))
    return SnapshotInfo(d["id"], _day(d["as_of"]), d["source"], d["licence"], d["hash"],
                        d["residual"], tuple(json.loads(d["files"])), int(d["vertices"]), km2)


def snapshot_from(info: SnapshotInfo, areas: dict[Status, bytes]) -> Snapshot:
    """A snapshot from its row and its classes' WKB."""
    geoms = {s: polygonal(shapely.from_wkb(areas[s])) for s in STATUSES if s in areas}
    return Snapshot(info.as_of, info.source, info.licence, info.hash, geoms, info.residual,
                    info.files)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
