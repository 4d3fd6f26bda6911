"""Figures the narrative (情况说明) states, and whether they hold.

``extract_claims`` reads every "<subject> <number> 万元/元/%" in the narrative
sections with patterns (no model) and keeps a figure only when its subject is
recognised; ``check_claims`` compares those claims with the tables and with
each other, rounding-aware (``tolerance``).

Subject vocabulary (``Claim.subject``), with what the text calls it:

- 收支总预算 — 收支总预算, 预算收支安排 (= 收入总计 = 支出总计)
- 收入 — 预算收入, 收入预算 (收入总计); 本年收入; 上年结转 (上年结转结余, 上年结转收入)
- income sources: 一般公共预算拨款收入 (一般公共预算收入), 政府性基金预算拨款收入 (基金预算收入),
  国有资本经营预算拨款收入, 财政专户管理资金收入 (财政专户核拨收入), 单位资金收入, 其他收入 (其他来源收入)
- 支出 — 支出预算; 基本支出; 项目支出 (运转类其他及特定目标类项目支出); 经营支出 (事业单位经营支出);
  上缴上级支出; 对附属单位补助支出
- 人员经费 (人员类项目经费); 公用经费 (日常公用经费, 运转类公用项目经费)
- 一般公共预算支出; 一般公共预算基本支出; 财政拨款收支 (财政拨款收支预算)
- 机关运行经费
- 三公经费 (财政拨款“三公”经费); 因公出国(境)费; 公务用车购置及运行维护费 (…购置及运维费);
  公务用车购置费; 公务用车运行维护费 (…运维费); 公务接待费
- 政府采购 (政府采购预算/支出); 政府采购货物, 政府采购工程, 政府采购服务
- 固定资产 (上年末固定资产金额)
- functional classes by name (卫生健康支出, 社会保障和就业支出 …), and functional codes
  ("2101101") where a sentence names a code or a 类/款/项 path
  ("卫生健康（类）行政事业单位医疗（款）行政单位医疗（项）", resolved against the tables' row labels).

Claim kinds: ``amount`` (基本支出660.56万元), ``change`` (比2023年预算增加1653.67万元,
基本支出减少43.98万元), ``percent`` (增长143.56% — a rate of change) and ``share`` (占23.54%).

Attribution is conservative: a figure whose subject is not recognised, an amount
about another year (2023年…, 上年…, 决算) and a bare change or rate with no clear
anchor are all left out. An amount that follows a change in the same sentence
(公务接待费0万元 after 与2020年相比增加…: is it the amount or the change?) is a claim
marked ``after_change``: checked as this year's amount or as the change, never a
part of a whole. A bare rate right after an amount (30.00万元，比上年下降6.25%) is
that amount's rate.

Checks (ids and severities):

- ``narrative.table`` (error): a stated budget-year amount equals its table value.
- ``narrative.parts`` (error): parts stated after a whole sum to it (``sum_gap``).
- ``narrative.share`` (error): 占xx% recomputes from the part and its whole (``share_holds``).
- ``narrative.change`` (warning): 增长/下降x% recomputes from the change and the previous
  value (current ∓ change), and the parts of a stated change sum to it. A stated change or
  rate also equals the table's 增减额 / 增减率 of its subject's line where the table prints
  them, else 本年 − 上年 (and its rate) where it prints last year's column.
- ``narrative.table`` for an ``after_change`` amount: an error when it is neither the
  table's amount nor the size of its change; a warning, saying why, when the tables
  print no last-year figure to tell.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from schemas import Amount, Claim, ExtractionResult
from schemas.common import arabic_years, parse_amount
from schemas.tables import YEAR_ON_YEAR_KEYS

from .flags import Flagger, fmt
from .tolerance import Term, change_rate_holds, printed_places, share_holds, sum_gap
from .cross import comparable
from .values import TO_WAN, TableView, Val

# ---------------------------------------------------------------- vocabulary

# Functional classes (类) by code; the names the tables and the narrative print.
CLASS_NAMES: dict[str, str] = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
    "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "209": "社会保险基金支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
    "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "224": "灾害防治及应急管理支出", "227": "预备费",
    "229": "其他支出", "230": "转移性支出", "231": "债务还本支出", "232": "债务付息支出",
    "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
CLASS_CODES: dict[str, str] = {name: code for code, name in CLASS_NAMES.items()}

# Subject -> pattern the cleaned phrase before the number must match in full.
# Order matters only where two could match; full matches keep them apart.
_SUBJECT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("收支总预算", r"(?:部门)?收支总?"),
    ("收入", r"(?:部门)?总?收入"),
    ("支出", r"(?:部门)?总?支出"),
    ("本年收入", r"本年度?收入"),
    ("上年结转", r"上年结转(?:结余)?(?:收入)?"),
    ("一般公共预算拨款收入", r"一般公共预算(?:财政)?(?:拨款)?收入"),
    ("政府性基金预算拨款收入", r"(?:政府性)?基金预算(?:财政)?(?:拨款)?收入"),
    ("国有资本经营预算拨款收入", r"国有资本经营预算(?:财政)?(?:拨款)?收入"),
    # "收入" is required: "财政专户管理资金安排0万元" is a project's funding, not income.
    ("财政专户管理资金收入", r"财政专户(?:核拨|管理资金)收入"),
    ("单位资金收入", r"单位资金收入"),
    ("其他收入", r"其他(?:来源)?收入"),
    ("基本支出", r"基本支出"),
    ("项目支出", r"(?:运转类其他及特定目标类)?项目支出"),
    ("经营支出", r"(?:事业单位)?经营支出"),
    ("上缴上级支出", r"上缴上级支出"),
    ("对附属单位补助支出", r"对附属单位补助支出"),
    ("人员经费", r"(?:基本支出)?人员(?:类项目)?经费"),
    ("公用经费", r"(?:基本支出)?(?:日常|运转类)?公用(?:项目)?经费"),
    ("一般公共预算支出", r"一般公共预算(?:财政拨款)?支出"),
    ("一般公共预算基本支出", r"一般公共预算(?:财政拨款)?基本支出"),
    ("财政拨款收支", r"财政拨款收支总?"),
    ("机关运行经费", r"机关运行经费(?:财政拨款)?"),
    ("三公经费", r"(?:财政拨款)?[“\"‘']?三公[”\"’']?经费"),
    ("因公出国(境)费", r"因公出国〔境〕费?"),
    # 运行维护费, 运维费 or 运行费: the wordings templates print (the tables' registry reads the same three).
    ("公务用车购置及运行维护费", r"公务用车购置[及和]运(?:行维护|维|行)费"),
    ("公务用车购置费", r"公务用车购置费"),
    ("公务用车运行维护费", r"公务用车运(?:行维护|维|行)费"),
    ("公务接待费", r"公务接待费"),
    ("政府采购", r"政府采购(?:支出)?"),
    ("政府采购货物", r"政府采购货物"),
    ("政府采购工程", r"政府采购工程"),
    ("政府采购服务", r"政府采购服务"),
    ("固定资产", r"上年末固定资产(?:金额|总额|原值|价值)?"),
)
# One alternation, one match per phrase: group g<i> is the i-th subject.
_SUBJECT_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_s, p) in enumerate(_SUBJECT_PATTERNS)))
_SUBJECT_BY_GROUP = {f"g{i}": s for i, (s, _p) in enumerate(_SUBJECT_PATTERNS)}

SUBJECT_EN: dict[str, str] = {
    "收支总预算": "total budget", "收入": "income", "支出": "expenditure", "本年收入": "current-year income",
    "上年结转": "carry-over", "一般公共预算拨款收入": "general-budget appropriation income",
    "政府性基金预算拨款收入": "government-fund appropriation income",
    "国有资本经营预算拨款收入": "state-capital appropriation income",
    "财政专户管理资金收入": "special-account income", "单位资金收入": "unit funds income",
    "其他收入": "other income", "基本支出": "basic expenditure", "项目支出": "project expenditure",
    "经营支出": "operating expenditure", "上缴上级支出": "remittance to superior",
    "对附属单位补助支出": "subsidy to subordinates", "人员经费": "personnel costs", "公用经费": "public costs",
    "一般公共预算支出": "general-budget expenditure", "一般公共预算基本支出": "general-budget basic expenditure",
    "财政拨款收支": "fiscal appropriation total", "机关运行经费": "office running costs",
    "三公经费": "three public costs", "因公出国(境)费": "outbound travel",
    "公务用车购置及运行维护费": "official vehicles", "公务用车购置费": "vehicle purchase",
    "公务用车运行维护费": "vehicle operation", "公务接待费": "official reception",
    "政府采购": "government procurement", "政府采购货物": "procurement of goods",
    "政府采购工程": "procurement of works", "政府采购服务": "procurement of services",
    "固定资产": "fixed assets (end of last year)",
}

# How wholes break down. Each list is one complete breakdown; "<class>" stands for
# every functional class. Codes break down by prefix and need no entry.
_CLASS = "<class>"
_SOURCES = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
            "财政专户管理资金收入", "单位资金收入", "其他收入"]
_EXP_PARTS = ["基本支出", "项目支出", "经营支出", "上缴上级支出", "对附属单位补助支出"]
_BREAKDOWNS: dict[str, list[list[str]]] = {
    "收支总预算": [["本年收入", "上年结转"], [*_SOURCES, "上年结转"], _EXP_PARTS, [_CLASS]],
    "收入": [["本年收入", "上年结转"], [*_SOURCES, "上年结转"]],
    "本年收入": [_SOURCES],
    "支出": [_EXP_PARTS, [_CLASS]],
    "一般公共预算支出": [["一般公共预算基本支出", "项目支出"], ["基本支出", "项目支出"], [_CLASS]],
    "财政拨款收支": [["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "上年结转"],
                 [_CLASS]],
    "基本支出": [["人员经费", "公用经费"]],
    "一般公共预算基本支出": [["人员经费", "公用经费"]],
    "三公经费": [["因公出国(境)费", "公务用车购置及运行维护费", "公务接待费"]],
    "公务用车购置及运行维护费": [["公务用车购置费", "公务用车运行维护费"]],
    "政府采购": [["政府采购货物", "政府采购工程", "政府采购服务"]],
}

# --------------------------------------------------------------- text shapes

# A figure: a number with its unit. "元/人" or "万元/m²" is a rate, not an amount.
_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(万元|元|%|％)(?![/／每])")
# What ends the phrase that names a figure's subject.
_STOP = re.compile(r"[，,；;。：:、（）()【】\[\]！？!?\n]")
# A cheap test that a section states any figure at all (most do not).
_QUICK = re.compile(r"\d\s*(?:万\s*元|元|%|％)")
# A change of nothing, stated in words (与上年持平, 与上年相比无变化): a change claim of 0 at those words.
_FLAT = re.compile(r"持平|无变化|没有变化|未发生变化|无增减变化|无增减")
_DIRECTION = re.compile(r"(增加|增长|上升|新增|增|减少|下降|降低|减)了?$")
_COMPARATOR = re.compile(r"(?:同比|(?:比|较|与|同)(?:上年|上一年|去年|20\d\d年度?)?(?:年初)?(?:预算|决算)?数?(?:相比|对比)?)")
_SHARE = re.compile(r"占(?:比)?为?")
_CLAUSE_END = re.compile(r"[；;]")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=年)")
_OTHER_YEAR_WORDS = re.compile(r"上年|去年|上一年|决算")
_LEAD = re.compile(r"^(?:[*#\-]+|\d+[.、．]|[一二三四五六七八九十]+、|其中|包括|以及|和|及|另|共|合计|预算|安排"
                   r"|我部门|本部门|我局|本局|我单位|本单位|20\d\d年度?)")
_TRAIL = re.compile(r"(?:共计安排|预算安排|共安排|安排|共计|合计|总计|预算数|预算|为|是|达到|达)$")
# "卫生健康（类）行政事业单位医疗（款）行政单位医疗（项）**2024年预算" right before a figure.
_PATH = re.compile(r"(?P<lei>[\u4e00-\u9fff]+)[（(]类[）)](?P<kuan>[\u4e00-\u9fff]+)[（(]款[）)]"
                   r"(?P<xiang>[\u4e00-\u9fff]+)[（(]项[）)]\**[:：]?(?:20\d\d年度?)?(?:预算|安排|数|为)*$")
# A heading that is only a 类/款/项 path: its figures are on the lines after it.
_PATH_HEADING = re.compile(r"[（(]项[）)]\**[:：]?\**$")
_CODE = re.compile(r"(2\d{2}(?:\d{2}){0,2})[\u4e00-\u9fff]{2,}")
# "1." and "1.1" number headings; "1.10%" at a line's start is the tail of a figure cut across lines.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
                      r"|\d+\s*(?:、|[.．](?!\d+\s*(?:万\s*元|元|%|％)))"
                      r"|第[一二三四五六七八九十]+部分|[-*#]+\s)")
# A heading printed with no number: a short line of words that names an explanation
# ("一般公共预算支出情况说明", "关于2025年一般公共预算支出表的说明", "名词解释").
_PLAIN_HEADING = re.compile(r"^(?:关于)?[^，,。；;：:！？!?\d]{2,38}"
                            r"(?:说明|情况|概况|概述|解释|简介|介绍|预算表|明细表)$")
_LINE = re.compile(r"[^\n]+")
_RUN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_TERMINAL = tuple("。：:；;！？!?")
# A line that opens with an amount and its unit (10.00万元。): the end of the line before it.
_FIGURE_FIRST = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万\s*元|元|%|％)")

_INCREASE = frozenset({"增加", "增长", "上升", "新增", "增"})
_UNIT_SCALE = TO_WAN  # the units a figure or a table may be in, as a factor to 万元


# ------------------------------------------------------------ flat text

@dataclass
class _Flat:
    """A section's text with layout whitespace removed, and where each character came from.

    PDF text wraps mid-word ("包括人\\n\\n员类项目经费"), so soft line breaks and
    spaces go; a break after a sentence or a heading stays as "\\n".
    """

    text: str
    # Where each piece (a run of characters, or a kept "\n") begins in the flat text and in the document: a
    # piece's characters follow each other in both.
    starts: list[int]
    origins: list[int]
    sentence_ends: list[int] = field(default_factory=list)  # flat positions of 。！？ and \\n
    breaks: list[int] = field(default_factory=list)  # flat positions of \\n (paragraph ends)
    stops: list[int] = field(default_factory=list)  # flat positions of anything that ends a phrase

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._origin(start), self._origin(end - 1) + 1

    def _origin(self, pos: int) -> int:
        """The document position of the flat text's character at ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.origins[i] + pos - self.starts[i]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.sentence_ends, pos)
        start = self.sentence_ends[i - 1] + 1 if i else 0
        end = self.sentence_ends[i] + 1 if i < len(self.sentence_ends) else len(self.text)
        return start, end

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_left(self.breaks, pos)

    def phrase(self, start: int, end: int) -> str:
        """The words before ``end`` back to the last punctuation (or ``start``)."""
        i = bisect.bisect_left(self.stops, end)
        stop = self.stops[i - 1] + 1 if i else 0
        return self.text[max(start, stop): end]


