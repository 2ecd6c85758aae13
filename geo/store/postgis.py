"""The shared store: PostgreSQL with PostGIS, for teams and for distributed ingest.

Same tables and meaning as the GeoPackage store. Writers take one transaction-scoped
advisory lock per ingest, so that fusing with stored events sees every earlier article
whichever machine wrote it; readers never wait.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from geo.claims.location import ADMIN1
from geo.models import Attestation, Event
from geo.store.areas import POSTGIS_AREAS
from geo.store.control import POSTGIS_TABLES
from geo.store.errors import StoreError
from geo.store.filters import Dialect
from geo.store.pool import Pool
from geo.store.records import (
    ARTICLE_FIELDS,
    ATTESTATION_FIELDS,
    EVENT_COLUMNS,
    PlaceRow,
    add_source_columns,
    attestation_rows,
    event_columns,
    fold,
    place_row_columns,
    place_rows,
    quote_text,
)
from geo.store.sql import SqlStore

SCHEMA_VERSION = "4"
_LOCK_KEY = 0x46524F4E  # "FRON": the one lock that orders writers
_DATE_FIELDS = {"published", "said_on"}

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE frontline_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE articles (
  fid bigserial PRIMARY KEY, id text COLLATE "C" NOT NULL UNIQUE, hash text NOT NULL UNIQUE,
  url text UNIQUE, outlet text, title text, published date, language text, text text NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE events (
  fid bigserial PRIMARY KEY, geom geometry(Point, 4326), id text COLLATE "C" NOT NULL UNIQUE,
  type text NOT NULL, sub_event_type text, actor text NOT NULL, status text NOT NULL,
  date date, date_precision text, lat double precision, lon double precision, admin1 text,
  precision integer, geometry_kind text, summary text, place_names text, claimants text,
  outlets text, n_attestations integer NOT NULL, first_said date, last_said date,
  basis_quote text, sources text, data jsonb NOT NULL, quotes tsvector);
CREATE INDEX events_geom ON events USING gist (geom);
CREATE INDEX events_date ON events (date, id);
CREATE INDEX events_admin1 ON events (admin1);
CREATE INDEX events_quotes ON events USING gin (quotes);
CREATE TABLE attestations (
  fid bigserial PRIMARY KEY, event_id text COLLATE "C" NOT NULL, ordinal integer NOT NULL,
  article_id text NOT NULL, stance text NOT NULL, quote text NOT NULL, start integer NOT NULL,
  "end" integer NOT NULL, claimant text, claimant_side text, outlet text, url text,
  published date, said_on date, claimant_key text, outlet_key text,
  UNIQUE (event_id, ordinal));
CREATE INDEX attestations_article ON attestations (article_id);
CREATE INDEX attestations_claimant_key ON attestations (claimant_key, event_id);
CREATE INDEX attestations_outlet_key ON attestations (outlet_key, event_id);
CREATE TABLE event_places (
  fid bigserial PRIMARY KEY, event_id text COLLATE "C" NOT NULL, role text NOT NULL,
  place_id text COLLATE "C" NOT NULL, place_key text NOT NULL, name text NOT NULL,
  lat double precision, lon double precision, kind text, country text, admin1 text,
  type text NOT NULL, actor text NOT NULL, date_from date, date_to date,
  UNIQUE (event_id, role, place_id));
CREATE INDEX event_places_place ON event_places (place_id, role);
CREATE INDEX event_places_fusion ON event_places (place_key, role, type, actor, date_from)
"""

# The reports each event is fused from (additive: events stored before it are one each).
_PARTS = """
CREATE TABLE event_parts (
  fid bigserial PRIMARY KEY, event_id text COLLATE "C" NOT NULL, fingerprint text NOT NULL,
  data text NOT NULL);
CREATE INDEX event_parts_event ON event_parts (event_id)
"""


def _bbox(b: tuple[float, float, float, float]) -> tuple[str, list[Any]]:
    # The index compares single-precision boxes: it narrows, lon/lat decide.
    return ("e.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
            "AND e.lon BETWEEN %s AND %s AND e.lat BETWEEN %s AND %s",
            [b[0], b[1], b[2], b[3], b[0], b[2], b[1], b[3]])


