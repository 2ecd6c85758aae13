"""Events from one article: what happened, where, by whom, and who says so.

Sentence by sentence: find the event words (``geo.claims.triggers``), take the places in each
event's own clause (not the speaker's, not the actor's, not a venue of talks, not a capital
standing for its government), the actor from the clause's subject, the claimant and stance
from the frame around it (``geo.claims.attribution``) and the date from the clause or the frame.
Places joined by "and" ("in the Sumy region and near Lyman") are separate events, as ACLED
codes one event per location; places joined by "border of … with …" are one. A sentence
with no event word can still answer an earlier claim ("Ukraine has not responded").
Finally the article's own repetitions are fused (``geo.claims.fusion``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Token

from geo.claims.affiliations import affiliation_of
from geo.claims.attribution import (
    ASSERTS,
    DENIES,
    DOCUMENT_NOUNS,
    REPORTING_VERBS,
    REPORTS,
    SIDE_WORDS,
    SOURCED_LABELS,
    Speakers,
    Voice,
    according_to,
    quoted_voices,
    response_voice,
    side_of_words,
    source_line_voice,
    speaker_of,
    stated_by,
    voice_of_phrase,
    voices_for,
)
from geo.claims.fusion import build, event_id, fuse
from geo.claims.location import (
    contains,
    country_toponym,
    place_key,
    region_of,
    region_of_capital,
    specificity,
)
from geo.claims.status import OTHER_SIDE
from geo.claims.triggers import (
    ADVANCE,
    BUILD_UP,
    CAPTURE,
    CONTROL,
    DIRECTIONAL,
    ENCIRCLEMENT,
    EXPEL_VERBS,
    FAILED_ATTACK,
    FIGHTING,
    FLAG_RAISED,
    MOVEMENTS,
    OPERATION_NOUNS,
    PARTIAL_CONTROL,
    REPELLED,
    SITUATIONS,
    STRIKE,
    WITHDRAWAL,
    Trigger,
    capture_sub_event,
    find_triggers,
    negated,
    under_fire,
)
from geo.models import PRECISION_EXACT, PRECISION_NEAR, Article, Attestation, Event, Toponym
from geo.parse.dates import DateMention, find_dates, span_before
from geo.parse.geoparse import Geoparser, ParseResult, default_geoparser
from geo.parse.sentences import (
    Mention,
    Sentence,
    line_label,
    mentions_in,
    outermost,
    sentences,
)

NEAR_WORDS = {"near", "around", "outside", "toward", "towards", "outskirts", "approaches",
              "vicinity", "direction", "edge"}
VENUE_NOUNS = {"talk", "talks", "negotiation", "negotiations", "meeting", "summit",
               "conference", "agreement", "round", "forum", "ceremony", "deal", "visit"}
STRONG_PREPS = {"into"}
NEAR_PREPS = {"in", "near", "at", "on", "around", "outside", "inside", "toward", "towards",
              "to", "against", "across", "over", "past", "beyond", "within", "off"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom"}
LOCATIVE_VERBS = {"locate", "situate", "lie", "sit", "be"}
VAGUE_SUBJECTS = {"its", "their", "they", "it", "his", "her", "we", "our", "troops", "forces",
                  "units", "subunits", "soldiers", "army", "military", "fighters", "unit"}
# "the town", "the village": the settlement the article named last.
ANAPHORA_NOUNS = {"town", "city", "village", "settlement", "hamlet"}
ANAPHORA_DETERMINERS = {"the", "this", "that"}
# "72 percent of X", "most of X", "the southern part of X": ground gained, not the place taken.
PARTIAL_WORDS = {"percent", "%", "most", "part", "parts", "half", "third", "quarter",
                 "section", "sections", "outskirts", "edge", "district", "districts",
                 "neighborhood", "neighbourhood", "area", "areas", "much", "portion", "street",
                 "streets", "block", "blocks", "center", "centre", "zone"}
ENEMY_WORDS = {"enemy", "adversary", "foe"}
# "gas that flows through Ukraine to Europe": never where a front-line event happens.
CONTINENTS = {"Europe", "Asia", "Africa", "North America", "South America", "Oceania",
              "Antarctica"}
# Events whose unnamed actor is the invader of the ground they happen on.
ATTACKER_DECIDES = frozenset({FIGHTING, ENCIRCLEMENT, CAPTURE, STRIKE})
# "the Belgorod governor", "the head of the Sudzha district": a local official speaks for
# the state that governs the place named in the title.
OFFICE_WORDS = {"governor", "mayor", "head", "administration", "authorities", "council",
                "police", "prosecutor", "ombudsman", "emergency", "emergencies"}
# "took control of 900 square kilometres", "captured 82 settlements": ground gained in a
# region, not one place taken.
AREA_NOUNS = {"kilometer", "kilometre", "km", "mile", "hectare", "settlement", "village",
              "territory", "area", "land", "%", "percent"}
# "the town centre", "the city's outskirts": part of the settlement named last.
COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
           "southwest", "north-east", "north-west", "south-east", "south-west"}
HOLDING = {"hold", "defend", "retain", "keep", "control"}
FALLS = {"fall"}  # "Avdiivka fell": the subject is the place taken
UNDER_FIRE = {"attack", "fire", "shelling", "bombardment", "strike", "assault"}
PART_NOUNS = {"center", "centre", "outskirts", "edge", "part", "limits", "district",
              "districts", "zone", "suburbs", "approaches"}
# "the region", "the airbase": the last place of that kind the article named.
REFERRING_NOUNS = {"region": "admin1", "oblast": "admin1", **dict.fromkeys(
    ("airbase", "airfield", "base", "bridge", "dam", "refinery", "plant", "port", "depot",
     "terminal"), "landmark")}
RETOLD_NOUNS = {"operation", "attack", "strike", "raid", "assault", "offensive"}
TAKEN_VERBS = {"capture", "recapture", "retake", "seize", "liberate", "occupy", "storm",
               "encircle", "surround", "overrun"}
LIST_MARKS = {"-", "–", "—", ":"}
BARE_PARTS = {"outskirts", "suburbs", "centre", "center"}
# A side announces its own retaking: "liberated" said by Moscow or by Kyiv is theirs.
# "were ousted from X", "driven out of X": taken by the side other than those driven out.
EXPELLING = EXPEL_VERBS | {"drive", "push", "kick", "throw"}
RETAKING = {"liberate", "liberation", "recapture", "retake", "regain", "reclaim"}
PARTIAL_ADVERBS = {"almost", "mostly", "partially", "partly", "largely", "nearly"}
# Words that say which earlier event a bare denial answers ("denied the capture").
RESPONSE_TYPES = {"capture": CAPTURE, "seizure": CAPTURE, "fall": CAPTURE, "takeover": CAPTURE,
                  "liberation": CAPTURE, "control": CAPTURE, "advance": ADVANCE,
                  "breakthrough": ADVANCE, "strike": STRIKE, "attack": STRIKE,
                  "withdrawal": WITHDRAWAL, "retreat": WITHDRAWAL,
                  "encirclement": ENCIRCLEMENT}
# "after five months under Ukrainian control", "after a year of Russian occupation"
HELD_NOUNS = {"control", "occupation", "rule"}
CLIMB_DEPS = {"conj", "advcl", "xcomp", "relcl", "acl", "pcomp", "dobj", "pobj", "prep",
              "appos", "compound"}


def _subject_tokens(head: Token) -> set[int]:
    out: set[int] = set()
    for c in head.children:
        if c.dep_ in ("nsubj", "csubj", "agent", "expl"):
            out.update(w.i for w in c.subtree)
    return out


def _subject_is_place(trig: Trigger) -> bool:
    """"The village remains under Ukrainian control", "Avdiivka fell": the subject is
    where it happened, not who did it."""
    holder = trig.token.pos_ == "VERB" and trig.token.lemma_.lower() in HOLDING  # "Ukraine holds X"
    return (trig.type == CONTROL and not holder) or trig.token.lemma_.lower() in FALLS or \
        under_fire(trig.token)


def _clause(unit: Sequence[Trigger], others: Sequence[Trigger]) -> set[int]:
    """Token indices where the unit's places may be: its clauses, less subjects and
    the clauses of other events nested inside."""
    tokens: set[int] = set()
    heads = {t.head.i for t in unit} | {t.token.i for t in unit}
    for trig in unit:
        tokens.update(w.i for w in trig.head.subtree)
        if trig.token.dep_ in ("relcl", "acl") and trig.token.head.pos_ in ("NOUN", "PROPN"):
            tokens.add(trig.token.head.i)  # "Avdiivka, which Russia took", "the town to fall"
            tokens |= _located(trig.token.head)
        if trig.head.dep_ == "relcl" and any(c.lower_ == "where" for c in trig.head.children):
            where = trig.head.head  # "the Kursk region, where Ukraine launched an incursion"
            tokens.update(w.i for w in where.subtree if w.i < trig.head.left_edge.i)
        if not _subject_is_place(trig):
            tokens -= _subject_tokens(trig.head)
    for other in others:
        if other.head.i in tokens and other.head.i not in heads:
            tokens -= {w.i for w in other.head.subtree}
        if other.token.i in tokens and other.token.i not in heads:
            tokens -= {w.i for w in other.token.subtree}
    return tokens


def _located(noun: Token) -> set[int]:
    """"The depots hit overnight are located in X": where the noun an event word describes
    is said to lie."""
    verb = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() not in LOCATIVE_VERBS:
        return set()
    return {w.i for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "near", "at")
            for w in c.subtree}


def _governing_clauses(lead: Trigger,
                       others: Sequence[Trigger]) -> Iterator[tuple[set[int], Token]]:
    """The clauses of the verbs an event noun hangs from, nearest first ("killed in Odesa
    after a drone attack", "destroyed Sudzha with air strikes"): where its place is when its
    own words name none. Subjects and other events' clauses are left out; the climb stops
    at a reporting verb, whose clause is the speaker's, and at another event."""
    node = lead.head
    if lead.type in SITUATIONS and node.pos_ in ("VERB", "AUX") and node.dep_ == "advcl":
        node = node.head  # "…, as the enemy was surrounded": where the clause it explains is
    for _ in range(2):
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        if node.i == lead.head.i or node.pos_ not in ("VERB", "AUX") or \
                node.lemma_.lower() in REPORTING_VERBS or any(
                node.i in (o.head.i, o.token.i) for o in others):
            return  # "advancing … in its offensive": that advance's place
        tokens = {w.i for w in node.subtree} - _subject_tokens(node)
        for other in others:
            if other.head.i in tokens and other.head.i != node.i:
                tokens -= {w.i for w in other.head.subtree}
        yield tokens, node
        if node.head.i == node.i:
            return
        relative = _relative_clause(node)
        if relative is not None:  # "Sudzha's outskirts, which … destroyed by airstrikes"
            antecedent = relative.head
            yield {w.i for w in antecedent.subtree} - {w.i for w in relative.subtree}, antecedent
            return
        node = node.head


def _relative_clause(verb: Token) -> Token | None:
    """The relative clause ``verb`` is in ("which he claimed had been destroyed")."""
    node = verb
    for _ in range(3):
        if node.dep_ == "relcl":
            return node
        if node.dep_ not in ("ccomp", "xcomp", "conj") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _places(mentions: Sequence[Mention], clause: set[int], stop: set[int],
            lead: Trigger) -> list[_Place]:
    places: list[_Place] = []
    for m in mentions:
        tp = m.toponym
        antecedent = lead.token.dep_ in ("relcl", "acl") and lead.token.head.i == m.root.i
        subject = (m.root.dep_ == "nsubj" or _doer(m.root)) and not _subject_is_place(lead) \
            and not antecedent
        if m.root.i not in clause or tp.metonymic or subject or \
                (tp.resolved_name or tp.name) in CONTINENTS:
            continue  # "as Russia presses north": an actor, not a place
        path = _path(m.root, stop)
        if _venue(path) or any(t.dep_ == "appos" for t in path[:-1]):
            continue  # "talks in Istanbul"; "Kurakhove, a town south of Pokrovsk"
        origin = lead.type in (ADVANCE, STRIKE) and any(t.lower_ == "from" for t in path[1:])
        places.append(_Place(tp, path, _strength(path), origin))
    return places


def _doer(t: Token) -> bool:
    """"despite Ukraine taking part of Kursk": Ukraine is who took it, not where."""
    return t.dep_ == "pobj" and any(c.dep_ == "pcomp" and c.i > t.i for c in t.head.children)


def _path(root: Token, stop: set[int]) -> list[Token]:
    path = [root]
    node = root
    while node.i not in stop and node.head.i != node.i:
        node = node.head
        path.append(node)
    return path


def _venue(path: Sequence[Token]) -> bool:
    """"talks in Istanbul": a place where people met, not where fighting happened."""
    return any(t.dep_ == "prep" and t.head.lemma_.lower() in VENUE_NOUNS for t in path[1:])


def _first_prep(path: Sequence[Token]) -> str | None:
    for t in path[1:]:
        if t.dep_ == "prep" or t.pos_ == "ADP":
            return t.lower_
    return None


def _left(p: _Place) -> bool:
    """"retreated from X", "left X", "pulled out of X": the place given up, not "positions
    near X" nor the place they fell back toward."""
    return _first_prep(p.path) in (None, "from", "of", "out") and not any(
        w.lower_ in NEAR_WORDS or w.lower_ in DIRECTIONAL for w in p.path[1:])


def _strength(path: Sequence[Token]) -> int:
    """0 for the target itself ("into X", "captured X"), 1 for "in/near X", 2 otherwise."""
    prep = _first_prep(path)
    if prep in STRONG_PREPS or prep is None:
        return 0
    if prep == "of" and any(t.lemma_ in ("control", "liberation", "capture") for t in path):
        return 0
    return 1 if prep in NEAR_PREPS else 2


def _coordinated(a: Sequence[Token], b: Sequence[Token], events: set[int]) -> bool:
    """Is one place joined to the other by "and"/"or" (their paths meet through a conj)?
    Event words joined by "and" ("advanced to X and were pushing into Y") do not count:
    that is one movement told in two steps."""
    ia, ib = {t.i for t in a}, {t.i for t in b}
    return any(t.dep_ == "conj" and t.head.i in ia and t.i not in events for t in b) or any(
        t.dep_ == "conj" and t.head.i in ib and t.i not in events for t in a)


@dataclass
class _Place:
    toponym: Toponym
    path: list[Token]
    strength: int
    origin: bool


@dataclass
class _Draft:
    type: str
    actor: str
    sub_event_type: str | None
    places: list[Toponym]
    origin: list[Toponym]
    attestations: list[Attestation]
    when: DateMention | None
    anchor: str
    share: str | None = None
    sentence: int = -1


def _reference(p: _Place) -> bool:
    """"Selydove, southeast of Pokrovsk", "12 km north of Kupiansk": a bearing from X
    places the event by X, it does not happen at X."""
    return any(t.lower_ == "of" and t.head.lower_ in COMPASS for t in p.path[1:-1])


def _described(p: _Place) -> bool:
    """"Selydove, which lies close to Pokrovsk": a place in a relative clause describes
    another place of the event."""
    return any(t.dep_ in ("relcl", "acl") for t in p.path[1:-1])


def _near(p: _Place) -> Toponym:
    """"near Lyman", "on the outskirts of Pokrovsk": ACLED precision 2 at best."""
    t = p.toponym
    if t.precision == PRECISION_EXACT and any(w.lower_ in NEAR_WORDS for w in p.path[1:]):
        return replace(t, precision=PRECISION_NEAR)
    return t


def _rank(places: list[_Place]) -> list[Toponym]:
    ordered = sorted(places, key=lambda p: (not p.toponym.resolved, specificity(p.toponym),
                                            p.strength, p.toponym.start))
    seen: dict[str, Toponym] = {}
    for p in ordered:
        seen.setdefault(place_key(p.toponym), _near(p))
    return list(seen.values())


def _groups(targets: list[_Place], events: set[int]) -> list[list[_Place]]:
    groups: list[list[_Place]] = []
    for p in targets:
        for g in groups:
            if not any(_coordinated(p.path, q.path, events) for q in g):
                g.append(p)
                break
        else:
            groups.append([p])
    return groups


def _actor(trig: Trigger, sent: Sentence, voice: Voice) -> str:
    """Who acted: the subject's side, climbing through "and", participles and relative
    clauses; for "its forces", "troops" the nearest side named before them."""
    node = trig.token
    if node.lemma_.lower() in FALLS:
        to = [o for c in node.children if c.dep_ == "prep" and c.lower_ == "to"
              for o in c.subtree]
        return side_of_words(to) or "unknown"  # "fell to Russian forces"
    if node.dep_ == "pcomp" and _subject_of(node) is None:
        doers = [c for c in node.head.children if c.dep_ == "pobj" and c.i < node.i]
        side = side_of_words(list(doers[-1].subtree)) if doers else None
        if side:
            return side  # "despite Ukraine taking part of the region", parsed without a subject
    if trig.type == REPELLED or (trig.type == CAPTURE and node.lemma_.lower() in EXPELLING):
        repelled = [c for c in node.children if c.dep_ == "nsubjpass"]
        agent = _subject_of(node)
        if repelled and agent is None:  # "Russian troops were pushed back": the other side
            side = side_of_words(list(repelled[0].subtree)) or _own(repelled[0], voice)
            if side:
                return OTHER_SIDE[side]
    for _ in range(8):
        if node.pos_ in ("NOUN", "PROPN"):
            for c in node.children:
                if c.dep_ in ("amod", "poss", "compound", "nmod") and SIDE_WORDS.get(c.lower_):
                    return SIDE_WORDS[c.lower_]
                if c.dep_ in ("amod", "compound", "poss") and c.lemma_.lower() in ENEMY_WORDS \
                        and voice.side in OTHER_SIDE:
                    return OTHER_SIDE[voice.side]  # "an enemy strike", in a side's words
            if trig.type == CONTROL and node.i == trig.token.i:
                holder = [w for c in node.children if c.dep_ == "prep" and c.lower_ == "of"
                          for w in c.subtree]
                if side_of_words(holder):  # "under the control of Ukraine's forces"
                    return side_of_words(holder) or "unknown"
        subject = _subject_of(node) or _passive_controller(node)
        if subject is not None and subject.lower_ not in RELATIVE_PRONOUNS:
            # the head word first: "KYIV - Russia bombed…" is Russia's act
            side = SIDE_WORDS.get(subject.lower_) or side_of_words(list(subject.subtree))
            if side and _comes_under(node):
                return OTHER_SIDE.get(side, "unknown")  # "Kharkiv, Ukraine's city, came under fire"
            if side:
                return side
            if subject.lemma_.lower() in ENEMY_WORDS and voice.side in OTHER_SIDE:
                return OTHER_SIDE[voice.side]  # "the enemy", in a side's own words
            if subject.lower_ in VAGUE_SUBJECTS or subject.lemma_.lower() in VAGUE_SUBJECTS:
                own = _own(subject, voice) or (
                    voice.side if subject.lower_ == "we" and voice.side in OTHER_SIDE else None)
                if own:
                    return own  # "the ministry said its forces…"
                before = [t for t in sent.span if t.i < subject.left_edge.i]
                near = side_of_words(list(reversed(before)))
                return near or (voice.side if voice.side in ("RU", "UA") else "unknown")
            return "unknown"
        if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
            break
        if node.head.lemma_.lower() in ("accuse", "blame") and node.lower_ == "of":
            accused = [c for c in node.head.children if c.dep_ == "dobj"]
            side = side_of_words(list(accused[0].subtree)) if accused else None
            return side or "unknown"  # "Moscow accused Kyiv of shelling Belgorod"
        if node.head.lemma_.lower() in REPORTING_VERBS and node.dep_ not in ("conj", "xcomp"):
            break  # "Russia claims to have driven them out": the claimant did it
        node = node.head
    if trig.type in (CAPTURE, FIGHTING, ENCIRCLEMENT, STRIKE) and \
            trig.token.lemma_.lower() not in RETAKING:
        return "unknown"  # "Vuhledar was taken", "a strike on Poltava": the place decides
    return voice.side if voice.side in ("RU", "UA") and voice.stance == ASSERTS else "unknown"


def _own(subject: Token, voice: Voice) -> str | None:
    """"its forces", "our troops" in a side's words: that side."""
    own = any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in subject.children)
    return voice.side if own and voice.side in OTHER_SIDE else None


