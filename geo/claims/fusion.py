"""One real-world event, however many articles tell it.

Two events are the same when they have the same type and actor (for a capture or a
withdrawal, an unknown actor agrees with either), share a place, and their dates lie within
a few days of each other (an undated report is about the fortnight before it). A capture or
a withdrawal happens once: restated a week later it is still the same one, and an undated
restatement may come a month on (Moscow repeating weeks later that the region is cleared);
a town taken in a region is not the region taken. A strike, on a city struck night after
night, is the same only a day apart. Two partial-control assessments are the same only when
they state the same share ("72 percent" and "89 percent" are two assessments) and are of
one article or one stated day (two daily assessments are two), an assessment of who holds
part of a town is not the push into it, fighting told on two days is two days of fighting,
and a flag raised is not the advance that took the ground. Merging takes the union of the
attestations and derives the status again, so a denial in a later article turns a claim
into a dispute. Ids are hashes of what the event is, so re-reading an article changes
nothing; a merged event keeps the smallest id of its parts, which makes merging order-free.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import reduce

from geo.claims.location import locate, place_key, specificity
from geo.claims.status import derive_status
from geo.claims.triggers import (
    BUILD_UP,
    CONTROL,
    FIGHTING,
    FLAG_RAISED,
    GRAY_ZONE,
    PARTIAL_CONTROL,
)
from geo.models import Attestation, Event, Toponym

WINDOW = timedelta(days=3)
HANDOVER_WINDOW = timedelta(days=10)
# A city is struck again and again: two strikes on it are one only a night apart.
STRIKE_WINDOW = timedelta(days=1)
# A push into a whole region is a campaign of weeks, retold by each side as it goes on:
# an advance into an oblast told again within a month is the same push.
REGION_WINDOW = timedelta(days=30)
# A side saying it still holds a place says what stands: told again within a month, it is
# the same holding, as a push into a region is the same push.
HOLDING_WINDOW = REGION_WINDOW
HANDOVERS = frozenset({"capture", "withdrawal"})
# Fighting goes on day after day: told on two days, it is two days of fighting.
DAILY = frozenset({FIGHTING})
UNKNOWN = "unknown"
# An undated claim is about something shortly before it was reported: it may be the same
# happening as events from this long before its first report, not from any time at all;
# an undated strike is news of the night before.
UNDATED_LOOKBACK = timedelta(days=14)
# A handover is a state that lasts: told again with no date, it may be a month old.
HANDOVER_LOOKBACK = timedelta(days=30)
_FINER = {"day": 0, "month": 1, "year": 2}


def event_id(type_: str, actor: str, main: Toponym | None, when: date | None,
             anchor: str = "") -> str:
    """Stable id from what the event is. ``anchor`` (article and offset) keeps events with
    no place apart, since nothing else tells them from one another."""
    key = "|".join([type_, actor, place_key(main) if main else f"noplace:{anchor}",
                    when.isoformat() if when else ""])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def date_range(day: date | None, precision: str | None) -> tuple[date, date] | None:
    if day is None:
        return None
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1), date(day.year, day.month, last)
    return day, day


def fusion_span(e: Event) -> tuple[date, date] | None:
    """The days an event may have happened on: its date's range, or for an undated event
    the fortnight before its reports; None when nothing dates it at all."""
    span = date_range(e.date, e.date_precision)
    if span is not None:
        return span
    reported = [a.published for a in e.attestations if a.published is not None]
    if not reported:
        return None
    lookback = STRIKE_WINDOW if e.type == "strike" else \
        HANDOVER_LOOKBACK if e.type in HANDOVERS else UNDATED_LOOKBACK
    return min(reported) - lookback, max(reported)


def window(type_: str) -> timedelta:
    if type_ == "strike":
        return STRIKE_WINDOW
    return HANDOVER_WINDOW if type_ in HANDOVERS else WINDOW


def region_wide(e: Event) -> bool:
    """An advance into an oblast as a whole, not into a place in it nor into part of it."""
    return e.type == "advance" and bool(e.places) and e.places[0].kind == "admin1" and \
        e.sub_event_type != PARTIAL_CONTROL


def holding(e: Event) -> bool:
    """A side's positions held at a place, not a gray zone."""
    return e.type == CONTROL and e.sub_event_type != GRAY_ZONE


def event_window(e: Event) -> timedelta:
    """The most days apart another report of ``e`` may be dated (``same_event``)."""
    if region_wide(e):
        return REGION_WINDOW
    return HOLDING_WINDOW if holding(e) else window(e.type)


def actors_agree(a: str, b: str, type_: str) -> bool:
    """A capture told without its actor is the capture told with one; an advance or a
    strike without one may be either side's."""
    return a == b or (type_ in HANDOVERS and UNKNOWN in (a, b))


def _dates_close(a: Event, b: Event) -> bool:
    ra, rb = fusion_span(a), fusion_span(b)
    if ra is None or rb is None:
        return True
    w = REGION_WINDOW if region_wide(a) and region_wide(b) else \
        HOLDING_WINDOW if holding(a) and holding(b) else window(a.type)
    if a.type == "strike" and None in (a.date, b.date):
        w = timedelta(0)  # news of the night before is that night's strike, not the next
    return ra[0] - w <= rb[1] and rb[0] - w <= ra[1]


