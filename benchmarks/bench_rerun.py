"""Benchmark: a rerun into the same results folder, where nothing (or a few files) changed.

    python benchmarks/bench_rerun.py [--repeat 100] [--changed 3] [--jobs 2]

The corpus (000, 002, 003: the documents the rules read whole) is copied ``--repeat`` times under other
names (300 documents at 100, plus 001, read in part: 4 × repeat files in all). It times, as real processes:
the first `run`, a rerun with nothing changed, a rerun with ``--changed`` files edited, and a rerun
with ``--force`` (every document read again), and checks that the rerun's files are the ones a fresh
run writes. Prints wall and CPU seconds (the process and its workers). Not a test: figures go in
docs/measured.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scale import TreeCpu  # noqa: E402  (the pool's workers' CPU, sampled with psutil)
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def timed(*args) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and of its pool's workers, the summary line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")})
    tree = TreeCpu(proc)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    below = tree.descendants()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) + below
    if "Traceback" in err:
        raise SystemExit(err)
    summary = [line for line in err.splitlines() if " document(s)" in line]
    return wall, cpu, summary[0] if summary else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--changed", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(machine_line(), f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        src, out, fresh = Path(tmp) / "in", Path(tmp) / "out", Path(tmp) / "fresh"
        src.mkdir()
        docs = sorted(EXAMPLES.glob("*.txt"))
        for i in range(args.repeat):
            for doc in docs:
                shutil.copy(doc, src / f"{i:05d}_{doc.name}")
        n = len(docs) * args.repeat
        run = ("run", src, "--out", out, "--jobs", args.jobs)
        rows = [("first run", *timed(*run)), ("rerun, nothing changed", *timed(*run))]
        edited = sorted(src.glob("*_000_*.txt"))[:args.changed]
        for path in edited:
            path.write_text(path.read_text(encoding="utf-8").replace("局", "署", 1), encoding="utf-8")
        rows.append((f"rerun, {len(edited)} changed", *timed(*run)))
        timed("run", src, "--out", fresh, "--jobs", args.jobs)
        same = all((out / p.name).read_bytes() == p.read_bytes() for p in fresh.glob("*.json"))
        rows.append(("rerun --force", *timed(*run, "--force")))
        print(f"{n} documents; --jobs {args.jobs}")
        print(f"{'':28} {'wall s':>8} {'CPU s':>8}  summary")
        for what, wall, cpu, said in rows:
            print(f"{what:28} {wall:8.2f} {cpu:8.2f}  {said[:110]}")
        print(f"rerun's result files identical to a fresh run's: {same}")


if __name__ == "__main__":
    main()
