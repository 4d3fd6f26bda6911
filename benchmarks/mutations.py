"""Mutation benchmark for the verifier: change one digit of one amount, see whether a flag points at it.

For every number of the standard tables of the chosen documents, every digit
of it is replaced by every other digit (or by a random sample of those
mutations with --sample), the document is run through the whole pipeline
(load → chunk → read → verify), and the mutation counts as caught when a flag
that the unmodified document does not raise has a span covering the changed
character.

Rates are given for money amounts (万元 columns) and for quantities (the
`count` columns: 数量, 面积, 台/辆) separately: no relation in a disclosure
constrains most quantities, so most of their mutations cannot be caught.

    python benchmarks/mutations.py                       # full run: 000, 002, 003
    python benchmarks/mutations.py --sample 300 --seed 1 # what CI runs
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.load import Document, load_document  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402
from verify import verify_result  # noqa: E402
from schemas import spec_for  # noqa: E402
from verify.values import view_tables  # noqa: E402

DEFAULT_DOCS = ("000", "002", "003")


def _run(doc: Document, text: str):
    mutated = Document(path=doc.path, text=text, encoding=doc.encoding,
                       sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(mutated), text)


def _signature(flag) -> tuple:
    return flag.check, tuple(sorted(f.path for f in flag.fields))


def column_type(path: str) -> str:
    """"amount" for money columns, "count" for quantities (by the registry's column type)."""
    kind, col = path.split("[", 1)[0].split("#")[0], path.rsplit(".", 1)[1]
    return "count" if spec_for(kind).column(col).type == "count" else "amount"


def mutations(doc: Document) -> list[tuple[str, int, str]]:
    """(value path, character offset, replacement digit) for every digit of every standard-table number."""
    result = _run(doc, doc.text)
    out = []
    for view in view_tables(result):
        for (key, col), val in view.vals.items():
            for s, e in val.amount.parts:
                for pos in range(s, e):
                    if doc.text[pos].isdigit():
                        out.extend((val.path, pos, d) for d in "0123456789" if d != doc.text[pos])
    return out


_DOC: Document | None = None
_BASE: set = set()


def _init(path: str) -> None:
    global _DOC, _BASE
    _DOC = load_document(path)
    _BASE = {_signature(f) for f in _run(_DOC, _DOC.text).flags}


def _try(m: tuple[str, int, str]) -> tuple[str, int, str, bool, str]:
    path, pos, digit = m
    text = _DOC.text[:pos] + digit + _DOC.text[pos + 1:]
    flags = _run(_DOC, text).flags
    hits = [f for f in flags if _signature(f) not in _BASE and any(s <= pos < e for s, e in f.spans)]
    return path, pos, digit, bool(hits), hits[0].check if hits else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", nargs="*", default=list(DEFAULT_DOCS), help="document number prefixes")
    ap.add_argument("--sample", type=int, default=0, help="mutations per document (0 = all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--min-rate", type=float, default=0.0, help="exit 1 below this caught rate (0..1)")
    args = ap.parse_args()

    total = caught = 0
    by_type = {"amount": [0, 0], "count": [0, 0]}
    missed_all: list[str] = []
    by_check: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for prefix in args.docs:
        path = next((ROOT / "examples").glob(f"{prefix}_*.txt"))
        doc = load_document(path)
        todo = mutations(doc)
        amounts = len({m[0] for m in todo})
        if args.sample and args.sample < len(todo):
            todo = random.Random(args.seed).sample(todo, args.sample)
        with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(str(path),)) as pool:
            results = list(pool.map(_try, todo, chunksize=16))
        missed = [r for r in results if not r[3]]
        for r in results:
            if r[3]:
                by_check[r[4]] += 1
            by_type[column_type(r[0])][0] += 1
            by_type[column_type(r[0])][1] += r[3]
        n, c = len(results), len(results) - len(missed)
        total, caught = total + n, caught + c
        print(f"{doc.name}: {amounts} numbers, {n} mutations, {c} caught ({c / n:.2%})")
        per_value: dict[str, list[str]] = defaultdict(list)
        for p, pos, digit, _, _ in missed:
            per_value[p].append(f"@{pos} {doc.text[pos]}→{digit}")
        for p, items in sorted(per_value.items()):
            missed_all.append(f"  {doc.name} {p} ({len(items)}): {', '.join(items[:12])}{' …' if len(items) > 12 else ''}")
    rate = caught / total if total else 1.0
    print(f"all: {total} mutations, {caught} caught ({rate:.2%}) in {time.perf_counter() - started:.0f} s")
    for typ, (n, c) in by_type.items():
        if n:
            label = "money amounts (万元 columns)" if typ == "amount" else "quantities (count columns)"
            print(f"  {label}: {n} mutations, {c} caught ({c / n:.2%})")
    print("caught by check: " + ", ".join(f"{k} {v}" for k, v in sorted(by_check.items(), key=lambda kv: -kv[1])))
    if missed_all:
        print("missed:")
        print("\n".join(missed_all))
    if rate < args.min_rate:
        sys.exit(1)


if __name__ == "__main__":
    main()
