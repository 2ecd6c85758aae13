"""Articles in: plain text, JSON and JSON Lines, saved HTML pages and RSS/Atom feeds.

Every reader keeps what the source says and nothing more: an article without an outlet or a
date keeps None there, because a status derived from an invented outlet would be a lie.
Unreadable input stops with a message naming the file and, for line formats, the line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from geo.ingest.limits import InputError, check_article, check_date, check_id, loads
from geo.models import Article

TEXT_SUFFIXES = (".txt",)
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
SUFFIXES = TEXT_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
_META_KEYS = ("title", "outlet", "url", "language")
LXML_DEPTH = 256


class ArticleError(InputError):
    """An input file cannot be read as articles."""


def _checked(article: Article, where: str | Path) -> Article:
    try:
        return check_article(article)
    except InputError as exc:
        raise ArticleError(f"{where}: {exc}") from None


def read_articles(path: Path) -> Iterator[Article]:
    """The articles in ``path`` (a file, or a folder of supported files), by suffix."""
    path = Path(path)
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix.lower() in SUFFIXES:
                yield from read_articles(child)
        return
    if not path.exists():
        raise ArticleError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield _text_article(path)
    elif suffix in JSON_SUFFIXES:
        yield from _json_articles(path)
    elif suffix in JSONL_SUFFIXES:
        yield from _jsonl_articles(path)
    elif suffix in HTML_SUFFIXES:
        yield _html_article(path)
    elif suffix in FEED_SUFFIXES:
        yield from _feed_articles(path)
    else:
        raise ArticleError(f"{path}: unsupported file type {suffix or '(none)'!r}; "
                           f"expected one of {', '.join(SUFFIXES)}")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(f"{path}: binary data (NUL byte at offset {nul}), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def _text_article(path: Path) -> Article:
    """The seed format: the title on the first line, the text after it."""
    raw = _read_text(path)
    title, _, text = raw.partition("\n")
    if not text.strip():
        raise ArticleError(f"{path}: no text after the title line")
    return _checked(Article(id=path.stem, text=text, title=title.strip() or None), path)


def _content_id(record: dict[str, Any]) -> str:
    basis = record.get("url") or record["text"]
    return hashlib.sha1(str(basis).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def parse_published(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ArticleError(f"{where}: 'published' must be an ISO date string, got {value!r}")
    try:
        day = datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ArticleError(f"{where}: 'published' is not an ISO date: "
                               f"{value[:40]!r}") from None
    try:
        return check_date(day)
    except InputError as exc:
        raise ArticleError(f"{where}: {exc}") from None


def article_from_record(record: Any, where: str) -> Article:
    """An article from a JSON object; unknown keys are ignored, missing ones stay None."""
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(f"{where}: missing 'text'" if text in (None, "") else
                           f"{where}: 'text' must be a non-empty string")
    for key in _META_KEYS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ArticleError(f"{where}: {key!r} must be a string, got {record[key]!r}")
    ident = record.get("id")
    if ident is not None and ident != "":
        try:
            ident = check_id(ident)
        except InputError as exc:
            raise ArticleError(f"{where}: {exc}") from None
    return _checked(Article(
        id=ident or _content_id(record), text=text,
        title=record.get("title") or None, outlet=record.get("outlet") or None,
        url=record.get("url") or None, published=parse_published(record.get("published"),
                                                                    where),
        language=record.get("language") or "en"), where)


def json_records(path: Path) -> list[Any]:
    """The records of a JSON file: a list, ``{"articles": [...]}``, or one object."""
    try:
        data = loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{path}: bad JSON at line {exc.lineno}: {exc.msg}") from exc
    except InputError as exc:
        raise ArticleError(f"{path}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    return data if isinstance(data, list) else [data]


def _json_articles(path: Path) -> Iterator[Article]:
    for n, record in enumerate(json_records(path)):
        yield article_from_record(record, f"{path}: article {n + 1}")


def _jsonl_articles(path: Path) -> Iterator[Article]:
    for n, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except json.JSONDecodeError as exc:
            raise ArticleError(f"{path}: bad JSON at line {n}: {exc.msg}") from exc
        except InputError as exc:
            raise ArticleError(f"{path}: line {n}: {exc}") from None
        yield article_from_record(record, f"{path}: line {n}")


def _html_article(path: Path) -> Article:
    import trafilatura

    html = _read_text(path)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False,
        # Metadata only: a date guessed from the body text would be invented.
        date_extraction_params={"extensive_search": False, "original_date": True})
    meta: dict[str, Any] = {}
    if doc is not None:
        meta = doc if isinstance(doc, dict) else doc.as_dict()
    text = meta.get("text")
    if not text or not text.strip():
        # lxml stops building the tree at 256 levels: the text below is lost to the
        # extractor, but not to a streaming reading of the page.
        text, deepest = _html_text(html)
        if deepest < LXML_DEPTH or not text:
            raise ArticleError(f"{path}: no article text found in the page")
    return _checked(Article(id=path.stem, text=text, title=meta.get("title") or None,
                            outlet=meta.get("sitename") or None, url=meta.get("url") or None,
                            published=parse_published(meta.get("date"), str(path)),
                            language=meta.get("language") or "en"), path)


class _TextOnly(HTMLParser):
    """Feed summaries are HTML fragments: keep their text, with breaks between blocks.

    A streaming parser, so that it also reads pages nested deeper than lxml (and with it the
    article extractor) will go.
    """

    BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"}
    HIDDEN = {"script", "style", "noscript", "template", "head"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.hidden = 0  # an unclosed <head> ends here
        elif tag in self.HIDDEN:
            self.hidden += 1
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(fragment: str) -> tuple[str, int]:
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line), parser.deepest


def html_to_text(fragment: str) -> str:
    return _html_text(fragment)[0]


def _feed_articles(path: Path) -> Iterator[Article]:
    import feedparser

    data = path.read_bytes()
    if b"\x00" in data:
        raise ArticleError(f"{path}: binary data, not an RSS or Atom feed")
    feed = feedparser.parse(data)
    if not feed.entries:
        why = feed.get("bozo_exception")
        raise ArticleError(f"{path}: not an RSS or Atom feed with entries"
                           + (f" ({why})" if why else ""))
    outlet = feed.feed.get("title") or None
    for n, entry in enumerate(feed.entries, start=1):
        contents = entry.get("content") or []
        body = contents[0].get("value") if contents else entry.get("summary")
        text = html_to_text(body) if body else ""
        title = entry.get("title") or None
        if not text:
            text = title or ""  # a headline-only item is still a statement
        if not text:
            raise ArticleError(f"{path}: entry {n} has neither text nor title")
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        url = entry.get("link") or None
        ident = entry.get("id") or url
        published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None
        yield _checked(Article(
            id=hashlib.sha1(ident.encode("utf-8", "replace")).hexdigest()[:16] if ident
            else f"{path.stem}-{n}",
            text=text, title=title, outlet=outlet, url=url, published=published,
            language=(feed.feed.get("language") or "en")[:2]), f"{path}: entry {n}")
