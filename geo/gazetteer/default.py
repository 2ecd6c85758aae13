"""The gazetteer a process uses unless told otherwise: built on first use, then loaded once."""

from __future__ import annotations

from functools import lru_cache

from geo.gazetteer.build import build_index
from geo.gazetteer.format import INDEX_FILE, StaleIndexError, data_dir
from geo.gazetteer.index import Gazetteer, Place


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer in ``data_dir()``, built on first use."""
    directory = data_dir()
    if not (directory / INDEX_FILE).exists():
        build_index(directory)
    try:
        return Gazetteer.load(directory)
    except StaleIndexError:
        build_index(directory)
        return Gazetteer.load(directory)


def lookup(name: str, country: str | None = None, kind: str | None = None) -> list[Place]:
    return default_gazetteer().lookup(name, country=country, kind=kind)
