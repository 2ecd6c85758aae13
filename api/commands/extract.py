"""``frontline extract FILE...``: articles in, fused events out as GeoJSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.errors import UsageError


def cmd_extract(args: argparse.Namespace) -> int:
    from geo.claims.extract import extract_events
    from geo.claims.fusion import fuse
    from geo.geojson import event_feature, feature_collection
    from geo.ingest import limits
    from geo.ingest.local import read_all
    from geo.ingest.pipeline import Failure, Summary, failure_reason
    from geo.parse.geoparse import default_geoparser

    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file")
    summary = Summary()
    articles = list(read_all(paths, summary))
    if not articles:
        for failure in summary.failed:
            print(f"frontline: skipped {failure.source}: {failure.reason}", file=sys.stderr)
        raise UsageError(f"no articles in {', '.join(args.files)}")
    parser = default_geoparser()
    found = []
    for article in articles:
        try:
            with limits.time_budget(limits.parse_budget()):
                found += extract_events(article, parser)
        except Exception as exc:  # noqa: BLE001  (one bad article must not stop the rest)
            summary.failed.append(Failure(article.id, failure_reason(exc)))
    for failure in summary.failed:
        print(f"frontline: skipped {failure.source}: {failure.reason}", file=sys.stderr)
    events = fuse(found)
    if args.jsonl:
        for event in events:
            print(json.dumps(event_feature(event), ensure_ascii=False))
    else:
        print(json.dumps(feature_collection(events), ensure_ascii=False, indent=args.indent))
    unmapped = sum(1 for e in events if not e.mapped)
    print(f"{len(events)} events from {len(articles)} articles"
          + (f" ({unmapped} without a mappable place)" if unmapped else ""), file=sys.stderr)
    return 1 if summary.failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "extract", help="extract events with their sources and status from articles",
        description="Read articles (.txt title-first, .json, .jsonl, .html, .xml/.rss/.atom, "
                    "or folders of them), extract the events they report, fuse the same "
                    "event across articles and print a GeoJSON FeatureCollection.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--jsonl", action="store_true",
                   help="one GeoJSON Feature per line instead of a FeatureCollection")
    p.add_argument("--indent", type=int, default=None, metavar="N",
                   help="indent the FeatureCollection by N spaces (default: compact)")
    p.set_defaults(func=cmd_extract)
