"""Table kinds and their columns: the one place that says what each standard table holds.

Adding a table kind means one ``TableSpec`` entry in ``TABLE_SPECS`` (and, for the
LLM path, one prompt file). Everything else — title recognition, header
alignment, the JSON Schema, the docs in ``docs/columns.md`` — reads from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from .common import Amount, Span, Text
from .hints import HintUse

# percent: a rate printed in % (增减率 -6.25%), kept as the number before the sign, its unit %.
ColumnType = Literal["amount", "count", "text", "percent"]
RowKey = Literal["functional", "economic", "item", "two_sided"]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    zh: str
    # Regexes searched in the column's header path ("本年收入/小计"), whitespace removed.
    patterns: tuple[str, ...]
    type: ColumnType = "amount"
    # For two-sided tables: which side of the table the column belongs to.
    side: Literal["income", "expenditure"] | None = None
    # Whether the column's rows add up to its total line (a unit price or a project's budget does not).
    additive: bool = True
    # The column whose row sum it is a part of, where the relations in ``verify.tables.ROW_RELATIONS`` do not
    # name it: one entry here is all a new source or expenditure column printed flat beside the others needs.
    # (A column the registry does not know, printed flat, is a part of the table's total the same way.)
    sums_into: str | None = None
    # Printed as a 其中 column beside the ones it is part of (其中：面向中小企业预留): read as this column. Other 其中
    # columns keep their header as their key (其中：事业收入 is no second 事业收入 column to add into a sum).
    memo: bool = False

    def matches(self, label: str) -> bool:
        return any(r.search(label) for r in self.regexes)

    @property
    def regexes(self) -> tuple[re.Pattern, ...]:
        """The patterns compiled once: the header reader searches every column's patterns in each header path (a
        pattern given as text costs a lookup in re's own cache on every search)."""
        compiled = self.__dict__.get("_regexes")
        if compiled is None:
            compiled = tuple(re.compile(p) for p in self.patterns)
            object.__setattr__(self, "_regexes", compiled)
        return compiled


@dataclass(frozen=True)
class ItemSpec:
    """A fixed line of an item-keyed table (三公 lines, asset categories)."""

    key: str
    zh: str
    patterns: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # one object per kind: compared and hashed by identity, which is cheap
class TableSpec:
    kind: str
    zh: str
    # Regexes searched in a title with whitespace removed; checked in registry order.
    title_patterns: tuple[str, ...]
    row_key: RowKey
    columns: tuple[ColumnSpec, ...]
    items: tuple[ItemSpec, ...] = ()
    title_excludes: tuple[str, ...] = ()
    description: str = ""
    card: bool = False
    # Whether the LLM reader has a form and a prompt for it (not for a table of no known kind: the rules read it).
    llm: bool = True
    # The name a final accounts (决算) gives the kind, where it differs from the budget's (支出决算表 for 支出总表).
    final_zh: str = ""
    # Whether a final accounts' set of tables has it: a 决算 prints no project, procurement, purchased-services or
    # asset table (the national template; its 说明 states those figures in words).
    in_final_accounts: bool = True

    def __post_init__(self) -> None:
        # Asked for a column by key for every value the reader and the verifier handle.
        object.__setattr__(self, "_by_key", {c.key: c for c in self.columns})
        object.__setattr__(self, "_column_keys", tuple(c.key for c in self.columns))

    def name(self, stage: str | None = None) -> str:
        """The kind's name as a document of ``stage`` (``DocumentInfo.stage``) titles it."""
        return self.final_zh if stage == "final_accounts" and self.final_zh else self.zh

    def column(self, key: str) -> ColumnSpec:
        """The registry's column, or for a column the registry has no key for, one made from its header path."""
        col = self._by_key.get(key)
        return col if col is not None else extra_column(key)

    def has_column(self, key: str) -> bool:
        return key in self._by_key

    @property
    def column_keys(self) -> tuple[str, ...]:
        return self._column_keys

    def match_title(self, title: str) -> bool:
        return self.match_squashed_title("".join(title.split()))

    def match_squashed_title(self, t: str) -> bool:
        """``match_title`` for a title whose whitespace is removed already."""
        include, exclude = self._title_regexes
        return bool(include.search(t)) and not (exclude and exclude.search(t))

    @property
    def _title_regexes(self) -> tuple[re.Pattern, re.Pattern | None]:
        compiled = self.__dict__.get("_compiled_titles")
        if compiled is None:
            compiled = (re.compile("|".join(f"(?:{p})" for p in self.title_patterns)),
                        re.compile("|".join(f"(?:{p})" for p in self.title_excludes)) if self.title_excludes else None)
            object.__setattr__(self, "_compiled_titles", compiled)
        return compiled

    def match_item(self, label: str) -> str | None:
        lab = re.sub(r"\s+", "", label)
        for item in self.items:
            if any(re.search(p, lab) for p in item.patterns):
                return item.key
        return None


