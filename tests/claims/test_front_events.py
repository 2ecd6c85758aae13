"""Encirclement, fighting, control and partial control; "the town"; quoted speakers."""

from __future__ import annotations

from datetime import date

import pytest

from geo.claims.extract import extract_events
from geo.geojson import event_feature
from geo.models import Article, Event

pytestmark = pytest.mark.usefixtures("gazetteer")


def run(parser, text: str, outlet: str = "Frontline Wire") -> list[Event]:
    article = Article(id="t", text=text, published=date(2025, 3, 12), outlet=outlet)
    return extract_events(article, parser)


def one(events: list[Event], type_: str) -> Event:
    [e] = [e for e in events if e.type == type_]
    return e


def where(e: Event) -> list[str]:
    return [t.name for t in e.places]


def test_encirclement_is_its_own_event_and_the_defender_saying_so_confirms(parser):
    e = one(run(parser, "Russian troops have completely surrounded the town of Kurakhove, "
                        "the Ukrainian General Staff said on Monday."), "encirclement")
    assert (e.actor, where(e), e.status) == ("RU", ["Kurakhove"], "confirmed")


def test_fighting_at_a_place_without_a_side_is_the_invaders(parser):
    e = one(run(parser, "Heavy fighting is under way on the outskirts of Siversk, Ukraine's "
                        "military said."), "fighting")
    assert (e.actor, where(e), e.status) == ("RU", ["Siversk"], "claimed")


def test_a_place_held_is_a_control_event_of_the_holder(parser):
    e = one(run(parser, "The village of Yampil remains under Ukrainian control, a "
                        "spokesperson for the brigade said."), "control")
    assert (e.actor, where(e)) == ("UA", ["Yampil"])


def test_a_share_of_a_town_is_an_advance_with_the_share_not_a_capture(parser):
    events = run(parser, "The Institute for the Study of War said Russian forces now "
                         "control about 60 percent of Toretsk.")
    assert not [e for e in events if e.type in ("capture", "control")]
    e = one(events, "advance")
    assert (e.actor, where(e), e.sub_event_type) == ("RU", ["Toretsk"], "Partial control")
    assert e.extra["share"] == "60%" and e.status == "confirmed"  # an assessor says so


def test_fighting_that_goes_on_denies_a_capture_in_effect(parser):
    events = run(parser, "Russia's Defense Ministry said its troops had captured Chasiv Yar. "
                         "Ukrainian officials said fighting continues in the town.")
    capture = one(events, "capture")
    assert capture.status == "disputed"
    assert {(a.stance, a.claimant_side) for a in capture.attestations} == {
        ("asserts", "RU"), ("denies", "UA")}
    assert where(one(events, "fighting")) == ["Chasiv Yar"]  # "the town"
    why = event_feature(capture)["properties"]["status_basis"]
    assert (why["stance"], why["claimant"]) == ("denies", "Ukrainian officials")


def test_the_town_is_the_settlement_named_last(parser):
    events = run(parser, "Russian forces entered Kupiansk on Tuesday. Since then the city "
                         "has been shelled with glide bombs.")
    assert where(one(events, "strike")) == ["Kupiansk"]


def test_a_quotation_takes_the_speaker_named_after_it(parser):
    events = run(parser, "“Our units held on for weeks. The enemy has entered several streets "
                         "of Pokrovsk,” said Viktor Trehubov, a spokesperson for the Khortytsia "
                         "group.")
    e = one(events, "advance")
    assert (e.actor, e.sub_event_type, e.status) == ("RU", "Partial control", "confirmed")
    assert e.attestations[0].claimant_side == "UA" and e.attestations[0].stance == "asserts"


def test_this_was_stated_by_credits_the_sentence_before(parser):
    e = one(run(parser, "Ukrainian forces have withdrawn from positions near Toretsk. This "
                        "was stated by the General Staff of the Armed Forces of Ukraine."),
            "withdrawal")
    assert e.attestations[0].claimant == "Ukrainian General Staff"
    assert (e.actor, e.status) == ("UA", "confirmed")  # a side announcing its own retreat


def test_a_headline_names_its_source_after_a_dash(parser):
    events = run(parser, "Russian troops advance near Kostiantynivka – DeepState\n"
                         "The front moved again this week.", outlet="Frontline Wire")
    e = one(events, "advance")
    assert e.attestations[0].claimant == "DeepState" and e.status == "confirmed"


def test_a_failed_attempt_is_an_attack_the_other_side_repelled(parser):
    events = run(parser, "The enemy unsuccessfully attempted to break through near Siversk, "
                         "Ukraine's General Staff said.")
    e = one(events, "repelled")
    assert (e.actor, where(e), e.sub_event_type) == ("UA", ["Siversk"], "Failed attack")
    assert not [x for x in events if x.type in ("fighting", "advance")]
    planned = run(parser, "Russian forces are trying to break through near Siversk, the "
                          "General Staff said.")
    assert not [x for x in planned if x.type == "repelled"]


