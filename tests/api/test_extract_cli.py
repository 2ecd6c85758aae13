from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from shapely.geometry import LinearRing

from api.cli import main
from tests.conftest import FIXTURES, ROOT, SEEDS

pytestmark = pytest.mark.usefixtures("gazetteer")


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [p[0] for p in geometry["coordinates"]]
    return []


def test_extract_seeds_prints_a_feature_collection(capsys):
    assert main(["extract", str(SEEDS / "000_d639c1b7433ac7a4.txt"),
                 str(SEEDS / "004_ad8522ef294dd132.txt")]) == 0
    out, err = capsys.readouterr()
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == 8 and "8 events from 2 articles" in err
    statuses = {f["properties"]["status"] for f in fc["features"]}
    assert statuses == {"reported", "claimed", "disputed"}
    [entry] = [f for f in fc["features"] if f["properties"]["status"] == "disputed"]
    assert entry["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert all(LinearRing(r).is_ccw for r in _rings(entry["geometry"]))
    assert {a["article_id"] for a in entry["properties"]["attestations"]} == {
        "000_d639c1b7433ac7a4", "004_ad8522ef294dd132"}
    points = [f for f in fc["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
    for f in points:
        lon, lat = f["geometry"]["coordinates"]
        assert (lon, lat) == (f["properties"]["lon"], f["properties"]["lat"])
        assert 22 < lon < 41 and 44 < lat < 53  # Ukraine, lon first


def test_extract_jsonl_gives_one_feature_per_line(capsys):
    assert main(["extract", "--jsonl", str(SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 8
    features = [json.loads(line) for line in lines]
    assert all(f["type"] == "Feature" and f["properties"]["attestations"] for f in features)


def test_extract_reads_every_format_and_fuses_across_them(capsys):
    articles = FIXTURES / "articles"
    assert main(["extract", str(articles / "chasiv_yar.jsonl"), str(articles / "front_feed.rss"),
                 str(articles / "kharkiv_page.html")]) == 0
    features = json.loads(capsys.readouterr().out)["features"]
    chasiv = [f for f in features if f["properties"]["places"]
              and f["properties"]["places"][0]["name"] == "Chasiv Yar"
              and f["properties"]["type"] == "capture"]
    assert len(chasiv) == 1 and chasiv[0]["properties"]["status"] == "confirmed"


@pytest.mark.parametrize(("content", "message"), [
    (b"Headline\n\x00\x01 junk", "binary data"),
    (b'{"id": "a"}\n', "missing 'text'"),
])
def test_bad_input_is_one_clear_line_and_the_rest_goes_out(tmp_path, capsys, content, message):
    path = tmp_path / ("bad.txt" if content.startswith(b"Headline") else "bad.jsonl")
    path.write_bytes(content)
    assert main(["extract", str(SEEDS / "000_d639c1b7433ac7a4.txt"), str(path)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["features"], "the good article's events are still printed"
    skipped = [line for line in err.splitlines() if line.startswith("frontline: skipped")]
    assert len(skipped) == 1 and str(path) in skipped[0] and message in skipped[0]


def test_missing_file_and_empty_folder(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "absent.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["extract", str(tmp_path)]) == 2
    assert "no articles" in capsys.readouterr().err


def test_installed_command_shows_no_traceback(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    env = dict(os.environ, FRONTLINE_DATA_DIR=os.environ["FRONTLINE_DATA_DIR"])
    run = subprocess.run([sys.executable, "-m", "api.cli", "extract", str(junk)], cwd=ROOT,
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "bad JSON at line 1" in run.stderr
