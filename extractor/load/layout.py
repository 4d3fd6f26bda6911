"""A page's printed characters (and rules) into blocks in reading order: text lines and tables of cells.

Pure geometry, in the page's reading frame (text runs left to right, lines top to
bottom, whatever the page's rotation): the PDF loader feeds it glyphs from the
text layer, the OCR path feeds it glyphs from the recognised boxes.

- Ruled tables come from the page's lines and rectangles (pdfplumber's table
  finder, cell by cell); a merged cell keeps its text in its top-left position.
- Borderless tables come from word positions: lines whose words fall into the
  same columns (see ``borderless.py``).
- Everything else is text, line by line, with a paragraph's wrapped lines joined.
"""

from __future__ import annotations

import unicodedata

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .canonical import Glyph, TextBuilder


@dataclass
class Line:
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
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass
class TableCell:
    x0: float
    x1: float
    lines: list[list[Glyph]]  # the cell's text, line by line
    page: int | None = None  # printed on another page than its row (a sheet's columns printed on the next page)


_COLUMN_SLACK = 4.0  # points a cell may start away from its column's boundary (see ``TableBlock.column``)


@dataclass
class TableBlock:
    """A table: its column boundaries, and per row the cells that start in it (a merged cell once, at its
    top-left position; the positions it covers are written empty)."""

    xs: list[float]
    rows: list[list[TableCell]]
    top: float
    bottom: float
    ruled: bool = True
    pages: list[int] = field(default_factory=list)  # the page of each row, once stitched across pages
    # Header rows printed again at the top of a continuation page (a browser repeats <thead>), taken out of
    # the rows: (page, row). They are page furniture, written after the document's text with the overlay.
    repeated: list[tuple[int, list[TableCell]]] = field(default_factory=list)
    rules: list[float] = field(default_factory=list)  # a ruled table's row boundaries, top to bottom
    row_tops: list[float] = field(default_factory=list)  # the top boundary of each row's grid row (ruled)

    @property
    def x0(self) -> float:
        return self.xs[0]

    @property
    def x1(self) -> float:
        return self.xs[-1]

    @property
    def width(self) -> int:
        return len(self.xs) - 1

    def column(self, x: float) -> int:
        """The column a cell starting at ``x`` sits in.

        A cell starts at its column's left boundary, give or take a few points: parts of one table on
        different pages (given the same columns) are often laid out a little differently, a browser sizing
        each part's columns to its own content. The nearest boundary within that slack is the cell's.
        """
        nearest = min(range(self.width), key=lambda k: abs(self.xs[k] - x))
        if abs(self.xs[nearest] - x) <= _COLUMN_SLACK:
            return nearest
        i = bisect_right(self.xs, x + 2.0) - 1
        return min(max(i, 0), self.width - 1)


@dataclass
class PageBlocks:
    blocks: list[Line | TableBlock] = field(default_factory=list)
    overlay: list[Glyph] = field(default_factory=list)  # seals, watermarks, text at another angle
    running: list[Line] = field(default_factory=list)  # a running header or footer (date, title, URL, "3/14")


# -- lines -----------------------------------------------------------------------------------------


def group_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs into lines (by vertical overlap), each sorted left to right, lines top to bottom.

    A glyph printed over one of a line's glyphs, a little higher or lower, is on another line, however much
    the two overlap vertically: a cell's wrapped text that an office suite prints over the next row (row
    heights not set) is not that row's text, and the rows it overlaps are not one line."""
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: (g.yc, g.x0)):
        home = None
        for line in reversed(lines[-4:]):
            if _overlaps(line, g) and not _printed_over(line, g):
                home = line
                break
        if home is not None:
            home.glyphs.append(g)
            home.top, home.bottom = min(home.top, g.top), max(home.bottom, g.bottom)
        else:
            lines.append(Line([g], g.top, g.bottom))
    lines.sort(key=lambda ln: (ln.top + ln.bottom) / 2)
    for line in lines:
        line.glyphs.sort(key=lambda g: g.x0)
        line.glyphs = _dedupe(line.glyphs)
    return lines


