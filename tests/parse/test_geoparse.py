from __future__ import annotations

import pytest
from geopy.distance import geodesic

from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("gazetteer")


@pytest.fixture(scope="module")
def seed_results(parser, expected):
    return {name: parser.parse((SEEDS / name).read_text(encoding="utf-8"))
            for name in expected["articles"]}


def _cases(expected_path="tests/fixtures/expected.json"):
    import json
    from pathlib import Path

    expected = Path(__file__).resolve().parents[1] / "fixtures" / "expected.json"
    data = json.loads(expected.read_text())
    for article, body in data["articles"].items():
        for t in body["toponyms"]:
            yield pytest.param(article, t, id=f"{article[:3]}-{t['name'][:30]}")


@pytest.mark.parametrize(("article", "want"), list(_cases()))
def test_seed_toponyms_resolve_as_expected(seed_results, article, want):
    result = seed_results[article]
    text = result.text
    got = [t for t in result.toponyms if t.name.lower() == want["name"].lower()]
    assert got, f"{want['name']!r} not recognised"
    assert all(text[t.start:t.end] == t.name for t in got)
    for t in got:
        if want.get("metonymic"):
            assert t.metonymic, f"{t.name} at {t.start} should be metonymic"
            continue
        assert not t.metonymic
        if want["kind"] == "admin1":
            assert t.admin1 == want["admin1"], (t.name, t.start, t.admin1)
        else:
            assert t.lat is not None and t.lon is not None
            if "lat" in want:
                km = geodesic((t.lat, t.lon), (want["lat"], want["lon"])).km
                assert km <= 10, f"{t.name} at {t.start} is {km:.0f} km off"
            if want.get("admin1"):
                assert t.admin1 == want["admin1"]
            if want.get("geonameid"):
                assert t.geonameid == want["geonameid"]
            if want["name"] == "Fedorovka":
                assert t.precision == 3 and t.kind == "settlement"


def test_toponym_fields(seed_results):
    t = next(t for t in seed_results["000_d639c1b7433ac7a4.txt"].toponyms
             if t.name == "Pokrovsk")
    d = t.to_dict()
    for key in ("start", "end", "name", "lat", "lon", "geonameid", "kind", "country", "admin1",
                "precision", "score", "metonymic"):
        assert key in d
    assert d["geonameid"] == 704422 and d["kind"] == "settlement" and d["precision"] == 1
    assert 0.5 < d["score"] <= 1.0


def test_demonyms_and_units_are_not_places(seed_results):
    names = {t.name for r in seed_results.values() for t in r.toponyms}
    assert not names & {"Russian", "Ukrainian", "Russians", "Khortytsia", "Advance", "Bradley"}


@pytest.mark.parametrize(
    ("text", "name", "check"),
    [
        ("Fighting continued in the Pokrovsk direction.", "Pokrovsk",
         lambda t: t.geonameid == 704422),
        ("Shelling hit the village of Velyka Novosilka overnight.", "Velyka Novosilka",
         lambda t: t.admin1 == "UA-14"),
        ("Russian troops shelled Chasiv Yar and Kostiantynivka.", "Chasiv Yar",
         lambda t: t.admin1 == "UA-14"),
        ("Drones struck Kupyansk in the Kharkov region.", "Kharkov",
         lambda t: t.kind == "admin1" and t.admin1 == "UA-63"),
        ("Russian forces entered Krasnoarmeysk, Ukraine.", "Krasnoarmeysk",
         lambda t: t.geonameid == 704422),
        ("Artillery fire near Artemovsk, Ukraine continued.", "Artemovsk",
         lambda t: t.geonameid == 713174 and t.precision == 2),
        ("Вибухи пролунали у Кривому Розі та в Кривий Ріг.", "Кривий Ріг",
         lambda t: t.geonameid == 703845),
        ("A missile hit Zaporizhzhia on Monday; Kyiv said the Zaporizhzhia nuclear power "
         "plant was not damaged.", "Zaporizhzhia nuclear power plant",
         lambda t: t.kind == "landmark"),
    ],
)
def test_war_news_phrases(parser, text, name, check):
    found = [t for t in parser.parse(text).toponyms if t.name == name]
    assert found, f"{name!r} not found in {text!r}"
    assert check(found[0]), found[0]


def test_moscow_as_government_is_flagged_but_a_strike_on_kyiv_is_not(parser):
    res = parser.parse("Moscow accused Kyiv of delays. Later, missiles hit Kyiv.")
    flags = [(t.name, t.metonymic) for t in res.toponyms]
    assert flags == [("Moscow", True), ("Kyiv", True), ("Kyiv", False)]


def test_empty_and_whitespace(parser):
    assert parser.parse("").toponyms == []
    assert parser.parse("   \n\t ").toponyms == []


def test_non_text_is_a_clear_error(parser):
    from geo.parse.geoparse import GeoparseError

    with pytest.raises(GeoparseError, match="expected text"):
        parser.parse(b"bytes")  # type: ignore[arg-type]


def test_html_and_mixed_scripts(parser):
    html = "<p>Shelling of <b>Kharkiv</b> and <i>Херсон</i> &amp; Odesa</p><script>x()</script>"
    res = parser.parse(html)
    assert {t.admin1 for t in res.toponyms} >= {"UA-63", "UA-65", "UA-51"}
    assert all(html[t.start:t.end] == t.name for t in res.toponyms)


@pytest.mark.slow
def test_five_megabytes(parser):
    para = (SEEDS / "004_ad8522ef294dd132.txt").read_text(encoding="utf-8") + "\n"
    text = para * (5_000_000 // len(para) + 1)
    res = parser.parse(text)
    assert len(text) >= 5_000_000
    krs = [t for t in res.toponyms if t.name == "Kryvyi Rih"]
    assert len(krs) == text.count("Kryvyi Rih")
    assert all(text[t.start:t.end] == t.name for t in res.toponyms)
    assert res.doc.text == text


def test_a_line_break_ends_a_sentence_in_the_parse(parser):
    from geo.parse.sentences import sentences

    doc = parser.parse("Russia takes Kurakhove\nKYIV (AP) — Russia said its forces took "
                       "the town. Ukraine denied it.").doc
    texts = [s.span.text.strip() for s in sentences(doc)]
    assert texts[:3] == ["Russia takes Kurakhove",
                         "KYIV (AP) — Russia said its forces took the town.",
                         "Ukraine denied it."]
