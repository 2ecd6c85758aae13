"""The ``frontline`` command line. Each sub-command lives in ``api.commands``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from api.errors import UsageError
from geo.errors import FrontlineError

COMMAND_MODULES = (
    "api.commands.gazetteer",
    "api.commands.geoparse",
    "api.commands.extract",
    "api.commands.store",
    "api.commands.control",
    "api.commands.render",
    "api.commands.map",
    "api.commands.serve",
    "api.commands.run",
)

# Read by the linear-algebra library as it loads: set before any command imports it.
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """The spaCy model multiplies small matrices, for which a pool of BLAS threads costs more
    than it gives: an article parses in about 13 % less CPU time on one thread (BENCHMARKS.md,
    "Ingest of real-length articles"). Parse workers inherit the setting; a thread count the
    user set stands."""
    if not any(os.environ.get(v) for v in BLAS_THREAD_VARS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline", description="Map the war in Ukraine from the news.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    one_blas_thread()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (UsageError, FrontlineError) as exc:
        print(f"frontline: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