def test_a_strike_named_by_a_noun_takes_the_place_of_the_clause_it_hangs_from(parser):
    e = one(run(parser, "In the Mykolaiv region, two men were wounded by debris after a "
                        "Russian drone attack."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Mykolaiv"])
    e = one(run(parser, "A Ukrainian official said Russian jets had flattened Tetkino in the "
                        "Kursk region with glide bomb strikes."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Tetkino"])


def test_a_strike_without_a_named_attacker_belongs_to_the_other_side_of_its_ground(parser):
    e = one(run(parser, "President Zelensky said a missile strike on Sumy had killed nine "
                        "people."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Sumy"])
    e = one(run(parser, "A drone strike on a refinery in Ryazan started a fire, the regional "
                        "governor said."), "strike")
    assert e.actor == "UA"


def test_forces_attacking_a_depot_is_a_strike(parser):
    e = one(run(parser, "Ukrainian forces attacked an ammunition depot near Kursk overnight, "
                        "the General Staff of Ukraine said."), "strike")
    assert (e.actor, e.status) == ("UA", "claimed")


def test_a_capture_verb_parsed_as_an_adjective_keeps_its_place(parser):
    e = one(run(parser, "Russia's Defence Ministry said its troops had fully liberated "
                        "Pyatikhatki, a village in the Zaporozhye region."), "capture")
    assert where(e) == ["Pyatikhatki"]


def test_ground_counted_in_square_kilometres_is_an_advance_not_a_capture(parser):
    events = run(parser, "Kyiv's commander said his troops had taken control of about 700 "
                         "square kilometres of the Bryansk region.")
    assert not [e for e in events if e.type == "capture"]
    assert one(events, "advance").actor == "UA"


def test_holding_lines_to_stop_the_enemy_advancing_is_no_advance(parser):
    events = run(parser, "Our units hold their lines near Kostiantynivka to prevent the "
                         "enemy from advancing further, the brigade said.")
    assert not [e for e in events if e.type == "advance"]


def test_the_town_centre_is_the_town_named_before(parser):
    events = run(parser, "Ukrainian officials said fighting continues in Siversk. Video shows "
                         "Russian soldiers raising a flag in the town centre.")
    e = one(events, "advance")
    assert (e.actor, where(e), e.sub_event_type) == ("RU", ["Siversk"], "Flag raised")


def test_a_town_that_fell_is_a_capture_by_the_side_it_fell_to(parser):
    e = one(run(parser, "Marinka fell to Russian forces after a long siege."), "capture")
    assert (e.actor, where(e)) == ("RU", ["Marinka"])
    assert not [e for e in run(parser, "Prices fell in Kharkiv last month.")
                if e.type == "capture"]


def test_a_bearing_from_a_town_places_the_event_but_is_not_where_it_happened(parser):
    e = one(run(parser, "Russia's ministry said its forces had captured Hrodivka, southeast "
                        "of Pokrovsk."), "capture")
    assert where(e) == ["Hrodivka"]


def test_inching_toward_a_town_is_an_advance(parser):
    e = one(run(parser, "Russian troops have been inching toward Kostiantynivka for "
                        "months."), "advance")
    assert (e.actor, where(e)) == ("RU", ["Kostiantynivka"])


def test_a_local_official_speaks_for_the_state_that_governs_the_place_in_the_title(parser):
    e = one(run(parser, "The mayor of Belgorod said Ukrainian drones struck a market in the "
                        "city."), "strike")
    assert [(a.claimant, a.claimant_side) for a in e.attestations] == [
        ("mayor of Belgorod", "RU")]


def test_a_strike_owned_by_the_attacker_and_told_by_the_struck_side_is_confirmed(parser):
    e = one(run(parser, "Ukraine's General Staff said its drones hit an oil depot in Ryazan. "
                        "The Ryazan regional governor said Ukrainian drones hit an industrial "
                        "site in the city."), "strike")
    assert ({a.claimant_side for a in e.attestations}, e.status) == ({"UA", "RU"}, "confirmed")


def test_as_reported_by_names_the_source(parser):
    e = one(run(parser, "As reported by Ukrinform, heavy fighting continues near Siversk."),
            "fighting")
    assert [(a.stance, a.claimant) for a in e.attestations] == [("asserts", "Ukrinform")]


def test_an_event_retold_without_its_place_joins_the_one_the_article_locates(parser):
    [e] = run(parser, "Russian missiles struck a training ground near Dnipro, Zelensky "
                      "said. The missiles hit the soldiers during a morning lineup, a "
                      "Russian war blogger wrote.")
    assert (e.type, where(e), e.status) == ("strike", ["Dnipro"], "confirmed")


def test_the_noun_a_relative_clause_hangs_from_is_the_place(parser):
    e = one(run(parser, "Marinka, which Russian forces captured in December, lies west of "
                        "Donetsk."), "capture")
    assert (e.actor, where(e)) == ("RU", ["Marinka"])
    events = run(parser, "Ukrainian officials say forces are withdrawing from Toretsk after two "
                         "years of battle. It is the latest town to fall to the Russians.")
    assert (one(events, "capture").actor, where(one(events, "capture"))) == ("RU", ["Toretsk"])


def test_the_subject_word_names_the_actor_before_a_dateline(parser):
    e = one(run(parser, "KYIV - Russia on March 9 bombed a supermarket in the city of "
                        "Kharkiv, killing three people."), "strike")
    assert e.actor == "RU"


def test_the_enemy_in_an_outlets_own_words_is_the_other_side_of_the_outlet(parser):
    e = one(run(parser, "The enemy unsuccessfully attempted to storm positions near Lyman.",
                outlet="Ukrinform"), "repelled")
    assert e.actor == "UA"


def test_a_denial_in_the_clause_beside_the_claim_disputes_it(parser):
    e = one(run(parser, "Russia's defence ministry said on Monday that its troops had captured "
                        "the village of Stupochky, but Kyiv's army command denied it."),
            "capture")
    assert e.status == "disputed"
    assert [a.stance for a in e.attestations] == ["asserts", "denies"]


def test_securing_control_of_a_village_is_a_capture(parser):
    e = one(run(parser, "Kyiv rejected as false a Russian ministry statement saying Moscow's "
                        "units now secured Pyatykhatky completely and secured control of "
                        "it."), "capture")
    assert (e.actor, e.status) == ("RU", "disputed")


def test_its_map_speaks_for_the_project_named_before(parser):
    events = run(parser, "DeepState analysts reported new gains. Its map shows that the "
                         "village of Stupochky is under the control of Ukraine's forces.")
    e = one(events, "control")
    assert (e.actor, [a.claimant for a in e.attestations]) == ("UA", ["DeepState"])


def test_a_source_named_once_speaks_for_the_rest_of_its_paragraph(parser):
    events = run(parser, "As reported by Ukrinform, heavy fighting continues near Siversk. The "
                         "enemy unsuccessfully attempted to storm positions near Lyman.\n"
                         "Russian drones hit Kharkiv overnight.", outlet="Ukrinform")
    assert [a.claimant for a in one(events, "repelled").attestations] == ["Ukrinform"]
    assert one(events, "repelled").status == "claimed"
    assert [a.stance for a in one(events, "strike").attestations] == ["reports"]


@pytest.mark.parametrize("text", [
    "To avoid encirclement, the units were withdrawn from Vremivka.",
    "The threat of encirclement near Kurakhove is growing, the brigade said.",
    "Their goal is to capture the whole of Donetsk Oblast.",
    "Moscow's aim to capture Kupiansk before winter has failed so far.",
])
def test_dangers_averted_and_aims_are_no_events(parser, text):
    assert not [e for e in run(parser, text) if e.type in ("encirclement", "capture")]


def test_a_place_in_a_relative_clause_describes_the_event_place(parser):
    e = one(run(parser, "Russia's ministry said its forces captured the town of Selydove, "
                        "which lies close to the hub of Pokrovsk."), "capture")
    assert where(e) == ["Selydove"]
    e = one(run(parser, "Ukrainian troops advanced north of Tetkino in the Kursk region."),
            "advance")
    assert where(e)[0] == "Tetkino"  # a bearing, but no town closer: not the oblast instead


@pytest.mark.parametrize("text", [
    "Russian troops focus their efforts at Pokrovsk to capture the rest of the region.",
    "If confirmed, this would make Toretsk the first town to fall this year.",
    "Kostiantynivka lies 20 kilometres north of Russian-occupied Horlivka.",
])
def test_purposes_conditions_and_standing_occupation_are_no_captures(parser, text):
    assert not [e for e in run(parser, text) if e.type == "capture"]


def test_the_town_is_the_one_the_story_is_about_not_the_last_one_named(parser):
    events = run(parser, "Russia's ministry said its troops had captured the town of Selydove, "
                         "which lies near Pokrovsk. Kyiv denied that Russia had taken the "
                         "town.")
    e = one(events, "capture")
    assert (where(e), e.status) == (["Selydove"], "disputed")


def test_attempts_prevented_and_drones_downed_are_repelled(parser):
    e = one(run(parser, "Russia's Defence Ministry said its forces prevented Ukrainian attempts "
                        "to break through near Tetkino."), "repelled")
    assert (e.actor, where(e)) == ("RU", ["Tetkino"])
    e = one(run(parser, "Russia's Defense Ministry said 14 Ukrainian drones were downed over "
                        "Bryansk Oblast."), "repelled")
    assert e.actor == "RU"


def test_destroying_a_command_post_is_a_strike(parser):
    e = one(run(parser, "Ukrainian troops destroyed a command post near the village of "
                        "Tetkino, Ukraine's General Staff said."), "strike")
    assert (e.actor, where(e)) == ("UA", ["Tetkino"])


def test_launching_an_offensive_into_a_region_is_an_advance(parser):
    e = one(run(parser, "In March Moscow's army mounted a new offensive in the Chernihiv "
                        "region."), "advance")
    assert e.actor == "RU"


def test_a_withdrawal_announced_as_a_noun(parser):
    e = one(run(parser, "Kyiv announced its withdrawal from the city of Avdiivka on "
                        "Saturday."), "withdrawal")
    assert (e.actor, where(e), e.status) == ("UA", ["Avdiivka"], "confirmed")


def test_a_town_attacked_from_several_directions_is_fighting_there(parser):
    e = one(run(parser, "A brigade officer said Toretsk had been attacked from three sides all "
                        "week."), "fighting")
    assert where(e) == ["Toretsk"]


def test_a_flag_raised_and_the_ground_held_are_two_reports(parser):
    events = run(parser, "Russian bloggers said troops had raised a flag in the centre of "
                         "Toretsk. DeepState said Russian forces had taken control of most of "
                         "Toretsk.")
    subs = sorted(e.sub_event_type for e in events if e.type == "advance")
    assert subs == ["Flag raised", "Partial control"]


def test_a_town_shown_almost_wholly_in_enemy_hands_is_partial_control(parser):
    e = one(run(parser, "DeepState's map shows Toretsk almost entirely in Russian hands."),
            "advance")
    assert (e.actor, e.sub_event_type, e.status) == ("RU", "Partial control", "confirmed")


def test_the_liberation_of_a_town_is_the_speakers_side_or_the_outlets(parser):
    e = one(run(parser, "Celebrations followed word of the liberation of Tetkino, a border "
                        "village that the Ukrainians had held for weeks.",
                outlet="TASS"), "capture")
    assert e.actor == "RU"


def test_attacks_repelled_on_a_sides_own_ground_are_that_sides(parser):
    events = run(parser, "Russia's defence ministry said Ukraine launched drones at airfields. "
                         "According to the defence ministry, a raid by Ukrainian drones on the "
                         "air base near Ryazan was repelled.")
    e = one(events, "repelled")
    assert (e.actor, [a.claimant for a in e.attestations]) == (
        "RU", ["Russian Ministry of Defense"])


def test_a_town_said_not_to_be_under_a_sides_control_denies_its_capture(parser):
    e = one(run(parser, "Tetkino remains not under the control of Ukrainian units, whatever "
                        "bloggers write, the local head told TASS.", outlet="TASS"),
            "capture")
    assert (e.actor, e.status, [a.stance for a in e.attestations]) == (
        "UA", "disputed", ["denies"])


def test_both_villages_are_the_two_named_before_and_fighting_there_disputes_a_capture(parser):
    events = run(parser, "The Sumy governor said fighting was continuing around Volodymyrivka "
                         "and Bilovody. Russia's Defense Ministry said both villages were now "
                         "under Russian control. He said residents had been moved to safety.")
    taken = one(events, "capture")  # "now under Russian control": taken, says Moscow
    assert sorted(where(taken)) == ["Bilovody", "Volodymyrivka"]
    assert (taken.actor, taken.status) == ("RU", "disputed")
    assert not [e for e in events if e.type == "advance"]


def test_fighting_read_as_a_gerund_subject_still_takes_its_place(parser):
    e = one(run(parser, "Ukrainian officials said fighting continued in Siversk."),
            "fighting")
    assert where(e) == ["Siversk"]


def test_a_town_under_attack_from_artillery_is_struck_there(parser):
    e = one(run(parser, "Toretsk is under constant attacks from artillery, rockets and "
                        "drones."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Toretsk"])
    e = one(run(parser, "Kupiansk came under heavy shelling overnight, the governor said."),
            "strike")
    assert where(e) == ["Kupiansk"]


def test_focusing_efforts_on_a_town_is_fighting_there(parser):
    e = one(run(parser, "Since spring Moscow's troops have concentrated their efforts on "
                        "Chasiv Yar."), "fighting")
    assert (e.actor, where(e)) == ("RU", ["Chasiv Yar"])


def test_penetrating_into_a_region_is_an_advance(parser):
    e = one(run(parser, "Russian units have penetrated into the Kharkiv region at two "
                        "points."), "advance")
    assert e.actor == "RU"


def test_liberating_all_the_villages_near_a_town_is_an_advance_there(parser):
    events = run(parser, "Moscow says its units are liberating all the villages next to "
                         "Tetkino.")
    assert not [e for e in events if e.type == "capture"]
    assert where(one(events, "advance")) == ["Tetkino"]


def test_an_enemy_strike_in_a_sides_words_is_the_other_sides(parser):
    e = one(run(parser, "The number of victims of an enemy strike on a hypermarket in "
                        "Kharkiv is growing, Syniehubov said."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Kharkiv"])


def test_a_relative_clause_lends_its_noun_to_a_strike_inside_it(parser):
    events = run(parser, "Syrsky said combat went on near Tetkino's school, which he believed "
                         "had been ruined by Russian airstrikes.")
    e = one(events, "strike")
    assert (e.actor, where(e), e.attestations[0].claimant_side) == ("RU", ["Tetkino"], "UA")


def test_the_general_staff_is_the_body_named_before_not_a_general_titled_by_it(parser):
    events = run(parser, "The General Staff of Ukraine's Armed Forces denied Moscow's account "
                         "of the fighting. Gerasimov said Russian forces had liberated the "
                         "Bryansk region. Later the General Staff rejected Moscow's claims as "
                         "false.")
    e = one(events, "capture")
    assert e.status == "disputed"
    assert [(a.stance, a.claimant_side) for a in e.attestations] == [
        ("asserts", "RU"), ("denies", "UA")]


def test_ground_gained_takes_the_region_the_sentence_names(parser):
    e = one(run(parser, "Syrskyi said his brigades keep pressing in the Bryansk region and "
                        "that his troops have taken control of roughly 400 square "
                        "kilometres."), "advance")
    assert (e.actor, e.geometry_kind) == ("UA", "admin1")


def test_attacks_on_airfields_that_were_repelled_are_one_repelled_event_each(parser):
    events = run(parser, "Every one of Kyiv's attacks on airfields in the Tver and Ryazan "
                         "regions was repelled overnight, Russia's Ministry of Defense said.")
    assert sorted((e.type, e.actor, where(e)[0]) for e in events) == [
        ("repelled", "RU", "Ryazan"), ("repelled", "RU", "Tver")]


def test_cities_attacked_at_once_are_struck(parser):
    events = run(parser, "Overnight Russia attacked the cities of Odesa, Dnipro and the "
                         "capital Kyiv.")
    assert {e.type for e in events} == {"strike"}


def test_a_foothold_prevents_nothing(parser):
    events = run(parser, "Myrnohrad served as a stronghold to prevent Russia's advance toward "
                         "Pavlohrad.")
    assert not [e for e in events if e.places]


def test_a_battlegroup_is_russian(parser):
    e = one(run(parser, "Units of Battlegroup Dnepr have liberated the settlement of "
                        "Pyatykhatky, the ministry said."), "capture")
    assert e.actor == "RU"


def test_control_regained_over_a_town_is_a_capture(parser):
    e = one(run(parser, "On Friday Moscow announced that its paratroopers regained control "
                        "over Zhuravka, a village of the Sumy region.", "TASS"), "capture")
    assert (e.actor, where(e), e.status) == ("RU", ["Zhuravka"], "claimed")


def test_settlements_named_in_a_list_are_captured_not_counted(parser):
    events = run(parser, '"Troops of the West group liberated the settlements of '
                         'Oleksandrivka, Sopych and Zhuravka," the ministry said.', "TASS")
    assert not [e for e in events if e.type == "advance"]
    assert {p for e in events if e.type == "capture" for p in where(e)} == {
        "Oleksandrivka", "Sopych", "Zhuravka"}


def test_the_villages_listed_after_a_dash_are_the_ones_counted(parser):
    events = run(parser, "The regional governor named three villages he said were now "
                         "occupied by Russian troops – Kozacha Lopan, Strilecha and "
                         "Vovchansk.")
    captures = [e for e in events if e.type == "capture"]
    assert {p for e in captures for p in where(e)} == {"Kozacha Lopan", "Strilecha",
                                                        "Vovchansk"}
    assert {e.actor for e in captures} == {"RU"}


def test_an_admission_beside_a_rejection_is_not_denied(parser):
    events = run(parser, "Kostiantynivka's garrison called the report untrue but conceded "
                         "that enemy infantry kept assaulting the outskirts.")
    e = one(events, "fighting")
    assert (e.actor, where(e)) == ("RU", ["Kostiantynivka"])
    assert [a.stance for a in e.attestations] == ["asserts"]


def test_on_the_verge_of_taking_a_place_is_not_an_event(parser):
    assert not run(parser, "Putin said his troops were on the verge of fully liberating "
                           "the Kursk region.", "TASS")


def test_ground_counted_in_a_city_named_for_its_region_is_the_region(parser):
    e = one(run(parser, "The commander said his troops were still attacking in Belgorod and "
                        "had taken control of about 300 square kilometres, seizing 20 "
                        "villages."), "advance")
    assert (e.admin1, e.geometry_kind, e.places[0].kind) == ("RU-BEL", "admin1", "admin1")


def test_losses_inflicted_near_places_are_strikes_there_not_advances(parser):
    events = run(parser, '"Units of the Centre group have fully liberated the village of '
                         'Novoselydivka and inflicted losses on the manpower of two Ukrainian '
                         'brigades in the areas of Kurakhove and Ukrainsk," the ministry '
                         'said.', "TASS")
    assert [where(e) for e in events if e.type == "capture"] == [["Novoselydivka"]]
    assert not [e for e in events if e.type == "advance"]
    assert {p for e in events if e.type == "strike" for p in where(e)} == {"Kurakhove",
                                                                           "Ukrainsk"}


def test_trying_to_retake_a_place_is_fighting_there_and_it_is_the_place(parser):
    events = run(parser, "Ukrainian troops took Klishchiivka last September. Since then, "
                         "the Russian army has been trying to recapture it.")
    e = one(events, "fighting")
    assert (e.actor, where(e), e.sub_event_type) == ("RU", ["Klishchiivka"], "Attacks")
    assert not run(parser, "Russia plans to capture Kramatorsk next year.")


def test_positions_of_one_side_destroyed_were_struck_by_the_other(parser):
    e = one(run(parser, "The brigade's spokesman admitted that most Ukrainian positions in "
                        "the village of Krynky had been destroyed by intense enemy fire."),
            "strike")
    assert (e.actor, where(e)) == ("RU", ["Krynky"])


def test_a_concession_is_told_as_known_by_whoever_took_the_ground(parser):
    events = run(parser, "Russian troops gained ground in October at their quickest pace in "
                         "a year, according to open-source maps, despite Ukraine taking a part "
                         "of the Belgorod region.")
    e = one(events, "advance")
    assert (e.actor, e.admin1, e.status) == ("UA", "RU-BEL", "reported")
    assert "Ukraine" not in where(e)


def test_where_a_relative_clause_says_where_names_the_place(parser):
    e = one(run(parser, "The Sumy region borders Russia's Bryansk region, where Ukrainian "
                        "forces launched a brief cross-border incursion last March."), "advance")
    assert (e.actor, e.admin1, e.status) == ("UA", "RU-BRY", "reported")


def test_aircraft_destroyed_at_an_air_base_were_struck_there(parser):
    e = one(run(parser, "At least three Tu-22M3s were destroyed at Engels air base, a "
                        "Ukrainian intelligence source told reporters."), "strike")
    assert (e.actor, where(e)) == ("UA", ["Engels"])


def test_trying_to_break_through_is_an_attack_but_prevented_attempts_were_repelled(parser):
    e = one(run(parser, "On Monday the governor said that Russian sabotage groups were "
                        "trying to break through to Kupiansk."), "fighting")
    assert (e.actor, where(e)) == ("RU", ["Kupiansk"])
    events = run(parser, "The ministry said its troops had prevented the Ukrainian forces' "
                         "attempts to break through near Tetkino.", "TASS")
    assert [e.type for e in events] == ["repelled"]


def test_the_airbase_is_the_air_base_named_before(parser):
    events = run(parser, "The drones targeted a fuel plant next to the Engels-2 airbase, the "
                         "military said.\nKyiv's drones have hit the airbase itself before, "
                         "in raids targeting the airbase.")
    strikes = [e for e in events if e.type == "strike"]
    assert strikes and all(where(e) == ["Engels-2"] for e in strikes)


def test_defenders_remaining_at_their_positions_hold_the_place(parser):
    e = one(run(parser, "Ukrainian marines stay at their positions near Krynky, the "
                        "brigade's press officer said."), "control")
    assert (e.actor, where(e)[0]) == ("UA", "Krynky")


def test_a_shop_attacked_with_bombs_is_struck_by_the_attacker(parser):
    e = one(run(parser, "The Russian army attacked a shopping centre in Sumy with three "
                        "guided bombs, regional governor Ivan Petrenko said."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Sumy"])


def test_a_city_that_comes_under_attack_is_the_target_not_the_attacker(parser):
    e = one(run(parser, "The city of Sumy, Ukraine's border capital, regularly comes under "
                        "attack from the air, with strikes on the city killing four people "
                        "on June 3."), "strike")
    assert (e.actor, where(e)) == ("RU", ["Sumy"])


def test_a_local_official_tells_of_a_strike_where_they_govern(parser):
    e = one(run(parser, 'Sumy regional governor Ivan Petrenko said that two people were '
                        'killed when "two Russian glide bombs hit a supermarket".'), "strike")
    assert (e.actor, e.admin1) == ("RU", "UA-59")


def test_an_event_word_without_a_place_beside_a_placed_one_is_that_event(parser):
    events = run(parser, "Overnight Kyiv's army attacked a fuel depot in Engels, its General "
                         "Staff said, after local channels spoke of drone attacks.")
    assert [(e.type, where(e)) for e in events] == [("strike", ["Engels"])]


def test_the_operation_told_again_is_the_strike_told_before(parser):
    events = run(parser, "Ukrainian drones attacked an oil depot in Engels overnight, the "
                         "General Staff said.\nThe operation targeted a plant that supplies "
                         "fuel to the Engels-2 airbase, the military said.")
    [e] = [e for e in events if e.type == "strike"]
    assert where(e) == ["Engels"] and len(e.attestations) == 2


def test_the_date_of_a_report_dates_what_it_says(parser):
    e = one(run(parser, "In its report from 10 March, the ISW said that Russian forces had "
                        "captured 60 percent of Toretsk."), "advance")
    assert (e.date, e.status) == (date(2025, 3, 10), "confirmed")


def test_the_defender_placing_the_flag_elsewhere_confirms_it_was_raised(parser):
    events = run(parser, "Z-channels on Telegram wrote that a Russian flag was hoisted over "
                         "the main square of Toretsk.\nThe Ukrainian spokesman Viktor Trehubov "
                         'said: "The Russians put a flag up on a shed near the bus depot."')
    [e] = [e for e in events if e.sub_event_type == "Flag raised"]
    assert (where(e), e.status, len(e.attestations)) == (["Toretsk"], "confirmed", 2)


def test_acknowledging_while_dismissing_asserts_what_is_acknowledged(parser):
    e = one(run(parser, "Kostiantynivka's defenders brushed the report aside, all the while "
                        "conceding that the enemy kept assaulting residential areas."),
            "fighting")
    assert (e.actor, where(e), [a.stance for a in e.attestations]) == (
        "RU", ["Kostiantynivka"], ["asserts"])


def test_forces_still_present_in_the_region_hold_the_region_named_before(parser):
    events = run(parser, "The Kremlin insists the Belgorod region is clear of Ukrainian "
                         "units; Kyiv says its brigades remain present in the oblast.")
    e = one(events, "control")
    assert (e.actor, e.admin1) == ("UA", "RU-BEL")


def test_what_caught_fire_because_of_drones_was_struck_there(parser):
    e = one(run(parser, "The governor said two fuel tanks caught fire in the Bryansk region "
                        "due to drones overnight."), "strike")
    assert (e.actor, where(e), e.sub_event_type) == ("UA", ["Bryansk"], "Air/drone strike")
    assert not run(parser, "A barn caught fire near Sumy after a short circuit, firefighters "
                           "said.")
    [strike] = [e for e in run(parser, "Hangars caught fire at the Engels airbase after a "
                                       "drone attack, the governor said.")
                if e.type == "strike"]
    assert where(strike) == ["Engels airbase"]  # the attack is the event, told once


def test_targets_struck_are_where_the_article_says_they_lie(parser):
    """The raid is told again ("the raid" names no place of its own); the bases it hit are
    where they lie, one strike per region."""
    for text in ("The bases hit in the raid lie in the Murmansk and Irkutsk regions.",
                 "The depots targeted in the night raid are located in the Belgorod and "
                 "Voronezh regions, the ministry in Moscow said."):
        events = run(parser, text)
        assert len({where(e)[0] for e in events if e.type == "strike"}) == 2
        assert all(len(where(e)) == 1 for e in events)
        assert {e.actor for e in events} == {"UA"}
    assert not [e for e in run(parser, "The depots are located in the Belgorod region, "
                                       "officials said.") if e.type == "strike"]


def test_a_push_told_beside_a_town_in_trouble_is_at_that_town(parser):
    """The push names no place; the clause it explains is about one town of the ground the
    pushing side attacks, and that is where it is drawn."""
    events = run(parser, "Myrnohrad has been shelled for days. Volunteers spoke of a grim "
                         "mood in the town as Russian troops kept pushing forward.")
    e = one(events, "advance")
    assert (e.actor, where(e)) == ("RU", ["Myrnohrad"])
    e = one(run(parser, "Diplomats gathered in Geneva as Russian troops pushed forward."),
            "advance")
    assert where(e) == []
    assert not [e for e in run(parser, "Kyiv pushed forward with its plan to rebuild "
                                       "Kharkiv.") if e.type == "advance"]


def test_the_enemys_retreat_told_by_one_side_is_that_sides_capture_claim(parser):
    events = run(parser, "Russia's Defence Ministry said on Tuesday that Ukrainian units had "
                         "retreated from Kupiansk after days of street battles.")
    assert not [e for e in events if e.type == "withdrawal"]
    e = one(events, "capture")
    assert (e.actor, where(e), e.status) == ("RU", ["Kupiansk"], "claimed")


def test_a_retreat_told_by_the_side_that_left_stays_a_withdrawal(parser):
    events = run(parser, "Ukraine's army said on Tuesday that its units had retreated from "
                         "Kupiansk to save the soldiers' lives.")
    assert not [e for e in events if e.type == "capture"]
    e = one(events, "withdrawal")
    assert (e.actor, where(e)) == ("UA", ["Kupiansk"])


def test_coming_close_to_taking_a_town_is_not_taking_it(parser):
    events = run(parser, "Russian troops came close to capturing Pokrovsk, Ukraine's army said.")
    assert not [e for e in events if e.type == "capture"]


def test_the_enemy_falling_back_toward_a_town_or_near_it_claims_no_town(parser):
    for text in ("Russia's Defence Ministry said Ukrainian units had retreated toward "
                 "Kostiantynivka.",
                 "Russia's Defence Ministry said Ukrainian units had retreated from positions "
                 "near Toretsk."):
        events = run(parser, text)
        assert not [e for e in events if e.type == "capture"], text
        assert one(events, "withdrawal").actor == "UA"


def test_a_place_retaken_after_months_under_enemy_control_was_taken_that_long_before(parser):
    events = run(parser, "Russia's Defence Ministry said on Wednesday that its troops had "
                         "regained control of the village of Tetkino after five months under "
                         "Ukrainian control.")
    [earlier] = [e for e in events if e.type == "capture" and e.actor == "UA"]
    [retaken] = [e for e in events if e.type == "capture" and e.actor == "RU"]
    assert where(earlier) == where(retaken) == ["Tetkino"]
    assert (earlier.date, earlier.date_precision) == (date(2024, 10, 1), "month")
    assert earlier.status == "confirmed"  # the side that lost it says the other held it


def test_months_of_occupation_date_the_occupier_s_capture(parser):
    events = run(parser, "Ukrainian forces liberated Kupiansk on 10 September 2022 after "
                         "seven months of Russian occupation, the General Staff said.")
    [earlier] = [e for e in events if e.type == "capture" and e.actor == "RU"]
    assert (where(earlier), earlier.date) == (["Kupiansk"], date(2022, 2, 1))


def test_a_capture_with_no_span_held_tells_no_earlier_capture(parser):
    for text in ("Russia's Defence Ministry said its troops had captured Tetkino after five "
                 "days of fighting.",
                 "Ukraine said it retook Kupiansk after seven months."):
        events = run(parser, text)
        assert len({e.actor for e in events if e.type == "capture"}) == 1, text


def test_a_sides_operation_going_on_at_a_place_is_a_position_held(parser):
    for text in ("Ukraine's army said its operation in parts of the Bryansk region continues "
                 "despite the frost.",
                 "Kyiv says its operations in the Bryansk region are ongoing.",
                 "Ukrainian commanders insist on continued combat operations in the Bryansk "
                 "region."):
        e = one(run(parser, text), "control")
        assert (e.actor, where(e), e.sub_event_type) == ("UA", ["Bryansk"], "Positions held"), \
            text


def test_rescue_operations_and_the_war_itself_are_not_positions(parser):
    for text in ("Rescue operations continue in Kharkiv after the strike.",
                 "The special military operation in Donbas continues, Putin said.",
                 "Ukraine's operation in the Bryansk region does not continue, Moscow said."):
        assert not [e for e in run(parser, text) if e.type == "control"], text


def test_operations_said_to_go_on_answer_a_claim_that_the_region_was_cleared(parser):
    events = run(parser, "Moscow claims to have driven Ukrainian troops out of the Bryansk "
                         "region. Kyiv insists on continued combat operations in the region.")
    assert one(events, "capture").status == "disputed"


def test_a_capture_said_to_be_near_or_days_away_has_not_happened(parser):
    for text in ("An adviser to the Russian-installed governor said the capture of Toretsk "
                 "was near.",
                 "The fall of Pokrovsk is imminent, a Russian blogger wrote.",
                 "Only days remained until the liberation of Toretsk, the adviser said."):
        assert not [e for e in run(parser, text) if e.type == "capture"], text


def test_a_capture_not_yet_confirmed_is_only_referred_to(parser):
    for text in ("Ukraine's General Staff has not confirmed the capture of Toretsk.",
                 "Kyiv has yet to confirm the capture of Toretsk.",
                 "Kyiv declined to confirm the capture of Toretsk."):
        assert not [e for e in run(parser, text) if e.type == "capture"], text


def test_drones_destroyed_by_air_defences_or_over_a_place_were_repelled(parser):
    for text in ("Russia's Defence Ministry said its air defences destroyed 45 Ukrainian "
                 "drones over the Bryansk region overnight.",
                 "Air defence systems destroyed 12 drones over the Bryansk region, the "
                 "Russian Defence Ministry said."):
        e = one(run(parser, text), "repelled")
        assert (e.actor, where(e)) == ("RU", ["Bryansk"]), text


def test_aircraft_destroyed_on_the_ground_were_struck(parser):
    events = run(parser, "Ukrainian drones destroyed two Russian aircraft at the Engels air "
                         "base, the SBU said.")
    assert not [e for e in events if e.type == "repelled"]
    assert one(events, "strike").actor == "UA"


def test_fighting_in_a_town_the_article_says_one_side_took_is_that_sides_assault(parser):
    events = run(parser, "Russia's Defence Ministry said on Tuesday that its troops had retaken "
                         "Tetkino. On Monday, heavy fighting was reported in Tetkino.")
    assert one(events, "fighting").actor == "RU"  # Russian ground, yet Russia's assault


def test_fighting_in_a_town_taken_and_retaken_is_the_side_whose_taking_is_nearest(parser):
    events = run(parser, "Moscow said on Tuesday its forces had regained control of Tetkino "
                         "after six months under Ukrainian control. Heavy fighting was "
                         "reported in Tetkino on Monday.")
    assert one(events, "fighting").actor == "RU"


def test_troops_massing_near_a_place_are_a_build_up_that_their_enemy_does_not_confirm(parser):
    for text in ("Zelensky said Russian soldiers were amassing near the border with the "
                 "Kharkiv region.",
                 "Russia is massing troops near Kupiansk, Ukraine's army said."):
        e = one(run(parser, text), "control")
        assert (e.actor, e.sub_event_type, e.status) == ("RU", "Troop build-up", "claimed"), \
            text


def test_people_gathering_are_no_build_up(parser):
    assert not run(parser, "Protesters gathered in Kharkiv on Sunday.")


def test_a_foothold_seized_near_a_town_is_an_advance_not_the_town_taken(parser):
    for text in ("Russia's Defence Ministry said its forces had seized a foothold on the west "
                 "bank of the Oskil River near Kupiansk.",
                 "Ukrainian marines established a bridgehead across the Dnipro near Krynky, "
                 "the navy said."):
        events = run(parser, text)
        assert not [e for e in events if e.type == "capture"], text
        assert one(events, "advance").places, text


def test_positions_captured_near_a_town_are_an_advance_there(parser):
    events = run(parser, "Russian troops captured Ukrainian positions near Toretsk, Russia's "
                         "Defence Ministry said.")
    assert not [e for e in events if e.type == "capture"]
    assert where(one(events, "advance")) == ["Toretsk"]


def test_the_weapon_struck_with_names_the_strike(parser):
    e = one(run(parser, "Russia hit Kharkiv with glide bombs on Saturday, the governor said."),
            "strike")
    assert e.sub_event_type == "Air/drone strike"


def test_a_place_that_came_under_a_sides_control_changed_hands(parser):
    events = run(parser, "Russian troops attacked near Pokrovsk. The village of Kalynove came "
                         "under Russian control on Monday, DeepState said.")
    e = one(events, "capture")
    assert (e.actor, where(e), e.status) == ("RU", ["Kalynove"], "confirmed")
    denied = one(run(parser, "Russian troops attacked near Pokrovsk. Kalynove has not come "
                             "under Russian control, a Ukrainian brigade said."), "capture")
    assert denied.status == "disputed"


@pytest.mark.parametrize(("text", "type_", "actor", "places", "status"), [
    # the claimant of "claims to have driven them out" did it
    ("Russia claims to have driven Ukrainian troops out of the Bryansk region.",
     "capture", "RU", ["Bryansk"], "claimed"),
    # an encirclement given as a reason is where the clause it explains is
    ("A Russian-installed adviser said only a few days remained until the liberation of "
     "Toretsk, as the enemy was surrounded.", "encirclement", "RU", ["Toretsk"], "claimed"),
    # a concentration of troops with no side named is the teller's enemy's
    ("Zelensky said Ukraine had spotted a large concentration of troops close to the "
     "Kharkiv region.", "control", "RU", ["Kharkiv"], "claimed"),
    # troops forced to retreat are the side that left, and saying so confirms it
    ("Ukrainian forces have been forced to retreat from Kurakhove, Ukraine's General Staff "
     "reported.", "withdrawal", "UA", ["Kurakhove"], "confirmed"),
    # the losing side confirming a capture tells it
    ("Ukraine's General Staff confirmed the capture of Toretsk on Monday.",
     "capture", "RU", ["Toretsk"], "confirmed"),
    # driving the enemy out of a town is a capture, and the side driven out denying it
    # disputes it
    ("Russia's Defence Ministry said on Monday that its forces had expelled Ukrainian units "
     "from Kupiansk. Kyiv insisted that its troops had not been ousted from Kupiansk.",
     "capture", "RU", ["Kupiansk"], "disputed"),
    # troops driven out of a village lost it to the other side
    ("Ukrainian troops were driven out of Pishchane, the Russian Defence Ministry said.",
     "capture", "RU", ["Pishchane"], "claimed"),
    # fighting with no side named and no capture told is the invader's
    ("Heavy fighting was reported in Tetkino on Monday.", "fighting", "UA", ["Tetkino"],
     "reported"),
])
def test_who_where_and_how_sure_from_one_sentence(parser, text, type_, actor, places, status):
    e = one(run(parser, text), type_)
    assert (e.actor, where(e), e.status) == (actor, places, status)


def test_claims_of_a_capture_called_premature_or_false_are_denied(parser):
    events = run(parser, "Russia said its forces had captured Yunakivka. ISW analysts said "
                         "claims of the capture of Yunakivka were premature.")
    assert one(events, "capture").status == "disputed"
    e = one(run(parser, "Reports of the fall of Toretsk are false, Ukraine's army said."),
            "capture")
    assert (e.actor, e.status) == ("RU", "disputed")


def test_the_region_after_a_town_struck_elsewhere_is_that_towns_region(parser):
    events = run(parser, "Russian troops have been massing in the Kursk region for weeks. "
                         "Russian drones struck the city of Sumy overnight, the governor said. "
                         "Air defences destroyed 30 drones over the region, the air force "
                         "said.")
    assert where(one(events, "repelled")) == ["Sumy"]
    assert one(events, "repelled").places[0].kind == "admin1"


def test_a_hit_told_as_an_elaboration_is_the_strike_it_elaborates(parser):
    events = run(parser, "Russian forces struck Dnipro with Iskander missiles on 13 May, "
                         "hitting a residential building, Dnipropetrovsk Oblast Governor "
                         "Serhii Lysak reported.")
    assert [where(e) for e in events if e.type == "strike"] == [["Dnipro"]]


def test_a_short_scare_quote_does_not_shift_the_quotations_after_it(parser):
    text = ("Kyiv said it had \"destroyed\" a depot near Kursk.\n\n"
            "\"We have seen Russian troops massing close to the Kharkiv region. They plan "
            "to attack,\" Zelensky said.")
    e = one(run(parser, text), "control")
    assert (e.status, e.attestations[0].claimant) == ("claimed", "Volodymyr Zelensky")


def test_a_digest_source_line_speaks_for_its_details_lines(parser):
    text = ("Russia says drones attacked airfields in three regions\n"
            "Source: Russia's Defence Ministry on Telegram\n"
            "Details: Ukrainian drones attacked airfields in the Ryazan and Ivanovo regions.\n"
            "Background: Ukraine has struck Russian airfields before.")
    struck = {e.places[0].name: e for e in run(parser, text)
              if e.type == "strike" and e.places and e.places[0].kind != "country"}
    assert set(struck) == {"Ryazan", "Ivanovo"}  # never "Background"
    for e in struck.values():
        assert e.attestations[0].claimant == "Russian Ministry of Defense"
        assert e.status == "confirmed"  # the side struck telling of its airfields
