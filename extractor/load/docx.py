"""Word documents (.docx, python-docx): paragraphs as lines and tables as tab rows, in the body's order.

A merged cell is one cell that python-docx returns at every position it covers:
its text goes in the first position, the others are written empty. There are
no pages in a .docx; runs map each paragraph and cell to its table (the "page"
is 0 for the text outside tables) and its row and column.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from schemas import Geometry

from .base import Document, LoadError
from .canonical import TextBuilder


def load_docx(path: Path, data: bytes, sha256: str) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise LoadError(path, f"damaged .docx file ({type(exc).__name__}: {str(exc)[:120]})") from None
    out = TextBuilder()
    tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            _put(out, item.text, 0, 0, 0)
            out.write("\n")
        elif isinstance(item, Table):
            tables += 1
            out.write("\n")
            for r, row in enumerate(item.rows):
                seen = set()
                for c, cell in enumerate(row.cells):
                    if c:
                        out.write("\t")
                    if id(cell._tc) in seen or any(cell._tc is prev for prev in _above(item, r, c)):
                        continue
                    seen.add(id(cell._tc))
                    _put(out, cell.text, tables, r, c)
                out.write("\n")
            out.write("\n")
    text = out.text()
    if not text.strip():
        raise LoadError(path, "the document has no text")
    geometry = Geometry(kind="docx", text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), runs=out.runs)
    return Document(path=path, text=text, encoding="docx", sha256=sha256, geometry=geometry)


def _above(table, r: int, c: int):
    """The cell at the same position in the row above (a cell merged downwards is the same cell)."""
    if r == 0:
        return ()
    cells = table.rows[r - 1].cells
    return (cells[c]._tc,) if c < len(cells) else ()


def _put(out: TextBuilder, text: str, table: int, row: int, col: int) -> None:
    start = out.pos
    out.write(" ".join(text.replace("\t", " ").split()))
    if out.pos > start:
        out.runs.append((start, out.pos, table, float(col), float(row), float(col + 1), float(row + 1)))
