"""``frontline ingest``, ``frontline export`` and ``frontline synth``: the store from the shell.

``export`` takes the filters of ``frontline render`` and ``frontline map``, which mirror the
API's, so that a GIS user offline gets what ``/export`` would serve. Files are written whole or
not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from api.commands.filters import add_filters, event_query
from api.errors import UsageError
from geo.store.base import EventQuery

FORMATS = ("geojson", "gpkg", "csv")
PAGE = 5000


def cmd_ingest(args: argparse.Namespace) -> int:
    from geo.ingest.local import ingest

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    with _progress(args.quiet) as advance:
        summary = ingest(paths, args.store, workers=args.workers, dask=args.dask,
                         progress=advance)
    print(summary.line())
    for f in summary.failed:  # every one: what was not stored is named, never summed up
        print(f"  failed: {f.source}: {f.reason}")
    return 1 if summary.failed else 0


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A live article counter on a terminal; nothing when piped or ``--quiet``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    with Progress(SpinnerColumn(), TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("ingest", total=None, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            t = bar.tasks[0]
            if t.elapsed:
                bar.update(task, rate=f"{t.completed / t.elapsed:.1f} articles/s")

        yield advance


def _pages(store: Any, q: EventQuery) -> Iterator[Any]:
    """Every matching event, fetched a page at a time so that exports stream."""
    offset = 0
    while True:
        page = store.events(replace(q, limit=PAGE, offset=offset))
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def cmd_export(args: argparse.Namespace) -> int:
    from geo.store import open_store

    q = event_query(args)
    implausible = {"true": True, "false": False, None: None}[args.implausible]
    out = Path(args.out) if args.out != "-" else None
    if out is None and args.format == "gpkg":
        raise UsageError("a GeoPackage cannot go to standard output; give --out FILE.gpkg")
    if out is not None and out.is_dir():
        raise UsageError(f"{out}: is a directory; give a file name")
    if out is not None and not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    with open_store(args.store) as store:
        n = store.count(q)
        if out is None:
            return _to_stdout(lambda: _write(args.format, store, q, sys.stdout, implausible))
        _atomic(out, lambda f: _write(args.format, store, q, f, implausible),
                binary=args.format == "gpkg")
    if implausible is not None:
        print(f"of {n} matching events, the claims the line of contact judges "
              f"{'implausible' if implausible else 'plausible'} written to {out}",
              file=sys.stderr)
        return 0
    print(f"{n} events written to {out}", file=sys.stderr)
    return 0


def _write(fmt: str, store: Any, q: EventQuery, f: IO[Any],
           implausible: bool | None = None) -> None:
    from api import exports, features
    from api.control import judge, judged_query

    verdict = judge(store)
    events: Iterable[Any] = _pages(store, q)
    if implausible is not None:
        judged_q = judged_query(q)
        events = (e for e in (_pages(store, judged_q) if judged_q is not None else ())
                  if (v := verdict(e)) is not None and v["implausible"] is implausible)
    if fmt == "geojson":
        import json

        f.write('{"type":"FeatureCollection","features":[')
        for i, e in enumerate(events):
            feature = features.event_feature(e, verdict(e))
            f.write(("," if i else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        f.write("\n]}\n")
    elif fmt == "csv":
        for chunk in exports.csv_chunks(events, verdict=verdict):
            f.write(chunk)
    else:
        f.write(exports.gpkg_bytes(list(events), verdict=verdict))


def _atomic(out: Path, fill: Callable[[IO[Any]], object], binary: bool) -> None:
    """Write beside ``out`` and rename: an interrupted export leaves the old file alone."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        f: IO[Any] = (os.fdopen(fd, "wb") if binary else
                      os.fdopen(fd, "w", encoding="utf-8", newline=""))
        with f:
            fill(f)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _to_stdout(write: Callable[[], object]) -> int:
    """Write to standard output; a reader that stops early (``| head``) is not an error."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from geo.synthetic import write_jsonl

    if args.articles < 0:
        raise UsageError("--articles must not be negative")
    if args.out == "-":
        return _to_stdout(lambda: write_jsonl(sys.stdout, args.articles, args.seed))
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    _atomic(out, lambda f: write_jsonl(f, args.articles, args.seed), binary=False)
    print(f"{args.articles} synthetic articles written to {out}", file=sys.stderr)
    return 0


def store_option(p: argparse.ArgumentParser) -> None:
    """The ``--store`` option every command that reads or writes the store takes."""
    p.add_argument("--store", metavar="URL",
                   help="a .gpkg path or postgresql://… (default: $FRONTLINE_STORE, else "
                        "frontline.gpkg in the data directory)")


def register(sub: argparse._SubParsersAction) -> None:
    ing = sub.add_parser(
        "ingest", help="read articles, extract events and store them",
        description="Ingest text, JSON, JSON Lines, HTML and RSS/Atom files or directories. "
                    "Prints articles read / new / duplicate / failed; exits 1 when some "
                    "failed (the rest is stored).")
    ing.add_argument("paths", nargs="+", metavar="PATH")
    store_option(ing)
    ing.add_argument("--workers", type=int,
                     help="parsing processes on this machine (default: one per core)")
    ing.add_argument("--dask", metavar="ADDR",
                     help="parse on a Dask cluster: tcp://scheduler:8786, or 'local' for a "
                          "LocalCluster on this machine")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.set_defaults(func=cmd_ingest)

    ex = sub.add_parser("export", help="write the stored events, filtered, to a file",
                        description="The stored events, filtered as in the API, offline: "
                                    "GeoJSON, ACLED-like CSV or a GeoPackage layer.")
    ex.add_argument("--format", choices=FORMATS, required=True)
    ex.add_argument("--out", required=True, metavar="FILE", help="'-' for standard output")
    store_option(ex)
    add_filters(ex)
    ex.add_argument("--implausible", choices=("true", "false"),
                    help="true keeps the claims the line of contact in force on their date "
                         "makes implausible, false the plausible ones; either leaves out "
                         "events no snapshot judges")
    ex.set_defaults(func=cmd_export)

    sy = sub.add_parser("synth", help="write a synthetic corpus (JSON Lines) for benchmarks")
    sy.add_argument("--articles", type=int, required=True)
    sy.add_argument("--out", required=True, metavar="FILE", help="'-' for standard output")
    sy.add_argument("--seed", type=int, default=0)
    sy.set_defaults(func=cmd_synth)
