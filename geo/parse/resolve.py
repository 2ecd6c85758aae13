"""Rank each mention's candidate places using everything the article says.

Signals, each a term in one additive score (log-population units): the place's size and
whether the mention is its own name; the kind the context asks for ("region" → admin-1,
"village" → settlement); the countries the article is about; explicit containment
("Lyman in Donetsk", "Kryvyi Rih, Ukraine"); closeness to the article's other places,
which is what picks the Novopavlivka near Pokrovsk out of six; and, in war news, the theatre
of operations (Ukraine and Russia's border regions). When the stated container
holds no candidate ("Fedorovka village in the Donetsk People's Republic" and the embedded
data has no Fedorivka there), the container itself is returned at region precision rather
than a confident wrong village elsewhere; a street, river or building the gazetteer lacks is
placed at the locality the article names beside it. A river the gazetteer holds is a line,
placed at its stretch beside the article's towns; names listed with one that can only be a
region ("in Murmansk, Irkutsk and Amur") are regions too.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace
from operator import attrgetter

import numpy as np

from geo.gazetteer.admin import oblast_at
from geo.gazetteer.index import Gazetteer, Place
from geo.gazetteer.names import name_key
from geo.models import PRECISION_EXACT, PRECISION_NEAR, PRECISION_REGION
from geo.parse.recognize import Mention

# Enough for every namesake in the theatre: there are over 60 Andriivkas in Ukraine.
MAX_CANDIDATES = 80
KIND_MATCH = 4.0
KIND_MISMATCH = -3.0
CONTAINER_KIND = 2.0
FOCUS_WEIGHT = 3.0
ADMIN1_FOCUS_WEIGHT = 2.0
# A country holding the article's other places is as coherent as a town beside them.
COUNTRY_COHERENCE = 3.0
# Within CLOSE_KM of another of the article's places is closer than merely the same front;
# each further name within 100 km adds NEIGHBOUR_WEIGHT, up to NEIGHBOUR_CAP of them.
CLOSE_KM = 25.0
CLOSE_BONUS = 1.0
NEIGHBOUR_WEIGHT = 0.5
NEIGHBOUR_CAP = 4
# Joint coherence: each name's first JOINT_TOP candidates are scored against the candidates
# of other names whose prior is within JOINT_PRIOR_GAP of their name's best.
JOINT_WEIGHT = 0.5
JOINT_TOP = 10
JOINT_PRIOR_GAP = 2.0
# A named county and a namesake town within COUNTY_KM of it vouch for each other whatever
# their sizes: "Paris and Henry County" is Paris, Tennessee, though Paris, France is larger.
COUNTY_KM = 30.0
COUNTY_CLOSE = 10.0
INSIDE_CONTAINER = 6.0
OUTSIDE_CONTAINER = -6.0
THEATRE_BONUS = 1.5
REGION_KINDS = ("admin1", "admin2", "country")
# A river is placed at the stretch nearest a town of the article no further than this.
WATER_KM = 60.0
# "the bank of the X" names water whatever the size of the city that shares its name
WATER_MATCH = 10.0
# A codifier village that beats a namesake in its own oblast by less than this is a guess:
# the oblast is reported instead.
VILLAGE_MARGIN = 1.0
# A facility placed at the article's locality is a reasoned guess, not a match; an unknown
# name placed there, a weaker one.
FACILITY_SCORE = 0.3
UNKNOWN_SCORE = 0.1
# A region whose name no town of this size shares can only be the region ("Amur").
FRONT_TOWN = 10_000
# Where the war is fought: Ukraine and the Russian regions on its border.
THEATRE_ADMIN1 = {"RU-BEL", "RU-KRS", "RU-BRY", "RU-ROS", "RU-VOR", "RU-KDA"}
_WAR_WORDS = re.compile(
    r"\b(?:troops|shelling|shelled|missiles?|drones?|offensive|front[- ]line|artillery|"
    r"frontline|invasion|counteroffensive|brigade|airstrikes?|occupied)\b", re.IGNORECASE)
# "X, (some 10 km) south of Y", "X near Y", "X, a village outside Y"
_BESIDE = re.compile(
    r"^\s*,?\s*(?:(?:a|the)\s+(?:village|town|city|settlement)\s+)?"
    r"(?:(?:about|some|around|roughly|just|nearly|almost)\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:km|kilometers|kilometres|miles|mi)\s+)?"
    r"(?:(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+(?:of|from)"
    r"|near|outside|close\s+to|next\s+to|not\s+far\s+from|on\s+the\s+outskirts\s+of)"
    r"\s+(?:the\s+(?:town|city|village)\s+of\s+)?$", re.IGNORECASE)
BESIDE_KM = 30.0
BESIDE_CLOSE = 5.0
BESIDE_NEAR = 2.0
BESIDE_FAR = -2.0
_LIST_GAP = re.compile(r"^\s*(?:(?:region|oblast|province)\s*)?(?:,\s*)?(?:(?:and|or)\s+)?"
                       r"(?:in\s+(?:the\s+)?)?$", re.IGNORECASE)
_IN = re.compile(r"^\s*(?:in|in the|inside|of the)\s*$", re.IGNORECASE)
_COMMA = re.compile(r"^\s*,\s*$")


@dataclass(frozen=True)
class Resolved:
    """``stand_in``: ``place`` is where the named thing lies (its region, its town), because
    the gazetteer does not hold the thing itself."""

    place: Place | None
    score: float
    precision: int | None
    stand_in: bool = False


@dataclass(frozen=True)
class _Focus:
    """Share of the article's attention per region, from each name's votes.

    A name is ranked against half the whole article's focus and half that of its other
    names, so that "Paris" said four times in an Illinois paper does not outvote the rest of
    the article for France, while an article that names nothing but India keeps half its
    focus there."""

    votes: dict[str, dict[str, float]]
    tally: dict[str, float]
    total: float

    @classmethod
    def of(cls, votes: dict[str, dict[str, float]]) -> _Focus:
        tally: dict[str, float] = defaultdict(float)
        for mine in votes.values():
            for region, v in mine.items():
                tally[region] += v
        return cls(votes, dict(tally), sum(tally.values()))

    def whole(self) -> dict[str, float]:
        return {c: v / self.total for c, v in self.tally.items()} if self.total else {}

    def share(self, region: str, name: str) -> float:
        if not self.total:
            return 0.0
        mine = self.votes.get(name, {})
        rest = self.total - sum(mine.values())
        others = (self.tally.get(region, 0.0) - mine.get(region, 0.0)) / rest if (
            rest > 1e-9) else 0.0
        return (self.tally.get(region, 0.0) / self.total + others) / 2


@dataclass(frozen=True)
class _Article:
    """What the whole article says, computed once and read by every mention's ranking."""

    cands: list[list[tuple[Place, float]]]
    containers: dict[int, tuple[int, bool]]
    is_container: set[int]
    country_focus: _Focus
    admin1_focus: dict[str, float]
    joint: dict[tuple[str, str], float]
    war: bool


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; inlined haversine because it runs per candidate pair."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _joint_coherence(mentions: list[Mention], cands: list[list[tuple[Place, float]]]
                     ) -> dict[tuple[str, str], float]:
    """Closeness of each candidate to the plausible candidates of the article's other names.

    Where two names are both ambiguous ("Paris" and "Henry County"), no confident pick can
    anchor either; the pair that lies together (Paris and Henry County, Tennessee) can."""
    seen: set[str] = set()
    keys: list[int] = []
    ids: list[tuple[str, str]] = []
    lat: list[float] = []
    lon: list[float] = []
    plausible: list[bool] = []
    kinds: list[str] = []
    for m, cs in zip(mentions, cands, strict=True):
        if m.key in seen or not cs:
            continue
        seen.add(m.key)
        best = cs[0][1]
        for p, prior in cs[:JOINT_TOP]:
            if p.kind in ("country", "other"):
                continue
            plausible.append(best - prior <= JOINT_PRIOR_GAP)
            kinds.append(p.kind)
            keys.append(len(seen))
            ids.append((m.key, p.id))
            lat.append(p.lat)
            lon.append(p.lon)
    if len(seen) < 2 or not ids:
        return {}
    la, lo = np.radians(np.array(lat)), np.radians(np.array(lon))
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin(dlon / 2) ** 2
    km = 12742.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    close = np.select([km < 100, km < 300, km < 800], [3.0, 2.0, 1.0], 0.0)
    k = np.array(keys)
    same_name = k[:, None] == k[None, :]
    close[same_name] = 0.0
    county = np.array(kinds) == "admin2"
    beside = (km < COUNTY_KM) & ~same_name & (county[:, None] | county[None, :])
    close[:, ~np.array(plausible)] = 0.0
    close[beside] = np.maximum(close[beside], COUNTY_CLOSE)
    best_close = close.max(axis=1)
    return {pid: float(v) for pid, v in zip(ids, best_close, strict=True) if v}


