"""What both SQL backends do the same way: ingest with fusion, and every query.

A backend supplies its dialect, a connection pool, a write transaction that serialises
writers, and the few statements whose SQL differs (geometry, full text, date casts).
sqlite3 and psycopg connections share ``execute(sql, params)`` returning a cursor, which
is all that is used here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from geo.claims.fusion import chronological
from geo.claims.ledger import LedgerEntry, ledger
from geo.control.classes import Status
from geo.control.snapshot import Snapshot
from geo.control.theatre import area_km2
from geo.models import Article, Attestation, Event
from geo.store.areas import area_of, oblast_shape
from geo.store.base import (
    EVERYTHING,
    Cell,
    CountBy,
    EventQuery,
    Extent,
    IngestOutcome,
    PlaceSummary,
)
from geo.store.control import (
    SNAPSHOT_FIELDS,
    SnapshotInfo,
    SnapshotOutcome,
    info_from_row,
    snapshot_columns,
    snapshot_from,
)
from geo.store.errors import StoreError
from geo.store.filters import (
    Dialect,
    QueryError,
    grid_sql,
    oblast_sql,
    order,
    page,
    places_sql,
    summaries,
    where,
)
from geo.store.fusing import candidates_sql, fuse, ledger_sql
from geo.store.pool import Pool
from geo.store.records import (
    article_columns,
    article_from_row,
    attestation_from_row,
    batched,
    content_hash,
    event_from_json,
)


class SqlStore(ABC):
    dialect: Dialect
    _pool: Pool[Any]

    @abstractmethod
    def _write(self) -> AbstractContextManager[Any]:
        """A connection in a transaction that holds the store's one write lock."""

    @abstractmethod
    def _put(self, conn: Any, event: Event, stored: Sequence[Attestation] | None) -> None:
        """Write an event with its places and search text, and those of its attestations
        that are not ``stored`` for it; ``stored`` is None for an event not in the store."""

    @abstractmethod
    def _insert_article(self, conn: Any, cols: dict[str, Any]) -> None: ...

    @abstractmethod
    def _attestations_sql(self, ids: list[str]) -> tuple[str, list[Any]]:
        """``event_id`` then ``ATTESTATION_FIELDS`` of those events."""

    @abstractmethod
    def _articles_sql(self) -> str:
        """``ARTICLE_FIELDS`` of every article, by id."""

    @abstractmethod
    def _changed(self, conn: Any) -> None:
        """Called in each write transaction that changed something, before it commits."""

    @abstractmethod
    def _insert_oblast(self, conn: Any, iso: str, name: str, wkb: bytes) -> None:
        """One oblast's MultiPolygon into ``oblast_areas``."""

    def _put_area(self, conn: Any, iso: str) -> None:
        """The oblast polygon an oblast-level event's area is drawn with, once per oblast."""
        if conn.execute(f"SELECT 1 FROM oblast_areas WHERE iso = {self.dialect.mark}",
                        (iso,)).fetchone() is None:
            found = oblast_shape(iso)
            if found is not None:
                self._insert_oblast(conn, iso, *found)

    @abstractmethod
    def _insert_area(self, conn: Any, cols: dict[str, Any], wkb: bytes) -> None:
        """One class of a snapshot: ``cols`` of ``control_areas`` and the geometry."""

    @abstractmethod
    def _area_wkb(self, value: Any) -> bytes:
        """WKB from what ``_AREA_GEOM`` selects."""

    _AREA_GEOM = "geom"

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # writing

    def ingest(self, article: Article, events: Sequence[Event]) -> IngestOutcome:
        digest = content_hash(article)
        m = self.dialect.mark
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT id, hash, url FROM articles WHERE hash = {m} OR id = {m} OR url = {m}",
                (digest, article.id, article.url)).fetchall()
            if any(h == digest or (article.url and u == article.url) for _, h, u in rows):
                return "duplicate"
            if rows:
                raise StoreError(f"article {article.id}: another article with this id is "
                                 "already stored; give it another id")
            self._insert_article(conn, article_columns(article, digest))
            to_write, stored = fuse(
                events, lambda e: self._candidates(conn, e),
                lambda i: self._taken(conn, i), digest)
            for event in to_write:
                before = stored.get(event.id)
                self._put(conn, event, before.attestations if before else None)
                if (iso := area_of(event)) is not None:
                    self._put_area(conn, iso)
            self._changed(conn)
        return "new"

    def load_events(self, events: Iterable[Event], batch: int = 5000) -> int:
        n = 0
        for chunk in batched(events, batch):
            with self._write() as conn:
                for event in chunk:
                    stored = None
                    if self._taken(conn, event.id):
                        conn.execute(f"DELETE FROM attestations WHERE event_id = "
                                     f"{self.dialect.mark}", (event.id,))
                        stored = ()
                    self._put(conn, event, stored)
                    if (iso := area_of(event)) is not None:
                        self._put_area(conn, iso)
                self._changed(conn)
            n += len(chunk)
        self._loaded()
        return n

    def _loaded(self) -> None:
        """After a bulk load, the planner's statistics: the new rows may change which index
        serves a filter best."""
        with self._write() as conn:
            conn.execute("ANALYZE events")

    def _taken(self, conn: Any, event_id: str) -> bool:
        return conn.execute(f"SELECT 1 FROM events WHERE id = {self.dialect.mark}",
                            (event_id,)).fetchone() is not None

    def _candidates(self, conn: Any, event: Event) -> Iterator[Event]:
        """Stored events that may be ``event``, decoded a few at a time: a busy place
        can have thousands."""
        found = candidates_sql(event, self.dialect)
        if found is None:
            return
        ids = [r[0] for r in conn.execute(*found).fetchall()]
        m = self.dialect.mark
        for chunk in batched(ids, 8):
            rows = dict(conn.execute(f"SELECT id, data FROM events WHERE id IN "
                                     f"({', '.join([m] * len(chunk))})", chunk).fetchall())
            yield from self._assemble(conn, [(i, rows[i]) for i in chunk])

    def put_snapshot(self, snapshot: Snapshot) -> SnapshotOutcome:
        """Store a control snapshot with its areas in one transaction."""
        m = self.dialect.mark
        with self._write() as conn:
            if conn.execute(f"SELECT 1 FROM control_snapshots WHERE hash = {m}",
                            (snapshot.digest,)).fetchone():
                return "duplicate"
            outcome: SnapshotOutcome = "new"
            if conn.execute(f"SELECT 1 FROM control_snapshots WHERE id = {m}",
                            (snapshot.id,)).fetchone():
                conn.execute(f"DELETE FROM control_areas WHERE snapshot_id = {m}",
                             (snapshot.id,))
                conn.execute(f"DELETE FROM control_snapshots WHERE id = {m}", (snapshot.id,))
                outcome = "replaced"
            cols = snapshot_columns(snapshot)
            cols["as_of"] = self.dialect.day(snapshot.as_of)
            self._insert_snapshot(conn, cols)
            for status, geom in snapshot.areas.items():
                self._insert_area(conn, {"snapshot_id": snapshot.id, "as_of": cols["as_of"],
                                         "status": status, "km2": area_km2(geom)},
                                  geom.wkb)
            self._changed(conn)
        return outcome

    def _insert_snapshot(self, conn: Any, cols: dict[str, Any]) -> None:
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join([self.dialect.mark] * len(cols))
        conn.execute(f"INSERT INTO control_snapshots ({names}) VALUES ({marks})",
                     list(cols.values()))

    def snapshots(self) -> list[SnapshotInfo]:
        """Every stored control snapshot, oldest first, with km² by class."""
        cols = ", ".join(f's."{c}"' for c in SNAPSHOT_FIELDS)
        with self._pool.use() as conn:
            rows = conn.execute(f"SELECT {cols} FROM control_snapshots s "
                                "ORDER BY s.as_of, s.source").fetchall()
            km2: dict[str, dict[str, float]] = {}
            for sid, status, k in conn.execute(
                    "SELECT snapshot_id, status, km2 FROM control_areas").fetchall():
                km2.setdefault(sid, {})[status] = float(k)
        return [info_from_row(r, km2.get(r[0], {})) for r in rows]

    def snapshot(self, snapshot_id: str) -> Snapshot | None:
        """A stored snapshot with its polygons."""
        found = [i for i in self.snapshots() if i.id == snapshot_id]
        if not found:
            return None
        m = self.dialect.mark
        with self._pool.use() as conn:
            rows = conn.execute(f"SELECT status, {self._AREA_GEOM} FROM control_areas "
                                f"WHERE snapshot_id = {m}", (snapshot_id,)).fetchall()
        areas: dict[Status, bytes] = {r[0]: self._area_wkb(r[1]) for r in rows}
        return snapshot_from(found[0], areas)

    # reading

    def events(self, q: EventQuery = EVERYTHING) -> list[Event]:
        cond, params = where(q, self.dialect)
        lim, lim_params = page(q, self.dialect)
        with self._pool.use() as conn:
            rows = conn.execute(f"SELECT e.id, e.data FROM events e {cond} {order(q)} {lim}",
                                params + lim_params).fetchall()
            return self._assemble(conn, rows)

    def count(self, q: EventQuery = EVERYTHING, at_most: int | None = None) -> int:
        cond, params = where(q, self.dialect)
        sql = f"SELECT count(*) FROM events e {cond}"
        if at_most is not None:
            if at_most < 0:
                raise QueryError(f"at_most must not be negative, got {at_most}")
            sql = f"SELECT count(*) FROM (SELECT 1 FROM events e {cond} " \
                  f"LIMIT {self.dialect.mark}) AS m"
            params = [*params, at_most]
        with self._pool.use() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def extent(self) -> Extent:
        with self._pool.use() as conn:
            # min and max of an indexed column: two index probes, whatever the size
            first = conn.execute("SELECT min(date) FROM events").fetchone()[0]
            last = conn.execute("SELECT max(date) FROM events").fetchone()[0]
            bbox = self._bbox_extent(conn)
        return Extent(bbox, _as_day(first), _as_day(last))

    @abstractmethod
    def _bbox_extent(self, conn: Any) -> tuple[float, float, float, float] | None:
        """The bounds of the located events, without reading every row."""

    def event(self, event_id: str) -> Event | None:
        with self._pool.use() as conn:
            rows = conn.execute(f"SELECT id, data FROM events WHERE id = {self.dialect.mark}",
                                (event_id,)).fetchall()
            found = self._assemble(conn, rows)
        return found[0] if found else None

    def places(self, q: EventQuery = EVERYTHING) -> list[PlaceSummary]:
        sql, params = places_sql(q, self.dialect)
        with self._pool.use() as conn:
            return summaries(conn.execute(sql, params).fetchall())

    def ledger(self, place_id: str) -> list[LedgerEntry]:
        with self._pool.use() as conn:
            rows = conn.execute(*ledger_sql(place_id, self.dialect)).fetchall()
            return ledger(self._assemble(conn, rows), place_id)

    def oblast_counts(self, q: EventQuery = EVERYTHING,
                      by: CountBy = "status") -> dict[str, dict[str, int]]:
        sql, params = oblast_sql(q, self.dialect, by)
        out: dict[str, dict[str, int]] = {}
        with self._pool.use() as conn:
            for iso, key, n in conn.execute(sql, params).fetchall():
                out.setdefault(iso, {})[key] = int(n)
        return out

    def grid(self, q: EventQuery, cell_lon: float, cell_lat: float) -> list[Cell]:
        sql, params = grid_sql(q, self.dialect, cell_lon, cell_lat)
        with self._pool.use() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Cell(float(lon), float(lat), int(n), eid if n == 1 else None)
                for _, _, n, lon, lat, eid in rows]

    def articles(self) -> list[Article]:
        with self._pool.use() as conn:
            return [article_from_row(r) for r in conn.execute(self._articles_sql()).fetchall()]

    def _assemble(self, conn: Any, rows: Sequence[tuple[str, Any]]) -> list[Event]:
        """Events from their rows, with their attestations in stored order."""
        by_event: dict[str, list[Any]] = {}
        for chunk in batched((r[0] for r in rows), 500):
            for r in conn.execute(*self._attestations_sql(chunk)).fetchall():
                by_event.setdefault(r[0], []).append(attestation_from_row(r[1:]))
        return [event_from_json(data, chronological(by_event.get(eid, ())))
                for eid, data in rows]


def _as_day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value