def _overlaps(line: Line, g: Glyph) -> bool:
    overlap = min(line.bottom, g.bottom) - max(line.top, g.top)
    return overlap >= 0.5 * min(line.bottom - line.top, g.bottom - g.top, 1e9) and g.yc < line.bottom + 0.1


def _printed_over(line: Line, g: Glyph) -> bool:
    """``g`` stands over or under one of the line's glyphs, off its baseline, or on it over another character
    (two cells' text printed over each other). Fake bold and shadows print the same character on it."""
    if g.text.isspace():
        return False
    for h in line.glyphs:
        if h.text.isspace():
            continue
        across = min(h.x1, g.x1) - max(h.x0, g.x0)
        if across > 0.5 * min(h.x1 - h.x0, g.x1 - g.x0) and (
                abs(h.yc - g.yc) > 0.25 * max(h.size, g.size) or h.text != g.text):
            return True
    return False


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop a glyph printed twice at (almost) the same place: fake bold, or text laid over its shadow."""
    out: list[Glyph] = []
    for g in glyphs:
        if out and g.text == out[-1].text and abs(g.x0 - out[-1].x0) < 0.3 * g.size and abs(g.top - out[-1].top) < 0.3 * g.size:
            continue
        out.append(g)
    return out


def write_glyph_line(out: TextBuilder, glyphs: list[Glyph], page: int) -> None:
    """One line's glyphs, with a space where the print leaves a gap and no space character was printed."""
    piece: list[Glyph] = []
    prev = None
    for g in glyphs:
        if prev is not None and g.text != " " and prev.text != " " and g.x0 - prev.x1 > 0.3 * max(g.size, prev.size):
            out.glyphs(piece, page)
            out.write(" ")
            piece = []
        piece.append(g)
        prev = g
    # Spaces the PDF printed at either end of a line or cell say nothing.
    while piece and piece[-1].text.isspace():
        piece.pop()
    while piece and piece[0].text.isspace():
        piece.pop(0)
    out.glyphs(piece, page)


