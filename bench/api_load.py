"""Load on the OGC API: bbox + datetime item queries from concurrent clients at 100 k events.

Starts ``frontline serve`` on 127.0.0.1 over a synthetic store (built once, kept under
``.frontline/bench``), then runs each client mode for a fixed time and prints latency
percentiles. Two modes: "users" wait 0.5-1.5 s between requests (a person panning a map,
as locust's default users do); "flood" clients send the next request as soon as the last
answer arrives, which measures the server's capacity rather than a user's wait. The client
runs on the same machine as the server, so both share its cores.

    python -m bench.api_load [--events 100000] [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from geo.store import EventQuery, open_store
from geo.synthetic import DAYS, FIRST_DAY, events, front_places

ROOT = Path(__file__).resolve().parent.parent
PAGE = 100


def build_store(path: Path, n: int) -> float:
    """Seconds spent loading; 0 when the file already holds ``n`` events."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(str(path)) as store:
        have = store.count()
        if have == n:
            return 0.0
        if have > n:
            raise SystemExit(f"{path} holds {have} events, more than {n}: remove it")
        t = time.perf_counter()
        store.load_events(events(n - have, seed=have), batch=10_000)
        return time.perf_counter() - t


def queries(n: int, seed: int) -> list[tuple[tuple[float, float, float, float], str, str]]:
    """A front-line place's surroundings (about 50 x 55 km) over a 30-day window."""
    rng = random.Random(seed)
    places = front_places()
    out = []
    for _ in range(n):
        p = rng.choice(places)
        start = FIRST_DAY + timedelta(rng.randrange(DAYS - 30))
        box = (round(p.lon - 0.35, 4), round(p.lat - 0.25, 4), round(p.lon + 0.35, 4),
               round(p.lat + 0.25, 4))
        out.append((box, start.isoformat(), (start + timedelta(days=30)).isoformat()))
    return out


def item_url(q: tuple[tuple[float, float, float, float], str, str]) -> str:
    box, start, end = q
    return (f"/collections/events/items?bbox={','.join(map(str, box))}"
            f"&datetime={start}/{end}&limit={PAGE}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--store", str(store), "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "FRONTLINE_TOKEN": ""}, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/conformance", timeout=2):
                return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("frontline serve exited at start-up") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("frontline serve did not start within 60 s")


def tree_cpu_s(pid: int) -> float | None:
    """CPU seconds used so far by a process and its children (Linux /proc; None elsewhere).

    Unlike latency it does not depend on what else the machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0.0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else None


@dataclass
class Result:
    latencies_ms: list[float]
    errors: int
    seconds: float


async def run_clients(base: str, urls: list[str], clients: int, seconds: float,
                      think: float) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        start = time.perf_counter()
        stop = start + seconds

        async def client(k: int) -> None:
            nonlocal errors
            rng = random.Random(k)
            if think:
                await asyncio.sleep(rng.uniform(0, think))  # do not start in lockstep
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    r = await http.get(rng.choice(urls))
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                errors += not ok
                if think:
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

        await asyncio.gather(*(client(k) for k in range(clients)))
        return Result(latencies, errors, time.perf_counter() - start)


def check_answers(base: str, store_path: Path,
                  sample: list[tuple[tuple[float, float, float, float], str, str]]) -> float:
    """The served counts equal the store's, so the timings are of correct answers; returns
    the median number of features per page."""
    from datetime import date

    got = []
    with open_store(str(store_path)) as store, httpx.Client(base_url=base) as http:
        for q in sample:
            doc = http.get(item_url(q)).json()
            box, start, end = q
            want = store.count(EventQuery(bbox=box, start=date.fromisoformat(start),
                                          end=date.fromisoformat(end)))
            if doc["numberMatched"] != want:
                raise SystemExit(f"served {doc['numberMatched']} events, store has {want}")
            got.append(doc["numberReturned"])
    return statistics.median(got)


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="per mode (default 20)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="server processes to try (default: 1 2)")
    parser.add_argument("--modes", default="users,flood", help="users, flood or both")
    parser.add_argument("--store", type=Path, help="GeoPackage to use (default: "
                        ".frontline/bench/api-EVENTS.gpkg, built on first use)")
    args = parser.parse_args()
    if not 0 < args.seconds <= 300 or not 0 < args.clients <= 500:
        raise SystemExit("--seconds must be 0-300 and --clients 1-500")
    store = args.store or ROOT / ".frontline" / "bench" / f"api-{args.events}.gpkg"
    load = build_store(store, args.events)
    urls = [item_url(q) for q in queries(2000, seed=7)]
    print(f"store {store.name}: {args.events:,} events (loaded in {load:.0f} s)"
          f"; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'workers':>7} {'mode':>6} {'clients':>7} {'requests':>8} {'req/s':>6} "
          f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6} "
          f"{'server CPU ms/req':>17}")
    for workers in args.workers:
        proc, base = start_server(store, workers)
        try:
            per_page = check_answers(base, store, queries(10, seed=3))
            asyncio.run(run_clients(base, urls[:200], 8, 3.0, 0.0))  # warm caches
            for mode in args.modes.split(","):
                think = 1.0 if mode == "users" else 0.0
                cpu0 = tree_cpu_s(proc.pid)
                res = asyncio.run(run_clients(base, urls, args.clients, args.seconds, think))
                cpu1 = tree_cpu_s(proc.pid)
                lat = res.latencies_ms
                cpu = (f"{(cpu1 - cpu0) / len(lat) * 1000:>17.1f}"
                       if cpu0 is not None and cpu1 is not None else f"{'n/a':>17}")
                print(f"{workers:>7} {mode:>6} {args.clients:>7} {len(lat):>8} "
                      f"{len(lat) / res.seconds:>6.0f} {pct(lat, 50):>7.1f} "
                      f"{pct(lat, 90):>7.1f} {pct(lat, 99):>7.1f} {max(lat):>7.1f} "
                      f"{res.errors:>6} {cpu}", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"each request: bbox about 0.7 x 0.5 degrees around a front-line place, a 30-day "
          f"datetime interval, limit {PAGE}; median {per_page:.0f} features a page")


if __name__ == "__main__":
    main()
