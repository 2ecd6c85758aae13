from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.usefixtures("gazetteer")

_parser = None


def parser():
    global _parser
    if _parser is None:
        from geo.parse.geoparse import Geoparser

        _parser = Geoparser()
    return _parser


words = st.sampled_from(["Pokrovsk", "Kyiv", "near", "in", "the", "region", "Donetsk", "<b>",
                         "Кривий", "Ріг", "village", "of", ",", "'s", "Moscow", "said", "\x00",
                         "Sumy", "People's", "Republic", "direction", "🙂", "\u200b"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(words, max_size=40).map(" ".join)))
def test_any_text_gives_consistent_toponyms(text):
    result = parser().parse(text)
    prev = -1
    for t in result.toponyms:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.name
        assert t.start >= prev
        prev = t.start
        if t.lat is not None:
            assert -90 <= t.lat <= 90 and -180 <= t.lon <= 180
        assert 0.0 <= t.score <= 1.0
