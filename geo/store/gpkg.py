"""The embedded store: one GeoPackage file that QGIS opens directly.

SQLite in WAL mode lets readers go on while one writer ingests; every ingest is one
``BEGIN IMMEDIATE`` transaction, so concurrent writers (threads or processes) queue up and
a killed writer leaves nothing half-written.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely

from geo.claims.location import ADMIN1
from geo.models import Attestation, Event
from geo.store import gpkg_schema
from geo.store.areas import GPKG_AREAS
from geo.store.control import GPKG_TABLES
from geo.store.errors import StoreError
from geo.store.filters import Dialect, like_glob
from geo.store.gpkg_blob import geometry_blob, point_blob, register_functions, wkb_of
from geo.store.pool import Pool
from geo.store.records import (
    ARTICLE_FIELDS,
    ATTESTATION_FIELDS,
    EVENT_COLUMNS,
    PlaceRow,
    attestation_rows,
    event_columns,
    place_row_columns,
    place_rows,
    quote_text,
)
from geo.store.sql import SqlStore

BUSY_TIMEOUT_S = 300.0
CACHE_KIB = 64 * 1024  # per connection: the hot index pages of a million events
# Pages the WAL may hold before a commit copies them into the file (SQLite's default is
# 1000). Ingest commits once per article; in a large store each commit dirties pages all
# over the indexes, and copying them back less often writes each hot page fewer times.
WAL_PAGES = 10_000


def _bbox(b: tuple[float, float, float, float]) -> tuple[str, list[Any]]:
    # The R-tree stores 32-bit bounds rounded outwards: it narrows, lon/lat decide.
    return ("e.fid IN (SELECT id FROM rtree_events_geom WHERE minx <= ? AND maxx >= ? "
            "AND miny <= ? AND maxy >= ?) AND e.lon BETWEEN ? AND ? AND e.lat BETWEEN ? AND ?",
            [b[2], b[0], b[3], b[1], b[0], b[2], b[1], b[3]])


def _bbox_time(b: tuple[float, float, float, float], start: date | None,
               end: date | None) -> tuple[str, list[Any]]:
    lo = "julianday(?)" if start else "-1e30"
    hi = "julianday(?)" if end else "1e30"
    days = [d.isoformat() for d in (start, end) if d]
    return ("e.fid IN (SELECT id FROM rtree_events_xyt WHERE minx <= ? AND maxx >= ? "
            f"AND miny <= ? AND maxy >= ? AND mint <= {hi} AND maxt >= {lo}) "
            "AND e.lon BETWEEN ? AND ? AND e.lat BETWEEN ? AND ?",
            [b[2], b[0], b[3], b[1], *days[::-1], b[0], b[2], b[1], b[3]])


def _glob(column: str, pattern: str) -> tuple[str, list[Any]]:
    return f"{column} GLOB ?", [like_glob(pattern)]


def _intersects(geom: Any) -> tuple[str, list[Any]]:
    """The R-tree narrows to the geometry's bounds; an exact test on lon/lat decides."""
    narrow, params = _bbox(geom.bounds)
    return f"{narrow} AND fl_covers(?, e.lon, e.lat)", [*params, geom.wkb]


@lru_cache(maxsize=64)
def _prepared(wkb: bytes) -> Any:
    geom = shapely.from_wkb(wkb)
    shapely.prepare(geom)
    return geom


def _covers(wkb: bytes, lon: float | None, lat: float | None) -> int:
    if lon is None or lat is None:
        return 0
    return int(shapely.intersects_xy(_prepared(bytes(wkb)), lon, lat))


def _text(terms: list[str]) -> tuple[str, list[Any]]:
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
    return ("e.fid IN (SELECT rowid FROM gpkg_frontline_fts WHERE gpkg_frontline_fts "
            "MATCH ?)", [match])


SQLITE = Dialect(mark="?", bbox=_bbox, text=_text, day=date.isoformat, no_limit="-1",
                 bbox_time=_bbox_time, like=_glob, intersects=_intersects,
                 floor=lambda x: f"CAST({x} AS INTEGER)")  # truncation: x is never negative


STATISTICS_FROM = 1000  # events: below this, the planner's defaults serve as well


@contextmanager
def _committed(conn: sqlite3.Connection) -> Iterator[None]:
    """Commit what the block writes in the transaction begun before it, or none of it."""
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # some errors end the transaction themselves
            conn.execute("ROLLBACK")
        raise


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that waits for the writers before it (``BEGIN IMMEDIATE``)."""
    conn.execute("BEGIN IMMEDIATE")
    with _committed(conn):
        yield


def _begun(conn: sqlite3.Connection) -> bool:
    """Begin a write transaction, or say that this process cannot write the file."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    return True


class _Locked(Exception):
    pass


