"""The one cell model: the rows of a table page as cells with spans, whatever the text layout.

Three layouts reach the reader: markdown pipes, tab-separated cells, and columns
aligned by runs of spaces (what ``pdftotext -layout`` and most PDF-to-text tools
write). Pipes and tabs say where each cell is. Space-aligned text says it only
through character positions, so a page's column geometry is worked out from
all of its lines together: a column is a band of positions that the page's data
lines print in, separated from the next by positions no data line prints in.

Positions are measured two ways, because converters disagree: a monospaced
rendering gives a CJK character two columns; ``pdftotext`` gives every
character one. The metric under which the page's lines line up better wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .chunk import Line, LineKind


@dataclass(slots=True)  # built for every cell of every row: slots make that cheaper
class Cell:
    """A cell of a row. Treated as immutable (``split_cells`` hands the same cells to every reading of a line): a
    stage that needs it otherwise makes a new one."""

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


def split_cells(line: Line) -> list[Cell]:
    """Cells of a pipe or tab row, each stripped, with its offsets in the document."""
    if line.kind is not _PIPE and line.kind is not _TAB:
        return [Cell(t.text, [(t.start, t.end)], t.start) for t in tokens(line, "wide")]
    return list(_split_delimited(line.text, line.start, line.kind is _PIPE, line.bare))


@lru_cache(maxsize=16384)  # the readers ask for a row's cells again and again (a card's rows, every reading of a table)
def _split_delimited(text: str, base: int, pipe: bool, bare: bool) -> tuple[Cell, ...]:
    if pipe and bare:
        pieces = text.split("|")  # no outer bars: a bar at either end leaves an empty first or last cell
        pos = base
    elif pipe:
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
        rest = raw.lstrip()
        body = rest.rstrip()
        s = pos + (len(raw) - len(rest))
        if pipe and ("*" in body or "_" in body or "<" in body):
            cells.append(_markdown_cell(body, s))
        else:
            cells.append(Cell(body, [(s, s + len(body))] if body else [], s))
        pos += len(raw) + 1
    return tuple(cells)


_EMPHASIS = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1$")
_LINE_BREAK_TAG = re.compile(r"\s*<br\s*/?>\s*", re.I)


def _markdown_cell(body: str, s: int) -> Cell:
    """A Markdown table cell as converters write it: bold (**合计**, __合计__) is no part of the cell's text, and a
    line break inside the cell (总<br>计, 17<br>60: a word or a figure wrapped in its narrow cell) joins the pieces.
    The cell's parts are the printed characters, so its span still holds what was read."""
    m = _EMPHASIS.match(body)
    if m:
        s, body = s + len(m.group(1)), m.group(2)
    if "<" not in body or not _LINE_BREAK_TAG.search(body):
        return Cell(body, [(s, s + len(body))] if body else [], s)
    parts, texts, at = [], [], 0
    for brk in [*_LINE_BREAK_TAG.finditer(body), None]:
        end = brk.start() if brk else len(body)
        if end > at:
            parts.append((s + at, s + end))
            texts.append(body[at:end])
        at = brk.end() if brk else at
    return Cell("".join(texts), parts, s)


_PIPE, _TAB = LineKind.PIPE, LineKind.TAB  # asked of every row: the members looked up once


# --- space-aligned text -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Token:
    """A run of non-space characters: its text, offsets in the document and display columns."""

    text: str
    start: int
    end: int
    x0: int
    x1: int


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_WORD = re.compile(r"\S+")


def tokens(line: Line, metric: str) -> list[Token]:
    """Whitespace-separated words of a line, placed in display columns.

    ``metric`` "wide" counts CJK and full-width characters as two columns (a
    monospaced rendering), "narrow" as one (``pdftotext -layout``).
    """
    return list(_tokens(line.text, line.start, metric))


@lru_cache(maxsize=16384)  # a table's lines are cut into words again for every reading of it: once is enough
def _tokens(text: str, start: int, metric: str) -> tuple[Token, ...]:
    out: list[Token] = []
    x = 0
    pos = 0
    for m in _WORD.finditer(text):
        gap = text[pos:m.start()]
        x += _width(gap, metric)
        w = _width(m.group(), metric)
        if out and gap == " " and (
                _spaced_out(out[-1].text.rsplit(" ", 1)[-1], m.group())
                or _split_code(out[-1].text, m.group())):
            # Characters printed spaced out ("预 算 数"), or a code broken by a space: one word.
            prev = out.pop()
            out.append(Token(text[prev.start - start:m.end()], prev.start, start + m.end(), prev.x0, x + w))
        else:
            out.append(Token(m.group(), start + m.start(), start + m.end(), x, x + w))
        x += w
        pos = m.end()
    return tuple(out)


