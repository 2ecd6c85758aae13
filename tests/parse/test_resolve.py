from __future__ import annotations

import pytest
from geopy.distance import geodesic

pytestmark = pytest.mark.usefixtures("gazetteer")


def found(parser, text: str) -> dict:
    return {t.name: t for t in parser.parse(text).toponyms}


def test_state_abbreviation_after_a_town_is_its_container(parser):
    got = found(parser, "He lives in Paris, Ky., and works in Manhattan, Kan., for now.")
    assert (got["Paris"].country, got["Paris"].admin1) == ("US", "US-KY")
    assert (got["Ky."].kind, got["Ky."].admin1, got["Ky."].precision) == ("admin1", "US-KY", 3)
    assert got["Manhattan"].admin1 == "US-KS"


def test_abbreviation_without_its_comma_is_not_a_state(parser):
    got = found(parser, "Miss Smith moved to Paris.")
    assert "Miss" not in got and "Miss." not in got
    assert got["Paris"].country == "FR"


def test_a_states_other_places_pull_a_homonym_home(parser):
    got = found(parser, "The Tennessee Valley Authority restored power in Paris on Friday. "
                        "Crews from Nashville and Memphis helped, a Tennessee official said.")
    assert got["Paris"].admin1 == "US-TN"


def test_county_and_town_agree(parser):
    got = found(parser, "Storms swept across Texas. In Paris, the Lamar County seat, roofs "
                        "were torn off; Dallas was spared.")
    assert got["Paris"].admin1 == "US-TX"
    assert (got["Lamar County"].kind, got["Lamar County"].admin1) == ("admin2", "US-TX")


def test_washington_alone_is_the_capital(parser):
    got = found(parser, "Officials in Washington said the talks with Moscow would resume.")
    assert got["Washington"].admin1 == "US-DC"
    assert got["Washington"].kind == "settlement"


def test_joint_coherence_favours_namesakes_that_lie_together(parser):
    from geo.parse.resolve import COUNTY_CLOSE, _joint_coherence

    text = "The Paris school board met Henry County commissioners."
    mentions = parser.recognizer.mentions(parser.nlp(text))
    cands = [parser.resolver._candidates(m) for m in mentions]
    joint = _joint_coherence(mentions, cands)
    paris = {p.admin1: joint.get(("paris", p.id), 0.0) for p, _ in cands[0]}
    assert paris["US-TN"] == COUNTY_CLOSE  # Henry County, Tennessee, holds it
    assert paris.get("FR-11", 0.0) == 0.0


def test_a_named_county_takes_the_namesake_town_beside_it(parser):
    got = found(parser, "Rescue squad seeks funds. All residents of Paris and Henry County "
                        "will receive a letter from the rescue squad this week.")
    assert (got["Henry County"].kind, got["Henry County"].admin1) == ("admin2", "US-TN")


def test_a_repeated_name_does_not_outvote_the_rest_of_the_article(parser):
    got = parser.parse("Paris police arrested two men on Friday after a chase through "
                       "downtown Paris. The Paris mayor thanked deputies from Edgar County "
                       "and officers from Urbana.").toponyms
    assert {t.admin1 for t in got if t.name == "Paris"} == {"US-IL"}


def test_each_name_is_ranked_against_half_the_focus_of_the_others():
    from geo.parse.resolve import _Focus

    focus = _Focus.of({"paris": {"FR": 3.0}, "edgar county": {"US": 2.0}})
    assert focus.whole() == pytest.approx({"FR": 0.6, "US": 0.4})
    assert [focus.share(c, "paris") for c in ("FR", "US")] == pytest.approx([0.3, 0.7])
    assert [focus.share(c, "edgar county") for c in ("FR", "US")] == pytest.approx([0.8, 0.2])
    india = _Focus.of({"india": {"IN": 4.0}})
    assert (india.share("IN", "india"), india.share("US", "india")) == (0.5, 0.0)


@pytest.mark.parametrize(("name", "point"), [
    ("Russia", (60.0, 100.0)), ("Ukraine", (49.0, 32.0)), ("Canada", (60.11, -113.64)),
    ("United States", (39.76, -98.5)), ("India", (22.0, 79.0)), ("Libya", (28.0, 17.0)),
])
def test_country_points_are_those_of_geonames(gazetteer, name, point):
    p = gazetteer.lookup(name, kind="country", limit=1)[0]
    assert geodesic((p.lat, p.lon), point).km < 10


