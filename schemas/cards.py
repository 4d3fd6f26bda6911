"""Performance-target cards (绩效目标表): one per project, plus the department's own."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, chain
from typing import Literal

from pydantic import BaseModel, Field

from .common import Amount, Span, Text

Comparator = Literal["≥", "≤", "=", "<", ">", "≈"]

# Spellings seen in the documents, folded to one comparator each.
COMPARATORS: dict[str, Comparator] = {
    "≥": "≥", "≧": "≥", ">=": "≥", "＞＝": "≥",
    "≤": "≤", "≦": "≤", "<=": "≤", "＜＝": "≤",
    "=": "=", "＝": "=",
    "<": "<", "＜": "<",
    ">": ">", "＞": ">",
    "≈": "≈", "约": "≈",  # 约500人: about, no bound either way
}


# How a card labels each part of its budget ("预算数 6282.00 其中：财政资金 6282.00 …"): a budget figure is
# printed after its own label, and the nearest budget label before it on its line says which part it is.
BUDGET_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "资金总额", "预算数", "预算总额", "总额"),
    "fiscal": ("财政资金", "财政拨款"),
    "carryover": ("上年结转",),
    "other": ("其他资金",),
}


# Units of measure a target's figure is counted in, after which nothing but a per-unit ("元/人", "万元/年", "元每人")
# can follow: money, shares, time, length, area, weight, volume. A counter (个, 家, 项, 所…) is left out on purpose:
# a noun may follow it ("≥10个村", "≥50家企业"), and any measure word is a unit of its own ("≥3艘").
MEASURE_UNITS = frozenset({
    "元", "万元", "亿元", "千元", "百万元", "%", "％", "‰", "个百分点", "百分点",
    "人", "人次", "人天", "人日", "人月", "户次",
    "年", "年度", "季度", "月", "月份", "周", "日", "天", "小时", "分钟", "秒", "工作日", "个工作日", "个月",
    "米", "千米", "公里", "平方米", "平方公里", "立方米", "m", "m²", "㎡", "km",
    "吨", "千克", "公斤", "斤", "克", "升", "亩", "公顷", "万亩",
})
_KNOWN_UNIT = re.compile("|".join(map(re.escape, sorted(MEASURE_UNITS, key=len, reverse=True))))  # (longest first)
_MAGNITUDE = "万亿千百十"
_PER = re.compile(r"^(/|每)")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1024)  # (a registry lookup: the same few units card after card, document after document)
def run_on_unit(unit: str | None) -> tuple[str, str] | None:
    """A unit that is a unit of measure with other words run on after it ("元效果显": 元, then 效果显 — a piece of
    another cell joined to the figure's, as a wrapped row's target may be): the unit of measure and the words after
    it. None for a unit as a unit is printed (元, 万元/人, 个工作日, 2024年度), a counter with its noun (个村), a
    measure word no registry knows (艘), or no unit."""
    text = "".join((unit or "").split())
    body = text.lstrip(_MAGNITUDE) or text  # (万人次, 亿元: a magnitude before the unit; 万 alone is one)
    known = _KNOWN_UNIT.match(body)
    if known is None:
        return None
    rest = body[known.end():]
    if not rest or _PER.match(rest) or not _IDEOGRAPH.search(rest) or rest in MEASURE_UNITS:
        return None
    return text[:len(text) - len(rest)], rest


class Indicator(BaseModel):
    level1: str | None = Field(None, description="一级指标 (产出指标/效益指标/满意度指标…)")
    level2: str | None = Field(None, description="二级指标 (数量指标/质量指标/时效指标/成本指标…)")
    name: Text | None = Field(None, description="三级指标: the indicator's own name")
    description: Text | None = Field(None, description="绩效指标描述 / 指标说明")
    target: Text | None = Field(None, description="指标值 exactly as printed (the year's, beside a 实施期指标值)")
    midterm_target: Text | None = Field(None, description="实施期指标值 / 中期指标值: the target for the whole project "
                                                          "period, printed beside the year's; kept as printed")
    comparator: Comparator | None = Field(None, description="符号: ≥ ≤ = < >, or ≈ for 约 (about); words at the "
                                                          "target's ends read so (不低于 ≥, 不超过 ≤, 以上 ≥, 以内 ≤)")
    value: Amount | None = Field(None, description="the number in the target value, when it has one")
    unit: str | None = Field(None, description="单位: 人, %, 万元, 元/人 …")
    qualitative: str | None = Field(None, description="a target with no number: 效果显著, 按时完成 …")
    basis: Text | None = Field(None, description="指标值确定依据")
    scoring: Text | None = Field(None, description="评分标准 / 计分标准 / 评(计)分标准")
    weight: Amount | None = Field(None, description="权重 / 分值: the indicator's weight in the card's score")
    other: dict[str, Text] = Field(default_factory=dict,
                                   description="cells under columns the reader does not know, by header as printed: "
                                               "kept, and flagged (read.card_column), never dropped")
    name_rest: Text | None = Field(None, description="a line under the name, joined to it as its wrapped rest where "
                                                     "the layout cannot tell that from an indicator of its own printed "
                                                     "with no 指标值 (flagged card.indicator_name)")
    span: Span


class SpendingStep(BaseModel):
    period: str = Field(description="3月底, 6月底, 10月底, 12月底; or a period of its own: 1-3月, 第一季度, 上半年")
    percent: Amount
    cumulative: bool = Field(True, description="the share spent by the period's end (3月底 25%, 6月底 50% … 100%); "
                                               "false for a plan by period (1-3月 25%, 4-6月 25% …: shares that add "
                                               "up to 100%)")


# Periods of their own in a spending plan (a plan by period, not by the period's end): 1-3月, 4～6月份, 第一季度,
# 1季度, 上半年. A run of months from January (1-3月, 1-6月 …) is a cumulative plan still.
_MONTHS = re.compile(r"^(\d{1,2})\s*月?\s*[-—–~～至到]\s*(\d{1,2})\s*月份?$")
_QUARTER = re.compile(r"^第?[一二三四1-4]季度?$|^[一二三四]季$|^(上|下)半年$")
PERIOD_OF_ITS_OWN = re.compile(f"{_MONTHS.pattern}|{_QUARTER.pattern}")


def plan_by_period(periods: list[str], percents: Sequence[Decimal] = ()) -> bool:
    """A plan by period (each step that period's share, together 100%), whatever reader read it: month ranges that do
    not all start in January (1-3月 | 4-6月 …; 1-3月 | 1-6月 … is a cumulative plan), or quarters or halves — unless
    their ``percents`` read only as a cumulative plan: rising, never falling, to 100% (第一季度 25% | 第二季度 50% |
    … | 100%) or past it, where shares of the year would add up to more than the year (一季度25%，…，四季度90%)."""
    periods = ["".join(p.split()) for p in periods]
    months = [m for p in periods if (m := _MONTHS.match(p))]
    if any(int(m.group(1)) > 1 for m in months):
        return True
    return any(_QUARTER.match(p) for p in periods) and not _only_cumulative(percents)


def _only_cumulative(percents: Sequence[Decimal]) -> bool:
    total = sum(percents, Decimal(0))
    rising = len(percents) > 1 and all(a <= b for a, b in zip(percents, percents[1:]))
    return rising and total != 100 and (percents[-1] == 100 or total > 100)


class CardBudget(BaseModel):
    total: Amount | None = Field(None, description="预算数 / 年度资金总额")
    fiscal: Amount | None = Field(None, description="财政资金 / 财政拨款")
    carryover: Amount | None = Field(None, description="上年结转")
    other: Amount | None = Field(None, description="其他资金")
    sources: dict[str, Amount] = Field(default_factory=dict,
                                       description="the fiscal money's sources a card lists, by name as printed (一般公共预算, "
                                                   "政府性基金预算, 本级财政, 上级补助 …): in place of one 财政拨款 line, or as "
                                                   "its 其中 breakdown")


class CardTask(BaseModel):
    """A line of a department card's task-budget grid (年度主要任务: 任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金)."""

    name: Text | None = Field(None, description="任务名称")
    content: Text | None = Field(None, description="主要内容 / 任务内容")
    budget: CardBudget = Field(default_factory=CardBudget, description="the task's amounts: 总额, 财政拨款, 上年结转, 其他资金")
    other: dict[str, Text] = Field(default_factory=dict,
                                   description="cells under columns the reader does not know (对应项目…), by header: "
                                               "kept, and flagged (read.card_column)")
    span: Span


class PerformanceCard(BaseModel):
    section_id: str
    kind: Literal["performance_target", "department_performance_target"] = "performance_target"
    title: str
    span: Span
    unit: str = Field("万元", description="the unit of the card's budget and task amounts (万元, 元, 千元, 亿元): what the "
                                          "card's unit line (单位：元) or its budget label (项目资金（元）) says; 万元 "
                                          "when it says none")
    unit_text: Text | None = Field(None, description="the unit statement or budget label the unit was read from, as "
                                                     "printed")
    project_code: Text | None = None
    project_name: Text | None = None
    department: Text | None = None
    implementing_unit: Text | None = None
    project_period: Text | None = Field(None, description="项目期 / 项目期限 / 实施期限 (1年, 2024-2026年)")
    budget: CardBudget = Field(default_factory=CardBudget)
    midterm_budget: CardBudget | None = Field(None, description="实施期资金总额 / 中期资金: the budget of the whole project "
                                                                "period, printed beside the year's (budget)")
    spending_plan: list[SpendingStep] = Field(default_factory=list)
    execution_weight: Amount | None = Field(None, exclude_if=lambda v: v is None,
                                            description="执行率分值: the points the template gives the budget's "
                                                        "execution rate, beside the indicators' weights (100 in all)")
    goals: list[Text] = Field(default_factory=list, description="the year's goals (年度目标 / 绩效目标 …)")
    midterm_goals: list[Text] = Field(default_factory=list, description="实施期目标 / 中期目标: the goals of the whole "
                                                                        "project period, beside the year's")
    indicators: list[Indicator] = Field(default_factory=list)
    tasks: list[CardTask] = Field(default_factory=list, description="the department card's tasks and their budgets")
    tasks_total: CardBudget | None = Field(None, description="the task grid's 金额合计 / 合计 line")
    unparsed: list[Text] = Field(default_factory=list,
                                 description="figures printed in the card that no field took (two amounts run "
                                             "together, a value under a label the reader does not know, …)")
    notes: list[str] = Field(default_factory=list)

    def taken(self) -> list[Span]:
        """The characters the card's fields were read from. A target's figure is taken by the indicator's value
        only: a target kept as words ("≥99%≤2小时", two targets run together) took none of its figures."""
        fields = [a for b in (self.budget, self.midterm_budget) if b is not None
                  for a in (b.total, b.fiscal, b.carryover, b.other, *b.sources.values())]
        fields += [s.percent for s in self.spending_plan]
        fields.append(self.execution_weight)
        fields += [a for b in self.task_budgets() for a in (b.total, b.fiscal, b.carryover, b.other)]
        fields += [self.project_code, self.project_name, self.department, self.implementing_unit, self.project_period,
                   *self.goals, *self.midterm_goals]
        fields += [t for task in self.tasks for t in (task.name, task.content)]
        for ind in self.indicators:
            fields += (ind.value, ind.weight, ind.name, ind.description, ind.basis, ind.scoring, ind.midterm_target)
        return list(chain.from_iterable([g.parts for g in fields if g is not None]))

    def task_budgets(self) -> list[CardBudget]:
        """The task grid's amounts: each task's, then the 金额合计 line's."""
        return [t.budget for t in self.tasks] + ([self.tasks_total] if self.tasks_total is not None else [])

    def untaken_figures(self, lines: Iterable[tuple[int, str]]) -> list[Text]:
        """The figures printed on ``lines`` (each with the offset it starts at; the card's lines less its page
        furniture) that no field took, whatever reader filled the card: a printed number is never dropped silently."""
        taken = sorted(self.taken())
        starts = [s for s, _ in taken]
        reach = list(accumulate([e for _, e in taken], max))  # the furthest end of the spans starting at or before
        c0, c1 = self.span
        out = []
        for offset, line in lines:
            for s, e, raw in _printed_figures(line):
                a, b = offset + s, offset + e
                if c0 <= a and b <= c1:
                    i = bisect_right(starts, a) - 1
                    if i < 0 or reach[i] < b:
                        out.append(Text(text=raw, span=(a, b)))
        return out


# A card prints its figures in cells of their own: "400.00", "≥12个", "100%", "≤0.25万元/m²". A cell that holds
# nothing but figures (one, or several run together: "365.4434.56", "≥99%≤2小时") is a figure cell; a number in
# words ("系统可用率不低于99%", "12月底前完成", "(2025年度)") is part of the words. Cells are apart by tabs, pipes
# and gaps of two spaces or more (single spaces stand inside a cell: "≥ 95 %").
_CELL_SEP = re.compile(r"\t|\||\s{2,}|\u3000")
_CMP = "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True))
_UNIT_CHARS = r"%％‰a-zA-Z²㎡/·个人次户家套份项场条天日年月周辆台批元万千亿分钟小时平方米"
# (Each figure matched once, atomically: a long cell is never tried split in every way.)
# Measure words a target counts in ("≥12笔", "≥3所", "≥5篇"), beside the units above; only those that do not begin
# words (not 部, 门, 公, 处…), so that a wrapped piece of a name ("2024 年部门") is not taken for a figure.
_MEASURE_CHARS = "笔件所篇册期米吨斤克升株棵头只张座间校班宗卷页幅块组队支种课节例床轮栋幢箱盒瓶剂袋届段顷亩站根架"
_FIGURE_CELL = re.compile(rf"(?>(?:{_CMP})?\s?\d[\d.,]*\s?[{_UNIT_CHARS}{_MEASURE_CHARS}]{{0,6}}\s?)++")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CODE = re.compile(r"\d[A-Za-z]+\d")  # a project code (13030025P00008210008G), not figures with a unit
_DIGIT = re.compile(r"\d")
_GLUED = re.compile(r"\d+\.\d+\.\d")


def figures(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[Span, str]]:
    """Each number printed in a figure cell of ``lines`` (each line with the offset it starts at), with its span."""
    for start, line in lines:
        for s, e, raw in _line_figures(line):
            yield (start + s, start + e), raw


# The reader and the verifier both look for the figures of a card's lines (the verifier whatever reader filled
# the card): one look per line's text, at offsets in the line.
@lru_cache(maxsize=4096)
def _line_figures(line: str) -> tuple[tuple[int, int, str], ...]:
    if not _DIGIT.search(line):
        return ()
    out = []
    pos = 0
    # Only the cells with a digit are looked at (most are words); they are found in order, and no cell left out
    # (no digit in it) can hold one of them.
    for cell in filter(_DIGIT.search, _CELL_SEP.split(line)):
        at = line.index(cell, pos)
        pos = at + len(cell)
        body = cell.strip()
        if _FIGURE_CELL.fullmatch(body) and not _CODE.search(body):
            base = at + (len(cell) - len(cell.lstrip()))
            out.extend((base + m.start(), base + m.end(), m.group()) for m in _NUMBER.finditer(body))
    return tuple(out)


def glued(raw: str) -> bool:
    """Two amounts run together ("365.4434.56"): a number with two decimal points is never one amount."""
    return bool(_GLUED.search(raw))


# A figure printed after its key in the same cell, ending its clause: a field's value printed in a paragraph or a
# sentence, not in a cell of its own — after a key and its colon (年度预算（万元）：95.00; 年度资金总额：95.00    其中：
# 财政拨款：95.00), or after the period it is a spending plan's share of (一季度25%，二季度50%; 1-3月25%; 3月底：25%).
# A figure in words (全年支付金额 2.96 万元。, 完成全区45所中小学校, 第 38 页，共 78 页, 目标 1) is part of the words: the
# field that holds them takes it, or a check of the words' own (the narrative's, a target's) looks at it.
_CLAUSE_SEP = re.compile(r"\t|\||\s{2,}|\u3000|[，；;。、]|,(?!\d)")
_PERIOD_LABEL = (r"(?:\d{1,2}\s*月?\s*[-—–~～至到]\s*)?\d{1,2}\s*月份?\s*底?|第?\s*[\d一二三四]\s*季度?|[上下]半年")
_LABELLED_FIGURE = re.compile(rf"(?P<label>[^\d:：]{{0,24}}?[:：](?:[^\d:：]{{0,16}}?[:：])?|[^\d:：]{{0,16}}?[:：]?\s*"
                              rf"(?:{_PERIOD_LABEL}))\s*[:：]?\s*(?P<figure>{_FIGURE_CELL.pattern})")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # (a key names something: not a bracket or a dash alone)
_KEY_OR_PERIOD = re.compile(r"[:：月季]|半年")  # (what a labelled figure's text must hold: most lines hold neither)


@lru_cache(maxsize=4096)
def _printed_figures(line: str) -> tuple[tuple[int, int, str], ...]:
    """Every figure a card's line prints: in cells of figures alone, and after their labels."""
    return _line_figures(line) + _labelled_figures(line)


def _labelled_figures(line: str) -> tuple[tuple[int, int, str], ...]:
    """The numbers of the figures ``line`` prints after their labels (``_LABELLED_FIGURE``), at offsets in the line:
    the figures in words' company that ``_line_figures`` (cells of figures alone) does not look at."""
    if not _DIGIT.search(line) or not _KEY_OR_PERIOD.search(line):
        return ()
    out = []
    pos = 0
    for clause in _CLAUSE_SEP.split(line):
        at = line.index(clause, pos)
        pos = at + len(clause)
        if not (_DIGIT.search(clause) and _KEY_OR_PERIOD.search(clause)):
            continue
        body = clause.strip()
        m = _LABELLED_FIGURE.fullmatch(body)
        if m is None or not _WORD.search(m.group("label")) or _CODE.search(m.group("figure")):
            continue
        base = at + (len(clause) - len(clause.lstrip())) + m.start("figure")
        out.extend((base + n.start(), base + n.end(), n.group()) for n in _NUMBER.finditer(m.group("figure")))
    return tuple(out)
