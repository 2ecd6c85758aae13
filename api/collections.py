"""The three feature collections and how each answers a filtered, paged query.

Events page in the store itself (they are the many); places and oblasts are few enough to
page in memory after the store has aggregated them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from api import control, control_places, features
from api.problems import ApiError, NotFound
from geo.claims.location import ADMIN1
from geo.models import Event
from geo.store.base import EventQuery, PlaceSummary, Store

AREAS_OF_EVENTS = "event-areas"
# numberMatched is counted up to this many matches; past it, it is left out (OGC API –
# Features makes it optional) and the next link alone says that more follow.
COUNT_LIMIT = 10_000
FILTERED = ("events", AREAS_OF_EVENTS)  # the collections with queryables, CQL2 and sortby


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    geometry: str = "Point"  # the one geometry type of every feature that has one


@dataclass(frozen=True)
class Extent:
    bbox: tuple[float, float, float, float] | None
    first: date | None
    last: date | None


COLLECTIONS = {c.id: c for c in (
    Collection("events", "Events",
               "Advances, captures, strikes… each with its sources (attestations), who claims "
               "it and a confirmation status: reported, claimed, disputed or confirmed. Points: "
               "an event known only to its oblast is at a point inside the oblast, with "
               "precision 3; the oblast itself is in event-areas."),
    Collection(AREAS_OF_EVENTS, "Areas of oblast-level events",
               "The events known only to their oblast, each with the oblast's polygon and "
               "the same properties as in events.", "MultiPolygon"),
    Collection("places", "Places",
               "Every resolved place that a stored event happened at, with the ledger of "
               "every claim made about it."),
    Collection("oblasts", "Oblasts",
               "Ukraine's admin-1 units (and any neighbouring one with events) with the number "
               "of matching events by status and by type; filters set the counting window.",
               ""),
    Collection(control.AREAS, "Areas of control",
               "Ground by class of control (occupied, contested, liberated, Ukrainian-held) "
               "in the snapshot in force on `datetime` (the latest if none), with its source "
               "and licence.", ""),
    Collection(control.LINES, "Line of contact",
               "Where occupied ground meets ground Ukraine holds, without the state border "
               "and the coast, in the snapshot in force on `datetime`; its length in km.", ""),
    Collection(control.CHANGES, "Changed hands",
               "Ground whose side changed between the snapshots in force at the two ends of "
               "the `datetime` interval (or the one in force and the one before), by oblast "
               "and direction, in km² of an equal-area projection.", ""),
    Collection(control_places.PLACES, "Control of each place",
               "Every settlement of Ukraine in the gazetteer, events or none, with the side "
               "whose ground it was on (occupied, contested, held) in the snapshot in force "
               "on `datetime` (the latest if none); one item lists its side in every "
               "snapshot."),
)}


def get(cid: str) -> Collection:
    try:
        return COLLECTIONS[cid]
    except KeyError:
        raise NotFound(f"no collection {cid!r}; the collections are "
                       f"{', '.join(COLLECTIONS)}") from None


@dataclass(frozen=True)
class Page:
    features: list[dict[str, Any]]
    matched: int | None  # None: more than COUNT_LIMIT match
    more: bool  # a page follows


def items(store: Store, cid: str, q: EventQuery, implausible: bool | None = None) -> Page:
    """One page of features, the number matched by the filters and whether more follow."""
    get(cid)
    if implausible is not None and cid == "events":
        return _paged(*_judged_events(store, q, implausible), q)  # others ignore it
    if cid in FILTERED:
        area = cid == AREAS_OF_EVENTS
        if area:
            q = replace(q, geometry_kinds=(ADMIN1,))
        # one event past the page says whether another page follows, without a count
        events = store.events(q if q.limit is None else replace(q, limit=q.limit + 1))
        more = q.limit is not None and len(events) > q.limit
        events = events[:q.limit]
        matched: int | None
        if not more and (events or not q.offset):
            matched = q.offset + len(events)  # the last page: no count needed
        elif q == replace(EventQuery(), limit=q.limit, offset=q.offset) and q.filter is None:
            matched = store.count(q)  # every event: the index's size, exact and cheap
        else:
            counted = store.count(q, at_most=COUNT_LIMIT)
            matched = counted if counted < COUNT_LIMIT else None
        verdicts = control.verdicts(store, events)
        return Page([_event(e, verdicts.get(e.id), area) for e in events], matched, more)
    if q.filter is not None or q.sortby:
        raise ApiError(f"filter and sortby: only {' and '.join(FILTERED)} take them")
    everything = replace(q, limit=None, offset=0)
    end = None if q.limit is None else q.offset + q.limit
    if cid in (control.AREAS, control.LINES, control.CHANGES):
        found = control.features(store, cid, q)
        return _paged(found[q.offset:end], len(found), q)
    if cid == control_places.PLACES:
        return _paged(*control_places.features(store, q), q)
    if cid == "places":
        places = store.places(everything)
        page = places[q.offset:end]
        return _paged([_place(store, p) for p in page], len(places), q)
    found = oblast_features(store, everything)
    return _paged(found[q.offset:end], len(found), q)


def _paged(features: list[dict[str, Any]], matched: int, q: EventQuery) -> Page:
    return Page(features, matched, q.offset + len(features) < matched)


def _event(e: Event, verdict: dict[str, Any] | None, area: bool) -> dict[str, Any]:
    return features.area_feature(e, verdict) if area else \
        features.event_feature(e, verdict, as_point=True)


def _place(store: Store, p: PlaceSummary) -> dict[str, Any]:
    ledger = store.ledger(p.place_id)
    return features.place_feature(p, ledger, control.place_control(store, p.lon, p.lat, ledger))


def _judged_events(store: Store, q: EventQuery,
                   implausible: bool) -> tuple[list[dict[str, Any]], int]:
    """Events the line judges as asked. The verdict is computed, not stored, so the filter
    runs over the whole filtered set (of the kinds the line judges) before paging."""
    judged_q = control.judged_query(q)
    events = store.events(judged_q) if judged_q is not None else []
    verdicts = control.verdicts(store, events)
    kept = [e for e in events if e.id in verdicts
            and verdicts[e.id]["implausible"] is implausible]
    end = None if q.limit is None else q.offset + q.limit
    return [features.event_feature(e, verdicts[e.id], as_point=True)
            for e in kept[q.offset:end]], len(kept)


def item(store: Store, cid: str, fid: str) -> dict[str, Any]:
    c = get(cid)
    if cid in FILTERED:
        event = store.event(fid)
        area = cid == AREAS_OF_EVENTS
        if event is not None and (not area or event.geometry_kind == ADMIN1):
            return _event(event, control.verdicts(store, [event]).get(fid), area)
    elif cid == "places":
        for p in store.places():
            if p.place_id == fid:
                return _place(store, p)
    elif cid == "oblasts":
        unit = features.web_units().by_iso.get(fid.upper())
        if unit is not None:
            q = EventQuery(oblasts=(unit.iso,))
            return features.oblast_feature(
                unit, store.oblast_counts(q, "status").get(unit.iso, {}),
                store.oblast_counts(q, "type").get(unit.iso, {}),
                control.implausible_by_oblast(store, q).get(unit.iso, 0))
    elif cid == control_places.PLACES:
        return control_places.item(store, fid)
    elif cid in (control.AREAS, control.LINES, control.CHANGES):
        dated = _dated(fid, cid == control.CHANGES)
        for f in control.features(store, cid, dated) if dated is not None else ():
            if f["id"] == fid:
                return f
    raise NotFound(f"no item {fid!r} in collection {c.id!r}")


def _dated(fid: str, interval: bool) -> EventQuery | None:
    """The dates a control feature's id starts with: ``DATE:source…`` for a snapshot,
    ``FROM_TO:…`` for a change."""
    try:
        first = date.fromisoformat(fid[:10])
        return EventQuery(start=first, end=date.fromisoformat(fid[11:21])) if interval \
            else EventQuery(start=first, end=first)
    except ValueError:
        return None


def extent(store: Store, cid: str) -> Extent:
    """Where and when a collection's features are, from the store's kept extent: no scan."""
    get(cid)
    if cid in (control.AREAS, control.LINES, control.CHANGES):
        return Extent(*control.extent(store))
    kept = store.extent()
    units = features.web_units()
    if cid == "oblasts":
        ukraine = [u.geometry.bounds for u in units.units if u.country == "UA"]
        boxes = ukraine + ([kept.bbox] if kept.bbox else [])
        return Extent(_union(boxes), kept.first, kept.last)
    if cid == AREAS_OF_EVENTS and kept.bbox is not None:
        # the oblasts around the located events: each area holds its event's point
        near = [units.by_iso[i].geometry.bounds for i in sorted(units.in_bbox(kept.bbox))]
        return Extent(_union([kept.bbox, *near]), kept.first, kept.last)
    return Extent(kept.bbox, kept.first, kept.last)


def _union(boxes: list[tuple[float, float, float, float]]
           ) -> tuple[float, float, float, float] | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def oblast_features(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """Ukraine's units always, others only where events match; ordered by ISO code."""
    units = features.web_units()
    by_status = store.oblast_counts(q, "status")
    by_type = store.oblast_counts(q, "type")
    wanted = {u.iso for u in units.units if u.country == "UA"} | {
        iso for iso, counts in by_status.items() if sum(counts.values())}
    if q.oblasts:
        wanted &= set(q.oblasts)
    if q.bbox:
        wanted &= units.in_bbox(q.bbox)
    implausible = control.implausible_by_oblast(store, q)
    return [features.oblast_feature(units.by_iso[iso], by_status.get(iso, {}),
                                    by_type.get(iso, {}), implausible.get(iso, 0))
            for iso in sorted(wanted) if iso in units.by_iso]
