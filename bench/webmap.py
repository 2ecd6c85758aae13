"""Web map benchmark: page size and time to first render in headless Chromium, by event count.

"list ms" is the event list's own update after the filter (it runs after the redraw).

Run: ``python -m bench.webmap [--control] [COUNTS...]`` (default 1000 10000 100000);
``--control`` also shows areas of control, the line of contact and changed ground from two
synthetic snapshots of at least 50,000 vertices each (``bench.control``). Needs Debian's
Chromium at /usr/bin/chromium and the ``playwright`` package. Events come from
``geo.synthetic.events`` (one to three sources each) at its ~600 front-line places, as news
repeats the same towns ("places"), and again moved up to 0.3 degrees off them at random so
that every event has a spot of its own ("scattered", the worst case for drawing). Every
advance gets an origin at a nearby front-line place, so arrows are drawn too. The page is
the standalone file ``frontline map`` writes, opened from ``file://``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.models import Event, Toponym
from geo.synthetic import events as synthetic_events
from geo.synthetic import front_places

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
VIEW = "Object.values(window.Frontline.views)[0]"
SCATTER_DEG = 0.3


def bench_events(n: int, seed: int = 0, scatter: float = 0.0) -> list[Event]:
    """Synthetic events; ``scatter`` (degrees) moves each one off its place at random, so
    that no two share a spot (the worst case for drawing)."""
    places = front_places()
    rng = random.Random(seed)
    out = []
    for e in synthetic_events(n, seed):
        if e.lat is None or e.lon is None:
            continue
        lat, lon = e.lat, e.lon
        if scatter:
            e = replace(e, lat=lat + rng.uniform(-scatter, scatter),
                        lon=lon + rng.uniform(-scatter, scatter))
        if e.type == "advance":
            p = min(rng.sample(places, 20), key=lambda p: (p.lat - lat) ** 2 + (p.lon - lon) ** 2)
            origin = Toponym(0, len(p.name), p.name, p.lat, p.lon, "settlement", "UA",
                             p.admin1, 1, 1.0, place_id=p.place_id, resolved_name=p.name)
            e = replace(e, origin=(origin,))
        out.append(e)
    return out


def timed(page, action: str) -> float:
    """Milliseconds from a script action until two frames later (the canvas redrawn)."""
    ms: float = page.evaluate(
        "async (action) => { const v = " + VIEW + "; const t = performance.now();"
        " new Function('v', action)(v);"
        " await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));"
        " return performance.now() - t; }", action)
    return ms


def control_view_50k(folder: Path) -> Any:
    """The view of the later of ``bench.control``'s two snapshots, with the change since."""
    from bench.control import DAYS, _write
    from geo.control.snapshot import from_files
    from maps.control import control_view

    a, b = (from_files([_write(folder, d)[0]], d, "bench", "synthetic") for d in DAYS)
    return control_view(b, a)


def measure(browser, n: int, folder: Path, scatter: float,
            control: Any = None) -> dict[str, float]:
    from maps.webmap import write_html

    events = bench_events(n, scatter=scatter)
    t = time.perf_counter()
    path = write_html(folder / f"map-{n}.html", events, None, control=control)
    build_s = time.perf_counter() - t
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    t = time.perf_counter()
    page.goto(path.as_uri(), timeout=600_000)
    page.wait_for_function(f"() => window.Frontline && {VIEW}", timeout=600_000)
    page.evaluate(FRAME)
    load_s = time.perf_counter() - t
    nav = page.evaluate(
        "() => { const p = performance.getEntriesByType('paint')"
        ".find(e => e.name === 'first-contentful-paint'); return p ? p.startTime : null; }")
    mount_ms = page.evaluate(f"() => {VIEW}.mountMs")
    pan_ms = min(timed(page, "v.map.panBy([300, 120], {animate: false});") for _ in range(3))
    zoom_ms = min((timed(page, "v.map.zoomIn(1, {animate: false});")
                   + timed(page, "v.map.zoomOut(1, {animate: false});")) / 2 for _ in range(2))
    filter_ms = min(timed(page, "v.filter('2025-01-01', '2025-03-31', false);") for _ in range(2))
    page.wait_for_timeout(200)
    list_ms = page.evaluate(f"() => {VIEW}.listMs")
    heap = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    page.close()
    return {"events": n, "html_mb": path.stat().st_size / 1e6, "build_s": build_s,
            "fcp_s": (nav or 0) / 1000, "ready_s": load_s, "mount_s": mount_ms / 1000,
            "pan_ms": pan_ms, "zoom_ms": zoom_ms, "filter_ms": filter_ms, "list_ms": list_ms,
            "heap_mb": heap.get("JSHeapUsedSize", 0) / 1e6}


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with_control = "--control" in argv
    counts = [int(a) for a in argv if a != "--control"] or [1_000, 10_000, 100_000]
    print(f"{'events':>8} {'spots':>9} {'HTML MB':>8} {'build s':>8} {'first paint s':>14} "
          f"{'ready s':>8} {'mount s':>8} {'pan ms':>7} {'zoom ms':>8} {'filter ms':>10} "
          f"{'list ms':>8} {'JS heap MB':>11}")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        control = control_view_50k(Path(tmp)) if with_control else None
        for n in counts:
            for scatter, spots in ((0.0, "places"), (SCATTER_DEG, "scattered")):
                r = measure(browser, n, Path(tmp), scatter, control)
                print(f"{r['events']:>8} {spots:>9} {r['html_mb']:>8.1f} {r['build_s']:>8.1f} "
                      f"{r['fcp_s']:>14.2f} {r['ready_s']:>8.2f} {r['mount_s']:>8.2f} "
                      f"{r['pan_ms']:>7.0f} {r['zoom_ms']:>8.0f} {r['filter_ms']:>10.0f} "
                      f"{r['list_ms']:>8.1f} {r['heap_mb']:>11.0f}", flush=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
