"""Stage 2 — chunk: cut a document into sections (tables, cards, narrative) with their character ranges.

Page furniture is dropped here: repeated page headers (``450 三河市医疗保障局`` /
``预算年度：2024`` / ``单位：万元``), page numbers (``— 7 —``, ``第 7 页，共 31 页``),
running titles repeated on every page, separator rows. A table continued over
several pages stays one section; its pages are kept as *segments* so that the
reader can re-read each page's header and re-join a row or a cell that the page
break cut in two.

Rows come in three layouts: markdown pipes, tabs, and plain text lines whose
cells are separated by spaces (space-aligned columns, or words packed with one
space after a converter dropped the empty cells). Which plain lines of a table
section are rows is decided here; how they split into cells is the reader's
business (``cells``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from schemas import kind_for_title, spec_for
from schemas.common import arabic_years

from .units import STATEMENT_LINE, find_statement, statement_in


class LineKind(Enum):
    BLANK = "blank"
    PIPE = "pipe"
    TAB = "tab"
    SEPARATOR = "separator"
    PAGE_HEADER = "page_header"
    TEXT = "text"
    SPACED = "spaced"  # a plain text line that the chunker took for a table row


# Asked of every line several times: the members looked up once (an Enum member's lookup is not free).
_ROW_KINDS = (LineKind.PIPE, LineKind.TAB, LineKind.SPACED)
_BLANK, _PIPE, _TAB, _SEPARATOR = LineKind.BLANK, LineKind.PIPE, LineKind.TAB, LineKind.SEPARATOR
_PAGE_HEADER, _TEXT, _SPACED = LineKind.PAGE_HEADER, LineKind.TEXT, LineKind.SPACED
_PLAIN_ROWS_AND_GAPS = (_PIPE, _TAB, _BLANK, _SEPARATOR)


@dataclass(slots=True)  # one per line of every document: a frozen dataclass's __init__ costs three times as much
class Line:
    """A line of the document. Treated as immutable: a stage that sees a line otherwise makes a new one (``as_kind``)."""

    index: int
    start: int  # offset of the first character
    end: int  # offset after the last character, newline excluded
    text: str  # the line without its newline
    kind: LineKind
    page_end: bool = False  # a form feed ends the line: the next line is on a new page
    # A pipe row of a table printed without outer bars ("201 | 一般公共服务支出 | 520.00 | "): every "|" separates two
    # cells, so a bar at either end is an empty first or last cell, not the table's border.
    bare: bool = False

    @property
    def is_row(self) -> bool:
        return self.kind in _ROW_KINDS

    def as_kind(self, kind: LineKind) -> "Line":
        return Line(self.index, self.start, self.end, self.text, kind, self.page_end, self.bare)


@dataclass
class Segment:
    """The rows of one table on one page (a page break or blank line ends a segment)."""

    lines: list[Line] = field(default_factory=list)


@dataclass
class Chunk:
    id: str
    kind: str
    title: str
    title_span: tuple[int, int] | None
    start: int
    end: int
    lines: list[Line] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    # A unit statement printed just above the title (单位：万元 over 表五 …) when none is under it: the section's own,
    # kept apart from ``lines`` (whose first line is the title); ``start`` is then the statement's.
    lead: list[Line] = field(default_factory=list)
    # Kept as lines are added, so that deciding what a line is never rescans the section.
    last_content: Line | None = None  # the last line that is not blank or furniture
    last_row: Line | None = None
    last_row_at: int = -1  # where ``last_row`` is in ``lines``
    loose_text: int = 0  # plain text lines after the title that are not notes
    first_row_words: str = ""  # the words of the table's first row run together (``_squash``, ``_header_again``)
    figures_at: int | None = None  # where the rows with figures begin in the first segment, once they have
    # The document puts a blank line between every two rows of its tables (text copied from a web page): a blank
    # line between delimited rows then ends no segment.
    rows_double_spaced: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    is_table: bool = field(init=False)  # a table or a card, not narrative or front matter
    is_card: bool = field(init=False)

    def __post_init__(self) -> None:
        # Asked of nearly every line while chunking: worked out once (a section's kind never changes).
        self.is_table = self.kind not in ("narrative", "front_matter")
        self.is_card = self.is_table and spec_for(self.kind).card

    @property
    def has_rows(self) -> bool:
        # Asked of nearly every line while chunking: a table's rows all go into its segments (``_add_line``).
        return self.last_row is not None and self.is_table

    def text_without_furniture(self) -> str:
        """The section's lines minus page headers and separators: what an LLM gets to read."""
        keep = (_PIPE, _TAB, _SPACED, _TEXT)
        return "\n".join(line.text for line in self.lines if line.kind in keep)


@dataclass
class DocumentMeta:
    department: str | None = None
    department_code: str | None = None
    year: int | None = None
    stage: str | None = None  # budget (预算) or final_accounts (决算); None when the document does not say


_SEPARATOR_ROW = re.compile(r"^\s*\|[\s\-:|]+\|\s*$")
# How the name of a department or budget unit ends: 局, 委员会, 办公室 / 人防办, 中心, 法院 / 医院, 厅, 部, 总工会 /
# 妇女联合会 / 科学技术协会 / 红十字会, 人民政府, 供销合作社联合社, 党校 / 第一中学, 图书馆, 站, 所, 队, 处, 室, 园, 台, 团.
_DEPT_END = "(?:局|委员会|委|办公室|办|中心|院|厅|部|政府|会|社|校|学|馆|所|站|队|处|室|园|台|团)"
_DEPT_HEADER = re.compile(rf"^\s*(?P<code>\d{{3}})\s+(?P<dept>\S{{2,40}}?{_DEPT_END})\s*$")
_YEAR_HEADER = re.compile(r"^\s*预算年?度[：:]\s*(?P<year>\d{4})\s*$")
# A table's number alone on its line, over its title: 表12, 附表 3-1, 表十二, 预算03表, 决算 2-1 表.
_TABLE_NUMBER_LINE = re.compile(r"^\s*(?:附?表\s*[一二三四五六七八九十\d]+(?:\s*[-—–.．]\s*\d+)*|(?:部门)?(?:预算|决算)"
                                r"\s*\d+(?:\s*[-—–]\s*\d+)?\s*表)\s*$")
_FURNITURE = (
    _DEPT_HEADER,
    _YEAR_HEADER,
    re.compile(STATEMENT_LINE),
    re.compile(r"^\s*部门公开表\s*\d+\s*$"),
    _TABLE_NUMBER_LINE,
    re.compile(r"^\s*截止时间[：:].*$"),
    re.compile(r"^\s*(编制部门|编制单位|部门名称|单位名称|填报单位|预算单位|部门)\s*[：:].*$"),
    re.compile(r"^\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$"),
    # (The look-ahead tells a line without 单位, most of them, before the words before it are tried one length at a time.)
    re.compile(r"^\s*(?=(?s:.*)单位)\S{2,30}(局|委|办|院|中心|厅)\s+(金额|计量)?单位\s*[：:（(]\s*\S+\s*$"),
    # Page numbers: — 7 —, - 7 -, 第 7 页, 第7页，共31页, 共31页 第7页, 7 / 31, Page 7.
    re.compile(r"^\s*[-—–－―一]+\s*\d{1,4}\s*[-—–－―一]+\s*$"),
    re.compile(r"^\s*第\s*\d{1,4}\s*页\s*([，,、/]?\s*共\s*\d{1,4}\s*页)?\s*$"),
    re.compile(r"^\s*共\s*\d{1,4}\s*页\s*[，,]?\s*第\s*\d{1,4}\s*页\s*$"),
    re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,4}\s*$"),
    re.compile(r"^\s*(page|Page|PAGE)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$"),
)
_GAP = re.compile(r"\s{2,}")
_FIELD_SPLIT = re.compile(r"\s{2,}|\t")
_NARRATIVE_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|附件)\s*\S?")
_NOTE = re.compile(r"^\s*注\s*[：:]")
_MAX_TITLE_LEN = 120
# A contents line: dotted leaders and/or a page number after the entry.
_LEADERS = re.compile(r"(?:[.．。·…⋯_]{2,}|[-—]{3,})")
# (A space stands before the number only where a run of spaces starts, ``(?<!\s)``, and the run is taken whole, ``\s*+``:
# else the engine reads each gap of a space-aligned row again from each of its spaces.)
_PAGE_REF = re.compile(r"(?:[.．。·…⋯_]|(?<!\s)\s)\s*+\d{1,3}\s*$")
_ENTRY_PREFIX = re.compile(r"^\s*(?:[•·●○▪■□◆◇\-–—*]\s*|\(?[（(]?\d{1,2}[)）.、．]\s*|[（(]?[一二三四五六七八九十]+[)）、．.]\s*"
                           r"|表\s*[一二三四五六七八九十\d]+[-—]?\d*\s*[:：、.]?\s*|附表\s*\d+(?:-\d+)?\s*[:：、.]?\s*"
                           r"|\d{1,2}-\d{1,2}\s*)+")
# (Compiled once: asked of many lines.)
_ENDS_IN_DECIMAL = re.compile(r"\d+\.\d+\s*$")
_ENTRY_CELL_SPLIT = re.compile(r"\s*\|\s*|\t")
_TRAILING_PAGE = re.compile(r"\s*\d{1,3}\s*$")
_SPACES = re.compile(r"\s+")


