"""CQL2 filters (in their JSON form) as SQL over the events table, for both backends.

The API parses CQL2 text or JSON into the standard JSON tree; this module walks that tree
and writes a condition with bound parameters only, so no value of the filter ever becomes
SQL text. Properties are the queryables below, each bound to a flat column, so a filter
can only name what the schema at ``/queryables`` promises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from geo.errors import FrontlineError


class Dialect(Protocol):
    """What the compiler needs of ``geo.store.filters.Dialect``."""

    @property
    def mark(self) -> str: ...

    @property
    def day(self) -> Callable[[date], Any]: ...

    @property
    def like(self) -> Callable[[str, str], tuple[str, list[Any]]]: ...

    @property
    def intersects(self) -> Callable[[Any], tuple[str, list[Any]]] | None: ...

MAX_NODES = 500  # a filter is a question, not a program: this bounds the SQL it becomes


class FilterError(FrontlineError):
    """A filter that names an unknown property, uses an unsupported operator or compares
    a property with a value of the wrong type."""


@dataclass(frozen=True)
class Queryable:
    column: str  # a column of ``events e``
    kind: str  # "string", "integer", "date", "geometry"
    description: str


QUERYABLES: dict[str, Queryable] = {
    "id": Queryable("e.id", "string", "the event's identifier"),
    "type": Queryable("e.type", "string", "event type: advance, capture, strike…"),
    "sub_event_type": Queryable("e.sub_event_type", "string", "ACLED sub-event type"),
    "actor": Queryable("e.actor", "string", "acting side: RU, UA or unknown"),
    "status": Queryable("e.status", "string",
                        "confirmation status: reported, claimed, disputed or confirmed"),
    "date": Queryable("e.date", "date", "the day the event happened"),
    "admin1": Queryable("e.admin1", "string", "ISO 3166-2 code of the oblast"),
    "precision": Queryable("e.precision", "integer",
                           "1 settlement, 2 near a settlement, 3 oblast (ACLED geo-precision)"),
    "geometry_kind": Queryable("e.geometry_kind", "string", "point, admin1 or none"),
    "summary": Queryable("e.summary", "string", "one line about the event"),
    "place_names": Queryable("e.place_names", "string", "the places, separated by '; '"),
    "claimants": Queryable("e.claimants", "string", "who claims it, separated by '; '"),
    "outlets": Queryable("e.outlets", "string", "the outlets that carried it, '; '"),
    "n_sources": Queryable("e.n_attestations", "integer", "number of sources"),
    "first_said": Queryable("e.first_said", "date", "the first day a source spoke of it"),
    "last_said": Queryable("e.last_said", "date", "the last day a source spoke of it"),
    "basis_quote": Queryable("e.basis_quote", "string", "the quote that decided the status"),
    "sources": Queryable("e.sources", "string", "every source: outlet, day, who, quote"),
    "geometry": Queryable("", "geometry", "the event's point"),
}

_COMPARE = {"=": "=", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def compile_filter(node: Mapping[str, Any], d: Dialect) -> tuple[str, list[Any]]:
    """A CQL2 JSON filter as one SQL condition over ``events e`` and its parameters."""
    counter = [0]
    return _expr(node, d, counter)


def _fail(message: str) -> FilterError:
    return FilterError(f"filter: {message}")


def _expr(node: Any, d: Dialect, counter: list[int]) -> tuple[str, list[Any]]:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _fail(f"more than {MAX_NODES} terms")
    if isinstance(node, bool):
        return ("1 = 1" if node else "1 = 0"), []
    if not isinstance(node, Mapping) or "op" not in node:
        raise _fail(f"expected a predicate, got {_show(node)}")
    op = str(node["op"]).lower()
    args = node.get("args", [])
    if not isinstance(args, list):
        raise _fail(f"the arguments of {op!r} must be a list")
    if op in ("and", "or"):
        if len(args) < 2:
            raise _fail(f"{op!r} needs at least two arguments")
        parts = [_expr(a, d, counter) for a in args]
        joined = f" {op.upper()} ".join(f"({s})" for s, _ in parts)
        return joined, [p for _, ps in parts for p in ps]
    if op == "not":
        if len(args) != 1:
            raise _fail("'not' takes one argument")
        sql, params = _expr(args[0], d, counter)
        return f"NOT ({sql})", params
    if op in _COMPARE:
        _arity(op, args, 2)
        q, value = _property(args[0]), args[1]
        if q.kind == "geometry":
            raise _fail(f"{op!r} does not compare geometries; use s_intersects")
        return f"{q.column} {_COMPARE[op]} {d.mark}", [_value(q, value, d)]
    if op == "like":
        _arity(op, args, 2)
        q = _property(args[0])
        pattern = args[1]
        if q.kind != "string" or not isinstance(pattern, str):
            raise _fail("'like' compares a text property with a text pattern")
        return d.like(q.column, pattern)
    if op == "in":
        _arity(op, args, 2)
        q = _property(args[0])
        values = args[1]
        if not isinstance(values, list) or not values:
            raise _fail("'in' takes a property and a non-empty list of values")
        return (f"{q.column} IN ({', '.join([d.mark] * len(values))})",
                [_value(q, v, d) for v in values])
    if op == "between":
        _arity(op, args, 3)
        q = _property(args[0])
        return (f"{q.column} BETWEEN {d.mark} AND {d.mark}",
                [_value(q, args[1], d), _value(q, args[2], d)])
    if op == "isnull":
        _arity(op, args, 1)
        q = _property(args[0])
        return ("e.geom IS NULL" if q.kind == "geometry" else f"{q.column} IS NULL"), []
    if op == "s_intersects":
        _arity(op, args, 2)
        if _property(args[0]).kind != "geometry":
            raise _fail("'s_intersects' takes the geometry property and a geometry")
        if d.intersects is None:
            raise _fail("this store cannot test geometries")
        return d.intersects(_geometry(args[1]))
    if op == "t_intersects":
        _arity(op, args, 2)
        q = _property(args[0])
        if q.kind != "date":
            raise _fail("'t_intersects' takes the date property and a date or an interval")
        start, end = _interval(args[1])
        clauses, params = [], []
        if start is not None:
            clauses.append(f"{q.column} >= {d.mark}")
            params.append(d.day(start))
        if end is not None:
            clauses.append(f"{q.column} <= {d.mark}")
            params.append(d.day(end))
        clauses.append(f"{q.column} IS NOT NULL")
        return " AND ".join(clauses), params
    raise _fail(f"operator {op!r} is not supported; use comparisons, like, in, between, "
                "isNull, and/or/not, s_intersects or t_intersects")


def _arity(op: str, args: list[Any], n: int) -> None:
    if len(args) != n:
        raise _fail(f"{op!r} takes {n} argument(s), got {len(args)}")


def _show(value: Any) -> str:
    return repr(value)[:60]


def _property(node: Any) -> Queryable:
    if isinstance(node, Mapping) and str(node.get("op", "")).lower() == "casei":
        raise _fail("casei is not supported; like and = compare case as written")
    if not isinstance(node, Mapping) or set(node) != {"property"}:
        raise _fail(f"expected a property on the left, got {_show(node)}")
    name = str(node["property"])
    try:
        return QUERYABLES[name]
    except KeyError:
        raise _fail(f"unknown property {name!r}; the queryables are "
                    f"{', '.join(QUERYABLES)}") from None


def _day(value: Any) -> date:
    text = value
    if isinstance(value, Mapping) and len(value) == 1 and set(value) <= {"date", "timestamp"}:
        text = next(iter(value.values()))
    if isinstance(text, str):
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text.replace("z", "Z")).date()
        except ValueError:
            pass
    raise _fail(f"{_show(value)} is not a date such as DATE('2025-06-01')")


def _value(q: Queryable, value: Any, d: Dialect) -> Any:
    if q.kind == "date":
        return d.day(_day(value))
    if q.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                value != value or abs(value) > 2**62:
            raise _fail(f"{_show(value)} is not a number")
        return value
    if not isinstance(value, str):
        raise _fail(f"{_show(value)} is not text; quote text values")
    return value


def _interval(value: Any) -> tuple[date | None, date | None]:
    if isinstance(value, Mapping) and set(value) == {"interval"}:
        ends = value["interval"]
        if not isinstance(ends, list) or len(ends) != 2:
            raise _fail("an interval has two ends")
        start, end = (None if e == ".." else _day(e) for e in ends)
        if start and end and start > end:
            raise _fail("the interval ends before it starts")
        return start, end
    day = _day(value)
    return day, day


def _geometry(node: Any) -> Any:
    """A shapely geometry from a GeoJSON geometry or a ``{"bbox": [...]}``."""
    import shapely
    from shapely.geometry import shape

    if isinstance(node, Mapping) and set(node) == {"bbox"}:
        b = node["bbox"]
        if not isinstance(b, list) or len(b) not in (4, 6) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in b):
            raise _fail("a bbox has four numbers")
        b = [b[0], b[1], b[3], b[4]] if len(b) == 6 else b
        if b[0] > b[2] or b[1] > b[3]:
            raise _fail(f"the bbox {b} is invalid: write minlon, minlat, maxlon, maxlat")
        geom = shapely.box(*b)
    elif isinstance(node, Mapping) and "type" in node:
        try:
            geom = shape(node)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise _fail(f"not a usable geometry ({exc})") from None
    else:
        raise _fail(f"expected a geometry, got {_show(node)}")
    if geom.is_empty or not geom.is_valid:
        raise _fail("the geometry is empty or invalid")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise _fail("the geometry is outside longitude -180..180 and latitude -90..90")
    return geom


@dataclass(frozen=True)
class Lifted:
    """What a filter's top-level AND says about place and time in the store's own terms,
    so that the combined place-and-time index answers it, and what is left to test."""

    bbox: tuple[float, float, float, float] | None
    start: date | None
    end: date | None
    rest: Mapping[str, Any] | None
    empty: bool = False  # the conjuncts cannot all hold


def lift(node: Mapping[str, Any]) -> Lifted:
    """Pull rectangles (``s_intersects`` with a box), ``t_intersects`` and date bounds out
    of the top-level conjunction; a polygon gives its bounds and stays for the exact test."""
    from datetime import timedelta

    import shapely

    parts = list(node.get("args", [])) if str(node.get("op", "")).lower() == "and" \
        else [node]
    bbox: tuple[float, float, float, float] | None = None
    start: date | None = None
    end: date | None = None
    rest: list[Any] = []

    def after(d: date) -> None:
        nonlocal start
        start = d if start is None else max(start, d)

    def before(d: date) -> None:
        nonlocal end
        end = d if end is None else min(end, d)

    for part in parts:
        op = str(part.get("op", "")).lower() if isinstance(part, Mapping) else ""
        args = part.get("args", []) if isinstance(part, Mapping) else []
        is_date = len(args) >= 2 and args[0] == {"property": "date"}
        if op == "s_intersects" and len(args) == 2 and args[0] == {"property": "geometry"}:
            geom = _geometry(args[1])
            b = tuple(float(v) for v in geom.bounds)
            bbox = b if bbox is None else (max(bbox[0], b[0]), max(bbox[1], b[1]),  # type: ignore[assignment]
                                           min(bbox[2], b[2]), min(bbox[3], b[3]))
            if not shapely.equals(geom, shapely.box(*b)):
                rest.append(part)
        elif op == "t_intersects" and is_date and len(args) == 2:
            s, e = _interval(args[1])
            if s:
                after(s)
            if e:
                before(e)
        elif is_date and op in (">=", ">", "<=", "<", "=") and len(args) == 2:
            d = _day(args[1])
            if op in (">=", "="):
                after(d)
            if op in ("<=", "="):
                before(d)
            if op == ">":
                after(d + timedelta(days=1))
            if op == "<":
                before(d - timedelta(days=1))
        elif is_date and op == "between" and len(args) == 3:
            after(_day(args[1]))
            before(_day(args[2]))
        else:
            rest.append(part)
    empty = (bbox is not None and (bbox[0] > bbox[2] or bbox[1] > bbox[3])) or \
        (start is not None and end is not None and start > end)
    remaining = None if not rest else rest[0] if len(rest) == 1 else \
        {"op": "and", "args": rest}
    return Lifted(bbox, start, end, remaining, empty)
