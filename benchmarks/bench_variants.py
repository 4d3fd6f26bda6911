"""Layout-variant benchmark: how much of each document the reader still gets when the layout changes.

Each corpus document is rewritten by every variant of ``tests/layout_variants.py`` (other delimiters,
dropped empty cells, 类 | 款 | 项 code columns, other page furniture and titles, ``pdftotext -layout``
alignment, wrapped headers, combinations; never an amount changed), run through the whole pipeline
like any input, and compared with the original's run (``tests/layout_invariance.py``):

    facts     values the original yields (tables + cards)
    recall    share of them the variant yields with the same (table kind, row, column) key and value
    tables / cards   the same, split
    extra     values of the variant the original does not have (misplaced or invented)
    new err   error flags the variant raises and the original does not
    ambig     values flagged read.ambiguous in the variant
    unread    sections the variant leaves unread (the original: none)
    spans     values whose span does not hold them, or that the verifier had to re-point
    time      seconds for the variant's whole run (best of --repeat), and the original's for reference

    python benchmarks/bench_variants.py                        # every variant of 000, 002, 003
    python benchmarks/bench_variants.py --variants space_aligned --docs 000 --details
    python benchmarks/bench_variants.py --write out/variants   # the variant texts, to look at or `run`
    python -m extractor run out/variants/000_space_aligned.txt --out out
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from layout_invariance import compare, run_text  # noqa: E402
from layout_variants import VARIANTS, corpus_text, corpus_variant  # noqa: E402

DEFAULT_DOCS = ("000", "002", "003")


def best_run(name: str, text: str, folder: Path, repeat: int):
    runs = [run_text(name, text, folder) for _ in range(max(1, repeat))]
    best = min(runs, key=lambda r: r.seconds)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", nargs="+", default=list(DEFAULT_DOCS), help="corpus documents by id (000 002 003)")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS), metavar="VARIANT")
    ap.add_argument("--repeat", type=int, default=3, help="time each run this many times and keep the best")
    ap.add_argument("--details", action="store_true", help="also print the missing, extra and new flags")
    ap.add_argument("--write", type=Path, metavar="DIR", help="write each variant's text to DIR/<doc>_<variant>.txt")
    ap.add_argument("--list", action="store_true", help="list the variants and what each models, then stop")
    args = ap.parse_args(argv)

    if args.list:
        for v in VARIANTS.values():
            print(f"{v.name:28s} {v.models}")
        return 0
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for doc in args.docs:
            for name in args.variants:
                (args.write / f"{doc}_{name}.txt").write_text(corpus_variant(doc, name), encoding="utf-8")
        print(f"wrote {len(args.docs) * len(args.variants)} variant texts to {args.write}")

    folder = Path(tempfile.mkdtemp(prefix="bench-variants-"))
    head = (f"| variant | doc | facts | recall | tables | cards | extra | new err | ambig | unread | spans "
            f"| time (s) |\n|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(head)
    totals: dict[str, list[int]] = {}
    for name in args.variants:
        for doc in args.docs:
            text = corpus_variant(doc, name)
            if text == corpus_text(doc):
                print(f"| {name} | {doc} | (layout unchanged: nothing this variant rewrites) |")
                continue
            original = best_run(doc, corpus_text(doc), folder, args.repeat)
            variant = best_run(f"{doc}_{name}", text, folder, args.repeat)
            c = compare(original, variant)
            (tm, tt), (cm, ct) = c.recall_of(cards=False), c.recall_of(cards=True)
            spans = len(c.span_misses) + c.span_fixes
            print(f"| {name} | {doc} | {c.facts_original} | {c.recall:.1%} | {tm}/{tt} | {cm}/{ct} | {len(c.extra)} "
                  f"| {len(c.new_errors)} | {c.ambiguous} | {c.unread_variant} | {spans} "
                  f"| {variant.seconds:.3f} ({original.seconds:.3f}) |")
            t = totals.setdefault(name, [0, 0, 0, 0])
            t[0] += c.facts_original
            t[1] += c.matched
            t[2] += len(c.new_errors)
            t[3] += c.unread_variant
            if args.details:
                print("\n".join("    " + ln for ln in c.summary(limit=12).split("\n")))
    if len(args.docs) > 1:
        print("\n| variant | facts | recall | new err | unread |\n|---|---|---|---|---|")
        for name, (facts, matched, errors, unread) in totals.items():
            print(f"| {name} | {facts} | {matched / facts:.1%} | {errors} | {unread} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
