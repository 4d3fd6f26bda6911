"""Borderless tables whose cells wrap over several lines: rows told apart by the page's geometry.

Written as space-aligned text, such a table loses what tells its rows apart: a card's
label printed one character a line (``项`` / ``目`` / ``编`` / ``码``) beside a code, a
name wrapped in a narrow column, an indicator's cells centred in a tall row. The page
still shows it, because a cell's wrapped lines sit closer together than two rows do
(the row's padding lies between rows, never inside a cell). So here:

1. **Pieces.** A line is cut where the print leaves a gap (``pieces``); a line holding
   characters printed one above another is split first (``_unstacked``).
2. **Stacks.** A piece and the piece right under it, overlapping it across and nearer
   than ``_LINK`` of a character below it, are one cell's lines.
3. **Rows.** The lines a stack runs over, and the lines centred between them, are one row.
4. **Tables.** A run of rows with several cells side by side (a single one when a cell
   in it wraps), titles, unit lines and paragraphs ending it, cut where its header is
   printed again, becomes a table of cells like a ruled one when a cell in it wraps.
   Tables whose cells keep to one line are left to the space-aligned reader
   (``borderless.py``), whose column finder reads their headers as well or better.
5. **Columns.** Bands across the page from the body's rows, the fullest rows first: their
   cells are side by side, so each is a column. Header words go where a ruled table writes
   them (``_header_places``): a merged cell's text in its top-left position.

docs/pdf.md says what this reads and what it does not yet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .borderless import _FURNITURE, Segment, at_row_pitch, header_word_above, paragraph_beside, stands_alone, \
    title_line
from .layout import Line, TableBlock, TableCell

_LINK = 0.45  # a cell's next line starts at most this many characters below the line before it
_NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")
# A value in a cell: an amount, a count or a target with its unit (8.23, ≥99%, ≤2小时, 335套).
_WHOLE_VALUE = re.compile(r"^[≥≤<>＜＞=]?\s*-?[\d,]*\d(\.\d+|\s*(%|[^\d\s.,%]{1,3}))$")
_WRAPPED_DIGITS = re.compile(r"^\d{1,2}$")
_VALUE = re.compile(r"^[≥≤<>＜＞=]?\s*-?[\d,]+(\.\d+)?\s*[^\d\s]{0,3}$")


@dataclass
class Stack:
    """One cell's lines, top to bottom: (index of the line, the segment of it)."""

    parts: list[tuple[int, Segment]]

    @property
    def x0(self) -> float:
        return min(s.x0 for _, s in self.parts)

    @property
    def x1(self) -> float:
        return max(s.x1 for _, s in self.parts)

    @property
    def top(self) -> float:
        return self.parts[0][1].top

    @property
    def bottom(self) -> float:
        return self.parts[-1][1].bottom

    @property
    def size(self) -> float:
        return max(g.size for _, s in self.parts for g in s.glyphs)

    def text(self) -> str:
        return "".join(s.text() for _, s in self.parts)


@dataclass
class Row:
    lines: list[Line]
    stacks: list[Stack] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(s.top for s in self.stacks)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.stacks)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.stacks)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.stacks)

    @property
    def size(self) -> float:
        return max(s.size for s in self.stacks)

    def cells_side_by_side(self) -> bool:
        return len(self.stacks) >= 2 and not _FURNITURE.match(self.lines[0].text()) and not self.title()

    def title(self) -> bool:
        """The next table's title, however its words are spaced: never a row."""
        return len(self.lines) == 1 and title_line(self.lines[0])

    def wraps(self) -> bool:
        return any(len(s.parts) >= 2 for s in self.stacks)


def wrapped_tables(lines: list[Line]) -> tuple[list[TableBlock], list[Line]]:
    """The tables of wrapped cells among a page's lines (top to bottom), and the lines left over."""
    lines = [part for line in lines for part in _unstacked(line)]
    rows = rows_of(lines, stacks_of(lines))
    tables: list[TableBlock] = []
    taken: set[int] = set()
    for start, end in table_runs(rows):
        run = rows[start:end]
        if _rows_need_geometry(run):
            tables.extend(table_of(part) for part in _parts(run))
            taken.update(id(line) for row in run for line in row.lines)
    return tables, [line for line in lines if id(line) not in taken]


def _unstacked(line: Line) -> list[Line]:
    """A line that holds characters printed one above another is two lines.

    Lines are glyphs that overlap vertically, and the overlap chains: cells centred at many heights (a
    header whose words wrap in narrow columns) can join a cell's two lines into one, their characters
    interleaved (物品 over 名称 read 物名品称). Such a line is grouped again, each glyph joining a line only
    when it overlaps that line's first glyph.
    """
    glyphs = [g for g in line.glyphs if not g.text.isspace()]
    if not any(_stacked(a, b) for a, b in zip(glyphs, glyphs[1:])):
        return [line]
    parts: list[Line] = []
    for g in sorted(line.glyphs, key=lambda g: (g.yc, g.x0)):
        home = next((p for p in parts if min(p.glyphs[0].bottom, g.bottom) - max(p.glyphs[0].top, g.top)
                     >= 0.5 * min(p.glyphs[0].bottom - p.glyphs[0].top, g.bottom - g.top)), None)
        if home is None:
            parts.append(Line([g], g.top, g.bottom))
        else:
            home.glyphs.append(g)
            home.top, home.bottom = min(home.top, g.top), max(home.bottom, g.bottom)
    for part in parts:
        part.glyphs.sort(key=lambda g: g.x0)
    return sorted(parts, key=lambda p: p.top)


