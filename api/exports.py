"""Events as files for analysts: ACLED-like CSV rows and a GeoPackage layer.

The CSV keeps ACLED's column names so that existing notebooks and dashboards read it with
a changed path only; our confirmation status and claimant ride along at the end, and so does
the line of contact's verdict on a claim (empty where no snapshot judged it), so an analyst
can sort claims by how far beyond the line they reach. Text cells that a spreadsheet would
run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from geo.claims.location import ADMIN1
from geo.gazetteer.admin import admin1_index, oblast
from geo.geojson import flat_properties
from geo.models import Event

ACLED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                 "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                 "notes", "status", "claimant", "admin1_iso", "n_sources", "first_said",
                 "last_said", "basis_quote", "sources")
VERDICT_COLUMNS = ("control_snapshot", "control_side", "line_km", "implausible",
                   "implausible_reason")
COLUMNS = (*ACLED_COLUMNS, *VERDICT_COLUMNS)
Verdict = Callable[[Event], "dict[str, Any] | None"]
ACTOR_NAMES = {"RU": "Military Forces of Russia", "UA": "Military Forces of Ukraine",
               "unknown": "Unidentified"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT = frozenset({"sub_event_type", "actor1", "admin1", "location", "source", "notes",
                   "claimant", "event_type", "basis_quote", "sources"})


def _joined(values: Iterable[str | None]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _oblast_name(iso: str | None) -> str:
    unit = admin1_index().get(iso) if iso else None
    return unit.name if unit else ""


def location(e: Event) -> str:
    for t in e.places:
        if t.resolved:
            return t.resolved_name or t.name
    return e.places[0].name if e.places else _oblast_name(e.admin1)


def acled_row(e: Event) -> dict[str, Any]:
    notes = e.summary or next((a.quote for a in e.attestations if a.quote), "")
    flat = flat_properties(e)
    return {
        "event_id_cnty": e.id,
        "event_date": e.date.isoformat() if e.date else "",
        "event_type": e.type,
        "sub_event_type": e.sub_event_type or "",
        "actor1": ACTOR_NAMES.get(e.actor, e.actor),
        "admin1": _oblast_name(e.admin1),
        "location": location(e),
        "latitude": "" if e.lat is None else round(e.lat, 7),
        "longitude": "" if e.lon is None else round(e.lon, 7),
        "geo_precision": "" if e.precision is None else e.precision,
        "source": _joined(a.outlet for a in e.attestations),
        "notes": notes,
        "status": e.status,
        "claimant": _joined(a.claimant for a in e.attestations),
        "admin1_iso": e.admin1 or "",
        "n_sources": flat["n_sources"],
        "first_said": flat["first_said"] or "",
        "last_said": flat["last_said"] or "",
        "basis_quote": flat["basis_quote"] or "",
        "sources": flat["sources"],
    }


def _no_verdict(e: Event) -> dict[str, Any] | None:
    return None


def verdict_cells(verdict: dict[str, Any] | None) -> dict[str, Any]:
    """The verdict columns of one row: empty where no snapshot judged the event."""
    if not verdict:
        return dict.fromkeys(VERDICT_COLUMNS, "")
    return {k: "" if verdict.get(k) is None else verdict[k] for k in VERDICT_COLUMNS}


def _cell(key: str, value: Any) -> Any:
    if key in _TEXT and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(events: Iterable[Event], rows_per_chunk: int = 500,
               verdict: Verdict = _no_verdict) -> Iterator[str]:
    """The CSV text in pieces, header first, so a large export streams without a full copy.
    ``verdict`` gives the line of contact's judgement of an event (None: not judged)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for i, e in enumerate(events, start=1):
        row = {**acled_row(e), **verdict_cells(verdict(e))}
        if isinstance(row["implausible"], bool):
            row["implausible"] = "true" if row["implausible"] else "false"
        writer.writerow({k: _cell(k, v) for k, v in row.items()})
        if i % rows_per_chunk == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def gpkg_bytes(events: list[Event], layer: str = "events",
               verdict: Verdict = _no_verdict) -> bytes:
    """A GeoPackage with a point layer (the CSV columns, typed, plus every source as JSON
    text) and ``event_areas``: the oblast-level events again, with their oblast as a
    MultiPolygon, so that each layer holds one geometry type. The verdict columns are typed
    (a real, a boolean) and null where nothing was judged."""
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import MultiPolygon, Point

    rows = []
    geoms = []
    area_rows, areas = [], []
    for e in events:
        row = acled_row(e)
        row["latitude"] = e.lat
        row["longitude"] = e.lon
        row["geo_precision"] = e.precision
        for key in ("first_said", "last_said", "basis_quote"):
            row[key] = row[key] or None
        row["attestations"] = json.dumps([a.to_dict() for a in e.attestations],
                                         ensure_ascii=False)
        row["places"] = json.dumps([t.to_dict() for t in e.places], ensure_ascii=False)
        judged = verdict(e) or {}
        row.update({k: judged.get(k) for k in VERDICT_COLUMNS})
        rows.append(row)
        geoms.append(Point(e.lon, e.lat) if e.mapped else None)
        shape = oblast(e.admin1) if e.geometry_kind == ADMIN1 and e.admin1 else None
        if shape is not None:
            area_rows.append(row)
            areas.append(shape if isinstance(shape, MultiPolygon) else MultiPolygon([shape]))
    columns = [*COLUMNS, "attestations", "places"]
    frame = gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs="EPSG:4326")
    area_frame = gpd.GeoDataFrame(area_rows, columns=columns, geometry=areas, crs="EPSG:4326")
    for f in (frame, area_frame):
        f["line_km"] = f["line_km"].astype("float64")
        f["implausible"] = f["implausible"].astype("boolean")
    fd, name = tempfile.mkstemp(suffix=".gpkg")
    os.close(fd)
    path = Path(name)
    try:
        path.unlink()
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG",
                                geometry_type="Point")
        pyogrio.write_dataframe(area_frame, path, layer="event_areas", driver="GPKG",
                                geometry_type="MultiPolygon", append=True)
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
