"""The tables of a Frontline GeoPackage, laid out so that QGIS and GDAL open it as is.

``events`` is a point feature table with the standard R-tree index (kept up by the
standard triggers); articles, attestations and the place index are attribute tables; the
full text of quotes is an FTS5 table beside them. The helper indexes are named so that GDAL
and QGIS never list them as layers (GDAL skips ``rtree_*`` and ``gpkg_*`` tables, even when
asked for every table as QGIS asks): the place-and-time R-tree is ``rtree_events_xyt``, the
full-text index ``gpkg_frontline_fts``, registered as an extension.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from geo.store.records import add_source_columns, fold

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3
SCHEMA_VERSION = "5"

_CORE = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE IF NOT EXISTS frontline_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_WGS84 = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

_SRS = [
    ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84, "longitude/latitude on WGS 84"),
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
]

_TABLES = """
CREATE TABLE articles (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE,
  url TEXT UNIQUE, outlet TEXT, title TEXT, published DATE, language TEXT, text TEXT NOT NULL,
  ingested_at TEXT NOT NULL);
CREATE TABLE events (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL, sub_event_type TEXT, actor TEXT NOT NULL, status TEXT NOT NULL,
  date DATE, date_precision TEXT, lat DOUBLE, lon DOUBLE, admin1 TEXT, precision INTEGER,
  geometry_kind TEXT, summary TEXT, place_names TEXT, claimants TEXT, outlets TEXT,
  n_attestations INTEGER NOT NULL, first_said DATE, last_said DATE, basis_quote TEXT,
  sources TEXT, data TEXT NOT NULL);
CREATE INDEX events_date ON events (date, id);
CREATE INDEX events_admin1 ON events (admin1);
CREATE TABLE attestations (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
  article_id TEXT NOT NULL, stance TEXT NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL,
  "end" INTEGER NOT NULL, claimant TEXT, claimant_side TEXT, outlet TEXT, url TEXT,
  published DATE, said_on DATE, claimant_key TEXT, outlet_key TEXT,
  UNIQUE (event_id, ordinal));
CREATE INDEX attestations_article ON attestations (article_id);
CREATE INDEX attestations_claimant_key ON attestations (claimant_key, event_id);
CREATE INDEX attestations_outlet_key ON attestations (outlet_key, event_id);
CREATE TABLE event_places (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, role TEXT NOT NULL,
  place_id TEXT NOT NULL, place_key TEXT NOT NULL, name TEXT NOT NULL, lat DOUBLE, lon DOUBLE,
  kind TEXT, country TEXT, admin1 TEXT, type TEXT NOT NULL, actor TEXT NOT NULL,
  date_from DATE, date_to DATE, UNIQUE (event_id, role, place_id));
CREATE INDEX event_places_place ON event_places (place_id, role);
CREATE INDEX event_places_fusion ON event_places (place_key, role, type, actor, date_from);
CREATE VIRTUAL TABLE gpkg_frontline_fts USING fts5(quotes, tokenize='unicode61');
CREATE VIRTUAL TABLE rtree_events_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE VIRTUAL TABLE rtree_events_xyt USING rtree(id, minx, maxx, miny, maxy, mint, maxt);
"""

# Filters on type, status and the start of the place names (``LIKE 'Pokr%'``), with the
# date: a page of them comes from the index in order and their count from the index alone.
# The grid of a map tile and the counts per oblast are read from an index alone too: the
# rows themselves, with every source, are wide. Created when missing, so stores made
# before them gain them on open.
FILTER_INDEXES = {
    "events_lonlat": "CREATE INDEX IF NOT EXISTS events_lonlat ON events (lon, lat, id)",
    "events_admin1_status": "CREATE INDEX IF NOT EXISTS events_admin1_status "
                            "ON events (admin1, status)",
    "events_admin1_type": "CREATE INDEX IF NOT EXISTS events_admin1_type "
                          "ON events (admin1, type)",
    "events_type": "CREATE INDEX IF NOT EXISTS events_type ON events (type, date, id)",
    "events_status": "CREATE INDEX IF NOT EXISTS events_status ON events (status, date, id)",
    # pages in the default order (undated events last), for filters that match many events
    "events_order": "CREATE INDEX IF NOT EXISTS events_order ON events (date IS NULL, date, id)",
    # a name prefix with the attributes filtered beside it: counted from the index alone
    "events_place": "CREATE INDEX IF NOT EXISTS events_place "
                    "ON events (place_names, type, status, actor, date, id)",
}

# Place and time in one index: a box over a month is then one R-tree search, where the
# standard 2-D index alone would fetch every event in the box since the war began. Kept by
# triggers too, so edits made in QGIS (whose GDAL has the ST_ functions) keep it right.
_XYT_TRIGGERS = """
CREATE TRIGGER events_xyt_insert AFTER INSERT ON events
WHEN NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom) AND NEW.date NOT NULL
BEGIN
  INSERT OR REPLACE INTO rtree_events_xyt VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom), julianday(NEW.date), julianday(NEW.date));
