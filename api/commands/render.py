"""``frontline render``: a static report map (PNG, SVG, PDF) of the stored events.

The filters are those of ``frontline map``, ``frontline export`` and the API, so that a
figure and a feed of the same selection agree; the map prints the selection it was made from.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from api.commands.filters import add_filters, chosen_oblast, event_query
from api.errors import UsageError
from geo.store import EventQuery


def selection_caption(query: EventQuery, oblast: tuple[str, str] | None,
                      area: str | None) -> str | None:
    """The filters printed on the figure, so that a map cut from a report still says what
    it shows."""
    parts = []
    if oblast:
        parts.append(f"oblast {oblast[0]} ({oblast[1]})")
    if area:
        parts.append(f"area {area}")
    for what, values in (("type", query.types), ("status", query.statuses),
                         ("actor", query.actors), ("claimant", query.claimants),
                         ("outlet", query.outlets)):
        if values:
            parts.append(f"{what} {', '.join(values)}")
    if query.text:
        parts.append(f"words {query.text!r}")
    return f"Selection: {'; '.join(parts)}" if parts else None


def cmd_render(args: argparse.Namespace) -> int:
    from geo.store import default_store_url, open_store
    from maps.render import map_format, map_options, render_map

    query = event_query(args)
    oblast = chosen_oblast(args)
    options = {
        "title": args.title, "width": args.width, "height": args.height, "dpi": args.dpi,
        "bbox": query.bbox, "oblast": oblast[0] if oblast else None, "start": query.start,
        "end": query.end, "caption": selection_caption(query, oblast, args.bbox),
        "max_labels": args.max_labels, "max_towns": args.max_towns, "tiles": args.tiles,
        "template": args.template,
    }
    # Check the request before reading the store: a typo must not cost a query.
    map_format(args.out, None)
    map_options(**options)
    url = args.store or default_store_url()
    if "://" not in url and not Path(url.removeprefix("gpkg:")).is_file():
        raise UsageError(f"no store at {url}: ingest some articles first, or give --store")
    from api.control import view

    with open_store(url) as store:
        events = store.events(query)
        control = view(store, query.end)
    result = render_map(events, args.out, control=control, **options)
    left_out = [f"{n} {what}" for n, what in (
        (result.country_wide, "country-wide"), (result.unlocated, "without a location"),
        (result.outside, "outside the map area")) if n]
    print(f"wrote {args.out} ({result.width_px}x{result.height_px} px): {result.shown} of "
          f"{result.events} events on the map"
          + (f" (not shown: {', '.join(left_out)})" if left_out else "")
          + f"; {result.articles} articles, {result.attestations} attestations")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="draw the stored events as a PNG, SVG or PDF map",
                       description="Draw a report map of the stored events. The format comes "
                                   "from the file name: .png, .svg or .pdf.")
    p.add_argument("--out", required=True, help="the map file: NAME.png, NAME.svg or NAME.pdf")
    add_filters(p, area_help="its events, with the map zoomed to it")
    p.add_argument("--title", help="a title printed above the map")
    p.add_argument("--template", choices=["newspaper", "a4"],
                   help="a page made for print: newspaper (one 85 mm column, 300 dpi) or a4 "
                        "(a full portrait page, 200 dpi), the legend and facts laid out for "
                        "it; instead of --width and --height")
    p.add_argument("--width", type=float, help="inches (default 10)")
    p.add_argument("--height", type=float, help="inches (default 7.5)")
    p.add_argument("--dpi", type=int,
                   help="raster resolution (default 150, or the template's)")
    p.add_argument("--max-labels", type=int, default=12,
                   help="how many places to name on the map (default 12)")
    p.add_argument("--max-towns", type=int, default=20,
                   help="how many reference towns to add where there is room (default 20)")
    p.add_argument("--tiles", metavar="PROVIDER",
                   help="draw web tiles underneath, e.g. OpenStreetMap.Mapnik (needs a "
                        "network and the 'tiles' extra)")
    p.add_argument("--store", help="store URL (default: $FRONTLINE_STORE or the data folder)")
    p.set_defaults(func=cmd_render)