def _hard_break(line: str, next_line: str) -> bool:
    """Whether the line break between two non-blank lines ends a sentence or a heading."""
    line, next_line = line.strip(), next_line.strip()
    if _HEADING.match(next_line):
        return True
    if _FIGURE_FIRST.match(next_line) and not line.endswith(_TERMINAL):
        # "（一）本年收入" / "2805.56万元，…": a line wrapped between a subject and its amount (a narrow or landscape
        # page), however short and heading-like the words before the number.
        return False
    if _PATH_HEADING.search(line) and not _QUICK.search(line):
        return False
    if line.endswith(_TERMINAL) or _is_plain_heading(line):
        return True
    return bool(_HEADING.match(line)) and len(line) <= 40 and "。" not in line


def _is_plain_heading(line: str) -> bool:
    """A line that is a heading by its words alone, the year in it apart."""
    return bool(_PLAIN_HEADING.match(re.sub(r"20\d\d年度?", "", line)))


def _flatten(text: str, start: int, end: int) -> _Flat:
    lines = [m for m in _LINE.finditer(text, start, end) if not m.group().isspace()]
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = 0
    for i, line in enumerate(lines):
        for run in _RUN.finditer(text, line.start(), line.end()):
            parts.append(run.group())
            starts.append(length)
            origins.append(run.start())
            length += run.end() - run.start()
        if i + 1 < len(lines) and _hard_break(line.group(), lines[i + 1].group()):
            parts.append("\n")
            starts.append(length)
            origins.append(line.end())
            length += 1
    # "（境）" belongs to the name 因公出国（境）费; keep its brackets from ending the phrase.
    flat = "".join(parts).replace("（境）", "〔境〕").replace("(境)", "〔境〕")
    ends = [m.start() for m in _SENTENCE_END.finditer(flat)]
    return _Flat(flat, starts, origins, ends, [i for i in ends if flat[i] == "\n"],
                 [m.start() for m in _STOP.finditer(flat)])


