"""One article's way from text to the store, shared by the local and the Dask runners.

Parsing dominates the cost (spaCy), so runners call ``parse`` in parallel; ``write`` keeps
one article per transaction, so a crash or a bad article costs that article only.
"""

from __future__ import annotations

import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import FrontlineError
from geo.ingest import limits
from geo.models import Article, Event
from geo.store.base import Store

PARTITION = 100
# Longer articles are parsed on their own: a batch shares one article's time budget.
BATCH_CHARS = 20_000

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


def parse(article: Article) -> Parsed:
    """Extract an article's events; an article that breaks the parser is reported, not fatal."""
    from geo.claims.extract import extract_events  # spaCy loads only where articles are parsed

    try:
        with limits.time_budget(limits.parse_budget()):
            return article, list(extract_events(article)), None
    except Exception as exc:  # noqa: BLE001  (one bad article must not stop a corpus)
        return article, None, failure_reason(exc)


def parse_partition(articles: list[Article]) -> list[Parsed]:
    """The articles of news length parsed together, which the model does faster than one at
    a time, within one article's time budget. Should any of them break the parser or the
    batch outrun that time, each is parsed again on its own, so that only the article at
    fault is lost."""
    from geo.claims.extract import extract_many

    together = [i for i, a in enumerate(articles) if len(a.text) <= BATCH_CHARS]
    parsed: dict[int, Parsed] = {}
    if len(together) > 1:
        try:
            with limits.time_budget(limits.parse_budget()):
                batch = extract_many([articles[i] for i in together])
                for i, events in zip(together, batch, strict=True):
                    parsed[i] = (articles[i], events, None)
        except Exception:  # noqa: BLE001  (each is parsed again on its own below)
            parsed = {}
    return [parsed.get(i) or parse(a) for i, a in enumerate(articles)]


def failure_reason(exc: BaseException) -> str:
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
