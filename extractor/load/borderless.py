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
from dataclasses import dataclass, field

from .canonical import Glyph
from .layout import Line

# Lines that sit by a table but are never part of it.
_FURNITURE = re.compile(r"^\s*(单位[：:]|金额单位|部门[名称]*[：:]|编制单位|预算年度|填报单位|注[：:]|说明[：:])")
_TITLE = re.compile(r"表\s*([（(]续[)）])?$")  # a table's title (…支出表, …绩效目标表（续）)
_NOTE = re.compile(r"^\s*(注|说明)\s*[：:]")
PAGE_NUMBER = re.compile(r"^[\s—–\-·]*(第\s*)?\d{1,4}(\s*页)?(\s*[/，,]?\s*共\s*\d+\s*页)?[\s—–\-·]*$")
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
    moves: dict[int, float] = field(default_factory=dict)  # header words written over their column (by glyph id)
    # Header lines printed again at the top of a continuation page, taken out: (page, line), written after
    # the document's text like a ruled table's repeated rows.
    repeated: list[tuple[int, Line]] = field(default_factory=list)
    frame: tuple[float, float] | None = None  # (left, unit) of the part it continues, to write in its columns


def borderless_runs(lines: list[Line]) -> tuple[list[SpacedBlock], list[Line]]:
    """The runs of lines that make borderless tables, and the lines left as text."""
    segs = [segments(ln) for ln in lines]
    blocks: list[SpacedBlock] = []
    rest: list[Line] = []
    i = 0
    while i < len(lines):
        end = _table_end(lines, segs, i)
        if end > i:
            start = i
            while rest and start > 0 and rest[-1] is lines[start - 1] and _header_word_above(lines[start - 1], lines[i:end]):
                start -= 1
                rest.pop()  # the header's top word (功能分类科目 centred over the columns it heads)
            blocks.append(SpacedBlock(lines[start:end], lines[start].top, lines[end - 1].bottom))
            i = end
            continue
        rest.append(lines[i])
        i += 1
    return blocks, rest


def _header_word_above(line: Line, table: list[Line]) -> bool:
    gap = table[0].top - line.bottom
    if len(table) >= 2 and gap > line.size and table[1].top - table[0].bottom <= _NEAR * line.size \
            and same_pitch(_middle(table[0]) - _middle(line), [_middle(table[1]) - _middle(table[0])], line.size):
        gap = 0.0  # header rows set tall: the word is as far above the header's first line as the next one is below
    return len(segments(line)) == 1 and not stands_alone(line.text()) and header_word_above(
        line.x0, line.x1, line.size, gap, line.size - table[0].size,
        min(ln.x0 for ln in table), max(ln.x1 for ln in table))


_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")


def header_words(rows: list[list[str]]) -> set[str]:
    """The words of a table's header: its rows (cell or segment texts) above the first printing an amount."""
    words: set[str] = set()
    for row in rows[:6]:
        if any(_AMOUNT.match(w) for w in row):
            break
        words.update(w for w in row if w)
    return words


def repeats_header(line: Line, words: set[str]) -> bool:
    """A line printing only words of a table's header (or, for longer ones, parts of them: a header cell
    wrapped otherwise on this page)."""
    segs = [s.text() for s in segments(line)]
    joined = "".join(words)
    return bool(segs) and all(w in words or (len(w) >= 2 and w in joined) for w in segs)


def stands_alone(text: str) -> bool:
    """A title (…表) or a unit, department or note line: by a table, never a part of it."""
    return bool(_FURNITURE.match(text) or _TITLE.search(text.strip()))


def header_word_above(x0: float, x1: float, size: float, gap: float, size_change: float,
                      table_x0: float, table_x1: float) -> bool:
    """A word alone right above a table (``gap`` over it), set like it and inside its width, clear of its
    edges: the top of its header (功能分类科目, 本年收入, centred over the columns they head). A title is set
    apart or larger, a unit line at the edge."""
    return gap <= size and abs(size_change) <= 0.15 * size and x0 > table_x0 + size and x1 < table_x1 - size


def paragraph_beside(x0: float, x1: float, size: float, table_x0: float, table_x1: float) -> bool:
    """Text running past a table's right edge, or from left of it most of its width: a paragraph after
    it. A short word left of it is a label centred in a tall row or over two header rows (效益指标, 序号)."""
    return x1 > table_x1 + size or (x0 < table_x0 - size and x1 - x0 > 0.6 * (table_x1 - table_x0))


