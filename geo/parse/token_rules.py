"""The model's attribute rules (tag → part of speech and morphology, lemma exceptions),
applied by looking each token up rather than by spaCy's general ``Matcher``.

The English model's ``attribute_ruler`` holds some 180 one- and two-token patterns over a
token's tag, lower form, dependency and whether it is a space. The ``Matcher`` tries every
pattern at every token and cost about a tenth of an article's parse; looking patterns up by
tag and lower form sets the same attributes (checked token by token on news corpora) at a
fraction of that. A model whose rules use anything else keeps its own ruler.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

RULER = "attribute_ruler"
FAST_RULER = "frontline_attribute_rules"
LEMMATIZER = "lemmatizer"
PAST_FORMS = "frontline_past_forms"

_GET: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}
_OPS = {"IN", "NOT_IN", "REGEX"}

Test = Callable[[Token], bool]


def _test(attr: str, want: Any) -> Test:
    get = _GET[attr]
    if not isinstance(want, dict):
        return lambda t: bool(get(t) == want)
    ((op, arg),) = want.items()
    if op == "IN":
        allowed = set(arg)
        return lambda t: get(t) in allowed
    if op == "NOT_IN":
        refused = set(arg)
        return lambda t: get(t) not in refused
    rx = re.compile(arg)
    return lambda t: rx.search(get(t)) is not None


def _supported(token_pattern: dict[str, Any]) -> bool:
    for attr, want in token_pattern.items():
        if attr not in _GET:
            return False
        if isinstance(want, dict) and (len(want) != 1 or not set(want) <= _OPS):
            return False
    return True


class TokenRules:
    """The rules of one ``AttributeRuler``. What a token's own tag, lower form, dependency and
    spacing match is remembered, so most tokens cost one dictionary lookup."""

    CACHE = 200_000

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs = list(ruler.attrs)
        # (rule, the test of each token, the token given the attributes)
        self.entries: list[tuple[int, list[Test], int]] = []
        for rule in range(len(ruler.attrs)):
            for pattern in ruler.matcher.get(str(rule))[1]:
                self.entries.append((rule, [_tokens_test(p) for p in pattern],
                                     ruler.indices[rule] % len(pattern)))
        self.cache: dict[tuple[str, str, str, bool], list[tuple[int, list[Test], int]]] = {}

    @staticmethod
    def usable(ruler: AttributeRuler) -> bool:
        return all(_supported(p) for rule in range(len(ruler.attrs))
                   for pattern in ruler.matcher.get(str(rule))[1] for p in pattern)

    def _starting(self, t: Token) -> list[tuple[int, list[Test], int]]:
        """The patterns whose first token ``t`` matches."""
        key = (t.tag_, t.lower_, t.dep_, t.is_space)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= self.CACHE:
                self.cache.clear()
            found = self.cache[key] = [e for e in self.entries if e[1][0](t)]
        return found

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        hits: dict[int, list[int]] = defaultdict(list)
        for t in doc:
            i = t.i
            for rule, tests, index in self._starting(t):
                if len(tests) == 1 or (i + len(tests) <= n and all(
                        test(doc[i + k]) for k, test in enumerate(tests) if k)):
                    hits[i + index].append(rule)
        for i, rules in hits.items():
            merged: dict[Any, Any] = {}
            for rule in sorted(rules):
                merged.update(self.attrs[rule])
            set_token_attrs(doc[i], merged)
        return doc


def _tokens_test(pattern: dict[str, Any]) -> Test:
    tests = [_test(attr, want) for attr, want in pattern.items()]
    return lambda t: all(test(t) for test in tests)


@Language.factory(FAST_RULER)
def _make(nlp: Language, name: str) -> TokenRules:
    ruler = nlp.get_pipe(RULER)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{RULER} is a {type(ruler).__name__}, not an AttributeRuler")
    return TokenRules(ruler)


class PastForms:
    """"Troops retook the town" is tagged as a present-tense verb, and a present form is its
    own lemma, so the lemma stays "retook". A verb form the lemmatizer's exceptions list
    as another verb's inflection, and that is no verb's base form itself ("retook", not
    "found" or "wound"), takes that verb as its lemma whatever its tag."""

    def __init__(self, lemmatizer: Any) -> None:
        tables = lemmatizer.lookups
        self.exceptions = dict(tables.get_table("lemma_exc").get("verb", {}))
        self.bases = set(tables.get_table("lemma_index").get("verb", ()))

    def __call__(self, doc: Doc) -> Doc:
        for t in doc:
            if t.pos_ == "VERB" and t.lemma_.lower() == t.lower_ and t.lower_ not in self.bases:
                lemmas = self.exceptions.get(t.lower_)
                if lemmas and lemmas[0] != t.lower_:
                    t.lemma_ = lemmas[0]
        return doc


@Language.factory(PAST_FORMS)
def _make_past_forms(nlp: Language, name: str) -> PastForms:
    return PastForms(nlp.get_pipe(LEMMATIZER))


def past_forms(nlp: Language) -> Language:
    """Add ``PastForms`` after a rule-based lemmatizer."""
    if PAST_FORMS in nlp.pipe_names or LEMMATIZER not in nlp.pipe_names or \
            getattr(nlp.get_pipe(LEMMATIZER), "mode", None) != "rule":
        return nlp
    nlp.add_pipe(PAST_FORMS, after=LEMMATIZER)
    return nlp


def fast_attribute_rules(nlp: Language) -> Language:
    """Put ``TokenRules`` in place of ``nlp``'s attribute ruler, where its rules allow."""
    if RULER not in nlp.pipe_names or FAST_RULER in nlp.pipe_names:
        return nlp
    ruler = nlp.get_pipe(RULER)
    if not isinstance(ruler, AttributeRuler) or not TokenRules.usable(ruler):
        return nlp
    nlp.add_pipe(FAST_RULER, after=RULER)
    nlp.remove_pipe(RULER)
    return nlp