def _comes_under(verb: Token) -> bool:
    """"X comes under attack", "X was under fire": the subject is what was hit."""
    return any(c.dep_ == "prep" and c.lower_ == "under" and any(
        w.dep_ == "pobj" and w.lemma_.lower() in UNDER_FIRE for w in c.children)
        for c in verb.children)


def _attacker(place: Toponym) -> str:
    """Fighting with no side named is the invader's on the other's ground."""
    return OTHER_SIDE.get(place.country or "", "unknown")


def _subject_of(node: Token) -> Token | None:
    for c in node.children:
        if c.dep_ in ("nsubj",):
            return c
    for c in node.children:
        if c.dep_ == "agent":
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def _massed_side(t: Token) -> str | None:
    """Whose troops mass, if the words say: "Russian soldiers were amassing", "a build-up
    of Russian forces"."""
    words = [w for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "amod", "poss")
             for w in c.subtree]
    words += [w for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for w in c.subtree]
    return side_of_words(words)


def _passive_controller(node: Token) -> Token | None:
    """"Ukrainian forces were forced to retreat": who retreated is the passive subject."""
    if node.dep_ != "xcomp" or _subject_of(node.head) is not None:
        return None
    return next((c for c in node.head.children if c.dep_ == "nsubjpass"), None)


