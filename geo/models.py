"""The records that flow through Frontline: articles in, toponyms and events out.

Plain frozen dataclasses with ``to_dict``/``from_dict`` so that the store, the API and the
maps all speak the same JSON without knowing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

KINDS = ("settlement", "admin1", "admin2", "country", "landmark", "other")
EVENT_TYPES = ("advance", "capture", "strike", "repelled", "withdrawal", "encirclement",
               "fighting", "control", "other")
ACTORS = ("RU", "UA", "unknown")
STANCES = ("asserts", "denies", "reports", "no_response")
STATUSES = ("reported", "claimed", "disputed", "confirmed")
# ACLED-like geo precision: 1 the exact place, 2 near or part of a region, 3 the region only.
PRECISION_EXACT, PRECISION_NEAR, PRECISION_REGION = 1, 2, 3


@dataclass(frozen=True)
class Toponym:
    """A place mention in a text and what it resolved to.

    ``start``/``end`` are character offsets into the text. ``place_id`` is the GeoNames id as
    text, or a supplement (``sup:…``) or Natural Earth (``ne:…``) id; ``lat``/``lon`` are
    None when the mention could not be resolved at all.
    """

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    kind: str
    country: str | None
    admin1: str | None
    precision: int | None
    score: float
    metonymic: bool = False
    place_id: str | None = None
    resolved_name: str | None = None

    @property
    def geonameid(self) -> int | None:
        return int(self.place_id) if self.place_id and self.place_id.isdigit() else None

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        # field by field, not dataclasses.asdict: its deep copies dominate API responses
        d = {k: getattr(self, k) for k in _TOPONYM_FIELDS}
        d["geonameid"] = self.geonameid
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Toponym:
        return cls(**{k: d[k] for k in _TOPONYM_FIELDS if k in d})


@dataclass(frozen=True)
class Article:
    """A news article. Missing metadata stays None: it is never invented."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = "en"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(
            id=str(d["id"]), text=d["text"], title=d.get("title"), outlet=d.get("outlet"),
            url=d.get("url"), published=date.fromisoformat(pub[:10]) if pub else None,
            language=d.get("language", "en"),
        )


@dataclass(frozen=True)
class Attestation:
    """One source's statement about an event: who said it, through which outlet, how."""

    article_id: str
    stance: str
    quote: str
    start: int
    end: int
    claimant: str | None = None
    claimant_side: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    said_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in _ATTESTATION_FIELDS}
        for k in ("published", "said_on"):
            d[k] = d[k].isoformat() if d[k] else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attestation:
        kw: dict[str, Any] = {k: d[k] for k in _ATTESTATION_FIELDS if k in d}
        for k in ("published", "said_on"):
            if kw.get(k):
                kw[k] = date.fromisoformat(kw[k])
        return cls(**kw)


_TOPONYM_FIELDS = tuple(f.name for f in fields(Toponym))
_ATTESTATION_FIELDS = tuple(f.name for f in fields(Attestation))


@dataclass(frozen=True)
class Event:
    """A real-world happening (advance, capture, strike…) with every source that tells it.

    ``places`` are where it happened; ``origin`` where an advance came from. ``lat``/``lon``
    and ``admin1`` locate the event for maps (None and precision None when no place could be
    resolved: such an event is kept but not mapped). ``status`` is derived from the
    attestations by ``geo.claims.status``.
    """

    id: str
    type: str
    actor: str
    places: tuple[Toponym, ...]
    attestations: tuple[Attestation, ...]
    status: str
    date: date | None = None
    date_precision: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    precision: int | None = None
    geometry_kind: str | None = None
    origin: tuple[Toponym, ...] = ()
    sub_event_type: str | None = None
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def mapped(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "sub_event_type": self.sub_event_type,
            "actor": self.actor, "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "lat": self.lat, "lon": self.lon, "admin1": self.admin1,
            "precision": self.precision, "geometry_kind": self.geometry_kind,
            "summary": self.summary,
            "places": [t.to_dict() for t in self.places],
            "origin": [t.to_dict() for t in self.origin],
            "attestations": [a.to_dict() for a in self.attestations],
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"], type=d["type"], actor=d["actor"], status=d["status"],
            places=tuple(Toponym.from_dict(t) for t in d.get("places", [])),
            origin=tuple(Toponym.from_dict(t) for t in d.get("origin", [])),
            attestations=tuple(Attestation.from_dict(a) for a in d.get("attestations", [])),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            date_precision=d.get("date_precision"), lat=d.get("lat"), lon=d.get("lon"),
            admin1=d.get("admin1"), precision=d.get("precision"),
            geometry_kind=d.get("geometry_kind"), sub_event_type=d.get("sub_event_type"),
            summary=d.get("summary"), extra=d.get("extra") or {},
        )