def _is_note(text: str) -> bool:
    """A note under a table (注：…). (Asked of every plain line: most print no 注, told before the pattern is tried.)"""
    return "注" in text and _NOTE.match(text) is not None


def split_lines(text: str) -> list[Line]:
    _rowlike_text.cache_clear()  # (a new document)
    lines: list[Line] = []
    pos = 0
    # Each distinct line classified once: a document prints its page headers, a table's header, a card's keys page
    # after page.
    kinds: dict[str, LineKind] = {}
    for index, raw in enumerate(text.splitlines(keepends=True)):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        kind = kinds.get(body)
        if kind is None:
            kind = kinds[body] = _classify(body)
        lines.append(Line(index, pos, pos + len(body), body, kind, "\x0c" in raw[len(body):]))
        pos += len(raw)
    if "|" in text:  # (no bar, no pipe table)
        _mark_bare_pipe_tables(lines)
    _mark_running_titles(lines)
    _mark_bare_page_numbers(lines)
    return lines


_BARE_PIPE_ROW = re.compile(r"^[^|]*\|[^|]*\|")  # two bars or more
_BARE_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def _mark_bare_pipe_tables(lines: list[Line]) -> None:
    """Pipe tables printed without outer bars (``a | b | c``, what many markdown writers and converters print).

    Lines are taken together, a run of bar lines at a time (blank lines and ``--- | ---`` rows inside it): when
    splitting on every bar gives more of its lines the same number of cells than reading the end bars as borders, the
    run is such a table (a row whose first or last cell is empty then starts or ends with a bar). A lone line with bars
    in prose, or an outer-bar table (where both readings agree), is left as it is.
    """
    # A bar line: a pipe row or a separator, or plain text with two bars or more.
    bar = [line.kind is _PIPE or line.kind is _SEPARATOR
           or (line.kind is _TEXT and "|" in line.text and _BARE_PIPE_ROW.match(line.text) is not None)
           for line in lines]
    i = 0
    while i < len(lines):
        if not bar[i]:
            i += 1
            continue
        run, j = [], i
        while j < len(lines) and (bar[j] or lines[j].kind is _BLANK):
            if bar[j]:
                run.append(j)
            j += 1
        if len(run) >= 2 and _split_on_every_bar(lines[k] for k in run):
            for k in run:
                line = lines[k]
                kind = _SEPARATOR if _BARE_SEPARATOR_ROW.match(line.text) or _SEPARATOR_ROW.match(line.text) else _PIPE
                lines[k] = Line(line.index, line.start, line.end, line.text, kind, line.page_end, True)
        i = j


def _split_on_every_bar(run) -> bool:
    texts = [line.text.strip() for line in run if line.kind is not _SEPARATOR]
    if all(text.startswith("|") and text.endswith("|") for text in texts):
        return False  # (every row between outer bars, the commonest: both readings cut each into as many cells)
    bare = Counter(text.count("|") + 1 for text in texts)
    # A row under the border reading: its cells between the first bar and the last.
    bordered = Counter(text.count("|") - (1 if text.endswith("|") else 0) for text in texts if text.startswith("|"))
    return max(bare.values(), default=0) > max(bordered.values(), default=0)


_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def _mark_bare_page_numbers(lines: list[Line]) -> None:
    """A number alone on the last line of a page, or on its first, is the page's number.

    Only a form feed says where a page ends, so only there is a bare number
    taken for furniture (elsewhere it may be a table's row or a cell's rest).
    """
    for i, line in enumerate(lines):
        if not line.page_end:
            continue
        for step, start in ((-1, i), (1, i + 1)):
            k = start
            while 0 <= k < len(lines) and lines[k].kind is _BLANK:
                k += step
            if 0 <= k < len(lines) and lines[k].kind is _TEXT and _BARE_NUMBER.match(lines[k].text):
                lines[k] = lines[k].as_kind(_PAGE_HEADER)


def _classify(body: str) -> LineKind:
    stripped = body.strip()
    if not stripped:
        return _BLANK
    if stripped.startswith("|"):
        return _SEPARATOR if _SEPARATOR_ROW.match(stripped) else _PIPE
    if "\t" in body and ("\t" in stripped or body.lstrip(" ").startswith("\t") or "\t\t" not in body):
        # A line with empty cells before its words is a row, and so is one cell and a tab ("208\t"). A line whose
        # only tabs trail its words, two or more (a sheet's row padded to the sheet's width, a range copied from a
        # spreadsheet: a title, a note), is the words alone.
        if is_furniture(stripped) or _browser_furniture(stripped):
            return _PAGE_HEADER
        return _TAB
    if is_furniture(stripped) or _browser_furniture(stripped):
        return _PAGE_HEADER
    if (stripped[0] == "#" or "<" in stripped) and is_furniture(_unmarked(stripped).strip()):
        return _PAGE_HEADER  # "# <u>单位：万元</u>" (Markdown a converter wrapped a unit statement in)
    return _TEXT


# What a browser prints at the top and bottom of each page of a web page (Chromium, Firefox, Edge): the date and
# time with the page's title, the address with the page counter (7/20).
_ADDRESS = re.compile(r"^(?:file|https?)://\S+$|^www\.\S+\.\S+$")
_DATE_TIME = re.compile(r"^(?:\d{4}[/\-.]\d{1,2}[/\-.]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}),?(?:\s+(?:上午|下午)?\d{1,2}:\d{2}"
                        r"(?::\d{2})?(?:\s*[AaPp][Mm])?)?$")
# A date somewhere in the line (what ``_DATE_TIME`` needs): a digit on each side of its two separators is enough to say
# so. (It starts at the first separator, the digit before it looked behind for: the engine then tries only where a
# separator stands, not at every digit of a row's figures.)
_DATE_HINT = re.compile(r"[/\-.](?<=\d[/\-.])\d{1,2}[/\-.]\d")
_RUNNING_WORDS = re.compile(r"^[^\d\t]{1,60}$")


def _browser_furniture(stripped: str) -> bool:
    """A browser's running header or footer line: an address or a date (with its time), and beside it only the
    page counter, other furniture, or the page's title (words, no figure but a year)."""
    if "://" not in stripped and "www." not in stripped and not _DATE_HINT.search(stripped):
        return False
    fields = [f.strip() for f in _FIELD_SPLIT.split(stripped) if f.strip()]
    if not any(_ADDRESS.match(f) or _DATE_TIME.match(f) for f in fields):
        return False
    return all(_ADDRESS.match(f) or _DATE_TIME.match(f) or _ANY_FURNITURE.match(f)
               or _RUNNING_WORDS.match(_YEAR_WORD.sub("", f)) for f in fields)


_LINE_START = r"^\s*"
assert all(p.pattern.startswith(_LINE_START) for p in _FURNITURE)
# One pattern for all of them, their shared start taken out: asked of every line, and the engine then reads
# a line's leading spaces once, not once per pattern.
_ANY_FURNITURE = re.compile(_LINE_START + "(?:" + "|".join(f"(?:{p.pattern[len(_LINE_START):]})" for p in _FURNITURE) + ")")


def is_furniture(stripped: str) -> bool:
    """Page furniture: a page header or number, or a line made only of such fields side by side.

    A line that closes a bracket it never opened ("单位：万元）") is the rest of a header cell that
    wrapped ("价值（金额" / "单位：万元）"), not furniture of its own.
    """
    if _ANY_FURNITURE.match(stripped):
        return _opened(stripped) >= 0
    if "  " not in stripped and "\t" not in stripped:
        return False
    # The first field is looked at before the line is cut into all of them: in most lines (a table's rows)
    # it is no furniture, and that settles it.
    text = stripped.lstrip()
    gap = _FIELD_SPLIT.search(text)  # (found, not split: the rest of the line is not copied)
    if not _ANY_FURNITURE.match(text[:gap.start()] if gap else text):
        return False
    fields = [f for f in _FIELD_SPLIT.split(stripped) if f]
    return len(fields) > 1 and all(_ANY_FURNITURE.match(f) for f in fields)


def _opened(text: str) -> int:
    return sum(text.count(c) for c in "(（") - sum(text.count(c) for c in ")）")


def _mark_running_titles(lines: list[Line]) -> None:
    """A short line printed on many pages (the document's running title) is furniture too."""
    counts = Counter([line.text.strip() for line in lines if line.kind is _TEXT])
    repeated = {t for t, n in counts.items() if n >= 3 and len(t) <= 40 and _could_be_running_title(t)}
    if not repeated:
        return
    for i, line in enumerate(lines):
        if line.kind is _TEXT and line.text.strip() in repeated:
            lines[i] = line.as_kind(_PAGE_HEADER)


def _could_be_running_title(t: str) -> bool:
    if len(t) < 6:
        return False  # (a piece of a wrapped cell, the commonest short line printed on many pages)
    if kind_for_title(t) is not None or _NARRATIVE_HEADING.match(t) or _is_note(t):
        return False
    if _SENTENCE_OR_DECIMAL.search(t):
        return False
    if _GAP.search(t):
        return False  # words spread over the page: a table's header repeated on every page
    words = t.split()
    # A header row of a packed table repeats on every page too: several short words. A running
    # title names the department, the year or the budget.
    without_year = _YEAR_WORD.sub("", t)
    if _DIGIT_OR_MARK.search(without_year):
        return False
    return len(words) <= 3 and bool(_RUNNING_TITLE_WORDS.search(t))