def spaced_frame(lines: list[Line], moves: dict[int, float] | None = None) -> tuple[float, float] | None:
    """Where a borderless table's written columns start on the page, and how wide one is: (left, unit)."""
    moves = moves or {}
    glyphs = [g for line in lines for g in line.glyphs if not g.text.isspace()]
    if not glyphs:
        return None
    sizes = sorted(g.size for g in glyphs)
    return min(g.x0 + moves.get(id(g), 0.0) for g in glyphs), max(sizes[len(sizes) // 2] / 2, 0.5)


def write_spaced_lines(out: TextBuilder, lines: list[Line], page: int, moves: dict[int, float] | None = None,
                       frame: tuple[float, float] | None = None) -> None:
    """A borderless table's lines with every character at the column its place on the page gives it.

    A column is half the table's usual character height (the width of a digit); a CJK character takes
    two. Runs of spaces then separate cells as they do in ``pdftotext -layout`` output. A word in
    ``moves`` (by glyph id) is written that far across from where it stands (a header moved over its
    column); its characters keep their boxes. ``frame`` (left, unit) writes the lines in the columns of the
    table part they continue.
    """
    moves = moves or {}

    def x0(g: Glyph) -> float:
        return g.x0 + moves.get(id(g), 0.0)

    def x1(g: Glyph) -> float:
        return g.x1 + moves.get(id(g), 0.0)

    own = spaced_frame(lines, moves)
    if own is None:
        return
    left, unit = frame or own
    left = min(left, own[0])
    for line in lines:
        col = 0
        piece: list[Glyph] = []
        spaces = [g for g in line.glyphs if g.text.isspace()]
        for g in sorted((g for g in line.glyphs if not g.text.isspace()), key=x0):
            at = round((x0(g) - left) / unit)
            if piece and (x0(g) - x1(piece[-1]) <= 0.1 * g.size or _spaced_in_cell(piece[-1], g, spaces)):
                # The next character of a word: it stays with it, wherever the font's widths (a digit is
                # rarely exactly half a CJK character wide) have carried its column.
                piece.append(g)
                col += 2 if unicodedata.east_asian_width(g.text[:1]) in ("W", "F") else len(g.text)
                continue
            if piece and at > col:
                out.glyphs(piece, page)
                piece = []
            if at > col:
                out.write(" " * (at - col))
                col = at
            elif piece and at <= col and x0(g) - x1(piece[-1]) > 0.1 * g.size:
                out.glyphs(piece, page)
                piece = []
                out.write(" ")
                col += 1
            piece.append(g)
            col += 2 if unicodedata.east_asian_width(g.text[:1]) in ("W", "F") else len(g.text)
        out.glyphs(piece, page)
        out.write("\n")


def _spaced_in_cell(before: Glyph, after: Glyph, spaces: list[Glyph]) -> bool:
    """Two ideographs (or one and a punctuation mark) with a space printed between them, closer than a
    character: one cell's text set with a space (一般公共预算 财政拨款, 合 计, 金 额 单 位 : 万 元). Chinese puts no space between words; written with one, the
    space-aligned reader would take the halves for two cells' words."""
    return bool(_in_words(before.text, after.text) and after.x0 - before.x1 < 0.8 * max(before.size, after.size)
                and any(before.x1 - 0.5 <= s.x0 and s.x1 <= after.x0 + 0.5 for s in spaces))


_IDEOGRAPH = re.compile(r"^[\u4e00-\u9fff]$")


def _in_words(before: str, after: str) -> bool:
    """Two ideographs, or an ideograph and a punctuation mark (单 位 : 万 元, letter-spaced): a cell's words."""
    def word(ch: str) -> bool:
        return bool(_IDEOGRAPH.match(ch))

    def mark(ch: str) -> bool:
        return len(ch) == 1 and unicodedata.category(ch).startswith("P")

    return (word(before) or mark(before)) and (word(after) or mark(after)) and (word(before) or word(after))


# -- ruled tables ----------------------------------------------------------------------------------


def ruled_tables(edges: list[dict], glyphs: list[Glyph]) -> tuple[list[TableBlock], list[Glyph]]:
    """Tables drawn with rules, and the glyphs left outside them."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    if len(edges) < 4:
        return [], glyphs
    merged = filter_edges(merge_edges(edges, 3, 3, 3, 3), min_length=3)
    merged += _closing_rules(merged)
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    cells = [c for c in cells if c[2] - c[0] > 2 and c[3] - c[1] > 2]
    cells = _without_frames(cells)
    tables = []
    for group in cells_to_tables(cells):
        if len(group) >= 2:
            tables.append(_Grid(group))
    if not tables:
        return [], glyphs
    rest = []
    for g in glyphs:
        for grid in tables:
            if grid.take(g):
                break
        else:
            rest.append(g)
    return [grid.block() for grid in tables], rest


def _closing_rules(edges: list[dict], tol: float = 3.0) -> list[dict]:
    """The rule a row cut by a page break lacks: where several vertical rules end at one height with no
    horizontal rule there (a browser draws a row that runs on to the next page open at the page's foot, and
    its rest open at the head of the next), a horizontal rule across them closes the row."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]

    def met(x: float, y: float) -> bool:
        return any(h["x0"] - tol <= x <= h["x1"] + tol and abs(h["top"] - y) <= tol for h in hs)

    out = []
    for end in ("top", "bottom"):
        ends = sorted((v[end], v["x0"]) for v in vs if not met(v["x0"], v[end]))
        group: list[tuple[float, float]] = []
        for y, x in ends + [(float("inf"), 0.0)]:
            if group and y - group[0][0] > tol:
                if len(group) >= 2:
                    at = sum(g[0] for g in group) / len(group)
                    x0, x1 = min(g[1] for g in group), max(g[1] for g in group)
                    out.append({"x0": x0, "x1": x1, "top": at, "bottom": at, "width": x1 - x0, "height": 0.0,
                                "orientation": "h", "object_type": "line"})
                group = []
            group.append((y, x))
    return out


def _without_frames(cells: list[tuple]) -> list[tuple]:
    """Drop a rectangle that holds other cells (a frame drawn around a table or the page)."""
    if len(cells) < 3:
        return cells
    centres = [((c[0] + c[2]) / 2, (c[1] + c[3]) / 2) for c in cells]
    out = []
    for c in cells:
        inside = sum(1 for x, y in centres if c[0] < x < c[2] and c[1] < y < c[3])
        if inside <= 1:
            out.append(c)
    return out


def _snap(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


class _Grid:
    """One ruled table: its column and row boundaries, its cells, and the glyphs inside each."""

    def __init__(self, cells: list[tuple]):
        self.xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
        self.ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
        self.x0, self.x1, self.top, self.bottom = self.xs[0], self.xs[-1], self.ys[0], self.ys[-1]
        nrows, ncols = len(self.ys) - 1, len(self.xs) - 1
        self.anchor: list[list[tuple[int, int] | None]] = [[None] * ncols for _ in range(nrows)]
        self.glyphs: dict[tuple[int, int], list[Glyph]] = {}
        for c in sorted(cells, key=lambda c: (c[1], c[0])):
            r0, r1 = self._index(self.ys, c[1]), self._index(self.ys, c[3])
            c0, c1 = self._index(self.xs, c[0]), self._index(self.xs, c[2])
            for r in range(r0, max(r1, r0 + 1)):
                for k in range(c0, max(c1, c0 + 1)):
                    if r < nrows and k < ncols and self.anchor[r][k] is None:
                        self.anchor[r][k] = (r0, c0)

    @staticmethod
    def _index(bounds: list[float], v: float) -> int:
        return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))

    def take(self, g: Glyph) -> bool:
        if not (self.x0 <= g.xc <= self.x1 and self.top <= g.yc <= self.bottom) and not self._across_edge(g):
            return False
        r = min(max(bisect_right(self.ys, g.yc) - 1, 0), len(self.ys) - 2)
        c = min(max(bisect_right(self.xs, g.xc) - 1, 0), len(self.xs) - 2)
        where = self.anchor[r][c] or (r, c)
        self.glyphs.setdefault(where, []).append(g)
        return True

    def _across_edge(self, g: Glyph) -> bool:
        """A glyph printed across the table's top or bottom rule, a quarter of it inside: the wrapped text of a cell
        of the first or last row spilling over it (see ``_rehome_lines_across_rules``)."""
        inside = 0.25 * (g.bottom - g.top)
        return self.x0 <= g.xc <= self.x1 and (g.top < self.bottom - inside < g.bottom or g.top < self.top + inside < g.bottom)

    def block(self) -> TableBlock:
        self._rejoin_overflowing_numbers()
        self._rehome_lines_across_rules()
        rows, tops = [], []
        for r, line in enumerate(self.anchor):
            row = []
            for c, anchor in enumerate(line):
                if anchor is not None and anchor != (r, c):
                    continue  # covered by a merged cell
                glyphs = self.glyphs.get((r, c), [])
                if glyphs:
                    row.append(TableCell(self.xs[c], self.xs[c + 1], [ln.glyphs for ln in group_lines(glyphs)]))
            if row:
                rows.append(row)
                tops.append(self.ys[r])
        return TableBlock(list(self.xs), rows, self.top, self.bottom, ruled=True, rules=list(self.ys), row_tops=tops)


    def _rehome_lines_across_rules(self) -> None:
        """A cell's text wrapped over more lines than its row holds, printed across the rules above and below it
        (an office suite's sheet whose row heights were not set: 一般公共预算拨款 / 收入 over the header's rules,
        机关事业单位基本养老保险缴 / 费支出 over the rows around it, a name's tail 村局 printed over the next
        row's name). A line printed across a rule, or over another line of its cell, is not taken by the cell
        its middle falls in: it goes, with the lines set at its leading above and below it, to the cell (that
        one, or the one above or below) whose middle their text is centred on."""
        moves: list[tuple[list[Glyph], tuple[int, int], tuple[int, int]]] = []
        for key, glyphs in list(self.glyphs.items()):
            lines = group_lines(glyphs)
            top, bottom = self._span(key)
            for line in lines:
                height = sorted(g.bottom - g.top for g in line.glyphs)[len(line.glyphs) // 2]
                across = line.top < top - 0.25 * height or line.bottom > bottom + 0.25 * height
                over = any(other is not line and min(other.bottom, line.bottom) - max(other.top, line.top) > 0.3 * height
                           and min(other.x1, line.x1) - max(other.x0, line.x0) > 0 for other in lines)
                if not (across or over):
                    continue
                by_column: dict[int, list[Glyph]] = {}
                for g in line.glyphs:
                    c = min(max(bisect_right(self.xs, g.xc) - 1, 0), len(self.xs) - 2)
                    by_column.setdefault(c, []).append(g)
                r0 = self.ys.index(top)
                r1 = self.ys.index(bottom) - 1
                for c, part in by_column.items():
                    keys = [key]
                    if r0 > 0:
                        keys.insert(0, self.anchor[r0 - 1][c] or (r0 - 1, c))
                    if r1 + 1 < len(self.anchor):
                        keys.append(self.anchor[r1 + 1][c] or (r1 + 1, c))
                    first, last = self._paragraph(part, height, keys)
                    middle = (first + last) / 2
                    home = min(keys, key=lambda k: abs(sum(self._span(k)) / 2 - middle))
                    if home != key:
                        moves.append((part, key, home))
        for part, source, target in moves:
            ids = {id(g) for g in part}
            self.glyphs[source] = [g for g in self.glyphs[source] if id(g) not in ids]
            self.glyphs.setdefault(target, []).extend(part)

    def _span(self, key: tuple[int, int]) -> tuple[float, float]:
        rows = [r for r, line in enumerate(self.anchor) for c, a in enumerate(line) if (a or (r, c)) == key]
        return self.ys[min(rows)], self.ys[max(rows) + 1]

    def _paragraph(self, part: list[Glyph], height: float, keys: list[tuple[int, int]]) -> tuple[float, float]:
        """The top and bottom of the lines of these cells set at a text's leading above and below ``part``."""
        x0, x1 = min(g.x0 for g in part), max(g.x1 for g in part)
        lines = [ln for k in keys for ln in group_lines(self.glyphs.get(k, []))]
        lines = sorted((ln for ln in lines if min(ln.x1, x1) - max(ln.x0, x0) > 0), key=lambda ln: ln.top)
        first = last = next((ln for ln in lines if any(g is part[0] for g in ln.glyphs)), None)
        if first is None:
            return min(g.top for g in part), max(g.bottom for g in part)
        for ln in reversed(lines):  # upwards from the line: each at the leading above the one below it
            if 0.95 * height <= first.top - ln.top <= 1.3 * height:
                first = ln
        for ln in lines:
            if 0.95 * height <= ln.top - last.top <= 1.3 * height:
                last = ln
        return first.top, last.bottom

    def _rejoin_overflowing_numbers(self) -> None:
        """A number too wide for its cell runs over the rule into the next one (``280`` | ``.000000``): its
        characters touch across the rule. The whole number goes to the cell that holds most of it, so it is read
        as one figure, not as a figure cut in two or a label's tail."""
        for r, line in enumerate(self.anchor):
            keys = list(dict.fromkeys(a or (r, c) for c, a in enumerate(line)))
            for left, right in zip(keys, keys[1:]):
                a_glyphs, b_glyphs = self.glyphs.get(left), self.glyphs.get(right)
                if not a_glyphs or not b_glyphs:
                    continue
                run = _number_across(a_glyphs, b_glyphs, self.xs[right[1]])
                if run is None:
                    spill = _word_spilt(a_glyphs, b_glyphs, self.xs[right[1]])
                    if spill:  # a name wider than its cell: its last characters go back to it
                        ids = {id(g) for g in spill}
                        self.glyphs[right] = [g for g in b_glyphs if id(g) not in ids]
                        self.glyphs[left] = a_glyphs + spill
                    continue
                from_a, from_b = run
                source, target = (left, right) if len(from_b) >= len(from_a) else (right, left)
                moving = from_a if source == left else from_b
                ids = {id(g) for g in moving}
                self.glyphs[source] = [g for g in self.glyphs[source] if id(g) not in ids]
                self.glyphs[target] = self.glyphs[target] + moving


def _number_across(a: list[Glyph], b: list[Glyph], rule: float) -> tuple[list[Glyph], list[Glyph]] | None:
    """The characters of one number cut by the rule at ``rule``: the tail of ``a``'s line and the head of ``b``'s,
    touching each other and the rule (two numbers in two cells have their cells' padding between them)."""
    first = min(b, key=lambda g: g.x0)
    same_line = [g for g in a if abs(g.yc - first.yc) < 0.5 * first.size]
    if not same_line:
        return None
    last = max(same_line, key=lambda g: g.x1)
    if first.confidence is not None or last.confidence is not None:
        return None  # read by OCR: the engine's boxes already say where its text breaks (20.06 | 0.00)
    if first.x0 - last.x1 > 0.15 * first.size or last.text not in _NUMBER_CHARS or first.text not in _NUMBER_CHARS:
        return None
    if last.x1 < rule - 0.15 * first.size or first.x0 > rule + 0.15 * first.size:
        return None
    tail = _touching_run(sorted(same_line, key=lambda g: -g.x1), lambda g, n: n.x0 - g.x1)
    head = _touching_run(sorted((g for g in b if abs(g.yc - first.yc) < 0.5 * first.size), key=lambda g: g.x0),
                         lambda g, n: g.x0 - n.x1)
    return tail, head


def _word_spilt(a: list[Glyph], b: list[Glyph], rule: float) -> list[Glyph]:
    """The characters of a word in ``a`` that ran over the rule at ``rule`` into ``b`` (a name wider than its cell:
    机关事业单位基本养老保险缴费支 | 出 80.30): ``b``'s first characters, no figure's, touching the end of ``a``'s
    line and the rule, or printed across it. The word starts in ``a``: they are ``a``'s."""
    first = min(b, key=lambda g: g.x0)
    same_line = [g for g in a if abs(g.yc - first.yc) < 0.5 * first.size]
    if not same_line or first.text in _NUMBER_CHARS or first.text.isspace():
        return []
    last = max(same_line, key=lambda g: g.x1)
    tol = 0.15 * first.size
    if last.text in _NUMBER_CHARS or first.x0 - last.x1 > tol or first.x0 > rule + tol \
            or (first.x0 > rule - tol and last.x1 < rule - tol):
        return []
    run = [first]
    for g in sorted((g for g in b if abs(g.yc - first.yc) < 0.5 * first.size and g is not first), key=lambda g: g.x0):
        if g.text in _NUMBER_CHARS or g.text.isspace() or g.x0 - run[-1].x1 > tol:
            break
        run.append(g)
    return run


def _touching_run(glyphs: list[Glyph], gap) -> list[Glyph]:
    """The number characters from the first of ``glyphs`` on, while each touches the one before."""
    run = [glyphs[0]]
    for g in glyphs[1:]:
        if g.text not in _NUMBER_CHARS or gap(g, run[-1]) > 0.15 * g.size:
            break
        run.append(g)
    return run


_NUMBER_CHARS = frozenset("0123456789.,")


# -- writing ---------------------------------------------------------------------------------------


def write_table(out: TextBuilder, table: TableBlock, page: int) -> None:
    width = table.width
    for r, row in enumerate(table.rows):
        number = table.pages[r] if table.pages else page
        if r and table.pages and number != table.pages[r - 1] and not _header_goes_on(table, r):
            out.write("\n")  # where the page broke: the reader starts a new part of the table (its header may repeat)
        cells = _place(table, row)
        for c in range(width):
            if c:
                out.write("\t")
            for k, cell in enumerate(cells.get(c, ())):
                if k:
                    out.write(" ")
                write_cell(out, cell.lines, cell.page or number)
        out.write("\n")


def _header_goes_on(table: TableBlock, r: int) -> bool:
    """Row ``r``, the first on its page, goes on with the header row above it, which the page cut in two (a row
    let to break across pages: 部门预算支出 | 本年一般公共 at one page's foot, 经济分类科目 | 预算基本支出 at the next
    one's head): both print words in the same columns, and neither they nor any row above prints a digit. A part
    break there left the header's first line alone above the table, heading its columns with half their names."""
    def filled(row: list[TableCell]) -> set[int]:
        return {c for c, cells in _place(table, row).items() if any(_cell_words(cell) for cell in cells)}

    if any(ch.isdigit() for row in table.rows[:r + 1] for cell in row for ch in _cell_words(cell)):
        return False
    above = filled(table.rows[r - 1])
    return bool(above) and above == filled(table.rows[r])


def _cell_words(cell: TableCell) -> str:
    return "".join(g.text for line in cell.lines for g in line if not g.text.isspace())


def _place(table: TableBlock, row: list[TableCell]) -> dict[int, list[TableCell]]:
    """Each cell of a row in its column. Two cells that fall in one column (the columns of another part of
    the table do not fit this part) are never dropped: the second takes the next column when that is free,
    else shares the cell."""
    cells: dict[int, list[TableCell]] = {}
    for cell in sorted(row, key=lambda c: c.x0):
        c = table.column(cell.x0)
        if c in cells and c + 1 < table.width and c + 1 not in cells and cell.x0 >= cells[c][-1].x1 - 2.0:
            c += 1
        cells.setdefault(c, []).append(cell)
    return cells


def stitch(first: TableBlock, then: TableBlock, page: int, next_page: int) -> TableBlock | None:
    """One table from two pieces on consecutive pages, when they have the same extent and columns.

    A piece whose rows merge several columns (a lone header row at the foot of a page) has fewer
    boundaries: the union of both pieces' boundaries is the table's.
    """
    tol = 3.0
    if abs(first.x0 - then.x0) > tol or abs(first.x1 - then.x1) > tol:
        return None
    small, large = sorted((first.xs, then.xs), key=len)
    if not all(any(abs(x - y) <= tol for y in large) for x in small):
        return None
    joined = TableBlock(list(large), first.rows, first.top, then.bottom, first.ruled and then.ruled)
    head = repeated_header(joined, first.rows, then.rows)
    pages = (first.pages or [page] * len(first.rows)) + [next_page] * (len(then.rows) - head)
    joined.rows = first.rows + then.rows[head:]
    joined.pages = pages
    joined.repeated = first.repeated + then.repeated + [(next_page, row) for row in then.rows[:head]]
    return joined


def row_texts(table: TableBlock, row: list[TableCell]) -> tuple[tuple[int, str], ...]:
    """A row as (column, text) pairs, whitespace left out: what a repeated row must print again."""
    out = []
    for c, cells in sorted(_place(table, row).items()):
        text = "".join(g.text for cell in cells for line in cell.lines for g in line if not g.text.isspace())
        if text:
            out.append((c, text))
    return tuple(out)


def repeated_header(table: TableBlock, first: list[list[TableCell]], then: list[list[TableCell]]) -> int:
    """How many rows at the top of a continuation print the table's first rows again (its header, which a
    browser repeats on every page a ``<thead>`` runs over); 0 when they do not. At least one row must follow
    them, and a row with no text never counts."""
    n = 0
    while n < len(first) and n + 1 < len(then) and row_texts(table, first[n]) \
            and row_texts(table, first[n]) == row_texts(table, then[n]):
        n += 1
    return n


def write_cell(out: TextBuilder, lines: list[list[Glyph]], page: int) -> None:
    """A cell's lines joined: a wrapped label or header reads as one ("工资福" + "利支出")."""
    for i, glyphs in enumerate(lines):
        glyphs = [g for g in glyphs if g.text not in "\t\n"]
        if not glyphs:
            continue
        if i and out.pos and _needs_space(lines[i - 1], glyphs):
            out.write(" ")
        write_glyph_line(out, glyphs, page)


def _needs_space(before: list[Glyph], after: list[Glyph]) -> bool:
    a, b = before[-1].text if before else "", after[0].text
    return a.isascii() and a.isalpha() and b.isascii() and b.isalpha()


_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十\d]+[部章节])")