def _one_assessment(a: Event, b: Event) -> bool:
    """Who holds how much of a town is assessed again every day: two assessments are one
    only when an article repeats itself or both are of the same stated day."""
    if {t.article_id for t in a.attestations} & {t.article_id for t in b.attestations}:
        return True
    return a.date is not None and a.date == b.date and a.date_precision == "day" == \
        b.date_precision


def _town_part(e: Event) -> bool:
    return e.sub_event_type == PARTIAL_CONTROL and bool(e.places) and \
        e.places[0].kind in ("settlement", "landmark")


def _day_told(e: Event) -> set[date]:
    """The day an event happened on, or for an undated one the day it was reported and the
    two before ("fighting is under way", in a paper that reports Monday's news on Wednesday)."""
    if e.date is not None:
        return {e.date} if e.date_precision == "day" else set()
    return {d - timedelta(days=n) for d in (a.published for a in e.attestations)
            if d is not None for n in (0, 1, 2)}


def _one_day(a: Event, b: Event) -> bool:
    """Fighting told on two days is two days of fighting: one only when an article repeats
    itself or both fall on the same day."""
    if {t.article_id for t in a.attestations} & {t.article_id for t in b.attestations}:
        return True
    return bool(_day_told(a) & _day_told(b))


def same_event(a: Event, b: Event) -> bool:
    """Same type, agreeing actors, a shared place, dates within the window and, for
    partial control, the same share."""
    if a.type != b.type or not actors_agree(a.actor, b.actor, a.type) or not a.places or \
            not b.places:
        return False
    if a.extra.get("share") != b.extra.get("share"):
        return False
    if (a.sub_event_type == FLAG_RAISED) != (b.sub_event_type == FLAG_RAISED):
        return False  # a flag raised for the cameras is not the push that took ground
    if (a.sub_event_type == BUILD_UP) != (b.sub_event_type == BUILD_UP):
        return False  # troops massing near a place are not the ones holding it
    if _town_part(a) != _town_part(b):
        return False  # who holds part of a town is an assessment, not the push into it
    if PARTIAL_CONTROL in (a.sub_event_type, b.sub_event_type) and not _one_assessment(a, b):
        return False
    if a.type in DAILY and not _one_day(a, b):
        return False
    keys = {place_key(t) for t in a.places}
    shared = [t for t in b.places if place_key(t) in keys]
    if a.type in HANDOVERS and all(t.kind == "admin1" for t in shared) and not (
            a.places[0].kind == b.places[0].kind == "admin1"):
        return False  # a town taken in a region is not the whole region taken
    return bool(shared) and _dates_close(a, b)


def _union_places(*groups: Sequence[Toponym]) -> list[Toponym]:
    """One toponym per place, in first-seen order; the same one whatever the order given."""
    seen: dict[str, Toponym] = {}
    for group in groups:
        for t in group:
            k = place_key(t)
            if k not in seen or (t.name, t.start, t.end) < (seen[k].name, seen[k].start,
                                                             seen[k].end):
                seen[k] = t
    return list(seen.values())


def _mentions(t: Toponym, quotes: Sequence[str]) -> int:
    """How many of the (lower-cased) quotes name the place."""
    names = {n.lower() for n in (t.name, t.resolved_name) if n}
    return sum(any(n in q for n in names) for q in quotes)


def _main_place(mains: list[Toponym], attestations: Sequence[Attestation]) -> Toponym | None:
    """The most specific of the places told first, the one the quotes name most of equals."""
    if len(mains) < 2:
        return mains[0] if mains else None
    quotes = [a.quote.lower() for a in attestations]
    return min(mains, key=lambda t: (specificity(t), -_mentions(t, quotes), place_key(t)))


def source_key(a: Attestation) -> tuple:
    """What makes two attestations one: the same words of the same article."""
    return (a.article_id, a.start, a.end, a.stance, a.claimant)


def _attestation_key(a: Attestation) -> tuple:
    when = a.said_on or a.published
    return (when is None, when or date.min, a.article_id, a.start, a.end, a.stance,
            a.claimant or "")


def chronological(attestations: Iterable[Attestation]) -> tuple[Attestation, ...]:
    """In the order they were said (undated last), the same whatever order they came in."""
    return tuple(sorted(attestations, key=_attestation_key))


def merge_attestations(*groups: Sequence[Attestation],
                       ordered: bool = True) -> tuple[Attestation, ...]:
    """Union without duplicates (the same article read twice), in time order (or as found,
    for a union with more to come: which of two duplicates is kept does not depend on it)."""
    unique: dict[tuple, Attestation] = {}
    for group in groups:
        for a in group:
            unique.setdefault(source_key(a), a)
    return chronological(unique.values()) if ordered else tuple(unique.values())


def _merged_date(a: Event, b: Event) -> tuple[date | None, str | None]:
    dated = [(e.date, e.date_precision) for e in (a, b) if e.date is not None]
    if not dated:
        return None, None
    return min(dated, key=lambda d: (_FINER.get(d[1] or "day", 3), d[0]))