_COUNT_WORDS = re.compile(r"数量|面积|人数|台|辆|个数|平方米")


@lru_cache(maxsize=4096)
def extra_column(key: str) -> ColumnSpec:
    """A column another template prints and the registry does not know, keyed by its header path.

    It is still read, exported and checked: its siblings under one header sum to
    their parent column (see ``verify.tables.check_header_tree``).
    """
    side = "income" if key.startswith("收入") else "expenditure" if key.startswith("支出") else None
    return ColumnSpec(key=key, zh=key, patterns=(), type="count" if _COUNT_WORDS.search(key) else "amount",
                      side=side, additive=not re.search(r"单价|其中", key))


def is_extra_column(key: str) -> bool:
    """Registry keys are ASCII identifiers; any other key is a header path."""
    return not key.isascii()


def _c(key: str, zh: str, *patterns: str, type: ColumnType = "amount", side=None, additive: bool | None = None,
       sums_into: str | None = None, memo: bool = False) -> ColumnSpec:
    return ColumnSpec(key=key, zh=zh, patterns=patterns or (re.escape(zh),), type=type, side=side,
                      additive=type == "amount" if additive is None else additive, sums_into=sums_into, memo=memo)


# Year-on-year columns (上年预算数 | 本年预算数 | 增减额 | 增减率), printed by 三公 and expenditure tables of many
# provinces. A header that names years ("2024年预算数 | 2025年预算数") is read relative to the latest year it
# names (``relative_years``): the latest is 本年, the earlier 上年.
_YEAR = r"(?:19|20)\d\d年度?"
# A lone amount column of this year: 预算数, 金额, 本年预算数, 2025年预算数 — the table's total; a final accounts'
# (决算) table prints the same column as 决算数, 本年决算数, 2025年决算数.
_THIS_YEAR = (r"^(本年|本年度)?(预算|决算)(数|金额)?$", r"^(本年|本年度)?金额$", r"^本年度?(数|合计)?$",
              rf"^{_YEAR}(预算|决算)?(数|金额)?$")
_PREVIOUS_YEAR = _c("previous_year", "上年预算数", r"^上年度?(预算)?(数|金额)?$", r"^上年(预算|决算)(数)?$")
_CHANGE = _c("change", "增减额", r"^(比上年)?增减(额|数|金额)?$", r"^(比上年)?增(加|长)(额|数)$")
_CHANGE_RATE = _c("change_rate", "增减率(%)", r"^(比上年)?增减(率|幅度?|比例|%)", r"^(比上年)?增长(率|幅度?|%)",
                  r"^增幅", type="percent", additive=False)
_YEAR_ON_YEAR = (_PREVIOUS_YEAR, _CHANGE, _CHANGE_RATE)


def _sided_year_on_year(side: str, zh: str) -> tuple[ColumnSpec, ...]:
    """The year-on-year columns of one side of a two-sided summary (收入/上年预算数 …)."""
    return tuple(ColumnSpec(f"{side}_{c.key}", f"{zh} {c.zh}", tuple(f"{zh}.*/" + p.lstrip("^") for p in c.patterns),
                            type=c.type, side=side, additive=c.additive) for c in _YEAR_ON_YEAR)


# The columns that hold this year's amount, last year's, the change and the rate, per table kind's layout.
YEAR_ON_YEAR_KEYS = (("total", "previous_year", "change", "change_rate"),
                     ("income_amount", "income_previous_year", "income_change", "income_change_rate"),
                     ("expenditure_amount", "expenditure_previous_year", "expenditure_change",
                      "expenditure_change_rate"))
_YEAR_IN_HEADER = re.compile(_YEAR)
_THIS_YEAR_UNDATED = re.compile("|".join(f"(?:{p})" for p in _THIS_YEAR if _YEAR not in p))


def relative_years(paths: list[str]) -> list[str]:
    """Header paths with the years they name read as 本年 / 上年: the latest year a header names is this year's,
    any earlier one last year's ("2024年预算数 | 2025年预算数" → "上年预算数 | 本年预算数"). A single year is this
    year's whatever the document's year, unless an undated column is this year's (预算数, 本年预算数)."""
    years = years_named(paths)
    if not years:
        return paths
    latest = this_year_named(paths, years)
    return [_YEAR_IN_HEADER.sub(lambda m: "本年" if int(m.group(0)[:4]) == latest else "上年", p) for p in paths]


def years_named(paths) -> list[int]:
    """The years header paths name (2024年预算数, 2025年度), in order."""
    return sorted({int(m.group(0)[:4]) for p in paths for m in _YEAR_IN_HEADER.finditer(p)})


