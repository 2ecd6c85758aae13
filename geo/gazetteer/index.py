"""The embedded place index: names in, candidate places out.

The index is a pickle built once from registry-shipped sources (see ``gazetteer_build``) and
kept in the user's data directory, so that later loads cost well under a second. Rows are
stored column-wise: 240 k small objects would cost more memory and load time than the
lists they are made from.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from geo.gazetteer.format import (
    IMPORTED_FILE,
    INDEX_FILE,
    INDEX_VERSION,
    GazetteerError,
    StaleIndexError,
    data_dir,
)
from geo.gazetteer.names import name_key
from geo.gazetteer.translit import official_latin

PRIMARY_BONUS = 1.5
# A national capital is named in the news far beyond its population ("Washington").
CAPITAL_BONUS = 1.0

# A village without a population (the codifier's, the curated supplement's) most likely has a
# few hundred people, but any entry with a population of its own ranks before it.
VILLAGE_SIZE = math.log10(50)

KINDS = ("settlement", "admin1", "admin2", "country", "landmark", "other")


class Place(NamedTuple):
    """One gazetteer entry. ``id`` is the GeoNames id as text, or ``sup:…``/``ne:…``/
    ``fips:…`` (a US county by its Census code).

    A named tuple rather than a dataclass: lookups build many of them, and tuples are
    several times cheaper to construct.
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    population: int
    country: str
    admin1: str | None
    alt_names: tuple[str, ...] = ()
    capital: bool = False
    source: str = "geonames"

    @property
    def geonameid(self) -> int | None:
        return int(self.id) if self.id.isdigit() else None


