"""Hostile and heavy requests: a clear 4xx or 503 for each, never a 500, and a long parse
delays only itself."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.parsepool import Busy, ParsePool
from geo.store import open_store
from tests.api.test_api_live import ROOT, free_port

TOKEN = "hostile-tests-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GOOD = "Russian forces shelled Kharkiv overnight, the regional governor said."
DEEP = ("[" * 100_000 + "]" * 100_000).encode()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("hostile") / "h.gpkg")
    with TestClient(create_app(url, token=TOKEN, parse_workers=0)) as c:
        yield c, url


def _error(r, status: int, *words: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "description"}
    for w in words:
        assert w in body["description"], body


@pytest.mark.parametrize("title", [r"$\foo$", "$$", "$x^$"])
def test_a_dollar_title_is_drawn_not_typeset(client, title):
    c, _ = client
    r = c.get("/render.svg", params={"title": title, "width": 4, "height": 3})
    assert r.status_code == 200, r.text
    assert f">{title}<" in r.text.replace("&#x27;", "'")


@pytest.mark.parametrize("path", ["/geoparse", "/articles"])
def test_deep_json_is_a_400(client, path):
    c, _ = client
    r = c.post(path, content=DEEP, headers={"Content-Type": "application/json", **AUTH})
    _error(r, 400, "nested 100,000 levels")


@pytest.mark.parametrize(("body", "words"), [
    ({"text": GOOD, "published": "9999-12-31"}, ["9999-12-31", "1900-2100"]),
    ({"text": GOOD, "published": "0001-01-01"}, ["0001-01-01", "1900-2100"]),
    ({"text": GOOD, "id": "x" * 100_000}, ["'id'", "200"]),
    ({"text": GOOD, "id": "a\u0007b"}, ["control characters"]),
    ({"text": "Kyiv \u0000"}, ["NUL"]),
    ({"text": GOOD, "id": ""}, ["'id'", "1 to 200"]),
    ({"text": GOOD, "published": ""}, ["YYYY-MM-DD"]),
    ({"text": GOOD, "published": "2025-02-29"}, ["2025-02-29", "YYYY-MM-DD"]),
    ({"text": GOOD, "published": "2025-05-01T10:00:00Z"}, ["YYYY-MM-DD"]),
])
def test_articles_out_of_bounds_are_400s_and_store_nothing(client, body, words):
    c, url = client
    _error(c.post("/articles", json=body, headers=AUTH), 400, *words)
    with open_store(url) as s:
        assert all(a.text != GOOD for a in s.articles())


def test_a_leap_day_is_a_date(client):
    c, _ = client
    r = c.post("/geoparse", json={"text": GOOD, "published": "2024-02-29"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("sortby", ["", "date, -status", "-date,", "+-date"])
def test_a_sortby_the_document_refuses_is_a_400(client, sortby):
    c, _ = client
    _error(c.get("/collections/events/items", params={"sortby": sortby}), 400, "sortby")


@pytest.mark.parametrize("param", ["type", "status", "actor", "oblast"])
def test_an_empty_code_is_a_400_not_no_filter(client, param):
    c, _ = client
    _error(c.get("/collections/events/items", params={param: ""}), 400, param, "empty")


def test_lone_surrogates_are_cleaned_per_article(client):
    c, url = client
    body = b'{"text": "Kyiv \\ud800 was shelled overnight, officials said.", "id": "sur"}'
    r = c.post("/geoparse", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    names = [f["properties"]["name"] for f in r.json()["features"]
             if f["properties"]["feature_type"] == "toponym"]
    assert names == ["Kyiv"]
    r = c.post("/articles", content=body, headers={"Content-Type": "application/json", **AUTH})
    assert r.status_code == 201, r.text
    with open_store(url) as s:
        [stored] = [a for a in s.articles() if a.id == "sur"]
    assert stored.text == "Kyiv \ufffd was shelled overnight, officials said."


def test_a_full_parse_queue_is_a_503_with_retry_after():
    pool = ParsePool(workers=0, queue=1, retry_after=7)

    async def three_at_once() -> list[object]:
        return await asyncio.gather(*(pool.run(time.sleep, 0.5) for _ in range(3)),
                                    return_exceptions=True)

    try:
        results = asyncio.run(three_at_once())
    finally:
        pool.close()
    assert results[:2] == [None, None]
    assert isinstance(results[2], Busy) and results[2].retry_after == 7
    assert results[2].status == 503


def test_the_app_answers_busy_as_503_with_retry_after(tmp_path, monkeypatch):
    app = create_app(str(tmp_path / "b.gpkg"), parse_workers=0, parse_queue=0)

    async def busy(*_: object) -> object:
        raise Busy("the server is parsing 1 texts already; try again in 5 s", 5)

    monkeypatch.setattr(app.state.parsers, "run", busy)
    with TestClient(app) as c:
        r = c.post("/geoparse", content=GOOD, headers={"Content-Type": "text/plain"})
    _error(r, 503, "try again")
    assert r.headers["retry-after"] == "5"


@pytest.mark.slow
def test_a_long_parse_in_a_worker_process_delays_only_itself_and_is_killed_on_close():
    pool = ParsePool(workers=2, queue=0)

    async def long_and_short() -> tuple[float, float]:
        long = asyncio.ensure_future(pool.run(time.sleep, 60))
        await pool.run(len, "warm")  # both workers started
        t0 = time.monotonic()
        assert await pool.run(len, "short") == 5
        short = time.monotonic() - t0
        long.cancel()
        return short, t0

    short, _ = asyncio.run(long_and_short())
    t0 = time.monotonic()
    pool.close()
    assert short < 2 and time.monotonic() - t0 < 5


@pytest.mark.slow
def test_sigterm_stops_a_server_busy_parsing_within_5_s(api_store_url, monkeypatch):
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    port = free_port()
    env = {**os.environ, "FRONTLINE_MAX_TEXT": "1000000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", api_store_url, "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _up(base):
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        big = (GOOD + " ") * (900_000 // (len(GOOD) + 1))
        req = urllib.request.Request(base + "/geoparse", data=big.encode(),
                                     headers={"Content-Type": "text/plain"})
        threading.Thread(target=_quietly, args=(req,), daemon=True).start()
        time.sleep(8)  # the worker has loaded the model and is deep in the text
        assert proc.poll() is None
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert time.monotonic() - t0 < 5
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = proc.stdout.read().decode() if proc.stdout else ""
    assert "Traceback" not in out, out


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/conformance", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _quietly(req: urllib.request.Request) -> None:
    with contextlib.suppress(OSError):
        urllib.request.urlopen(req, timeout=120).read()


@pytest.mark.parametrize("q", ["'", "%", "*", "..", "-- ;", "", "  "])
def test_a_search_without_words_is_a_400_not_everything(client, q):
    c, _ = client
    for path in ("/collections/events/items", "/export.csv"):
        _error(c.get(path, params={"q": q}), 400, "no words")


def _hrefs(doc: dict) -> list[str]:
    return [lk["href"] for lk in doc["links"]]


def test_links_never_follow_the_host_header(client):
    c, _ = client
    for path in ("/", "/collections", "/collections/events/items?limit=1"):
        doc = c.get(path, headers={"Host": "evil.example", "Accept": "application/json"}).json()
        assert doc["links"] and all(h.startswith("http://testserver/") for h in _hrefs(doc))


def test_links_start_at_the_configured_public_url(tmp_path):
    app = create_app(str(tmp_path / "p.gpkg"), parse_workers=0,
                     public_url="https://maps.example.org/frontline")
    with TestClient(app) as c:
        doc = c.get("/collections", headers={"Host": "evil.example"}).json()
    assert all(h.startswith("https://maps.example.org/frontline/") for h in _hrefs(doc))
    assert "https://maps.example.org/frontline/collections" in _hrefs(doc)


@pytest.mark.parametrize("url", ["ftp://x.example", "maps.example.org", "https://x.example/?a=1"])
def test_a_public_url_that_is_not_one_is_refused(tmp_path, url):
    from api.errors import UsageError

    with pytest.raises(UsageError, match="public URL"):
        create_app(str(tmp_path / "p.gpkg"), public_url=url)


_ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
_HOSTILE = st.one_of(
    st.text(_ANY_CHAR, max_size=60),
    st.text(st.sampled_from("[]{}\"\\$^_ \x00\ud800\udfff\u202e\n"), max_size=60),
    st.builds(lambda a, b: a + " Kyiv " + b, st.text(_ANY_CHAR, max_size=20),
              st.text(_ANY_CHAR, max_size=20)))
_META = st.one_of(st.none(), st.booleans(), st.integers(), st.text(_ANY_CHAR, max_size=30),
                  st.sampled_from(["9999-12-31", "0001-01-01", "2025-06-08", "[" * 50]))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=_HOSTILE, published=_META, ident=_META)
def test_hostile_text_through_the_api_is_answered_never_a_500(client, text, published,
                                                              ident):
    c, _ = client
    body = json.dumps({"text": text, "published": published, "id": ident})  # \\ud800 escapes
    for path in ("/geoparse", "/articles"):
        r = c.post(path, content=body, headers={"Content-Type": "application/json", **AUTH})
        assert r.status_code in (200, 201, 400, 409, 413), r.text
        assert "Traceback" not in r.text
