"""The control collections (areas, lines of contact, changed ground) and the line's verdict
on each event.

``datetime`` picks the snapshot in force (the latest dated on or before the instant, or the
interval's end; none given: the latest). Changes compare the snapshots in force at the two
ends of an interval, or the one in force and the one before it. Lines, changes and the
projected fronts that judge events are computed once per set of stored snapshots and kept:
snapshots change rarely, requests come often.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from api.problems import NotFound
from geo.control.change import changes
from geo.control.claims import JUDGED_TYPES, Assessor
from geo.control.features import area_features, change_features, line_feature
from geo.control.line import line_of_contact
from geo.control.places import Report, from_reports, from_snapshots
from geo.control.snapshot import Snapshot
from geo.models import Event
from geo.store.base import EventQuery, Store
from geo.store.control import SnapshotInfo, in_force
from maps.control import MAX_ON_MAP, ControlView, control_series, control_view

AREAS, LINES, CHANGES = "control-areas", "control-lines", "control-changes"
KEEP = 16
T = TypeVar("T")
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def _kept(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[no-any-return]
    value = make()
    with _lock:
        _cache[key] = value
        while len(_cache) > KEEP:
            _cache.popitem(last=False)
    return value


def _snapshot(store: Store, info: SnapshotInfo) -> Snapshot:
    def load() -> Snapshot:
        s = store.snapshot(info.id)
        if s is None:
            raise NotFound(f"control snapshot {info.id} is gone")
        return s

    return _kept(("snapshot", info.hash), load)


def _picked(infos: Sequence[SnapshotInfo], q: EventQuery) -> SnapshotInfo | None:
    day = q.end or q.start
    if day is None:
        return infos[-1] if infos else None
    return in_force(infos, day)


def _pair(infos: Sequence[SnapshotInfo],
          q: EventQuery) -> tuple[SnapshotInfo, SnapshotInfo] | None:
    if q.start is not None and q.end is not None and q.start != q.end:
        a, b = in_force(infos, q.start), in_force(infos, q.end)
        return (a, b) if a is not None and b is not None and a.id != b.id else None
    b = _picked(infos, q)
    if b is None:
        return None
    earlier = [i for i in infos if (i.as_of, i.source) < (b.as_of, b.source)]
    return (earlier[-1], b) if earlier else None


def features(store: Store, cid: str, q: EventQuery) -> list[dict[str, Any]]:
    """Every feature of a control collection for the query's date (bbox filters too)."""
    infos = store.snapshots()
    if cid == CHANGES:
        pair = _pair(infos, q)
        if pair is None:
            return []
        a, b = (_snapshot(store, i) for i in pair)
        found = _kept(("changes", a.digest, b.digest), lambda: changes(a, b))
        out = change_features(a, b, found)
    else:
        info = _picked(infos, q)
        if info is None:
            return []
        s = _snapshot(store, info)
        if cid == AREAS:
            out = area_features(s)
        else:
            line = _kept(("line", s.digest), lambda: line_of_contact(s))
            out = [line_feature(s, line)]
    return [f for f in out if _in_bbox(f, q.bbox)]


def _in_bbox(feature: dict[str, Any], bbox: tuple[float, float, float, float] | None) -> bool:
    if bbox is None or feature["geometry"] is None:
        return bbox is None
    import shapely
    from shapely.geometry import shape

    return bool(shape(feature["geometry"]).intersects(shapely.box(*bbox)))


def assessor(store: Store) -> Assessor | None:
    """The judge of events against every stored snapshot; None when there is none."""
    infos = store.snapshots()
    if not infos:
        return None
    key = ("assessor", *(i.hash for i in infos))
    return _kept(key, lambda: Assessor([_snapshot(store, i) for i in infos]))


def verdicts(store: Store, events: Sequence[Event]) -> dict[str, dict[str, Any]]:
    """Event id -> the line's verdict properties, for events it can judge."""
    judge = assessor(store)
    if judge is None:
        return {}
    out = {}
    for e in events:
        a = judge.assess(e)
        if a is not None:
            out[e.id] = a.properties()
    return out


