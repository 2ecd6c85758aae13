"""A real store for the API tests: the two seed articles through the real pipeline, plus
articles written here that vary every filter the API offers (dates, statuses, types,
actors, claimants, outlets, oblasts, an oblast-level and an unplaced event)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from geo.models import Article, Attestation, Event, Toponym

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACES = ["Pokrovsk", "Lyman", "Kupiansk", "Kharkiv", "Bakhmut", "Avdiivka", "Chasiv Yar",
          "Vovchansk", "Kryvyi Rih", "Huliaipole", "Toretsk", "Zaporizhzhia", "Odesa"]
CLAIMANTS = [("Russian Ministry of Defence", "RU", "asserts"),
             ("Ukraine's General Staff", "UA", "asserts"),
             ("Institute for the Study of War", None, "reports")]
OUTLETS = ["Reuters", "Kyiv Independent", "TASS", None]
TYPES = ["advance", "capture", "strike", "repelled", "withdrawal"]


def toponym(gazetteer, name: str, kind: str | None = None) -> Toponym:
    p = gazetteer.lookup(name, country="UA", kind=kind)[0]
    return Toponym(0, len(name), name, p.lat, p.lon, p.kind, p.country, p.admin1, 1, 1.0,
                   place_id=p.id, resolved_name=p.name)


def written_corpus(gazetteer) -> list[tuple[Article, list[Event]]]:
    out = []
    for n in range(40):
        place = toponym(gazetteer, PLACES[n % len(PLACES)])
        outlet = OUTLETS[n % len(OUTLETS)]
        published = date(2025, 5, 1) + timedelta(days=n * 2)
        who, side, stance = CLAIMANTS[n % len(CLAIMANTS)]
        kind = TYPES[n % len(TYPES)]
        actor = "UA" if n % 4 == 0 else "RU"
        quote = f"{who} said there was a {kind} at {place.resolved_name} on day {n}."
        text = f"Front report {n}. {quote} Fighting went on nearby."
        art = Article(id=f"written-{n:02d}", text=text, title=f"Front report {n}",
                      outlet=outlet, url=f"https://news.example/report/{n}",
                      published=published)
        att = Attestation(art.id, stance, quote, 0, len(quote), who, side, outlet, art.url,
                          published, published)
        ev = Event(id=f"written-{n:02d}-e", type=kind, actor=actor, places=(place,),
                   attestations=(att,), status="reported", date=published,
                   date_precision="day", lat=place.lat, lon=place.lon, admin1=place.admin1,
                   precision=1, geometry_kind="point", summary=f"{kind} at {place.name}")
        out.append((art, [ev]))
    denial = "Ukraine's General Staff denied that Russian forces had entered Pokrovsk."
    art = Article(id="written-denial", text=denial, outlet="Kyiv Independent",
                  published=date(2025, 5, 3))
    first = out[0][1][0]
    att = Attestation(art.id, "denies", denial, 0, len(denial), "Ukraine's General Staff", "UA",
                      art.outlet, None, art.published, art.published)
    out.append((art, [replace(first, id="written-denial-e", actor=first.actor,
                              attestations=(att,))]))
    region = "Russian forces shelled the Sumy region overnight, officials said."
    art = Article(id="written-region", text=region, outlet="Reuters", published=date(2025, 6, 2))
    sumy = toponym(gazetteer, "Sumy", kind="admin1")
    from geo.gazetteer.admin import oblast

    rep = oblast("UA-59").representative_point()  # type: ignore[union-attr]
    att = Attestation(art.id, "reports", region, 0, len(region), None, None, "Reuters", None,
                      art.published, art.published)
    out.append((art, [Event(id="written-region-e", type="strike", actor="RU", places=(sumy,),
                            attestations=(att,), status="reported", date=date(2025, 6, 1),
                            date_precision="day", lat=rep.y, lon=rep.x, admin1="UA-59",
                            precision=3, geometry_kind="admin1")]))
    hostile = '=HYPERLINK("http://evil.example") <script>alert(1)</script> shelling in Kherson'
    art = Article(id="written-hostile", text=hostile, outlet="<b>Evil</b> Daily",
                  published=date(2025, 6, 4))
    kherson = toponym(gazetteer, "Kherson", kind="settlement")
    att = Attestation(art.id, "reports", hostile, 0, len(hostile), None, None, art.outlet,
                      "javascript:alert(1)", art.published, art.published)
    out.append((art, [Event(id="written-hostile-e", type="strike", actor="RU",
                            places=(kherson,), attestations=(att,), status="reported",
                            date=art.published, date_precision="day", lat=kherson.lat,
                            lon=kherson.lon, admin1=kherson.admin1, precision=1,
                            geometry_kind="point", summary=hostile)]))
    vague = "Heavy fighting was reported somewhere along the front, a source said."
    art = Article(id="written-unplaced", text=vague, outlet="TASS", published=date(2025, 6, 3))
    att = Attestation(art.id, "reports", vague, 0, len(vague), None, None, "TASS", None,
                      art.published, art.published)
    out.append((art, [Event(id="written-unplaced-e", type="other", actor="unknown", places=(),
                            attestations=(att,), status="reported")]))
    return out


def fill(store, gazetteer) -> None:
    from geo.claims.extract import extract_events
    from geo.ingest.readers import read_articles
    from geo.parse.geoparse import default_geoparser

    parser = default_geoparser()
    for path in sorted(SEEDS.glob("*.txt")):
        for art in read_articles(path):
            assert store.ingest(art, extract_events(art, parser)) == "new"
    for art, events in written_corpus(gazetteer):
        assert store.ingest(art, events) == "new"


@pytest.fixture(scope="session")
def api_store_url(tmp_path_factory, gazetteer) -> str:
    """A filled GeoPackage store, shared by the API tests (they only read it)."""
    from geo.store import open_store

    url = str(tmp_path_factory.mktemp("api") / "frontline.gpkg")
    with open_store(url) as store:
        fill(store, gazetteer)
    return url
