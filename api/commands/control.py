"""``frontline control``: import control maps as dated snapshots, list them, diff two dates.

An import reads every file, repairs and checks the polygons, and only then writes, in one
transaction: a bad file leaves the store as it was. ``diff`` compares the snapshots in
force on two dates (each the latest dated on or before it).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from api.commands.store import store_option
from api.errors import UsageError


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None


def cmd_import(args: argparse.Namespace) -> int:
    from geo.control.classes import parse_mapping
    from geo.control.snapshot import from_files
    from geo.store import open_store

    day = _day(args.as_of, "--as-of")
    mapping = parse_mapping(args.map or [])
    snapshot = from_files([Path(p) for p in args.files], day, args.source, args.licence,
                          args.status_field, mapping)
    with open_store(args.store) as store:
        outcome = store.put_snapshot(snapshot)
    classes = ", ".join(f"{s} {_km2(g)}" for s, g in snapshot.areas.items())
    print(f"{snapshot.id}: {outcome} ({classes}; {snapshot.vertices} vertices)")
    return 0


def _km2(geom: Any) -> str:
    from geo.control.theatre import area_km2

    return f"{area_km2(geom):,.0f} km²"


def cmd_list(args: argparse.Namespace) -> int:
    from geo.store import open_store

    with open_store(args.store) as store:
        infos = store.snapshots()
    if not infos:
        print("no control snapshots; import one with `frontline control import`")
        return 0
    for i in infos:
        areas = ", ".join(f"{s} {k:,.0f} km²" for s, k in i.km2.items())
        print(f"{i.as_of}  {i.source}  {areas}  [{i.licence or 'licence not given'}]")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from geo.control.change import changes, totals
    from geo.control.features import change_features, collection
    from geo.store import open_store
    from geo.store.control import in_force

    first, last = _day(args.from_, "--from"), _day(args.to, "--to")
    if last < first:
        raise UsageError("--to must not be before --from")
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.is_dir():
        raise UsageError(f"--out: folder {out.parent} does not exist")
    with open_store(args.store) as store:
        infos = store.snapshots()
        picked = [in_force(infos, d) for d in (first, last)]
        for d, info in zip((first, last), picked, strict=True):
            if info is None:
                raise UsageError(f"no control snapshot in force on {d}; the first is "
                                 f"{infos[0].as_of}" if infos else "no control snapshots")
        a, b = (store.snapshot(i.id) for i in picked)  # type: ignore[union-attr]
    assert a is not None and b is not None
    found = changes(a, b)
    print(f"ground that changed hands, {a.id} → {b.id}")
    print(f"{'oblast':<22} {'direction':<22} {'km²':>10}")
    for c in found:
        print(f"{c.oblast_name + ' (' + c.oblast + ')':<22} {c.direction:<22} {c.km2:>10,.1f}")
    for direction, km2 in sorted(totals(found).items()):
        print(f"{'total':<22} {direction:<22} {km2:>10,.1f}")
    if not found:
        print("no ground changed hands")
    if out is not None:
        from api.commands.store import _atomic

        doc = collection(change_features(a, b, found))
        _atomic(out, lambda f: json.dump(doc, f, ensure_ascii=False), binary=False)
        print(f"{len(found)} features written to {out}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    control = sub.add_parser("control", help="areas of control over time",
                             description="Import, list and compare snapshots of territorial "
                                         "control.")
    csub = control.add_subparsers(dest="control_command", required=True)

    imp = csub.add_parser(
        "import", help="store control polygons as a dated snapshot",
        description="Read GeoJSON, KML/KMZ, GeoPackage or Shapefile polygons of territorial "
                    "control (all FILEs together make one snapshot) and store them. A field "
                    "(--status-field, else status/control/…) or the layer name says each "
                    "polygon's class: occupied, contested, liberated or ukrainian-held.")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--as-of", required=True, metavar="DATE", help="the date the map shows")
    imp.add_argument("--source", default="unnamed", help="who published the map")
    imp.add_argument("--licence", default="", help="the source's licence or terms")
    imp.add_argument("--status-field", metavar="F", help="the field naming each class")
    imp.add_argument("--map", action="append", metavar="CLASS=VALUE",
                     help="a value of the status field and its class, e.g. "
                          "occupied='Occupied territories' (repeatable)")
    store_option(imp)
    imp.set_defaults(func=cmd_import)

    ls = csub.add_parser("list", help="list the stored snapshots")
    store_option(ls)
    ls.set_defaults(func=cmd_list)

    diff = csub.add_parser("diff", help="ground that changed hands between two dates",
                           description="Compare the snapshots in force on two dates: km² "
                                       "by oblast and direction, and optionally GeoJSON.")
    diff.add_argument("--from", dest="from_", required=True, metavar="DATE")
    diff.add_argument("--to", required=True, metavar="DATE")
    diff.add_argument("--out", metavar="FILE.geojson", help="write the changed ground here")
    store_option(diff)
    diff.set_defaults(func=cmd_diff)
