"""Folding a new article's events into what is already stored.

Backend-neutral: the backend runs ``candidates_sql`` to find stored events that might hold
a report of the same happening (``geo.claims.fusion.same_event`` decides), and writes what
``plan`` returns. The store keeps each event's reports (the events of single articles it
was fused from), so that a new report is compared with reports, never with what earlier
merges made of them: the stored events are then ``geo.claims.fusion.fuse`` of all reports,
with the same ids, whatever the order or the number of writers. A fused event's id is the
smallest of its reports' ids, so it changes only when an event with a smaller one joins,
and its status is re-derived from all of its attestations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from geo.claims.fusion import (
    HANDOVERS,
    event_window,
    fingerprint,
    fuse_group,
    fusion_groups,
    fusion_span,
    same_event,
)
from geo.claims.status import derive_status
from geo.models import Event
from geo.store.filters import ORDER, Dialect
from geo.store.records import place_rows


def candidates_sql(event: Event, d: Dialect) -> tuple[str, list[Any]] | None:
    """Ids of stored events of the same type and actor (any actor for a capture or a
    withdrawal: an unknown one in any of its reports agrees with it), at one of its places,
    in its date window; None when nothing can match (no place).

    A superset of what ``same_event`` accepts, answered from the place index alone, so that
    it stays cheap at millions of events.
    """
    keys = sorted({p.place_key for p in place_rows(event) if p.role == "place"})
    if not keys:
        return None
    m = d.mark
    sql = (f"SELECT DISTINCT p.event_id FROM event_places p "
           f"WHERE p.role = 'place' AND p.place_key IN ({', '.join([m] * len(keys))}) "
           f"AND p.type = {m}")
    params: list[Any] = [*keys, event.type]
    if event.type not in HANDOVERS:
        sql += f" AND p.actor = {m}"
        params.append(event.actor)
    span = fusion_span(event)
    if span is not None:  # the date overlap that ``same_event`` asks for
        sql += (f" AND (p.date_from IS NULL OR (p.date_from <= {m} AND p.date_to >= {m}))")
        params += [d.day(span[1] + event_window(event)), d.day(span[0] - event_window(event))]
    return f"{sql} ORDER BY p.event_id", params


def ledger_sql(place_id: str, d: Dialect) -> tuple[str, list[Any]]:
    """Events that may involve a place: by id, by fusion key, or by oblast code."""
    m = d.mark
    return (f"SELECT e.id, e.data FROM events e WHERE e.id IN (SELECT event_id FROM "
            f"event_places WHERE place_id = {m} OR place_key = {m} OR "
            f"(kind = 'admin1' AND admin1 = {m})) {ORDER}", [place_id, place_id, place_id])


class Stored:
    """A stored event with the reports it was fused from (itself, for an event stored
    without them: written by ``load_events`` or before reports were kept), and their
    fingerprints as stored.

    The event itself may be given as a function that reads it: most stored events a new
    report is checked against share no report with it, and need only their reports."""

    def __init__(self, event: Event | Callable[[], Event], parts: tuple[Event, ...],
                 keys: tuple[str, ...] = ()) -> None:
        self._event = event
        self.parts = parts
        self.keys = keys

    @property
    def event(self) -> Event:
        if not isinstance(self._event, Event):
            self._event = self._event()
        return self._event


class _Prints:
    """``fingerprint`` computed once per report in a plan: it hashes the whole report."""

    def __init__(self) -> None:
        self._by: dict[int, tuple[Event, str]] = {}

    def __call__(self, e: Event) -> str:
        hit = self._by.get(id(e))
        if hit is None or hit[0] is not e:
            hit = self._by[id(e)] = (e, fingerprint(e))
        return hit[1]

    def learn(self, group: Stored) -> Stored:
        for part, key in zip(group.parts, group.keys, strict=False):
            self._by[id(part)] = (part, key)
        return group


@dataclass(frozen=True)
class Plan:
    """What an ingest changes: stored events to delete, and events to write with their
    reports, each with the stored version it replaces (None for a new id)."""

    delete: list[str]
    write: list[tuple[Event, tuple[Event, ...], Stored | None]]
    key: Callable[[Event], str] = fingerprint  # a report's fingerprint


def reported_span(parts: Sequence[Event]) -> tuple[date, date] | None:
    """The days any of an event's reports may be about, which the place index keeps so
    that a report matching any one of them finds the event; None when one is undated
    with nothing to date it."""
    spans = [fusion_span(p) for p in parts]
    if not spans or any(s is None for s in spans):
        return None
    return min(s[0] for s in spans if s), max(s[1] for s in spans if s)


def plan(incoming: Sequence[Event], neighbours: Callable[[Event], Iterable[str]],
         load: Callable[[str], Stored], holders: Callable[[str], Iterable[str]],
         dropped: tuple[set[str], Iterable[str]] = (set(), ())) -> Plan:
    """Fold a new article's events into the store so that the result is what fusing every
    report at once would give, whatever order the articles came in.

    The reports a new one can reach (``same_event``, transitively) are gathered, grouped
    again by ``fusion_groups`` and written in place of the events they were. A stored
    event is all of its connected reports unless differing actors split them, so only the
    new reports and the reports of a split type (a capture or a withdrawal, whose actor
    may be unknown) need to be followed further. ``neighbours(e)`` gives ids of stored
    events that may hold a report the same as ``e``; ``load(id)`` a stored event;
    ``holders(id)`` the ids of stored events named ``id`` or ``id`` with a suffix.
    ``dropped`` names articles whose reports leave the store, and the stored events that
    hold them: their other reports are grouped again too.
    """
    fp = _Prints()
    seen: dict[str, Stored] = {}
    reached: dict[str, Stored] = {}
    region: dict[str, Event] = {}
    todo = [e for e in incoming]
    for e in todo:
        region.setdefault(fp(e), e)
    articles, holding = dropped
    for sid in holding:
        reached[sid] = seen[sid] = fp.learn(load(sid))
        for p in seen[sid].parts:
            if not {a.article_id for a in p.attestations} <= articles:
                region[fp(p)] = p
                if p.type in HANDOVERS:
                    todo.append(p)
    while todo:
        part = todo.pop()
        for sid in neighbours(part):
            if sid in reached:
                continue
            if sid not in seen:
                seen[sid] = fp.learn(load(sid))
            group = seen[sid]
            if not any(same_event(p, part) for p in group.parts):
                continue
            reached[sid] = group
            for p in group.parts:
                if region.setdefault(fp(p), p) is p and p.type in HANDOVERS:
                    todo.append(p)
    fused = [(fuse_group(g), tuple(g)) for g in fusion_groups(region.values(), fp)]
    return _named(fused, reached, seen, lambda i: fp.learn(load(i)), holders, fp)


def _named(fused: list[tuple[Event, tuple[Event, ...]]], reached: dict[str, Stored],
           seen: dict[str, Stored], load: Callable[[str], Stored],
           holders: Callable[[str], Iterable[str]], fp: Callable[[Event], str]) -> Plan:
    """Give each fused event its id: the smallest of its reports' ids, which events of
    different happenings can share (the same place, day and type). Of those sharing it,
    the one whose first report has the smallest fingerprint keeps it; the others add that
    fingerprint's head. Renaming a stored event outside the region, which may gain or lose
    the plain id, is part of the plan."""
    claims: dict[str, list[tuple[str, Event | Stored, tuple[Event, ...]]]] = {}
    for event, parts in fused:
        claims.setdefault(event.id, []).append((fp(parts[0]), event, parts))
    old = dict(reached)
    # A name the region's events gave up may fall to an event outside it.
    for group in reached.values():
        claims.setdefault(min(p.id for p in group.parts), [])
    for base in list(claims):
        for sid in holders(base):
            if sid in old:
                continue
            group = seen.get(sid) or load(sid)
            first = min(group.parts, key=lambda p: (p.id, fp(p)))
            if first.id == base:
                old[sid] = group
                claims[base].append((fp(first), group, group.parts))
    new: dict[str, tuple[Event | Stored, tuple[Event, ...]]] = {}
    for base, named in claims.items():
        for n, (key, item, parts) in enumerate(sorted(named, key=lambda c: c[0])):
            new[base if n == 0 else f"{base}-{key[:8]}"] = (item, parts)
    write: list[tuple[Event, tuple[Event, ...], Stored | None]] = []
    for eid, (item, parts) in sorted(new.items()):
        before = old.get(eid)
        if before is not None and {fp(p) for p in before.parts} == {fp(p) for p in parts}:
            continue
        event = item.event if isinstance(item, Stored) else item  # read only if renamed
        write.append((replace(event, id=eid, status=derive_status(
            event.attestations, event.type, event.actor, event.sub_event_type)), parts, before))
    return Plan(sorted(set(old) - set(new)), write, fp)