_ONE_CJK = re.compile(r"^[\u4e00-\u9fff]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACED_CHAR = re.compile(r"^[(（]?[\u4e00-\u9fff][)）:：]?$|^[(（):：)）]$")


def _spaced_out(left: str, right: str) -> bool:
    """Two characters of one word printed a space apart ("预 算 数", "价 值 (金 额 单 位 : 万 元)")."""
    return bool(_SPACED_CHAR.match(left) and _SPACED_CHAR.match(right)
                and bool(_CJK.search(left + right)))


def _split_code(left: str, right: str) -> bool:
    """A classification code a narrow column broke with a space ("210120 1"): 5 or 7 digits in all; or printed
    in its levels a space apart ("201 03 01": 类 款 项)."""
    if left.isdigit() and right.isdigit() and len(left) >= 4 and len(left) + len(right) in (5, 7):
        return True
    return len(right) == 2 and right.isdigit() and bool(_CODE_LEVELS.fullmatch(left))


_CODE_LEVELS = re.compile(r"\d{3}(?: \d{2})?")


def display_width(s: str, metric: str) -> int:
    """Display columns of ``s`` under ``metric`` (see ``tokens``)."""
    return _width(s, metric)


def _width(s: str, metric: str) -> int:
    if metric == "narrow" or s.isascii():
        return len(s.expandtabs(8)) if "\t" in s else len(s)
    return sum(_char_width(ch) for ch in s)


_NUMBERISH = re.compile(r"^[-−(（]?[\d０-９][\d０-９,，.．]*[)）%]?$")


@lru_cache(maxsize=65536)  # asked of every word many times over while a page's columns are worked out
def is_numberish(text: str) -> bool:
    return bool(_NUMBERISH.match(text))


_LANCI_WORD = re.compile(r"^(栏次|档次|栏|序列|栏号)$")


def is_data_line(toks: list[Token]) -> bool:
    """A table line that prints a figure after some text or code: a data row rather than a header.

    The numbered 栏次 row (栏次 1 2 3 …) is part of the header, not data.
    """
    if len(toks) < 2 or _LANCI_WORD.match(toks[0].text):
        return False
    numbers = [t.text for t in toks if t.text.isdigit()]
    if len(numbers) == len(toks) and len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]:
        return False
    return any(is_numberish(t.text) and ("." in t.text or i > 0) for i, t in enumerate(toks))


@dataclass(frozen=True)  # shared by every reading of a page (``page_geometry`` keeps it): never changed
class Geometry:
    """Where the columns of one page of a space-aligned table sit, in display columns of ``metric``."""

    metric: str
    columns: list[tuple[int, int]]
    figures: frozenset[int] = frozenset()  # columns whose cells on this page are mostly figures
    words: frozenset[int] = frozenset()  # columns whose cells on this page are mostly words
    header_words: tuple[tuple[str, int], ...] = ()  # the header's words and where each starts
    # Where this page prints what the page ``columns`` were worked out from prints elsewhere: pairs
    # (position here, position there), in order; positions between are mapped in proportion.
    anchors: tuple[tuple[float, float], ...] = ()

    def kind(self, i: int) -> str:
        """"F" for a column of figures, "T" for one of words, "?" for one no data line prints in."""
        return "F" if i in self.figures else "T" if i in self.words else "?"

    def place(self, toks: list[Token]) -> list[Token]:
        """Tokens moved onto the columns' positions (unchanged when the page prints where they were found)."""
        if not self.anchors:
            return toks
        out = []
        for t in toks:
            x0 = round(_mapped(t.x0, self.anchors))
            out.append(Token(t.text, t.start, t.end, x0, max(x0 + 1, round(_mapped(t.x1, self.anchors)))))
        return out


def _mapped(x: float, anchors: tuple[tuple[float, float], ...]) -> float:
    """``x`` mapped by the anchors: linearly between two, shifted by the nearest beyond the ends."""
    if x <= anchors[0][0]:
        return x + anchors[0][1] - anchors[0][0]
    for (a, fa), (b, fb) in zip(anchors, anchors[1:]):
        if x <= b:
            return fa + (x - a) * (fb - fa) / (b - a) if b > a else fb
    return x + anchors[-1][1] - anchors[-1][0]


