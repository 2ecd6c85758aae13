"""The web map's HTML: offline assets, layers, legend and credits, and untrusted text kept inert."""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
from datetime import date

import folium
import pytest

from geo.models import Attestation, Event, Toponym
from maps import style
from maps.assets import leaflet_static_dir
from maps.webmap import count_totals, render_html
from maps.webmap_records import (
    arrow,
    detail_chunks,
    event_record,
    page_columns,
    safe_url,
    script_json,
)
from maps.webmap_style import count_opacity

PAYLOAD = ('</script><script>window.__pwned = 1</script>'
           '<img src=x onerror="window.__pwned = 2"> & "quotes" {{ 7*7 }} {% if 1 %}x{% endif %}')
ARTICLE_URL = "https://example.org/news/dnipropetrovsk"


def toponym(gazetteer, name: str, precision: int = 1, **kw) -> Toponym:
    place = gazetteer.lookup(name, country="UA", **kw)[0]
    return Toponym(0, len(name), name, place.lat, place.lon, place.kind, place.country,
                   place.admin1, precision, 1.0, place_id=place.id, resolved_name=place.name)


def sample_events(gazetteer) -> list[Event]:
    """Events as claims extraction makes them from the seed articles, on real places."""
    novopavlivka = toponym(gazetteer, "Novopavlivka")
    pokrovsk = toponym(gazetteer, "Pokrovsk")
    kryvyi_rih = toponym(gazetteer, "Kryvyi Rih")
    lyman = toponym(gazetteer, "Lyman")
    sumy = toponym(gazetteer, "Sumy", precision=3, kind="admin1")
    mod, trehubov = "Russian Ministry of Defense", "Viktor Trehubov, Khortytsia forces spokesperson"
    entry = Event(
        id="dnipropetrovsk-entry", type="advance", actor="RU", status="disputed",
        places=(novopavlivka,), origin=(pokrovsk,), date=date(2025, 6, 8), date_precision="day",
        lat=novopavlivka.lat, lon=novopavlivka.lon, admin1="UA-12", precision=2,
        summary="Units of a tank division reached the Donetsk border and continued into "
                "Dnipropetrovsk region.",
        attestations=(
            Attestation("000", "asserts",
                        "subunits from the 90th tank division reached the border of "
                        "Dnipropetrovsk with the Donetsk region and continued into "
                        "Dnipropetrovsk", 0, 10, claimant=mod, claimant_side="RU",
                        url=ARTICLE_URL, published=date(2025, 6, 9)),
            Attestation("000", "denies",
                        "the Russians are constantly spreading false information that they "
                        "have entered the Dnipropetrovsk region", 11, 20, claimant=trehubov,
                        claimant_side="UA", url=ARTICLE_URL, published=date(2025, 6, 9)),
        ))
    strike = Event(
        id="kryvyi-rih-missile", type="strike", actor="RU", status="reported",
        places=(kryvyi_rih,), date=date(2025, 3, 6), lat=kryvyi_rih.lat, lon=kryvyi_rih.lon,
        admin1="UA-12", precision=1,
        attestations=(Attestation("004", "reports", "a Russian missile attack in Kryvyi Rih",
                                  0, 5, outlet="AP (photo caption)"),))
    lyman_adv = Event(
        id="lyman-progress", type="advance", actor="RU", status="reported", places=(lyman,),
        date=date(2025, 6, 9), lat=lyman.lat, lon=lyman.lon, admin1="UA-14", precision=2,
        attestations=(Attestation("000", "reports", "near Lyman in Donetsk", 0, 5),))
    sumy_adv = Event(
        id="sumy-progress", type="advance", actor="RU", status="reported", places=(sumy,),
        lat=sumy.lat, lon=sumy.lon, admin1="UA-59", precision=3,
        attestations=(Attestation("000", "reports", "in the northern Sumy region", 0, 5),))
    hostile = Event(
        id="hostile-text", type="strike", actor="UA", status="claimed", places=(pokrovsk,),
        date=date(2025, 6, 1), lat=pokrovsk.lat, lon=pokrovsk.lon, admin1="UA-14", precision=1,
        summary=PAYLOAD,
        attestations=(Attestation("999", "asserts", PAYLOAD, 0, 5, claimant=PAYLOAD,
                                  outlet=PAYLOAD, url="javascript:window.__pwned=3"),))
    unmapped = Event(id="nowhere", type="other", actor="unknown", status="reported",
                     places=(), attestations=(Attestation("000", "reports", "somewhere", 0, 1),))
    return [entry, strike, lyman_adv, sumy_adv, hostile, unmapped]