def _has_figures(text: str, start: int, end: int) -> bool:
    return _QUICK.search(text, start, end) is not None


# ----------------------------------------------------------------- figures

@dataclass
class _Figure:
    start: int  # flat position of the digits
    end: int
    unit: str
    unit_end: int
    words: str  # the words before it back to the last punctuation, as printed
    phrase: str = ""  # the same, cleaned to the name of a subject
    direction: str | None = None
    kind: str = "amount"
    subject: str | None = None
    bare: bool = False  # a change/rate/share that names no subject of its own
    kept: bool = False  # attributed: becomes a claim
    sentence: tuple[int, int] = (0, 0)  # flat bounds of its sentence
    after_change: bool = False  # an amount after a change in its sentence: the amount, or the change without its verb
    flat: bool = False  # no change, in words (与上年持平): a change of 0


@dataclass
class _Context:
    year: int | None
    department: str | None
    codes: dict[str, str]  # functional code -> squashed row label, from the tables


def _clean(phrase: str, department: str | None) -> str:
    """Strip numbering, the department, the year and verbs around the name of a subject."""
    phrase = phrase.replace("（含所属单位）", "")
    if department:
        phrase = phrase.replace(department, "")
    while True:
        cleaned = _TRAIL.sub("", _LEAD.sub("", phrase))
        if cleaned == phrase:
            return phrase
        phrase = cleaned


def _subject_of(name: str, ctx: _Context) -> str | None:
    if name in CLASS_CODES:
        return name
    m = _SUBJECT_RE.fullmatch(name)
    if m:
        return _SUBJECT_BY_GROUP[m.lastgroup]
    m = _CODE.fullmatch(name)
    # "2101501行政运行": a code counts only when the tables print it under that name
    # ("共201个项目" is not class 201).
    if m and ctx.codes.get(m.group(1)) and name[len(m.group(1)):].startswith(ctx.codes[m.group(1)]):
        return m.group(1)
    return None


def _code_for_path(window: str, ctx: _Context) -> str | None:
    """The 7-digit code of a 类/款/项 path printed right before a figure, found by the tables' labels."""
    m = _PATH.search(window)
    if not m:
        return None
    lei = next((c for n, c in CLASS_CODES.items() if m.group("lei").endswith(n.removesuffix("支出"))), None)
    if lei is None:
        return None
    under = [c for c, label in ctx.codes.items() if len(c) == 7 and c.startswith(lei) and label == m.group("xiang")]
    exact = [c for c in under if ctx.codes.get(c[:5]) == m.group("kuan")]
    found = exact or under
    return found[0] if len(found) == 1 else None


def _figures(flat: _Flat, ctx: _Context) -> list[_Figure]:
    figures: list[_Figure] = []
    prev_end = 0
    for m in _figure_matches(flat.text):
        words = flat.phrase(prev_end, m.start())
        if m.re is _FLAT:
            if not _COMPARATOR.search(words):
                continue  # 持平 with nothing it compares with: no claim
            figure = _Figure(m.start(), m.end(), "万元", m.end(), words, flat=True)
        else:
            figure = _Figure(m.start(1), m.end(1), m.group(2).replace("％", "%"), m.end(), words)
        figure.sentence = flat.sentence(figure.start)
        d = _DIRECTION.search(words)
        if d and not figure.flat:
            figure.direction = "increase" if d.group(1) in _INCREASE else "decrease"
            words = words[: d.start()]
        figure.phrase = _clean(words, ctx.department)
        _classify(figure, flat, ctx)
        figures.append(figure)
        prev_end = m.end()
    return figures


