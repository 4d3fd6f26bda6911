"""Benchmark: `budget-extract run` on the corpus repeated N times, and the CLI's cold start.

Prints documents per second and peak memory (max RSS of the `run` process), and
the median wall time of `budget-extract --help`. Not a test: figures go in the README.

    python benchmarks/bench_run.py [--repeat 100]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def bench_run(repeat: int) -> None:
    docs = sorted(EXAMPLES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i in range(repeat):
            for doc in docs:
                shutil.copy(doc, src / f"{i:03d}_{doc.name}")
        out = Path(tmp) / "out"
        n = repeat * len(docs)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out)], cwd=ROOT,
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = sum(d.stat().st_size for d in docs) * repeat
        print(f"run: {n} documents ({size / 1e6:.1f} MB) in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
              f"-> {n / elapsed:.0f} documents/s (one process, one core)")
        print(f"run: peak memory (max RSS) {after.ru_maxrss / 1024:.0f} MB")


def bench_help(times: int = 15) -> None:
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "--help"], cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    print(f"--help: median {statistics.median(walls):.3f} s, min {min(walls):.3f} s over {times} cold starts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    bench_run(args.repeat)
    bench_help()


if __name__ == "__main__":
    main()