class Gazetteer:
    """Look places up by any of their names, in any script or romanisation."""

    def __init__(self, columns: dict[str, list], index: dict[str, tuple[int, ...]],
                 descriptions: dict[str, int] | None = None,
                 renamed: dict[str, tuple[int, ...]] | None = None,
                 lines: dict[str, tuple[tuple[float, float], ...]] | None = None,
                 line_admin1: dict[str, frozenset[str]] | None = None,
                 unlisted: frozenset[str] | None = None) -> None:
        """``renamed``: name key → rows that bore that name officially before a renaming;
        ``lines``: place id → the (lat, lon) vertices of a river or reservoir, and
        ``line_admin1`` the admin-1 units it flows through; ``unlisted``: ids of Ukrainian
        GeoNames settlements that no settlement of the official codifier is named as."""
        self._c = columns
        self._unlisted = unlisted or frozenset()
        self._lines = lines or {}
        self._line_admin1 = line_admin1 or {}
        self._index = index
        self._renamed = renamed or {}
        self._by_id = {pid: i for i, pid in enumerate(columns["id"])}
        self.descriptions = descriptions or {}
        self.max_words = max((k.count(" ") + 1 for k in index), default=1)
        self._admin1_rows: dict[str, int] | None = None
        self._former: dict[int, set[str]] | None = None

    def __len__(self) -> int:
        return len(self._c["id"])

    # --- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        directory = directory or data_dir()
        base = _read_pickle(directory / INDEX_FILE)
        imported = directory / IMPORTED_FILE
        if imported.exists():
            extra = _read_pickle(imported)
            return cls._merged(base, extra)
        return cls(base["columns"], base["index"], base.get("descriptions"),
                   base.get("renamed"), base.get("lines"),
                   base.get("line_admin1"), frozenset(base.get("unlisted", ())))

    @classmethod
    def _merged(cls, base: dict, extra: dict) -> Gazetteer:
        """Imported GeoNames rows replace embedded rows with the same id and add the rest."""
        columns = {k: list(v) for k, v in base["columns"].items()}
        position = {pid: i for i, pid in enumerate(columns["id"])}
        remap: dict[int, int] = {}
        for j, pid in enumerate(extra["columns"]["id"]):
            i = position.get(pid)
            if i is None:
                i = len(columns["id"])
                for k in columns:
                    columns[k].append(extra["columns"][k][j])
            else:
                for k in columns:
                    if k != "capital":
                        columns[k][i] = extra["columns"][k][j]
            remap[j] = i
        index = dict(base["index"])
        for key, rows in extra["index"].items():
            merged = set(index.get(key, ())) | {remap[r] for r in rows}
            index[key] = tuple(sorted(merged))
        # A city section by the dump's own feature code, or by the codifier unless the dump
        # calls the place a town.
        unlisted = (set(base.get("unlisted", ())) - set(extra.get("towns", ()))) | set(
            extra.get("unlisted", ()))
        return cls(columns, index, base.get("descriptions"), base.get("renamed"),
                   base.get("lines"), base.get("line_admin1"), frozenset(unlisted))

    # --- queries -------------------------------------------------------------------------
    def has_key(self, key: str) -> bool:
        return key in self._index

    def rows_for_key(self, key: str) -> tuple[int, ...]:
        return self._index.get(key, ())

    def place(self, row: int) -> Place:
        c = self._c
        alt = c["alt_names"][row]
        return Place(c["id"][row], c["name"][row], c["kind"][row], c["lat"][row], c["lon"][row],
                     c["population"][row], c["country"][row], c["admin1"][row] or None,
                     tuple(alt.split("|")) if alt else (), c["capital"][row], c["source"][row])

    def row_of(self, place_id: str | int) -> int | None:
        return self._by_id.get(str(place_id))

    def by_id(self, place_id: str | int) -> Place | None:
        row = self._by_id.get(str(place_id))
        return None if row is None else self.place(row)

    def city_section(self, row: int) -> bool:
        """Whether a Ukrainian settlement is a part of a city rather than a town: GeoNames
        lists city districts, microdistricts and quarters (Pravyi Bereh in Mariupol, Saltivka
        in Kharkiv) as populated places, while the official codifier names every town and
        village of Ukraine and none of these. Without the codifier, nothing is one."""
        return self._c["id"][row] in self._unlisted

    def line(self, place_id: str) -> tuple[tuple[float, float], ...] | None:
        """The (lat, lon) vertices of a river or reservoir, upstream first; None for a place
        that is a point."""
        return self._lines.get(place_id)

    def flows_through(self, place_id: str, admin1: str) -> bool:
        """Whether a river or reservoir lies in the admin-1 unit ``admin1``."""
        return admin1 in self._line_admin1.get(place_id, ())

    def admin1_row(self, iso: str) -> int | None:
        """The row of the admin-1 unit with ISO 3166-2 code ``iso``."""
        if self._admin1_rows is None:
            c = self._c
            self._admin1_rows = {c["admin1"][r]: r for r in range(len(self))
                                 if c["kind"][r] == "admin1" and c["admin1"][r]}
        return self._admin1_rows.get(iso)

    def is_primary(self, row: int, key: str) -> bool:
        """Whether ``key`` is the entry's own name rather than an alternate or former one."""
        return self._c["key"][row] == key

    def was_named(self, row: int, key: str) -> bool:
        """Whether ``key`` is a former official name of the entry (Artemivsk for Bakhmut)."""
        return row in self._renamed.get(key, ())

    def id_of(self, row: int) -> str:
        return self._c["id"][row]

    def former_keys(self, row: int) -> set[str]:
        """Name keys the entry bore officially before a renaming."""
        if self._former is None:
            self._former = {}
            for key, rows in self._renamed.items():
                for r in rows:
                    self._former.setdefault(r, set()).add(key)
        return self._former.get(row, set())

    def official_name(self, row: int) -> str:
        """The name to print on a map: the official Latin form where the entry's own name is
        another romanisation of it (Kryvyi Rih for Kryvyy Rih)."""
        c = self._c
        alts = c["alt_names"][row].split("|") if c["alt_names"][row] else []
        origins = c["alt_origins"][row].split("|") if c["alt_origins"][row] else []
        official = [n for n, o in zip(alts, origins, strict=False) if o == "official"]
        return official_latin(c["name"][row], alts, self.former_keys(row), official)

    def key_of(self, row: int) -> str:
        return self._c["key"][row]

    def kind_of(self, row: int) -> str:
        return self._c["kind"][row]

    def country_of(self, row: int) -> str:
        return self._c["country"][row]

    def population(self, row: int) -> int:
        return self._c["population"][row]

    def admin1_of(self, row: int) -> str:
        return self._c["admin1"][row]

    def source_of(self, row: int) -> str:
        return self._c["source"][row]

    def exhaustive(self, row: int) -> bool:
        """Whether the row comes only from the codifier of every Ukrainian village, whose
        names alone are weak evidence of a place (thousands of them are also words or
        surnames), and whose point may be its hromada's centre."""
        return self._c["source"][row].startswith("katotth")

    def name_origin(self, row: int, name: str) -> str | None:
        """Where the row's name ``name`` comes from: ``primary`` for its own name, else the
        origin recorded for that alternate (``geonames``, ``official``, ``derived``,
        ``renamed``, ``supplement``...); None when the row has no such name."""
        c = self._c
        if name == c["name"][row]:
            return "primary"
        alts = c["alt_names"][row].split("|")
        origins = c["alt_origins"][row].split("|") if c["alt_origins"][row] else []
        for k, alt in enumerate(alts):
            if alt == name:
                return origins[k] if k < len(origins) else c["source"][row]
        return None

    def lookup(self, name: str, country: str | None = None, kind: str | None = None,
               limit: int | None = None) -> list[Place]:
        """Candidates for ``name``, best first; unknown names give an empty list.

        Order: the stated country first, then by population, where an entry's own name
        counts as a thirtyfold population over an alternate or former name (so that
        "Oleksandrivka" finds villages of that name before Donetsk, once so called).
        """
        key = name_key(name)
        rows: Iterable[int] = self._index.get(key, ())
        if kind:
            rows = [r for r in rows if self._c["kind"][r] == kind]
        if len(rows) > 1:  # type: ignore[arg-type]
            rows = sorted(rows, key=lambda r: self._rank(r, key, country))
        if limit is not None:
            rows = list(rows)[:limit]
        return [self.place(r) for r in rows]

    def _rank(self, row: int, key: str, country: str | None) -> tuple:
        c = self._c
        return (
            0 if country is None or c["country"][row] == country.upper() else 1,
            -self.prior(row, key),
            c["id"][row],
        )

    def prior(self, row: int, key: str) -> float:
        """log10 population, plus PRIMARY_BONUS when ``key`` is the entry's own name, and
        CAPITAL_BONUS when that name is a national capital's."""
        c = self._c
        size = math.log10(c["population"][row] + 1) or (
            VILLAGE_SIZE if c["kind"][row] == "settlement" else 0.0)
        if c["key"][row] != key:
            return size + PRIMARY_BONUS if self.was_named(row, key) else size
        return size + (PRIMARY_BONUS + CAPITAL_BONUS if c["capital"][row] else PRIMARY_BONUS)


def _read_pickle(path: Path) -> dict:
    if not path.exists():
        raise GazetteerError(
            f"no gazetteer index at {path}: run `frontline gazetteer build` first")
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except (pickle.UnpicklingError, EOFError, ValueError, OSError) as exc:
        raise GazetteerError(f"gazetteer index {path} is unreadable ({exc}); rebuild it") from exc
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        raise StaleIndexError(f"gazetteer index {path} is of another version; rebuild it")
    return data
