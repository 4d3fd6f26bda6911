"""How much verifying adds to `run`: the stages of `run` per corpus document, timed in-process (CPU time).

    python benchmarks/bench_verify.py [--repeat 20]

`run` per document (``work.read_document`` and the writer) = load + extract +
verify + settle (apply the decisions, the result's JSON, the queue's rows, the
summary's counts) + write (the file, atomically). The figure that matters is
verify's time against everything else `run` does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.export import result_json, write_atomic  # noqa: E402
from extractor.load import load_document  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402
from extractor.review.apply import apply_decisions  # noqa: E402
from extractor.review.store import QueueRows  # noqa: E402
from extractor.work import Tally  # noqa: E402
from verify import verify_result  # noqa: E402

STAGES = ("load", "extract", "verify", "settle", "write")


def time_stages(path: Path, out: Path) -> dict[str, float]:
    clock = time.process_time
    t = [clock()]
    doc = load_document(path)
    t.append(clock())
    result = extract_document(doc)
    t.append(clock())
    verify_result(result, doc.text)
    t.append(clock())
    apply_decisions(result, doc.text, [])
    text = result_json(result)
    QueueRows.of(result), Tally.of(result)
    t.append(clock())
    write_atomic(out / f"{doc.name}.json", text)
    t.append(clock())
    return dict(zip(STAGES, (b - a for a, b in zip(t, t[1:]))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    paths = sorted((ROOT / "examples").glob("*.txt"))
    grand: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            stages: dict[str, float] = defaultdict(float)
            for _ in range(args.repeat):
                for k, v in time_stages(path, Path(tmp)).items():
                    stages[k] += v
                    grand[k] += v
            rest = sum(v for k, v in stages.items() if k != "verify")
            print(f"{path.stem}: " + ", ".join(f"{k} {v / args.repeat * 1000:.1f} ms" for k, v in stages.items())
                  + f" — verify adds {stages['verify'] / rest:.0%}")
    rest = sum(v for k, v in grand.items() if k != "verify")
    n = args.repeat * len(paths)
    print(f"corpus: verify {grand['verify'] / n * 1000:.1f} ms per document, "
          f"the rest of run {rest / n * 1000:.1f} ms — verifying adds {grand['verify'] / rest:.0%} to run")


if __name__ == "__main__":
    main()
