"""How events and articles are laid out in rows, shared by both backends.

An event row keeps every field of the event as JSON (so nothing is lost) next to flat
columns that GIS users and the queries need; attestations live in their own table so that
each source can be counted, filtered and searched.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from itertools import islice
from typing import Any

from geo.models import Article, Attestation, Event, Toponym

_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(article: Article) -> str:
    """The identity of an article's text: re-fetched or re-wrapped copies hash the same."""
    return hashlib.sha256(" ".join(article.text.split()).encode("utf-8")).hexdigest()


def event_json(event: Event) -> str:
    """Every field but the attestations (they have their own table)."""
    d = replace(event, attestations=()).to_dict()
    del d["attestations"]
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def event_from_json(data: str | dict[str, Any], attestations: Sequence[Attestation]) -> Event:
    d: dict[str, Any] = json.loads(data) if isinstance(data, str) else dict(data)
    d["attestations"] = ()
    event = Event.from_dict(d)
    # The event is new and not yet shared: setting the field spares a second construction
    # (``replace``), a third of the decoding time of a large query.
    object.__setattr__(event, "attestations", tuple(attestations))
    return event


def event_columns(event: Event) -> dict[str, Any]:
    """The flat, queryable columns of an event (the geometry is the backend's business)."""
    return {
        "id": event.id, "type": event.type, "sub_event_type": event.sub_event_type,
        "actor": event.actor, "status": event.status,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision, "lat": event.lat, "lon": event.lon,
        "admin1": event.admin1, "precision": event.precision,
        "geometry_kind": event.geometry_kind, "summary": event.summary,
        "place_names": "; ".join(dict.fromkeys(place_label(t) for t in event.places)),
        "claimants": "; ".join(sorted({a.claimant for a in event.attestations if a.claimant})),
        "outlets": "; ".join(sorted({a.outlet for a in event.attestations if a.outlet})),
        "n_attestations": len(event.attestations),
        **stored_sources(event),
        "data": event_json(event),
    }


def stored_sources(event: Event) -> dict[str, Any]:
    """The flat source columns the store keeps beside the others, for GIS clients."""
    from geo.claims.sources import STORED, basis_quote, flat_sources

    flat = flat_sources(event, basis_quote(event))
    return {k: flat[k] for k in STORED}


EVENT_COLUMNS = tuple(event_columns(Event("", "", "", (), (), "")).keys())


ATTESTATION_FIELDS = tuple(f.name for f in fields(Attestation))


def fold(value: str) -> str:
    """A name as filters compare it: case and accents folded (casefold after NFKD without
    combining marks), spaces collapsed. Computed here and stored beside the name, because
    neither SQLite's ``lower()`` (ASCII only) nor PostgreSQL's (no accents, locale-bound)
    agrees with Python's."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", value)
                   if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def attestation_columns(event_id: str, ordinal: int, a: Attestation) -> dict[str, Any]:
    d: dict[str, Any] = {"event_id": event_id, "ordinal": ordinal}
    for name in ATTESTATION_FIELDS:
        value = getattr(a, name)
        d[name] = value.isoformat() if isinstance(value, date) else value
    d["claimant_key"] = fold(a.claimant) if a.claimant else None
    d["outlet_key"] = fold(a.outlet) if a.outlet else None
    return d


def attestation_rows(event: Event, stored: Sequence[Attestation]) -> list[dict[str, Any]]:
    """Rows for the attestations of ``event`` not among those ``stored`` for it, numbered
    on from them: a fused event gains rows and never rewrites the ones it has."""
    from geo.claims.fusion import source_key

    have = {source_key(a) for a in stored}
    fresh = [a for a in event.attestations if source_key(a) not in have]
    return [attestation_columns(event.id, len(stored) + i, a) for i, a in enumerate(fresh)]


_ATTESTATION_DATES = tuple(i for i, f in enumerate(ATTESTATION_FIELDS)
                           if f in ("published", "said_on"))


def attestation_from_row(row: Sequence[Any]) -> Attestation:
    """From the values of ``ATTESTATION_FIELDS``, in that order."""
    values = list(row)
    for i in _ATTESTATION_DATES:
        if isinstance(values[i], str):
            values[i] = date.fromisoformat(values[i])
    return Attestation(**dict(zip(ATTESTATION_FIELDS, values, strict=True)))


def place_label(t: Toponym) -> str:
    return t.resolved_name or t.name


@dataclass(frozen=True)
class PlaceRow:
    """One entry of an event's place index: a resolved place it happened at or came from."""

    event_id: str
    role: str  # "place" or "origin"
    place_id: str
    place_key: str  # what fusion compares (geo.claims.location.place_key)
    name: str
    lat: float | None  # None: named, but not found in the gazetteer
    lon: float | None
    kind: str
    country: str | None
    admin1: str | None
    type: str  # the event's, so that fusion finds candidates from this index alone
    actor: str
    date_from: str | None  # the days the event may have happened on (geo.claims.fusion.fusion_span)
    date_to: str | None


