"""``frontline serve``: the OGC API, the exports and the web map on one HTTP server."""

from __future__ import annotations

import argparse
import os
import socket
from typing import Any

from api.errors import UsageError

# GIS clients page through a layer on one connection; uvicorn's 5 s default closes it
# between pages of a slow client, and a request sent as it closes fails.
KEEP_ALIVE_S = 30
# On SIGTERM or Ctrl-C, requests still running after this are cancelled (their parse workers
# are killed), so that a deploy never waits on a long text.
GRACEFUL_S = 3


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


def _serve_one(config: Any) -> bool:
    """Run one server process; False if it could not start."""
    import uvicorn

    from api.parsepool import close_all

    class Server(uvicorn.Server):
        """Stops the parse workers as soon as shutting down begins: the requests waiting on
        them answer 503 at once instead of holding the shutdown until they are cancelled."""

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            close_all()
            await super().shutdown(sockets)

    server = Server(config)
    server.run()
    return bool(server.started)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be 1-65535")
    if args.max_body < 1:
        raise UsageError(f"--max-body {args.max_body}: must be at least 1 byte")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be at least 1")
    if args.parse_workers < 0 or args.parse_queue < 0:
        raise UsageError("--parse-workers and --parse-queue cannot be negative")
    public = args.public_url or os.environ.get("FRONTLINE_PUBLIC_URL") or None
    if public:
        from api.deps import public_url

        public = public_url(public)
    store_url = args.store or os.environ.get("FRONTLINE_STORE") or None
    from geo.store import open_store

    open_store(store_url).close()  # a bad store fails here, in one line, not per request
    _check_listen(args.host, args.port)
    print(f"serving on http://{args.host}:{args.port}/ (web map for browsers, OGC API – "
          "Features for GIS clients)", flush=True)
    if args.workers == 1:
        app = create_app(store_url, token=os.environ.get("FRONTLINE_TOKEN") or None,
                         max_body=args.max_body, parse_workers=args.parse_workers,
                         parse_queue=args.parse_queue, public_url=public)
        app.state.parsers.start()
        config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                                timeout_keep_alive=KEEP_ALIVE_S,
                                timeout_graceful_shutdown=GRACEFUL_S)
        return 0 if _serve_one(config) else 1
    # Worker processes build their own app from the environment.
    if store_url:
        os.environ["FRONTLINE_STORE"] = store_url
    os.environ["FRONTLINE_MAX_BODY"] = str(args.max_body)
    os.environ["FRONTLINE_PARSE_WORKERS"] = str(args.parse_workers)
    os.environ["FRONTLINE_PARSE_QUEUE"] = str(args.parse_queue)
    if public:
        os.environ["FRONTLINE_PUBLIC_URL"] = public
    uvicorn.run("api.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level,
                timeout_keep_alive=KEEP_ALIVE_S, timeout_graceful_shutdown=GRACEFUL_S)
    return 0


def serve_args(**given: object) -> argparse.Namespace:
    """The options of ``frontline serve`` at their defaults, with ``given`` over them: what
    another command passes to ``cmd_serve`` (``frontline run``)."""
    parser = argparse.ArgumentParser(add_help=False)
    _options(parser)
    return argparse.Namespace(**{**vars(parser.parse_args([])), **given})


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the OGC API – Features, exports and the web map")
    _options(p)
    p.set_defaults(func=cmd_serve)


def _options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--store", help="store URL or .gpkg path (default: $FRONTLINE_STORE or the "
                                   "data directory's frontline.gpkg)")
    p.add_argument("--max-body", type=int, default=10_000_000, metavar="BYTES",
                   help="largest request body accepted (default 10 MB)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1; one per core for heavy read loads)")
    p.add_argument("--public-url", metavar="URL",
                   help="where clients reach the server (https://maps.example.org/frontline), "
                        "for the absolute links in answers (default: $FRONTLINE_PUBLIC_URL, "
                        "else the address it listens on)")
    p.add_argument("--parse-workers", type=int, default=2, metavar="N",
                   help="processes parsing posted texts, per server process (default 2; "
                        "each holds the language model, about 0.5 GB)")
    p.add_argument("--parse-queue", type=int, default=8, metavar="N",
                   help="texts that may wait for a parse worker; more get 503 with "
                        "Retry-After (default 8)")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
