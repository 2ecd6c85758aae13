"""From files to the store: read, extract claims, write, and say what happened.

Parsing dominates the cost (spaCy), so it runs in parallel: on local worker processes, or
on a Dask cluster in partitions. Writing stays one article per transaction, so a crash or a
bad article costs that article only. Articles stream through a bounded window: memory
stays flat however large the corpus. A file that cannot be read, or an article that cannot
be parsed or stored, is reported with its reason and skipped; the rest goes in.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from geo.errors import FrontlineError
from geo.ingest.limits import loads
from geo.ingest.pipeline import (
    PARTITION,
    Failure,
    Progress,
    Summary,
    bounded_imap,
    failure_reason,
    parse_partition,
    write,
)
from geo.ingest.readers import (
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    SUFFIXES,
    article_from_record,
    json_records,
    read_articles,
)
from geo.models import Article
from geo.store import open_store
from geo.store.records import batched

# Below this many articles, starting workers (each loads the spaCy model) costs more
# than it saves.
MIN_PARALLEL = 24
BATCH = 16  # articles parsed together in one process


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the readable files under directories (sorted, hidden skipped)."""
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in p.relative_to(path).parts)
                if p.is_file() and not hidden and p.suffix.lower() in SUFFIXES:
                    yield p
        else:
            yield path


def read_all(paths: Iterable[Path], summary: Summary) -> Iterator[Article]:
    """Every article of every file; what cannot be read is recorded and the rest still read."""
    for path in expand(paths):
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _jsonl(path, summary)
                continue
            if path.suffix.lower() in JSON_SUFFIXES:
                yield from _json(path, summary)
                continue
            for article in read_articles(path):
                summary.read += 1
                yield article
        except (FrontlineError, OSError, UnicodeDecodeError, ValueError) as exc:
            summary.failed.append(Failure(str(path),
                                          failure_reason(exc).removeprefix(f"{path}: ")))


def _jsonl(path: Path, summary: Summary) -> Iterator[Article]:
    """Line by line, so that a corpus of any size streams and a bad line costs one article."""
    with path.open("rb") as lines:
        for n, raw in enumerate(lines, start=1):
            where = f"{path}: line {n}"
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                if not line.strip():
                    continue
                article = article_from_record(loads(line), where)
            except UnicodeDecodeError as exc:
                summary.failed.append(Failure(where, f"not UTF-8 text (byte {exc.start})"))
                continue
            except json.JSONDecodeError as exc:
                summary.failed.append(Failure(where, f"bad JSON: {exc.msg}"))
                continue
            except FrontlineError as exc:
                summary.failed.append(Failure(where, str(exc).removeprefix(f"{where}: ")))
                continue
            summary.read += 1
            yield article


def _json(path: Path, summary: Summary) -> Iterator[Article]:
    """Record by record, so that a bad one costs itself only."""
    for n, record in enumerate(json_records(path), start=1):
        where = f"{path}: article {n}"
        try:
            article = article_from_record(record, where)
        except FrontlineError as exc:
            summary.failed.append(Failure(where, str(exc).removeprefix(f"{where}: ")))
            continue
        summary.read += 1
        yield article


def ingest(paths: Sequence[Path], store_url: str | None = None, workers: int | None = None,
           dask: str | None = None, progress: Progress | None = None) -> Summary:
    """Ingest files and directories into the store at ``store_url``.

    ``workers``: local parsing processes (default: one per core). ``dask``: a scheduler
    address (``tcp://host:8786``) or ``"local"`` for a LocalCluster on this machine.
    """
    summary = Summary()
    with open_store(store_url) as store:
        articles = read_all(paths, summary)
        if dask:
            from geo.ingest.dask import ingest_dask

            ingest_dask(articles, store, store_url, dask, summary, progress)
            return summary
        workers = workers or os.cpu_count() or 1
        head = list(islice(articles, MIN_PARALLEL))
        if workers == 1 or len(head) < MIN_PARALLEL:
            stream: Iterable[Article] = _chain(head, articles)
            write(store, (p for batch in batched(stream, BATCH) for p in parse_partition(batch)),
                  summary, progress)
            return summary
        with _pool(workers) as pool:
            batches = batched(_chain(head, articles), max(1, PARTITION // 4))
            results = bounded_imap(lambda b: pool.apply_async(parse_partition, (b,)),
                                   batches, window=workers * 3)
            write(store, (p for batch in results for p in batch), summary, progress)
    return summary


def _pool(workers: int) -> multiprocessing.pool.Pool:
    """Worker processes that ignore Ctrl-C from their first instruction: the parent alone
    answers it and stops them, so no worker prints a traceback on the way out."""
    ctx = multiprocessing.get_context("spawn")
    if threading.current_thread() is not threading.main_thread():
        return ctx.Pool(workers)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited across the spawn
    try:
        return ctx.Pool(workers)
    finally:
        signal.signal(signal.SIGINT, previous)


def _chain(head: list[Article], rest: Iterator[Article]) -> Iterator[Article]:
    yield from head
    yield from rest
