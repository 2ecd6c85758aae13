"""Front-line names are recognised whatever the model's tag; people and organisations are not."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("gazetteer")


def names(parser, text: str) -> list[str]:
    return [t.name for t in parser.parse(text).toponyms]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Toretsk has been reduced to rubble after months of fighting.", "Toretsk"),
        ("Lyman and Siversk are under growing pressure, the General Staff said.", "Lyman"),
        ("Lyman and Siversk are under growing pressure, the General Staff said.", "Siversk"),
        ("Kurakhove Captured, Says Moscow", "Kurakhove"),
        ("Chasiv Yar, once home to 12,000 people, lies in ruins.", "Chasiv Yar"),
        ("Myrnohrad Holds Out As Assault Grinds On", "Myrnohrad"),
        ("Kupiansk was cut off from supplies for days.", "Kupiansk"),
        ("Kiev forces withdrew overnight, the ministry said.", "Kiev"),
        ("Velikaya Novoselka was shelled again on Friday.", "Velikaya Novoselka"),
    ],
)
def test_front_line_names_are_kept_whatever_the_tag(parser, text, name):
    assert name in names(parser, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Drones were downed over Russia's Kursk Oblast overnight.", "Kursk"),
        ("Shelling continued in the Sumy region on Sunday.", "Sumy"),
        ("Explosions were heard in the Belgorod Region, officials said.", "Belgorod"),
    ],
)
def test_a_region_named_with_its_admin_word_is_the_region(parser, text, name):
    found = [t for t in parser.parse(text).toponyms if t.name == name]
    assert found and found[0].kind == "admin1", parser.parse(text).toponyms


def test_a_list_ending_in_oblasts_names_regions(parser):
    res = parser.parse("Airfields were hit in the Murmansk, Irkutsk and Ivanovo oblasts.")
    kinds = {t.name: t.kind for t in res.toponyms}
    assert kinds == {"Murmansk": "admin1", "Irkutsk": "admin1", "Ivanovo": "admin1"}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("The Kyiv Independent reported the strike first.", "Kyiv"),
        ("Sumy City Council said the shelter was full.", "Sumy"),
        ("Units of the Vostok battlegroup advanced, the ministry said.", "Vostok"),
        ("Battlegroup North repelled four attacks.", "North"),
        ("Commanders of battle group North reported two assaults repelled.", "North"),
        ("The battlegroup North reported that its artillery hit a depot.", "North"),
        ("As the week ended, the front held.", "As"),
        ("Governor Kharkiv said nothing.", "Kharkiv"),
        ("At noon the sirens sounded in Kharkiv.", "At"),
        ("The deputy heads the Duma committee on CIS affairs, near Kursk.", "CIS"),
        ("Before the Easter truce, shells fell on villages near Kupiansk.", "Easter"),
    ],
)
def test_people_organisations_and_words_are_not_places(parser, text, absent):
    assert absent not in names(parser, text)


def test_a_name_the_text_gives_a_person_stays_a_person(parser):
    text = ("Oleksandr Syrskyi met the troops. Syrskyi said the line held near Pokrovsk.")
    found = names(parser, text)
    assert "Pokrovsk" in found and "Syrskyi" not in found


def test_a_place_name_before_another_place_is_not_a_surname(parser):
    found = names(parser, "Dateline: Sumy Kharkiv Ukraine")
    assert "Sumy" in found and "Kharkiv" in found


def test_a_codifier_village_is_a_place_in_war_news(parser):
    res = parser.parse("Russian troops shelled the village of Ocheretove in Kharkiv Oblast.")
    village = next(t for t in res.toponyms if t.name == "Ocheretove")
    assert village.admin1 == "UA-63" and village.precision == 2


def test_a_codifier_village_name_needs_a_ukrainian_article(parser):
    assert "Groza" not in names(parser, "Rescuers reached Groza after the storm, officials in "
                                        "Lisbon said.")
    found = parser.parse("Drones struck Kharkiv overnight. Rescuers reached Groza after the "
                         "strike.").toponyms
    assert [t.admin1 for t in found if t.name == "Groza"] == ["UA-63"]


def test_a_codifier_village_name_without_place_context_is_not_kept(parser):
    assert "Oleg" not in names(parser, "Oleg said the talks in Kharkiv failed.")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Tim and Anna said the walk raised money for the hospital.", "Tim"),
        ("The governor lost the support of United Russia last year.", "Russia"),
    ],
)
def test_a_theatre_name_used_as_a_person_or_party_outside_war_news(parser, text, absent):
    assert absent not in names(parser, text)


def test_a_possessive_glued_with_a_modifier_apostrophe_is_the_place(parser):
    got = {t.name: t for t in parser.parse("The shelling of Toretskʼs centre went on.").toponyms}
    assert got["Toretsk"].admin1 == "UA-14"


@pytest.mark.parametrize(
    "text",
    [
        "Eighteen Jewish organizations partnered with the city for the holiday.",
        "Later they moved to Cambridge and Mr Savino got a job at the museum.",
        "David Burliuk painted New York in 1924. For Burliuk, exile was a new start.",
    ],
)
def test_adjectives_titled_names_and_spelled_out_surnames_are_not_places(parser, text):
    got = names(parser, text)
    assert not {"Jewish", "Savino", "Burliuk"} & set(got), got


def test_a_region_word_makes_a_person_tag_no_full_name(parser):
    got = names(parser, "The village lies where the Zaporozhye and Dnepropetrovsk Regions "
                        "meet, the ministry said.")
    assert "Dnepropetrovsk" in got


def test_a_raion_or_hromada_is_named_whole(parser):
    got = {t.name: t for t in parser.parse(
        "Shelling hit villages in the Pokrovsk district and the Kurakhove hromada.").toponyms}
    assert (got["Pokrovsk district"].kind, got["Pokrovsk district"].admin1) == ("admin2", "UA-14")
    assert got["Kurakhove hromada"].kind == "admin2"


def test_a_cyrillic_surname_after_a_first_name_is_a_person(parser):
    got = names(parser, "Photo credit: Сергей Шевченко. The drone was downed near Херсон.")
    assert "Шевченко" not in got
    assert "Херсон" in got


def test_a_place_known_by_capitals_or_opening_a_dateline_is_kept(parser):
    assert "US" in names(parser, "Drones made in the US were shot down near Kupiansk.")
    assert "KURSK" in names(parser, "KURSK, May 3. A drone fell on a house near Sudzha.")


def test_a_digest_line_label_is_no_place(parser):
    text = ("Drones hit a depot near Bryansk\nSource: the regional governor\n"
            "Background: Drones have struck the Bryansk region before.")
    assert "Background" not in names(parser, text)
