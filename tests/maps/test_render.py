"""Static report maps: the seeds drawn to PNG, SVG and PDF, checked for what a reader sees."""

from __future__ import annotations

import os
import random
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from dateutil import parser as dateparser

from geo.claims.status import derive_status
from geo.ingest.readers import read_articles
from geo.models import ACTORS, EVENT_TYPES, STATUSES, Article, Attestation, Event, Toponym
from maps import style
from maps.render import NO_EVENTS, RenderError, render_map

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
BASELINE = Path(__file__).resolve().parents[1] / "baseline" / "seeds-map.png"
# A fixed area, so that maps with and without events share one projection and frame.
UKRAINE_VIEW = (22.0, 44.0, 40.5, 52.5)
SVG_NS = "{http://www.w3.org/2000/svg}"


# The seeds' events as tests/fixtures/expected.json says a correct run finds them, located
# with the real gazetteer: they do not move when the extraction changes, so pictures of them
# can be compared over time.


def assert_no_overlaps(result) -> None:
    """No name box over another, and no label, town or river name over a marker, from the
    renderer's own boxes."""
    names = list(result.label_boxes) + list(result.town_boxes) + list(result.name_boxes) \
        + list(result.river_boxes)
    for i, (x0, y0, x1, y1) in enumerate(names):
        for a0, b0, a1, b1 in names[i + 1:]:
            assert not (x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1), (names[i], (a0, b0))
    centres = np.array(result.marker_centres)
    r = result.marker_radius_px
    for x0, y0, x1, y1 in result.label_boxes + result.town_boxes + result.river_boxes:
        over = ((centres[:, 0] > x0 - r) & (centres[:, 0] < x1 + r)
                & (centres[:, 1] > y0 - r) & (centres[:, 1] < y1 + r))
        assert not over.any(), centres[over][:3]

def _toponym(gazetteer, entry: dict) -> Toponym:
    name = entry["name"]
    if "geonameid" in entry:
        p = gazetteer.by_id(entry["geonameid"])
        return Toponym(0, len(name), name, p.lat, p.lon, p.kind, p.country, p.admin1, 1, 1.0,
                       place_id=p.id, resolved_name=p.name)
    if entry["kind"] == "landmark":
        p = gazetteer.lookup(entry["canonical"].split(" (")[0], kind="landmark")[0]
        return Toponym(0, len(name), name, p.lat, p.lon, p.kind, p.country, p.admin1, 1, 1.0,
                       place_id=p.id, resolved_name=p.name)
    region = next(p for p in gazetteer.lookup(name, kind="admin1") + _admin1(gazetteer, entry)
                  if p.admin1 == entry["admin1"])
    if entry["kind"] == "admin1":
        return Toponym(0, len(name), name, region.lat, region.lon, "admin1", "UA",
                       region.admin1, 3, 1.0, place_id=region.id, resolved_name=region.name)
    # A village the gazetteer cannot pin down: known to its oblast only.
    return Toponym(0, len(name), name, region.lat, region.lon, entry["kind"], "UA",
                   region.admin1, 3, 0.5, resolved_name=name)


def _country(gazetteer, name: str) -> Toponym:
    p = gazetteer.lookup(name, kind="country")[0]
    return Toponym(0, len(name), name, p.lat, p.lon, "country", p.country, None, None, 1.0,
                   place_id=p.id, resolved_name=p.name)


def _admin1(gazetteer, entry: dict) -> list:
    from geo.gazetteer.admin import admin1_index

    unit = admin1_index().get(entry["admin1"])
    return gazetteer.lookup(unit.name, kind="admin1") if unit else []


def _attestations(article_id: str, spec: dict) -> list[Attestation]:
    stance, actor = spec["stance"], spec["actor"]
    assertion = Attestation(article_id, "asserts", spec["id"], 0, 1, spec.get("claimant"), actor)
    if stance == "asserted":
        return [assertion]
    if stance == "asserted_and_denied":
        other = "UA" if actor == "RU" else "RU"
        return [assertion, Attestation(article_id, "denies", spec["id"], 0, 1,
                                       spec.get("denied_by"), other)]
    if stance == "no_response":
        return [assertion, Attestation(article_id, "no_response", spec["id"], 0, 1)]
    return [Attestation(article_id, "reports", spec["id"], 0, 1)]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    return dateparser.parse(text, fuzzy=True, default=datetime(2025, 1, 1)).date()