_SENTENCE_OR_DECIMAL = re.compile(r"[。；;，,：:]$|\d+\.\d")
_YEAR_WORD = re.compile(r"(19|20)\d\d\s*年度?")
_DIGIT_OR_MARK = re.compile(r"\d|[≥≤<>＜＞=＝%％【】]")
_RUNNING_TITLE_WORDS = re.compile(r"(19|20)\d\d\s*年|预算|决算|(局|委|办|院|中心|厅|所|站)$")


def document_meta(lines: list[Line], text: str) -> DocumentMeta:
    """The department, its code and the budget year, from what names them most surely: a page header with the
    department's code (450 三河市医疗保障局) or label (部门：…, 编制单位：…), the document's title (…2024年度部门预算,
    …2025年部门决算公开: the year the accounts are for), a lone table's title (…2025年一般公共预算支出表), and last a
    table's own unit (单位名称：…, which in a department's document names each of its units in turn: 白沙镇中心小学 is
    not the department). And whether it is a budget or final accounts: from its title, else its tables' titles."""
    meta = DocumentMeta()
    unit = None
    for line in lines:
        if line.kind is not _PAGE_HEADER:
            continue
        for field_text in _FIELD_SPLIT.split(line.text.strip()):
            m = _DEPT_HEADER.match(field_text)
            if m and meta.department is None:
                meta.department_code, meta.department = m.group("code"), m.group("dept")
            m = _DEPT_LABEL.match(field_text)
            if m and meta.department is None:
                if _UNIT_LABEL.match(m.group("label")):
                    unit = unit or m.group("dept")
                else:
                    meta.department = m.group("dept")
            m = _YEAR_HEADER.match(arabic_years(field_text))
            if m and meta.year is None:
                meta.year = int(m.group("year"))
    head = arabic_years(text[:3000])  # 二〇二五年 as 2025年
    if meta.department is None:
        m = _TITLE_DEPT.search(head)
        if m:
            meta.department = m.group(1).strip()
    title = _DOCUMENT_TITLE.search(head)
    if title:
        meta.year = meta.year or int(title.group("year"))
        meta.stage = _STAGES[title.group("stage")]
    if meta.department is None or meta.year is None:
        # A file holding one table (a workbook, a CSV, a .docx) has no 部门预算 title: its table's title names
        # them (西湖示范局2025年一般公共预算支出表, 西湖示范局2025年“三公”经费预算情况说明).
        m = _TABLE_TITLE_META.search(head)
        if m:
            meta.department = meta.department or m.group("dept")
            meta.year = meta.year or int(m.group("year"))
    meta.department = meta.department or unit
    meta.stage = meta.stage or _stage_of_tables(text)
    return meta


_STAGES = {"预算": "budget", "决算": "final_accounts"}
# The document's own title: 三河市医疗保障局 2024 年部门预算公开, …2025年度部门决算.
_DOCUMENT_TITLE = re.compile(r"(?P<year>\d{4})\s*年度?\s*部门(?P<stage>预算|决算)")
# A table title (or a table's number line) that says budget or final accounts: 支出预算表, 收入支出决算总表, 基本支出决算
# 明细表, “三公”经费支出预算情况表, 预算03表, 决算 2-1 表 — not a fund's name (一般公共预算…, 政府性基金预算…), not 预决算.
_STAGE_TITLE = re.compile(r"(?<!预)(?<!公共)(?<!基金)(?<!经营)(?P<stage>预算|决算)"
                          r"(?:\s*\d+(?:\s*[-—–]\s*\d+)?\s*|(?:明细|汇总)?(?:总|总体)?(?:情况)?)表[ \t\r\u3000]*$", re.M)


def _stage_of_tables(text: str) -> str | None:
    """budget or final_accounts where the tables' titles say only one of them; None where none says, or both do."""
    named = {m.group("stage") for m in _STAGE_TITLE.finditer(text)}
    return _STAGES[named.pop()] if len(named) == 1 else None


# A sheet's or a page's label naming the department: 部门：北川县卫生健康局, 编制单位：…, 预算单位名称：… (never a
# unit statement, 单位：万元: the name must end as a department's does).
_DEPT_LABEL = re.compile(r"^\s*(?P<label>(?:编制|填报|预算|主管)?(?:部门|单位)(?:名称)?)\s*[：:]\s*(?:\d{3,9}\s*)?"
                         rf"(?P<dept>\S{{2,40}}?{_DEPT_END})\s*$")
_UNIT_LABEL = re.compile(r"(?:预算)?单位")  # 单位名称：, 预算单位名称： — the table's unit, not its department
_TABLE_TITLE_META = re.compile(rf"^\s*(?P<dept>\S{{2,30}}?{_DEPT_END})\s*"
                               r"(?P<year>(?:19|20)\d\d)\s*年度?\S{0,40}(?:表|说明)\s*$", re.M)
# The document's own title: 泗县医疗保障局 / 2024年度部门预算.
_TITLE_DEPT = re.compile(rf"(\S{{2,30}}?{_DEPT_END})\s*\n?\s*\d{{4}}\s*年度?\s*部门[预决]算")


def _hints_title(text: str) -> bool:
    """Whether a line prints 表, 绩效 or 采购预算: only such a line is (or ends in) a title. (Three substring tests:
    asked of every plain line, they cost less than searching a pattern of the three.)"""
    return "表" in text or "绩效" in text or "采购预算" in text


# Markdown a converter wraps a title or a note in (pymupdf4llm: "# 注：…", "项目支出绩效目标表 <u>(2024年度)</u>",
# "**…**", "- (7) …"): blanked out, each character by a space, so that offsets into the line still hold.
_MARKUP = re.compile(r"</?(?:u|b|i|em|strong|span|font|sup|sub)\b[^>]*>|^\s*(?:#{1,6}|[-*+])(?=\s)|\*\*|__", re.I)


def _unmarked(text: str) -> str:
    if "<" not in text and "#" not in text and "*" not in text and "_" not in text and "-" not in text[:3]:
        return text
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def _title_text(line: Line) -> str | None:
    """The title a line prints, without furniture printed beside it (``单位：万元``) — or None."""
    if line.kind is not _TEXT and line.kind is not _TAB or not _hints_title(line.text):
        return None
    title = _unmarked(line.text).strip()
    fields = [f for f in _FIELD_SPLIT.split(title) if f.strip()]
    if line.kind is _TAB and not (len(fields) == 2 and _TABLE_NUMBER_LINE.match(fields[0])):
        return None  # a row of cells, unless it is a table's number and its title a tab apart
    if len(fields) > 1:
        # (A table's number beside the title is no furniture here: "表1  收支总表" is how contents pages list it.)
        kept = [f.strip() for f in fields if not is_furniture(f) or _TABLE_NUMBER_LINE.match(f)]
        if len(kept) == 2 and _TABLE_NUMBER_LINE.match(kept[0]) and not _TABLE_NUMBER_LINE.match(kept[1]):
            kept = [f"{kept[0]} {kept[1]}"]  # 表1  收支总表: the number and the title a gap (or a tab) apart
        if len(kept) != 1:
            return None
        title = kept[0]
    if len(title) > _MAX_TITLE_LEN or "。" in title or title.endswith("说明"):
        return None
    return title


def _title_kind(line: Line) -> str | None:
    title = _title_text(line)
    return kind_for_title(title) if title is not None else None


def is_contents_line(text: str) -> bool:
    """A contents entry: leaders or a page number follow the entry."""
    t = text.strip()
    return bool(_LEADERS.search(t) or (_PAGE_REF.search(t) and not _ENDS_IN_DECIMAL.search(t)))


def contents_title(text: str) -> str:
    """The entry's title without its numbering, leaders and page number."""
    t = text.strip().strip("|").strip()
    t = _ENTRY_CELL_SPLIT.split(t)[0] if ("|" in t or "\t" in t) else t
    t = _LEADERS.split(t)[0]
    t = _TRAILING_PAGE.sub("", t) if _PAGE_REF.search(t) else t
    return _ENTRY_PREFIX.sub("", t, count=1).strip()


@dataclass
class _Titles:
    """Each line's table kind, worked out once per document."""

    kinds: list[str | None]
    texts: list[str | None]  # the title each line prints (``_title_text``), kind or no kind
    # A title wrapped onto a short next line inside its words ("…绩效目" / "标表"): its line -> the whole title.
    wrapped: dict[int, str] = field(default_factory=dict)
    # A title glued to the end of the sentence or note before it (…故本表无数据XX局2024年项目支出表 单位：万元):
    # its line -> (the title, where it starts in the line).
    glued: dict[int, tuple[str, int]] = field(default_factory=dict)
    accepted: dict[int, bool] = field(default_factory=dict)  # a title's line -> whether it opens a section

    @classmethod
    def of(cls, lines: list[Line]) -> "_Titles":
        # Only a line that prints 表, 绩效 or 采购预算 is (or ends in) a title: the others are asked nothing more.
        hinted = [i for i, line in enumerate(lines)
                  if (line.kind is _TEXT or line.kind is _TAB) and _hints_title(line.text)]
        kinds: list[str | None] = [None] * len(lines)
        texts: list[str | None] = [None] * len(lines)
        for i in hinted:
            line = lines[i]
            texts[i] = text = _title_text(line)
            kind = kind_for_title(text) if text is not None else None
            kinds[i] = kind if kind is None or not is_contents_line(line.text) else None
        titles = cls(kinds, texts)
        # Lines that may start a wrapped title (a plain line over a short plain one, ``_wrapped_title``), and those that
        # may end in a glued one (``_glued_title``): the others are asked nothing more. (A line's kind changes here
        # only after the line above it was asked: each is asked with the kinds worked out above.)
        wrapped_at = set()
        above = None  # the kind of the line above
        for i, line in enumerate(lines):
            if line.kind is _TEXT and above is _TEXT and _TAIL.match(line.text):
                wrapped_at.add(i - 1)
            above = line.kind
        glued_at = set(hinted)
        for i in sorted(wrapped_at | glued_at):
            if i == len(lines) - 1:
                break
            line = lines[i]
            if kinds[i] is None and kinds[i + 1] is None and (whole := _wrapped_title(line, lines[i + 1])):
                kinds[i], titles.wrapped[i] = kind_for_title(whole), whole
            elif i in glued_at and (glued := _glued_title(line)) is not None:
                # (A whole line of prose that ends in a title may also match a kind as a whole: the title decides.)
                kinds[i], titles.glued[i] = kind_for_title(glued[0]), glued
        return titles

    def title(self, lines: list[Line], i: int) -> str:
        if i in self.glued:
            return self.glued[i][0]
        return self.wrapped.get(i) or self.texts[i] or lines[i].text.strip()


