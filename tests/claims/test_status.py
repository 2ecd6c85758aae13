from __future__ import annotations

import csv
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.claims.affiliations import DATA, SIDES, affiliation_of
from geo.claims.status import decide, derive_status
from geo.models import STATUSES, Attestation


def said(stance: str, side: str | None, claimant: str | None = "someone", n: int = 0):
    return Attestation(article_id=f"a{n}", stance=stance, quote="…", start=n, end=n + 1,
                       claimant=claimant, claimant_side=side)


RU_CLAIM = said("asserts", "RU", "Russian Ministry of Defense", 1)
UA_DENIAL = said("denies", "UA", "Ukrainian General Staff", 2)
UA_ADMISSION = said("asserts", "UA", "Ukrainian General Staff", 3)
ISW = said("asserts", "independent", "Institute for the Study of War", 4)
AP_OWN_VOICE = said("reports", "independent", None, 5)
TASS_OWN_VOICE = said("reports", "RU", None, 6)
UNKNOWN_OUTLET = said("reports", None, None, 7)
UA_SILENT = said("no_response", "UA", "Ukraine", 8)
LOCAL_OFFICIAL = said("asserts", None, "a local official", 9)
REUTERS_SOURCE = said("asserts", "independent", "Reuters", 10)
RU_ADMISSION = said("asserts", "RU", "Russian Ministry of Defense", 11)
UA_CLAIM = said("asserts", "UA", "Ukrainian General Staff", 12)
FOOTAGE = said("asserts", "independent", "geolocated footage", 13)


@pytest.mark.parametrize(("attestations", "status"), [
    ([UNKNOWN_OUTLET], "reported"),
    ([AP_OWN_VOICE, UNKNOWN_OUTLET], "reported"),
    ([TASS_OWN_VOICE], "reported"),  # an outlet's own voice asserts nothing, whatever its side
    ([RU_CLAIM], "claimed"),
    ([RU_CLAIM, UA_SILENT], "claimed"),
    ([RU_CLAIM, AP_OWN_VOICE], "claimed"),  # an outlet restating a claim corroborates nothing
    ([LOCAL_OFFICIAL], "claimed"),
    ([LOCAL_OFFICIAL, RU_CLAIM], "claimed"),
    ([REUTERS_SOURCE], "claimed"),  # a newsroom quoted as a source is not an assessment
    ([RU_CLAIM, UA_DENIAL], "disputed"),
    ([UA_DENIAL], "disputed"),
    ([RU_CLAIM, UA_DENIAL, UA_SILENT, AP_OWN_VOICE], "disputed"),
    ([RU_CLAIM, UA_ADMISSION], "confirmed"),
    ([UA_ADMISSION], "confirmed"),  # the side that loses by a Russian capture concedes it
    ([RU_CLAIM, UA_DENIAL, UA_ADMISSION], "confirmed"),  # the later admission outweighs
    ([ISW], "confirmed"),
    ([FOOTAGE], "confirmed"),
    ([TASS_OWN_VOICE, ISW], "confirmed"),
    ([RU_CLAIM, UA_DENIAL, ISW], "confirmed"),
])
def test_status_of_a_russian_capture(attestations, status):
    assert derive_status(attestations, "capture", "RU") == status


@pytest.mark.parametrize(("type_", "actor", "attestations", "status"), [
    ("withdrawal", "UA", [UA_CLAIM], "confirmed"),  # a side announcing its own retreat
    ("withdrawal", "UA", [RU_CLAIM], "claimed"),
    ("strike", "UA", [RU_ADMISSION], "claimed"),  # the struck side's word is a claim
    ("strike", "UA", [UA_CLAIM], "claimed"),
    ("strike", "UA", [RU_ADMISSION, UA_CLAIM], "confirmed"),  # both sides agree
    ("repelled", "UA", [UA_CLAIM], "claimed"),  # the defender's boast
    ("repelled", "UA", [RU_ADMISSION], "confirmed"),
    ("fighting", "RU", [UA_CLAIM], "claimed"),  # fighting is nobody's loss
    ("fighting", "RU", [UA_CLAIM, RU_CLAIM], "confirmed"),
    ("capture", "unknown", [UA_CLAIM], "claimed"),
    ("encirclement", "RU", [UA_CLAIM], "confirmed"),
])
def test_the_losing_side_confirms(type_, actor, attestations, status):
    assert derive_status(attestations, type_, actor) == status