END;
CREATE TRIGGER events_xyt_update AFTER UPDATE OF fid, geom, date ON events
BEGIN
  DELETE FROM rtree_events_xyt WHERE id = OLD.fid;
  INSERT INTO rtree_events_xyt SELECT NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom), julianday(NEW.date), julianday(NEW.date)
  WHERE NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom) AND NEW.date NOT NULL;
END;
CREATE TRIGGER events_xyt_delete AFTER DELETE ON events
BEGIN
  DELETE FROM rtree_events_xyt WHERE id = OLD.fid;
END;
"""

_RTREE_TRIGGERS = """
CREATE TRIGGER rtree_events_geom_insert AFTER INSERT ON events
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update1 AFTER UPDATE OF geom ON events
WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update2 AFTER UPDATE OF geom ON events
WHEN OLD.fid = NEW.fid AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END;
CREATE TRIGGER rtree_events_geom_update3 AFTER UPDATE ON events
WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update4 AFTER UPDATE ON events
WHEN OLD.fid != NEW.fid AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER rtree_events_geom_delete AFTER DELETE ON events
WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END;
"""

_CONTENTS = [
    ("events", "features", "events", "Events with every source that tells them", 4326),
    ("articles", "attributes", "articles", "Ingested news articles", None),
    ("attestations", "attributes", "attestations", "Who said what about each event", None),
    ("event_places", "attributes", "event_places", "The places of each event", None),
]


FTS_EXTENSION = ("INSERT OR IGNORE INTO gpkg_extensions VALUES ('gpkg_frontline_fts', NULL, "
                 "'frontline_full_text', 'SQLite FTS5 index of the quotes of each event, by "
                 "events.fid; kept by Frontline', 'read-write')")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def is_initialised(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='frontline_meta'").fetchone()
    return row is not None and conn.execute(
        "SELECT 1 FROM frontline_meta WHERE key='schema'").fetchone() is not None


def create(conn: sqlite3.Connection) -> None:
    """Lay out an empty store; the caller holds the write lock and commits."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for sql in statements(_CORE + _TABLES + _RTREE_TRIGGERS + _XYT_TRIGGERS):
        conn.execute(sql)
    conn.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", _SRS)
    stamp = now()
    conn.executemany(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, srs_id) VALUES (?,?,?,?,?,?)",
        [(t, k, i, d, stamp, s) for t, k, i, d, s in _CONTENTS])
    conn.execute("INSERT INTO gpkg_geometry_columns VALUES ('events','geom','POINT',4326,0,0)")
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES ('events','geom','gpkg_rtree_index',"
        "'http://www.geopackage.org/spec120/#extension_rtree','write-only')")
    conn.execute(FTS_EXTENSION)
    conn.execute("INSERT INTO frontline_meta VALUES ('schema', ?)", (SCHEMA_VERSION,))


def has_control(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                        "AND name='control_areas'").fetchone() is not None


def add_control(conn: sqlite3.Connection, tables: str) -> None:
    """Add the control tables to a store made before them; the caller holds the lock.

    Additive, so a store keeps its schema version and older readers still open it.
    """
    _add_layers(conn, tables, [
        ("control_areas", "features",
         "Ground by class of control, one row per class and snapshot"),
        ("control_snapshots", "attributes",
         "Dated snapshots of territorial control with their source and licence")],
        polygons=["control_areas"])


