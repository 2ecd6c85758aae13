"""``frontline map``: the stored events as one standalone HTML web map.

Leaflet and everything else the page needs is inlined, so the file opens from ``file://``
with no network. The filters are those of ``frontline render``, ``frontline export`` and the
API.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from api.commands.filters import add_filters, event_query
from api.errors import UsageError

HTML_SUFFIXES = (".html", ".htm")


def check_out(path: Path) -> None:
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise UsageError(f"--out: {path} must end in .html")
    if not path.parent.is_dir():
        raise UsageError(f"--out: folder {path.parent} does not exist")
    if path.is_dir():
        raise UsageError(f"--out: {path} is a folder")


def cmd_map(args: argparse.Namespace) -> int:
    from geo.store import default_store_url, open_store
    from maps.webmap import tile_source, write_html
    from maps.webmap_records import placeable

    out = Path(args.out)
    check_out(out)
    tiles = (tile_source(args.tiles_url, args.tiles_attribution) if args.tiles_url
             else None)
    if args.tiles_attribution and not args.tiles_url:
        raise UsageError("--tiles-attribution goes with --tiles-url")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    query = replace(event_query(args), limit=args.limit)
    url = args.store or default_store_url()
    if "://" not in url and not Path(url.removeprefix("gpkg:")).is_file():
        raise UsageError(f"no store at {url}: ingest some articles first, or give --store")
    from api.control import oblast_implausible, series, verdicts, view

    with open_store(url) as store:
        events = store.events(query)
        window = replace(query, limit=None, offset=0)
        counts = store.oblast_counts(window, "status")
        flagged = oblast_implausible(store, window)
        control = view(store, query.end)
        judged = verdicts(store, events)
        swaps = series(store)
    try:
        write_html(out, events, counts, online_tiles=args.online_tiles, control=control,
                   verdicts=judged, series=swaps, tiles=tiles, implausible=flagged)
    except OSError as exc:
        raise UsageError(f"--out: cannot write {out} ({exc.strerror or exc})") from exc
    mapped = sum(1 for e in events if placeable(e))
    size = out.stat().st_size / 1e6
    print(f"wrote {out} ({size:.1f} MB): {mapped} of {len(events)} events on the map"
          + (f", {len(events) - mapped} without a location" if mapped < len(events) else ""))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("map", help="write the stored events as a standalone HTML web map",
                       description="Write a layered web map (Leaflet) of the stored events "
                                   "as one HTML file that works offline.")
    p.add_argument("--out", required=True, help="the map file, NAME.html")
    add_filters(p)
    p.add_argument("--limit", type=int, help="at most this many events (oldest first)")
    p.add_argument("--online-tiles", action="store_true",
                   help="offer an OpenStreetMap base layer (needs a network when chosen)")
    p.add_argument("--tiles-url", metavar="TEMPLATE",
                   help="offer this XYZ tile server as a base layer instead, e.g. "
                        "https://tile.example.org/{z}/{x}/{y}.png (off until chosen)")
    p.add_argument("--tiles-attribution", metavar="TEXT",
                   help="the tile server's credit, shown on the map (required with "
                        "--tiles-url)")
    p.add_argument("--store", help="store URL (default: $FRONTLINE_STORE or the data folder)")
    p.set_defaults(func=cmd_map)
