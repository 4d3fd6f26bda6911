"""A second PDF producer: the corpus as HTML pages printed to PDF by a browser, read by our PDF loader.

Every PDF the other benchmarks read comes from reportlab (``tests/pdfdocs.py``). Disclosures people download are
also printed from web pages or exported by office suites; this prints each corpus document with Debian's chromium
(``tests/htmldocs.py``: paragraphs, ``<table>``s with or without borders, merged header cells, repeated
``<thead>``, A4 portrait or landscape) and compares our loader's reading with the text path's
(``tests/layout_invariance.py``: the same facts, no new error flags).

    python benchmarks/bench_chromium.py                             # 000 002 003 × ruled/borderless × portrait/landscape/mixed
    python benchmarks/bench_chromium.py --docs 003 --styles ruled --orientations portrait --details
    python benchmarks/bench_chromium.py --write out/chromium       # keep the HTML, the PDFs and their texts

Needs chromium (``apt-get install chromium``), Playwright (``pip install '.[test]'``) and a Chinese font
(``apt-get install fonts-wqy-microhei``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from htmldocs import HtmlOptions, browser_page, chromium_problem, page_html, print_pdf  # noqa: E402
from layout_invariance import Run, compare, run_text  # noqa: E402
from layout_variants import corpus_text  # noqa: E402

STYLES = {"ruled": HtmlOptions(), "borderless": HtmlOptions(ruled=False),
          # the browser's own print header and footer (date and title; URL and "3/14") on every page
          "ruled-furniture": HtmlOptions(browser_furniture=True)}
ORIENTATIONS = {"portrait": False, "landscape": True, "mixed": False}  # mixed: wide tables on landscape pages


def read_pdf(path: Path) -> Run:
    from extractor.load import load_document
    from extractor.pipeline import run_file

    started = time.perf_counter()
    result = run_file(path)
    return Run(result=result, text=load_document(path).text, seconds=time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", nargs="+", default=["000", "002", "003"])
    ap.add_argument("--styles", nargs="+", default=["ruled", "borderless"], choices=list(STYLES))
    ap.add_argument("--orientations", nargs="+", default=list(ORIENTATIONS), choices=list(ORIENTATIONS))
    ap.add_argument("--details", action="store_true", help="also print the missing, extra and new flags")
    ap.add_argument("--write", type=Path, metavar="DIR", help="keep the HTML, PDFs and canonical texts in DIR")
    args = ap.parse_args(argv)

    problem = chromium_problem()
    if problem:
        print(f"cannot print with chromium: {problem}", file=sys.stderr)
        return 2
    folder = args.write or Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| doc | tables | page | pages | facts | recall | extra | new err | ambig | unread | print (s) | read (s) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with browser_page() as page:
        for doc in args.docs:
            original = run_text(doc, corpus_text(doc), folder)
            for style in args.styles:
                for orientation in args.orientations:
                    options = STYLES[style]
                    if orientation == "mixed":
                        options = replace(options, wide_landscape=True)
                    html = page_html(corpus_text(doc), options)
                    if args.write:
                        (folder / f"{doc}_{style}_{orientation}.html").write_text(html, encoding="utf-8")
                    pdf = folder / f"{doc}_{style}_{orientation}.pdf"
                    started = time.perf_counter()
                    print_pdf(page, html, pdf, ORIENTATIONS[orientation], options)
                    printing = time.perf_counter() - started
                    run = read_pdf(pdf)
                    if args.write:
                        pdf.with_suffix(".txt").write_text(run.text, encoding="utf-8")
                    c = compare(original, run)
                    pages = len(run.result.geometry.pages) if getattr(run.result, "geometry", None) else "?"
                    print(f"| {doc} | {style} | {orientation} | {pages} | {c.facts_original} | {c.recall:.1%} "
                          f"| {len(c.extra)} | {len(c.new_errors)} | {c.ambiguous} | {c.unread_variant} "
                          f"| {printing:.2f} | {run.seconds:.2f} |", flush=True)
                    if args.details:
                        print("\n".join("    " + ln for ln in c.summary(limit=12).split("\n")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
