"""The names both maps print: the gazetteer's official Latin form, whatever the article wrote.

An article's spelling (Kupyansk, Svetlodarsk) stays in the evidence, the quotes; a label is
the place's name as Ukraine writes it in Latin letters (Kupiansk, Svitlodarsk), so that one
map never mixes spellings. Without a built gazetteer the resolved name is printed as is.
"""

from __future__ import annotations

from functools import lru_cache

from geo.gazetteer.format import INDEX_FILE, data_dir
from geo.gazetteer.index import Gazetteer
from geo.models import Toponym


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer | None:
    if not (data_dir() / INDEX_FILE).exists():
        return None
    from geo.gazetteer.default import default_gazetteer

    return default_gazetteer()


def has_gazetteer() -> bool:
    return _gazetteer() is not None


@lru_cache(maxsize=65536)
def official_name(place_id: str) -> str | None:
    g = _gazetteer()
    row = g.row_of(place_id) if g is not None else None
    return g.official_name(row) if g is not None and row is not None else None


def printed_name(t: Toponym) -> str:
    """The label for a resolved mention; oblasts and countries keep their resolved name."""
    if t.place_id and t.kind in ("settlement", "landmark"):
        name = official_name(t.place_id)
        if name:
            return name
    return t.resolved_name or t.name