def _event(gazetteer, event_id: str, article_id: str, spec: dict,
           mentions: dict[str, dict]) -> Event:
    places = tuple(_toponym(gazetteer, mentions[n]) if n in mentions else _country(gazetteer, n)
                   for n in spec["places"])
    atts = _attestations(article_id, spec)
    where = places[0]
    country = spec.get("precision") == "country"
    origin = tuple(p for p in places if spec["type"] == "advance" and p.precision == 1
                   and p.admin1 != where.admin1)
    kind = "country" if country else "admin1" if where.precision == 3 else "point"
    return Event(id=event_id, type=spec["type"], actor=spec["actor"], places=places,
                 attestations=tuple(atts), status=derive_status(atts, spec["type"], spec["actor"]),
                 date=_day(spec.get("date")), lat=where.lat, lon=where.lon,
                 admin1=where.admin1, precision=None if country else where.precision,
                 geometry_kind=kind, origin=origin)


def seed_articles(gazetteer, expected: dict) -> list[tuple[Article, list[Event]]]:
    """Each seed article with the events it tells, as they would reach the store."""
    out = []
    for file, art in expected["articles"].items():
        article = next(read_articles(SEEDS / file))
        mentions = {t["name"]: t for t in art["toponyms"]}
        out.append((article, [_event(gazetteer, f"{article.id}:{spec['id']}", article.id, spec,
                                     mentions) for spec in art["events"]]))
    return out


def seed_events(gazetteer, expected: dict) -> list[Event]:
    """One event per real-world happening, with the attestations of every article telling it."""
    merged: dict[str, Event] = {}
    for _, events in seed_articles(gazetteer, expected):
        for e in events:
            key = e.id.split(":", 1)[1]
            if key in merged:
                atts = (*merged[key].attestations, *e.attestations)
                merged[key] = replace(merged[key], attestations=atts,
                                      status=derive_status(atts, e.type, e.actor))
            else:
                merged[key] = replace(e, id=key)
    return list(merged.values())


@pytest.fixture(scope="module")
def seeds(gazetteer, expected) -> list[Event]:
    return seed_events(gazetteer, expected)