class GpkgStore(SqlStore):
    """A Frontline store in a GeoPackage file, created on first use."""

    dialect = SQLITE

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a GeoPackage file")
        if not self.path.parent.is_dir():
            raise StoreError(f"{self.path.parent}: no such directory")
        self._pool = Pool(self._connect, sqlite3.Connection.close, errors=(sqlite3.Error,),
                          where=str(self.path))
        with self._pool.use():
            pass

    def __repr__(self) -> str:
        return f"GpkgStore({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        """Open a connection, waiting out another process that is opening the file or
        closing it: SQLite reports "locked" then without calling the busy handler."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return self._open()
            except _Locked:
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: locked by another process for "
                                     f"{BUSY_TIMEOUT_S:.0f} s") from None
                time.sleep(0.05)

    def _open(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch the file to WAL mode")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")
            register_functions(conn)
            conn.create_function("fl_covers", 3, _covers, deterministic=True)
            self._initialise(conn)
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise _Locked from exc
            raise StoreError(f"{self.path}: not a usable GeoPackage ({exc})") from exc
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return conn

    def _initialise(self, conn: sqlite3.Connection) -> None:
        if not gpkg_schema.is_initialised(conn):
            with _transaction(conn):
                if not gpkg_schema.is_initialised(conn):
                    tables = conn.execute(
                        "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                    if tables:
                        raise StoreError(f"{self.path}: a GeoPackage or SQLite file, but not "
                                         "a Frontline store; choose a new file")
                    gpkg_schema.create(conn)
            # GDAL and QGIS read the GeoPackage application id from the file's header
            # before SQLite opens it: copy the new first page out of the WAL at once.
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        (version,) = conn.execute("SELECT value FROM frontline_meta WHERE key='schema'").fetchone()
        if version != gpkg_schema.SCHEMA_VERSION:
            self._migrate(conn)
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                              "WHERE type = 'index'")}
        if not set(gpkg_schema.FILTER_INDEXES) <= indexes:
            self._add_indexes(conn)
        self._refresh_statistics(conn)
        if not gpkg_schema.has_control(conn):
            with _transaction(conn):
                if not gpkg_schema.has_control(conn):
                    gpkg_schema.add_control(conn, GPKG_TABLES)
        if not gpkg_schema.has_parts(conn):
            with _transaction(conn):
                if not gpkg_schema.has_parts(conn):
                    gpkg_schema.add_parts(conn)
        if not gpkg_schema.has_areas(conn):
            with _transaction(conn):
                if not gpkg_schema.has_areas(conn):
                    gpkg_schema.add_areas(conn, GPKG_AREAS)
                    for (iso,) in conn.execute(
                            "SELECT DISTINCT admin1 FROM events WHERE geometry_kind = ? "
                            "AND admin1 IS NOT NULL", (ADMIN1,)).fetchall():
                        self._put_area(conn, iso)

    @staticmethod
    def _refresh_statistics(conn: sqlite3.Connection) -> None:
        """SQLite's planner statistics of the events, where the table has doubled or halved
        since they were taken: without them it prefers the status index to the place-and-
        time R-tree for a box, a month and a status, and reads thousands of index entries
        where the R-tree finds a few hundred events."""
        n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        if n < STATISTICS_FROM:
            return
        try:
            row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' "
                               "AND idx = 'events_date'").fetchone()
        except sqlite3.OperationalError:
            row = None  # no statistics yet
        known = int(row[0].split()[0]) if row else 0
        if known / 2 <= n <= known * 2:
            return
        if not _begun(conn):
            return  # a store this process cannot write is read without them
        with _committed(conn):
            conn.execute("ANALYZE events")

    @staticmethod
    def _add_indexes(conn: sqlite3.Connection) -> None:
        if not _begun(conn):
            return  # a store this process cannot write is read without them
        with _committed(conn):
            for sql in gpkg_schema.FILTER_INDEXES.values():
                conn.execute(sql)
            conn.execute("DROP INDEX IF EXISTS events_place_names")  # now in events_place
            if conn.execute("SELECT count(*) FROM events").fetchone()[0] >= STATISTICS_FROM:
                conn.execute("ANALYZE events")  # the planner weighs the new indexes too

    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: the store must be upgraded to schema "
                             f"{gpkg_schema.SCHEMA_VERSION} and cannot be written ({exc})"
                             ) from exc
        with _committed(conn):
            (version,) = conn.execute(
                "SELECT value FROM frontline_meta WHERE key='schema'").fetchone()
            if version != gpkg_schema.SCHEMA_VERSION and not gpkg_schema.migrate(conn, version):
                raise StoreError(f"{self.path}: store schema {version}, this Frontline reads "
                                 f"{gpkg_schema.SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._pool.use() as conn, _transaction(conn):
            yield conn

    def _changed(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name IN "
                     "('events','articles','attestations','event_places','control_snapshots',"
                     "'control_areas')",
                     (gpkg_schema.now(),))

    def _insert_article(self, conn: sqlite3.Connection, cols: dict[str, Any]) -> None:
        _insert(conn, "articles", {**cols, "ingested_at": gpkg_schema.now()})

    _PARTS = gpkg_schema.PARTS

    def _put(self, conn: sqlite3.Connection, event: Event,
             stored: Sequence[Attestation] | None, places: list[PlaceRow] | None = None
             ) -> None:
        cols = event_columns(event)
        geom = point_blob(event.lon, event.lat) if event.mapped else None  # type: ignore[arg-type]
        if stored is not None:
            (fid,) = conn.execute("SELECT fid FROM events WHERE id = ?", (event.id,)).fetchone()
            sets = ", ".join(f"{c} = ?" for c in EVENT_COLUMNS)
            conn.execute(f"UPDATE events SET geom = ?, {sets} WHERE fid = ?",
                         [geom, *cols.values(), fid])
            conn.execute("DELETE FROM gpkg_frontline_fts WHERE rowid = ?", (fid,))
            conn.execute("DELETE FROM event_places WHERE event_id = ?", (event.id,))
        else:
            fid = _insert(conn, "events", {"geom": geom, **cols})
        conn.execute("INSERT INTO gpkg_frontline_fts (rowid, quotes) VALUES (?, ?)",
                     (fid, quote_text(event)))
        if event.mapped:  # the layer's extent, as QGIS and GDAL read it, grows on write
            conn.execute("UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?1), ?1), "
                         "max_x = max(coalesce(max_x, ?1), ?1), "
                         "min_y = min(coalesce(min_y, ?2), ?2), "
                         "max_y = max(coalesce(max_y, ?2), ?2) WHERE table_name = 'events'",
                         (event.lon, event.lat))
        _insert_many(conn, "attestations", attestation_rows(event, stored or ()))
        _insert_many(conn, "event_places", [place_row_columns(p) for p in
                                            (place_rows(event) if places is None else places)])

    def _delete_row(self, conn: sqlite3.Connection, event_id: str) -> None:
        row = conn.execute("SELECT fid FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is not None:
            conn.execute("DELETE FROM gpkg_frontline_fts WHERE rowid = ?", row)
            conn.execute("DELETE FROM events WHERE fid = ?", row)

    def _insert_oblast(self, conn: sqlite3.Connection, iso: str, name: str,
                       wkb: bytes) -> None:
        minx, miny, maxx, maxy = shapely.from_wkb(wkb).bounds
        _insert(conn, "oblast_areas", {"geom": geometry_blob(wkb, (minx, miny, maxx, maxy)),
                                       "iso": iso, "name": name})
        conn.execute("UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?1), ?1), "
                     "min_y = min(coalesce(min_y, ?2), ?2), max_x = max(coalesce(max_x, ?3), "
                     "?3), max_y = max(coalesce(max_y, ?4), ?4) WHERE table_name IN "
                     "('oblast_areas', 'event_areas')", (minx, miny, maxx, maxy))

    def _insert_area(self, conn: sqlite3.Connection, cols: dict[str, Any], wkb: bytes) -> None:
        geom = shapely.from_wkb(wkb)
        blob = geometry_blob(wkb, geom.bounds) if not geom.is_empty else None
        _insert(conn, "control_areas", {"geom": blob, **cols})

    def _area_wkb(self, value: Any) -> bytes:
        return wkb_of(bytes(value)) if value is not None else shapely.MultiPolygon().wkb

    def _bbox_extent(self, conn: sqlite3.Connection
                     ) -> tuple[float, float, float, float] | None:
        row = conn.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                           "WHERE table_name = 'events'").fetchone()
        if row is None or None in row:  # a store written before the extent was kept
            row = conn.execute("SELECT min(lon), min(lat), max(lon), max(lat) FROM events "
                               "WHERE lon IS NOT NULL AND lat IS NOT NULL").fetchone()
        return None if row is None or None in row else tuple(map(float, row))  # type: ignore[return-value]

    def _attestations_sql(self, ids: list[str]) -> tuple[str, list[Any]]:
        cols = ", ".join(f'"{c}"' for c in ATTESTATION_FIELDS)
        return (f"SELECT event_id, {cols} FROM attestations WHERE event_id IN "
                f"({','.join('?' * len(ids))})", ids)

    def _articles_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in ARTICLE_FIELDS)
        return f"SELECT {cols} FROM articles ORDER BY id"


def _insert(conn: sqlite3.Connection, table: str, cols: dict[str, Any]) -> int:
    names = ", ".join(f'"{c}"' for c in cols)
    cur = conn.execute(f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(cols))})",
                       list(cols.values()))
    return int(cur.lastrowid or 0)


def _insert_many(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in rows[0])
        conn.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(rows[0]))})",
            [list(r.values()) for r in rows])