def this_year_named(paths, years: list[int] | None = None) -> int | None:
    """The year a header reads as 本年: the latest it names; None when it names one year and an undated column is
    this year's ("2024年预算数 | 预算数 | 增减": the dated one is last year's), or names none."""
    years = years_named(paths) if years is None else years
    if not years:
        return None
    if len(years) == 1 and any(_THIS_YEAR_UNDATED.search(p.rsplit("/", 1)[-1]) for p in paths
                               if not _YEAR_IN_HEADER.search(p)):
        return None
    return years[-1]


# Columns shared by the functional-classification expenditure tables. Patterns are searched in the
# header path ("基本支出/人员经费/工资福利支出"); the longest match wins, so a sub-column's own name
# beats its parent's.
_TOTAL = _c("total", "合计", r"合计$", r"^合计", r"总计$", *_THIS_YEAR)
_BASIC = _c("basic", "基本支出", r"基本支出(/(小计|合计))?$")
_PERSONNEL = _c("personnel", "人员经费", r"人员(经费|支出)(/(小计|合计))?$")
_PERSONNEL_WAGES = _c("personnel_wages", "工资福利支出", r"工资福利(支出)?$")
_PERSONNEL_FAMILY = _c("personnel_family", "对个人和家庭的补助", r"对个人和家庭(的)?补助(支出)?$")
_PUBLIC = _c("public", "公用经费", r"公用(经费|支出)(/(小计|合计))?$")
_PUBLIC_GOODS = _c("public_goods", "商品和服务支出", r"商品和服务(支出)?$")
_PUBLIC_CAPITAL = _c("public_capital", "资本性支出", r"资本性支出$")
_PROJECT = _c("project", "项目支出", r"项目支出(/(小计|合计))?$")
_PROJECT_ROUTINE = _c("project_routine", "其他运转类项目", r"(其他)?运转类(项目)?(支出)?$")
_PROJECT_SPECIFIC = _c("project_specific", "特定目标类项目", r"特定目标类(项目)?(支出)?$")
_EXPENDITURE_PARTS = (_BASIC, _PERSONNEL, _PERSONNEL_WAGES, _PERSONNEL_FAMILY, _PUBLIC, _PUBLIC_GOODS,
                      _PUBLIC_CAPITAL, _PROJECT, _PROJECT_ROUTINE, _PROJECT_SPECIFIC, *_YEAR_ON_YEAR)

_FUNDS = (
    _c("general_budget", "一般公共预算财政拨款", r"一般公共预算"),
    _c("government_fund", "政府性基金预算财政拨款", r"政府性基金"),
    _c("state_capital", "国有资本经营预算财政拨款", r"国有资本经营"),
)


def _source(fund: str, before: str = "") -> tuple[str, ...]:
    """A source-of-funds header as provinces print it: 一般公共预算, 一般公共预算拨款, 一般公共预算财政拨款(收入|资金),
    政府性基金预算拨款收入, 国有资本经营预算 … (``before`` anchors it, e.g. at the start of a flat header)."""
    return (before + fund + r"(预算)?(财政)?(拨款)?(收入|资金)?$",)

# The 三公 vehicle lines, one wording for both layouts (a line per item, or a column per item): 公务用车运行费,
# 公务用车运行维护费 and 公务用车运维费 are one item; 公务用车购置及运行(维护)费 / 购置和运维费 their parent.
_VEHICLE = r"公务用车购置(及|和|与|、)运"
_VEHICLE_PURCHASE = (r"用车购置费?$", r"^(其中[：:])?(车辆)?购置费$", _VEHICLE + r".*/(车辆)?购置费?$")
_VEHICLE_OPERATION = (r"车运行(维护)?费$", r"车运维费$", r"车运行维护$", r"^(其中[：:])?(车辆)?运(行|维)(维护)?费$",
                      _VEHICLE + r".*/(车辆)?运(行|维)(维护)?费?$")

# What may stand before a table's own name in its title when the name alone is too short to tell it (支出预算表,
# 资产情况表): nothing, a year, 部门/单位, the end of a department's name (东岭区民政局2024年支出预算表), or the
# table's number printed on the title's line (表3 支出决算表, 附表3-1：支出预算表).
_TITLE_HEAD = r"(?:^|(?:19|20)\d\d年度?|部门|单位|本级|[局委办院厅所站队]|中心|表[一二三四五六七八九十\d]+(?:[-—–.．]\d+)*[、.．:：]?)"
# 总表 is also printed 总体情况表 (部门收支总体情况表, the template of several provinces).
_OVERALL = r"总(?:体情况)?表"

TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        kind="fiscal_appropriation_summary",
        zh="财政拨款收支总表",
        title_patterns=(r"财政拨款收(入)?支(出)?",),
        row_key="two_sided",
        columns=(
            _c("income_amount", "收入 金额/预算数", r"收入.*(金额|[预决]算数)$", r"^(金额|[预决]算数)$", side="income"),
            _c("total", "支出 合计", r"支出.*(合计|[预决]算数)$", side="expenditure"),
            *(ColumnSpec(c.key, c.zh, c.patterns, side="expenditure") for c in _FUNDS),
        ),
        final_zh="财政拨款收入支出决算总表",
        description="Appropriations by fund type (income side) against expenditure by function class, per fund column.",
    ),
    TableSpec(
        kind="income_expenditure_summary",
        zh="收支总表",
        title_patterns=(rf"收(入)?支(出)?(预算|决算)?{_OVERALL}", r"收(入)?支(出)?(预算|决算)表"),
        row_key="two_sided",
        columns=(
            # 决算数 in a final accounts' (决算) summary: the same column.
            _c("income_amount", "收入 预算数", r"收入(?!.*(上年|增减|增长)).*([预决]算数|金额)$", side="income"),
            _c("expenditure_amount", "支出 预算数", r"支出(?!.*(上年|增减|增长)).*([预决]算数|金额)$",
               side="expenditure"),
            *_sided_year_on_year("income", "收入"), *_sided_year_on_year("expenditure", "支出"),
        ),
        final_zh="收入支出决算总表",
        description="Income sources against expenditure by function class (类).",
    ),
    TableSpec(
        kind="income_summary",
        zh="收入总表",
        title_patterns=(rf"收入(预算|决算)?{_OVERALL}", r"收入(预算|决算)表"),
        row_key="functional",
        columns=(
            _c("total", "合计", r"^合计$", r"总计$", r"^收入(合计|总计)$"),
            _c("income_subtotal", "本年收入 小计", r"本年收入(/(小计|合计))?$"),
            _c("fiscal_appropriation", "财政拨款收入", r"财政拨款"),
            # Flat (一般公共预算拨款 | 政府性基金预算拨款 …) or under 财政拨款 / 本年收入: one source each.
            *(ColumnSpec(c.key, c.zh, _source(c.patterns[0])) for c in _FUNDS),
            _c("special_account", "财政专户收入", r"财政专户"),
            _c("business_income", "事业收入", r"(^|/)事业收入(\(.*\))?$"),
            _c("operating_income", "经营收入", r"经营收入"),
            _c("superior_subsidy", "上级补助收入", r"上级补助"),
            _c("subordinate_remittance", "附属单位上缴收入", r"附属单位"),
            _c("other_income", "其他收入", r"其他收入"),
            _c("unit_funds", "单位资金", r"单位资金$"),
            _c("carryover", "上年结转", r"上年结转", r"结转结余$"),
            # 上年结转 split by source (上年结转 / 一般公共预算 | 单位资金): each part of the 合计, never the whole carry-over.
            *(_c(f"carryover_{c.key}", f"上年结转 {c.zh.removesuffix('财政拨款')}", rf"结转.*/{c.patterns[0]}", sums_into="total")
              for c in _FUNDS),
            _c("carryover_unit_funds", "上年结转 单位资金", r"结转.*/单位资金", sums_into="total"),
        ),
        final_zh="收入决算表",
        description="Per functional code: total, this year's income by source, carry-over.",
    ),
    TableSpec(
        kind="general_budget_basic_expenditure",
        zh="一般公共预算财政拨款基本支出表",
        title_patterns=(r"一般公共预算.*基本支出", rf"{_TITLE_HEAD}基本支出(预算|决算)?(明细)?(情况)?表$"),
        row_key="economic",
        columns=(_TOTAL, _PERSONNEL, _PUBLIC, *_YEAR_ON_YEAR),
        final_zh="一般公共预算财政拨款基本支出决算表",
        description="Per economic code (301, 30101…): total, personnel (人员经费), public (公用经费).",
    ),
    TableSpec(
        kind="general_budget_expenditure",
        zh="一般公共预算财政拨款支出表",
        title_patterns=(r"一般公共预算.*支出(预算|决算)?(明细)?(情况)?表",),
        title_excludes=(r"三公",),
        row_key="functional",
        columns=(_TOTAL, *_EXPENDITURE_PARTS),
        final_zh="一般公共预算财政拨款支出决算表",
        description="Per functional code: total, basic (optionally split into personnel/public), project.",
    ),
    TableSpec(
        kind="government_fund_expenditure",
        zh="政府性基金预算财政拨款支出表",
        title_patterns=(r"政府性基金.*支出(预算|决算)?(明细)?(情况)?表",),
        row_key="functional",
        columns=(_TOTAL, *_EXPENDITURE_PARTS),
        final_zh="政府性基金预算财政拨款收入支出决算表",
        description="As the general-budget table, for government funds; often empty with a note.",
    ),
    TableSpec(
        kind="state_capital_expenditure",
        zh="国有资本经营预算财政拨款支出表",
        title_patterns=(r"国有资本经营.*支出(预算|决算)?(明细)?(情况)?表",),
        row_key="functional",
        columns=(_TOTAL, *_EXPENDITURE_PARTS),
        final_zh="国有资本经营预算财政拨款支出决算表",
        description="As the general-budget table, for state capital; often empty with a note.",
    ),
    TableSpec(
        kind="three_public_costs",
        zh="“三公”经费支出表",
        title_patterns=(r"三公.*经费.*表",),
        row_key="item",
        # Printed either as lines (an item per row, a column per fund) or as one row with an item per column
        # (合计 | 因公出国(境)费 | 公务用车购置及运行费: 小计 / 购置费 / 运行费 | 公务接待费).
        columns=(_TOTAL, *_FUNDS,
                 _c("outbound", "因公出国(境)费", r"因公出国"),
                 _c("vehicle", "公务用车购置及运行维护费", _VEHICLE + r"(行|维)?(维护)?费?(/(小计|合计))?$"),
                 _c("vehicle_purchase", "公务用车购置费", *_VEHICLE_PURCHASE),
                 _c("vehicle_operation", "公务用车运行维护费", *_VEHICLE_OPERATION),
                 _c("reception", "公务接待费", r"公务接待"), *_YEAR_ON_YEAR),
        items=(
            ItemSpec("total", "合计", (r"^合计$",)),
            ItemSpec("subtotal", "“三公”经费小计", (r"三公.*小计",)),
            ItemSpec("outbound_teaching", "其中：教学科研人员因公出国(境)费", (r"教学.*科研",)),
            ItemSpec("outbound_other", "其他因公出国(境)费", (r"^其他因公出国",)),
            ItemSpec("outbound", "因公出国(境)费", (r"因公出国",)),
            ItemSpec("vehicle_purchase", "公务用车购置费", _VEHICLE_PURCHASE),
            ItemSpec("vehicle_operation", "公务用车运行维护费", _VEHICLE_OPERATION),
            ItemSpec("vehicle", "公务用车购置及运维费", (_VEHICLE,)),
            ItemSpec("reception", "公务接待费", (r"公务接待",)),
        ),
        final_zh="“三公”经费支出决算表",
        description="因公出国(境)费, 公务用车购置及运维费 (购置 + 运行维护), 公务接待费 by fund.",
    ),
    TableSpec(
        kind="project_expenditure",
        zh="项目支出表",
        title_patterns=(r"项目支出(预算|决算)?(明细|汇总)?(情况)?表",),
        title_excludes=(r"绩效",),
        row_key="item",
        columns=(
            _c("project_type", "类型", r"类型", r"类别$", r"^项目(分类|性质)$", type="text"),
            _c("project_unit", "项目单位", r"项目单位", type="text"),
            # The project's own code (20250001, 44010022000000001): not a classification code.
            _c("project_code", "项目编码", r"项目(编码|代码|编号)$", type="text"),
            _c("total", "总计", r"^总计$", r"^合计$"),
            _c("current_appropriation", "本年拨款", r"^本年(财政)?拨款(/(合计|小计))?$"),
            # Under 本年财政拨款, or printed flat beside 上年结转 (合计 | 一般公共预算拨款 | 政府性基金预算拨款 | 上年结转):
            # this year's appropriation from that fund either way.
            _c("current_general_budget", "本年财政拨款 一般公共预算", r"本年(财政)?拨款/一般公共预算",
               *_source("一般公共预算", "^(本年)?")),
            _c("current_government_fund", "本年财政拨款 政府性基金预算", r"本年(财政)?拨款/政府性基金",
               *_source("政府性基金", "^(本年)?")),
            _c("current_state_capital", "本年财政拨款 国有资本经营预算", r"本年(财政)?拨款/国有资本",
               *_source("国有资本经营", "^(本年)?")),
            _c("carryover_general_budget", "财政拨款结转结余 一般公共预算", r"结转.*/一般公共预算"),
            _c("carryover_government_fund", "财政拨款结转结余 政府性基金预算", r"结转.*/政府性基金"),
            _c("carryover_state_capital", "财政拨款结转结余 国有资本经营预算", r"结转.*/国有资本"),
            _c("carryover", "上年结转", r"^(财政拨款)?(上年)?结转(结余)?(/(合计|小计))?$"),
            _c("special_account", "财政专户管理资金", r"财政专户"),
            _c("unit_funds", "单位资金", r"单位资金"),
        ),
        final_zh="项目支出决算表",
        in_final_accounts=False,
        description="One row per project (row label = project name) with its amount by source.",
    ),
    TableSpec(
        kind="government_procurement",
        zh="政府采购预算表",
        title_patterns=(r"政府采购(预算|支出|决算)", r"政府采购.*表$"),
        row_key="item",
        columns=(
            _c("project_budget", "项目预算资金", r"^(政府采购项目来源/)?预算资金$", additive=False),
            _c("item_name", "采购物品名称/品目", r"采购物品名称", r"采购品目", type="text"),
            _c("catalog_code", "政府采购目录序号", r"目录序号", type="text"),
            _c("unit_of_measure", "计量单位", r"计量单位", type="text"),
            _c("quantity", "数量", r"^数量$", type="count"),
            _c("unit_price", "单价", r"^单价$", additive=False),
            # 采购预算金额 / 采购金额 / 预算金额 alone over the amount column: the purchase's total.
            _c("total", "合计", r"合计$", r"^(政府)?(采购)?(预算)?金额$"),
            _c("general_budget", "一般公共预算拨款", r"一般公共预算"),
            _c("government_fund", "政府性基金预算拨款", r"基金预算"),
            _c("state_capital", "国有资本经营预算拨款", r"国有资本"),
            _c("special_account", "财政专户核拨", r"财政专户"),
            _c("unit_funds", "单位资金", r"单位资金"),
            _c("fiscal_carryover", "财政拨款结转", r"财政拨款结转"),
            _c("non_fiscal_balance", "非财政拨款结余", r"非财政拨款结余"),
            _c("sme_reserved", "预留中小微企业份额", r"中小微?企业", memo=True),  # (其中：面向中小企业预留)
        ),
        final_zh="政府采购情况表",
        in_final_accounts=False,
        description="Purchases (row label = project name): amounts by source, quantity, unit price.",
    ),
    TableSpec(
        kind="purchased_services",
        zh="政府购买服务支出表",
        title_patterns=(r"政府购买服务",),
        row_key="item",
        columns=(
            _c("catalog_level1", "一级目录名称", r"一级目录", type="text"),
            _c("catalog_level2", "二级目录名称", r"二级目录", type="text"),
            _c("catalog_level3", "三级目录名称", r"三级目录", type="text"),
            _c("content", "政府购买服务内容", r"服务内容", type="text"),
            _c("quantity", "购买数量", r"购买数量", type="count"),
            _c("amount", "购买金额", r"购买金额", r"^(合计|金额|预算金额)$"),
            # Some templates print the amount by source beside it.
            _c("general_budget", "一般公共预算拨款", *_source("一般公共预算", "^"), sums_into="amount"),
            _c("government_fund", "政府性基金预算拨款", *_source("政府性基金", "^"), sums_into="amount"),
            _c("state_capital", "国有资本经营预算拨款", *_source("国有资本经营", "^"), sums_into="amount"),
            _c("unit_funds", "单位资金", r"单位资金$", sums_into="amount"),
        ),
        in_final_accounts=False,
        description="Services bought by the department (row label = project name).",
    ),
    TableSpec(
        kind="fixed_assets",
        zh="固定资产占用情况表",
        # 国有资产占用情况表, 资产占用情况表, 国有资产占有使用情况表, 资产情况表 (not 新增资产配置预算表: a purchase plan).
        title_patterns=(r"固定资产占用", r"资产(占用|占有使用|占有|使用)(情况)?(统计)?表",
                        rf"{_TITLE_HEAD}(国有|固定)?资产(情况)?表$"),
        row_key="item",
        columns=(
            _c("quantity", "数量", r"数量", type="count"),
            _c("value", "价值（万元）", r"(?<!单位)价值|^(金额|账面金额)$"),  # (单位价值50万元以上通用设备: an item)
            # Other templates print the book value twice: at cost and after depreciation.
            _c("original_value", "原值", r"原值"),
            _c("net_value", "净值", r"净值"),
        ),
        items=(
            ItemSpec("total_assets", "资产总额", (r"资产总额",)),
            ItemSpec("office_buildings", "其中：办公用房（平方米）", (r"办公用房",)),
            ItemSpec("buildings", "房屋（平方米）", (r"房屋",)),
            ItemSpec("vehicles", "车辆（台、辆）", (r"车辆",)),
            ItemSpec("equipment", "单价在20万元以上的设备", (r"设备",)),
            ItemSpec("other_assets", "其他固定资产", (r"其他(固定)?资产",)),
        ),
        final_zh="国有资产占用情况表",
        in_final_accounts=False,
        description="Counts and values of fixed assets at the end of the previous year.",
    ),
    # Listed after the more specific kinds: "支出总表" also ends other titles' words.
    TableSpec(
        kind="expenditure_summary",
        zh="支出总表",
        title_patterns=(rf"支出(预算|决算)?{_OVERALL}", rf"{_TITLE_HEAD}支出(预算|决算)表$"),
        row_key="functional",
        columns=(
            _TOTAL,
            *_EXPENDITURE_PARTS,
            _c("operating", "经营支出", r"经营支出"),
            _c("remit_superior", "上缴上级支出", r"上[缴解]上级"),
            _c("subsidy_subordinate", "对附属单位补助支出", r"附属单位补助"),
        ),
        final_zh="支出决算表",
        description="Per functional code: total = basic + project + operating + remittance + subsidy.",
    ),
    TableSpec(
        kind="department_performance_target",
        zh="部门整体绩效目标表",
        title_patterns=(r"部门整体.*绩效(目标|指标)",),
        row_key="item",
        columns=(),
        card=True,
        description="The department's overall performance targets and indicators.",
    ),
    TableSpec(
        kind="performance_target",
        zh="项目支出绩效目标表",
        # The year printed on the title's line, as templates and converters that join a title to its year line do:
        # 项目支出绩效目标表（2024年度）, … 2024年度, …(2024年).
        title_patterns=(r"绩效目标(申报|批复)?表\s*(?:[（(]?\s*(?:19|20)\d\d\s*年度?\s*[)）]?)?\s*$",),
        row_key="item",
        columns=(),
        card=True,
        description="One card per project: budget, spending plan, goals, indicators.",
    ),
)

