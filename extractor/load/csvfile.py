"""Comma-separated files (.csv): the rows of cells into the canonical text, as a one-sheet workbook.

Statistics portals export budget tables as CSV, often in GBK and sometimes with
``;`` or tabs between cells. The text is decoded as a text file is (``text.py``),
its delimiter is sniffed, and its rows are written as the canonical text's
tab-separated rows (``sheet.py``), quoted cells (``"1,234.56"``) whole. Cells
are kept as printed; runs map them to their row and column. The document's encoding is the one detected
(``gb18030`` for GBK), as for a text file; ``geometry.kind`` says it was a CSV.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

from schemas import Geometry, PageInfo

from .base import Document, LoadError
from .canonical import TextBuilder
from .sheet import titled_by_name, write_sheet
from .text import decode_bytes

_DELIMITERS = ",;\t|"


def load_csv(path: Path, data: bytes, sha256: str) -> Document:
    text, encoding = decode_bytes(path, data)
    grid = _rows(path, text)
    out = TextBuilder()
    if titled_by_name(path.stem, grid):
        out.write(f"{path.stem.strip()}\n")
    write_sheet(out, grid, 1)
    canonical = out.text()
    if not canonical.strip():
        raise LoadError(path, "the CSV file has no cells with text or numbers")
    width = max((len(r) for r in grid), default=0)
    geometry = Geometry(kind="csv", text_sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                        pages=[PageInfo(number=1, width=width, height=len(grid), name=path.name)], runs=out.runs)
    return Document(path=path, text=canonical, encoding=encoding, sha256=sha256, geometry=geometry)


def _rows(path: Path, text: str) -> list[list[str]]:
    lines = text.splitlines()
    try:
        return [[" ".join(cell.split()) for cell in row]
                for row in csv.reader(lines, delimiter=_delimiter(lines[:400]))]
    except csv.Error as exc:
        raise LoadError(path, f"not a readable CSV file: {exc}") from None


def _delimiter(lines: list[str]) -> str:
    """The delimiter that parts the most lines into the same number of cells (two or more). A title or a
    ``单位：万元`` line above the table has none, which defeats ``csv.Sniffer``; commas when nothing parts."""
    best, best_score = ",", 0
    for d in _DELIMITERS:
        try:
            widths = Counter(len(row) for row in csv.reader(lines, delimiter=d) if len(row) > 1)
        except csv.Error:
            continue
        score = max(widths.values(), default=0)
        if score > best_score:
            best, best_score = d, score
    return best
