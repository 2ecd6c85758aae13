from __future__ import annotations

from datetime import date

import pyogrio
import pytest
import shapely
from control_helpers import DONETSK_A, DONETSK_B, snap

from geo.errors import FrontlineError
from geo.store import StoreError, open_store
from geo.store.control import in_force

SPRING, SUMMER = date(2024, 4, 1), date(2024, 7, 1)


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store(request, tmp_path):
    url = str(tmp_path / "frontline.gpkg") if request.param == "gpkg" else \
        request.getfixturevalue("postgis_url")
    s = open_store(url)
    yield s
    s.close()


def test_round_trip_keeps_every_class_and_its_metadata(store):
    s = snap(SPRING, occupied=DONETSK_A, contested=DONETSK_B)
    assert store.put_snapshot(s) == "new"
    (info,) = store.snapshots()
    assert (info.id, info.as_of, info.licence, info.residual) == \
        (s.id, SPRING, "test data", "held")
    assert set(info.km2) == {"occupied", "contested"} and info.km2["occupied"] > 0
    back = store.snapshot(s.id)
    assert back is not None and back.digest == s.digest
    for status, geom in s.areas.items():
        assert back.area(status).equals(geom)
    assert store.snapshot("1999-01-01:nobody") is None


def test_the_same_snapshot_twice_changes_nothing(store):
    s = snap(SPRING, occupied=DONETSK_A)
    assert store.put_snapshot(s) == "new"
    before = store.snapshots()
    assert store.put_snapshot(s) == "duplicate"
    assert store.snapshots() == before


def test_a_new_export_for_the_same_date_and_source_replaces_the_old(store):
    store.put_snapshot(snap(SPRING, occupied=DONETSK_A))
    newer = snap(SPRING, occupied=DONETSK_A.union(DONETSK_B))
    assert store.put_snapshot(newer) == "replaced"
    (info,) = store.snapshots()
    assert info.hash == newer.digest
    back = store.snapshot(info.id)
    assert back is not None and back.area("occupied").equals(newer.area("occupied"))


def test_a_failed_write_leaves_the_store_as_it_was(store, monkeypatch):
    store.put_snapshot(snap(SPRING, occupied=DONETSK_A))
    before = store.snapshots()
    calls = []

    def fail_on_second(conn, cols, wkb):
        calls.append(cols["status"])
        if len(calls) == 2:
            raise StoreError("disk full")
        original(conn, cols, wkb)

    original = store._insert_area
    monkeypatch.setattr(store, "_insert_area", fail_on_second)
    with pytest.raises(FrontlineError, match="disk full"):
        store.put_snapshot(snap(SUMMER, occupied=DONETSK_A, contested=DONETSK_B))
    monkeypatch.undo()
    assert calls == ["occupied", "contested"]
    assert store.snapshots() == before


def test_snapshot_in_force(store):
    store.put_snapshot(snap(SUMMER, occupied=DONETSK_A))
    store.put_snapshot(snap(SPRING, occupied=DONETSK_B))
    infos = store.snapshots()
    assert [i.as_of for i in infos] == [SPRING, SUMMER]
    assert in_force(infos, date(2024, 3, 31)) is None
    assert in_force(infos, SPRING).as_of == SPRING  # type: ignore[union-attr]
    assert in_force(infos, date(2024, 6, 30)).as_of == SPRING  # type: ignore[union-attr]
    assert in_force(infos, date(2025, 1, 1)).as_of == SUMMER  # type: ignore[union-attr]


def test_gis_tools_open_the_areas_as_a_layer(tmp_path):
    path = tmp_path / "frontline.gpkg"
    with open_store(str(path)) as store:
        store.put_snapshot(snap(SPRING, occupied=DONETSK_A))
    frame = pyogrio.read_dataframe(path, layer="control_areas")
    assert list(frame["status"]) == ["occupied"]
    assert shapely.equals(frame.geometry.iloc[0], DONETSK_A)


def test_an_older_store_gains_the_control_tables(tmp_path):
    import sqlite3

    path = tmp_path / "frontline.gpkg"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE control_areas")
        conn.execute("DROP TABLE control_snapshots")
    with open_store(str(path)) as store:
        assert store.snapshots() == []
        assert store.put_snapshot(snap(SPRING, occupied=DONETSK_A)) == "new"