def _figure_matches(text: str):
    """The printed figures and the words stating no change, in the order printed."""
    if not _FLAT.search(text):
        return _FIGURE.finditer(text)
    return sorted([*_FIGURE.finditer(text), *_FLAT.finditer(text)], key=lambda m: m.start())


def _classify(figure: _Figure, flat: _Flat, ctx: _Context) -> None:
    """Kind and (own) subject of one figure, from the words right before it."""
    phrase = figure.phrase
    if figure.unit == "%":
        figure.kind = "percent" if figure.direction else "share"
        if figure.direction:
            figure.bare = not phrase or bool(_COMPARATOR.fullmatch(phrase))
            figure.subject = None if figure.bare else _subject_of(phrase, ctx)
        else:
            # Only a bare "占xx%" is a share we can place; "参保率达到90%" is not a money figure.
            figure.bare = bool(_SHARE.fullmatch(phrase))
        return
    figure.kind = "change" if figure.direction or figure.flat else "amount"
    if figure.kind == "change" and (not phrase or _COMPARATOR.fullmatch(phrase)):
        figure.bare = True
        return
    figure.subject = _subject_of(phrase, ctx)
    if figure.subject is None and not phrase:
        figure.subject = _code_for_path(flat.text[figure.sentence[0]: figure.start], ctx)


def _is_budget_year(figure: _Figure, flat: _Flat, year: int | None) -> bool:
    """An amount is about the budget year unless its sentence dates it otherwise (2023年…, 上年…, 决算)."""
    if figure.subject not in ("上年结转", "固定资产") and _OTHER_YEAR_WORDS.search(figure.words):
        return False
    if year is None:
        return True
    sent_start = figure.sentence[0]
    last = None
    for m in _YEAR.finditer(flat.text, sent_start, figure.start):
        before = flat.text[max(sent_start, m.start() - 2): m.start()]
        # "比2023年", "较2023年", "与2023年相比", "截至2023年12月31日" compare or date; they do not date the amount.
        if before[-1:] in ("比", "较", "与", "同") or before in ("截至", "截止"):
            continue
        last = int(m.group(1))
    return last is None or last == year


def _attribute(figures: list[_Figure], flat: _Flat, ctx: _Context) -> None:
    """Give bare changes, rates and shares the subject they belong to; drop what cannot be placed."""
    change_in_sentence: set[tuple[int, int]] = set()
    for i, figure in enumerate(figures):
        sentence = figure.sentence
        prev = figures[i - 1] if i else None
        same_clause = prev is not None and prev.sentence == sentence and not _CLAUSE_END.search(
            flat.text, prev.unit_end, figure.start)
        if figure.kind == "amount":
            if not _is_budget_year(figure, flat, ctx.year):
                figure.subject = None
            # After a change in the same sentence ("与2020年相比增加3万元…；公务接待费0万元") an amount may be a
            # change with its verb left out: it is kept, and checked as either (never as a part of a whole).
            figure.after_change = sentence in change_in_sentence
        elif figure.kind == "change":
            if not figure.flat:  # after 与上年持平 an amount is this year's, never a change without its verb
                change_in_sentence.add(sentence)
            if figure.bare:
                figure.subject = _anchor(figure, figures, i, flat, same_clause)
        elif figure.bare:
            # A rate follows its change ("增加1653.67万元，增长143.56%"); a share its amount ("基本支出660.56万元，占23.54%").
            wanted = "change" if figure.kind == "percent" else "amount"
            figure.subject = prev.subject if same_clause and prev.kind == wanted and prev.kept \
                and not prev.after_change else None
            if figure.subject is None and figure.kind == "percent" and same_clause and prev.kind == "amount" \
                    and prev.kept and not prev.after_change:
                figure.subject = prev.subject  # "三公经费30.00万元，比上年下降6.25%": a rate with no change stated
        figure.kept = figure.subject is not None


def _anchor(figure: _Figure, figures: list[_Figure], i: int, flat: _Flat, same_clause: bool) -> str | None:
    """Whose change a bare "比2023年预算增加…" is: the amount just before it, or the paragraph's lead figure."""
    prev = figures[i - 1] if i else None
    if same_clause:
        return prev.subject if prev.kind in ("amount", "share") and prev.kept and not prev.after_change else None
    if prev is not None and prev.sentence == figure.sentence:
        return None  # after a "；" in the same sentence: too loose to place
    # First figure of its sentence ("…公务接待费0.59万元。与2023年相比减少0.04万元"): the paragraph's lead.
    para = flat.paragraph(figure.start)
    lead = next((f for f in figures[:i] if flat.paragraph(f.start) == para), None)
    return lead.subject if lead is not None and lead.kind == "amount" and lead.kept and not lead.after_change \
        else None


def _claim(figure: _Figure, flat: _Flat, text: str, section_id: str) -> Claim:
    span = flat.span(figure.start, figure.end)
    # The digits as printed (a number wrapped across lines keeps its line break in ``raw``).
    raw = text[span[0]: span[1]]
    # _FIGURE matched plain digits; only a wrapped or comma-grouped number needs the full parser.
    value = Decimal("0.00") if figure.flat else Decimal(raw) if raw.replace(".", "", 1).isdigit() \
        else parse_amount(raw)
    return Claim(
        id=f"c{span[0]}", kind=figure.kind, subject=figure.subject, unit=figure.unit,
        value=Amount(span=span, value=value, raw=raw),
        direction=figure.direction, sentence=flat.span(*figure.sentence), section_id=section_id,
        after_change=figure.after_change,
    )


def _code_labels(result: ExtractionResult) -> dict[str, str]:
    codes: dict[str, str] = {}
    for table in result.tables:
        for row in table.rows:
            if row.code and row.code.startswith("2") and row.label:
                codes.setdefault(row.code, re.sub(r"\s+", "", row.label.text))
    return codes


def extract_claims(result: ExtractionResult, text: str) -> list[Claim]:
    """Every figure of the narrative sections whose subject is recognised, in document order."""
    ctx = _Context(result.document.year, result.document.department, _code_labels(result))
    claims: list[Claim] = []
    text = arabic_years(text)
    for section in result.sections:
        if section.kind != "narrative" or not _has_figures(text, *section.span):
            continue
        flat = _flatten(text, *section.span)
        figures = _figures(flat, ctx)
        _attribute(figures, flat, ctx)
        claims.extend(_claim(f, flat, text, section.id) for f in figures if f.kept)
    return claims


