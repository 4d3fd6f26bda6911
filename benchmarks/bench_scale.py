"""Benchmark: `run --jobs 1` and `run --jobs 2` side by side with the floor script, in one run.

    python benchmarks/bench_scale.py [--repeat 100] [--distinct 100] [--jobs 1 2] [--code WORKTREE]

Two batches, each read by `run --jobs N` and by `benchmarks/floor.py` (read, decode, one regex pass over the
numbers, write JSON) — the floor reads the same files:
- copies: the corpus copied `--repeat` times (400 documents at 100). Caches keyed by what repeats (a header's
  text, a pattern) answer copies from memory as they would a real batch, but so does any cache keyed by a
  line's text, which a real batch would miss: copies flatter such caches.
- distinct: `--distinct` documents no two alike (0: none), generated here from the tests' generators: four in
  five are the corpus in one of its layouts (tests/layout_variants.py) with every decimal amount multiplied by
  a factor of its own (sums still add up; percentages, codes and integers are left, so a few relations no longer
  hold and are flagged, as in a real batch), the fifth a generated county department (tests/county_budget.py)
  under a county's name of its own, its figures multiplied likewise.
For each it prints the wall time, documents per second and the CPU milliseconds per document of every process
involved (the pool's workers are sampled with psutil, which comes with the test extra's dask[distributed]),
then the ratios to the floor. It also checks that every --jobs gave byte-identical result files.
`--code WORKTREE` runs another checkout's `extractor` on the same batches (to measure a change interleaved with
main: the machine's speed drifts between runs).
Python's bytecode is compiled once before the timed runs, into a temporary folder, as an installed
package has it (a shell with PYTHONDONTWRITEBYTECODE set would otherwise compile the sources at
every start: 0.2 s a process, paid by the run and by the pool's server alike).
Not a test: figures go in docs/measured.md (key ones in the README).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
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


def timed(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the command and every process it started, CPU seconds of the command's own
    process, sampled: its last 10 ms may be missed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree = TreeCpu(proc)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    below = tree.descendants()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: open flags or unread sections are not failures of the run
        raise SystemExit(f"{cmd}: exit {proc.returncode}\n{err.decode()}")
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, own + below, tree.main


# An amount printed with decimals, not a percentage's: multiplied by a factor, every sum it is part of still adds up.
DECIMAL_AMOUNT = re.compile(r"(?<![\d.])(\d+\.\d+)(?![\d.%])")
COUNTIES = ["泗县", "灵璧县", "砀山县", "萧县", "怀远县", "五河县", "固镇县", "凤台县", "寿县", "霍邱县", "舒城县", "庐江县",
            "无为县", "南陵县", "泾县", "旌德县", "绩溪县", "歙县", "休宁县", "黟县", "祁门县", "东至县", "石台县", "青阳县"]


def multiplied(text: str, factor: int) -> str:
    """``text`` with every decimal amount multiplied by ``factor`` (its decimals kept)."""
    return DECIMAL_AMOUNT.sub(lambda m: str(Decimal(m.group(1)) * factor), text)


def write_copies(folder: Path, repeat: int) -> int:
    docs = sorted(EXAMPLES.glob("*.txt"))
    for i in range(repeat):
        for doc in docs:
            shutil.copy(doc, folder / f"{i:04d}_{doc.name}")
    return repeat * len(docs)


def write_distinct(folder: Path, count: int) -> int:
    """``count`` documents no two alike (see the module's text): the corpus in its layouts, figures multiplied, and
    generated county departments."""
    sys.path.insert(0, str(ROOT / "tests"))
    import county_budget
    import layout_variants

    corpus = {doc.name[:3]: doc.read_text(encoding="utf-8") for doc in sorted(EXAMPLES.glob("*.txt"))}
    layouts = list(layout_variants.VARIANTS)
    county_options = [{}, {"extra": True}, {"projects": True}, {"non_fiscal": "事业收入"}, {"extra": True, "projects": True}]
    for i in range(count):
        factor = 2 + i  # each document's own: no table row is printed alike in two documents
        if i % 5 == 4:
            county = COUNTIES[(i // 5) % len(COUNTIES)]
            text = county_budget.document("2025年部门预算支出合计1314.56万元，比上年增加10.00万元。",
                                          **county_options[(i // 5) % len(county_options)])
            text = multiplied(text.replace("某县", county), factor)
            name = f"{i:04d}_{county}农业农村局.txt"
        else:
            doc_id = sorted(corpus)[i % len(corpus)]
            layout = layouts[(i // len(corpus)) % len(layouts)]
            text = layout_variants.make_variant(multiplied(corpus[doc_id], factor), layout, seed=f"{doc_id}{i}")
            name = f"{i:04d}_{doc_id}_{layout}.txt"
        (folder / name).write_text(text, encoding="utf-8")
    return count


def measure(src: Path, tmp: Path, run: list[str], jobs: list[int], env: dict[str, str],
            code: Path) -> tuple[list, bool]:
    """The floor, then `run --jobs N` for each N, on the files of ``src``; and whether every N wrote the same results."""
    rows = []
    wall, cpu, main_cpu = timed([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(src), str(tmp / "floor")],
                                env)
    rows.append(("floor (read, decode, regex, JSON)", wall, cpu, main_cpu))
    outputs = {}
    for n in jobs:
        out = tmp / f"jobs{n}"
        wall, cpu, main_cpu = timed(run + [str(src), "--out", str(out), "--jobs", str(n)], env, code)
        rows.append((f"run --jobs {n}", wall, cpu, main_cpu))
        outputs[n] = {p.name: p.read_bytes() for p in out.glob("*.json")}
    return rows, all(o == outputs[jobs[0]] for o in outputs.values())


def print_rows(title: str, n: int, rows: list, same: bool, jobs: list[int]) -> None:
    floor = rows[0]
    print(title)
    print(f"{'':36} {'wall s':>8} {'docs/s':>8} {'CPU ms/doc':>11} {'main ms/doc':>12} {'× floor CPU':>12} "
          f"{'× floor wall':>13}")
    for name, wall, cpu, main_cpu in rows:
        print(f"{name:36} {wall:8.2f} {n / wall:8.1f} {cpu / n * 1000:11.2f} {main_cpu / n * 1000:12.2f} "
              f"{cpu / floor[2]:12.1f} {wall / floor[1]:13.1f}")
    print(f"result files byte-identical across --jobs {' and '.join(map(str, jobs))}: {'yes' if same else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--distinct", type=int, default=100, help="documents no two alike (0: none)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose extractor runs (default: this one)")
    args = parser.parse_args()
    print(machine_line())
    if args.code.resolve() != ROOT:
        print(f"extractor from {args.code.resolve()}")
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batches = []
        if args.repeat:
            (tmp / "copies").mkdir()
            batches.append(("copies", write_copies(tmp / "copies", args.repeat),
                            f"× the corpus, {args.repeat} times"))
        if args.distinct:
            (tmp / "distinct").mkdir()
            batches.append(("distinct", write_distinct(tmp / "distinct", args.distinct),
                            "no two alike: the corpus in its layouts and county documents, figures of their own"))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        run = [sys.executable, "-m", "extractor", "run"]
        for jobs in args.jobs:  # compiles the bytecode (the workers' modules too); not timed
            timed(run + [str(EXAMPLES), "--out", str(tmp / "warm"), "--jobs", str(jobs)], env, args.code)
        for name, n, what in batches:
            rows, same = measure(tmp / name, tmp / f"{name}-out", run, args.jobs, env, args.code)
            print_rows(f"{name}: {n} documents ({what})", n, rows, same, args.jobs)
    print("main ms/doc: the command's own process (start-up included); the rest of CPU ms/doc is the processes it "
          "started (at --jobs 2 the pool's server and workers)")
    print(f"load average at the start {load[0]:.1f}, at the end {os.getloadavg()[0]:.1f} (other users of the machine "
          f"take cores from --jobs 2)")


if __name__ == "__main__":
    main()
