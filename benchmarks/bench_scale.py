"""Benchmark: `run --jobs 1` and `run --jobs 2` side by side with the floor script, in one run.

    python benchmarks/bench_scale.py [--repeat 100] [--jobs 1 2]

The corpus is copied `--repeat` times (400 documents at 100). For each of `run --jobs N` and
`benchmarks/floor.py` (read, decode, one regex pass over the numbers, write JSON) it prints the
wall time, documents per second and the CPU milliseconds per document of every process involved
(the pool's workers are sampled with psutil, which comes with the test extra's dask[distributed]),
then the ratios to the floor. It also checks that every --jobs gave byte-identical result files.
Python's bytecode is compiled once before the timed runs, into a temporary folder, as an installed
package has it (a shell with PYTHONDONTWRITEBYTECODE set would otherwise compile the sources at
every start: 0.2 s a process, paid by the run and by the pool's server alike).
Not a test: figures go in docs/measured.md (key ones in the README).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


class TreeCpu:
    """CPU seconds of a process and of every process below it, sampled while they live (workers of a pool
    are reaped by the pool's server, not by us, so getrusage alone would miss them)."""

    def __init__(self, proc: subprocess.Popen, every: float = 0.01):
        self.root = psutil.Process(proc.pid)
        self.seen: dict[int, float] = {}
        self.main = 0.0  # the command's own process (at --jobs 2: the one writer of results, store and manifest)
        self.every = every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.stop.is_set():
            try:
                t = self.root.cpu_times()
                self.main = max(self.main, t.user + t.system)
                for p in self.root.children(recursive=True):
                    try:
                        t = p.cpu_times()
                        self.seen[p.pid] = max(self.seen.get(p.pid, 0.0), t.user + t.system)
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                return
            time.sleep(self.every)

    def descendants(self) -> float:
        self.stop.set()
        self.thread.join()
        return sum(self.seen.values())


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the command and every process it started, CPU seconds of the command's own
    process, sampled: its last 10 ms may be missed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree = TreeCpu(proc)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    below = tree.descendants()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: open flags or unread sections are not failures of the run
        raise SystemExit(f"{cmd}: exit {proc.returncode}\n{err.decode()}")
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, own + below, tree.main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(machine_line())
    docs = sorted(EXAMPLES.glob("*.txt"))
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i in range(args.repeat):
            for doc in docs:
                shutil.copy(doc, src / f"{i:04d}_{doc.name}")
        n = args.repeat * len(docs)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        run = [sys.executable, "-m", "extractor", "run"]
        for jobs in args.jobs:  # compiles the bytecode (the workers' modules too); not timed
            timed(run + [str(EXAMPLES), "--out", str(Path(tmp) / "warm"), "--jobs", str(jobs)], env)
        rows = []
        wall, cpu, main_cpu = timed([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(src), str(Path(tmp) / "floor")],
                          env)
        rows.append(("floor (read, decode, regex, JSON)", wall, cpu, main_cpu))
        outputs = {}
        for jobs in args.jobs:
            out = Path(tmp) / f"jobs{jobs}"
            wall, cpu, main_cpu = timed(run + [str(src), "--out", str(out), "--jobs", str(jobs)], env)
            rows.append((f"run --jobs {jobs}", wall, cpu, main_cpu))
            outputs[jobs] = {p.name: p.read_bytes() for p in out.glob("*.json")}
        same = all(o == outputs[args.jobs[0]] for o in outputs.values())
    floor = rows[0]
    print(f"{n} documents ({args.repeat} × the corpus)")
    print(f"{'':36} {'wall s':>8} {'docs/s':>8} {'CPU ms/doc':>11} {'main ms/doc':>12} {'× floor CPU':>12} "
          f"{'× floor wall':>13}")
    for name, wall, cpu, main_cpu in rows:
        print(f"{name:36} {wall:8.2f} {n / wall:8.1f} {cpu / n * 1000:11.2f} {main_cpu / n * 1000:12.2f} "
              f"{cpu / floor[2]:12.1f} {wall / floor[1]:13.1f}")
    print("main ms/doc: the command's own process (start-up included); the rest of CPU ms/doc is the processes it "
          "started (at --jobs 2 the pool's server and workers)")
    print(f"result files byte-identical across --jobs {' and '.join(map(str, args.jobs))}: {'yes' if same else 'NO'}")
    print(f"load average at the start {load[0]:.1f}, at the end {os.getloadavg()[0]:.1f} (other users of the machine "
          f"take cores from --jobs 2)")


if __name__ == "__main__":
    main()
