"""Events as RFC 7946 GeoJSON: the one conversion the API, the maps and the CLI share.

Longitude before latitude, WGS 84 without a ``crs`` member, at most 7 decimals (about a
centimetre), exterior rings counter-clockwise. A settlement or landmark is a point, an
oblast-level event the oblast polygon; country-level and unlocated events keep a null
geometry: they are listed, not drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.claims.location import ADMIN1, POINT
from geo.claims.sources import flat_sources
from geo.claims.status import decide
from geo.gazetteer.admin import oblast
from geo.models import Event

DECIMALS = 7


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), DECIMALS)
    return [_round(c) for c in coords]


def ccw(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 section 3.1.6)."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    return geom


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    g = mapping(ccw(geom))
    return {"type": g["type"], "coordinates": _round(g["coordinates"])}


def event_geometry(event: Event) -> dict[str, Any] | None:
    if event.geometry_kind == ADMIN1 and event.admin1:
        shape = oblast(event.admin1)
        if shape is not None:
            return geometry_json(shape)
    if event.geometry_kind in (POINT, ADMIN1) and event.lat is not None and event.lon is not None:
        return {"type": "Point", "coordinates": _round([event.lon, event.lat])}
    return None


def status_basis(event: Event) -> dict[str, Any] | None:
    """The attestation that decided the event's status, so a reader sees why."""
    _, deciding = decide(event.attestations, event.type, event.actor,
                         event.sub_event_type) if \
        event.attestations else ("reported", None)
    if deciding is None:
        return None
    return {"stance": deciding.stance, "claimant": deciding.claimant,
            "claimant_side": deciding.claimant_side, "outlet": deciding.outlet,
            "article_id": deciding.article_id, "quote": deciding.quote}


def flat_properties(event: Event, basis: dict[str, Any] | None = None) -> dict[str, Any]:
    """``geo.claims.sources.flat_sources`` with the quote that decided the status."""
    basis = basis if basis is not None else status_basis(event)
    return flat_sources(event, basis["quote"] if basis else None)


def event_properties(event: Event) -> dict[str, Any]:
    basis = status_basis(event)
    return {**event.to_dict(), "status_basis": basis, **flat_properties(event, basis)}


def event_feature(event: Event) -> dict[str, Any]:
    """A Feature with every field of the event in ``properties``, and why its status."""
    return {"type": "Feature", "id": event.id, "geometry": event_geometry(event),
            "properties": event_properties(event)}


def feature_collection(events: Iterable[Event]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [event_feature(e) for e in events]}
