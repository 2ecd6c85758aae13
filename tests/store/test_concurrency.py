"""Eight ingest processes at once over overlapping inputs: nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from geo.claims.extract import extract_events
from geo.store import open_store
from geo.synthetic import articles as synthetic_articles

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8
ARTICLES = 24
PER_PROCESS = 7  # each article is in two or three inputs


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_url(request, tmp_path) -> str:
    if request.param == "gpkg":
        return str(tmp_path / "shared.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.mark.slow
def test_eight_writers_lose_nothing_and_duplicate_nothing(store_url, tmp_path):
    corpus = list(synthetic_articles(ARTICLES, seed=31))
    inputs = []
    for p in range(PROCESSES):
        part = [corpus[(p * 3 + j) % ARTICLES] for j in range(PER_PROCESS)]
        path = tmp_path / f"part{p}.jsonl"
        path.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in part))
        inputs.append((path, part))
    procs = [subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", str(path), "--store", store_url,
         "--workers", "1", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for path, _ in inputs]
    outputs = [p.communicate(timeout=900) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    news = [int(out.split("new ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(news) == ARTICLES  # each article stored by exactly one writer
    assert all(f"articles read {PER_PROCESS}: " in out for out, _ in outputs)

    want = Counter((a.article_id, a.start, a.end, a.stance)
                   for art in corpus for e in extract_events(art) for a in e.attestations)
    with open_store(store_url) as s:
        stored_articles = s.articles()
        events = s.events()
    assert sorted(a.id for a in stored_articles) == sorted(a.id for a in corpus)
    got = Counter((a.article_id, a.start, a.end, a.stance) for e in events
                  for a in e.attestations)
    assert got == want  # none lost, none twice
    assert len({e.id for e in events}) == len(events)
