from __future__ import annotations

from datetime import date

from geo.claims.fusion import build, event_id, fuse
from geo.claims.ledger import ledger
from geo.models import Attestation, Toponym

POKROVSK = Toponym(0, 8, "Pokrovsk", 48.28014, 37.17706, "settlement", "UA", "UA-14", 1, 1.0,
                   place_id="704422")
DNIPRO_REGION = Toponym(0, 14, "Dnipropetrovsk", 48.6313, 34.9555, "admin1", "UA", "UA-12", 3,
                        1.0, place_id="709929")
MYRNOHRAD = Toponym(0, 9, "Myrnohrad", 48.30248, 37.26249, "settlement", "UA", "UA-14", 1,
                    1.0, place_id="709161")


def said(article, stance, claimant, side, day):
    return Attestation(article_id=article, stance=stance, quote=f"{claimant} {stance}",
                       start=0, end=10, claimant=claimant, claimant_side=side, said_on=day,
                       published=day)


def advance(places, origin, attestations, day):
    return build("advance", "RU", places, origin, attestations, day, "day",
                 event_id_=event_id("advance", "RU", places[0], day), sub_event_type=None)


ENTRY_CLAIM = advance([DNIPRO_REGION], [POKROVSK], [
    said("tass", "asserts", "Russian Ministry of Defense", "RU", date(2025, 6, 8))],
    date(2025, 6, 8))
ENTRY_DENIAL = advance([DNIPRO_REGION], [POKROVSK], [
    said("kyiv", "denies", "Viktor Trehubov", "UA", date(2025, 6, 9))], date(2025, 6, 9))
UNDATED_REPORT = advance([DNIPRO_REGION], [], [said("blog", "reports", None, None, None)],
                         date(2025, 6, 8))
MYRNOHRAD_PUSH = advance([MYRNOHRAD], [], [
    said("tass", "asserts", "Russian Ministry of Defense", "RU", date(2025, 6, 1))],
    date(2025, 6, 1))

EVENTS = fuse([ENTRY_DENIAL, UNDATED_REPORT, ENTRY_CLAIM, MYRNOHRAD_PUSH])


def test_ledger_of_a_region_in_time_order():
    entries = ledger(EVENTS, "UA-12")
    assert [(e.claimant, e.stance) for e in entries] == [
        ("Russian Ministry of Defense", "asserts"), ("Viktor Trehubov", "denies"),
        (None, "reports")]  # undated statements last
    [entry] = [e for e in EVENTS if e.places[0].admin1 == "UA-12"]
    assert {e.event_id for e in entries} == {entry.id}
    assert all(e.status == "disputed" and e.role == "place" for e in entries)
    assert entries[0].when == date(2025, 6, 8) and entries[0].place == "Dnipropetrovsk"
    assert ledger(EVENTS, "709929") == entries  # by GeoNames id as well


def test_origin_of_an_advance_is_in_its_ledger():
    entries = ledger(EVENTS, "704422")
    assert {e.role for e in entries} == {"origin"}
    # Every statement about the fused advance, including the report that named no origin.
    assert [e.stance for e in entries] == ["asserts", "denies", "reports"]


def test_within_an_oblast_adds_its_settlements():
    assert ledger(EVENTS, "UA-14") == []
    within = ledger(EVENTS, "UA-14", within=True)
    assert [e.place for e in within] == ["Myrnohrad"]


def test_unknown_place_has_an_empty_ledger():
    assert ledger(EVENTS, "no-such-place") == []


def test_entries_serialise():
    d = ledger(EVENTS, "UA-12")[0].to_dict()
    assert d["when"] == "2025-06-08" and d["event_type"] == "advance"
