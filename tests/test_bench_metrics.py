from __future__ import annotations

import json
import math

import pytest

from bench.geoparse_eval import geotext_peer, load_corpus, main
from bench.metrics import (
    MAX_ERROR_KM,
    PRF,
    accuracy_at,
    auc_log_error,
    best_overlapping,
    error_km,
    geocoding,
    match_spans,
    overlap,
    recognition,
)

KYIV = (50.4501, 30.5234)
KHARKIV = (49.9935, 36.2304)


def test_prf_from_counts_and_sums():
    total = PRF(3, 1, 2) + PRF(1, 1, 0)
    assert total == PRF(4, 2, 2)
    assert total.precision == pytest.approx(4 / 6)
    assert total.recall == pytest.approx(4 / 6)
    assert total.f1 == pytest.approx(4 / 6)
    assert PRF(0, 0, 5).precision == 0.0
    assert PRF(0, 3, 0).recall == 0.0
    assert PRF().f1 == 0.0


def test_overlap_of_half_open_spans():
    assert overlap((0, 5), (3, 9)) == 2
    assert overlap((0, 5), (5, 9)) == 0
    assert overlap((2, 4), (0, 10)) == 2


def test_exact_match_needs_both_ends_and_pairs_once():
    gold = [(0, 4), (10, 17), (10, 17)]
    pred = [(10, 17), (0, 5), (10, 17), (10, 17)]
    assert match_spans(gold, pred, exact=True) == [(1, 0), (2, 2)]
    assert recognition(gold, pred, exact=True) == PRF(tp=2, fp=2, fn=1)


def test_overlap_match_is_one_to_one():
    # "New York City" predicted as one span covering two gold mentions scores once.
    gold = [(0, 8), (9, 13), (20, 26)]
    pred = [(0, 13), (21, 23), (22, 30)]
    pairs = match_spans(gold, pred, exact=False)
    assert len(pairs) == 2
    assert (0, 0) in pairs
    assert recognition(gold, pred, exact=False) == PRF(tp=2, fp=1, fn=1)


def test_overlap_match_takes_the_larger_overlap():
    gold = [(10, 20)]
    pred = [(5, 11), (12, 25)]
    assert match_spans(gold, pred, exact=False) == [(0, 1)]
    assert best_overlapping((10, 20), pred) == 1
    assert best_overlapping((30, 40), pred) is None


def test_error_km_is_great_circle_and_unresolved_is_worst():
    assert error_km(KYIV, KHARKIV) == pytest.approx(409, abs=5)
    assert error_km(KYIV, KYIV) == 0.0
    assert error_km(KYIV, (None, None)) == MAX_ERROR_KM
    antipode = (-KYIV[0], KYIV[1] - 180)
    assert error_km(KYIV, antipode) == pytest.approx(MAX_ERROR_KM, rel=2e-3)


def test_accuracy_threshold_is_strict():
    errors = [0.0, 160.9, 161.0, 500.0]
    assert accuracy_at(errors, 161) == 0.5
    assert accuracy_at([], 161) == 0.0


def test_auc_bounds_and_a_hand_computed_curve():
    assert auc_log_error([0.0, 0.0, 0.0]) == 0.0
    assert auc_log_error([MAX_ERROR_KM] * 4) == pytest.approx(1.0)
    assert auc_log_error([0.0, MAX_ERROR_KM]) == pytest.approx(0.5)
    y = math.log(101) / math.log(MAX_ERROR_KM)
    # Order of input does not matter: the curve is over sorted errors.
    assert auc_log_error([MAX_ERROR_KM, 100.0, 0.0]) == pytest.approx((2 * y + 1) / 4)
    assert auc_log_error([100.0]) == pytest.approx(y)
    assert auc_log_error([1e9]) == pytest.approx(1.0)


def test_geocoding_separates_recognised_from_end_to_end():
    # Four gold toponyms: two placed well, one placed 409 km off, one missed.
    errors = [0.0, 20.0, 409.0, None]
    same_id = [True, False, None, None]
    s = geocoding(errors, same_id)
    assert (s.n_gold, s.n_recognised, s.n_unresolved) == (4, 3, 0)
    assert s.acc161_recognised == pytest.approx(2 / 3)
    assert s.acc161_e2e == pytest.approx(2 / 4)
    assert s.acc25_recognised == pytest.approx(2 / 3)
    assert s.acc25_e2e == pytest.approx(2 / 4)
    assert (s.n_with_id, s.id_rate, s.far_same_id) == (2, 0.5, 0)
    assert geocoding([652.0, 652.0, 0.0], [True, False, True]).far_same_id == 1
    assert s.median_km == 20.0
    assert s.mean_km == pytest.approx(143.0)


def test_geocoding_counts_unresolved_as_recognised_failures():
    s = geocoding([MAX_ERROR_KM, 0.0], [False, True])
    assert s.n_unresolved == 1
    assert s.acc161_recognised == 0.5
    assert s.auc == pytest.approx(0.5)


def test_geocoding_of_nothing_is_zero_not_an_error():
    s = geocoding([], [])
    assert s.n_gold == 0
    assert s.acc161_e2e == 0.0 and s.auc == 0.0


def test_corpus_loader_keeps_only_toponym_types(tmp_path):
    text = "French troops left Paris for the area near Lyon."
    mentions = [
        {"start": 0, "end": 6, "name": "French", "type": "Demonym"},
        {"start": 19, "end": 24, "name": "Paris", "type": "Literal"},
        {"start": 33, "end": 37, "name": "area", "type": "Literal_Expression"},
        {"start": 43, "end": 47, "name": "Lyon", "type": "Metonymic"},
    ]
    geo = [{"start": 19, "end": 24, "name": "Paris", "lat": 48.85, "lon": 2.35,
            "geonameid": 2988507},
           {"start": 43, "end": 47, "name": "Lyon", "lat": None, "lon": None,
            "geonameid": None}]
    (tmp_path / "gold_all.jsonl").write_text(
        json.dumps({"id": "d1", "text": text, "mentions": mentions}) + "\n", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(
        json.dumps({"id": "d1", "text": text, "toponyms": geo}) + "\n", encoding="utf-8")
    [doc] = load_corpus(tmp_path)
    assert doc.mentions == ((19, 24), (43, 47))
    assert [t.name for t in doc.toponyms] == ["Paris"]
    assert all(text[s:e] in {"Paris", "Lyon"} for s, e in doc.mentions)


def test_geotext_peer_finds_every_word_bounded_occurrence(gazetteer):
    text = "Parisian cafes reopened in Paris. Officials in France said Paris was calm."
    found = geotext_peer()(text)
    assert [(text[t.start:t.end], t.start) for t in found] == [
        ("Paris", 27), ("France", 47), ("Paris", 59)]
    paris = found[0]
    assert paris.lat is not None and paris.lon is not None
    assert error_km((48.8534, 2.3488), (paris.lat, paris.lon)) < 25
    assert found[1].geonameid == 3017382


def test_missing_corpora_are_reported_and_exit_zero(tmp_path, capsys):
    assert main(["--eval-dir", str(tmp_path / "nowhere")]) == 0
    assert "not found" in capsys.readouterr().out
