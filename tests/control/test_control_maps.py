from __future__ import annotations

from datetime import date
from io import BytesIO

import shapely
from control_helpers import DONETSK_A, DONETSK_B, snap

from geo.control.read import ClassifiedArea
from geo.control.snapshot import build_snapshot
from geo.control.synthetic import snapshot_geojson
from maps.control import control_view
from maps.render import render_map
from maps.webmap import render_html

SPRING, SUMMER = date(2024, 3, 1), date(2024, 6, 1)


def _synthetic(day: date):
    from shapely.geometry import shape

    from geo.control.classes import classify

    doc = snapshot_geojson(day, vertices=3000)
    areas = [ClassifiedArea(classify(f["properties"]["status"]), shape(f["geometry"]), "x")
             for f in doc["features"]]
    return build_snapshot(areas, day, "synthetic", "none", f"d{day}")  # type: ignore[arg-type]


def test_simplified_classes_keep_their_shared_edges():
    view = control_view(_synthetic(SUMMER))
    occupied, contested = view.areas["occupied"], view.areas["contested"]
    assert occupied.intersection(contested).area < 1e-9  # no overlap
    gap = occupied.union(contested).difference(
        _synthetic(SUMMER).area("occupied").union(_synthetic(SUMMER).area("contested")))
    assert gap.area < 1e-3 * occupied.area  # simplification moves edges, opens no holes
    before = sum(int(shapely.get_num_coordinates(g)) for g in _synthetic(SUMMER).areas.values())
    after = sum(int(shapely.get_num_coordinates(g)) for g in view.areas.values())
    assert after < before


def test_each_level_of_detail_leaves_no_gap_or_overlap():
    from geo.control import theatre
    from maps.control import LEVELS, simplified_coverage

    s = _synthetic(SUMMER)
    counts = []
    for _, tolerance in LEVELS:
        parts = simplified_coverage(s, tolerance)  # the classes, then the undrawn rest
        assert all(p.is_valid for p in parts)
        overlap = sum(parts[i].intersection(parts[j]).area
                      for i in range(len(parts)) for j in range(i + 1, len(parts)))
        assert overlap < 1e-9
        whole = shapely.union_all(parts)
        assert whole.symmetric_difference(theatre.ukraine()).area < 1e-9  # no gap anywhere
        counts.append(sum(int(shapely.get_num_coordinates(g)) for g in parts[:-1]))
    assert counts == sorted(counts) and counts[0] < counts[-1]  # coarsest first


def test_each_levels_line_runs_along_its_areas():
    view = control_view(_synthetic(SUMMER))
    assert [lv.max_zoom for lv in view.levels][-1] is None
    for lv in view.levels:
        assert not lv.line.is_empty
        edge = lv.areas["occupied"].boundary.buffer(1e-7)
        assert lv.line.difference(edge).length < 1e-6 * lv.line.length
    assert view.level_at(3) == 0 and view.level_at(18) == len(view.levels) - 1


def test_page_carries_every_level_for_the_zoom_to_swap():
    import json
    import re

    view = control_view(_synthetic(SUMMER))
    html = render_html([], None, control=view)
    doc = json.loads(re.search(r'id="frontline-control-[^"]+">(.*?)</script>', html, re.S)[1])
    assert doc["zooms"] == view.zooms and doc["follow"] is False
    (record,) = doc["snapshots"]
    assert len(record["areas"]) == len(record["line"]) == len(view.levels)
    sizes = [sum(len(json.dumps(f["geometry"])) for f in a["features"]) for a in record["areas"]]
    assert sizes[0] < sizes[-1]


def test_web_map_has_the_three_layers():
    view = control_view(snap(SUMMER, occupied=DONETSK_A.union(DONETSK_B)),
                        snap(SPRING, occupied=DONETSK_A))
    html = render_html([], None, control=view)
    assert "Areas of control (as of 2024-06-01)" in html
    assert "Line of contact" in html and "Changed hands since 2024-03-01" in html
    plain = render_html([], None)
    assert "Areas of control (as of 2024" not in plain and '"Line of contact"' not in plain


def test_web_map_without_any_change_or_line_still_draws():
    quiet = snap(SUMMER, contested=DONETSK_A)  # no occupied ground: no line
    html = render_html([], None, control=control_view(quiet, quiet))
    assert "Areas of control (as of 2024-06-01)" in html


def test_report_map_draws_control_and_names_its_date():
    view = control_view(snap(SUMMER, occupied=DONETSK_A), None)
    with_control, without = BytesIO(), BytesIO()
    render_map([], with_control, fmt="svg", control=view)
    render_map([], without, fmt="svg")
    svg = with_control.getvalue().decode()
    assert "Areas of control as of 2024-06-01" in svg and "control map: test" in svg
    assert "Areas of control" not in without.getvalue().decode()


def _oblast_layer(m):
    from maps.webmap import OBLAST_LAYER

    return next(c for c in m._children.values()
                if getattr(c, "layer_name", None) == OBLAST_LAYER)


def test_oblast_layer_counts_implausible_claims():
    from maps.webmap import build_map

    m = build_map([], {"UA-14": {"claimed": 3}}, implausible={"UA-14": 2})
    layer = _oblast_layer(m)
    props = {f["properties"]["iso"]: f["properties"] for f in layer.data["features"]}
    assert props["UA-14"]["implausible"] == 2 and props["UA-63"]["implausible"] == 0
    outlined = layer.style_function({"properties": props["UA-14"]})
    plain = layer.style_function({"properties": props["UA-63"]})
    assert outlined["weight"] > plain["weight"] and outlined["color"] != plain["color"]
    assert "Implausible claims" in m.get_root().render()


def test_oblast_layer_without_snapshots_says_nothing_of_the_line():
    from maps.webmap import build_map

    layer = _oblast_layer(build_map([], {"UA-14": {"claimed": 3}}))
    assert all("implausible" not in f["properties"] for f in layer.data["features"])
