from __future__ import annotations

from collections import Counter, defaultdict

from geo.gazetteer.admin import admin1_index, oblast, oblast_at
from geo.gazetteer.build import geonames_admin1_to_iso


def test_all_27_ukrainian_units_with_crimea_and_sevastopol():
    codes = {u.iso for u in admin1_index().units if u.country == "UA"}
    assert len(codes) == 27
    assert {"UA-43", "UA-40", "UA-30", "UA-14", "UA-12"} <= codes


def test_oblast_at_known_places(gazetteer):
    pokrovsk = gazetteer.by_id(704422)
    kryvyi_rih = gazetteer.by_id(703845)
    kerch = gazetteer.by_id(706524)
    assert oblast_at(pokrovsk.lon, pokrovsk.lat) == "UA-14"
    assert oblast_at(kryvyi_rih.lon, kryvyi_rih.lat) == "UA-12"
    assert oblast_at(kerch.lon, kerch.lat) == "UA-43"
    assert oblast_at(-74.0, 40.7) is None


def test_oblast_polygon_contains_its_capital(gazetteer):
    from shapely.geometry import Point

    donetsk_oblast = oblast("UA-14")
    assert donetsk_oblast is not None
    pokrovsk = gazetteer.by_id(704422)
    assert donetsk_oblast.contains(Point(pokrovsk.lon, pokrovsk.lat))
    assert oblast("XX-99") is None


def test_every_geonames_admin1_code_agrees_with_point_in_polygon(gazetteer):
    """Each GeoNames admin-1 code of Ukraine maps to the polygon holding its places."""
    mapping = {k: v for k, v in geonames_admin1_to_iso().items() if k.startswith("UA.")}
    assert len(mapping) == 27
    votes: dict[str, Counter] = defaultdict(Counter)
    idx = admin1_index()
    for row in range(len(gazetteer)):
        p = gazetteer.place(row)
        if p.country != "UA" or p.kind != "settlement" or not p.admin1:
            continue
        votes[p.admin1][idx.at(p.lon, p.lat)] += 1
    assert set(votes) == set(mapping.values())
    total = agree = 0
    for iso, counter in votes.items():
        top, _ = counter.most_common(1)[0]
        assert top == iso, f"{iso}: most places fall in {top}"
        total += sum(counter.values())
        agree += counter[iso]
    assert agree / total > 0.97
