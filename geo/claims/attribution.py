"""Who says an event happened, and how: the claimant, its side and its stance.

The claimant is found where English puts it: the subject of the reporting verb above the
event ("Russia's defense ministry stated that…"), an "according to" phrase, a "with X
stating" frame, or the speaker after a quotation ("…," the Ministry stated). Generic
speakers ("the Ministry", "he") are the latest matching claimant of the same article. With
no such frame the outlet speaks in its own voice: stance ``reports``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from geo.claims.affiliations import Affiliation, affiliation_of
from geo.parse.sentences import Sentence

ASSERTS, DENIES, REPORTS, NO_RESPONSE = "asserts", "denies", "reports", "no_response"

REPORTING_VERBS = {
    "say", "state", "announce", "claim", "report", "tell", "write", "add", "insist",
    "confirm", "acknowledge", "admit", "assert", "allege", "note", "declare", "post",
    "publish", "assess", "deny", "reject", "refute", "dismiss", "suggest", "indicate",
    "stress", "emphasize", "emphasise", "boast", "disclose", "reveal", "concede", "accuse",
    "maintain", "argue", "warn", "describe", "show", "update",
}
DENY_VERBS = {"deny", "reject", "refute", "dismiss", "debunk", "disprove"}
FALSITY = {"false", "fake", "untrue", "fabricated", "bogus", "baseless", "groundless",
           "misleading", "disinformation", "misinformation", "lie", "lies", "fabrication",
           "propaganda", "fiction", "nonsense"}
RESPONSE_VERBS = {"respond", "comment", "react", "reply", "confirm"}
ACK_VERBS = {"confirm", "acknowledge", "admit", "concede"}
CLAIM_NOUNS = {"claim", "report", "statement", "announcement", "assertion", "allegation"}
COUNTRY_OF_SIDE = {"RU": "Russia", "UA": "Ukraine"}
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
GENERIC_HEADS = {"ministry", "spokesperson", "spokesman", "spokeswoman", "military", "army",
                 "official", "officials", "command", "staff", "statement", "governor",
                 "department", "agency", "service", "commander", "source", "sources",
                 "defence", "defense", "foreign", "interior", "general"}
SIDE_WORDS = {
    "russia": "RU", "russian": "RU", "russians": "RU", "moscow": "RU", "kremlin": "RU",
    "ukraine": "UA", "ukrainian": "UA", "ukrainians": "UA", "kyiv": "UA", "kiev": "UA",
    "afu": "UA", "zsu": "UA",
    # Russia's army groupings as Russian sources name them; Ukraine's own
    "battlegroup": "RU", "khortytsia": "UA", "tavria": "UA", "tavriia": "UA",
}
_DETERMINERS = {"the", "a", "an"}
POSSESSIVES = {"its", "their", "his", "her"}
DOCUMENT_NOUNS = {"map", "data", "statement", "report", "analysis", "assessment", "update",
                  "post", "footage", "video", "figures", "summary", "briefing"}
TRAILING = {"advcl", "parataxis", "ccomp", "conj", "dep"}
CONCESSIVE = {"although", "though"}


@dataclass(frozen=True)
class Voice:
    """One source's stance on what a sentence reports. ``tokens`` are the claimant's words
    (never a place of the event); ``verb`` is the reporting verb, if any."""

    claimant: str | None
    side: str | None
    stance: str
    kind: str | None = None
    verb: Token | None = None
    tokens: frozenset[int] = frozenset()


@dataclass
class Speakers:
    """The claimants an article has named so far, latest last, for "the Ministry", "he"."""

    seen: list[Voice] = field(default_factory=list)

    def remember(self, voice: Voice) -> None:
        if voice.claimant:
            self.seen.append(voice)

    def resolve_phrase(self, phrase: str) -> Voice | None:
        """The latest body named by a phrase holding ``phrase`` ("the General Staff" after
        "the General Staff of the Ukrainian Armed Forces"), never a person titled by it."""
        phrase = phrase.lower()
        for v in reversed(self.seen):
            if v.kind != "person" and phrase in (v.claimant or "").lower():
                return v
        return None

    def resolve(self, head: str) -> Voice | None:
        head = head.lower()
        for v in reversed(self.seen):
            name = (v.claimant or "").lower()
            if head in ("he", "she") and v.kind == "person":
                return v
            if head in ("it", "they", "we") and v.kind in ("organization", "country", "outlet",
                                                          "assessor", None):
                return v
            if head in GENERIC_HEADS and head in name:
                return v
        return None


def side_of_words(tokens: list[Token] | Span) -> str | None:
    """The side a phrase names by country, people or capital ("Russian forces": RU)."""
    for t in tokens:
        side = SIDE_WORDS.get(t.lower_)
        if side:
            return side
    return None


def _phrase(t: Token, drop: tuple[str, ...] = ("relcl", "acl", "advcl")) -> list[Token]:
    """The words of ``t``'s phrase, without clauses that hang off it."""
    skipped: set[int] = set()
    for c in t.children:
        if c.dep_ in drop:
            skipped.update(w.i for w in c.subtree)
    words = [w for w in t.subtree if w.i not in skipped]
    if words and words[-1].dep_ == "case":
        words = words[:-1]  # "the ministry's statement": the ministry
    while words and (words[0].lower_ in _DETERMINERS or words[0].is_punct):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    return words


