"""What an article may be: one set of bounds for every way text comes in.

Files, JSON lines, the CLI and the HTTP API all pass their articles through here, so a text
the API refuses is refused by ``ingest`` too, with the same words. The bounds keep a hostile
or careless input from costing more than itself: parsing time and memory grow with the text,
deep JSON exhausts the interpreter's stack, and dates far from the war overflow date sums.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from geo.errors import FrontlineError
from geo.models import Article

# A long news article is some tens of thousands of characters; a parse costs about 0.2 s per
# thousand, so this keeps one article to well under a minute.
DEFAULT_MAX_TEXT = 200_000
MAX_TEXT_ENV = "FRONTLINE_MAX_TEXT"
MAX_ID = 200
MAX_META = 2_000
# An article record is an object of strings; a feed of them nests three or four levels.
MAX_JSON_DEPTH = 32
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls other than tab, line feed and carriage return: invisible, and some
# (NUL) end strings in C libraries below us.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Possessive, so that a string left open (a line cut short) is one linear scan, never a
# backtracking search for its closing quote.
_BRACKET = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]', re.DOTALL)


# A parse of the longest article allowed takes under a minute; one that runs on is stopped.
DEFAULT_PARSE_S = 120.0
PARSE_S_ENV = "FRONTLINE_MAX_PARSE_S"


class InputError(FrontlineError):
    """An article, or a record meant to be one, that cannot be taken in; says why."""


class ParseTimeout(InputError):
    """A parse that ran past its time budget, stopped."""


def parse_budget() -> float | None:
    """Seconds one article's parse may take: ``$FRONTLINE_MAX_PARSE_S`` (0: no limit) or
    the default."""
    raw = os.environ.get(PARSE_S_ENV, "").strip()
    if not raw:
        return DEFAULT_PARSE_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise InputError(f"{PARSE_S_ENV}={raw!r}: expected a number of seconds (0: no limit)")
    return seconds or None


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Stop the block with ``ParseTimeout`` after ``seconds``, by a timer signal: so only
    in a process's main thread (ingest and the server's parse workers run there); elsewhere,
    and with no budget, the block runs as long as it takes."""
    if not seconds or threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise ParseTimeout(f"parsing took longer than {seconds:g} s and was stopped "
                           f"(${PARSE_S_ENV}); send shorter texts")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def max_text() -> int:
    """The largest article, in characters: ``$FRONTLINE_MAX_TEXT`` or the default."""
    raw = os.environ.get(MAX_TEXT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_TEXT
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(f"{MAX_TEXT_ENV}={raw!r}: expected a number of characters (at least 1)")
    return int(raw)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text``, strings skipped; without recursion."""
    depth = deepest = 0
    for m in _BRACKET.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def loads(text: str) -> Any:
    """``json.loads`` for untrusted text: nesting deeper than ``MAX_JSON_DEPTH`` is refused
    before the recursive decoder meets it (``json.JSONDecodeError`` still means bad JSON)."""
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise InputError(f"JSON nested {depth:,} levels deep; at most {MAX_JSON_DEPTH} "
                         "are accepted")
    try:
        return json.loads(text)
    except RecursionError:  # a nesting the scan above miscounted: still refused plainly
        raise InputError("JSON nested too deeply") from None


def clean(value: str) -> str:
    """Lone surrogates (from ``\\ud800`` escapes) cannot be written as UTF-8: each becomes
    U+FFFD, one character for one, so that offsets into the text still hold."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def check_date(value: date, field: str = "published") -> date:
    if not EARLIEST <= value <= LATEST:
        raise InputError(f"{field!r}: {value.isoformat()} is outside the years "
                         f"{EARLIEST.year}-{LATEST.year}")
    return value


def check_id(value: Any) -> str:
    """An article id as given: a string or an integer (never a boolean), 1 to MAX_ID
    characters of printable text."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"'id' must be a string, got {json.dumps(value)[:40]}")
    ident = str(value)
    if not ident.strip() or len(ident) > MAX_ID:
        raise InputError(f"'id' must be 1 to {MAX_ID} characters, got {len(ident):,}")
    if _CONTROL.search(ident) or _SURROGATE.search(ident):
        raise InputError("'id' contains control characters or invalid Unicode")
    return ident


def check_text(text: str, limit: int | None = None) -> str:
    """The text, cleaned; too long, empty or binary text is refused with the reason."""
    limit = max_text() if limit is None else limit
    if len(text) > limit:
        raise InputError(f"the text has {len(text):,} characters; an article may have at most "
                         f"{limit:,} (set {MAX_TEXT_ENV} to change it)")
    if not text.strip():
        raise InputError("the text is empty")
    if "\x00" in text:
        raise InputError("the text contains NUL characters: binary data, not text")
    return clean(text)


def check_article(article: Article, limit: int | None = None) -> Article:
    """The article with its text and metadata within bounds, or ``InputError``."""
    text = check_text(article.text, limit)
    check_id(article.id)
    if article.published is not None:
        check_date(article.published)
    meta: dict[str, Any] = {}
    for key in ("title", "outlet", "url", "language"):
        value = getattr(article, key)
        if value is None:
            continue
        if len(value) > MAX_META:
            raise InputError(f"{key!r} has {len(value):,} characters; at most {MAX_META:,}")
        meta[key] = _CONTROL.sub(" ", clean(value))
    return replace(article, text=text, **meta)
