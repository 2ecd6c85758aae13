"""What the web map page is told about each event: JSON-ready records, links vetted.

Article text (quotes, claimants, outlets, summaries) is untrusted. It is kept exactly as it
came, travels only inside ``script_json`` (which cannot close its ``<script>`` element) or
gzip'd in base64 (``detail_chunks``: no markup character at all), and the page puts it on
screen as text; only http(s) URLs become links.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geo.claims.location import ADMIN1
from geo.gazetteer.admin import admin1_index
from geo.geojson import status_basis
from geo.models import PRECISION_REGION, Attestation, Event
from maps.names import printed_name

_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def script_json(obj: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment, whatever the text."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become clickable: a ``javascript:`` URL from a feed must not."""
    return url if url and _SAFE_URL.match(url.strip()) else None


@dataclass(frozen=True)
class Arrow:
    """An advance drawn as a shaft from the origin and a triangular head at the event."""

    shaft: list[list[float]]  # [lat, lon] pairs
    head: list[list[float]]


def arrow(tail: tuple[float, float], tip: tuple[float, float], *, head_share: float = 0.3,
          max_head_deg: float = 0.25, half_angle_deg: float = 25.0) -> Arrow | None:
    """The arrow from ``tail`` to ``tip`` (both lat, lon), or None when they coincide.

    Worked in a local plane where a degree of longitude is shortened by cos(latitude), so the
    head looks the same on the Mercator map whichever way the arrow points.
    """
    (lat0, lon0), (lat1, lon1) = tail, tip
    k = math.cos(math.radians((lat0 + lat1) / 2))
    dx, dy = (lon1 - lon0) * k, lat1 - lat0
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return None
    ux, uy = dx / length, dy / length
    h = min(length * head_share, max_head_deg)
    w = h * math.tan(math.radians(half_angle_deg))
    bx, by = lon1 * k - ux * h, lat1 - uy * h

    def point(x: float, y: float) -> list[float]:
        return [round(y, 5), round(x / k, 5)]

    base = point(bx, by)
    head = [[lat1, lon1], point(bx - uy * w, by + ux * w), point(bx + uy * w, by - ux * w)]
    return Arrow(shaft=[[lat0, lon0], base], head=head)


def _valid(lat: float | None, lon: float | None) -> bool:
    return (lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def placeable(event: Event) -> bool:
    """Whether the event has a location the map can draw."""
    return _valid(event.lat, event.lon)


def _origin_point(event: Event) -> tuple[float, float] | None:
    """Where an advance came from: the mean of its resolved origins."""
    pts = [(float(t.lat or 0.0), float(t.lon or 0.0)) for t in event.origin
           if _valid(t.lat, t.lon)]
    if not pts:
        return None
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def _oblast_name(code: str | None) -> str | None:
    unit = admin1_index().get(code) if code else None
    return unit.name if unit else None


def place_label(event: Event) -> str:
    """The event's places by their official names (the article's spelling stays in the
    quotes)."""
    names = dict.fromkeys(printed_name(t) for t in event.places)
    return ", ".join(names) or _oblast_name(event.admin1) or "unnamed place"


def event_record(event: Event,
                 verdict: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """What the page needs to draw and explain one event; None when it has no location.
    ``verdict`` is the line of contact's judgement of the claim, where one was made."""
    if not placeable(event):
        return None
    lat, lon = float(event.lat or 0.0), float(event.lon or 0.0)
    rec: dict[str, Any] = {
        "id": event.id, "type": event.type, "actor": event.actor, "status": event.status,
        "lat": round(lat, 5), "lon": round(lon, 5),
        "date": event.date.isoformat() if event.date else None,
        "place": place_label(event),
    }
    optional = {
        "date_precision": event.date_precision if event.date_precision != "day" else None,
        "sub_type": event.sub_event_type, "summary": event.summary,
        "admin1": event.admin1, "precision": event.precision,
        "region_only": event.precision == PRECISION_REGION or event.geometry_kind == ADMIN1
        or None,
    }
    rec.update({k: v for k, v in optional.items() if v is not None})
    origin = _origin_point(event)
    shape = arrow(origin, (lat, lon)) if origin else None
    if shape:
        rec["arrow"] = {"shaft": shape.shaft, "head": shape.head}
    deniers = [a for a in event.attestations if a.stance == "denies"]
    if deniers:
        rec["denied_by"] = deniers[0].claimant_side or "unknown"
    rec["sources"] = [_source(a) for a in event.attestations]
    basis = status_basis(event)
    if basis is not None:
        rec["why"] = {k: v for k, v in basis.items() if v is not None and k != "article_id"}
    if verdict:
        rec["line"] = {"km": verdict.get("line_km"), "implausible": verdict.get("implausible"),
                       "reason": verdict.get("implausible_reason"),
                       "snapshot": verdict.get("control_snapshot")}
    return rec


def _source(a: Attestation) -> dict[str, Any]:
    src = {"article": a.article_id, "stance": a.stance, "quote": a.quote,
           "claimant": a.claimant, "outlet": a.outlet,
           "url": safe_url(a.url), "link_text": a.url if a.url and not safe_url(a.url) else None,
           "published": a.published.isoformat() if a.published else None,
           "said_on": a.said_on.isoformat() if a.said_on and a.said_on != a.published
           else None}
    return {k: v for k, v in src.items() if v is not None}


# What a popup and a download need beyond drawing, filtering and listing: kept out of the
# columns and read only when asked for.
DETAIL_KEYS = ("sub_type", "date_precision", "summary", "sources", "why", "line")
_CODED = ("type", "actor", "status", "date", "place", "admin1", "precision", "denied_by")
# Events per detail chunk: a popup unpacks one chunk, a few milliseconds' work.
DETAIL_CHUNK = 2000
_SCALE = 100_000  # coordinates travel as integers of 1e-5 degree (~1 m)


def _coded(values: list[Any]) -> dict[str, list[Any]]:
    """A column as a table of its distinct values and each row's index into it: news
    repeats the same few types, dates and places."""
    table: dict[Any, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    return {"values": list(table), "codes": codes}


def page_columns(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The records as columns, with everything a popup needs left out: a page of 100 k
    events parses this in a fraction of the time the records would take."""
    cols: dict[str, Any] = {
        "id": [r["id"] for r in records],
        "lat": [round(r["lat"] * _SCALE) for r in records],
        "lon": [round(r["lon"] * _SCALE) for r in records],
        "scale": _SCALE,
    }
    for key in _CODED:
        cols[key] = _coded([r.get(key) for r in records])
    cols["region_only"] = [i for i, r in enumerate(records) if r.get("region_only")]
    arrows: list[int] = []
    points: list[int] = []
    for i, r in enumerate(records):
        if "arrow" in r:
            (tail, base), (_, left, right) = r["arrow"]["shaft"], r["arrow"]["head"]
            arrows.append(i)
            points += [round(c * _SCALE) for pt in (tail, base, left, right) for c in pt]
    cols["arrow"] = {"rows": arrows, "points": points}
    return cols


def detail_chunks(records: list[dict[str, Any]], size: int = DETAIL_CHUNK) -> list[str]:
    """Each run of ``size`` records' details as gzip'd JSON in base64: the quotes are most of
    a page's bytes, and the browser reads a page's bytes far slower than it unpacks them.
    Base64 holds no ``<``, so no text can end its element either."""
    out = []
    for start in range(0, len(records), size):
        part = [{k: r[k] for k in DETAIL_KEYS if k in r} for r in records[start:start + size]]
        raw = json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        out.append(base64.b64encode(gzip.compress(raw, 6, mtime=0)).decode("ascii"))
    return out