def _text(words: list[Token]) -> str:
    out = ""
    for w in words:
        out += w.text + w.whitespace_
    return " ".join(out.replace(" ,", ",").split()).strip(" ,")


def voice_of_phrase(head: Token, speakers: Speakers, stance: str,
                    verb: Token | None) -> Voice:
    """The claimant named by the phrase headed by ``head``, resolved and affiliated."""
    full = _phrase(head)
    core = _phrase(head, ("relcl", "acl", "advcl", "appos", "prep"))
    tokens = frozenset(w.i for w in head.subtree)
    core_text, full_text = _text(core), _text(full)
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ in POSSESSIVES and \
            head.lemma_.lower() in DOCUMENT_NOUNS:
        known = speakers.resolve("he" if owner.lower_ in ("his", "her") else "it")
        if known is not None:  # "its map shows…": the map's maker speaks
            return Voice(known.claimant, known.side, stance, known.kind, verb, tokens)
    generic = all(w.lower_ in GENERIC_HEADS or w.lemma_.lower() in GENERIC_HEADS
                  for w in core) and bool(core)
    if generic and len(core) > 1 and head.lower_ not in PRONOUNS:
        known = speakers.resolve_phrase(core_text)  # "the General Staff": that body again
        if known is not None:
            return Voice(known.claimant, known.side, stance, known.kind, verb, tokens)
    if head.lower_ in PRONOUNS or generic:
        # "a spokesperson for the ministry": any generic word may name the earlier speaker
        words = [head.lower_] if head.lower_ in PRONOUNS else [
            w.lemma_.lower() for w in full if w.lemma_.lower() in GENERIC_HEADS]
        for word in words:
            known = speakers.resolve(word)
            if known is not None:
                return Voice(known.claimant, known.side, stance, known.kind, verb, tokens)
    aff: Affiliation | None = affiliation_of(core_text) or affiliation_of(full_text)
    if aff is None and head.pos_ == "ADJ" and head.lower_ in SIDE_WORDS:
        aff = affiliation_of(COUNTRY_OF_SIDE[SIDE_WORDS[head.lower_]])  # "a Russian claim"
    if aff is not None:
        return Voice(aff.name, aff.side, stance, aff.kind, verb, tokens)
    kind = "person" if head.ent_type_ == "PERSON" else None
    return Voice(full_text or None, side_of_words(full), stance, kind, verb, tokens)


QUOTED_VERBS = {"quote", "cite"}  # "the ministry was quoted as saying"


def speaker_of(verb: Token) -> Token | None:
    """The subject of a reporting verb, or the X of "with X stating", "X, saying". In the
    passive the speaker is the agent ("was reported by X"): the subject is what was told
    ("heavy fighting was reported"), except for whoever "was quoted as saying"."""
    for c in verb.children:
        if c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP"):
            return c
        if c.dep_ == "nsubjpass" and c.tag_ not in ("WDT", "WP"):
            if verb.lemma_.lower() in QUOTED_VERBS:
                return c
            return next((o for a in verb.children if a.dep_ == "agent"
                         for o in a.children if o.dep_ == "pobj"), None)
    if verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN"):
        return verb.head
    if verb.dep_ in ("advcl", "conj"):
        for c in verb.head.children:
            if c.dep_ == "prep" and c.lower_ == "with" and c.i < verb.i:
                objs = [o for o in c.children if o.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            return speaker_of(verb.head)  # "dismissed the claim while acknowledging that…"
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if (verb.dep_ in TRAILING or verb.dep_ == "ROOT") and before is not None and \
            before.pos_ in ("PROPN", "NOUN"):
        return before  # "…, the Ukrainian General Staff reported" parsed without a subject
    return None


def according_to(sent: Span) -> Token | None:
    """The X of "According to X," or "As reported by X," anywhere in the sentence."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor().lower_ == "to":
            objs = [o for o in t.nbor().children if o.dep_ == "pobj"]
            if objs:
                return objs[0]
        if t.lower_ == "as" and t.i + 2 < len(t.doc) and t.nbor().lemma_ in REPORTING_VERBS \
                and t.nbor(2).lower_ == "by":
            objs = [o for o in t.nbor(2).children if o.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def _false_words(t: Token) -> bool:
    return t.lemma_.lower() in FALSITY or any(
        c.dep_ in ("amod", "acomp", "attr") and c.lemma_.lower() in FALSITY for c in t.children)


def _noun_speaker(noun: Token) -> Token | None:
    """The X of "X's claim", "a Russian claim", "a report by X"."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "nmod") and (
                c.lower_ in SIDE_WORDS or affiliation_of(c.text) is not None):
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def _frames(chain: list[Token]) -> list[tuple[int, Token, Token]]:
    """(position in the chain, speaker, verb or noun) of each frame above the event."""
    frames = []
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        speaker = None
        if t.pos_ in ("VERB", "AUX") and (lemma in REPORTING_VERBS or lemma in RESPONSE_VERBS):
            speaker = speaker_of(t)
        elif t.pos_ in ("NOUN", "PROPN") and lemma in CLAIM_NOUNS:
            speaker = _noun_speaker(t)
        if speaker is not None:
            frames.append((i, speaker, t))
    return frames


