from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from geo.claims.fusion import build, event_id, fuse, merge, same_event
from geo.claims.location import PRECISION_COUNTRY
from geo.gazetteer.admin import oblast_at
from geo.models import Attestation, Event, Toponym

# Hand-built places (GeoNames ids and coordinates as the gazetteer has them).
CHASIV_YAR = Toponym(0, 10, "Chasiv Yar", 48.58728, 37.83585, "settlement", "UA", "UA-14", 1,
                     1.0, place_id="710403", resolved_name="Chasiv Yar")
CHASOV_YAR = Toponym(5, 15, "Chasov Yar", 48.58728, 37.83585, "settlement", "UA", "UA-14", 1,
                     1.0, place_id="710403", resolved_name="Chasiv Yar")
LYMAN = Toponym(0, 5, "Lyman", 48.99012, 37.80843, "settlement", "UA", "UA-14", 2, 1.0,
                place_id="704204")
DONETSK_REGION = Toponym(0, 7, "Donetsk", 48.145, 37.7933, "admin1", "UA", "UA-14", 3, 1.0,
                         place_id="709716")
DPR = Toponym(0, 25, "Donetsk People's Republic", 48.145, 37.7933, "admin1", "UA", "UA-14", 3,
              1.0, place_id="709716")
FEDOROVKA = Toponym(0, 9, "Fedorovka", 48.145, 37.7933, "settlement", "UA", "UA-14", 3, 0.5,
                    place_id="709716", resolved_name="Donetsk")
RUSSIA = Toponym(0, 6, "Russia", 59.465, 88.39176, "country", None, None, 3, 1.0,
                 place_id="2017370", resolved_name="Russia")


def said(article: str, stance: str, side: str | None, day: date | None = None, n: int = 0):
    return Attestation(article_id=article, stance=stance, quote=f"{article} {stance}",
                       start=n, end=n + 10, claimant=side and f"{side} voice",
                       claimant_side=side, said_on=day)


def event(places, attestations, type_="capture", actor="RU", day=None, precision="day",
          anchor=""):
    main = places[0] if places else None
    return build(type_, actor, places, [], attestations, day, precision if day else None,
                 event_id_=event_id(type_, actor, main, day, anchor), sub_event_type=None)


CLAIM = event([CHASIV_YAR], [said("tass", "asserts", "RU", date(2025, 4, 6))],
              day=date(2025, 4, 6))
DENIAL = event([CHASOV_YAR], [said("kyiv", "denies", "UA", date(2025, 4, 7))],
               day=date(2025, 4, 7))
ADMISSION = event([CHASIV_YAR], [said("later", "asserts", "UA", date(2025, 4, 8))],
                  day=date(2025, 4, 8))


def test_same_event_needs_type_actor_place_and_close_dates():
    assert same_event(CLAIM, DENIAL)
    assert not same_event(CLAIM, event([CHASIV_YAR], CLAIM.attestations, actor="UA",
                                       day=date(2025, 4, 6)))
    assert not same_event(CLAIM, event([CHASIV_YAR], CLAIM.attestations, type_="strike",
                                       day=date(2025, 4, 6)))
    assert not same_event(CLAIM, event([LYMAN], CLAIM.attestations, day=date(2025, 4, 6)))
    assert not same_event(CLAIM, event([CHASIV_YAR], CLAIM.attestations, day=date(2025, 5, 1)))
    undated = event([CHASIV_YAR], CLAIM.attestations)
    assert same_event(CLAIM, undated)
    april = event([CHASIV_YAR], CLAIM.attestations, day=date(2025, 4, 1), precision="month")
    assert same_event(CLAIM, april) and not same_event(
        april, event([CHASIV_YAR], CLAIM.attestations, day=date(2025, 5, 15)))


def test_a_capture_restated_a_week_later_is_the_same_capture():
    restated = event([CHASIV_YAR], CLAIM.attestations, day=date(2025, 4, 13))
    assert same_event(CLAIM, restated)
    advance = event([CHASIV_YAR], CLAIM.attestations, type_="advance", day=date(2025, 4, 6))
    assert not same_event(advance, event([CHASIV_YAR], CLAIM.attestations, type_="advance",
                                         day=date(2025, 4, 13)))


