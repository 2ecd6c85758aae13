"""The basemap of every static map: our own oblast and country polygons, no tiles.

Shipping the polygons means a report renders offline and identically everywhere. Ukraine is
drawn within its internationally recognised borders (the union of its oblasts, Crimea
included), whatever a country file says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pyproj
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.admin import DATA

# Everything is clipped to this lon/lat window before projecting: it spans Ukraine and its
# neighbours, and keeps Russia's far east (and the antimeridian) out of the projection.
WINDOW = (5.0, 34.0, 62.0, 62.0)
UKRAINE_BOUNDS = (22.1, 44.3, 40.3, 52.4)
# Albers equal-area: areas of control compare honestly anywhere on the map.
STANDARD_PARALLELS = (45.5, 51.5)
# Kyiv and Sevastopol cities are too small to label (Kyiv gets a capital dot instead, which
# also names its oblast); two names read better short.
OBLAST_LABELS = {"UA-30": "", "UA-32": "", "UA-40": "", "UA-43": "Crimea", "UA-51": "Odesa"}
CAPITAL_UNIT = "UA-30"
# Neighbours whose regions matter to the war (strikes, incursions) get their borders drawn.
REGION_COUNTRIES = ("UA", "RU", "BY")


@dataclass(frozen=True)
class Basemap:
    """Basemap layers in one projected CRS (metres)."""

    crs: pyproj.CRS
    admin1: gpd.GeoDataFrame  # iso, country, name, geometry
    countries: gpd.GeoDataFrame  # country, name, geometry; Ukraine from its oblasts
    ukraine: BaseGeometry


def map_crs(lon0: float, lat0: float) -> pyproj.CRS:
    """An equal-area CRS centred on the view, so that north is up and the scale true there."""
    lat1, lat2 = STANDARD_PARALLELS
    return pyproj.CRS.from_proj4(
        f"+proj=aea +lat_0={lat0:.2f} +lon_0={lon0:.2f} +lat_1={lat1} +lat_2={lat2} "
        "+datum=WGS84 +units=m +no_defs")


@lru_cache(maxsize=1)
def _lonlat_layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    window = box(*WINDOW)
    admin1 = gpd.read_file(DATA / "admin1_web.geojson")
    admin1 = admin1[admin1.intersects(window)].reset_index(drop=True)
    ukraine = _without_slivers(admin1[admin1["country"] == "UA"].geometry.union_all())
    countries = gpd.read_file(DATA / "countries.geojson")[["country", "name", "geometry"]]
    countries = countries[countries.intersects(window)].copy()
    countries["geometry"] = countries.geometry.intersection(window)
    others = countries["country"] != "UA"
    countries.loc[others, "geometry"] = countries.loc[others].geometry.difference(ukraine)
    countries.loc[~others, "geometry"] = ukraine
    countries = countries[~countries.geometry.is_empty].reset_index(drop=True)
    return admin1, countries


def _without_slivers(geom: BaseGeometry) -> BaseGeometry:
    """Simplified oblasts do not share edges exactly; their union has hundreds of hair-thin
    holes. Ukraine has no enclaves, so every hole goes."""
    parts = getattr(geom, "geoms", [geom])
    return MultiPolygon([Polygon(p.exterior) for p in parts])


@lru_cache(maxsize=8)
def basemap(lon0: float, lat0: float) -> Basemap:
    """The basemap projected for a view centred on ``lon0``/``lat0`` (cached per centre)."""
    crs = map_crs(lon0, lat0)
    admin1, countries = _lonlat_layers()
    admin1_p = admin1.to_crs(crs)
    countries_p = countries.to_crs(crs)
    ukraine = countries_p[countries_p["country"] == "UA"].geometry.union_all()
    return Basemap(crs, admin1_p, countries_p, ukraine)


def oblast_label(iso: str, name: str) -> str:
    """The name to print on an oblast ("" for none)."""
    return OBLAST_LABELS.get(iso, name)


def admin1_bounds(iso: str) -> tuple[float, float, float, float] | None:
    """Lon/lat bounds of an admin-1 unit (an oblast or a neighbour's region), if known."""
    admin1, _ = _lonlat_layers()
    unit = admin1[admin1["iso"] == iso.upper()]
    if not len(unit):
        return None
    minx, miny, maxx, maxy = unit.total_bounds
    return (float(minx), float(miny), float(maxx), float(maxy))