def _absorbed(trig: Trigger, triggers: Sequence[Trigger]) -> bool:
    """"advances into X, striking facilities and seizing territory": the participles
    elaborate the main event and name no place of their own."""
    words = {t.token.i for t in triggers if t.token.i != trig.token.i}
    node = trig.token
    for _ in range(3):
        if node.dep_ not in ("advcl", "conj", "xcomp", "acl") or node.head.i == node.i:
            return False
        node = node.head
        if node.i in words:
            return True
    return False


def _held_for(lead: Trigger) -> tuple[str, str, str] | None:
    """"Retook X after five months under Ukrainian control": the side that held X before,
    and for how long (count, unit), as the retaking tells it."""
    for verb in dict.fromkeys((lead.token, lead.head, lead.token.head)):
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "after":
                continue
            for span in (c for c in prep.children if c.dep_ == "pobj"):
                count = next((c for c in span.children if c.dep_ in ("nummod", "det")), None)
                held = [w for c in span.children if c.dep_ == "prep" and
                        c.lower_ in ("under", "of") for w in c.children
                        if w.dep_ == "pobj" and w.lemma_.lower() in HELD_NOUNS]
                side = side_of_words(list(held[0].children)) if held else None
                if count is not None and side is not None:
                    return side, count.lower_, span.lemma_.lower()
    return None


