"""HTML tables inside a text file (.md from MinerU, docling or marker: a table as <table><tr><td>… between the
paragraphs) written as the canonical text's tab-separated rows.

The markup states every cell, so nothing is guessed: a cell spanning columns (colspan) or rows (rowspan) is written
in its top-left position with empty cells for the rest, as the canonical text of a workbook writes a merged cell.
A line break inside a cell (``<br>``: a word or a figure wrapped in its narrow cell) joins the pieces, as in a
Markdown pipe cell. Text outside the tables is kept as it is. The markup is parsed by the standard library's
``html.parser``; each table starts and ends on a line of its own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_OPEN = "<table"
_CLOSE = "</table>"


def has_html_tables(text: str) -> bool:
    # Asked of every text file: the tags looked for in the text as it is, not in a lowered copy of all of it.
    # (ASCII case only: lowering turns no other character into the tags' letters.)
    return all(tag.search(text) for tag in _TAGS)


_TAGS = (re.compile(re.escape(_OPEN), re.I | re.A), re.compile(re.escape(_CLOSE), re.I | re.A),
         re.compile(r"<t[dh]", re.I | re.A))


def with_tables_as_rows(text: str) -> str:
    """``text`` with every <table>…</table> written as tab-separated rows, one per <tr>."""
    low = text.lower()
    out: list[str] = []
    at = 0
    while True:
        start = low.find(_OPEN, at)
        end = low.find(_CLOSE, start) if start >= 0 else -1
        if start < 0 or end < 0:
            break
        end += len(_CLOSE)
        before = text[at:start]
        out.append(before)
        if before and not before.endswith("\n"):
            out.append("\n")
        rows = _grid(text[start:end])
        out.append("\n".join("\t".join(row) for row in rows))
        if not text.startswith("\n", end) and not text.startswith("\r\n", end):
            out.append("\n")
        at = end
    out.append(text[at:])
    return "".join(out)


class _Cells(HTMLParser):
    """The rows of one table: each a list of (text, colspan, rowspan)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []
        self.depth = 0  # tables open (a table inside a cell is read as that cell's text)
        self.cell: list[str | None] | None = None  # the cell's text so far; None where a <br> was
        self.spans = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self._close_cell()
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self._close_cell()
            if not self.rows:
                self.rows.append([])
            named = dict(attrs)
            self.cell, self.spans = [], (_span(named.get("colspan")), _span(named.get("rowspan")))
        elif tag == "br" and self.cell is not None:
            self.cell.append(None)  # a line break in the cell: the pieces join

    def handle_endtag(self, tag):
        if tag == "table":
            if self.depth == 1:
                self._close_cell()
            self.depth -= 1
        elif self.depth == 1 and tag in ("td", "th", "tr"):
            self._close_cell()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def _close_cell(self) -> None:
        if self.cell is not None:
            # Wrapped pieces join, as a pipe cell's <br>; spaces and newlines within a piece are one space.
            pieces, piece = [], []
            for part in [*self.cell, None]:
                if part is None:
                    pieces.append(" ".join("".join(piece).split()))
                    piece = []
                else:
                    piece.append(part)
            text = "".join(pieces)
            self.rows[-1].append((text, *self.spans))
            self.cell = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _grid(markup: str) -> list[list[str]]:
    """The table's rows of cells, every cell kept: spanned positions empty."""
    parser = _Cells()
    parser.feed(markup)
    parser.close()
    parser._close_cell()
    taken: dict[tuple[int, int], bool] = {}  # (row, column) covered by a cell above that spans rows
    grid: list[list[str]] = []
    for r, cells in enumerate(parser.rows):
        row: list[str] = []
        c = 0
        for text, colspan, rowspan in cells:
            while taken.get((r, c)):
                row.append("")
                c += 1
            row.append(text)
            row.extend([""] * (colspan - 1))
            for k in range(1, rowspan):
                for j in range(c, c + colspan):
                    taken[(r + k, j)] = True
            c += colspan
        while taken.get((r, c)):
            row.append("")
            c += 1
        if any(row):
            grid.append(row)
    return grid