# As the GeoPackage's (``gpkg_schema.FILTER_INDEXES``); text_pattern_ops serves LIKE 'x%'.
FILTER_INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_lonlat ON events (lon, lat, id)",
    "CREATE INDEX IF NOT EXISTS events_admin1_status ON events (admin1, status)",
    "CREATE INDEX IF NOT EXISTS events_admin1_type ON events (admin1, type)",
    "CREATE INDEX IF NOT EXISTS events_type ON events (type, date, id)",
    "CREATE INDEX IF NOT EXISTS events_status ON events (status, date, id)",
    "CREATE INDEX IF NOT EXISTS events_place_names ON events (place_names text_pattern_ops)",
)


def _text(terms: list[str]) -> tuple[str, list[Any]]:
    return "e.quotes @@ plainto_tsquery('simple', %s)", [" ".join(terms)]


def _intersects(geom: Any) -> tuple[str, list[Any]]:
    return "ST_Intersects(e.geom, ST_GeomFromWKB(%s, 4326))", [geom.wkb]


POSTGRES = Dialect(mark="%s", bbox=_bbox, text=_text, day=lambda d: d, no_limit="ALL",
                   intersects=_intersects)


def _select(fields: Sequence[str]) -> str:
    return ", ".join(f'"{c}"::text' if c in _DATE_FIELDS else f'"{c}"' for c in fields)