def test_an_unknown_actor_joins_a_capture_but_never_links_two_sides():
    unknown = event([CHASIV_YAR], CLAIM.attestations, actor="unknown", day=date(2025, 4, 7))
    assert same_event(CLAIM, unknown)
    assert fuse([CLAIM, unknown])[0].actor == "RU"
    retaken = event([CHASIV_YAR], [said("kyiv", "asserts", "UA", date(2025, 4, 8))],
                    actor="UA", day=date(2025, 4, 8))
    fused = fuse([CLAIM, unknown, retaken])
    assert sorted(e.actor for e in fused) == ["RU", "UA"]
    strike = event([CHASIV_YAR], CLAIM.attestations, type_="strike", day=date(2025, 4, 6))
    assert not same_event(strike, replace(strike, actor="unknown"))


def test_two_partial_control_assessments_stay_apart():
    def share(value):
        e = event([CHASIV_YAR], CLAIM.attestations, type_="advance", day=date(2025, 4, 6))
        return replace(e, extra={"share": value} if value else {})
    assert not same_event(share("72%"), share("89%"))
    assert not same_event(share("72%"), share(None))
    assert same_event(share("89%"), share("89%"))


def test_part_of_a_town_held_is_not_the_push_into_it():
    push = event([CHASIV_YAR], CLAIM.attestations, type_="advance", day=date(2025, 4, 6))
    held = replace(push, sub_event_type="Partial control")
    assert not same_event(push, held)
    assert same_event(held, replace(held))


def test_a_village_known_by_its_oblast_is_not_the_oblast():
    village = event([FEDOROVKA], CLAIM.attestations)
    assert not same_event(village, event([DPR], CLAIM.attestations))
    assert not same_event(event([LYMAN], CLAIM.attestations, type_="advance"),
                          event([DONETSK_REGION], CLAIM.attestations, type_="advance"))
    assert same_event(event([DPR], CLAIM.attestations, type_="advance"),
                      event([DONETSK_REGION], CLAIM.attestations, type_="advance"))


def test_events_without_places_never_fuse():
    a = event([], CLAIM.attestations, anchor="art:1")
    b = event([], DENIAL.attestations, anchor="art:2")
    assert a.id != b.id and not same_event(a, b)
    assert len(fuse([a, b])) == 2
    assert a.precision is None and not a.mapped


def test_denial_turns_claim_into_dispute_and_admission_confirms():
    disputed = merge(CLAIM, DENIAL)
    assert disputed.status == "disputed"
    assert [a.stance for a in disputed.attestations] == ["asserts", "denies"]
    confirmed = merge(disputed, ADMISSION)
    assert confirmed.status == "confirmed" and len(confirmed.attestations) == 3
    assert confirmed.id == min(CLAIM.id, DENIAL.id, ADMISSION.id)
    assert confirmed.date == date(2025, 4, 6)


def test_merge_is_order_free():
    for a, b in ((CLAIM, DENIAL), (DENIAL, ADMISSION)):
        assert merge(a, b) == merge(b, a)
    assert merge(merge(CLAIM, DENIAL), ADMISSION) == merge(CLAIM, merge(DENIAL, ADMISSION))


def test_fuse_is_transitive_order_free_and_idempotent():
    events = [CLAIM, DENIAL, ADMISSION, event([LYMAN], CLAIM.attestations, type_="advance")]
    once = fuse(events)
    assert len(once) == 2
    rng = random.Random(7)
    for _ in range(5):
        shuffled = events[:]
        rng.shuffle(shuffled)
        assert fuse(shuffled) == once
    assert fuse(events + events) == once  # the same articles read twice change nothing
    assert fuse(once) == once