# A table whose title is none of the kinds above (机关运行经费预算表, 部门预算项目绩效表…), told by its title's shape
# and the header under it (``extractor.chunk``): read under its header paths, so its figures are kept, exported and
# checked (siblings under one header sum to their parent; its codes and its 合计 column as every budget table's:
# ``verify.tables.check_unknown_kind``) — never taken for rows of the table before it. No title
# pattern names it, and it is no standard table a document should have (``STANDARD_TABLE_KINDS``).
OTHER_TABLE = TableSpec(
    kind="other_table",
    zh="其他表",
    title_patterns=(r"(?!)",),
    row_key="item",
    columns=(),
    description="A table whose title names no kind above: its columns are its header paths as printed.",
    llm=False,
)
TABLE_SPECS = (*TABLE_SPECS, OTHER_TABLE)

TABLE_KINDS: tuple[str, ...] = tuple(s.kind for s in TABLE_SPECS)
STANDARD_TABLE_KINDS: tuple[str, ...] = tuple(s.kind for s in TABLE_SPECS if not s.card and s is not OTHER_TABLE)
# The standard tables a final accounts (决算) is expected to have (``TableSpec.in_final_accounts``).
FINAL_ACCOUNTS_KINDS: tuple[str, ...] = tuple(s.kind for s in TABLE_SPECS
                                              if s.kind in STANDARD_TABLE_KINDS and s.in_final_accounts)


