"""The event filters of ``frontline render``, ``map`` and ``export``: one set of options, one
parser.

A report map, a web map and an export of the same selection must agree, so the three commands
take their filters from here. The options mirror the API's query parameters, but bad values
are reported as one-line usage errors that name the option, not as HTTP problems.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from api.errors import UsageError
from geo.models import ACTORS, EVENT_TYPES, STATUSES
from geo.store import EventQuery

OPEN_END = ("", "..")


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
    """A date-time counts as the day it names, as written: events are whole days."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a date like 2025-06-06") from None


def parse_interval(text: str) -> tuple[date | None, date | None]:
    """An instant, or ``start/end`` with ``..`` (or nothing) for an open end, as in OGC APIs."""
    if "/" not in text:
        day = parse_day(text, "--datetime")
        return day, day
    parts = text.split("/")
    if len(parts) != 2:
        raise UsageError(f"--datetime: {text!r} has more than one '/'")
    start = None if parts[0].strip() in OPEN_END else parse_day(parts[0], "--datetime start")
    end = None if parts[1].strip() in OPEN_END else parse_day(parts[1], "--datetime end")
    if start and end and start > end:
        raise UsageError(f"--datetime: the interval {text!r} ends before it starts")
    return start, end


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


def parse_names(values: list[str] | None) -> tuple[str, ...]:
    """Repeated options only: claimants and outlets may have commas in their names."""
    return tuple(dict.fromkeys(v.strip() for v in values or () if v.strip()))


def parse_oblast(text: str) -> tuple[str, str]:
    """An ISO 3166-2 code (UA-14) or an admin-1 name (Donetsk), as (code, name)."""
    from geo.gazetteer.admin import admin1_index

    units = admin1_index().units
    wanted = text.strip().lower()
    for u in sorted(units, key=lambda u: u.country != "UA"):
        if wanted in (u.iso.lower(), u.name.lower()):
            return u.iso, u.name
    raise UsageError(f"--oblast: unknown admin-1 unit {text!r}; use an ISO 3166-2 code such "
                     "as UA-14 or a name such as Donetsk")


def chosen_oblast(args: argparse.Namespace) -> tuple[str, str] | None:
    """The ``--oblast`` unit as (code, name), for commands that also name or zoom to it."""
    return parse_oblast(args.oblast) if args.oblast else None


def add_filters(p: argparse.ArgumentParser, *, area_help: str = "only the events inside it"
                ) -> None:
    """``area_help`` says what the chosen area does besides filtering (a map may zoom to it)."""
    area = p.add_mutually_exclusive_group()
    area.add_argument("--bbox", metavar="MINLON,MINLAT,MAXLON,MAXLAT",
                      help=f"an area in degrees: {area_help}")
    area.add_argument("--oblast", help=f"one admin-1 unit (UA-14 or Donetsk): {area_help}")
    p.add_argument("--start", metavar="DATE", help="first day, e.g. 2025-06-01 (inclusive)")
    p.add_argument("--end", metavar="DATE", help="last day, e.g. 2025-06-30 (inclusive)")
    p.add_argument("--datetime", metavar="INTERVAL",
                   help="a day, or START/END with '..' for an open end, e.g. 2025-06-01/.. "
                        "(instead of --start/--end)")
    p.add_argument("--type", action="append",
                   help=f"event type(s), comma-separated or repeated: {', '.join(EVENT_TYPES)}")
    p.add_argument("--status", action="append", help=f"status(es): {', '.join(STATUSES)}")
    p.add_argument("--actor", action="append", help=f"actor(s): {', '.join(ACTORS)}")
    p.add_argument("--claimant", action="append", help="who made a claim (repeat for several)")
    p.add_argument("--outlet", action="append", help="news outlet (repeat for several)")
    p.add_argument("--q", "--text", dest="q", metavar="WORDS",
                   help="words that must all occur in an event's quotes")


def event_query(args: argparse.Namespace) -> EventQuery:
    """Every filter checked before any store is opened: a typo must not cost a query."""
    if args.bbox and args.oblast:
        raise UsageError("give --bbox or --oblast, not both")
    if args.datetime is not None and (args.start or args.end):
        raise UsageError("give either --datetime or --start/--end, not both")
    bbox = parse_bbox(args.bbox) if args.bbox else None
    oblast = chosen_oblast(args)
    if args.datetime is not None:
        start, end = parse_interval(args.datetime)
    else:
        start = parse_day(args.start, "--start") if args.start else None
        end = parse_day(args.end, "--end") if args.end else None
        if start and end and start > end:
            raise UsageError(f"--start {start} is after --end {end}")
    return EventQuery(
        bbox=bbox, start=start, end=end,
        types=parse_codes(args.type, EVENT_TYPES, "--type"),
        statuses=parse_codes(args.status, STATUSES, "--status"),
        actors=parse_codes(args.actor, ACTORS, "--actor"),
        claimants=parse_names(args.claimant), outlets=parse_names(args.outlet),
        oblasts=(oblast[0],) if oblast else (),
        text=args.q.strip() if args.q and args.q.strip() else None)