def _svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def _near(pixels: np.ndarray, xy: tuple[float, float], colour: str, radius: int = 7,
          unlike: np.ndarray | None = None) -> int:
    """How many pixels around ``xy`` have ``colour`` (and differ from ``unlike`` there)."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    x, y = round(xy[0]), round(xy[1])
    rows = slice(max(0, y - radius), y + radius + 1)
    cols = slice(max(0, x - radius), x + radius + 1)
    hit = np.abs(pixels[rows, cols, :3] - rgb).max(axis=2) < 0.03
    if unlike is not None:
        hit &= np.abs(pixels[rows, cols, :3] - unlike[rows, cols, :3]).max(axis=2) > 0.03
    return int(hit.sum())


# The figure a reader gets.

def test_png_has_the_size_asked_and_each_event_where_it_happened(seeds, tmp_path):
    out = tmp_path / "seeds.png"
    result = render_map(seeds, out, width=8, height=6, dpi=100, bbox=UKRAINE_VIEW)
    empty = render_map([], tmp_path / "empty.png", width=8, height=6, dpi=100,
                       bbox=UKRAINE_VIEW)
    pixels = mpimg.imread(out)
    blank = mpimg.imread(tmp_path / "empty.png")
    assert pixels.shape[:2] == (600, 800) == (result.height_px, result.width_px)
    assert result.extent == empty.extent
    points = [e for e in seeds if e.geometry_kind == "point"]
    assert len(points) >= 3
    for e in points:
        xy = result.pixel(e.lon, e.lat)
        assert 0 < xy[0] < 800 and 0 < xy[1] < 600
        colour = style.status_color(e.status)
        drawn = _near(pixels, xy, colour, unlike=blank)
        assert drawn >= 8, f"no {e.status} marker at {e.places[0].name}"
    sea = result.pixel(31.5, 43.8)  # the Black Sea, away from every event
    assert _near(pixels, sea, style.WATER, radius=3) == 49


def test_svg_keeps_legend_labels_dates_sources_and_credits_as_text(seeds, gazetteer, tmp_path):
    out = tmp_path / "seeds.svg"
    result = render_map(seeds, out, title="Seed articles")
    texts = _svg_texts(out.read_bytes())
    for entry in (*style.STATUS_LABELS.values(), "Advance", "Strike", "Capture",
                  style.ACTOR_LABELS["RU"], style.ACTOR_LABELS["UA"]):
        assert entry in texts
    assert "Seed articles" in texts
    assert any("GeoNames (CC BY 4.0), Natural Earth" in t for t in texts)
    for pid in ("703845", "704204", "sup:crimean-bridge"):
        name = gazetteer.official_name(gazetteer.row_of(pid))  # Kryvyi Rih, not Kryvyy Rih
        assert name in result.labels and name in texts
    info = next(t for t in texts if "Dates:" in t)
    known = [a.published for e in seeds for a in e.attestations if a.published] or [
        e.date for e in seeds if e.date]
    assert info.startswith(f"As of {max(known).isoformat()}")
    outlets = next(t for t in texts if t.startswith("Outlets counted"))
    per_outlet: dict[str, set[str]] = {}
    for a in (a for e in seeds for a in e.attestations if a.outlet):
        per_outlet.setdefault(a.outlet, set()).add(a.article_id)
    if per_outlet:
        top, ids = max(per_outlet.items(), key=lambda kv: len(kv[1]))
        assert f"{top} ({len(ids)})" in outlets
    else:
        assert "none named" in outlets
    unnamed = {a.article_id for e in seeds for a in e.attestations if not a.outlet}
    assert not unnamed or f"{len(unnamed)} article" in outlets
    dated = sorted(e.date for e in seeds if e.date)
    assert f"{dated[0].isoformat()} – {dated[-1].isoformat()}" in info
    articles = {a.article_id for e in seeds for a in e.attestations}
    assert f"Sources: {len(articles)} articles" in info
    country_wide = sum(e.geometry_kind == "country" for e in seeds)
    shown = next(t for t in texts if t.startswith("Events:"))
    assert f"Events: {len(seeds)} selected, {result.shown} on the map" in shown
    assert country_wide and f"{country_wide} country-wide" in shown


def test_pdf_is_one_page_of_the_size_asked(seeds, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "seeds.pdf"
    render_map(seeds, out, width=7, height=5, title="Seed articles")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (7 * 72, 5 * 72)
    text = reader.pages[0].extract_text()
    assert "Seed articles" in text and "Disputed" in text
    assert reader.metadata.get("/CreationDate") is None


def test_same_events_give_the_same_bytes_in_any_order(seeds):
    shuffled = list(seeds)
    random.Random(3).shuffle(shuffled)
    assert shuffled != seeds
    for fmt in ("png", "svg", "pdf"):
        a, b = BytesIO(), BytesIO()
        render_map(seeds, a, fmt=fmt, width=6, height=4.5, dpi=80)
        render_map(shuffled, b, fmt=fmt, width=6, height=4.5, dpi=80)
        assert a.getvalue() == b.getvalue(), fmt


def test_looks_like_the_reviewed_baseline(seeds, tmp_path):
    """A picture of the seeds compared with one a person has looked at; set
    FRONTLINE_UPDATE_BASELINE=1 to replace it after an intended change of style."""
    from matplotlib.testing.compare import compare_images

    out = tmp_path / "seeds-map.png"
    render_map(seeds, out, width=6, height=4.5, dpi=80, title="Seed articles")
    if os.environ.get("FRONTLINE_UPDATE_BASELINE"):
        BASELINE.parent.mkdir(exist_ok=True)
        BASELINE.write_bytes(out.read_bytes())
    # Output is byte-identical on one matplotlib version; the small tolerance absorbs
    # anti-aliasing between versions, while one marker changing colour is about 0.4.
    assert compare_images(str(BASELINE), str(out), tol=0.25) is None


def test_an_oblast_map_zooms_in_and_outlines_it(seeds, tmp_path):
    whole = render_map(seeds, tmp_path / "whole.svg")
    donetsk = render_map([e for e in seeds if e.admin1 == "UA-14"], tmp_path / "d.svg",
                         oblast="UA-14")
    assert (donetsk.extent[2] - donetsk.extent[0]) < (whole.extent[2] - whole.extent[0]) / 3
    assert donetsk.shown == sum(e.admin1 == "UA-14" for e in seeds) > 0


def test_the_best_attested_event_is_on_top_and_named_first(seeds, tmp_path):
    """Where a confirmed and a reported event share a place, the reader sees the confirmed
    one; when only one name fits, it is the confirmed event's place."""
    strike = next(e for e in seeds if e.geometry_kind == "point" and e.type == "strike")
    lyman = next(e for e in seeds if e.geometry_kind == "point" and e.type == "advance")
    confirmed = replace(strike, id="z-confirmed", status="confirmed")
    reported = replace(strike, id="a-reported", status="reported")
    for order in ([confirmed, reported], [reported, confirmed]):
        out = tmp_path / "stack.png"
        result = render_map([*order, replace(lyman, status="reported")], out, dpi=100,
                            bbox=UKRAINE_VIEW, max_labels=1)
        xy = result.pixel(strike.lon, strike.lat)
        pixels = mpimg.imread(out)
        assert _near(pixels, xy, style.STATUS_COLORS["confirmed"], radius=3) >= 9
        assert _near(pixels, xy, style.STATUS_COLORS["reported"], radius=3) == 0
        assert result.labels == (strike.places[0].resolved_name,)


