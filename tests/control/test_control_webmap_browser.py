"""The control layers and the line's verdict on the web map, in Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from control_helpers import DONETSK_A, DONETSK_B, event, snap

from geo.control.claims import Assessor
from maps import style
from maps.control import control_series, control_view
from maps.webmap import write_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SPRING, SUMMER = date(2024, 4, 1), date(2024, 7, 1)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    before = snap(SPRING, occupied=DONETSK_A)
    after = snap(SUMMER, occupied=DONETSK_A.union(DONETSK_B))
    claims = [event("capture", "RU", 37.4, 48.05, SUMMER, "inside"),
              event("capture", "RU", 35.5, 48.05, SUMMER, "far")]
    judge = Assessor([before, after])
    verdicts = {e.id: judge.assess(e).properties() for e in claims}  # type: ignore[union-attr]
    path = write_html(tmp_path_factory.mktemp("controlmap") / "map.html", claims, None,
                      control=control_view(after, before), verdicts=verdicts,
                      series=control_series([before, after]))
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        p = chromium.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.goto(path.as_uri())
        p.wait_for_function("() => window.Frontline && "
                            "Object.keys(window.Frontline.views).length === 1")
        yield p, errors
        chromium.close()


def _click(p, event_id: str) -> str:
    """The popup of one event, opened as the event list opens it (a click on the map may
    land on a town name or a group drawn over the marker)."""
    popup = p.locator(".leaflet-popup-content")
    p.evaluate("() => { Object.values(window.Frontline.views)[0].map.closePopup(); }")
    popup.wait_for(state="detached")
    p.evaluate("(id) => { Object.values(window.Frontline.views)[0].select(id); }", event_id)
    popup.wait_for(state="visible", timeout=3000)
    return str(popup.inner_text())


def test_layers_are_listed_and_the_page_runs_clean(page):
    p, errors = page
    labels = [t.strip() for t in
              p.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert "Areas of control (as of 2024-07-01)" in labels
    assert "Changed hands since 2024-04-01" in labels and "Line of contact" in labels
    assert errors == []


def test_popups_say_what_the_line_makes_of_the_claim(page):
    p, _ = page
    inside = _click(p, "inside")
    assert "Against the line" in inside and "already held" in inside
    far = _click(p, "far")
    assert "Implausible" in far and "beyond the line of contact" in far


def _labels(p) -> list[str]:
    return [t.strip() for t in
            p.locator(".leaflet-control-layers-overlays label").all_inner_texts()]


def _shown(p, layer: str) -> int:
    return int(p.evaluate(f"() => Object.values(window.Frontline.views)[0]"
                          f".layers.{layer}.getLayers().length"))


def test_control_layers_follow_the_time_filter(page):
    p, errors = page
    view = "Object.values(window.Frontline.views)[0]"
    p.evaluate(f"() => {{ {view}.filter('2024-01-01', '2024-05-01', true); }}")
    assert "Areas of control (as of 2024-04-01)" in _labels(p)
    assert "Changed hands" in _labels(p) and _shown(p, "control_changes") == 0
    assert _shown(p, "control_areas") == 1 and _shown(p, "control_line") == 1
    p.evaluate(f"() => {{ {view}.filter('2023-01-01', '2024-03-01', true); }}")
    assert "Areas of control (as of none in force)" in _labels(p)
    assert _shown(p, "control_areas") == 0 and _shown(p, "control_line") == 0
    p.evaluate(f"() => {{ {view}.filter('2024-01-01', '2024-12-31', true); }}")
    assert "Areas of control (as of 2024-07-01)" in _labels(p)
    assert "Changed hands since 2024-04-01" in _labels(p) and _shown(p, "control_changes") == 1
    fill = p.evaluate(f"() => {view}.layers.control_changes.getLayers()[0].options.fillColor")
    assert fill.lower() == style.CHANGE_FILL["occupied"]  # ground Russia took
    assert errors == []


def _vertices(p, layer: str) -> int:
    return int(p.evaluate(
        f"() => {{ let n = 0; Object.values(window.Frontline.views)[0].layers.{layer}"
        ".eachLayer(l => { n += JSON.stringify(l.feature.geometry.coordinates)"
        ".split('],[').length; }); return n; }"))


def test_zooming_swaps_the_level_of_detail(page):
    p, errors = page
    view = "Object.values(window.Frontline.views)[0]"
    p.evaluate(f"() => {{ {view}.filter('2024-01-01', '2024-12-31', true); }}")
    p.evaluate(f"() => {{ {view}.map.setView([48.05, 37.3], 5, {{animate: false}}); }}")
    coarse = p.evaluate(f"() => {view}.control.level()")
    p.evaluate(f"() => {{ {view}.map.setView([48.05, 37.3], 11, {{animate: false}}); }}")
    fine = p.evaluate(f"() => {view}.control.level()")
    assert coarse == 0 and fine > coarse
    assert _shown(p, "control_areas") == 1 and _shown(p, "control_line") == 1
    assert _vertices(p, "control_areas") > 0
    assert errors == []