# =================================================================== checks

def _node(subject: str) -> str:
    """Functional classes join the code hierarchy: 卫生健康支出 is 210."""
    return CLASS_CODES.get(subject, subject)


def _is_code(node: str) -> bool:
    return node.isdigit()


@lru_cache(maxsize=4096)
def _descends(child: str, whole: str) -> bool:
    """Whether ``child`` is (transitively) a part of ``whole``."""
    c, w = _node(child), _node(whole)
    if c == w:
        return False
    if _is_code(w):
        return _is_code(c) and c.startswith(w)
    seen, todo = set(), [w]
    while todo:
        for alternative in _BREAKDOWNS.get(todo.pop(), []):
            for part in alternative:
                if part == _CLASS and _is_code(c):
                    return True
                if part == c:
                    return True
                if part not in seen:
                    seen.add(part)
                    todo.append(part)
    return False


def _term(claim: Claim) -> Term:
    """The claim as a rounded value, money in 万元 (so 5000元 and 0.50万元 compare)."""
    return _printed(str(claim.value.value), claim.unit)


@lru_cache(maxsize=4096)
def _printed(value: str, unit: str) -> Term:
    # Keyed by the printed string: Decimal("5") == Decimal("5.0") but they round differently.
    term = Term.printed(Decimal(value))
    scale = _UNIT_SCALE.get(unit, Decimal(1))
    return Term(term.value * scale, term.half * scale)


_KIND_ZH = {"amount": "金额", "change": "增减额", "percent": "增减率", "share": "占比"}


def _val(claim: Claim) -> Val:
    """A claim as a flaggable value, so that a flag's spans and fields name the narrative's digits too."""
    return Val(
        path=f"narrative[{claim.id}]", where=f"说明 {claim.subject}", what=_KIND_ZH[claim.kind],
        amount=claim.value, places=printed_places(claim.value.value), section_id=claim.section_id or "",
        en_where=f"narrative {_en(claim.subject)}", en_what=claim.kind, unit=claim.unit,
    )


def _en(subject: str) -> str:
    if subject in SUBJECT_EN:
        return SUBJECT_EN[subject]
    code = _node(subject)
    return f"class {code}" if len(code) == 3 else f"code {code}"


@dataclass
class _Links:
    """How the claims of one section relate: parent wholes, the change a rate is of, the amount a share is of."""

    parent: dict[str, Claim] = field(default_factory=dict)
    base: dict[str, Claim] = field(default_factory=dict)  # change/percent/share -> the claim it qualifies

    def chain(self, claim: Claim) -> Iterator[Claim]:
        while claim.id in self.parent:
            claim = self.parent[claim.id]
            yield claim


def _link(claims: list[Claim]) -> _Links:
    links = _Links()
    for i, claim in enumerate(claims):
        if claim.after_change:
            continue  # the amount or a change: no whole, no part, no base of a share
        earlier = [c for c in claims[:i][::-1] if not c.after_change]
        if claim.kind in ("amount", "change"):
            whole = next((w for w in earlier if w.kind == claim.kind and _descends(claim.subject, w.subject)), None)
            if whole is not None:
                links.parent[claim.id] = whole
        wanted = {"change": "amount", "percent": "change", "share": "amount"}.get(claim.kind)
        if wanted:
            base = next((b for b in earlier if b.kind == wanted and b.subject == claim.subject), None)
            # A rate or share qualifies the figure of its own sentence; a change may look further back.
            if base is not None and (claim.kind == "change" or base.sentence == claim.sentence):
                links.base[claim.id] = base
    return links


def _by_section(claims: list[Claim]) -> dict[str | None, list[Claim]]:
    sections: dict[str | None, list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: c.value.span[0]):
        sections.setdefault(claim.section_id, []).append(claim)
    return sections


# ------------------------------------------------------------ table lookup

_NUM = r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])?"


def _income(label: str) -> str:
    return rf"^income:{_NUM}{label}$"


# Subject -> where the table prints it, in order of preference: (table kind, row key pattern, column).
_DEPT_SOURCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "收支总预算": (("income_expenditure_summary", _income("收入总计"), "income_amount"),),
    "收入": (("income_expenditure_summary", _income("收入总计"), "income_amount"),
           ("income_summary", "^total$", "total")),
    "本年收入": (("income_expenditure_summary", _income("本年收入(?:合计|小计)"), "income_amount"),
             ("income_summary", "^total$", "income_subtotal")),
    "上年结转": (("income_expenditure_summary", _income("上年结转(?:结余|数)?"), "income_amount"),
             ("income_summary", "^total$", "carryover")),
    "一般公共预算拨款收入": (("income_expenditure_summary", _income("一般公共预算拨款(?:收入)?"), "income_amount"),),
    "政府性基金预算拨款收入": (("income_expenditure_summary", _income("政府性基金预算拨款(?:收入)?"), "income_amount"),),
    "国有资本经营预算拨款收入": (("income_expenditure_summary", _income("国有资本经营预算拨款(?:收入)?"),
                       "income_amount"),),
    "财政专户管理资金收入": (("income_expenditure_summary", _income("财政专户管理资金(?:收入)?"), "income_amount"),),
    "单位资金收入": (("income_expenditure_summary", _income("单位资金(?:收入)?"), "income_amount"),),
    "支出": (("expenditure_summary", "^total$", "total"),
           ("income_expenditure_summary", r"^expenditure:本年支出(?:合计|小计)$", "expenditure_amount")),
    "基本支出": (("expenditure_summary", "^total$", "basic"),),
    "项目支出": (("expenditure_summary", "^total$", "project"), ("project_expenditure", "^total$", "total")),
    "经营支出": (("expenditure_summary", "^total$", "operating"),),
    "上缴上级支出": (("expenditure_summary", "^total$", "remit_superior"),),
    "对附属单位补助支出": (("expenditure_summary", "^total$", "subsidy_subordinate"),),
    "人员经费": (("general_budget_basic_expenditure", "^total$", "personnel"),
             ("general_budget_expenditure", "^total$", "personnel")),
    "公用经费": (("general_budget_basic_expenditure", "^total$", "public"),
             ("general_budget_expenditure", "^total$", "public")),
    "一般公共预算支出": (("general_budget_expenditure", "^total$", "total"),),
    "一般公共预算基本支出": (("general_budget_basic_expenditure", "^total$", "total"),
                   ("general_budget_expenditure", "^total$", "basic")),
    "财政拨款收支": (("fiscal_appropriation_summary", _income("收入总计"), "income_amount"),),
    # A 三公 table prints its items as rows, or (one line of figures under the items' headers) as columns.
    "三公经费": (("three_public_costs", "^subtotal$", "total"), ("three_public_costs", "^total$", "total"),
             ("three_public_costs", "^row$", "total")),
    "因公出国(境)费": (("three_public_costs", "^outbound$", "total"), ("three_public_costs", "^row$", "outbound")),
    "公务用车购置及运行维护费": (("three_public_costs", "^vehicle$", "total"), ("three_public_costs", "^row$", "vehicle")),
    "公务用车购置费": (("three_public_costs", "^vehicle_purchase$", "total"),
                ("three_public_costs", "^row$", "vehicle_purchase")),
    "公务用车运行维护费": (("three_public_costs", "^vehicle_operation$", "total"),
                  ("three_public_costs", "^row$", "vehicle_operation")),
    "公务接待费": (("three_public_costs", "^reception$", "total"), ("three_public_costs", "^row$", "reception")),
    "政府采购": (("government_procurement", "^total$", "total"),),
    "固定资产": (("fixed_assets", "^total_assets$", "value"),),
}
# Under a general-budget whole (一般公共预算支出…) the same words mean the general-budget table's figures.
_GB_SOURCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "基本支出": (("general_budget_expenditure", "^total$", "basic"),),
    "项目支出": (("general_budget_expenditure", "^total$", "project"),),
}


