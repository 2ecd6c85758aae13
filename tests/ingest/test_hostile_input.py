"""Hostile and careless input through the readers and the commands: each bad article is named
with its reason, the good ones still go in, and nothing prints a traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.cli import main
from geo.ingest import limits
from geo.ingest.readers import ArticleError, article_from_record, read_articles
from geo.store import open_store

GOOD = "Russian forces captured Toretsk, the Ukrainian defence ministry said on Monday."
ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 100_000 + "]" * 100_000


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _hostile_lines() -> list[str]:
    return [
        DEEP,
        json.dumps({"id": "far-future", "text": GOOD, "published": "9999-12-31"}),
        json.dumps({"id": "year-one", "text": GOOD, "published": "0001-01-01"}),
        json.dumps({"id": True, "text": GOOD}),
        json.dumps({"id": "x" * 100_000, "text": GOOD}),
        '{"id": "surrogate", "text": "Kyiv \\ud800 was shelled overnight, officials said."}',
        json.dumps({"id": "good", "text": GOOD, "published": "2025-06-09"}),
    ]


def test_a_line_cut_off_inside_a_string_is_bad_json_not_a_stall():
    cut = '[{"id": "a", "text": "' + "Kyiv was shelled overnight " * 40
    assert limits.json_depth(cut) == 2  # the open string runs to the end
    with pytest.raises(json.JSONDecodeError):
        limits.loads(cut)


def test_json_depth_is_measured_without_recursion():
    assert limits.json_depth(DEEP) == 100_000
    assert limits.json_depth('{"a": ["[[[[", {"b": "]"}]}') == 3
    with pytest.raises(limits.InputError, match="100,000 levels"):
        limits.loads(DEEP)
    assert limits.loads('{"text": "[[["}') == {"text": "[[["}


@pytest.mark.parametrize(("record", "message"), [
    ({"text": GOOD, "published": "9999-12-31"}, "outside the years 1900-2100"),
    ({"text": GOOD, "published": "0001-01-01"}, "outside the years 1900-2100"),
    ({"text": GOOD, "id": False}, "'id' must be a string"),
    ({"text": GOOD, "id": "x" * 100_000}, "1 to 200 characters"),
    ({"text": GOOD, "id": "a\x00b"}, "control characters"),
    ({"text": "Kyiv \x00 junk"}, "NUL"),
    ({"text": "Kyiv. " * (limits.DEFAULT_MAX_TEXT // 6 + 1)}, "at most 200,000"),
])
def test_records_out_of_bounds_are_refused_with_the_reason(record, message):
    with pytest.raises(ArticleError, match=message) as info:
        article_from_record(record, "in.jsonl: line 3")
    assert str(info.value).startswith("in.jsonl: line 3: ")


def test_lone_surrogates_become_replacement_characters_at_the_same_offsets():
    a = article_from_record({"text": "Kyiv \ud800 and Lviv", "title": "T\udfff"}, "x")
    assert a.text == "Kyiv \ufffd and Lviv" and a.title == "T\ufffd"
    a.text.encode("utf-8")


def test_the_size_limit_is_configurable(monkeypatch):
    monkeypatch.setenv(limits.MAX_TEXT_ENV, "50")
    with pytest.raises(ArticleError, match="at most 50"):
        article_from_record({"text": "Kyiv. " * 10}, "x")
    monkeypatch.setenv(limits.MAX_TEXT_ENV, "lots")
    with pytest.raises(limits.InputError, match="FRONTLINE_MAX_TEXT"):
        article_from_record({"text": "Kyiv"}, "x")


def test_a_deep_json_file_is_one_clear_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    with pytest.raises(ArticleError, match="nested 100,000 levels"):
        list(read_articles(path))


def test_text_in_deeply_nested_html_is_still_found(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><head><title>Deep</title><style>p {color: red}</style></head><body>"
                    + "<div>" * 100_000 + f"<p>{GOOD}</p>" + "</div>" * 100_000
                    + "</body></html>", encoding="utf-8")
    [article] = read_articles(path)
    assert article.text == GOOD


@pytest.mark.slow
def test_ingest_stores_the_good_lines_and_names_every_bad_one(tmp_path, capsys):
    corpus = _jsonl(tmp_path / "hostile.jsonl", _hostile_lines())
    store = str(tmp_path / "s.gpkg")
    assert main(["ingest", str(corpus), "--store", store, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out
    assert "new 2, duplicate 0, failed 5" in out, out
    for line, words in ((1, "nested 100,000 levels"), (2, "9999-12-31"), (3, "0001-01-01"),
                        (4, "'id' must be a string"), (5, "1 to 200 characters")):
        assert f"line {line}" in out and words in out
    with open_store(store) as s:
        assert sorted(a.id for a in s.articles()) == ["good", "surrogate"]
        assert s.count() > 0


@pytest.mark.slow
def test_extract_and_geoparse_go_on_past_bad_lines(tmp_path, capsys):
    corpus = _jsonl(tmp_path / "hostile.jsonl", _hostile_lines())
    assert main(["extract", str(corpus)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["features"] and "Traceback" not in err
    assert err.count("frontline: skipped") == 5
    assert main(["geoparse", "--jsonl", str(corpus)]) == 1
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    # geoparse reads no dates: only the three lines with bad JSON or ids are skipped
    assert [d["id"] for d in docs] == ["far-future", "year-one", "surrogate", "good"]
    assert {t["name"] for t in docs[2]["toponyms"]} == {"Kyiv"}
    assert re.findall(r"hostile\.jsonl:(\d+): skipped", err) == ["1", "4", "5"]


@pytest.mark.slow
def test_a_line_of_bad_bytes_costs_that_line_only(tmp_path, capsys):
    corpus = tmp_path / "bytes.jsonl"
    lines = [json.dumps({"id": "first", "text": GOOD}).encode(),
             b'{"id": "broken", "text": "Sumy \xff\xfe was shelled"}',
             json.dumps({"id": "last", "text": GOOD + " Later, more shelling."}).encode()]
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["geoparse", "--jsonl", str(corpus)]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["first", "last"]
    assert "bytes.jsonl:2: skipped (not UTF-8 text" in err
    assert main(["ingest", str(corpus), "--store", str(tmp_path / "s.gpkg"), "--quiet"]) == 1
    out, _ = capsys.readouterr()
    assert "new 2" in out and "line 2: not UTF-8 text" in out


@pytest.mark.slow
def test_ctrl_c_stops_a_parallel_ingest_at_once_without_a_traceback(tmp_path):
    text = (GOOD + " ") * (100_000 // (len(GOOD) + 1))
    corpus = _jsonl(tmp_path / "long.jsonl",
                    [json.dumps({"id": f"long-{i}", "text": text}) for i in range(30)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", str(corpus), "--store",
         str(tmp_path / "s.gpkg"), "--workers", "2", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(8)  # the workers are parsing
    assert proc.poll() is None
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - t0 < 5 and proc.returncode == 130
    assert b"Traceback" not in err


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_parse_past_its_budget_is_stopped_with_the_reason():
    t0 = time.monotonic()
    with pytest.raises(limits.ParseTimeout, match="longer than 0.2 s"), limits.time_budget(0.2):
        _spin(5)
    assert time.monotonic() - t0 < 2
    with limits.time_budget(0.5):
        _spin(0.05)  # within its budget: nothing happens, and no timer is left behind
    _spin(0.6)


@pytest.mark.parametrize(("raw", "want"), [("", limits.DEFAULT_PARSE_S), ("2.5", 2.5),
                                           ("0", None)])
def test_the_parse_budget_is_configurable(monkeypatch, raw, want):
    monkeypatch.setenv(limits.PARSE_S_ENV, raw)
    assert limits.parse_budget() == want


@pytest.mark.parametrize("raw", ["soon", "-1", "nan"])
def test_a_bad_parse_budget_is_named(monkeypatch, raw):
    monkeypatch.setenv(limits.PARSE_S_ENV, raw)
    with pytest.raises(limits.InputError, match=limits.PARSE_S_ENV):
        limits.parse_budget()


def test_ingest_names_the_article_whose_parse_ran_over_and_goes_on(monkeypatch):
    import geo.claims.extract as extract
    from geo.ingest.pipeline import parse
    from geo.models import Article

    real = extract.extract_events

    def slow_for_one(article, *args):
        if article.id == "slow":
            _spin(10)
        return real(article, *args)

    monkeypatch.setattr(extract, "extract_events", slow_for_one)
    monkeypatch.setenv(limits.PARSE_S_ENV, "0.5")
    slow, fine = Article(id="slow", text=GOOD), Article(id="fine", text=GOOD)
    _, events, reason = parse(slow)
    assert events is None and "longer than 0.5 s" in reason
    _, events, reason = parse(fine)
    assert reason is None and events


def test_the_api_answers_413_for_a_parse_past_its_budget(monkeypatch):
    from api import textin
    from api.problems import PayloadTooLarge
    from geo.models import Article

    class Stuck:
        def parse(self, text):
            _spin(10)

    monkeypatch.setattr("geo.parse.geoparse.default_geoparser", lambda: Stuck())
    monkeypatch.setenv(limits.PARSE_S_ENV, "0.3")
    with pytest.raises(PayloadTooLarge, match="longer than 0.3 s"):
        textin.parse(Article(id="x", text=GOOD), True)


def test_extract_and_geoparse_name_a_text_whose_parse_ran_over_and_go_on(
        monkeypatch, tmp_path, capsys):
    import geo.parse.geoparse as geoparse

    real = geoparse.Geoparser.parse

    def slow_for_one(self, text, *args, **kwargs):
        if "Lyman" in text:
            _spin(10)
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(geoparse.Geoparser, "parse", slow_for_one)
    monkeypatch.setenv(limits.PARSE_S_ENV, "0.5")
    lines = [json.dumps({"id": "slow", "text": "Shelling near Lyman went on all night."}),
             json.dumps({"id": "fine", "text": GOOD})]
    path = _jsonl(tmp_path / "in.jsonl", lines)
    assert main(["extract", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "skipped slow: parsing took longer than 0.5 s" in err
    assert "Toretsk" in out
    assert main(["geoparse", "--jsonl", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "slow: skipped (parsing took longer than 0.5 s" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["fine"]


def test_a_partition_parsed_together_gives_each_article_its_own_events():
    from geo.claims.extract import extract_events
    from geo.ingest.pipeline import parse_partition
    from geo.models import Article
    from geo.synthetic import articles

    batch = list(articles(6, seed=11, chars=(2000, 4000)))
    batch.insert(3, Article(id="plain", text=GOOD))
    together = parse_partition(batch)
    assert [a.id for a, _, _ in together] == [a.id for a in batch]
    for article, events, reason in together:
        assert reason is None
        assert [e.to_dict() for e in events] == \
            [e.to_dict() for e in extract_events(article)]


def test_an_article_that_breaks_a_batch_costs_that_article_only(monkeypatch):
    import geo.claims.extract as extract
    from geo.ingest.pipeline import parse_partition
    from geo.models import Article

    real = extract._events_of

    def broken_by_one(article, result):
        if article.id == "bad":
            raise RuntimeError("the parser broke")
        return real(article, result)

    monkeypatch.setattr(extract, "_events_of", broken_by_one)
    batch = [Article(id=i, text=GOOD) for i in ("one", "bad", "two")]
    parsed = {a.id: (events, reason) for a, events, reason in parse_partition(batch)}
    assert parsed["bad"][0] is None and "the parser broke" in parsed["bad"][1]
    assert parsed["one"][0] and parsed["two"][0] and parsed["one"][1] is None