@pytest.fixture(scope="module")
def events(gazetteer) -> list[Event]:
    return sample_events(gazetteer)


@pytest.fixture(scope="module")
def page(events) -> str:
    return render_html(events, None, asset_base=None)


def embedded_document(page: str) -> dict:
    """The page's event document, its columns and detail chunks read back into records."""
    m = re.search(r'<script type="application/json" id="(frontline-data-[^"]+)">(.*?)</script>',
                  page, re.S)
    assert m, "the event document is embedded"
    doc = json.loads(m.group(2))
    details: list[dict] = []
    for k in range(doc["details"]):
        chunk = re.search(rf'<script type="text/plain" id="{m.group(1)}-{k}">([^<]*)</script>',
                          page)
        assert chunk, f"detail chunk {k} is embedded"
        details += json.loads(gzip.decompress(base64.b64decode(chunk.group(1))))
    doc["events"] = records_from_columns(doc["columns"], details)
    return doc


def records_from_columns(cols: dict, details: list[dict]) -> list[dict]:
    s = cols["scale"]
    recs = []
    for i, ident in enumerate(cols["id"]):
        rec = {"id": ident, "lat": cols["lat"][i] / s, "lon": cols["lon"][i] / s}
        for key in ("type", "actor", "status", "date", "place", "admin1", "precision",
                    "denied_by"):
            value = cols[key]["values"][cols[key]["codes"][i]]
            if value is not None or key == "date":
                rec[key] = value
        recs.append(rec | details[i])
    for i in cols["region_only"]:
        recs[i]["region_only"] = True
    pts = cols["arrow"]["points"]
    for j, i in enumerate(cols["arrow"]["rows"]):
        p = [v / s for v in pts[8 * j:8 * j + 8]]
        recs[i]["arrow"] = {"shaft": [p[0:2], p[2:4]],
                            "head": [[recs[i]["lat"], recs[i]["lon"]], p[4:6], p[6:8]]}
    return recs


def test_page_columns_keep_every_record(events):
    """Read back, the columns and detail chunks are the records, to the metre."""
    records = [r for r in (event_record(e) for e in events) if r is not None]
    chunks = detail_chunks(records, size=2)
    assert len(chunks) == (len(records) + 1) // 2
    details = [d for c in chunks for d in json.loads(gzip.decompress(base64.b64decode(c)))]
    back = records_from_columns(page_columns(records), details)
    for want, got in zip(records, back, strict=True):
        assert got.pop("lat") == pytest.approx(want.pop("lat"), abs=1e-5)
        assert got.pop("lon") == pytest.approx(want.pop("lon"), abs=1e-5)
        if "arrow" in want:
            a, b = got.pop("arrow"), want.pop("arrow")
            flat = [c for part in ("shaft", "head") for pt in a[part] for c in pt]
            assert flat == pytest.approx([c for part in ("shaft", "head") for pt in b[part]
                                          for c in pt], abs=1e-5)
        assert got == want


def test_standalone_page_has_no_remote_reference(page):
    assert "leaflet.js" not in page  # inlined, not linked
    assert "Leaflet 1.9.4" in page  # its source is in the page
    loads = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)", page)
    assert loads == ["data:,"]  # the favicon, so that browsers ask for none
    urls = re.findall(r"url\(([^)]*)\)", page)
    assert urls and all(u.startswith(("data:", "#default#")) for u in urls), urls


