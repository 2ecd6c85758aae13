from __future__ import annotations

import csv
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.claims.affiliations import DATA, SIDES, affiliation_of
from geo.claims.status import derive_status
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


@pytest.mark.parametrize(("attestations", "status"), [
    ([UNKNOWN_OUTLET], "reported"),
    ([AP_OWN_VOICE, UNKNOWN_OUTLET], "reported"),
    ([RU_CLAIM], "claimed"),
    ([RU_CLAIM, UA_SILENT], "claimed"),
    ([RU_CLAIM, AP_OWN_VOICE], "claimed"),  # an outlet restating a claim corroborates nothing
    ([TASS_OWN_VOICE], "claimed"),  # a party's outlet speaks for the party
    ([LOCAL_OFFICIAL], "claimed"),
    ([LOCAL_OFFICIAL, RU_CLAIM], "claimed"),
    ([ISW, REUTERS_SOURCE], "claimed"),  # one affiliation, however many sources
    ([RU_CLAIM, UA_DENIAL], "disputed"),
    ([UA_DENIAL], "disputed"),
    ([RU_CLAIM, UA_DENIAL, UA_SILENT, AP_OWN_VOICE], "disputed"),
    ([RU_CLAIM, UA_ADMISSION], "confirmed"),
    ([RU_CLAIM, UA_DENIAL, UA_ADMISSION], "confirmed"),  # the later admission outweighs
    ([RU_CLAIM, ISW], "confirmed"),
    ([TASS_OWN_VOICE, ISW], "confirmed"),
    ([RU_CLAIM, UA_DENIAL, ISW], "confirmed"),
])
def test_status_rule(attestations, status):
    assert derive_status(attestations) == status


def test_no_attestation_no_status():
    with pytest.raises(ValueError, match="at least one attestation"):
        derive_status([])


POOL = [RU_CLAIM, UA_DENIAL, UA_ADMISSION, ISW, AP_OWN_VOICE, TASS_OWN_VOICE, UNKNOWN_OUTLET,
        UA_SILENT, LOCAL_OFFICIAL, REUTERS_SOURCE]


@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6))
def test_order_never_matters_and_silence_changes_nothing(attestations):
    status = derive_status(attestations)
    assert status in STATUSES
    for perm in itertools.islice(itertools.permutations(attestations), 24):
        assert derive_status(list(perm)) == status
    assert derive_status([*attestations, UA_SILENT]) == status


@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6))
def test_a_denial_disputes_anything_short_of_confirmed(attestations):
    before, after = derive_status(attestations), derive_status([*attestations, UA_DENIAL])
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