# The reports each event is fused from, which fusing a new report compares it with.
PARTS = "gpkg_frontline_parts"


def has_parts(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                        (PARTS,)).fetchone() is not None


def add_parts(conn: sqlite3.Connection) -> None:
    """Add the table of reports (additive: events stored before it count as one report
    each); named and registered like the full-text index, so GIS clients never list it."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PARTS} (event_id TEXT NOT NULL, "
                 "fingerprint TEXT NOT NULL, data TEXT NOT NULL)")
    conn.execute(f"CREATE INDEX IF NOT EXISTS {PARTS}_event ON {PARTS} (event_id)")
    conn.execute(f"INSERT OR IGNORE INTO gpkg_extensions VALUES ('{PARTS}', NULL, "
                 "'frontline_reports', 'The single-article events each event is fused from, "
                 "by events.id; kept by Frontline', 'read-write')")


def has_areas(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='view' "
                        "AND name='event_areas'").fetchone() is not None


def add_areas(conn: sqlite3.Connection, tables: str) -> None:
    """Add the oblast polygons and the event-areas view (additive, like the control
    tables); the caller holds the lock and fills ``oblast_areas``."""
    _add_layers(conn, tables, [
        ("event_areas", "features",
         "Events known only to their oblast, with the oblast's polygon"),
        ("oblast_areas", "features",
         "The polygon of each oblast that an event is known only to")],
        polygons=["event_areas", "oblast_areas"])


def _add_layers(conn: sqlite3.Connection, tables: str, contents: list[tuple[str, str, str]],
                polygons: list[str]) -> None:
    """Create ``tables`` and register them where GDAL and QGIS look: ``gpkg_contents`` (a
    features table in WGS 84 or an attributes table) and, for ``polygons``, a MultiPolygon
    ``geom`` column."""
    for sql in statements(tables):
        conn.execute(sql)
    stamp = now()
    conn.executemany(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, srs_id) VALUES (?,?,?,?,?,?)",
        [(name, kind, name, text, stamp, 4326 if kind == "features" else None)
         for name, kind, text in contents])
    conn.executemany("INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?,'geom',"
                     "'MULTIPOLYGON',4326,0,0)", [(name,) for name in polygons])


def migrate(conn: sqlite3.Connection, version: str) -> bool:
    """Bring a store of an earlier schema up to this one; False if it cannot be.
    The caller holds the write lock and commits."""
    if version not in ("3", "4"):
        return False
    if version == "3":
        _fold_names(conn)
    _hide_helpers(conn)
    add_source_columns(conn, "ALTER TABLE events ADD COLUMN {} {}",
                       {r[1] for r in conn.execute("PRAGMA table_info(events)")})
    conn.execute("UPDATE frontline_meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
    return True


def _hide_helpers(conn: sqlite3.Connection) -> None:
    """Schema 4 named its indexes ``events_xyt`` and ``events_fts``, which QGIS lists as
    layers (and warns about); the triggers follow the rename."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "events_xyt" in names:
        conn.execute("ALTER TABLE events_xyt RENAME TO rtree_events_xyt")
    if "events_fts" in names:
        conn.execute("ALTER TABLE events_fts RENAME TO gpkg_frontline_fts")
    conn.execute(FTS_EXTENSION)


def _fold_names(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE attestations ADD COLUMN claimant_key TEXT")
    conn.execute("ALTER TABLE attestations ADD COLUMN outlet_key TEXT")
    rows = conn.execute("SELECT fid, claimant, outlet FROM attestations").fetchall()
    conn.executemany("UPDATE attestations SET claimant_key = ?, outlet_key = ? WHERE fid = ?",
                     [(fold(c) if c else None, fold(o) if o else None, fid)
                      for fid, c, o in rows])
    conn.execute("DROP INDEX IF EXISTS attestations_claimant")
    conn.execute("DROP INDEX IF EXISTS attestations_outlet")
    conn.execute("CREATE INDEX attestations_claimant_key ON attestations "
                 "(claimant_key, event_id)")
    conn.execute("CREATE INDEX attestations_outlet_key ON attestations (outlet_key, event_id)")


def statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit the caller's transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out
