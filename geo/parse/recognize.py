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
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from geo.gazetteer.index import Gazetteer
from geo.gazetteer.names import description_key, name_key
from geo.gazetteer.state_abbreviations import ABBREVIATIONS

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
                "republic", "district", "county", "state", "governorate"}
SETTLEMENT_WORDS = {"village", "villages", "town", "towns", "city", "cities", "settlement",
                    "settlements", "hamlet", "direction", "directions", "axis", "front",
                    "sector", "area", "outskirts"}
UNIT_WORDS = {"forces", "brigade", "brigades", "group", "grouping", "command", "battalion",
              "regiment", "division", "corps", "army", "troops", "spokesperson", "spokesman",
              "operational", "airlines", "club", "university", "fc"}
# Lower-case words that still belong to a name: "Crimean peninsula", "Kerch strait".
GENERIC_PARTS = {"peninsula", "river", "sea", "lake", "island", "islands", "bay", "strait",
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
FOCUS_COUNTRIES = {"UA", "RU"}


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
    if after in REGION_WORDS or (after == "people" and after2 in ("'s", "’s")):
        hint = "admin1"
    elif after in SETTLEMENT_WORDS:
        hint = "settlement"
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
    return hint, near, locative or hint is not None


def _object_of_action(tok: Token) -> bool:
    """'shelled Chasiv Yar', 'captured Robotyne and Verbove': what is hit or taken is a place."""
    if tok.dep_ == "conj":
        tok = tok.head
    return tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_ in ACTION_VERBS


def _is_demonym_or_unit(doc: Doc, start: int, end: int) -> bool:
    if end - start == 1 and (doc[start].pos_ == "ADJ"
                             or doc[start].lower_.endswith(DEMONYM_ENDINGS)):
        return True
    return end < len(doc) and doc[end].lower_ in UNIT_WORDS


TITLES = {"mr", "mrs", "ms", "dr", "sen", "gov", "rep", "president", "judge", "officer", "mr.",
          "mrs.", "ms.", "dr.", "sen.", "gov.", "rep.", "sgt.", "lt.", "gen."}


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


class Recognizer:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.max_words = min(MAX_WORDS, gazetteer.max_words)
        self._landmarks = _description_pattern(gazetteer.descriptions)

    def mentions(self, doc: Doc, offset: int = 0) -> list[Mention]:
        ents = _entity_index(doc)
        # words this text also writes in lower case are common words ("Advance" in a title)
        lower_words = {t.text for t in doc if t.is_lower and t.is_alpha}
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
            mention = self._vet(doc, ents, i, j, key, rows, offset, lower_words)
            if mention is not None:
                found.append(mention)
                i = j
            else:
                i += 1
        found.extend(self._ner_only(doc, ents, found, offset))
        found.extend(self._described_landmarks(doc, offset))
        return sorted(found, key=lambda m: (m.start, -m.end))

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
             rows: tuple[int, ...], offset: int, lower_words: set[str]) -> Mention | None:
        if len(key) < 2:
            return None
        hint, near, locative = _context(doc, i, j)
        ent = ents[i]
        label = ent.label_ if ent is not None else None
        nxt = doc[j].lower_ if j < len(doc) else ""
        possessive = doc[j - 1].lower_ in ("'s", "’s")
        if nxt in UNIT_WORDS and not possessive and not (
                label in PLACE_LABELS and nxt in ("forces", "troops", "army")):
            return None  # "Khortytsia forces", "Azov brigade": a unit, not a place
        if nxt in STREET_WORDS:
            return None  # "Dublin Road", "Main Street"
        strong = self._strong(rows, key)
        if "\u0400" <= doc[i].text[0] <= "\u04ff":
            # the English model cannot judge Cyrillic; trust names of the region's places
            if not any(self.gaz.country_of(r) in FOCUS_COUNTRIES for r in rows[:50]):
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
            if label == "PERSON" and not (locative or hint or strong and _modifier_use(doc, i, j)):
                return None  # "Lincoln said": a person unless the text treats it as a place
            if label in PLACE_LABELS and _part_of_longer_name(doc, e_start, e_end, i, j):
                return None  # "Street" in "Elm Street", "Washington" in "Washington Heights"
            if label == "NORP" and hint is None and self.gaz.kind_of(rows[0]) not in (
                    "country", "admin1"):
                return None
        elif not self._untagged_ok(doc, i, j, key, rows, hint, locative, strong, lower_words):
            return None
        start = doc[i].idx
        end = doc[j - 1].idx + len(doc[j - 1].text)
        return Mention(start + offset, end + offset, doc[i:j].text, key, rows, hint, near,
                       label, i, j)

    def _untagged_ok(self, doc: Doc, i: int, j: int, key: str, rows: tuple[int, ...],
                     hint: str | None, locative: bool, strong: bool,
                     lower_words: set[str]) -> bool:
        """A gazetteer span the model did not tag at all: demand more evidence."""
        single = j - i == 1
        if single and (doc[i].lower_ in lower_words or doc[i].lower_ in COMMON_WORDS) and not (
                locative and strong or hint):
            return False  # "Advance" in a headline, "North", "Street"
        all_proper = all(t.pos_ == "PROPN" or t.lower_ in CONNECTORS for t in doc[i:j])
        if not all_proper:
            return locative and strong
        if locative or hint or strong:
            return True
        return not single and self._plausible_single(rows, key)

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
            if not text[:1].isupper() or _is_demonym_or_unit(doc, s, e):
                continue
            hint, near, _ = _context(doc, s, e)
            key = _key(text)
            rows = self.gaz.rows_for_key(key)
            facility = False
            if not rows and e - s > 1 and doc[s].lower_ in COMPASS_WORDS:
                rest = _key(doc[s + 1:e].text)
                rest_rows = self.gaz.rows_for_key(rest)
                if self._strong(rest_rows, rest):
                    key, rows, near = rest, rest_rows, True
            elif not rows and _is_facility(doc[s:e]):
                named_for = self._building_town(doc[s:e])
                if named_for is None:
                    facility = True
                else:
                    key, rows = named_for
                    near = True
            extra.append(Mention(start + offset, end + offset, text, key, rows, hint, near,
                                 ent.label_, s, e, facility=facility))
        return extra

    def _building_town(self, span: Span) -> tuple[str, tuple[int, ...]] | None:
        """The place a building is named for ("Henderson County Jail" -> Henderson County):
        its longest leading words that name a place, if a single word then a strong one."""
        if span[-1].lower_ not in BUILDING_WORDS:
            return None
        for cut in range(len(span) - 1, 0, -1):
            key = _key(span[:cut].text)
            rows = self.gaz.rows_for_key(key)
            known = self._plausible_single if cut > 1 else self._strong
            if known(rows, key):
                return key, rows
        return None

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


def _description_pattern(descriptions: dict[str, int]) -> re.Pattern[str] | None:
    if not descriptions:
        return None
    alts = []
    for key in sorted(descriptions, key=len, reverse=True):
        words = [re.escape(w) for w in key.split()]
        alts.append(r"\W+".join(words))
    return re.compile(r"(?:\bthe\s+)?(?P<desc>\b(?:" + "|".join(alts) + r")\b)", re.IGNORECASE)
