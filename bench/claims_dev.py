"""Claims on real war news: the development set through ``frontline extract`` and its scorer.

Run: ``FRONTLINE_DATA_DIR=.frontline/data python -m bench.claims_dev [--details] [--misses]``

The set (``../shared/eval/ukraine_claims``: articles, gold events linked across outlets and
``score.py``) is third-party news kept outside the repository and read at run time; without
it this prints why and exits 0. ``--details`` passes on the scorer's per-event verdicts;
``--misses`` lists, for each gold event not found or found with a wrong status, what was
extracted from its articles, which is where a fix starts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "ukraine_claims"


def _extract(articles: Path, out: Path) -> float:
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as sink:
        subprocess.run([sys.executable, "-m", "api.cli", "extract", str(articles)],
                       stdout=sink, check=True, cwd=ROOT)
    return time.perf_counter() - t0


def _score(dev: Path, predicted: Path, details: bool) -> str:
    cmd = [sys.executable, str(dev / "score.py"), str(dev / "event_links.json"), str(predicted)]
    if details:
        cmd.append("--details")
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _misses(links: dict[str, dict], predicted: Path, verdicts: str) -> None:
    """Each gold event missed or wrong beside what its articles gave."""
    feats = json.loads(predicted.read_text())["features"]
    by_article: dict[str, list[dict]] = {}
    for f in feats:
        pr = f["properties"]
        for art in {a["article_id"] for a in pr.get("attestations") or []}:
            by_article.setdefault(art, []).append(pr)
    for line in verdicts.splitlines():
        link_id = line.split(" ", 1)[0]
        if link_id not in links or "(right)" in line:
            continue
        gold = links[link_id]
        print(line)
        for m in gold["mentions"]:
            print(f"    gold {m['article_id']}: {m['stance_in_article']}, "
                  f"claimant {m['claimant']!r}, denied by {m['denied_by']!r}")
        arts = {m["article_id"] for m in gold["mentions"]}
        for art in sorted(arts):
            for pr in by_article.get(art, []):
                names = ", ".join(p["name"] for p in pr.get("places") or []) or "(no place)"
                stances = "; ".join(f"{a['stance']}:{a.get('claimant') or '-'}"
                                    f"[{a.get('claimant_side') or '-'}]"
                                    for a in pr["attestations"])
                print(f"    got  {art}: {pr['type']} {pr['actor']} {names} {pr['date']} "
                      f"{pr['status']} <{stances}>")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev-dir", type=Path, default=DEV)
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--keep", type=Path, help="write the extracted GeoJSON here")
    args = ap.parse_args()
    dev = args.dev_dir
    if not (dev / "articles.jsonl").exists():
        print(f"development set not found at {dev}: nothing to measure")
        return
    links = {e["link_id"]: e for e in json.loads((dev / "event_links.json").read_text())["events"]}
    with tempfile.TemporaryDirectory() as tmp:
        predicted = args.keep or Path(tmp) / "events.geojson"
        seconds = _extract(dev / "articles.jsonl", predicted)
        verdicts = _score(dev, predicted, details=True)
        n = sum(1 for line in (dev / "articles.jsonl").open(encoding="utf-8") if line.strip())
        feats = json.loads(predicted.read_text())["features"]
        placeless = sum(1 for f in feats if f.get("geometry") is None)
        for line in verdicts.splitlines():
            if args.details or line.split(" ", 1)[0] not in links:
                print(line)
        print(f"{len(feats)} events from {n} articles, {placeless} without a place; "
              f"extract {seconds:.1f} s wall (model load included)")
        if args.misses:
            _misses(links, predicted, verdicts)


if __name__ == "__main__":
    main()
