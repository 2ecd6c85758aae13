"""Ingest on a Dask cluster, for corpora that outgrow one machine.

Articles go out in partitions; at most two per worker are in flight, so the driver never
holds the corpus. With a PostGIS store the workers write their partitions themselves (the
store orders concurrent writers); with a GeoPackage, which lives on the driver's disk,
they send the extracted events back and the driver writes them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from geo.errors import FrontlineError
from geo.ingest.pipeline import PARTITION, Progress, Summary, bounded_imap, parse, write
from geo.models import Article
from geo.store import Store, default_store_url, open_store
from geo.store.records import batched

_worker_stores: dict[str, Store] = {}

# Dask keeps, for debugging, the last 1000 messages each connection sent (every partition
# of articles) and a second-by-second profile of each worker, kept for 1000 s: hundreds of
# megabytes on a long ingest. With no dashboard to show them, they are only cost.
_LEAN = {"distributed.admin.low-level-log-length": 16,
         "distributed.worker.profile.enabled": False}


class DaskError(FrontlineError):
    """The cluster cannot be reached or started."""


def is_server_store(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def ingest_partition(articles: list[Article], store_url: str) -> Summary:
    """Parse and store one partition on a worker; its store connection is kept for the next."""
    store = _worker_stores.get(store_url)
    if store is None:
        store = _worker_stores[store_url] = open_store(store_url)
    summary = Summary()
    write(store, (parse(a) for a in articles), summary)
    return summary


def parse_partition(articles: list[Article]) -> list[Any]:
    return [parse(a) for a in articles]


class _Handle:
    """Gives a Dask future the ``get()`` that ``bounded_imap`` expects."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def get(self) -> Any:
        return self.future.result()


def connect(address: str) -> tuple[Any, Any]:
    """A client, and the LocalCluster it owns when ``address`` is ``local``."""
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskError("Dask is not installed: pip install 'frontline[dask]'") from exc
    with dask.config.set(_LEAN):  # read as the client, cluster and workers start
        if address == "local":
            workers = os.cpu_count() or 1
            # Shutdown chatter from worker heartbeats is not the user's business; failures
            # still surface as the futures' exceptions.
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
            return Client(cluster), cluster
        try:
            return Client(address, timeout="15s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def ingest_dask(articles: Iterable[Article], store: Store, store_url: str | None, address: str,
                summary: Summary, progress: Progress | None = None) -> None:
    url = store_url or default_store_url()
    client, cluster = connect(address)
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        batches = batched(articles, PARTITION)
        if is_server_store(url):
            for part in bounded_imap(
                    lambda b: _Handle(client.submit(ingest_partition, b, url, pure=False)),
                    batches, window):
                summary.merge(part)
                if progress:
                    progress(part.new + part.duplicate + len(part.failed))
        else:
            results: Iterator[list[Any]] = bounded_imap(
                lambda b: _Handle(client.submit(parse_partition, b, pure=False)),
                batches, window)
            write(store, (p for part in results for p in part), summary, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
