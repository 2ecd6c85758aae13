"""Articles posted to the API: read the body, check it, and run the real pipeline on it.

A body we cannot read is refused with the reason; nothing is guessed (an outlet or a date
that was not sent stays None, as it would from a file).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from api import rfc7946
from api.problems import ApiError, Conflict, PayloadTooLarge, UnsupportedMediaType
from api.schemas import DAY_PATTERN
from geo.ingest import limits
from geo.ingest.limits import InputError
from geo.ingest.readers import parse_published
from geo.models import Article, Event, Toponym
from geo.store.base import IngestOutcome, Store

META_FIELDS = ("id", "title", "outlet", "url", "published")
# The API takes dates as its document states them; files are read more leniently.
_DAY = re.compile(DAY_PATTERN)


def parse_body(raw: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """``(text, metadata)`` from a JSON object with ``text`` or from plain text."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(f"the body is not UTF-8 text (byte {exc.start})") from None
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            obj = limits.loads(decoded)
        except json.JSONDecodeError as exc:
            raise ApiError(f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, "
                           f"column {exc.colno})") from None
        except InputError as exc:
            raise ApiError(f"the body is not usable JSON: {exc}") from None
        if not isinstance(obj, dict):
            raise ApiError("the JSON body must be an object with a 'text' member")
        text = obj.get("text")
        if not isinstance(text, str):
            raise ApiError("the JSON body needs 'text', a string")
        meta = {k: obj[k] for k in META_FIELDS if k in obj and obj[k] is not None}
        for k, v in meta.items():
            if not isinstance(v, str):
                raise ApiError(f"'{k}' must be a string")
        return text, meta
    if content_type in ("text/plain", ""):
        return decoded, {}
    raise UnsupportedMediaType(f"send application/json or text/plain, not {content_type!r}")


def article(text: str, meta: dict[str, Any], limit: int | None = None) -> Article:
    """The article a request describes, within ``geo.ingest.limits``' bounds."""
    limit = limits.max_text() if limit is None else limit
    if len(text) > limit:
        raise PayloadTooLarge(f"the text has {len(text):,} characters; a request may hold at "
                              f"most {limit:,} (send long documents one article at a time)")
    day = meta.get("published")
    if day is not None and not _DAY.fullmatch(day):
        raise ApiError(f"published: {day[:40]!r} is not a date of 1900-2100 written "
                       "YYYY-MM-DD")
    try:
        published = parse_published(day, "published")
        article_id = meta["id"] if "id" in meta else "api-" + hashlib.sha256(
            text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return limits.check_article(Article(
            id=limits.check_id(article_id), text=text, title=meta.get("title"),
            outlet=meta.get("outlet"), url=meta.get("url"), published=published), limit)
    except InputError as exc:
        raise ApiError(str(exc).removeprefix("published: ")) from None


def warm() -> None:
    """Load the model and gazetteer as a worker starts, not on its first request."""
    from geo.parse.geoparse import default_geoparser

    default_geoparser()


def parse(a: Article, toponyms: bool) -> tuple[list[Toponym], list[Event]]:
    """Run in a parse worker (``api.parsepool``), one text at a time per worker: spaCy
    pipelines are not documented as thread-safe."""
    from geo.claims.extract import extract_events
    from geo.parse.geoparse import default_geoparser

    parser = default_geoparser()
    try:
        with limits.time_budget(limits.parse_budget()):
            found = parser.parse(a.text).toponyms if toponyms else []
            return found, extract_events(a, parser)
    except limits.ParseTimeout as exc:
        raise PayloadTooLarge(str(exc)) from None


def toponym_feature(i: int, t: Toponym) -> dict[str, Any]:
    geometry = rfc7946.point(t.lon, t.lat) if t.lon is not None and t.lat is not None else None
    return {"type": "Feature", "id": f"toponym-{i}", "geometry": geometry,
            "properties": {"feature_type": "toponym", **t.to_dict()}}


def geoparse_document(toponyms: list[Toponym], events: list[Event]) -> dict[str, Any]:
    """Toponyms and events in one FeatureCollection, told apart by ``feature_type``."""
    from api.features import event_feature

    feats = [toponym_feature(i, t) for i, t in enumerate(toponyms)]
    for e in events:
        f = event_feature(e)
        f["properties"] = {"feature_type": "event", **f["properties"]}
        feats.append(f)
    return {"type": "FeatureCollection", "features": feats,
            "numberReturned": len(feats)}


def ingest(store: Store, a: Article, events: list[Event]) -> IngestOutcome:
    from geo.store import StoreError

    try:
        return store.ingest(a, events)
    except StoreError as exc:
        raise Conflict(str(exc)) from exc
