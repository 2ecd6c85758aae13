"""Synthetic control maps for the control tests: boxes inside known oblasts, written in the
formats publishers use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.control import theatre
from geo.control.read import ClassifiedArea
from geo.control.snapshot import Snapshot, build_snapshot
from geo.models import Event

# Boxes well inside one oblast each (checked by ``inside_oblast``).
POLTAVA = shapely.box(33.5, 49.3, 34.0, 49.7)
DONETSK_A = shapely.box(37.2, 47.9, 37.6, 48.2)
DONETSK_B = shapely.box(37.0, 47.9, 37.2, 48.2)  # shares DONETSK_A's western edge


def inside_oblast(geom: BaseGeometry, iso: str) -> bool:
    unit = next(o for o in theatre.oblasts() if o.iso == iso)
    return bool(unit.geometry.contains(geom))


def write_geojson(path: Path, features: Sequence[tuple[BaseGeometry, dict[str, Any]]]) -> Path:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": mapping(g)}
        for g, props in features]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def snap(day: date, **areas: BaseGeometry) -> Snapshot:
    """A snapshot from class=geometry keywords (``ukrainian_held`` for ukrainian-held)."""
    classified = [ClassifiedArea(k.replace("_", "-"), g, "test")  # type: ignore[arg-type]
                  for k, g in areas.items()]
    digest = hashlib.sha256(repr((day, sorted((k, g.wkb) for k, g in areas.items())))
                            .encode()).hexdigest()
    return build_snapshot(classified, day, "test", "test data", digest)


def event(kind: str, actor: str, lon: float, lat: float, day: date,
          eid: str = "ev-1") -> Event:
    return Event(id=eid, type=kind, actor=actor, places=(), attestations=(), status="claimed",
                 date=day, date_precision="day", lat=lat, lon=lon, admin1=None, precision=1,
                 geometry_kind="point", summary=f"{kind} at {lon},{lat}")


