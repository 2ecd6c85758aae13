"""The web map's own place names: reference towns to label and to search, from the gazetteer.

The page has no tiles, so it must bring its own names. Towns of Ukraine above a size, plus
every place an event sits at, travel in the page with the zoom from which each is labelled
and every spelling the gazetteer knows for it (Latin keys folded as ``name_key`` folds them,
and Cyrillic names as written), so that the search works offline and in any script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from geo.gazetteer.default import default_gazetteer
from geo.gazetteer.index import Gazetteer, Place
from geo.gazetteer.names import name_key
from geo.models import Event
from maps.names import has_gazetteer

# Smallest population labelled and searchable without an event there.
MIN_POPULATION = 3000
# (population at least, zoom from which the name is shown): big cities from the opening view.
ZOOM_BY_POPULATION = ((700_000, 4), (250_000, 5), (100_000, 6), (30_000, 7), (10_000, 8),
                      (MIN_POPULATION, 9))
# A GeoNames "settlement" this close to one three times its size is one of its districts
# (Obolon in Kyiv): within this many km, times the square root of the bigger one's
# population / 50 k.
DISTRICT_KM = 2.5
# ... or one that GeoNames also names as a district.
DISTRICT_WORDS = re.compile(r"\b(district|raion|rayon|rajon|район)\b", re.IGNORECASE)
EVENT_PLACE_ZOOM = 9
OBLAST_ZOOM = 99  # oblasts are searchable, never labelled as towns
SECTION = "section"  # a part of a city: searchable, never labelled as a town


@dataclass(frozen=True)
class PlaceRecord:
    """One name on the page: where, from which zoom, and the keys a search matches."""

    name: str
    lat: float
    lon: float
    population: int
    zoom: int
    keys: tuple[str, ...]
    kind: str = "settlement"
    admin1: str | None = None

    def page(self) -> list[Any]:
        """Compact, a list in a fixed order: the page holds thousands of these."""
        return [self.name, round(self.lat, 4), round(self.lon, 4), self.zoom, list(self.keys),
                self.kind, self.admin1]


def label_zoom(population: int) -> int:
    for least, zoom in ZOOM_BY_POPULATION:
        if population >= least:
            return zoom
    return EVENT_PLACE_ZOOM


def search_keys(names: Iterable[str]) -> tuple[str, ...]:
    """Folded keys of every name, and non-Latin names lower-cased as written: the page folds
    a Latin query the same way and compares anything else as typed."""
    keys: dict[str, None] = {}
    for n in names:
        k = name_key(n)
        if k:
            keys[k] = None
        if not n.isascii():
            keys[n.lower().replace("’", "'").replace("ʼ", "'")] = None
    return tuple(keys)


def _record(p: Place, zoom: int, name: str) -> PlaceRecord:
    return PlaceRecord(name, p.lat, p.lon, p.population, zoom,
                       search_keys((name, p.name, *p.alt_names)), p.kind, p.admin1)


def districts(lat: np.ndarray, lon: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Which of the places (sorted biggest first) lie inside a bigger one."""
    inside = np.zeros(len(lat), dtype=bool)
    k = np.cos(np.radians(lat.mean())) if len(lat) else 1.0
    for i in range(1, len(lat)):
        km = 111.0 * np.hypot(lat[:i] - lat[i], (lon[:i] - lon[i]) * k)
        reach = DISTRICT_KM * np.sqrt(population[:i] / 50_000)
        inside[i] = bool(((km < reach) & (population[:i] > 3 * population[i])).any())
    return inside


@lru_cache(maxsize=2)
def reference_places(min_population: int = MIN_POPULATION) -> tuple[PlaceRecord, ...]:
    """Ukraine's towns of at least ``min_population`` and its oblasts, biggest first."""
    g = default_gazetteer()
    return _reference(g, min_population)


def _reference(g: Gazetteer, min_population: int) -> tuple[PlaceRecord, ...]:
    towns: list[PlaceRecord] = []
    oblasts: list[PlaceRecord] = []
    for row in range(len(g)):
        if g.country_of(row) != "UA":
            continue
        kind = g.kind_of(row)
        if (kind == "settlement" and g.population(row) >= min_population
                and not g.city_section(row)):
            p = g.place(row)
            if any(DISTRICT_WORDS.search(n) for n in p.alt_names):
                continue
            towns.append(_record(p, label_zoom(p.population), g.official_name(row)))
        elif kind == "admin1":
            oblasts.append(_record(g.place(row), OBLAST_ZOOM, g.place(row).name))
    towns.sort(key=lambda r: (-r.population, r.name))
    inside = districts(np.array([t.lat for t in towns]), np.array([t.lon for t in towns]),
                       np.array([t.population for t in towns], dtype=float))
    kept = [t for t, d in zip(towns, inside, strict=True) if not d]
    return tuple(kept + sorted(oblasts, key=lambda r: r.name))


def event_places(events: Sequence[Event]) -> list[tuple[Place, str]]:
    """The settlements events are located at, once each, with their official names; a part
    of a city comes as kind ``section``: found by the search, never labelled as a town."""
    g = default_gazetteer()
    seen: dict[str, tuple[Place, str]] = {}
    for e in events:
        for t in e.places:
            if t.place_id and t.kind == "settlement" and t.place_id not in seen:
                row = g.row_of(t.place_id)
                if row is not None:
                    p = g.place(row)
                    if g.city_section(row):
                        p = p._replace(kind=SECTION)
                    seen[t.place_id] = (p, g.official_name(row))
    return list(seen.values())


def places_document(events: Sequence[Event]) -> list[list[Any]]:
    """Every name the page labels or finds: reference towns, then the events' own places
    (by their official Latin names, whatever the article wrote), ranked by size.
    Without a built gazetteer the page has no names of its own (a map is never the reason to
    build one)."""
    if not has_gazetteer():
        return []
    ref = reference_places()
    have = {(r.name, r.lat, r.lon) for r in ref}
    extra = [_record(p, min(label_zoom(p.population), EVENT_PLACE_ZOOM), name)
             for p, name in event_places(events) if (name, p.lat, p.lon) not in have]
    towns = sorted([r for r in ref if r.kind == "settlement"] + extra,
                   key=lambda r: (-r.population, r.name))
    return [r.page() for r in towns] + [r.page() for r in ref if r.kind != "settlement"]