def _nearest_on_line(lat: float, lon: float, line: tuple[tuple[float, float], ...]
                     ) -> tuple[float, float, float]:
    """(lat, lon, km) of the point of a polyline nearest a point, in a local flat projection
    (segments are tens of kilometres)."""
    if len(line) == 1:
        return line[0][0], line[0][1], _km(lat, lon, *line[0])
    kx = math.cos(math.radians(lat))
    best = (line[0][0], line[0][1], math.inf)
    for (a_lat, a_lon), (b_lat, b_lon) in zip(line, line[1:], strict=False):
        ax, ay = (a_lon - lon) * kx, a_lat - lat
        bx, by = (b_lon - lon) * kx, b_lat - lat
        dx, dy = bx - ax, by - ay
        seg = dx * dx + dy * dy
        t = 0.0 if seg == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / seg))
        p_lat, p_lon = a_lat + t * (b_lat - a_lat), a_lon + t * (b_lon - a_lon)
        km = _km(lat, lon, p_lat, p_lon)
        if km < best[2]:
            best = (p_lat, p_lon, km)
    return best


def _lists(text: str, mentions: list[Mention]) -> list[list[int]]:
    """Runs of two or more mentions joined only by commas, "and", "or" and a repeated "in",
    within a line (a headline's last name does not list the dateline's first)."""
    runs: list[list[int]] = []
    run = [0] if mentions else []
    for i in range(1, len(mentions)):
        gap = text[mentions[i - 1].end:mentions[i].start]
        if "\n" not in gap and _LIST_GAP.match(gap):
            run.append(i)
            continue
        if len(run) > 1:
            runs.append(run)
        run = [i]
    if len(run) > 1:
        runs.append(run)
    return runs