def test_labels_never_overlap_and_stay_inside_the_map():
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from geo.synthetic import events
    from maps.render import RC, draw_map, map_options

    crowd = list(events(400, seed=5))
    fig = Figure()
    with mpl.rc_context(RC):
        result = draw_map(fig, crowd, map_options(max_labels=40, width=8, height=6, dpi=100))
        ax = fig.axes[0]
        boxes = [a.get_window_extent() for a in ax.texts
                 if isinstance(a, Annotation) and a.get_text() in result.labels]
        frame = ax.get_window_extent()
    assert len(boxes) == len(result.labels) >= 10
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        assert not any(a.overlaps(b) for b in boxes[i + 1:])


@pytest.mark.parametrize("title", [r"$\foo$", "$$", "$x^$", r"Costs: $\frac{a}{b}$ a shell"])
def test_dollar_signs_in_a_title_are_drawn_as_typed(seeds, tmp_path, title):
    out = tmp_path / "dollars.svg"
    render_map(seeds[:3], out, title=title, caption=title)
    assert _svg_texts(out.read_bytes()).count(title) == 2


# What it says when there is little or nothing to show.

def test_an_empty_selection_says_so(tmp_path):
    out = tmp_path / "none.svg"
    result = render_map([], out, title="Nothing")
    assert result.events == result.shown == 0
    assert NO_EVENTS in _svg_texts(out.read_bytes())
    assert NO_EVENTS.lower().startswith("no events match")


def test_events_that_cannot_be_placed_are_counted_not_drawn(seeds, tmp_path):
    unplaced = replace(seeds[0], id="nowhere", lat=None, lon=None, admin1=None, precision=None,
                       geometry_kind=None)
    out = tmp_path / "m.svg"
    result = render_map([unplaced], out)
    assert (result.events, result.shown, result.unlocated) == (1, 0, 1)
    texts = _svg_texts(out.read_bytes())
    assert any("1 without a location" in t for t in texts)
    assert any("None of the 1 matching events can be placed" in t for t in texts)


# Bad requests: a clear error, and nothing lost.

def test_bad_format_and_paths_are_clear_errors_that_keep_the_old_file(seeds, tmp_path):
    with pytest.raises(RenderError, match="unknown map format 'jpg'"):
        render_map(seeds, tmp_path / "map.jpg")
    with pytest.raises(RenderError, match="does not exist"):
        render_map(seeds, tmp_path / "no" / "such" / "map.png")
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(RenderError, match="is a directory"):
        render_map(seeds, tmp_path / "folder.png")
    with pytest.raises(RenderError, match="does not match"):
        render_map(seeds, tmp_path / "map.png", fmt="svg")
    with pytest.raises(RenderError, match="no map format"):
        render_map(seeds, BytesIO())
    kept = tmp_path / "report.png"
    kept.write_bytes(b"yesterday's map")
    with pytest.raises(RenderError, match="dpi"):
        render_map(seeds, kept, dpi=5000)
    assert kept.read_bytes() == b"yesterday's map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.png", "report.png"]


def test_a_map_file_gets_the_usual_permissions_or_keeps_its_own(seeds, tmp_path):
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.svg"
        render_map(seeds, fresh)
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.svg"
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        render_map(seeds, kept)
        assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_bytes() != b"old"
    finally:
        os.umask(umask)


