"""The one rule that turns an event's attestations into its confirmation status.

A front-line map that shows a party's claim as fact is worse than no map, so the rule only
ever upgrades on evidence that cuts against interest or comes from outside the war:

* ``confirmed``: asserted by sources of two different affiliations: the opposing party
  acknowledges it (Russia claims, Ukraine admits), or an independent source (ISW, AP quoted
  as a source) backs a party's claim. This holds even over an earlier denial.
* ``disputed``: otherwise, asserted (or reported) and denied by anyone.
* ``claimed``: asserted by a party, or by sources whose affiliation is unknown, and denied
  by no one.
* ``reported``: only outlets speaking in their own voice.

An outlet's own-voice report counts as an assertion of its side when the outlet is a party's
(TASS, Ukrinform), and as nothing more than a report otherwise: outlets often restate a
party's claim in their own voice. ``no_response`` ("Ukraine has not responded") changes
nothing. See docs/claims.md for worked examples.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.models import Attestation

PARTIES = frozenset({"RU", "UA"})
INDEPENDENT = "independent"
UNKNOWN = "unknown"


def asserting_sides(attestations: Sequence[Attestation]) -> set[str]:
    """The affiliations that assert the event (``unknown`` for unaffiliated claimants)."""
    sides: set[str] = set()
    for a in attestations:
        if a.stance == "asserts":
            sides.add(a.claimant_side or UNKNOWN)
        elif a.stance == "reports" and a.claimant_side in PARTIES:
            sides.add(a.claimant_side)
    return sides


def derive_status(attestations: Sequence[Attestation]) -> str:
    """``reported``, ``claimed``, ``disputed`` or ``confirmed`` (see the module docstring)."""
    if not attestations:
        raise ValueError("an event needs at least one attestation to have a status")
    sides = asserting_sides(attestations)
    known = sides - {UNKNOWN}
    if known >= PARTIES or (INDEPENDENT in known and len(known) >= 2):
        return "confirmed"
    if any(a.stance == "denies" for a in attestations):
        return "disputed"
    if sides:
        return "claimed"
    return "reported"