def _demonym_target(unit: Sequence[Trigger], clause: set[int], sent: Sentence) -> list[Toponym]:
    """"strikes against Ukrainian military installations": the target's country."""
    for t in sent.span:
        if t.i in clause and t.dep_ == "amod" and t.lower_ in SIDE_WORDS and \
                t.head.dep_ in ("pobj", "dobj") and t.head.i not in {u.token.i for u in unit}:
            code = SIDE_WORDS[t.lower_]
            start = sent.char(t)
            made = country_toponym(code, start, start + len(t.text), t.text)
            return [made] if made else []
    return []


def _anaphoric(t: Token) -> bool:
    """"the town", "this village", not "the town of Kurakhove" nor "Pokrovsk's town hall";
    "the outskirts" alone is the outskirts of the town the story is about."""
    if t.lower_ in BARE_PARTS and t.pos_ == "NOUN":
        return any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) and not any(
            c.dep_ in ("prep", "poss", "compound", "amod") for c in t.children)
    if t.lemma_.lower() == "area" and any(c.dep_ == "amod" and c.lower_ in ("urban", "residential")
                                          for c in t.children):
        return not any(c.dep_ in ("prep", "poss") for c in t.children)  # "urban areas"
    if t.lemma_.lower() not in ANAPHORA_NOUNS or t.pos_ != "NOUN" or t.tag_ == "NNS":
        return False
    part = t.dep_ == "compound" and t.head.lemma_.lower() in PART_NOUNS
    owner = t.head if part else t
    if not any(c.dep_ == "det" and c.lower_ in ANAPHORA_DETERMINERS for c in owner.children):
        return False
    if any(c.dep_ in ("compound", "amod", "appos") and c.pos_ == "PROPN" for c in t.children):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
        return False
    return t.dep_ != "compound" or part


def _struck_side_of(trigger: Token) -> str | None:
    """"Ukrainian positions were destroyed", "strikes on Russian airfields": the side of
    what was hit, so the other side struck."""
    hit = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    hit += [o for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
            for o in c.children if o.dep_ == "pobj"]
    for h in hit:
        side = next((SIDE_WORDS[c.lower_] for c in h.children
                     if c.dep_ in ("amod", "poss", "compound") and c.lower_ in SIDE_WORDS),
                    None)
        if side in OTHER_SIDE:
            return OTHER_SIDE[side]
    return None


def _named_before(t: Token) -> str | None:
    """"the region", "the airbase itself", "the bridge": the kind of place (``admin1`` or
    ``landmark``) whose last mention the noun stands for, not "the Kursk region"."""
    kind = REFERRING_NOUNS.get(t.lemma_.lower())
    if kind is None or t.pos_ != "NOUN" or t.tag_ == "NNS" or not any(
            c.dep_ == "det" and c.lower_ in ANAPHORA_DETERMINERS for c in t.children):
        return None
    # any word makes "the southern region" a region of its own; only a name or a phrase
    # makes "the nearby airbase" another airbase ("the Engels airbase")
    named = any(c.dep_ in ("compound", "amod", "prep", "poss", "appos") if kind == "admin1"
                else c.dep_ in ("compound", "amod", "prep", "poss") and
                c.pos_ in ("PROPN", "ADP", "PRON") for c in t.children)
    return None if named else kind


def _official(voice: Voice) -> bool:
    """A speaker whose title is an office ("Kharkiv regional governor", "the mayor")."""
    return bool(voice.claimant and voice.tokens and
                OFFICE_WORDS & set(voice.claimant.lower().replace(",", " ").split()))


def _place_pronoun(t: Token) -> bool:
    """"trying to recapture it", "it was taken": what is taken or stormed is a place."""
    return t.lower_ == "it" and t.dep_ in ("dobj", "nsubjpass") and \
        t.head.lemma_.lower() in TAKEN_VERBS


NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5}