def test_linked_page_points_at_the_asset_base(events):
    page = render_html(events, None, asset_base="/static/leaflet")
    assert '<script src="/static/leaflet/leaflet.js"></script>' in page
    assert 'href="/static/leaflet/leaflet.css"' in page
    for name in ("leaflet.js", "leaflet.css", "images/layers.png"):
        assert (leaflet_static_dir() / name).is_file()
    assert "cdn" not in page.lower()


def test_maps_do_not_share_asset_lists(events):
    linked = render_html(events, None, asset_base="/a")
    inlined = render_html(events, None, asset_base=None)
    again = render_html(events, None, asset_base="/b")
    assert "/a/leaflet.js" in linked and "/a/" not in again and "/b/leaflet.js" in again
    assert "/a/" not in inlined and "/b/" not in inlined
    assert any("cdn" in url for _, url in folium.Map.default_js)  # folium's own list untouched


def test_layers_legend_and_credits(page):
    for label in ("Advances and captures (3)", "Strikes (2)", "Other events (0)",
                  "Advance directions (1)", "Denied claims (1)", "Events per oblast"):
        assert json.dumps(label) in page
    assert "openstreetmap" not in page.lower()
    for label in style.STATUS_LABELS.values():
        assert html.escape(label) in page
    assert style.marker_svg("strike", "reported", "unknown", 16) in page  # the static maps' symbol
    assert "GeoNames (CC BY 4.0), Natural Earth" in page


def test_online_tiles_are_an_option(events):
    page = render_html(events, None, asset_base=None, online_tiles=True)
    assert "tile.openstreetmap.org" in page and "OpenStreetMap (online)" in page
    assert "Outline map (offline)" in page


def test_records_carry_every_source(page):
    doc = embedded_document(page)
    by_id = {r["id"]: r for r in doc["events"]}
    assert "nowhere" not in by_id and doc["unmapped"] == 1
    entry = by_id["dnipropetrovsk-entry"]
    assert entry["status"] == "disputed" and entry["admin1"] == "UA-12"
    assert doc["style"]["oblasts"]["UA-12"] == "Dnipropetrovsk"
    assert [s["stance"] for s in entry["sources"]] == ["asserts", "denies"]
    assert entry["sources"][1]["claimant"].startswith("Viktor Trehubov")
    assert entry["denied_by"] == "UA" and entry["arrow"]["head"][0] == [entry["lat"],
                                                                          entry["lon"]]
    assert by_id["sumy-progress"]["region_only"] is True
    assert [r["id"] for r in doc["events"]][:2] == ["kryvyi-rih-missile", "hostile-text"]


def test_article_text_never_reaches_the_page_as_markup(page):
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page and 'onerror="window' not in page
    assert page.count("</script>") == page.count("<script")
    hostile = next(r for r in embedded_document(page)["events"] if r["id"] == "hostile-text")
    assert hostile["summary"] == PAYLOAD and hostile["sources"][0]["quote"] == PAYLOAD
    assert "url" not in hostile["sources"][0]  # a javascript: link is shown as text only
    assert hostile["sources"][0]["link_text"].startswith("javascript:")


def test_script_json_cannot_close_its_element():
    text = script_json({"q": "</script><!-- \u2028 & ' \"", "n": 1})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><!-- \u2028 & ' \"", "n": 1}


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://x.org/\"><b>", "", None):
        assert safe_url(bad) is None


def test_arrow_points_at_the_event():
    a = arrow((48.28, 37.18), (48.14, 36.79))
    assert a is not None
    assert a.shaft[0] == [48.28, 37.18] and a.head[0] == [48.14, 36.79]
    (_, _), left, right = a.head
    base = a.shaft[1]
    mid = [(left[0] + right[0]) / 2, (left[1] + right[1]) / 2]
    assert mid == pytest.approx(base, abs=1e-4)
    assert arrow((48.0, 37.0), (48.0, 37.0)) is None


def test_counts_from_store_or_events(events):
    assert count_totals({"UA-12": {"disputed": 1, "reported": 2}}, events)["UA-12"] == (
        3, {"disputed": 1, "reported": 2})
    assert count_totals({"UA-14": 4}, events)["UA-14"] == (4, {})
    derived = count_totals(None, events)
    assert derived["UA-12"] == (2, {"disputed": 1, "reported": 1})
    assert count_opacity(0, 5) == 0 and count_opacity(5, 5) > count_opacity(1, 5) > 0