def standard_kinds(stage: str | None) -> tuple[str, ...]:
    """The standard tables a document of ``stage`` (``DocumentInfo.stage``) is expected to have; a budget's, or a
    document that does not say which it is, every one."""
    return FINAL_ACCOUNTS_KINDS if stage == "final_accounts" else STANDARD_TABLE_KINDS


@lru_cache(maxsize=None)
def spec_for(kind: str) -> TableSpec:
    for spec in TABLE_SPECS:
        if spec.kind == kind:
            return spec
    raise KeyError(f"unknown table kind {kind!r}")


# Every kind's title patterns in one: most lines asked about name no kind, and one search says so.
_ANY_TITLE = re.compile("|".join(f"(?:{p})" for spec in TABLE_SPECS for p in spec.title_patterns))


@lru_cache(maxsize=8192)
def kind_for_title(title: str) -> str | None:
    squashed = "".join(title.split())
    if not _ANY_TITLE.search(squashed):
        return None
    for spec in TABLE_SPECS:
        if spec.match_squashed_title(squashed):
            return spec.kind
    return None


class Reading(BaseModel):
    """One way to place a row's printed numbers in the table's columns."""

    values: dict[str, Amount] = Field(default_factory=dict)
    how: str = Field("", description="how the reader placed them: header positions, left-packed, …")