@pytest.mark.parametrize(("text", "name", "kind", "point"), [
    ("Drones flew over the Sea of Azov toward Crimea.", "Sea of Azov", "other", (46.0, 36.5)),
    ("Ships left the Black Sea ports.", "Black Sea", "other", (43.4, 34.3)),
    ("Exports from England grew.", "England", "other", (52.5, -1.5)),
    ("Aid reached Darfur last week.", "Darfur", "other", (13.5, 24.5)),
])
def test_regions_and_seas_resolve_at_region_precision(parser, text, name, kind, point):
    t = found(parser, text)[name]
    assert (t.kind, t.precision) == (kind, 3)
    assert geodesic((t.lat, t.lon), point).km < 50


def test_a_compass_part_of_a_known_region_resolves_to_the_region(parser):
    got = found(parser, "Storms knocked out power across North Texas on Monday, and schools "
                        "in Northeast Georgia, north of Atlanta, closed early.")
    texas = next(t for name, t in got.items() if name.endswith("Texas"))
    georgia = next(t for name, t in got.items() if name.endswith("Georgia"))
    assert (texas.kind, texas.admin1) == ("admin1", "US-TX")
    assert (georgia.kind, georgia.admin1) == ("admin1", "US-GA")
    assert texas.lat is not None and georgia.lat is not None


def test_a_street_lies_in_the_town_the_report_names(parser):
    got = found(parser, "A Russian missile struck a shopping centre on Sumska Street in "
                        "Kharkiv, the regional governor said.")
    street, town = got["Sumska Street"], got["Kharkiv"]
    assert (street.kind, street.precision, street.resolved_name) == ("other", 2, "Kharkiv")
    assert (street.lat, street.lon, street.admin1) == (town.lat, town.lon, "UA-63")


def test_the_town_holding_a_street_is_the_town_not_its_region(parser):
    got = found(parser, "Ukrainian officials said Russian shelling hit Shevchenko Street in "
                        "Kherson on Monday.")
    assert (got["Kherson"].kind, got["Kherson"].precision) == ("settlement", 1)
    assert (got["Shevchenko Street"].resolved_name, got["Shevchenko Street"].precision) == (
        "Kherson", 2)


def test_a_street_in_a_region_only_article_gets_the_region(parser):
    got = found(parser, "Russian drones struck Myru Avenue in the Zaporizhzhia region "
                        "overnight, officials said.")
    avenue = got["Myru Avenue"]
    assert (avenue.kind, avenue.admin1, avenue.precision) == ("other", "UA-23", 3)


def test_a_river_lies_at_the_last_town_named_before_it(parser):
    got = found(parser, "Residents of Rock Hill watched crews search the Catawba River "
                        "on Tuesday, police in Charlotte said.")
    river = got["Catawba River"]
    assert (river.resolved_name, river.admin1, river.precision) == ("Rock Hill", "US-SC", 2)


def test_a_building_named_for_its_county_resolves_to_the_county(parser):
    got = found(parser, "Deputies took the man to the Henderson County Jail on Friday.")
    jail = got["Henderson County Jail"]
    assert (jail.kind, jail.resolved_name, jail.precision) == ("admin2", "Henderson County", 3)


def test_a_street_named_for_a_city_is_not_that_city(parser):
    got = found(parser, "Police closed Hampton Avenue in St. Louis after the crash.")
    avenue = got["Hampton Avenue"]
    assert avenue.resolved_name == "St. Louis"
    assert avenue.precision == 2


def test_a_facility_with_no_town_in_the_article_stays_unresolved(parser):
    got = found(parser, "Divers searched the Catawba River on Tuesday.")
    assert got["Catawba River"].lat is None


@pytest.mark.parametrize(
    ("text", "name", "geonameid"),
    [
        ("Russian forces took full control of Dzerzhinsk in the Donetsk People's Republic.",
         "Dzerzhinsk", 709354),
        ("Troops advanced on Krasnoarmeysk from the south-east, the ministry said.",
         "Krasnoarmeysk", 704422),
        ("Assault groups pushed into Artemovsk after heavy shelling.", "Artemovsk", 713174),
        ("Shelling was reported in Kirovske and Dimitrov overnight.", "Kirovske", 705797),
        ("Shelling was reported in Kirovske and Dimitrov overnight.", "Dimitrov", 710035),
    ],
)
def test_former_names_find_the_renamed_town(parser, text, name, geonameid):
    res = [t for t in parser.parse(text).toponyms if t.name == name]
    assert res and res[0].geonameid == geonameid, res


