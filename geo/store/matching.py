"""``EventQuery`` applied to events in memory: the meaning both SQL backends must give it.

Used where events never reach a database (GeoParquet partitions, exports of a fetched
list) and as the yardstick the store tests hold each backend to.
"""

from __future__ import annotations

from geo.models import Event
from geo.store.base import EventQuery
from geo.store.filters import check
from geo.store.records import fold, words


def matches(q: EventQuery, e: Event) -> bool:
    check(q)
    if q.bbox is not None:
        minlon, minlat, maxlon, maxlat = q.bbox
        if e.lon is None or e.lat is None:
            return False
        if not (minlon <= e.lon <= maxlon and minlat <= e.lat <= maxlat):
            return False
    if (q.start or q.end) and e.date is None:
        return False
    if q.start and e.date and e.date < q.start:
        return False
    if q.end and e.date and e.date > q.end:
        return False
    for wanted, value in ((q.types, e.type), (q.statuses, e.status), (q.actors, e.actor),
                          (q.oblasts, e.admin1)):
        if wanted and value not in wanted:
            return False
    if q.claimants and not _any_of(q.claimants, [a.claimant for a in e.attestations]):
        return False
    if q.outlets and not _any_of(q.outlets, [a.outlet for a in e.attestations]):
        return False
    if q.text is not None:
        terms = words(q.text)
        have = set(words("\n".join(a.quote for a in e.attestations)))
        if not all(t in have for t in terms):
            return False
    return True


def _any_of(wanted: tuple[str, ...], values: list[str | None]) -> bool:
    folded = {fold(w) for w in wanted}
    return any(v is not None and fold(v) in folded for v in values)
