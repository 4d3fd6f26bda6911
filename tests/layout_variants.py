"""Layout variants: each corpus document rewritten the way other converters and templates print it.

The reader is measured on these (``tests/test_layout_variants.py``, ``benchmarks/bench_variants.py``):
a variant must yield the same facts as its original. So every transformation here changes *how* a
document is laid out — delimiters, empty cells, code columns, page furniture, titles, column
alignment, wrapped headers — and never a single amount: amount cells are carried through as opaque
strings, and every digit a transformation adds or removes (a page number, a title's "03", a code
split into 类|款|项) is booked in ``Doc.added`` / ``Doc.removed`` so a test can prove the rest of the
text's numbers are untouched.

What the transformations model comes from how disclosures are printed across China (see
/work/shared/DOMAIN.md, "How layouts vary"), not from what our reader handles:

- delimiters: markdown pipe tables (PDF→markdown converters) ↔ tab-separated rows (PDF→text tools that
  keep cells, xlsx/docx exports);
- empty cells dropped, so a row's later values slide left (text extraction that emits no text for an
  empty cell);
- functional codes printed as three columns 类 | 款 | 项 (economic codes as 类 | 款), under a 科目编码
  header, with or without the parent prefix repeated;
- page furniture at page breaks (page numbers, running titles, 部门名称/单位 lines, 续表), with or without
  the table header repeated, and breaks inside tables the corpus prints on one page;
- other provinces' table titles, "预算 03 表" lines and 表一 / 附表1 / 1-1 numbering, contents pages in
  other forms;
- ``pdftotext -layout``: columns aligned by runs of spaces (display width: CJK and full-width characters
  count 2), numbers right-aligned, text left-aligned, merged header cells centred over their children,
  cells wider than their column wrapped over several lines, form feeds between pages;
- header cells wrapped onto a second physical row in tab and pipe layouts.

A variant is a named sequence of steps (``VARIANTS``); each step is a transformation with its
parameters. Randomness is seeded by the variant's name and the document's id, so a variant is the
same text on every run.

    from layout_variants import VARIANTS, make_variant
    text = make_variant(original_text, "space_aligned", seed="000")
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")
_AMOUNT_CELL = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?$")


def number_tokens(text: str) -> Counter:
    """Every run of digits (with its decimals) in a text: what a transformation must leave alone."""
    return Counter(NUMBER_TOKEN.findall(text))


def width(s: str) -> int:
    """Display width as a monospaced rendering of a PDF gives it: CJK and full-width characters count 2."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def squash(s: str) -> str:
    return "".join(s.split())


# ---------------------------------------------------------------------------------------------------
# The document model: lines of text and blocks of table rows (one block per printed page of a table)


@dataclass
class Line:
    text: str
    role: str = "text"  # text | blank | furniture | title | unit | label | contents
    table: int | None = None  # the table a title, unit or furniture line belongs to
    page_start: bool = False  # the first line of a new printed page (pdftotext puts a form feed here)
    kind: str | None = None  # for contents entries: the table kind it names


@dataclass
class Block:
    rows: list[list[str]]
    header: int  # leading header rows
    table: int
    ragged: bool = False  # empty cells dropped: tab rows end at their last value, pipe rows are left-packed
    page_start: bool = False  # a continued page with no line before its first row

    @property
    def body(self) -> list[list[str]]:
        return self.rows[self.header:]


@dataclass
class TableInfo:
    id: int
    kind: str  # a standard kind, "card", "contents" or "other"
    title: str = ""
    code_col: int | None = None
    code_kind: str | None = None  # "functional" | "economic"
    repeat: list[list[str]] = field(default_factory=list)  # the header rows a continued page repeats
    code_parts: int = 1  # how many columns the code takes (3 once printed as 类 | 款 | 项)

    @property
    def code_cols(self) -> set[int]:
        """The columns holding classification codes (codes are text: left-aligned when space-aligned)."""
        if self.code_col is None:
            return set()
        return set(range(self.code_col, self.code_col + self.code_parts))


@dataclass
class Doc:
    items: list
    tables: dict[int, TableInfo]
    style: str  # how table rows are delimited: "pipes", "tabs", or "flat" (no tables in tabular form)
    blank_sep: bool  # lines are separated by blank lines (000, 002)
    dept: str
    year: str
    added: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    space: dict | None = None  # set by space_aligned: render tables as pdftotext -layout does

    def blocks(self, table: int | None = None):
        return [it for it in self.items if isinstance(it, Block) and (table is None or it.table == table)]

    def replace_text(self, line: Line, new: str) -> None:
        self.removed.update(number_tokens(line.text))
        self.added.update(number_tokens(new))
        line.text = new

    def new_line(self, text: str, **kw) -> Line:
        self.added.update(number_tokens(text))
        return Line(text, **kw)

    def drop_line(self, line: Line) -> None:
        self.removed.update(number_tokens(line.text))


# Table kinds, recognised by the generator's own patterns on the corpus's titles.
KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("fiscal_appropriation_summary", r"财政拨款收支"),
    ("income_expenditure_summary", r"收支(预算)?总表|收支预算表"),
    ("income_summary", r"收入(预算)?总表|收入预算表"),
    ("general_budget_basic_expenditure", r"一般公共预算.*基本支出"),
    ("general_budget_expenditure", r"一般公共预算.*支出(预算)?表"),
    ("government_fund_expenditure", r"政府性基金.*支出"),
    ("state_capital_expenditure", r"国有资本经营.*支出"),
    ("three_public_costs", r"三公.*经费.*表"),
    ("project_expenditure", r"项目支出(预算)?表"),
    ("government_procurement", r"政府采购(预算|支出)"),
    ("purchased_services", r"政府购买服务"),
    ("fixed_assets", r"固定资产占用"),
    ("expenditure_summary", r"支出(预算)?总表"),
)
FUNCTIONAL = {"income_summary", "expenditure_summary", "general_budget_expenditure",
              "government_fund_expenditure", "state_capital_expenditure"}
ECONOMIC = {"general_budget_basic_expenditure"}

