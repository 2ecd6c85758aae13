"""``EventQuery`` as SQL, for both backends: one meaning, two dialects.

Only the spatial test and the full-text test differ between SQLite and PostgreSQL; the
dialect supplies those, and everything else is written once here so that both stores
answer the same question the same way. Events are aliased ``e`` in every query.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from geo.errors import FrontlineError
from geo.store.base import EventQuery, PlaceSummary
from geo.store.records import fold, words

ORDER = "ORDER BY e.date IS NULL, e.date, e.id"


class QueryError(FrontlineError):
    """A query that cannot mean anything (a bbox inside out, a negative limit)."""


@dataclass(frozen=True)
class Dialect:
    mark: str
    bbox: Callable[[tuple[float, float, float, float]], tuple[str, list[Any]]]
    text: Callable[[list[str]], tuple[str, list[Any]]]
    day: Callable[[date], Any]
    no_limit: str  # what LIMIT takes for "all rows"
    # A bbox and a date range in one indexed test, where the backend has such an index.
    bbox_time: Callable[[tuple[float, float, float, float], date | None, date | None],
                        tuple[str, list[Any]]] | None = None
    # CQL2 LIKE (case-sensitive, % and _ wildcards, backslash escapes) on a column.
    like: Callable[[str, str], tuple[str, list[Any]]] = lambda c, p: _like(c, p)
    # Events whose point lies in a shapely geometry.
    intersects: Callable[[Any], tuple[str, list[Any]]] | None = None
    # The largest integer not above a non-negative expression.
    floor: Callable[[str], str] = lambda x: f"floor({x})"


def _like(column: str, pattern: str) -> tuple[str, list[Any]]:
    return f"{column} LIKE %s ESCAPE '\\'", [pattern]


def like_glob(pattern: str) -> str:
    """A CQL2 LIKE pattern as an SQLite GLOB pattern (GLOB is case-sensitive like CQL2;
    SQLite's LIKE folds ASCII case)."""
    out, escaped = [], False
    for ch in pattern:
        if escaped:
            out.append(f"[{ch}]" if ch in "*?[" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def order(q: EventQuery) -> str:
    """``ORDER BY`` the requested queryables, then the default order (a total one, so that
    pages never repeat or skip an event). Where the dates are bounded no event lacks one,
    and ordering by date and id alone lets an index on (column, date, id) give the page in
    order, with no sort of every match."""
    if q.filter is not None:
        q = _lifted(q)[0]
    if not q.sortby:
        return "ORDER BY e.date, e.id" if q.start or q.end else ORDER
    from geo.store.cql import QUERYABLES

    keys = []
    for name, descending in q.sortby:
        col = QUERYABLES[name].column if name in QUERYABLES else ""
        if not col:
            raise QueryError(f"sortby: cannot sort by {name!r}; sort by one of "
                             f"{', '.join(n for n, v in QUERYABLES.items() if v.column)}")
        direction = "DESC" if descending else "ASC"
        keys.append(f"{col} IS NULL, {col} {direction}")
    return "ORDER BY " + ", ".join(keys) + ", e.date IS NULL, e.date, e.id"


def check(q: EventQuery) -> None:
    if q.bbox is not None:
        if len(q.bbox) != 4 or not all(math.isfinite(v) for v in q.bbox):
            raise QueryError(f"bbox must be four finite numbers, got {q.bbox!r}")
        minlon, minlat, maxlon, maxlat = q.bbox
        if minlon > maxlon or minlat > maxlat:
            raise QueryError(f"bbox must be minlon,minlat,maxlon,maxlat; got {q.bbox!r}")
    if q.limit is not None and q.limit < 0:
        raise QueryError(f"limit must not be negative, got {q.limit}")
    if q.offset < 0:
        raise QueryError(f"offset must not be negative, got {q.offset}")
    if q.text is not None and not words(q.text):
        raise QueryError(f"q: {q.text[:40]!r} has no words to search for")


def where(q: EventQuery, d: Dialect, *extra: str) -> tuple[str, list[Any]]:
    """``WHERE …`` (or "") and its parameters; ``extra`` conditions take no parameters."""
    clauses, params = conditions(q, d)
    clauses += extra
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def conditions(q: EventQuery, d: Dialect) -> tuple[list[str], list[Any]]:
    check(q)
    clauses: list[str] = []
    params: list[Any] = []
    if q.filter is not None:
        q, never = _lifted(q)
        if never:
            clauses.append("1 = 0")

    def add(sql: str, values: Sequence[Any]) -> None:
        clauses.append(sql)
        params.extend(values)

    def one_of(column: str, values: Sequence[str]) -> None:
        if values:
            add(f"{column} IN ({', '.join([d.mark] * len(values))})", values)

    if q.bbox is not None and (q.start or q.end) and d.bbox_time is not None:
        add(*d.bbox_time(q.bbox, q.start, q.end))
    elif q.bbox is not None:
        add(*d.bbox(q.bbox))
    if q.start is not None:
        add(f"e.date >= {d.mark}", [d.day(q.start)])
    if q.end is not None:
        add(f"e.date <= {d.mark}", [d.day(q.end)])
    one_of("e.type", q.types)
    one_of("e.status", q.statuses)
    one_of("e.actor", q.actors)
    one_of("e.admin1", q.oblasts)
    one_of("e.geometry_kind", q.geometry_kinds)
    for column, values in (("claimant_key", q.claimants), ("outlet_key", q.outlets)):
        if values:
            keys = sorted({fold(v) for v in values})
            marks = ", ".join([d.mark] * len(keys))
            add(f"e.id IN (SELECT a.event_id FROM attestations a "
                f"WHERE a.{column} IN ({marks}))", keys)
    if q.text is not None:
        terms = words(q.text)
        if terms:
            add(*d.text(terms))
    if q.filter is not None:
        from geo.store.cql import compile_filter

        cql_sql, cql_params = compile_filter(q.filter, d)
        add(f"({cql_sql})", cql_params)
    return clauses, params


def _lifted(q: EventQuery) -> tuple[EventQuery, bool]:
    """The filter's place and time moved into the query's own bbox and dates, so that the
    same indexes serve ``filter=S_INTERSECTS(…) AND T_INTERSECTS(…)`` as ``bbox&datetime``."""
    from geo.store.cql import lift

    assert q.filter is not None
    found = lift(q.filter)
    bbox = q.bbox
    if found.bbox is not None:
        b = found.bbox
        bbox = b if bbox is None else (max(bbox[0], b[0]), max(bbox[1], b[1]),
                                       min(bbox[2], b[2]), min(bbox[3], b[3]))
    start = max((v for v in (q.start, found.start) if v), default=None)
    end = min((v for v in (q.end, found.end) if v), default=None)
    never = found.empty or (bbox is not None and (bbox[0] > bbox[2] or bbox[1] > bbox[3])) \
        or (start is not None and end is not None and start > end)
    if never:
        return replace(q, filter=found.rest, bbox=None), True
    return replace(q, filter=found.rest, bbox=bbox, start=start, end=end), False


def page(q: EventQuery, d: Dialect) -> tuple[str, list[Any]]:
    if q.limit is None and not q.offset:
        return "", []
    if q.limit is None:
        return f"LIMIT {d.no_limit} OFFSET {d.mark}", [q.offset]
    return f"LIMIT {d.mark} OFFSET {d.mark}", [q.limit, q.offset]


def places_sql(q: EventQuery, d: Dialect) -> tuple[str, list[Any]]:
    """Per place and status: the place, events, attestations, first and last date."""
    cond, params = where(q, d, "p.role = 'place'", "p.lat IS NOT NULL")
    return (
        "SELECT p.place_id, min(p.name), min(p.lat), min(p.lon), min(p.kind), "
        "min(p.country), min(p.admin1), e.status, count(*), sum(e.n_attestations), "
        "min(e.date), max(e.date) "
        f"FROM event_places p JOIN events e ON e.id = p.event_id {cond} "
        "GROUP BY p.place_id, e.status ORDER BY p.place_id, e.status", params)


def oblast_sql(q: EventQuery, d: Dialect, by: str) -> tuple[str, list[Any]]:
    if by not in ("status", "type"):
        raise QueryError(f"cannot count by {by!r}; use status or type")
    cond, params = where(q, d, "e.admin1 IS NOT NULL")
    return (f"SELECT e.admin1, e.{by}, count(*) FROM events e {cond} "
            f"GROUP BY e.admin1, e.{by} ORDER BY e.admin1, e.{by}", params)


def grid_sql(q: EventQuery, d: Dialect, cell_lon: float,
             cell_lat: float) -> tuple[str, list[Any]]:
    """Per grid cell: its column and row, the count, the mean point and one event's id."""
    if not (cell_lon > 0 and cell_lat > 0 and math.isfinite(cell_lon + cell_lat)):
        raise QueryError(f"grid cells must have a positive size, got {cell_lon}, {cell_lat}")
    box = q.bbox if q.bbox is not None and not (q.start or q.end) else None
    # a box alone is read from the (lon, lat, id) index; with dates, the place-and-time one
    cond, params = where(replace(q, bbox=None) if box else q, d, "e.lon IS NOT NULL",
                         "e.lat IS NOT NULL")
    if box:
        cond += f" AND e.lon BETWEEN {d.mark} AND {d.mark} AND e.lat BETWEEN {d.mark} AND {d.mark}"
        params += [box[0], box[2], box[1], box[3]]
    gx = d.floor(f"(e.lon + 180.0) / {d.mark}")
    gy = d.floor(f"(e.lat + 90.0) / {d.mark}")
    return (f"SELECT {gx}, {gy}, count(*), avg(e.lon), avg(e.lat), min(e.id) "
            f"FROM events e {cond} GROUP BY 1, 2 ORDER BY 1, 2",
            [cell_lon, cell_lat, *params])


def summaries(rows: Sequence[Sequence[Any]]) -> list[PlaceSummary]:
    """Fold the rows of ``places_sql`` into one summary per place."""
    out: list[PlaceSummary] = []
    for r in rows:
        pid, name, lat, lon, kind, country, admin1, status, n, n_att, first, last = r
        first, last = _day(first), _day(last)
        if out and out[-1].place_id == pid:
            prev = out[-1]
            out[-1] = replace(
                prev, events=prev.events + n, attestations=prev.attestations + int(n_att),
                statuses={**prev.statuses, status: n},
                first=min((d for d in (prev.first, first) if d), default=None),
                last=max((d for d in (prev.last, last) if d), default=None))
        else:
            out.append(PlaceSummary(pid, name, lat, lon, kind, country, admin1, n, int(n_att),
                                    {status: n}, first, last))
    return out


def _day(v: Any) -> date | None:
    return date.fromisoformat(v) if isinstance(v, str) else v
