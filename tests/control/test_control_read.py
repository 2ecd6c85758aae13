from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from control_helpers import DONETSK_A, POLTAVA, write_geojson

from geo.control.classes import parse_mapping
from geo.control.errors import ControlError
from geo.control.read import file_digest, read_areas


def _frame(rows, crs="EPSG:4326"):
    return gpd.GeoDataFrame({"name": [r[0] for r in rows]},
                            geometry=[r[1] for r in rows], crs=crs)


def test_geojson_status_field_and_skipped_points(tmp_path):
    path = write_geojson(tmp_path / "front.geojson", [
        (DONETSK_A, {"status": "Occupied"}), (POLTAVA, {"status": "liberated"}),
        (shapely.Point(35, 48), {"status": "occupied"})])  # a label, not ground
    areas = read_areas(path)
    assert [a.status for a in areas] == ["occupied", "liberated"]
    assert areas[0].geometry.equals(DONETSK_A)


def test_named_field_and_user_mapping(tmp_path):
    path = write_geojson(tmp_path / "front.geojson", [
        (DONETSK_A, {"status": "ignored", "kind": "RF-held"}), (POLTAVA, {"kind": "UA"})])
    areas = read_areas(path, "kind", parse_mapping(["occupied=rf held"]))
    assert [a.status for a in areas] == ["occupied", "ukrainian-held"]


def test_missing_field_is_named(tmp_path):
    path = write_geojson(tmp_path / "front.geojson", [(DONETSK_A, {"status": "occupied"})])
    with pytest.raises(ControlError, match="no field 'kind'"):
        read_areas(path, "kind")


def test_geopackage_layers_name_the_class(tmp_path):
    path = tmp_path / "front.gpkg"
    _frame([("a", DONETSK_A)]).to_file(path, layer="Occupied", driver="GPKG")
    _frame([("b", POLTAVA)]).to_file(path, layer="Grey zone", driver="GPKG")
    found = {a.layer: a.status for a in read_areas(path)}
    assert found == {"Occupied": "occupied", "Grey zone": "contested"}


def test_shapefile_in_a_projected_crs_comes_back_in_lon_lat(tmp_path):
    path = tmp_path / "occupied.shp"
    _frame([("a", DONETSK_A)]).to_crs("EPSG:32637").to_file(path)
    (area,) = read_areas(path)
    assert area.status == "occupied"
    assert area.geometry.symmetric_difference(DONETSK_A).area < 1e-6 * DONETSK_A.area


def _kml(tmp_path: Path) -> Path:
    path = tmp_path / "front.kml"
    frame = _frame([("Occupied", DONETSK_A), ("Liberated", POLTAVA)])
    frame.to_file(path, driver="KML", layer="Control")
    return path


def test_kml_and_kmz_read_the_same(tmp_path):
    kml = _kml(tmp_path)
    kmz = tmp_path / "front.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    from_kml = read_areas(kml, "name")
    from_kmz = read_areas(kmz, "name")
    assert [a.status for a in from_kml] == ["occupied", "liberated"]
    assert [(a.status, a.geometry.wkb) for a in from_kmz] == \
        [(a.status, a.geometry.wkb) for a in from_kml]


def test_corrupt_kmz_is_named(tmp_path):
    kml = _kml(tmp_path)
    kmz = tmp_path / "front.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(kml, "doc.kml")
    data = kmz.read_bytes()
    kmz.write_bytes(data[: len(data) // 2])
    with pytest.raises(ControlError, match="corrupt KMZ"):
        read_areas(kmz)


def test_no_polygons_and_unknown_values_are_errors(tmp_path):
    points = write_geojson(tmp_path / "points.geojson",
                           [(shapely.Point(37, 48), {"status": "occupied"})])
    with pytest.raises(ControlError, match="no polygons"):
        read_areas(points)
    odd = write_geojson(tmp_path / "odd.geojson", [(DONETSK_A, {"status": "Frogs"})])
    with pytest.raises(ControlError, match="unknown status value 'Frogs'.*--map"):
        read_areas(odd)


def test_unreadable_file_is_an_error(tmp_path):
    junk = tmp_path / "front.geojson"
    junk.write_text("{not json", encoding="utf-8")
    with pytest.raises(ControlError, match="front.geojson"):
        read_areas(junk)


def test_digest_follows_the_bytes(tmp_path):
    a = write_geojson(tmp_path / "a.geojson", [(DONETSK_A, {"status": "occupied"})])
    b = write_geojson(tmp_path / "b.geojson", [(DONETSK_A, {"status": "occupied"})])
    before = file_digest([a])
    assert before == file_digest([a])
    assert before != file_digest([b])  # names count: a file's stem can be its layer name
    a.write_text(a.read_text().replace("occupied", "contested"))
    assert file_digest([a]) != before
