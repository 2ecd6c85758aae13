"""Adversarial texts through the CLI and the API: no traceback, no server error, every bad
item named.

``python -m bench.hostile --texts 10000`` makes that many records from a fixed seed:
random Unicode with lone surrogates and control characters, megabyte tokens, deeply nested
JSON, nested HTML, extreme or malformed dates and ids of every JSON type, each beside a
plain valid article now and then. They go once through ``frontline ingest`` and
``frontline geoparse --jsonl`` (one JSON Lines file each, in a child process) and once,
record by record, through ``POST /geoparse`` and ``POST /articles`` of the app. Prints
counts: records, tracebacks, 5xx answers, and for the CLI the records taken, those named as
bad, and those neither (which should be none).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

GOOD = ("Russian troops shelled Kupiansk overnight, the regional governor said on Sunday, "
        "and fighting went on near Lyman.")
TOKEN = "bench-hostile"
# Megabyte texts are one record in two hundred: enough to test the limit at every step
# without a corpus of gigabytes.
KIND_WEIGHTS = [1, 1, 0.04, 1, 1, 1, 1, 1, 1]


def _noise(rng: random.Random, n: int) -> str:
    """Any code point at all, surrogates and controls included."""
    out = []
    for _ in range(n):
        pick = rng.random()
        if pick < 0.1:
            out.append(chr(rng.randint(0xD800, 0xDFFF)))
        elif pick < 0.2:
            out.append(chr(rng.randint(0, 0x1F)))
        elif pick < 0.5:
            out.append(chr(rng.randint(0x20, 0x7E)))
        else:
            out.append(chr(rng.randint(0xA0, 0x10FFFF)))
    return "".join(out)


def record(rng: random.Random, i: int) -> str:
    """One JSON line: a hostile record, or now and then a plain good one."""
    kind = rng.choices(range(9), weights=KIND_WEIGHTS)[0]
    rec: dict[str, object] = {"id": f"h{i}", "text": GOOD}
    if kind == 0:
        rec["text"] = _noise(rng, rng.randint(0, 400))
    elif kind == 1:
        rec["text"] = _noise(rng, 20) + " Kyiv " + _noise(rng, 20)
    elif kind == 2:
        rec["text"] = rng.choice("aЖ\u202e") * (1_000_000 + rng.randint(0, 100))
    elif kind == 3:
        return "[" * rng.randint(1_000, 100_000) + "]" * rng.randint(0, 10)
    elif kind == 4:
        rec["text"] = "<div>" * rng.randint(100, 20_000) + GOOD
    elif kind == 5:
        rec["published"] = rng.choice(["9999-12-31", "0001-01-01", "2025-02-30", "", "soon",
                                       "2025-06-08T25:00", "1899-12-31", "[[[["])
    elif kind == 6:
        rec["id"] = rng.choice([True, None, 12, 1.5, [], {}, "x" * 100_000, "\ud800"])
    elif kind == 7:
        rec["text"] = rng.choice(["", " ", "\x00" * 50, "\n" * 1000])
    line = json.dumps(rec, ensure_ascii=rng.random() < 0.5)
    if kind == 8:
        line = line[: rng.randint(0, len(line))]  # cut off mid-record
    return line


def run_cli(args: list[str]) -> tuple[int, str, float]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, errors="replace", env={**os.environ, "PYTHONUTF8": "1"})
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - t


def bench_cli(lines: list[str], folder: Path) -> None:
    corpus = folder / "hostile.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    for name, args in (("ingest", ["ingest", str(corpus), "--store",
                                   str(folder / "hostile.gpkg"), "--quiet", "--workers", "2"]),
                       ("geoparse", ["geoparse", "--jsonl", str(corpus)])):
        rc, out, seconds = run_cli(args)
        named = sum(line.startswith("  failed: ") or ": skipped (" in line
                    for line in out.splitlines())
        if name == "ingest":
            read = next((line for line in out.splitlines() if line.startswith("articles")), "")
            kept = sum(int(n) for n in re.findall(r"(?:new|duplicate) (\d+)", read))
        else:
            kept = sum(line.startswith('{"id"') for line in out.splitlines())
        blank = sum(not line.strip() for line in lines)  # a line cut to nothing: no record
        print(f"cli {name:9s} {len(lines):6d} lines ({blank} blank)  exit {rc}  tracebacks "
              f"{out.count('Traceback')}  taken {kept}  named as bad {named}  "
              f"unaccounted {len(lines) - blank - kept - named}  {seconds:.0f} s")


def bench_api(lines: list[str], folder: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(str(folder / "api.gpkg"), token=TOKEN, parse_workers=1)
    codes: Counter[int] = Counter()
    tracebacks = 0
    t = time.perf_counter()
    with TestClient(app) as client:
        for line in lines:
            body = line.encode("utf-8", errors="surrogatepass")
            for path in ("/geoparse", "/articles"):
                r = client.post(path, content=body, headers={
                    "Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
                codes[r.status_code] += 1
                tracebacks += "Traceback" in r.text
    server_errors = sum(n for code, n in codes.items() if code >= 500)
    print(f"api {len(lines):6d} records  requests {sum(codes.values())}  5xx {server_errors}  "
          f"tracebacks {tracebacks}  {time.perf_counter() - t:.0f} s")
    print("    answers: " + ", ".join(f"{code} x{n}" for code, n in sorted(codes.items())))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile")
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["cli", "api"])
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [record(rng, i) for i in range(args.texts)]
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        if args.only != "api":
            bench_cli(lines, Path(tmp))
        if args.only != "cli":
            bench_api(lines, Path(tmp))


if __name__ == "__main__":
    main()
