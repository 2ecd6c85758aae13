"""Folding an article's events into stored ones: which stored event a new one joins does not
depend on the order its candidates come in."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.claims.fusion import build, event_id
from geo.models import Attestation, Event, Toponym
from geo.store.fusing import fuse

LYMAN = Toponym(0, 5, "Lyman", 48.99012, 37.80843, "settlement", "UA", "UA-14", 1, 1.0,
                place_id="704204", resolved_name="Lyman")
DAY = date(2025, 5, 10)


def strike(article: str, day: date | None) -> Event:
    said = Attestation(article_id=article, stance="asserts", quote=f"{article} says so",
                       start=0, end=10, claimant="Some official", claimant_side="UA",
                       said_on=day, published=day or DAY)
    return build("strike", "RU", [LYMAN], [], [said], day, "day" if day else None,
                 event_id_=event_id("strike", "RU", LYMAN, day, article),
                 sub_event_type=None)


# Stored strikes at Lyman two days either side of the new one and one undated: the new
# strike may be any of them (a strike's window is three days).
STORED = [strike("before", DAY - timedelta(2)), strike("after", DAY + timedelta(2)),
          strike("same-day", DAY), strike("undated", None)]


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(STORED), new_day=st.sampled_from([DAY, DAY + timedelta(1), None]))
def test_the_stored_event_joined_is_the_same_in_any_candidate_order(order, new_day):
    new = strike("new", new_day)
    written, stored = fuse([new], lambda _: iter(order), lambda i: True, salt="x")
    reference, _ = fuse([new], lambda _: iter(STORED), lambda i: True, salt="x")
    assert [e.id for e in written] == [e.id for e in reference]
    [joined] = written
    assert set(stored) == {joined.id}
    if new_day == DAY:
        assert joined.id == STORED[2].id  # the same day's strike, the nearest
    assert {a.article_id for a in joined.attestations} >= {"new"}