_OWN_SPAN: Any = object()


def place_rows(event: Event, span: Any = _OWN_SPAN) -> list[PlaceRow]:
    """The places of an event, once each per role; fusion looks events up by their keys,
    within ``span`` (the event's own days unless given: a fused event gives those of all
    its reports)."""
    from geo.claims.fusion import fusion_span
    from geo.claims.location import place_key

    if span is _OWN_SPAN:
        span = fusion_span(event)
    days = (span[0].isoformat(), span[1].isoformat()) if span else (None, None)
    rows: dict[tuple[str, str], PlaceRow] = {}
    for role, toponyms in (("place", event.places), ("origin", event.origin)):
        for t in toponyms:
            key = place_key(t)
            rows.setdefault((role, t.place_id or key), PlaceRow(
                event.id, role, t.place_id or key, key, place_label(t), t.lat, t.lon, t.kind,
                t.country, t.admin1, event.type, event.actor, *days))
    return list(rows.values())


def place_row_columns(p: PlaceRow) -> dict[str, Any]:
    return asdict(p)


def quote_text(event: Event) -> str:
    return "\n".join(a.quote for a in event.attestations)


def words(text: str) -> list[str]:
    """The words of a full-text query, lower-cased; punctuation never reaches the SQL."""
    return [w.lower() for w in _WORD.findall(text)]


def article_columns(article: Article, digest: str) -> dict[str, Any]:
    return {
        "id": article.id, "hash": digest, "url": article.url, "outlet": article.outlet,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language, "text": article.text,
    }


ARTICLE_FIELDS = ("id", "text", "title", "outlet", "url", "published", "language")


def article_from_row(row: Iterable[Any]) -> Article:
    """From the values of ``ARTICLE_FIELDS``, in that order."""
    return Article.from_dict(dict(zip(ARTICLE_FIELDS, row, strict=True)))


def batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


SOURCE_COLUMNS = {"first_said": "DATE", "last_said": "DATE", "basis_quote": "TEXT",
                  "sources": "TEXT"}


def add_source_columns(conn: Any, alter: str, have: set[str], mark: str = "?") -> None:
    """Schema 5 keeps the flat source columns beside the others: add and fill them from
    each event and its attestations, a batch at a time (shared with PostGIS)."""
    from geo.claims.fusion import chronological

    for name, kind in SOURCE_COLUMNS.items():
        if name not in have:
            conn.execute(alter.format(name, kind))
    cols = ", ".join(f'"{c}"' for c in ATTESTATION_FIELDS)
    ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id").fetchall()]
    for chunk in batched(ids, 500):
        marks = ", ".join([mark] * len(chunk))
        rows = conn.execute(f"SELECT id, data FROM events WHERE id IN ({marks})",
                            chunk).fetchall()
        by_event: dict[str, list[Any]] = {}
        for r in conn.execute(f"SELECT event_id, {cols} FROM attestations WHERE event_id IN "
                              f"({marks})", chunk).fetchall():
            by_event.setdefault(r[0], []).append(attestation_from_row(r[1:]))
        sets = ", ".join(f"{c} = {mark}" for c in SOURCE_COLUMNS)
        for eid, data in rows:
            event = event_from_json(data, chronological(by_event.get(eid, ())))
            values = stored_sources(event)
            conn.execute(f"UPDATE events SET {sets} WHERE id = {mark}",
                         [*(values[c] for c in SOURCE_COLUMNS), eid])
