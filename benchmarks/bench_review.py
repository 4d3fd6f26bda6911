"""Benchmark: how long a reviewer waits, on a store of the corpus repeated N times.

Runs the corpus × N into a temporary folder, then times real `budget-extract review`
processes (cold starts included): `list`, `show`, and `accept` / `fix`, each a
few times, and `export --format xlsx`. Not a test: figures go in docs/measured.md (key ones in the README).

    python benchmarks/bench_review.py [--repeat 25] [--times 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def cli(*args: object) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)


def timed(*args: object) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = cli(*args)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = Path(tmp) / "in", Path(tmp) / "out"
        inputs.mkdir()
        for i in range(args.repeat):
            for path in sorted(EXAMPLES.glob("*.txt")):
                shutil.copy(path, inputs / f"{path.stem}_{i}.txt")
        seconds, _ = timed("run", inputs, "--out", out)
        docs = len(list(inputs.iterdir()))
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"run: {docs} documents into a new store in {seconds:.1f} s")
        listing = []
        for _ in range(args.times):
            s, proc = timed("review", "list", "--db", out, "--json")
            listing.append(s)
        flags = json.loads(proc.stdout)
        print(f"review list --json: {len(flags)} flags, median {statistics.median(listing):.2f} s")
        cards = [f for f in flags if f["check"] in ("card.cost", "card.spending_plan")]
        show = [timed("review", "show", f["id"], "--db", out)[0] for f in cards[: args.times]]
        print(f"review show: median {statistics.median(show):.2f} s")
        accept = [timed("review", "accept", f["id"], "--db", out)[0] for f in cards[: args.times]]
        print(f"review accept (re-verifies the document, rewrites its result): median {statistics.median(accept):.2f} s")
        plans = [f for f in flags if f["check"] == "card.spending_plan"][args.times: 2 * args.times]
        fix = [timed("review", "fix", f["id"], "--field", str(len(f["fields"])), "--value", "100", "--db", out)[0]
               for f in plans]
        print(f"review fix: median {statistics.median(fix):.2f} s")
        s, _ = timed("run", inputs, "--out", out)
        print(f"run again with {2 * args.times} decisions in force: {s:.1f} s")
        s, _ = timed("export", out, "--format", "xlsx", "-o", Path(tmp) / "all.xlsx")
        size = (Path(tmp) / "all.xlsx").stat().st_size
        print(f"export --format xlsx: {s:.1f} s, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
