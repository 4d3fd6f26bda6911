"""PDF reading speed: our loader (text layer → canonical text with boxes) against pdfplumber's own
``extract_tables`` on the same files, in pages per second.

    python benchmarks/bench_pdf.py [--repeat 3] [--variants ruled,borderless]

The PDFs are the corpus documents 000, 002 and 003 printed by tests/pdfdocs.py
(ruled and borderless), made in a temporary folder. Each timing opens the file
afresh; the best of ``--repeat`` runs is kept (the machine is shared). pdfplumber's
figure is ``page.extract_tables()`` for every page (its default table settings);
ours is ``load_document`` (every page: characters, rules, tables, text lines,
the canonical text and its boxes). The aim: ours at most 1.5× pdfplumber's time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractor.load import load_document  # noqa: E402


def plumber_tables(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def ours(path: Path) -> int:
    return len(load_document(path).geometry.pages)


def best(fn, path: Path, repeat: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        pages = fn(path)
        times.append(time.perf_counter() - t)
    return min(times), pages


def main() -> None:
    from pdfdocs import Options, render

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default="ruled,borderless")
    args = parser.parse_args()
    docs = {p.name[:3]: p for p in sorted((ROOT / "examples").glob("*.txt")) if p.name[:3] in ("000", "002", "003")}
    total_ours = total_plumber = total_pages = 0.0
    print(f"{'file':<22}{'pages':>6}{'pdfplumber s':>14}{'ours s':>9}{'pdfplumber p/s':>16}{'ours p/s':>10}{'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for variant in args.variants.split(","):
            for name, src in docs.items():
                path = Path(tmp) / f"{name}_{variant}.pdf"
                render(src.read_text(encoding="utf-8"), path, Options(ruled=variant == "ruled"))
                t_plumber, pages = best(plumber_tables, path, args.repeat)
                t_ours, _ = best(ours, path, args.repeat)
                total_ours += t_ours
                total_plumber += t_plumber
                total_pages += pages
                print(f"{path.name:<22}{pages:>6}{t_plumber:>14.2f}{t_ours:>9.2f}{pages / t_plumber:>16.1f}"
                      f"{pages / t_ours:>10.1f}{t_ours / t_plumber:>7.2f}")
    print(f"{'all':<22}{int(total_pages):>6}{total_plumber:>14.2f}{total_ours:>9.2f}"
          f"{total_pages / total_plumber:>16.1f}{total_pages / total_ours:>10.1f}{total_ours / total_plumber:>7.2f}")


if __name__ == "__main__":
    main()
