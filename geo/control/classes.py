"""The four classes of ground, the words publishers use for them, and which class wins.

Publishers label polygons in their own words (a ``status`` field, a KML folder, a layer
name). A value is matched case- and punctuation-insensitively against the user's
``--map`` entries first, then against the common words below; anything else is an error,
since guessing would silently redraw the front.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from geo.control.errors import ControlError

Status = Literal["occupied", "contested", "liberated", "ukrainian-held"]
STATUSES: tuple[Status, ...] = ("occupied", "contested", "liberated", "ukrainian-held")
Side = Literal["occupied", "contested", "held"]
SIDES: tuple[Side, ...] = ("occupied", "contested", "held")

# Where two classes overlap the first listed wins: ground two sources disagree on is
# contested by definition, and occupation outranks an older note that it was liberated.
PRIORITY: tuple[Status, ...] = ("contested", "occupied", "liberated", "ukrainian-held")

SIDE_OF: dict[Status, Side] = {"occupied": "occupied", "contested": "contested",
                               "liberated": "held", "ukrainian-held": "held"}

_WORDS: dict[str, Status] = {
    **{w: "occupied" for w in (
        "occupied", "occupation", "russian occupied", "russia occupied", "russian controlled",
        "russia controlled", "russian control", "russian held", "ru", "russia", "russian",
        "temporarily occupied", "occupied before 2022", "occupied since 2014",
        "annexed", "assessed russian controlled", "russian advance", "russian advances")},
    **{w: "contested" for w in (
        "contested", "grey zone", "gray zone", "greyzone", "grayzone", "unknown",
        "disputed", "unclear", "no mans land", "contact zone", "frontline zone")},
    **{w: "liberated" for w in (
        "liberated", "liberation", "deoccupied", "de occupied", "recaptured", "retaken",
        "ukrainian counteroffensive", "ukrainian counteroffensives")},
    **{w: "ukrainian-held" for w in (
        "ukrainian held", "ukraine held", "ukrainian controlled", "ukraine controlled",
        "ukrainian control", "ukraine", "ukrainian", "ua", "held", "controlled by ukraine")},
}


def normalise(value: object) -> str:
    return re.sub(r"[\W_]+", " ", str(value).casefold()).strip()


def parse_mapping(pairs: Iterable[str]) -> dict[str, Status]:
    """``occupied=Occupied territory`` entries from the command line, value to class."""
    out: dict[str, Status] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        status = _status_name(name)
        if not sep or not value.strip() or status is None:
            raise ControlError(f"--map {pair!r}: expected CLASS=VALUE with CLASS one of "
                               f"{', '.join(STATUSES)}")
        out[normalise(value)] = status
    return out


def _status_name(name: str) -> Status | None:
    key = normalise(name).replace(" ", "-")
    return next((s for s in STATUSES if s == key), None)


def classify(value: object, mapping: Mapping[str, Status] | None = None) -> Status | None:
    """The class a published value names, or None when nothing recognises it."""
    key = normalise(value)
    if mapping and key in mapping:
        return mapping[key]
    return _WORDS.get(key) or _status_name(key)
