"""The web map as a page of the API: the filtered events on Leaflet, served from the package."""

from __future__ import annotations

from dataclasses import replace

from fastapi.responses import HTMLResponse

from api.problems import Unavailable
from geo.errors import FrontlineError
from geo.store.base import EventQuery, Store

ASSET_PATH = "/static/leaflet"


def map_page(store: Store, q: EventQuery, root_path: str = "") -> HTMLResponse:
    """At most ``q.limit`` events are drawn; the oblast shading counts the whole window."""
    from api.control import oblast_implausible, series, verdicts, view
    from maps.webmap import render_html

    events = store.events(q)
    window = replace(q, limit=None, offset=0)
    counts = store.oblast_counts(window, "status")
    try:
        page = render_html(events, counts, asset_base=root_path + ASSET_PATH,
                           control=view(store, q.end), verdicts=verdicts(store, events),
                           series=series(store),
                           implausible=oblast_implausible(store, window))
    except FrontlineError as exc:
        raise Unavailable(f"the web map cannot be drawn: {exc}") from exc
    return HTMLResponse(page)
