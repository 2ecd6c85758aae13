"""Which side a claimant or outlet speaks for, from ``data/affiliations.csv``.

Affiliation is data, not code: a newsroom adds a spokesperson or an outlet with one line.
Patterns are lower-case words matched on word boundaries; the longest match wins, so that
"Russia's defense ministry" is the ministry and not the country.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import FrontlineError

DATA = Path(__file__).resolve().parent.parent / "data" / "affiliations.csv"
SIDES = ("RU", "UA", "independent")
KINDS = ("person", "organization", "country", "outlet", "assessor")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


class AffiliationError(FrontlineError):
    """The affiliations table is malformed."""


@dataclass(frozen=True)
class Affiliation:
    """A known voice: its canonical name, the side it speaks for and what it is."""

    name: str
    side: str
    kind: str


def _fold(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).lower().split())


class Affiliations:
    def __init__(self, rows: list[tuple[str, Affiliation]]) -> None:
        self._rows = sorted(rows, key=lambda r: -len(r[0]))
        self._patterns = [(re.compile(rf"(?<![\w']){re.escape(p)}(?![\w])"), a)
                          for p, a in self._rows]

    @classmethod
    def from_csv(cls, path: Path) -> Affiliations:
        rows: list[tuple[str, Affiliation]] = []
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    pattern, side, name, kind = (row["pattern"], row["side"], row["name"],
                                                 row["kind"])
                except KeyError as exc:
                    raise AffiliationError(f"{path}: missing column {exc}") from exc
                if side not in SIDES or kind not in KINDS or not pattern or not name:
                    raise AffiliationError(
                        f"{path}:{n}: expected a pattern, a side in {SIDES}, a name and a "
                        f"kind in {KINDS}, got {row!r}")
                rows.append((_fold(pattern), Affiliation(name, side, kind)))
        return cls(rows)

    def match(self, phrase: str | None) -> Affiliation | None:
        """The longest known voice named in ``phrase``, or None."""
        if not phrase:
            return None
        text = _fold(phrase)
        for pattern, affiliation in self._patterns:
            if pattern.search(text):
                return affiliation
        return None


@lru_cache(maxsize=1)
def affiliations() -> Affiliations:
    return Affiliations.from_csv(DATA)


def affiliation_of(phrase: str | None) -> Affiliation | None:
    return affiliations().match(phrase)
