from __future__ import annotations

import pytest
from geopy.distance import geodesic

from geo.gazetteer.index import Gazetteer


def first(gaz: Gazetteer, name: str, **kw):
    found = gaz.lookup(name, **kw)
    assert found, f"no candidates for {name!r}"
    return found[0]


def test_pokrovsk_in_ukraine_is_the_donetsk_one(gazetteer):
    p = first(gazetteer, "Pokrovsk", country="UA")
    assert p.geonameid == 704422
    assert geodesic((p.lat, p.lon), (48.28, 37.18)).km < 2
    assert p.admin1 == "UA-14"
    others = [c.country for c in gazetteer.lookup("Pokrovsk")]
    assert "RU" in others, "the Russian Pokrovsk must remain a candidate"


@pytest.mark.parametrize(
    ("name", "country", "geonameid"),
    [
        ("Krasnoarmeysk", "UA", 704422),  # Pokrovsk before 2016
        ("Krivoy Rog", None, 703845),
        ("Kryvyi Rih", None, 703845),
        ("Кривий Ріг", None, 703845),
        ("Кривой Рог", None, 703845),
        ("Kupyansk", None, 703656),
        ("Kupiansk", None, 703656),
        ("Куп'янськ", None, 703656),
        ("Artemovsk", "UA", 713174),  # Bakhmut
        ("Dzerzhinsk", "UA", 709354),  # Toretsk
        ("Kharkov", None, 706483),
        ("Kiev", None, 703448),
        ("Київ", None, 703448),
        ("Volchansk", "UA", 689304),
        ("Konstantinovka", "UA", 705104),
        ("Odessa", None, 698740),
    ],
)
def test_spellings_meet(gazetteer, name, country, geonameid):
    assert first(gazetteer, name, country=country).geonameid == geonameid


def test_fedorovka_finds_the_fedorivkas(gazetteer):
    names = {p.name for p in gazetteer.lookup("Fedorovka", country="UA")}
    assert "Fedorivka" in names


def test_oblast_names_resolve_to_admin1(gazetteer):
    assert first(gazetteer, "Dnepropetrovsk", kind="admin1").admin1 == "UA-12"
    assert first(gazetteer, "Sumy", kind="admin1").admin1 == "UA-59"
    assert first(gazetteer, "Donetsk People's Republic").admin1 == "UA-14"
    assert first(gazetteer, "Crimean peninsula").admin1 == "UA-43"


def test_crimean_bridge_is_a_landmark(gazetteer):
    p = first(gazetteer, "Crimean Bridge")
    assert p.kind == "landmark"
    assert p.admin1 == "UA-43"
    assert geodesic((p.lat, p.lon), (45.31, 36.51)).km < 5
    assert first(gazetteer, "Kerch Bridge").id == p.id


def test_countries_and_aliases(gazetteer):
    assert first(gazetteer, "Ukraine").kind == "country"
    assert first(gazetteer, "US").geonameid == 6252001
    assert first(gazetteer, "Britain").geonameid == 2635167


def test_unknown_names_give_no_candidates(gazetteer):
    assert gazetteer.lookup("Xqzzyvillebourg") == []
    assert gazetteer.lookup("") == []
    assert gazetteer.lookup("!!!") == []


def test_capitals_are_flagged(gazetteer):
    assert first(gazetteer, "Moscow").capital
    assert first(gazetteer, "Kyiv").capital
    assert not first(gazetteer, "Kharkiv").capital


def test_candidates_carry_alternate_names(gazetteer):
    p = first(gazetteer, "Pokrovsk", country="UA")
    assert "Krasnoarmeysk" in p.alt_names
    assert "Покровськ" in p.alt_names