def _row_like(line: Line, segs: list[Segment]) -> bool:
    return len(segs) >= 2 and not _FURNITURE.match(line.text()) and not title_line(line, segs)


def title_line(line: Line, segs: list[Segment] | None = None) -> bool:
    """A table's title however its words are spaced: an office suite sets a centred title's year in another
    font, or justifies it (东湖示范区农业农村局 | 2025 | 年支出总表), so it splits into cells like a row. Split,
    it is a few pieces naming a year's budget or accounts; a row ending in a word …表 (a card's 数据来源 工资表)
    is not."""
    segs = segments(line) if segs is None else segs
    text = "".join(s.text() for s in segs)
    return len(segs) <= 3 and bool(_TITLE.search(text)) and bool(_TITLE_YEAR.search(text))


_TITLE_YEAR = re.compile(r"(19|20)\d\d\s*年|预算|决算")


_NEAR = 2.5  # lines this many characters apart or nearer may be rows of one table, however they are set


def same_pitch(pitch: float, others: list[float], size: float) -> bool:
    """``pitch`` is one of ``others`` (distances between rows of a table), give or take a rounding of the layout."""
    return any(abs(pitch - o) <= max(0.25 * size, 0.05 * o) for o in others)


def _rows_follow(lines: list[Line], segs: list[list[Segment]], k: int, start: int) -> bool:
    return at_row_pitch(lines, k, start, lambda j: _row_like(lines[j], segs[j]))


def at_row_pitch(rows: list, k: int, start: int, side_by_side) -> bool:
    """Row (or line) ``k`` follows ``k - 1`` in the table that starts at ``start``: set near it, or as far from it
    as the table's rows are from each other. Rows set tall (a row height of three or four lines of its type) are
    evenly spaced, their padding between their lines whatever the row height is; a table's end is not. The row
    pitch (middle to middle: a cell wrapped over two lines is centred in its row) is learnt from the table's own
    rows: two printing cells side by side (``side_by_side(j)``) at this pitch, these two or the next two, or
    header lines set near each other half of it apart (a cell merged over two rows is centred between them)."""
    size = rows[k].size
    if rows[k].top - rows[k - 1].bottom <= _NEAR * size:
        return True
    pitch = _middle(rows[k]) - _middle(rows[k - 1])
    if pitch > 15 * size:
        return False  # half a page of nothing: whatever follows is not the table's
    pitches = []
    for j in range(start + 1, k):
        p = _middle(rows[j]) - _middle(rows[j - 1])
        if side_by_side(j) and side_by_side(j - 1):
            pitches.append(p)
        if rows[j].top - rows[j - 1].bottom <= _NEAR * size:
            pitches.append(2 * p)
    if k + 1 < len(rows) and side_by_side(k) and side_by_side(k + 1):
        pitches.append(_middle(rows[k + 1]) - _middle(rows[k]))
    return same_pitch(pitch, [p for p in pitches if p > (_NEAR + 1) * size], size)


def _middle(row) -> float:
    return (row.top + row.bottom) / 2


def _table_end(lines: list[Line], segs: list[list[Segment]], start: int) -> int:
    """Where the table starting at ``start`` ends (``start`` itself when no table starts there)."""
    if not _row_like(lines[start], segs[start]):
        return start
    x0, x1 = lines[start].x0, lines[start].x1
    end = start + 1
    last_row = start
    while end < len(lines):
        line = lines[end]
        if not _rows_follow(lines, segs, end, start) or _FURNITURE.match(line.text()):
            break
        if _TITLE.search(line.text().strip()) and not _row_like(line, segs[end]):
            break  # the next table's title, set like the rows: never a row of this one
        if abs(line.size - lines[start].size) > 0.15 * lines[start].size:
            break  # another size of type: a page's running footer (a browser's address and page count), a title
        if _row_like(line, segs[end]):
            last_row = end
        elif len(line.glyphs) >= 60 or paragraph_beside(line.x0, line.x1, line.size, x0, x1):
            break
        x0, x1 = min(x0, line.x0), max(x1, line.x1)
        end += 1
    rows = sum(1 for k in range(start, last_row + 1) if _row_like(lines[k], segs[k]))
    if rows == 1 and len(segs[start]) >= 3 and start > 0 and stands_alone(lines[start - 1].text()) \
            and all(PAGE_NUMBER.match(line.text()) for line in lines[start + 1:]):
        # A header under its title or unit line at the foot of a page: its rows (or the note saying there
        # are none) are on the next. Written as a line of text, its cells would run together.
        return start + 1
    if rows == 1 and len(segs[start]) >= 3:
        # A header, an empty 合计 line or two, then the note saying why (注：本表无数据): an empty table.
        k = start + 1
        while k < min(len(lines), start + 3) and len(segs[k]) == 1 and len(lines[k].text().strip()) <= 6:
            k += 1
        if k < len(lines) and _NOTE.match(lines[k].text()):
            return k
    return last_row + 1 if rows >= 2 else start


