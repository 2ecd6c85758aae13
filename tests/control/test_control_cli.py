from __future__ import annotations

import json
import zipfile

import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, write_geojson

from api.cli import main
from geo.store import open_store


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "frontline.gpkg")


def _import(store_path, path, day, *extra):
    return main(["control", "import", str(path), "--as-of", day, "--source", "test",
                 "--licence", "CC BY 4.0", "--store", store_path, *extra])


def test_import_list_diff(tmp_path, store_path, capsys):
    spring = write_geojson(tmp_path / "spring.geojson", [(DONETSK_A, {"status": "occupied"})])
    summer = write_geojson(tmp_path / "summer.geojson",
                           [(DONETSK_A.union(DONETSK_B), {"status": "occupied"})])
    assert _import(store_path, spring, "2024-04-01") == 0
    assert "2024-04-01:test: new" in capsys.readouterr().out
    assert _import(store_path, spring, "2024-04-01") == 0
    assert "duplicate" in capsys.readouterr().out
    assert _import(store_path, summer, "2024-07-01") == 0
    capsys.readouterr()
    assert main(["control", "list", "--store", store_path]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == ["2024-04-01", "2024-07-01"]
    assert "CC BY 4.0" in listed[0]
    out = tmp_path / "changes.geojson"
    assert main(["control", "diff", "--from", "2024-05-01", "--to", "2024-08-01",
                 "--store", store_path, "--out", str(out)]) == 0
    table = capsys.readouterr().out
    assert "Donetsk (UA-14)" in table and "held→occupied" in table
    doc = json.loads(out.read_text())
    (feature,) = doc["features"]
    assert feature["properties"]["oblast"] == "UA-14"
    assert shapely.geometry.shape(feature["geometry"]).symmetric_difference(
        DONETSK_B).area < 1e-6
    assert f"{feature['properties']['km2']:,.1f}" in table


def test_status_field_and_mapping_from_the_command_line(tmp_path, store_path, capsys):
    path = write_geojson(tmp_path / "front.geojson", [(DONETSK_A, {"zone": "ORDLO"})])
    assert _import(store_path, path, "2024-04-01", "--status-field", "zone",
                   "--map", "occupied=ORDLO") == 0
    assert "occupied" in capsys.readouterr().out


def _bad_inputs(tmp_path):
    kml = tmp_path / "doc.kml"
    kml.write_text("<kml/>")
    kmz = tmp_path / "broken.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", "<kml>" + "x" * 5000 + "</kml>")
    data = kmz.read_bytes()
    kmz.write_bytes(data[: len(data) // 2])
    return {
        "no polygons": write_geojson(tmp_path / "points.geojson",
                                     [(shapely.Point(37, 48), {"status": "occupied"})]),
        "unknown status value": write_geojson(tmp_path / "odd.geojson",
                                              [(DONETSK_A, {"status": "Frogs"})]),
        "outside Ukraine": write_geojson(tmp_path / "poland.geojson",
                                         [(shapely.box(19, 50, 21, 51), {"status": "occupied"})]),
        "corrupt KMZ": kmz,
    }


def test_bad_input_is_one_line_and_changes_nothing(tmp_path, store_path, capsys):
    good = write_geojson(tmp_path / "good.geojson", [(DONETSK_A, {"status": "occupied"})])
    assert _import(store_path, good, "2024-04-01") == 0
    with open_store(store_path) as s:
        before = s.snapshots()
    for words, path in _bad_inputs(tmp_path).items():
        capsys.readouterr()
        assert main(["control", "import", str(good), str(path), "--as-of", "2024-05-01",
                     "--store", store_path]) == 2, words
        err = capsys.readouterr().err
        assert err.startswith("frontline: error:") and words in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    with open_store(store_path) as s:
        assert s.snapshots() == before


def test_diff_without_snapshots_and_bad_dates(store_path, capsys):
    assert main(["control", "diff", "--from", "2024-01-01", "--to", "2024-02-01",
                 "--store", store_path]) == 2
    assert "no control snapshots" in capsys.readouterr().err
    assert main(["control", "diff", "--from", "2024-13-01", "--to", "2024-02-01",
                 "--store", store_path]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["control", "import", "x.geojson", "--as-of", "2024-01-01",
                 "--store", store_path]) == 2
    assert "no such file" in capsys.readouterr().err


def test_place_says_who_held_it_in_each_snapshot(tmp_path, store_path, capsys):
    from api.control_places import settlements

    towns = settlements()
    inside = [i for i in range(len(towns.ids))
              if DONETSK_B.contains(shapely.Point(towns.lon[i], towns.lat[i]))]
    assert inside, "the gazetteer has settlements in the test box"
    i = inside[0]
    assert main(["control", "place", towns.names[i], "--store", store_path]) == 2
    assert "no control snapshots" in capsys.readouterr().err
    _import(store_path, write_geojson(tmp_path / "a.geojson",
                                      [(DONETSK_A, {"status": "occupied"})]), "2024-04-01")
    _import(store_path, write_geojson(tmp_path / "b.geojson",
                                      [(DONETSK_A.union(DONETSK_B), {"status": "occupied"})]),
            "2024-07-01")
    capsys.readouterr()
    assert main(["control", "place", towns.names[i], "--store", store_path]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.endswith(f"; {towns.ids[i]})"))
    assert [line.split()[:2] for line in lines[at + 1:at + 3]] == [
        ["2024-04-01", "held"], ["2024-07-01", "occupied"]]
    assert main(["control", "place", "Qwxzvillage", "--store", store_path]) == 2
    assert "no settlement in Ukraine is called" in capsys.readouterr().err