def build(type_: str, actor: str, places: Sequence[Toponym], origin: Sequence[Toponym],
          attestations: Sequence[Attestation], when: date | None, precision: str | None,
          *, event_id_: str, sub_event_type: str | None, extra: dict | None = None,
          status: str | None = None) -> Event:
    """An event with its location and status derived from its places and attestations
    (``status``: one already derived from them)."""
    main = places[0] if places else None
    loc = locate(main)
    origin_keys = {place_key(t) for t in places}
    origin = [t for t in _union_places(origin) if place_key(t) not in origin_keys]
    summary = f"{actor} {type_}"
    if main is not None:
        summary += f" at {main.resolved_name or main.name}"
    if origin:
        summary += " from " + ", ".join(t.resolved_name or t.name for t in origin)
    extra = dict(extra or {})
    if loc.country:
        extra["country"] = loc.country
    return Event(
        id=event_id_, type=type_, actor=actor, places=tuple(places), origin=tuple(origin),
        attestations=tuple(attestations),
        status=status or derive_status(attestations, type_, actor, sub_event_type),
        date=when,
        date_precision=precision if when else None, lat=loc.lat, lon=loc.lon,
        admin1=loc.admin1, precision=loc.precision, geometry_kind=loc.geometry_kind,
        sub_event_type=sub_event_type, summary=summary, extra=extra)


def merge(a: Event, b: Event) -> Event:
    """One event with the attestations of both; the status is derived again."""
    return _merge(a, b, derive=True)


def _merge(a: Event, b: Event, derive: bool) -> Event:
    """``merge``; without ``derive`` the status is ``a``'s and the attestations are in no
    order, for a merge with more to come."""
    attestations = merge_attestations(a.attestations, b.attestations, ordered=derive)
    main = _main_place(_union_places(a.places[:1], b.places[:1]), attestations)
    rest = sorted((t for t in _union_places(a.places, b.places)
                   if main is None or place_key(t) != place_key(main)),
                  key=lambda t: (specificity(t), place_key(t)))
    places = ([main] if main else []) + rest
    origin = sorted(_union_places(a.origin, b.origin), key=place_key)
    when, precision = _merged_date(a, b)
    subs = sorted(s for s in (a.sub_event_type, b.sub_event_type) if s)
    extra = {**b.extra, **a.extra} if a.id <= b.id else {**a.extra, **b.extra}
    actor = a.actor if a.actor != UNKNOWN else b.actor
    return build(a.type, actor, places, origin, attestations, when, precision,
                 event_id_=min(a.id, b.id), sub_event_type=subs[0] if subs else None,
                 extra=extra, status=None if derive else a.status)


def fingerprint(e: Event) -> str:
    """A hash of everything an event holds: two reports of one happening can share an id,
    never a fingerprint."""
    text = json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def fusion_order(e: Event) -> tuple[str, str]:
    """A total order on events that the order they come in cannot change."""
    return e.id, fingerprint(e)


def fusion_groups(events: Iterable[Event],
                  key: Callable[[Event], str] = fingerprint) -> list[list[Event]]:
    """Which events are one: every pair that is the same event joins, transitively, except
    that a group never holds two known actors, however an unknown one links them.

    Pairs are tried in ``fusion_order``, so the groups depend on the set of events alone,
    and a group on its connected events alone: the store re-groups only the events a new
    report reaches and gets what grouping everything at once would. Each group is in
    ``fusion_order``. ``key`` is ``fingerprint``, or a cache of it.
    """
    items = sorted({key(e): e for e in events}.items(), key=lambda kv: (kv[1].id, kv[0]))
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only events that share a type and a place can be the same: compare those.
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, (_, e) in enumerate(items):
        for where in {place_key(t) for t in e.places}:
            buckets.setdefault((e.type, where), []).append(i)
    pairs = sorted({(i, j) for group in buckets.values()
                    for x, i in enumerate(group) for j in group[x + 1:]})
    actor = [e.actor for _, e in items]
    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj and actors_agree(actor[ri], actor[rj], items[i][1].type) and \
                same_event(items[i][1], items[j][1]):
            ri, rj = min(ri, rj), max(ri, rj)
            parent[rj] = ri
            if actor[ri] == UNKNOWN:
                actor[ri] = actor[rj]
    components: dict[int, list[Event]] = {}
    for i, (_, e) in enumerate(items):
        components.setdefault(find(i), []).append(e)
    return list(components.values())


def fuse_group(group: Sequence[Event]) -> Event:
    """One event from a group of ``fusion_groups``; its id is the smallest of theirs."""
    if len(group) == 1:
        return group[0]
    *head, last = group
    return merge(reduce(lambda a, b: _merge(a, b, derive=False), head), last)


def fuse(events: Iterable[Event]) -> list[Event]:
    """Merge every group of events that are the same, transitively; order-free."""
    fused = [fuse_group(group) for group in fusion_groups(events)]
    return sorted(fused, key=lambda e: (e.date is None, e.date or date.min, e.id))