class Row(BaseModel):
    """One line of a table.

    ``code`` is the classification code normalised to its digits (functional
    3/5/7 digits, economic 3/5); ``item`` is the fixed line key of item-keyed
    tables (see ``ItemSpec``) or ``department`` for a department's own line;
    ``side`` says which half of a two-sided table. A ``memo`` line (其中…)
    restates part of the line above and is never added into a sum.
    """

    label: Text | None = None
    code: str | None = None
    code_raw: Text | None = None
    item: str | None = None
    side: Literal["income", "expenditure"] | None = None
    memo: bool = False
    indent: int | None = Field(None, exclude_if=lambda v: v is None,
                               description="the blanks printed before the label inside its cell (a full-width "
                                           "space counts 2): a table of names without codes shows its levels so")
    span: Span
    values: dict[str, Amount] = Field(default_factory=dict)
    texts: dict[str, Text] = Field(default_factory=dict)
    unparsed: dict[str, Text] = Field(default_factory=dict, description="cells under amount columns that are not numbers")
    alternatives: list[Reading] = Field(default_factory=list,
                                        description="other placements of the row's numbers that verify equally well")
    notes: list[str] = Field(default_factory=list)
    # The placements a reader proposes when the columns of the row's numbers are not certain;
    # the verifier's relations choose among them (``verify.choose``). Never serialised.
    # A plain default: a default factory costs pydantic a signature inspection on every row built.
    _options: list[Reading] | None = PrivateAttr(default=None)

    @property
    def options(self) -> list[Reading]:
        # Read from pydantic's documented store of private values: ``self._options`` goes through
        # BaseModel.__getattr__, and the verifier asks every row for its options several times.
        return self.__pydantic_private__["_options"] or []

    def name(self, *, label: Text | None, code: str | None, code_raw: Text | None, item: str | None, memo: bool,
             indent: int | None) -> None:
        """Set what a reader settles once the row's cells are placed: its label, code, line key, memo and indent.
        In one step: ``row.label = …`` goes through BaseModel.__setattr__ field by field, and a reader names a row
        per printed line. (No assignment to a Row is validated: it has no ``validate_assignment``.)"""
        self.__dict__.update(label=label, code=code, code_raw=code_raw, item=item, memo=memo, indent=indent)

    def propose(self, options: list[Reading]) -> None:
        # Into the same store ``options`` reads (``self._options = …`` would go through BaseModel.__setattr__).
        self.__pydantic_private__["_options"] = options