def _beside(text: str, mentions: list[Mention]) -> dict[int, int]:
    """mention index -> index of the place the text puts it beside: "X, south of Y",
    "X, 10 km north-east of Y", "X near Y", "X on the outskirts of Y"."""
    out = {}
    for i in range(len(mentions) - 1):
        between = text[mentions[i].end:mentions[i + 1].start]
        if _BESIDE.match(between):
            out[i] = i + 1
    return out


def _one_sense(mentions: list[Mention], picks: list[Resolved], placed: set[int],
               contained: set[int], cands: list[list[tuple[Place, float]]]) -> list[Resolved]:
    """One village per name in an article: "Novoselivka" in a headline is the Novoselivka
    the text places ("Novoselivka near Pokrovsk"), not the largest of that name. A town
    named bare takes the sense of the mentions of its name that the text places, where
    those agree, no other mention of it reads differently in a "X, Y" frame ("LEXINGTON,
    Neb."), and the bare mention had it among its candidates."""
    placed_as: dict[str, set[int]] = {}
    for i in placed:
        r = picks[i]
        if r.place is not None and r.place.kind == "settlement" and not r.stand_in:
            placed_as.setdefault(mentions[i].key, set()).add(i)
    out = list(picks)
    for key, where in placed_as.items():
        framed = {i for i in contained if mentions[i].key == key}
        ids = {p.id for i in where | framed if (p := picks[i].place) is not None}
        sense = picks[min(where)]
        if len(ids) != 1 or sense.place is None:
            continue
        for i, m in enumerate(mentions):
            r = picks[i]
            if m.key == key and i not in placed | contained and r.place is not None and \
                    r.place.kind == "settlement" and not r.stand_in and \
                    r.place.id != sense.place.id and \
                    sense.place.id in {p.id for p, _ in cands[i]}:
                out[i] = sense
    return out


