"""What both SQL backends do the same way: ingest with fusion, and every query.

A backend supplies its dialect, a connection pool, a write transaction that serialises
writers, and the few statements whose SQL differs (geometry, full text, date casts).
sqlite3 and psycopg connections share ``execute(sql, params)`` returning a cursor, which
is all that is used here.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, closing
from datetime import date
from typing import Any

from geo.claims.fusion import chronological, source_key
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
from geo.store.fusing import Stored, candidates_sql, ledger_sql, plan, reported_span
from geo.store.pool import Pool
from geo.store.records import (
    PlaceRow,
    article_columns,
    article_from_row,
    attestation_from_row,
    batched,
    content_hash,
    event_from_json,
    place_rows,
)

# Reports decoded, by fingerprint, for every store of the process: an event told again and
# again is checked against each new report, and a fingerprint is a hash of the whole
# report, so what it names never changes.
REPORTS_KEPT = 50_000
_REPORTS: dict[str, Event] = {}


def _report(fingerprint: str, data: str) -> Event:
    found = _REPORTS.get(fingerprint)
    if found is None:
        if len(_REPORTS) >= REPORTS_KEPT:
            _REPORTS.clear()
        found = _REPORTS[fingerprint] = Event.from_dict(json.loads(data))
    return found


class SqlStore(ABC):
    dialect: Dialect
    _pool: Pool[Any]

    @abstractmethod
    def _write(self) -> AbstractContextManager[Any]:
        """A connection in a transaction that holds the store's one write lock."""

    @abstractmethod
    def _put(self, conn: Any, event: Event, stored: Sequence[Attestation] | None,
             places: list[PlaceRow] | None = None) -> None:
        """Write an event with its places (``places``, or its own) and search text, and
        those of its attestations that are not ``stored`` for it; ``stored`` is None for
        an event not in the store."""

    @abstractmethod
    def _delete_row(self, conn: Any, event_id: str) -> None:
        """Delete an event's row and its search text."""

    _PARTS = "event_parts"

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
            same = {i for i, h, u in rows if h == digest or (article.url and u == article.url)}
            if same and (article.id in same or min(same) < article.id):
                return "duplicate"
            if {i for i, _, _ in rows} - same:
                raise StoreError(f"article {article.id}: another article with this id is "
                                 "already stored; give it another id")
            # Of copies of one article, the store keeps the one with the smallest id,
            # whichever came first: a copy that sorts before the stored one replaces it.
            holding = self._holding(conn, same)
            for old in same:
                conn.execute(f"DELETE FROM articles WHERE id = {m}", (old,))
            self._insert_article(conn, article_columns(article, digest))
            change = plan(events, lambda e: self._neighbours(conn, e),
                          lambda i: self._stored(conn, i), lambda i: self._holders(conn, i),
                          (same, holding))
            for event_id in change.delete:
                self._delete(conn, event_id)
            for event, parts, before in change.write:
                self._rewrite(conn, event, parts, before, change.key)
            self._changed(conn)
        return "new"

    def _rewrite(self, conn: Any, event: Event, parts: Sequence[Event],
                 before: Stored | None, key: Callable[[Event], str]) -> None:
        """Write a fused event over its stored version: only the new attestations when it
        kept all it had, all of them when it lost some to another event."""
        stored: Sequence[Attestation] | None = None
        if before is not None:
            stored = before.event.attestations
            if not {source_key(a) for a in stored} <= {source_key(a) for a in
                                                         event.attestations}:
                conn.execute(f"DELETE FROM attestations WHERE event_id = {self.dialect.mark}",
                             (event.id,))
                stored = ()
        self._put(conn, event, stored, place_rows(event, reported_span(parts)))
        m = self.dialect.mark
        keys = {key(p): p for p in parts}
        kept = set(before.keys) if before is not None else set()
        if not kept <= keys.keys():
            conn.execute(f"DELETE FROM {self._PARTS} WHERE event_id = {m}", (event.id,))
            kept = set()
        # a report is the same wherever its fingerprint is: only new ones are written
        with closing(conn.cursor()) as cur:
            cur.executemany(
                f"INSERT INTO {self._PARTS} (event_id, fingerprint, data) "
                f"VALUES ({m}, {m}, {m})",
                [(event.id, k, json.dumps(p.to_dict(), ensure_ascii=False,
                                          separators=(",", ":")))
                 for k, p in keys.items() if k not in kept])
        if (iso := area_of(event)) is not None:
            self._put_area(conn, iso)

    def _delete(self, conn: Any, event_id: str) -> None:
        m = self.dialect.mark
        self._delete_row(conn, event_id)
        for table in ("attestations", "event_places", self._PARTS):
            conn.execute(f"DELETE FROM {table} WHERE event_id = {m}", (event_id,))

    def _stored(self, conn: Any, event_id: str) -> Stored:
        m = self.dialect.mark

        def event() -> Event:
            rows = conn.execute(f"SELECT id, data FROM events WHERE id = {m}",
                                (event_id,)).fetchall()
            [found] = self._assemble(conn, rows)
            return found

        rows = conn.execute(f"SELECT fingerprint, data FROM {self._PARTS} WHERE event_id = "
                            f"{m} ORDER BY fingerprint", (event_id,)).fetchall()
        if not rows:
            whole = event()
            return Stored(whole, (whole,))
        return Stored(event, tuple(_report(k, d) for k, d in rows), tuple(k for k, _ in rows))

    def _holding(self, conn: Any, articles: set[str]) -> list[str]:
        """Ids of the stored events with a report from one of ``articles``."""
        if not articles:
            return []
        marks = ", ".join([self.dialect.mark] * len(articles))
        return [r[0] for r in conn.execute(
            f"SELECT DISTINCT event_id FROM attestations WHERE article_id IN ({marks}) "
            "ORDER BY event_id", sorted(articles)).fetchall()]

    def _holders(self, conn: Any, base: str) -> list[str]:
        m = self.dialect.mark
        return [r[0] for r in conn.execute(
            f"SELECT id FROM events WHERE id = {m} OR (id > {m} AND id < {m})",
            (base, base + "-", base + ".")).fetchall()]

    def load_events(self, events: Iterable[Event], batch: int = 5000) -> int:
        n = 0
        for chunk in batched(events, batch):
            with self._write() as conn:
                for event in chunk:
                    stored = None
                    if self._taken(conn, event.id):
                        for table in ("attestations", self._PARTS):
                            conn.execute(f"DELETE FROM {table} WHERE event_id = "
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

    def _neighbours(self, conn: Any, event: Event) -> list[str]:
        """Ids of stored events that may hold a report that is ``event``."""
        found = candidates_sql(event, self.dialect)
        return [] if found is None else [r[0] for r in conn.execute(*found).fetchall()]

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