def _no_options_yet(row: Row, context, /) -> None:
    object.__setattr__(row, "__pydantic_private__", {"_options": None})


# Every row built starts with no placements proposed. Pydantic's own start of private values resolves each one's
# default generically (a deep copy of None), which was more than half the cost of building a row; a reader
# builds one per printed line. (Set after the class is made: a ``model_post_init`` in the class body would be
# wrapped in that generic start.)
Row.model_post_init = _no_options_yet


class Table(BaseModel):
    section_id: str
    kind: str
    title: str
    span: Span
    unit: str | None = Field("万元", description="the unit of its amounts (万元, 元, 千元, 亿元); None when the table "
                                                "states one the reader does not understand (see unit_text)")
    unit_text: Text | None = Field(None, description="the unit statement as printed (单位：人民币元), where the table "
                                                     "prints one")
    unit_header: Text | None = Field(None, description="a unit the header cells print (预算数（元）) that disagrees with "
                                                       "the statement (单位：万元): unit is then the one the relations "
                                                       "between tables bear out, or None when they cannot tell")
    unit_from: Literal["stated", "document", "assumed"] | None = Field(
        None, description="stated: the table prints its unit; document: it prints none, and the document's other "
                          "tables all state this one; assumed: no table says, 万元 as the national templates print")
    entity: Text | None = Field(None, description="the budget unit the table is for, as printed: a 单位名称：/ 编制单位："
                                                  " line over it (部门汇总, XX局本级, XX小学), or, where the document "
                                                  "prints a kind once per unit, the unit its title names")
    entity_role: Literal["consolidated", "unit"] | None = Field(
        None, description="consolidated: the department's table that sums its units' (部门汇总); unit: one unit's "
                          "table of a kind the document also prints consolidated; None when neither is known")
    columns: dict[str, str] = Field(default_factory=dict,
                                    description="column key -> header label as printed, in the order printed")
    rows: list[Row] = Field(default_factory=list)
    empty: bool = False
    note: str | None = None
    header: str | None = Field(None, description="the header's text normalised (whitespace, delimiters and years "
                                                 "taken out): the key of layout hints")
    hint: HintUse | None = Field(None, description="the layout hint the header matched, and whether the reading "
                                                   "follows it")
    # Other readings of the whole table a reader proposes (another layout of its header); the
    # verifier's relations choose among them (``verify.choose``). Never serialised.
    _proposals: object = PrivateAttr(default=None)

    @property
    def proposals(self) -> list["Table"]:
        """The other readings; a reader may hand them over as a function, read only when asked for."""
        if callable(self._proposals):
            self._proposals = self._proposals()
        return self._proposals or []

    @property
    def has_proposals(self) -> bool:
        return bool(self._proposals)

    def propose(self, tables) -> None:
        self._proposals = tables

    @model_validator(mode="after")
    def _columns_belong_to_kind(self) -> "Table":
        spec = spec_for(self.kind)
        for row in self.rows:
            for key in (*row.values, *row.texts):
                # The printed columns first: a dict lookup answers for nearly every key, with no call into the spec.
                if key not in self.columns and not spec.has_column(key):
                    raise ValueError(f"{self.kind}: unknown column key {key!r}")
        return self

    def column_specs(self) -> list[ColumnSpec]:
        """The table's columns in the order printed, the registry's and the ones only this template has."""
        spec = spec_for(self.kind)
        keys = list(self.columns) + [c.key for c in spec.columns if c.key not in self.columns
                                     and any(c.key in r.values or c.key in r.texts for r in self.rows)]
        return [spec.column(k) for k in keys]
