"""``frontline gazetteer …``: build, query and extend the place index."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from api.errors import UsageError
from geo.gazetteer.index import Place


def place_json(p: Place) -> dict:
    return {"id": p.id, "geonameid": p.geonameid, "name": p.name, "kind": p.kind,
            "lat": p.lat, "lon": p.lon, "population": p.population, "country": p.country,
            "admin1": p.admin1, "alt_names": list(p.alt_names), "source": p.source}


def cmd_build(args: argparse.Namespace) -> int:
    from geo.gazetteer.build import build_index
    from geo.gazetteer.format import data_dir

    path = build_index(Path(args.data_dir) if args.data_dir else data_dir())
    print(f"gazetteer index written to {path}")
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    from geo.gazetteer.default import default_gazetteer

    places = default_gazetteer().lookup(args.name, country=args.country, kind=args.kind)
    places = places[: args.limit]
    if args.json:
        print(json.dumps([place_json(p) for p in places], ensure_ascii=False, indent=1))
        return 0
    if not places:
        print(f"no place named {args.name!r}")
        return 1
    for p in places:
        print(f"{p.id:>20}  {p.name:<28} {p.kind:<10} {p.lat:9.5f} {p.lon:10.5f}  "
              f"{p.country} {p.admin1 or '-':<7} pop {p.population}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from geo.gazetteer.geonames_dump import import_dump

    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    n = import_dump(path)
    print(f"imported {n} places from {path}")
    return 0


def cmd_oblast_at(args: argparse.Namespace) -> int:
    from geo.gazetteer.admin import oblast_at

    code = oblast_at(args.lon, args.lat)
    print(code or "outside the mapped admin-1 units")
    return 0 if code else 1


def register(sub: argparse._SubParsersAction) -> None:
    gaz = sub.add_parser("gazetteer", help="build, query and extend the place index")
    gsub = gaz.add_subparsers(dest="gazetteer_command", required=True)
    b = gsub.add_parser("build", help="rebuild the embedded index from the bundled sources")
    b.add_argument("--data-dir", help="where to write it (default: $FRONTLINE_DATA_DIR)")
    b.set_defaults(func=cmd_build)
    lk = gsub.add_parser("lookup", help="print the candidates for a place name")
    lk.add_argument("name")
    lk.add_argument("--country", help="ISO alpha-2 code to rank first, e.g. UA")
    lk.add_argument("--kind", choices=["settlement", "admin1", "admin2", "country", "landmark"])
    lk.add_argument("--limit", type=int, default=10)
    lk.add_argument("--json", action="store_true")
    lk.set_defaults(func=cmd_lookup)
    im = gsub.add_parser("import", help="add a GeoNames dump (UA.txt, allCountries.zip)")
    im.add_argument("file")
    im.set_defaults(func=cmd_import)
    oa = gsub.add_parser("oblast-at", help="ISO 3166-2 code of the admin-1 unit at a point")
    oa.add_argument("lon", type=float)
    oa.add_argument("lat", type=float)
    oa.set_defaults(func=cmd_oblast_at)