def test_a_river_is_a_line_through_its_towns_under_its_own_and_river_names(gazetteer):
    river = gazetteer.by_id("water:dnipro")
    assert river is not None and river.kind == "other"
    line = gazetteer.line(river.id)
    assert line is not None and len(line) > 5
    kyiv, kherson = first(gazetteer, "Kyiv", kind="settlement"), first(gazetteer, "Kherson",
                                                                      kind="settlement")
    assert any(geodesic(v, (kyiv.lat, kyiv.lon)).km < 1 for v in line)
    assert any(geodesic(v, (kherson.lat, kherson.lon)).km < 1 for v in line)
    for name in ("Dnipro River", "Dnieper river", "River Dnieper", "Dnepr"):
        assert river.id in {p.id for p in gazetteer.lookup(name)}, name
    assert gazetteer.flows_through(river.id, "UA-65")
    assert not gazetteer.flows_through(river.id, "UA-14")
    assert gazetteer.line(first(gazetteer, "Dnipro", kind="settlement").id) is None


def test_donbas_is_a_region_of_its_own_not_donetsk_oblast(gazetteer):
    donbas = first(gazetteer, "Donbass")
    assert (donbas.kind, donbas.admin1) == ("other", None)
    donetsk = gazetteer.by_id("709716")
    assert donetsk is not None
    assert geodesic((donbas.lat, donbas.lon), (donetsk.lat, donetsk.lon)).km > 20


def test_a_river_through_an_unknown_town_is_a_clear_error(tmp_path):
    from geo.gazetteer.build import _Builder, add_waters
    from geo.gazetteer.format import GazetteerError

    b = _Builder()
    b.add("1", "Kherson", "settlement", 46.6, 32.6, 1000, "UA", "UA-65", [], "geonames")
    table = tmp_path / "waters.csv"
    table.write_text("id,name,kind,country,alt_names,via,source\n"
                     "water:x,Inhulets,river,UA,,Kherson@UA-65|Nowhere@UA-65,test\n",
                     encoding="utf-8")
    with pytest.raises(GazetteerError, match="Nowhere"):
        add_waters(b, table)
    table.write_text("id,name,kind,country,alt_names,via,source\n"
                     "water:x,Inhulets,river,UA,,Kherson@UA-65,test\n", encoding="utf-8")
    add_waters(b, table)
    assert b.lines["water:x"] == ((46.6, 32.6),)


@pytest.mark.parametrize(
    ("text", "village", "town", "admin1", "max_km"),
    [
        ("Russian troops retook Malaya Loknya, a village north of Sudzha, after weeks of "
         "fighting.", "Malaya Loknya", "Sudzha", "RU-KRS", 20),
        ("Ukrainian units were seen in Martynovka and Goncharovka near Sudzha on Sunday.",
         "Martynovka", "Sudzha", "RU-KRS", 20),
        ("Fighting went on around Plekhovo and Borki, south of Sudzha.", "Borki", "Sudzha",
         "RU-KRS", 20),
        ("Moscow said its troops had recaptured Lyubimovka, a village near Korenevo.",
         "Lyubimovka", "Korenevo", "RU-KRS", 20),
        ("Raiders crossed the border near Poroz and Gora-Podol in the Grayvoron district.",
         "Poroz", "Grayvoron", "RU-BEL", 20),
        ("Shells hit houses in Zhuravlevka, a border village south of Belgorod.",
         "Zhuravlevka", "Belgorod", "RU-BEL", 40),
        ("The governor said mortar fire reached Zernovo, near Suzemka in the Bryansk region.",
         "Zernovo", "Suzemka", "RU-BRY", 20),
    ],
)
def test_border_villages_of_the_russian_regions_are_placed(parser, text, village, town,
                                                           admin1, max_km):
    """Villages under 500 people that GeoNames' cities500 lacks come from the supplement."""
    got = {t.name: t for t in parser.parse(text).toponyms}
    hit, near = got[village], got[town]
    assert hit.place_id.startswith("sup:"), hit
    assert (hit.country, hit.admin1) == ("RU", admin1)
    assert geodesic((hit.lat, hit.lon), (near.lat, near.lon)).km < max_km


def test_a_ukrainian_namesake_keeps_its_own_context(parser):
    got = {t.name: t for t in parser.parse(
        "Russian artillery shelled Lyubimovka in the Kherson region, near Kakhovka.").toponyms}
    assert got["Lyubimovka"].admin1 == "UA-65"


