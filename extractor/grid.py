"""Table pages as rows of cells, their headers as column paths, and the layouts that map columns to keys.

A page of a table is a header (one or more rows, wrapped and merged cells), an
optional numbered 栏次 row, and data rows. Whatever the text layout (``cells``),
the header becomes one path per column ("本年收入/财政拨款收入"), and the
registry (``schemas.tables``) names the columns it knows; every other column
keeps its header path as its key, so no printed number is left without a place.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from schemas import TableSpec, is_blank_mark, parse_amount
from schemas.tables import relative_years

from .cells import (HAN, Cell, Geometry, Token, anchors_between, column_of, is_data_line, is_numberish, page_geometry,
                    packed_cells, spaced_cells, split_cells, tokens)
from .chunk import Line, LineKind, Segment

__all__ = ["Cell", "Layout", "RawRow", "build_layouts", "header_paths", "is_header_row", "is_lanci_row", "norm",
           "segment_rows", "split_cells"]


@dataclass
class RawRow:
    cells: list[Cell]
    line: Line
    segment: int
    first_in_segment: bool
    layout: "Layout | None" = None
    merged_from: list[Line] = field(default_factory=list)
    # Whether each cell sits in its own column. A row with fewer cells than its header (a converter
    # dropped the empty ones) or a space-aligned line that does not fit its page's columns is not:
    # the reader proposes placements and the verifier chooses.
    positional: bool = True
    # Other cell lists the row may have: a figure a page break cut, joined to another of its figures.
    others: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader did to the row's cells, for the record
    others_why: str = "a figure cut by the page break may continue another of the row's figures"

    def cell(self, index: int | None) -> Cell:
        if index is None or index >= len(self.cells):
            return Cell("", [], self.line.end)
        return self.cells[index]

    def text_at(self, index: int | None) -> str:
        """The text of ``cell(index)``, without making an empty cell where the row has none."""
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].text

    @property
    def span(self) -> tuple[int, int]:
        return (self.line.start, (self.merged_from[-1] if self.merged_from else self.line).end)

    @property
    def is_blank(self) -> bool:
        return not any(c.text for c in self.cells)


_FOLD = str.maketrans("（）：", "():")


@lru_cache(maxsize=65536)
def norm(label: str) -> str:
    """Header text compared without spaces and with full-width punctuation folded."""
    return "".join(label.split()).translate(_FOLD)


_LANCI = re.compile(r"^(栏次|档次|栏|序列|栏号)$")
_HEADER_WORDS = re.compile(
    r"项目|科目|编码|代码|名称|合计|小计|总计|收入|支出|预算|金额|经费|序号|指标|类型|单位|数量|价值|资金|性质|拨款|结转|采购|目录|份额|单价|品目|内容|^[类款项]$"
)
_NUMBERED_CELL = re.compile(r"^(\d+、|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_MEMO_CELL = re.compile(r"^其中")
_CODE = re.compile(r"^\d{3}(?:\s?\d){0,6}$")


def is_lanci_row(cells: list[Cell]) -> bool:
    first = next((c.text for c in cells if c.text), "")
    if _LANCI.match(norm(first)):
        return True
    numbers = [c.text for c in cells if c.text]
    return len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]


def is_header_row(cells: list[Cell]) -> bool:
    texts = [norm(c.text) for c in cells if c.text]
    if not texts or any(_CODE.match(t) for t in texts):
        return False
    if _MEMO_CELL.match(texts[0]) or any(_NUMBERED_CELL.match(t) for t in texts):
        return False  # a numbered line, or a 其中 line's label; a header may head a column 其中：面向中小企业预留
    if any(parse_amount(t) is not None or is_blank_mark(t) for t in texts):
        return False  # a dash or slash is an amount cell printing nothing (an empty table's 合计 | - | -), no header's
    return all(len(t) <= 40 for t in texts) and any(_HEADER_WORDS.search(t) for t in texts)


# --- header paths ----------------------------------------------------------------------------------

def header_paths(header: list[list[Cell]], centred: bool = False, known=None, whole=None) -> list[str]:
    """One path per column: the header cells above it, top to bottom ("本年收入/小计").

    A merged cell is printed once: pipes and tabs put it in the first column of
    its span, with empty cells after it; space-aligned text puts it anywhere over
    its span (``centred``), so there a column takes the nearest cell of the row
    above among those that stand over columns with cells below. In space-aligned
    text a cell over exactly one column that has a cell below is one cell that
    wrapped over two lines ("工资福" / "利支出"), and is joined, not made a parent.
    """
    width = max((len(r) for r in header), default=0)
    grid = [[norm(r[i].text) if i < len(r) else "" for i in range(width)] for r in header]
    # The line each cell's text starts on: a wrapped cell joined into its last line still starts higher up.
    tops = [[r] * width for r in range(len(grid))]
    if known is not None:
        _join_wrapped(grid, known, whole, under_leaves=centred, tops=tops)
        kept = [r for r in range(len(grid)) if any(grid[r])]
        grid = [grid[r] for r in kept]
        tops = [[sum(1 for k in kept if k < t) for t in tops[r]] for r in kept]
    below = [[any(grid[k][i] for k in range(r + 1, len(grid))) for i in range(width)] for r in range(len(grid))]
    if centred and len(grid) > 1:
        # The header line with the most cells holds the leaf cells; lines under it hold the rest of
        # cells that wrapped. A cell printed once above that line, with nothing over or under it, is a
        # full-height cell centred in its tall cell: it is no group's child.
        leaves = max(range(len(grid)), key=lambda r: (sum(1 for t in grid[r] if t), r))
        for i in range(width):
            lines = [r for r in range(len(grid)) if grid[r][i]]
            if len(lines) == 1 and lines[0] < leaves and (known is None or known(grid[lines[0]][i])):
                for r in range(len(grid)):
                    below[r][i] = False
    filled = [row[:] for row in grid]
    owner: list[list[int | None]] = [[i if grid[r][i] else None for i in range(width)] for r in range(len(grid))]
    for r in range(len(grid) - 1):
        for i in range(width):
            if not grid[r][i]:
                continue
            j = i + 1
            while not centred and j < width and not grid[r][j] and below[r][j]:
                filled[r][j], owner[r][j] = grid[r][i], i
                j += 1
        if centred:
            # A cell that starts on a line above heads no group on this one ("2026年预留中小" / "微企业份额").
            leaf = [next((grid[k][i] for k in range(len(grid) - 1, r, -1) if grid[k][i]), "") for i in range(width)]
            _fill_centred(grid[r], below[r], filled[r], owner[r], [tops[r][i] == r for i in range(width)], leaf)
    joined = [row[:] for row in filled]
    if centred:
        for r in range(len(grid) - 1):
            for i in range(width):
                if grid[r][i] and below[r][i] and owner[r].count(i) == 1 and grid[r + 1][i] \
                        and not (whole is not None and whole(grid[r][i]) and whole(grid[r + 1][i])):
                    # A cell over one column with a cell right below it: one cell that wrapped (unless each
                    # is a header of its own: "上年结转" over "其他收入" is a group over its one column).
                    joined[r + 1][i] = joined[r][i] + joined[r + 1][i]
                    joined[r][i] = ""
    paths = []
    for i in range(width):
        parts = [joined[r][i] for r in range(len(grid)) if joined[r][i]]
        dedup = [p for k, p in enumerate(parts) if k == 0 or p != parts[k - 1]]
        paths.append("/".join(dedup))
    return paths


_SHORT_HEADERS = {"类", "款", "项", "小计", "合计", "总计", "金额", "数量", "单价", "名称", "项目", "科目", "序号", "编码"}


def _join_wrapped(grid: list[list[str]], known, whole, under_leaves: bool, tops: list[list[int]]) -> None:
    """Header cells wider than their column are printed on several lines ("基本支" / "出"): join them.

    Two pieces one above the other in a column are one cell when the lower is
    too short to be a header of its own, or when the upper is no word, the lower
    no whole word, and the two make one; in space-aligned text also when the
    lower sits under the line of leaf cells (the line with the most cells), the
    upper is no group's word (a parent's "本年财政拨款" takes no piece of a child),
    and the lower is no word on its own or ends an upper that is no whole word
    ("…预算拨" / "款").
    """
    if not grid:
        return
    leaves = max(range(len(grid)), key=lambda r: (sum(1 for t in grid[r] if t), r))
    for i in range(len(grid[0])):
        changed = True
        while changed:
            changed = False
            lines = [r for r in range(len(grid)) if grid[r][i]]
            for upper_r, lower_r in zip(lines, lines[1:]):
                upper, lower = grid[upper_r][i], grid[lower_r][i]
                if ((len(lower) <= 2 and lower not in _SHORT_HEADERS)
                        or (not known(upper) and not whole(lower) and known(upper + lower))
                        or (under_leaves and lower_r > leaves and not _PARENT_WORDS.search(upper)
                            and (not known(lower) or (not whole(upper) and known(upper + lower))))):
                    grid[lower_r][i], grid[upper_r][i] = upper + lower, ""
                    tops[lower_r][i] = tops[upper_r][i]
                    changed = True
                    break


def _fill_centred(row: list[str], below: list[bool], filled: list[str], owner: list[int | None],
                  heads: list[bool], leaf: list[str]) -> None:
    """Columns under a merged cell printed somewhere over them take the nearest such cell.

    A classification group (功能分类科目, or 科目编码 over 类 | 款 | 项) heads its code and name columns, never an amount's.
    """
    parents = [i for i, t in enumerate(row) if t and below[i] and heads[i]]
    if not parents:
        return
    sides = _side_by_side(parents, below, leaf)
    for j in range(len(row)):
        if sides is not None and below[j] and owner[j] is None and not row[j]:
            filled[j], owner[j] = row[sides[j]], sides[j]
            continue
        if row[j] or not below[j] or owner[j] is not None:
            continue
        # Only across columns that also have cells below: a full-height cell (合计) bounds a group.
        candidates = [p for p in parents if all(below[k] for k in range(min(p, j), max(p, j) + 1))
                      and not (_CLASS_GROUP.search(row[p]) and not _CODE_OR_NAME.search(leaf[j]))]
        if candidates:
            p = min(candidates, key=lambda p: (abs(p - j), p > j))
            filled[j], owner[j] = row[p], p


def _side_by_side(parents: list[int], below: list[bool], leaf: list[str]) -> list[int] | None:
    """The parent of each column when the parents head tables printed side by side ("收入" over 项目 | 金额,
    "支出" over 项目 | 合计 | …): a leaf header printed once under each parent starts each one's columns.

    Where a converter squeezes the columns under long words, a centred parent may stand far from the
    middle of its columns; the repeated leaf still says where each group begins. None when no leaf is
    printed exactly once per parent.
    """
    if len(parents) < 2:
        return None
    under = [j for j in range(len(leaf)) if below[j] and leaf[j]]
    counts: dict[str, list[int]] = {}
    for j in under:
        counts.setdefault(leaf[j], []).append(j)
    starts = next((js for js in counts.values() if len(js) == len(parents)), None)
    if starts is None or starts[0] > min(parents) or any(
            not (a <= p) for a, p in zip(starts, sorted(parents))):
        return None
    out = []
    for j in range(len(leaf)):
        k = max((n for n, a in enumerate(starts) if a <= j), default=0)
        out.append(sorted(parents)[k])
    return out


# --- pages of a table --------------------------------------------------------------------------------

@dataclass
class Page:
    """One segment of a table: its header rows, 栏次 row and data rows, cut into cells."""

    number: int
    header: list[list[Cell]]
    lanci: list[Cell] | None
    data: list[RawRow]
    header_lines: list[Line]
    geometry: Geometry | None = None
    # The first page's header, where this page prints it again with its cells wrapped otherwise: the reader
    # takes it when it names more of the table's columns than this page's own reading does.
    rewrapped: list[list[Cell]] | None = None


def _repeats(cells: list[Cell], first_header: set[str]) -> bool:
    """A later page's header row repeats the first page's header (cells may wrap differently)."""
    texts = [norm(c.text) for c in cells if c.text]
    return bool(texts) and sum(t in first_header for t in texts) >= max(1, len(texts) // 2)


def segment_rows(segments: list[Segment], geometry: Geometry | None = None) -> list[Page]:
    """Split each page of a table into its header rows, 栏次 row and data rows, as cells."""
    pages = []
    first_header: set[str] = set()
    first_words: set[str] = set()  # the words of a space-aligned table's first header
    segments = _split_repeated_headers(segments)
    template: Page | None = None  # the first space-aligned page with a header
    metrics = _table_metric(segments)
    for n, seg in enumerate(segments):
        if seg.lines and seg.lines[0].kind is LineKind.SPACED:
            page = _spaced_page(n, seg, geometry, first_words, metrics)
            if page.header_lines or geometry is None:
                # The columns later pages without a header of their own are matched to: the header's.
                geometry = page.geometry or geometry
            if not first_words:
                first_words = {t.text for line in page.header_lines for t in tokens(line, "wide")}
            if template is None and page.header:
                template = page
            elif template is not None and _repeats_header(page, template):
                # The header printed again, word for word: the same columns, however the converter
                # placed its words on this page (a cell centred over the page's own widths).
                page.header, page.lanci = template.header, template.lanci or page.lanci
            elif template is not None and _rewraps_header(page, template):
                page.rewrapped = template.header
        else:
            page = _delimited_page(n, seg, first_header)
        if n == 0 or not first_header:
            first_header.update(norm(c.text) for row in page.header for c in row if c.text)
        if pages and page.geometry is not None and pages[-1].geometry is not None \
                and len(page.geometry.columns) == len(pages[-1].geometry.columns):
            _join_figures_across(pages[-1], page)
        pages.append(page)
    return pages


def _join_figures_across(before: Page, after: Page) -> None:
    """Figures wrapped around the last row of a page whose rest the page break carried to the next page's
    first line (the pieces above the row on one page, the rest at the top of the next)."""
    if len(before.data) < 2 or not after.data:
        return
    upper, middle, lower = before.data[-2], before.data[-1], after.data[0]
    pieces = _figure_pieces(upper)
    if pieces and _joins_around(pieces, middle, lower):
        _join_pieces_into(middle, pieces, _figure_pieces(lower), [upper.line, lower.line])
        before.data.remove(upper)
        after.data.pop(0)
        if after.data:
            after.data[0].first_in_segment = True


def _table_metric(segments: list[Segment]) -> tuple[str, ...]:
    """The metric a table's space-aligned pages are read in: the one most of its data lines line up under.

    One converter wrote every page, but a page with a line or two of data lines up
    under either metric; the pages with more lines decide for it.
    """
    votes: dict[str, int] = {}
    spaced = [seg.lines for seg in segments if seg.lines and seg.lines[0].kind is LineKind.SPACED]
    if len(spaced) < 2:
        return ("wide", "narrow")
    for lines in spaced:
        geometry = page_geometry(lines, header_word_kind)
        if geometry is not None:
            votes[geometry.metric] = votes.get(geometry.metric, 0) + sum(
                1 for line in lines if is_data_line(tokens(line, geometry.metric)))
    if len(votes) < 2:
        return ("wide", "narrow")
    return (max(votes, key=votes.get),)


def _repeats_header(page: Page, template: Page) -> bool:
    """A page's header repeats the template page's word for word (bar the 栏次 row) in the same columns."""
    return _same_columns_as(page, template) and _header_words(page) == _header_words(template)


def _rewraps_header(page: Page, template: Page) -> bool:
    """A page's header repeats the template page's in the same columns with its cells wrapped otherwise: the
    same characters cut into other lines and words ("2026年预留中小微" / "企业份额" printed "2026年 预" /
    "留中 小" / "微企业 份" / "额"), a cell or two left out at most, nearly all of them in the column they
    stand in on the first page (a piece of a wrapped cell may spill into the next)."""
    if not _same_columns_as(page, template):
        return False
    chars, first = Counter("".join(_header_words(page))), Counter("".join(_header_words(template)))
    if chars - first or chars.total() < REWRAPPED_SHARE * first.total():
        return False
    here, there = _chars_by_column(page.header), _chars_by_column(template.header)
    return (here & there).total() >= REWRAPPED_IN_PLACE * here.total()


def _chars_by_column(header: list[list[Cell]]) -> Counter:
    return Counter((i, ch) for row in header for i, cell in enumerate(row) for ch in norm(cell.text))


def _same_columns_as(page: Page, template: Page) -> bool:
    return bool(page.header) and page.geometry is not None and template.geometry is not None \
        and page.geometry.columns == template.geometry.columns


# How much of the first header's text a header printed again with its cells wrapped otherwise must repeat,
# and how much of its own text must stand in the column it stands in on the first page.
REWRAPPED_SHARE = 0.8
REWRAPPED_IN_PLACE = 0.85


def _header_words(page: Page) -> list[str]:
    return sorted(norm(t.text) for line in page.header_lines if not is_lanci_row(packed_cells(line))
                  for t in tokens(line, "wide"))


def _delimited_page(n: int, seg: Segment, first_header: set[str]) -> Page:
    page = Page(n, [], None, [], [])
    rows = [split_cells(line) for line in seg.lines]
    # Header rows run until the first row with a figure; a row among them with no header word of its
    # own ("目来源") is the rest of header cells that wrapped.
    first_figures = next((i for i, cells in enumerate(rows) if is_lanci_row(cells) or _has_figure(cells)), len(rows))
    for i, (line, cells) in enumerate(zip(seg.lines, rows)):
        if not page.data and page.lanci is None and is_lanci_row(cells):
            page.lanci = cells
            page.header_lines.append(line)
        elif not page.data and page.lanci is None and not (page.header and _block_heading(cells)) and (
                ((n == 0 or _repeats(cells, first_header) or not first_header)
                 and (is_header_row(cells) or (page.header and i < first_figures and _wrapped_header_row(cells))))
                # A later page's header may wrap its cells otherwise than the first's: once it has begun,
                # the pieces under it are header too.
                or (n > 0 and page.header and i < first_figures and _wrapped_header_row(cells))):
            page.header.append(cells)
            page.header_lines.append(line)
        else:
            page.data.append(RawRow(cells, line, n, first_in_segment=not page.data))
    return page


# A summary printed as one list heads its blocks with a bare 收入 / 支出 line under its header (项目 | 预算数): the
# first line of the income block, as 一、收入 is, not a header row naming a sub-column.
_BLOCK_HEADING = re.compile(r"^(?:收入|支出)$")


def _block_heading(cells: list[Cell]) -> bool:
    texts = [norm(c.text) for c in cells if c.text]
    return len(texts) == 1 and bool(cells[0].text) and bool(_BLOCK_HEADING.match(texts[0]))


def _has_figure(cells: list[Cell]) -> bool:
    return any(c.text and parse_amount(c.text) is not None for c in cells)


def _wrapped_header_row(cells: list[Cell]) -> bool:
    texts = [norm(c.text) for c in cells if c.text]
    return bool(texts) and not _MEMO_CELL.match(texts[0]) \
        and not any(_CODE.match(t) or _NUMBERED_CELL.match(t) or is_blank_mark(t) for t in texts) \
        and all(len(t) <= 12 for t in texts)


def _header_end(lines: list[Line]) -> int:
    """Where the header of a page of space-aligned lines ends: at the first data line, or after the 栏次 row."""
    first_data = len(lines)
    for i, line in enumerate(lines):
        if is_data_line(tokens(line, "wide")):
            first_data = i
            break
    # The numbered 栏次 row ends the header: lines between it and the first figures are data (a label
    # cut by the page break, a row with no figures).
    lanci_at = next((i for i in range(first_data) if is_lanci_row(packed_cells(lines[i]))), None)
    return lanci_at + 1 if lanci_at is not None else first_data


def _split_repeated_headers(segments: list[Segment]) -> list[Segment]:
    """A page of space-aligned lines starts where the table's header is printed again.

    Blank lines do not end a run of space-aligned rows (tall rows print them), so
    a page break that left only blank lines runs two pages together; the header
    repeated at the top of the second page (or its 栏次 row) says where it begins.
    """
    if not segments or not segments[0].lines or segments[0].lines[0].kind is not LineKind.SPACED:
        return segments
    first = segments[0].lines
    # The header's words run together: a header printed again may wrap its cells otherwise.
    words = "".join(norm(t.text) for line in first[:_header_end(first)] for t in tokens(line, "wide"))
    if not words:
        return segments
    out = []
    for seg in segments:
        if not seg.lines or seg.lines[0].kind is not LineKind.SPACED:
            out.append(seg)
            continue
        start, seen_data = 0, False
        for i, line in enumerate(seg.lines):
            toks = tokens(line, "wide")
            if seen_data and (is_lanci_row(packed_cells(line))
                              or (len(toks) >= 2 and all(norm(t.text) in words for t in toks)
                                   and not all(is_numberish(t.text) for t in toks))):
                j = i
                while j - 1 > start and _all_in(seg.lines[j - 1], words):
                    j -= 1
                out.append(Segment(seg.lines[start:j]))
                start, seen_data = j, False
            elif is_data_line(toks):
                seen_data = True
        out.append(Segment(seg.lines[start:]))
    return out


def _all_in(line: Line, words: str) -> bool:
    toks = tokens(line, "wide")
    return bool(toks) and all(norm(t.text) in words and not is_numberish(t.text) for t in toks)


def _cut_row(toks: list[Token], first_words: set[str], texts: list[tuple[int, int]],
             figures: list[tuple[int, int]] = ()) -> bool:
    """A line above a later page's figures that is data: it repeats no word of the first header, its
    words stand where the rows print their labels and text, and its numbers (a 序号, a code) where the
    rows print theirs (a numbered row with no figure: "18  十八、援助其他地区支出")."""
    words = [t for t in toks if not is_numberish(t.text)]
    return bool(words) and not any(t.text in first_words for t in words) \
        and all(any(min(t.x1, b) > max(t.x0, a) for a, b in (figures if is_numberish(t.text) else texts))
                for t in toks)


def _spaced_page(n: int, seg: Segment, previous: Geometry | None, first_words: set[str],
                 metrics: tuple[str, ...] = ("wide", "narrow")) -> Page:
    """A page of space-aligned (or packed) lines: the header above the first data line, cells by position.

    On a later page, lines between the repeated header and the first figures
    that repeat none of the first header's words are data: the rest of a row
    the page break cut ("提升补助资金（…）"), or rows without figures.
    """
    lines = seg.lines
    first_data = _header_end(lines)
    if first_words:
        data_toks = [t for line in lines[first_data:] for t in tokens(line, "wide")]
        texts = [(t.x0, t.x1) for t in data_toks if not is_numberish(t.text)]
        figures = [(t.x0, t.x1) for t in data_toks if is_numberish(t.text)]
        while first_data > 0 and _cut_row(tokens(lines[first_data - 1], "wide"), first_words, texts, figures):
            first_data -= 1
    if 0 < first_data < len(lines) and _blank_separated(lines[first_data:]) \
            and lines[first_data - 1].index + 1 == lines[first_data].index \
            and (first_data == 1 or lines[first_data - 2].index + 1 < lines[first_data - 1].index):
        # Rows set apart by blank lines: a line right above the first figures with a blank line over it
        # is the top of the first row (a cell wrapped upwards), not the header's.
        first_data -= 1
    lead = _rows_above_header(lines[:first_data], first_words, lines[first_data:])
    if lead:
        # Rows printed above the page's repeated header (a converter's reading order): data, read first.
        lines = lines[lead:first_data] + lines[:lead] + lines[first_data:]
        first_data -= lead
    if first_words and 0 < first_data < len(lines):
        lines, first_data = _rows_out_of_header(lines, first_data, first_words)
    header_lines = lines[:first_data]
    geometry = page_geometry(lines, header_word_kind, metrics) if first_data < len(lines) else None
    fit = _fit_share(geometry, lines[first_data:])
    if geometry is not None and not _trusted(geometry, fit):
        geometry, fit = None, 0.0
    if previous is not None and not header_lines and geometry is not None \
            and not _same_columns(geometry, previous):
        # A page with no header printed with columns of its own (a converter lays out each page anew):
        # its columns are the header's in order, where only one such matching exists.
        return _remapped_page(n, lines, geometry, previous)
    moved = previous is not None and header_lines and _header_moved(previous, header_lines)
    if moved:
        # The page prints its header elsewhere (a converter that places each page on its own): the
        # table's columns, moved to where this page prints the same header words.
        anchors = anchors_between([t for line in header_lines for t in tokens(line, previous.metric)],
                                  previous.header_words)
        if len(anchors) >= 2 and not _same_kinds(geometry, previous):
            geometry = replace(previous, anchors=anchors)
    elif previous is not None and (not header_lines or _fit_share(previous, lines[first_data:]) >= fit):
        # A table keeps its columns from page to page: a page whose lines fit them (its own columns may
        # lack the ones its few lines leave empty) is read with them; one with no header must be.
        geometry = replace(previous, anchors=()) if header_lines else previous
    # A page with no header whose lines line up in columns of their own (a converter that scales each
    # page on its own): its columns are the header's, matched in order.
    own = _own_columns(lines, previous) if previous is not None and not header_lines else None
    page = Page(n, [], None, [], list(header_lines), geometry)
    for line in header_lines:
        cells = spaced_cells(line, geometry, data=False)[0] if geometry else packed_cells(line)
        if is_lanci_row(cells):
            page.lanci = _lanci_under_words(line, cells, geometry, header_lines) if geometry else cells
        else:
            page.header.append(cells)
    for line in lines[first_data:]:
        others: list[list[Cell]] = []
        if own is not None:
            cells, fits = spaced_cells(line, own[0])
            placed = [_in_columns(cells, match, len(previous.columns), line) for match in own[1]]
            cells = placed[0]
            others = [c for c in placed[1:] if [x.text for x in c] != [x.text for x in cells]]
        elif geometry is not None:
            cells, fits = spaced_cells(line, geometry)
        else:
            cells, fits = packed_cells(line), False
        if not page.data and page.lanci is None and is_lanci_row(cells):
            page.lanci = _lanci_under_words(line, cells, geometry, header_lines) if geometry else cells
            page.header_lines.append(line)
            continue
        if not fits:
            cells = packed_cells(line)
        page.data.append(RawRow(cells, line, n, first_in_segment=not page.data, positional=fits))
        if others and fits:
            page.data[-1].others = others
            page.data[-1].others_why = ("this page prints its columns elsewhere and leaves some empty; which of "
                                        "the header's columns its figures are in is not certain")
    page.data = join_wrapped_figures(_rows_of_blocks(page.data))
    return page


def _lanci_under_words(line: Line, cells: list[Cell], geometry: Geometry, header: list[Line]) -> list[Cell]:
    """A 栏次 row whose numbers stand left-aligned under the header's words (as the words do over right-aligned
    figures): each number in the column of the word it stands under (the lowest header line's), where two numbers
    fell into one column by position."""
    if not any(len(c.text.split()) > 1 and c.text.replace(" ", "").isdigit() for c in cells):
        return cells
    header = [ln for ln in header if ln is not line]
    words = [(t, column_of(t, geometry.columns)) for ln in header for t in geometry.place(tokens(ln, geometry.metric))]
    out = [Cell("", [], c.at) for c in cells]
    for tok in geometry.place(tokens(line, geometry.metric)):
        over = [i for w, i in words if w.x0 <= tok.x0 and tok.x1 <= w.x1]
        i = over[-1] if over and tok.text.isdigit() else column_of(tok, geometry.columns)
        if out[i].text:
            return cells  # two numbers under one word: not numbers under words
        out[i] = Cell(tok.text, [(tok.start, tok.end)], tok.start)
    return out


def _rows_out_of_header(lines: list[Line], first_data: int, first_words: set[str]) -> tuple[list[Line], int]:
    """A later page's repeated header with the rest of a row the page break cut printed on its lines
    ("提升补助资金 （医疗保障服    金 … 款   拨   余"): the words none of the first header's characters make up are
    the row's, read as a line of data right under the header; the others stay the header's."""
    chars = set("".join(first_words))
    header: list[Line] = []
    moved: list[Line] = []
    for line in lines[:first_data]:
        toks = tokens(line, "narrow")
        foreign = [t for t in toks if _foreign_to(t.text, chars)]
        if not foreign or len(foreign) == len(toks):
            header.append(line)
            continue
        if any(_all_foreign(tokens(other, "narrow"), chars) for other in lines[:first_data] if other is not line):
            # Another line of this header is all words the first header does not print: not that header printed
            # again, but another one (a wide table's right half on its own page): its words stay its header's.
            return lines, first_data
        header.append(_without(line, foreign))
        moved.append(_without(line, [t for t in toks if t not in foreign]))
    if not moved:
        return lines, first_data
    return header + moved + lines[first_data:], len(header)


def _all_foreign(toks: list[Token], chars: set[str]) -> bool:
    return bool(toks) and all(_foreign_to(t.text, chars) for t in toks)


def _foreign_to(word: str, chars: set[str]) -> bool:
    """Words of two or more Chinese characters, most of them none of ``chars`` (a header's)."""
    han = [ch for ch in word if HAN.match(ch)]
    return len(han) >= 2 and sum(ch in chars for ch in han) * 2 < len(han)


def _without(line: Line, toks: list[Token]) -> Line:
    """The line with the words ``toks`` blanked out, every other character where it was."""
    text = list(line.text)
    for t in toks:
        for i in range(t.start - line.start, t.end - line.start):
            text[i] = "\u3000" if unicodedata.east_asian_width(text[i]) in ("W", "F") else " "
    return Line(line.index, line.start, line.end, "".join(text), line.kind, line.page_end)


def _rows_of_blocks(data: list[RawRow]) -> list[RawRow]:
    """On a page that leaves a blank line between its rows, lines with none between them are one row.

    ``pdftotext`` prints a row whose cells wrapped as several lines with no blank between them: a label
    in pieces, a figure too wide for its column in two ("17" / "60"). Where the page's rows are set apart
    by blank lines, such a block is one row, its cells joined column by column from the top: a block of
    a few lines, or one of any height whose figures are all on one line (a long name wrapped over many
    lines beside them).
    """
    if not _blank_separated([raw.line for raw in data]):
        return data
    blocks: list[list[RawRow]] = []
    for raw in data:
        if blocks and raw.line.index == blocks[-1][-1].line.index + 1:
            blocks[-1].append(raw)
        else:
            blocks.append([raw])
    out: list[RawRow] = []
    for block in blocks:
        head = block[0]
        if len(block) == 1 or (len(block) > MAX_BLOCK_LINES and sum(_has_figure(r.cells) for r in block) > 1) \
                or not all(r.positional and len(r.cells) == len(head.cells) for r in block):
            out.extend(block)
            continue
        for raw in block[1:]:
            head.cells = [a.joined(b) for a, b in zip(head.cells, raw.cells)]
            head.merged_from.append(raw.line)
        out.append(head)
    return out


# The most lines one row's cells wrap over in a page whose rows are set apart by blank lines.
MAX_BLOCK_LINES = 4


def _blank_separated(lines: list[Line]) -> bool:
    """A page that sets its rows apart by blank lines: many of its lines have one before the next."""
    pairs = list(zip(lines, lines[1:]))
    gapped = sum(b.index - a.index > 1 for a, b in pairs)
    return len(pairs) >= 3 and gapped >= max(2, 0.3 * len(pairs))


def _compatible(own: str, ref: str) -> bool:
    return own == ref or "?" in (own, ref)


def _same_columns(own: Geometry, ref: Geometry) -> bool:
    """Each of the page's own columns lies over one of the reference's, in order, of the same kind: the
    page is printed with the reference's columns (it may leave some of them empty)."""
    if own.metric != ref.metric:
        return False
    last = -1
    for i, col in enumerate(own.columns):
        over = [(_overlap_of(col, c), j) for j, c in enumerate(ref.columns)]
        best, j = max(over)
        if best == 0 or j <= last or not _compatible(own.kind(i), ref.kind(j)):
            return False
        last = j
    return True


def _same_kinds(own: Geometry | None, ref: Geometry) -> bool:
    """The page's own columns are as many as the reference's and of the same kinds, in order: the page's
    own positions say where its cells are better than the reference's moved ones."""
    return own is not None and len(own.columns) == len(ref.columns) and all(
        _compatible(own.kind(i), ref.kind(i)) for i in range(len(own.columns)))


def _overlap_of(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# The most matchings of a page's columns to the header's that are enumerated.
MAX_COLUMN_MATCHES = 64


def column_matchings(own: Geometry, ref: Geometry) -> list[list[int]]:
    """The ways the page's columns can be the reference's: in order, one to one, of the same kind."""
    out: list[list[int]] = []

    def extend(i: int, j: int, acc: list[int]) -> None:
        if len(out) >= MAX_COLUMN_MATCHES:
            return
        if i == len(own.columns):
            out.append(list(acc))
            return
        for k in range(j, len(ref.columns) - (len(own.columns) - i) + 1):
            if _compatible(own.kind(i), ref.kind(k)):
                acc.append(k)
                extend(i + 1, k + 1, acc)
                acc.pop()

    extend(0, 0, [])
    return out


def _remapped_page(n: int, lines: list[Line], own: Geometry, ref: Geometry) -> Page:
    """A header-less page whose columns sit elsewhere than the header's: each line cut by the page's own
    columns. Where one matching of its columns to the header's exists, the cells take the header's columns;
    otherwise the rows' cells are in order only, and their figures are placed by proposals."""
    matchings = column_matchings(own, ref)
    mapping = matchings[0] if len(matchings) == 1 else None
    width = len(ref.columns)
    geometry = None
    if mapping is not None:
        columns: list[tuple[int, int]] = []
        at = 0
        for j in range(width):
            i = mapping.index(j) if j in mapping else None
            columns.append(own.columns[i] if i is not None else (at, at))
            at = columns[-1][1]
        geometry = Geometry(own.metric, columns, frozenset(mapping[i] for i in own.figures),
                            frozenset(mapping[i] for i in own.words))
    page = Page(n, [], None, [], [], geometry)
    for line in lines:
        cells, fits = spaced_cells(line, own)
        if mapping is None or not fits:
            page.data.append(RawRow(packed_cells(line) if not fits else [c for c in cells if c.text], line, n,
                                    first_in_segment=not page.data, positional=False))
            continue
        placed = [Cell("", [], line.start) for _ in range(width)]
        for i, cell in enumerate(cells):
            placed[mapping[i]] = cell
        for j, cell in enumerate(placed):
            if not cell.text:
                placed[j] = Cell("", [], next((c.span[1] for c in reversed(placed[:j]) if c.text), line.start))
        page.data.append(RawRow(placed, line, n, first_in_segment=not page.data))
    page.data = join_wrapped_figures(page.data)
    return page


def join_wrapped_figures(rows: list[RawRow]) -> list[RawRow]:
    """Figures a narrow cell wrapped over two lines, joined into the row they belong to.

    A converter prints each line of a cell on a line of its own: a figure too wide
    for its cell comes out as a piece on one line and the rest on the next, in the
    same column ("10008.0" / "9"). When the cell is centred the row's other cells
    stand on the line between the two pieces; when it is aligned to the top, the
    first piece is on the row's line. A line that holds only such pieces is no row:
    its pieces join the row's empty (or cut) cells when the joined text is a number.
    The row keeps a note of each join, and the verifier checks the joined value like
    any other.
    """
    out: list[RawRow] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        upper = _figure_pieces(row)
        if upper and i + 2 < len(rows) and _joins_around(upper, rows[i + 1], rows[i + 2]):
            middle, lower = rows[i + 1], rows[i + 2]
            _join_pieces_into(middle, upper, _figure_pieces(lower), [row.line, lower.line])
            out.append(middle)
            i += 3
            continue
        if out and upper and _continues_figures(out[-1], upper):
            _join_pieces_into(out[-1], {k: Cell("", [], out[-1].cells[k].at) for k in upper}, upper, [row.line],
                              cut=True)
            i += 1
            continue
        out.append(row)
        i += 1
    return out


def _figure_pieces(row: RawRow) -> dict[int, Cell]:
    """The cells of a line that holds nothing but figures (the pieces of wrapped figures), by column."""
    if not row.positional or row.merged_from:
        return {}
    filled = {k: c for k, c in enumerate(row.cells) if c.text}
    if not filled or not all(re.fullmatch(r"[\d.,，]+", c.text) for c in filled.values()):
        return {}
    return filled


def _joins_around(upper: dict[int, Cell], middle: RawRow, lower: RawRow) -> bool:
    """A row whose cells in the upper pieces' columns are empty, between them and the lower pieces in the
    same columns, each pair joining into a number."""
    rest = _figure_pieces(lower)
    if not rest or set(rest) != set(upper) or not middle.positional:
        return False
    if any(middle.cell(k).text for k in upper) or not any(c.text for c in middle.cells):
        return False
    return all(_joined_number(upper[k].text, rest[k].text) for k in upper)


def _continues_figures(row: RawRow, pieces: dict[int, Cell]) -> bool:
    """A line of bare digits under the row's own figures: the rest of figures cut at the end of their cell
    ("159." / "15")."""
    if not row.positional or row.merged_from:
        return False
    return all(row.cell(k).text and piece.text.isdigit() and row.cell(k).text.endswith(".")
               and _joined_number(row.cell(k).text, piece.text) for k, piece in pieces.items())


def _joined_number(upper: str, lower: str) -> bool:
    return parse_amount(upper + lower) is not None and lower.isdigit()


def _join_pieces_into(row: RawRow, upper: dict[int, Cell], lower: dict[int, Cell], lines: list[Line],
                      cut: bool = False) -> None:
    for k, piece in upper.items():
        before = row.cells[k] if cut else piece
        row.cells[k] = before.joined(lower[k])
        row.notes.append(f"figure {before.text!r} + {lower[k].text!r} printed on two lines of its cell: "
                         f"read as {row.cells[k].text!r}")
    row.merged_from.extend(lines)


def _rows_above_header(lines: list[Line], first_words: set[str], data: list[Line]) -> int:
    """How many lines at the top of a later page, above its repeated header, are a row: lines that begin
    where the rows below begin and repeat no word of the first header, followed by lines that do."""
    if not first_words or not data:
        return 0
    words = "".join(norm(w) for w in first_words)
    starts = [toks[0].x0 for line in data if (toks := tokens(line, "narrow"))]
    margin = min(starts, default=0)
    n = 0
    while n < len(lines):
        toks = tokens(lines[n], "narrow")
        if not toks or toks[0].x0 > margin + 1 or any(
                not is_numberish(t.text) and norm(t.text) in words for t in toks):
            break
        n += 1
    return n if n < len(lines) else 0


# The most matchings of a page's own columns to its header's proposed for its rows.
MAX_COLUMN_PROPOSALS = 6


def _own_columns(lines: list[Line], previous: Geometry) -> tuple[Geometry, list[list[int]]] | None:
    """The columns a page with no header prints in, and the header's column each one is, when they fit
    the page's lines better than the header's columns do and match them one to one.

    The page's columns match the header page's in order, figures' columns with figures' and words'
    with words' (a column the header page left empty may be either). Each such match, likeliest
    first; where there are several, each row's cells under the others go with it for the verifier to
    choose. None when nothing matches or too much does: the rows are then placed by proposals.
    """
    own = page_geometry(lines, header_word_kind, (previous.metric,))
    fit = _fit_share(own, lines)
    if own is None or not _trusted(own, fit):
        return None
    if (fit, _figures_within(own, lines)) <= (_fit_share(previous, lines), _figures_within(previous, lines)):
        return None
    matches = column_matchings(own, previous)
    if not matches or len(matches) >= MAX_COLUMN_MATCHES:
        return None
    # Likeliest first: the matches that put fewest columns where the header's page printed nothing.
    matches.sort(key=lambda m: sum(previous.kind(k) == "?" for k in m))
    return own, matches[:MAX_COLUMN_PROPOSALS]


def _figures_within(geometry: Geometry, lines: list[Line]) -> float:
    """Share of the lines' figures that stand within a column of ``geometry``, not only nearest one."""
    figures = [t for line in lines for t in geometry.place(tokens(line, geometry.metric)) if is_numberish(t.text)]
    if not figures:
        return 1.0
    return sum(1 for t in figures if any(min(t.x1, b) > max(t.x0, a) for a, b in geometry.columns)) / len(figures)


def _in_columns(cells: list[Cell], where: list[int], width: int, line: Line) -> list[Cell]:
    """Cells read in a page's own columns, put in the header's columns (``where``: the header's column of each)."""
    out = [Cell("", [], line.start) for _ in range(width)]
    for cell, i in zip(cells, where):
        out[i] = cell
    return out


def _header_moved(previous: Geometry, header_lines: list[Line]) -> bool:
    """Whether a page's header words stand elsewhere than the same words of the header ``previous`` was
    worked out from: a converter that places each page on its own (``pdftotext -layout`` scales each
    page)."""
    if not previous.header_words:
        return False
    at: dict[str, set[int]] = {}
    for text, x0 in previous.header_words:
        at.setdefault(text, set()).add(x0)
    same = [any(abs(t.x0 - x) <= 1 for x in at[t.text])
            for line in header_lines for t in tokens(line, previous.metric) if t.text in at]
    return len(same) >= 2 and sum(same) * 2 < len(same)


_AMOUNT_WORD = re.compile(r"合计|小计|总计|金额|预算数|决算数|^数$|经费|拨款|收入|支出|资金|结转|数量|单价|价值")


def header_word_kind(word: str) -> str | None:
    """What a header word heads: "text" for a name's column (项目, 科目名称), "figures" for an amount's."""
    word = norm(word)
    if _LABEL_HEADER.search(word):
        return "text"
    if _AMOUNT_WORD.search(word) and not _CODE_HEADER.search(word):
        return "figures"
    return None


def _trusted(geometry: Geometry, fit: float) -> bool:
    """Positions say where cells are only when the page shows columns and most data lines fit them (``fit``:
    the share that do, ``_fit_share``)."""
    return len(geometry.columns) >= 3 and fit >= 0.8


def _fit_share(geometry: Geometry | None, data: list[Line]) -> float:
    if geometry is None or not data:
        return 0.0
    return sum(spaced_cells(line, geometry)[1] for line in data) / len(data)


# --- layouts ---------------------------------------------------------------------------------------

@dataclass
class Layout:
    """Where each column of one page of a table sits, and which key each amount column has."""

    width: int
    paths: list[str]
    seq: int | None = None
    code: list[int] = field(default_factory=list)  # one code column, or 类 / 款 / 项
    label: int | None = None
    labels_by_side: dict[str, int] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)  # cell index -> column key, in the order printed
    key_labels: dict[str, str] = field(default_factory=dict)  # column key -> header text as printed
    header_lines: list[Line] = field(default_factory=list)
    how: str = "header"
    # The header's empty cells were dropped (its rows are packed to the left): so were the data's, and
    # no row's cells can be taken to sit in their columns.
    packed: bool = False
    # Columns the registry does not know whose cells hold words, not figures (采购方式, 资金性质): read as text.
    texts: frozenset[str] = frozenset()

    def is_text(self, spec: TableSpec, key: str) -> bool:
        return key in self.texts or spec.column(key).type == "text"

    @cached_property  # asked of every row; a layout's paths and keys are set before any row is read in it
    def needed(self) -> int:
        """Cells a row must have for each to sit in its column: up to the last column the header names."""
        named = [i for i, p in enumerate(self.paths) if p] + list(self.keys)
        return max(named) + 1 if named else self.width

    def side_of(self, index: int, spec: TableSpec) -> str | None:
        key = self.keys.get(index)
        if key is not None and spec.column(key).side:
            return spec.column(key).side
        starts = sorted((i, s) for s, i in self.labels_by_side.items())
        side = None
        for i, s in starts:
            if index > i:
                side = s
        return side


_SEQ = re.compile(r"^(序号|行次|编号)$")
_CLASS_GROUP = re.compile(r"科目$|科目(编码|代码)$|^(编码|代码)$")
_CODE_OR_NAME = re.compile(r"编码|代码|名称|^[类款项]$|科目|序号|行次|编号")
# Words that head a group of columns in the national templates.
_PARENT_WORDS = re.compile(r"分类科目$|^科目$|^(收入|支出|资金性质|资金来源)$|^本年(收入|支出|拨款|财政拨款)$|^(政府)?采购金额|结转|份额|项目来源")
# 类款项 / 类款: the code's levels over one column, printed a space apart ("类 款 项") and read as one spaced-out word.
# 科目编号: a code's header in some templates (编号 alone numbers the lines: 序号).
_CODE_HEADER = re.compile(r"(科目|分类)?(编码|代码)$|(科目|分类)编号$|^(类|款|项)$|/(类|款|项)$|^科目$|(^|/)类款项?$")
_LABEL_HEADER = re.compile(r"(科目|项目|物品|单位|部门)?名称$|(^|/)(采购|购买|建设|收入|支出)?项目$|^科目名称")
_MEMO = re.compile(r"其中")


def build_layouts(spec: TableSpec, header: list[list[Cell]], lanci: list[Cell] | None, lines: list[Line],
                  centred: bool = False, data_width: int = 0) -> list[Layout]:
    """The layouts a page's header allows: as printed, and re-laid by the 栏次 row where that differs.

    The first is the reader's own reading; the others are proposals for the
    verifier, which keeps the one under which the table's numbers add up.

    They depend on the words of the header and of the 栏次 row only (not on where they are printed), which
    repeat on every page of a table and across the documents of one template: worked out once per header
    text, each page gets copies of its own, with its header lines.
    """
    header_texts = tuple(tuple(c.text for c in row) for row in header)
    lanci_texts = tuple(c.text for c in lanci) if lanci else None
    return [replace(layout, header_lines=lines)
            for layout in _layouts_of_header(spec, header_texts, lanci_texts, centred, data_width)]


@lru_cache(maxsize=1024)
def _layouts_of_header(spec: TableSpec, header_texts: tuple[tuple[str, ...], ...],
                       lanci_texts: tuple[str, ...] | None, centred: bool, data_width: int) -> tuple[Layout, ...]:
    """``build_layouts`` on the header's words. The layouts it returns are shared: never changed after this."""
    header = [[Cell(text) for text in row] for row in header_texts]
    lanci = [Cell(text) for text in lanci_texts] if lanci_texts is not None else None
    unpacked = _unpacked_header(spec, header, data_width) if header and not centred else None
    paths = unpacked or (header_paths(header, centred, lambda t: _known(spec, (t,)) > 0
                                      or bool(_PARENT_WORDS.search(t)), lambda t: _whole_word(spec, t))
                         if header else [])
    width = max(len(paths), len(lanci or []))
    paths += [""] * (width - len(paths))
    base = _layout(spec, paths, width, [])
    base.packed = unpacked is not None
    layouts = [base]
    label_positions = sorted(base.keys)
    numbered = [i for i, c in enumerate(lanci) if c.text.isdigit()] if lanci else []
    for positions, how in ((label_positions, "header positions, template order"),
                           (numbered, "栏次 row, header order"), (numbered, "栏次 row, template order")):
        relaid = _relaid(spec, base, positions, how)
        if relaid is not None and all(relaid.keys != l.keys for l in layouts):
            layouts.append(relaid)
    parents = _parent_keys(spec, base)
    if parents is not None and all(parents.keys != l.keys for l in layouts):
        layouts.append(parents)
    swallowed = _swallowed_amount(spec, base)
    if swallowed is not None and all(swallowed.keys != l.keys for l in layouts):
        layouts.append(swallowed)
    if lanci and len(layouts) > 1 and _lanci_is_certain(base, lanci):
        # The numbered row names columns the header does not line up with: its readings come first.
        layouts.sort(key=lambda l: not l.how.startswith("栏次"))
    return tuple(layouts)


def counted_seq(layout: Layout, data: list[RawRow]) -> Layout:
    """The layout with its first column read as 序号 when the header names nothing there and the rows
    count 1, 2, 3… in it (a converter that wrote the full-height 序号 cell apart from the header's lines)."""
    if layout.seq is not None or not layout.paths or layout.paths[0] or 0 in layout.keys or 0 in layout.code \
            or layout.label == 0:
        return layout
    firsts = [r.cells[0].text for r in data if r.positional and r.cells and r.cells[0].text]
    if len(firsts) < 3 or not all(t.isdigit() for t in firsts):
        return layout
    numbers = [int(t) for t in firsts]
    if any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return layout
    return replace(layout, seq=0)


def worded_columns(spec: TableSpec, layout: Layout, data: list[RawRow]) -> Layout:
    """The layout with the columns the registry does not know whose cells all hold words read as text columns;
    where the header names no label column, the first of them is the rows' label (采购项目 | 采购品目 | 数量 …)."""
    worded = []
    last = max((*layout.keys, *_roled_cells(layout)), default=None)
    for i, key in sorted(layout.keys.items()):
        if key.isascii() or key.startswith("列"):
            continue
        cells = [r.cells[i].text for r in data if r.positional and i < len(r.cells) and r.cells[i].text]
        if i == last:
            cells += _trailing_words(layout, data)
        if len(cells) >= 2 and all(_wording(t) for t in cells):
            worded.append((i, key))
    if not worded:
        return layout
    keys = dict(layout.keys)
    label = layout.label
    if label is None and not layout.labels_by_side and spec.row_key != "two_sided":
        label, key = worded.pop(0)
        del keys[label]
    return replace(layout, keys=keys, label=label, texts=layout.texts | frozenset(k for _i, k in worded))


def _roled_cells(layout: Layout) -> list[int]:
    return [i for i in (layout.seq, layout.label, *layout.code, *layout.labels_by_side.values()) if i is not None]


def _trailing_words(layout: Layout, data: list[RawRow]) -> list[str]:
    """The words that end the rows which lost empty cells (… | 850.00 | 850.00 | 按期完成建设任务 under a header that
    ends 上年结转 | 绩效目标): the last column's own cells, slid left of it with the figures before them."""
    words = []
    for r in data:
        printed = [c.text for c in r.cells if c.text]
        if r.positional and len(r.cells) < layout.needed and len(printed) >= 2 and _wording(printed[-1]) \
                and not _wording(printed[-2]):
            words.append(printed[-1])
    return words


def codes_beside(layout: Layout, data: list[RawRow]) -> Layout:
    """The layout with its code read from the column beside the code column, where the code column holds nothing
    and that one, under no header, holds classification codes only: codes right-aligned in a wide cell whose
    header (科目编码, under a merged 经济分类科目) is printed at its left."""
    if len(layout.code) != 1:
        return layout
    c = layout.code[0]
    if any(r.positional and r.text_at(c) for r in data):
        return layout
    taken = {*layout.keys, layout.label, layout.seq, *layout.labels_by_side.values()}
    for j in (c + 1, c - 1):
        if not 0 <= j < len(layout.paths) or layout.paths[j] or j in taken:
            continue
        printed = [r.text_at(j) for r in data if r.positional and r.text_at(j)]
        if len(printed) >= 2 and all(_CODE.match(t) for t in printed):
            return replace(layout, code=[j])
    return layout


_FIGURE_WORDS = re.compile(r"^[\d\s.,，．（）()%％+\-−－—]*$")


def _wording(text: str) -> bool:
    return parse_amount(text) is None and not is_blank_mark(text) and not _FIGURE_WORDS.match(text)


def _unpacked_header(spec: TableSpec, header: list[list[Cell]], data_width: int = 0) -> list[str] | None:
    """The column paths of a header whose rows lost their empty cells, or None if it did not.

    Such a header prints each row's words packed to the left, so a merged cell
    no longer stands over its children. Each word of an upper row is either a
    column of its own, full height, or the parent of the next few columns of the
    rows below; the reading under which the most columns are ones the registry
    knows is the header's.
    """
    rows = [[norm(c.text) for c in r if c.text] for r in header]
    # Rows of as many words each are packed too when the data print more cells than any of them.
    if len(rows) < 2 or (len({len(r) for r in rows}) < 2 and data_width <= max(len(r) for r in rows)):
        return None
    if not all(_packed_left(r) for r in header):
        return None
    units = [(w,) for w in rows[-1]]
    for upper in reversed(rows[:-1]):
        units = _place_parents(spec, upper, units)
        if units is None:
            return None
    return ["/".join(u) for u in units]


def _packed_left(row: list[Cell]) -> bool:
    filled = [i for i, c in enumerate(row) if c.text]
    return filled == list(range(len(filled)))


def _place_parents(spec: TableSpec, upper: list[str], units: list[tuple[str, ...]]) -> list[tuple[str, ...]] | None:
    """Lay the words of an upper header row over the columns below: as parents of some, or as columns of their own.

    Readings the registry scores alike (本年收入 over its eight sources with 上年结转 a column of its own, or 本年收入
    a column of its own with 上年结转 over the eight) are told apart by the registry's template order: the reading
    whose columns come in the order the kind's tables print them."""
    @lru_cache(maxsize=None)
    def best(i: int, j: int) -> tuple[int, tuple[tuple, ...]]:
        """The best score from upper word ``i`` and unit ``j`` on, and the readings (a few at most) that reach it."""
        if i == len(upper):
            return (0, ((),)) if j == len(units) else (-10_000, ((),))
        word = upper[i]
        options = []
        score, rests = best(i + 1, j)
        options.append((score + _known(spec, (word,)), [((word,),) + rest for rest in rests]))
        for k in range(j + 1, len(units) + 1):
            score, rests = best(i + 1, k)
            group = tuple((word, *u) for u in units[j:k])
            options.append((score + _group_score(spec, group), [group + rest for rest in rests]))
        top = max(o[0] for o in options)
        tied = tuple(r for score, readings in options if score == top for r in readings)
        return top, tied[:_MAX_TIED_READINGS]

    score, placed = best(0, 0)
    if score <= -10_000:
        return None
    return list(min(placed, key=lambda reading: _out_of_order(spec, reading)))


_MAX_TIED_READINGS = 16


def _out_of_order(spec: TableSpec, reading: tuple[tuple[str, ...], ...]) -> int:
    """How many pairs of the reading's known columns come in the other order than the registry's template."""
    order = {key: n for n, key in enumerate(spec.column_keys)}
    ranks = [order[k] for k in (best_column(spec, "/".join(parts)) for parts in reading) if k in order]
    return sum(1 for a in range(len(ranks)) for b in range(a + 1, len(ranks)) if ranks[a] > ranks[b])


def _whole_word(spec: TableSpec, text: str) -> bool:
    """A header word on its own: some pattern of the registry or of the code, label and parent headers
    matches all of it, not a piece of it."""
    if text in _SHORT_HEADERS:
        return True
    patterns = [r for c in spec.columns for r in c.regexes]
    for pattern in [*patterns, _SEQ, _CODE_HEADER, _LABEL_HEADER, _PARENT_WORDS]:
        m = pattern.search(text)
        if m and m.start() == 0 and m.end() == len(text):
            return True
    return False


def _group_score(spec: TableSpec, group: tuple[tuple[str, ...], ...]) -> int:
    """The columns under one parent: each known one counts, an amount key named twice counts against."""
    score = 0
    seen: set[str] = set()
    for parts in group:
        known = _known(spec, parts)
        key = best_column(spec, "/".join(parts)) if known > 0 else None
        if key is not None and key in seen:
            known = -1
        seen.add(key)
        score += known
    return score


def _known(spec: TableSpec, parts: tuple[str, ...]) -> int:
    """+1 for a column path this reader understands (序号, a code or label column, a registry key), else -1.

    类 / 款 / 项 are the parts of a code: under 编码 they count double, under anything else against.
    """
    path = "/".join(parts)
    leaf = parts[-1]
    if leaf in ("类", "款", "项") and len(parts) > 1:
        return 2 if re.search(r"编码|代码|科目$", parts[-2]) else -1
    if _SEQ.match(leaf) or _CODE_HEADER.search(path) or _LABEL_HEADER.search(path):
        # A code or name column under an amount's header (项目支出 over 科目名称) or under 序号 is no column this
        # reader knows: a packed header that lost its spans lays 科目名称 under the class group (功能分类科目).
        if len(parts) > 1 and (_CODE_HEADER.search(leaf) or _LABEL_HEADER.search(leaf)) \
                and any(best_column(spec, p) is not None or _SEQ.match(p) for p in parts[:-1]):
            return -1
        return 1
    return 1 if best_column(spec, path) is not None else -1


def _memo_column(spec: TableSpec, path: str) -> str | None:
    key = column_for_path(spec, path)
    return key if key is not None and spec.column(key).memo else None


def _layout(spec: TableSpec, paths: list[str], width: int, lines: list[Line]) -> Layout:
    layout = Layout(width=width, paths=paths, header_lines=lines)
    label_cols: list[int] = []
    as_named = relative_years(paths)  # "2024年预算数 | 2025年预算数" name 上年 and 本年
    budget = _budget_beside_final(as_named)
    for i, path in enumerate(paths):
        leaf = path.split("/")[-1] if path else ""
        if _SEQ.match(leaf):
            layout.seq = i
        elif _CODE_HEADER.search(path) and not _LABEL_HEADER.search(leaf) and (not layout.code or _is_code_part(leaf)) \
                and not _matches_text_column(spec, path):  # a project's code (项目编码) is text, not a 科目 code
            layout.code.append(i)
        elif _LABEL_HEADER.search(path) and not _matches_text_column(spec, path):
            label_cols.append(i)
        elif path:
            key = None if i in budget else _memo_column(spec, as_named[i]) if _MEMO.search(path) \
                else column_for_path(spec, as_named[i])
            if key is None or key in layout.keys.values():
                key = _extra_key(path, layout)
            layout.keys[i] = key
            layout.key_labels[key] = path
    _lone_amount_is_total(spec, layout)
    if not label_cols and layout.code and all(paths[i] == "科目" for i in layout.code):
        # 科目 alone over the first column and no name column: it holds the names, a code printed in them or not
        # (2050101 行政运行, [205]教育支出, 教育管理事务), as budget systems export them — not codes only.
        label_cols, layout.code = layout.code, []
    if len(label_cols) > 1 and spec.row_key != "two_sided":
        label_cols = _one_label(spec, paths, label_cols, layout)
    if label_cols:
        layout.label = label_cols[0]
    if spec.row_key == "two_sided":
        for n, i in enumerate(label_cols):
            side = "income" if "收入" in paths[i] else "expenditure" if "支出" in paths[i] else ("income", "expenditure")[min(n, 1)]
            layout.labels_by_side.setdefault(side, i)
    return layout


# A column naming the unit a line belongs to (单位名称 | 项目名称 …): the line is the project, not the unit.
_UNIT_NAME = re.compile(r"^(?:预算|主管|实施|项目)?(?:单位|部门)(?:名称)?$")


def _one_label(spec: TableSpec, paths: list[str], label_cols: list[int], layout: Layout) -> list[int]:
    """Of several name columns (单位名称 | 项目名称), the rows' label is the first that does not name a unit; the
    others are kept as text columns (the unit under 项目单位 where the kind has one), never dropped."""
    label = next((i for i in label_cols if not _UNIT_NAME.match(paths[i].split("/")[-1])), label_cols[0])
    texts = set(layout.texts)
    for i in label_cols:
        if i == label:
            continue
        unit = _UNIT_NAME.match(paths[i].split("/")[-1]) and spec.has_column("project_unit")
        key = "project_unit" if unit and "project_unit" not in layout.keys.values() else _extra_key(paths[i], layout)
        layout.keys[i] = key
        layout.key_labels[key] = paths[i]
        if not spec.has_column(key):
            texts.add(key)
    layout.keys = dict(sorted(layout.keys.items()))
    layout.texts = frozenset(texts)
    return [label]


def _lone_amount_is_total(spec: TableSpec, layout: Layout) -> None:
    """A table that prints one amount column, under a header the registry does not know (本期数, 2025年度),
    prints its total there: the relations and the other tables read it as such."""
    if len(layout.keys) != 1 or spec.row_key == "two_sided" or not spec.has_column("total"):
        return
    (i, key), = layout.keys.items()
    if key.isascii() or spec.column(key).type != "amount" or _MEMO.search(key):
        return
    layout.keys[i] = "total"
    layout.key_labels["total"] = layout.key_labels.pop(key)


SIDE_BY_SIDE = "a table printed beside another under one title"


def side_by_side_tables(spec: TableSpec, layout: Layout) -> list[tuple[int, Layout]] | None:
    """The tables a header prints side by side, each with its own code, name and amount columns (the 2024
    template's 基本支出表: 人员经费 科目编码 | 科目名称 | 金额 beside 公用经费 科目编码 | 科目名称 | 金额): each one's first
    column and its own layout, or None for one table.

    The same leaf headers repeated, in the same order, across the whole width, a code or name column among them,
    make such tables. A generic amount column (金额, 预算数) in one of them is keyed by its group's header (人员经费)
    where the registry names it. Worked out once per layout (the rows of a page share it).
    """
    if "_side_by_side" in layout.__dict__:
        return layout.__dict__["_side_by_side"]
    layout.__dict__["_side_by_side"] = found = _side_by_side_tables(spec, layout)
    return found


def _side_by_side_tables(spec: TableSpec, layout: Layout) -> list[tuple[int, Layout]] | None:
    if spec.row_key == "two_sided" or layout.packed:
        return None
    paths = layout.paths
    leaves = [p.rsplit("/", 1)[-1] for p in paths]
    width = len(leaves)
    for size in range(2, width // 2 + 1):
        if width % size or any(leaves[i] != leaves[i % size] for i in range(width)):
            continue
        group = leaves[:size]
        if not all(group) or not any(_CODE_HEADER.search(g) or _LABEL_HEADER.search(g) for g in group):
            return None
        tables = []
        for start in range(0, width, size):
            own = _layout(spec, paths[start:start + size], size, layout.header_lines)
            own.how = SIDE_BY_SIDE
            if not own.keys:
                return None
            for i, key in list(own.keys.items()):
                parent = paths[start + i].rsplit("/", 1)[0] if "/" in paths[start + i] else ""
                named = best_column(spec, parent) if parent else None
                if key == "total" and named not in (None, "total") and named not in own.keys.values():
                    own.keys[i] = named
                    own.key_labels[named] = own.key_labels.pop(key)
            tables.append((start, own))
        shared = set.intersection(*(set(own.keys.values()) for _s, own in tables))
        for n, (start, own) in enumerate(tables, start=1):
            for i, key in list(own.keys.items()):
                if key in shared:
                    # No group header tells the tables' columns apart (科目编码 | 科目名称 | 金额 twice): each table's
                    # keeps a column of its own, none taken for the other's (nor for a 合计 of both).
                    own.keys[i] = mine = f"{paths[start + i]}#{n}"
                    own.key_labels[mine] = own.key_labels.pop(key)
        return tables
    return None


def _is_code_part(leaf: str) -> bool:
    return leaf in ("类", "款", "项")


def _extra_key(path: str, layout: Layout) -> str:
    key = path
    n = 2
    while key in layout.keys.values():
        key = f"{path}#{n}"
        n += 1
    return key


def _matches_text_column(spec: TableSpec, path: str) -> bool:
    key = best_column(spec, path)
    return key is not None and spec.column(key).type == "text"


# A money unit in brackets at the end of a header cell: 预算数（元）, 金额(万元), 合计（单位：元）.
_UNIT_SUFFIX = re.compile(r"[（(](?:金额)?(?:单位[：:])?(?:人民币)?(?:百万元|万元|千元|亿元|元)[)）](?=/|$)")


@lru_cache(maxsize=16384)
def column_for_path(spec: TableSpec, path: str) -> str | None:
    """The registry key a header path names: the leaf's own words first, its parents only when the leaf
    alone says nothing ("小计" needs "本年收入/"), so that a parent's words never outvote the leaf's."""
    path = _UNIT_SUFFIX.sub("", path)  # 基本支出（元） is 基本支出: the unit is the table's (extractor.units)
    if spec.row_key == "two_sided":
        return best_column(spec, path)  # 收入 / 支出 over the columns say which side each is on
    parts = path.split("/")
    group = next((k for k, part in enumerate(parts[:-1]) if _LAST_YEAR_GROUP.match(part)), None)
    if group is not None:
        return _last_year_column(spec, parts[group + 1:])
    if "/" in path and not _AGGREGATE_LEAF.search(path) and (nested := _nested_column(spec, path)) is not None:
        return nested
    for k in range(len(parts) - 1, -1, -1):
        key = best_column(spec, "/".join(parts[k:]))
        if key is not None:
            return key
    return None


# A group of last year's columns (上年预算数 over 合计 | 因公出国(境)费 | …; 2024年预算数 beside 2025年预算数 reads
# so, see ``relative_years``): the national template prints the 三公 table and some expenditure tables that way.
_LAST_YEAR_GROUP = re.compile(r"^上年度?(预算|决算)?(数|金额)?$")


# A final account's table printing the year's budget beside what was spent (预算数 over 合计 | 因公出国(境)费 | …
# beside 决算数 over the same, or 预算数 | 决算数 flat): the table is about the 决算数, which take the keys; the
# budget's columns keep their header paths (exported and checked among themselves, never read as the year's figures).
_BUDGET_GROUP = re.compile(r"^(年初|全年|调整后)?预算数?$")
_FINAL_GROUP = re.compile(r"^(本年|全年)?决算数?$")


def _budget_beside_final(paths: list[str]) -> set[int]:
    groups = [p.split("/", 1)[0] for p in paths]
    if not any(_FINAL_GROUP.match(g) for g in groups):
        return set()
    return {i for i, g in enumerate(groups) if _BUDGET_GROUP.match(g)}


def _last_year_column(spec: TableSpec, below: list[str]) -> str | None:
    """The key of a column printed under last year's group: its own total is last year's (``previous_year``);
    its other columns are last year's parts, which no key of this year's may take (they keep their header path,
    so that this year's 合计, 公务接待费 … are read from this year's group, not from the first one printed)."""
    if len(below) == 1 and below[0] in ("合计", "小计", "总计") and spec.has_column("previous_year"):
        return "previous_year"
    return None


# A leaf that only says "the total of what is above" (基本支出/合计): the leaf's own key comes first, as always.
_AGGREGATE_LEAF = re.compile(r"/(合计|小计|总计)$")


def _nested_column(spec: TableSpec, path: str) -> str | None:
    """The key a pattern names by a parent and its leaf together ("本年财政拨款/一般公共预算", "结转结余/一般公共预算"):
    it says more than the leaf alone, which may name the same source printed flat."""
    best, best_len = None, 0
    for col in spec.columns:
        for pattern in col.regexes:
            if "/" not in pattern.pattern:
                continue
            m = pattern.search(path)
            if m and "/" in m.group(0) and m.end() > path.rfind("/") + 1 and len(m.group(0)) > best_len:
                best, best_len = col.key, len(m.group(0))
    return best


@lru_cache(maxsize=16384)
def best_column(spec: TableSpec, path: str) -> str | None:
    best, best_len = None, 0
    for col in spec.columns:
        for pattern in col.regexes:
            m = pattern.search(path)
            if m and len(m.group(0)) > best_len:
                best, best_len = col.key, len(m.group(0))
    return best


def _relaid(spec: TableSpec, layout: Layout, positions: list[int], how: str) -> Layout | None:
    """The recognised columns laid onto other positions: the 栏次 row's, or the header's own.

    A long header cell may push its neighbours off, and a converter may drop an
    empty header cell so that a header row slides left over its neighbours. The
    numbered row sits over the data. The keys keep the order the header prints
    them in ("header order"), or the template's order in the registry
    ("template order").
    """
    taken = {*layout.code, layout.label, *layout.labels_by_side.values(), layout.seq}
    positions = [i for i in positions if i not in taken]
    if not positions or len(positions) != len(layout.keys):
        return None
    keys = [layout.keys[i] for i in sorted(layout.keys)]
    if how.endswith("template order"):
        order = {k: n for n, k in enumerate(spec.column_keys)}
        if any(k not in order for k in keys):
            return None
        keys.sort(key=lambda k: order[k])
    return Layout(width=layout.width, paths=layout.paths, seq=layout.seq, code=layout.code, label=layout.label,
                  labels_by_side=layout.labels_by_side, keys=dict(zip(positions, keys)),
                  key_labels=layout.key_labels, header_lines=layout.header_lines, how=how)


def _parent_keys(spec: TableSpec, layout: Layout) -> Layout | None:
    """The layout with a column keyed by its parent header cell where that cell names a column of its own.

    A converter that shifts a header row slides a leaf under its neighbour
    ("上年结转" over "其他收入"): a full-height column then reads as the parent
    of the next column's header. Where the parent names a key the layout has
    nowhere else, the column may be that key's.
    """
    keys = dict(layout.keys)
    for i, key in layout.keys.items():
        parts = layout.paths[i].split("/") if i < len(layout.paths) else []
        if len(parts) < 2 or key not in spec.column_keys:
            continue
        parent = best_column(spec, parts[-2])
        if parent is not None and parent != key and parent not in keys.values() \
                and not _PARENT_WORDS.fullmatch(parts[-2]):
            keys[i] = parent
    if keys == layout.keys:
        return None
    return Layout(width=layout.width, paths=layout.paths, seq=layout.seq, code=layout.code, label=layout.label,
                  labels_by_side=layout.labels_by_side, keys=keys,
                  key_labels={**layout.key_labels, **{k: k for k in keys.values() if k not in layout.key_labels}},
                  header_lines=layout.header_lines, how="parent header cell as the column")


def _swallowed_amount(spec: TableSpec, layout: Layout) -> Layout | None:
    """The layout with an amount column whose header word was laid over the name or code column (合计 over 科目名称)
    put back as the first amount column, the others one column to the right.

    Text that counts a Chinese character as one column where the page printed it two wide (PyMuPDF's sorted text,
    some pdfplumber layouts) prints the header to the left of the figures under it: the first amount's word lands
    on the name column, and the figures read one column too far left. Only a proposal: the verifier keeps it where
    the rows add up under it.
    """
    taken = {*layout.code, layout.label, layout.seq} - {None}
    lost = []
    for i in sorted(taken):
        parts = layout.paths[i].split("/") if i < len(layout.paths) and layout.paths[i] else []
        for part in parts[:-1] if len(parts) > 1 else []:
            key = best_column(spec, part)
            if key is not None and key not in layout.keys.values() and spec.column(key).type == "amount":
                lost.append((key, part))
    if len(lost) != 1 or not layout.keys:
        return None
    positions = sorted(layout.keys)
    after = next((i for i in range(positions[-1] + 1, layout.width) if i not in taken), None)
    if after is None or any(i < max(taken, default=-1) for i in positions):
        return None
    (key, word), = lost
    keys = [key] + [layout.keys[i] for i in positions]
    return Layout(width=layout.width, paths=layout.paths, seq=layout.seq, code=layout.code, label=layout.label,
                  labels_by_side=layout.labels_by_side, keys=dict(zip(positions + [after], keys)),
                  key_labels={**layout.key_labels, key: word}, header_lines=layout.header_lines,
                  how="an amount's header printed over the name column")


def _lanci_is_certain(layout: Layout, lanci: list[Cell]) -> bool:
    """The 栏次 row numbers every column the header names, and nothing else: it, not the header, is aligned."""
    numbered = {i for i, c in enumerate(lanci) if c.text.isdigit()}
    return bool(numbered) and not (set(layout.keys) <= numbered)
