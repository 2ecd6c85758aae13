"""Find place mentions in a parsed text: gazetteer spans checked against the NER tags.

The small English model misses many Ukrainian names (it tags Pokrovsk as a person and Sumy
as a nationality), so the gazetteer proposes spans and the model only vetoes: a span inside
a longer person or organisation name ("Washington Post") or a lone demonym ("Russian") is
not a place, and a proper noun the model calls a person is kept only where the text treats
it as a place ("near Lyman", "the Pokrovsk direction") or the gazetteer knows it as a large
or front-line place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from geo.gazetteer.index import Gazetteer
from geo.gazetteer.names import description_key, name_key
from geo.gazetteer.state_abbreviations import ABBREVIATIONS
from geo.parse.sentences import DIGEST_LABELS

MAX_WORDS = 6
PLACE_LABELS = {"GPE", "LOC", "FAC"}
NON_PLACE_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW",
                    "LANGUAGE"}
NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"}
CONNECTORS = {"of", "de", "del", "la", "le", "upon", "on", "am", "an", "na", "sur", "du", "des",
              "el", "al", "-", "'s", "’s", "and"}
LOCATIVE_PREPS = {"in", "near", "at", "from", "to", "into", "towards", "toward", "outside",
                  "around", "inside", "across", "through", "via", "within", "of", "on", "by",
                  "nearby", "between", "beyond", "outskirts", "east", "west", "north", "south"}
REGION_WORDS = {"region", "regions", "oblast", "oblasts", "province", "provinces", "krai",
                "republic", "district", "county", "state", "governorate", "regional"}
WATER_WORDS = {"river", "reservoir"}
APPOSED_REGIONS = {"region", "oblast", "province"}
SETTLEMENT_WORDS = {"village", "villages", "town", "towns", "city", "cities", "settlement",
                    "settlements", "hamlet", "direction", "directions", "axis", "front",
                    "sector", "area", "outskirts"}
UNIT_WORDS = {"forces", "brigade", "brigades", "group", "grouping", "command", "battalion",
              "regiment", "division", "corps", "army", "troops", "spokesperson", "spokesman",
              "operational", "airlines", "club", "university", "fc"}
# A possessive the tokenizer leaves glued to its name ("Vuhledarʼs", modifier apostrophe)
POSSESSIVES = ("ʼs", "’s", "'s")
# Lower-case words that still belong to a name: "Crimean peninsula", "Kerch strait".
GENERIC_PARTS = {"peninsula", "river", "sea", "lake", "island", "islands", "bay", "strait",
                 "district", "raion", "hromada", "community", "territorial",
                 "gulf", "mountains", "valley", "canal", "reservoir", "bridge", "dam", "airport",
                 "airbase", "port", "nuclear", "power", "plant", "station", "hydroelectric"}
STREET_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "boulevard", "lane", "drive",
                "highway", "square", "parkway", "way", "court", "plaza", "hall", "county"}
# Capitalised words that are also the names of some village somewhere.
COMMON_WORDS = {"north", "south", "east", "west", "city", "center", "centre", "hall", "state",
                "street", "road", "secretary", "university", "park", "college", "church",
                "bank", "mount", "lake", "river", "island", "beach", "valley", "hill", "union",
                "republic", "kingdom", "federation", "nation", "county", "district", "province",
                "region", "capital", "village", "town", "post", "time", "times", "march", "may",
                "june", "july", "august", "monday", "sunday", "friday", "god", "president",
                "governor", "mayor", "minister", "senate", "congress", "police", "army",
                "navy", "victoria", "hope", "mobile", "reading", "bath", "most", "opportunity"}
DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ans", "ic")
ACTION_VERBS = {"shell", "strike", "hit", "attack", "bomb", "capture", "seize", "take",
                "liberate", "enter", "reach", "encircle", "storm", "occupy", "recapture",
                "retake", "surround", "target", "pound", "raid", "evacuate", "defend", "abandon"}
NEAR_WORDS = {"near", "outside", "around", "nearby", "outskirts", "close"}
# "Northeast Georgia", "North Texas": part of a place the gazetteer knows by the rest
COMPASS_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
                 "southwest", "north-east", "north-west", "south-east", "south-west",
                 "northern", "southern", "eastern", "western", "central"}
# Things inside or beside a place, which the gazetteer does not hold but the article's places
# locate. Buildings are often named for their town ("Guernsey County Courthouse", "Kharkiv
# Tractor Plant"); streets and waters for some other place ("Hampton Avenue", "Mississippi
# River"), so only a building's name is searched for a place.
BUILDING_WORDS = {
    "airport", "airfield", "station", "hospital", "clinic", "school", "college", "university",
    "academy", "cathedral", "church", "mosque", "temple", "basilica", "monastery", "stadium",
    "arena", "mall", "center", "centre", "market", "hall", "jail", "prison", "courthouse",
    "library", "museum", "hotel", "plant", "factory", "refinery", "depot", "base", "building",
    "tower"}
WAY_WORDS = {
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "lane",
    "square", "plaza", "bridge", "park", "port", "harbor", "harbour", "river", "lake", "creek",
    "island", "islands", "beach", "bay", "canal", "reservoir", "dam", "forest", "falls",
    "valley", "mountain", "mountains", "hill"}
# "Highway 19", "Route 128", "Interstate 45"
ROUTE_WORDS = {"highway", "hwy", "route", "interstate", "exit"}
# Strong places pass the NER veto on their own: known, large or where the news is.
STRONG_POPULATION = 100_000
FEAST_WORDS = {"day", "eve"}
# "the Easter truce", "a Christmas ceasefire": a feast the model may tag as a place.
HOLIDAYS = {"easter", "christmas", "ramadan", "passover", "hanukkah", "thanksgiving", "eid",
            "diwali", "orthodox easter", "victory day"}
SAINT_WORDS = {"st", "st.", "saint", "ste", "ste."}
FOCUS_COUNTRIES = {"UA", "RU"}
# Russia's regions on the border, which Ukrainian forces have crossed into: what a force
# enters there is the region, not its capital ("entered Kursk", "the incursion into Kursk").
BORDER_REGIONS = {"RU-KRS", "RU-BEL", "RU-BRY"}
INCURSION_VERBS = {"enter", "invade", "push", "cross", "move", "advance", "break", "storm",
                   "penetrate", "raid", "incur"}
INCURSION_NOUNS = {"incursion", "invasion", "offensive", "raid", "push", "advance", "foray"}
# "Ukrainian units in Kursk", "retreated from Kursk", "operations to retake Kursk": ground
# forces there, which a border region's city never saw; a strike on it can hit the city.
GROUND_NOUNS = {"troops", "forces", "units", "unit", "soldiers", "army", "grouping", "offensive",
                "operation", "operations", "incursion", "areas", "parts", "territory", "presence",
                "actions"}
GROUND_VERBS = {"retreat", "withdraw", "oust", "expel", "dislodge", "operate", "remain",
                "defeat", "encircle", "surround"}
RETAKE_VERBS = {"retake", "liberate", "recapture", "reclaim", "clear"}
# Front-line names are kept whatever the model's tag: the theatre of the war (Ukraine and the
# Russian regions fought over on its border) and towns of this size anywhere in it.
THEATRE_ADMIN1 = {"RU-KRS", "RU-BEL", "RU-BRY"}
FRONT_LINE_POPULATION = 10_000
# The word a list of names ends in says what they all are: "the Kharkiv and Sumy regions".
LIST_HEADS = {"regions": "admin1", "oblasts": "admin1", "provinces": "admin1",
              "villages": "settlement", "towns": "settlement", "cities": "settlement",
              "settlements": "settlement"}
# Title-case words after a place's name that make the whole an organisation's name.
ORG_HEADS = {"independent", "council", "administration", "post", "times", "university",
             "institute", "academy", "agency", "media", "news", "daily", "tribune", "herald",
             "radio", "tv", "channel", "company", "bank", "holding", "club", "fc", "airlines",
             "group", "brigade", "battalion", "regiment", "division", "corps", "command",
             "committee", "court", "prosecutor", "office", "ministry", "police", "pravda",
             "today", "telegraph", "journal", "gazette", "force"}
# Words that name the army groupings called after the compass ("Vostok", "Yug", "North").
GROUP_WORDS = {"battlegroup", "battlegroups", "grouping", "forces", "group"}
# A line this capitalised is a headline, where capitals say nothing about names.
HEADLINE_SHARE = 0.7
# Titles that mark the next name as a person's even where a town is a modifier ("Dr. Paris").
TITLES = {"mr", "mrs", "ms", "dr", "sen", "gov", "rep", "president", "judge", "officer", "mr.",
          "mrs.", "ms.", "dr.", "sen.", "gov.", "rep.", "sgt.", "lt.", "gen."}
# Words before a name that make it a person's: "Gen. Syrskyi", "Governor Lysak".
PERSON_TITLES = {t.rstrip(".") for t in TITLES} | {
                 "general", "colonel", "col", "major", "maj", "captain", "capt",
                 "lieutenant", "lt", "sgt", "sergeant", "commander", "minister", "governor",
                 "mayor", "spokesman", "spokeswoman", "spokesperson", "premier", "prime",
                 "chancellor", "secretary", "ambassador", "deputy", "head", "chief", "saint",
                 "st", "pope", "king", "queen", "prince", "princess", "lord", "lady", "sir",
                 "madam", "miss", "professor", "prof", "analyst", "journalist", "correspondent",
                 "blogger"}


@dataclass(frozen=True)
class Mention:
    """A recognised span with what its context says about the kind of place it names."""

    start: int
    end: int
    text: str
    key: str
    rows: tuple[int, ...]
    kind_hint: str | None = None
    near: bool = False
    ner_label: str | None = None
    token_start: int = 0
    token_end: int = 0
    landmark_row: int | None = None
    # names a street, a plant, a river... that only the article's places can locate
    facility: bool = False
    # known only to the codifier of every Ukrainian village: kept in Ukrainian news only
    village: bool = False
    # a one-word theatre name the model calls a person: kept only beside other such places
    lone: bool = False


@lru_cache(maxsize=200_000)
def _key(text: str) -> str:
    return name_key(text)


def _starts_name(tok: Token) -> bool:
    text = tok.text
    if not text or not text[0].isupper():
        return False
    return tok.is_alpha or "-" in text or "'" in text or (
        "." in text and all(c.isalpha() or c == "." for c in text))  # "U.S.", "W.Va."


def _continues_name(tok: Token) -> bool:
    return _starts_name(tok) or tok.lower_ in CONNECTORS or tok.lower_ in GENERIC_PARTS


def _entity_index(doc: Doc) -> list[Span | None]:
    index: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


def _is_facility(span: Span) -> bool:
    last = span[-1].lower_.rstrip(".")
    return last in BUILDING_WORDS or last in WAY_WORDS or (
        len(span) > 1 and span[0].lower_ in ROUTE_WORDS and span[1].like_num)


def _line_label(doc: Doc, i: int, j: int) -> bool:
    """"Background:" at the head of a line: a digest's label, not a place."""
    return j - i == 1 and j < len(doc) and doc[j].text == ":" and \
        doc[i].lower_ in DIGEST_LABELS and (i == 0 or "\n" in doc[i - 1].text_with_ws)


