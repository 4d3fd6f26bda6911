"""Real converters: the corpus printed to PDF, turned back into text by the tools people use, and read.

The layout-variant suite (``bench_variants.py``) rewrites the text the way converters do; this one runs
the converters themselves. Each corpus document is printed by ``tests/pdfdocs.py`` (reportlab; ruled and
borderless tables), then read four ways, each compared with the original text's run
(``tests/layout_invariance.py``: same facts, no new error flags):

    pdf              our PDF loader (text layer → canonical text)
    pdftotext-layout ``pdftotext -layout`` (poppler-utils): columns by runs of spaces, a form feed per page
    pdftotext        ``pdftotext`` (no options): reading order, cells on their own lines
    pdftotext-raw    ``pdftotext -raw``: content-stream order

    python benchmarks/bench_converters.py                       # 000 002 003, ruled and borderless
    python benchmarks/bench_converters.py --docs 003 --styles ruled --details
    python benchmarks/bench_converters.py --write out/conv      # keep the PDFs and the converters' texts

pdftotext comes from Debian's poppler-utils (``apt-get install poppler-utils``); without it only the
``pdf`` rows are measured.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from layout_invariance import Run, compare, run_text  # noqa: E402
from layout_variants import corpus_text  # noqa: E402
from pdfdocs import Options, render  # noqa: E402

STYLES = {"ruled": Options(), "borderless": Options(ruled=False)}
CONVERTERS = {"pdftotext-layout": ["-layout"], "pdftotext": [], "pdftotext-raw": ["-raw"]}


def read_pdf(path: Path) -> Run:
    from extractor.load import load_document
    from extractor.pipeline import run_file

    started = time.perf_counter()
    result = run_file(path)
    return Run(result=result, text=load_document(path).text, seconds=time.perf_counter() - started)


def converted(pdf: Path, flags: list[str]) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *flags, str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", nargs="+", default=["000", "002", "003"])
    ap.add_argument("--styles", nargs="+", default=list(STYLES), choices=list(STYLES))
    ap.add_argument("--readers", nargs="+", default=["pdf", *CONVERTERS], choices=["pdf", *CONVERTERS])
    ap.add_argument("--details", action="store_true", help="also print the missing, extra and new flags")
    ap.add_argument("--write", type=Path, metavar="DIR", help="keep the PDFs and converted texts in DIR")
    args = ap.parse_args(argv)

    have_pdftotext = shutil.which("pdftotext") is not None
    if not have_pdftotext:
        print("pdftotext not found (apt-get install poppler-utils): measuring our PDF loader only", file=sys.stderr)
    folder = args.write or Path(tempfile.mkdtemp(prefix="bench-converters-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| doc | PDF | read by | facts | recall | extra | new err | ambig | unread | time (s) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for doc in args.docs:
        original = run_text(doc, corpus_text(doc), folder)
        for style in args.styles:
            pdf = render(corpus_text(doc), folder / f"{doc}_{style}.pdf", STYLES[style])
            for reader in args.readers:
                if reader == "pdf":
                    run = read_pdf(pdf)
                elif not have_pdftotext:
                    continue
                else:
                    run = run_text(f"{doc}_{style}_{reader}", converted(pdf, CONVERTERS[reader]), folder)
                c = compare(original, run)
                print(f"| {doc} | {style} | {reader} | {c.facts_original} | {c.recall:.1%} | {len(c.extra)} "
                      f"| {len(c.new_errors)} | {c.ambiguous} | {c.unread_variant} | {run.seconds:.2f} |")
                if args.details:
                    print("\n".join("    " + ln for ln in c.summary(limit=12).split("\n")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