# Lines that stand on their own above a table, never the end of a wrapped sentence or title.
_OWN_LINE = re.compile(r"^\s*(单位[：:]|金额单位|计量单位|预算年度[：:]|部门名称[：:]|编制单位[：:]|填报单位[：:])")


def join_paragraph_lines(lines: list[tuple[int, Line]], right: dict[int, float]) -> list[list[tuple[int, Line]]]:
    """Consecutive lines of one paragraph, wrapped at the right margin, become one (numbers stay whole).

    ``lines`` are (page, line) in reading order; a paragraph may go on at the top of the next page.
    A line is wrapped when the next line's first word would not have fitted after it, the next line
    follows at normal spacing (or opens the next page), starts no further right (only a paragraph's
    first line is indented), and is not a numbered heading (一、 （二） 3.) after a finished sentence,
    nor set larger (a title). A line of cells set apart (a table's row read as text) wraps into nothing.
    """
    groups: list[list[tuple[int, Line]]] = []
    for page, line in lines:
        if groups:
            prev_page, prev = groups[-1][-1]
            margin = right.get(prev_page, 0.0)
            size = max(prev.size, line.size)
            full = bool(margin) and prev.x1 + _first_word_width(line) > margin - 0.5 * size \
                or _number_cut(prev.text(), line.text())
            follows = 0 <= line.top - prev.bottom < 0.9 * size if page == prev_page else page == prev_page + 1
            heading = (_HEADING.match(line.text()) and prev.text().rstrip()[-1:] in "。；;：:！？!?") \
                or _OWN_LINE.match(line.text())
            if full and follows and line.x0 <= prev.x0 + 0.5 * size and not heading \
                    and not _cells_apart(prev) and line.size <= 1.15 * prev.size:
                groups[-1].append((page, line))
                continue
        groups.append([(page, line)])
    return groups