@lru_cache(maxsize=256)
def _key_re(pattern: str) -> re.Pattern:
    # Row-key patterns are few but some are built per class code; compile each once.
    return re.compile(pattern)


class _Tables:
    """The first table of each kind, looked up by row-key pattern."""

    def __init__(self, views: list[TableView]):
        self.views: dict[str, TableView] = {}
        self.cache: dict[tuple[str, str, str], Val | None] = {}
        for view in views:
            if view.table.entity_role != "unit":  # the department's figures: never one unit's own table
                self.views.setdefault(view.table.kind, view)

    def find(self, kind: str, key_pattern: str, column: str) -> Val | None:
        key = (kind, key_pattern, column)
        if key not in self.cache:
            self.cache[key] = self._find(kind, key_pattern, column)
        return self.cache[key]

    def _find(self, kind: str, key_pattern: str, column: str) -> Val | None:
        view = self.views.get(kind)
        if view is None:
            return None
        regex = _key_re(key_pattern)
        # The first matching row: a second "一般公共预算拨款" row (key "…#2") is the carry-over part.
        for key, _row in view.rows:
            if "#" not in key and regex.match(key):
                return view.get(key, column)
        return None

    def year_on_year(self, val: Val) -> tuple[Val | None, Val | None, Val | None]:
        """Last year's amount, the change and the rate the table prints beside ``val`` (上年 | 本年 | 增减额 | 增减率)."""
        name, rest = val.path.split("[", 1)
        key, col = rest.rsplit("].", 1)
        view = self.views.get(name)
        keys = next((k for k in YEAR_ON_YEAR_KEYS if k[0] == col), None)
        if view is None or keys is None:
            return None, None, None
        return view.get(key, keys[1]), view.get(key, keys[2]), view.get(key, keys[3])

    def first(self, sources: tuple[tuple[str, str, str], ...]) -> Val | None:
        for kind, pattern, column in sources:
            val = self.find(kind, pattern, column)
            if val is not None:
                return val
        return None


def _context(claim: Claim, links: _Links) -> str:
    """Which tables a claim's words refer to: the general budget's, the fiscal appropriations', or the department's."""
    for whole in links.chain(claim):
        if whole.subject in ("一般公共预算支出", "一般公共预算基本支出"):
            return "gb"
        if whole.subject == "财政拨款收支":
            return "fa"
    return "dept"


def _functional_val(node: str, context: str, tables: _Tables) -> Val | None:
    if context == "fa" and len(node) == 3:
        return tables.find("fiscal_appropriation_summary", rf"^expenditure:{_NUM}{CLASS_NAMES[node]}$", "total")
    kind = "general_budget_expenditure" if context == "gb" else "expenditure_summary"
    val = tables.find(kind, rf"^{node}$", "total")
    if val is None and context == "dept" and len(node) == 3:
        val = tables.find("income_expenditure_summary", rf"^expenditure:{_NUM}{CLASS_NAMES[node]}$",
                          "expenditure_amount")
    return val


def _basic_split_applies(tables: _Tables) -> bool:
    """人员经费/公用经费 come from the general-budget basic table; they split the department's
    basic expenditure only when all of it is general-budget (the two basic totals agree)."""
    dept = tables.find("expenditure_summary", "^total$", "basic")
    gb = tables.first(_DEPT_SOURCES["一般公共预算基本支出"])
    return dept is None or gb is None or sum_gap(dept.common, [gb.common]) is None


def _table_val(claim: Claim, links: _Links, tables: _Tables) -> Val | None:
    node = _node(claim.subject)
    context = _context(claim, links)
    if _is_code(node):
        return _functional_val(node, context, tables) if node[:3] in CLASS_NAMES else None
    if context == "gb" and claim.subject in _GB_SOURCES:
        return tables.first(_GB_SOURCES[claim.subject])
    if claim.subject in ("人员经费", "公用经费") and context == "dept" and not _basic_split_applies(tables):
        return None
    return tables.first(_DEPT_SOURCES.get(claim.subject, ()))


def _in_wan(term: Term, unit: str) -> Term | None:
    scale = _UNIT_SCALE.get(unit)
    return None if scale is None else Term(term.value * scale, term.half * scale)


def _check_table(claim: Claim, links: _Links, tables: _Tables, flagger: Flagger) -> None:
    if claim.kind != "amount":
        _check_year_on_year(claim, links, tables, flagger)
        return
    val = _table_val(claim, links, tables)
    if val is None or not comparable(flagger, "narrative.table", [_val(claim), val]):
        return
    printed = _in_wan(val.term, val.unit)
    if claim.unit not in _UNIT_SCALE or printed is None:
        return
    if sum_gap(_term(claim), [printed]) is None:
        flagger.held("narrative.table", [_val(claim), val])
        return
    v = fmt(claim.value.value)
    severity, note, note_en, vals = "error", "", "", [_val(claim), val]
    if claim.after_change:
        # After a change in its sentence the figure may be the change with its verb left out: checked as that too.
        change = _table_change(val, tables)
        if change is not None and sum_gap(_term(claim), [Term(abs(change[0].value), change[0].half)]) is None:
            flagger.held("narrative.table", [_val(claim), val, *change[1]])
            return
        if change is None:
            severity = "warning"
            note, note_en = "（此数在本句的增减之后，也可能是省略了“增加/减少”的增减额；表中没有上年数可核对）", \
                " (it follows a change in its sentence and may be a change with its verb left out; the tables print " \
                "no last-year figure to check that)"
        else:
            note, note_en = f"，也 ≠ 增减额 {fmt(change[0].value)}（此数在本句的增减之后）", \
                f", nor the change {fmt(change[0].value)} (it follows a change in its sentence)"
            vals += change[1]
    flagger.add(
        "narrative.table", severity,
        f"说明：{claim.subject} {v} {claim.unit} ≠ {val.where} {val.what} {fmt(val.value)} {val.unit}{note}",
        f"narrative: {_en(claim.subject)} {v} {claim.unit} ≠ {val.en_where} {val.en_what} {fmt(val.value)} {val.unit}"
        f"{note_en}", vals, expected=val.value, found=claim.value.value,
        section_id=claim.section_id, key=claim.id,
    )