def _trailing_frame(trigger: Token, chain: list[Token],
                    sent: Span) -> list[tuple[int, Token, Token]]:
    """"Ukrainian forces recaptured X, the General Staff reported": the reporting verb
    hangs below the event instead of above it."""
    nodes = {trigger.i} | {t.i for t in chain}
    for t in sent:
        if (t.i > trigger.i and t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS
                and t.head.i in nodes and t.dep_ in TRAILING):
            speaker = speaker_of(t)
            if speaker is not None:
                return [(len(chain), speaker, t)]
    last = sent[-1].i if not sent[-1].is_punct else sent[-1].i - 1
    for t in sent:
        # "…during a morning lineup, a war blogger said." read as a relative clause
        if (t.i > trigger.i and t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS
                and t.left_edge.i > 0 and t.doc[t.left_edge.i - 1].text == ","
                and t.right_edge.i >= last and t.left_edge.tag_ not in ("WDT", "WP")):
            speaker = speaker_of(t)
            if speaker is not None and speaker.tag_ not in ("WDT", "WP"):
                return [(len(chain), speaker, t)]
    return []


def _has_mark(t: Token, words: set[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in words for c in t.children)


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" for c in t.children)


def voices_for(trigger: Token, sent: Span, speakers: Speakers, negated: bool) -> list[Voice]:
    """Who reports the event whose word is ``trigger``, and how: the nearest frame first,
    then any frame above it that takes a stance on it ("Kyiv has not responded to a Russian
    claim that…", "Ukraine denied the ministry's statement that…")."""
    chain: list[Token] = []
    node = trigger
    while node.head.i != node.i:
        if node.dep_ in ("conj", "advcl") and node.lemma_.lower() in REPORTING_VERBS:
            break  # "rejected the claim but admitted that…": a stance beside, not above
        node = node.head
        chain.append(node)
    concession = next((i for i, t in enumerate([trigger, *chain]) if t.lower_ == "despite" or
                       _has_mark(t, CONCESSIVE)), None)
    if concession is not None:
        chain = chain[:concession]  # "…, despite Ukraine taking part of Kursk": told as known
        if not _frames(chain):
            return [Voice(None, None, DENIES if negated else REPORTS)]
    frames = _frames(chain)
    not_true = any(t.lower_ == "true" and _negated(t.head) for t in sent)
    if not frames:
        frames = _trailing_frame(trigger, chain, sent)
    if not frames:
        source = according_to(sent)
        if source is None:
            return [Voice(None, None, DENIES if negated else REPORTS)]
        frames = [(len(chain), source, source.head.head)]
    voices: list[Voice] = []
    low = 0
    for n, (i, speaker, verb) in enumerate(frames):
        segment = chain[low:i + 1]
        false = any(_false_words(t) or t.lemma_.lower() in DENY_VERBS for t in segment)
        silent = verb.lemma_.lower() in RESPONSE_VERBS and _negated(verb)
        if silent:
            stance = NO_RESPONSE
        elif n == 0:
            stance = DENIES if negated or false or not_true else ASSERTS
        elif false:
            stance = DENIES
        elif verb.lemma_.lower() in ACK_VERBS:
            stance = ASSERTS
        else:
            continue  # "X said that Y claimed": Y is the one who claims
        voice = voice_of_phrase(speaker, speakers, stance, verb)
        if not any(v.side == voice.side and v.stance == voice.stance for v in voices):
            voices.append(voice)  # "Ukraine denied…, with its spokesperson stating…": one
        low = i + 1
    return voices


def response_voice(sent: Span, speakers: Speakers) -> Voice | None:
    """"Ukraine has not responded", "Kyiv denied the claim": a stance on an earlier claim
    in a sentence that names no event itself."""
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            continue
        neg = any(c.dep_ == "neg" for c in t.children)
        declined = t.dep_ == "xcomp" and t.head.lemma_ in ("decline", "refuse")
        yet = t.dep_ == "xcomp" and any(c.lower_ == "yet" for c in t.head.children)
        if lemma in RESPONSE_VERBS and (neg or declined or yet):
            verb = t.head if (declined or yet) else t
            speaker = speaker_of(verb)
            if speaker is not None:
                return voice_of_phrase(speaker, speakers, NO_RESPONSE, verb)
        if lemma in DENY_VERBS and not neg:
            speaker = speaker_of(t)
            if speaker is not None:
                return voice_of_phrase(speaker, speakers, DENIES, t)
    return None


CURLY_QUOTATION = re.compile(r"“[^”]{20,}”")
MIN_QUOTED = 20
SOURCE_LINE = re.compile(r"^\s*Source:\s*(.+?)\s*$", re.M)
# The lines of a digest that its "Source: …" line speaks for.
SOURCED_LABELS = frozenset({"details", "quote"})
HEADLINE_SOURCE = re.compile(r"\s[–—-]\s+([^–—-]{3,60})$")


def _said_in(sent: Sentence, chars: Callable[[int], bool], speakers: Speakers) -> Voice | None:
    for t in sent.span:
        if chars(sent.char(t)) and t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS:
            speaker = speaker_of(t)
            if speaker is not None:
                voice = voice_of_phrase(speaker, speakers, ASSERTS, t)
                if voice.claimant:
                    return voice
    return None


def _containing(sents: Sequence[Sentence], char: int) -> Sentence | None:
    return next((s for s in sents if s.start <= char < s.end), None)


def _quote_speaker(text: str, sents: Sequence[Sentence], start: int, end: int,
                   speakers: Speakers) -> Voice | None:
    """Who a quotation is put in the mouth of: '…,” Trehubov said', 'He said: “…',
    or a "Source: X" line above it."""
    closing = _containing(sents, end - 1)
    if closing is not None:
        voice = _said_in(closing, lambda c: c >= end, speakers)
        if voice is not None:
            return voice
    opening = _containing(sents, start)
    if opening is not None:
        voice = _said_in(opening, lambda c: c < start, speakers)
        if voice is not None:
            return voice
    lines = SOURCE_LINE.findall(text[max(0, start - 300):start])
    known = affiliation_of(lines[-1]) if lines else None
    if known is not None:
        return Voice(known.name, known.side, ASSERTS, known.kind)
    return None


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech, quote marks included. Straight quotes pair off in order,
    so a short scare quote ("destroyed") does not shift every later pair: a quotation is
    what lies between the 1st and 2nd mark, the 3rd and 4th, and so on."""
    spans = [(m.start(), m.end()) for m in CURLY_QUOTATION.finditer(text)]
    marks = [i for i, c in enumerate(text) if c == '"']
    spans += [(a, b + 1) for a, b in zip(marks[::2], marks[1::2], strict=False)
              if b - a - 1 >= MIN_QUOTED]
    return sorted(spans)


def source_line_voice(text: str, at: int) -> Voice | None:
    """The known source a "Source: …" line names."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", start)
    m = SOURCE_LINE.match(text[start:end if end >= 0 else len(text)])
    known = affiliation_of(m.group(1)) if m else None
    return Voice(known.name, known.side, ASSERTS, known.kind) if known else None