# What a converter that joins lines into paragraphs leaves after a table's title on its line: the unit statement
# and the year line (单位：万元, (2024年度)). (The spaces before each piece are taken whole, ``\s*+``, and the trailer
# starts where they do, ``(?<!\s)``: else the engine reads each gap of a space-aligned row again from each of its
# spaces.)
_TITLE_TRAILER = re.compile(r"(?<!\s)(?:\s*+(?:[（(]\s*(?:19|20)\d\d\s*年度?\s*[)）]|[（(]?\s*(?:金额|计量)?单位\s*[：:]\s*"
                            r"[\u4e00-\u9fff]{1,3}\s*[)）]?))+\s*$")
# Where a sentence or a note ends inside a joined line: punctuation, a gap, or the note of an empty table. (A run of
# them is one match: the sentence ends after its last.)
_NO_DATA = re.compile(r"(?:本表|此表|该表)?(?:无数据|为空表?|空表列示|无此项?(?:支出|收入)?)")
_STOP = r"[。；;！？!?，,：:、\s]"
_SENTENCE_END = re.compile(rf"{_STOP}+|{_NO_DATA.pattern}")
_STOP_CHAR = re.compile(_STOP)
_TITLE_YEAR = re.compile(r"(?:19|20)\d\d\s*年度?$")
_TITLE_HEAD_WORD = re.compile(r"(?:项目支出|部门整体|一般公共预算|政府性基金预算?|国有资本经营预算?|财政拨款|部门|单位|本级)$")
# A table's number before its title (附表1：, 表 3、, 1-2.): no sentence.
_NUMBER_PREFIX = re.compile(r"\s*(?:附?表\s*[\d一二三四五六七八九十]+(?:\s*[-—–.．]\s*\d+)*|\d{1,2}(?:\s*[-—–.．]\s*\d+)*)"
                            r"\s*[：:、.．]?\s*")
_REFERS_TO = re.compile(r"(?:见|详见|参见|如)$")


def _glued_title(line: Line) -> tuple[str, int] | None:
    """A table's title at the end of a line of prose or a note (what converters that join a page's lines into
    paragraphs make of a note and the next table's title): the title and where it starts, or None. The title is
    the shortest end of the line that names the same kind, with the year printed before it."""
    if line.kind is not _TEXT or not _hints_title(line.text):
        return None
    text = _unmarked(line.text)
    trailer = _TITLE_TRAILER.search(text) if "年" in text or "单位" in text else None  # (each piece of it says one)
    body = text[:trailer.start()] if trailer else text.rstrip()
    cut = _last_sentence_end(body)
    tail = body[cut:]
    head = body[:cut].rstrip()
    if cut == 0 or not 4 <= len(tail) <= 60 or _REFERS_TO.search(head):
        return None
    if _NUMBER_PREFIX.fullmatch(head) or not (_is_note(head) or _prose_at(head) or _NO_DATA.search(head)):
        return None  # "表3  收支总表", "部门  收支总表": a title in pieces, not a sentence before one
    if is_contents_line(line.text):
        return None  # (asked after the tests above, which turn most lines away for less)
    kind = kind_for_title(tail)
    if kind is None or not tail.endswith("表") and kind_for_title(tail + "表") is None:
        return None
    start = next(k for k in range(len(tail) - 1, -1, -1) if kind_for_title(tail[k:]) == kind)
    while (head := _TITLE_HEAD_WORD.search(tail[:start])) is not None:
        start = head.start()
    if "”" in tail[start:] and "“" not in tail[start:] and "“" in tail[:start]:
        start = tail.rindex("“", 0, start)  # the quoted word whole: “三公”经费支出表
    year = _TITLE_YEAR.search(tail[:start])
    if year:
        start = year.start()
    return tail[start:], cut + start


def _last_sentence_end(body: str) -> int:
    """Where the last match of ``_SENTENCE_END`` in ``body`` ends (0: none), worked out from the end of the line: the
    last stop character ends the last run of them, and a note of an empty table is looked for only where its
    characters are."""
    stop = _STOP_CHAR.search(body[::-1])
    cut = len(body) - stop.start() if stop else 0
    if "无" in body or "空" in body:  # (every note _NO_DATA knows prints one)
        cut = max([cut, *(m.end() for m in _NO_DATA.finditer(body))])
    return cut


_TAIL = re.compile(r"^\s*\S{1,4}\s*$")


def _wrapped_title(line: Line, tail: Line) -> str | None:
    """The title a line and its short next line print together, when neither is one alone."""
    if line.kind is not _TEXT or tail.kind is not _TEXT or not _TAIL.match(tail.text):
        return None
    head = line.text.strip()
    whole = head + tail.text.strip()
    if len(whole) > _MAX_TITLE_LEN or "。" in whole or not _hints_title(whole) or is_contents_line(line.text):
        return None
    return whole if kind_for_title(whole) is not None else None


def _next_content(lines: list[Line], i: int) -> Line | None:
    for k in range(i + 1, len(lines)):  # (by index: a slice would copy the rest of the document)
        if lines[k].kind in (_BLANK, _PAGE_HEADER):
            continue
        return lines[k]
    return None


def _accept_title(lines: list[Line], titles: _Titles, i: int) -> bool:
    """Whether the title on line ``i`` opens a section (``_title_opens_section``), worked out once per title: it is
    asked again by ``chunk_document``, ``contents_entries`` and the titles above it."""
    if i not in titles.accepted:
        titles.accepted[i] = _title_opens_section(lines, titles, i)
    return titles.accepted[i]


def _title_opens_section(lines: list[Line], titles: _Titles, i: int) -> bool:
    """A title opens a section when a table follows it, or when it names a table in a flattened layout.

    Tables of contents list the same titles one after another, so a title
    followed by another title is a contents entry. A numbered narrative
    heading ("五、部门整体绩效目标") opens a table only if a table follows.
    """
    nxt = _next_content(lines, i + 1 if i in titles.wrapped else i)
    if nxt is None:
        return False
    nxt_kind = titles.kinds[nxt.index]
    if nxt.index in titles.glued and _NO_DATA.search(nxt.text[:titles.glued[nxt.index][1]]):
        return True  # an empty table: its note (本表无数据) follows, the next table's title glued to it
    if (nxt.is_row or _rowlike(nxt, titles.kinds[i])) and nxt_kind is None:
        return True  # (a title whose number stands a gap or a tab from its words is no row: "表2  收入总表")
    if nxt_kind is not None and _accept_title(lines, titles, nxt.index):
        # The next line is itself a real title: this one is a contents entry.
        return False
    if nxt_kind is not None or _NARRATIVE_HEADING.match(nxt.text) or is_contents_line(nxt.text):
        return False
    if _NARRATIVE_HEADING.match(lines[i].text):
        return False
    if _AMOUNT_FIRST.match(nxt.text):
        return False  # "…政府采购预算" / "21.54万元。": a sentence wrapped before its amount, no title
    if i in titles.glued:
        return False  # a title glued to a sentence opens a table only over the table's rows
    title = _SPACES.sub("", titles.wrapped.get(i) or titles.texts[i] or "")
    if not _TITLE_END.search(title):
        return False
    # The last entry of a contents list (titles one after another), followed by the list's other part or prose:
    # a contents entry when a title of its kind opens a table further on.
    return not (_after_a_title(lines, titles, i) and any(
        titles.kinds[j] == titles.kinds[i] and _accept_title(lines, titles, j) for j in range(i + 1, len(lines))))


def _after_a_title(lines: list[Line], titles: _Titles, i: int) -> bool:
    """The line before this one (blank lines and furniture aside) is a title too."""
    for j in range(i - 1, -1, -1):
        if lines[j].kind in (_BLANK, _PAGE_HEADER):
            continue
        return titles.kinds[j] is not None
    return False


# How a title ends: in 表 (or 绩效指标, 采购预算), the year printed after it or not (…绩效目标表（2024年度）).
_TITLE_END = re.compile(r"(?:表|绩效指标|采购预算)(?:[（(]?(?:19|20)\d\d年度?[)）]?)?$")
_AMOUNT_FIRST = re.compile(r"\s*\d[\d,]*(?:\.\d+)?\s*(?:万\s*元|元)")


