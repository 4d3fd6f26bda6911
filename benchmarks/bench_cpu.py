"""Benchmark: CPU milliseconds per document of the deterministic path, in-process (no process start, no pool).

    python benchmarks/bench_cpu.py [--rounds 5] [--repeat 10] [--profile 25]

Each round reads the corpus documents `--repeat` times with `work.read_document` (what a worker of
`run --jobs N` does for one document: load, chunk, read tables and cards, choose, verify, the result's
JSON, the queue's rows, the summary's counts) and with `pipeline.run_file` (load, read, verify: the
issue's measure). CPU time (`time.process_time`); the best round is printed, since other users of a
shared machine only ever add time. `--profile N` then prints the N functions with the most cumulative
time under cProfile (which inflates call-heavy code; read it for where, not for how much).
Not a test: figures go in the README.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import RunOptions, run_file  # noqa: E402
from extractor.work import read_document  # noqa: E402

DOCS = sorted((ROOT / "examples").glob("*.txt"))
RULES = RunOptions(backend="rules")


def worker(path: Path) -> None:
    read_document(path, RULES)


def best_ms_per_doc(fn, rounds: int, repeat: int) -> tuple[float, list[float]]:
    for path in DOCS:  # warm: imports, caches of patterns
        fn(path)
    per_round = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            for path in DOCS:
                fn(path)
        per_round.append((time.process_time() - start) * 1000 / (repeat * len(DOCS)))
    return min(per_round), per_round


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    for name, fn in (("read_document (a worker's whole job)", worker), ("run_file (load, read, verify)", run_file)):
        best, rounds = best_ms_per_doc(fn, args.rounds, args.repeat)
        print(f"{name:40} best {best:6.1f} CPU ms/doc   rounds: {' '.join(f'{r:.1f}' for r in rounds)}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for path in DOCS:
            worker(path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