def test_location_by_place_kind():
    point = CLAIM
    assert (point.geometry_kind, point.precision, point.lat) == ("point", 1, 48.58728)
    region = event([DPR], CLAIM.attestations)
    assert region.geometry_kind == "admin1" and region.precision == 3
    assert oblast_at(region.lon, region.lat) == "UA-14"  # a point inside the oblast
    village = event([FEDOROVKA], CLAIM.attestations)
    assert village.geometry_kind == "admin1" and village.admin1 == "UA-14"
    country = event([RUSSIA], CLAIM.attestations, type_="strike", actor="UA")
    assert country.geometry_kind == "country" and country.precision == PRECISION_COUNTRY
    assert not country.mapped and country.extra["country"] == "RU"
    unknown = Toponym(0, 11, "Nesterianka", None, None, "other", None, None, None, 0.0)
    kept = event([unknown], CLAIM.attestations)
    assert kept.places == (unknown,) and kept.precision is None and not kept.mapped


def test_event_roundtrip_keeps_everything():
    merged = merge(CLAIM, DENIAL)
    assert Event.from_dict(merged.to_dict()) == merged


def reported(article: str, published: date) -> Attestation:
    return Attestation(article_id=article, stance="asserts", quote=f"{article} asserts",
                       start=0, end=10, claimant="RU voice", claimant_side="RU",
                       published=published)


def test_an_undated_claim_is_about_the_weeks_before_its_report():
    """"Russian troops have taken Teple", reported in January and again in June, is two
    captures, not one; reported twice in a week, it is one."""
    january = event([CHASIV_YAR], [reported("jan", date(2025, 1, 10))])
    same_week = event([CHASOV_YAR], [reported("jan2", date(2025, 1, 14))])
    june = event([CHASIV_YAR], [reported("jun", date(2025, 6, 2))])
    assert same_event(january, same_week)
    assert not same_event(january, june)
    assert len(fuse([january, same_week, june])) == 2
    dated_before = event([CHASIV_YAR], [said("tass", "asserts", "RU")], day=date(2025, 1, 2))
    assert same_event(january, dated_before)  # within the fortnight before the report
    assert not same_event(june, dated_before)
    unknown = event([CHASIV_YAR], [said("x", "asserts", "RU")])
    assert same_event(unknown, june) and same_event(unknown, january)  # nothing dates it


def test_fighting_told_on_two_days_is_two_days_of_fighting():
    monday = event([CHASIV_YAR], [reported("mon", date(2025, 3, 10))], type_="fighting",
                   day=date(2025, 3, 10))
    next_morning = event([CHASOV_YAR], [reported("tue", date(2025, 3, 11))],
                         type_="fighting")
    wednesday_paper = event([CHASIV_YAR], [reported("wed", date(2025, 3, 12))],
                            type_="fighting")
    friday = event([CHASIV_YAR], [reported("fri", date(2025, 3, 14))], type_="fighting")
    assert same_event(monday, next_morning) and same_event(monday, wednesday_paper)
    assert not same_event(monday, friday)
    assert not same_event(next_morning, friday)


def test_an_undated_strike_is_the_night_before_its_report_only():
    def strike(article, day=None, published=None):
        att = reported(article, published) if published else said(article, "asserts", "UA")
        return event([CHASIV_YAR], [att], type_="strike", day=day)
    saturday = strike("sat", day=date(2025, 5, 24))
    thursday = strike("thu", day=date(2025, 5, 22))
    sunday_paper = strike("sun", published=date(2025, 5, 25))
    assert same_event(saturday, sunday_paper)
    assert not same_event(thursday, sunday_paper)
    assert len(fuse([saturday, thursday, sunday_paper])) == 2


def test_strikes_on_one_city_two_days_apart_are_two_strikes(parser):
    from geo.claims.extract import extract_events
    from geo.models import Article

    texts = {date(2025, 3, 3): "Russian missiles struck Zaporizhzhia on March 3, the governor "
                               "said.",
             date(2025, 3, 5): "Russian drones struck Zaporizhzhia on March 5, the governor "
                               "said.",
             date(2025, 3, 6): "Russian drones hit Zaporizhzhia on Wednesday, March 5, the "
                               "city's mayor said."}
    events = [e for day, text in texts.items() for e in extract_events(
        Article(id=day.isoformat(), text=text, published=day, outlet="Wire"), parser)]
    fused = fuse(events)
    assert sorted(len(e.attestations) for e in fused) == [1, 2]