_PROSE = re.compile(r"[。；;《》]|，.*，|[，：:]$|[\u4e00-\u9fff]{2,}，[\u4e00-\u9fff]{2,}")
_PROSE_MARK = re.compile(r"[。；;《》，：:]")  # what every match of ``_PROSE`` prints


def _prose_at(text: str) -> re.Match | None:
    """Where ``_PROSE`` first matches. (A line without its punctuation, most rows, is told so by one scan for it: the
    pattern itself tries a run of Chinese characters from each of its characters.)"""
    return _PROSE.search(text) if _PROSE_MARK.search(text) else None


_WORDS = re.compile(r"\S+")
_ENDS_IN_COLON = re.compile(r"[：:]$")


def _prose(text: str) -> bool:
    """Sentence punctuation. A colon at the end of a line of three or more cells spread over the page is a
    header cell cut by its wrap ("价值（金额单位：" / "万元）"), not a sentence leading into what follows."""
    m = _prose_at(text)
    if m is None:
        return False
    if _ENDS_IN_COLON.search(m.group()) and m.end() == len(text) and len(_GAP.split(text)) >= 3:
        return bool(_prose_at(text[:-1]))
    return True
# A figure as tables print it: signed, bracketed or △-marked (the minus of many finance tables), a rate with its
# sign inside the brackets ("(62.22%)"), or a dash for nothing.
_FIGURE = re.compile(r"^[-−(（△▲]?\d[\d,]*(\.\d+)?[%％]?[)）]?$|^[-—–－]{1,2}$")


def _rowlike(line: Line, kind: str | None) -> bool:
    """A plain text line that is a table row: words side by side, some of them figures.

    Space-aligned tables separate cells by runs of spaces; converters that drop
    empty cells leave one space. A header line of such a table has no figures
    but short words separated by runs of spaces. Cards print long text cells,
    so only space-aligned lines count there.
    """
    if line.kind is not _TEXT or kind is None:
        return False
    return _rowlike_text(line.text, *_row_shape(kind))


@lru_cache(maxsize=64)  # (asked of nearly every plain line of a table: the registry looked up once per kind)
def _row_shape(kind: str) -> tuple[bool, bool]:
    """Whether a kind is a card, and whether its rows are two-sided (``_rowlike_text``)."""
    spec = spec_for(kind)
    return spec.card, spec.row_key == "two_sided"


# A line is asked again while the lines above it are placed (what follows a title, a piece). The cache holds one
# document's lines (``split_lines`` empties it): another document's lines, even the same words, are asked afresh.
@lru_cache(maxsize=8192)
def _rowlike_text(text: str, card: bool, two_sided: bool) -> bool:
    text = text.strip()
    if card:
        # A card's cells hold sentences; a row of it starts with a short field (a key or a level), or with a project's
        # code (a summary grid of cards: 34122525P000000100011 | 文化惠民演出 | …).
        gap = _GAP.search(text)  # (where the first field ends: the line is not cut into all of them)
        if gap is None:
            return False  # one field
        first = text[:gap.start()]
        return (len(first) <= 16 or bool(_CARD_CODE.match(first))) and len(text) <= 600
    if _prose(text) or len(text) > 400:
        return False
    words = _WORDS.findall(text)
    if len(words) < 2 or _sentence(text, words):
        return False
    at = _figures_at(words)
    if len(at) >= 2:
        return True
    if len(at) == 1 and at[0] > 0:
        # One figure after a label ends the row; in a two-sided summary a label may follow it.
        return at[0] == len(words) - 1 or (two_sided and "." in words[at[0]])
    return bool(_GAP.search(text))


def _figures_at(words: list[str]) -> list[int]:
    """Where the first two figures of a line's words stand (a year before 年 is no figure): two settle that it is a
    row, the others are not looked at."""
    at = []
    for n, w in enumerate(words):
        if (_FIGURE.match(w) or _marked_figure(w)) and not _is_year(words, n):
            at.append(n)
            if len(at) == 2:
                break
    return at


_CARD_CODE = re.compile(r"^[0-9A-Za-z-]{17,32}$")
# A card's key and its value one space apart (年度绩效目标 全年组织…: the converter left one space between the cells).
_CARD_KEY_AND_VALUE = re.compile(r"^(项目名称|项目编码|主管部门|实施单位|项目期限?|实施期限|"
                                 r"(年度|项目|部门|部门整体|整体|实施期|中期|中长期)?(总体)?(绩效)?目标)[：:]? \S")


