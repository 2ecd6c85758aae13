"""Every Ukrainian settlement from the codifier, under its official, Latin and Russian names."""

from __future__ import annotations

import pytest

from geo.gazetteer.translit import (
    latin_variants,
    russian_form,
    russian_forms,
    russian_latin,
    ukrainian_latin,
)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [  # the examples of the 2010 Cabinet resolution's own table
        ("Алушта", "Alushta"), ("Борщагівка", "Borshchahivka"), ("Вінниця", "Vinnytsia"),
        ("Гадяч", "Hadiach"), ("Згорани", "Zghorany"), ("Ґалаґан", "Galagan"),
        ("Єнакієве", "Yenakiieve"), ("Наєнко", "Naienko"), ("Житомир", "Zhytomyr"),
        ("Закарпаття", "Zakarpattia"), ("Іршава", "Irshava"), ("Їжакевич", "Yizhakevych"),
        ("Кадиївка", "Kadyivka"), ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"),
        ("Юрій", "Yurii"), ("Яготин", "Yahotyn"), ("Костянтин", "Kostiantyn"),
        ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"), ("Щербухи", "Shcherbukhy"),
        ("Біла Церква", "Bila Tserkva"),
    ],
)
def test_official_transliteration(cyrillic, latin):
    assert ukrainian_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("ukrainian", "russian", "romanised"),
    [
        ("Нова Каховка", "Новая Каховка", "Novaya Kakhovka"),
        ("Велика Новосілка", "Великая Новосилка", "Velikaya Novosilka"),
        ("Мала Токмачка", "Малая Токмачка", "Malaya Tokmachka"),
        ("Андріївка", "Андреевка", "Andreyevka"),
        ("Олександрівка", "Александровка", "Aleksandrovka"),
        ("Миколаївка", "Николаевка", "Nikolayevka"),
        ("Зелене", "Зеленое", "Zelenoye"),
        ("Роботине", "Роботино", "Robotino"),
        ("Соледарське", "Соледарское", "Soledarskoye"),
        ("Білгород-Дністровський", "Белгород-Днистровский", "Belgorod-Dnistrovskiy"),
    ],
)
def test_russian_forms(ukrainian, russian, romanised):
    assert russian_form(ukrainian) == russian
    assert russian_latin(russian) == romanised
    assert romanised in latin_variants(ukrainian)


def test_an_ove_name_is_read_as_a_noun_and_as_an_adjective():
    assert russian_forms("Вербове") == ["Вербово", "Вербовое"]
    assert {"Verbovo", "Verbovoye", "Verbovoe"} <= set(latin_variants("Вербове"))
    assert russian_forms("Дачне") == ["Дачное"]


def test_ivka_after_a_hushing_consonant_is_evka():
    assert russian_forms("Грушівка") == ["Грушевка"]
    assert russian_forms("Новоселівка") == ["Новоселовка"]


def test_a_lone_possessive_name_is_not_made_a_surname():
    assert "Ivanov" not in latin_variants("Іванів")


@pytest.fixture(scope="module")
def gaz(gazetteer):
    return gazetteer


def test_a_village_geonames_lacks_is_found_at_its_hromada_centre(gaz):
    found = [p for p in gaz.lookup("Ocheretove") if p.admin1 == "UA-63"]
    assert found, "codifier village missing"
    village = found[0]
    assert village.source.startswith("katotth") and "hromada centre" in village.source
    assert "Очеретове" in village.alt_names
    assert gaz.exhaustive(gaz._by_id[village.id])
    # its point is that of the hromada's centre, a GeoNames town
    assert abs(village.lat - 49.84) < 0.2 and abs(village.lon - 35.62) < 0.3


def test_a_village_geonames_has_gains_its_codifier_names_with_their_origin(gaz):
    town = gaz.lookup("Kramatorsk", country="UA")[0]
    row = gaz._by_id[town.id]
    assert town.source == "geonames" and not gaz.exhaustive(row)
    assert gaz.name_origin(row, "Kramatorsk") == "primary"
    village = [p for p in gaz.lookup("Ocheretove") if p.admin1 == "UA-63"][0]
    vrow = gaz._by_id[village.id]
    assert gaz.name_origin(vrow, "Очеретове") == "official"
    assert gaz.name_origin(vrow, "Ocheretovo") == "derived"
    andriivka = [p for p in gaz.lookup("Andreyevka") if p.country == "UA"]
    assert andriivka, "derived Russian form missing"
    origins = {gaz.name_origin(gaz._by_id[p.id], "Andreyevka") for p in andriivka}
    assert "derived" in origins


def test_russian_names_find_codifier_villages(gaz):
    assert any(p.admin1 == "UA-63" for p in gaz.lookup("Ocheretovo"))
    assert any(p.admin1 == "UA-63" for p in gaz.lookup("Verkhnyaya Roganka"))


def test_a_former_official_name_is_marked_and_ranks_as_an_own_name(gaz):
    toretsk = gaz.by_id(709354)
    row = gaz._by_id["709354"]
    assert gaz.name_origin(row, "Dzerzhinsk") == "renamed"
    assert gaz.was_named(row, "dzerzhinsk")
    assert gaz.prior(row, "dzerzhinsk") > gaz.prior(row, "toretsk") - 0.01
    assert toretsk is not None and toretsk.name == "Toretsk"
    # in a neutral lookup the larger Russian city of that name still comes first
    assert gaz.lookup("Dzerzhinsk")[0].country == "RU"


def test_a_village_in_both_the_supplement_and_the_codifier_is_one_place(gaz):
    found = [p for p in gaz.lookup("Robotyne") if p.admin1 == "UA-23"]
    assert [p.id for p in found] == ["sup:robotyne"]  # the surveyed point, not the centre
    row = gaz._by_id["sup:robotyne"]
    assert gaz.name_origin(row, "Роботине") == "supplement"  # kept, with its source
    assert gaz.name_origin(row, "Роботино") == "derived"  # the codifier joined it


def test_raions_and_hromadas_are_admin2_places_at_their_centres(gazetteer):
    from geopy.distance import geodesic

    town = gazetteer.lookup("Pokrovsk", country="UA", kind="settlement")[0]
    for name in ("Pokrovsk Raion", "Pokrovsk district", "Pokrovskyi raion",
                 "Покровський район"):
        found = [p for p in gazetteer.lookup(name) if p.kind == "admin2"]
        assert found and found[0].admin1 == "UA-14", name
        assert geodesic((found[0].lat, found[0].lon), (town.lat, town.lon)).km < 1
        assert not gazetteer.exhaustive(gazetteer._by_id[found[0].id])
    hromada = [p for p in gazetteer.lookup("Kurakhove hromada") if p.kind == "admin2"]
    assert hromada and hromada[0].admin1 == "UA-14"


def test_a_short_centre_name_still_names_its_raion(gazetteer):
    sumy = [p for p in gazetteer.lookup("Sumy district") if p.kind == "admin2"]
    assert sumy and sumy[0].admin1 == "UA-59"