def _cells_apart(line: Line) -> bool:
    """A line printing words more than a character apart: a table's row (合计 1415.06 1215.00), which no
    line after it continues, least of all the next table's title."""
    glyphs = [g for g in line.glyphs if not g.text.isspace()]
    return any(b.x0 - a.x1 > 1.0 * max(a.size, b.size) for a, b in zip(glyphs, glyphs[1:]))


# A sentence's line that ends in a number glued to its words, and a next line that goes on with the number:
# lines broken at a fixed count of characters (or a margin too few lines reach to be seen) cut numbers in two.
_ENDS_IN_NUMBER = re.compile(r"[^\x00-\x7f]\d[\d,]*\.?$|[^\x00-\x7f]\d[\d,]*\.\d+$")
_GOES_ON_WITH_NUMBER = re.compile(r"^(?:\.?\d[\d,.]*)(?:[%％]|[^\x00-\x7f\s])")


def _number_cut(prev: str, line: str) -> bool:
    """``prev`` ends inside a number that ``line`` goes on with (`…收入3637.` / `28万元`, `…万元。20` / `25年…`)."""
    return bool(_ENDS_IN_NUMBER.search(prev.rstrip("\n")) and not prev.endswith(" ")
                and _GOES_ON_WITH_NUMBER.match(line) and not _LIST_NUMBER.match(line))


_LIST_NUMBER = re.compile(r"^\d+(?:[、)）]|[.．](?!\d))")  # 2、说明  3.项目


def _first_word_width(line: Line) -> float:
    """Width of what a line breaker keeps together at the start of a line: a run of Latin letters and
    digits (with their punctuation), or one Chinese character, with any closing punctuation after it."""
    glyphs = line.glyphs
    end = 0
    while end < len(glyphs) and glyphs[end].text.isascii() and not glyphs[end].text.isspace():
        end += 1
    end = max(end, 1)
    # Punctuation that may not open a line travels with the character before it (a line breaker's kinsoku
    # rule: "识”" moves to the next line as a pair).
    while end < len(glyphs) and glyphs[end].text in _NO_LINE_START:
        end += 1
    return glyphs[end - 1].x1 - glyphs[0].x0


_NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…,.;:!?)%％")
