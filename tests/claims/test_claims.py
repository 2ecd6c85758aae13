from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.claims.extract import extract_events
from geo.claims.fusion import fuse
from geo.ingest.readers import read_articles
from geo.models import Article, Event
from tests.conftest import FIXTURES, SEEDS

pytestmark = pytest.mark.usefixtures("gazetteer")
ARTICLES = FIXTURES / "articles"


@pytest.fixture(scope="module")
def seed_events(parser, expected) -> dict[str, list[Event]]:
    out = {}
    for name in expected["articles"]:
        [article] = read_articles(SEEDS / name)
        out[name] = extract_events(article, parser)
    return out


def names(e: Event) -> set[str]:
    return {n.lower() for t in (*e.places, *e.origin) for n in (t.name, t.resolved_name) if n}


def matches(e: Event, want: dict) -> bool:
    return (e.type == want["type"] and e.actor == want["actor"]
            and bool(names(e) & {p.lower() for p in want["places"]}))


def test_seed_events_are_exactly_the_expected_ones(seed_events, expected):
    for name, body in expected["articles"].items():
        got = seed_events[name]
        assert len(got) == len(body["events"]), (name, [e.summary for e in got])
        for want in body["events"]:
            found = [e for e in got if matches(e, want)]
            assert len(found) == 1, (name, want["id"], [e.summary for e in got])
            e = found[0]
            assert {p.lower() for p in want["places"]} <= names(e), (want["id"], names(e))


def _expected_event(expected, article, event_id):
    return next(w for w in expected["articles"][article]["events"] if w["id"] == event_id)


@pytest.mark.parametrize(("article", "event_id"), [
    (a, w["id"]) for a, body in __import__("json").loads(
        (FIXTURES / "expected.json").read_text(encoding="utf-8"))["articles"].items()
    for w in body["events"]])
def test_seed_event_claimants_and_stances(seed_events, expected, article, event_id):
    want = _expected_event(expected, article, event_id)
    [e] = [e for e in seed_events[article] if matches(e, want)]
    stances = {a.stance for a in e.attestations}
    claimants = {a.claimant for a in e.attestations}
    if want["claimant"] is None:
        assert stances == {"reports"} and claimants == {None}
        assert e.status == "reported"
    else:
        assert want["claimant"] in claimants
    if want["stance"] == "asserted":
        assert stances == {"asserts"} and e.status == "claimed"
    elif want["stance"] == "asserted_and_denied":
        deniers = [a.claimant for a in e.attestations if a.stance == "denies"]
        assert len(deniers) == 1 and "Trehubov" in deniers[0] and e.status == "disputed"
        assert all(a.claimant_side == "RU" for a in e.attestations if a.stance == "asserts")
    elif want["stance"] == "no_response":
        silent = [a for a in e.attestations if a.stance == "no_response"]
        assert [a.claimant_side for a in silent] == ["UA"] and e.status == "claimed"
    if want.get("precision") == "country":
        assert e.geometry_kind == "country" and not e.mapped
    assert all(a.outlet is None for a in e.attestations)  # the seeds name no outlet


def test_seed_event_places_and_dates(seed_events):
    events = [e for evs in seed_events.values() for e in evs]
    by_summary = {e.summary: e for e in events}
    kryvyi = next(e for e in events if e.places[0].place_id == "703845")
    assert kryvyi.date == date(2025, 3, 6) and kryvyi.geometry_kind == "point"
    assert kryvyi.sub_event_type == "Shelling/artillery/missile attack"
    fedorovka = next(e for e in events if e.type == "capture")
    assert fedorovka.date == date(2025, 6, 6) and fedorovka.admin1 == "UA-14"
    assert fedorovka.sub_event_type == "Non-state actor overtakes territory"
    june6 = next(e for e in events if e.type == "strike" and e.actor == "RU"
                 and e.geometry_kind == "country")
    assert june6.date == date(2025, 6, 6) and june6.extra["country"] == "UA"
    bridge = next(e for e in events if e.places[0].kind == "landmark")
    assert bridge.geometry_kind == "point" and bridge.admin1 == "UA-43"
    entry = next(e for e in seed_events["000_d639c1b7433ac7a4.txt"]
                 if e.type == "advance" and e.admin1 == "UA-12")
    assert [t.name for t in entry.places][0] == "Dnipropetrovsk"
    assert {t.name for t in entry.origin} == {"Pokrovsk", "Novopavlivka"}
    assert entry.geometry_kind == "admin1" and entry.precision == 3
    assert len(by_summary) == len(events)