@pytest.mark.parametrize(("options", "message"), [
    ({"width": 1}, "width must be"),
    ({"width": 40, "dpi": 600}, "pixels a side"),
    ({"bbox": (120.0, 10.0, 130.0, 20.0)}, "outside the mapped area"),
    ({"bbox": (40.0, 50.0, 30.0, 45.0)}, "minlon < maxlon"),
    ({"oblast": "UA-99"}, "unknown oblast"),
    ({"bbox": UKRAINE_VIEW, "oblast": "UA-14"}, "not both"),
    ({"start": date(2025, 6, 2), "end": date(2025, 6, 1)}, "after end"),
    ({"colour": "red"}, "unknown map option"),
    ({"width": "wide"}, "must be numbers"),
    ({"bbox": (30.0, 45.0, 35.0)}, "four numbers"),
    ({"start": "June"}, "not a date"),
    ({"width": float("nan")}, "width must be"),
    ({"tiles": "No.SuchProvider"}, "tile"),
])
def test_bad_options_are_clear_errors(seeds, options, message):
    with pytest.raises(RenderError, match=message):
        render_map(seeds, BytesIO(), fmt="png", **options)


def test_a_binary_file_object_gets_the_map(seeds):
    buf = BytesIO()
    render_map(seeds, buf, fmt="svg")
    assert buf.getvalue().startswith(b"<?xml")
    assert "Disputed" in _svg_texts(buf.getvalue())


# One palette for every map.

def test_the_palette_covers_every_status_type_and_actor():
    assert set(style.STATUS_COLORS) == set(style.STATUS_LABELS) == set(STATUSES)
    assert set(style.TYPE_SHAPES) == set(style.TYPE_LABELS) == set(EVENT_TYPES)
    assert set(style.ACTOR_COLORS) == set(style.ACTOR_LABELS) == set(ACTORS)
    assert len(set(style.STATUS_COLORS.values())) == len(STATUSES)
    assert len(set(style.TYPE_SHAPES.values())) == len(EVENT_TYPES)
    svg = ET.fromstring(style.marker_svg("strike", "disputed", "RU"))
    path = svg.find(f"{SVG_NS}path")
    assert path is not None
    assert path.get("fill") == style.STATUS_COLORS["disputed"]
    assert path.get("stroke") == style.ACTOR_COLORS["RU"]


# The command line, over a real store.

@pytest.fixture(scope="module")
def store_url(tmp_path_factory, gazetteer, expected) -> str:
    from geo.store import open_store

    url = str(tmp_path_factory.mktemp("render") / "frontline.gpkg")
    with open_store(url) as store:
        for article, events in seed_articles(gazetteer, expected):
            assert store.ingest(article, events) == "new"
    return url


def test_cli_renders_the_stored_selection(store_url, tmp_path, capsys):
    from api.cli import main
    from geo.store import EventQuery, open_store

    with open_store(store_url) as store:
        strikes = store.events(EventQuery(types=("strike",)))
    out = tmp_path / "strikes.svg"
    code = main(["render", "--store", store_url, "--out", str(out), "--type", "strike",
                 "--title", "Strikes in the seed articles", "--width", "8", "--height", "6"])
    assert code == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out} (1200x900 px)") and f"of {len(strikes)} events" in said
    texts = _svg_texts(out.read_bytes())
    assert "Strikes in the seed articles" in texts and "Strike" in texts
    assert "Advance" not in texts  # only the types shown are in the legend
    assert "Selection: type strike" in texts
    root = ET.fromstring(out.read_bytes())
    assert (root.get("width"), root.get("height")) == ("576pt", "432pt")


