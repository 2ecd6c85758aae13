"""``frontline render``: a static report map (PNG, SVG, PDF) of the stored events.

The filters are the API's, so that a figure and a feed of the same selection agree; the map
prints the selection it was made from.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from api.errors import UsageError
from geo.models import ACTORS, EVENT_TYPES, STATUSES


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise UsageError(f"--bbox: {text!r} is not four comma-separated numbers") from None
    if len(nums) != 4:
        raise UsageError(f"--bbox: expected minlon,minlat,maxlon,maxlat, got {len(nums)} "
                         "numbers")
    minlon, minlat, maxlon, maxlat = nums
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise UsageError(f"--bbox: {text!r} needs minlon < maxlon and minlat < maxlat, "
                         "in degrees")
    return minlon, minlat, maxlon, maxlat


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a date like 2025-06-06") from None


def parse_codes(values: list[str] | None, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """Repeated options and comma-separated lists, matched without regard to case."""
    lookup = {a.lower(): a for a in allowed}
    out: list[str] = []
    for v in values or ():
        for part in (p.strip() for p in v.split(",")):
            if not part:
                continue
            if part.lower() not in lookup:
                raise UsageError(f"{what}: unknown value {part!r}; expected one of "
                                 f"{', '.join(allowed)}")
            out.append(lookup[part.lower()])
    return tuple(dict.fromkeys(out))


def parse_oblast(text: str) -> tuple[str, str]:
    """An ISO 3166-2 code (UA-14) or an admin-1 name (Donetsk), as (code, name)."""
    from geo.admin import admin1_index

    units = admin1_index().units
    wanted = text.strip().lower()
    for u in sorted(units, key=lambda u: u.country != "UA"):
        if wanted in (u.iso.lower(), u.name.lower()):
            return u.iso, u.name
    raise UsageError(f"--oblast: unknown admin-1 unit {text!r}; use an ISO 3166-2 code such "
                     "as UA-14 or a name such as Donetsk")


def selection_caption(args: argparse.Namespace, oblast: tuple[str, str] | None,
                      types: tuple[str, ...], statuses: tuple[str, ...],
                      actors: tuple[str, ...]) -> str | None:
    parts = []
    if oblast:
        parts.append(f"oblast {oblast[0]} ({oblast[1]})")
    if args.bbox:
        parts.append(f"area {args.bbox}")
    for what, values in (("type", types), ("status", statuses), ("actor", actors)):
        if values:
            parts.append(f"{what} {', '.join(values)}")
    return f"Selection: {'; '.join(parts)}" if parts else None


def cmd_render(args: argparse.Namespace) -> int:
    from geo.store import EventQuery, default_store_url, open_store
    from maps.render import map_format, map_options, render_map

    if args.bbox and args.oblast:
        raise UsageError("give --bbox or --oblast, not both")
    bbox = parse_bbox(args.bbox) if args.bbox else None
    oblast = parse_oblast(args.oblast) if args.oblast else None
    start = parse_day(args.start, "--start") if args.start else None
    end = parse_day(args.end, "--end") if args.end else None
    if start and end and start > end:
        raise UsageError(f"--start {start} is after --end {end}")
    types = parse_codes(args.type, EVENT_TYPES, "--type")
    statuses = parse_codes(args.status, STATUSES, "--status")
    actors = parse_codes(args.actor, ACTORS, "--actor")
    options = {
        "title": args.title, "width": args.width, "height": args.height, "dpi": args.dpi,
        "bbox": bbox, "oblast": oblast[0] if oblast else None, "start": start, "end": end,
        "caption": selection_caption(args, oblast, types, statuses, actors),
        "max_labels": args.max_labels, "tiles": args.tiles,
    }
    # Check the request before reading the store: a typo must not cost a query.
    map_format(args.out, None)
    map_options(**options)
    query = EventQuery(bbox=bbox, start=start, end=end, types=types, statuses=statuses,
                       actors=actors, oblasts=(oblast[0],) if oblast else ())
    url = args.store or default_store_url()
    if "://" not in url and not Path(url.removeprefix("gpkg:")).is_file():
        raise UsageError(f"no store at {url}: ingest some articles first, or give --store")
    with open_store(url) as store:
        events = store.events(query)
    result = render_map(events, args.out, **options)
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
    area = p.add_mutually_exclusive_group()
    area.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat: the events and map area")
    area.add_argument("--oblast", help="one oblast (UA-14 or Donetsk): its events, zoomed")
    p.add_argument("--start", help="first day, e.g. 2025-06-01 (inclusive)")
    p.add_argument("--end", help="last day, e.g. 2025-06-30 (inclusive)")
    p.add_argument("--type", action="append",
                   help=f"event type(s), comma-separated or repeated: {', '.join(EVENT_TYPES)}")
    p.add_argument("--status", action="append",
                   help=f"status(es): {', '.join(STATUSES)}")
    p.add_argument("--actor", action="append", help=f"actor(s): {', '.join(ACTORS)}")
    p.add_argument("--title", help="a title printed above the map")
    p.add_argument("--width", type=float, default=10.0, help="inches (default 10)")
    p.add_argument("--height", type=float, default=7.5, help="inches (default 7.5)")
    p.add_argument("--dpi", type=int, default=150, help="raster resolution (default 150)")
    p.add_argument("--max-labels", type=int, default=12,
                   help="how many places to name on the map (default 12)")
    p.add_argument("--tiles", metavar="PROVIDER",
                   help="draw web tiles underneath, e.g. OpenStreetMap.Mapnik (needs a "
                        "network and the 'tiles' extra)")
    p.add_argument("--store", help="store URL (default: $FRONTLINE_STORE or the data folder)")
    p.set_defaults(func=cmd_render)
