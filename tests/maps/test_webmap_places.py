"""The web map's own names: which towns it labels from which zoom, and what a search finds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from maps.webmap_places import label_zoom, places_document, reference_places, search_keys


def test_search_keys_fold_latin_and_keep_cyrillic_as_written():
    keys = search_keys(["Kup'yans'k", "Kupiansk", "Куп’янськ"])
    assert keys == ("kupiansk", "куп'янськ")


def test_bigger_towns_are_named_from_further_out():
    assert label_zoom(2_900_000) < label_zoom(120_000) < label_zoom(15_000) < label_zoom(3_500)


def test_reference_towns_are_ukrainian_towns_not_city_districts():
    towns = [r for r in reference_places() if r.kind == "settlement"]
    names = [t.name for t in towns]
    assert names[0] == "Kyiv" and {"Kharkiv", "Mariupol", "Kupiansk"} <= set(names)
    assert not {"Sykhiv", "Desnyanskyi", "Avtozavodskyi", "Darnytsya"} & set(names)
    pops = np.array([t.population for t in towns])
    assert (np.diff(pops) <= 0).all()  # biggest first: the page labels in this order
    oblasts = [r for r in reference_places() if r.kind == "admin1"]
    assert len(oblasts) >= 25


def test_event_places_are_added_by_their_official_name(gazetteer):
    from test_webmap import sample_events

    doc = places_document(sample_events(gazetteer))
    names = [p[0] for p in doc]
    assert "Novopavlivka" in names  # a village, named because an event is there
    novo = doc[names.index("Novopavlivka")]
    assert novo[3] <= 9 and novo[5] == "settlement"
    assert len(names) == len(set(zip(names, (p[1] for p in doc), strict=True)))


def test_parts_of_cities_are_never_town_labels(gazetteer):
    from test_webmap import sample_events, toponym

    names = {r.name for r in reference_places() if r.kind == "settlement"}
    assert not {"Pravyi Bereh", "Saltivka", "Cheremushky"} & names
    assert {"Mariupol", "Kharkiv", "Odesa", "Zaporizhzhia"} <= names
    section = gazetteer.lookup("Pravyi Bereh", country="UA")[0]
    assert gazetteer.city_section(gazetteer.row_of(section.id))
    mariupol = gazetteer.lookup("Mariupol", country="UA")[0]
    assert not gazetteer.city_section(gazetteer.row_of(mariupol.id))
    # An event there keeps the name searchable, but the page does not label it as a town.
    event = sample_events(gazetteer)[0]
    event = replace(event, places=(toponym(gazetteer, "Pravyi Bereh"),))
    doc = places_document([event])
    kinds = {p[0]: p[5] for p in doc}
    assert kinds["Pravyi Bereh"] == "section" and kinds["Mariupol"] == "settlement"