def test_a_former_name_outside_war_news_is_the_larger_namesake(parser):
    res = parser.parse("The chemical plant in Dzerzhinsk employs 5,000 people.").toponyms
    assert [t.country for t in res if t.name == "Dzerzhinsk"] == ["RU"]


def test_a_russian_region_name_is_the_oblast(parser):
    res = parser.parse("Drones attacked the Zaporozhye region overnight.").toponyms
    assert [(t.kind, t.admin1) for t in res] == [("admin1", "UA-23")]


@pytest.mark.parametrize(
    "text",
    [
        "Units advanced near Andriivka, south of Bakhmut.",
        "Russian troops entered Andriivka, 10 km south of Bakhmut, the General Staff said.",
        "Assault groups stormed Andriivka near Bakhmut.",
    ],
)
def test_a_named_neighbour_picks_the_namesake_beside_it(parser, text):
    by_name = {t.name: t for t in parser.parse(text).toponyms}
    village, town = by_name["Andriivka"], by_name["Bakhmut"]
    assert geodesic((village.lat, village.lon), (town.lat, town.lon)).km < 25


def _containers(parser, text: str) -> dict[str, str]:
    mentions = parser.recognizer.mentions(parser.nlp(text))
    cands = [parser.resolver._candidates(m) for m in mentions]
    found = parser.resolver._containers(text, mentions, cands)
    return {mentions[i].text: mentions[j].text for i, (j, _) in found.items()}


def test_a_comma_contains_only_where_the_second_name_is_a_region_holding_the_first(parser):
    assert _containers(parser, "Shelling hit Lyman, Donetsk, overnight.") == {"Lyman": "Donetsk"}
    listed = _containers(parser, "Russian troops attacked Ulakly, Kostiantynopil and "
                                 "Bahatyr on Monday.")
    assert listed == {}


def test_a_hyphenated_name_is_an_adjective_not_a_container(parser):
    got = _containers(parser, "Fighting raged near Selydove in the Kyiv-controlled part of "
                              "the region.")
    assert got == {}
    assert found(parser, "Fighting raged near Selydove in the Kyiv-controlled part of the "
                         "region.")["Selydove"].admin1 == "UA-14"


def test_a_place_among_several_of_the_articles_places_beats_one_beside_a_single_pick():
    from geo.gazetteer.index import Place
    from geo.parse.resolve import Resolver

    def place(pid: str, lat: float, lon: float) -> Place:
        return Place(pid, pid, "settlement", lat, lon, 0, "UA", "UA-14")

    towns = {f"t{k}": (place(f"t{k}", 48.0 + k * 0.1, 37.3), {f"town{k}"}) for k in range(4)}
    stray = {"s": (place("s", 46.4, 29.6), {"stray"})}
    anchors = towns | stray
    in_cluster = Resolver._coherence("x", place("a", 48.05, 37.3), anchors)
    by_stray = Resolver._coherence("x", place("b", 46.5, 29.6), anchors)
    far_in_cluster = Resolver._coherence("x", place("c", 48.0, 38.3), anchors)
    assert in_cluster > far_in_cluster > by_stray


def test_the_bank_of_a_river_named_like_a_city_is_the_river_by_the_articles_village(parser):
    got = found(parser, "Ukrainian marines kept a bridgehead by Krynky, across the Dnipro, "
                        "the General Staff said.")
    river, village = got["Dnipro"], got["Krynky"]
    assert river.place_id == "water:dnipro"
    assert geodesic((river.lat, river.lon), (village.lat, village.lon)).km < 10
    assert river.admin1 == "UA-65"
    assert found(parser, "A missile hit an industrial site in Dnipro on Tuesday, killing "
                         "three.")["Dnipro"].kind == "settlement"


def test_a_river_is_placed_by_the_town_named_nearest_it_in_the_text(parser):
    got = found(parser, "Kyiv sent more brigades. Russian troops tried to cross the Oskil "
                        "near Kupiansk on Monday.")
    river = got["Oskil"]
    assert river.place_id == "water:oskil"
    assert geodesic((river.lat, river.lon), (got["Kupiansk"].lat, got["Kupiansk"].lon)).km < 5