def _feast(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens i..j end in a feast day: "St. Patrick's Day", "New Year's Eve"."""
    return 0 <= i < j - 2 <= len(doc) - 2 and doc[j - 2].lower_ in ("'s", "’s") and (
        doc[j - 1].lower_ in FEAST_WORDS)


def _trim_entity(ent: Span) -> tuple[int, int]:
    """Token bounds of an entity without a leading article or a trailing possessive."""
    start, end = ent.start, ent.end
    if start < end and ent.doc[start].lower_ in ("the", "a"):
        start += 1
    if end - 1 > start and ent.doc[end - 1].lower_ in ("'s", "’s", "'"):
        end -= 1
    return start, end


def _context(doc: Doc, start: int, end: int) -> tuple[str | None, bool, bool]:
    """(kind hint, 'near' modifier, locative context) from the words around a span."""
    after = doc[end].lower_ if end < len(doc) else ""
    after2 = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    if after in ("'s", "’s"):
        after, after2 = after2, doc[end + 2].lower_ if end + 2 < len(doc) else ""
    before = [doc[i].lower_ for i in range(max(0, start - 4), start)]
    hint = None
    if doc[end - 1].lower_ in WATER_WORDS or after in WATER_WORDS or _water_cue(doc, start, end):
        hint = "water"
    elif after in REGION_WORDS or (after == "people" and after2 in ("'s", "’s")) or (
            after in ("border", "borderline", "frontier") and after2 in REGION_WORDS):
        hint = "admin1"
    elif after in SETTLEMENT_WORDS:
        hint = "settlement"
    elif after == "," and after2 in ("a", "an", "the"):
        hint = _apposed_kind(doc, end + 2)
    elif before[-2:-1] and before[-1] == "of":
        head = before[-2]
        if head in REGION_WORDS:
            hint = "admin1"
        elif head in SETTLEMENT_WORDS:
            hint = "settlement"
    near = any(w in NEAR_WORDS for w in before[-3:])
    # skip determiners and adjectives back to a preposition: "from the northern Pokrovsk"
    locative = False
    for i in range(start - 1, max(-1, start - 4), -1):
        tok = doc[i]
        if tok.lower_ in LOCATIVE_PREPS:
            locative = True
            break
        if tok.pos_ not in ("DET", "ADJ", "CCONJ", "PUNCT", "PROPN", "NUM"):
            break
    if not locative:
        locative = _object_of_action(doc[end - 1])
    return hint, near, locative or hint not in (None, "water")


def _apposed_kind(doc: Doc, k: int) -> str | None:
    """"Belgorod, a neighbouring Russian region": the noun of the apposition after the
    name says what it is, past its adjectives."""
    for tok in doc[k:k + 5]:
        word = tok.lower_
        if word in APPOSED_REGIONS:
            return "admin1"
        if word in ("village", "town", "city", "settlement"):
            return "settlement"
        if tok.pos_ not in ("ADJ", "PROPN", "ADV", "VERB", "PUNCT") or tok.text == ",":
            return None
    return None


def _crossed_into(tok: Token) -> bool:
    """'troops entered Kursk', 'pushed into Belgorod', 'the incursion into Kursk': the name
    is where a force crossed into."""
    if tok.dep_ == "conj":
        tok = tok.head
    if tok.dep_ == "dobj":
        return tok.head.lemma_ in INCURSION_VERBS
    head = tok.head
    return (tok.dep_ == "pobj" and head.lower_ == "into"
            and (head.head.lemma_ in INCURSION_VERBS or head.head.lemma_ in INCURSION_NOUNS))


def _ground_war(tok: Token) -> bool:
    """"troops in Kursk", "ousted from Kursk", "to retake Kursk": the name is ground that
    armies hold or lose, not a city struck from afar."""
    if tok.dep_ == "conj":
        tok = tok.head
    if tok.dep_ == "dobj":
        return tok.head.lemma_ in RETAKE_VERBS
    head = tok.head
    if tok.dep_ == "compound":
        return head.lower_ == "territory"  # "liberated Kursk territory"
    if tok.dep_ != "pobj" or head.lower_ not in ("in", "from", "of", "within", "inside"):
        return False
    owner = head.head
    return owner.lower_ in GROUND_NOUNS or (owner.pos_ == "VERB" and owner.lemma_ in GROUND_VERBS)


def _water_cue(doc: Doc, start: int, end: int) -> bool:
    """"the left bank of the Dnipro", "across the Oskil", "troops on the Dnipro": a bare name
    after "the" is a river's where a river bears it (towns take no article); the resolver
    only weighs it for names a river of the gazetteer bears."""
    if start < 1 or doc[start - 1].lower_ != "the":
        return False
    nxt = doc[end] if end < len(doc) else None
    return nxt is None or not (nxt.pos_ in ("NOUN", "PROPN") or nxt.text in ("-", "–"))


def _object_of_action(tok: Token) -> bool:
    """'shelled Chasiv Yar', 'captured Robotyne and Verbove': what is hit or taken is a place."""
    if tok.dep_ == "conj":
        tok = tok.head
    return tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_ in ACTION_VERBS


def _conjunct_of_place(doc: Doc, ents: list[Span | None], k: int) -> bool:
    """'in Murmansk, Irkutsk and Amur': a name coordinated with one the model tags as a
    place is a place too, whatever its own tag."""
    tok = doc[k]
    first = doc[k].left_edge
    if first.i > 0 and doc[first.i - 1].lower_.rstrip(".") in PERSON_TITLES or (
            first.lower_.rstrip(".") in PERSON_TITLES):
        return False  # "Cambridge and Mr Savino"
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    ent = ents[tok.i]
    return tok.i != k and ent is not None and ent.label_ in PLACE_LABELS


def _is_demonym_or_unit(doc: Doc, start: int, end: int) -> bool:
    if end - start == 1 and (doc[start].pos_ == "ADJ"
                             or doc[start].lower_.endswith(DEMONYM_ENDINGS)):
        return True
    return end < len(doc) and doc[end].lower_ in UNIT_WORDS


def _modifier_use(doc: Doc, i: int, j: int) -> bool:
    """'an Alexandria man', '1935 Orchard St., Alexandria,': how towns appear in local news,
    never how a person is named."""
    if i > 0 and doc[i - 1].lower_ in TITLES:
        return False
    tok = doc[j - 1]
    return tok.dep_ in ("compound", "appos", "pobj", "npadvmod") and not (
        j < len(doc) and doc[j].pos_ == "PROPN")


def _longer_than(ent: Span, i: int, j: int) -> bool:
    """A gazetteer name that spans more than the entity ("Zaporizhzhia nuclear power plant"
    around a one-word PERSON tag) is better evidence than the tag."""
    e_start, e_end = _trim_entity(ent)
    return i <= e_start and e_end <= j and j - i > e_end - e_start


def _part_of_longer_name(doc: Doc, e_start: int, e_end: int, i: int, j: int) -> bool:
    """Whether tokens [i, j) are only a piece of a longer proper name the model tagged."""
    if i > e_start and _starts_name(doc[i - 1]):
        return True
    if j < e_end:
        nxt = doc[j]
        return _starts_name(nxt) and nxt.lower_ not in REGION_WORDS | SETTLEMENT_WORDS
    return False


def _headlines(doc: Doc) -> list[bool]:
    """Per token, whether its line is in title case ("Kurakhove Captured, Says Moscow"):
    most of the line's longer words capitalised. Lines, not sentences: the model splits
    headlines at their capitals."""
    flags = [False] * len(doc)
    start = 0
    for k, tok in enumerate(doc):
        if "\n" in tok.text or "\n" in tok.whitespace_ or k == len(doc) - 1:
            words = [t for t in doc[start:k + 1] if t.is_alpha and len(t) > 3]
            if len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= (
                    HEADLINE_SHARE * len(words)):
                flags[start:k + 1] = [True] * (k + 1 - start)
            start = k + 1
    return flags


def _person_names(doc: Doc, place: Callable[[str], bool]) -> set[str]:
    """Words of the person names a text spells out in full: once "Oleksandr Syrskyi" is
    written, a bare "Syrskyi" is the man, whatever village shares the name. Only names of
    two or three capitalised words count, which the model seldom gets wrong, and never a
    word that is the own name of a place of the war ("Myrnohrad Holds" is a headline, not
    a man), nor a name with a region word ("Dnepropetrovsk Regions")."""
    return {t.text for ent in doc.ents if ent.label_ == "PERSON" and 1 < len(ent) < 4
            and all(t.is_alpha and t.text[0].isupper() for t in ent)
            and not any(t.lower_ in REGION_WORDS or t.lower_ in SETTLEMENT_WORDS for t in ent)
            for t in ent if not place(t.text)}


def _cyrillic_name(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and "\u0400" <= tok.text[0] <= "\u04ff"


def _grouping(doc: Doc, i: int, j: int) -> bool:
    """An army grouping named after a compass point or a river: "the Vostok battlegroup",
    "the Yug military group", "Battlegroup North", "the Group of Forces Dnepr"."""
    before = doc[i - 1].lower_ if i > 0 else ""
    after = [t.lower_ for t in doc[j:j + 2]]
    return (before in GROUP_WORDS or bool(after) and after[0] in GROUP_WORDS - {"forces"}
            or after[:2] == ["military", "group"] or after[:2] == ["battle", "group"]
            or i > 1 and [t.lower_ for t in doc[i - 2:i]] == ["battle", "group"])


def _lower_words(doc: Doc) -> set[str]:
    """Words this text also writes in lower case ("Advance" in a title is a common word),
    leaving out URL slugs ("kurakhovo-in-donbass"), where names are lower-cased too."""
    slug = {"-", "/", "_"}
    return {t.text for t in doc if t.is_lower and t.is_alpha and not (
        t.i > 0 and doc[t.i - 1].text in slug and not doc[t.i - 1].whitespace_
        or t.i + 1 < len(doc) and doc[t.i + 1].text in slug and not t.whitespace_)}


def _listed(doc: Doc, i: int, j: int) -> bool:
    """Whether the name stands in a list of capitalised names ("Novenke, Basivka and X")."""
    before = doc[i - 1].text if i > 0 else ""
    after = doc[j].text if j < len(doc) else ""
    return (before in (",", "and") and i > 1 and doc[i - 2].text[:1].isupper()
            or after in (",", "and") and j + 1 < len(doc) and doc[j + 1].text[:1].isupper())


def _common_word(doc: Doc, i: int, j: int, lower_words: set[str]) -> bool:
    """A lone capitalised word that is also an everyday word ("As", "Most", "Key"): only
    sentence position or a headline capitalised it."""
    if j - i > 1:
        return False
    tok = doc[i]
    return (tok.is_stop or tok.lower_ in lower_words or tok.lower_ in COMMON_WORDS
            or len(tok.text) < 3)


def _named_thing(doc: Doc, i: int, j: int, headline: bool,
                 persons: frozenset[str] | set[str],
                 ent: Span | None, place: Callable[[str], bool]) -> bool:
    """Whether the text makes the place name at [i, j) part of a person's or an
    organisation's name: a title before it ("Governor Lysak"), a first name or a name's
    first word before it ("State Duma"), a surname after it, an organisation word closing
    the capitalised words after it ("Sumy City Council")."""
    if j - i == 1 and doc[i].text in persons:
        return True
    if i > 0 and doc[i - 1].lower_.rstrip(".") in PERSON_TITLES:
        return True
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and _cyrillic_name(prev) and _cyrillic_name(doc[i]) and not place(
            prev.text):
        return True  # "Алексей Иванов": a first name and a surname
    covered = ent is not None and ent.start < i and ent.label_ in NON_PLACE_LABELS
    if (not headline and prev is not None and prev.text[:1].isupper() and prev.is_alpha
            and not place(prev.text) and prev.lower_ not in COMPASS_WORDS
            and not prev.lower_.endswith(DEMONYM_ENDINGS + ("ing",))  # "Capturing X"
            and (prev.pos_ == "PROPN" and covered
                 or not prev.is_sent_start and (prev.pos_ == "PROPN" or covered))):
        return True  # "United Russia", "Ukrainska Pravda", "Tommy Barr"
    run = []
    for k in range(j, min(len(doc), j + 4)):
        tok = doc[k]
        if not tok.text[:1].isupper() or tok.is_sent_start:
            break
        run.append(tok)
    if any(t.lower_ in ORG_HEADS for t in run):
        return True
    if _grouping(doc, i, j):
        return True
    if not run or headline:
        return False
    nxt = run[0].lower_
    return (run[0].pos_ == "PROPN" and run[0].is_alpha and not place(run[0].text)
            and nxt not in REGION_WORDS
            and nxt not in SETTLEMENT_WORDS and nxt not in GENERIC_PARTS
            and nxt not in COMPASS_WORDS
            and nxt not in ("people", "people's"))


def _list_head(doc: Doc, end: int) -> str | None:
    """The kind a list of names ends in: "Murmansk, Irkutsk and Amur oblasts" names regions,
    "Novenke, Basivka and Zhuravka villages" villages."""
    for k in range(end, min(len(doc), end + 16)):
        tok = doc[k]
        head = LIST_HEADS.get(tok.lower_)
        if head is not None:
            return head
        if not (tok.text in (",", "and", "or") or tok.text[:1].isupper() or tok.text == "-"):
            return None
    return None


class Recognizer:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.max_words = min(MAX_WORDS, gazetteer.max_words)
        self._landmarks = _description_pattern(gazetteer.descriptions)

    def mentions(self, doc: Doc, offset: int = 0) -> list[Mention]:
        ents = _entity_index(doc)
        # words this text also writes in lower case are common words ("Advance" in a title)
        lower_words = _lower_words(doc)
        persons = _person_names(doc, self._theatre_own_name)
        headlines = _headlines(doc)
        found: list[Mention] = []
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if not _starts_name(tok):
                i += 1
                continue
            state = self._state_abbreviation(doc, i, offset)
            if state is not None:
                found.append(state)
                i += 1
                continue
            match = self._longest(doc, i)
            if match is None:
                i += 1
                continue
            j, key, rows = match
            mention = self._vet(doc, ents, i, j, key, rows, offset, lower_words, persons,
                                headlines[i])
            if mention is not None and self._names_building(doc, j, rows):
                mention = _building(doc, mention, j, offset)
                j += 1
            if mention is not None:
                found.append(mention)
                i = j
            else:
                i += 1
        found = self._in_war_context(found)
        found.extend(self._ner_only(doc, ents, found, offset))
        found.extend(self._described_landmarks(doc, offset))
        return sorted(found, key=lambda m: (m.start, -m.end))

    def _names_building(self, doc: Doc, j: int, rows: tuple[int, ...]) -> bool:
        """"the Kolos stadium": a place's name before a building word names the building,
        unless the place is a town of FRONT_LINE_POPULATION ("Kherson airport" is Kherson's)."""
        return (j < len(doc) and doc[j].lower_ in BUILDING_WORDS
                and all(self.gaz.population(r) < FRONT_LINE_POPULATION for r in rows[:50]))

    def _state_abbreviation(self, doc: Doc, i: int, offset: int) -> Mention | None:
        """"Ky." in "Paris, Ky.": only after a comma that follows a name."""
        iso = ABBREVIATIONS.get(doc[i].text)
        if iso is None or i < 2 or doc[i - 1].text != "," or not doc[i - 2].text[:1].isupper():
            return None
        row = self.gaz.admin1_row(iso)
        if row is None:
            return None
        tok = doc[i]
        return Mention(tok.idx + offset, tok.idx + len(tok.text) + offset, tok.text,
                       self.gaz.key_of(row), (row,), "admin1", False, "GPE", i, i + 1)

    def _abbreviated_state(self, text: str) -> tuple[str, tuple[int, ...]] | None:
        row = self.gaz.admin1_row(iso) if (iso := ABBREVIATIONS.get(text)) else None
        return None if row is None else (self.gaz.key_of(row), (row,))

    def _longest(self, doc: Doc, i: int) -> tuple[int, str, tuple[int, ...]] | None:
        """Longest gazetteer name starting at token i, as (end token, key, rows)."""
        best = None
        end = i
        limit = min(len(doc), i + self.max_words)
        while end < limit:
            tok = doc[end]
            if end > i and not _continues_name(tok):
                break
            end += 1
            last = doc[end - 1]
            if last.lower_ in CONNECTORS or last.is_punct:
                continue
            text = doc[i:end].text
            key = _key(text)
            rows = self.gaz.rows_for_key(key)
            if rows:
                best = (end, key, rows)
        return best

    def _vet(self, doc: Doc, ents: list[Span | None], i: int, j: int, key: str,
             rows: tuple[int, ...], offset: int, lower_words: set[str],
             persons: frozenset[str] | set[str] = frozenset(),
             headline: bool = False) -> Mention | None:
        if len(key) < 2:
            return None
        hint, near, locative = _context(doc, i, j)
        if hint == "water" and not any(self.gaz.line(self.gaz.id_of(r)) for r in rows[:50]):
            hint = None  # "along the Syrian-Turkish border": no river of that name
        if hint is None:
            hint = _list_head(doc, j)
        if hint is None and (_crossed_into(doc[j - 1]) or _ground_war(doc[j - 1])) and any(
                self.gaz.kind_of(r) == "admin1" and self.gaz.admin1_of(r) in BORDER_REGIONS
                for r in rows[:50]):
            hint = "admin1"  # "entered Kursk", "the incursion into Belgorod": the region
        ent = ents[i]
        label = ent.label_ if ent is not None else None
        nxt = doc[j].lower_ if j < len(doc) else ""
        possessive = doc[j - 1].lower_ in ("'s", "’s")
        village = all(self.gaz.exhaustive(r) for r in rows[:50])
        if nxt in UNIT_WORDS and not possessive and not (
                nxt in ("forces", "troops", "army")
                and (label in PLACE_LABELS and not village or self._notable(rows, key))):
            return None  # "Khortytsia forces", "Azov brigade": a unit, not a place
        if nxt in STREET_WORDS:
            return None  # "Dublin Road", "Main Street"
        if (_feast(doc, i, j + 2) or _feast(doc, i - 2, j)) and (
                doc[i].lower_ in SAINT_WORDS or not self._strong(rows, key)):
            return None  # "St. Patrick's Day": a feast, not the town named for the saint
        if _grouping(doc, i, j) or self._acronym(doc, i, j, key, rows) or _line_label(doc, i, j):
            return None
        if village:
            return self._village(doc, i, j, key, rows, offset, label, hint, near, locative,
                                 lower_words, persons, headline)
        strong = self._strong(rows, key)
        front = self._front_line(rows, key)
        if front == "town" and label in NON_PLACE_LABELS:
            front = None  # beyond the war a surname ("Moore said") is likelier than a town
        if front and label not in NUMERIC_LABELS and not _common_word(
                doc, i, j, lower_words) and not _named_thing(
                doc, i, j, headline, persons, ent, self._in_theatre):
            lone = front == "theatre" and label == "PERSON" and j - i == 1 and not (
                locative or hint or headline)
            start = doc[i].idx
            end = doc[j - 1].idx + len(doc[j - 1].text)
            return Mention(start + offset, end + offset, doc[i:j].text, key, rows, hint, near,
                           label, i, j, lone=lone)
        elif "\u0400" <= doc[i].text[0] <= "\u04ff":
            # the English model cannot judge Cyrillic; trust names of the region's places,
            # unless a first name stands before ("Алексей Иванов")
            if not any(self.gaz.country_of(r) in FOCUS_COUNTRIES for r in rows[:50]) or (
                    i > 0 and _cyrillic_name(doc[i - 1])
                    and not self._in_theatre(doc[i - 1].text)):
                return None
        elif ent is not None and _longer_than(ent, i, j):
            pass
        elif ent is not None:
            e_start, e_end = _trim_entity(ent)
            inside_longer = (e_start < i or e_end > j) and not (e_start >= i and e_end <= j)
            if label in NUMERIC_LABELS:
                return None
            if label in NON_PLACE_LABELS and (inside_longer or not (locative or strong)):
                return None  # "Washington Post", "Security Council of Ukraine", "NATO"
            if label == "PERSON" and not (locative or hint or strong and (
                    _modifier_use(doc, i, j) or _conjunct_of_place(doc, ents, j - 1))):
                return None  # "Lincoln said": a person unless the text treats it as a place
            if label in PLACE_LABELS and _part_of_longer_name(doc, e_start, e_end, i, j):
                return None  # "Street" in "Elm Street", "Washington" in "Washington Heights"
            if label == "NORP" and hint is None and (self.gaz.kind_of(rows[0]) not in (
                    "country", "admin1") or doc[j - 1].pos_ == "ADJ"):
                return None  # "Jewish families", not the Jewish Autonomous Oblast
        elif not self._untagged_ok(doc, i, j, key, rows, hint, locative, strong, lower_words):
            return None
        start = doc[i].idx
        end = doc[j - 1].idx + len(doc[j - 1].text)
        return Mention(start + offset, end + offset, doc[i:j].text, key, rows, hint, near,
                       label, i, j)

    def _acronym(self, doc: Doc, i: int, j: int, key: str, rows: tuple[int, ...]) -> bool:
        """"the committee on CIS affairs": two or three capitals are an acronym, not a small
        town spelt in capitals (Cis), unless a place is known by those letters ("US", "DPR")
        or it opens a dateline ("ROM, May 2 -")."""
        text = doc[i].text
        if j - i != 1 or not (2 <= len(text) <= 3 and text.isalpha() and text.isupper()):
            return False
        if i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space:
            return False
        return all(self.gaz.kind_of(r) not in ("country", "admin1") and
                   _key(self.gaz.place(r).name) == key for r in rows[:50])

    def _village(self, doc: Doc, i: int, j: int, key: str, rows: tuple[int, ...],
                 offset: int, label: str | None, hint: str | None, near: bool,
                 locative: bool, lower_words: set[str], persons: frozenset[str] | set[str],
                 headline: bool) -> Mention | None:
        """A name only the codifier knows: a place where the words around it make it one
        ("the village of X", "near X", "X, Y and Z", the model's own place tag), and only in
        an article about the war (checked once the whole text is read)."""
        if label in NUMERIC_LABELS or hint == "admin1" or _common_word(
                doc, i, j, lower_words) or _named_thing(doc, i, j, headline, persons,
                                                        None, self._in_theatre):
            return None
        inside = j + 1 < len(doc) and doc[j].lower_ == "in"  # "X in the Kherson region"
        if not (hint == "settlement" or locative or label in PLACE_LABELS or inside
                or _listed(doc, i, j)):
            return None
        start = doc[i].idx
        end = doc[j - 1].idx + len(doc[j - 1].text)
        return Mention(start + offset, end + offset, doc[i:j].text, key, rows, hint, near,
                       label, i, j, village=True)

    def _in_war_context(self, found: list[Mention]) -> list[Mention]:
        """Drop codifier villages and lone person-tagged names unless the text is about the
        war: it names a place of the theatre on firmer ground, or two such names stand
        together ("Lyman and Siversk")."""
        lone_keys = {m.key for m in found if m.lone}
        firm = any(not (m.village or m.lone) and self._in_theatre_rows(m, countries=False)
                   and (m.key not in lone_keys or m.kind_hint or m.ner_label in PLACE_LABELS)
                   for m in found)
        keep_lone = firm or len(lone_keys) > 1
        keep_village = firm or keep_lone and bool(lone_keys)
        return [m for m in found if not (m.village and not keep_village
                                         or m.lone and not keep_lone)]

    def _in_theatre_rows(self, m: Mention, countries: bool = True) -> bool:
        """Whether the mention names a place of the theatre; without ``countries``, a place
        within it: "Russia" alone does not make an article war news."""
        if m.landmark_row is not None:
            return False
        rows = m.rows if countries else tuple(
            r for r in m.rows[:50] if self.gaz.kind_of(r) != "country")
        return self._front_line(rows, m.key) == "theatre"

    def _theatre_own_name(self, word: str) -> bool:
        """Whether the word is the own or former official name of a place of the theatre:
        "Burliuk", an alternate name of some village, is still the painter's surname."""
        key = _key(word)
        rows = tuple(r for r in self.gaz.rows_for_key(key)
                     if self.gaz.is_primary(r, key) or self.gaz.was_named(r, key))
        return self._front_line(rows, key) == "theatre"

    def _in_theatre(self, word: str) -> bool:
        key = _key(word)
        return self._front_line(self.gaz.rows_for_key(key), key) == "theatre"

    def _untagged_ok(self, doc: Doc, i: int, j: int, key: str, rows: tuple[int, ...],
                     hint: str | None, locative: bool, strong: bool,
                     lower_words: set[str]) -> bool:
        """A gazetteer span the model did not tag at all: demand more evidence."""
        single = j - i == 1
        if i > 0 and doc[i - 1].lower_.rstrip(".") in PERSON_TITLES:
            return False  # "Mr Savino"
        if single and (doc[i].lower_ in lower_words or doc[i].lower_ in COMMON_WORDS) and not (
                locative and strong or hint):
            return False  # "Advance" in a headline, "North", "Street"
        all_proper = all(t.pos_ == "PROPN" or t.lower_ in CONNECTORS
                         or k > i and t.lower_ in GENERIC_PARTS for k, t in enumerate(doc[i:j], i))
        if not all_proper:
            return locative and strong
        if locative or hint or strong:
            return True
        return not single and self._plausible_single(rows, key)

    def _only_alternate(self, rows: tuple[int, ...], key: str) -> bool:
        """No place bears the name as its own or former official name: it is only a
        variant, a translation or a generated spelling."""
        return not any(self.gaz.is_primary(r, key) or self.gaz.was_named(r, key)
                       for r in rows[:50])

    def _strong(self, rows: tuple[int, ...], key: str) -> bool:
        """Known well enough to stand without context: a country, a region, a landmark, a
        front-line place or a city of 100 k, by its own name."""
        for r in rows[:50]:
            if not self.gaz.is_primary(r, key):
                continue
            if self.gaz.kind_of(r) in ("country", "admin1", "admin2", "landmark"):
                return True
            if self.gaz.country_of(r) in FOCUS_COUNTRIES:
                return True
            if self.gaz.population(r) >= STRONG_POPULATION:
                return True
        return False

    def _notable(self, rows: tuple[int, ...], key: str) -> bool:
        """A country, a region or a city of 100 k: big enough to lend its name to an army
        ("Kiev forces"), where a village's name before "forces" is a unit's."""
        return any(self.gaz.kind_of(r) in ("country", "admin1")
                   or self.gaz.population(r) >= STRONG_POPULATION for r in rows[:50])

    def _front_line(self, rows: tuple[int, ...], key: str) -> str | None:
        """A place of the theatre under any of its names, or a Russian town of 10 k under
        its own (where drones strike): the model's tag is no evidence against them (it calls
        Lyman a person, Sumy a nationality). Elsewhere alternate names are too often words
        ("Key", "Terror") and towns too often surnames ("Lincoln", "Moore").
        Says which: "theatre" or "town"."""
        town = None
        for r in rows[:50]:
            if self.gaz.exhaustive(r):
                continue
            kind = self.gaz.kind_of(r)
            if kind == "country" and self.gaz.country_of(r) in FOCUS_COUNTRIES:
                return "theatre"
            if kind not in ("settlement", "admin1", "admin2", "landmark", "other"):
                continue
            if self.gaz.country_of(r) == "UA" or self.gaz.admin1_of(r) in THEATRE_ADMIN1:
                return "theatre"
            if (kind == "settlement" and self.gaz.country_of(r) in FOCUS_COUNTRIES
                    and self.gaz.population(r) >= FRONT_LINE_POPULATION
                    and self.gaz.is_primary(r, key)):
                town = "town"
        return town

    def _plausible_single(self, rows: tuple[int, ...], key: str) -> bool:
        """A lone capitalised proper noun the NER did not tag: keep it if it is the own name
        of some place (not only a former or foreign name)."""
        return any(self.gaz.is_primary(r, key) for r in rows[:50])

    def _ner_only(self, doc: Doc, ents: list[Span | None], found: list[Mention],
                  offset: int) -> list[Mention]:
        """Place entities the gazetteer does not know by their whole name: a compass part of a
        known region, a building named for its town, a street or river that the article's
        other places locate; the rest recognised and left unresolved."""
        taken = [(m.start - offset, m.end - offset) for m in found]
        extra = []
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                continue
            s, e = _trim_entity(ent)
            if s >= e:
                continue
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
            if any(a < end and start < b for a, b in taken):
                continue
            text = doc[s:e].text
            if not text[:1].isupper() or _is_demonym_or_unit(doc, s, e) or _grouping(
                    doc, s, e) or _feast(doc, s, e):
                continue
            if text[-2:] in POSSESSIVES:  # "Vuhledarʼs": one token with its apostrophe
                text, end = text[:-2], end - 2
            hint, near, _ = _context(doc, s, e)
            key = _key(text)
            rows = self.gaz.rows_for_key(key)
            if not rows and key in HOLIDAYS or _line_label(doc, s, e):
                continue
            if hint == "water" and not any(self.gaz.line(self.gaz.id_of(r)) for r in rows[:50]):
                hint = None
            facility = False
            rest = _key(doc[s + 1:e].text) if e - s > 1 and doc[s].lower_ in COMPASS_WORDS else ""
            if not rows and (state := self._abbreviated_state(text)) is not None:
                key, rows = state  # "Mass." alone, tagged as a place
            elif not rows and rest and self._strong(self.gaz.rows_for_key(rest), rest):
                key, rows, near = rest, self.gaz.rows_for_key(rest), True
            elif not rows and _is_facility(doc[s:e]):
                named_for = self._building_town(doc[s:e])
                if named_for is None:
                    facility = True
                else:
                    key, rows = named_for
                    near = True
            elif not rows and e - s > 1 and (named_for := self._place_within(doc[s:e])):
                key, rows = named_for  # "Lamar County Commissioners", "Metro Nashville"
                near = True
            extra.append(Mention(start + offset, end + offset, text, key, rows, hint, near,
                                 ent.label_, s, e, facility=facility))
        return extra

    def _building_town(self, span: Span) -> tuple[str, tuple[int, ...]] | None:
        """The place a building is named for ("Henderson County Jail" -> Henderson County):
        its longest leading words that name a place, if a single word then a strong one."""
        if span[-1].lower_ not in BUILDING_WORDS:
            return None
        return self._leading_place(span)

    def _leading_place(self, span: Span) -> tuple[str, tuple[int, ...]] | None:
        for cut in range(len(span) - 1, 0, -1):
            if (found := self._known_part(span[:cut])) is not None:
                return found
        return None

    def _place_within(self, span: Span) -> tuple[str, tuple[int, ...]] | None:
        """The place an unknown name is named for or qualifies: its longest leading or
        trailing words that name a place ("Lamar County Commissioners", "Santa Clara Valley
        Water District", "Metro Nashville"); of two as long, the larger place."""
        parts = [self._known_part(span[:cut]) for cut in range(1, len(span))]
        parts += [self._known_part(span[cut:]) for cut in range(1, len(span))]
        found = [f for f in parts if f is not None]
        if not found:
            return None
        return max(found, key=lambda f: (f[0].count(" "),
                                         max(self.gaz.prior(r, f[0]) for r in f[1][:50])))

    def _known_part(self, part: Span) -> tuple[str, tuple[int, ...]] | None:
        """Words of a longer name that name a place on their own: several words that are
        some place's own name, or one word that is a strong place's."""
        if (state := self._abbreviated_state(part.text)) is not None:
            return state  # "Western Mass."
        if len(part) == 1 and (part[0].lower_ in COMPASS_WORDS or len(_key(part.text)) < 3):
            return None  # "Western", "North", "St.": a direction, not Zambia's province
        key = _key(part.text)
        rows = self.gaz.rows_for_key(key)
        known = self._plausible_single if len(part) > 1 else self._strong
        rows = tuple(r for r in rows if not self.gaz.exhaustive(r))  # not "Kolos" village
        return (key, rows) if rows and known(rows, key) else None

    def _described_landmarks(self, doc: Doc, offset: int) -> list[Mention]:
        if self._landmarks is None:
            return []
        out = []
        text = doc.text
        for m in self._landmarks.finditer(text):
            row = self.gaz.descriptions.get(description_key(m.group("desc")))
            if row is None:
                continue
            start, end = m.start(), m.end()
            out.append(Mention(start + offset, end + offset, text[start:end],
                               self.gaz.key_of(row), (row,), "landmark", False, None,
                               0, 0, landmark_row=row))
        return out


def _building(doc: Doc, m: Mention, j: int, offset: int) -> Mention:
    """The mention widened to the building word after it, as a facility the article's own
    places locate (a village of that name far away would be a confident wrong point)."""
    end = doc[j].idx + len(doc[j].text) + offset
    return Mention(m.start, end, doc[m.token_start:j + 1].text, m.key, (), m.kind_hint, True,
                   m.ner_label, m.token_start, j + 1, facility=True)


def _description_pattern(descriptions: dict[str, int]) -> re.Pattern[str] | None:
    if not descriptions:
        return None
    alts = []
    for key in sorted(descriptions, key=len, reverse=True):
        words = [re.escape(w) for w in key.split()]
        alts.append(r"\W+".join(words))
    return re.compile(r"(?:\bthe\s+)?(?P<desc>\b(?:" + "|".join(alts) + r")\b)", re.IGNORECASE)
