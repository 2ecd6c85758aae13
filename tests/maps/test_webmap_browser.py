"""The web map in Debian's headless Chromium: offline, layered, filterable, and inert to
hostile article text."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_webmap import ARTICLE_URL, PAYLOAD, sample_events

from maps.assets import leaflet_static_dir
from maps.webmap import render_html, write_html

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(__file__).resolve().parents[2] / "out" / "test-artefacts"


def same_pixels(a: bytes, b: bytes, tolerance: float = 3.0) -> bool:
    """Two screenshots alike but for anti-aliasing (a mean difference of a few levels): the
    town names' layer over the canvas may shade edge pixels differently from one frame to
    the next, while a marker that comes or goes changes the mean by tens of levels."""
    import io

    import numpy as np
    from PIL import Image

    pa, pb = (np.asarray(Image.open(io.BytesIO(x)).convert("RGB"), dtype=int) for x in (a, b))
    return pa.shape == pb.shape and float(np.abs(pa - pb).mean()) <= tolerance


def artefact(name: str) -> Path:
    """Where a screenshot goes for people to look at after the run."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def map_file(gazetteer, tmp_path_factory) -> Path:
    return write_html(tmp_path_factory.mktemp("webmap") / "map.html",
                      sample_events(gazetteer), None)


class MapPage:
    """A loaded map page, with every request and script error it produced."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console",
                     lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(url)
        self.page.wait_for_function("() => window.Frontline && "
                                    "Object.keys(window.Frontline.views).length === 1")
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")

    def view(self, expr: str):
        return self.page.evaluate(
            "(expr) => { const v = Object.values(window.Frontline.views)[0]; "
            "return new Function('v', 'return ' + expr)(v); }", expr)

    def point(self, event_id: str) -> tuple[float, float]:
        """Where the event's marker is on the screen."""
        lat, lon = self.page.evaluate(
            """(id) => { const v = Object.values(window.Frontline.views)[0];
                         const rec = v.items.find(i => i.rec.id === id).rec;
                         return [rec.lat, rec.lon]; }""", event_id)
        return self.screen(lat, lon)

    def screen(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self.page.evaluate(
            """([lat, lon]) => {
                const v = Object.values(window.Frontline.views)[0];
                const p = v.map.latLngToContainerPoint([lat, lon]);
                const box = v.map.getContainer().getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""", [lat, lon])
        return x, y

    def click_event(self, event_id: str) -> str | None:
        """Click the event's marker; the popup text, or None when no popup opens."""
        popup = self.close_popup()
        self.page.mouse.click(*self.point(event_id))
        try:
            popup.wait_for(state="visible", timeout=1500)
        except Exception:
            return None
        return popup.inner_text()

    def close_popup(self):
        popup = self.page.locator(".leaflet-popup-content")
        self.page.evaluate("() => { Object.values(window.Frontline.views)[0].map.closePopup(); }")
        popup.wait_for(state="detached")
        return popup

    def pixels(self, event_id: str | None = None, at: tuple[float, float] | None = None,
               size: int = 12) -> bytes:
        """A small screenshot centred on the event's marker or a screen point (the pointer
        moved off the map, so that no oblast tooltip covers it)."""
        self.page.mouse.move(1, 1)
        self.page.wait_for_timeout(300)
        x, y = at or self.point(event_id or "")
        return self.page.screenshot(
            clip={"x": x - size / 2, "y": y - size / 2, "width": size, "height": size})

    def overlay(self, label: str):
        return self.page.locator(".leaflet-control-layers-overlays label", has_text=label) \
            .locator("input")


@pytest.fixture
def map_page(browser, map_file) -> Iterator[MapPage]:
    page = MapPage(browser, map_file.as_uri())
    yield page
    page.page.close()


def test_standalone_file_makes_no_request_beyond_itself(map_page, map_file):
    assert map_page.requests, "the page was loaded"
    assert all(u == map_file.as_uri() or u.startswith("data:") for u in map_page.requests), \
        map_page.requests
    assert map_page.errors == []
    assert map_page.page.locator(".leaflet-control-attribution").inner_text().endswith(
        "GeoNames (CC BY 4.0), Natural Earth")
    shot = artefact("webmap.png")
    map_page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


class _Assets(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(gazetteer, tmp_path_factory) -> Iterator[str]:
    """The page and Leaflet served by a real HTTP server on 127.0.0.1, as the API serves them."""
    root = tmp_path_factory.mktemp("site")
    (root / "static").mkdir()
    (root / "static" / "leaflet").symlink_to(leaflet_static_dir(), target_is_directory=True)
    (root / "map.html").write_text(
        render_html(sample_events(gazetteer), None, asset_base="/static/leaflet"), "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Assets, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/map.html"
    server.shutdown()
    server.server_close()


def test_served_page_loads_leaflet_from_the_server_only(browser, served):
    page = MapPage(browser, served)
    try:
        assert any(u.endswith("/static/leaflet/leaflet.js") for u in page.requests)
        assert all(u.startswith(("http://127.0.0.1:", "data:")) for u in page.requests), \
            page.requests
        assert page.errors == []
        assert page.view("v.items.length") == 5
    finally:
        page.page.close()


@pytest.fixture(scope="module")
def api_map(gazetteer, tmp_path_factory) -> Iterator[str]:
    """``frontline serve`` on 127.0.0.1 over a store holding the sample events."""
    from geo.models import Article
    from geo.store import open_store

    store = str(tmp_path_factory.mktemp("api") / "frontline.gpkg")
    with open_store(store) as s:
        s.ingest(Article(id="000", text="Russia claims an advance into Dnipropetrovsk."),
                 sample_events(gazetteer))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", store, "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/conformance", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("frontline serve did not come up")
            time.sleep(0.2)
    yield base + "/map"
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_api_map_page_stays_on_the_server(browser, api_map):
    page = MapPage(browser, api_map)
    try:
        assert any(u.endswith("/static/leaflet/leaflet.js") for u in page.requests)
        assert all(u.startswith(("http://127.0.0.1:", "data:")) for u in page.requests), \
            page.requests
        assert page.errors == []
        assert page.view("v.items.length") == 5
        text = page.click_event("dnipropetrovsk-entry")
        assert text is not None and "Disputed" in text and "Viktor Trehubov" in text
    finally:
        page.page.close()


def test_layer_control_lists_the_layers(map_page):
    labels = map_page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    names = [label.strip() for label in labels]
    assert names == ["Events per oblast", "Advances and captures (3)", "Strikes (2)",
                     "Fighting, encirclement, control (0)", "Other events (0)",
                     "Advance directions (1)", "Denied claims (1)"]


def test_oblast_layer_tells_its_counts(map_page):
    map_page.page.mouse.move(*map_page.screen(48.6, 35.0))  # Dnipro city: no marker there
    tooltip = map_page.page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Dnipropetrovsk" in text and "2 (disputed 1, reported 1)" in text


def test_toggling_a_layer_hides_its_markers(map_page):
    assert "missile attack" in (map_page.click_event("kryvyi-rih-missile") or "")
    map_page.close_popup()
    drawn = map_page.pixels("kryvyi-rih-missile")
    map_page.overlay("Strikes").uncheck()
    assert map_page.view("v.map.hasLayer(v.layers.strikes)") is False
    assert not same_pixels(map_page.pixels("kryvyi-rih-missile"), drawn)
    assert map_page.click_event("kryvyi-rih-missile") is None
    assert map_page.click_event("lyman-progress") is not None  # other layers stay
    map_page.overlay("Strikes").check()
    assert same_pixels(map_page.pixels("kryvyi-rih-missile"), drawn)
    assert "missile attack" in (map_page.click_event("kryvyi-rih-missile") or "")
    map_page.overlay("Advances and captures").uncheck()
    assert map_page.click_event("lyman-progress") is None
    map_page.overlay("Events per oblast").uncheck()
    map_page.overlay("Events per oblast").check()  # drawn again, it must not swallow clicks
    assert map_page.click_event("kryvyi-rih-missile") is not None


def test_arrows_and_denial_rings_are_drawn_and_toggle(map_page):
    entry = map_page.view("v.items.find(i => i.rec.id === 'dnipropetrovsk-entry').rec")
    map_page.page.evaluate("([lat, lon]) => { Object.values(window.Frontline.views)[0]"
                           ".map.setView([lat, lon], 9, {animate: false}); }",
                           [entry["lat"], entry["lon"]])
    (lat0, lon0), (lat1, lon1) = entry["arrow"]["shaft"]
    shaft = map_page.screen((lat0 + lat1) / 2, (lon0 + lon1) / 2)
    x, y = map_page.point("dnipropetrovsk-entry")
    ring = (x + 13, y)  # the dashed ring's radius, right of the marker
    before = map_page.pixels(at=shaft), map_page.pixels(at=ring, size=6)
    map_page.overlay("Advance directions").uncheck()
    map_page.overlay("Denied claims").uncheck()
    after = map_page.pixels(at=shaft), map_page.pixels(at=ring, size=6)
    assert after[0] != before[0] and after[1] != before[1]
    map_page.overlay("Advance directions").check()
    map_page.overlay("Denied claims").check()
    assert (map_page.pixels(at=shaft), map_page.pixels(at=ring, size=6)) == before
    assert map_page.page.locator(".fl-note").is_hidden()


def test_too_many_arrows_ask_to_zoom_in(browser, gazetteer, tmp_path):
    from dataclasses import replace

    from test_webmap import toponym

    base = sample_events(gazetteer)[0]
    origin = toponym(gazetteer, "Pokrovsk")
    crowd = [replace(base, id=f"advance-{i}", origin=(replace(
        origin, lat=origin.lat + 0.5 + i / 2000, lon=origin.lon + 1),)) for i in range(1600)]
    page = MapPage(browser, write_html(tmp_path / "crowd.html", crowd, None).as_uri())
    try:
        note = page.page.locator(".fl-note")
        assert note.inner_text() == "1600 advance directions in view: zoom in to draw them"
        page.page.fill(".fl-time input[name=from]", "2025-06-09")  # after every one of them
        assert note.is_hidden()
    finally:
        page.page.close()


def test_dnipropetrovsk_event_shows_both_sources_and_its_status(map_page):
    text = map_page.click_event("dnipropetrovsk-entry")
    assert text is not None
    assert "Disputed" in text and "Dnipropetrovsk" in text and "Novopavlivka" in text
    assert "Russian Ministry of Defense" in text and "asserts" in text
    assert "Viktor Trehubov, Khortytsia forces spokesperson" in text and "denies" in text
    assert "90th tank division" in text and "spreading false information" in text
    links = map_page.page.locator(".leaflet-popup-content a.fl-link")
    assert links.count() == 2 and links.first.get_attribute("href") == ARTICLE_URL
    assert map_page.page.locator(".leaflet-popup-content .fl-source").count() == 2


def test_time_filter_hides_events_outside_the_window(map_page):
    count = map_page.page.locator(".fl-time output")
    assert count.inner_text().startswith("5 of 5 mapped events shown")
    map_page.page.fill(".fl-time input[name=from]", "2025-06-05")
    assert count.inner_text().startswith("3 of 5")
    assert map_page.click_event("kryvyi-rih-missile") is None  # 2025-03-06
    assert map_page.click_event("hostile-text") is None  # 2025-06-01
    assert map_page.click_event("dnipropetrovsk-entry") is not None  # 2025-06-08
    assert map_page.view("v.items.find(i => i.rec.id === 'dnipropetrovsk-entry').visible")
    map_page.page.locator(".fl-time input[name=undated]").uncheck()
    assert count.inner_text().startswith("2 of 5")
    assert map_page.click_event("sumy-progress") is None  # no date
    map_page.page.fill(".fl-time input[name=to]", "2025-06-08")
    assert count.inner_text().startswith("1 of 5")
    assert map_page.click_event("lyman-progress") is None  # 2025-06-09
    map_page.page.get_by_role("button", name="All dates").click()
    assert count.inner_text().startswith("5 of 5")
    assert map_page.click_event("kryvyi-rih-missile") is not None


def test_hostile_article_text_shows_as_text_and_never_runs(map_page):
    text = map_page.click_event("hostile-text")
    assert text is not None
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text and '& "quotes"' in text
    assert "javascript:window.__pwned=3" in text
    popup = map_page.page.locator(".leaflet-popup-content")
    assert popup.locator("script, img").count() == 0
    assert popup.locator("a").count() == 0  # the javascript: link is not made clickable
    assert text.count(PAYLOAD) >= 3  # claimant, outlet, quote, summary
    map_page.page.wait_for_timeout(200)
    assert map_page.page.evaluate("() => typeof window.__pwned") == "undefined"
    assert map_page.errors == []


@pytest.fixture(scope="module")
def seeds_map(tmp_path_factory) -> Path:
    """The map ``frontline map`` writes after ``frontline ingest seeds``: the real pipeline."""
    from api.cli import main

    folder = tmp_path_factory.mktemp("seeds")
    store = str(folder / "frontline.gpkg")
    assert main(["ingest", str(SEEDS), "--store", store, "--quiet", "--workers", "1"]) == 0
    out = folder / "map.html"
    assert main(["map", "--out", str(out), "--store", store]) == 0
    return out


@pytest.mark.slow
def test_seed_articles_dnipropetrovsk_claim_is_disputed_with_both_sides(browser, seeds_map):
    page = MapPage(browser, seeds_map.as_uri())
    try:
        entry = page.page.evaluate(
            """() => Object.values(window.Frontline.views)[0].items
                .map(i => i.rec).find(r => r.type === 'advance' && r.admin1 === 'UA-12').id""")
        text = page.click_event(entry)
        assert text is not None and "Disputed" in text and "Dnipropetrovsk" in text
        sources = page.page.locator(".leaflet-popup-content .fl-source")
        stances = {sources.nth(i).locator(".fl-claimant").inner_text():
                   sources.nth(i).locator(".fl-stance").inner_text()
                   for i in range(sources.count())}
        assert stances["Russian Ministry of Defense"] == "asserts"
        assert any(who.startswith("Viktor Trehubov") and stance == "denies"
                   for who, stance in stances.items())
        assert page.requests == [seeds_map.as_uri()] and page.errors == []
        page.page.screenshot(path=str(artefact("webmap-seeds.png")))
    finally:
        page.page.close()
