"""Geoparsing scores: toponym recognition by span, geocoding by distance to the gold point.

Definitions follow Gritta, Pilehvar & Collier (2018, 2019) so that our figures can stand
beside published ones: Acc@k counts errors strictly below k km, and the AUC is the area
under the sorted curve of log(1 + error km) scaled by log(20039), half the Earth's
circumference (capped at 1), so that 0 is perfect and 1 is everything at the antipode.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from geopy.distance import great_circle

Span = tuple[int, int]

# Half the Earth's circumference: the worst possible error, charged to a toponym that was
# recognised but left without coordinates.
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True)
class PRF:
    """Counts of a recognition run; micro-averaged by adding documents together."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(a: Span, b: Span) -> int:
    """Characters two half-open spans share; 0 when they only touch."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Span], pred: Sequence[Span], exact: bool) -> list[tuple[int, int]]:
    """Pair gold and predicted spans one to one, as (gold index, pred index).

    One to one, so that a system cannot score a gold mention twice nor cover two gold
    mentions with one long span. Overlap pairs are made left to right, each gold span taking
    the free prediction it shares most characters with.
    """
    if exact:
        free: dict[Span, list[int]] = {}
        for j, s in enumerate(pred):
            free.setdefault((s[0], s[1]), []).append(j)
        pairs = []
        for i, g in enumerate(gold):
            js = free.get((g[0], g[1]))
            if js:
                pairs.append((i, js.pop(0)))
        return pairs
    used: set[int] = set()
    pairs = []
    for i in sorted(range(len(gold)), key=lambda k: (gold[k][0], gold[k][1])):
        best = max(((overlap(gold[i], p), -j) for j, p in enumerate(pred) if j not in used),
                   default=(0, 0))
        if best[0] > 0:
            used.add(-best[1])
            pairs.append((i, -best[1]))
    return sorted(pairs)


def recognition(gold: Sequence[Span], pred: Sequence[Span], exact: bool) -> PRF:
    tp = len(match_spans(gold, pred, exact))
    return PRF(tp, len(pred) - tp, len(gold) - tp)


def best_overlapping(span: Span, pred: Sequence[Span]) -> int | None:
    """Index of the prediction sharing most characters with ``span``; None when none does."""
    best, best_j = 0, None
    for j, p in enumerate(pred):
        o = overlap(span, p)
        if o > best:
            best, best_j = o, j
    return best_j


def error_km(gold: tuple[float, float], pred: tuple[float | None, float | None]) -> float:
    """Great-circle error in km between (lat, lon) points; MAX_ERROR_KM when unresolved."""
    if pred[0] is None or pred[1] is None:
        return MAX_ERROR_KM
    return float(great_circle(gold, (pred[0], pred[1])).km)


def accuracy_at(errors: Sequence[float], km: float) -> float:
    return sum(1 for e in errors if e < km) / len(errors) if errors else 0.0


def auc_log_error(errors: Sequence[float]) -> float:
    """Trapezoidal area under sorted log(1 + error), x and y both scaled to [0, 1]."""
    if not errors:
        return 0.0
    ys = sorted(min(1.0, math.log1p(e) / math.log(MAX_ERROR_KM)) for e in errors)
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:], strict=False))
    return area / (len(ys) - 1)


@dataclass(frozen=True)
class Geocoding:
    """Geocoding scores over the gold toponyms that carry coordinates.

    ``*_recognised`` figures count only gold toponyms some prediction overlaps (the
    resolver's own quality); ``*_e2e`` figures count every gold toponym, a miss being a
    failure (what a user of the whole pipeline gets).
    """

    n_gold: int
    n_recognised: int
    n_unresolved: int
    acc161_recognised: float
    acc25_recognised: float
    acc161_e2e: float
    acc25_e2e: float
    n_with_id: int
    id_rate: float
    far_same_id: int
    auc: float
    median_km: float
    mean_km: float


def geocoding(errors: Sequence[float | None], same_id: Sequence[bool | None]) -> Geocoding:
    """Scores from one entry per gold toponym.

    ``errors[i]`` is the error in km, or None when nothing overlaps the toponym;
    ``same_id[i]`` whether the predicted GeoNames id equals the gold one, None when the gold
    toponym has no id or was missed; a prediction without a GeoNames id is False.
    ``far_same_id`` counts the right GeoNames entry placed 161 km or more from the gold
    point: a disagreement of coordinates (a country's centroid, say), not of resolution.
    """
    found = [e for e in errors if e is not None]
    n = len(errors)
    ids = [s for s in same_id if s is not None]
    return Geocoding(
        n_gold=n,
        n_recognised=len(found),
        n_unresolved=sum(1 for e in found if e >= MAX_ERROR_KM),
        acc161_recognised=accuracy_at(found, 161),
        acc25_recognised=accuracy_at(found, 25),
        acc161_e2e=sum(1 for e in found if e < 161) / n if n else 0.0,
        acc25_e2e=sum(1 for e in found if e < 25) / n if n else 0.0,
        n_with_id=len(ids),
        id_rate=sum(ids) / len(ids) if ids else 0.0,
        far_same_id=sum(1 for e, s in zip(errors, same_id, strict=True)
                        if s and e is not None and e >= 161),
        auc=auc_log_error(found),
        median_km=statistics.median(found) if found else 0.0,
        mean_km=statistics.fmean(found) if found else 0.0,
    )
