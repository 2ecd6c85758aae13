"""The areas of oblast-level events as a layer of their own, in both backends.

``events`` holds points only (an oblast-level event at a point inside its oblast); the
oblast's polygon is kept once per oblast in ``oblast_areas`` and joined to its events by the
``event_areas`` view, so that every layer has one geometry type and no polygon is stored
once per event.
"""

from __future__ import annotations

from geo.claims.location import ADMIN1
from geo.models import Event

# The events' flat columns the view shows beside the oblast's polygon.
VIEW_COLUMNS = ("id", "type", "sub_event_type", "actor", "status", "date", "admin1",
                "precision", "summary", "place_names", "claimants", "outlets",
                "n_attestations", "first_said", "last_said", "basis_quote", "sources")
_SELECT = ", ".join(f"e.{c}" for c in VIEW_COLUMNS)

GPKG_AREAS = f"""
CREATE TABLE IF NOT EXISTS oblast_areas (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, iso TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL);
CREATE VIEW IF NOT EXISTS event_areas AS SELECT e.fid AS OGC_FID, a.geom AS geom, {_SELECT}
  FROM events e JOIN oblast_areas a ON a.iso = e.admin1 WHERE e.geometry_kind = '{ADMIN1}';
"""

POSTGIS_AREAS = f"""
CREATE TABLE IF NOT EXISTS oblast_areas (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4326), iso text NOT NULL UNIQUE,
  name text NOT NULL);
CREATE OR REPLACE VIEW event_areas AS SELECT e.fid AS OGC_FID, a.geom AS geom, {_SELECT}
  FROM events e JOIN oblast_areas a ON a.iso = e.admin1 WHERE e.geometry_kind = '{ADMIN1}'
"""


def area_of(event: Event) -> str | None:
    """The ISO code of the oblast whose polygon is the event's area, if it has one."""
    return event.admin1 if event.geometry_kind == ADMIN1 and event.admin1 else None


def oblast_shape(iso: str) -> tuple[str, bytes] | None:
    """The name and the MultiPolygon WKB of an oblast, as the gazetteer draws it."""
    import shapely

    from geo.gazetteer.admin import admin1_index

    unit = admin1_index().get(iso)
    if unit is None or unit.geometry.is_empty:
        return None
    geom = unit.geometry
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    return unit.name, geom.wkb