def anchors_between(here: list[Token], there: tuple[tuple[str, int], ...]) -> tuple[tuple[float, float], ...]:
    """Pairs (centre here, centre there) of the words two headers share, the n-th of a text with its n-th,
    kept only while both run left to right."""
    seen: dict[str, int] = {}
    pairs = []
    places: dict[str, list[int]] = {}
    for text, x0 in sorted(there, key=lambda w: w[1]):
        places.setdefault(text, []).append(x0)
    for t in sorted(here, key=lambda t: t.x0):
        k = seen.get(t.text, 0)
        seen[t.text] = k + 1
        if t.text in places and k < len(places[t.text]):
            width = t.x1 - t.x0
            pairs.append(((t.x0 + t.x1) / 2, places[t.text][k] + width / 2))
    pairs.sort()
    kept: list[tuple[float, float]] = []
    for a, b in pairs:
        if not kept or (a > kept[-1][0] and b > kept[-1][1]):
            kept.append((a, b))
    return tuple(kept)


def page_geometry(lines: list[Line], word_kind=None, metrics: tuple[str, ...] = ("wide", "narrow")) -> Geometry | None:
    """The column geometry that lines the page up best, or None when no columns show.

    Under the right metric the figures of a column end at the same position
    (they are right-aligned) and the header's words stand over the data's
    columns; under the wrong one both drift with the number of CJK characters
    before them.

    ``word_kind`` says what a header word heads: "text" (names, 项目), "figures"
    (amounts), or None; a header word beside a column names it only if the
    column holds cells of that kind.
    """
    best: tuple[tuple, Geometry] | None = None
    for metric in metrics:
        scored = _metric_geometry(tuple((line.text, line.start) for line in lines), word_kind, metric)
        if scored is not None and (best is None or scored[0] > best[0]):
            best = scored
    return best[1] if best else None


@lru_cache(maxsize=1024)  # every reading of a table works its pages out again: the same lines, the same columns
def _metric_geometry(lines: tuple[tuple[str, int], ...], word_kind, metric: str) -> tuple[tuple, Geometry] | None:
    """The page's columns under one metric, with the score ``page_geometry`` compares metrics by."""
    toks = [list(_tokens(text, start, metric)) for text, start in lines]
    is_data = [is_data_line(t) for t in toks]
    data = [t for t, yes in zip(toks, is_data) if yes]
    if not data:
        return None
    columns = _bands([tok for line in data for tok in line])
    first = is_data.index(True)
    # The numbered 栏次 row ends the header: lines after it are rows without figures.
    first = next((n + 1 for n, t in enumerate(toks[:first]) if _is_lanci(t)), first)
    header = _join_pieces([t for t in toks[:first] if t and not _is_lanci(t)])
    header_fit = _header_fit(columns, header)
    every_fit = _header_fit(columns, header, every_line=True)
    crowding = _crowding(columns, header)
    columns = _add_header_columns(columns, header, [tok for line in data for tok in line], word_kind)
    columns = _add_lanci_columns(columns, [t for line in toks[:first] if _is_lanci(line) for t in line], header)
    placed = [[(tok, column_of(tok, columns)) for tok in line] for line in data]  # each data word's column
    score = (round(_alignment(placed), 2), -_edge_spread(placed), header_fit, -crowding, every_fit)
    header_words = tuple((t.text, t.x0) for line in toks[:first] for t in line)
    figures, words = _figure_and_word_columns(placed)
    return score, Geometry(metric, columns, figures, words, header_words)


def _join_pieces(header: list[list[Token]]) -> list[list[Token]]:
    """Words of a header line one space apart with a word of the line above or below over both: the
    pieces of one wrapped cell ("一般公共" / "预算 财政" / "拨款"), one word for the geometry."""
    out = []
    for n, line in enumerate(header):
        near = header[n - 1] if n else []
        near = near + (header[n + 1] if n + 1 < len(header) else [])
        joined: list[Token] = []
        for tok in line:
            prev = joined[-1] if joined else None
            if prev is not None and tok.x0 - prev.x1 == 1 and any(
                    _overlap((u.x0, u.x1), (prev.x0, prev.x1)) and _overlap((u.x0, u.x1), (tok.x0, tok.x1))
                    for u in near):
                joined[-1] = Token(prev.text + " " + tok.text, prev.start, tok.end, prev.x0, tok.x1)
            else:
                joined.append(tok)
        out.append(joined)
    return out


