from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo.ingest.readers import ArticleError, read_articles
from tests.conftest import FIXTURES, SEEDS

ARTICLES = FIXTURES / "articles"


def test_seed_text_title_first_and_nothing_invented():
    [a] = read_articles(SEEDS / "000_d639c1b7433ac7a4.txt")
    assert a.id == "000_d639c1b7433ac7a4"
    assert a.title == "Russia Claims Advance into Ukraine’s Dnipropetrovsk Region"
    assert "Viktor Trehubov" in a.text and not a.text.startswith("Russia Claims")
    assert a.outlet is None and a.published is None and a.url is None


def test_folder_reads_every_supported_file_in_order():
    ids = [a.id for a in read_articles(SEEDS)]
    assert ids == ["000_d639c1b7433ac7a4", "004_ad8522ef294dd132"]


def test_jsonl_keeps_metadata_and_ignores_unknown_keys(tmp_path):
    rows = [line for line in (ARTICLES / "chasiv_yar.jsonl").read_text().splitlines() if line]
    first = json.loads(rows[0]) | {"sentiment": 0.3, "tags": ["war"]}
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps(first) + "\n\n" + rows[1] + "\n", encoding="utf-8")
    got = list(read_articles(path))
    assert [a.id for a in got] == ["cy-1-claim", "cy-2-denial"]
    assert got[0].outlet == "Frontline Wire" and got[0].published == date(2025, 4, 6)
    assert got[0].url == "https://news.example.org/2025/04/06/chasiv-yar"


def test_json_object_list_and_wrapper(tmp_path):
    [single] = read_articles(ARTICLES / "odesa_report.json")
    assert single.published == date(2025, 5, 20)  # from an ISO timestamp with a zone
    record = {"text": "Russian drones struck Odesa overnight.", "url": "https://x.example/1"}
    for i, data in enumerate(([record, record | {"url": "https://x.example/2"}],
                              {"articles": [record]})):
        path = tmp_path / f"a{i}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        got = list(read_articles(path))
        assert all(a.outlet is None and a.published is None for a in got)
        assert len({a.id for a in got}) == len(got)  # ids from the url, stable
    again = list(read_articles(tmp_path / "a1.json"))
    assert again[0].id == got[0].id


@pytest.mark.parametrize(("content", "message"), [
    ('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n', "bad JSON at line 2"),
    ('{"id": "a", "title": "no body"}\n', "line 1: missing 'text'"),
    ('{"id": "a", "text": "   "}\n', "'text' must be a non-empty string"),
    ('{"id": "a", "text": "ok", "published": "last Tuesday"}\n', "not an ISO date"),
    ('{"id": "a", "text": "ok", "outlet": 42}\n', "'outlet' must be a string"),
    ('["not", "an", "object"]\n', "expected a JSON object"),
])
def test_bad_jsonl_names_the_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ArticleError, match=message):
        list(read_articles(path))


def test_binary_junk_and_wrong_encoding_are_refused(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"Headline\n\x00\x01\x02\xff\xfe binary junk")
    with pytest.raises(ArticleError, match="binary data"):
        list(read_articles(junk))
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Kyiv\nTroops entered Kupiansk at 5 \u00b0C".encode("latin-1"))
    with pytest.raises(ArticleError, match="not UTF-8"):
        list(read_articles(latin))
    title_only = tmp_path / "title.txt"
    title_only.write_text("Only a headline\n\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="no text after the title"):
        list(read_articles(title_only))


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        list(read_articles(tmp_path / "absent.txt"))
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF-1.7")
    with pytest.raises(ArticleError, match="unsupported file type '.pdf'"):
        list(read_articles(doc))


def test_html_page_main_text_and_metadata_only():
    [a] = read_articles(ARTICLES / "kharkiv_page.html")
    assert a.outlet == "Steppe Post"
    assert a.published == date(2025, 5, 12)
    assert a.url == "https://steppepost.example.net/2025/05/12/kharkiv-glide-bombs"
    assert "glide bombs on the city of Kharkiv" in a.text
    assert "Markets rally" not in a.text and "All rights reserved" not in a.text


def test_html_without_article_text_is_an_error():
    with pytest.raises(ArticleError, match="no article text"):
        list(read_articles(ARTICLES / "empty_page.html"))


def test_html_date_is_never_guessed_from_the_body(tmp_path):
    page = tmp_path / "nodate.html"
    body = ("Russian forces struck the city of Kharkiv with drones on June 3, 2024, the "
            "regional governor said, and several buildings burned through the night.")
    page.write_text(f"<html><head><title>Kharkiv</title></head><body><article><p>{body}"
                    "</p></article></body></html>", encoding="utf-8")
    [a] = read_articles(page)
    assert a.published is None and a.outlet is None


def test_rss_feed_read_offline():
    got = list(read_articles(ARTICLES / "front_feed.rss"))
    assert [a.title for a in got] == ["Russia says it captured Chasiv Yar",
                                      "Kyiv denies losing Chasiv Yar"]
    assert {a.outlet for a in got} == {"Frontline Wire"}
    assert [a.published for a in got] == [date(2025, 4, 6), date(2025, 4, 7)]
    assert "<b>" not in got[0].text and "Chasiv Yar in the Donetsk region." in got[0].text
    assert got[0].text.splitlines()[1] == "Ukraine has not responded to the claim."
    assert got[0].id != got[1].id


def test_atom_feed_read_offline():
    [a] = read_articles(ARTICLES / "front_feed.atom")
    assert a.outlet == "Steppe Post: War" and a.published == date(2025, 5, 20)
    assert a.url == "https://steppepost.example.net/2025/05/20/odesa-port"
    assert a.text.startswith("Russian drones struck the port of Odesa overnight")


@pytest.mark.parametrize("content", [b"\x00\x01<rss><channel><item>",
                                     b"<note><to>editor</to><body>call me</body></note>"])
def test_broken_feed_is_an_error(tmp_path, content):
    feed = tmp_path / "broken.rss"
    feed.write_bytes(content)
    with pytest.raises(ArticleError, match="not an RSS or Atom feed"):
        list(read_articles(feed))


def test_article_roundtrip_through_json():
    from geo.models import Article

    for a in read_articles(ARTICLES / "chasiv_yar.jsonl"):
        assert Article.from_dict(json.loads(json.dumps(a.to_dict()))) == a


def test_fixture_folder_reads_without_errors_except_the_empty_page():
    readable = [p for p in sorted(ARTICLES.iterdir()) if p.name != "empty_page.html"]
    assert all(list(read_articles(Path(p))) for p in readable)
