"""A long text does not hold the server: one-line ``POST /geoparse`` latency while another
client posts a 1,000,000-character text, and how long SIGTERM then takes to stop the server.

Starts ``frontline serve`` on 127.0.0.1 (``FRONTLINE_MAX_TEXT=1000000`` so that the long
text is parsed rather than refused), times one-line requests alone, then again while the
long text is being parsed, then sends SIGTERM with the long parse still running.

    python -m bench.parse_isolation [--seconds 20] [--parse-workers 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_LINE = "Russian forces shelled Kharkiv overnight, the regional governor said."
LONG_CHARS = 1_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(base: str, text: str, timeout: float) -> tuple[int, float]:
    req = urllib.request.Request(base + "/geoparse", data=text.encode(),
                                 headers={"Content-Type": "text/plain"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - t


def one_lines(base: str, seconds: float) -> list[float]:
    """One-line requests back to back for ``seconds``; their latencies in seconds."""
    out: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        status, took = post(base, ONE_LINE, timeout=60)
        if status != 200:
            raise SystemExit(f"a one-line /geoparse answered {status}")
        out.append(took)
    return out


def line(label: str, xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(0.9 * len(xs)))]
    return (f"{label:<34} {len(xs):>8} {statistics.median(xs) * 1000:>8.0f} "
            f"{p90 * 1000:>8.0f} {xs[-1] * 1000:>8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--parse-workers", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FRONTLINE_MAX_TEXT": str(LONG_CHARS)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--store",
             str(Path(tmp) / "empty.gpkg"), "--parse-workers", str(args.parse_workers),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    post(base, ONE_LINE, timeout=60)  # also starts a worker and its model
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("frontline serve did not start") from None
                    time.sleep(0.3)
            alone = one_lines(base, args.seconds / 2)
            long_text = (ONE_LINE + " ") * (LONG_CHARS // (len(ONE_LINE) + 1))
            long_status: list[int] = []
            poster = threading.Thread(
                target=lambda: long_status.append(post(base, long_text, timeout=600)[0]),
                daemon=True)
            poster.start()
            time.sleep(1)  # the long text is in a worker
            beside = one_lines(base, args.seconds)
            still_parsing = poster.is_alive()
            t = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            stop_s = time.monotonic() - t
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    print(f"parse workers {args.parse_workers}; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"{'one-line POST /geoparse':<34} {'requests':>8} {'p50 ms':>8} {'p90 ms':>8} "
          f"{'max ms':>8}")
    print(line("alone", alone))
    print(line(f"beside a {LONG_CHARS:,}-char text", beside))
    print(f"long text still parsing when timing ended: {still_parsing}; SIGTERM stopped the "
          f"server in {stop_s:.2f} s (long request answered {long_status or ['nothing']})")


if __name__ == "__main__":
    main()