def _plural_anaphora(t: Token) -> int:
    """"both villages", "the four villages": how many settlements named before they stand
    for (0 when the phrase is not such a reference)."""
    if t.lemma_.lower() not in ANAPHORA_NOUNS or t.tag_ != "NNS" or any(
            c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
        return 0
    words = {c.lower_: c for c in t.children if c.dep_ in ("det", "predet", "nummod")}
    if "both" in words:
        return 2
    count = next((NUMBER_WORDS.get(w, int(w) if w.isdigit() else 0) for w in words
                  if w in NUMBER_WORDS or w.isdigit()), 0)
    return count if count and words.keys() & {"the", "these", "those"} else 0


def _area_gain(trigger: Token) -> bool:
    """"took control of 900 square kilometres", "liberated 12 settlements"."""
    objs = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    objs += [o for c in objs if c.lemma_ == "control" for p in c.children
             if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    for o in objs:
        words = list(o.subtree)
        named = any(c.dep_ == "prep" and c.lower_ == "of" for c in o.children)
        if o.lemma_.lower() in AREA_NOUNS and (any(w.like_num for w in words) or (
                o.tag_ == "NNS" and o.lemma_.lower() in ("settlement", "village") and
                not named)):
            return True  # "liberating all the settlements adjacent to Sudzha"
    return False


def _enumerated(sent: Sentence, mentions: Sequence[Mention], voice: set[int]) -> list[_Place]:
    """"the governor named three hamlets lost to the Russians – A, B and C": the list
    after the dash names the villages the sentence counted, wherever the parse hung it."""
    dash = next((t for t in sent.span if t.text in LIST_MARKS), None)
    if dash is None or not any(
            t.i < dash.i and t.tag_ == "NNS" and t.lemma_.lower() in ANAPHORA_NOUNS
            for t in sent.span):
        return []
    return [_Place(m.toponym, [], 0, False) for m in mentions
            if m.root.i > dash.i and m.toponym.kind == "settlement" and m.root.i not in voice]


def _setting(lead: Trigger, mentions: Sequence[Mention], voice: set[int],
             ground: str | None) -> list[_Place]:
    """"The situation in the town grew worse as Russian troops pushed forward": a push told
    with no place of its own, in a clause of time or cause, is at the one settlement of
    the other side's country (``ground``) the sentence is about; a meeting in a capital as
    troops advance is not where they did."""
    verb = lead.token.head if lead.token.dep_ == "xcomp" else lead.token  # "kept pushing"
    if ground is None or verb.dep_ != "advcl" or not any(
            c.dep_ == "mark" and c.lower_ in ("as", "while") for c in verb.children):
        return []
    found = {place_key(m.toponym): m for m in mentions if m.root.i not in voice and
             m.toponym.kind == "settlement" and m.toponym.country == ground and
             not m.toponym.metonymic and m.root.dep_ not in ("nsubj", "nsubjpass")}
    return [_Place(m.toponym, [m.root], 2, False) for m in found.values()] \
        if len(found) == 1 else []


def _share(path: Sequence[Token]) -> str | None:
    """"72 percent of X": the share stated, when it is."""
    for t in path:
        if t.lower_ in ("percent", "%"):
            num = [c for c in t.children if c.like_num]
            if num:
                return f"{num[0].text}%"
    return None


def _partial(places: Sequence[_Place], trigger: Token, head: Token | None = None) -> bool:
    """"most of X", "72 percent of X", or "X is almost completely in Russian hands"."""
    chain = [trigger]
    while chain[-1].i != (head or trigger).i and chain[-1].head.i != chain[-1].i and \
            len(chain) < 4:
        chain.append(chain[-1].head)  # "shows X almost completely in Russian hands"
    near = [w for n in chain for w in (n, *n.children, *(g for c in n.children
                                                         for g in c.children))]
    return any(w.lower_ in PARTIAL_WORDS for p in places for w in p.path[1:-1]) or any(
        w.lower_ in PARTIAL_ADVERBS for w in near)


class ClaimExtractor:
    """Reads one article; keeps the speakers named so far for "the Ministry said"."""

    def __init__(self, article: Article, sents: list[Sentence], toponyms: list[Toponym],
                 dates: list[DateMention]) -> None:
        self.article = article
        self.sents = sents
        self.toponyms = outermost(toponyms)
        self.dates = [d for d in dates if d.value is not None]
        self.speakers = Speakers()
        self.drafts: list[_Draft] = []
        self.unattributed: list[_Draft] = []  # fighting whose side no word names
        self.quoted: dict[int, Voice] = {}
        self.current = -1
        self.carried: tuple[int, Voice] | None = None
        self.sourced: Voice | None = None
        self.settlements = sorted((t for t in self.toponyms if t.kind == "settlement" and
                                   t.resolved and not t.metonymic), key=lambda t: t.start)
        self.named = {kind: sorted((t for t in self.toponyms if t.kind == kind and
                                    t.resolved and not t.metonymic), key=lambda t: t.start)
                      for kind in ("admin1", "landmark")}
        outlet = affiliation_of(article.outlet) if article.outlet else None
        self.outlet_side = outlet.side if outlet else None

    def run(self) -> list[_Draft]:
        self.quoted = quoted_voices(self.article.text, self.sents, self.speakers)
        for n, sent in enumerate(self.sents):
            self.current = n
            self._remember_speakers(sent)  # "X said … which he claimed": he is X
            if not self._sentence(sent):
                said = stated_by(sent.span, self.speakers)
                if said is not None:
                    self._credit_previous(n - 1, said)
                else:
                    self._response(sent)
            self._carry_source(sent)
        self.settle_actors()
        self.fought_by_captors()
        self.contest_captures()
        self.retold()
        return self.drafts

    def retold(self) -> None:
        """"The missiles hit the training centre": an event told again without its place,
        in a sentence that names none, when the article locates exactly one event of that
        type, is that event retold; in a sentence that places one event of its type, it is
        that event."""
        for d in [d for d in self.drafts if not d.places and not d.origin]:
            beside = [o for o in self.drafts if o.sentence == d.sentence and o.places and
                      o.type == d.type and (o.actor == d.actor or "unknown" in (o.actor,
                                                                                d.actor))]
            if len({place_key(o.places[0]) for o in beside}) == 1:
                # "attacked a depot in Engels … after reports of drone attacks": one strike
                beside[0].attestations.extend(a for a in d.attestations
                                              if a not in beside[0].attestations)
                self.drafts.remove(d)
        for d in [d for d in self.drafts if not d.places and not d.origin and
                  not mentions_in(self.sents[d.sentence], self.toponyms)]:
            located = [o for o in self.drafts if o.type == d.type and o.places and
                       o.places[0].kind != "country"]
            keys = {place_key(o.places[0]) for o in located}
            actors = {o.actor for o in located} - {"unknown"}
            if len(keys) != 1 or len(actors) > 1 or (
                    d.actor != "unknown" and actors and d.actor not in actors):
                continue
            target = next((o for o in located if o.sub_event_type == d.sub_event_type),
                          located[0])  # a flag told again joins the flag raised
            target.attestations.extend(a for a in d.attestations
                                       if a not in target.attestations)
            self.drafts.remove(d)

    def fought_by_captors(self) -> None:
        """Fighting at a place, its side unnamed, in an article that tells one side taking
        that place is that side's assault ("Russia says it took X … fighting goes on in X"),
        on the invader's ground or its own; of a place taken and retaken, the side whose
        taking is told nearest the fighting's day."""
        published = self.article.published

        def day(x: _Draft) -> date | None:
            return x.when.value if x.when and x.when.value else published

        for d in self.unattributed:
            keys = {place_key(t) for t in d.places}
            captures = [c for c in self.drafts if c.type == CAPTURE and c.actor in OTHER_SIDE
                        and keys & {place_key(t) for t in c.places}]
            fought = day(d)
            if fought is not None and captures:
                gaps = [abs((day(c) or fought) - fought) for c in captures]
                captures = [c for c, g in zip(captures, gaps, strict=True) if g == min(gaps)]
            captors = {c.actor for c in captures}
            if len(captors) == 1:
                d.actor = captors.pop()

    def contest_captures(self) -> None:
        """"Fighting continues in the town" from the side said to have lost it denies the
        capture (or the control claimed) in effect, unless it was said of a time before."""
        published = self.article.published
        for c in self.drafts:
            if c.type not in (CAPTURE, CONTROL) or c.actor not in OTHER_SIDE:
                continue
            taken = c.when.value if c.when and c.when.value else published
            keys = {place_key(t) for t in c.places}
            loser = OTHER_SIDE[c.actor]
            for d in self.drafts:
                if d is c or d.type not in (FIGHTING, CONTROL) or not keys & {
                        place_key(t) for t in d.places}:
                    continue
                if d.when and d.when.value and taken and d.when.value < taken:
                    continue
                held = d.type == FIGHTING or d.actor == loser
                said = [a for a in d.attestations
                        if a.stance == ASSERTS and a.claimant_side == loser]
                if held and said and not any(a.claimant_side == loser and a.stance == DENIES
                                             for a in c.attestations):
                    c.attestations.append(replace(said[0], stance=DENIES))

    def _paragraph(self, sent: Sentence) -> int:
        return self.article.text.count("\n", 0, sent.start)

    def _carry_source(self, sent: Sentence) -> None:
        """A wire roundup names its source once ("According to the General Staff, …",
        "As reported by Ukrinform, …") for the sentences of its paragraph that follow; a
        digest's "Source: X" line for its "Details:" and "Quote:" lines, until another
        label ("Background:") or source."""
        label = line_label(self.article.text, sent.start)
        if label == "source":
            self.sourced = source_line_voice(self.article.text, sent.start)
        elif label is not None and label not in SOURCED_LABELS:
            self.sourced = None
        source = according_to(sent.span)
        if source is not None:
            voice = self._office(sent, voice_of_phrase(source, self.speakers, ASSERTS, None))
            if voice.claimant:
                self.carried = (self._paragraph(sent), voice)
                return
        if self.carried is not None and self.carried[0] != self._paragraph(sent):
            self.carried = None

    def _remember_speakers(self, sent: Sentence) -> None:
        for t in sent.span:
            if t.lemma_.lower() in REPORTING_VERBS and t.pos_ == "VERB":
                speaker = speaker_of(t)
                if speaker is not None and speaker.lower_ not in ("he", "she", "it", "they"):
                    self.speakers.remember(self._office(
                        sent, voice_of_phrase(speaker, self.speakers, ASSERTS, t)))

    def _told_again(self, lead: Trigger, actor: str) -> _Draft | None:
        """"The operation targeted a plant that supplies the airbase", after "forces attacked
        a depot in Engels": a subject that points back ("the operation", "the attack") makes
        the verb a retelling of the article's last event of its type."""
        if lead.token.pos_ != "VERB" or not any(
                c.dep_ == "nsubj" and c.lemma_.lower() in RETOLD_NOUNS and any(
                    d.dep_ == "det" and d.lower_ in ANAPHORA_DETERMINERS for d in c.children)
                for c in lead.token.children):
            return None
        before = [d for d in self.drafts if d.type == lead.type and d.places and
                  d.sentence < self.current and (d.actor == actor or "unknown" in (
                      d.actor, actor))]
        return before[-1] if before else None

    def _governed(self, sent: Sentence, voice: Voice, mentions: Sequence[Mention]
                  ) -> list[_Place]:
        """"Kharkiv regional governor said two bombs hit a hypermarket": a local official
        telling of a strike with no place of its own tells of one where they govern."""
        if not _official(voice):
            return []
        return [_Place(m.toponym, [m.root], 1, False) for m in mentions
                if m.root.i in voice.tokens and m.toponym.kind in ("settlement", "admin1")
                and not m.toponym.metonymic][:1]

    def _office(self, sent: Sentence, voice: Voice) -> Voice:
        """The side of a local official whose title names the place they govern."""
        if voice.side is not None or not _official(voice):
            return voice
        doc = sent.span.doc
        chars = {sent.char(doc[i]) for i in voice.tokens}
        sides = {t.country for t in self.toponyms if t.kind != "country" and t.country in
                 OTHER_SIDE and any(t.start <= c < t.end for c in chars)}
        return replace(voice, side=sides.pop()) if len(sides) == 1 else voice

    def _attestation(self, sent: Sentence, voice: Voice, said_on: date | None) -> Attestation:
        voice = self._office(sent, voice)
        text = sent.span.text
        lead = len(text) - len(text.lstrip())
        quote = text.strip()
        stance, side = voice.stance, voice.side
        if stance == REPORTS:
            side = self.outlet_side
        a = self.article
        return Attestation(
            article_id=a.id, stance=stance, quote=quote, start=sent.start + lead,
            end=sent.start + lead + len(quote), claimant=voice.claimant, claimant_side=side,
            outlet=a.outlet, url=a.url, published=a.published, said_on=said_on)

    def _dates_in(self, sent: Sentence, tokens: Iterable[int] | None) -> list[DateMention]:
        if tokens is None:
            return [d for d in self.dates if sent.start <= d.start < sent.end]
        spans = [(sent.char(sent.span.doc[i]), sent.char(sent.span.doc[i]) +
                  len(sent.span.doc[i].text)) for i in tokens]
        return [d for d in self.dates if any(s < d.end and d.start < e for s, e in spans)]

    @staticmethod
    def _governs(sent: Sentence, d: DateMention, trigger: Token) -> bool:
        """Does the date modify a word the event hangs from ("On Sunday the ministry said
        its forces took X") rather than a clause beside it ("the first town to fall in
        2025 after capturing X last year")?"""
        above = {a.i for a in trigger.ancestors}
        words = [t for t in sent.span if d.start <= sent.char(t) < d.end]
        inside = {t.i for t in words}
        for t in words:
            head = t.head
            if head.i in inside:
                continue
            if head.pos_ == "ADP" and head.head.i != head.i:
                head = head.head  # "on Friday", "in 2024"
            if head.lemma_.lower() in DOCUMENT_NOUNS and head.head.pos_ == "ADP":
                head = head.head.head  # "in its report from 25 January, ISW said"
            if head.i in above:
                return True
        return False

    def _antecedent(self, before: int) -> Toponym | None:
        """The settlement "the town" stands for: the last one an event was placed at, else
        the last one named ("Selydove, near Pokrovsk … the town" is Selydove)."""
        earlier = [t for t in self.settlements if t.end <= before]
        placed = {place_key(d.places[0]) for d in self.drafts if d.places}
        topical = [t for t in earlier if place_key(t) in placed]
        return (topical or earlier)[-1] if earlier else None

    def _mentions(self, sent: Sentence) -> list[Mention]:
        """The sentence's place mentions, "the town" standing for the last one named."""
        mentions = mentions_in(sent, self.toponyms)
        taken = set().union(*(m.tokens for m in mentions)) if mentions else set()
        for t in sent.span:
            if t.i in taken:
                continue
            if _anaphoric(t) or _place_pronoun(t):
                antecedent = self._antecedent(sent.char(t))
                if antecedent is not None:
                    mentions.append(Mention(antecedent, t, frozenset({t.i})))
            elif (kind := _named_before(t)) is not None:
                last = next((m for m in reversed(self.named[kind]) if m.end <= sent.char(t)),
                            None)
                if kind == "admin1":
                    last = self._region_struck_since(last, sent.char(t)) or last
                if last is not None:
                    mentions.append(Mention(last, t, frozenset({t.i})))
            elif (n := _plural_anaphora(t)) and n <= 8:
                mentions += [Mention(a, t, frozenset({t.i}))
                             for a in self._antecedents(sent.char(t), n)]
        return mentions

    def _region_struck_since(self, region: Toponym | None, before: int) -> Toponym | None:
        """"Drones struck the city of Sumy … air defences downed drones over the region": the
        region of a town an event was placed at after the region last named, when the two
        differ."""
        towns = [d.places[0] for d in self.drafts if d.places and
                 d.places[0].kind == "settlement" and d.places[0].end <= before and
                 (region is None or d.places[0].start > region.end)]
        town = max(towns, key=lambda t: t.start, default=None)
        if town is None or (region is not None and town.admin1 == region.admin1):
            return None
        return region_of(town)

    def _antecedents(self, before: int, n: int) -> list[Toponym]:
        """The ``n`` settlements "both villages" stands for: the last ``n`` named in this
        sentence or the one before, else none (reaching further back guesses)."""
        since = self.sents[self.current - 1].start if self.current > 0 else 0
        found: dict[str, Toponym] = {}
        for t in self.settlements:
            if since <= t.start and t.end <= before:
                found.pop(place_key(t), None)
                found[place_key(t)] = t
        return list(found.values())[-n:] if len(found) >= n else []

    def _sentence(self, sent: Sentence) -> bool:
        mentions = self._mentions(sent)
        topo_tokens = set().union(*(m.tokens for m in mentions)) if mentions else set()
        triggers = find_triggers(sent.span, topo_tokens)
        if not triggers:
            return False
        units: list[list[Trigger]] = []
        for trig in triggers:
            joined = next((u for u in units if any(
                trig.token.dep_ in ("conj", "acl") and trig.token.head.i == o.token.i and
                o.type == trig.type for o in u)), None)  # "strikes targeting the airbase"
            if joined is not None:
                joined.append(trig)
            else:
                units.append([trig])
        for unit in units:
            self._unit(sent, unit, triggers, mentions)
        self._denied_beside(sent)
        return True

    def _denied_beside(self, sent: Sentence) -> None:
        """"X said its troops took Y, but Ukraine denied this claim": the denial in the
        clause beside the claim answers it."""
        here = [d for d in self.drafts if d.sentence == self.current]
        if not here or any(a.stance == DENIES for d in here for a in d.attestations):
            return
        voice = response_voice(sent.span, self.speakers)
        if voice is None or voice.stance != DENIES:
            return
        for d in here:
            if any(a.stance == ASSERTS and a.claimant_side != voice.side
                   for a in d.attestations):
                d.attestations.append(self._attestation(sent, voice, None))

    def _unit(self, sent: Sentence, unit: list[Trigger], triggers: list[Trigger],
              mentions: list[Mention]) -> bool:
        lead = unit[0]
        denied = negated(lead.token) or (
            (lead.type == CONTROL or lead.token.lemma_ == "control") and negated(lead.head))
        voices = voices_for(lead.token, sent.span, self.speakers, denied)
        if voices[0].stance == REPORTS and self.current in self.quoted:
            voices = [self.quoted[self.current]]  # inside a quotation whose speaker is named
        elif voices[0].stance == REPORTS and self.carried is not None and \
                self.carried[0] == self._paragraph(sent):
            voices = [self.carried[1]]  # "As reported by X, …" goes on in the paragraph
        elif voices[0].stance == REPORTS and self.sourced is not None and \
                line_label(self.article.text, sent.start) in SOURCED_LABELS:
            voices = [self.sourced]  # "Source: X" above "Details: …"
        voice = voices[0]
        clause = _clause(unit, [t for t in triggers if t not in unit]) - set(voice.tokens)
        stop = {t.head.i for t in unit} | {t.token.i for t in unit}
        others = [t for t in triggers if t not in unit]
        places = _places(mentions, clause, stop, lead)
        told_before = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                          for c in lead.token.children)  # "the attack": retold, not new
        if all(p.origin for p in places) and not told_before:
            for wider, verb in _governing_clauses(lead, others):
                found = _places(mentions, wider - set(voice.tokens) - clause, stop | {verb.i},
                                lead)
                if any(not p.origin for p in found):
                    places += found
                    break
        targets = [p for p in places if not p.origin]
        if not targets and lead.type in (CAPTURE, ADVANCE) and _area_gain(lead.token):
            # "took 1,150 square kilometres", the region named elsewhere in the sentence
            regions = [(m, m.toponym if m.toponym.kind == "admin1" else
                        region_of_capital(m.toponym)) for m in mentions
                       if not m.toponym.metonymic and m.root.i not in voice.tokens]
            targets = [_Place(r, [m.root], 2, False) for m, r in regions if r is not None]
        if not targets and lead.type in (CAPTURE, ADVANCE, CONTROL, WITHDRAWAL):
            targets = _enumerated(sent, mentions, set(voice.tokens))
        if not targets and lead.type == ADVANCE:
            targets = _setting(lead, mentions, set(voice.tokens),
                               OTHER_SIDE.get(_actor(lead, sent, voice)))
        if not targets and lead.type == STRIKE and not _absorbed(lead, triggers):
            targets = self._governed(sent, voice, mentions)
        for aside in (_reference, _described):
            kept = [p for p in targets if not aside(p)]
            if kept and min(specificity(p.toponym) for p in kept) <= min(
                    specificity(p.toponym) for p in targets):
                targets = kept  # never a region for the town it was placed by
        origins = [p for p in places if p.origin]
        if not targets and origins and lead.type == ADVANCE:
            targets, origins = origins, []
        targets = [p for p in targets if not any(
            contains(p.toponym, q.toponym) for q in targets)]
        if (lead.type in MOVEMENTS or lead.type in SITUATIONS) and targets and all(
                p.toponym.kind == "country" for p in targets):
            return False  # "advanced further into Ukraine": the war, not an event
        if lead.type in SITUATIONS and not targets:
            return False  # fighting or encirclement somewhere unnamed: nothing to draw
        groups = _groups(targets, stop)
        if not groups:
            demonym = _demonym_target(unit, clause, sent) if lead.type == STRIKE else []
            if not demonym and _absorbed(lead, triggers):
                return False
            groups = [[_Place(t, [], 1, False) for t in demonym]]
        actor = _actor(lead, sent, voice if voice.side else replace(voice, side=self.outlet_side))
        if lead.sub_event_type == FAILED_ATTACK and actor in OTHER_SIDE:
            actor = OTHER_SIDE[actor]  # the attacker failed: the other side held
        if actor == "unknown" and lead.token.lemma_.lower() in RETAKING and targets:
            # "the liberation of X": liberated by whoever calls it so
            actor = next((s for s in (voice.side, self.outlet_side) if s in OTHER_SIDE),
                         "unknown")
        teller = voice.side or self.outlet_side
        if lead.sub_event_type == BUILD_UP and _massed_side(lead.token) is None and \
                teller in OTHER_SIDE:
            actor = OTHER_SIDE[teller]  # "we see a concentration of troops": the enemy's
        defaulted = actor == "unknown" and lead.type == FIGHTING
        if actor == "unknown" and lead.type in ATTACKER_DECIDES and targets:
            actor = _attacker(targets[0].toponym)
        if actor == "unknown" and lead.type == REPELLED and targets and \
                targets[0].toponym.country in OTHER_SIDE:
            actor = targets[0].toponym.country or actor  # held off on its own ground
        if actor == "unknown" and lead.sub_event_type == FLAG_RAISED:
            flags = [c for c in lead.token.children if c.dep_ in ("dobj", "nsubjpass")]
            actor = (side_of_words(list(flags[0].subtree)) if flags else None) or actor
        if actor == "unknown" and lead.type == STRIKE:
            actor = _struck_side_of(lead.token) or actor
        if actor == "unknown" and lead.type == STRIKE and voice.stance == ASSERTS and \
                voice.side in OTHER_SIDE:
            actor = voice.side
        in_clause = self._dates_in(sent, clause)
        elsewhere = [d for d in self._dates_in(sent, None)
                     if d not in in_clause and self._governs(sent, d, lead.token)]
        said = elsewhere[0] if elsewhere and voice.verb is not None else None
        when = in_clause[0] if in_clause else (said or (elsewhere[0] if elsewhere else None))
        attestations = [self._attestation(sent, v, said.value if said else None)
                        for v in voices]
        attestation = attestations[0]
        kind_said = lead.type
        if lead.type == CONTROL and actor in OTHER_SIDE and (denied or any(
                c.lower_ == "now" for c in lead.head.children)):
            kind_said = CAPTURE  # "X is now (not) under Russian control": a capture (denied)
        # "Moscow says Ukrainian troops retreated from X": a side telling of the enemy's
        # retreat from a place claims it for itself; only the side that left owns a pullout
        claimed = lead.type == WITHDRAWAL and voice.stance == ASSERTS and \
            teller in OTHER_SIDE and actor == OTHER_SIDE[teller]
        sub = capture_sub_event(actor) if kind_said == CAPTURE else lead.sub_event_type
        # "its operation in parts of X goes on": still there, not a share of X assessed
        operating = lead.token.lemma_.lower() in OPERATION_NOUNS
        earlier = self._told_again(lead, actor)
        if earlier is not None:
            earlier.attestations.extend(a for a in attestations
                                        if a not in earlier.attestations)
            return True
        for group in groups:
            kind, group_sub, share, doer = kind_said, sub, None, actor
            if claimed and all(_left(p) for p in group):
                kind, group_sub, doer = CAPTURE, capture_sub_event(teller or ""), teller or actor
            if kind in (CAPTURE, ADVANCE, CONTROL) and not operating and (
                    _partial(group, lead.token, lead.head) or _area_gain(lead.token)):
                kind = ADVANCE
                group_sub = sub if sub == FLAG_RAISED else PARTIAL_CONTROL
                share = next((s for s in (_share(p.path) for p in group) if s), None)
            self.drafts.append(_Draft(
                type=kind, actor=doer, sub_event_type=group_sub, places=_rank(group),
                origin=_rank(origins), attestations=list(attestations), when=when,
                anchor=f"{self.article.id}:{attestation.start}:{lead.token.i}", share=share,
                sentence=self.current))
            if defaulted:
                self.unattributed.append(self.drafts[-1])
        if kind_said == CAPTURE:
            self._held_before(lead, actor, groups, attestations, when)
        return True

    def _held_before(self, lead: Trigger, actor: str, groups: list[list[_Place]],
                     attestations: list[Attestation], when: DateMention | None) -> None:
        """A place retaken "after five months under Ukrainian control" was taken by that
        side about that long before: an earlier capture the sentence tells in passing."""
        held = _held_for(lead)
        if held is None or held[0] != OTHER_SIDE.get(actor):
            return
        side, count, unit = held
        retaken = when.value if when and when.value else self.article.published
        then = span_before(retaken, count, unit) if retaken else None
        if then is None:
            return
        taken = DateMention(lead.token.idx, lead.token.idx, "", then[0], then[1], True, "text")
        for group in groups:
            self.drafts.append(_Draft(
                type=CAPTURE, actor=side, sub_event_type=capture_sub_event(side),
                places=_rank(group), origin=[], attestations=list(attestations), when=taken,
                anchor=f"{self.article.id}:{attestations[0].start}:{lead.token.i}:held",
                sentence=self.current))

    def _credit_previous(self, n: int, voice: Voice) -> None:
        """"This was stated by X": X is the source of the sentence before, told as fact."""
        if n < 0:
            return
        for d in self.drafts:
            if d.sentence == n and all(a.stance == REPORTS for a in d.attestations):
                d.attestations = [self._attestation(self.sents[n], voice, None)]
                if d.actor == "unknown" and d.type == WITHDRAWAL and voice.side in OTHER_SIDE:
                    d.actor = voice.side

    def _response(self, sent: Sentence) -> None:
        voice = response_voice(sent.span, self.speakers)
        if voice is None:
            return
        named = {place_key(m.toponym) for m in self._mentions(sent)}
        about = [d for d in self.drafts if named & {place_key(t) for t in d.places}]
        claims = [d for d in self.drafts if any(
            a.stance == ASSERTS and (voice.side is None or a.claimant_side != voice.side)
            for a in d.attestations)]
        candidates = about or claims
        named_types = {RESPONSE_TYPES[t.lemma_.lower()] for t in sent.span
                       if t.lemma_.lower() in RESPONSE_TYPES}
        candidates = [d for d in candidates if d.type in named_types] or candidates
        candidates = [d for d in candidates if any(
            a.stance == ASSERTS and a.claimant_side in OTHER_SIDE and
            a.claimant_side != voice.side for a in d.attestations)] or candidates
        if candidates:
            dates = self._dates_in(sent, None)
            candidates[-1].attestations.append(self._attestation(
                sent, voice, dates[0].value if dates else None))

    def settle_actors(self) -> None:
        """"Glide bombs hit Kharkiv" in a headline: the actor the article gives the same
        event elsewhere ("Russian aircraft dropped glide bombs on Kharkiv")."""
        for d in self.drafts:
            if d.actor != "unknown" or not d.places:
                continue
            keys = {place_key(t) for t in d.places}
            known = sorted({o.actor for o in self.drafts if o.type == d.type and
                            o.actor != "unknown" and keys & {place_key(t) for t in o.places}})
            if len(known) == 1:
                d.actor = known[0]


def _event(d: _Draft) -> Event:
    when = d.when.value if d.when else None
    precision = d.when.precision if d.when else None
    main = d.places[0] if d.places else None
    extra: dict[str, str] = {"date_basis": d.when.basis} if d.when and d.when.basis else {}
    if d.share:
        extra["share"] = d.share
    return build(d.type, d.actor, d.places, d.origin, d.attestations, when, precision,
                 event_id_=event_id(d.type, d.actor, main, when, d.anchor),
                 sub_event_type=d.sub_event_type, extra=extra)


def extract_events(article: Article, parser: Geoparser | None = None) -> list[Event]:
    """The events of one article, each with its attestations from it and its status."""
    parser = parser or default_geoparser()
    return _events_of(article, parser.parse(article.text))


def extract_many(articles: Sequence[Article],
                 parser: Geoparser | None = None) -> Iterator[list[Event]]:
    """The events of each article, the texts parsed together: the model runs faster on a
    batch than on one text at a time."""
    parser = parser or default_geoparser()
    results = parser.parse_many(a.text for a in articles)
    for article, result in zip(articles, results, strict=True):
        yield _events_of(article, result)


def _events_of(article: Article, result: ParseResult) -> list[Event]:
    sents = sentences(result.doc)
    dates = find_dates(article.text, article.published)
    drafts = ClaimExtractor(article, sents, result.toponyms, dates).run()
    return fuse(_event(d) for d in drafts)