def _figure_and_word_columns(placed: list[list[tuple[Token, int]]]) -> tuple[frozenset[int], frozenset[int]]:
    """The columns whose cells are mostly figures, and those whose cells are mostly words (``placed``: each data
    line's words with their columns)."""
    counts: dict[int, list[int]] = {}
    for line in placed:
        for tok, col in line:
            counts.setdefault(col, [0, 0])[is_numberish(tok.text)] += 1
    figures = frozenset(i for i, (words, figures) in counts.items() if figures > words)
    words = frozenset(i for i, (words, figures) in counts.items() if words >= figures and words)
    return figures, words


def _is_lanci(toks: list[Token]) -> bool:
    """The numbered 栏次 row (栏次 1 2 3 …, or the numbers alone)."""
    if not toks:
        return False
    if _LANCI_WORD.match(toks[0].text):
        return True
    return len(toks) >= 3 and [t.text for t in toks] == [str(i) for i in range(1, len(toks) + 1)]


def _add_lanci_columns(columns: list[tuple[int, int]], numbers: list[Token],
                       header: list[list[Token]] = ()) -> list[tuple[int, int]]:
    """A 栏次 number standing over no column marks a column that neither figures nor header words show.

    The numbers are centred in their columns, so one just beside the figures it
    numbers (right-aligned, a space or two to its right) is that column's. One
    printed under a header word (left-aligned under the labels, as the header is)
    numbers that word's column and marks none.
    """
    words = [(t.x0, t.x1) for line in header for t in line]
    loose = [(t.x0, t.x1) for t in numbers if t.text.isdigit()
             and all(_overlap((t.x0 - 2, t.x1 + 2), c) == 0 for c in columns)
             and not any(w[0] <= t.x0 and t.x1 <= w[1] for w in words)]
    if not loose:
        return columns
    loose = _unnumbered_nearest(loose, numbers, columns)
    return sorted(columns + _bands_of(loose, columns)) if loose else columns