def test_along_a_border_is_no_river(parser):
    got = found(parser, "Troops shelled towns along the Syrian-Turkish border on Tuesday.")
    assert "Syrian" not in got


def test_a_regional_title_names_the_oblast_not_the_city(parser):
    got = found(parser, "Kharkiv regional governor Oleh Syniehubov said two people were hurt.")
    assert (got["Kharkiv"].kind, got["Kharkiv"].admin1) == ("admin1", "UA-63")


def test_the_moscow_region_is_the_oblast_and_moscow_the_city(parser):
    got = found(parser, "Drones were shot down over the Moscow Region overnight, the mayor "
                        "of Moscow said.")
    assert (got["Moscow Region"].kind, got["Moscow Region"].admin1) == ("admin1", "RU-MOS")
    assert (got["Moscow"].kind, got["Moscow"].admin1) == ("settlement", "RU-MOW")


def test_a_building_named_like_a_distant_village_is_placed_by_the_article(parser):
    got = found(parser, "Troops dug in behind the Kolos stadium in Toretsk, the brigade said.")
    stadium = got["Kolos stadium"]
    assert stadium.kind == "other" and stadium.admin1 == "UA-14"
    assert geodesic((stadium.lat, stadium.lon), (got["Toretsk"].lat, got["Toretsk"].lon)).km < 1
    town = found(parser, "Russian shelling hit the Kramatorsk station on Friday.")
    assert town["Kramatorsk"].kind == "settlement"  # a town's own station is the town


def test_names_listed_with_a_region_are_regions(parser):
    got = found(parser, "Drones hit airbases in Murmansk, Irkutsk, Ryazan and Amur, the "
                        "ministry said.")
    assert got["Amur"].kind == "admin1"
    for name in ("Murmansk", "Irkutsk", "Ryazan"):
        assert got[name].kind == "admin1", name
    got = found(parser, "Shelling was reported in the Donetsk region, in Sumy and in Kharkiv.")
    assert (got["Sumy"].kind, got["Kharkiv"].kind) == ("admin1", "admin1")


def test_towns_listed_together_stay_towns(parser):
    got = found(parser, "Missiles struck Kharkiv, Dnipro and Zaporizhzhia overnight.")
    assert {t.kind for t in got.values()} == {"settlement"}


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Ukrainian troops entered Kursk in August in a surprise incursion.", "Kursk", "admin1"),
        ("The incursion into Belgorod caught the garrison off guard.", "Belgorod", "admin1"),
        ("A drone hit a building in Kursk, the mayor said.", "Kursk", "settlement"),
        ("Ukrainian troops entered Kherson after the Russian withdrawal.", "Kherson",
         "settlement"),
    ],
)
def test_a_border_region_crossed_into_is_the_region(parser, text, name, kind):
    assert found(parser, text)[name].kind == kind


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Moscow says the last Ukrainian units in Bryansk have been defeated.", "Bryansk",
         "admin1"),
        ("Kyiv denies that its brigades were ousted from Belgorod.", "Belgorod", "admin1"),
        ("Russian marines joined the operations to retake Kursk in the spring.", "Kursk",
         "admin1"),
        ("Officials said fighters had liberated Bryansk territory.", "Bryansk", "admin1"),
        ("Shells fell on Belgorod in the evening, the mayor said.", "Belgorod", "settlement"),
        ("Officials in Kursk opened a new bus station.", "Kursk", "settlement"),
    ],
)
def test_a_border_region_where_ground_forces_stand_is_the_region(parser, text, name, kind):
    assert found(parser, text)[name].kind == kind


def test_a_border_region_named_with_border_before_region_is_the_region(parser):
    assert found(parser, "Drones were downed over the Belgorod border region.")[
        "Belgorod"].kind == "admin1"


def test_an_apposition_says_region_or_town(parser):
    got = found(parser, "Shelling continued in Belgorod, a neighbouring Russian region, "
                        "overnight.")
    assert (got["Belgorod"].kind, got["Belgorod"].admin1) == ("admin1", "RU-BEL")
    assert found(parser, "Drones struck Kursk, a city of 400,000, on Monday.")[
        "Kursk"].kind == "settlement"


