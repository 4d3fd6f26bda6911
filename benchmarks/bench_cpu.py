"""Benchmark: CPU milliseconds per document of the deterministic path, in-process (no process start, no pool).

    python benchmarks/bench_cpu.py [--rounds 5] [--repeat 10] [--stages] [--profile 25] [--variants]

Each round reads the corpus documents `--repeat` times with `work.read_document` (what a worker of
`run --jobs N` does for one document: load, chunk, read tables and cards, choose, verify, the result's
JSON, the queue's rows, the summary's counts) and with `pipeline.run_file` (load, read, verify: the
issue's measure). CPU time (`time.process_time`); the best round is printed, since other users of a
shared machine only ever add time. `--stages` also splits `run_file` and the result's JSON into the
pipeline's stages (in the best round), by timing the functions the pipeline calls (wrapped here, in
the benchmark; no product code carries a timer). `--profile N` then prints the N functions with the most cumulative
time under cProfile (which inflates call-heavy code; read it for where, not for how much).
`--variants` also times `run_file` on every layout variant of 000, 001, 002, 003 (``tests/layout_variants.py``:
the layouts other converters and provinces print), best of `--rounds`, and prints the mean per variant family.
Not a test: figures go in docs/measured.md (key ones in the README).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import extractor.pipeline as pipeline  # noqa: E402
from extractor.export import result_json  # noqa: E402
from extractor.pipeline import RunOptions, run_file  # noqa: E402
from extractor.work import read_document  # noqa: E402
from machine import machine_line  # noqa: E402  (benchmarks/machine.py, beside this script)

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


# The functions `pipeline.run_file` calls, by stage.
STAGES = {
    "load": ("load_document",),
    "chunk": ("split_lines", "document_meta", "line_titles", "contents_entries", "chunk_document"),
    "tables": ("read_table",),
    "cards": ("read_card",),
    "choose": ("choose_readings",),
    "verify": ("verify_result",),
}


def stage_split(rounds: int, repeat: int) -> tuple[float, dict[str, float]]:
    """CPU ms per document of each stage of `run_file` and of the result's JSON, in the best round."""
    spent: dict[str, float] = defaultdict(float)

    def timed(stage, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - start
        return wrapper

    originals = {name: getattr(pipeline, name) for names in STAGES.values() for name in names}
    for stage, names in STAGES.items():
        for name in names:
            setattr(pipeline, name, timed(stage, originals[name]))

    def document(path: Path) -> None:
        result = pipeline.run_file(path)
        start = time.process_time()
        result_json(result)
        spent["json"] += time.process_time() - start

    try:
        best = None
        n = repeat * len(DOCS)
        for _ in range(rounds):
            spent.clear()
            start = time.process_time()
            for _ in range(repeat):
                for path in DOCS:
                    document(path)
            total = (time.process_time() - start) * 1000 / n
            if best is None or total < best[0]:
                best = (total, {k: v * 1000 / n for k, v in spent.items()})
        return best
    finally:
        for name, fn in originals.items():
            setattr(pipeline, name, fn)


def variant_ms(rounds: int) -> dict[str, list[float]]:
    """CPU ms of `run_file` on each layout variant of each corpus document (best of ``rounds``), by variant."""
    sys.path.insert(0, str(ROOT / "tests"))
    from layout_variants import VARIANTS, corpus_variant

    out: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for doc in ("000", "001", "002", "003"):
            for variant in VARIANTS:
                path = Path(tmp) / f"{doc}_{variant}.txt"
                path.write_text(corpus_variant(doc, variant), encoding="utf-8")
                run_file(path)  # warm
                best = float("inf")
                for _ in range(rounds):
                    start = time.process_time()
                    run_file(path)
                    best = min(best, (time.process_time() - start) * 1000)
                out[variant].append(best)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--stages", action="store_true", help="split run_file and the JSON into stages")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--variants", action="store_true", help="run_file on every layout variant, by family")
    args = parser.parse_args()
    print(machine_line(load=True))
    for name, fn in (("read_document (a worker's whole job)", worker), ("run_file (load, read, verify)", run_file)):
        best, rounds = best_ms_per_doc(fn, args.rounds, args.repeat)
        print(f"{name:40} best {best:6.1f} CPU ms/doc   rounds: {' '.join(f'{r:.1f}' for r in rounds)}")
    if args.stages:
        total, split = stage_split(args.rounds, args.repeat)
        parts = ", ".join(f"{k} {v:.1f}" for k, v in split.items())
        print(f"stages of run_file + JSON (best round, {total:.1f} ms/doc): {parts}, "
              f"the rest {total - sum(split.values()):.1f}")
    if args.variants:
        by_variant = variant_ms(args.rounds)
        every = [ms for times in by_variant.values() for ms in times]
        print(f"run_file on {len(every)} layout variants: mean {sum(every) / len(every):.1f} CPU ms/doc, "
              f"max {max(every):.1f}")
        for variant, times in by_variant.items():
            print(f"  {variant:28} mean {sum(times) / len(times):7.1f}   000/001/002/003: "
                  f"{' '.join(f'{t:.0f}' for t in times)}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for path in DOCS:
            worker(path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
