"""Where events live: ``open_store(url)`` picks the backend from the URL.

May import ``geo.claims`` (fusion and status rules), ``geo.control`` (control snapshots),
``geo.gazetteer``, ``geo.models`` and ``geo.errors``; never ``ingest``.

``None`` means ``$FRONTLINE_STORE``, else ``frontline.gpkg`` in the data directory;
``postgresql://…`` is PostGIS; a path or ``gpkg:PATH`` is an embedded GeoPackage file.
"""

from __future__ import annotations

import os
from pathlib import Path

from geo.store.base import (
    EVERYTHING,
    Cell,
    CountBy,
    EventQuery,
    IngestOutcome,
    PlaceSummary,
    Store,
)
from geo.store.errors import StoreError

__all__ = ["EVERYTHING", "Cell", "CountBy", "EventQuery", "IngestOutcome", "PlaceSummary", "Store",
           "StoreError", "default_store_url", "open_store"]


def default_store_url() -> str:
    env = os.environ.get("FRONTLINE_STORE")
    if env:
        return env
    from geo.gazetteer.format import data_dir

    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)  # a first run must just work
    return str(directory / "frontline.gpkg")


def open_store(url: str | None = None) -> Store:
    url = url or default_store_url()
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from geo.store.postgis import PostgisStore

        return PostgisStore(url)
    if "://" in url:
        raise StoreError(f"{url}: unknown store; use a .gpkg path or postgresql://…")
    from geo.store.gpkg import GpkgStore

    return GpkgStore(Path(url.removeprefix("gpkg:")))