def test_partial_control_assessed_on_two_days_is_two_assessments(parser):
    from geo.claims.extract import extract_events
    from geo.models import Article

    texts = {"a": (date(2025, 1, 20), "DeepState said Russian forces controlled most of "
                                      "Toretsk."),
             "b": (date(2025, 1, 27), "A Ukrainian spokesman said Russian forces had entered "
                                      "a large part of Toretsk.")}
    events = [e for aid, (day, text) in texts.items() for e in extract_events(
        Article(id=aid, text=text, published=day, outlet="Wire"), parser)]
    partial = [e for e in fuse(events) if e.sub_event_type == "Partial control"]
    assert len(partial) == 2


def test_an_advance_into_a_whole_region_retold_within_a_month_is_one_push():
    """Moscow says in March its units have crossed into the Donetsk region and repeats it in
    April: one push. A village of that region taken a month apart is still two events, and
    a region entered again after two months is a new push."""
    march = event([DONETSK_REGION], [reported("mar", date(2025, 3, 10))], type_="advance")
    april = event([DONETSK_REGION], [reported("apr", date(2025, 4, 20))], type_="advance")
    june = event([DONETSK_REGION], [reported("jun", date(2025, 6, 25))], type_="advance")
    assert same_event(march, april) and same_event(april, march)
    assert not same_event(april, june)
    assert len(fuse([march, april, june])) == 2
    village_march = event([LYMAN], [reported("mar", date(2025, 3, 10))], type_="advance")
    village_april = event([LYMAN], [reported("apr", date(2025, 4, 20))], type_="advance")
    assert not same_event(village_march, village_april)
    partial = replace(april, sub_event_type="Partial control")
    assert not same_event(march, partial)


def test_a_capture_restated_undated_a_month_later_is_the_same_capture():
    """Moscow claims the whole Donetsk region on 26 April; a wire says on 27 May that
    Moscow repeats that the region is cleared: the same claim, restated. An advance
    told undated a month apart is not one push into a town."""
    claim = event([DONETSK_REGION], [reported("apr", date(2025, 4, 26))])
    restated = event([DONETSK_REGION], [reported("may", date(2025, 5, 27))])
    assert same_event(claim, restated)
    assert not same_event(claim, event([DONETSK_REGION], [reported("jul", date(2025, 7, 5))]))
    pushes = [event([LYMAN], [reported(n, d)], type_="advance")
              for n, d in (("apr", date(2025, 4, 26)), ("may", date(2025, 5, 27)))]
    assert not same_event(*pushes)


def test_a_town_taken_in_a_region_is_not_the_whole_region_taken():
    """"Russia took Lyman in the Donetsk region" and, weeks later, "Russia says it has taken
    the whole Donetsk region" share the region but are two captures."""
    town = event([LYMAN, DONETSK_REGION], [reported("mar", date(2025, 4, 10))])
    region = event([DONETSK_REGION], [reported("apr", date(2025, 4, 26))])
    assert not same_event(town, region) and not same_event(region, town)
    assert same_event(region, event([DPR], [reported("apr2", date(2025, 4, 27))]))


def test_positions_held_told_again_within_a_month_are_one_holding():
    """Kyiv says on 26 April its troops still hold positions in the Donetsk region and again
    on 27 May: one holding. Told again in July, or a gray zone told a month on, is another."""
    april = event([DONETSK_REGION], [reported("apr", date(2025, 4, 26))], type_="control",
                  actor="UA")
    may = event([DONETSK_REGION], [reported("may", date(2025, 5, 27))], type_="control",
                actor="UA")
    july = event([DONETSK_REGION], [reported("jul", date(2025, 7, 15))], type_="control",
                 actor="UA")
    assert same_event(april, may) and not same_event(april, july)
    gray = [replace(e, sub_event_type="Gray zone") for e in (april, may)]
    assert not same_event(*gray)


def test_troops_massing_near_a_place_are_not_the_ones_holding_it():
    held = event([DONETSK_REGION], [reported("a", date(2025, 4, 26))], type_="control",
                 actor="RU")
    massing = replace(held, sub_event_type="Troop build-up")
    assert not same_event(held, massing) and same_event(massing, massing)
