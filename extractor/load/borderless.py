"""Tables printed without rules: lines whose words fall into the same columns.

Such a table is written into the canonical text as space-aligned lines — each
character at the column its position on the page gives it, a CJK character two
columns wide — and read by the same space-aligned reader as ``pdftotext
-layout`` output (``extractor.cells``): one cell model for every layout.
``borderless_runs`` finds them, for text layers and OCR'd pages alike.

1. A table is a run of lines most of which split into several *segments* (words
   separated by a gap wider than a character); a title, a unit line or a
   paragraph ends it.
2. Its columns are not decided here: the lines are written where they stand,
   and the space-aligned reader finds the columns, merged headers included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .canonical import Glyph
from .layout import Line

# Lines that sit by a table but are never part of it.
_FURNITURE = re.compile(r"^\s*(单位[：:]|金额单位|部门[名称]*[：:]|编制单位|预算年度|填报单位|注[：:]|说明[：:])")
_GAP = 0.8  # a gap wider than this many characters separates two cells


class Segment(Line):
    """A run of a line's glyphs with no wide gap inside: one cell's text, as far as positions tell."""

    def text(self) -> str:
        return super().text().strip()


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
        elif line.x1 > x1 + line.size or len(line.glyphs) >= 60 or (line.x0 < x0 - line.size and line.x1 - line.x0 > 0.6 * (x1 - x0)):
            break  # a paragraph: past the table's right edge, or long; a short word left of it is a header's (序号)
        x0, x1 = min(x0, line.x0), max(x1, line.x1)
        end += 1
    rows = sum(1 for k in range(start, last_row + 1) if _row_like(lines[k], segs[k]))
    return last_row + 1 if rows >= 2 else start
