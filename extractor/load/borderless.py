"""Tables printed without rules: lines whose words fall into the same columns.

Such a table is written into the canonical text as space-aligned lines — each
character at the column its position on the page gives it, a CJK character two
columns wide — and read by the same space-aligned reader as ``pdftotext
-layout`` output (``extractor.cells``): one cell model for every layout.
``borderless_runs`` finds them; ``borderless_tables`` (the older reading into
cells here) is kept for OCR'd pages, whose boxes are coarse.

1. A table is a run of lines most of which split into several *segments* (words
   separated by a gap wider than a character); a title, a unit line or a
   paragraph ends it.
2. Its columns come from the body rows (those with an amount): segments that
   overlap across rows are one column. A header word over no body column (a
   column empty all the way down) makes a column of its own.
3. Header words over several columns (a merged header, printed centred) are
   written in the first column they head, which is where the reader looks for
   them, as in a ruled table; every other segment goes into the column it
   overlaps most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import parse_amount

from .canonical import Glyph
from .layout import Line, TableBlock, TableCell

# Lines that sit by a table but are never part of it.
_FURNITURE = re.compile(r"^\s*(单位[：:]|金额单位|部门[名称]*[：:]|编制单位|预算年度|填报单位|注[：:]|说明[：:])")
_GAP = 0.8  # a gap wider than this many characters separates two cells


@dataclass
class Segment:
    glyphs: list[Glyph]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    def text(self) -> str:
        return "".join(g.text for g in self.glyphs).strip()


def segments(line: Line) -> list[Segment]:
    out: list[list[Glyph]] = []
    prev = None
    for g in line.glyphs:
        if g.text.isspace():
            continue
        if prev is None or g.x0 - prev.x1 > _GAP * max(g.size, prev.size):
            out.append([])
        out[-1].append(g)
        prev = g
    return [Segment(gs, min(g.top for g in gs), max(g.bottom for g in gs)) for gs in out]


def _is_amount(text: str) -> bool:
    return parse_amount(text) is not None


def _is_lanci(texts: list[str]) -> bool:
    """The 栏次 row numbering the columns (栏次 1 2 3 …)."""
    values = [t for t in texts if t]
    if values and values[0] in ("栏次", "档次"):
        return True
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def borderless_tables(lines: list[Line]) -> tuple[list[TableBlock], list[Line]]:
    """The borderless tables among ``lines``, and the lines left as text."""
    segs = [segments(ln) for ln in lines]
    tables: list[TableBlock] = []
    rest: list[Line] = []
    i = 0
    while i < len(lines):
        end = _table_end(lines, segs, i)
        if end - i >= 2:
            block = _read_table(lines[i:end], segs[i:end])
            if block is not None:
                tables.append(block)
                i = end
                continue
        rest.append(lines[i])
        i += 1
    return tables, rest


@dataclass
class SpacedBlock:
    """Lines of a borderless table, to be written where their characters stand on the page."""

    lines: list[Line]
    top: float
    bottom: float


def borderless_runs(lines: list[Line]) -> tuple[list[SpacedBlock], list[Line]]:
    """The runs of lines that make borderless tables, and the lines left as text."""
    segs = [segments(ln) for ln in lines]
    blocks: list[SpacedBlock] = []
    rest: list[Line] = []
    i = 0
    while i < len(lines):
        end = _table_end(lines, segs, i)
        if end - i >= 2:
            blocks.append(SpacedBlock(lines[i:end], lines[i].top, lines[end - 1].bottom))
            i = end
            continue
        rest.append(lines[i])
        i += 1
    return blocks, rest


def _row_like(line: Line, segs: list[Segment]) -> bool:
    return len(segs) >= 2 and not _FURNITURE.match(line.text())


def _table_end(lines: list[Line], segs: list[list[Segment]], start: int) -> int:
    """Where the table starting at ``start`` ends (``start`` itself when no table starts there)."""
    if not _row_like(lines[start], segs[start]):
        return start
    x0, x1 = lines[start].x0, lines[start].x1
    end = start + 1
    last_row = start
    while end < len(lines):
        line = lines[end]
        pitch = line.top - lines[end - 1].bottom
        if pitch > 2.5 * line.size or _FURNITURE.match(line.text()):
            break
        if _row_like(line, segs[end]):
            last_row = end
        elif not (line.x0 >= x0 - line.size and line.x1 <= x1 + line.size and len(line.glyphs) < 60):
            break  # a paragraph: wider than the table, or long
        x0, x1 = min(x0, line.x0), max(x1, line.x1)
        end += 1
    rows = sum(1 for k in range(start, last_row + 1) if _row_like(lines[k], segs[k]))
    return last_row + 1 if rows >= 2 else start


def _read_table(lines: list[Line], segs: list[list[Segment]]) -> TableBlock | None:
    body = [k for k, ss in enumerate(segs)
            if any(_is_amount(s.text()) for s in ss) and not _is_lanci([s.text() for s in ss])]
    # A table printed empty (本表无数据) has only its header: its words are its columns.
    first_body = body[0] if body else len(segs) - 1
    header_end = next((k for k in range(first_body) if _is_lanci([s.text() for s in segs[k]])), first_body)
    columns = _columns([s for k in range(header_end, len(segs)) for s in segs[k]])
    header = [s for k in range(header_end) for s in segs[k]]
    for s in header:
        if not any(_overlap(s.x0, s.x1, c0, c1) > 0 for c0, c1 in columns):
            columns.append((s.x0, s.x1))
    columns.sort()
    columns = _merge_overlapping(columns)
    if len(columns) < 2:
        return None
    bounds = _bounds(columns)
    rows: list[list[TableCell]] = []
    rows += _header_rows(header, columns, bounds)
    for k in range(header_end, len(lines)):
        row = _place(segs[k], columns, bounds)
        if row:
            rows.append(row)
    return TableBlock(bounds, rows, lines[0].top, lines[-1].bottom, ruled=False)


def _columns(segs: list[Segment]) -> list[tuple[float, float]]:
    """x-extents of the columns: segments of different rows that overlap are one column."""
    spans = sorted((s.x0, s.x1) for s in segs)
    return _merge_overlapping(spans)


def _merge_overlapping(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 < out[-1][1] - 0.5:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _bounds(columns: list[tuple[float, float]]) -> list[float]:
    """Column boundaries halfway between neighbouring columns (for writing each cell where it starts)."""
    xs = [columns[0][0] - 1.0]
    for (_, a1), (b0, _) in zip(columns, columns[1:]):
        xs.append((a1 + b0) / 2)
    xs.append(columns[-1][1] + 1.0)
    return xs


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _column_of(seg: Segment, columns: list[tuple[float, float]]) -> int:
    best = max(range(len(columns)), key=lambda c: (_overlap(seg.x0, seg.x1, *columns[c]),
                                                    -abs(seg.xc - sum(columns[c]) / 2)))
    return best


def _cell(segs: list[Segment], bounds: list[float], c: int) -> TableCell:
    lines = [s.glyphs for s in sorted(segs, key=lambda s: (s.top, s.x0))]
    return TableCell(bounds[c] + 0.01, bounds[c + 1], lines)


def _place(segs: list[Segment], columns, bounds) -> list[TableCell]:
    by_col: dict[int, list[Segment]] = {}
    for s in segs:
        by_col.setdefault(_column_of(s, columns), []).append(s)
    return [_cell(ss, bounds, c) for c, ss in sorted(by_col.items())]


def _header_rows(header: list[Segment], columns, bounds) -> list[list[TableCell]]:
    """The header as at most two rows: words heading several columns (written in the first of them),
    then each column's own header words, top to bottom (a wrapped header reads as one)."""
    if not header:
        return []
    spanning: dict[int, list[Segment]] = {}
    own: dict[int, list[Segment]] = {}
    homes = {id(s): _column_of(s, columns) for s in header}
    for s in header:
        cols = _headed_columns(s, header, columns, homes)
        (spanning if len(cols) > 1 else own).setdefault(cols[0], []).append(s)
    rows = []
    if spanning:
        rows.append([_cell(ss, bounds, c) for c, ss in sorted(spanning.items())])
    if own:
        rows.append([_cell(ss, bounds, c) for c, ss in sorted(own.items())])
    return rows


def _headed_columns(seg: Segment, header: list[Segment], columns, homes: dict[int, int]) -> list[int]:
    """The columns a header word heads: its own, and those beside it that have header words below it
    and none level with it (a merged header cell is centred over the columns it spans)."""
    home = homes[id(seg)]
    below = {homes[id(s)] for s in header if s.top >= seg.bottom - 0.5}
    level = {homes[id(s)] for s in header if s is not seg and s.top < seg.bottom and seg.top < s.bottom}
    if home not in below:
        return [home]  # nothing under it: it heads its column alone (a header merged downwards)
    cols = [home]
    for step in (-1, 1):
        c = home + step
        while 0 <= c < len(columns) and c in below and c not in level:
            cols.append(c)
            c += step
    return sorted(cols)