def _stacked(a, b) -> bool:
    """Two characters printed (mostly) at one place across: on different lines."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def _parts(rows: list[Row]) -> list[list[Row]]:
    """A run cut where a header row is printed again: a new table (or part) starts there, whose columns
    need not line up with the part before. A lone word of the header printed a little above it goes with it,
    and so does a row above it printing only words of the part's header (its group row: 收入 … 支出)."""
    cuts = [0]
    for k in range(1, len(rows)):
        if _new_grid(rows, k, cuts[-1]) or _off_grid(rows, k, cuts[-1]):
            cuts.append(k)
            continue
        if _repeats(rows[k], rows[:k]):
            part = rows[cuts[-1]:k]
            body = cuts[-1] + _body_start(part)
            header = {st.text() for row in rows[cuts[-1]:body] for st in row.stacks}
            cut = k
            while cut - 1 > cuts[-1] and (
                    len(rows[cut - 1].stacks) == 1 and rows[cut - 1].bottom > rows[cut].top
                    or cut - 1 > body and {st.text() for st in rows[cut - 1].stacks} <= header):
                cut -= 1
            cuts.append(cut)
    cuts.append(len(rows))
    return [rows[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _new_grid(rows: list[Row], k: int, since: int) -> bool:
    """Row ``k`` starts a table set on other columns (a card's indicators drawn as a table of their own,
    right under its head): its cells and the next row's line up with each other, as the row above and those
    over it do, and none but one of them with the rows above it. (A row of one piece between the two, a cell's
    tail under a header printed again, shows no columns: the row after it is the next row.)"""
    below = next((row for row in rows[k + 1:k + 3] if len(row.stacks) >= 2), None)
    if below is None or k - since < 2 or min(len(rows[k].stacks), len(below.stacks)) < 4:
        return False
    above = [st for row in rows[max(since, k - 3):k] if len(row.stacks) >= 3 for st in row.stacks]
    if len(above) < 8:
        return False
    # Cells centred in their columns line up with nothing: only rows that show a grid, above and below, tell.
    grid_above = _aligned(rows[k - 1].stacks, [st for row in rows[max(since, k - 4):k - 1] for st in row.stacks])
    return _aligned(rows[k].stacks, below.stacks) >= max(3, 0.6 * len(rows[k].stacks)) \
        and grid_above >= max(3, 0.6 * len(rows[k - 1].stacks)) and _aligned(rows[k].stacks, above) <= 1


def _off_grid(rows: list[Row], k: int, since: int) -> bool:
    """Row ``k`` and the row under it are set on other columns than the body rows above them (a table drawn
    with its own column widths right under another, its header centred over columns of its own): most of
    their cells stand across a gap between the columns above. A cell of a row on the same columns stands
    inside one column, over whole ones (a merged cell), or in a column the rows above leave empty."""
    # A label alone in its row (一级指标 centred in a tall cell beside the rows it spans) shows no columns.
    below = next((row for row in rows[k + 1:] if len(row.stacks) >= 2), None)
    if below is None or len(rows[k].stacks) < 2:
        return False
    part = rows[since:k]
    body = [row for row in part[_body_start(part):] if len(row.stacks) >= 3]
    if len(body) < 2:
        return False
    bands = column_bands(body)
    if _across_columns(rows[k], bands) and _across_columns(below, bands):
        return True
    # Set apart by more than the rows above are (a table of its own, drawn under the other), on columns
    # that do not all line up with theirs.
    return _set_apart(rows, k, since) and _strays(rows[k], bands) and _strays(below, bands)


def _set_apart(rows: list[Row], k: int, since: int) -> bool:
    gaps = sorted(b.top - a.bottom for a, b in zip(rows[since:k], rows[since + 1:k]))
    if len(gaps) < 2:
        return False
    gap = rows[k].top - rows[k - 1].bottom
    return gap >= 2 * max(gaps[len(gaps) // 2], 0.1 * rows[k].size) and gap >= 0.8 * rows[k].size


def _strays(row: Row, bands: list[Band]) -> bool:
    """A cell of the row stands in no column of ``bands``, or across or mostly beside one."""
    for st in row.stacks:
        over = [b for b in bands if _overlap(b, st) > 0.2 * row.size]
        if not over or _off_columns(st, over, row.size):
            return True
    return False


def _across_columns(row: Row, bands: list[Band]) -> bool:
    """Most of the row's cells that stand in the columns (two at least) stand across a gap between two, or
    mostly beside the one they touch; or all its cells stand in gaps between them. (A cell in a column the
    rows above leave empty says nothing alone: the row's other cells tell.)"""
    size = row.size
    placed = across = 0
    for st in row.stacks:
        over = [b for b in bands if _overlap(b, st) > 0.2 * size]
        if not over:
            continue
        placed += 1
        if _off_columns(st, over, size):
            across += 1
    if placed == 0:
        # Every cell in a gap the rows above leave between their columns: a grid of its own, set there.
        return len(row.stacks) >= 2 and bands[0][0] <= row.x0 and row.x1 <= bands[-1][1]
    return across >= max(2, (placed + 1) // 2)


def _off_columns(st: Stack, over: list[Band], size: float) -> bool:
    if len(over) >= 2:
        return not _covers(st, over, size)
    return _overlap(over[0], st) < 0.5 * (st.x1 - st.x0)


def _covers(st: Stack, over: list[Band], size: float) -> bool:
    """A merged cell's text filling the columns it stands over (a long one, wrapped across them)."""
    return st.x0 <= over[0][0] + 0.5 * size and st.x1 >= over[-1][1] - 0.5 * size


def _aligned(stacks: list[Stack], others: list[Stack]) -> int:
    """How many of ``stacks`` start or end where one of ``others`` does."""
    return sum(1 for st in stacks
               if any(abs(st.x0 - o.x0) <= 1.5 or abs(st.x1 - o.x1) <= 1.5 for o in others))


def _repeats(row: Row, earlier: list[Row]) -> bool:
    """A header row printed again: all its words but one (a cell's tail cut off by the page, printed beside
    it) are words of the rows above that print no value, and none of its is a value. Rows of a body share
    words too (a card's indicators their level and basis: 时效指标 … 年度工作计划), never all."""
    words = [st.text() for st in row.stacks]
    if len(words) < 3 or any(_is_value(w) for w in words):
        return False
    before = {st.text() for r in earlier if len(r.stacks) >= 3 and not any(_is_value(st.text()) for st in r.stacks)
              for st in r.stacks}
    shared = sum(1 for w in words if w in before)
    return shared >= max(3, len(words) - 1)


def _is_value(text: str) -> bool:
    return bool(_NUMBER.match(text) or _WHOLE_VALUE.match(text))


def _rows_need_geometry(rows: list[Row]) -> bool:
    """A cell wrapped over several lines: which lines make a row only their places on the page tell."""
    return any(len(st.parts) >= 2 for row in rows for st in row.stacks)


def centred_heads(lines: list[Line]) -> dict[int, float]:
    """How far to move each header word of a borderless table (by glyph id) to stand over its column.

    A header centred in a wide column whose cells are set flush left or right (科目名称 centred over names
    set from the column's left edge, codes right-aligned under 科目编码) stands over none of its cells, and
    its column's cells under no header word; written where they stand, the word would head no column. Such
    a word of the header's last row is moved over the middle of the column nearest to it, when no header
    word stands over that column and it lies between the word's neighbours. (A word over a column no row
    fills is an empty column, and stays.)"""
    rows = rows_of(lines, stacks_of(lines))
    start = _body_start(rows)
    if start == 0 or start > len(rows) - 2:
        return {}  # a row or two show no columns
    labels = [row for row in rows[:start] if not _numbers_columns(row)]
    if not labels or len(labels[-1].stacks) < 2:
        return {}
    bands = column_bands(rows[start:])
    leaves = labels[-1].stacks
    # A column is headed by a word over it in the last row, or by one higher up with no word of the last row
    # under it (序号 centred over both rows); a group word over several columns heads none of them here.
    spans_both = [st for row in labels[:-1] for st in row.stacks
                  if all(_overlap([st.x0, st.x1], leaf) <= 0 for leaf in leaves)]
    headed = [b for st in leaves + spans_both for b in bands if _overlap(b, st) > 0.5]
    moves: dict[int, float] = {}
    for i, st in enumerate(leaves):
        if any(_overlap(b, st) > 0.5 for b in bands):
            continue
        left = leaves[i - 1].x1 if i else float("-inf")
        right = leaves[i + 1].x0 if i + 1 < len(leaves) else float("inf")
        free = [b for b in bands if left < _centre(b) < right and not any(b is h for h in headed)]
        if not free:
            continue
        band = min(bands, key=lambda b: abs(_centre(b) - _centre_of(st)))
        if not any(band is b for b in free):
            continue  # nearer a column another word heads: the word's own column is empty
        shift = _centre(band) - _centre_of(st)
        if left < st.x0 + shift and st.x1 + shift < right:
            headed.append(band)
            moves.update((id(g), shift) for _, seg in st.parts for g in seg.glyphs)
    moves.update(_aligned_alike(rows[start:], bands, leaves))
    return moves


def _aligned_alike(body: list[Row], bands: list[Band], leaves: list[Stack]) -> dict[int, float]:
    """Moves that set one column's cells alike when some are set flush left and the rest flush right (a
    spreadsheet's codes stored as text and as numbers: 208050 2 from the left edge, 208 at the right).

    Two neighbouring bands are one column when no row prints in both and one header word stands over both;
    written where they stand they would read as two columns, one of them headed by nothing. The cells of the
    band set flush left are moved flush right, to the other band's right edge."""
    moves: dict[int, float] = {}
    order = sorted(bands)
    for a, b in zip(order, order[1:]):
        left = [st for row in body for st in row.stacks if _overlap(a, st) > 0.5 and _overlap(b, st) <= 0.5]
        right = [st for row in body for st in row.stacks if _overlap(b, st) > 0.5 and _overlap(a, st) <= 0.5]
        if len(left) < 1 or len(right) < 2 or any(
                any(_overlap(a, st) > 0.5 for st in row.stacks) and any(_overlap(b, st) > 0.5 for st in row.stacks)
                for row in body):
            continue
        if not any(_overlap(a, leaf) > 0.5 and _overlap(b, leaf) > 0.5 for leaf in leaves):
            continue
        size = max(st.size for st in right)
        edge = max(st.x1 for st in right)
        if edge - min(st.x1 for st in right) > 0.5 * size:
            continue  # the right band's cells are not set flush right
        for st in left:
            moves.update((id(g), edge - st.x1) for _, seg in st.parts for g in seg.glyphs)
    return moves


def stacks_of(lines: list[Line]) -> list[Stack]:
    flat = [(i, s) for i, line in enumerate(lines) for s in pieces(line)]
    # A title or a unit line never wraps into a table's cell, however close above it it is set.
    closed = {i for i, line in enumerate(lines) if stands_alone(line.text())}
    nearest = {k: n for k, n in ((k, _nearest_below(flat, k, lines)) for k in range(len(flat)))
               if n is not None and flat[k][0] not in closed and flat[n][0] not in closed}
    # Figures one above the other on lines of text show the page's line pitch as well as a table's rows do (a
    # figure never wraps onto another): the limit is taken from every figure's place, wherever it is printed.
    cut = [(i, s) for i, line in enumerate(lines) for s in pieces(line, text=False)]
    limit = _link_limit(cut, {k: n for k, n in ((k, _nearest_below(cut, k, lines)) for k in range(len(cut)))
                              if n is not None and cut[k][0] not in closed and cut[n][0] not in closed})
    values: dict[int, list[Segment]] = {}
    for i, seg in flat:
        if _WHOLE_VALUE.match(seg.text()):
            values.setdefault(i, []).append(seg)
    below: dict[int, int] = {}
    linked: set[int] = set()
    for k, n in nearest.items():
        upper, lower = flat[k][1], flat[n][1]
        if n not in linked and lower.top - upper.bottom <= limit * _size(upper) and not _two_values(upper, lower) \
                and not _overprinted(upper, lower) and not _label_over_amount(upper, lower) \
                and _one_cells_lines(upper, lower) and not _rows_apart(values, flat[k][0], flat[n][0]):
            below[k] = n
            linked.add(n)
    stacks = []
    for k in range(len(flat)):
        if k in linked:
            continue
        parts = [flat[k]]
        while k in below:
            k = below[k]
            parts.append(flat[k])
        stacks.append(Stack(parts))
    return stacks


def _one_cells_lines(upper: Segment, lower: Segment) -> bool:
    """A cell's lines share its alignment: they start at one edge, end at the other, or are centred alike. A
    group header centred over several columns (公务用车购置及运行维护费 over 小计 / 购置费 / 运行维护费, 本年拨款 over
    一般公共预算 …) lines up with none of the words under it: set close above them (small type, little leading), it
    was taken for the first line of one of them (公务用车购置及运行维护费公务用车购置费) and its columns were lost."""
    tol = 0.5 * _size(upper)
    return abs(upper.x0 - lower.x0) <= tol or abs(upper.x1 - lower.x1) <= tol \
        or abs((upper.x0 + upper.x1) / 2 - (lower.x0 + lower.x1) / 2) <= tol


def _rows_apart(values: dict[int, list[Segment]], i: int, j: int) -> bool:
    """Lines ``i`` and ``j`` each print a whole value in one column: a value never wraps onto another, so they are
    two rows, and nothing on them is one cell's two lines (rows set with no padding, their names as close as a
    wrapped name's lines: 基本公共卫生服务 over 卫生健康信息化建设, their amounts 1922.22 over 300.00)."""
    return any(min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and _two_values(a, b)
               for a in values.get(i, ()) for b in values.get(j, ()))


def _link_limit(flat: list[tuple[int, Segment]], nearest: dict[int, int]) -> float:
    """How far below a line, in characters, a cell's next line may start on this page.

    Two values one above the other (amounts, targets: 8.23 over 34.56, ≥99% over ≤2小时) are two rows: a
    value does not wrap onto another. The gap between such rows is this page's row gap, and a cell's
    wrapped lines sit closer than that (by the row's padding); rows set with little padding (a browser's
    default) are told apart so. Without such evidence, ``_LINK``.
    """
    rows = sorted((flat[n][1].top - flat[k][1].bottom) / _size(flat[k][1]) for k, n in nearest.items()
                  if _two_values(flat[k][1], flat[n][1]))
    if not rows:
        return _LINK
    return min(_LINK, rows[len(rows) // 2] - 0.1)  # the middle one: an odd pair set closer is no row gap


def _overprinted(upper: Segment, lower: Segment) -> bool:
    """Two pieces printed partly over each other: a cell's next line is set a line's height below it, so these
    are two cells' text, one spilling over the other's row (an office suite's wrapped cell in a row whose
    height was not set)."""
    return lower.top - upper.top < 0.85 * (upper.bottom - upper.top)


def _label_over_amount(upper: Segment, lower: Segment) -> bool:
    """Words over an amount with its decimals (运行维护费 over 50.00): a header's last row over the first row of
    figures set close under it, not a cell wrapped onto its next line — a label does not wrap into an amount."""
    return not any(ch.isdigit() for ch in upper.text()) and bool(_DECIMAL_AMOUNT.match(lower.text()))


_DECIMAL_AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$")


def _two_values(upper: Segment, lower: Segment) -> bool:
    """A whole value (an amount with its decimals, a figure with its unit) over another value; not a figure
    wrapped in its cell (10022.0 / 9, ≥9 / 0%)."""
    return bool(_WHOLE_VALUE.match(upper.text()) and _VALUE.match(lower.text())
                and not _WRAPPED_DIGITS.match(lower.text()))


def pieces(line: Line, text: bool = True) -> list[Segment]:
    """A line's runs of characters, cut where the print leaves a gap: a wide one, or a narrower one in
    which no space was printed (a PDF writes each cell at its place, and prints a space inside a cell).
    Pieces of one cell cut apart this way (letter-spaced 合 计) meet again in their column.

    A line of text is not cut where an office suite sets its characters a little apart: a justified line's
    slack spread between all of them (``_spread``), and the narrow gap set where Chinese meets Latin letters or
    digits (LibreOffice's 0.2 em around "2024" in 测试局 2024 年, Word's and a browser's autospace alike). Cut
    there, a paragraph's lines fell into pieces lining up with the next line's (both start at the margin) and
    read as a table of wrapped cells, the two lines interleaved word by word. A line cut anywhere else (two
    figures set close, a wide gap) is a table's row, and is cut at such gaps too: a code set close to its name
    (2101101 行政单位医疗, a browser's 1 px padding) is two cells. ``text=False``: cut at every such gap."""
    spread = _spread(line) if text else 0.0
    out: list[list] = []
    cuts: list[bool] = []  # before each piece but the first: whether it is cut off at a gap of a line of text
    prev, spaced = None, False
    for g in line.glyphs:
        if g.text.isspace():
            spaced = True
            continue
        gap = g.x0 - prev.x1 if prev is not None else 0.0
        size = max(g.size, prev.size) if prev is not None else g.size
        if prev is None or gap > 0.8 * size or (gap - spread >= 0.1 * size and not spaced):
            if prev is not None:
                cuts.append(gap <= 0.8 * size and _autospace(prev, g, gap - spread))
            out.append([])
        out[-1].append(g)
        prev, spaced = g, False
    if text and cuts and all(cuts):
        out = [[g for gs in out for g in gs]]
    return [Segment(gs, min(g.top for g in gs), max(g.bottom for g in gs)) for gs in out]


def _spread(line: Line) -> float:
    """The space a justified line sets between every two of its characters (LibreOffice and Word spread the
    line's slack over all of them: 0.1 em and more where a long number would not fit at its end); 0 on a
    table's row, whose characters touch within their cells."""
    glyphs = [g for g in line.glyphs if not g.text.isspace()]
    gaps = sorted(max(0.0, b.x0 - a.x1) for a, b in zip(glyphs, glyphs[1:]) if _wide(a.text) and _wide(b.text))
    if len(gaps) < 8:
        return 0.0
    return min(gaps[len(gaps) // 2], 0.25 * max(g.size for g in glyphs))


_AUTOSPACE = 0.3  # at most this many characters: the gap set between Chinese and Latin text (0.125–0.25 em)


def _autospace(before, after, gap: float) -> bool:
    """A gap between ``before`` and ``after`` that may be the space set where Chinese text meets Latin letters
    or digits (a superscript's type is smaller: the gap is the line's)."""
    if gap >= _AUTOSPACE * max(before.size, after.size):
        return False
    wide = [_wide(g.text) for g in (before, after)]
    return wide[0] != wide[1] and (after.text if wide[0] else before.text).isalnum()


def _wide(text: str) -> bool:
    return unicodedata.east_asian_width(text[:1]) in ("W", "F")


def _nearest_below(flat: list[tuple[int, Segment]], k: int, lines: list[Line]) -> int | None:
    """The segment on a later line nearest under segment ``k`` that overlaps it across."""
    i, upper = flat[k]
    size = _size(upper)
    best = None
    for n in range(k + 1, len(flat)):
        j, seg = flat[n]
        if lines[j].top - upper.bottom > size:
            break  # lines come top to bottom: nothing further down is near
        if j <= i or seg.top < upper.bottom - _LINK * size or seg.top - upper.bottom > size:
            continue
        if min(upper.x1, seg.x1) - max(upper.x0, seg.x0) > 0.2 * size and (best is None or seg.top < flat[best][1].top):
            best = n
    return best


def _size(seg: Segment) -> float:
    return max(g.size for g in seg.glyphs)


def rows_of(lines: list[Line], stacks: list[Stack]) -> list[Row]:
    """The lines a stack runs over, and those centred between its lines, are one row."""
    reach = list(range(len(lines)))  # the last line each line's row runs to, as far as known
    # A cell wrapped over lines the row below prints over (an office suite's row whose height was not set)
    # is that row's: a line of it, centred within the cell above, is not between that cell's lines.
    span = {i: (st.top, st.bottom) for st in stacks if len(st.parts) >= 2 for i, _ in st.parts}
    for st in stacks:
        if len(st.parts) < 2:
            continue
        inside = [i for i, line in enumerate(lines) if st.top - 0.1 <= (line.top + line.bottom) / 2 <= st.bottom + 0.1
                  and st.top - 0.1 <= span.get(i, (st.top, 0))[0] and span.get(i, (0, st.bottom))[1] <= st.bottom + 0.1]
        first, last = min(inside + [st.parts[0][0]]), max(inside + [st.parts[-1][0]])
        reach[first] = max(reach[first], last)
    rows: list[Row] = []
    row_of: dict[int, int] = {}
    i = 0
    while i < len(lines):
        end, k = reach[i], i
        while k <= end:
            end = max(end, reach[k])
            k += 1
        for n in range(i, end + 1):
            row_of[n] = len(rows)
        rows.append(Row(lines[i:end + 1]))
        i = end + 1
    for st in stacks:
        rows[row_of[st.parts[0][0]]].stacks.append(st)
    for row in rows:
        row.stacks.sort(key=lambda s: s.x0)
    return rows


def table_runs(rows: list[Row]) -> list[tuple[int, int]]:
    runs, i = [], 0
    while i < len(rows):
        end = _run_end(rows, i)
        if end > i:
            start = i
            while start > (runs[-1][1] if runs else 0) and _header_word_above(rows[start - 1], rows[start], rows[i:end]):
                start -= 1
            runs.append((start, end))
            i = end
        else:
            i += 1
    return runs


def _header_word_above(row: Row, below: Row, table: list[Row]) -> bool:
    return len(row.stacks) == 1 and not any(stands_alone(line.text()) for line in row.lines) and header_word_above(
        row.x0, row.x1, row.size, below.top - row.bottom, _typical_size(row) - _typical_size(below),
        min(r.x0 for r in table), max(r.x1 for r in table))


def _run_end(rows: list[Row], start: int) -> int:
    """Where the table starting at row ``start`` ends (``start`` when none starts there)."""
    if not rows[start].cells_side_by_side():
        return start
    x0, x1 = rows[start].x0, rows[start].x1
    size = _typical_size(rows[start])
    end = last = start + 1
    while end < len(rows):
        row = rows[end]
        if not at_row_pitch(rows, end, start, lambda j: rows[j].cells_side_by_side()) \
                or _FURNITURE.match(row.lines[0].text()):
            break
        if abs(_typical_size(row) - size) > 0.15 * size or row.title():
            break  # a title or a paragraph: a table's cells share one size of type
        if row.cells_side_by_side():
            last = end + 1
        elif paragraph_beside(row.x0, row.x1, row.size, x0, x1):
            break
        x0, x1 = min(x0, row.x0), max(x1, row.x1)
        end += 1
    side_by_side = sum(1 for row in rows[start:last] if row.cells_side_by_side())
    # One row is a table when a cell of it wraps (a card's first row at the foot of a page): text never does.
    return last if side_by_side >= 2 or rows[start].wraps() else start


def _typical_size(row: Row) -> float:
    sizes = sorted(g.size for line in row.lines for g in line.glyphs if not g.text.isspace())
    return sizes[len(sizes) // 2] if sizes else 0.0


def table_of(rows: list[Row]) -> TableBlock:
    start = _body_start(rows)
    if start >= len(rows):
        start = 0  # a header and no body (at the foot of a page): its words are all there is
    bands = column_bands(rows[start:])
    places = _header_places(rows[:start], bands)  # may add a band: a column empty in every row
    bands.sort()
    index = {id(b): i for i, b in enumerate(bands)}
    xs = [bands[0][0] - 1.0] + [(a[1] + b[0]) / 2 for a, b in zip(bands, bands[1:])] + [bands[-1][1] + 1.0]
    placed: dict[tuple[int, int], list[tuple[int | None, Stack]]] = {}
    for k, row in enumerate(rows):
        for st in row.stacks:
            at, band = places.get(id(st), ((k, 1), None))
            placed.setdefault(at, []).append((None if band is None else index[id(band)], st))
    table_rows = []
    for _, cells_of_row in sorted(placed.items()):
        columns: dict[int, list[Stack]] = {}
        for band, st in sorted(cells_of_row, key=lambda p: p[1].x0):
            columns.setdefault(_band_of(st, bands) if band is None else band, []).append(st)
        # A cell is placed by its column's left boundary (a right-aligned amount starts anywhere in it).
        table_rows.append([TableCell(xs[c] + 0.01, xs[c + 1], _cell_lines(stacks))
                           for c, stacks in sorted(columns.items())])
    return TableBlock(xs, table_rows, rows[0].top, rows[-1].bottom, ruled=False)


def _cell_lines(stacks: list[Stack]) -> list[list]:
    """A cell's lines from its pieces in one column; pieces side by side on one line."""
    if len(stacks) == 1:
        return [s.glyphs for _, s in stacks[0].parts]
    if all(len(st.parts) == 1 for st in stacks):
        return [[g for st in stacks for g in st.parts[0][1].glyphs]]
    return [s.glyphs for st in stacks for _, s in st.parts]


Band = list  # [x0, x1] of a column's printed cells


def _header_places(header: list[Row], bands: list[Band]) -> dict[int, tuple[tuple[int, int], Band]]:
    """Row and column of each header cell, where a ruled table writes it. A row is (the row it was read in, 0
    for the words above the leaves, 1 for the leaves): a header whose rows one wrapped cell made one keeps
    its two levels.

    The lowest header words are the columns' own (leaves), written in the last header row, each over its
    column: the one it stands over, else the nearest one no other leaf heads between its neighbours (a
    header centred in a wide column, its amounts to the right), else a column of its own, empty in every
    row. A word centred above several leaves heads them all: it goes to the first of them, the widest run
    of leaf columns it stands in the middle of. A cell over both header rows (centred higher than the
    leaves, over a column no leaf heads: 合计, 上年结转) goes to the first header row, as a merged cell
    keeps its text in its top-left position.
    """
    labels = [k for k, row in enumerate(header) if not _numbers_columns(row)]
    stacks = [(k, st) for k in labels for st in header[k].stacks]
    if not stacks:
        return {}
    size = max(st.size for _, st in stacks)
    leaf_line = max((_middle(st) for k, st in stacks if len(header[k].stacks) >= 2),
                    default=max(_middle(st) for _, st in stacks))
    # Below the leaves is no header word: a cell's tail cut off by the page, printed under the header again.
    stacks = [(k, st) for k, st in stacks if _middle(st) <= leaf_line + 0.3 * size]
    # Cells set to the top of their row (a Word table's default) all start level in a one-row header: each is
    # a leaf, though a wrapped one's middle is lower (一般公共预算拨 / 款 beside 上年结转).
    one_row = all(abs(st.top - stacks[0][1].top) <= 0.3 * size for _, st in stacks)
    leaves = sorted((st for _, st in stacks if one_row or _middle(st) >= leaf_line - 0.3 * size), key=lambda st: st.x0)
    # A column under a word over both header rows (序号, no leaf under it) is that word's, not a leaf's.
    reserved = [b for _, st in stacks if not any(st is leaf for leaf in leaves) for b in bands
                if _overlap(b, st) > 0.5 and all(_overlap([st.x0, st.x1], leaf) <= 0 for leaf in leaves)]
    reserved += _columns_of_words_over_both(stacks, leaves, bands)
    heads = _leaf_columns(leaves, bands, reserved)
    places = {id(st): ((labels[-1], 1), heads[id(st)]) for st in leaves}
    headed = [b for b in bands if any(b is h for h in heads.values())]
    groups, over_both = [], []
    for k, st in stacks:
        if id(st) not in places:
            under = [b for b in bands if _overlap(b, st) > 0.5] \
                or [min(bands, key=lambda b: abs(_centre(b) - _centre_of(st)))]
            (groups if any(b is h for b in under for h in headed) else over_both).append((k, st, under))
    # With no group word the header has one level: a word set higher is only centred otherwise (a cell
    # beside a wrapped one), and stays in the leaves' row.
    top = (labels[0], 0) if groups else (labels[-1], 1)
    for _, st, under in over_both:
        places[id(st)] = (top, under[0])
    for k, st, under in groups:
        others = [b for k2, other in stacks if k2 == k and other is not st for b in bands if _overlap(b, other) > 0.5]
        free = [b for b in headed if not any(b is o for o in others)]
        places[id(st)] = ((k, 0), _first_of_span(st, under, free, bands))
    if _two_rows_in_one_cell(places, [(k, st) for k, st, _ in over_both + groups]):
        # Words of two rows above the leaves meet in one cell: the higher row is no level of this header (a
        # table's first row printed again over it at the top of a page: 项目编码 … over 一级指标 …). Each
        # row's words stay in their own row.
        for k, st, under in over_both:
            places[id(st)] = ((k, 0), under[0])
    return places


def _columns_of_words_over_both(stacks: list[tuple[int, Stack]], leaves: list[Stack], bands: list[Band]) -> list[Band]:
    """The column of a word over both header rows that stands over none of its figures (合计 centred in a narrow
    column, its amounts set flush right): the nearest column between the leaves beside it. Left free, a leaf whose
    own column is empty in every row of this part (小计 of 基本支出, for rows that have no basic spending) took
    it, and the figures under 合计 were read as 小计's — and the part continued on the next page, in its own
    columns, was read a column or two off."""
    out = []
    for _, st in stacks:
        if any(st is leaf for leaf in leaves) or any(_overlap(b, st) > 0.5 for b in bands) \
                or any(_overlap([st.x0, st.x1], leaf) > 0 for leaf in leaves):
            continue
        left = max((_centre_of(leaf) for leaf in leaves if _centre_of(leaf) < _centre_of(st)), default=float("-inf"))
        right = min((_centre_of(leaf) for leaf in leaves if _centre_of(leaf) > _centre_of(st)), default=float("inf"))
        between = [b for b in bands if left < _centre(b) < right]
        if between:
            out.append(min(between, key=lambda b: abs(_centre(b) - _centre_of(st))))
    return out


def _two_rows_in_one_cell(places: dict, words: list[tuple[int, Stack]]) -> bool:
    seen: dict[tuple, int] = {}
    for k, st in words:
        at, band = places[id(st)]
        key = (at, id(band))
        if seen.setdefault(key, k) != k:
            return True
    return False


def _leaf_columns(leaves: list[Stack], bands: list[Band], reserved: list[Band] = ()) -> dict[int, Band]:
    heads: dict[int, Band] = {}
    for st in leaves:
        over = sorted((b for b in bands if _overlap(b, st) > 0.5), key=lambda b: -_overlap(b, st))
        free = [b for b in over if not any(b is h for h in heads.values())]
        if free or over:
            heads[id(st)] = (free or over)[0]
    for i, st in enumerate(leaves):
        if id(st) in heads:
            continue
        left = _centre_of(leaves[i - 1]) if i else float("-inf")
        right = _centre_of(leaves[i + 1]) if i + 1 < len(leaves) else float("inf")
        free = [b for b in bands if left < _centre(b) < right and not any(b is h for h in [*heads.values(), *reserved])]
        if free:
            heads[id(st)] = min(free, key=lambda b: abs(_centre(b) - _centre_of(st)))
        else:
            heads[id(st)] = [st.x0, st.x1]
            bands.append(heads[id(st)])
    return heads


def _first_of_span(st: Stack, under: list[Band], free: list[Band], bands: list[Band]) -> Band:
    """The first of the widest run of leaf columns, from those the word stands over, whose middle is the
    word's (a group word is centred over the columns it heads)."""
    order = sorted(bands)
    at = [i for i, b in enumerate(order) if any(b is u for u in under)]
    is_free = [any(b is f for f in free) for b in order]
    lo, hi = min(at), max(at)
    while lo - 1 >= 0 and is_free[lo - 1]:
        lo -= 1
    while hi + 1 < len(order) and is_free[hi + 1]:
        hi += 1
    centre, tolerance = _centre_of(st), 1.5 * st.size
    edges = [order[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(order, order[1:])] + [order[-1][1]]
    runs = [(a, b) for a in range(lo, min(at) + 1) for b in range(max(at), hi + 1)]
    first, _ = min(runs, key=lambda r: (abs((edges[r[0]] + edges[r[1] + 1]) / 2 - centre) > tolerance, r[0] - r[1],
                                        abs((edges[r[0]] + edges[r[1] + 1]) / 2 - centre)))
    return order[first]


def _overlap(band: Band, st: Stack) -> float:
    return min(band[1], st.x1) - max(band[0], st.x0)


def _centre(band: Band) -> float:
    return (band[0] + band[1]) / 2


def _centre_of(st: Stack) -> float:
    return (st.x0 + st.x1) / 2


def _middle(st: Stack) -> float:
    return (st.top + st.bottom) / 2


def _numbers_columns(row: Row) -> bool:
    """A row numbering the columns (栏次 1 2 3 …): numbers counting up, after one word at most."""
    numbers = [st.text() for st in row.stacks if _NUMBER.match(st.text())]
    return len(row.stacks) - len(numbers) <= 1 and _counts_columns(numbers)


def column_bands(body: list[Row]) -> list[Band]:
    """Column bands across the page from the body's rows, the fullest first; a cell of the fullest rows
    over two bands shows they are one column (left- and right-aligned cells of it)."""
    most = max(len(r.stacks) for r in body)
    bands: list[Band] = []
    for row in sorted(body, key=lambda r: -len(r.stacks)):
        for st in row.stacks:
            hit = [b for b in bands if _overlap(b, st) > 0.5]
            if not hit:
                bands.append([st.x0, st.x1])
            elif len(hit) == 1 or len(row.stacks) == most:
                for b in hit:
                    bands.remove(b)
                bands.append([min([b[0] for b in hit] + [st.x0]), max([b[1] for b in hit] + [st.x1])])
    bands.sort()
    merged: list[Band] = []
    for band in bands:
        if merged and band[0] < merged[-1][1] - 0.5:
            merged[-1][1] = max(merged[-1][1], band[1])
        else:
            merged.append(list(band))
    return merged


def _body_start(rows: list[Row]) -> int:
    """The first row printing an amount: the rows above are the header, whose words may span columns.
    A row numbering the columns (栏次: 1, 2, 3, …) is the header's."""
    for k, row in enumerate(rows):
        if _numbers_columns(row):
            return k + 1  # the header's last row: what follows is the body, a row's tail cut by the page first
        numbers = [st.text() for st in row.stacks if _NUMBER.match(st.text())]
        if numbers and not _counts_columns(numbers):
            return k
    return 0


def _counts_columns(numbers: list[str]) -> bool:
    return len(numbers) >= 2 and all(n.isdigit() for n in numbers) \
        and [int(n) for n in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))


def _band_of(st: Stack, bands: list[list[float]]) -> int:
    over = [k for k, b in enumerate(bands) if min(b[1], st.x1) - max(b[0], st.x0) > 0.5]
    if over:
        return over[0]
    centre = (st.x0 + st.x1) / 2
    return min(range(len(bands)), key=lambda k: abs((bands[k][0] + bands[k][1]) / 2 - centre))


def drop_columns_of_rows_taken(table: TableBlock, taken: list[list[TableCell]]) -> None:
    """Take out the columns only ``taken`` rows printed in (a continuation's reprinted first row, page furniture
    now): its 项目编码 set over a column of its own would leave an empty column in every body row, shifting each
    row's later cells one column right of where the part before prints them. Each such column joins its left
    neighbour (the first one its right neighbour), which its cells' places keep apart from no cell."""
    used = {table.column(cell.x0) for row in table.rows for cell in row}
    empty = sorted({table.column(cell.x0) for row in taken for cell in row} - used, reverse=True)
    for c in empty:
        if table.width <= 1 or c >= table.width:
            continue
        del table.xs[c if c > 0 else 1]
