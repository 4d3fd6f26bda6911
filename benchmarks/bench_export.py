"""Benchmark: every export and the report at two batch sizes — time and peak memory, to show both stay flat.

    python benchmarks/bench_export.py [--sizes 400 4000] [--keep DIR]

With --keep, the results and exports stay in DIR, and results already there are used again.

For each size N, `run --jobs 2` writes N results (the corpus copied N/4 times), then each export
(facts as jsonl and csv, flags, claims, cards and documents as csv, xlsx, sqlite, parquet of the facts and
of the claims, duckdb) and the report run as their
own processes; their wall time, CPU time and peak memory (max RSS, from wait4) are printed side by
side, with the growth from the first size to the last. Not a test: figures go in docs/measured.md (key ones in the README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

EXPORTS = {
    "facts jsonl": ["--what", "facts", "--format", "jsonl", "-o", "{out}/facts.jsonl"],
    "facts csv": ["--what", "facts", "--format", "csv", "-o", "{out}/facts.csv"],
    "flags csv": ["--what", "flags", "--format", "csv", "-o", "{out}/flags.csv"],
    "claims csv": ["--what", "claims", "--format", "csv", "-o", "{out}/claims.csv"],
    "cards csv": ["--what", "cards", "--format", "csv", "-o", "{out}/cards.csv"],
    "documents csv": ["--what", "documents", "--format", "csv", "-o", "{out}/documents.csv"],
    "xlsx": ["--format", "xlsx", "-o", "{out}/all.xlsx"],
    "sqlite": ["--format", "sqlite", "-o", "{out}/all.sqlite"],
    "parquet (facts)": ["--format", "parquet", "-o", "{out}/facts.parquet"],
    "parquet (claims)": ["--what", "claims", "--format", "parquet", "-o", "{out}/claims.parquet"],
    "duckdb": ["--format", "duckdb", "-o", "{out}/all.duckdb"],
}


def measured(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd}: failed\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def results(n: int, tmp: Path) -> Path:
    src, out = tmp / f"in{n}", tmp / f"results{n}"
    if len(list(out.glob("*.json"))) == n:
        return out
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    src.mkdir()
    docs = sorted(EXAMPLES.glob("*.txt"))
    for i in range(n // len(docs)):
        for doc in docs:
            shutil.copy(doc, src / f"{i:05d}_{doc.name}")
    subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--jobs", "2"], cwd=ROOT,
                   capture_output=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 4000])
    parser.add_argument("--keep", type=Path, help="keep the results and exports in this folder")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these exports (names as printed; 'report')")
    args = parser.parse_args()
    print(machine_line())
    tmp = args.keep or Path(tempfile.mkdtemp())
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        figures: dict[str, dict[int, tuple]] = {}
        for n in args.sizes:
            folder = results(n, tmp)
            print(f"{n} results: {sum(p.stat().st_size for p in folder.glob('*.json')) / 1e6:.0f} MB of JSON",
                  flush=True)
            out = tmp / f"exports{n}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            for name, extra in EXPORTS.items():
                if args.only and name not in args.only:
                    continue
                cmd = [sys.executable, "-m", "extractor", "export", str(folder), *[a.format(out=out) for a in extra]]
                figures.setdefault(name, {})[n] = measured(cmd)
                print(f"  {name}: {figures[name][n][0]:.1f} s wall, {figures[name][n][1]:.1f} s CPU, "
                      f"{figures[name][n][2]:.0f} MB peak", flush=True)
            if args.only and "report" not in args.only:
                continue
            report = out / "report"
            figures.setdefault("report", {})[n] = measured(
                [sys.executable, "-m", "extractor", "report", str(folder), "-o", str(report)])
            pages = list(report.rglob("*.html"))
            print(f"  report: {len(pages)} pages, {sum(p.stat().st_size for p in pages) / 1e6:.0f} MB in all, the "
                  f"largest {max(p.stat().st_size for p in pages) / 1e6:.2f} MB", flush=True)
        first, last = args.sizes[0], args.sizes[-1]
        head = "".join(f" | {n:>5}: wall s, CPU s, peak MB" for n in args.sizes)
        print(f"{'':16}{head} | time ×, memory × ({first} → {last})")
        for name, by_size in figures.items():
            cells = "".join(f" | {w:12.1f} {c:6.1f} {m:8.0f}" for w, c, m in (by_size[n] for n in args.sizes))
            print(f"{name:16}{cells} | {by_size[last][1] / by_size[first][1]:6.1f} "
                  f"{by_size[last][2] / by_size[first][2]:6.2f}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