def values_under_heads(lines: list[Line]) -> dict[int, float]:
    """How far to move each figure of a borderless table with a row or two (by glyph id) to stand under its header.

    A table of one row gives the column finder little to go on: its figures, set flush right in wide columns,
    stand under no header word, each header centred over its column (公务用车购置费 over 263–327 pt, its 0.00 at
    327–344 pt). The header's geometry tells their columns: a column's header is centred between its edges, and
    a right-aligned figure ends at its column's right edge (less the cell's padding). So a figure belongs to the
    last header whose centre lies left of its right edge, and the edges its figures imply centre the headers
    over them: the midpoint of two neighbouring figures' right edges is the header's centre between them, less
    the padding the other pairs leave. Only figures that a neighbour shows so set are moved (flush right under
    their headers, boxes unchanged); when one is not, nothing is: the placement is the reader's to propose.
    """
    segs = [segments(line) for line in lines]
    body = next((k for k, ss in enumerate(segs) if any(_AMOUNT.match(s.text()) for s in ss)), None)
    if not body or len(lines) - body > 2 or any(not _header_line(ss) for ss in segs[:body]):
        return {}  # many rows (the column finder's to read), or rows without figures above (序号, codes)
    head = [s for ss in segs[:body] for s in ss]
    leaves = sorted((s for s in head if not any(o.top > s.bottom - 0.5 and _across(o, s) > 0 for o in head)),
                    key=lambda s: s.x0)
    if len(leaves) < 2 or any(a.x1 > b.x0 for a, b in zip(leaves, leaves[1:])):
        return {}
    bands: list[list[Segment]] = []
    for s in sorted((s for ss in segs[body:] for s in ss if _AMOUNT.match(s.text())), key=lambda s: s.x0):
        if bands and _across(bands[-1][-1], s) > 0:
            bands[-1].append(s)
        else:
            bands.append([s])
    if not any(all(_across(leaf, s) <= 0 for leaf in leaves for s in band) for band in bands):
        return {}  # every figure stands under a header word: the reader places it
    centre = [(leaf.x0 + leaf.x1) / 2 for leaf in leaves]
    size = max(leaf.size for leaf in leaves)
    places: list[int] = []
    for band in bands:
        right = max(s.x1 for s in band)
        at = max((i for i, c in enumerate(centre) if c < right), default=None)
        over = {i for i, leaf in enumerate(leaves) for s in band if _across(leaf, s) > 0}
        if at is None or (over and over != {at}) or (places and at <= places[-1]):
            return {}
        places.append(at)
    # Each pair of neighbouring figures: the padding their right edges leave if the header between is centred.
    pads = {(n, n + 1): centre[places[n + 1]] - (max(s.x1 for s in bands[n]) + max(s.x1 for s in bands[n + 1])) / 2
            for n in range(len(bands) - 1) if places[n + 1] == places[n] + 1}
    if not pads:
        return {}
    middle = sorted(pads.values())[len(pads) // 2]
    flush = {n for pair, pad in pads.items() if -0.2 * size <= pad <= 1.5 * size and abs(pad - middle) <= 0.3 * size
             for n in pair}
    moves: dict[int, float] = {}
    for n, (at, band) in enumerate(zip(places, bands)):
        if all(_across(leaves[at], s) <= 0 for s in band):
            if n not in flush:
                return {}  # no neighbour shows the figure set flush right in these columns: not certain
            shift = leaves[at].x1 - max(s.x1 for s in band)
            moves.update((id(g), shift) for s in band for g in s.glyphs)
    return moves


def _header_line(segs: list[Segment]) -> bool:
    """A line of header words, or the 栏次 line numbering the columns (1 2 3 …): no row's number or code."""
    numbers = [s.text() for s in segs if any(ch.isdigit() for ch in s.text())]
    return not numbers or (len(numbers) >= 2 and all(n.isdigit() for n in numbers) and len(segs) - len(numbers) <= 1
                           and [int(n) for n in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers))))


def _across(a: Line, b: Line) -> float:
    """How far two pieces of text overlap across the page (negative: the gap between them)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0)
