"""Published control maps to classified polygons: one reader for every format GDAL knows.

A feature's class comes from ``status_field`` when given, else from the first common field
that is present (``status``, ``control``…), else from its layer's name: KML folders, the
layers of a GeoPackage and the stem of a GeoJSON file are how many publishers say which
ground is which. Points and lines (labels, arrows) are skipped; a file with no polygon at
all is an error, not an empty front.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.classes import STATUSES, Status, classify
from geo.control.errors import ControlError

STATUS_FIELDS = ("status", "control", "state", "class", "category", "type")
SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
MAX_LISTED = 5


@dataclass(frozen=True)
class ClassifiedArea:
    status: Status
    geometry: BaseGeometry  # polygonal, lon/lat on WGS 84
    layer: str


def file_digest(paths: Sequence[Path]) -> str:
    """The identity of the files' bytes (with a shapefile's sidecars), in the given order."""
    h = hashlib.sha256()
    for path in paths:
        for part in [path, *(path.with_suffix(s) for s in SIDECARS if path.suffix == ".shp")]:
            if part.exists():
                h.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    return h.hexdigest()


def read_areas(path: Path, status_field: str | None = None,
               mapping: Mapping[str, Status] | None = None) -> list[ClassifiedArea]:
    """Every polygon of every layer of ``path`` with its class."""
    import pyogrio

    source: Any = _kml_of_kmz(path) if path.suffix.lower() == ".kmz" else path
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(_rewind(source))]
    except Exception as exc:  # GDAL raises its own types, all meaning "cannot read"
        raise ControlError(f"{path}: not a readable map file ({_first_line(exc)})") from None
    out: list[ClassifiedArea] = []
    unknown: set[str] = set()
    for layer in layers:
        try:
            frame = pyogrio.read_dataframe(_rewind(source), layer=layer)
        except Exception as exc:
            raise ControlError(f"{path}: layer {layer!r} unreadable ({_first_line(exc)})"
                               ) from None
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        field = _field(frame.columns, status_field)
        if status_field and field is None and len(frame):
            fields = [str(c) for c in frame.columns if c != frame.geometry.name]
            raise ControlError(f"{path}: layer {layer!r} has no field {status_field!r}; its "
                               f"fields are {', '.join(fields) or 'none'}")
        values = frame[field].tolist() if field else [None] * len(frame)
        for geom, value in zip(frame.geometry.values, values, strict=True):
            polygons = _polygonal(geom)
            if polygons is None:
                continue
            label = layer if value is None or str(value).strip() == "" else value
            status = classify(label, mapping)
            if status is None:
                unknown.add(str(label))
                continue
            out.append(ClassifiedArea(status, polygons, layer))
    if unknown:
        listed = ", ".join(repr(v) for v in sorted(unknown)[:MAX_LISTED])
        raise ControlError(f"{path}: unknown status value {listed}; say which class it is "
                           f"with --map CLASS=VALUE (classes: {', '.join(STATUSES)})")
    if not out:
        raise ControlError(f"{path}: no polygons to read")
    return out


def _field(columns: Any, wanted: str | None) -> str | None:
    names = {str(c).casefold(): str(c) for c in columns if str(c) != "geometry"}
    if wanted:
        return names.get(wanted.casefold())
    return next((names[f] for f in STATUS_FIELDS if f in names), None)


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return shapely.force_2d(geom)
    if geom.geom_type == "GeometryCollection":
        parts = [shapely.force_2d(g) for g in shapely.get_parts(geom)
                 if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else None
    return None


def _kml_of_kmz(path: Path) -> io.BytesIO:
    """The KML document inside a KMZ (a zip), checked whole: a truncated download fails
    here with its name rather than deep inside GDAL."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            kml = [n for n in z.namelist() if n.lower().endswith(".kml")]
            if bad is not None:
                raise ControlError(f"{path}: corrupt KMZ ({bad} fails its checksum)")
            if not kml:
                raise ControlError(f"{path}: a KMZ without a KML document inside")
            name = "doc.kml" if "doc.kml" in kml else kml[0]
            return io.BytesIO(z.read(name))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ControlError(f"{path}: corrupt KMZ ({exc})") from None


def _rewind(source: Any) -> Any:
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return source


def _first_line(exc: BaseException) -> str:
    text = re.sub(r"/vsimem/\S+\s*", "", str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__
