"""Claims extraction and fusion: articles/s on the seeds and a synthetic corpus, fusion of
many events, and peak memory.

Run: FRONTLINE_DATA_DIR=.frontline/data python -m bench.claims [--articles 300] [--events N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from geo.claims.extract import extract_events
from geo.claims.fusion import fuse
from geo.ingest.readers import read_articles
from geo.parse.geoparse import Geoparser
from geo.synthetic import articles, events

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--events", type=int, default=100_000)
    args = ap.parse_args()

    t0 = time.perf_counter()
    parser = Geoparser()
    print(f"{'parser load':32} {time.perf_counter() - t0:8.2f} s")

    seeds = list(read_articles(SEEDS))
    extract_events(seeds[0], parser)  # warm caches (admin polygons, affiliations)
    rounds = 15
    parses: list[float] = []
    extracts: list[float] = []
    for _ in range(rounds):  # alternated, so a busy moment weighs on both alike
        t0 = time.perf_counter()
        for a in seeds:
            parser.parse(a.text)
        parses.append((time.perf_counter() - t0) / len(seeds))
        t0 = time.perf_counter()
        for a in seeds:
            extract_events(a, parser)
        extracts.append((time.perf_counter() - t0) / len(seeds))
    parse, per = statistics.median(parses), statistics.median(extracts)
    chars = sum(len(a.text) for a in seeds) / len(seeds)
    label = f"seed article (~{chars:.0f} chars)"
    print(f"{label:32} {per * 1000:8.1f} ms "
          f"(geoparse alone {parse * 1000:.1f} ms; claims add {100 * (per / parse - 1):.0f} %, "
          f"medians of {rounds} alternated rounds)")

    corpus = list(articles(args.articles, seed=1))
    t0 = time.perf_counter()
    found = [e for a in corpus for e in extract_events(a, parser)]
    spent = time.perf_counter() - t0
    print(f"{'synthetic articles':32} {len(corpus) / spent:8.1f} /s "
          f"({len(found) / len(corpus):.1f} events each)")
    t0 = time.perf_counter()
    fused = fuse(found)
    print(f"{'fuse their events':32} {time.perf_counter() - t0:8.2f} s "
          f"({len(found)} -> {len(fused)})")

    many = list(events(args.events, seed=2))
    t0 = time.perf_counter()
    fused = fuse(many)
    label = f"fuse {len(many)} events"
    print(f"{label:32} {time.perf_counter() - t0:8.2f} s "
          f"(-> {len(fused)})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS':32} {peak:8.0f} MB (interpreter, model and gazetteer included)")


if __name__ == "__main__":
    main()