class PostgisStore(SqlStore):
    """A Frontline store in a PostgreSQL database; the schema is created on first use."""

    dialect = POSTGRES

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError("PostGIS stores need psycopg: pip install 'frontline[postgis]'"
                             ) from exc
        self._psycopg = psycopg
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._pool = Pool(self._connect, lambda c: c.close(), errors=(psycopg.Error,),
                          where=self._safe_url())
        with self._pool.use() as conn:
            self._initialise(conn)

    def __repr__(self) -> str:
        return f"PostgisStore({self._safe_url()!r})"

    def _safe_url(self) -> str:
        head, _, tail = self.url.rpartition("@")
        return f"{head.split('://')[0]}://…@{tail}" if head else self.url

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True)
        except self._psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self._safe_url()}: "
                             f"{str(exc).strip().splitlines()[-1]}") from exc

    def _initialise(self, conn: Any) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            exists = conn.execute("SELECT to_regclass('frontline_meta')").fetchone()[0]
            if exists is None:
                try:
                    for sql in _SCHEMA.split(";\n"):
                        conn.execute(sql)
                except self._psycopg.Error as exc:
                    raise StoreError(f"cannot create the Frontline tables in "
                                     f"{self._safe_url()}: {str(exc).strip()}") from exc
                conn.execute("INSERT INTO frontline_meta VALUES ('schema', %s)",
                             (SCHEMA_VERSION,))
            for sql in FILTER_INDEXES:
                conn.execute(sql)
            if conn.execute("SELECT to_regclass('control_areas')").fetchone()[0] is None:
                for sql in POSTGIS_TABLES.split(";\n"):
                    conn.execute(sql)
            if conn.execute("SELECT to_regclass('event_parts')").fetchone()[0] is None:
                for sql in _PARTS.split(";\n"):
                    conn.execute(sql)
            if conn.execute("SELECT to_regclass('oblast_areas')").fetchone()[0] is None:
                for sql in POSTGIS_AREAS.split(";\n"):
                    conn.execute(sql)
                for (iso,) in conn.execute(
                        "SELECT DISTINCT admin1 FROM events WHERE geometry_kind = %s "
                        "AND admin1 IS NOT NULL", (ADMIN1,)).fetchall():
                    self._put_area(conn, iso)
            row = conn.execute(
                "SELECT value FROM frontline_meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] == "2":
                _migrate_from_2(conn)
                row = ("3",)
            if row is not None and row[0] == "3":
                add_source_columns(conn, "ALTER TABLE events ADD COLUMN IF NOT EXISTS {} {}",
                                   set(), mark="%s")
                conn.execute("UPDATE frontline_meta SET value = %s WHERE key = 'schema'",
                             (SCHEMA_VERSION,))
                row = (SCHEMA_VERSION,)
        if row is None or row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self._safe_url()}: store schema {row and row[0]}, this "
                             f"Frontline reads {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self._pool.use() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            yield conn

    def _insert_article(self, conn: Any, cols: dict[str, Any]) -> None:
        _insert_many(conn, "articles", [cols])

    def _changed(self, conn: Any) -> None:
        return None  # the database keeps its own modification times

    def _put(self, conn: Any, event: Event, stored: Sequence[Attestation] | None,
             places: list[PlaceRow] | None = None) -> None:
        cols = event_columns(event)
        geom = ("ST_SetSRID(ST_MakePoint(%s, %s), 4326)", [event.lon, event.lat]) \
            if event.mapped else ("NULL", [])
        quotes = quote_text(event)
        if stored is not None:
            sets = ", ".join(f'"{c}" = %s' for c in EVENT_COLUMNS)
            conn.execute(
                f"UPDATE events SET geom = {geom[0]}, {sets}, "
                "quotes = to_tsvector('simple', %s) WHERE id = %s",
                [*geom[1], *cols.values(), quotes, event.id])
            conn.execute("DELETE FROM event_places WHERE event_id = %s", (event.id,))
        else:
            names = ", ".join(f'"{c}"' for c in EVENT_COLUMNS)
            marks = ", ".join(["%s"] * len(EVENT_COLUMNS))
            conn.execute(
                f"INSERT INTO events (geom, {names}, quotes) VALUES ({geom[0]}, {marks}, "
                "to_tsvector('simple', %s))", [*geom[1], *cols.values(), quotes])
        _insert_many(conn, "attestations", attestation_rows(event, stored or ()))
        _insert_many(conn, "event_places", [place_row_columns(p) for p in
                                            (place_rows(event) if places is None else places)])

    def _delete_row(self, conn: Any, event_id: str) -> None:
        conn.execute("DELETE FROM events WHERE id = %s", (event_id,))

    _AREA_GEOM = "ST_AsBinary(geom)"

    def _insert_oblast(self, conn: Any, iso: str, name: str, wkb: bytes) -> None:
        conn.execute("INSERT INTO oblast_areas (geom, iso, name) VALUES "
                     "(ST_Multi(ST_GeomFromWKB(%s, 4326)), %s, %s) ON CONFLICT (iso) DO NOTHING",
                     [wkb, iso, name])

    def _insert_area(self, conn: Any, cols: dict[str, Any], wkb: bytes) -> None:
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join(["%s"] * len(cols))
        conn.execute(f"INSERT INTO control_areas (geom, {names}) VALUES "
                     f"(ST_Multi(ST_GeomFromWKB(%s, 4326)), {marks})",
                     [wkb, *cols.values()])

    def _area_wkb(self, value: Any) -> bytes:
        return bytes(value)

    def _bbox_extent(self, conn: Any) -> tuple[float, float, float, float] | None:
        # a scan: PostgreSQL keeps no exact bounds, and its estimate can be narrower
        row = conn.execute("SELECT min(lon), min(lat), max(lon), max(lat) FROM events "
                           "WHERE lon IS NOT NULL").fetchone()
        return None if row is None or None in row else tuple(map(float, row))  # type: ignore[return-value]

    def _attestations_sql(self, ids: list[str]) -> tuple[str, list[Any]]:
        return (f"SELECT event_id, {_select(ATTESTATION_FIELDS)} FROM attestations "
                "WHERE event_id = ANY(%s)", [ids])

    def _articles_sql(self) -> str:
        return f"SELECT {_select(ARTICLE_FIELDS)} FROM articles ORDER BY id"


def _migrate_from_2(conn: Any) -> None:
    """Schema 2 had no folded names: add and fill them (under the writers' lock)."""
    conn.execute("ALTER TABLE attestations ADD COLUMN claimant_key text, "
                 "ADD COLUMN outlet_key text")
    rows = conn.execute("SELECT fid, claimant, outlet FROM attestations").fetchall()
    with conn.cursor() as cur:
        cur.executemany("UPDATE attestations SET claimant_key = %s, outlet_key = %s "
                        "WHERE fid = %s", [(fold(c) if c else None, fold(o) if o else None,
                                            fid) for fid, c, o in rows])
    conn.execute("DROP INDEX IF EXISTS attestations_claimant")
    conn.execute("DROP INDEX IF EXISTS attestations_outlet")
    conn.execute("CREATE INDEX attestations_claimant_key ON attestations "
                 "(claimant_key, event_id)")
    conn.execute("CREATE INDEX attestations_outlet_key ON attestations (outlet_key, event_id)")
    conn.execute("UPDATE frontline_meta SET value = '3' WHERE key = 'schema'")


def _insert_many(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in rows[0])
    marks = ", ".join(["%s"] * len(rows[0]))
    with conn.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                        [list(r.values()) for r in rows])
