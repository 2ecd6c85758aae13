"""The store contract that the API, the web map and the static maps program against.

Two backends implement it (an embedded GeoPackage file and PostGIS) and pass the same tests,
so callers pick one by URL and never branch on which they got.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

from geo.models import Article, Event

if TYPE_CHECKING:
    from geo.claims.ledger import LedgerEntry
    from geo.control.snapshot import Snapshot
    from geo.store.control import SnapshotInfo, SnapshotOutcome

IngestOutcome = Literal["new", "duplicate"]
CountBy = Literal["status", "type"]


@dataclass(frozen=True)
class EventQuery:
    """Filters shared by the OGC API, ``frontline export`` and the maps: all must hold.

    Empty tuples and None mean "no filter". Matching is exact, except that claimants and
    outlets ignore case and ``text`` asks for every word (case-insensitive, whole words) to
    occur in the quotes of the event's attestations. A bbox or date filter leaves out events
    that have no location or no date.
    """

    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    oblasts: tuple[str, ...] = ()  # ISO 3166-2, as in Event.admin1
    text: str | None = None
    geometry_kinds: tuple[str, ...] = ()  # point, admin1: how the event is located
    # A CQL2 filter in its JSON form, over ``geo.store.cql.QUERYABLES``.
    filter: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)
    # (queryable, descending) pairs, before the default order (date, then id).
    sortby: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None
    offset: int = 0


EVERYTHING = EventQuery()


@dataclass(frozen=True)
class Extent:
    bbox: tuple[float, float, float, float] | None  # of the located events, lon/lat
    first: date | None
    last: date | None


@dataclass(frozen=True)
class PlaceSummary:
    """One resolved place that some stored event happened at, for map markers and ledgers."""

    place_id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    admin1: str | None
    events: int
    attestations: int
    statuses: dict[str, int] = field(default_factory=dict, compare=False)
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class Cell:
    """Located events that fall in one cell of a grid, at the mean of their points."""

    lon: float
    lat: float
    count: int
    event_id: str | None  # the cell's one event, where it holds one


class Store(Protocol):
    """Events, their attestations and the articles behind them, queryable by place and time.

    ``ingest`` is one transaction: an article is stored with all its attestations or not at
    all. An article already stored (same content hash or same URL) is a ``"duplicate"`` and
    changes nothing; a new article's events fuse with stored ones (``geo.claims.fusion``) and the
    fused event's status is re-derived from all its attestations.
    """

    def ingest(self, article: Article, events: Sequence[Event]) -> IngestOutcome: ...

    def load_events(self, events: Iterable[Event], batch: int = 5000) -> int:
        """Write events fused elsewhere (a restore, a benchmark) as given, ``batch`` per
        transaction, replacing any stored event with the same id; returns how many."""
        ...

    def events(self, q: EventQuery = EVERYTHING) -> list[Event]:
        """Matching events ordered by date (undated last), then id; honours limit/offset."""
        ...

    def count(self, q: EventQuery = EVERYTHING, at_most: int | None = None) -> int:
        """How many events match, ignoring limit/offset. ``at_most``: stop counting there
        (the answer is then ``at_most`` whenever at least that many match), so that a
        filter no index serves costs a bounded read rather than a scan of every match."""
        ...

    def extent(self) -> Extent:
        """Where and when the stored events are: cheap (kept on write, or read from
        indexes), and never narrower than the data."""
        ...

    def event(self, event_id: str) -> Event | None: ...

    def places(self, q: EventQuery = EVERYTHING) -> list[PlaceSummary]:
        """Every resolved place of a matching event, ordered by place id."""
        ...

    def ledger(self, place_id: str) -> list[LedgerEntry]:
        """Every claim made about a place, as ``geo.claims.ledger.ledger`` lays it out."""
        ...

    def oblast_counts(self, q: EventQuery = EVERYTHING,
                      by: CountBy = "status") -> dict[str, dict[str, int]]:
        """ISO 3166-2 code -> {status (or type): number of matching events}."""
        ...

    def grid(self, q: EventQuery, cell_lon: float, cell_lat: float) -> list[Cell]:
        """Matching located events counted per cell of a grid of ``cell_lon`` by
        ``cell_lat`` degrees laid from (-180, -90): what a zoomed-out map tile draws,
        read without assembling a single event. Ordered by cell, west to east, then
        south to north."""
        ...

    def articles(self) -> list[Article]:
        """Every stored article, ordered by id."""
        ...

    def put_snapshot(self, snapshot: Snapshot) -> SnapshotOutcome:
        """Store a control snapshot in one transaction: ``"duplicate"`` (same content hash,
        nothing changes), ``"replaced"`` (a new export for the same date and source) or
        ``"new"``."""
        ...

    def snapshots(self) -> list[SnapshotInfo]:
        """Every control snapshot, oldest first, without its polygons."""
        ...

    def snapshot(self, snapshot_id: str) -> Snapshot | None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: Any) -> None: ...