def _unnumbered_nearest(loose: list[tuple[int, int]], numbers: list[Token],
                        columns: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The loose 栏次 numbers that mark a column of their own: those whose nearest column another number
    already stands over (or is nearer to).

    A converter that squeezes the columns under long words moves a centred number
    further from its right-aligned figures than a space or two; when every
    number still has a column of its own, nearest first, none marks a new one.
    """
    if not columns:
        return loose
    owner: dict[int, tuple[int, int]] = {}  # column -> the number on it, nearest first
    spans = [(t.x0, t.x1) for t in numbers if t.text.isdigit()]
    for span in sorted(spans, key=lambda s: _nearest_gap(s, columns)[1]):
        col, _ = _nearest_gap(span, columns)
        owner.setdefault(col, span)
    return [s for s in loose if owner.get(_nearest_gap(s, columns)[0]) != s]


def _nearest_gap(span: tuple[int, int], columns: list[tuple[int, int]]) -> tuple[int, int]:
    gaps = [max(0, max(span[0], c[0]) - min(span[1], c[1])) for c in columns]
    best = min(range(len(columns)), key=lambda i: gaps[i])
    return best, gaps[best]


def _edge_spread(placed: list[list[tuple[Token, int]]]) -> int:
    """How far the right ends of the figures in each column wander: zero when the metric is right."""
    ends: dict[int, list[int]] = {}
    for line in placed:
        for tok, col in line:
            if is_numberish(tok.text) and "." in tok.text:
                ends.setdefault(col, []).append(tok.x1)
    return sum(max(v) - min(v) for v in ends.values())


def _crowding(columns: list[tuple[int, int]], header: list[list[Token]]) -> int:
    """Header words beyond the first that stand over one data column, line by line: under the wrong metric
    the words of a line (CJK, counted at the wrong width) drift over the data's columns and pile up."""
    extra = 0
    for line in header:
        over: dict[int, int] = {}
        for t in line:
            for i, (a, b) in enumerate(columns):
                if min(t.x1, b) > max(t.x0, a):  # the word overlaps the column (``_overlap``, spelt out: asked often)
                    over[i] = over.get(i, 0) + 1
        extra += sum(n - 1 for n in over.values() if n > 1)
    return extra


def _header_fit(columns: list[tuple[int, int]], header: list[list[Token]], every_line: bool = False) -> int:
    """Header words of the last header line (or of ``every_line``) that stand over a data column.

    Every line counts when the rest does not decide: a page with a line or two of
    data, whose figures line up under either metric.
    """
    if not header:
        return 0
    lines = header if every_line else header[-1:]
    return sum(1 for line in lines for t in line if any(min(t.x1, b) > max(t.x0, a) for a, b in columns))


def _bands(toks: list[Token]) -> list[tuple[int, int]]:
    """Maximal runs of display columns that some token covers.

    Tokens that only touch run together when they are of a kind (figures a
    column misaligns by one); a label that ends where the next column's figures
    begin does not.
    """
    spans = sorted((t.x0, t.x1, is_numberish(t.text)) for t in toks)
    bands: list[list] = []
    for x0, x1, number in spans:
        if bands and (x0 < bands[-1][1] or (x0 == bands[-1][1] and number == bands[-1][2])):
            if x1 >= bands[-1][1]:
                bands[-1][1], bands[-1][2] = x1, number
        else:
            bands.append([x0, x1, number])
    return [(a, b) for a, b, _ in bands]


def _add_header_columns(columns: list[tuple[int, int]], header: list[list[Token]], data: list[Token] = (),
                        word_kind=None) -> list[tuple[int, int]]:
    """Columns no data line prints in (a column left empty on this page) still have header words.

    Header words that stand over no data column make columns of their own
    (the pieces of a header cell that wrapped over several lines make one).
    Where two words of one header line stand over one data column, the one
    nearer its figures keeps it and the other is a column of its own, squeezed
    between.
    """
    if not header:
        return columns
    columns = list(columns)
    loose: list[tuple[int, int]] = []
    groups: set[tuple[int, int]] = set()  # words that head a group of cells below them
    for n, line in enumerate(header):
        claims: dict[int, list[Token]] = {}
        below: list[_CellBelow] | None = None  # worked out for the line once, when a word of it needs them
        for t in line:
            over = [i for i, (a, b) in enumerate(columns) if min(t.x1, b) > max(t.x0, a)]
            if _spans_several(t, header[n + 1:]):
                groups.add((n, t.x0))
            else:
                below = below if below is not None else _cells_below(header, n)
                if _heads_cells_below(t, below):
                    groups.add((n, t.x0))
            if not over and n and (_rest_of_word_above(t, header[n - 1], columns)
                                   or _rest_of_word_round(t, n, header, columns, groups)):
                continue
            if not over:
                if (n, t.x0) not in groups and not _parent_between(t, n, header, columns):
                    loose.append((t.x0, t.x1))
            else:
                claims.setdefault(max(over, key=lambda i: _overlap((t.x0, t.x1), columns[i])), []).append(t)
        for i, words in claims.items():
            if len(words) > 1:
                columns[i] = _squeeze(columns[i], words, loose)
    leaves = [[t for t in line if (n, t.x0) not in groups] for n, line in enumerate(header)]
    kinds = _column_kinds(sorted(columns), _bands_of(loose, columns), leaves, data, word_kind)
    return _pair_headers(sorted(columns), _bands_of(loose, columns), leaves, kinds)


def _rest_of_word_round(t: Token, n: int, header: list[list[Token]], columns: list[tuple[int, int]],
                        groups: set[tuple[int, int]]) -> bool:
    """A character or two of line ``n`` that end a header word two lines up, round the line between ("公用经" /
    "经济分类科目名称  合计" / "费"): that line holds other columns' full-height cells, centred in the tall header
    row, and nothing over the piece. The word heads no group of cells (a parent's word over a short header of its
    own, "本年…支出" over 合计, does not wrap into it) and is the only header word over its column: where another
    stands over it too, the columns were squeezed together and the piece may head an empty column of its own."""
    if len(t.text) > 2 or n < 2 or any(_overlap((t.x0, t.x1), (u.x0, u.x1)) for u in header[n - 1]):
        return False
    words = [w for line in header for w in line]
    return any(_overlap((t.x0, t.x1), (u.x0, u.x1)) and (n - 2, u.x0) not in groups
               and any(_overlap((u.x0, u.x1), c) and sum(1 for w in words if _overlap((w.x0, w.x1), c)) == 1
                       for c in columns)
               for u in header[n - 2])


def _rest_of_word_above(t: Token, above: list[Token], columns: list[tuple[int, int]]) -> bool:
    """A character or two right under a header word that stands over a column: the rest of that word's cell
    ("一般公共预" / "算"), printed a little off the column."""
    return len(t.text) <= 2 and any(
        _overlap((t.x0, t.x1), (u.x0, u.x1)) and any(_overlap((u.x0, u.x1), c) for c in columns) for u in above)


def _column_kinds(data_columns: list[tuple[int, int]], named: list[tuple[int, int]], header: list[list[Token]],
                  data: list[Token], word_kind) -> dict[tuple[int, int], str]:
    """What each column holds: a data column "figures" or "text" by most of its cells, a header-only column
    by what its words head (``word_kind``; unknown words say nothing)."""
    kinds: dict[tuple[int, int], str] = {}
    for col in data_columns:
        a, b = col
        inside = [is_numberish(t.text) for t in data if min(t.x1, b) > max(t.x0, a)]
        if inside:
            kinds[col] = "figures" if sum(inside) * 2 > len(inside) else "text"
    if word_kind is not None:
        for col in named:
            said = {word_kind(t.text) for line in header for t in line if _overlap((t.x0, t.x1), col)} - {None}
            if len(said) == 1:
                kinds[col] = said.pop()
    return kinds


def _pair_headers(data: list[tuple[int, int]], named: list[tuple[int, int]],
                  header: list[list[Token]], kinds: dict[tuple[int, int], str] | None = None) -> list[tuple[int, int]]:
    """A header word printed beside the column it names, over none: a header-only column and a data
    column no header word stands over, side by side, are one column.

    序号 printed just left of right-aligned row numbers is one case. Another is the
    converter that gives every character one column (``pdftotext -layout``): a header
    centred in a wide cell then stands to the right of the left-aligned labels under
    it ("科目名称" beyond the end of every name), however far. A header-only column
    between two such data columns goes with the nearer of the kind its words head
    (``kinds``: a name's header does not name figures). (``header``: the words that
    head no group of cells; a group's word over a column does not name it.)
    """
    words = [(t.x0, t.x1) for line in header for t in line]
    unnamed = {c for c in data if not any(_overlap(c, w) for w in words)}
    merged = sorted(data + named)
    pairs: dict[int, int] = {}  # index of a header-only column -> index of the data column it names
    for i, col in enumerate(merged):
        if col not in named:
            continue
        sides = [j for j in (i - 1, i + 1) if 0 <= j < len(merged) and merged[j] in unnamed
                 and _same_kind(kinds or {}, col, merged[j])]
        if sides:
            pairs[i] = min(sides, key=lambda j: (_gap(merged[j], col), j > i))
    taken: dict[int, int] = {}
    for i, j in sorted(pairs.items(), key=lambda p: _gap(merged[p[0]], merged[p[1]])):
        if j not in taken:
            taken[j] = i
    out: list[tuple[int, int]] = []
    skip = set(taken.values())
    for i, col in enumerate(merged):
        if i in skip:
            continue
        if i in taken:
            other = merged[taken[i]]
            col = (min(col[0], other[0]), max(col[1], other[1]))
        out.append(col)
    return out


def _same_kind(kinds: dict[tuple[int, int], str], a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a not in kinds or b not in kinds or kinds[a] == kinds[b]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0], b[0]) - min(a[1], b[1])