def quoted_voices(text: str, sents: Sequence[Sentence],
                  speakers: Speakers) -> dict[int, Voice]:
    """The speaker of each sentence that lies inside a quotation, by sentence index: a
    quotation of several sentences names its speaker once, after the last one; and the
    source a headline names after a dash ("… – DeepState analysts")."""
    found: dict[int, Voice] = {}
    for start, end in quotations(text):
        voice = _quote_speaker(text, sents, start, end, speakers)
        if voice is None:
            continue
        for n, s in enumerate(sents):
            if start <= s.start < end - 1:
                found.setdefault(n, voice)
    if sents:
        tail = HEADLINE_SOURCE.search(sents[0].span.text.strip())
        known = affiliation_of(tail.group(1)) if tail else None
        if known is not None:
            found.setdefault(0, Voice(known.name, known.side, ASSERTS, known.kind))
    return found


def stated_by(sent: Span, speakers: Speakers) -> Voice | None:
    """"This was stated by X", "X said this": a source for the sentence before."""
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in REPORTING_VERBS:
            continue
        deps = {c.dep_: c for c in t.children}
        back = deps.get("nsubjpass") or deps.get("dobj")
        if back is None or back.lower_ not in ("this", "that"):
            continue
        if "agent" in deps:
            objs = [o for o in deps["agent"].children if o.dep_ == "pobj"]
            speaker = objs[0] if objs else None
        else:
            speaker = deps.get("nsubj")
        if speaker is not None:
            voice = voice_of_phrase(speaker, speakers, ASSERTS, t)
            if voice.claimant:
                return voice
    return None
