"""Table rows as cells with spans, header paths, and the joining of rows cut by a page break."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from schemas import TableSpec

from .chunk import Line, LineKind, Segment


@dataclass
class Cell:
    text: str
    parts: list[tuple[int, int]] = field(default_factory=list)
    at: int = 0  # offset of the cell even when it is empty

    @property
    def span(self) -> tuple[int, int]:
        if not self.parts:
            return (self.at, self.at)
        return (self.parts[0][0], self.parts[-1][1])

    def joined(self, other: "Cell") -> "Cell":
        if not other.text:
            return self
        if not self.text:
            return other
        return Cell(self.text + other.text, self.parts + other.parts, self.at)


@dataclass
class RawRow:
    cells: list[Cell]
    line: Line
    segment: int
    first_in_segment: bool
    layout: "Layout | None" = None
    merged_from: list[Line] = field(default_factory=list)

    def cell(self, index: int | None) -> Cell:
        if index is None or index >= len(self.cells):
            return Cell("", [], self.line.end)
        return self.cells[index]

    @property
    def span(self) -> tuple[int, int]:
        return (self.line.start, (self.merged_from[-1] if self.merged_from else self.line).end)

    @property
    def is_blank(self) -> bool:
        return not any(c.text for c in self.cells)


def split_cells(line: Line) -> list[Cell]:
    """Cells of a pipe or tab row, each stripped, with its offsets in the document."""
    text, base = line.text, line.start
    if line.kind is LineKind.PIPE:
        first = text.index("|")
        pieces = text[first + 1:].split("|")
        if text.rstrip().endswith("|"):
            pieces = pieces[:-1]  # what follows the closing pipe is not a cell
        pos = base + first + 1
    else:
        pieces = text.split("\t")
        pos = base
    cells = []
    for raw in pieces:
        body = raw.strip()
        s = pos + (len(raw) - len(raw.lstrip()))
        cells.append(Cell(body, [(s, s + len(body))] if body else [], s))
        pos += len(raw) + 1
    return cells


_FOLD = str.maketrans("（）：", "():")


@lru_cache(maxsize=65536)
def norm(label: str) -> str:
    """Header text compared without spaces and with full-width punctuation folded."""
    return "".join(label.split()).translate(_FOLD)


_LANCI = re.compile(r"^(栏次|档次|栏|序列)$")
_HEADER_WORDS = re.compile(
    r"项目|科目|编码|名称|合计|小计|总计|收入|支出|预算|金额|经费|序号|指标|类型|单位|数量|价值|资金|性质|拨款|结转|采购|目录|份额|单价|品目|内容"
)
_DATA_LIKE = re.compile(r"^(\d+、|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|其中)")
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
    if any(_DATA_LIKE.match(t) for t in texts):
        return False
    from schemas import parse_amount

    if any(parse_amount(t) is not None for t in texts):
        return False
    return all(len(t) <= 40 for t in texts) and any(_HEADER_WORDS.search(t) for t in texts)


@dataclass
class Layout:
    """Where each column of one page of a table sits."""

    width: int
    paths: list[str]
    seq: int | None = None
    code: int | None = None
    label: int | None = None
    labels_by_side: dict[str, int] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)  # cell index -> column key
    key_labels: dict[str, str] = field(default_factory=dict)  # column key -> header text as printed
    header_lines: list[Line] = field(default_factory=list)


def header_paths(header: list[list[Cell]]) -> list[str]:
    width = max(len(r) for r in header)
    grid = [[norm(r[i].text) if i < len(r) else "" for i in range(width)] for r in header]
    filled = [row[:] for row in grid]
    for r in range(len(grid) - 1):
        below = grid[r + 1:]
        for i in range(width):
            if not grid[r][i]:
                continue
            j = i + 1
            while j < width and not grid[r][j] and any(b[j] for b in below):
                filled[r][j] = grid[r][i]
                j += 1
    paths = []
    for i in range(width):
        parts = [filled[r][i] for r in range(len(grid)) if filled[r][i]]
        dedup = [p for k, p in enumerate(parts) if k == 0 or p != parts[k - 1]]
        paths.append("/".join(dedup))
    return paths


_SEQ = re.compile(r"^序号$")
_CODE_HEADER = re.compile(r"(科目)?编码$|^(类|款|项)$")
_LABEL_HEADER = re.compile(r"(科目|项目|物品)?名称$|(^|/)项目$|^项目$")


def build_layout(spec: TableSpec, header: list[list[Cell]], lanci: list[Cell] | None, lines: list[Line]) -> Layout:
    paths = header_paths(header)
    width = max(len(paths), len(lanci or []))
    layout = Layout(width=width, paths=paths, header_lines=lines)
    label_cols: list[int] = []
    for i, path in enumerate(paths):
        leaf = path.split("/")[-1] if path else ""
        if _SEQ.match(leaf):
            layout.seq = i
        elif _CODE_HEADER.search(leaf) and layout.code is None:
            layout.code = i
        elif _LABEL_HEADER.search(path) and not _matches_text_column(spec, path):
            label_cols.append(i)
        else:
            key = best_column(spec, path)
            if key and key not in layout.keys.values():
                layout.keys[i] = key
                layout.key_labels[key] = path
    if label_cols:
        layout.label = label_cols[0]
    if spec.row_key == "two_sided":
        for n, i in enumerate(label_cols):
            side = "income" if "收入" in paths[i] else "expenditure" if "支出" in paths[i] else ("income", "expenditure")[min(n, 1)]
            layout.labels_by_side.setdefault(side, i)
    _realign_by_lanci(spec, layout, lanci)
    return layout


def _matches_text_column(spec: TableSpec, path: str) -> bool:
    key = best_column(spec, path)
    return key is not None and spec.column(key).type == "text"


def best_column(spec: TableSpec, path: str) -> str | None:
    best, best_len = None, 0
    for col in spec.columns:
        for pattern in col.patterns:
            m = re.search(pattern, path)
            if m and len(m.group(0)) > best_len:
                best, best_len = col.key, len(m.group(0))
    return best


def _realign_by_lanci(spec: TableSpec, layout: Layout, lanci: list[Cell] | None) -> None:
    """Lay the recognised columns onto the data cells in the template's own order.

    The header's labels are right but a long header cell may push its
    neighbours one cell off. The numbered 栏次 row, where there is one, sits
    over the data; without it the labelled cells' positions are used. Either
    way the keys go onto those positions in the order the template prints them.
    """
    numbered = [i for i, c in enumerate(lanci) if c.text.isdigit()] if lanci else sorted(layout.keys)
    taken = {layout.code, layout.label, *layout.labels_by_side.values(), layout.seq}
    positions = [i for i in numbered if i not in taken]
    if len(positions) != len(layout.keys):
        return
    order = {k: n for n, k in enumerate(spec.column_keys)}
    keys = sorted(layout.keys.values(), key=lambda k: order[k])
    layout.keys = dict(zip(positions, keys))


def _repeats(cells: list[Cell], first_header: set[str]) -> bool:
    """A later page's header row repeats the first page's header (cells may wrap differently)."""
    texts = [norm(c.text) for c in cells if c.text]
    return bool(texts) and sum(t in first_header for t in texts) >= max(1, len(texts) // 2)


def segment_rows(segments: list[Segment]) -> list[tuple[int, list[RawRow], list[list[Cell]], list[Cell] | None, list[Line]]]:
    """Split each page of a table into its header rows, 栏次 row and data rows."""
    out = []
    first_header: set[str] = set()
    for n, seg in enumerate(segments):
        header: list[list[Cell]] = []
        header_lines: list[Line] = []
        lanci: list[Cell] | None = None
        data: list[RawRow] = []
        for line in seg.lines:
            cells = split_cells(line)
            if not data and lanci is None and is_lanci_row(cells):
                lanci = cells
                header_lines.append(line)
            elif not data and lanci is None and is_header_row(cells) and (n == 0 or _repeats(cells, first_header)):
                header.append(cells)
                header_lines.append(line)
                if n == 0:
                    first_header.update(norm(c.text) for c in cells if c.text)
            else:
                data.append(RawRow(cells, line, n, first_in_segment=not data))
        out.append((n, data, header, lanci, header_lines))
    return out