def test_unmapped_event_has_no_record(events):
    assert event_record(events[-1]) is None
    bad = Event(id="x", type="strike", actor="RU", status="reported", places=(),
                attestations=(), lat=float("nan"), lon=30.0)
    assert event_record(bad) is None


@pytest.fixture(scope="module")
def store_path(events, tmp_path_factory):
    from geo.models import Article
    from geo.store import open_store

    path = tmp_path_factory.mktemp("store") / "frontline.gpkg"
    with open_store(str(path)) as store:
        store.ingest(Article(id="000", text="Russia claims an advance into Dnipropetrovsk.",
                             outlet="Test Wire", published=date(2025, 6, 9)), events)
    return path


def test_map_command_writes_a_standalone_file(store_path, tmp_path, capsys):
    from api.cli import main

    out = tmp_path / "map.html"
    assert main(["map", "--out", str(out), "--store", str(store_path)]) == 0
    assert "5 of 6 events on the map, 1 without a location" in capsys.readouterr().out
    doc = embedded_document(out.read_text("utf-8"))
    assert {r["id"] for r in doc["events"]} == {
        "dnipropetrovsk-entry", "kryvyi-rih-missile", "lyman-progress", "sumy-progress",
        "hostile-text"}
    assert main(["map", "--out", str(out), "--store", str(store_path), "--status", "disputed",
                 "--oblast", "Dnipropetrovsk"]) == 0
    assert [r["id"] for r in embedded_document(out.read_text("utf-8"))["events"]] == [
        "dnipropetrovsk-entry"]
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("argv, message", [
    (["--out", "{tmp}/map.txt"], "must end in .html"),
    (["--out", "{tmp}/missing/map.html"], "does not exist"),
    (["--out", "{tmp}/map.html", "--start", "2025-13-01"], "is not a date"),
    (["--out", "{tmp}/map.html", "--start", "2025-06-02", "--end", "2025-06-01"], "after"),
    (["--out", "{tmp}/map.html", "--status", "rumoured"], "unknown value 'rumoured'"),
    (["--out", "{tmp}/map.html", "--store", "{tmp}/none.gpkg"], "no store at"),
])
def test_map_command_refuses_bad_input(store_path, tmp_path, capsys, argv, message):
    from api.cli import main

    args = [a.format(tmp=tmp_path) for a in argv]
    if "--store" not in args:
        args += ["--store", str(store_path)]
    assert main(["map", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontline: error:") and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_page_draws_the_shared_marker_shapes():
    from maps.webmap_style import page_style

    shapes = page_style()["type_shapes"]
    assert shapes["other"] is None  # the circle: drawn as an arc
    for event_type, pts in shapes.items():
        if pts is None:
            continue
        assert len(pts) >= 3 and all(0 <= c <= 20 for p in pts for c in p), event_type
    assert shapes["advance"] == [[10, 2], [18, 17], [2, 17]]  # style's "M10 2 L18 17 L2 17 Z"


def test_any_xyz_tile_server_is_offered_off_by_default_and_credited(events):
    from maps.webmap import TileError, tile_source

    tiles = tile_source("https://tiles.example.org/{z}/{x}/{y}.png", "<b>Example</b> maps")
    page = render_html(events, None, asset_base=None, tiles=tiles)
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in page
    assert "tiles.example.org (online)" in page and "Outline map (offline)" in page
    assert "\\u0026lt;b\\u0026gt;Example\\u0026lt;/b\\u0026gt; maps" in page  # as text
    assert "<b>Example</b>" not in page
    assert "tile.openstreetmap.org" not in page
    for url, credit in (("https://tiles.example.org/{z}/{x}.png", "x"),
                        ("javascript:alert(1)/{z}/{x}/{y}", "x"),
                        ("https://tiles.example.org/{z}/{x}/{y}.png", " ")):
        with pytest.raises(TileError):
            tile_source(url, credit)
