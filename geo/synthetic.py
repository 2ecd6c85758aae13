"""A synthetic war-news corpus, so that scale can be measured without copyrighted text.

Articles read like wire copy: a party claims an advance, a capture or a strike at a real
gazetteer place, the other side denies it or an analyst reports it, around filler about
talks and aid. Every sentence is written here from templates; outlets and URLs are
invented (``.invalid``) so that nothing is ever mistaken for a real report. The same seed
gives the same corpus, and articles are produced one at a time so that a corpus of any
size streams in constant memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO

from geo.models import Article, Attestation, Event, Toponym

FRONT_OBLASTS = {"UA-14": "Donetsk", "UA-09": "Luhansk", "UA-23": "Zaporizhzhia",
                 "UA-65": "Kherson", "UA-63": "Kharkiv", "UA-59": "Sumy",
                 "UA-12": "Dnipropetrovsk"}
REAR_CITIES = ("Kyiv", "Odesa", "Lviv", "Dnipro", "Zaporizhzhia", "Kharkiv", "Poltava",
               "Kryvyi Rih", "Sumy", "Mykolaiv")
OUTLETS = ("Synthetic Wire", "Eastern Dispatch (synthetic)", "Steppe Herald (synthetic)",
           "Frontline Test Service")
FIRST_DAY = date(2024, 1, 1)
DAYS = 730

_CLAIMS = (
    "Russia's Defence Ministry said on {weekday} that its forces had captured the village "
    "of {village} in the {oblast} region.",
    "Russian troops have taken control of {village} in Ukraine's {oblast} region, the "
    "Russian Defence Ministry said.",
    "Russian forces advanced near {village} in the {oblast} region, the Russian Defence "
    "Ministry said on {weekday}.",
    "Ukraine's General Staff said its troops had recaptured {village} in the {oblast} "
    "region after weeks of fighting.",
)
_DENIALS = (
    "Ukraine's General Staff denied that {village} had fallen, saying its forces were still "
    "holding positions there.",
    "A spokesperson for Ukraine's armed forces denied the Russian claim about {village}.",
    "Russia's Defence Ministry denied that Ukrainian troops had entered {village}.",
)
_REPELLED = (
    "Ukraine's military said its forces had repelled {n} Russian attacks near {village} "
    "over the past day.",
)
_STRIKES = (
    "A Russian missile strike on {city} killed {n} people and damaged apartment buildings, "
    "the regional governor said.",
    "Russian drones struck energy facilities in {city} overnight, Ukrainian officials said.",
)
_REPORTS = (
    "The Institute for the Study of War said geolocated footage showed Russian forces "
    "advancing west of {village}.",
    "Analysts said Russian units had made marginal gains near {village} in recent days.",
)
_FILLER = (
    "Fighting along the front line has intensified in recent weeks.",
    "Neither side's battlefield accounts could be independently verified.",
    "Talks between the two sides have stalled since the spring.",
    "Western allies have pledged further air defence systems and artillery ammunition.",
    "Both armies have relied heavily on drones for reconnaissance and strikes.",
    "Civilians in frontline towns have been urged to evacuate.",
)
_TITLES = ("Russia claims gains near {village}", "Ukraine says attacks repelled near {village}",
           "Fighting intensifies in {oblast} region", "Strike on {city} kills {n}",
           "Conflicting claims over {village}")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SynthPlace:
    place_id: str
    name: str
    lat: float
    lon: float
    admin1: str


@lru_cache(maxsize=1)
def front_places() -> tuple[SynthPlace, ...]:
    """Front-line settlements whose name leads to them first: the parser can resolve them."""
    from geo.gazetteer.default import default_gazetteer

    g = default_gazetteer()
    out = []
    for row in range(len(g)):
        if g.country_of(row) != "UA" or g.kind_of(row) != "settlement":
            continue
        p = g.place(row)
        if p.admin1 not in FRONT_OBLASTS or not (p.name.isascii() and p.name.isalpha()):
            continue
        if p.population < 1000 or p.name.isupper():
            continue
        if p.name.endswith(("yi", "yy")):  # city districts (Tsentralnyi), not places of war
            continue
        best = g.lookup(p.name)
        if best and best[0].id == p.id:
            out.append(SynthPlace(p.id, p.name, p.lat, p.lon, p.admin1))
    return tuple(sorted(out, key=lambda p: p.place_id))


def articles(n: int, seed: int = 0, chars: tuple[int, int] | None = None) -> Iterator[Article]:
    """``n`` synthetic articles, generated lazily.

    ``chars``: a range of lengths; each article then runs on, paragraph after paragraph
    about other places, to a length drawn from it (news articles are 2 to 4 thousand
    characters, and parsing cost grows with the text)."""
    places = front_places()
    rng = random.Random(seed)
    for i in range(n):
        a = _article(rng, places, seed, i)
        if chars is not None:
            a = _lengthened(a, chars, rng, places, seed, i)
        yield a


def _lengthened(a: Article, chars: tuple[int, int], rng: random.Random,
                places: tuple[SynthPlace, ...], seed: int, i: int) -> Article:
    lo, hi = chars
    target = rng.randint(lo, hi)
    paragraphs = [a.text]
    size = len(a.text)
    for _ in range(100):
        if size >= target:
            break
        more = _article(rng, places, seed, i).text
        if size + len(more) + 2 <= hi:
            paragraphs.append(more)
            size += len(more) + 2
        elif size >= lo:
            break
    return replace(a, text="\n\n".join(paragraphs))


def _article(rng: random.Random, places: tuple[SynthPlace, ...], seed: int,
             i: int) -> Article:
    place = rng.choice(places)
    oblast = FRONT_OBLASTS[place.admin1]
    day = FIRST_DAY + timedelta(rng.randrange(DAYS))
    values = {"village": place.name, "oblast": oblast, "city": rng.choice(REAR_CITIES),
              "weekday": _WEEKDAYS[day.weekday()], "n": rng.randint(2, 14)}
    sentences = [rng.choice(_CLAIMS)]
    if rng.random() < 0.5:
        sentences.append(rng.choice(_DENIALS))
    filler = rng.sample(_FILLER, 3)
    sentences += filler[:2]
    if rng.random() < 0.4:
        sentences.append(rng.choice(_REPORTS))
    if rng.random() < 0.3:
        sentences.append(rng.choice(_REPELLED))
    if rng.random() < 0.4:
        sentences.append(rng.choice(_STRIKES))
    sentences.append(filler[2])
    text = " ".join(s.format(**values) for s in sentences)
    return Article(
        id=f"syn-{seed}-{i:07d}", text=text, title=rng.choice(_TITLES).format(**values),
        outlet=rng.choice(OUTLETS), url=f"https://synthetic.invalid/{seed}/{i}",
        published=day)


def write_jsonl(out: IO[str], n: int, seed: int = 0,
                chars: tuple[int, int] | None = None) -> int:
    """Write ``n`` articles as JSON lines (the format ``frontline ingest`` reads)."""
    count = 0
    for a in articles(n, seed, chars):
        out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_corpus(path: Path, n: int, seed: int = 0,
                 chars: tuple[int, int] | None = None) -> int:
    with path.open("w", encoding="utf-8") as out:
        return write_jsonl(out, n, seed, chars)


def events(n: int, seed: int = 0) -> Iterator[Event]:
    """``n`` already-extracted events at front-line places, for loading a store directly.

    Query benchmarks need millions of events; parsing that many articles would measure the
    parser, not the store.
    """
    from geo.claims.status import derive_status

    places = front_places()
    rng = random.Random(seed)
    kinds = ("advance", "capture", "strike", "repelled")
    claimants = (("Russian Defence Ministry", "RU", "asserts"),
                 ("Ukraine's General Staff", "UA", "denies"),
                 ("Ukraine's General Staff", "UA", "asserts"),
                 ("Institute for the Study of War", "independent", "reports"))
    for i in range(n):
        p = rng.choice(places)
        day = FIRST_DAY + timedelta(rng.randrange(DAYS))
        kind = rng.choice(kinds)
        t = Toponym(0, len(p.name), p.name, p.lat, p.lon, "settlement", "UA", p.admin1, 1,
                    1.0, place_id=p.place_id, resolved_name=p.name)
        atts = []
        for j in range(rng.randint(1, 3)):
            who, side, stance = rng.choice(claimants)
            quote = f"{who} said of {p.name}: fighting continued ({kind})."
            atts.append(Attestation(f"syn-ev-{seed}-{i}-{j}", stance, quote, 0, len(quote),
                                    who, side, rng.choice(OUTLETS), None, day, day))
        actor = rng.choice(("RU", "UA"))
        yield Event(id=f"syn-{seed}-{i:08d}", type=kind, actor=actor,
                    places=(t,), attestations=tuple(atts), status=derive_status(atts, kind, actor),
                    date=day,
                    date_precision="day", lat=p.lat, lon=p.lon, admin1=p.admin1,
                    precision=1, geometry_kind="point", summary=f"{kind} near {p.name}")
