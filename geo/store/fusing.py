"""Folding a new article's events into what is already stored.

Backend-neutral: the backend runs ``candidates_sql`` to find stored events that might be
the same happening (``geo.claims.fusion.same_event`` decides), and writes what ``fuse`` returns.
A fused event keeps its stored id, so that links to it stay valid as sources accumulate,
and its status is re-derived from all of its attestations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import chain
from typing import Any

from geo.claims.fusion import HANDOVERS, UNKNOWN, fusion_span, merge, same_event, window
from geo.claims.status import derive_status
from geo.models import Event
from geo.store.filters import ORDER, Dialect
from geo.store.records import place_rows

# Farther than any dated match can be (a window is days): an undated event is the last choice.
_UNDATED_GAP = 1_000_000


def candidates_sql(event: Event, d: Dialect) -> tuple[str, list[Any]] | None:
    """Ids of stored events of the same type and an agreeing actor, at one of its places, in
    its date window, in a fixed order; None when nothing can match (no place).

    A superset of what ``same_event`` accepts, answered from the place index alone, so that
    it stays cheap at millions of events.
    """
    keys = sorted({p.place_key for p in place_rows(event) if p.role == "place"})
    if not keys:
        return None
    m = d.mark
    sql = (f"SELECT DISTINCT p.event_id, p.date_from, p.date_from IS NULL AS undated "
           f"FROM event_places p "
           f"WHERE p.role = 'place' AND p.place_key IN ({', '.join([m] * len(keys))}) "
           f"AND p.type = {m}")
    params: list[Any] = [*keys, event.type]
    if event.type not in HANDOVERS:
        sql += f" AND p.actor = {m}"
        params.append(event.actor)
    elif event.actor != UNKNOWN:  # a capture without its actor may be either side's
        sql += f" AND p.actor IN ({m}, {m})"
        params += [event.actor, UNKNOWN]
    span = fusion_span(event)
    if span is not None:  # the date overlap that ``same_event`` asks for
        sql += (f" AND (p.date_from IS NULL OR (p.date_from <= {m} AND p.date_to >= {m}))")
        params += [d.day(span[1] + window(event.type)), d.day(span[0] - window(event.type))]
    return f"{sql} ORDER BY undated, p.date_from, p.event_id", params


def ledger_sql(place_id: str, d: Dialect) -> tuple[str, list[Any]]:
    """Events that may involve a place: by id, by fusion key, or by oblast code."""
    m = d.mark
    return (f"SELECT e.id, e.data FROM events e WHERE e.id IN (SELECT event_id FROM "
            f"event_places WHERE place_id = {m} OR place_key = {m} OR "
            f"(kind = 'admin1' AND admin1 = {m})) {ORDER}", [place_id, place_id, place_id])


def closeness(candidate: Event, new: Event) -> tuple[bool, int, str]:
    """Which of several events that ``new`` may be it joins: one with a date of its own
    before one dated by its reports only, then the nearest in time, then the smallest id.
    A rule on the events alone, so that neither the order the candidates come in nor whether
    they were stored or found in the same article decides."""
    a, b = fusion_span(candidate), fusion_span(new)
    gap = _UNDATED_GAP if a is None or b is None else max(
        0, (b[0] - a[1]).days, (a[0] - b[1]).days)
    return candidate.date is None, gap, candidate.id


def fuse(incoming: Sequence[Event], candidates: Callable[[Event], Iterable[Event]],
         taken: Callable[[str], bool], salt: str) -> tuple[list[Event], dict[str, Event]]:
    """The events to write, and for each that changes a stored event, the stored version.

    ``candidates(e)`` gives stored events that may be ``e``; ``taken(id)`` says whether a
    stored event has that id; ``salt`` (the article's hash) renames a new event whose id
    is taken by a different happening. Knowing what is stored lets a backend write only
    the new attestations of a fused event, not rewrite all of them.
    """
    current: dict[str, Event] = {}
    stored: dict[str, Event] = {}
    for new in incoming:
        found = (c for c in candidates(new) if c.id not in current)
        pool = chain(list(current.values()), found)
        matches = [c for c in pool if same_event(c, new)]
        match = min(matches, key=lambda c: closeness(c, new)) if matches else None
        if match is not None:
            merged = merge(match, new)
            current[match.id] = replace(merged, id=match.id, status=derive_status(
                merged.attestations, merged.type, merged.actor))
            if match.id not in stored and taken(match.id):
                stored[match.id] = match  # only a stored event can have a taken id
            continue
        event_id, n = new.id, 0
        while event_id in current or taken(event_id):
            n += 1
            event_id = f"{new.id}-{hashlib.sha256(f'{salt}{n}'.encode()).hexdigest()[:8]}"
        current[event_id] = replace(
            new, id=event_id, status=derive_status(new.attestations, new.type, new.actor))
    return list(current.values()), stored