def _heads_cells_below(t: Token, below: list["_CellBelow"]) -> bool:
    """A header word heading a group of cells below it, though it stands over none of them.

    A converter that gives every character one column squeezes the columns under
    long words, so a merged cell centred over its children ("收入" over "项目" and
    "预算数") may stand over neither. It heads them when two or more cells that
    begin on lower lines are nearer to it than to any other word of its line, and
    it stands between them. (``below``: the cells below its line, ``_cells_below``.)
    """
    children = [c.span for c in below if c.nearest is t and c.may_stand_under(t)]
    if len(children) < 2:
        return False
    centre = (t.x0 + t.x1) / 2
    return min(c[0] for c in children) <= centre <= max(c[1] for c in children)


@dataclass(frozen=True, slots=True)
class _CellBelow:
    """A word on a header line below line ``n``, as ``_heads_cells_below`` asks about it."""

    span: tuple[int, int]
    over: tuple[Token, ...]  # the words of line ``n`` and of the lines between that it stands under
    next_line: bool  # it is on the line right after ``n``
    nearest: Token  # the word of line ``n`` nearest to it (the first of those that tie)

    def may_stand_under(self, t: Token) -> bool:
        """Whether the word starts a cell that may stand under ``t``: a word right under a word of line ``n`` or
        of a line between continues that word's cell — under ``t`` itself only on the next line (a cell centred
        further down stands under its group's word)."""
        return not self.over or (not self.next_line and all(v is t for v in self.over))


