"""Ingest on a Dask cluster stores what a local ingest stores."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from api.cli import main
from geo.ingest.local import ingest
from geo.store import open_store
from geo.synthetic import write_corpus

pytestmark = pytest.mark.slow


def attestations(events) -> Counter:
    return Counter((a.article_id, a.start, a.end, a.stance) for e in events
                   for a in e.attestations)


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("dask")
    corpus = base / "corpus.jsonl"
    write_corpus(corpus, 40, seed=41)
    reference = str(base / "reference.gpkg")
    summary = ingest([corpus], reference, workers=1)
    assert (summary.new, summary.failed) == (40, [])
    with open_store(reference) as s:
        return corpus, s.articles(), s.events()


def test_local_cluster_into_geopackage(corpus_and_reference, tmp_path, capsys):
    corpus, articles, events = corpus_and_reference
    store = str(tmp_path / "dask.gpkg")
    assert main(["ingest", str(corpus), "--store", store, "--dask", "local", "--quiet"]) == 0
    assert "articles read 40: new 40, duplicate 0, failed 0" in capsys.readouterr().out
    with open_store(store) as s:
        assert s.articles() == articles
        assert s.events() == events  # the driver writes in input order: the same fusion


@pytest.mark.postgis
def test_workers_write_to_postgis(corpus_and_reference, postgis_url, capsys):
    from dask.distributed import LocalCluster

    corpus, articles, events = corpus_and_reference
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        assert main(["ingest", str(corpus), "--store", postgis_url, "--dask", address,
                     "--quiet"]) == 0
        assert "new 40, duplicate 0, failed 0" in capsys.readouterr().out
        assert main(["ingest", str(corpus), "--store", postgis_url, "--dask", address,
                     "--quiet"]) == 0
        assert "new 0, duplicate 40, failed 0" in capsys.readouterr().out
    with open_store(postgis_url) as s:
        assert s.articles() == articles
        assert attestations(s.events()) == attestations(events)


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 2)
    assert main(["ingest", str(corpus), "--store", str(tmp_path / "x.gpkg"),
                 "--dask", "tcp://127.0.0.1:9", "--quiet"]) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_cluster_keeps_no_debug_history():
    """Dask's message log and worker profiles would hold partitions of articles for the
    length of an ingest; the cluster that ingest starts keeps neither."""
    import dask

    from geo.ingest.dask import connect

    client, cluster = connect("local")
    try:
        assert client.scheduler_comm.recent_message_log.maxlen == 16
        profiling = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        assert profiling and not any(profiling.values())
        assert set(client.run(lambda dask_worker: dask_worker.profile_history.maxlen
                              ).values()) == {16}
    finally:
        client.close()
        cluster.close()
    assert dask.config.get("distributed.worker.profile.enabled")  # the caller's config
