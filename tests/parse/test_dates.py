from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from geo.parse.dates import find_dates, reference_date
from tests.conftest import SEEDS


def _by_text(mentions):
    return {m.text: m for m in mentions}


def test_seed_dates_resolve_from_the_years_the_text_states():
    text = (SEEDS / "004_ad8522ef294dd132.txt").read_text(encoding="utf-8")
    got = _by_text(find_dates(text))
    assert got["Thursday, March 6, 2025"].value == date(2025, 3, 6)
    assert got["June 6"].value == date(2025, 6, 6)
    assert got["June 7"].value == date(2025, 6, 7)
    # No publication date: the latest day the text states (June 7) is the reference.
    assert reference_date(text) == date(2025, 6, 7)
    assert got["Friday"].value == date(2025, 6, 6)
    assert got["Sunday"].value == date(2025, 6, 1)
    assert got["Last night"].value == date(2025, 6, 6)
    assert all(m.precision == "day" and m.basis == "text" for m in got.values())


def test_seed_without_dates_resolves_nothing_relative():
    text = (SEEDS / "000_d639c1b7433ac7a4.txt").read_text(encoding="utf-8")
    got = _by_text(find_dates(text))
    assert got["Saturday"].value is None and got["Saturday"].precision is None


def test_relative_days_against_the_publication_date():
    published = date(2025, 6, 10)  # a Tuesday
    text = ("Russia said on Sunday its troops advanced; yesterday Kyiv denied it. Drones hit "
            "Odesa last night and Kharkiv two days ago. Talks resume today.")
    got = _by_text(find_dates(text, published))
    assert got["Sunday"].value == date(2025, 6, 8)
    assert got["yesterday"].value == date(2025, 6, 9)
    assert got["last night"].value == date(2025, 6, 9)
    assert got["two days ago"].value == date(2025, 6, 8)
    assert got["today"].value == published
    assert {m.basis for m in got.values()} == {"published"}


def test_weekday_of_publication_is_that_day():
    got = _by_text(find_dates("The ministry said on Tuesday…", date(2025, 6, 10)))
    assert got["Tuesday"].value == date(2025, 6, 10)


def test_month_day_after_publication_belongs_to_the_year_before():
    got = _by_text(find_dates("Strikes on December 30 and January 1.", date(2025, 1, 2)))
    assert got["December 30"].value == date(2024, 12, 30)
    assert got["January 1"].value == date(2025, 1, 1)


def test_precision_of_months_and_years():
    text = "The offensive began in March 2024, slowed in 2023 and resumed in May."
    got = _by_text(find_dates(text, date(2025, 6, 1)))
    assert (got["March 2024"].value, got["March 2024"].precision) == (date(2024, 3, 1), "month")
    assert (got["in 2023"].value, got["in 2023"].precision) == (date(2023, 1, 1), "year")
    assert (got["in May"].value, got["in May"].precision) == (date(2025, 5, 1), "month")


def test_day_month_order_and_iso():
    got = _by_text(find_dates("Reported 6 June 2025 and logged as 2025-06-07."))
    assert got["6 June 2025"].value == date(2025, 6, 6)
    assert got["2025-06-07"].value == date(2025, 6, 7)


def test_no_year_anywhere_stays_unresolved():
    got = _by_text(find_dates("On June 6 the ministry announced strikes; on Friday it said more."))
    assert got["June 6"].value is None and got["Friday"].value is None


def test_may_the_verb_is_not_a_month():
    texts = [m.text for m in find_dates("Russian units may 6 times try to cross the river.")]
    assert texts == []


def test_impossible_dates_are_not_invented():
    got = _by_text(find_dates("Filed February 30, 2025."))
    assert "February 30, 2025" in got and got["February 30, 2025"].value is None


@given(st.text(max_size=300), st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2040, 1, 1))))
def test_any_text_gives_well_formed_mentions(text, published):
    for m in find_dates(text, published):
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        assert (m.value is None) == (m.precision is None)


def test_last_year_and_last_month_keep_their_coarse_precision():
    found = {d.text: (d.value, d.precision) for d in find_dates(
        "They took the town last year and the village last month; in November too.",
        date(2025, 1, 6))}
    assert found["last year"] == (date(2024, 1, 1), "year")
    assert found["last month"] == (date(2024, 12, 1), "month")
    assert found["in November"] == (date(2024, 11, 1), "month")
    assert find_dates("Later last year the front moved.")[0].value is None  # no reference


def test_weeks_ago_against_the_publication_date():
    got = {d.text: d for d in find_dates("The unit left a week ago and the village fell two "
                                         "weeks ago.", date(2025, 6, 10))}
    assert got["a week ago"].value == date(2025, 6, 3)
    assert got["two weeks ago"].value == date(2025, 5, 27)
