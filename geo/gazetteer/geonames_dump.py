"""Import full GeoNames dumps (``UA.txt``, ``allCountries.zip``) on top of the embedded index.

The dump is validated whole before anything is written: a truncated or corrupt file is
rejected with the line at fault, and the existing index stays as it was.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from geo.gazetteer.build import COLUMNS, _Builder, geonames_admin1_to_iso, useful_alt_name
from geo.gazetteer.format import IMPORTED_FILE, INDEX_VERSION, GazetteerError, data_dir

N_FIELDS = 19
# GeoNames' own code for a section of a populated place (a city district or quarter): the
# dump says outright what the embedded index infers from the codifier.
SECTION_CODE = "PPLX"
# Feature classes: A admin, P populated place, S spot (bridges, dams, airports),
# L area, T terrain, H water, V vegetation, R road, U undersea.
KIND_BY_CODE = {"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country", "PCLD": "country"}
KIND_BY_CLASS = {"P": "settlement", "S": "landmark", "L": "other", "T": "other", "H": "other",
                 "A": "other", "V": "other", "R": "landmark", "U": "other"}


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                members = [n for n in zf.namelist() if n.endswith(".txt")
                           and not n.lower().startswith("readme")]
                if len(members) != 1:
                    raise GazetteerError(f"{path}: expected one GeoNames .txt inside the zip, "
                                         f"found {members or 'none'}")
                with zf.open(members[0]) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8")
                    yield from enumerate(text, start=1)
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
            raise GazetteerError(f"{path}: not a readable zip archive ({exc})") from exc
    else:
        with path.open(encoding="utf-8") as fh:
            yield from enumerate(fh, start=1)


def parse_dump(path: Path) -> dict:
    """Parse and validate a GeoNames ``geoname`` table into an index fragment."""
    a1_iso = geonames_admin1_to_iso()
    b = _Builder()
    towns: set[str] = set()  # Ukrainian populated places the dump says are no city section
    try:
        for lineno, line in _lines(path):
            line = line.rstrip("\n")
            if not line:
                continue
            f = line.split("\t")
            if len(f) != N_FIELDS:
                raise GazetteerError(f"{path}:{lineno}: expected {N_FIELDS} tab-separated fields, "
                                     f"found {len(f)} (truncated or not a GeoNames dump)")
            try:
                gid, lat, lon = int(f[0]), float(f[4]), float(f[5])
                population = int(f[14] or 0)
            except ValueError as exc:
                raise GazetteerError(f"{path}:{lineno}: bad number ({exc})") from exc
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"{path}:{lineno}: coordinates out of range")
            cc, fclass, fcode = f[8], f[6], f[7]
            kind = KIND_BY_CODE.get(fcode) or KIND_BY_CLASS.get(fclass, "other")
            alts = [a for a in f[3].split(",") if useful_alt_name(a)] + [f[2]]
            b.add(str(gid), f[1], kind, lat, lon, population, cc, a1_iso.get(f"{cc}.{f[10]}"),
                  alts, "geonames-dump", capital=fcode == "PPLC")
            if fcode == SECTION_CODE:
                b.unlisted.add(str(gid))
            elif fclass == "P" and cc == "UA":
                towns.add(str(gid))
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 text ({exc})") from exc
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from exc
    if not b.columns["id"]:
        raise GazetteerError(f"{path}: no GeoNames rows found")
    assert tuple(b.columns) == COLUMNS
    return {**b.result(), "towns": sorted(towns)}


def import_dump(path: Path, directory: Path | None = None) -> int:
    """Validate ``path`` and make it the imported layer; returns the number of places."""
    from geo.gazetteer.build import write_index

    data = parse_dump(Path(path))
    data["version"] = INDEX_VERSION
    write_index(data, (directory or data_dir()) / IMPORTED_FILE)
    return len(data["columns"]["id"])
