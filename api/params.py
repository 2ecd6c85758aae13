"""Query parameters shared by every filtered endpoint, parsed into one ``EventQuery``.

Parsing is strict: a value we cannot read is a 400 that names the parameter and says what
would have been accepted, never a silently widened query.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Query, Request

from api.crs import CRS84, STORAGE, URIS, Box, Crs, literals_to_crs84, to_crs84
from api.crs import parse as parse_crs
from api.problems import ApiError
from geo.models import ACTORS, EVENT_TYPES, STATUSES
from geo.store.base import EventQuery
from geo.store.records import words

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?|[Tt])?$")
_OPEN = ("", "..")


def parse_bbox(text: str, crs: Crs = STORAGE) -> Box:
    """``minlon,minlat,maxlon,maxlat`` in CRS84, or the lower and upper corners in ``crs``'s
    axis order (EPSG:4326: latitude first); six numbers (with heights) are accepted too."""
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise ApiError(f"bbox: expected 4 or 6 comma-separated numbers, got {len(parts)}")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise ApiError(f"bbox: {text!r} is not a list of numbers") from None
    if not all(math.isfinite(n) for n in nums):
        raise ApiError("bbox: coordinates must be finite numbers")
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    if crs.code not in ("OGC:CRS84", "EPSG:4326"):
        return to_crs84(nums, crs)
    if crs.code == "EPSG:4326":
        nums = [nums[1], nums[0], nums[3], nums[2]]
    minlon, minlat, maxlon, maxlat = nums
    for lon in (minlon, maxlon):
        if not -180 <= lon <= 180:
            raise ApiError(f"bbox: longitude {lon} is outside -180..180")
    for lat in (minlat, maxlat):
        if not -90 <= lat <= 90:
            raise ApiError(f"bbox: latitude {lat} is outside -90..90")
    if minlat > maxlat:
        raise ApiError(f"bbox: lower latitude {minlat} is north of upper latitude {maxlat}")
    if minlon > maxlon:
        raise ApiError("bbox: boxes that cross the antimeridian are not supported "
                       f"(minimum longitude {minlon} > maximum {maxlon})")
    return Box((minlon, minlat, maxlon, maxlat), None)


def parse_instant(text: str, what: str = "datetime") -> date:
    """The calendar day of an RFC 3339 date or date-time, as written (events are whole days).
    A date with a bare ``T`` (``2025-01-01T``, what GDAL sends for a date-only ``-where``)
    is that whole day."""
    m = _RFC3339.match(text.strip())
    if not m:
        raise ApiError(f"{what}: {text!r} is not an RFC 3339 date or date-time "
                       "such as 2025-06-06 or 2025-06-06T12:00:00Z")
    try:
        day = date.fromisoformat(m.group(1))
        if m.group(2):
            datetime(day.year, day.month, day.day, int(m.group(2)), int(m.group(3)),
                     min(int(m.group(4)), 59))
    except ValueError as exc:
        raise ApiError(f"{what}: {text!r} is not a valid date ({exc})") from None
    return day


def parse_datetime(text: str) -> tuple[date | None, date | None]:
    """An instant, or an interval ``start/end`` whose ends may be open (``..`` or empty)."""
    if "/" not in text:
        day = parse_instant(text)
        return day, day
    parts = text.split("/")
    if len(parts) != 2:
        raise ApiError(f"datetime: {text!r} has more than one '/'")
    start = None if parts[0].strip() in _OPEN else parse_instant(parts[0], "datetime start")
    end = None if parts[1].strip() in _OPEN else parse_instant(parts[1], "datetime end")
    if start and end and start > end:
        raise ApiError(f"datetime: the interval {text!r} ends before it starts")
    return start, end


def split_values(values: Iterable[str] | None) -> list[str]:
    """Repeated parameters and comma-separated lists, both: ``a,b`` or ``x=a&x=b``."""
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def _not_empty(values: Iterable[str] | None, what: str) -> None:
    """``type=`` names no type: refused, not read as no filter."""
    if any(not v.strip() for v in values or ()):
        raise ApiError(f"{what}: an empty value; leave the parameter out to not filter")


def parse_codes(values: Iterable[str] | None, allowed: Iterable[str],
                what: str) -> tuple[str, ...]:
    """Known codes, matched without regard to case and given back in their canonical case."""
    allowed = tuple(allowed)
    lookup = {a.lower(): a for a in allowed}
    out = []
    _not_empty(values, what)
    for v in split_values(values):
        key = v.lower()
        if key not in lookup:
            raise ApiError(f"{what}: unknown value {v!r}; expected one of {', '.join(allowed)}")
        out.append(lookup[key])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _admin1_lookup() -> tuple[frozenset[str], dict[str, str]]:
    """ISO codes, and lower-case names to codes (Ukraine's unit first where names clash)."""
    from geo.gazetteer.admin import admin1_index

    units = admin1_index().units
    by_name: dict[str, str] = {}
    for u in units:
        if u.country == "UA" or u.name.lower() not in by_name:
            by_name[u.name.lower()] = u.iso
    return frozenset(u.iso for u in units), by_name


def parse_oblasts(values: Iterable[str] | None) -> tuple[str, ...]:
    """ISO 3166-2 codes (``UA-14``) or admin-1 names (``Donetsk``), as codes."""
    _not_empty(values, "oblast")
    found = split_values(values)
    if not found:
        return ()
    codes, by_name = _admin1_lookup()
    out = []
    for v in found:
        if v.upper() in codes:
            out.append(v.upper())
        elif v.lower() in by_name:
            out.append(by_name[v.lower()])
        else:
            raise ApiError(f"oblast: unknown admin-1 unit {v!r}; use an ISO 3166-2 code such "
                           "as UA-14 or a name such as Donetsk")
    return tuple(dict.fromkeys(out))


def parse_names(values: Iterable[str] | None, what: str) -> tuple[str, ...]:
    """Free-text names: repeated parameters only, since names such as claimants hold commas."""
    out = tuple(dict.fromkeys(v.strip() for v in values or () if v.strip()))
    for v in out:
        if len(v) > MAX_NAME:
            raise ApiError(f"{what}: a value longer than {MAX_NAME} characters")
    return out


def build_query(*, bbox: str | None = None, datetime_: str | None = None,
                status: list[str] | None = None, type_: list[str] | None = None,
                actor: list[str] | None = None, claimant: list[str] | None = None,
                outlet: list[str] | None = None, oblast: list[str] | None = None,
                q: str | None = None, bbox_crs: str | None = None) -> EventQuery:
    """Every filter at once, without paging: the same call serves items, exports and maps."""
    crs = parse_crs(bbox_crs, "bbox-crs")  # refused when unknown, with or without a bbox
    box = parse_bbox(bbox, crs) if bbox is not None else None
    start, end = parse_datetime(datetime_) if datetime_ is not None else (None, None)
    text = q.strip() if q is not None else None
    if text is not None and not words(text):  # an empty q too: it would match everything
        raise ApiError(f"q: {text[:40]!r} has no words to search for (letters or digits)")
    return EventQuery(
        bbox=box.bounds if box else None, start=start, end=end,
        filter=inside(box.polygon) if box and box.polygon else None,
        statuses=parse_codes(status, STATUSES, "status"),
        types=parse_codes(type_, EVENT_TYPES, "type"),
        actors=parse_codes(actor, ACTORS, "actor"),
        claimants=parse_names(claimant, "claimant"), outlets=parse_names(outlet, "outlet"),
        oblasts=parse_oblasts(oblast), text=text)


BboxParam = Annotated[str | None, Query(
    description="minlon,minlat,maxlon,maxlat in WGS 84 longitude/latitude (CRS84), or the "
                "lower and upper corners in bbox-crs's axis order",
    examples=["36.5,47.5,38.5,49.5"])]
BboxCrsParam = Annotated[str | None, Query(
    alias="bbox-crs", description="the CRS of bbox (CRS84 when absent); EPSG:4326 is "
                                  "latitude first", examples=[CRS84])]
CrsParam = Annotated[str | None, Query(
    description="the CRS of the answer's coordinates, in its own axis order (CRS84 when "
                "absent; EPSG:4326 is latitude, longitude)", examples=[CRS84])]


async def answer_crs(crs: CrsParam = None) -> Crs:
    """FastAPI dependency: the CRS the geometries are answered in."""
    return parse_crs(crs)


def inside(polygon: dict[str, object]) -> dict[str, object]:
    """A CQL2 filter: the feature's point inside ``polygon`` (a GeoJSON geometry)."""
    return {"op": "s_intersects", "args": [{"property": "geometry"}, polygon]}


def both(a: Mapping[str, object] | None,
         b: Mapping[str, object] | None) -> Mapping[str, object] | None:
    """Two CQL2 filters (either may be None) that must both hold."""
    if a is None or b is None:
        return a if b is None else b
    return {"op": "and", "args": [a, b]}
DatetimeParam = Annotated[str | None, Query(
    alias="datetime",
    description="an RFC 3339 date or date-time, or an interval start/end with open ends "
                "written '..', e.g. 2025-06-01/2025-06-30 or 2025-06-01/..",
    examples=["2025-06-01/2025-06-30"])]
StatusParam = Annotated[list[str] | None, Query(
    description=f"confirmation status, comma-separated: {', '.join(STATUSES)}")]
TypeParam = Annotated[list[str] | None, Query(
    alias="type", description=f"event type, comma-separated: {', '.join(EVENT_TYPES)}")]
ActorParam = Annotated[list[str] | None, Query(
    description=f"acting side, comma-separated: {', '.join(ACTORS)}")]
ClaimantParam = Annotated[list[str] | None, Query(
    description="who made a claim (case and accents ignored); repeat the parameter for "
                "several")]
OutletParam = Annotated[list[str] | None, Query(
    description="news outlet (case and accents ignored); repeat the parameter for several")]
OblastParam = Annotated[list[str] | None, Query(
    description="admin-1 unit, ISO 3166-2 code (UA-14) or name (Donetsk), comma-separated")]
TextParam = Annotated[str | None, Query(
    description="words that must all occur in the quotes of an event's sources")]
ImplausibleParam = Annotated[bool | None, Query(
    description="events only: true keeps the claims the line of contact in force on their "
                "date makes implausible, false the plausible ones; either leaves out events "
                "that no snapshot judges")]
LimitParam = Annotated[int, Query(
    ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")]
OffsetParam = Annotated[int, Query(ge=0, le=2**31, description="items to skip")]


# What the parsers above accept, as OpenAPI says it (a subset where a regular expression
# cannot follow them: 29 February, and the order of interval ends). A bbox is the array of
# numbers Part 1 defines: its ranges depend on bbox-crs, which no schema can follow.
_DATE = (r"(19|20)\d\d-(0[13578]-(0[1-9]|[12]\d|3[01])|1[02]-(0[1-9]|[12]\d|3[01])"
         r"|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))")
_INSTANT = _DATE + r"([Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?|[Tt])?"
DATETIME_PATTERN = rf"^({_INSTANT}|({_INSTANT}|\.\.)?/({_INSTANT}|\.\.)?)$"
WORD_PATTERN = r"\w"
MAX_NAME = 500


def parameter_schemas() -> dict[str, dict[str, object]]:
    """The OpenAPI schema of each shared query parameter, as strict as its parser."""
    codes = sorted(_admin1_lookup()[0])
    crs: dict[str, object] = {"type": "string", "enum": URIS}

    def listed(items: dict[str, object]) -> dict[str, object]:
        return {"type": "array", "items": {"type": "string", **items}}

    return {
        # as OGC API – Features Part 1 defines it: 4 or 6 numbers, comma-separated
        "bbox": {"type": "array", "oneOf": [{"minItems": 4, "maxItems": 4},
                                            {"minItems": 6, "maxItems": 6}],
                 "items": {"type": "number"}},
        "bbox-crs": crs, "crs": crs,
        "datetime": {"type": "string", "pattern": DATETIME_PATTERN},
        "status": listed({"enum": list(STATUSES)}),
        "type": listed({"enum": list(EVENT_TYPES)}),
        "actor": listed({"enum": list(ACTORS)}),
        "oblast": listed({"enum": codes}),
        "claimant": listed({"maxLength": MAX_NAME}),
        "outlet": listed({"maxLength": MAX_NAME}),
        "q": {"type": "string", "pattern": WORD_PATTERN},
        "filter": {"type": "string", "minLength": 1, "maxLength": MAX_FILTER},
        "filter-crs": crs,
        "sortby": {"type": "string", "pattern": _sortby_pattern()},
    }


# Comma-separated values, as Part 1 defines bbox, datetime and limit.
PARAMETER_STYLES: dict[str, dict[str, object]] = {
    name: {"style": "form", "explode": False} for name in ("bbox", "datetime", "limit")}


def _sortby_pattern() -> str:
    from geo.store.cql import QUERYABLES

    name = "(" + "|".join(n for n, q in QUERYABLES.items() if q.column) + ")"
    return rf"^[+-]?{name}(,[+-]?{name})*$"


FILTERS = frozenset({"bbox", "bbox-crs", "datetime", "status", "type", "actor", "claimant",
                     "outlet", "oblast", "q"})


def only(*extra: str, filters: bool = True) -> Callable[[Request], Awaitable[None]]:
    """A dependency that refuses query parameters the route does not know, so that a typo
    (``stauts=``) is an error instead of a silently unfiltered answer. ``filters``: the
    route takes the shared event filters too."""
    allowed = (FILTERS if filters else frozenset()) | set(extra)

    async def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ApiError(f"unknown parameter(s) {', '.join(unknown)}; this endpoint accepts "
                           f"{', '.join(sorted(allowed))}")

    return check


async def event_query(bbox: BboxParam = None, bbox_crs: BboxCrsParam = None,
                datetime_: DatetimeParam = None, status: StatusParam = None,
                type_: TypeParam = None, actor: ActorParam = None,
                claimant: ClaimantParam = None, outlet: OutletParam = None,
                oblast: OblastParam = None, q: TextParam = None) -> EventQuery:
    """FastAPI dependency: the whole filtered set (exports, maps, the oblast counts)."""
    return build_query(bbox=bbox, datetime_=datetime_, status=status, type_=type_,
                       actor=actor, claimant=claimant, outlet=outlet, oblast=oblast, q=q,
                       bbox_crs=bbox_crs)


async def paged_query(base: Annotated[EventQuery, Depends(event_query)],
                limit: LimitParam = DEFAULT_LIMIT, offset: OffsetParam = 0) -> EventQuery:
    """FastAPI dependency: one page of the filtered set."""
    return replace(base, limit=limit, offset=offset)


FILTER_LANGS = ("cql2-text", "cql2-json")
SortbyParam = Annotated[str | None, Query(
    description="queryables to order by, comma-separated, '-' before a name for descending "
                "(events and event-areas), e.g. -date,status", examples=["-date"])]
PropertiesParam = Annotated[str | None, Query(
    description="the properties to return, comma-separated (all when absent)",
    examples=["type,status,date,n_sources,sources"])]
SkipGeometryParam = Annotated[bool, Query(
    alias="skipGeometry", description="true: features without their geometry")]
FilterParam = Annotated[str | None, Query(
    alias="filter", description="a CQL2 filter over the collection's queryables (events and "
                                "event-areas), e.g. status = 'confirmed' AND "
                                "T_INTERSECTS(date, INTERVAL('2025-01-01', '..'))")]
FilterLangParam = Annotated[str | None, Query(
    alias="filter-lang", description="cql2-text (the default) or cql2-json",
    json_schema_extra={"enum": list(FILTER_LANGS)})]
FilterCrsParam = Annotated[str | None, Query(
    alias="filter-crs", description="the CRS of the filter's geometries (CRS84 when "
                                    "absent), one of the collection's crs list",
    examples=[CRS84])]


def parse_sortby(text: str | None) -> tuple[tuple[str, bool], ...]:
    from geo.store.cql import QUERYABLES

    out = []
    for part in split_values([text] if text else None):
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        q = QUERYABLES.get(name)
        if q is None or not q.column:
            raise ApiError(f"sortby: cannot sort by {name!r}; use one of "
                           f"{', '.join(n for n, v in QUERYABLES.items() if v.column)}")
        out.append((name, descending))
    if text is not None and not re.fullmatch(_sortby_pattern(), text):
        raise ApiError(f"sortby: {text[:40]!r} is not a list of queryables, each with an "
                       "optional + or -, separated by commas without spaces")
    return tuple(out)


def parse_filter(text: str | None, lang: str | None,
                 crs: str | None = None) -> dict[str, object] | None:
    """A CQL2 filter in its JSON form, checked against the queryables now so that a bad
    one is a 400 naming the problem rather than a failure in the store."""
    import cql2

    from geo.store.cql import FilterError, compile_filter
    from geo.store.gpkg import SQLITE

    literals = parse_crs(crs, "filter-crs")
    if lang is not None and lang not in FILTER_LANGS:
        raise ApiError(f"filter-lang: {lang!r}; use {' or '.join(FILTER_LANGS)}")
    if text is None:
        return None
    if len(text) > MAX_FILTER:
        raise ApiError(f"filter: longer than {MAX_FILTER} characters")
    try:
        expr = cql2.parse_json(text) if lang == "cql2-json" else cql2.parse_text(text)
        node = expr.to_json()
    except (cql2.ParseError, cql2.ValidationError, ValueError) as exc:
        first = " ".join(str(exc).split())[:300]
        raise ApiError(f"filter: not valid {lang or 'cql2-text'} ({first})") from None
    if not isinstance(node, dict):
        raise ApiError("filter: expected a predicate such as status = 'confirmed'")
    node = literals_to_crs84(node, literals)
    try:
        compile_filter(node, SQLITE)
    except FilterError as exc:
        raise ApiError(str(exc)) from None
    return node


MAX_FILTER = 20_000
