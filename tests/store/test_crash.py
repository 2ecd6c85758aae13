"""SIGKILL an ingest mid-way: the store must open consistent, with only whole articles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.claims.extract import extract_events
from geo.store import open_store
from geo.synthetic import write_corpus

ROOT = Path(__file__).resolve().parents[2]


def run_until(cmd: list[str], ready: Callable[[], bool], timeout: float = 300) -> None:
    """Start ``cmd``, wait until ``ready()``, then SIGKILL it (no chance to clean up)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            if proc.poll() is not None:
                pytest.fail(f"finished before it could be killed: {proc.stderr.read()!r}")
            if time.monotonic() > deadline:
                pytest.fail("the ingest made no progress")
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def sqlite_count(path: Path, table: str) -> int:
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


def check_consistent(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM attestations WHERE event_id NOT IN "
                   "(SELECT id FROM events)") == 0
        assert one("SELECT count(*) FROM event_places WHERE event_id NOT IN "
                   "(SELECT id FROM events)") == 0
        assert one("SELECT count(*) FROM events WHERE id NOT IN "
                   "(SELECT event_id FROM attestations)") == 0
        assert one("SELECT count(*) FROM gpkg_frontline_fts") == one("SELECT count(*) FROM events")
        assert one("SELECT count(*) FROM rtree_events_geom") == one(
            "SELECT count(*) FROM events WHERE geom IS NOT NULL")
        assert one("SELECT count(*) FROM rtree_events_xyt") == one(
            "SELECT count(*) FROM events WHERE geom IS NOT NULL AND date IS NOT NULL")
    finally:
        conn.close()


@pytest.mark.slow
def test_killed_ingest_leaves_whole_articles_and_resumes(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 60, seed=21)
    store = tmp_path / "f.gpkg"
    cmd = [sys.executable, "-m", "api.cli", "ingest", str(corpus), "--store", str(store),
           "--workers", "1", "--quiet"]
    run_until(cmd, lambda: sqlite_count(store, "articles") >= 8)
    check_consistent(store)
    with open_store(str(store)) as s:
        articles = s.articles()
        stored = {(a.article_id, a.start, a.end, a.stance) for e in s.events()
                  for a in e.attestations}
    assert 8 <= len(articles) < 60
    ids = {a.id for a in articles}
    assert {key[0] for key in stored} <= ids  # nothing from an article that is not there
    for article in articles:  # every article that is there is there whole
        want = {(a.article_id, a.start, a.end, a.stance) for e in extract_events(article)
                for a in e.attestations}
        assert want <= stored, article.id
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"new {60 - len(articles)}, duplicate {len(articles)}, failed 0" in done.stdout
    check_consistent(store)


LOADER = """
import sys
from geo.store import open_store
from geo.synthetic import events
with open_store(sys.argv[1]) as s:
    s.load_events(events(int(sys.argv[2])), batch=int(sys.argv[3]))
"""


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_url(request, tmp_path) -> str:
    if request.param == "gpkg":
        return str(tmp_path / "bulk.gpkg")
    return request.getfixturevalue("postgis_url")


def count_events(url: str) -> int:
    if not url.startswith("postgresql://"):
        return sqlite_count(Path(url), "events")
    import psycopg

    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('events')").fetchone()[0] is None:
            return 0
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def test_killed_writer_mid_transaction_leaves_whole_batches(store_url):
    batch = 1500
    run_until([sys.executable, "-c", LOADER, store_url, "30000", str(batch)],
              lambda: count_events(store_url) >= batch)
    n = count_events(store_url)
    assert n % batch == 0 and batch <= n < 30000
    if not store_url.startswith("postgresql://"):
        check_consistent(Path(store_url))
    with open_store(store_url) as s:
        events = s.events()
        assert len(events) == s.count() == n
        assert all(e.attestations for e in events)
        assert sum(p.events for p in s.places()) == n
