"""The GeoPackage store as GIS software opens it: GDAL (through pyogrio, and ``ogrinfo``
where it is installed) lists the data layers only, reads each without a warning, and finds
the events layer's extent in the file."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import pytest

from geo.store import open_store
from geo.synthetic import events

LAYERS = ["events", "control_areas", "event_areas", "oblast_areas", "articles",
          "attestations", "event_places", "control_snapshots"]


def with_areas(n: int, seed: int) -> list:
    """Synthetic events, and copies of a few known only to their oblast."""
    from dataclasses import replace

    found = list(events(n, seed=seed))
    return found + [replace(e, id=f"{e.id}-oblast", geometry_kind="admin1", precision=3)
                    for e in found[:12] if e.admin1]


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    p = tmp_path_factory.mktemp("gis") / "frontline.gpkg"
    with open_store(str(p)) as s:
        s.load_events(with_areas(200, 11))
    return p


def test_gdal_lists_the_data_layers_and_none_of_the_helper_tables(path):
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # GDAL's warnings reach Python as RuntimeWarning
        listed = [name for name, _ in pyogrio.list_layers(path)]
        assert listed == LAYERS
        for name in listed:
            pyogrio.read_info(path, layer=name)
        frame = pyogrio.read_dataframe(path, layer="events")
    assert len(frame) == 212 and set(frame.geom_type.dropna()) == {"Point"}


def test_oblast_level_events_have_their_area_as_a_polygon_layer(path):
    import pyogrio
    import shapely

    from geo.gazetteer.admin import oblast

    with open_store(str(path)) as s:
        expected = {e.id: e for e in s.events() if e.geometry_kind == "admin1"}
    areas = pyogrio.read_dataframe(path, layer="event_areas")
    assert sorted(areas["id"]) == sorted(expected) and len(expected) == 12
    assert set(areas.geom_type) == {"MultiPolygon"}
    for row in areas.itertuples():
        e = expected[row.id]
        assert row.geometry.equals(shapely.MultiPolygon(
            [oblast(e.admin1)] if oblast(e.admin1).geom_type == "Polygon"
            else oblast(e.admin1).geoms))
        assert row.geometry.contains(shapely.Point(e.lon, e.lat))
        assert row.n_attestations == len(e.attestations)
    oblasts = pyogrio.read_dataframe(path, layer="oblast_areas")
    assert sorted(oblasts["iso"]) == sorted({e.admin1 for e in expected.values()})


def test_the_layer_extent_is_in_the_file(path):
    import pyogrio

    with open_store(str(path)) as s:
        mapped = [e for e in s.events() if e.mapped]
    info = pyogrio.read_info(path, layer="events")
    minx, miny, maxx, maxy = info["total_bounds"]
    assert (minx, miny, maxx, maxy) == pytest.approx(
        (min(e.lon for e in mapped), min(e.lat for e in mapped),
         max(e.lon for e in mapped), max(e.lat for e in mapped)))


def test_ogrinfo_reads_the_store_without_a_warning(path):
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (GDAL's command-line tools, Debian package gdal-bin) is not "
                    "installed")
    done = subprocess.run([ogrinfo, "-ro", "-al", "-so", str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    listed = [line.split(": ", 1)[1].split(" (")[0] for line in done.stdout.splitlines()
              if line.startswith("Layer name: ")]
    assert listed == LAYERS


def _tables(path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")]


def test_asked_for_every_table_as_qgis_asks_gdal_finds_no_helper_table(path):
    """QGIS opens a GeoPackage with LIST_ALL_TABLES=YES: GDAL then offers every table that
    is not registered and not named ``gpkg_*``, ``rtree_*`` or ``sqlite_*``."""
    import pyogrio
    from pyogrio.errors import DataLayerError

    opened = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in _tables(path):
            try:
                pyogrio.read_info(path, layer=name, LIST_ALL_TABLES="YES")
            except DataLayerError:
                continue
            opened.append(name)
    assert sorted(opened) == sorted([*LAYERS, "frontline_meta"])


def test_ogrinfo_lists_every_table_without_a_warning(path):
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (GDAL's command-line tools, Debian package gdal-bin) is not "
                    "installed")
    done = subprocess.run([ogrinfo, "-ro", "-so", "-oo", "LIST_ALL_TABLES=YES", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    listed = [line.split(": ", 1)[1].split(" (")[0] for line in done.stdout.splitlines()
              if line[:1].isdigit() and ": " in line]
    assert listed == [*LAYERS, "frontline_meta"]


def test_a_store_with_the_old_index_names_is_renamed_and_still_searches(tmp_path):
    import sqlite3

    from geo.store import EventQuery

    path = tmp_path / "old.gpkg"
    with open_store(str(path)) as s:
        s.load_events(events(80, seed=5))
        some = s.events()[40]
        word = some.attestations[0].quote.split()[0]
        box = (some.lon - 0.5, some.lat - 0.5, some.lon + 0.5, some.lat + 0.5)
        q = EventQuery(bbox=box, start=some.date, end=some.date, text=word)
        before = [e.id for e in s.events(q)]
    with sqlite3.connect(path) as conn:
        from geo.store.gpkg_blob import register_functions

        register_functions(conn)
        conn.execute("ALTER TABLE rtree_events_xyt RENAME TO events_xyt")
        conn.execute("ALTER TABLE gpkg_frontline_fts RENAME TO events_fts")
        conn.execute("DELETE FROM gpkg_extensions WHERE table_name = 'gpkg_frontline_fts'")
        conn.execute("UPDATE frontline_meta SET value = '4' WHERE key = 'schema'")
    assert "events_xyt" in _tables(path)
    with open_store(str(path)) as s:
        assert [e.id for e in s.events(q)] == before and some.id in before
        s.load_events(events(5, seed=999))  # the triggers write the renamed index
        assert s.count() == 85
        indexed = sum(1 for e in s.events() if e.mapped and e.date)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM rtree_events_xyt").fetchone()[0] == indexed
    tables = _tables(path)
    assert "events_xyt" not in tables and "events_fts" not in tables
    assert "rtree_events_xyt" in tables and "gpkg_frontline_fts" in tables