def judge(store: Store) -> Callable[[Event], dict[str, Any] | None]:
    """The verdict properties of one event at a time, for exports that stream."""
    found = assessor(store)
    if found is None:
        return lambda e: None

    def verdict(e: Event) -> dict[str, Any] | None:
        a = found.assess(e)
        return None if a is None else a.properties()

    return verdict


def keep_judged(events: Sequence[Event], verdict: Callable[[Event], dict[str, Any] | None],
                implausible: bool | None) -> list[Event]:
    """The events the line judges as asked (all of them when ``implausible`` is None);
    events no snapshot judges are left out either way."""
    if implausible is None:
        return list(events)
    return [e for e in events if (v := verdict(e)) is not None and v["implausible"] is implausible]


def view(store: Store, day: date | None = None) -> ControlView | None:
    """What the maps draw: the snapshot in force on ``day`` (or the latest) and the ground
    that changed hands since the snapshot before it; None without snapshots."""
    infos = store.snapshots()
    latest = in_force(infos, day) if day is not None else (infos[-1] if infos else None)
    if latest is None:
        return None
    earlier = [i for i in infos if (i.as_of, i.source) < (latest.as_of, latest.source)]
    before = earlier[-1] if earlier else None
    key = ("view", latest.hash, before.hash if before else None)
    return _kept(key, lambda: control_view(
        _snapshot(store, latest), _snapshot(store, before) if before else None))


def place_control(store: Store, lon: float, lat: float,
                  ledger: Sequence[Any] | None) -> dict[str, Any]:
    """Who held a place over time: from the snapshots, else estimated from its ledger."""
    infos = store.snapshots()
    if infos:
        history = from_snapshots([_snapshot(store, i) for i in infos], lon, lat)
        return {"basis": "snapshots", "history": [h.to_dict() for h in history]}
    reports = [Report(e.event_id, e.event_type, e.actor, e.status, e.event_date)
               for e in ledger or () if getattr(e, "role", "place") == "place"]
    estimate, claims = from_reports(reports)
    return {"basis": "confirmed events", "history": [h.to_dict() for h in estimate],
            "claims": [c.to_dict() for c in claims]}


def oblast_implausible(store: Store, q: EventQuery) -> dict[str, int] | None:
    """What the web map's oblast layer shows: None without snapshots (nothing judged)."""
    return implausible_by_oblast(store, q) if store.snapshots() else None


def judged_query(q: EventQuery) -> EventQuery | None:
    """The whole filtered set narrowed to the kinds of event the line judges (None: no kind
    left): a filter on the verdict reads only those from the store."""
    types = tuple(t for t in JUDGED_TYPES if not q.types or t in q.types)
    return replace(q, types=types, limit=None, offset=0) if types else None


def implausible_by_oblast(store: Store, q: EventQuery) -> dict[str, int]:
    """ISO code -> how many matching claims the line in force makes implausible."""
    judged_q = judged_query(q)
    if judged_q is None or not store.snapshots():
        return {}
    events = store.events(judged_q)
    out: dict[str, int] = {}
    judged = verdicts(store, events)
    for e in events:
        if e.admin1 and judged.get(e.id, {}).get("implausible"):
            out[e.admin1] = out.get(e.admin1, 0) + 1
    return out


def series(store: Store) -> list[ControlView]:
    """Views of the latest snapshots for the web map's time filter to swap between."""
    infos = store.snapshots()
    if len(infos) < 2:
        return []
    kept = infos[-MAX_ON_MAP:]
    key = ("series", *(i.hash for i in kept))
    return _kept(key, lambda: control_series([_snapshot(store, i) for i in kept]))


def extent(store: Store) -> tuple[tuple[float, float, float, float] | None,
                                  date | None, date | None]:
    """The bounds of every stored snapshot's ground and the span of their dates; computed
    once per set of snapshots."""
    infos = store.snapshots()
    if not infos:
        return None, None, None

    def bounds() -> tuple[float, float, float, float] | None:
        boxes = [g.bounds for i in infos for g in _snapshot(store, i).areas.values()
                 if not g.is_empty]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    box = _kept(("extent", *(i.hash for i in infos)), bounds)
    return box, min(i.as_of for i in infos), max(i.as_of for i in infos)