def _beside_term(km: float) -> float:
    """The stated neighbour outweighs size and the article's general focus: of six
    Andriivkas, the one "south of Bakhmut" is the one within a short drive of it."""
    if km < BESIDE_KM:
        return BESIDE_CLOSE
    return BESIDE_NEAR if km < 2 * BESIDE_KM else BESIDE_FAR


def _place_facilities(mentions: list[Mention], picks: list[Resolved]) -> list[Resolved]:
    """Put each unknown street, plant or river at the locality the article last named before
    it (the first one after it where none came before), at "near" precision: "a shopping
    centre on Sumska Street" in a report on Kharkiv is in Kharkiv, not nowhere. An article
    that names only regions gives the region, at region precision. Any other place name the
    gazetteer lacks (a township, a hamlet, a lake) gets the same locality at region
    precision: it lies somewhere about the place the article is about."""
    kinds = [None if r.place is None or r.stand_in else r.place.kind for r in picks]
    local = [i for i, k in enumerate(kinds) if k in ("settlement", "admin2")]
    regional = [i for i, k in enumerate(kinds) if k == "admin1"]
    places, precision = (local, PRECISION_NEAR) if local else (regional, PRECISION_REGION)
    if not places:
        return picks
    out = list(picks)
    for i, m in enumerate(mentions):
        if picks[i].place is not None or (m.rows and not m.facility):
            continue
        k = bisect_left(places, i)
        at = picks[places[k - 1] if k else places[0]]
        out[i] = Resolved(at.place, FACILITY_SCORE if m.facility else UNKNOWN_SCORE,
                          precision if m.facility else PRECISION_REGION, stand_in=True)
    return out


