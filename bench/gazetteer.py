"""Gazetteer benchmark: build time, load time and memory, lookups per second.

Run: ``python -m bench.gazetteer`` (after ``make gazetteer`` or any first use).
Load is measured in fresh interpreters before the build: Linux keeps a process's peak
RSS across exec, so a probe started after the build would report the build's peak.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

LOAD_PROBE = """
import resource, time
t = time.perf_counter()
from geo.gazetteer.index import Gazetteer
from geo.gazetteer.format import data_dir
g = Gazetteer.load(data_dir())
dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(g))
"""


def main() -> None:
    from geo.gazetteer.build import build
    from geo.gazetteer.format import data_dir
    from geo.gazetteer.index import Gazetteer

    runs = [subprocess.run([sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True,
                           check=True).stdout.split() for _ in range(3)]
    load_s = min(float(r[0]) for r in runs)
    rss_mb = max(float(r[1]) for r in runs)
    n_places = int(runs[0][2])

    t = time.perf_counter()
    build()
    build_s = time.perf_counter() - t

    gaz = Gazetteer.load(data_dir())
    rng = random.Random(7)
    names = [gaz.place(rng.randrange(len(gaz))).name for _ in range(20_000)]
    names += ["Pokrovsk", "Krivoy Rog", "Кривий Ріг", "Kupyansk", "Nowhereville"] * 4_000
    rng.shuffle(names)
    t = time.perf_counter()
    for n in names:
        gaz.lookup(n)
    lookup_s = time.perf_counter() - t
    t = time.perf_counter()
    for n in names:
        gaz.lookup(n, country="UA", limit=1)
    lookup_ua_s = time.perf_counter() - t

    print(f"places indexed            {n_places}")
    print(f"build from sources        {build_s:.1f} s")
    print(f"load (fresh process)      {load_s:.2f} s")
    print(f"peak RSS after load       {rss_mb:.0f} MB (interpreter included)")
    print(f"lookup                    {len(names) / lookup_s:,.0f} /s")
    print(f"lookup country=UA limit=1 {len(names) / lookup_ua_s:,.0f} /s")


if __name__ == "__main__":
    main()
