"""Who held each settlement of the theatre, in each stored snapshot.

The places of the ``places`` collection are the ones events happened at; this answers for
every settlement of Ukraine in the gazetteer, events or none. The settlements sit in one
R-tree, built once per process; each snapshot places them all at once (a few milliseconds
for some 28,000), and the answer is kept per snapshot, so a request only pages through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from api import control, rfc7946
from api.problems import NotFound
from geo.control.places import PointIndex
from geo.store.base import EventQuery, Store
from geo.store.control import SnapshotInfo

PLACES = "control-places"


@dataclass(frozen=True, eq=False)
class Settlements:
    ids: tuple[str, ...]
    names: tuple[str, ...]
    admin1: np.ndarray
    population: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    index: PointIndex
    positions: dict[str, int]

    def position(self, place_id: str) -> int | None:
        return self.positions.get(place_id)


@lru_cache(maxsize=1)
def settlements() -> Settlements:
    """Every settlement the gazetteer places in Ukraine."""
    from geo.gazetteer.default import default_gazetteer

    g = default_gazetteer()
    rows = [g.place(r) for r in range(len(g))
            if g.kind_of(r) == "settlement" and g.country_of(r) == "UA"]
    lon = np.array([p.lon for p in rows], dtype=float)
    lat = np.array([p.lat for p in rows], dtype=float)
    ids = tuple(p.id for p in rows)
    return Settlements(ids, tuple(p.name for p in rows),
                       np.array([p.admin1 or "" for p in rows], dtype=object),
                       np.array([p.population for p in rows], dtype=np.int64), lon, lat,
                       PointIndex(lon, lat), {pid: i for i, pid in enumerate(ids)})


def _sides(store: Store, info: SnapshotInfo) -> np.ndarray:
    """The side of every settlement in one snapshot, kept while the snapshot is."""
    return control._kept(("settlement sides", info.hash),
                         lambda: settlements().index.sides(control._snapshot(store, info)))


def _feature(s: Settlements, i: int, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": s.ids[i],
            "geometry": rfc7946.point(float(s.lon[i]), float(s.lat[i])),
            "properties": {"place_id": s.ids[i], "name": s.names[i],
                           "admin1": s.admin1[i] or None,
                           "population": int(s.population[i]), **props}}


def features(store: Store, q: EventQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of settlements with their side in the snapshot in force on the query's
    date (the latest if none), and how many matched the bbox and oblast filters."""
    infos = store.snapshots()
    info = control._picked(infos, q)
    if info is None:
        return [], 0
    s = settlements()
    sides = _sides(store, info)
    keep = sides != None  # noqa: E711 (elementwise on an object array)
    if q.bbox is not None:
        w, south, e, n = q.bbox
        keep &= (s.lon >= w) & (s.lon <= e) & (s.lat >= south) & (s.lat <= n)
    if q.oblasts:
        keep &= np.isin(s.admin1, list(q.oblasts))
    matched = np.flatnonzero(keep)
    end = None if q.limit is None else q.offset + q.limit
    about = {"snapshot": info.id, "as_of": info.as_of.isoformat()}
    return [_feature(s, int(i), {"side": sides[i], **about})
            for i in matched[q.offset:end]], len(matched)


def history(store: Store, infos: Sequence[SnapshotInfo], i: int) -> list[dict[str, Any]]:
    return [{"since": info.as_of.isoformat(), "side": _sides(store, info)[i],
             "basis": f"snapshot {info.id}"} for info in infos]


def item(store: Store, place_id: str) -> dict[str, Any]:
    """One settlement with the side it was on in every stored snapshot, oldest first."""
    s = settlements()
    i = s.position(place_id)
    if i is None:
        raise NotFound(f"no settlement {place_id!r} in Ukraine in the gazetteer")
    return _feature(s, i, {"history": history(store, store.snapshots(), i)})


def by_name(store: Store, name: str) -> list[dict[str, Any]]:
    """Every settlement of Ukraine the name can mean, best known first, each with its
    history across the snapshots."""
    from geo.gazetteer.default import default_gazetteer

    s = settlements()
    infos = store.snapshots()
    found = []
    for p in default_gazetteer().lookup(name, country="UA", kind="settlement"):
        i = s.position(p.id)
        if i is not None and p.country == "UA":
            found.append(_feature(s, i, {"history": history(store, infos, i)}))
    return found
