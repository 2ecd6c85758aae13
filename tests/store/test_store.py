"""The store contract, run the same way against the GeoPackage file and a real PostGIS."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.models import Article, Attestation, Event, Toponym
from geo.store import EventQuery, StoreError, open_store
from geo.store.filters import QueryError
from geo.store.matching import matches as query_matches
from geo.store.records import content_hash, words

PLACES = [("Pokrovsk", "704422"), ("Lyman", "704204"), ("Kupiansk", None), ("Kherson", None),
          ("Huliaipole", None), ("Vovchansk", None)]
CLAIMANTS = [("Russian Ministry of Defence", "RU", "asserts"),
             ("Ukraine's General Staff", "UA", "denies"),
             ("Institute for the Study of War", None, "reports")]
OUTLETS = ["Reuters", "Kyiv Independent", "TASS", "Українська Правда"]
TYPES = ["advance", "capture", "strike", "repelled"]


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


def toponym(gazetteer, name: str, place_id: str | None = None) -> Toponym:
    place = gazetteer.by_id(place_id) if place_id else gazetteer.lookup(name, country="UA")[0]
    return Toponym(0, len(name), name, place.lat, place.lon, place.kind, place.country,
                   place.admin1, 1, 1.0, place_id=place.id, resolved_name=place.name)


def article(n: int, text: str | None = None, **kw) -> Article:
    body = text or f"Report number {n}: fighting continued along the front line."
    return Article(id=f"art-{n}", text=body, outlet=OUTLETS[n % len(OUTLETS)],
                   url=f"https://news.example/{n}", published=date(2025, 5, 1) + timedelta(n),
                   **kw)


def event(art: Article, place: Toponym, *, n: int, kind: str = "advance",
          claimant: tuple[str, str | None, str] = CLAIMANTS[0], actor: str = "RU",
          when: date | None = None, quote: str | None = None) -> Event:
    who, side, stance = claimant
    quote = quote or f"{who} said forces had moved near {place.name}."
    att = Attestation(art.id, stance, quote, 0, len(quote), who, side, art.outlet, art.url,
                      art.published, art.published)
    return Event(id=f"{art.id}-ev{n}", type=kind, actor=actor, places=(place,),
                 attestations=(att,), status="reported", date=when or art.published,
                 date_precision="day", lat=place.lat, lon=place.lon, admin1=place.admin1,
                 precision=1, geometry_kind="point", summary=f"{kind} near {place.name}")


@pytest.fixture
def corpus(gazetteer) -> list[tuple[Article, list[Event]]]:
    """Articles each telling one event at a distinct place and date, varied in every filter."""
    out = []
    for n in range(24):
        name, pid = PLACES[n % len(PLACES)]
        place = toponym(gazetteer, name, pid)
        art = article(n)
        kind = TYPES[n % len(TYPES)]
        claimant = CLAIMANTS[n % len(CLAIMANTS)]
        actor = "UA" if n % 5 == 0 else "RU"
        out.append((art, [event(art, place, n=0, kind=kind, claimant=claimant, actor=actor)]))
    # one event no place could be found for: kept, never mapped
    art = article(99, "Heavy fighting was reported somewhere in the east.")
    unplaced = replace(event(art, toponym(gazetteer, "Pokrovsk", "704422"), n=0), places=(),
                       lat=None, lon=None, admin1=None, precision=None, geometry_kind=None)
    out.append((art, [unplaced]))
    return out


@pytest.fixture
def filled(store, corpus):
    for art, events in corpus:
        assert store.ingest(art, events) == "new"
    return store


def test_round_trip_keeps_every_field(store, gazetteer):
    from geo.claims.status import derive_status

    art = article(1, title="Russia claims Pokrovsk advance")
    ev = event(art, toponym(gazetteer, "Pokrovsk", "704422"), n=0)
    ev = replace(ev, origin=(toponym(gazetteer, "Myrnohrad"),), sub_event_type="ground",
                 extra={"note": "ünïcode ✓"})
    assert store.ingest(art, [ev]) == "new"
    got = store.event(ev.id)
    assert got == replace(ev, status=derive_status(ev.attestations, ev.type, ev.actor))
    assert got.extra == {"note": "ünïcode ✓"}
    assert store.articles() == [art]
    assert store.event("no-such-event") is None


def test_same_article_twice_changes_nothing(filled, corpus):
    before = (filled.articles(), filled.events())
    art, events = corpus[3]
    assert filled.ingest(art, events) == "duplicate"
    rewrapped = replace(art, id="other-id", url=None, text="  " + art.text.replace(" ", "\n"))
    assert filled.ingest(rewrapped, events) == "duplicate"
    same_url = replace(art, id="yet-another", text="A corrected version of the story.")
    assert filled.ingest(same_url, events) == "duplicate"
    assert (filled.articles(), filled.events()) == before


def test_clashing_article_id_is_refused_and_nothing_changes(filled, corpus):
    before = (filled.articles(), filled.events())
    art, events = corpus[0]
    clash = replace(art, text="Entirely different words.", url="https://news.example/new")
    with pytest.raises(StoreError, match="another article with this id"):
        filled.ingest(clash, events)
    assert (filled.articles(), filled.events()) == before


def test_new_article_on_known_event_adds_attestation_and_rederives_status(store, gazetteer):
    from geo.claims.status import derive_status

    place = toponym(gazetteer, "Pokrovsk", "704422")
    a1 = article(1)
    claim = event(a1, place, n=0, kind="capture", when=date(2025, 6, 1))
    assert store.ingest(a1, [claim]) == "new"
    a2 = article(2, "Ukraine's General Staff denied that Pokrovsk had fallen.")
    denial = event(a2, place, n=0, kind="capture", when=date(2025, 6, 1),
                   claimant=CLAIMANTS[1],
                   quote="Ukraine's General Staff denied that Pokrovsk had fallen.")
    assert store.ingest(a2, [denial]) == "new"
    [fused] = store.events()
    assert fused.id == claim.id
    assert [a.article_id for a in fused.attestations] == ["art-1", "art-2"]
    assert fused.status == derive_status(fused.attestations, fused.type, fused.actor)
    assert fused.status != derive_status(claim.attestations, claim.type, claim.actor)
    assert store.count(EventQuery(text="denied fallen")) == 1


def test_reports_out_of_order_fuse_as_in_memory(store, gazetteer):
    """Each article adds its attestations to the stored event; the event reads back as
    fusing all the reports at once would make it, in the order they were said."""
    from geo.claims.fusion import fuse

    place = toponym(gazetteer, "Pokrovsk", "704422")
    reports = []
    for n, claimant in ((9, CLAIMANTS[0]), (3, CLAIMANTS[1]), (6, CLAIMANTS[0]),
                        (1, CLAIMANTS[1])):
        art = article(n)
        reports.append((art, event(art, place, n=0, kind="capture", claimant=claimant,
                                   when=date(2025, 5, 8))))
    for art, ev in reports:
        assert store.ingest(art, [ev]) == "new"
    [expected] = fuse(ev for _, ev in reports)
    [got] = store.events()
    assert got.id == "art-1-ev0"  # the smallest id of its reports, not the first stored
    assert [a.article_id for a in got.attestations] == ["art-1", "art-3", "art-6", "art-9"]
    assert (got.id, got.attestations, got.status) == (expected.id, expected.attestations,
                                                      expected.status)
    assert store.count(EventQuery(claimants=(CLAIMANTS[1][0],))) == 1


def test_failed_ingest_leaves_nothing_half_written(filled, gazetteer):
    before = (filled.articles(), filled.events())
    art = article(50, "Half of this article must not be stored.")
    good = event(art, toponym(gazetteer, "Lyman", "704204"), n=0)
    broken = replace(event(art, toponym(gazetteer, "Kupiansk"), n=1, kind="strike"),
                     attestations=(Attestation(art.id, None, "q", 0, 1),))  # type: ignore
    with pytest.raises(StoreError, match="(?i)null"):
        filled.ingest(art, [good, broken])
    assert (filled.articles(), filled.events()) == before
    assert filled.ingest(art, [good]) == "new"


def test_filters_each_narrow_as_specified(filled, gazetteer):
    everything = filled.events()
    assert len(everything) == filled.count() == 25
    pokrovsk = toponym(gazetteer, "Pokrovsk", "704422")
    box = (pokrovsk.lon - 0.1, pokrovsk.lat - 0.1, pokrovsk.lon + 0.1, pokrovsk.lat + 0.1)
    in_box = filled.events(EventQuery(bbox=box))
    assert in_box and {e.places[0].place_id for e in in_box} == {"704422"}
    assert all(e.mapped for e in in_box)
    may = filled.events(EventQuery(start=date(2025, 5, 3), end=date(2025, 5, 5)))
    assert [e.date for e in may] == [date(2025, 5, 3), date(2025, 5, 4), date(2025, 5, 5)]
    assert {e.type for e in filled.events(EventQuery(types=("strike",)))} == {"strike"}
    assert {e.actor for e in filled.events(EventQuery(actors=("UA",)))} == {"UA"}
    tass = filled.events(EventQuery(outlets=("tass",)))
    assert tass and all(a.outlet == "TASS" for e in tass for a in e.attestations)
    isw = filled.events(EventQuery(claimants=("INSTITUTE FOR THE STUDY OF WAR",)))
    assert isw and all(e.attestations[0].stance == "reports" for e in isw)
    donetsk = filled.events(EventQuery(oblasts=("UA-14",)))
    assert donetsk and {e.admin1 for e in donetsk} == {"UA-14"}
    assert filled.count(EventQuery(text="Lyman")) == sum(
        1 for e in everything if any("Lyman" in a.quote for a in e.attestations))
    assert filled.count(EventQuery(text="lyman zzzunknownword")) == 0
    for nothing in ("'", "%", "*", "..", "  ;;; "):
        with pytest.raises(QueryError, match="no words"):
            filled.count(EventQuery(text=nothing))


def test_names_match_whatever_their_case_and_accents(store, gazetteer):
    art = replace(article(1), outlet="Українська Правда")
    claimant = ("État-major général", "UA", "denies")
    assert store.ingest(art, [event(art, toponym(gazetteer, "Lyman", "704204"), n=0,
                                    claimant=claimant)]) == "new"
    other = article(2)
    assert store.ingest(other, [event(other, toponym(gazetteer, "Pokrovsk", "704422"),
                                      n=0)]) == "new"
    for spelled in ("Українська Правда", "УКРАЇНСЬКА ПРАВДА", "українська  правда"):
        assert [e.id for e in store.events(EventQuery(outlets=(spelled,)))] == ["art-1-ev0"]
    for spelled in ("État-major général", "ETAT-MAJOR GENERAL", "état-major général"):
        assert [e.id for e in store.events(EventQuery(claimants=(spelled,)))] == ["art-1-ev0"]
    assert store.count(EventQuery(outlets=("Українська",))) == 0  # whole names, not parts


def test_a_store_of_the_previous_schema_is_upgraded_in_place(tmp_path, corpus):
    path = tmp_path / "old.gpkg"
    with open_store(str(path)) as s:
        for art, events in corpus:
            s.ingest(art, events)
        before = s.events()
    conn = sqlite3.connect(path)
    for sql in ("DROP INDEX attestations_claimant_key", "DROP INDEX attestations_outlet_key",
                "ALTER TABLE attestations DROP COLUMN claimant_key",
                "ALTER TABLE attestations DROP COLUMN outlet_key",
                "CREATE INDEX attestations_claimant ON attestations (lower(claimant))",
                "CREATE INDEX attestations_outlet ON attestations (lower(outlet))",
                "UPDATE frontline_meta SET value = '3' WHERE key = 'schema'"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    with open_store(str(path)) as s:
        assert s.events() == before
        wanted = EventQuery(outlets=("УКРАЇНСЬКА ПРАВДА",))
        assert s.count(wanted) == sum(
            1 for e in before if any(a.outlet == "Українська Правда" for a in e.attestations))
        assert s.count(wanted) > 0
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM frontline_meta").fetchone() == ("5",)
    conn.close()


@pytest.mark.postgis
def test_a_postgis_store_of_the_previous_schema_is_upgraded_in_place(postgis_url, corpus):
    import psycopg

    with open_store(postgis_url) as s:
        for art, events in corpus:
            s.ingest(art, events)
        before = s.events()
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        for sql in ("ALTER TABLE attestations DROP COLUMN claimant_key, DROP COLUMN outlet_key",
                    "CREATE INDEX attestations_claimant ON attestations (lower(claimant))",
                    "UPDATE frontline_meta SET value = '2' WHERE key = 'schema'"):
            conn.execute(sql)
    with open_store(postgis_url) as s:
        assert s.events() == before
        assert s.count(EventQuery(outlets=("УКРАЇНСЬКА ПРАВДА",))) == sum(
            1 for e in before if any(a.outlet == "Українська Правда" for a in e.attestations))


def test_order_and_pages(filled):
    everything = filled.events()
    keys = [(e.date is None, e.date or date.min, e.id) for e in everything]
    assert keys == sorted(keys)
    assert everything[-1].date is None or everything[-1].mapped is False
    pages = [filled.events(EventQuery(limit=7, offset=o)) for o in range(0, 30, 7)]
    assert [e for p in pages for e in p] == everything
    assert filled.events(EventQuery(limit=0)) == []
    assert filled.events(EventQuery(offset=20)) == everything[20:]
    assert filled.count(EventQuery(limit=3)) == 25


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.builds(
    EventQuery,
    bbox=st.none() | st.tuples(st.floats(30, 38), st.floats(45, 50)).map(
        lambda p: (p[0], p[1], p[0] + 3.0, p[1] + 2.0)),
    start=st.none() | st.dates(date(2025, 4, 25), date(2025, 5, 30)),
    end=st.none() | st.dates(date(2025, 5, 1), date(2025, 6, 5)),
    types=st.lists(st.sampled_from(TYPES), max_size=2).map(tuple),
    statuses=st.lists(st.sampled_from(["reported", "claimed", "disputed", "confirmed"]),
                      max_size=2).map(tuple),
    actors=st.lists(st.sampled_from(["RU", "UA"]), max_size=1).map(tuple),
    claimants=st.lists(st.sampled_from([c[0].lower() for c in CLAIMANTS]),
                       max_size=1).map(tuple),
    outlets=st.lists(st.tuples(st.sampled_from(OUTLETS),
                               st.sampled_from([str, str.upper, str.lower, str.casefold])
                               ).map(lambda p: p[1](p[0])), max_size=2).map(tuple),
    oblasts=st.lists(st.sampled_from(["UA-14", "UA-63", "UA-65", "UA-23"]),
                     max_size=2).map(tuple),
    text=st.none() | st.sampled_from(["Pokrovsk", "forces moved", "said near Lyman", "x"]),
))
def test_any_query_means_the_same_on_every_backend(filled, q):
    everything = filled.events()
    expected = [e for e in everything if query_matches(q, e)]
    assert filled.events(q) == expected
    assert filled.count(q) == len(expected)
    by_status: dict[str, dict[str, int]] = {}
    for e in expected:
        if e.admin1:
            counts = by_status.setdefault(e.admin1, {})
            counts[e.status] = counts.get(e.status, 0) + 1
    assert filled.oblast_counts(q) == by_status


def test_places_summarise_their_events(filled):
    places = filled.places()
    assert [p.place_id for p in places] == sorted(p.place_id for p in places)
    events = filled.events()
    for p in places:
        there = [e for e in events if any(t.place_id == p.place_id for t in e.places)]
        assert p.events == len(there) == sum(p.statuses.values())
        assert p.attestations == sum(len(e.attestations) for e in there)
        assert p.first == min(e.date for e in there) and p.last == max(e.date for e in there)
    strikes = filled.places(EventQuery(types=("strike",)))
    assert sum(p.events for p in strikes) == filled.count(EventQuery(types=("strike",)))


def test_counts_by_type(filled):
    counts = filled.oblast_counts(by="type")
    assert sum(sum(c.values()) for c in counts.values()) == 24  # all but the unplaced event
    assert set().union(*(c.keys() for c in counts.values())) <= set(TYPES)
    with pytest.raises(QueryError, match="cannot count by"):
        filled.oblast_counts(by="colour")  # type: ignore[arg-type]


def test_bad_queries_are_refused_plainly(filled):
    from geo.errors import FrontlineError

    for q in (EventQuery(bbox=(40, 50, 30, 45)), EventQuery(limit=-1),
              EventQuery(offset=-5), EventQuery(bbox=(float("nan"), 0, 1, 1))):
        with pytest.raises(FrontlineError):
            filled.events(q)


def test_reopened_store_has_everything(store_url, corpus):
    with open_store(store_url) as s:
        for art, events in corpus:
            s.ingest(art, events)
        before = (s.articles(), s.events())
    with open_store(store_url) as s:
        assert (s.articles(), s.events()) == before


def test_fts_words_ignore_punctuation():
    assert words("Pokrovsk's \"fall\" -- (denied)") == ["pokrovsk", "s", "fall", "denied"]
    assert content_hash(Article("a", "one  two\nthree")) == content_hash(
        Article("b", "one two three"))


# GeoPackage specifics: GIS software must open the file as it is.


def test_geopackage_opens_in_gdal(tmp_path, corpus):
    import pyogrio

    path = tmp_path / "frontline.gpkg"
    with open_store(str(path)) as s:
        for art, events in corpus:
            s.ingest(art, events)
        stored = s.events()
    mapped = [e for e in stored if e.mapped]
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers["events"] == "Point"
    assert {"articles", "attestations", "event_places"} <= set(layers)
    info = pyogrio.read_info(path, layer="events")
    assert info["crs"] == "EPSG:4326" and info["capabilities"]["fast_spatial_filter"]
    df = pyogrio.read_dataframe(path, layer="events")
    assert sorted(df["id"]) == sorted(e.id for e in stored)
    assert df.geometry.notna().sum() == len(mapped)
    e = mapped[0]
    near = pyogrio.read_dataframe(path, layer="events",
                                  bbox=(e.lon - 0.01, e.lat - 0.01, e.lon + 0.01, e.lat + 0.01))
    assert e.id in set(near["id"])
    assert abs(near.geometry.iloc[0].x - e.lon) < 1e-9


def test_geopackage_metadata_and_spatial_index(tmp_path, corpus, gazetteer):
    path = tmp_path / "frontline.gpkg"
    with open_store(str(path)) as s:
        for art, events in corpus:
            s.ingest(art, events)
        # a fused update keeps the R-tree entry of the event it updates
        art, [ev] = corpus[0]
        later = replace(article(70, "Russia's defence ministry repeated the claim."),
                        published=art.published)
        again = event(later, ev.places[0], n=0, kind=ev.type, actor=ev.actor, when=ev.date)
        s.ingest(later, [again])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='events'"
                        ).fetchone()[0] == 4326
    assert conn.execute("SELECT organization_coordsys_id FROM gpkg_spatial_ref_sys "
                        "WHERE srs_id = 4326").fetchone()[0] == 4326
    rtree = dict(conn.execute("SELECT id, minx FROM rtree_events_geom"))
    points = dict(conn.execute("SELECT fid, lon FROM events WHERE geom IS NOT NULL"))
    assert rtree.keys() == points.keys()
    assert all(abs(rtree[k] - points[k]) < 1e-4 for k in points)
    blob = conn.execute("SELECT geom FROM events WHERE geom IS NOT NULL").fetchone()[0]
    assert blob[:2] == b"GP" and blob[4:8] == (4326).to_bytes(4, "little")
    conn.close()


def test_not_a_store_is_refused(tmp_path):
    text = tmp_path / "notes.gpkg"
    text.write_text("these are not the droids " * 100)
    foreign = tmp_path / "other.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    for url, why in ((str(tmp_path), "directory"), (str(text), "not a usable GeoPackage"),
                     (str(foreign), "not a Frontline store"),
                     (str(tmp_path / "missing" / "x.gpkg"), "no such directory"),
                     ("mysql://db/x", "unknown store")):
        with pytest.raises(StoreError, match=why):
            open_store(url)
    assert text.read_text().startswith("these are not")


def test_store_url_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.gpkg"
    monkeypatch.setenv("FRONTLINE_STORE", f"gpkg:{path}")
    with open_store() as s:
        assert s.count() == 0
    assert path.exists()


@pytest.mark.postgis
def test_unreachable_server_is_a_clear_error(postgis_server):
    url = f"postgresql://postgres@127.0.0.1:{postgis_server.port}/no_such_database"
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(url)


def test_ledger_of_a_place_and_of_an_oblast(filled):
    from geo.claims.ledger import ledger

    events = filled.events()
    for place_id in ("704422", "704204", "UA-14"):
        got = filled.ledger(place_id)
        assert got == ledger(events, place_id)
    pokrovsk = filled.ledger("704422")
    assert pokrovsk and all(e.place == "Pokrovsk" for e in pokrovsk)
    whens = [e.when for e in pokrovsk]
    assert whens == sorted(whens)
    assert filled.ledger("no-such-place") == []


def test_one_store_serves_many_threads(store, corpus):
    import threading

    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                n = store.count()
                assert len(store.events(EventQuery(limit=5))) >= min(5, n)  # only grows
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    writers = [threading.Thread(target=lambda part=part: [store.ingest(a, e) for a, e in part])
               for part in (corpus[0::2], corpus[1::2])]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    for t in readers:
        t.join()
    assert errors == []
    assert store.count() == len(corpus)


def test_a_closed_store_says_so(store_url):
    s = open_store(store_url)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count()


@pytest.mark.parametrize("cell", [(0.05, 0.05), (0.5, 0.3), (3.0, 2.0)])
def test_grid_counts_located_events_per_cell(filled, cell):
    import math

    q = EventQuery(types=("advance", "strike"))
    cells: dict[tuple[int, int], list[Event]] = {}
    for e in filled.events(q):
        if e.lon is not None and e.lat is not None:
            key = (math.floor((e.lon + 180) / cell[0]), math.floor((e.lat + 90) / cell[1]))
            cells.setdefault(key, []).append(e)
    got = filled.grid(q, *cell)
    assert len(got) == len(cells) and sum(c.count for c in got) == sum(map(len, cells.values()))
    for c, key in zip(got, sorted(cells), strict=True):
        there = cells[key]
        assert c.count == len(there)
        assert c.lon == pytest.approx(sum(e.lon for e in there) / len(there))
        assert c.lat == pytest.approx(sum(e.lat for e in there) / len(there))
        assert c.event_id == (there[0].id if len(there) == 1 else None)
    assert filled.grid(EventQuery(types=("withdrawal",)), *cell) == []
    with pytest.raises(QueryError, match="positive"):
        filled.grid(q, 0.0, 1.0)


def test_count_stops_at_most_where_asked(filled):
    q = EventQuery(types=("advance", "strike"))
    exact = filled.count(q)
    assert exact > 3
    assert filled.count(q, at_most=3) == 3
    assert filled.count(q, at_most=exact) == exact
    assert filled.count(q, at_most=exact + 100) == exact
    assert filled.count(q, at_most=0) == 0
    with pytest.raises(QueryError, match="negative"):
        filled.count(q, at_most=-1)


def test_filter_indexes_serve_type_status_and_name_prefixes(store):
    """The pages and counts of the commonest filters come from indexes, in order."""
    import sqlite3

    from geo.store.filters import order

    if not str(getattr(store, "path", "")).endswith(".gpkg"):
        pytest.skip("the query plan is SQLite's")
    conn = sqlite3.connect(store.path)
    for sql, index in [
        ("SELECT e.id FROM events e WHERE e.date >= '2025-01-01' AND e.type = 'strike' "
         f"{order(EventQuery(start=date(2025, 1, 1)))} LIMIT 100", "events_type"),
        ("SELECT count(*) FROM events e WHERE e.status = 'claimed'", "events_status"),
        ("SELECT count(*) FROM events e WHERE e.place_names GLOB 'Pokr*' AND NOT e.actor = 'UA'",
         "events_place"),
        ("SELECT e.admin1, e.type, count(*) FROM events e WHERE e.admin1 IS NOT NULL "
         "GROUP BY e.admin1, e.type ORDER BY e.admin1, e.type", "events_admin1_type"),
        ("SELECT e.admin1, e.status, count(*) FROM events e WHERE e.admin1 IS NOT NULL "
         "GROUP BY e.admin1, e.status ORDER BY e.admin1, e.status", "events_admin1_status"),
    ]:
        plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert f"INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan
    conn.close()


def test_planner_statistics_follow_the_size_of_the_events_table(tmp_path, gazetteer):
    """A bulk load takes SQLite's statistics of the events; opening a GeoPackage of a
    thousand events or more takes them again where they are missing or the table has
    doubled or halved since, so that a box with a status goes to the R-tree."""
    import sqlite3

    from geo.store.gpkg import STATISTICS_FROM

    place = toponym(gazetteer, "Pokrovsk", "704422")
    url = str(tmp_path / "big.gpkg")
    n = STATISTICS_FROM + 5

    def stat(set_to: int | None = None) -> int | None:
        with sqlite3.connect(url) as conn:
            if set_to is not None:
                conn.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'events' AND "
                             "idx = 'events_date'", (f"{set_to} 1 1",))
            row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'events' "
                               "AND idx = 'events_date'").fetchone()
        return int(row[0].split()[0]) if row else None

    art = article(0)
    with open_store(url) as s:
        s.load_events(replace(event(art, place, n=0), id=f"bulk-{i}") for i in range(n))
    assert stat() == n
    stat(set_to=n // 2 + 10)  # within a factor of two: kept
    open_store(url).close()
    assert stat() == n // 2 + 10
    stat(set_to=n // 3)  # the table has since tripled: taken again
    open_store(url).close()
    assert stat() == n
