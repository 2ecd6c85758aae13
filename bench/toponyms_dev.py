"""Toponym recognition and resolution on the Ukraine war development set.

Run: ``python -m bench.toponyms_dev [--details] [--eval-dir DIR]``

The set (``../shared/eval/ukraine_claims`` from the repository root) is third-party news kept
outside the repository; it is read at run time and only scores are printed. Predictions that
overlap an ``excluded_spans`` entry (organisation names, URLs, cut words) count neither as
hits nor as false positives. Resolution is scored on the gold toponyms some prediction
overlaps: Acc@25 km, and the share of those with a gold admin-1 whose prediction lies in the
same admin-1 unit (oblast or Russian region).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.metrics import (
    MAX_ERROR_KM,
    PRF,
    Span,
    accuracy_at,
    best_overlapping,
    error_km,
    match_spans,
    overlap,
    recognition,
)

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval" / "ukraine_claims"
CLOSE_KM = 25.0


@dataclass
class Tally:
    """Counts and the cases a reader of ``--details`` wants to see."""

    exact: PRF = PRF()
    fuzzy: PRF = PRF()
    errors: list[float] = field(default_factory=list)
    same_admin1: list[bool] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    far: list[str] = field(default_factory=list)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _excluded(span: Span, excluded: list[Span]) -> bool:
    return any(overlap(span, x) for x in excluded)


def _snippet(text: str, span: Span, width: int = 30) -> str:
    """The span in brackets with a little context, on one line, for reading misses."""
    a, b = span
    left = text[max(0, a - width):a].replace("\n", " ")
    right = text[b:b + width].replace("\n", " ")
    return f"...{left}[{text[a:b]}]{right}..."


def score_article(tally: Tally, doc_id: str, text: str, gold: dict[str, Any],
                  toponyms: list[Any]) -> None:
    excluded = [(x["start"], x["end"]) for x in gold.get("excluded_spans", [])]
    gold_tops = gold["toponyms"]
    gold_spans = [(t["start"], t["end"]) for t in gold_tops]
    preds = [t for t in toponyms if not _excluded((t.start, t.end), excluded)]
    spans = [(t.start, t.end) for t in preds]
    tally.exact += recognition(gold_spans, spans, exact=True)
    pairs = match_spans(gold_spans, spans, exact=False)
    tally.fuzzy += PRF(len(pairs), len(spans) - len(pairs), len(gold_spans) - len(pairs))
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    for i, g in enumerate(gold_spans):
        if i not in matched_gold:
            tally.missed.append(f"{doc_id} {_snippet(text, g)}")
    for j, s in enumerate(spans):
        if j not in matched_pred:
            tally.spurious.append(f"{doc_id} {_snippet(text, s)} -> {_label(preds[j])}")
    for t in gold_tops:
        if t.get("lat") is None or t.get("lon") is None:
            continue
        j = best_overlapping((t["start"], t["end"]), spans)
        if j is None:
            continue
        p = preds[j]
        err = error_km((t["lat"], t["lon"]), (p.lat, p.lon))
        tally.errors.append(err)
        if t.get("admin1_iso"):
            tally.same_admin1.append(p.admin1 == t["admin1_iso"])
        if err >= CLOSE_KM:
            km = "unresolved" if err >= MAX_ERROR_KM else f"{err:.0f} km"
            tally.far.append(f"{doc_id} {t['name']!r} -> {_label(p)}: {km} "
                             f"(gold {t.get('canonical_name') or t['name']}, "
                             f"{t.get('admin1_iso') or t.get('country')})")


def _label(t: Any) -> str:
    return (f"{t.resolved_name or '?'} [{t.country or '?'} {t.admin1 or '-'} {t.kind} "
            f"{t.place_id}]")


def report(t: Tally, n_docs: int) -> str:
    def pct(x: float) -> str:
        return f"{100 * x:.1f}"

    share = sum(t.same_admin1) / len(t.same_admin1) if t.same_admin1 else 0.0
    lines = [
        f"Ukraine war dev set: {n_docs} articles, "
        f"{t.fuzzy.tp + t.fuzzy.fn} gold toponyms",
        f"recognition, exact span   P {pct(t.exact.precision)}  R {pct(t.exact.recall)}  "
        f"F1 {pct(t.exact.f1)}",
        f"recognition, overlap      P {pct(t.fuzzy.precision)}  R {pct(t.fuzzy.recall)}  "
        f"F1 {pct(t.fuzzy.f1)}",
        f"resolution ({len(t.errors)} recognised gold toponyms)",
        f"  Acc@25 km               {pct(accuracy_at(t.errors, CLOSE_KM))}",
        f"  same admin-1            {pct(share)} of {len(t.same_admin1)}",
    ]
    return "\n".join(lines)


def details(t: Tally) -> str:
    lines = [f"missed gold toponyms ({len(t.missed)})", *(f"  {m}" for m in t.missed),
             f"false positives ({len(t.spurious)})", *(f"  {s}" for s in t.spurious),
             f"resolved {CLOSE_KM:.0f} km or more off ({len(t.far)})",
             *(f"  {f}" for f in t.far)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.toponyms_dev", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    ap.add_argument("--details", action="store_true",
                    help="list misses, false positives and resolution errors")
    args = ap.parse_args(argv)
    articles_path = args.eval_dir / "articles.jsonl"
    gold_path = args.eval_dir / "gold.jsonl"
    if not articles_path.is_file() or not gold_path.is_file():
        print(f"development set not found under {args.eval_dir}: nothing to measure")
        return 0

    from geo.parse.geoparse import default_geoparser

    gp = default_geoparser()
    gold = {g["id"]: g for g in read_jsonl(gold_path)}
    articles = [a for a in read_jsonl(articles_path) if a["id"] in gold]
    tally = Tally()
    for a in articles:
        toponyms = gp.parse(a["text"]).toponyms
        score_article(tally, a["id"], a["text"], gold[a["id"]], toponyms)
    print(report(tally, len(articles)))
    if args.details:
        print(details(tally))
    return 0


if __name__ == "__main__":
    sys.exit(main())
