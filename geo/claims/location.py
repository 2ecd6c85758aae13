"""Where an event is, given the places it happened at.

A point for a settlement or landmark; the oblast for a region-level claim, located at a
point inside the oblast polygon (never its centroid, which may fall outside); nothing to
draw for a country-level event, because a point anywhere in Russia would claim more than
the source says. Precision follows ACLED (1 exact, 2 near, 3 region) with one step more,
4, for a whole country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shapely.geometry import shape

from geo.gazetteer.admin import oblast
from geo.gazetteer.names import name_key
from geo.models import PRECISION_REGION, Toponym

PRECISION_COUNTRY = 4
POINT, ADMIN1, COUNTRY = "point", "admin1", "country"
_SPECIFICITY = {"landmark": 0, "settlement": 0, "other": 1, "admin2": 1, "admin1": 2,
                "country": 3}
DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Location:
    lat: float | None
    lon: float | None
    admin1: str | None
    precision: int | None
    geometry_kind: str | None
    country: str | None = None


UNKNOWN = Location(None, None, None, None, None)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for f in _countries().values():
        p = f["properties"]
        for n in [p["name"], *p.get("names", [])]:
            names.setdefault(name_key(n), p["country"])
    return names


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    features = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["country"]: f for f in features}


@lru_cache(maxsize=64)
def _country_point(code: str) -> tuple[str, float, float] | None:
    f = _countries().get(code)
    if f is None:
        return None
    p = shape(f["geometry"]).representative_point()
    return f["properties"]["name"], p.y, p.x


def country_toponym(code: str, start: int, end: int, surface: str) -> Toponym | None:
    """A country named by its people ("Ukrainian installations"), as a country toponym."""
    found = _country_point(code)
    if found is None:
        return None
    name, lat, lon = found
    return Toponym(start, end, surface, round(lat, 5), round(lon, 5), "country", code, None,
                   PRECISION_REGION, 1.0, False, None, name)


@lru_cache(maxsize=1)
def _admin1_points() -> dict[str, dict]:
    rows = json.loads((DATA / "admin1_points.json").read_text(encoding="utf-8"))
    return {r["iso"]: r for r in rows}


def region_of_capital(t: Toponym) -> Toponym | None:
    """"Kursk" for the oblast the city gives its name to, when ground is counted there
    ("took 1,150 square kilometres in Kursk"): the region, at its own point."""
    row = _admin1_points().get(t.admin1 or "")
    if row is None or name_key(t.resolved_name or t.name) not in {
            name_key(n) for n in (row["name"], *row.get("names", []))}:
        return None
    return region_of(t)


def region_of(t: Toponym) -> Toponym | None:
    """The oblast a settlement lies in, as a place at the oblast's own point."""
    row = _admin1_points().get(t.admin1 or "")
    if row is None or t.kind != "settlement":
        return None
    return Toponym(t.start, t.end, t.name, row["lat"], row["lon"], "admin1", row["country"],
                   row["iso"], PRECISION_REGION, t.score, False,
                   str(row["geonameid"]) if row.get("geonameid") else None, row["name"])


def country_code(t: Toponym) -> str | None:
    """ISO 3166-1 code of the place's country (countries carry it by name only)."""
    if t.country:
        return t.country
    if t.kind != "country":
        return None
    for n in (t.resolved_name, t.name):
        if n and (code := _country_names().get(name_key(n))):
            return code
    return None


def specificity(t: Toponym) -> int:
    """0 for a point place, up to 3 for a country: lower is more specific."""
    if t.kind in ("settlement", "landmark") and t.precision == PRECISION_REGION:
        return 1  # a village known only by its oblast
    return _SPECIFICITY.get(t.kind, 1)


def place_key(t: Toponym) -> str:
    """Identity of a place across articles: its id, or its oblast and name when the
    gazetteer only knew the oblast (two different villages share the oblast's id)."""
    if t.kind == "country":
        return f"country:{country_code(t) or name_key(t.name)}"
    if t.kind == "admin1" and t.admin1:
        return f"admin1:{t.admin1}"
    if t.place_id and not (t.kind in ("settlement", "landmark")
                           and t.precision == PRECISION_REGION):
        return t.place_id
    return f"{t.admin1 or '?'}:{name_key(t.name)}"


def contains(outer: Toponym, inner: Toponym) -> bool:
    """True when ``outer`` is a region or country that ``inner`` lies in."""
    if place_key(outer) == place_key(inner) or specificity(outer) <= specificity(inner):
        return False
    if outer.kind == "country":
        return (code := country_code(outer)) is not None and code == country_code(inner)
    return outer.kind == "admin1" and outer.admin1 is not None and outer.admin1 == inner.admin1


def locate(place: Toponym | None) -> Location:
    """The map location of an event whose main place is ``place``."""
    if place is None or not place.resolved:
        return UNKNOWN
    if place.kind == "country":
        return Location(None, None, None, PRECISION_COUNTRY, COUNTRY, country_code(place))
    region_only = place.kind == "admin1" or place.precision == PRECISION_REGION
    if region_only and place.admin1 and (shape := oblast(place.admin1)) is not None:
        p = shape.representative_point()
        return Location(round(p.y, 7), round(p.x, 7), place.admin1, PRECISION_REGION, ADMIN1,
                        place.country)
    return Location(place.lat, place.lon, place.admin1, place.precision or PRECISION_REGION,
                    POINT, place.country)
