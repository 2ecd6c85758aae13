"""Static map benchmark: seconds to render 100 and 10 000 events to PNG, SVG and PDF.

Run: ``python -m bench.render`` (after any first use of the gazetteer). Events are the
synthetic ones of ``geo.synthetic`` at real front-line places; a third of the advances get
an origin (an arrow) and one event in ten is known only to its oblast, as in real news.
Each figure is the best of three renders into memory at the default size (10 x 7.5 in,
150 dpi), after one warm-up render that loads the basemap. Rendering is single-threaded, so
the CPU seconds are what it costs on a quiet machine even when this one is busy. The two
page templates are timed too, with 10 000 events: a newspaper column as PNG (300 dpi) and
an A4 page as PDF.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from io import BytesIO

from geo.models import Event

SIZES = (100, 10_000)
FORMATS = ("png", "svg", "pdf")
RUNS = 3
TEMPLATES = (("newspaper", "png"), ("a4", "pdf"))


def bench_events(n: int, seed: int = 0) -> list[Event]:
    from geo.synthetic import events

    rng = random.Random(seed)
    out = list(events(n, seed))
    places = [e.places[0] for e in out]
    for i, e in enumerate(out):
        if e.type == "advance" and rng.random() < 1 / 3:
            out[i] = replace(e, origin=(rng.choice(places),))
        elif rng.random() < 0.1:
            out[i] = replace(e, geometry_kind="admin1", precision=3)
    return out


def best_of(events: list[Event], fmt: str, **options: object) -> tuple[float, float, int]:
    """Best wall and CPU seconds of ``RUNS`` renders, and the size of the file."""
    from maps.render import render_map

    walls, cpus, size = [], [], 0
    for _ in range(RUNS):
        buf = BytesIO()
        wall, cpu = time.perf_counter(), time.process_time()
        render_map(events, buf, fmt=fmt, title="Benchmark", **options)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        size = len(buf.getvalue())
    return min(walls), min(cpus), size


def main() -> None:
    from maps.render import render_map

    t = time.perf_counter()
    render_map(bench_events(10), BytesIO(), fmt="png")
    print(f"{'first render (loads basemap)':<28} {time.perf_counter() - t:6.2f} s wall")
    for n in SIZES:
        events = bench_events(n)
        for fmt in FORMATS:
            wall, cpu, size = best_of(events, fmt)
            print(f"{f'{n:,} events, {fmt}':<28} {wall:6.2f} s wall {cpu:6.2f} s CPU "
                  f"{size / 1e6:6.2f} MB")
    events = bench_events(SIZES[-1])
    for template, fmt in TEMPLATES:
        wall, cpu, size = best_of(events, fmt, template=template)
        print(f"{f'{SIZES[-1]:,} events, {template} {fmt}':<28} {wall:6.2f} s wall "
              f"{cpu:6.2f} s CPU {size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
