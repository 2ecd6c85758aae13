"""``frontline run``: the main job in one command — ingest, write the maps, serve them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from api.errors import UsageError

if TYPE_CHECKING:
    from geo.store import Store


def cmd_run(args: argparse.Namespace) -> int:
    from api.commands.serve import cmd_serve, serve_args
    from api.control import oblast_implausible, series, verdicts, view
    from geo.ingest.local import ingest
    from geo.store import EventQuery, open_store
    from maps.render import render_map
    from maps.webmap import write_html

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: {exc.strerror or exc}") from exc
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    store_url = args.store or os.environ.get("FRONTLINE_STORE") or str(out / "frontline.gpkg")

    summary = ingest(paths, store_url=store_url, workers=args.workers)
    print(summary.line())
    for failure in summary.failed:
        print(f"  failed: {failure.source}: {failure.reason}")

    everything = EventQuery()
    with open_store(store_url) as store:
        if args.synthetic_front:
            print(synthetic_front(store, out))
        events = store.events(everything)
        counts = store.oblast_counts(everything, "status")
        control = view(store)
        judged = verdicts(store, events)
        swaps = series(store)
        flagged = oblast_implausible(store, everything)
    write_html(out / "map.html", events, counts, control=control, verdicts=judged,
               series=swaps, implausible=flagged)
    written = [out / "map.html"]
    for fmt in ("png", "svg", "pdf"):
        target = out / f"report.{fmt}"
        render_map(events, target, title="Frontline: claims and reports from the news",
                   control=control)
        written.append(target)
    print("wrote " + ", ".join(str(p) for p in written))
    if args.no_serve:
        return 0
    return cmd_serve(serve_args(host=args.host, port=args.port, store=store_url,
                                log_level="warning"))


def synthetic_front(store: Store, out: Path) -> str:
    """Two synthetic control snapshots bracketing the stored events, so the demo shows
    areas of control, a line of contact and ground that changed hands."""
    from datetime import date, timedelta

    from geo.control.snapshot import from_files
    from geo.control.synthetic import LICENCE, SOURCE, write_snapshot

    days = sorted(e.date for e in store.events() if e.date is not None)
    last = days[-1] if days else date(2025, 6, 1)
    first = min(days[0], last - timedelta(days=60)) if days else last - timedelta(days=90)
    outcomes = []
    for day in (first, last):
        path = write_snapshot(out / f"synthetic-front-{day.isoformat()}.geojson", day)
        outcomes.append(f"{day} {store.put_snapshot(from_files([path], day, SOURCE, LICENCE))}")
    return "synthetic control snapshots: " + ", ".join(outcomes)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="ingest articles, write the maps and serve them")
    p.add_argument("paths", nargs="+", help="article files or directories (e.g. seeds)")
    p.add_argument("--out", default="out", help="folder for the store and the maps")
    p.add_argument("--store", help="store URL (default: OUT/frontline.gpkg or $FRONTLINE_STORE)")
    p.add_argument("--workers", type=int, default=None, help="parsing processes")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="stop after writing the maps")
    p.add_argument("--synthetic-front", action="store_true",
                   help="also store two synthetic control snapshots (a demo front line)")
    p.set_defaults(func=cmd_run)
