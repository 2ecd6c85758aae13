from __future__ import annotations

import pytest

from geo.control.classes import classify, parse_mapping
from geo.control.errors import ControlError


@pytest.mark.parametrize(("value", "expected"), [
    ("Occupied", "occupied"), ("Russian-occupied", "occupied"), ("GREY ZONE", "contested"),
    ("liberated", "liberated"), ("Ukrainian_held", "ukrainian-held"),
    ("ukrainian-held", "ukrainian-held"), ("Goats", None), ("", None)])
def test_common_words_name_their_class(value, expected):
    assert classify(value) == expected


def test_user_mapping_comes_before_the_common_words():
    mapping = parse_mapping(["contested=Russian advance", "occupied=ORDLO"])
    assert classify("russian ADVANCE", mapping) == "contested"
    assert classify("ordlo", mapping) == "occupied"
    assert classify("ordlo") is None


@pytest.mark.parametrize("bad", ["occupied", "held=x", "occupied=", "=value"])
def test_a_malformed_mapping_is_refused(bad):
    with pytest.raises(ControlError, match="--map"):
        parse_mapping([bad])
