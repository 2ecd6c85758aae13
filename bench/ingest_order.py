"""Does the store depend on the order articles come in? Ingest one corpus forward, in
reverse, shuffled and from four writer processes at once, and compare what each holds.

Run:
  python -m bench.ingest_order --synthetic 1500                 # seeds/ plus 1,500 synthetic
  python -m bench.ingest_order --synthetic 1500 --parsed /tmp/p.pickle   # parse once, reuse
  python -m bench.ingest_order --store-url postgresql://…/db_a --store-url postgresql://…/db_b

The articles are parsed once (every core); each run then stores the same parsed articles,
so that what differs between runs is the store's fusing alone. For each run it prints the
events, the attestations and the seconds taken, then whether every run holds the same
events: the same ids, statuses, dates and sets of sources. Given ``--store-url`` (one per
run, empty databases), the runs write there instead of to GeoPackage files.
"""

from __future__ import annotations

import argparse
import multiprocessing
import pickle
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from geo.claims.fusion import source_key
from geo.ingest.pipeline import Parsed, parse_partition
from geo.ingest.readers import read_articles
from geo.models import Article
from geo.store import open_store
from geo.store.records import batched
from geo.synthetic import articles as synthetic_articles

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 4
RUNS = ("forward", "reverse", "shuffled", f"{WRITERS} writers")


def corpus(synthetic: int, seed: int) -> list[Article]:
    seeds = [a for path in sorted((ROOT / "seeds").iterdir()) for a in read_articles(path)]
    return seeds + list(synthetic_articles(synthetic, seed=seed))


def parse_all(items: list[Article], workers: int) -> list[Parsed]:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        return [p for part in pool.map(parse_partition, batched(items, 25)) for p in part]


def store_all(url: str, parsed: Sequence[Parsed]) -> None:
    with open_store(url) as store:
        for article, events, _ in parsed:
            if events is not None:
                store.ingest(article, events)


def contents(url: str) -> dict[str, tuple]:
    with open_store(url) as store:
        return {e.id: (e.type, e.actor, e.status, e.date, e.date_precision, e.lat, e.lon,
                       tuple(sorted(map(str, map(source_key, e.attestations)))))
                for e in store.events()}


def run(name: str, url: str, parsed: list[Parsed], seed: int) -> float:
    t0 = time.perf_counter()
    if name == "forward":
        store_all(url, parsed)
    elif name == "reverse":
        store_all(url, parsed[::-1])
    elif name == "shuffled":
        store_all(url, random.Random(seed).sample(parsed, len(parsed)))
    else:
        open_store(url).close()  # one schema, made before the writers race to it
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
            list(pool.map(store_all, [url] * WRITERS,
                          [parsed[i::WRITERS] for i in range(WRITERS)]))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=300, help="synthetic articles to add")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2, help="parsing processes")
    ap.add_argument("--parsed", type=Path, help="pickle of the parsed corpus (made if absent)")
    ap.add_argument("--store-url", action="append", default=[],
                    help=f"an empty store per run ({len(RUNS)}), instead of GeoPackage files")
    args = ap.parse_args(argv)
    if args.store_url and len(args.store_url) != len(RUNS):
        ap.error(f"give {len(RUNS)} --store-url, one per run: {', '.join(RUNS)}")

    if args.parsed and args.parsed.exists():
        parsed = pickle.loads(args.parsed.read_bytes())
    else:
        t0 = time.perf_counter()
        parsed = parse_all(corpus(args.synthetic, args.seed), args.workers)
        print(f"parsed {len(parsed)} articles in {time.perf_counter() - t0:.0f} s")
        if args.parsed:
            args.parsed.write_bytes(pickle.dumps(parsed))
    failed = sum(events is None for _, events, _ in parsed)
    print(f"{len(parsed)} articles ({failed} unparsable), "
          f"{sum(len(e or ()) for _, e, _ in parsed)} single-article events")

    held: dict[str, dict[str, tuple]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls = args.store_url or [str(Path(tmp) / f"run{i}.gpkg") for i in range(len(RUNS))]
        print(f"{'run':>12} {'events':>8} {'attestations':>13} {'seconds':>8}")
        for name, url in zip(RUNS, urls, strict=True):
            seconds = run(name, url, parsed, args.seed)
            held[name] = contents(url)
            n_att = sum(len(v[-1]) for v in held[name].values())
            print(f"{name:>12} {len(held[name]):8d} {n_att:13d} {seconds:8.1f}")

    first = held[RUNS[0]]
    same = True
    for name in RUNS[1:]:
        other = held[name]
        ids = set(first) ^ set(other)
        differ = sum(first[i] != other[i] for i in set(first) & set(other))
        same = same and not ids and not differ
        print(f"{name} vs forward: {len(ids)} ids in one only, {differ} events that differ")
    print(f"identical stores: {'yes' if same else 'no'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