def test_the_deciding_attestation_is_kept():
    assert decide([RU_CLAIM, UA_DENIAL, UA_ADMISSION], "capture", "RU") == (
        "confirmed", UA_ADMISSION)
    assert decide([RU_CLAIM, UA_DENIAL], "capture", "RU") == ("disputed", UA_DENIAL)
    assert decide([UNKNOWN_OUTLET], "capture", "RU") == ("reported", None)


def test_no_attestation_no_status():
    with pytest.raises(ValueError, match="at least one attestation"):
        derive_status([], "capture", "RU")


POOL = [RU_CLAIM, UA_DENIAL, UA_ADMISSION, ISW, AP_OWN_VOICE, TASS_OWN_VOICE, UNKNOWN_OUTLET,
        UA_SILENT, LOCAL_OFFICIAL, REUTERS_SOURCE]
KINDS = st.sampled_from(["capture", "advance", "strike", "repelled", "withdrawal", "fighting"])
SIDE = st.sampled_from(["RU", "UA", "unknown"])


@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), KINDS, SIDE)
def test_order_never_matters_and_silence_changes_nothing(attestations, type_, actor):
    status = derive_status(attestations, type_, actor)
    assert status in STATUSES
    for perm in itertools.islice(itertools.permutations(attestations), 24):
        assert derive_status(list(perm), type_, actor) == status
    assert derive_status([*attestations, UA_SILENT], type_, actor) == status


@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), KINDS, SIDE)
def test_a_denial_disputes_anything_short_of_confirmed(attestations, type_, actor):
    before = derive_status(attestations, type_, actor)
    after = derive_status([*attestations, UA_DENIAL], type_, actor)
    assert after == ("confirmed" if before == "confirmed" else "disputed")


def test_affiliations_table_is_well_formed():
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 50
    assert all(r["pattern"] == r["pattern"].lower().strip() and r["side"] in SIDES
               for r in rows)
    assert len({r["pattern"] for r in rows}) == len(rows)


@pytest.mark.parametrize(("phrase", "name", "side"), [
    ("Russia's defense ministry", "Russian Ministry of Defense", "RU"),
    ("the Russian Defence Ministry", "Russian Ministry of Defense", "RU"),
    ("Viktor Trehubov, spokesperson for Ukraine’s Khortytsia forces", None, "UA"),
    ("Ukraine's General Staff", "Ukrainian General Staff", "UA"),
    ("a Reuters correspondent", "Reuters", "independent"),
    ("Russia", "Russia", "RU"),
    ("The Kyiv Independent", "The Kyiv Independent", "UA"),
])
def test_longest_known_voice_wins(phrase, name, side):
    found = affiliation_of(phrase)
    assert found is not None and found.side == side
    assert name is None or found.name == name


def test_unknown_voices_have_no_side():
    assert affiliation_of("reporters at the scene") is None
    assert affiliation_of("Frontline Wire") is None
    assert affiliation_of("apartment") is None  # "ap" only as a word


def test_the_struck_side_confirms_a_strike_only_by_telling_a_military_loss():
    def struck_side(quote: str) -> Attestation:
        return Attestation(article_id="a", stance="asserts", quote=quote, start=0, end=1,
                           claimant="Russian Ministry of Defense", claimant_side="RU")
    loss = struck_side("Two bombers were damaged when drones hit an airfield near Engels.")
    harm = struck_side("Kyiv's drones hit a block of flats in Kursk, wounding three people.")
    assert decide([loss], "strike", "UA") == ("confirmed", loss)
    assert derive_status([harm], "strike", "UA") == "claimed"
    assert derive_status([loss], "strike", "RU") == "claimed"  # its own strike: a claim


def test_one_side_warning_of_the_others_build_up_does_not_confirm_it():
    assert derive_status([UA_ADMISSION], "control", "RU") == "confirmed"
    assert derive_status([UA_ADMISSION], "control", "RU", "Troop build-up") == "claimed"
    assert derive_status([UA_ADMISSION, RU_ADMISSION], "control", "RU",
                         "Troop build-up") == "confirmed"