def _shown(d: Decimal | str) -> str:
    return d if isinstance(d, str) else fmt(d)


def _table_change(val: Val, tables: _Tables) -> tuple[Term, list[Val]] | None:
    """The change beside ``val`` in 万元: the table's 增减额 where it prints one, else 本年 − 上年; None when the table
    prints neither (or in a unit that does not convert)."""
    previous, change, _rate = tables.year_on_year(val)
    if change is not None:
        term = _in_wan(change.term, change.unit)
        return (term, [change]) if term is not None else None
    if previous is None:
        return None
    this, last = _in_wan(val.term, val.unit), _in_wan(previous.term, previous.unit)
    if this is None or last is None:
        return None
    return Term(this.value - last.value, this.half + last.half), [previous]


def _check_year_on_year(claim: Claim, links: _Links, tables: _Tables, flagger: Flagger) -> None:
    """A stated change (比上年减少2.00万元) or rate (增长11.1%) against the table's 上年 / 增减额 / 增减率 columns of its
    subject's line, where the table prints them (a warning: the text may compare with another base, 上年决算)."""
    if claim.kind not in ("change", "percent"):
        return
    val = _table_val(claim, links, tables)
    # A change is money, in the claim's unit and the table's; a rate is a ratio, whatever the table's unit.
    if val is None or (claim.kind == "change" and not comparable(flagger, "narrative.change", [_val(claim), val])):
        return
    previous, change, rate = tables.year_on_year(val)
    stated = _signed(claim)
    if claim.kind == "change":
        found = _table_change(val, tables)
        if found is None or claim.unit not in _UNIT_SCALE:
            return
        if sum_gap(stated, [found[0]]) is None:
            flagger.held("narrative.change", [_val(claim), val, *found[1]])
            return
        what = f"{change.where} {change.what}" if change is not None else \
            f"{val.where} {fmt(val.value)} − 上年 {fmt(previous.value)}"
        expected, vals = found[0].value, [val, *found[1]]
    elif rate is not None:
        if sum_gap(stated, [rate.term]) is None:
            flagger.held("narrative.change", [_val(claim), val, rate])
            return
        what, expected, vals = f"{rate.where} {rate.what}", rate.value, [val, rate]
    elif previous is not None:
        last = previous.term  # in the table's own unit, as this year's: the ratio is the same in any unit
        change_term = Term(val.term.value - last.value, val.term.half + last.half)
        same_way = change_term.value == 0 or (change_term.value > 0) == (claim.direction == "increase")
        if same_way and change_rate_holds(_term(claim), Term(abs(change_term.value), change_term.half), last):
            flagger.held("narrative.change", [_val(claim), val, previous])
            return
        expected = _rate(change_term.value, last.value)
        what, vals = f"({val.where} {fmt(val.value)} − 上年 {fmt(previous.value)}) ÷ 上年", [val, previous]
    else:
        return
    pct = "%" if claim.kind == "percent" else ""
    shown = fmt(stated.value) + pct
    said = _words(claim) if claim.kind == "change" else \
        f"{'增长' if claim.direction == 'increase' else '下降'} {fmt(claim.value.value)}%"
    flagger.add(
        "narrative.change", "warning",
        f"说明：{claim.subject} 比上年{said} ≠ {what} = {_shown(expected)}{pct}",
        f"narrative: {_en(claim.subject)} change stated as {shown} ≠ the table's {_shown(expected)}{pct}",
        [_val(claim), *vals], expected=expected, found=stated.value, section_id=claim.section_id, key=f"{claim.id}.yoy",
    )


def _kind_of(val: Val) -> str:
    return val.path.split("[", 1)[0].split("#", 1)[0]


# ------------------------------------------------------------------ parts

def part_groups(claims: list[Claim], links: _Links) -> list[tuple[Claim, list[Claim]]]:
    """(whole, parts) for every whole with at least two stated parts of one breakdown.

    Parts are the claims whose nearest whole is this one, each subject counted
    once (a later "（一）人员经费533.75万元" restates, it does not add); one
    part alone is not checked, since "其中基本支出…" may name only the notable part.
    """
    children_of: dict[str, dict[str, Claim]] = {}
    for claim in claims:
        whole = links.parent.get(claim.id)
        # A part stated unchanged (与上年持平) adds nothing: counted, it would make a list of changes that names
        # only some parts (出国 持平, 接待 减少1.00, 用车 unsaid) look like the whole breakdown.
        if whole is not None and not (claim.kind == "change" and claim.direction is None):
            children_of.setdefault(whole.id, {}).setdefault(_node(claim.subject), claim)
    groups = []
    for whole in claims:
        children = children_of.get(whole.id)
        if not children:
            continue
        node = _node(whole.subject)
        breakdowns = [list(children)] if _is_code(node) else _BREAKDOWNS.get(whole.subject, [])
        for alternative in breakdowns:
            parts = [c for n, c in children.items()
                     if n in alternative or (_CLASS in alternative and _is_code(n) and len(n) == 3)]
            if len(parts) >= 2:
                groups.append((whole, parts))
    return groups


def _signed(claim: Claim) -> Term:
    term = _term(claim)
    return Term(-term.value, term.half) if claim.direction == "decrease" else term


def _words(claim: Claim) -> str:
    """How a message prints a claim: "1548.86", "减少 43.98", "5000 元"."""
    value = fmt(claim.value.value) + ("" if claim.unit == "万元" else f" {claim.unit}")
    if claim.kind != "change":
        return value
    if claim.direction is None:
        return f"{claim.value.raw}（0）"  # 持平 / 无变化
    return f"{'增加' if claim.direction == 'increase' else '减少'} {value}"