def _cells_below(header: list[list[Token]], n: int) -> list[_CellBelow]:
    """The words of the header lines below line ``n``, each with what ``_CellBelow`` keeps (one pass for the
    whole line: each of its words asks the same of them)."""
    own = header[n]
    out = []
    for m in range(n + 1, len(header)):
        for u in header[m]:
            over = tuple(v for line in header[n:m] for v in line if min(u.x1, v.x1) > max(u.x0, v.x0))
            span = (u.x0, u.x1)
            out.append(_CellBelow(span, over, m == n + 1, min(own, key=lambda w: _distance(w, span))))
    return out


def _distance(t: Token, span: tuple[int, int]) -> int:
    return max(0, max(t.x0, span[0]) - min(t.x1, span[1]))


def _parent_between(t: Token, n: int, header: list[list[Token]], columns: list[tuple[int, int]]) -> bool:
    """A header word of an upper line printed in the gap between two words of the leaf line (the line with
    the most words) and over no column: a merged cell centred over its two children ("收入" over "项目" and
    "预算数"), not a column of its own. Only when nothing else of its line, and no data column, lies in
    that gap (a column's own header centred over words aligned to the left has its neighbours there)."""
    leaf = max(range(len(header)), key=lambda r: (len(header[r]), r))
    if n >= leaf:
        return False
    below = header[leaf]
    left = [u for u in below if u.x1 <= t.x0]
    right = [u for u in below if u.x0 >= t.x1]
    if not left or not right:
        return False
    lo, hi = max(u.x1 for u in left), min(u.x0 for u in right)
    if any(u is not t and u.x0 < hi and u.x1 > lo for u in header[n]):
        return False
    return not any(lo <= a and b <= hi for a, b in columns)


def _spans_several(t: Token, lower: list[list[Token]]) -> bool:
    """A header word standing over two or more words of a line below: a merged cell over several columns.

    Words a single space apart under it are the pieces of one wrapped cell ("政府性基" / "金 预算拨"):
    columns stand further apart.
    """
    for line in lower:
        under = [u for u in line if _overlap((t.x0, t.x1), (u.x0, u.x1))]
        if any(b.x0 - a.x1 >= 2 for a, b in zip(under, under[1:])):
            return True
    return False


def _squeeze(col: tuple[int, int], words: list[Token], loose: list[tuple[int, int]]) -> tuple[int, int]:
    keep = max(words, key=lambda t: _overlap((t.x0, t.x1), col) - abs((t.x0 + t.x1) - (col[0] + col[1])) / 4)
    lo, hi = col
    for t in words:
        if t is keep:
            continue
        loose.append((t.x0, t.x1))
        if t.x1 <= keep.x0 or (t.x0 + t.x1) < (keep.x0 + keep.x1):
            lo = max(lo, min(t.x1, keep.x0))
        else:
            hi = min(hi, max(t.x0, keep.x1))
    return (lo, max(hi, lo + 1))


