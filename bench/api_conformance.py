"""How many generated requests, valid and invalid, the API answers as its OpenAPI document
says: the schemathesis tests of ``tests/api/test_schemathesis.py`` (every check that applies
to single requests) with more examples per operation, and a count of the requests made.

Run:
  python -m bench.api_conformance --examples 60      # about 2,000 requests per mode

It prints the requests made by kind (valid or invalid data) and the operations that failed
a check; each failing operation stops at its first failure, shrunk to the smallest request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=60,
                    help="examples per reading operation (a tenth for maps and parsing)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "cases.json"
        env = {**os.environ, "FRONTLINE_SCHEMATHESIS_EXAMPLES": str(args.examples),
               "FRONTLINE_SCHEMATHESIS_REPORT": str(report)}
        t0 = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "tests/api/test_schemathesis.py"], cwd=ROOT, env=env, capture_output=True,
            text=True)
        seconds = time.perf_counter() - t0
        cases = json.loads(report.read_text()) if report.exists() else {}
    tail = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", tail)) else 0
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", tail)) else 0
    shown: set[str] = set()
    for line in run.stdout.splitlines():
        line = line.lstrip(" |E").rstrip()
        if re.match(r"(FAILED|- ST\d|Invalid component|curl )", line) and line not in shown:
            shown.add(line)
            print(line[:300])
    print(f"requests with valid data   {cases.get('positive', 0):7d}")
    print(f"requests with invalid data {cases.get('negative', 0):7d}")
    print(f"requests in all            {sum(cases.values()):7d}")
    print(f"operations passed {passed}, failed {failed}; {seconds:.0f} s")
    return 0 if run.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
