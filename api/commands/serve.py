"""``frontline serve``: the OGC API, the exports and the web map on one HTTP server."""

from __future__ import annotations

import argparse
import os
import socket

from api.errors import UsageError

# GIS clients page through a layer on one connection; uvicorn's 5 s default closes it
# between pages of a slow client, and a request sent as it closes fails.
KEEP_ALIVE_S = 30


def _check_listen(host: str, port: int) -> None:
    """Fail in one line before start-up rather than in uvicorn's log after it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be 1-65535")
    if args.max_body < 1:
        raise UsageError(f"--max-body {args.max_body}: must be at least 1 byte")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be at least 1")
    store_url = args.store or os.environ.get("FRONTLINE_STORE") or None
    from geo.store import open_store

    open_store(store_url).close()  # a bad store fails here, in one line, not per request
    _check_listen(args.host, args.port)
    print(f"serving on http://{args.host}:{args.port}/ (web map for browsers, OGC API – "
          "Features for GIS clients)", flush=True)
    if args.workers == 1:
        app = create_app(store_url, token=os.environ.get("FRONTLINE_TOKEN") or None,
                         max_body=args.max_body)
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                    timeout_keep_alive=KEEP_ALIVE_S)
        return 0
    # Worker processes build their own app from the environment.
    if store_url:
        os.environ["FRONTLINE_STORE"] = store_url
    os.environ["FRONTLINE_MAX_BODY"] = str(args.max_body)
    uvicorn.run("api.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level,
                timeout_keep_alive=KEEP_ALIVE_S)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the OGC API – Features, exports and the web map")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--store", help="store URL or .gpkg path (default: $FRONTLINE_STORE or the "
                                   "data directory's frontline.gpkg)")
    p.add_argument("--max-body", type=int, default=10_000_000, metavar="BYTES",
                   help="largest request body accepted (default 10 MB)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1; one per core for heavy read loads)")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=cmd_serve)