def test_seed_dnipropetrovsk_claim_merges_across_articles(seed_events, expected):
    fused = fuse(e for evs in seed_events.values() for e in evs)
    assert len(fused) == 8
    [entry] = [e for e in fused if e.type == "advance" and e.admin1 == "UA-12"]
    across = expected["across_articles"][0]
    assert {a.article_id + ".txt" for a in entry.attestations} == set(across["in"])
    assert entry.status == across["expected_status"] == "disputed"
    assert {"asserts", "denies", "no_response"} <= {a.stance for a in entry.attestations}


def test_no_event_at_a_venue_or_a_government(seed_events):
    for e in (e for evs in seed_events.values() for e in evs):
        assert not names(e) & {"istanbul", "moscow", "kyiv", "kiev"}, e.summary
        for a in e.attestations:
            assert not any(n in (a.claimant or "") for n in ("Medvedev", "Trump", "Zelensky"))


def test_evidence_offsets_point_into_the_article(seed_events):
    for name, events in seed_events.items():
        [article] = read_articles(SEEDS / name)
        for e in events:
            for a in e.attestations:
                assert article.text[a.start:a.end] == a.quote


def test_rereading_an_article_changes_nothing(parser):
    [article] = read_articles(SEEDS / "004_ad8522ef294dd132.txt")
    once = extract_events(article, parser)
    assert extract_events(article, parser) == once
    assert fuse(once + extract_events(article, parser)) == once


def _run(parser, *files: str) -> list[Event]:
    events = [e for f in files for a in read_articles(ARTICLES / f)
              for e in extract_events(a, parser)]
    return fuse(events)


def test_claim_then_denial_then_admission(parser):
    articles = list(read_articles(ARTICLES / "chasiv_yar.jsonl"))
    statuses = []
    for n in range(1, 4):
        events = fuse(e for a in articles[:n] for e in extract_events(a, parser)
                      if e.type == "capture")
        assert len(events) == 1 and events[0].places[0].name == "Chasiv Yar"
        statuses.append(events[0].status)
    assert statuses == ["claimed", "disputed", "confirmed"]
    stances = [(a.claimant, a.stance) for a in events[0].attestations]
    assert stances == [("Russian Ministry of Defense", "asserts"),
                       ("Ukrainian General Staff", "denies"),
                       ("Ukrainian General Staff", "asserts")]
    assert [a.said_on for a in events[0].attestations] == [
        date(2025, 4, 6), date(2025, 4, 7), date(2025, 4, 8)]


def test_outlet_own_voice_stays_reported(parser):
    [e] = _run(parser, "odesa_report.json")
    assert (e.type, e.actor, e.status, e.places[0].name) == ("strike", "RU", "reported", "Odesa")
    [a] = e.attestations
    assert a.claimant is None and a.outlet == "Associated Press" and a.stance == "reports"
    assert e.date == date(2025, 5, 19)  # "overnight" before a 20 May publication
    assert e.sub_event_type == "Air/drone strike"


def test_party_outlet_in_own_voice_reports_and_an_assessor_confirms(parser):
    articles = list(read_articles(ARTICLES / "toretsk.jsonl"))
    [tass] = extract_events(articles[0], parser)
    assert tass.status == "reported" and tass.attestations[0].claimant_side == "RU"
    [both] = _run(parser, "toretsk.jsonl")
    assert both.status == "confirmed"
    assert ("Institute for the Study of War", "asserts") in {
        (a.claimant, a.stance) for a in both.attestations}
    assert any(a.stance == "no_response" and a.claimant == "Ukraine" for a in both.attestations)


def test_events_without_places_are_kept_unmapped(parser):
    from geo.geojson import event_feature

    events = _run(parser, "no_place.txt")
    assert {e.type for e in events} == {"advance", "repelled"}
    for e in events:
        assert not e.places and e.precision is None and not e.mapped
        assert event_feature(e)["geometry"] is None
        assert e.status == "claimed" and e.actor == "RU"
        assert e.date is None  # "on Thursday" with no date to read it against
    assert {a.claimant for e in events for a in e.attestations} == {
        "Russian Ministry of Defense"}  # "a spokesperson for the ministry"