class Resolver:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def resolve(self, text: str, mentions: list[Mention]) -> list[Resolved]:
        cands = [self._candidates(m) for m in mentions]
        containers = self._containers(text, mentions, cands)
        country_focus = _Focus.of(self._votes(mentions, cands))
        war = bool(_WAR_WORDS.search(text)) and any(
            c in country_focus.tally for c in ("UA", "RU"))
        # a street's container is a town, so it earns no region bonus from holding one
        holders = {c for i, (c, _) in containers.items() if not mentions[i].facility}
        art = _Article(
            cands, containers, holders, country_focus,
            _Focus.of(self._votes(mentions, cands, "admin1")).whole(),
            _joint_coherence(mentions, cands), war)

        first_memo: dict[tuple, Resolved] = {}
        first = [self._pick(i, m, art, {}, [], first_memo) for i, m in enumerate(mentions)]
        anchors = self._anchors(mentions, first)
        mentions = self._listed_with_regions(text, mentions, first)
        beside = {i: q for i, j in _beside(text, mentions).items()
                  if (q := first[j].place) is not None and q.kind == "settlement"}
        memo: dict[tuple, Resolved] = {}
        picks: list[Resolved] = []
        for i, m in enumerate(mentions):
            picks.append(self._pick(i, m, art, anchors, picks, memo, beside.get(i)))
        stated = {i for i, (_, stated_in) in art.containers.items() if stated_in}
        picks = _one_sense(mentions, picks, stated | set(beside), set(art.containers), art.cands)
        return _place_facilities(mentions, self._on_the_stretch(mentions, picks))

    def _on_the_stretch(self, mentions: list[Mention], picks: list[Resolved]) -> list[Resolved]:
        """Put each river or reservoir at the point of its line nearest the town the article
        names closest to it among those within WATER_KM of the line ("the left bank of the
        Dnipro" beside Krynky is at Krynky, not at Kyiv named three paragraphs on); with no
        such town, at its middle, at region precision."""
        towns = [(mentions[k].start, r.place) for k, r in enumerate(picks)
                 if r.place is not None and not r.stand_in and r.place.kind == "settlement"]
        out = []
        for i, r in enumerate(picks):
            line = None if r.place is None or r.stand_in else self.gaz.line(r.place.id)
            if line is None:
                out.append(r)
                continue
            assert r.place is not None
            at = mentions[i].start
            near = [(abs(start - at), _nearest_on_line(t.lat, t.lon, line))
                    for start, t in towns]
            near = [x for x in near if x[1][2] <= WATER_KM]
            if not near:
                out.append(replace(r, precision=PRECISION_REGION))
                continue
            lat, lon, _ = min(near, key=lambda x: x[0])[1]
            out.append(replace(r, place=r.place._replace(lat=lat, lon=lon,
                                                         admin1=oblast_at(lon, lat)),
                               precision=PRECISION_NEAR))
        return out

    def _listed_with_regions(self, text: str, mentions: list[Mention], first: list[Resolved]
                             ) -> list[Mention]:
        """"in the Donetsk region, in Sumy, in Kharkiv", "airbases in Murmansk, Irkutsk and
        Amur": names listed with one that can only be a region are regions too, unless the
        text calls them towns."""
        out = list(mentions)
        for run in _lists(text, mentions):
            if not any(self._only_region(mentions[k], first[k]) for k in run):
                continue
            for k in run:
                if mentions[k].kind_hint is None:
                    out[k] = replace(mentions[k], kind_hint="admin1")
        return out

    def _only_region(self, m: Mention, r: Resolved) -> bool:
        """Said to be a region ("the Sumy region"), or a region whose country has no town of
        that name of FRONT_TOWN people ("Amur")."""
        if r.place is None or r.place.kind != "admin1":
            return False
        country = r.place.country
        return m.kind_hint == "admin1" or not any(
            self.gaz.kind_of(row) == "settlement" and self.gaz.country_of(row) == country
            and self.gaz.population(row) >= FRONT_TOWN for row in m.rows[:MAX_CANDIDATES])

    # --- inputs -----------------------------------------------------------------------------
    def _candidates(self, m: Mention) -> list[tuple[Place, float]]:
        if m.landmark_row is not None:
            return [(self.gaz.place(m.landmark_row), 10.0)]
        rows = sorted(m.rows, key=lambda r: -self.gaz.prior(r, m.key))[:MAX_CANDIDATES]
        return [(self.gaz.place(r), self.gaz.prior(r, m.key)) for r in rows]

    def _containers(self, text: str, mentions: list[Mention],
                    cands: list[list[tuple[Place, float]]]) -> dict[int, tuple[int, bool]]:
        """mention index -> (index of the mention that contains it, stated with 'in').

        A comma contains only where the second name can be a region holding some namesake of
        the first ("Lyman, Donetsk", "Paris, Texas"): "Petropavlivka, Dachne" is a list. A
        name glued to a hyphen is an adjective ("the Kyiv-controlled area"), never a place
        that holds the one before it."""
        out: dict[int, tuple[int, bool]] = {}
        for i in range(len(mentions) - 1):
            a, b = mentions[i], mentions[i + 1]
            if text[b.end:b.end + 1] == "-":
                continue
            between = text[a.end:b.start]
            words = between.split()
            # "Fedorovka village in the DPR": a settlement word may stand between them
            if words and words[0].lower() in ("village", "town", "city", "settlement"):
                between = between.split(None, 1)[1] if len(words) > 1 else ""
                between = " " + between
            if _IN.match(between):
                out[i] = (i + 1, True)
            elif _COMMA.match(between) and any(
                    q.kind in REGION_KINDS and any(self._inside(p, q) for p, _ in cands[i])
                    for q, _ in cands[i + 1]):
                out[i] = (i + 1, False)
        return out

    @staticmethod
    def _votes(mentions: list[Mention], cands: list[list[tuple[Place, float]]],
               level: str = "country") -> dict[str, dict[str, float]]:
        """Each name's votes for the countries (or admin-1 units) the article is about,
        from its clearest mentions."""
        votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        region = attrgetter(level)
        for m, cs in zip(mentions, cands, strict=True):
            if not cs:
                continue
            top, prior = cs[0]
            mine = votes[m.key]
            if top.kind in ("country", "admin1") and name_key(top.name) == m.key:
                mine[region(top)] += 2
            elif len(cs) == 1 or prior - cs[1][1] > 1.0:
                mine[region(top)] += 1
            else:  # an ambiguous name votes in proportion to its candidates' priors
                weights = [10 ** (pr - prior) for _, pr in cs[:5]]
                total_w = sum(weights)
                for (p, _), w in zip(cs[:5], weights, strict=True):
                    mine[region(p)] += w / total_w
        for mine in votes.values():
            mine.pop(None, None)  # type: ignore[call-overload]
        return votes

    # --- scoring ----------------------------------------------------------------------------
    @staticmethod
    def _anchors(mentions: list[Mention], picks: list[Resolved]) -> dict[str, tuple[Place, set]]:
        """Distinct confident first-pass places, with the names they were picked for."""
        anchors: dict[str, tuple[Place, set]] = {}
        for m, r in zip(mentions, picks, strict=True):
            q = r.place
            if q is None or q.kind == "country" or r.score < 0.6:
                continue
            anchors.setdefault(q.id, (q, set()))[1].add(m.key)
        return anchors

    def _pick(self, i: int, m: Mention, art: _Article, anchors: dict[str, tuple[Place, set]],
              current: list[Resolved], memo: dict[tuple, Resolved],
              beside: Place | None = None) -> Resolved:
        cs = art.cands[i]
        if not cs:
            return Resolved(None, 0.0, None)
        container = None
        stated_in = False
        if i in art.containers:
            j, stated_in = art.containers[i]
            if j < len(current) and current[j].place is not None:
                container = current[j].place
            elif art.cands[j]:
                container = self._as_container(art.cands[j])
        is_container = i in art.is_container
        signature = (m.key, m.kind_hint, m.near, m.landmark_row, is_container,
                     container.id if container else None, stated_in,
                     beside.id if beside else None)
        if signature in memo:
            return memo[signature]
        memo[signature] = picked = self._score(m, cs, is_container, container, stated_in,
                                               art, anchors, beside)
        return picked

    def _score(self, m: Mention, cs: list[tuple[Place, float]], is_container: bool,
               container: Place | None, stated_in: bool, art: _Article,
               anchors: dict[str, tuple[Place, set]], beside: Place | None = None
               ) -> Resolved:
        scored = []
        for p, prior in cs:
            s = prior + FOCUS_WEIGHT * art.country_focus.share(p.country, m.key)
            if p.admin1 and p.kind != "admin1":
                s += ADMIN1_FOCUS_WEIGHT * art.admin1_focus.get(p.admin1, 0.0)
            s += self._kind_term(m, p, is_container)
            if container is not None:
                s += INSIDE_CONTAINER if self._holds(container, p) else (
                    OUTSIDE_CONTAINER if stated_in else 0.0)
            s += max(self._coherence(m.key, p, anchors),
                     JOINT_WEIGHT * art.joint.get((m.key, p.id), 0.0))
            if art.war and (p.country == "UA" or p.admin1 in THEATRE_ADMIN1):
                s += THEATRE_BONUS
            if beside is not None and p.kind == "settlement":
                s += _beside_term(_km(p.lat, p.lon, beside.lat, beside.lon))
            scored.append((s, p))
        scored.sort(key=lambda t: -t[0])
        best_s, best = scored[0]
        if (container is not None and stated_in and not self._holds(container, best)
                and container.kind in ("admin1", "country") and best.kind != container.kind):
            # nothing of that name inside the stated region: say the region, not a guess
            return Resolved(container, 0.5, PRECISION_REGION, stand_in=True)
        margin = best_s - scored[1][0] if len(scored) > 1 else 10.0
        if margin < VILLAGE_MARGIN and best.source.startswith("katotth") and (
                scored[1][1].admin1 == best.admin1):
            region = self._region_of(best)
            if region is not None:  # one of several namesakes in the oblast, none singled out
                return Resolved(region, 0.5, PRECISION_REGION, stand_in=True)
        score = 1.0 / (1.0 + math.exp(-margin))
        return Resolved(best, round(score, 3), self._precision(m, best))

    def _region_of(self, p: Place) -> Place | None:
        row = self.gaz.admin1_row(p.admin1) if p.admin1 else None
        return None if row is None else self.gaz.place(row)

    def _as_container(self, cs: list[tuple[Place, float]]) -> Place:
        regions = [p for p, _ in cs if p.kind in ("admin1", "country")]
        return regions[0] if regions else cs[0][0]

    def _holds(self, container: Place, p: Place) -> bool:
        """Whether the container holds the place, or the river flows through it."""
        if self.gaz.line(p.id) is not None and container.kind == "admin1" and container.admin1:
            return self.gaz.flows_through(p.id, container.admin1)
        return self._inside(p, container)

    @staticmethod
    def _inside(p: Place, container: Place) -> bool:
        if container.kind == "country":
            return p.country == container.country
        if container.admin1:
            return p.admin1 == container.admin1
        return False

    def _kind_term(self, m: Mention, p: Place, is_container: bool) -> float:
        hint = m.kind_hint
        if hint == "water":  # "the left bank of the Dnipro": the river, not the city
            return WATER_MATCH if self.gaz.line(p.id) is not None else 0.0
        if hint == "admin1":
            return KIND_MATCH if p.kind == "admin1" else KIND_MISMATCH
        if hint == "settlement":
            return 1.0 if p.kind == "settlement" else KIND_MISMATCH
        if is_container and p.kind in ("admin1", "country"):
            return CONTAINER_KIND
        return 0.0

    @staticmethod
    def _coherence(key: str, p: Place, anchors: dict[str, tuple[Place, set]]) -> float:
        """Closeness to the article's other confident places (not those of the same name).

        The nearest place counts most, and more within a short drive; every further name
        placed near adds a little, so that a village among five of the article's towns beats
        a larger namesake beside one stray pick."""
        best = 0.0
        near: set[str] = set()
        for q, keys in anchors.values():
            if key in keys:
                continue
            if p.kind == "country":
                if q.country == p.country:
                    best = max(best, COUNTRY_COHERENCE)
                continue
            if p.kind == "admin1" or q.kind == "admin1":
                if p.admin1 and p.admin1 == q.admin1:
                    best = max(best, 2.0)
                    if p.kind == "admin1":  # a region holding the article's places
                        near |= keys
                continue
            d = _km(p.lat, p.lon, q.lat, q.lon)
            if d < 100:
                near |= keys
                best = max(best, 3.0 + (CLOSE_BONUS if d < CLOSE_KM else 0.0))
            elif d < 300:
                best = max(best, 2.0)
            elif d < 800:
                best = max(best, 1.0)
        return best + NEIGHBOUR_WEIGHT * min(NEIGHBOUR_CAP, max(0, len(near - {key}) - 1))

    @staticmethod
    def _precision(m: Mention, p: Place) -> int:
        if p.kind in ("admin1", "admin2", "country", "other"):
            return PRECISION_REGION  # regions, countries, continents, seas
        if p.source.startswith("katotth"):
            return PRECISION_NEAR  # a village placed at its hromada's centre
        return PRECISION_NEAR if m.near else PRECISION_EXACT
