"""Benchmark: `budget-extract run` on the corpus repeated N times, and the CLI's cold start.

Prints documents per second and peak memory (max RSS of the `run` process), and
the median wall time of `budget-extract --help`. Not a test: figures go in docs/measured.md (key ones in the README).

    python benchmarks/bench_run.py [--repeat 100] [--without-verify] [--jobs 1]

`--without-verify` runs the same batch a second time with verification
replaced by a no-op (through a `sitecustomize` on PYTHONPATH, so no product
code carries a switch for it): the difference is what verifying costs `run`.
"""

from __future__ import annotations

import argparse
import os
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


_NO_VERIFY = """import sys
sys.path.insert(0, {root!r})
import verify
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)
verify.verify_result = lambda result, text: result
"""


def bench_run(repeat: int, without_verify: bool = False, jobs: int = 1) -> float:
    docs = sorted(EXAMPLES.glob("*.txt"))
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i in range(repeat):
            for doc in docs:
                shutil.copy(doc, src / f"{i:03d}_{doc.name}")
        out = Path(tmp) / "out"
        if without_verify:
            stub = Path(tmp) / "stub"
            stub.mkdir()
            (stub / "sitecustomize.py").write_text(_NO_VERIFY.format(root=str(ROOT)), encoding="utf-8")
            env["PYTHONPATH"] = os.pathsep.join([str(stub), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        n = repeat * len(docs)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--jobs", str(jobs)],
                       cwd=ROOT, check=True, capture_output=True, env=env)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = sum(d.stat().st_size for d in docs) * repeat
        label = "run without verification" if without_verify else "run"
        print(f"{label}: {n} documents ({size / 1e6:.1f} MB) in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
              f"-> {n / elapsed:.0f} documents/s (--jobs {jobs}; with more than one job the CPU time of the pool's "
              f"workers is not counted here: see bench_scale.py)")
        if not without_verify:
            print(f"run: peak memory (max RSS) {after.ru_maxrss / 1024:.0f} MB")
        return cpu


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
    parser.add_argument("--without-verify", action="store_true", help="also time run with verification stubbed out")
    parser.add_argument("--jobs", type=int, default=1, help="run --jobs (default 1: one process)")
    args = parser.parse_args()
    print(machine_line())
    cpu = bench_run(args.repeat, jobs=args.jobs)
    if args.without_verify:
        base = bench_run(args.repeat, without_verify=True, jobs=args.jobs)
        print(f"verification adds {cpu / base - 1:.0%} to run's CPU time")
    bench_help()


if __name__ == "__main__":
    main()