def test_html_page_events(parser):
    events = _run(parser, "kharkiv_page.html")
    [strike] = [e for e in events if e.type == "strike"]
    assert strike.places[0].name == "Kharkiv" and strike.actor == "RU"
    assert "russia" not in names(strike)  # "as Russia presses north" names the actor
    assert strike.date == date(2025, 5, 11)
    assert {a.stance for a in strike.attestations} == {"reports", "asserts", "no_response"}
    assert strike.status == "claimed"  # the struck side's governor alone: a claim
    [repelled] = [e for e in events if e.type == "repelled"]
    assert repelled.actor == "UA" and repelled.places[0].name == "Vovchansk"


def test_feed_claim_and_denial_fuse_into_a_dispute(parser):
    [e] = _run(parser, "front_feed.rss")
    assert e.status == "disputed" and e.places[0].name == "Chasiv Yar"
    assert [a.stance for a in e.attestations] == ["asserts", "no_response", "denies"]
    assert all(a.url and a.url.startswith("https://news.example.org/") for a in e.attestations)


@pytest.mark.parametrize("text", [
    "If Russian forces captured Kupiansk, the whole front would shift.",
    "Russian forces are trying to reach Kostiantynivka before winter.",
    "Russian troops will advance toward Zaporizhzhia next month, a Russian lawmaker said.",
    "Peace talks in Istanbul ended after an hour without agreement.",
    "The prisoner exchange failed to take place on Saturday.",
    "Ukraine's defense ministry did not comment on the strike on Kharkiv.",
    "",
    "   \n\n  ",
])
def test_no_event_from_plans_conditions_venues_or_nothing(parser, text):
    assert extract_events(Article(id="t", text=text), parser) == []


def test_every_stance_from_written_text(parser):
    text = (
        "Russia's defense ministry said on Monday that its forces had captured Kupiansk.\n"
        "Ukrainian officials denied that Russian troops had entered Kupiansk, calling the "
        "report false.\n"
        "Russian drones struck Kharkiv overnight, damaging a power plant.\n"
        "Kyiv has not responded to a Russian claim that its troops withdrew from Vovchansk.\n"
        "Ukraine's General Staff said its forces had repelled an assault near Siversk.\n")
    article = Article(id="stances", text=text, outlet="Frontline Wire",
                      published=date(2025, 3, 12))
    events = extract_events(article, parser)
    by_type = {(e.type, e.places[0].name if e.places else None): e for e in events}
    capture = by_type[("capture", "Kupiansk")]
    assert capture.status == "claimed" and capture.date == date(2025, 3, 10)
    entered = by_type[("advance", "Kupiansk")]
    assert [a.stance for a in entered.attestations] == ["denies"]
    assert entered.attestations[0].claimant_side == "UA" and entered.status == "disputed"
    strike = by_type[("strike", "Kharkiv")]
    assert strike.status == "reported" and strike.date == date(2025, 3, 11)
    assert by_type[("repelled", "Siversk")].actor == "UA"
    assert all(e.attestations[0].outlet == "Frontline Wire" for e in events)


def test_unknown_outlet_is_kept_but_speaks_for_no_side(parser):
    [e] = _run(parser, "odesa_report.json")
    article = Article(id="x", text="Russian drones struck Odesa overnight.",
                      outlet="The Obscure Courier", published=date(2025, 5, 20))
    [other] = extract_events(article, parser)
    assert other.attestations[0].outlet == "The Obscure Courier"
    assert other.attestations[0].claimant_side is None and other.status == "reported"
    assert fuse([e, other])[0].status == "reported"


