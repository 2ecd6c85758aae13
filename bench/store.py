"""Store and ingest benchmarks: articles/s and peak memory, and bbox+time query latency.

Run:
  python -m bench.store ingest --articles 500 2000       # 1 and 2 workers, Dask LocalCluster
  python -m bench.store write --articles 100000          # the writer alone, as the store grows
  python -m bench.store query --events 100000 1000000    # embedded GeoPackage
  python -m bench.store query --events 100000 --backends postgis  # throw-away PostGIS

Ingest runs the real ``frontline ingest`` on a synthetic corpus in a child process and
samples the RSS of its whole process tree (workers included); CPU time is that of every
process it waited for, so that parallel efficiency shows even on a busy machine.

Write parses a synthetic corpus once (every core), then stores it article by article in
one process and prints the writing time per article for each tenth of the corpus: how the
store's own cost grows with its size, apart from the parser's.

Query loads synthetic events directly (``load_events``: parsing a million articles would
time the parser, not the store), then times, for random boxes of about 50 x 50 km over 30
days, what the API does: ``count()``, a first page of 100 events, and every match.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psutil

from geo.ingest.pipeline import Summary, bounded_imap, parse_partition, write
from geo.store import EventQuery, open_store
from geo.store.records import batched
from geo.synthetic import DAYS, FIRST_DAY, articles, events, front_places, write_corpus

QUERIES = 300


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_ingest(corpus: Path, store: Path, mode: str) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds and peak RSS of the process tree, and the summary line."""
    cmd = [sys.executable, "-m", "api.cli", "ingest", str(corpus), "--store", str(store),
           "--quiet"]
    cmd += ["--dask", "local"] if mode == "dask" else ["--workers", mode]
    start = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(ps))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed: {err}")
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    return wall, cpu, peak, out.strip().splitlines()[0]


def bench_ingest(sizes: list[int], modes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'articles':>8} {'mode':>9} {'seconds':>8} {'articles/s':>10} "
              f"{'CPU ms/article':>14} {'peak RSS':>9}  summary")
        for n in sizes:
            corpus = Path(tmp) / f"corpus{n}.jsonl"
            write_corpus(corpus, n, seed=n)
            for mode in modes:
                store = Path(tmp) / f"s{n}-{mode}.gpkg"
                secs, cpu, peak, line = run_ingest(corpus, store, mode)
                label = "dask" if mode == "dask" else f"{mode} worker" + ("s" * (mode != "1"))
                print(f"{n:>8} {label:>9} {secs:>8.1f} {n / secs:>10.1f} "
                      f"{cpu * 1000 / n:>14.1f} {peak / 2**20:>7.0f} MB  {line}", flush=True)
    print(machine())


def parse_to(path: Path, n: int) -> None:
    """The parsed corpus (lists of ``geo.ingest.pipeline.Parsed``, pickled one after another)."""
    with multiprocessing.get_context("spawn").Pool() as pool, path.open("wb") as out:
        for part in bounded_imap(lambda b: pool.apply_async(parse_partition, (b,)),
                                 batched(articles(n, seed=n), 250), 6):
            pickle.dump(part, out, protocol=5)


def read_parsed(path: Path):
    with path.open("rb") as f:
        while True:
            try:
                yield from pickle.load(f)
            except EOFError:
                return


def bench_write(n: int, parsed: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if parsed is None:
            parsed = Path(tmp) / "parsed.pickle"
            t = time.perf_counter()
            parse_to(parsed, n)
            print(f"parsed {n} articles in {time.perf_counter() - t:.0f} s", flush=True)
        summary, step = Summary(), max(1, n // 10)
        print(f"{'articles stored':>15} {'write ms/article':>16}")
        with open_store(str(Path(tmp) / "write.gpkg")) as store:
            t = time.perf_counter()
            for i, item in enumerate(read_parsed(parsed), start=1):
                if i > n:
                    break
                summary.read += 1
                write(store, [item], summary)
                if i % step == 0:
                    now = time.perf_counter()
                    print(f"{i:>15} {(now - t) * 1000 / step:>16.2f}", flush=True)
                    t = now
        print(summary.line())


def random_query(rng: random.Random) -> EventQuery:
    p = rng.choice(front_places())
    start = FIRST_DAY + timedelta(rng.randrange(DAYS - 30))
    return EventQuery(bbox=(p.lon - 0.35, p.lat - 0.25, p.lon + 0.35, p.lat + 0.25),
                      start=start, end=start + timedelta(days=30))


@contextlib.contextmanager
def synthetic_store(n: int, keep: str | None, prefix: str):
    """A GeoPackage of ``n`` synthetic events, made once and topped up when ``keep`` names a
    folder that already holds a smaller one; its loading time printed."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    print(machine())
    with open_store(str(folder / f"cql-{n}.gpkg")) as store:
        have = store.count()
        t = time.perf_counter()
        if have < n:
            store.load_events(events(n - have, seed=have), batch=10_000)
        print(f"{n:,} events, load {time.perf_counter() - t:.0f} s", flush=True)
        yield store


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(
        values) > 1 else values[0]


def timed(fn, queries: list[EventQuery]) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def bench_query(url: str, n: int, label: str) -> None:
    """Latency of what the API does for a box and a month: count, first page, everything."""
    with open_store(url) as store:
        have = store.count()
        t = time.perf_counter()
        if have < n:
            store.load_events(events(n - have, seed=have), batch=10_000)
        load = time.perf_counter() - t
        rng = random.Random(1)
        queries = [random_query(rng) for _ in range(QUERIES)]
        for q in queries[:20]:
            store.events(q)  # warm the page cache as a running server would be
        found = statistics.median(store.count(q) for q in queries[:50])
        figures = {
            "count()": timed(store.count, queries),
            "page of 100": timed(lambda q: store.events(replace(q, limit=100)), queries),
            "all matches": timed(store.events, queries),
        }
        print(f"{label:>8} {n:>9,} events  load {load:5.0f} s  median matches {found:4.0f}  "
              + "  ".join(f"{k} p50 {percentile(v, 50):5.1f} p99 {percentile(v, 99):6.1f} ms"
                          for k, v in figures.items()), flush=True)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (other processes share the machine)"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.store")
    sub = parser.add_subparsers(dest="what", required=True)
    ing = sub.add_parser("ingest")
    ing.add_argument("--articles", type=int, nargs="+", default=[500, 2000])
    ing.add_argument("--modes", default="1,2,dask", help="comma-separated: 1, 2, dask")
    wrt = sub.add_parser("write")
    wrt.add_argument("--articles", type=int, default=100_000)
    wrt.add_argument("--parsed", type=Path, help="a parse of the same corpus saved earlier")
    qry = sub.add_parser("query")
    qry.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    qry.add_argument("--backends", default="gpkg",
                     help="comma-separated: gpkg, postgis (a throw-away local server)")
    qry.add_argument("--keep", metavar="DIR", help="keep the GeoPackage files here")
    args = parser.parse_args()
    print(machine())
    if args.what == "ingest":
        bench_ingest(args.articles, args.modes.split(","))
        return
    if args.what == "write":
        bench_write(args.articles, args.parsed)
        return
    backends = args.backends.split(",")
    if "gpkg" in backends:
        with tempfile.TemporaryDirectory() as tmp:
            where = Path(args.keep or tmp)
            for n in sorted(args.events):
                bench_query(str(where / f"bench{n}.gpkg"), n, "gpkg")
    if "postgis" in backends:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from postgis_server import running_server

        with running_server() as server:
            url = server.new_database()
            for n in sorted(args.events):
                bench_query(url, n, "postgis")


if __name__ == "__main__":
    main()
