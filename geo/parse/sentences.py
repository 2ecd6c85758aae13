"""An article's sentences, and the place mentions in each.

Headlines, captions and bylines carry no final stop, and a parse across them joins
unrelated clauses ("… (AP)\nRussia announced …"), so a line break always ends a sentence,
and a dash, a colon or a comma never does;
the model's parser is told so before it runs (``LINE_BREAKS``), and the geoparser's parse
is reused as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from geo.models import Toponym

LINE_BREAKS = "frontline_line_breaks"
CONTINUING = {"—", "–", ":", ","}


@Language.component(LINE_BREAKS)
def _line_breaks(doc: Doc) -> Doc:
    for t in doc[1:]:
        before = doc[t.i - 1]
        if not t.is_space and ("\n" in before.whitespace_ or (
                before.is_space and "\n" in before.text)):
            t.is_sent_start = True
        elif before.text in CONTINUING and not before.whitespace_.count("\n"):
            t.is_sent_start = False  # "four villages – A, B and C": one sentence
    return doc


def break_at_lines(nlp: Language) -> Language:
    """Make ``nlp``'s parser end a sentence at every line break."""
    if LINE_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


# "Source: …", "Details: …", "Background: …": the labels a news digest starts its lines
# with. They are never places, and a source line speaks for the details below it.
DIGEST_LABELS = frozenset({"source", "details", "quote", "background", "reminder", "context",
                           "update", "photo", "video", "explainer", "analysis", "summary",
                           "for reference"})
_LABEL = re.compile(r"\s*(" + "|".join(sorted(DIGEST_LABELS, key=len, reverse=True)) +
                    r")\s*:", re.I)


def line_label(text: str, at: int) -> str | None:
    """The digest label the line holding ``at`` starts with, lower-cased ("source")."""
    m = _LABEL.match(text, text.rfind("\n", 0, at) + 1)
    return m.group(1).lower() if m else None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article's parse; offsets are into the article's text."""

    span: Span

    @property
    def start(self) -> int:
        return int(self.span.start_char)

    @property
    def end(self) -> int:
        return int(self.span.end_char)

    @staticmethod
    def char(t: Token) -> int:
        return int(t.idx)


def sentences(doc: Doc) -> list[Sentence]:
    """The parse's sentences that hold words (a parser given ``LINE_BREAKS`` ends one at
    every line break)."""
    return [Sentence(s) for s in doc.sents if s.text.strip()]


def outermost(toponyms: Sequence[Toponym]) -> list[Toponym]:
    """Drop mentions nested in a longer one ("Russia" inside "the bridge connecting Russia
    to the annexed Crimean peninsula")."""
    return [t for t in toponyms if not any(
        o is not t and o.start <= t.start and t.end <= o.end and (o.end - o.start) >
        (t.end - t.start) for o in toponyms)]


@dataclass(frozen=True)
class Mention:
    """A toponym of the sentence, with its tokens and their syntactic head."""

    toponym: Toponym
    root: Token
    tokens: frozenset[int]


def mentions_in(sent: Sentence, toponyms: Sequence[Toponym]) -> list[Mention]:
    found = []
    for tp in toponyms:
        if tp.end <= sent.start or tp.start >= sent.end:
            continue
        toks = [t for t in sent.span if sent.char(t) < tp.end and
                sent.char(t) + len(t.text) > tp.start]
        if toks:
            root = sent.span.doc[toks[0].i: toks[-1].i + 1].root
            found.append(Mention(tp, root, frozenset(t.i for t in toks)))
    return found