def test_frames_above_the_event(parser):
    text = (
        "Kyiv has not responded to a Russian claim that Ukrainian troops withdrew from "
        "Vovchansk.\n"
        "Moscow accused Kyiv of shelling Belgorod on Sunday.\n"
        "Russian troops were pushed back from Vremivka, Ukraine's military said.\n"
        "Ukraine denied the ministry's statement that Russian forces had captured Siversk.\n")
    events = extract_events(Article(id="frames", text=text, published=date(2025, 3, 12)),
                            parser)
    by_place = {e.places[0].name: e for e in events}
    taken = by_place["Vovchansk"]  # Russia telling of Ukraine's retreat claims the town
    assert (taken.type, taken.actor, taken.status) == ("capture", "RU", "claimed")
    assert [(a.claimant, a.stance) for a in taken.attestations] == [
        ("Russia", "asserts"), ("Ukraine", "no_response")]
    shelling = by_place["Belgorod"]
    assert (shelling.type, shelling.actor, shelling.date) == ("strike", "UA", date(2025, 3, 9))
    assert shelling.attestations[0].claimant_side == "RU"
    repelled = by_place["Vremivka"]
    assert (repelled.type, repelled.actor) == ("repelled", "UA")
    siversk = by_place["Siversk"]
    assert siversk.status == "disputed"
    assert [a.stance for a in siversk.attestations] == ["asserts", "denies"]


FRAGMENTS = [
    "Russian forces", "Ukraine's General Staff said", "its troops", "captured", "advanced into",
    "the village of", "Pokrovsk", "Kharkiv", "near", "and", "from", "the Donetsk region",
    "struck", "a drone attack on", "denied", "has not responded", "on Sunday", "June 6",
    "according to TASS,", "were pushed back from", "withdrew from", "Moscow", "Kyiv's forces",
    "talks in Istanbul", ".", ",", "\n", "“", "”", "if", "would", "(AP)", "Crimea", "Russia",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40),
       st.one_of(st.none(), st.dates(date(2022, 2, 24), date(2026, 1, 1))))
def test_any_text_gives_well_formed_events(parser, words, published):
    text = " ".join(words)
    article = Article(id="fuzz", text=text, published=published, outlet="Frontline Wire")
    events = extract_events(article, parser)
    for e in events:
        assert e.attestations and e.status in ("reported", "claimed", "disputed", "confirmed")
        assert all(text[a.start:a.end] == a.quote for a in e.attestations)
        assert e.mapped == (e.geometry_kind in ("point", "admin1"))
    assert fuse(events) == events


def test_trailing_speakers_descriptions_and_unresolved_places(parser):
    text = (
        "Ukrainian forces recaptured the village of Nesterianka in Zaporizhzhia Oblast, the "
        "Ukrainian General Staff reported on Tuesday.\n"
        "The Russian Defense Ministry claimed that its forces liberated Kurakhove, a town "
        "south of Pokrovsk.\n"
        "Ukrainian drones attacked an oil refinery in Russia's Saratov region overnight, "
        "Governor Roman Busargin said.\n")
    events = extract_events(Article(id="isw", text=text, published=date(2025, 3, 12)), parser)
    by_name = {e.places[0].name: e for e in events}
    recaptured = next(e for e in events if "Nesterianka" in [t.name for t in e.places])
    assert (recaptured.type, recaptured.actor) == ("capture", "UA")
    assert recaptured.attestations[0].claimant == "Ukrainian General Staff"
    village = next(t for t in recaptured.places if t.name == "Nesterianka")
    if village.resolved:  # a village the gazetteer may not know: then its oblast locates it
        assert recaptured.places[0] == village and recaptured.precision in (1, 2)
    else:
        assert (recaptured.geometry_kind, recaptured.admin1) == ("admin1", "UA-23")
    kurakhove = by_name["Kurakhove"]
    assert [t.name for t in kurakhove.places] == ["Kurakhove"]  # not the reference point
    refinery = by_name["Saratov"]
    assert (refinery.type, refinery.actor, refinery.admin1) == ("strike", "UA", "RU-SAR")


def test_what_was_reported_in_the_passive_is_not_the_speaker(parser):
    def said(text: str) -> list[tuple[str, str | None]]:
        events = extract_events(Article(id="p", text=text, published=date(2025, 3, 12)),
                                parser)
        return [(a.stance, a.claimant) for e in events for a in e.attestations]

    assert said("Heavy fighting was reported in Tetkino on Monday.") == [("reports", None)]
    assert said("Heavy fighting in Tetkino was reported by the regional governor.") == [
        ("asserts", "regional governor")]
