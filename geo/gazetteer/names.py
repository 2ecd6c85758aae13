"""Name keys under which Ukrainian-style, Russian-style and Cyrillic spellings meet.

A key folds what romanisation systems disagree on (y/i/j, apostrophes for soft signs,
doubled letters, hyphens, "Saint" and "St.") so that Kupiansk, Kupyansk, Kup'yans'k and
Куп'янськ share one key. Genuinely different forms (Kharkiv/Kharkov, Dnipro/Dnepr) are left
to the alternate names that GeoNames carries.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['’ʼʹ`´‘ʻ\"]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_J_AFTER_VOWEL = re.compile(r"(?<=[aeiou])j|j(?=\b)")
_DOUBLED = re.compile(r"(.)\1+")
# Words that English names abbreviate at will: "St. Petersburg" is Saint Petersburg's own name.
# Only before a space: a French "Saint-Louis" is not St. Louis.
_ABBREVIATED = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
_ABBREVIABLE = re.compile(r"\b(saint|sainte|mount|fort) (?=\w)")


def name_key(name: str) -> str:
    """Fold a place name to its lookup key ('' when nothing is left)."""
    text = name if name.isascii() else anyascii(unicodedata.normalize("NFC", name))
    text = text.lower()
    text = _APOSTROPHES.sub("", text)
    if " " in text and ("saint" in text or "mount" in text or "fort" in text):
        text = _ABBREVIABLE.sub(lambda m: _ABBREVIATED[m.group(1)] + " ", text)
    text = _NON_ALNUM.sub(" ", text).strip()
    text = text.replace("y", "i")
    text = _J_AFTER_VOWEL.sub("i", text)
    return _DOUBLED.sub(r"\1", text)


def description_key(phrase: str) -> str:
    """Lower-case words only: descriptive phrases are matched as written, not folded."""
    return " ".join(re.findall(r"\w+", phrase.lower()))