def _running_title_in_card(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A card's page break: a short line that reads as a running title (the department and year), after the page's
    number below the card's last row, with the card's rows going on under it. Printed on only two pages (a short
    document), it is not known for furniture by being repeated; where it stands says it."""
    line = lines[i]
    if not chunk.is_card or line.kind is not _TEXT or chunk.last_row is None:
        return False
    since = chunk.lines[chunk.last_row_at + 1:]
    if not any(l.kind is _PAGE_HEADER for l in since) or any(l.kind is _TEXT for l in since):
        return False
    if not _could_be_running_title(line.text.strip()):
        return False
    nxt = _next_content(lines, i)
    return nxt is not None and (nxt.is_row or _rowlike(nxt, chunk.kind))


_GOAL_KEY_CELL = re.compile(r"^(总体|实施期|中期|中长期|年度|项目|部门|整体|绩效)*目标([（(][^（）()]*[)）])?$")


def _under_goal_keys(line: Line, chunk: Chunk) -> bool:
    """The texts of a card's row of goal keys (实施期目标 | 年度目标), on the line under it: long sentences, a row still."""
    if not chunk.is_card or line.kind is not _TEXT or chunk.last_row is None or chunk.last_row is not chunk.last_content:
        return False
    keys = _cells_of(chunk.last_row)
    return bool(keys) and all(_GOAL_KEY_CELL.match(_squash(k)) for k in keys)


def _card_key_and_value(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A card's key and its value one space apart (年度绩效目标 全年组织…), with the card's rows going on right after it
    (a card flattened into lines prints its keys so too, and stays unread)."""
    if not chunk.is_card or lines[i].kind is not _TEXT or not _CARD_KEY_AND_VALUE.match(lines[i].text.strip()):
        return False
    nxt = _next_content(lines, i)
    return nxt is not None and (nxt.is_row or _rowlike(nxt, chunk.kind))


_ITEM_NUMBER = re.compile(r"^[(（]?\d{1,2}[)）、.．]$")


def _marked_figure(word: str) -> bool:
    """Digits with marks no template we know prints and no words ("▼28.00", "28.00*"): still a figure of the row,
    for the reader to flag (a numbered item's "1、" is not one)."""
    return any(map(str.isdigit, word)) and not any(map(str.isalpha, word)) and not _ITEM_NUMBER.match(word)


_UNIT_WORD = re.compile(r"^(万元|元|万|亿|%|％|个|人|次|年|月|日|项|家|辆|台|平方米)")
_NOT_THOUSANDS_COMMA = re.compile(r",\D|\D,")


def _sentence(text: str, words: list[str]) -> bool:
    """Prose that states figures: "金额为 81.62 万元（详见下表），…" — a comma, and a figure followed by its unit."""
    if "，" not in text and ("," not in text or not _NOT_THOUSANDS_COMMA.search(text)):
        return False
    return any(_FIGURE.match(w) and n + 1 < len(words) and _UNIT_WORD.match(words[n + 1])
               for n, w in enumerate(words))


def _is_year(words: list[str], n: int) -> bool:
    return n + 1 < len(words) and words[n + 1].startswith("年") and _YEAR.fullmatch(words[n]) is not None


_YEAR = re.compile(r"(19|20)\d\d")


def _fragment(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A short line of a table that is a row of its own: a label with no figures, or a wrapped piece.

    ``pdftotext -layout`` prints a cell that wraps, or that is centred in a
    taller row, on lines of its own, at its column's position; a converter that
    drops empty cells prints a row with no figures as its label alone. Either way
    the table's rows go on after it. Before the first row only a line right
    under the title counts (a header cell over the table's first header line);
    many short lines there are a header flattened into lines, which no reader
    should take apart.
    """
    line = lines[i]
    if chunk.is_card:
        # (A numbered heading after a card opens the narrative again. Both pieces go on a row: none in a card that has
        # printed none.)
        return chunk.last_row is not None and (_card_piece(lines, i, chunk) or _wrapped_key(lines, i, chunk)) \
            and not _NARRATIVE_HEADING.match(line.text)
    if not _short_plain(line):
        return False
    if not chunk.has_rows:
        if chunk.loose_text:
            return False
        nxt = _next_content(lines, i)
        return nxt is not None and (nxt.is_row or _rowlike(nxt, chunk.kind))
    for nxt in _following_content(lines, i, 60):
        if nxt.is_row or _rowlike(nxt, chunk.kind):
            return True
        if not _short_plain(nxt):
            break
    # The last piece of a wrapped label under the table's last row, at its column's position.
    before = chunk.last_content
    return before is not None and before.kind is _SPACED and _lead(line.text) >= 4 and _lead(before.text) < \
        _lead(line.text) + 40


def _lone_cell(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A tab or pipe table's row that lost every empty cell and kept one: its text alone on a line.

    A card prints long one-cell rows (资金用途, 年度目标); a converter that drops
    empty cells leaves them without a single delimiter. The table's rows go on
    after it.
    """
    line = lines[i]
    last_row = chunk.last_row
    if line.kind is not _TEXT or last_row is None or last_row.kind not in (_TAB, _PIPE):
        return False
    if _is_note(line.text) or _NARRATIVE_HEADING.match(line.text) or _titles_like(line):
        return False
    if chunk.is_card and _LIST_ITEM.match(line.text) and lines[i - 1].kind is _BLANK and _grid_printed(chunk):
        return False  # a numbered paragraph set apart under a card's indicator grid: the prose goes on
    for nxt in _following_content(lines, i, 3):
        if nxt.kind in (_TAB, _PIPE):
            return True
        if nxt.kind is not _TEXT or _NARRATIVE_HEADING.match(nxt.text) or _titles_like(nxt):
            return False
    return False


# A numbered paragraph or list item of the prose (5. “…”项目。, (1) 项目概述。…, （二）…): never a lone cell of a card once its
# indicator grid is printed.
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.．、](?!\d)|[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）])")


def _grid_printed(chunk: Chunk) -> bool:
    """The card has printed its indicator grid's header (一级指标 | 二级指标 | 三级指标 …)."""
    return any(line.is_row and "一级指标" in line.text for line in chunk.lines)


def _delimited(chunk: Chunk) -> bool:
    last_row = chunk.last_row
    return last_row is not None and last_row.kind in (_TAB, _PIPE)


def _titles_like(line: Line) -> bool:
    return _title_kind(line) is not None


def _wrapped_key(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """The first piece of a card's field name that wrapped in its narrow cell ("主管部门" / "及代码",
    "项目资金" / "(万元)"): a few words alone on their line, with the field's row right under it."""
    line = lines[i]
    if not chunk.has_rows or len(line.text.strip()) > 10 or not _short_plain(line):
        return False
    nxt = _next_content(lines, i)
    return nxt is not None and (_rowlike(nxt, chunk.kind) or (_lead(nxt.text) >= 4 and len(nxt.text.strip()) <= 200))


def _card_piece(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """The rest of a card cell that wrapped, printed at its column's position under a space-aligned row
    (or, only a little indented, over the row it starts: a cell aligned to the bottom of a taller row)."""
    line = lines[i]
    before = chunk.last_content
    if before is None or before.kind is not _SPACED or len(line.text.strip()) > 200 \
            or _is_note(line.text.strip()):
        return False
    if _lead(line.text) >= 8:
        return True
    nxt = _next_content(lines, i)
    return _lead(line.text) >= 4 and nxt is not None and _rowlike(nxt, chunk.kind)


def _short_plain(line: Line) -> bool:
    if line.kind is not _TEXT:
        return False
    text = line.text.strip()
    return 0 < len(text) <= 40 and not _is_note(text) and not _prose_at(text) and kind_for_title(text) is None


def _following_content(lines: list[Line], i: int, n: int) -> Iterator[Line]:
    """The next ``n`` lines that are not blank or furniture, one at a time (the caller stops at the one that
    settles it)."""
    for k in range(i + 1, len(lines)):  # (by index: a slice would copy the rest of the document)
        if lines[k].kind in (_BLANK, _PAGE_HEADER):
            continue
        yield lines[k]
        n -= 1
        if n == 0:
            return


def chunk_document(text: str, lines: list[Line] | None = None, titles: "_Titles | None" = None) -> list[Chunk]:
    lines = lines if lines is not None else split_lines(text)
    titles = titles or _Titles.of(lines)
    chunks: list[Chunk] = []
    current: Chunk | None = None
    last_heading = ""

    def open_chunk(kind: str, title: str, title_line: Line | None, start: int) -> Chunk:
        chunk = Chunk(
            id=f"s{len(chunks):02d}-{kind}",
            kind=kind,
            title=title,
            title_span=_title_span(title_line, title) if title_line else None,
            start=start,
            end=start,
        )
        chunk.rows_double_spaced = double_spaced
        chunks.append(chunk)
        return chunk

    tails: set[int] = set()  # the second lines of wrapped titles that opened a section
    double_spaced = _rows_double_spaced(lines)
    for i, line in enumerate(lines):
        if line.kind in (_PIPE, _TAB) and current is not None and current.is_card and _next_card(lines, i, current):
            current = open_chunk("performance_target", UNTITLED_CARD, None, line.start)
        if line.kind in _PLAIN_ROWS_AND_GAPS and current is not None and not current.is_card and i not in tails \
                and not (titles.kinds[i] is not None and line.kind is _TAB and _accept_title(lines, titles, i)):
            # A delimited row, a blank line or a separator: what follows decides about plain text lines and
            # furniture only (outside a card, whose wrapped pieces may be any line under a space-aligned row).
            # (A title a tab from its number, "表1\t收支总表", is no row of the table before it.)
            if line.kind in (_PIPE, _TAB) and (_untitled_card(lines, i, current) if current.is_table
                                                else _card_grid_in_text(lines, i, current)):
                current = open_chunk("performance_target", UNTITLED_CARD, None, line.start)
            elif current.is_table and line.kind in (_PIPE, _TAB) and _another_header(current, line):
                # A table whose title is not in the text (printed as an image): never rows of the one before.
                current = open_chunk("other_table", UNTITLED_TABLE, None, line.start)
            _add_line(current, line)
            continue
        # (A delimited row that starts another card was asked above: only a plain text line is asked here.)
        if current is not None and current.is_card and line.kind is _TEXT and i not in tails \
                and (own_title := _next_card_title(lines, i, current)) is not None:
            # Several cards under one page title, or under titles of their own no title pattern knows
            # (绩效目标申报表（项目）): each 项目名称 block after a card's indicator grid starts a card.
            if own_title:
                current = open_chunk(current.kind, own_title, line, line.start)
                _add_line(current, line.as_kind(_TEXT))
                continue
            current = open_chunk(current.kind, current.title, None, line.start)
        kind = titles.kinds[i]
        in_table = current is not None and current.is_table
        # Most of what is asked below is asked of plain text lines only (each asker says so first): asked here, the
        # other lines skip the asking.
        plain = line.kind is _TEXT
        if i in tails:
            line = line.as_kind(_PAGE_HEADER)  # the rest of the title above: not text of the section
        elif plain and in_table and _running_title_in_card(lines, i, current):
            line = line.as_kind(_PAGE_HEADER)  # the running title of the page a card goes on on
        elif plain and in_table and _continued_title(line, kind, current):
            # "部门收入总表（续）", "续表": the same table goes on on a new page.
            line = line.as_kind(_PAGE_HEADER)
        elif kind is not None and _accept_title(lines, titles, i):
            if i in titles.glued:
                # The sentence or note stays with the section it ends; the title opens the next.
                at = titles.glued[i][1]
                if current is None:
                    current = open_chunk("front_matter", "", None, line.start)
                _add_line(current, Line(line.index, line.start, line.start + at, line.text[:at], _TEXT))
                line = Line(line.index, line.start + at, line.end, line.text[at:], _TEXT, line.page_end)
            current = open_chunk(kind, titles.title(lines, i), line, line.start)
            line = line.as_kind(_TEXT) if line.kind is _TAB else line
            if i in titles.wrapped:
                tails.add(i + 1)
        elif kind is None and ((plain and titles.texts[i] is not None) or line.kind is _PAGE_HEADER) \
                and (other := _other_table_title(lines, i, current, titles.texts[i])) is not None:
            if in_table and current.kind == "other_table" and current.title == other:
                line = line.as_kind(_PAGE_HEADER)  # its title printed again over the next page's rows
            else:
                # A table the registry has no kind for: its own section, never rows of the table before it.
                current = open_chunk("other_table", other, line, line.start)
        elif in_table and ((plain and _rowlike(line, current.kind))
                           or ((plain or current.is_card) and _fragment(lines, i, current))  # (a card's: any line)
                           or (plain and (_card_key_and_value(lines, i, current) or _under_goal_keys(line, current)))):
            # In a tab or pipe table a line with no delimiter is a row that kept one cell.
            line = line.as_kind(_TAB if _delimited(current) and not _rowlike(line, current.kind)
                                else _SPACED)
        elif plain and in_table and _lone_cell(lines, i, current):
            line = line.as_kind(_TAB)
        elif plain and _NARRATIVE_HEADING.match(line.text) and len(line.text.strip()) <= 60 and "。" not in line.text:
            last_heading = line.text.strip()
            current = open_chunk("narrative", last_heading, line, line.start)
        elif plain and (current is None or current.kind == "front_matter") and _stated_amount(line):
            # Prose stating amounts before any heading or table (a .docx or a workbook that opens with its
            # explanation): narrative, so its figures are checked, not front matter.
            current = open_chunk("narrative", last_heading, None, line.start)
        elif current is None:
            current = open_chunk("front_matter", "", None, line.start)
        elif plain and in_table and current.has_rows and not _is_note(line.text) \
                and not _continues_note(current) and not _card_field(line, current):
            # Prose after a table: the narrative it interrupted goes on.
            current = open_chunk("narrative", f"{last_heading}（续）" if last_heading else "", None, line.start)
        _add_line(current, line)
    _take_statements_from_above(chunks)
    return [c for c in chunks if c.end > c.start or c.title]


def _take_statements_from_above(chunks: list[Chunk]) -> None:
    """A table that prints no unit statement under its title takes the one printed just above the title, at the end
    of the section before (单位：万元 over 表五 …: PDFs set a right-aligned unit a little higher than a centred title)."""
    # (From the last: a short table's first lines may run into the statement above the next title, which is not its.)
    for before, chunk in reversed(list(zip(chunks, chunks[1:]))):
        if chunk.is_table and chunk.title_span is not None and statement_in((line.start, line.text) for line in chunk.lines[:12]) is None:
            chunk.lead = _statement_above(before)
            if chunk.lead:
                chunk.start = chunk.lead[0].start


def _statement_above(chunk: Chunk) -> list[Line]:
    """The unit statement printed after a section's last content (单位：万元, or 部门：XX局  单位：万元), taken out of
    ``chunk`` with the blank lines and furniture after it: it states the unit of the table whose title follows (a
    statement is printed over a table's rows, never under them). Under a table's title with nothing else it stays:
    there it is the unit of that title's own table (an empty one)."""
    last = chunk.last_content
    if last is None or _title_kind(last) is not None:  # (a title the chunker did not take: an empty table's, say)
        return []
    if chunk.is_table and chunk.title_span is not None and last.start <= chunk.title_span[0] < last.end:
        return []
    lines = chunk.lines
    at = None
    for n in range(len(lines) - 1, -1, -1):
        line = lines[n]
        if line is last:
            break
        if line.kind is _PAGE_HEADER and "位" in line.text and find_statement(line.text) is not None:
            at = n
    if at is None:
        return []
    taken = lines[at:]
    del lines[at:]
    chunk.end = next((line.end for line in reversed(lines) if line.kind is not _BLANK), chunk.start)
    return taken


# A card's field printed on a line of its own, its key and a colon first (项目资金（万元）：年度资金总额1200.00，…,
# 年度绩效目标：…): the card goes on — its reader reads such lines as fields — it is not prose after the card.
_CARD_FIELD = re.compile(r"^(项目(名称|编码|代码|属性|类型|类别|期限?|资金|负责人)|主管部门|实施(单位|期限)|年度资金总额|"
                         r"资金总额|(年度|项目|部门|整体|实施期|中期|中长期)?(总体)?(绩效)?(目标|指标))[^：:。]{0,12}[：:]")


def _card_field(line: Line, chunk: Chunk) -> bool:
    return chunk.is_card and _CARD_FIELD.match(line.text.strip()) is not None


# The title of a table that prints none in the text (a title set as an image, or left out).
UNTITLED_TABLE = "（未印标题的表）"
UNTITLED_CARD = "（未印标题的绩效目标表）"
_CARD_FIRST_KEYS = ("项目名称", "项目编码", "项目代码")
_CARD_FIRST_KEY = re.compile(rf"^({'|'.join(_CARD_FIRST_KEYS)})[：:]?$")
_ANY_CARD_FIRST_KEY = re.compile("|".join(_CARD_FIRST_KEYS))
_CARD_GRID_KEY = re.compile(r"^(一级指标|年度目标|年度绩效目标|绩效目标|总体目标)[：:]?$")


def _untitled_card(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A performance card whose title is not in the text, under a table's figures: after a gap, a row that starts
    with 项目名称 (or 项目编码) followed, within a few rows, by one that starts with 一级指标 or 年度目标."""
    if chunk.is_card or chunk.last_row is None or chunk.last_row is not chunk.last_content:
        return False
    if not (chunk.lines and chunk.lines[-1].kind in (_BLANK, _PAGE_HEADER)):
        return False
    return _card_grid_at(lines, i)


def _card_grid_in_text(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """A performance card's grid in the narrative or the front matter, its title not found (glued to the sentence
    before it, or worded so no kind matches): the grid starts a card of its own, never rows of prose, dropped."""
    if chunk.is_table or (chunk.lines and chunk.lines[-1].is_row):
        return False
    return _card_grid_at(lines, i)


def _card_grid_at(lines: list[Line], i: int) -> bool:
    if not _starts_with_card_key(lines[i]):
        return False
    for nxt in lines[i + 1:i + 16]:
        if nxt.kind in (_PIPE, _TAB):
            cells = [c.strip() for c in _CELL_SPLIT.split(nxt.text.strip().strip("|"))]
            if cells and _CARD_GRID_KEY.match(cells[0]):
                return True
    return False


_CARD_TITLE_WORDS = re.compile(r"绩效目标|目标表|申报表")
# What a line that starts a card prints: its first key (``_next_card``) or a card title's words.
_CARD_START = re.compile(f"{_ANY_CARD_FIRST_KEY.pattern}|{_CARD_TITLE_WORDS.pattern}")


def _next_card_title(lines: list[Line], i: int, chunk: Chunk) -> str | None:
    """Whether line ``i`` starts another card of a card section: "" for its 项目名称 row (``_next_card``), or the
    words of a line of its own right above that row (blank lines and furniture between) that reads as a card's title."""
    line = lines[i]
    if not _CARD_START.search(line.text):
        return None  # (most lines of a card: told by one search)
    if _next_card(lines, i, chunk):
        return ""
    if line.kind is not _TEXT:
        return None
    words = _unmarked(line.text).strip()  # (Markdown a converter wraps a title in: "# 项目支出绩效目标表")
    if len(words) > 60 or not _CARD_TITLE_WORDS.search(words) or len(_cells_of(line)) != 1:
        return None
    j = i + 1
    while j < len(lines) and lines[j].kind in (_BLANK, _PAGE_HEADER):
        j += 1
    return words if j < len(lines) and lines[j].kind in _CARD_ROW_KINDS and _next_card(lines, j, chunk) else None


def _next_card(lines: list[Line], i: int, chunk: Chunk) -> bool:
    """Another card under the same title: a row that starts with 项目名称 (or 项目编码) in a card that has printed its
    indicator grid's header already, followed within a few rows by one that starts with 一级指标 or 年度目标 (or prints
    the indicator header)."""
    if not _starts_with_card_key(lines[i]):
        return False
    # (A row is cut into cells only if it prints 级: every indicator header does, most rows do not.)
    if not any(_indicator_header(_cells_of(line)) for line in chunk.lines if line.is_row and "级" in line.text):
        return False
    for nxt in lines[i + 1:i + 16]:
        # (A row is cut into cells only if it prints 标: every indicator header and grid key does.)
        cells = _cells_of(nxt) if nxt.kind in _CARD_ROW_KINDS and "标" in nxt.text else []
        if cells and (_indicator_header(cells) or _CARD_GRID_KEY.match(cells[0])):
            return True
    return False


def _starts_with_card_key(line: Line) -> bool:
    """A line whose first cell is 项目名称, 项目编码 or 项目代码: where a card's grid starts."""
    if not _ANY_CARD_FIRST_KEY.search(line.text):
        return False  # (asked of every row of a card: most print no such key, and are not cut into cells)
    return bool(_CARD_FIRST_KEY.match(_CELL_SPLIT.split(line.text.strip().strip("|"))[0].strip()))


# A card's rows as the chunker meets them: delimited, or plain text (space-aligned; taken for rows once in the card).
_CARD_ROW_KINDS = (_PIPE, _TAB, _TEXT, _SPACED)


def _cells_of(line: Line) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.text.strip().strip("|")) if c.strip()]


def _indicator_header(cells: list[str]) -> bool:
    """A row's cells name the indicator grid's levels: 一级指标 and 二级指标 (or 三级指标)."""
    cells = {_squash(c) for c in cells}
    return "一级指标" in cells and ("二级指标" in cells or "三级指标" in cells)


_HEADER_WORD = re.compile(r"合计|科目|项目|编码|名称|预算|支出|收入|小计|总计|经费|指标")


def _another_header(chunk: Chunk, line: Line) -> bool:
    """A header row of another table under a table's figures, where a title printed as an image left no title line.

    It stands after a gap (a blank line or page furniture) below rows with figures, with no 续表 / （续） since; it
    is a header (three cells or more of words, header words among them); and it is not the table's own header
    printed again, whole or wrapped otherwise: a cell of it is words that header does not print.
    """
    if not chunk.segments or chunk.last_row is None or chunk.kind == "narrative":
        return False
    since = chunk.lines[chunk.last_row_at + 1:]
    if not since or any(_CONTINUED.search(l.text.strip()) for l in since if l.kind is not _BLANK):
        return False
    first = chunk.segments[0].lines
    if chunk.figures_at is None:  # (once found it stays: the segment only grows)
        chunk.figures_at = next((n for n, l in enumerate(first)
                                 if any(_FIGURE.match(c) for c in _CELL_SPLIT.split(l.text))), None)
    if chunk.figures_at is None:
        return False  # the table's figures have not begun: this may be its header's next line
    own = set(_squash("".join(l.text for l in first[:chunk.figures_at])))
    if set(_HAN_CHAR.findall(line.text)) <= own:
        # Every character of it is in that header: the header printed again on the next page (the commonest row
        # here, told cheaply before the row is read as a header).
        return False
    if not _header_row(line):
        return False
    cells = [c.strip() for c in _CELL_SPLIT.split(line.text.strip().strip("|")) if c.strip()]
    if len(cells) < 3 or not any(_HEADER_WORD.search(c) for c in cells):
        return False
    return any(_foreign_word(c, own) for c in cells)


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _foreign_word(cell: str, own: set[str]) -> bool:
    """Words of two or more Chinese characters, most of them in no line of the table's header (a header printed
    again with its cells wrapped otherwise joins pieces of its words, but of the same characters)."""
    han = _HAN_CHAR.findall(cell)
    return len(han) >= 2 and sum(ch in own for ch in han) * 2 < len(han)


def _other_table_title(lines: list[Line], i: int, current: Chunk | None, title: str | None) -> str | None:
    """The title of a table the registry has no kind for (机关运行经费预算表), or a table's number alone (表12), when
    a header stands right under it: a table of its own. A line like a title names a table (it ends in 表) and is
    not a sentence, a note, a contents entry or a table continued (续表); a header is a row of words, two or more,
    none a figure. A number line over the header the table in progress printed first is that table going on."""
    line = lines[i]  # (``title``: the title it prints, ``_title_text``)
    if line.kind is _TEXT:
        if title is None or not _OTHER_TITLE.search(squashed := _SPACES.sub("", contents_title(title))) \
                or _NOT_A_TITLE.search(squashed) or _is_note(title) or is_contents_line(line.text) \
                or _CONTINUED.search(title):
            return None
    elif line.kind is _PAGE_HEADER and _TABLE_NUMBER_LINE.match(line.text):
        title = line.text.strip()
    else:
        return None
    nxt = _next_content(lines, i)
    if nxt is None or not _header_row(nxt):
        return None
    if line.kind is _PAGE_HEADER and current is not None and current.is_table and current.segments \
            and _squash(current.segments[0].lines[0].text) == _squash(nxt.text):
        return None
    return title


_OTHER_TITLE = re.compile(r"^\S{2,60}表$")
# Prose that points at a table (如下表, 详见附表), or a title cut off at a colon or a comma.
_NOT_A_TITLE = re.compile(r"[，,：:。；;]|[如见下附]表$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t|\s{2,}")
_DECIMAL = re.compile(r"\d\.\d")


def _header_row(line: Line) -> bool:
    """A table's header: two or more cells of words on a row (or a line of words spread over the page), no figure,
    no title or table number among them (a contents entry: 表1  2024年部门收支预算总表)."""
    if line.kind not in (_PIPE, _TAB, _TEXT):
        return False
    if line.kind is _TEXT and (not _GAP.search(line.text.strip()) or _prose(line.text.strip())):
        return False
    cells = [c.strip().strip("*_").strip() for c in _CELL_SPLIT.split(line.text.strip().strip("|")) if c.strip()]
    return len(cells) >= 2 and not any(_FIGURE.match(c) or _DECIMAL.search(c) or c.endswith("表")
                                       or _TABLE_NUMBER_LINE.match(c) for c in cells)


def _squash(text: str) -> str:
    """The text without its spaces and bars: its words run together."""
    return "".join(text.replace("|", " ").split())  # (``split`` cuts at what ``\s`` matches, and faster)


def _stated_amount(line: Line) -> bool:
    return line.kind is LineKind.TEXT and bool(_STATED_AMOUNT.search(line.text))


_STATED_AMOUNT = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?\s*(?:万元|亿元|元).*[，,。；;]|[，,。；;].*\d(?:\.\d+)?\s*(?:万元|亿元|元)")


_CONTINUED = re.compile(r"^续表\S{0,6}$|[（(]\s*续\s*(表|上表)?\s*[)）]\s*$|续表$|续上表$")


def _continued_title(line: Line, kind: str | None, current: Chunk) -> bool:
    if line.kind is not _TEXT or "续" not in line.text or not _CONTINUED.search(line.text.strip()):
        return False
    return kind is None or kind == current.kind


def _title_span(line: Line, title: str) -> tuple[int, int]:
    at = line.text.find(title)
    if at < 0:
        return (line.start + _lead(line.text), line.end - _trail(line.text))
    return (line.start + at, line.start + at + len(title))


def _continues_note(chunk: Chunk) -> bool:
    """A note that wrapped onto a second line belongs to the table too."""
    return bool(chunk.notes) and chunk.lines and chunk.lines[-1] is chunk.notes[-1]


def _add_line(chunk: Chunk, line: Line) -> None:
    kind = line.kind
    is_row = kind in _ROW_KINDS
    is_note = kind is _TEXT and _is_note(line.text)
    if kind is _TEXT and chunk.lines and not is_note:
        chunk.loose_text += 1
    chunk.lines.append(line)
    if kind is not _BLANK:
        chunk.end = line.end
        if kind is not _PAGE_HEADER:
            chunk.last_content = line
    if is_row:
        chunk.last_row, chunk.last_row_at = line, len(chunk.lines) - 1
    if not chunk.is_table:
        return
    if is_row:
        if not chunk.segments:
            chunk.first_row_words = _squash(line.text)
            chunk.segments.append(Segment())
        elif (segment := chunk.segments[-1].lines) and (_segment_closed(chunk, segment[-1])
                                                        or _header_again(chunk, line)):
            chunk.segments.append(Segment())
        chunk.segments[-1].lines.append(line)
    elif line.kind is _SEPARATOR:
        return
    elif line.kind is _TEXT and (is_note or _continues_note_before(chunk)):
        chunk.notes.append(line)


def _continues_note_before(chunk: Chunk) -> bool:
    """Called after the line was appended: was the line before it a note?"""
    return bool(chunk.notes) and len(chunk.lines) >= 2 and chunk.lines[-2] is chunk.notes[-1]


def _segment_closed(chunk: Chunk, seg_last: Line) -> bool:
    """A segment ends at a page break or at anything that is not a row or a separator (``seg_last``: the segment's
    last row; the new row is the section's last line).

    Space-aligned text puts blank lines between rows, so for its rows only a
    page break, furniture or text ends the segment; so do documents that put a
    blank line between every two delimited rows.
    """
    if seg_last.page_end:
        return True
    if chunk.lines[-2] is seg_last:
        return False  # (the commonest: the row right under the segment's last)
    spaced = seg_last.kind is _SPACED
    # Where every two rows stand one blank line apart, one blank line is no break (two or more still are).
    single_blanks = chunk.rows_double_spaced and not spaced
    after_blank = False
    for k in range(len(chunk.lines) - 2, -1, -1):
        line = chunk.lines[k]
        if line is seg_last:
            return False
        if line.page_end:
            return True  # a form feed alone on its line (``pdftotext`` starts each page with one)
        if line.kind is _SEPARATOR or (spaced and line.kind is _BLANK):
            after_blank = False
            continue
        if line.kind is _BLANK and single_blanks and not after_blank:
            after_blank = True
            continue
        return True
    return False


def _header_again(chunk: Chunk, line: Line) -> bool:
    """A delimited row that prints the table's first header row again, word for word, below rows of the table: the
    next page's header, where nothing (no blank line, no furniture) marked the page break (a sheet or a range copied
    from one without blank rows)."""
    if line.kind not in (_TAB, _PIPE) or len(chunk.segments[-1].lines) < 2:
        return False
    first = chunk.segments[0].lines[0]
    if first.kind is not line.kind or first is line:
        return False
    words = chunk.first_row_words
    if words and words[0] not in line.text:
        return False  # (told before the row's words are run together: most rows print other words)
    return _squash(line.text) == words \
        and sum(1 for c in _DELIMITER.split(line.text) if c.strip()) >= 2 \
        and not any(_FIGURE.match(c.strip()) for c in _DELIMITER.split(line.text) if c.strip())


_DELIMITER = re.compile(r"[\t|]")


def _rows_double_spaced(lines: list[Line]) -> bool:
    """Whether the document puts one blank line between every two delimited rows: far more pairs of rows one
    blank line apart than side by side (a table's own blank line, or a page break, is the odd one out)."""
    apart = adjacent = 0
    delimited = [line.kind is _TAB or line.kind is _PIPE for line in lines]  # (each line's kind asked once)
    for i in range(len(lines) - 2):
        if delimited[i]:
            if delimited[i + 1]:
                adjacent += 1
            elif lines[i + 1].kind is _BLANK and delimited[i + 2]:
                apart += 1
    return apart >= 8 and apart >= 4 * adjacent


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def line_titles(lines: list[Line]) -> "_Titles":
    """Each line's table kind as a title, worked out once and shared by ``chunk_document`` and ``contents_entries``."""
    return _Titles.of(lines)


def contents_entries(lines: list[Line], titles: "_Titles | None" = None) -> list[tuple[str, str, tuple[int, int]]]:
    """Table titles a contents page lists: (kind, title, span).

    A contents page comes before the tables. Its entries may be numbered or
    bulleted, carry dotted leaders and page numbers or not, and sit in plain
    lines, pipe or tab rows. Only entries above the first real table title
    count; later mentions are narrative.
    """
    titles = titles or _Titles.of(lines)
    entries = []
    for i, line in enumerate(lines):
        if titles.kinds[i] is not None and _accept_title(lines, titles, i):
            break
        if line.kind in (_BLANK, _SEPARATOR) or "表" not in line.text:
            continue  # (an entry's title is a piece of its line, and ends in 表)
        title = contents_title(line.text)
        squashed = _SPACES.sub("", title)
        if not squashed.endswith("表") or squashed.startswith("注") or "，" in squashed or len(squashed) > 80:
            continue
        kind = kind_for_title(title)
        if kind is None:
            continue
        at = line.text.find(title)
        start = line.start + (at if at >= 0 else _lead(line.text))
        entries.append((kind, title, (start, start + len(title) if at >= 0 else line.end - _trail(line.text))))
    return entries
