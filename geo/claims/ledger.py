"""The claims ledger of a place: every statement about it, in the order it was made.

A map shows the current status of each event; the ledger shows how it got there: the
Russian ministry's claim on Sunday, the Ukrainian spokesperson's denial on Monday, the
independent confirmation a week later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from geo.claims.location import place_key
from geo.models import Event, Toponym


@dataclass(frozen=True)
class LedgerEntry:
    """One attestation of one event that involves the place. ``when`` is the day it was
    said (or published), None when the source gives neither."""

    when: date | None
    event_id: str
    event_type: str
    actor: str
    status: str
    role: str  # "place" or "origin" (an advance from this place)
    place: str
    stance: str
    claimant: str | None
    claimant_side: str | None
    outlet: str | None
    quote: str
    article_id: str
    url: str | None
    event_date: date | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("when", "event_date"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def _matches(t: Toponym, place_id: str) -> bool:
    return place_id in (t.place_id, place_key(t)) or (t.kind == "admin1" and
                                                      t.admin1 == place_id)


def _role(event: Event, place_id: str, within: bool) -> tuple[str, Toponym | None] | None:
    for t in event.places:
        if _matches(t, place_id):
            return "place", t
    for t in event.origin:
        if _matches(t, place_id):
            return "origin", t
    if within and event.admin1 == place_id:
        return "place", event.places[0] if event.places else None
    return None


def ledger(events: Iterable[Event], place_id: str, *, within: bool = False) -> list[LedgerEntry]:
    """Every attestation about ``place_id`` (a GeoNames or supplement id, or an ISO 3166-2
    code for an oblast) in time order. ``within`` adds events located inside an oblast."""
    entries = []
    for event in events:
        found = _role(event, place_id, within)
        if found is None:
            continue
        role, toponym = found
        name = (toponym.resolved_name or toponym.name) if toponym else place_id
        for a in event.attestations:
            entries.append(LedgerEntry(
                when=a.said_on or a.published, event_id=event.id, event_type=event.type,
                actor=event.actor, status=event.status, role=role, place=name,
                stance=a.stance, claimant=a.claimant, claimant_side=a.claimant_side,
                outlet=a.outlet, quote=a.quote, article_id=a.article_id, url=a.url,
                event_date=event.date))
    return sorted(entries, key=lambda e: (e.when is None, e.when or date.min,
                                          e.event_date or date.min, e.article_id, e.event_id,
                                          e.quote))
