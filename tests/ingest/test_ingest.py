"""``frontline ingest``, ``export`` and ``synth`` on real articles, end to end."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from api.cli import main
from geo.claims.extract import extract_events
from geo.claims.fusion import fuse
from geo.ingest.local import ingest
from geo.ingest.readers import read_articles
from geo.models import Article
from geo.store import EventQuery, open_store
from geo.synthetic import articles as synthetic_articles
from geo.synthetic import write_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CLAIM = ("Russia's Defence Ministry said on Monday that its forces had captured the village of "
         "Novopavlivka in the Dnipropetrovsk region. Fighting continued elsewhere.")
DENIAL = ("Ukraine's General Staff denied that Russian forces had captured Novopavlivka in the "
          "Dnipropetrovsk region.")


def attestation_keys(events) -> set[tuple]:
    return {(a.article_id, a.start, a.end, a.stance) for e in events for a in e.attestations}


def write_jsonl(path: Path, articles: list[Article]) -> Path:
    path.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in articles), encoding="utf-8")
    return path


def test_seeds_go_in_once(tmp_path, capsys):
    store = str(tmp_path / "f.gpkg")
    assert main(["ingest", str(SEEDS), "--store", store, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "articles read 2: new 2, duplicate 0, failed 0" in out
    expected = [e for a in read_articles(SEEDS) for e in extract_events(a)]
    with open_store(store) as s:
        stored = s.events()
        assert sorted(a.id for a in s.articles()) == sorted(a.id for a in read_articles(SEEDS))
    assert expected and attestation_keys(stored) == attestation_keys(expected)
    assert main(["ingest", str(SEEDS), "--store", store, "--quiet"]) == 0
    assert "new 0, duplicate 2, failed 0" in capsys.readouterr().out
    with open_store(store) as s:
        assert s.events() == stored


def test_a_denial_in_a_later_article_disputes_the_claim(tmp_path):
    claim = Article("claim", CLAIM, outlet="Test Wire", published=date(2025, 6, 2))
    denial = Article("denial", DENIAL, outlet="Other Wire", published=date(2025, 6, 3))
    store = str(tmp_path / "f.gpkg")
    first = ingest([write_jsonl(tmp_path / "a.jsonl", [claim])], store, workers=1)
    assert (first.new, first.failed) == (1, [])
    with open_store(store) as s:
        [before] = s.events(EventQuery(types=("capture",)))
    assert before.status == "claimed"
    ingest([write_jsonl(tmp_path / "b.jsonl", [denial])], store, workers=1)
    with open_store(store) as s:
        [after] = s.events(EventQuery(types=("capture",)))
        assert s.ledger(after.places[0].place_id)[-1].stance == "denies"
    [want] = [e for e in fuse([*extract_events(claim), *extract_events(denial)])
              if e.type == "capture"]
    assert after.id == want.id  # the smallest of its reports' ids, in either order
    assert after.id in (before.id, *(e.id for e in extract_events(denial)))
    assert [a.article_id for a in after.attestations] == ["claim", "denial"]
    assert after.status == "disputed"


def test_bad_files_are_reported_and_the_rest_goes_in(tmp_path, capsys):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Title\n" + CLAIM, encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"Title\n\x00\x01\x02 not text")
    (corpus / "notes.md").write_text("not an article format: skipped inside a directory")
    (corpus / ".hidden.txt").write_text("Title\nhidden files are not read")
    good = list(synthetic_articles(3, seed=5))
    lines = [json.dumps(good[0].to_dict()), "{not json", json.dumps({"id": "x", "text": ""}),
             json.dumps(good[1].to_dict()), "", json.dumps(good[2].to_dict())]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "latin1.jsonl").write_bytes(b'{"id": "l1", "text": "caf\xe9"}\n')
    odd = tmp_path / "table.xlsx"
    odd.write_bytes(b"PK\x03\x04")
    store = str(tmp_path / "f.gpkg")
    assert main(["ingest", str(corpus), str(odd), "--store", store, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "articles read 4: new 4, duplicate 0, failed 5" in out
    assert "binary.txt: " in out and "NUL byte" in out
    assert "feed.jsonl: line 2: bad JSON" in out
    assert "feed.jsonl: line 3: missing 'text'" in out
    assert "latin1.jsonl: line 1: not UTF-8" in out
    assert "table.xlsx: " in out and "unsupported file type" in out
    with open_store(store) as s:
        assert sorted(a.id for a in s.articles()) == sorted(
            ["good"] + [a.id for a in good])


def test_missing_path_and_bad_options_are_usage_errors(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.txt")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["ingest", str(SEEDS), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert main(["ingest", str(SEEDS), "--store", str(tmp_path), "--quiet"]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.slow
def test_two_workers_store_what_one_does(tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 40, seed=11)
    one = ingest([corpus], str(tmp_path / "one.gpkg"), workers=1)
    two = ingest([corpus], str(tmp_path / "two.gpkg"), workers=2)
    assert (one.read, one.new, one.failed) == (two.read, two.new, two.failed) == (40, 40, [])
    with open_store(str(tmp_path / "one.gpkg")) as a, open_store(str(tmp_path / "two.gpkg")) as b:
        assert a.events() == b.events()
        assert a.articles() == b.articles()


def test_store_from_environment(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.gpkg"
    monkeypatch.setenv("FRONTLINE_STORE", str(path))
    assert main(["ingest", str(SEEDS / "004_ad8522ef294dd132.txt"), "--quiet"]) == 0
    with open_store(str(path)) as s:
        assert [a.id for a in s.articles()] == ["004_ad8522ef294dd132"]


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("export") / "f.gpkg"
    corpus = path.parent / "c.jsonl"
    write_corpus(corpus, 30, seed=3)
    ingest([corpus, SEEDS], str(path), workers=1)
    return str(path)


def test_export_geojson_with_filters(filled_store, tmp_path, capsys):
    out = tmp_path / "e.geojson"
    args = ["export", "--format", "geojson", "--out", str(out), "--store", filled_store,
            "--oblast", "Donetsk", "--type", "capture,advance", "--start", "2024-03-01"]
    assert main(args) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    with open_store(filled_store) as s:
        want = s.events(EventQuery(oblasts=("UA-14",), types=("capture", "advance"),
                                   start=date(2024, 3, 1)))
    assert want and [f["id"] for f in doc["features"]] == [e.id for e in want]
    assert all(f["properties"]["admin1"] == "UA-14" for f in doc["features"])
    assert f"{len(want)} events written" in capsys.readouterr().err


def test_export_csv_and_gpkg_match_the_store(filled_store, tmp_path, capsys):
    import pyogrio

    with open_store(filled_store) as s:
        disputed = s.events(EventQuery(statuses=("disputed",)))
        everything = s.events()
    assert main(["export", "--format", "csv", "--out", "-", "--store", filled_store,
                 "--status", "disputed"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["event_id_cnty"] for r in rows] == [e.id for e in disputed]
    gpkg = tmp_path / "all.gpkg"
    assert main(["export", "--format", "gpkg", "--out", str(gpkg), "--store", filled_store]) == 0
    df = pyogrio.read_dataframe(gpkg, layer="events")
    assert sorted(df["event_id_cnty"]) == sorted(e.id for e in everything)


def test_export_refuses_bad_filters_and_keeps_old_file(filled_store, tmp_path, capsys):
    out = tmp_path / "keep.geojson"
    out.write_text("previous export")
    for extra, message in ((["--bbox", "1,2,3"], "bbox"), (["--type", "parade"], "type"),
                           (["--datetime", "2025-01-01", "--start", "2025-01-01"], "either"),
                           (["--start", "yesterday"], "start"),
                           (["--oblast", "Atlantis"], "Atlantis")):
        args = ["export", "--format", "geojson", "--out", str(out), "--store", filled_store]
        assert main(args + extra) == 2
        assert message in capsys.readouterr().err
    assert out.read_text() == "previous export"
    assert main(["export", "--format", "gpkg", "--out", "-", "--store", filled_store]) == 2
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"),
                 "--store", filled_store]) == 2
    assert list(tmp_path.iterdir()) == [out]


def test_synthetic_corpus_is_reproducible_and_readable(tmp_path, capsys):
    a, b, c = (tmp_path / n for n in ("a.jsonl", "b.jsonl", "c.jsonl"))
    assert main(["synth", "--articles", "25", "--out", str(a), "--seed", "7"]) == 0
    assert main(["synth", "--articles", "25", "--out", str(b), "--seed", "7"]) == 0
    assert main(["synth", "--articles", "25", "--out", str(c), "--seed", "8"]) == 0
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    read = list(read_articles(a))
    assert len(read) == 25 and len({x.id for x in read}) == 25
    assert all(x.url.startswith("https://synthetic.invalid/") for x in read)
    events = [e for x in read[:10] for e in extract_events(x)]
    assert {"capture", "advance"} <= {e.type for e in events}
    assert any("denied" in x.text for x in read[:10])
    assert any(att.stance == "denies" for e in events for att in e.attestations)
    assert all(e.mapped and e.admin1 for e in events if e.places)
