"""The one rule that turns an event's attestations into its confirmation status.

A front-line map that shows a party's claim as fact is worse than no map, so the rule only
ever upgrades on evidence that cuts against interest or comes from outside the war:

* ``confirmed``: the side that loses by the event asserts it (Ukraine's General Staff
  conceding a Russian capture, a side announcing its own withdrawal); or both parties
  assert it; or an independent
  assessor (ISW, geolocated footage) asserts it, alone or beside a party. This holds even
  over an earlier denial.
* ``disputed``: otherwise, asserted (or reported) and denied by anyone.
* ``claimed``: asserted by a party, or by sources whose affiliation is unknown, and denied
  by no one.
* ``reported``: only outlets speaking in their own voice.

An outlet's own voice is never an assertion, whatever its side: outlets restate claims as
facts, and what an outlet states without a source is what ``reported`` means. Fighting,
attacks and troops massing have no losing side, so only both parties or an assessor confirm
them. A strike's
first source is nearly always the struck side, and an accusation is not an admission: the
struck side confirms a strike only when its own statement names a military loss (airfields,
aircraft, positions), which it has no reason to tell.
``no_response`` ("Ukraine has not responded") changes nothing. See docs/claims.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.claims.affiliations import affiliation_of
from geo.claims.triggers import BUILD_UP
from geo.models import Attestation

PARTIES = frozenset({"RU", "UA"})
INDEPENDENT = "independent"
UNKNOWN = "unknown"
ASSESSOR = "assessor"
OTHER_SIDE = {"RU": "UA", "UA": "RU"}
# Whose loss the event is: the actor's own for a withdrawal, the other side's for a gain;
# "repelled" is the attacker's loss, and the actor there is the side that held.
LOSS_OF_ACTOR = frozenset({"withdrawal"})
LOSS_OF_OTHER = frozenset({"capture", "advance", "repelled", "encirclement", "control"})
# Troops massing near a place cost the other side nothing yet: its warning is no admission.
NO_LOSS = frozenset({BUILD_UP})
# What a side loses when struck, never the weapon that struck it ("aircraft dropped bombs").
MILITARY_LOSSES = frozenset({
    "airfield", "airfields", "airbase", "airbases", "bomber", "bombers", "position",
    "positions", "depot", "depots", "arsenal", "warship", "headquarters", "radar"})


def asserting_sides(attestations: Sequence[Attestation]) -> set[str]:
    """The affiliations that assert the event (``unknown`` for unaffiliated claimants)."""
    return {a.claimant_side or UNKNOWN for a in attestations if a.stance == "asserts"}


def losing_side(type_: str, actor: str, sub_event_type: str | None = None) -> str | None:
    if actor not in PARTIES or sub_event_type in NO_LOSS:
        return None
    if type_ in LOSS_OF_ACTOR:
        return actor
    if type_ in LOSS_OF_OTHER:
        return OTHER_SIDE[actor]
    return None


def _admits_military_loss(a: Attestation, type_: str, actor: str) -> bool:
    if type_ != "strike" or actor not in PARTIES or a.claimant_side != OTHER_SIDE[actor]:
        return False
    return bool(MILITARY_LOSSES & set(re.findall(r"[a-z]+", a.quote.lower())))


def _assessor(a: Attestation) -> bool:
    if a.claimant_side != INDEPENDENT:
        return False
    known = affiliation_of(a.claimant)
    return known is not None and known.kind == ASSESSOR


def decide(attestations: Sequence[Attestation], type_: str, actor: str,
           sub_event_type: str | None = None) -> tuple[str, Attestation | None]:
    """The status and the attestation that decided it (None for ``reported``), shown to
    readers as the reason: the loser's admission, the assessment, the denial, the claim."""
    if not attestations:
        raise ValueError("an event needs at least one attestation to have a status")
    asserted = [a for a in attestations if a.stance == "asserts"]
    loser = losing_side(type_, actor, sub_event_type)
    for a in asserted:
        if loser is not None and a.claimant_side == loser:
            return "confirmed", a
    for a in asserted:
        if _admits_military_loss(a, type_, actor):
            return "confirmed", a
    for a in asserted:
        if _assessor(a):
            return "confirmed", a
    if asserting_sides(attestations) >= PARTIES:
        return "confirmed", next(a for a in reversed(asserted) if a.claimant_side in PARTIES)
    denial = next((a for a in attestations if a.stance == "denies"), None)
    if denial is not None:
        return "disputed", denial
    if asserted:
        return "claimed", asserted[0]
    return "reported", None


def derive_status(attestations: Sequence[Attestation], type_: str, actor: str,
                  sub_event_type: str | None = None) -> str:
    """``reported``, ``claimed``, ``disputed`` or ``confirmed`` (see the module docstring)."""
    return decide(attestations, type_, actor, sub_event_type)[0]