def _check_parts(whole: Claim, parts: list[Claim], flagger: Flagger) -> None:
    """A stated whole against its stated parts; changes add up with their signs (+2.64 − 16466.18)."""
    terms = [_signed(p) for p in parts]
    gap = sum_gap(_signed(whole), terms)
    if gap is None:
        flagger.held("narrative.change" if whole.kind == "change" else "narrative.parts",
                     [_val(whole), *(_val(p) for p in parts)])
        return
    unit, shown_whole, shown = _shown_in(whole, parts)
    found = sum((t.value for t in shown), Decimal(0))
    gap = shown_whole.value - found
    allow = sum((t.half for t in [shown_whole, *shown]), Decimal(0))
    suffix = "" if unit == "万元" else f" {unit}"
    is_change = whole.kind == "change"
    if len({c.unit for c in (whole, *parts)}) > 1:
        # Claims printed in several units (万元 and 元) are summed in 万元: each is shown so, beside its own words.
        found, gap, allow = _plain(found), _plain(gap), _plain(allow)
        said_whole = _in_wan_words(whole, shown_whole)
        rhs = " + ".join(f"{p.subject} {_in_wan_words(p, t)}" for p, t in zip(parts, shown))
        rhs_en = " + ".join(f"{_en(p.subject)} {fmt(_plain(t.value))}" for p, t in zip(parts, shown))
        suffix = " 万元"
    else:
        said_whole = _words(whole)
        rhs = " + ".join(f"{p.subject} {_words(p)}" for p in parts)
        rhs_en = " + ".join(f"{_en(p.subject)} {fmt(t.value)}{suffix}" for p, t in zip(parts, shown))
    sums = f"{fmt(found)}{suffix}"
    flagger.add(
        "narrative.change" if is_change else "narrative.parts", "warning" if is_change else "error",
        f"说明：{whole.subject} {said_whole} ≠ {rhs} = {sums}（差 {fmt(gap)}{suffix}，舍入容差 {fmt(allow)}{suffix}）",
        f"narrative: {'change in ' if is_change else ''}{_en(whole.subject)} {fmt(shown_whole.value)}{suffix} ≠ "
        f"{rhs_en} = {sums} (difference {fmt(gap)}{suffix}, rounding allows < {fmt(allow)}{suffix})",
        [_val(whole), *(_val(p) for p in parts)], expected=found, found=shown_whole.value,
        section_id=whole.section_id, key=whole.id,
    )


def _plain(value: Decimal) -> Decimal:
    """A value converted between units without the zeros the conversion added (730.0000 → 730), never as 7.3E+2."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def _in_wan_words(claim: Claim, term: Term) -> str:
    """A claim in 万元, its own words beside it when it printed another unit: 730 万元（7300000 元）."""
    value = f"{fmt(claim.value.value if claim.unit == '万元' else _plain(abs(term.value)))} 万元"
    if claim.unit != "万元":
        value += f"（{fmt(claim.value.value)} {claim.unit}）"
    if claim.kind != "change":
        return value
    if claim.direction is None:
        return f"{claim.value.raw}（0）"
    return f"{'增加' if claim.direction == 'increase' else '减少'} {value}"


def _shown_in(whole: Claim, parts: list[Claim]) -> tuple[str, Term, list[Term]]:
    """The unit a parts message is written in, and the claims in it: their own unit when they all
    print the same one (a paragraph in 元 reads in 元), else 万元, which every money unit converts to."""
    units = {c.unit for c in (whole, *parts)}
    if len(units) == 1 and units <= _UNIT_SCALE.keys():
        def signed(claim: Claim) -> Term:
            term = Term.printed(claim.value.value)
            return Term(-term.value, term.half) if claim.direction == "decrease" else term
        return units.pop(), signed(whole), [signed(p) for p in parts]
    return "万元", _signed(whole), [_signed(p) for p in parts]


# ----------------------------------------------------------- shares, rates

def _rate(part: Decimal, whole: Decimal) -> str:
    return fmt((part / whole * 100).quantize(Decimal("0.01"))) if whole else "—"


def _check_share(share: Claim, links: _Links, flagger: Flagger) -> None:
    part = links.base.get(share.id)
    whole = links.parent.get(part.id) if part else None
    if whole is None:
        return
    if share_holds(_term(share), _term(part), _term(whole)):
        flagger.held("narrative.share", [_val(share), _val(part), _val(whole)])
        return
    s, rate = fmt(share.value.value), _rate(_term(part).value, _term(whole).value)
    flagger.add(
        "narrative.share", "error",
        f"说明：{part.subject} {_words(part)} 占 {s}% ≠ {_words(part)} / {whole.subject} {_words(whole)} = {rate}%",
        f"narrative: {_en(part.subject)} {_words(part)} stated as {s}% of {_en(whole.subject)} {_words(whole)}; "
        f"it is {rate}%",
        [_val(share), _val(part), _val(whole)], expected=rate, found=s,
        section_id=share.section_id, key=share.id,
    )


def _previous(change: Claim, current: Claim) -> Term:
    """Last year's figure the change implies: current − increase, current + decrease."""
    c, d = _term(current), _term(change)
    value = c.value - d.value if change.direction == "increase" else c.value + d.value
    return Term(value, c.half + d.half)


def _check_rate(rate: Claim, links: _Links, flagger: Flagger) -> None:
    change = links.base.get(rate.id)
    current = links.base.get(change.id) if change else None
    if current is None:
        return
    previous = _previous(change, current)
    same_way = rate.direction == change.direction or change.value.value == 0
    if same_way and change_rate_holds(_term(rate), _term(change), previous):
        flagger.held("narrative.change", [_val(rate), _val(change), _val(current)])
        return
    r, d, p = fmt(rate.value.value), _term(change).value, previous.value
    verb = "增长" if rate.direction == "increase" else "下降"
    flagger.add(
        "narrative.change", "warning",
        f"说明：{rate.subject} {verb} {r}% ≠ {_words(change)} / 上年 {fmt(p)} = {_rate(d, p)}%",
        f"narrative: {_en(rate.subject)} change stated as {'+' if rate.direction == 'increase' else '-'}{r}%; "
        f"{fmt(_signed(change).value)} on last year's {fmt(p)} is {_rate(d, p)}%",
        [_val(rate), _val(change), _val(current)], expected=_rate(d, p), found=r,
        section_id=rate.section_id, key=rate.id,
    )


def claims_with_outcomes(claims: list[Claim], flags, held: set[str]) -> list[Claim]:
    """Each claim with what the checks made of it: flagged when a flag names it, verified when a comparison held
    for it, else unchecked."""
    named = {ref.path for flag in flags for ref in flag.fields if ref.path.startswith("narrative[")}

    def outcome(claim: Claim) -> str:
        path = f"narrative[{claim.id}]"
        return "flagged" if path in named else "verified" if path in held else "unchecked"

    return [c.model_copy(update={"status": outcome(c)}) for c in claims]


def check_claims(claims: list[Claim], views: list[TableView], flagger: Flagger) -> None:
    """Flag stated figures that disagree with the tables, with their stated parts, or with their own rates."""
    tables = _Tables(views)
    for section_claims in _by_section(claims).values():
        links = _link(section_claims)
        for claim in section_claims:
            _check_table(claim, links, tables, flagger)
            if claim.kind == "share":
                _check_share(claim, links, flagger)
            elif claim.kind == "percent":
                _check_rate(claim, links, flagger)
        for whole, parts in part_groups(section_claims, links):
            _check_parts(whole, parts, flagger)
