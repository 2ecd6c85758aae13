"""Store records as GeoJSON features: events, places with their claims ledger, oblasts.

Feature properties stay flat where GIS clients read them as columns (oblast counts), and
keep nested lists (attestations, ledger) where the structure is the information.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from api import rfc7946
from geo import geojson
from geo.claims.location import ADMIN1
from geo.gazetteer.admin import DATA, oblast
from geo.geojson import geometry_json
from geo.models import EVENT_TYPES, STATUSES, Event
from geo.store.base import PlaceSummary

WEB_ADMIN1 = DATA / "admin1_web.geojson"


@dataclass(frozen=True)
class Unit:
    """One admin-1 polygon as maps draw it (simplified), with its GeoJSON ready to serve."""

    iso: str
    country: str
    name: str
    geometry: BaseGeometry
    geojson: dict[str, Any]


class Units:
    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.by_iso = {u.iso: u for u in units}
        self._tree = shapely.STRtree([u.geometry for u in units])

    def in_bbox(self, bbox: tuple[float, float, float, float]) -> set[str]:
        hits = self._tree.query(shapely.box(*bbox), predicate="intersects")
        return {self.units[int(i)].iso for i in hits}

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        b = shapely.total_bounds([u.geometry for u in self.units])
        return tuple(round(float(v), 7) for v in b)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def web_units() -> Units:
    """The simplified admin-1 polygons, loaded once: they are what every oblast feature shows."""
    features = json.loads(WEB_ADMIN1.read_text(encoding="utf-8"))["features"]
    units = []
    for f in features:
        geom = shape(f["geometry"])
        p = f["properties"]
        units.append(Unit(p["iso"], p["country"], p["name"], geom, rfc7946.geometry(geom) or {}))
    return Units(units)


@lru_cache(maxsize=512)
def _oblast_geometry(iso: str) -> dict[str, Any] | None:
    shape = oblast(iso)
    return geometry_json(shape) if shape is not None else None


def event_feature(e: Event, verdict: dict[str, Any] | None = None,
                  as_point: bool = False) -> dict[str, Any]:
    """``geo.geojson.event_feature``, with each oblast polygon converted once per process
    rather than once per event (a page of oblast-level events would otherwise spend its
    time re-orienting the same rings) and the properties built without deep copies.
    ``verdict`` is the line of contact's judgement of the claim, where a snapshot exists.
    ``as_point``: an oblast-level event at its point inside the oblast, so that a layer
    holds one geometry type (GIS clients declare a layer's type from its first features)."""
    geometry = None
    if not as_point and e.geometry_kind == ADMIN1 and e.admin1:
        geometry = _oblast_geometry(e.admin1)
    if geometry is None:
        if not as_point:
            geometry = geojson.event_geometry(e)
        elif e.lon is not None and e.lat is not None:
            geometry = rfc7946.point(e.lon, e.lat)
    props = geojson.event_properties(e)
    if verdict:
        props.update(verdict)
    return {"type": "Feature", "id": e.id, "geometry": geometry, "properties": props}


def area_feature(e: Event, verdict: dict[str, Any] | None = None) -> dict[str, Any]:
    """An oblast-level event with its oblast as a MultiPolygon (one type for the layer)."""
    feature = event_feature(e, verdict)
    geometry = _oblast_geometry(e.admin1) if e.admin1 else None
    if geometry is not None and geometry["type"] == "Polygon":
        geometry = {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
    return {**feature, "geometry": geometry}


def place_feature(p: PlaceSummary, ledger: list[Any] | None = None,
                  control: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "place_id": p.place_id, "name": p.name, "kind": p.kind, "country": p.country,
        "admin1": p.admin1, "events": p.events, "attestations": p.attestations,
        "first": p.first.isoformat() if p.first else None,
        "last": p.last.isoformat() if p.last else None,
    }
    for s in STATUSES:
        props[f"status_{s}"] = int(p.statuses.get(s, 0))
    if ledger is not None:
        props["ledger"] = [_plain(entry) for entry in ledger]
    if control is not None:
        props["control"] = control  # who held it: from snapshots, else confirmed events
    return {"type": "Feature", "id": p.place_id, "geometry": rfc7946.point(p.lon, p.lat),
            "properties": props}


def oblast_feature(unit: Unit, by_status: dict[str, int], by_type: dict[str, int],
                   implausible: int = 0) -> dict[str, Any]:
    """``implausible``: claims there that the line of contact in force makes implausible."""
    props: dict[str, Any] = {"iso": unit.iso, "name": unit.name, "country": unit.country,
                             "events": int(sum(by_status.values())),
                             "implausible": int(implausible)}
    for s in STATUSES:
        props[f"status_{s}"] = int(by_status.get(s, 0))
    for t in EVENT_TYPES:
        props[f"type_{t}"] = int(by_type.get(t, 0))
    return {"type": "Feature", "id": unit.iso, "geometry": unit.geojson, "properties": props}


def _plain(entry: Any) -> Any:
    """A ledger entry as JSON-ready data, whatever record type the ledger module uses."""
    if hasattr(entry, "to_dict"):
        return entry.to_dict()
    from dataclasses import asdict, is_dataclass

    if is_dataclass(entry) and not isinstance(entry, type):
        return json.loads(json.dumps(asdict(entry), default=str))
    return entry