def _bands_of(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, each clipped so that it overlaps no column already taken."""
    out = []
    for lo, hi in _bands([Token("", 0, 0, a, b) for a, b in spans]):
        for c in taken:
            if _overlap((lo, hi), c):
                if c[0] <= lo:
                    lo = max(lo, c[1])
                else:
                    hi = min(hi, c[0])
        if hi > lo:
            out.append((lo, hi))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _alignment(placed: list[list[tuple[Token, int]]]) -> float:
    """Share of data lines whose tokens fall one to a column (``placed``: each line's words with their columns).

    Two figures in one column, or a figure and a word a wide gap apart in one
    column, mean the columns run together: a misfit.
    """
    fits = 0
    for line in placed:
        last: dict[int, Token] = {}
        ok = True
        for tok, col in line:
            prev = last.get(col)
            if prev is not None and (is_numberish(tok.text) or is_numberish(prev.text)) \
                    and (is_numberish(tok.text) == is_numberish(prev.text) or tok.x0 - prev.x1 >= 3):
                ok = False
                break
            last[col] = tok
        fits += ok
    return fits / len(placed)


def column_of(tok: Token, columns: list[tuple[int, int]]) -> int:
    """The column a token overlaps most, or the nearest one (the first of those that tie)."""
    x0, x1 = tok.x0, tok.x1
    best, most, nearest = 0, -1, 0  # most overlap so far (-1: no column yet); the least distance where none overlaps
    for i, (a, b) in enumerate(columns):
        ov = (b if b < x1 else x1) - (a if a > x0 else x0)
        if ov > 0:
            if ov > most:
                best, most = i, ov
        elif most <= 0:
            dist = min(abs(x0 - b), abs(a - x1))
            if most < 0 or dist < nearest:
                best, most, nearest = i, 0, dist
    return best


def spaced_cells(line: Line, geometry: Geometry, data: bool = True) -> tuple[list[Cell], bool]:
    """The line's cells, one per column of the page (empty where it prints nothing).

    The second value says whether the line fits the geometry: two figures in
    one column mean the positions cannot be trusted for this line. In a data
    line (``data``), words one space after a text cell that land in an empty
    figures column are that cell's: a long label runs on over empty cells.
    """
    found: list[Cell | None] = [None] * len(geometry.columns)  # the filled cells, by column
    fits = True
    prev: tuple[Token, int] | None = None
    for tok in geometry.place(tokens(line, geometry.metric)):
        i = column_of(tok, geometry.columns)
        if data and prev is not None and i in geometry.figures and i != prev[1] and tok.x0 - prev[0].x1 == 1 \
                and not is_numberish(tok.text) and not is_numberish(prev[0].text):
            i = prev[1]  # words running on from a text cell into an empty figures column: the same cell
        prev = (tok, i)
        cell = found[i]
        if cell is not None:
            last = cell.text.split()[-1]
            if is_numberish(tok.text) and is_numberish(last) \
                    and not (tok.start - cell.parts[-1][1] == 1 and _broken_decimals(last, tok.text)):
                fits = False
            elif is_numberish(tok.text) != is_numberish(last) and _apart(line, cell, tok, geometry.metric):
                fits = False  # a figure and a word a column's gap apart: two cells the columns ran together
            start = cell.parts[0][0]
            found[i] = Cell(line.text[start - line.start:tok.end - line.start], [(start, tok.end)], start)
        else:
            found[i] = Cell(tok.text, [(tok.start, tok.end)], tok.start)
    cells = []
    end = line.start  # an empty cell sits where the filled cell before it ends
    for i, cell in enumerate(found):
        if cell is None:
            cells.append(Cell("", [], end))
            continue
        end = cell.parts[-1][1]
        if data and i not in geometry.figures and _figure_after_words(cell.text):
            fits = False  # a label that ends in a figure: a ragged line's value fell under the label's column
        cells.append(cell)
    return cells, fits


def _apart(line: Line, cell: Cell, tok: Token, metric: str) -> bool:
    """Whether ``tok`` stands three or more columns after the end of ``cell`` (as ``_alignment`` counts a misfit)."""
    gap = line.text[cell.parts[-1][1] - line.start:tok.start - line.start]
    return _width(gap, metric) >= 3
HAN = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character


def _figure_after_words(text: str) -> bool:
    """A figure printed after a word of Chinese (not a code's wrapped digits, ``C180401 02``)."""
    words = text.split()
    return len(words) >= 2 and is_numberish(words[-1]) and bool(HAN.search(words[-2]))


def _broken_decimals(left: str, right: str) -> bool:
    """A figure whose decimals a narrow cell wrapped and the converter rejoined with a space ("159.1 5")."""
    head, dot, tail = left.rpartition(".")
    return bool(dot) and head.replace(",", "").isdigit() and right.isdigit() and len(tail) + len(right) <= 2


_SPACED_OUT = re.compile(r"^[\u4e00-\u9fff]$")


def packed_cells(line: Line) -> list[Cell]:
    """A line's words as cells in order, for lines whose positions say nothing (empty cells dropped).

    Two-character labels are often printed spaced out ("合  计", "项   目"): single
    CJK characters in a row are one cell.
    """
    cells: list[Cell] = []
    prev_single = False
    for t in tokens(line, "wide"):
        single = bool(_SPACED_OUT.match(t.text))
        if single and prev_single:
            last = cells[-1]
            start = last.parts[0][0]
            cells[-1] = Cell(line.text[start - line.start:t.end - line.start], [(start, t.end)], start)
        else:
            cells.append(Cell(t.text, [(t.start, t.end)], t.start))
        prev_single = single
    return cells
