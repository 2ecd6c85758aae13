"""An event's sources as flat, typed values: what a table column or a GIS attribute can hold.

Nested lists of attestations stay the record of truth; these are derived from them, so that
clients that drop nested values (GDAL reads lists of objects as NULL or opaque text) still
show who said what, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geo.models import Attestation, Event


def _joined(values: Iterable[str | None]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def source_line(a: Attestation) -> str:
    """One source as a person reads it: outlet and day, who said it and how, the quote."""
    day = a.said_on or a.published
    where = ", ".join(v for v in (a.outlet, day.isoformat() if day else None) if v)
    who = f"{a.claimant} ({a.stance})" if a.claimant else a.stance
    return f"{where or 'unknown source'}: {who}: \u201c{a.quote}\u201d"


def flat_sources(event: Event, basis_quote: str | None) -> dict[str, Any]:
    """The sources as plain typed columns, for clients that drop nested values (GDAL reads
    lists of objects as NULL or as opaque JSON text): counts, names, the span of statement
    dates, the quote that decided the status and every source as one readable text."""
    atts = event.attestations
    said = [d for d in (a.said_on or a.published for a in atts) if d]
    return {
        "n_sources": len(atts),
        "claimants": _joined(a.claimant for a in atts),
        "outlets": _joined(a.outlet for a in atts),
        "first_said": min(said).isoformat() if said else None,
        "last_said": max(said).isoformat() if said else None,
        "basis_quote": basis_quote,
        "place_names": _joined(t.resolved_name or t.name for t in event.places),
        "sources": "\n".join(source_line(a) for a in atts),
    }


FLAT_FIELDS = ("n_sources", "claimants", "outlets", "first_said", "last_said", "basis_quote",
               "place_names", "sources")


def basis_quote(event: Event) -> str | None:
    """The quote of the attestation that decided the event's status."""
    from geo.claims.status import decide

    if not event.attestations:
        return None
    _, deciding = decide(event.attestations, event.type, event.actor, event.sub_event_type)
    return deciding.quote if deciding is not None else None


STORED = ("first_said", "last_said", "basis_quote", "sources")  # beside the store's columns
