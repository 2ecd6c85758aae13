from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from api.cli import main
from geo.gazetteer.format import INDEX_FILE, GazetteerError, data_dir
from geo.gazetteer.geonames_dump import import_dump
from geo.gazetteer.index import Gazetteer

# Two rows in the GeoNames `geoname` table format (19 tab-separated columns). The second is a
# Donetsk-oblast village absent from cities500 (population under 500).
ROWS = [
    ["704422", "Pokrovsk", "Pokrovsk", "Krasnoarmeysk,Покровськ", "48.28198", "37.18207", "P",
     "PPLA2", "UA", "", "05", "", "", "", "60127", "", "176", "Europe/Kyiv", "2024-05-01"],
    ["9900001", "Fedorivka", "Fedorivka", "Fedorovka,Федорівка,Федоровка", "48.61", "38.02",
     "P", "PPL", "UA", "", "05", "", "", "", "120", "", "150", "Europe/Kyiv", "2024-05-01"],
]


def dump_text(rows=ROWS) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)


@pytest.fixture
def data(tmp_path, gazetteer) -> Path:
    """A data directory holding the embedded index and no imported layer."""
    (tmp_path / INDEX_FILE).symlink_to((data_dir() / INDEX_FILE).resolve())
    return tmp_path


def test_import_adds_villages_and_keeps_the_rest(data, tmp_path):
    dump = tmp_path / "UA.txt"
    dump.write_text(dump_text(), encoding="utf-8")
    assert import_dump(dump, data) == 2
    gaz = Gazetteer.load(data)
    in_donetsk = [p for p in gaz.lookup("Fedorovka", country="UA") if p.admin1 == "UA-14"]
    # the imported point ranks before the codifier's namesakes placed at hromada centres
    assert in_donetsk[0].geonameid == 9900001
    assert all(p.source.startswith("katotth") for p in in_donetsk[1:])
    assert gaz.lookup("Pokrovsk", country="UA")[0].geonameid == 704422
    assert gaz.lookup("Kryvyi Rih")[0].geonameid == 703845


def test_a_section_of_a_city_in_the_dump_is_never_a_town(data, tmp_path, gazetteer):
    saltivka = gazetteer.lookup("Saltivka", country="UA")[0]
    kyiv = gazetteer.lookup("Kyiv", country="UA")[0]
    rows = [*ROWS,
            ["9900002", "Nova Zabudova", "Nova Zabudova", "", "48.0", "37.8", "P", "PPLX", "UA",
             "", "05", "", "", "", "30000", "", "150", "Europe/Kyiv", "2024-05-01"],
            [saltivka.id, "Saltivka", "Saltivka", "", str(saltivka.lat), str(saltivka.lon),
             "P", "PPL", "UA", "", "07", "", "", "", "409300", "", "150", "Europe/Kyiv",
             "2024-05-01"]]
    dump = tmp_path / "UA.txt"
    dump.write_text(dump_text(rows), encoding="utf-8")
    import_dump(dump, data)
    gaz = Gazetteer.load(data)
    assert gaz.city_section(gaz.row_of("9900002"))  # GeoNames' own code says so
    assert not gaz.city_section(gaz.row_of("9900001"))
    assert gazetteer.city_section(gazetteer.row_of(saltivka.id))  # by the codifier...
    assert not gaz.city_section(gaz.row_of(saltivka.id))  # ...unless the dump says a town
    assert not gaz.city_section(gaz.row_of(kyiv.id))


def test_zip_dumps_are_read(data, tmp_path):
    archive = tmp_path / "UA.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("UA.txt", dump_text())
        zf.writestr("readme.txt", "GeoNames readme")
    assert import_dump(archive, data) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (dump_text() + "704423\tTruncated\tTrunc", "expected 19 tab-separated fields"),
        (dump_text([[*ROWS[0][:4], "north", *ROWS[0][5:]]]), "bad number"),
        ("", "no GeoNames rows"),
    ],
)
def test_bad_dumps_are_rejected_and_leave_the_index_intact(data, tmp_path, content, message):
    good = tmp_path / "good.txt"
    good.write_text(dump_text(), encoding="utf-8")
    import_dump(good, data)
    before = (data / "imported.pkl").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        import_dump(bad, data)
    assert (data / "imported.pkl").read_bytes() == before


def test_truncated_zip_is_rejected(data, tmp_path):
    archive = tmp_path / "allCountries.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("allCountries.txt", dump_text() * 50)
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(GazetteerError, match="zip"):
        import_dump(archive, data)
    assert not (data / "imported.pkl").exists()


def test_cli_reports_bad_dump_without_traceback(tmp_path, capsys, monkeypatch, data):
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(data))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary junk")
    assert main(["gazetteer", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontline: error:") and "Traceback" not in err
    assert main(["gazetteer", "import", str(tmp_path / "missing.txt")]) == 2
