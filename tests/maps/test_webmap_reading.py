"""The web map as readers use it, in Debian's headless Chromium: town names, the place search,
the event list, links that keep the view, downloads and the phone layout."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_webmap_browser import MapPage, artefact, browser, map_file  # noqa: F401

pytestmark = pytest.mark.browser

LABEL_BOXES = """() => Array.from(
    document.querySelectorAll('.fl-label:not([hidden]) .fl-label-text')).map(n => {
        const r = n.getBoundingClientRect();
        return [n.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture
def page(browser, map_file) -> Iterator[MapPage]:  # noqa: F811
    p = MapPage(browser, map_file.as_uri())
    yield p
    p.page.close()


def _overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    out = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                out.append((a, b))
    return out


def _set_view(page: MapPage, lat: float, lon: float, zoom: int) -> None:
    page.page.evaluate("([lat, lon, z]) => { Object.values(window.Frontline.views)[0].map"
                       ".setView([lat, lon], z, {animate: false}); }", [lat, lon, zoom])


def test_opening_view_names_the_cities_and_no_two_names_overlap(page):
    boxes = page.page.evaluate(LABEL_BOXES)
    names = [b[0] for b in boxes]
    assert {"Kyiv", "Kharkiv", "Odesa", "Dnipro", "Lviv", "Zaporizhzhia"} <= set(names)
    assert "Zaporizhzhya" not in names  # the official Latin form, not GeoNames' own
    assert _overlapping(boxes) == []
    page.page.screenshot(path=str(artefact("webmap-opening.png")))
    _set_view(page, 48.28, 37.18, 10)
    page.page.wait_for_timeout(100)
    closer = page.page.evaluate(LABEL_BOXES)
    assert "Pokrovsk" in [b[0] for b in closer] and _overlapping(closer) == []
    assert "Kyiv" not in [b[0] for b in closer]  # out of view


def test_search_finds_a_place_by_any_spelling_it_is_known_by(page):
    box = page.page.locator("#fl-search-input")
    options = page.page.locator("#fl-search-results [role=option]")
    for query, found in (("Покровськ", "Pokrovsk"), ("Krasnoarmeysk", "Pokrovsk"),
                         ("kryvyy rih", "Kryvyi Rih"), ("Kharkov", "Kharkiv"),
                         ("Zaporozhye", "Zaporizhzhia")):
        box.fill(query)
        assert options.first.inner_text().startswith(found), query
    box.fill("Покровськ")
    box.press("Enter")
    lat, lon, zoom = page.view("[v.map.getCenter().lat, v.map.getCenter().lng, v.map.getZoom()]")
    assert abs(lat - 48.28) < 0.05 and abs(lon - 37.18) < 0.05 and zoom >= 11
    assert page.page.locator(".fl-found-name").inner_text().startswith("Pokrovsk")
    box.fill("Qqxzv")
    assert options.count() == 0
    assert "No place" in page.page.locator(".fl-search [role=status]").inner_text()
    assert page.errors == []


def test_list_holds_the_events_in_view_and_in_the_time_window(page):
    rows = page.page.locator(".fl-list .fl-row")
    count = page.page.locator(".fl-panel-count")
    assert rows.count() == 5 and count.inner_text().startswith("5 events")
    dates = [rows.nth(i).locator(".fl-row-date").inner_text() for i in range(5)]
    assert dates == ["2025-06-09", "2025-06-08", "2025-06-01", "2025-03-06", "undated"]
    assert "Kryvyi Rih" in rows.nth(3).inner_text()  # the official form, not "Kryvyy Rih"
    page.page.select_option(".fl-panel select[name=sort]", "status")
    page.page.wait_for_function("() => document.querySelector('.fl-row-status')"
                                ".textContent === 'Disputed'")
    page.page.select_option(".fl-panel select[name=sort]", "type")
    page.page.wait_for_function("() => document.querySelector('.fl-row-what')"
                                ".textContent.startsWith('Advance')")
    page.page.fill(".fl-time input[name=from]", "2025-06-05")
    page.page.wait_for_function("() => document.querySelectorAll('.fl-row').length === 3")
    _set_view(page, 49.84, 24.03, 9)  # Lviv: no event there
    page.page.wait_for_function("() => document.querySelectorAll('.fl-row').length === 0")
    assert count.inner_text().startswith("0 events")


def test_an_event_is_reached_from_the_list_by_keyboard(page):
    row = page.page.locator(".fl-row", has_text="Novopavlivka")
    assert "Advance" in (row.get_attribute("aria-label") or "")
    row.focus()
    page.page.keyboard.press("Enter")
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert "Novopavlivka" in popup.inner_text() and "Disputed" in popup.inner_text()
    assert page.view("v.selected") == "dnipropetrovsk-entry"
    assert page.view("v.map.getZoom()") >= 9
    assert page.page.evaluate("() => document.activeElement.classList.contains('fl-row')")
    assert page.page.locator("html").get_attribute("lang") == "en"
    assert page.page.locator("aside.fl-panel").get_attribute("aria-label") == "Events in view"


def test_the_legend_folds_away_while_a_popup_is_open(page):
    legend = page.page.locator(".fl-legend-box")
    assert legend.evaluate("d => d.open")
    assert page.click_event("kryvyi-rih-missile") is not None
    assert not legend.evaluate("d => d.open")
    popup = page.page.locator(".leaflet-popup").bounding_box()
    box = legend.bounding_box()
    assert popup and box and (box["y"] + box["height"] <= popup["y"]
                              or box["x"] + box["width"] <= popup["x"]
                              or popup["x"] + popup["width"] <= box["x"]
                              or popup["y"] + popup["height"] <= box["y"])
    page.close_popup()
    assert legend.evaluate("d => d.open")


def test_url_keeps_view_filters_and_event_across_a_reload(page):
    page.page.fill(".fl-time input[name=from]", "2025-06-05")
    page.overlay("Strikes").uncheck()
    page.page.select_option(".fl-panel select[name=sort]", "status")
    page.page.locator(".fl-row", has_text="Lyman").click()
    page.page.locator(".leaflet-popup-content").wait_for(state="visible")
    page.page.wait_for_function("() => location.hash.includes('event=lyman-progress')")
    hash_ = page.page.evaluate("location.hash")
    assert "from=2025-06-05" in hash_ and "off=strikes" in hash_ and "sort=status" in hash_
    zoom = page.view("v.map.getZoom()")
    page.page.reload()
    page.page.wait_for_function("() => window.Frontline && "
                                "Object.keys(window.Frontline.views).length === 1")
    assert page.view("v.time.from") == "2025-06-05"
    assert page.view("v.map.hasLayer(v.layers.strikes)") is False
    assert page.overlay("Strikes").is_checked() is False
    assert page.page.locator(".fl-panel select[name=sort]").input_value() == "status"
    assert page.view("v.map.getZoom()") == zoom
    popup = page.page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert "Lyman" in popup.inner_text()
    assert page.page.locator(".fl-time output").inner_text().startswith("3 of 5")


def test_a_bad_fragment_is_ignored(browser, map_file):  # noqa: F811
    p = MapPage(browser, map_file.as_uri() + "#map=99/abc/1&from=yesterday&event=<b>&off=,")
    try:
        assert p.view("v.time.all") is True and p.errors == []
        assert p.page.locator(".leaflet-popup").count() == 0
    finally:
        p.page.close()


def test_downloads_hold_what_is_shown(page):
    page.page.fill(".fl-time input[name=from]", "2025-06-05")
    page.page.wait_for_function("() => document.querySelectorAll('.fl-row').length === 3")
    with page.page.expect_download() as got:
        page.page.get_by_role("button", name="Download the events shown as GeoJSON").click()
    doc = json.loads(Path(got.value.path()).read_text("utf-8"))
    ids = {f["properties"]["id"] for f in doc["features"]}
    assert ids == {"dnipropetrovsk-entry", "lyman-progress", "sumy-progress"}
    entry = next(f for f in doc["features"] if f["id"] == "dnipropetrovsk-entry")
    assert entry["geometry"]["type"] == "Point" and entry["properties"]["status"] == "disputed"
    page.page.fill(".fl-time input[name=from]", "2025-03-01")
    with page.page.expect_download() as got:
        page.page.get_by_role("button", name="Download the events shown as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text("utf-8"))))
    assert {r["id"] for r in rows} >= {"kryvyi-rih-missile", "hostile-text"}
    hostile = next(r for r in rows if r["id"] == "hostile-text")
    assert hostile["outlets"].startswith("</script>")  # the text as it came, as text
    cell = page.page.evaluate(
        "() => Frontline.csv([{id: 'x', lat: 1, lon: 2, sources: [{outlet: '=1+2'}]}])")
    assert "'=1+2" in cell


def test_counts_and_shading_follow_the_time_filter(page):
    opacity = ("() => { let o = null; Object.values(window.Frontline.views)[0].layers.oblasts"
               ".eachLayer(l => { if (l.feature.properties.iso === 'UA-12') "
               "o = l.options.fillOpacity; }); return o; }")
    before = page.page.evaluate(opacity)
    assert before > 0
    page.page.fill(".fl-time input[name=from]", "2025-06-09")  # Lyman, and undated Sumy
    names = [s.strip() for s in page.page.locator(
        ".leaflet-control-layers-overlays label").all_inner_texts()]
    assert "Strikes (0)" in names and "Advances and captures (2)" in names
    assert "Denied claims (0)" in names
    assert page.page.evaluate(opacity) == 0  # Dnipropetrovsk has nothing in the window
    page.page.mouse.move(*page.screen(48.6, 35.0))
    tooltip = page.page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert "0 in the time window" in tooltip.inner_text()
    page.page.mouse.move(1, 1)
    page.page.get_by_role("button", name="All dates").click()
    assert page.page.evaluate(opacity) == before
    names = [s.strip() for s in page.page.locator(
        ".leaflet-control-layers-overlays label").all_inner_texts()]
    assert "Strikes (2)" in names and "Denied claims (1)" in names


def test_a_phone_sees_the_map_not_the_panels(browser, map_file):  # noqa: F811
    p = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        p.goto(map_file.as_uri())
        p.wait_for_function("() => window.Frontline && "
                            "Object.keys(window.Frontline.views).length === 1")
        p.wait_for_timeout(200)
        area = 390 * 844
        map_box = p.locator(".folium-map").bounding_box()
        assert map_box and map_box["width"] * map_box["height"] >= 0.99 * area
        assert p.locator("aside.fl-panel").is_hidden()
        assert p.locator(".leaflet-control-layers-expanded").count() == 0
        assert not p.locator(".fl-legend-box").evaluate("d => d.open")
        covered = 0.0
        for c in p.locator(".leaflet-control").all():
            b = c.bounding_box()
            if b and c.is_visible():
                covered += b["width"] * b["height"]
        assert covered < 0.2 * area, covered / area
        p.screenshot(path=str(artefact("webmap-phone.png")))
        p.get_by_role("button", name="List the events in view").click()
        assert p.locator("aside.fl-panel").is_visible()
        p.get_by_role("button", name="Close the list and show the map").click()
        assert p.locator("aside.fl-panel").is_hidden()
    finally:
        p.close()


def test_dense_events_are_grouped_and_a_group_opens_into_its_members(browser, gazetteer,  # noqa: F811
                                                                      tmp_path):
    from dataclasses import replace

    from test_webmap import sample_events

    from maps.webmap import write_html

    strike = sample_events(gazetteer)[1]
    crowd = [replace(strike, id=f"strike-{i}", lat=48.28 + (i % 5) * 0.01,
                     lon=37.18 + (i // 5) * 0.01) for i in range(30)]
    page = MapPage(browser, write_html(tmp_path / "crowd.html", crowd, None).as_uri())
    try:
        groups = page.view("v.canvas._groups.list.map(g => [g.n, g.x, g.y])")
        assert [g[0] for g in groups] == [30]
        assert page.view("v.canvas.hits(v.map.latLngToLayerPoint([48.28, 37.18]), false)"
                         ".length") == 0  # inside the group, no single marker answers
        n, x, y = groups[0]
        disc = page.page.evaluate(
            """([x, y]) => { const v = Object.values(window.Frontline.views)[0];
                             const p = v.map.layerPointToContainerPoint([x, y]);
                             const box = v.map.getContainer().getBoundingClientRect();
                             const r = v.canvas._groups.list[0].r;
                             return [box.left + p.x - r, box.top + p.y - r,
                                     box.left + p.x + r, box.top + p.y + r]; }""", [x, y])
        labels = page.page.evaluate(LABEL_BOXES)
        assert labels and _overlapping(labels + [["group", *disc]]) == []
        at = page.page.evaluate(
            """([x, y]) => { const v = Object.values(window.Frontline.views)[0];
                             const p = v.map.layerPointToContainerPoint([x, y]);
                             const box = v.map.getContainer().getBoundingClientRect();
                             return [box.left + p.x, box.top + p.y]; }""", [x, y])
        zoom = page.view("v.map.getZoom()")
        page.page.mouse.click(*at)
        page.page.wait_for_function("() => { const v = Object.values(window.Frontline.views)[0];"
                                    " return v.map.getZoom() >= 9 && !v.canvas._groups; }")
        assert page.view("v.map.getZoom()") > zoom
        assert "missile attack" in (page.click_event("strike-7") or "")
        assert page.errors == []
    finally:
        page.page.close()