@pytest.mark.parametrize(
    ("text", "base", "region", "admin1"),
    [
        ("Ukrainian drones hit Olenya airbase in the Murmansk region.", "Olenya", "Murmansk",
         "RU-MUR"),
        ("Trucks carrying drones reached Belaya air base in the Irkutsk region.",
         "Belaya air base", "Irkutsk", "RU-IRK"),
        ("A drone crashed at Shaykovka in the Kaluga region, damaging a bomber.", "Shaykovka",
         "Kaluga", "RU-KLU"),
        ("The attack on Ukrainka airbase in the Amur region was repelled, Moscow said.",
         "Ukrainka airbase", "Amur", "RU-AMU"),
        ("Tankers were hit at Savasleyka air base in the Nizhny Novgorod region.",
         "Savasleyka air base", "Nizhny Novgorod", "RU-NIZ"),
        ("A Tu-22M3 burned at the Soltsy air base in the Novgorod region.",
         "the Soltsy air base", "Novgorod", "RU-NGR"),
    ],
)
def test_air_bases_far_behind_the_front_are_landmarks(parser, text, base, region, admin1):
    """A base named for a village or a town is the airfield, not its namesake: Belaya is also
    a village in the Kursk region, Soltsy the town beside the runway."""
    got = {t.name: t for t in parser.parse(text).toponyms}
    hit = got[base]
    assert hit.place_id.startswith("sup:") and hit.kind == "landmark", hit
    assert (hit.country, hit.admin1) == ("RU", admin1)
    assert got[region].admin1 == admin1


@pytest.mark.parametrize(
    ("text", "base", "town", "max_km"),
    [
        ("Explosions were heard near the Dyagilevo airfield outside Ryazan.",
         "the Dyagilevo airfield", "Ryazan", 15),
        ("Missiles hit the Khalino air base east of Kursk on Sunday.", "Khalino", "Kursk", 15),
        ("Residents reported blasts near the Baltimore airfield in Voronezh.",
         "the Baltimore airfield", "Voronezh", 15),
        ("Blasts shook the Hvardiiske air base north of Simferopol.", "the Hvardiiske air base",
         "Simferopol", 25),
        ("Drones attacked the Mozdok airfield in North Ossetia overnight.", "the Mozdok airfield",
         "North Ossetia", 120),
        ("Russian missiles struck the Vasylkiv air base, north of Bila Tserkva.",
         "the Vasylkiv air base", "Bila Tserkva", 60),
        ("Kinzhal missiles hit the Ozerne airfield near Zhytomyr overnight.",
         "the Ozerne airfield", "Zhytomyr", 20),
    ],
)
def test_an_air_base_beside_a_town_lies_by_it(parser, text, base, town, max_km):
    got = {t.name: t for t in parser.parse(text).toponyms}
    hit, near = got[base], got[town]
    assert hit.place_id.startswith("sup:") and hit.kind == "landmark", hit
    assert hit.admin1 == near.admin1
    assert geodesic((hit.lat, hit.lon), (near.lat, near.lon)).km < max_km


def test_a_village_named_like_an_air_base_stays_the_village(parser):
    got = {t.name: t for t in parser.parse(
        "Russian troops shelled Belaya, a village in the Kursk region.").toponyms}
    assert (got["Belaya"].kind, got["Belaya"].admin1) == ("settlement", "RU-KRS")


@pytest.mark.parametrize(("written", "own"), [
    ("St. Petersburg", "Saint Petersburg"), ("Mt. Pleasant", "Mount Pleasant"),
    ("Ft. Worth", "Fort Worth"), ("St Louis", "Saint Louis"),
])
def test_abbreviated_saint_mount_and_fort_are_the_places_own_names(gazetteer, written, own):
    from geo.gazetteer.names import name_key

    assert name_key(written) == name_key(own)
    assert name_key("Mountain View") != name_key("Mt. View")  # whole words only
    best = gazetteer.lookup(written, limit=1)[0]
    assert gazetteer.is_primary(gazetteer.row_of(best.id), name_key(written))