def test_cli_renders_a_newspaper_column(store_url, tmp_path, capsys):
    from api.cli import main

    out = tmp_path / "column.png"
    assert main(["render", "--store", store_url, "--out", str(out), "--template",
                 "newspaper"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out} (1003x1476 px)")  # 85 x 125 mm
    assert mpimg.imread(out).shape[:2] == (1476, 1003)


def test_cli_oblast_map_and_date_range(store_url, tmp_path, capsys):
    from api.cli import main

    out = tmp_path / "donetsk.pdf"
    assert main(["render", "--store", store_url, "--out", str(out), "--oblast", "Donetsk",
                 "--start", "2025-01-01", "--end", "2025-12-31"]) == 0
    from pypdf import PdfReader

    text = PdfReader(out).pages[0].extract_text()
    assert "Dates: 2025-01-01 – 2025-12-31" in text
    assert "Selection: oblast UA-14 (Donetsk)" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["--out", "map.jpg"], "unknown map format 'jpg'"),
    (["--out", "map.png", "--type", "parade"], "--type: unknown value 'parade'"),
    (["--out", "map.png", "--start", "June"], "--start: 'June' is not a date"),
    (["--out", "map.png", "--start", "2025-06-02", "--end", "2025-06-01"], "is after"),
    (["--out", "map.png", "--oblast", "Atlantis"], "unknown admin-1 unit 'Atlantis'"),
    (["--out", "map.png", "--bbox", "1,2,3"], "got 3 numbers"),
    (["--out", "map.png", "--dpi", "9000"], "dpi 9000"),
    (["--out", "map.png", "--template", "a4", "--width", "5"], "not both"),
    (["--out", "no/such/dir/map.png"], "does not exist"),
])
def test_cli_bad_input_is_one_line_and_writes_nothing(store_url, tmp_path, capsys, monkeypatch,
                                                      argv, message):
    from api.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["render", "--store", store_url, *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontline: error: ") and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_will_not_invent_an_empty_store(tmp_path, capsys):
    from api.cli import main

    missing = tmp_path / "typo.gpkg"
    assert main(["render", "--store", str(missing), "--out", str(tmp_path / "m.png")]) == 2
    assert "no store at" in capsys.readouterr().err
    assert not missing.exists()


# The seed articles through the whole pipeline: claims extraction, the store, the map.

@pytest.fixture(scope="module")
def pipeline_store(tmp_path_factory) -> str:
    from geo.claims.extract import extract_events
    from geo.parse.geoparse import default_geoparser
    from geo.store import open_store

    url = str(tmp_path_factory.mktemp("pipeline") / "frontline.gpkg")
    parser = default_geoparser()
    with open_store(url) as store:
        for path in sorted(SEEDS.glob("*.txt")):
            for article in read_articles(path):
                store.ingest(article, extract_events(article, parser))
    return url


def test_the_seeds_render_from_the_store_in_every_format(pipeline_store, tmp_path, capsys):
    from pypdf import PdfReader

    from api.cli import main
    from geo.store import open_store
    from maps.labels import place_name

    with open_store(pipeline_store) as store:
        events = store.events()
    points = [e for e in events if e.geometry_kind == "point" and e.mapped]
    assert points, "the seeds tell of events at named places"
    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"seeds.{fmt}"
        assert main(["render", "--store", pipeline_store, "--out", str(out), "--title",
                     "Seed articles", "--width", "8", "--height", "6", "--dpi", "100"]) == 0
        assert f"of {len(events)} events on the map" in capsys.readouterr().out
    pixels = mpimg.imread(tmp_path / "seeds.png")
    assert pixels.shape[:2] == (600, 800)
    svg = _svg_texts((tmp_path / "seeds.svg").read_bytes())
    assert {"Seed articles", *style.STATUS_LABELS.values()} <= set(svg)
    assert {place_name(e) for e in points} <= set(svg)
    pdf = PdfReader(tmp_path / "seeds.pdf")
    assert len(pdf.pages) == 1 and float(pdf.pages[0].mediabox.width) == 8 * 72
    assert "Seed articles" in pdf.pages[0].extract_text()


# Web tiles: an option for online use, tried here against a tile server of our own.

@pytest.fixture()
def tile_server():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (256, 256), (255, 0, 255)).save(buf, format="PNG")
    tile, asked = buf.getvalue(), []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png", asked
    server.shutdown()


def test_tiles_from_a_tile_server_go_under_the_polygons(seeds, tmp_path, tile_server):
    pytest.importorskip("contextily")
    url, asked = tile_server
    out = tmp_path / "tiles.png"
    result = render_map(seeds, out, width=6, height=4.5, dpi=80, bbox=UKRAINE_VIEW, tiles=url)
    assert asked and all(p.endswith(".png") for p in asked)
    pixels = mpimg.imread(out)
    assert _near(pixels, result.pixel(31.5, 43.8), "#ff00ff", radius=3) == 49
    texts = _svg_texts(_render_svg(seeds, tiles=url, bbox=UKRAINE_VIEW))
    assert any(f"tiles from 127.0.0.1:{url.split(':')[2].split('/')[0]}" in t for t in texts)


