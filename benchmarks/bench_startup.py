"""Benchmark: the command line's cold start against a bare `python -c pass`, median of many starts.

    python benchmarks/bench_startup.py [--times 21]

The aim: `budget-extract --help` within 5× of bare Python. Not a test: figures go in docs/measured.md (key ones in the README).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "budget-extract --help": ["-m", "extractor", "--help"],
    "budget-extract run --help": ["-m", "extractor", "run", "--help"],
    "budget-extract review --help": ["-m", "extractor", "review", "--help"],
    "budget-extract export --help": ["-m", "extractor", "export", "--help"],
}


def median_start(args: list[str], times: int) -> float:
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=21)
    args = parser.parse_args()
    print(machine_line())
    # Interleaved rounds, so that a burst of load on the machine falls on every command alike.
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.times):
        for name, cmd in COMMANDS.items():
            walls[name].append(median_start(cmd, 1))
    bare = statistics.median(walls["python -c pass"])
    for name, w in walls.items():
        m = statistics.median(w)
        print(f"{name:32} median {m * 1000:6.0f} ms  ({m / bare:4.1f}× bare Python)")


if __name__ == "__main__":
    main()
