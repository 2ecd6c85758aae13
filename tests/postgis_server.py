"""A real, throw-away PostgreSQL + PostGIS server on 127.0.0.1 for the tests.

The server runs from the Debian packages (``postgresql``, ``postgis``) in a temporary
directory, as the ``postgres`` OS user when the tests run as root (PostgreSQL refuses root).
Each test gets its own database cloned from a template that already has PostGIS.
Without the packages the PostGIS tests are skipped, except in CI where they must run.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TEMPLATE = "frontline_template"
_counter = itertools.count()


def _bin_dir() -> Path | None:
    for initdb in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        version = Path(initdb).parent.parent.name
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostGIS tests must run in CI: {why}")
    pytest.skip(f"no PostGIS server to test against: {why} "
                "(apt-get install postgresql postgis)")


class PostgisServer:
    """A running server; ``new_database()`` gives a fresh database URL."""

    def __init__(self, port: int) -> None:
        self.port = port

    def url(self, db: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        import psycopg

        name = f"frontline_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)


class Unavailable(RuntimeError):
    """No server can be started here (the reason says what is missing)."""


@contextmanager
def running_server() -> Iterator[PostgisServer]:
    """Start a server in a temporary directory; stop it and delete everything after."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise Unavailable("no /usr/lib/postgresql/*/bin with the PostGIS extension")
    try:
        import psycopg
    except ImportError as exc:
        raise Unavailable("psycopg is not installed (pip install -e '.[postgis]')") from exc
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        raise Unavailable("running as root without runuser to drop to the postgres user")
    base = Path(tempfile.mkdtemp(prefix="frontline-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, log, port = base / "data", base / "server.log", _free_port()

    def run(cmd: list[str]) -> None:
        subprocess.run(_as_server_user(cmd), check=True, capture_output=True, timeout=120)

    try:
        run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C", "--no-sync"])
        run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
             "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c max_connections=200", "start"])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = log.read_text() if log.exists() else getattr(exc, "stderr", b"").decode()
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc}\n{detail}") from exc
    server = PostgisServer(port)
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(server.url(TEMPLATE), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield server
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m",
                                        "immediate", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[PostgisServer]:
    try:
        with running_server() as server:
            yield server
    except Unavailable as exc:
        _unavailable(str(exc))


@pytest.fixture
def postgis_url(postgis_server: PostgisServer) -> str:
    """A fresh, empty database with PostGIS, on a real server."""
    return postgis_server.new_database()
