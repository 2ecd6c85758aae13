"""Ingest of real-length articles: articles/s of ``frontline ingest`` on texts of 2 to 4
thousand characters, as news runs.

Run:
  python -m bench.ingest_long --articles 2000                 # synthetic, 1 and 2 workers
  python -m bench.ingest_long --articles 1000 --corpus dev    # real war news, see below

``synthetic``: ``geo.synthetic`` articles run on, paragraph after paragraph, to a length
drawn from 2,000 to 4,000 characters. ``dev``: real text from the claims development set
(``../shared/eval/ukraine_claims``, read at run time and never copied here; skipped with a
message where it is absent): each article is one article's title and text followed by the
text of another, every ordered pair whose length falls in the range, so that no two are the
same text and the store fuses many reports of the same events, as it does on a real feed.
The real ``frontline ingest`` runs in a child process (``bench.store.run_ingest``); CPU
time counts every process of the run.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.store import machine, run_ingest
from geo.synthetic import write_corpus

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "ukraine_claims"
CHARS = (2000, 4000)


def dev_articles(dev: Path, n: int) -> Iterator[dict[str, str]]:
    rows = [json.loads(line) for line in (dev / "articles.jsonl").open(encoding="utf-8")
            if line.strip()]
    pairs = [(a, b) for a in rows for b in rows if a is not b]
    random.Random(0).shuffle(pairs)
    count = 0
    for a, b in pairs:
        text = f"{a['text']}\n\n{b['text']}"
        if not CHARS[0] <= len(text) <= CHARS[1]:
            continue
        yield {"id": f"{a['id']}+{b['id']}", "title": a["title"], "text": text,
               "outlet": a["outlet"], "url": f"{a['url']}#{b['id']}",
               "published": a["published"]}
        count += 1
        if count == n:
            return


def write_dev_corpus(path: Path, dev: Path, n: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        written = 0
        for row in dev_articles(dev, n):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.ingest_long")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--corpus", choices=("synthetic", "dev"), default="synthetic")
    ap.add_argument("--modes", default="1,2", help="comma-separated: 1, 2, dask")
    ap.add_argument("--dev-dir", type=Path, default=DEV)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        if args.corpus == "dev":
            if not (args.dev_dir / "articles.jsonl").exists():
                print(f"development set not found at {args.dev_dir}: nothing to measure")
                return
            n = write_dev_corpus(corpus, args.dev_dir, args.articles)
        else:
            n = write_corpus(corpus, args.articles, seed=args.articles, chars=CHARS)
        sizes = [len(json.loads(line)["text"]) for line in corpus.open(encoding="utf-8")]
        print(machine())
        print(f"{n} {args.corpus} articles, {min(sizes)} to {max(sizes)} characters, "
              f"mean {sum(sizes) / len(sizes):.0f}")
        print(f"{'mode':>9} {'seconds':>8} {'articles/s':>10} {'CPU ms/article':>14} "
              f"{'peak RSS':>9}  summary")
        for mode in args.modes.split(","):
            secs, cpu, peak, line = run_ingest(corpus, Path(tmp) / f"s-{mode}.gpkg", mode)
            label = "dask" if mode == "dask" else f"{mode} worker" + ("s" * (mode != "1"))
            print(f"{label:>9} {secs:>8.1f} {n / secs:>10.1f} {cpu * 1000 / n:>14.1f} "
                  f"{peak / 2**20:>7.0f} MB  {line}", flush=True)


if __name__ == "__main__":
    main()