_FURNITURE = re.compile(r"^\s*(\d{3}\s+\S+|预算年?度[:：]\s*\d{4}|截止时间[:：].*|[（(]\d{4}年度[)）])\s*$")
_UNIT = re.compile(r"^\s*(金额)?单位[:：]\s*万元\s*$")
_LABEL = re.compile(r"^\s*部门公开表\s*\d+\s*$")
_SERIAL = re.compile(r"^(栏次|档次)$")


def kind_of_title(title: str) -> str | None:
    t = squash(title)
    if "说明" in t or t.startswith("关于"):
        return None
    for kind, pattern in KIND_PATTERNS:
        if re.search(pattern, t):
            return kind
    return None


def _is_code(cell: str) -> bool:
    return bool(re.fullmatch(r"\d{3}(\d{2}){0,2}", squash(cell)))


def _is_amount(cell: str) -> bool:
    return bool(_AMOUNT_CELL.match(squash(cell))) if cell.strip() else False


def _split_pipes(line: str) -> list[str] | None:
    s = line.strip()
    if not s.startswith("|"):
        return None
    s = s[1:-1] if s.endswith("|") and len(s) > 1 else s[1:]
    return [c.strip() for c in s.split("|")]


def _is_separator(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-+:?", c) for c in cells if c) and any(cells)


def parse(text: str) -> Doc:
    lines = text.split("\n")
    pipes = sum(1 for ln in lines if ln.lstrip().startswith("|"))
    tabs = sum(1 for ln in lines if "\t" in ln)
    style = "pipes" if pipes > max(tabs, 20) else "tabs" if tabs > 20 else "flat"
    items: list = []
    rows: list[list[str]] = []

    def flush():
        if rows:
            items.append(Block(rows=list(rows), header=0, table=-1))
            rows.clear()

    for ln in lines:
        cells = None
        if style == "pipes":
            cells = _split_pipes(ln)
            if cells is not None and _is_separator(cells):
                continue
        elif style == "tabs" and "\t" in ln:
            cells = [c.strip() for c in ln.split("\t")]
        if cells is not None:
            rows.append(cells)
            continue
        flush()
        role = "blank" if not ln.strip() else "furniture" if _FURNITURE.match(ln) else (
            "unit" if _UNIT.match(ln) else "label" if _LABEL.match(ln) else "text")
        items.append(Line(ln, role))
    flush()
    texts = [i for i, x in enumerate(items) if isinstance(x, Line) and x.role != "blank"]
    followed = sum(1 for i in texts
                   if i + 1 < len(items) and isinstance(items[i + 1], Line) and items[i + 1].role == "blank")
    blank_sep = followed > 0.6 * len(texts) if texts else False
    doc = Doc(items=items, tables={}, style=style, blank_sep=blank_sep, dept=_department(text), year=_year(text))
    _assign_tables(doc)
    _mark_contents_lines(doc)
    return doc


def _department(text: str) -> str:
    found = Counter(re.findall(r"[\u4e00-\u9fff]{3,12}局", text))
    return found.most_common(1)[0][0] if found else "某部门"


def _year(text: str) -> str:
    found = Counter(re.findall(r"(20\d\d)\s*年", text[:20000]))
    return found.most_common(1)[0][0] if found else "2024"


def _assign_tables(doc: Doc) -> None:
    prev: int | None = None  # index of the previous block
    for i, item in enumerate(doc.items):
        if not isinstance(item, Block):
            continue
        between = doc.items[prev + 1:i] if prev is not None else None
        if between is not None and all(isinstance(x, Line) and x.role in ("blank", "furniture", "unit")
                                       for x in between):
            item.table = doc.items[prev].table
            first = next((x for x in between if x.role != "blank"), None)
            if first is not None:
                first.page_start = True
            else:
                item.page_start = True
            for x in between:
                if x.role != "blank":
                    x.table = item.table
        else:
            item.table = len(doc.tables)
            doc.tables[item.table] = _new_table(doc, i, item)
        prev = i
    for info in doc.tables.values():
        blocks = doc.blocks(info.id)
        blocks[0].header = _first_header(info, blocks[0].rows)
        info.repeat = [list(r) for r in blocks[0].rows[:blocks[0].header]]
        if info.kind == "card":
            info.repeat = [list(r) for r in blocks[0].rows if "一级指标" in r][:1]
        for b in blocks[1:]:
            b.header = _continued_header(info, b.rows)
        if info.kind in FUNCTIONAL | ECONOMIC:
            info.code_col = _code_column(blocks)
            info.code_kind = "economic" if info.kind in ECONOMIC else "functional"


def _new_table(doc: Doc, index: int, block: Block) -> TableInfo:
    tid = len(doc.tables)
    title_line = None
    for j in range(index - 1, -1, -1):
        x = doc.items[j]
        if isinstance(x, Block):
            break
        if x.role in ("blank", "furniture", "unit"):
            if x.role != "blank":
                x.table = tid
            continue
        title_line = x
        break
    title = title_line.text.strip() if title_line else ""
    if _looks_like_contents(block.rows):
        kind = "contents"
    elif "绩效目标" in squash(title) or any("一级指标" in r for r in block.rows[:12]):
        kind = "card"
    else:
        kind = kind_of_title(title) or "other"
    if title_line is not None and kind not in ("contents", "other"):
        title_line.role, title_line.table = "title", tid
        if kind != "card":
            # a "部门公开表1" line right above the title belongs to it
            k = doc.items.index(title_line) - 1
            while k >= 0 and isinstance(doc.items[k], Line) and doc.items[k].role == "blank":
                k -= 1
            if k >= 0 and isinstance(doc.items[k], Line) and doc.items[k].role == "label":
                doc.items[k].table = tid
    return TableInfo(id=tid, kind=kind, title=title)


def _looks_like_contents(rows: list[list[str]]) -> bool:
    filled = [[c for c in r if c] for r in rows]
    filled = [r for r in filled if r]
    return bool(filled) and all(len(r) == 2 and re.fullmatch(r"\d{1,3}", r[1]) for r in filled)


def _first_header(info: TableInfo, rows: list[list[str]]) -> int:
    if info.kind == "card":
        return 0
    for i, r in enumerate(rows[:6]):
        if any(_SERIAL.match(squash(c)) for c in r):
            return i + 1
    for i, r in enumerate(rows):
        if any(_is_amount(c) or _is_code(c) for c in r):
            return i
    # no figure at all: a standard table printed empty is all header; any other table has one header row
    return len(rows) if info.kind in ALT_TITLES else min(1, len(rows))


def _continued_header(info: TableInfo, rows: list[list[str]]) -> int:
    known = {squash(c) for r in info.repeat for c in r if c.strip()}
    n = 0
    for r in rows:
        cells = [squash(c) for c in r if c.strip()]
        if cells and _SERIAL.match(cells[0]):  # the numbered 栏次 row closes a header
            n += 1
            continue
        if not cells or any(_is_amount(c) for c in cells):
            break
        if "一级指标" in cells or sum(c in known for c in cells) * 2 >= len(cells):
            n += 1
            continue
        break
    return n


def _code_column(blocks: list[Block]) -> int | None:
    for b in blocks:
        for r in b.rows[:b.header]:
            for j, c in enumerate(r):
                if squash(c) in ("科目编码", "编码"):
                    return j
    counts: Counter = Counter()
    for b in blocks:
        for r in b.body:
            for j, c in enumerate(r):
                if _is_code(c):
                    counts[j] += 1
    return counts.most_common(1)[0][0] if counts else None


def _mark_contents_lines(doc: Doc) -> None:
    """Plain contents lines ("1. 泗县医疗保障局2024年收支总表") before the first table's title."""
    first_title = next((i for i, x in enumerate(doc.items) if isinstance(x, Line) and x.role == "title"), None)
    if first_title is None:
        return
    for x in doc.items[:first_title]:
        if isinstance(x, Line) and x.role == "text":
            t = x.text.strip()
            kind = kind_of_title(t)
            if kind and len(t) < 60 and (re.match(r"^\d+[.、．]", t) or re.search(r"[.…]{3,}\s*\d*$", t)):
                x.role, x.kind = "contents", kind


# ---------------------------------------------------------------------------------------------------
# Transformations. Each takes the document model and a seeded Random, and changes it in place.


def t_delimiters(doc: Doc, rng: random.Random, to: str | None = None) -> None:
    """Markdown pipes ↔ tab-separated rows (another converter's way of keeping cells)."""
    if doc.style == "flat":
        return
    doc.style = to or ("tabs" if doc.style == "pipes" else "pipes")


def t_drop_empty(doc: Doc, rng: random.Random, share: float = 1.0) -> None:
    """A converter that emits nothing for an empty cell: the row's later values slide left.

    ``share`` < 1 drops them on that share of the printed pages only (a converter whose table
    detection works on some pages and falls back to plain text on others).
    """
    blocks = [b for b in doc.blocks() if doc.tables[b.table].kind != "contents"]
    chosen = [b for b in blocks if share >= 1 or rng.random() < share]
    if share < 1 and blocks and (not chosen or len(chosen) == len(blocks)):
        chosen = blocks[::2]  # some pages, not all and not none
    for b in chosen:
        kept_header = 0
        rows = []
        for i, r in enumerate(b.rows):
            cells = [c for c in r if c.strip()]
            if not cells:
                continue
            rows.append(cells)
            kept_header += i < b.header
        b.rows, b.header, b.ragged = rows, kept_header, True


def _code_parts(code: str, parts: int, style: str) -> list[str]:
    d = squash(code)
    if style == "prefixed":  # 208 | 20805 | 2080505
        pieces = [d[:3], d[:5] if len(d) >= 5 else "", d if len(d) >= 7 else ""]
    else:  # 208 | 05 | 05
        pieces = [d[:3], d[3:5], d[5:7]]
    return pieces[:parts]


def t_codes(doc: Doc, rng: random.Random, style: str = "parts") -> None:
    """Classification codes printed as columns: functional 类 | 款 | 项, economic 类 | 款, under 科目编码.

    ``parts``: 208 | 05 | 05 (款 rows 208 | 05 |); ``prefixed``: 208 | 20805 | 2080505.
    """
    for info in doc.tables.values():
        c = info.code_col
        if c is None:
            continue
        parts = 3 if info.code_kind == "functional" else 2
        names = ["类", "款", "项"][:parts]
        for b in doc.blocks(info.id):
            rows, header = [], b.header
            for i, r in enumerate(b.rows):
                r = r + [""] * (c + 1 - len(r))
                cell = r[c]
                if i < b.header or not _is_code(cell):
                    rows.append(r[:c] + [cell] + [""] * (parts - 1) + r[c + 1:])
                    if i < b.header and squash(cell) in ("科目编码", "编码"):
                        rows.append([""] * c + names + [""] * (len(r) - c - 1))
                        header += 1
                    continue
                new = _code_parts(cell, parts, style)
                doc.removed.update(number_tokens(cell))
                doc.added.update(number_tokens(" ".join(new)))
                rows.append(r[:c] + new + r[c + 1:])
            b.rows, b.header = rows, header
        info.code_parts = parts


def _wrap_pieces(text: str, rng: random.Random) -> list[str]:
    """How a header cell wraps in its PDF cell: at its space if it has one (the corpus's converters joined
    such lines with a space), else into two or, when long, three pieces, never inside a number."""
    text = text.strip()
    if " " in text:
        return [p for p in text.split(" ", 1)]
    cuts = [k for k in range(2, len(text) - 1)
            if not (text[k - 1].isascii() and text[k].isascii() and text[k - 1].isalnum() and text[k].isalnum())]
    if not cuts:
        return [text]
    pieces = 3 if len(text) >= 8 and rng.random() < 0.4 else 2
    chosen = sorted(rng.sample(cuts, min(pieces - 1, len(cuts))))
    if len(chosen) == 2 and chosen[1] - chosen[0] < 2:
        chosen = chosen[:1]
    bounds = [0, *chosen, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def t_header_wrap(doc: Doc, rng: random.Random, share: float = 0.6, seed: str = "") -> None:
    """Header cells wrapped in the PDF come out as further physical rows holding the rest of each cell."""
    for info in doc.tables.values():
        if info.kind in ("card", "contents", "other"):
            continue
        for b in doc.blocks(info.id):
            rows, header = [], b.header
            for i, r in enumerate(b.rows):
                if i >= b.header or any(_SERIAL.match(squash(c)) for c in r):
                    rows.append(r)
                    continue
                split = {}
                for j, cell in enumerate(r):
                    if len(squash(cell)) < 5:
                        continue
                    # the same cell wraps the same way on every page of the table
                    cell_rng = random.Random(f"{seed}:{info.id}:{i}:{j}:{cell}")
                    if cell_rng.random() < share:
                        split[j] = _wrap_pieces(cell, cell_rng)
                depth = max((len(p) for p in split.values()), default=1)
                for level in range(depth):
                    rows.append([split[j][level] if j in split and level < len(split[j]) else (c if level == 0 else "")
                                 for j, c in enumerate(r)])
                header += depth - 1
            b.rows, b.header = rows, header


FOOTERS = {
    "em": "— {n} —",
    "dash": "- {n} -",
    "cn": "第 {n} 页，共 {total} 页",
    "cn_short": "第{n}页",
    "bare": "{n}",
}
RUNNING = {
    "dept_year": "{dept}{year}年部门预算",
    "year_dept": "{year}年{dept}部门预算公开",
}
DEPT_LINES = {
    "name_unit": "部门名称：{dept}{gap}单位：万元",
    "compiler_unit": "编制单位：{dept}{gap}金额单位：万元",
}
CONTINUED = {
    "xubiao": "续表",
    "title_xu": "{title}（续）",
}


def _pick(rng: random.Random, option):
    return rng.choice(option) if isinstance(option, (list, tuple)) else option


def t_pages(doc: Doc, rng: random.Random, footer=None, running=None, dept_line=None, continued=None,
            header: str = "keep", split: int | None = None, before_titles: bool = False) -> None:
    """Page breaks as other documents print them.

    At every break inside a table (the corpus's own, plus ``split``: a break after a random row in any
    table or card page longer than that many body rows) the lines between the pages are replaced by
    this variant's furniture: a page-number footer, then the next page's running title, 部门名称/单位 line
    and 续表 line, any of them left out. ``header``: the continued page repeats the table's header rows
    (``all``), has none (``none``), either at random (``mixed``), or as the corpus prints it (``keep``).
    ``before_titles``: each standard table starts a new page, with the same furniture before its title.
    """
    footer, running, dept_line, continued = (_pick(rng, o) for o in (footer, running, dept_line, continued))
    if split:
        _split_long_pages(doc, rng, split)
    _set_headers(doc, rng, header)
    breaks = [i for i, it in enumerate(doc.items) if isinstance(it, Block) and _is_continuation(doc, i)]
    titles = [i for i, it in enumerate(doc.items) if before_titles and isinstance(it, Line) and it.role == "title"
              and doc.tables[it.table].kind not in ("card", "contents", "other")]
    page = rng.randint(2, 6)
    total = page + len(breaks) + len(titles) + rng.randint(3, 40)
    plan = sorted([(i, "break") for i in breaks] + [(i, "title") for i in titles])
    for index, what in reversed(plan):
        n = page + plan.index((index, what)) + 1
        item = doc.items[index]
        info = doc.tables[item.table]
        plain = info.kind in ("contents", "other")  # a 部门名称/单位 or 续表 line belongs to tables of figures
        seg = _furniture(doc, n, total, footer, running, None if plain else dept_line,
                         continued if what == "break" and not plain else None, info.title)
        if what == "break":
            start = index
            while start > 0 and isinstance(doc.items[start - 1], Line):
                start -= 1
            for x in doc.items[start:index]:
                doc.drop_line(x)
            doc.items[start:index] = seg
        else:
            start = index
            k = index - 1
            while k >= 0 and isinstance(doc.items[k], Line) and doc.items[k].role in ("blank", "label"):
                if doc.items[k].role == "label":
                    start = k
                k -= 1
            doc.items[start:start] = seg


def _is_continuation(doc: Doc, index: int) -> bool:
    b = doc.items[index]
    return any(isinstance(x, Block) and x.table == b.table for x in doc.items[:index])


def _split_long_pages(doc: Doc, rng: random.Random, limit: int) -> None:
    out = []
    for it in doc.items:
        if not isinstance(it, Block) or doc.tables[it.table].kind in ("contents", "other") or len(it.body) <= limit:
            out.append(it)
            continue
        body = it.body
        cut = rng.randint(max(3, len(body) // 3), len(body) - 3)
        out.append(Block(rows=it.rows[:it.header] + body[:cut], header=it.header, table=it.table,
                         ragged=it.ragged, page_start=it.page_start))
        out.append(Line("", "blank"))
        out.append(Block(rows=body[cut:], header=0, table=it.table, ragged=it.ragged, page_start=True))
    doc.items = out


def _set_headers(doc: Doc, rng: random.Random, policy: str) -> None:
    seen: set[int] = set()
    for it in doc.items:
        if not isinstance(it, Block):
            continue
        if it.table not in seen or doc.tables[it.table].kind in ("contents", "other"):
            seen.add(it.table)
            continue
        repeat = doc.tables[it.table].repeat
        if doc.tables[it.table].kind == "card" and not any(
                "一级指标" in r for b in doc.blocks(it.table) if b is not it for r in b.rows[:len(b.rows)]
                if doc.items.index(b) < doc.items.index(it)):
            continue  # a card's pages repeat the indicator header only once the indicator grid has begun
        want = {"all": True, "none": False, "mixed": rng.random() < 0.5}.get(policy)
        if want is None:  # keep: as printed; a page this generator broke repeats the header like the others
            want = it.header > 0 or it.page_start and bool(repeat) and doc.tables[it.table].kind != "card"
        if want and it.header == 0 and repeat:
            it.rows = [list(r) for r in repeat] + it.rows
            it.header = len(repeat)
            doc.added.update(number_tokens(" ".join(c for r in repeat for c in r)))
        elif not want and it.header:
            doc.removed.update(number_tokens(" ".join(c for r in it.rows[:it.header] for c in r)))
            it.rows, it.header = it.rows[it.header:], 0


def _furniture(doc: Doc, n: int, total: int, footer, running, dept_line, continued, title: str) -> list:
    texts = []
    fmt = {"n": n, "total": total, "dept": doc.dept, "year": doc.year, "gap": " " * (8 + n % 13),
           "title": re.sub(r"^.*?\d{4}\s*年", "", title) or title}
    if footer:
        texts.append(FOOTERS[footer].format(**fmt))
    first_of_page = len(texts)
    for option, table in ((running, RUNNING), (dept_line, DEPT_LINES), (continued, CONTINUED)):
        if option:
            texts.append(table[option].format(**fmt))
    lines = [doc.new_line(t, role="furniture") for t in texts]
    if first_of_page < len(lines):
        lines[first_of_page].page_start = True
    if doc.blank_sep:
        spaced = [Line("", "blank")]
        for ln in lines:
            spaced += [ln, Line("", "blank")]
        return spaced
    return [Line("", "blank")] + lines if lines else [Line("", "blank")]


ALT_TITLES = {
    "income_expenditure_summary": ("收支预算总表", "部门收支预算总表", "部门收支总表", "收支总表"),
    "income_summary": ("部门收入预算表", "收入预算总表", "部门收入总表", "收入预算表"),
    "expenditure_summary": ("部门支出预算表", "支出预算总表", "部门支出总表"),
    "fiscal_appropriation_summary": ("财政拨款收支预算总表", "部门财政拨款收支预算总表", "财政拨款收支总表"),
    "general_budget_expenditure": ("一般公共预算财政拨款支出预算表", "一般公共预算支出预算表", "一般公共预算支出表"),
    "general_budget_basic_expenditure": ("一般公共预算财政拨款基本支出预算表", "一般公共预算基本支出预算表",
                                         "一般公共预算基本支出表"),
    "government_fund_expenditure": ("政府性基金预算财政拨款支出预算表", "政府性基金预算支出预算表", "政府性基金预算支出表"),
    "state_capital_expenditure": ("国有资本经营预算财政拨款支出预算表", "国有资本经营预算支出预算表", "国有资本经营预算支出表"),
    "three_public_costs": ("一般公共预算“三公”经费支出预算表", "“三公”经费支出预算表", '一般公共预算"三公"经费支出表',
                           "财政拨款“三公”经费支出预算表"),
    "project_expenditure": ("项目支出预算表", "部门项目支出预算表"),
    "government_procurement": ("政府采购预算表", "部门政府采购预算表", "政府采购支出预算表"),
    "purchased_services": ("政府购买服务预算表", "部门政府购买服务支出预算表"),
    "fixed_assets": ("固定资产占用情况表", "部门固定资产占用情况表"),
}
_CN = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")


NUMBERING = {
    "biao_cn": "表{cn}　{title}",
    "fubiao": "附表{n}：{title}",
    "dash": "1-{n} {title}",
    "none": "{title}",
}
LABELS = {
    "yusuan": "预算{n:02d}表",
    "yusuan_spaced": "预算 {n:02d} 表",
    "gongkai": "部门公开表{n:02d}",
    "fujian": "附件{n}",
}
CONTENTS = {
    "numbered_leaders": "{cn}、{title}{leader}{page}",
    "dotted": "{n}. {title} {dots} {page}",
    "bullets": "● {title}",
    "plain": "{title}",
    "biao": "表{n}  {title}",
}


def t_retitle(doc: Doc, rng: random.Random, numbering="none", label=None, prefix="none", contents="plain",
              rotation: int = 0, seed: str = "") -> None:
    """Other provinces' titles for the same tables, numbered their way, and a contents page to match.

    ``prefix``: ``dept_year`` (泗县医疗保障局2024年…), ``year`` (2024 年…) or ``none``; ``label``: a line
    such as "预算 03 表" above each title; ``contents``: the form of the contents entries. Each kind's
    new title is taken in turn from ``ALT_TITLES`` (offset by ``rotation`` and the document), so that
    the variants of the corpus use every title listed there.
    """
    turn = rotation + (int(seed) if seed.isdigit() else sum(map(ord, seed)))
    numbering, label, prefix, contents = (_pick(rng, o) for o in (numbering, label, prefix, contents))
    kinds = [it.kind for it in doc.items if isinstance(it, Line) and it.role == "contents"]
    kinds += [kind_of_title(r[0]) for b in doc.blocks() if doc.tables[b.table].kind == "contents"
              for r in b.rows if r and r[0]]
    kinds += [info.kind for info in doc.tables.values() if info.kind in ALT_TITLES]
    new_title: dict[str, str] = {}
    for kind in dict.fromkeys(k for k in kinds if k in ALT_TITLES):
        options = [t for t in ALT_TITLES[kind] if squash(t) not in {squash(i.title) for i in doc.tables.values()}]
        options = options or list(ALT_TITLES[kind])
        base = options[turn % len(options)]
        new_title[kind] = {"dept_year": f"{doc.dept}{doc.year}年{base}", "year": f"{doc.year} 年{base}"}.get(prefix, base)
    order = [info for info in doc.tables.values() if info.kind in ALT_TITLES]
    for n, info in enumerate(order, 1):
        title_line = next(it for it in doc.items if isinstance(it, Line) and it.role == "title" and it.table == info.id)
        text = NUMBERING[numbering].format(cn=cn_number(n), n=n, title=new_title[info.kind])
        doc.replace_text(title_line, text)
        info.title = text
        existing = next((it for it in doc.items
                         if isinstance(it, Line) and it.role == "label" and it.table == info.id), None)
        if label:
            label_text = LABELS[label].format(n=n)
            if existing is not None:
                doc.replace_text(existing, label_text)
            else:
                at = doc.items.index(title_line)
                extra = [doc.new_line(label_text, role="label", table=info.id)]
                doc.items[at:at] = extra + ([Line("", "blank")] if doc.blank_sep else [])
    _rewrite_contents(doc, rng, new_title, contents)


def _rewrite_contents(doc: Doc, rng: random.Random, new_title: dict[str, str], form: str) -> None:
    page = rng.randint(1, 4)
    counter = 0

    def entry(kind: str) -> str:
        nonlocal page, counter
        counter += 1
        page += rng.randint(1, 3)
        title = new_title[kind]
        return CONTENTS[form].format(cn=cn_number(counter), n=counter, title=title, page=page,
                                     leader="…" * max(4, 30 - width(title) // 2), dots="." * rng.randint(6, 30))

    out = []
    for it in doc.items:
        if isinstance(it, Line) and it.role == "contents" and it.kind in new_title:
            doc.replace_text(it, entry(it.kind))
        elif isinstance(it, Block) and doc.tables[it.table].kind == "contents":
            entries = [(r, kind_of_title(r[0])) for r in it.rows if any(r)]
            if entries and all(k in new_title for _, k in entries):
                for r, kind in entries:
                    doc.removed.update(number_tokens(" ".join(r)))
                    out.append(doc.new_line(entry(kind), role="contents", kind=kind))
                    if doc.blank_sep:
                        out.append(Line("", "blank"))
                continue
        out.append(it)
    doc.items = out


def t_space(doc: Doc, rng: random.Random, form_feed: bool = True, valign: str = "top", row_gap: float = 0.0,
            label_cap: int | None = None, card_cap: tuple[int, int] = (22, 34), paragraphs: int | None = None) -> None:
    """Render the document as ``pdftotext -layout`` does (see ``_space_layout``, ``_space_block``).

    ``form_feed``: a form feed starts each new page; ``valign``: ``middle`` puts a one-line cell of a
    multi-line row on its middle line (cells centred vertically in the PDF), ``top`` on the first;
    ``row_gap``: the share of tables printed with a blank line between rows (tall rows); ``label_cap``:
    the widest a text column of a table gets before its cells wrap (cards: ``card_cap``);
    ``paragraphs``: wrap the narrative's paragraphs at that display width, as the PDF's lines break.
    """
    doc.space = {"form_feed": form_feed, "valign": valign, "row_gap": row_gap, "label_cap": label_cap,
                 "card_cap": card_cap, "paragraphs": paragraphs, "seed": rng.random()}


TRANSFORMS = {
    "delimiters": t_delimiters,
    "drop_empty": t_drop_empty,
    "codes": t_codes,
    "header_wrap": t_header_wrap,
    "pages": t_pages,
    "retitle": t_retitle,
    "space": t_space,
}


# ---------------------------------------------------------------------------------------------------
# Rendering


def render(doc: Doc) -> str:
    layouts = {}
    if doc.space is not None:
        for info in doc.tables.values():
            blocks = doc.blocks(info.id)
            if blocks:
                layouts[info.id] = _space_layout(doc, info, blocks)
    out: list[str] = []
    last_block: Block | None = None
    for it in doc.items:
        if isinstance(it, Line):
            out.append(_render_line(doc, it, layouts))
            if it.role != "blank":
                last_block = None
            continue
        if last_block is not None and out and out[-1].strip():
            out.append("")  # two printed pages of rows never run together
        if doc.style == "pipes" and doc.space is None and out and out[-1].strip():
            out.append("")  # markdown: a table starts after a blank line
        lines = _space_block(doc, it, layouts[it.table]) if doc.space is not None else (
            _pipe_block(it) if doc.style == "pipes" else _tab_block(it))
        if it.page_start and doc.space is not None and doc.space["form_feed"] and lines:
            lines[0] = "\f" + lines[0]
        out.extend(lines)
        last_block = it
    return "\n".join(out)


def _render_line(doc: Doc, line: Line, layouts: dict) -> str:
    text = line.text
    if doc.space is None:
        return text
    layout = layouts.get(line.table) if line.table is not None else None
    if layout is not None and line.role == "title":
        text = " " * (layout.margin + max(0, (layout.width - width(text.strip())) // 2)) + text.strip()
    elif layout is not None and line.role == "unit":
        text = " " * max(0, layout.margin + layout.width - width(text.strip())) + text.strip()
    elif line.role == "text" and doc.space["paragraphs"] and width(text) > doc.space["paragraphs"]:
        text = "\n".join(wrap("    " + text.strip(), doc.space["paragraphs"], keep_indent=True))
    if line.page_start and doc.space["form_feed"]:
        text = "\f" + text
    return text


def _pipe_block(b: Block) -> list[str]:
    """Markdown rows, all as wide as the block's widest (rows that lost empty cells are left-packed)."""
    n = max(len(r) for r in b.rows)
    out = []
    for i, r in enumerate(b.rows):
        cells = r + [""] * (n - len(r))
        out.append("|" + "|".join(f" {c} " if c else " " for c in cells) + "|")
        if i == 0:  # a markdown table's first row is its header, whatever it holds
            out.append("|" + "|".join("-" * max(2, min(width(c) + 2, 20)) for c in cells) + "|")
    return out


def _tab_block(b: Block) -> list[str]:
    n = max(len(r) for r in b.rows)
    return ["\t".join(r if b.ragged else r + [""] * (n - len(r))) for r in b.rows]


@dataclass
class SpaceLayout:
    starts: list[int]  # display column where each column begins (margin included)
    widths: list[int]
    margin: int
    width: int  # from the margin to the right edge of the last column
    row_gap: bool
    valign: str
    text_cols: set[int]  # columns whose numbers are codes, not amounts
    centre_numbers: bool  # forms (cards) centre their figures; tables right-align them


def _numeric(cell: str) -> bool:
    return _is_amount(cell) or bool(re.fullmatch(r"\d+(\.\d+)?%", squash(cell)))


def _space_layout(doc: Doc, info: TableInfo, blocks: list[Block]) -> SpaceLayout:
    opts = doc.space
    rng = random.Random(f"{opts['seed']}:{info.id}")
    n = max(len(r) for b in blocks for r in b.rows)
    body = [r for b in blocks for r in b.body]
    if info.kind == "card":
        cap = rng.randint(*opts["card_cap"])
    else:
        cap = opts["label_cap"] or 80
    widths, numeric_cols = [], []
    for j in range(n):
        cells = [r[j] for r in body if j < len(r) and r[j]]
        nums = [width(c) for c in cells if _numeric(c) and j not in info.code_cols]
        texts = [width(c) for c in cells if not _numeric(c) or j in info.code_cols]
        w = max(max(nums, default=0), min(max(texts, default=0), cap))
        if nums and len(nums) >= len(texts):
            w = max(w, rng.randint(6, 10))
            numeric_cols.append(True)
        else:
            numeric_cols.append(False)
        if not cells:
            w = rng.randint(6, 10)
        widths.append(max(w, 4))
    tight = rng.random() < 0.5  # the widest label and the widest number of the next column one space apart
    margin = rng.randint(0, 4)
    starts = [margin]
    for j in range(1, n):
        gap = 1 if tight and numeric_cols[j] and not numeric_cols[j - 1] else rng.choice((2, 2, 3, 3, 4, 5))
        starts.append(starts[-1] + widths[j - 1] + gap)
    return SpaceLayout(starts=starts, widths=widths, margin=margin, width=starts[-1] + widths[-1] - margin,
                       row_gap=rng.random() < opts["row_gap"], valign=opts["valign"], text_cols=info.code_cols,
                       centre_numbers=info.kind == "card")


_WRAP_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.")
_NO_LINE_START = set("，。、；：？！）》」』”’%")  # a line never starts with these (kinsoku)


def wrap(text: str, limit: int, keep_indent: bool = False) -> list[str]:
    """Break a cell's text into lines of at most ``limit`` display columns, never inside an ASCII run
    (a number, a code), preferring the cell's own spaces."""
    lines, cur = [], ""
    if keep_indent:
        cur = text[:len(text) - len(text.lstrip())]
    for tok in _WRAP_TOKEN.findall(text.strip()):
        if tok.isspace():
            if cur:
                cur += " "
            continue
        if cur.strip() and width(cur.rstrip() + tok) > limit and tok not in _NO_LINE_START:
            lines.append(cur.rstrip())
            cur = ""
        cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


def _place(line_segments: list[tuple[int, str]]) -> str:
    out, col = "", 0
    for start, text in sorted(line_segments):
        if start < col + (1 if out else 0):
            start = col + (1 if out else 0)
        out += " " * (start - col) + text
        col = start + width(text)
    return out.rstrip()


def _span_end(row: list[str], j: int, n: int) -> int:
    k = j
    while k + 1 < n and (k + 1 >= len(row) or not row[k + 1]):
        k += 1
    return k


def _space_block(doc: Doc, b: Block, lay: SpaceLayout) -> list[str]:
    n = len(lay.widths)
    out: list[str] = []
    header = [r for r in b.rows[:b.header] if not any(_SERIAL.match(squash(c)) for c in r)]
    out += _space_header(header, lay) if header else []
    for i, r in enumerate(b.rows):
        if i < b.header and r not in header:  # the numbered 栏次 row: each number centred in its column
            out.append(_place([(lay.starts[j] + (lay.widths[j] - width(c)) // 2, c) for j, c in enumerate(r) if c]))
    for i, r in enumerate(b.body):
        cells: dict[int, list[str]] = {}
        numbers = set()
        for j, c in enumerate(r[:n]):
            if not c:
                continue
            if _numeric(c) and j not in lay.text_cols:
                cells[j] = [c]
                numbers.add(j)
            else:
                k = _span_end(r, j, n)
                cells[j] = wrap(c, lay.starts[k] + lay.widths[k] - lay.starts[j])
        height = max((len(v) for v in cells.values()), default=1)
        phys = [[] for _ in range(height)]
        for j, lines in cells.items():
            top = (height - len(lines)) // 2 if lay.valign == "middle" and len(lines) == 1 else 0
            for k, text in enumerate(lines):
                x = lay.starts[j]
                if j in numbers:
                    room = lay.widths[j] - width(text)
                    x += room // 2 if lay.centre_numbers else room
                phys[top + k].append((x, text))
        if lay.row_gap and i:
            out.append("")
        out += [_place(p) for p in phys]
    return out


def _space_header(rows: list[list[str]], lay: SpaceLayout) -> list[str]:
    """Header rows as boxes: a cell spans the empty cells to its right that have children below it,
    and the rows below it that are empty under it; its text is wrapped to the box and centred in it."""
    n = len(lay.widths)
    rows = [r + [""] * (n - len(r)) for r in rows]
    boxes = []
    for i, r in enumerate(rows):
        for j, c in enumerate(r[:n]):
            if not c:
                continue
            k = j
            while k + 1 < n and not r[k + 1] and any(rows[d][k + 1] for d in range(i + 1, len(rows))):
                k += 1
            d = i
            while d + 1 < len(rows) and not any(rows[d + 1][j:k + 1]):
                d += 1
            box_width = lay.starts[k] + lay.widths[k] - lay.starts[j]
            boxes.append((i, d, j, k, wrap(c, box_width)))
    heights = [1] * len(rows)
    for i, d, j, k, lines in sorted(boxes, key=lambda b: b[1] - b[0]):
        have = sum(heights[i:d + 1])
        if len(lines) > have:
            heights[d] += len(lines) - have
    tops = [sum(heights[:i]) for i in range(len(rows))]
    phys = [[] for _ in range(sum(heights))]
    for i, d, j, k, lines in boxes:
        span_h = sum(heights[i:d + 1])
        top = tops[i] + (span_h - len(lines)) // 2
        left, box_width = lay.starts[j], lay.starts[k] + lay.widths[k] - lay.starts[j]
        for m, text in enumerate(lines):
            phys[top + m].append((left + max(0, (box_width - width(text)) // 2), text))
    return [_place(p) for p in phys]


# ---------------------------------------------------------------------------------------------------
# Variants


@dataclass(frozen=True)
class Variant:
    name: str
    models: str  # the converter or template it models, in one line
    steps: tuple[tuple[str, dict], ...]


def _v(name: str, models: str, *steps: tuple[str, dict]) -> Variant:
    return Variant(name, models, tuple(steps))


VARIANTS: dict[str, Variant] = {v.name: v for v in (
    _v("delimiters_swapped",
       "the other converter family: markdown pipe tables (PDF→markdown) where the original has tab rows, "
       "and tab rows where it has pipes",
       ("delimiters", {})),
    _v("dropped_empties",
       "text extraction that emits nothing for an empty cell (pdfplumber extract_text, copy from a PDF viewer): "
       "later values slide left in every row",
       ("drop_empty", {"share": 1.0})),
    _v("dropped_empties_some_pages",
       "a converter whose table detection works on some pages only: empty cells dropped on about half the pages",
       ("drop_empty", {"share": 0.5})),
    _v("codes_split",
       "templates that print the functional code as 类 | 款 | 项 columns (208 | 05 | 05; economic 301 | 01) under 科目编码",
       ("codes", {"style": "parts"})),
    _v("codes_prefixed",
       "templates that print 类 | 款 | 项 with the parent prefix repeated (208 | 20805 | 2080505)",
       ("codes", {"style": "prefixed"})),
    _v("page_furniture",
       "page numbers (— 7 —, - 7 -), a running title and a 部门名称/单位 line at every page break, header repeated; "
       "each table on a new page; breaks inside long tables",
       ("pages", {"footer": ("em", "dash"), "running": ("dept_year", "year_dept"), "dept_line": "name_unit",
                  "header": "all", "split": 14, "before_titles": True})),
    _v("page_furniture_no_header",
       "第 7 页，共 31 页 footers and 续表 / title（续） lines at page breaks, the continued page without the header rows",
       ("pages", {"footer": ("cn", "cn_short"), "running": None, "dept_line": "compiler_unit",
                  "continued": ("xubiao", "title_xu"), "header": "none", "split": 12})),
    _v("continued_bare",
       "a table continued on the next page with no furniture and no header at all (only the break remains)",
       ("pages", {"header": "none", "split": 12})),
    _v("retitled",
       "other provinces' titles (收支预算总表, 部门收入预算表, 一般公共预算“三公”经费支出预算表…), numbered 表一 / 附表1 / 1-1, "
       "a 预算 03 表 line above each, a numbered contents page with leaders and page numbers",
       ("retitle", {"numbering": ("biao_cn", "fubiao", "dash"), "label": ("yusuan", "yusuan_spaced", "gongkai"),
                    "prefix": "none", "contents": ("numbered_leaders", "dotted")})),
    _v("retitled_prefixed",
       "titles with the department and year (泗县医疗保障局2024年部门收入预算表 / 2024 年…), "
       "a bulleted or plain contents page without page numbers",
       ("retitle", {"numbering": "none", "label": None, "prefix": ("dept_year", "year"),
                    "contents": ("bullets", "plain", "biao"), "rotation": 1})),
    _v("header_wrapped",
       "header cells wrapped in the PDF coming out as a second (or third) physical row (工资福 / 利支出) "
       "in tab and pipe layouts",
       ("header_wrap", {"share": 0.6})),
    _v("space_aligned",
       "pdftotext -layout: columns aligned by runs of spaces, numbers right-aligned, merged headers centred, "
       "header cells wrapped to their column, form feeds between pages",
       ("space", {"form_feed": True})),
    _v("pdftotext_full",
       "pdftotext -layout of another province's PDF: space-aligned, retitled, page numbers and running titles, "
       "continued pages without header, long labels wrapped, cells centred vertically, blank lines between rows, "
       "paragraphs broken into the PDF's lines",
       ("pages", {"footer": ("em", "bare"), "running": "dept_year", "dept_line": None, "header": "mixed",
                  "split": 16, "before_titles": True}),
       ("retitle", {"numbering": ("fubiao", "none"), "label": ("yusuan_spaced", None), "prefix": "none",
                    "contents": "dotted", "rotation": 2}),
       ("space", {"form_feed": True, "valign": "middle", "row_gap": 0.4, "label_cap": 26, "paragraphs": 86})),
    _v("tabs_dropped_codes",
       "a 类 | 款 | 项 template through a converter that keeps cells as tabs but drops the empty ones "
       "(the two faults the issue saw together on a Henan-template disclosure)",
       ("delimiters", {"to": "tabs"}), ("codes", {"style": "parts"}), ("drop_empty", {"share": 1.0})),
    _v("pipes_wrapped_prefixed",
       "markdown from a 类 | 款 | 项 template with the prefix repeated, wrapped header cells and page furniture",
       ("delimiters", {"to": "pipes"}),
       ("pages", {"footer": "dash", "running": None, "dept_line": "name_unit", "header": "all", "split": 15}),
       ("codes", {"style": "prefixed"}), ("header_wrap", {"share": 0.5})),
    _v("space_aligned_codes",
       "pdftotext -layout of a 类 | 款 | 项 template with narrow label columns (long labels wrap under themselves)",
       ("codes", {"style": "parts"}), ("space", {"form_feed": True, "label_cap": 22})),
)}


def apply(text: str, variant: Variant | str, seed: str = "") -> Doc:
    """The document model of ``text`` after the variant's steps (see ``make_variant``)."""
    v = VARIANTS[variant] if isinstance(variant, str) else variant
    doc = parse(text)
    for k, (name, params) in enumerate(v.steps):
        rng = random.Random(f"{v.name}:{seed}:{k}")
        params = dict(params)
        if name == "header_wrap":
            params["seed"] = f"{v.name}:{seed}"
        if name == "retitle":
            params["seed"] = seed
        TRANSFORMS[name](doc, rng, **params)
    return doc


def make_variant(text: str, variant: Variant | str, seed: str = "") -> str:
    """``text`` as the variant prints it; the same text for the same (variant, seed) on every run."""
    return render(apply(text, variant, seed))


def corpus_text(doc_id: str) -> str:
    path = next(EXAMPLES.glob(f"{doc_id}_*.txt"))
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def corpus_variant(doc_id: str, variant: str) -> str:
    return make_variant(corpus_text(doc_id), variant, seed=doc_id)


def expected_numbers(doc_id: str, variant: str) -> Counter:
    """The number tokens the variant's text must hold: the original's, less and plus what the steps booked."""
    doc = apply(corpus_text(doc_id), variant, seed=doc_id)
    return number_tokens(corpus_text(doc_id)) - doc.removed + doc.added
