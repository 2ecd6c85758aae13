"""Tell a capital (or a country) standing for its government from the place itself.

"Moscow accused Kyiv", "Kiev's forces", "an area Moscow has been trying to reach": these
name governments, and a map that put a strike on Kyiv for them would be wrong. The rules
read the dependency parse: a capital as the subject of any verb, or the object of a
verb of speech or politics, or in a possessive before an institution; a country only as the
subject of such a verb or in such a possessive.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

POLITICAL_VERBS = {
    "accuse", "blame", "urge", "warn", "tell", "criticize", "criticise", "condemn", "ask",
    "demand", "threaten", "sanction", "pressure", "call", "say", "claim", "deny", "announce",
    "insist", "refuse", "agree", "want", "recognize", "recognise", "acknowledge", "reject",
    "respond", "negotiate", "propose", "accept", "support", "back", "postpone",
    "state", "declare", "vow", "pledge", "promise", "seek", "hope", "decline", "confirm",
}
INSTITUTIONS = {
    "forces", "force", "troops", "regime", "government", "army", "military", "officials",
    "authorities", "leadership", "soldiers", "position", "negotiators", "delegation",
    "administration", "envoy", "ministry", "spokesman", "spokesperson", "allies", "war",
    "offensive", "demands", "proposal", "claims", "gains", "aggression",
}

# "the Kiev regime", "the Kiev bastards": a capital modifying a noun for its rulers.
GOVERNMENT_NOUNS = {"regime", "government", "authorities", "bastard", "leadership", "official",
                    "elite", "junta", "side", "force", "troop", "politician", "leader"}


def _anchor(doc: Doc, start: int, end: int) -> Token:
    """The syntactic head of the mention's tokens."""
    span = doc[start:end]
    return span.root


def is_metonymic(doc: Doc, start: int, end: int, kind: str, capital: bool) -> bool:
    if not (capital or kind == "country") or start >= end:
        return False
    tok = _anchor(doc, start, end)
    if tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass", "dobj"):
        tok = tok.head
    after = doc[end] if end < len(doc) else None
    if after is not None and after.lower_ in ("'s", "’s"):
        noun = doc[end + 1] if end + 1 < len(doc) else None
        if noun is not None and (capital or noun.lower_ in INSTITUTIONS):
            return True
    if after is not None and after.lower_ in ("regime", "government", "authorities"):
        return True
    head = tok.head
    if capital and tok.dep_ == "compound" and head.lemma_ in GOVERNMENT_NOUNS:
        return True
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return capital or head.lemma_ in POLITICAL_VERBS
    if tok.dep_ in ("dobj", "dative") and head.lemma_ in POLITICAL_VERBS:
        return capital
    return False