def test_the_river_takes_the_article_and_the_city_does_not(parser):
    got = found(parser, "Ukrainian troops dug in on the Dnipro near Krynky, the General Staff "
                        "said.")
    assert got["Dnipro"].place_id == "water:dnipro"
    city = parser.parse("The Dnipro-based company lost a warehouse in a strike on Dnipro.")
    assert {t.kind for t in city.toponyms} == {"settlement"}


@pytest.mark.parametrize(("text", "name", "place", "admin1"), [
    ("Officers from the Coles County Police arrested a man near Charleston on Monday.",
     "Coles County Police", "Coles County", "US-IL"),
    ("Deputies with the Edgar County Sheriff's Department searched the farm.",
     "Edgar County Sheriff's Department", "Edgar County", "US-IL"),
    ("Crime fell across Metro Nashville last year, the mayor said.",
     "Metro Nashville", "Nashville", "US-TN"),
])
def test_an_unknown_name_resolves_to_the_place_it_is_named_for(parser, text, name, place,
                                                                admin1):
    t = found(parser, text)[name]
    assert (t.resolved_name, t.admin1) == (place, admin1)
    assert t.precision in (2, 3)


def test_an_island_state_sits_among_its_islands_not_on_its_largest(gazetteer):
    hawaii = gazetteer.lookup("Hawaii", kind="admin1", limit=1)[0]
    assert geodesic((hawaii.lat, hawaii.lon), (20.75, -156.5)).km < 100  # Maui, mid-chain
    assert geodesic((hawaii.lat, hawaii.lon), (21.49, -158.0)).km > 150  # not Oahu


def test_a_state_abbreviation_tagged_alone_is_the_state(parser):
    got = found(parser, "The storm hit Mass. and Vt. hardest.")
    assert (got["Mass."].kind, got["Mass."].admin1) == ("admin1", "US-MA")
    assert (got["Vt."].kind, got["Vt."].admin1) == ("admin1", "US-VT")
    western = found(parser, "Voters in Western Mass. backed the measure.")["Western Mass."]
    assert (western.kind, western.admin1) == ("admin1", "US-MA")


def test_a_place_the_gazetteer_lacks_lies_about_the_articles_locality(parser):
    got = found(parser, "Firefighters were called to a barn fire in Whisperwood Township near "
                        "Charleston, W.Va., on Sunday.")
    township, town = got["Whisperwood Township"], got["Charleston"]
    assert (township.kind, township.precision, township.admin1) == ("other", 3, "US-WV")
    assert (township.lat, township.lon) == (town.lat, town.lon)
    assert township.place_id is None  # placed by Charleston, not Charleston
    alone = found(parser, "Firefighters were called to a barn fire in Whisperwood Township.")
    assert alone["Whisperwood Township"].lat is None  # nothing in the article locates it


def test_st_petersburg_is_russias_unless_the_article_says_florida(parser):
    assert found(parser, "Flights to St. Petersburg resumed, Moscow said.")[
        "St. Petersburg"].country == "RU"
    assert found(parser, "Traffic from Tampa to St. Petersburg, Fla., slowed.")[
        "St. Petersburg"].admin1 == "US-FL"


def test_a_saints_feast_is_no_place(parser):
    got = found(parser, "Police stepped up patrols on St. Patrick's Day in Boston.")
    assert set(got) == {"Boston"}
    assert "Kharkiv" in found(parser, "Crowds came for Kharkiv's Day of the City.")


def test_a_village_named_bare_takes_the_sense_the_text_places_it_in(parser):
    text = ("Russia claims capture of Novoselivka\n\nRussia's Defence Ministry said on Sunday "
            "that its troops had taken the village of Novoselivka near Pokrovsk.")
    first, second = [t for t in parser.parse(text).toponyms if t.name == "Novoselivka"]
    assert first.place_id == second.place_id
    alone = [t for t in parser.parse("Russia claims capture of Novoselivka").toponyms
             if t.name == "Novoselivka"]
    assert alone[0].place_id != second.place_id  # the largest Novoselivka, without the text


def test_a_town_framed_by_a_state_keeps_its_sense(parser):
    """Two Springfields, each placed: the dateline's is not overruled by the other's."""
    text = ("SPRINGFIELD, Ill. (AP) - A truck driver from Springfield, about 40 miles north "
            "of Branson, was arrested on Friday.")
    got = [t.admin1 for t in parser.parse(text).toponyms if t.name.lower() == "springfield"]
    assert got == ["US-IL", "US-MO"]
