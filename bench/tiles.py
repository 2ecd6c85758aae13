"""Vector tiles: what ``/collections/{events,oblasts}/tiles/WebMercatorQuad/{z}/{y}/{x}``
costs, from a zoomed-out view of every event to a street-level one.

Run:
  python -m bench.tiles --events 100000
  python -m bench.tiles --events 1000000 --keep DIR    # keep (and reuse) the store file

Loads synthetic events straight into a store (as ``bench.cql`` does, and into the same
file name, so one kept folder serves both), then times, for tiles around random
front-line places at each zoom, the whole answer short of HTTP: the store's grid or page,
the projection and the Mapbox Vector Tile encoding.
"""

from __future__ import annotations

import argparse
import math
import random
import time

from api import tiles
from bench.store import percentile, synthetic_store
from geo.store import EventQuery
from geo.synthetic import front_places

TILES = 100
ZOOMS = (4, 7, 10, 13)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    row = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(row), int((lon + 180) / 360 * n)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tiles")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DIR", help="keep the GeoPackage file here")
    args = parser.parse_args()
    with synthetic_store(args.events, args.keep, "bench-tiles-") as store:
        rng = random.Random(1)
        places = [rng.choice(front_places()) for _ in range(TILES)]
        for cid, zooms in (("events", ZOOMS), ("oblasts", ZOOMS[:2])):
            for z in zooms:
                where = [tile_of(p.lon, p.lat, z) for p in places]
                for row, col in where[:5]:
                    tiles.tile(store, cid, z, row, col, EventQuery())  # warm the cache
                times, sizes = [], []
                for row, col in where:
                    t = time.perf_counter()
                    sizes.append(len(tiles.tile(store, cid, z, row, col, EventQuery())))
                    times.append((time.perf_counter() - t) * 1000)
                sizes.sort()
                print(f"{cid:>8} z{z:<2}  median {sizes[len(sizes) // 2] / 1024:7.1f} KiB  "
                      f"p50 {percentile(times, 50):7.1f} ms  p99 {percentile(times, 99):7.1f} ms",
                      flush=True)


if __name__ == "__main__":
    main()
