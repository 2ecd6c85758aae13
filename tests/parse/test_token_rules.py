"""The model's attribute rules applied by lookup set what spaCy's own ruler sets."""

from __future__ import annotations

import spacy

from geo.parse.geoparse import DEFAULT_MODEL
from geo.parse.sentences import break_at_lines
from geo.parse.token_rules import FAST_RULER, RULER, fast_attribute_rules

TEXTS = [
    "Russian troops are gonna push on towards the river, a soldier said; let's wait.",
    "There is no sign that the bridge was hit.  It ain't over, y'all, the mayor wrote.\n\n"
    "Shelling gets worse at night and got worse again on Tuesday near Kupiansk.",
    "Ukraine's General Staff said its forces had repelled 14 attacks near Pokrovsk, "
    "while drones struck a depot in the Belgorod region.",
    "C'mon, we gotta go.\tThe \"liberated\" villages - Robotyne and Verbove - lie in ruins.",
]


def _attributes(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.is_sent_start) for t in doc]


def test_rules_by_lookup_set_every_attribute_the_models_ruler_sets(parser):
    model = break_at_lines(spacy.load(DEFAULT_MODEL))
    assert RULER in model.pipe_names
    assert FAST_RULER in parser.nlp.pipe_names and RULER not in parser.nlp.pipe_names
    for text in TEXTS * 2:  # the second time from the remembered lookups
        assert _attributes(parser.nlp(text)) == _attributes(model(text))


def test_a_pipeline_without_the_ruler_is_left_as_it_is():
    blank = spacy.blank("en")
    assert fast_attribute_rules(blank).pipe_names == []


def test_an_irregular_past_tagged_as_present_gets_its_verbs_lemma(parser):
    doc = parser.nlp("Ukrainian troops retook the village overnight.")
    assert [t.lemma_ for t in doc if t.lower_ == "retook"] == ["retake"]


def test_a_form_that_is_also_a_verbs_base_keeps_its_own_lemma(parser):
    doc = parser.nlp("The attacks wound civilians every night.")
    assert [t.lemma_ for t in doc if t.lower_ == "wound"] == ["wound"]
