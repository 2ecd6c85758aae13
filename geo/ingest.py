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
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from geo.errors import FrontlineError
from geo.models import Article, Event
from geo.store import open_store
from geo.store.base import Store
from geo.store.records import batched

# Below this many articles, starting workers (each loads the spaCy model) costs more
# than it saves.
MIN_PARALLEL = 24
PARTITION = 100

Parsed = tuple[Article, list[Event] | None, str | None]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Failure:
    source: str  # a file, or an article id
    reason: str


@dataclass
class Summary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    events: int = 0
    failed: list[Failure] = field(default_factory=list)

    def merge(self, other: Summary) -> None:
        self.read += other.read
        self.new += other.new
        self.duplicate += other.duplicate
        self.events += other.events
        self.failed += other.failed

    def line(self) -> str:
        return (f"articles read {self.read}: new {self.new}, duplicate {self.duplicate}, "
                f"failed {len(self.failed)}; events extracted {self.events}")


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the readable files under directories (sorted, hidden skipped)."""
    from geo.articles import SUFFIXES

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
    from geo.articles import JSONL_SUFFIXES, read_articles

    for path in expand(paths):
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _jsonl(path, summary)
                continue
            for article in read_articles(path):
                summary.read += 1
                yield article
        except (FrontlineError, OSError, UnicodeDecodeError, ValueError) as exc:
            summary.failed.append(Failure(str(path), _reason(exc)))


def _jsonl(path: Path, summary: Summary) -> Iterator[Article]:
    """Line by line, so that a corpus of any size streams and a bad line costs one article."""
    from geo.articles import article_from_record

    with path.open("rb") as lines:
        for n, raw in enumerate(lines, start=1):
            where = f"{path}: line {n}"
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                if not line.strip():
                    continue
                article = article_from_record(json.loads(line), where)
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


def parse(article: Article) -> Parsed:
    """Extract an article's events; an article that breaks the parser is reported, not fatal."""
    from geo.claims import extract_events

    try:
        return article, list(extract_events(article)), None
    except Exception as exc:  # noqa: BLE001  (one bad article must not stop a corpus)
        return article, None, _reason(exc)


def parse_partition(articles: list[Article]) -> list[Parsed]:
    return [parse(a) for a in articles]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FrontlineError | OSError | UnicodeDecodeError | ValueError):
        return str(exc) or type(exc).__name__
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def write(store: Store, parsed: Iterable[Parsed], summary: Summary,
          progress: Progress | None = None) -> None:
    """Store each parsed article in its own transaction."""
    for article, events, error in parsed:
        if events is None:
            summary.failed.append(Failure(article.id, error or "could not be parsed"))
        else:
            try:
                outcome = store.ingest(article, events)
            except FrontlineError as exc:
                summary.failed.append(Failure(article.id, str(exc)))
            else:
                if outcome == "new":
                    summary.new += 1
                    summary.events += len(events)
                else:
                    summary.duplicate += 1
        if progress:
            progress(1)


def bounded_imap(submit: Callable[[Any], Any], items: Iterable[Any],
                 window: int) -> Iterator[Any]:
    """Results in input order with at most ``window`` tasks in flight.

    ``Pool.imap`` would read the whole input ahead; this keeps memory bounded.
    """
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


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
            from geo.ingest_dask import ingest_dask

            ingest_dask(articles, store, store_url, dask, summary, progress)
            return summary
        workers = workers or os.cpu_count() or 1
        head = list(islice(articles, MIN_PARALLEL))
        if workers == 1 or len(head) < MIN_PARALLEL:
            stream: Iterable[Article] = _chain(head, articles)
            write(store, (parse(a) for a in stream), summary, progress)
            return summary
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            batches = batched(_chain(head, articles), max(1, PARTITION // 4))
            results = bounded_imap(lambda b: pool.apply_async(parse_partition, (b,)),
                                   batches, window=workers * 3)
            write(store, (p for batch in results for p in batch), summary, progress)
    return summary


def _chain(head: list[Article], rest: Iterator[Article]) -> Iterator[Article]:
    yield from head
    yield from rest
