"""The names maps print: the official Latin form of a Ukrainian place, not a former or a
Russian one."""

from __future__ import annotations

from geo.gazetteer.names import name_key
from geo.gazetteer.translit import official_latin


def test_the_codifier_name_decides():
    assert official_latin("Kamyanske", ["Кам'янське", "Каменское"], official=["Кам'янське"]) \
        == "Kamianske"


def test_a_latin_official_entry_is_not_taken_for_a_cyrillic_one():
    assert official_latin("Berdyansk", ["Berdiansk"], official=["Osypenko"]) == "Berdyansk"


def test_another_romanisation_of_the_own_name_is_replaced():
    assert official_latin("Kryvyy Rih", ["Кривий Ріг", "Kryvyi Rih", "Krivoy Rog"]) \
        == "Kryvyi Rih"
    assert official_latin("Kupyansk", ["Куп'янськ", "Kupiansk", "Kupjansk"]) == "Kupiansk"


def test_former_russian_and_unlisted_forms_never_replace_the_name():
    former = {name_key("Krasnoarmiisk")}
    alts = ["Красноармійськ", "Krasnoarmiisk", "Покровськ", "Pokrovsk"]
    assert official_latin("Pokrovsk", alts, former) == "Pokrovsk"
    assert official_latin("Lyman", ["Красный Лиман", "Krasnyy Liman"]) == "Lyman"  # Russian
    assert official_latin("Izium", ["Ізюм"]) == "Izium"  # its form is not a listed name
    assert official_latin("Skhidni Kvartaly", ["Східні квартали", "Skhidni kvartaly"]) \
        == "Skhidni Kvartaly"  # only the case differs


def test_the_gazetteer_gives_official_names(gazetteer):
    def row(name: str) -> int:
        rows = [r for r in gazetteer.rows_for_key(name_key(name))
                if gazetteer.country_of(r) == "UA" and gazetteer.kind_of(r) == "settlement"]
        return max(rows, key=gazetteer.population)

    assert gazetteer.official_name(row("Zaporozhye")) == "Zaporizhzhia"
    assert gazetteer.official_name(row("Kryvyy Rih")) == "Kryvyi Rih"
    assert gazetteer.official_name(row("Pokrovsk")) == "Pokrovsk"
