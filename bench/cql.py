"""CQL2-filtered pages: what ``/collections/events/items?filter=…&limit=100`` costs.

Run:
  python -m bench.cql --events 100000                # embedded GeoPackage
  python -m bench.cql --events 100000 --keep DIR     # keep (and reuse) the store file
  python -m bench.cql --events 1000000 --kinds box+month,box+month+status+n

Loads synthetic events straight into a store (as ``bench.store query`` does), then times,
for random front-line places and months, the API's whole answer short of HTTP: parsing the
CQL2 text and checking it against the queryables (``api.params.parse_filter``), the page of
100 with its ``numberMatched`` (``api.collections.items``) and the GeoJSON features.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from datetime import timedelta

from api import collections
from api.params import parse_filter
from bench.store import percentile, synthetic_store
from geo.store import EventQuery
from geo.synthetic import DAYS, FIRST_DAY, front_places

QUERIES = 200


def filters(rng: random.Random) -> dict[str, str]:
    """One filter of each kind, around a random front-line place and month."""
    p = rng.choice(front_places())
    start = FIRST_DAY + timedelta(rng.randrange(DAYS - 30))
    end = start + timedelta(days=30)
    box = f"BBOX({p.lon - 0.35:.3f}, {p.lat - 0.25:.3f}, {p.lon + 0.35:.3f}, {p.lat + 0.25:.3f})"
    month = f"INTERVAL('{start.isoformat()}', '{end.isoformat()}')"
    return {
        "box+month": f"S_INTERSECTS(geometry, {box}) AND T_INTERSECTS(date, {month})",
        "box+month+status+n": f"S_INTERSECTS(geometry, {box}) AND T_INTERSECTS(date, {month})"
                              " AND status IN ('claimed', 'disputed', 'confirmed')"
                              " AND n_sources >= 2",
        "type+since": f"type = 'strike' AND date >= DATE('{start.isoformat()}')",
        "place LIKE": f"place_names LIKE '{p.name[:4]}%' AND NOT (actor = 'UA')",
        "actor+n": f"actor = '{rng.choice(('RU', 'UA'))}' AND n_sources >= 2",
    }


def page(store, text: str) -> int:
    q = replace(EventQuery(limit=100), filter=parse_filter(text, None))
    found = collections.items(store, "events", q)
    return -1 if found.matched is None else found.matched


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cql")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DIR", help="keep the GeoPackage file here")
    parser.add_argument("--kinds", help="comma-separated filter kinds to time (default all)")
    args = parser.parse_args()
    with synthetic_store(args.events, args.keep, "bench-cql-") as store:
        rng = random.Random(1)
        cases = [filters(rng) for _ in range(QUERIES)]
        kinds = args.kinds.split(",") if args.kinds else list(cases[0])
        for c in cases[:20]:
            for kind in kinds:
                page(store, c[kind])  # warm the page cache as a running server would be
        for kind in kinds:
            times, matched = [], []
            for c in cases:
                t = time.perf_counter()
                matched.append(page(store, c[kind]))
                times.append((time.perf_counter() - t) * 1000)
            matched.sort()
            print(f"{kind:>20}  median matched {matched[len(matched) // 2]:6}  "
                  f"p50 {percentile(times, 50):6.1f} ms  p99 {percentile(times, 99):6.1f} ms",
                  flush=True)


if __name__ == "__main__":
    main()