def test_unreachable_tiles_are_a_clear_error(seeds):
    pytest.importorskip("contextily")
    with pytest.raises(RenderError, match="could not fetch tiles"):
        render_map(seeds, BytesIO(), fmt="png", tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")


def _render_svg(events, **options) -> bytes:
    buf = BytesIO()
    render_map(events, buf, fmt="svg", **options)
    return buf.getvalue()


def test_a_country_map_of_10k_events_has_no_name_over_a_name_or_a_marker():
    """From the renderer's own boxes: every event label, every basemap name and every
    marker of a country-wide map of ten thousand events."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from geo.synthetic import events
    from maps.render import RC, draw_map, map_options

    fig = Figure()
    with mpl.rc_context(RC):
        result = draw_map(fig, list(events(10_000, seed=3)),
                          map_options(max_labels=60, width=10, height=7.5, dpi=100))
    assert len(result.labels) >= 15 and result.shown > 9000
    assert len(result.towns) >= 5  # reference towns in the room the events leave
    assert {"Dnipro", "Dniester", "Southern Buh"} <= set(result.rivers)
    assert_no_overlaps(result)


def test_the_outlets_line_names_the_outlets_counted_most_first():
    from geo.models import Attestation, Event
    from maps.furniture import as_of, outlets_line

    def said(article: str, outlet: str | None, day: int) -> Attestation:
        return Attestation(article, "reports", "troops entered the village", 0, 5,
                           outlet=outlet, published=date(2025, 5, day))

    events = [
        Event(id="a", type="strike", actor="RU", status="reported", places=(),
              attestations=(said("1", "Hromadske", 2), said("2", "Reuters", 3))),
        Event(id="b", type="strike", actor="RU", status="reported", places=(),
              attestations=(said("3", "Reuters", 4), said("4", None, 7),
                            said("3", "Reuters", 4))),
    ]
    assert outlets_line(events) == ("Outlets counted (articles): Reuters (2), Hromadske (1); "
                                    "1 article without a named outlet")
    assert outlets_line(events, most=1).startswith(
        "Outlets counted (articles): Reuters (2) and 1 other outlet")
    assert as_of(events, None) == "2025-05-07"
    assert as_of(events, date(2025, 5, 4)) == "2025-05-04"
    assert as_of([], None) is None


def test_oblast_hatching_survives_pdf_and_svg(seeds, tmp_path):
    """PDF and SVG paint a hatch at its patch's fill opacity and over its fill colour: the
    "located to an oblast only" hatch must be painted opaque, on no ground of its own
    colour."""
    import re

    import pypdf

    assert any(e.geometry_kind == "admin1" for e in seeds)
    render_map(seeds, tmp_path / "m.pdf")
    page = pypdf.PdfReader(tmp_path / "m.pdf").pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    states = {str(k): v.get_object() for k, v in page["/Resources"]["/ExtGState"].items()}
    patterns = {str(k): v.get_object() for k, v in page["/Resources"]["/Pattern"].items()}
    uses, stack, state = [], [], None  # each pattern painted, with the graphics state then
    for m in re.finditer(r"/(A\d+)\s+gs|/(H\d+)\s+scn|(?<!\S)([qQ])(?!\S)", content):
        gs, hatch, op = m.groups()
        if gs:
            state = gs
        elif hatch:
            uses.append((state, hatch))
        elif op == "q":
            stack.append(state)
        else:
            state = stack.pop() if stack else None
    assert uses and {h for _, h in uses} == {k.lstrip("/") for k in patterns}
    for gs, hatch in uses:
        assert gs is None or float(states["/" + gs].get("/ca", 1)) == 1.0, gs
        body = patterns["/" + hatch].get_data().decode("latin-1")
        line = re.search(r"([\d.]+ [\d.]+ [\d.]+) RG", body)
        ground = re.search(r"([\d.]+ [\d.]+ [\d.]+) rg 0 0 72 72 re f", body)
        assert line and (ground is None or ground.group(1) != line.group(1)), body[:120]
    render_map(seeds, tmp_path / "m.svg")
    svg = (tmp_path / "m.svg").read_text("utf-8")
    for pid in re.findall(r'<pattern id="(\w+)"', svg):
        body = svg.split(f'<pattern id="{pid}"', 1)[1].split("</pattern>", 1)[0]
        ground = re.search(r'<rect [^>]*fill="([^"]+)"', body)
        stroke = re.search(r"stroke: (#\w+)", body)
        assert ground and stroke and ground.group(1) != stroke.group(1), body[:200]
        for style_ in re.findall(rf'style="fill: url\(#{pid}\)([^"]*)"', svg):
            assert "fill-opacity" not in style_


def test_main_rivers_are_drawn_and_named_in_every_format(seeds):
    """The rivers' courses and names on a country map, as lines of the river colour and as
    text in SVG and PDF alike."""
    buf = BytesIO()
    result = render_map(seeds, buf, fmt="svg", bbox=UKRAINE_VIEW)
    svg = buf.getvalue()
    assert {"Dnipro", "Dniester", "Southern Buh", "Siverskyi Donets"} <= set(result.rivers)
    assert len(result.river_names) >= 3
    assert set(result.river_names) <= set(_svg_texts(svg)) and style.RIVER.encode() in svg
    pdf = BytesIO()
    again = render_map(seeds, pdf, fmt="pdf", bbox=UKRAINE_VIEW)
    assert again.river_names == result.river_names
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.getvalue())).pages)
    assert all(name in text for name in result.river_names)


def test_unnamed_centrelines_take_the_name_of_the_river_whose_towns_they_pass():
    from maps.rivers import name_lines

    course = np.array([(30.5, 50.45), (32.06, 49.44), (33.4, 49.07)])  # Kyiv, Cherkasy, ...
    along = np.array([(30.55, 50.4), (31.3, 49.9), (32.1, 49.4), (33.3, 49.1)])
    away = np.array([(24.0, 49.8), (25.0, 49.5)])
    named = name_lines([along, away], {"Dnipro": course, "Other": np.array([(36.0, 48.0)])})
    assert list(named) == ["Dnipro"] and named["Dnipro"][0] is along


@pytest.mark.parametrize(("template", "size_px"), [("newspaper", (1003, 1476)),
                                                   ("a4", (1653, 2338))])
def test_templates_lay_out_the_page_without_overlaps(template, size_px):
    """From the renderer's own boxes: the page is the template's size; the title, facts,
    legend, locator and credits lie on the page and clear of the map and of each other; no
    name on the map covers another name or a marker."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.synthetic import events
    from maps.render import RC, draw_map, map_options

    fig = Figure()
    FigureCanvasAgg(fig)
    opts = map_options(template=template, title="Fighting along the front line",
                       caption="Selection: type advance, capture; status confirmed, disputed")
    with mpl.rc_context(RC):
        result = draw_map(fig, list(events(2_000, seed=4)), opts)
        renderer = fig.canvas.get_renderer()
        page = fig.bbox
        map_ax = fig.axes[0]
        furniture = [t.get_window_extent(renderer) for t in fig.texts]
        furniture += [leg.get_window_extent(renderer) for leg in fig.legends]
        furniture += [ax.get_tightbbox(renderer) for ax in fig.axes[1:]]  # the locator
        frame = map_ax.get_window_extent(renderer)
    assert (result.width_px, result.height_px) == size_px
    assert (int(page.width), int(page.height)) == size_px
    assert len(fig.axes) == (2 if template == "a4" else 1)
    assert any("Outlets counted" in t.get_text() for t in fig.texts)
    assert any(t.get_text().startswith("As of") for t in fig.texts)
    for i, b in enumerate(furniture):
        assert page.x0 <= b.x0 and b.x1 <= page.x1 + 0.5 and page.y0 <= b.y0 \
            and b.y1 <= page.y1 + 0.5, (template, i)
        assert not b.overlaps(frame), (template, i)
        assert not any(b.overlaps(other) for other in furniture[i + 1:]), (template, i)
    assert len(result.labels) >= 5
    assert_no_overlaps(result)


def test_a_template_and_a_size_are_not_both_given():
    from maps.render import map_options

    with pytest.raises(RenderError, match="not both"):
        map_options(template="newspaper", width=5)
    with pytest.raises(RenderError, match="unknown template 'poster'"):
        map_options(template="poster")
    assert map_options(template="a4", dpi=100).dpi == 100  # the template's 200 unless given
