"""Figures the narrative (情况说明) states, and whether they hold.

``extract_claims`` reads every "<subject> <number> 万元/元/%" in the narrative
sections with patterns (no model), and keeps every amount (a rate or share only when
its subject is recognised); ``check_claims`` compares those claims with the tables and with
each other, rounding-aware (``tolerance``).

Subject vocabulary (``Claim.subject``), with what the text calls it:

- 收支总预算 — 收支总预算, 预算收支安排, (部门)收支预算总额, 收入、支出预算总计 (= 收入总计 = 支出总计)
- 收入 — 预算收入, 收入预算, 部门预算总收入 (收入总计); 本年收入; 上年结转 (上年结转结余, 上年结转收入)
- income sources (the 收入总表's columns): 一般公共预算拨款收入 (一般公共预算收入), 政府性基金预算拨款收入 (基金预算收入),
  国有资本经营预算拨款收入, 财政专户管理资金收入 (财政专户核拨收入), 单位资金收入 (单位资金), and 单位资金's parts
  事业收入, 事业单位经营收入 (经营收入), 上级补助收入, 附属单位上缴收入, 其他收入 (其他来源收入)
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
  ("卫生健康（类）行政事业单位医疗（款）行政单位医疗（项）", resolved against the tables' row labels), or one line
  named with its level ("交通运输支出（类）", "公路养护（项）").

- 政府性基金预算支出, 国有资本经营预算支出 (their own tables); projects by their name in the project table, else on
  their card ("项目:<name>"; the items listed after a 项目支出 total are projects, named as printed when neither
  has them); a table the text calls 空表 (a 0 of its total)
- 政府采购一般公共预算 … 政府采购单位资金: a source of funds after a procurement total (the procurement table's
  column of that source)

Claim kinds: ``amount`` (基本支出660.56万元), ``change`` (比2023年预算增加1653.67万元,
基本支出减少43.98万元), ``percent`` (增长143.56%, 降幅 — a rate of change), ``share`` (占23.54%,
占支出总额的…) and ``previous`` (上年预算数1200.00万元: last year's budget as stated).

Attribution is conservative: a figure whose subject is not recognised, an amount
about another year (2023年…, 上年…, 决算) and a bare change with no clear anchor are
compared with nothing — but every amount the text prints is a claim all the same,
``unchecked`` with its ``reason`` (a bare rate or share with no anchor is no amount,
and is left out). An amount that follows a change in the same sentence
(公务接待费0万元 after 与2020年相比增加…: is it the amount or the change?) is a claim
marked ``after_change``: checked as this year's amount or as the change, never a
part of a whole. A bare rate right after an amount (30.00万元，比上年下降6.25%) is
that amount's rate.

Checks (ids and severities):

- ``narrative.table`` (error): a stated budget-year amount equals its table value; a line the table prints
  empty is 0; a warning when no table prints the line at all.
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
import unicodedata
from functools import cached_property, lru_cache
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from schemas import Amount, Claim, ExtractionResult, PerformanceCard, Table
from schemas.common import arabic_years, parse_amount
from schemas.tables import YEAR_ON_YEAR_KEYS, kind_for_title, relative_years

from .flags import Flagger, fmt
from .tolerance import Term, change_rate_holds, printed_places, share_holds, sum_gap
from .cross import comparable
from .card_projects import _core as _card_core
from .values import TO_WAN, TableView, Val, card_name, card_total

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
    # 收支总预算, 部门收支预算总额, 收支预算总计 and (``_both_ways``) 收入、支出预算总计 / 收、支预算总计.
    ("收支总预算", r"(?:部门)?收支(?:预算)?(?:总额|总?)"),
    # 部门预算总收入, 部门预算支出: "部门预算" only says whose.
    ("收入", r"(?:部门)?(?:预算)?(?:总?收入|收入(?:总额|总计|合计))"),
    ("支出", r"(?:部门)?(?:预算)?(?:总?支出|支出(?:总额|总计|合计))"),
    ("本年收入", r"本年度?收入(?:总额|合计)?"),
    ("上年结转", r"上年结转(?:结余)?(?:收入)?"),
    # "一般公共预算拨款1264.56万元" with no 收入/支出: the appropriation received.
    ("一般公共预算拨款收入", r"一般公共预算(?:财政)?(?:拨款)?收入|一般公共预算(?:财政)?拨款"),
    ("政府性基金预算拨款收入", r"(?:政府性)?基金预算(?:财政)?(?:拨款)?收入|政府性基金预算(?:财政)?拨款"),
    ("国有资本经营预算拨款收入", r"国有资本经营预算(?:财政)?(?:拨款)?收入|国有资本经营预算(?:财政)?拨款"),
    # "财政专户管理资金30.00万元" names the income too; "…安排" is a project's funding (see ``_classify``).
    ("财政专户管理资金收入", r"财政专户(?:核拨|管理资金)(?:收入)?"),
    # "单位资金50.00万元" names the income too; "单位资金安排…" is a project's funding (see ``_classify``).
    ("单位资金收入", r"单位资金(?:收入)?"),
    # The parts of 单位资金 (the 2025 templates' one line for them), or (older templates) lines of their own.
    ("事业收入", r"事业收入"),
    ("事业单位经营收入", r"(?:事业单位)?经营收入"),
    ("上级补助收入", r"上级补助收入"),
    ("附属单位上缴收入", r"附属单位上缴收入"),
    ("其他收入", r"其他(?:来源)?收入"),
    ("基本支出", r"基本支出"),
    ("项目支出", r"(?:运转类其他及特定目标类)?项目支出"),
    ("经营支出", r"(?:事业单位)?经营支出"),
    ("上缴上级支出", r"上缴上级支出"),
    ("对附属单位补助支出", r"对附属单位补助支出"),
    ("人员经费", r"(?:基本支出)?人员(?:类项目)?经费"),
    ("公用经费", r"(?:基本支出)?(?:日常|运转类)?公用(?:项目)?经费"),
    # 一般公共预算(财政)(拨款)支出, 一般公共预算当年拨款(支出): the national template's words for the general budget.
    ("一般公共预算支出", r"一般公共预算(?:财政)?(?:当年)?(?:拨款)?支出(?:总额|合计)?|一般公共预算(?:财政)?当年拨款"),
    ("一般公共预算基本支出", r"一般公共预算(?:财政)?(?:当年)?(?:拨款)?基本支出"),
    ("政府性基金预算支出", r"政府性基金(?:预算)?(?:财政)?(?:当年)?(?:拨款)?支出"),
    ("国有资本经营预算支出", r"国有资本经营预算(?:财政)?(?:当年)?(?:拨款)?支出"),
    ("财政拨款收支", r"财政拨款(?:收支总?|收入(?:总额|总计|合计)?|支出(?:总额|总计|合计)?)"),
    ("机关运行经费", r"机关运行经费(?:财政拨款)?"),
    # "一般公共预算安排“三公”经费", "“三公”经费财政拨款(支出)预算数为": the 三公 total in the templates' words.
    ("三公经费", r"(?:一般公共预算|财政拨款)?(?:安排的?)?[“\"‘']?三公[”\"’']?经费(?:财政拨款)?(?:支出)?(?:合计|总额)?"),
    ("因公出国(境)费", r"因公出国〔境〕费?"),
    # 运行维护费, 运维费 or 运行费: the wordings templates print (the tables' registry reads the same three).
    ("公务用车购置及运行维护费", r"公务用车购置[及和]运(?:行维护|维|行)费"),
    ("公务用车购置费", r"公务用车购置费"),
    ("公务用车运行维护费", r"公务用车运(?:行维护|维|行)费"),
    ("公务接待费", r"公务接待费"),
    ("政府采购", r"政府采购(?:预算)?(?:支出)?(?:总额|合计|总计)?"),
    # "其中：货物类30.00万元": under a procurement total the categories go by their own names.
    ("政府采购货物", r"(?:政府采购)?货物(?:类)?(?:采购)?"),
    ("政府采购工程", r"(?:政府采购)?工程(?:类)?(?:采购)?"),
    ("政府采购服务", r"(?:政府采购)?服务(?:类)?(?:采购)?"),
    ("固定资产", r"(?:上年末)?固定资产(?:金额|总额|原值|价值)?"),
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
    "事业收入": "business income", "事业单位经营收入": "operating income", "上级补助收入": "superior subsidy income",
    "附属单位上缴收入": "subordinate remittance income", "其他收入": "other income", "基本支出": "basic expenditure", "项目支出": "project expenditure",
    "经营支出": "operating expenditure", "上缴上级支出": "remittance to superior",
    "对附属单位补助支出": "subsidy to subordinates", "人员经费": "personnel costs", "公用经费": "public costs",
    "一般公共预算支出": "general-budget expenditure", "一般公共预算基本支出": "general-budget basic expenditure",
    "政府性基金预算支出": "government-fund expenditure", "国有资本经营预算支出": "state-capital expenditure",
    "财政拨款收支": "fiscal appropriation total", "机关运行经费": "office running costs",
    "三公经费": "three public costs", "因公出国(境)费": "outbound travel",
    "公务用车购置及运行维护费": "official vehicles", "公务用车购置费": "vehicle purchase",
    "公务用车运行维护费": "vehicle operation", "公务接待费": "official reception",
    "政府采购": "government procurement", "政府采购货物": "procurement of goods",
    "政府采购工程": "procurement of works", "政府采购服务": "procurement of services",
    "固定资产": "fixed assets (end of last year)",
    "政府采购一般公共预算": "procurement from the general budget",
    "政府采购政府性基金预算": "procurement from government funds",
    "政府采购国有资本经营预算": "procurement from state capital", "政府采购财政专户管理资金": "procurement from the special account",
    "政府采购单位资金": "procurement from unit funds",
}

# How wholes break down. Each list is one complete breakdown; "<class>" stands for
# every functional class. Codes break down by prefix and need no entry.
_CLASS = "<class>"
# 单位资金 is the 2025 templates' one line for the unit's own income; older templates print its parts as lines of
# their own. Both are parts of 收入: a part stated after 单位资金 is its part (the nearest whole, ``_link``).
_UNIT_FUNDS = ["事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
_SOURCES = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
            "财政专户管理资金收入", "单位资金收入", *_UNIT_FUNDS]
_EXP_PARTS = ["基本支出", "项目支出", "经营支出", "上缴上级支出", "对附属单位补助支出"]
_BREAKDOWNS: dict[str, list[list[str]]] = {
    "收支总预算": [["本年收入", "上年结转"], [*_SOURCES, "上年结转"], _EXP_PARTS, [_CLASS]],
    "收入": [["本年收入", "上年结转"], [*_SOURCES, "上年结转"]],
    "本年收入": [_SOURCES],
    "单位资金收入": [_UNIT_FUNDS],
    "支出": [_EXP_PARTS, [_CLASS]],
    "一般公共预算支出": [["一般公共预算基本支出", "项目支出"], ["基本支出", "项目支出"], [_CLASS]],
    "政府性基金预算支出": [["基本支出", "项目支出"], [_CLASS]],
    "国有资本经营预算支出": [["基本支出", "项目支出"], [_CLASS]],
    "财政拨款收支": [["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "上年结转"],
                 [_CLASS]],
    "基本支出": [["人员经费", "公用经费"]],
    "一般公共预算基本支出": [["人员经费", "公用经费"]],
    "三公经费": [["因公出国(境)费", "公务用车购置及运行维护费", "公务接待费"]],
    "公务用车购置及运行维护费": [["公务用车购置费", "公务用车运行维护费"]],
    "政府采购": [["政府采购货物", "政府采购工程", "政府采购服务"],
             ["政府采购一般公共预算", "政府采购政府性基金预算", "政府采购国有资本经营预算", "政府采购财政专户管理资金",
              "政府采购单位资金"]],
}
# "政府采购支出21.54万元。其中，一般公共预算安排21.54万元；政府性基金预算安排0万元": after a procurement total in its
# paragraph, a source of funds is the procurement's (the procurement table's column of that source), never income.
_PROCUREMENT_SOURCE = re.compile(r"(?:(?P<gb>一般公共预算)|(?P<gf>(?:政府性)?基金预算)|(?P<sc>国有资本经营预算)"
                                 r"|(?P<sa>财政专户(?:管理资金|核拨)?)|(?P<uf>单位资金))(?:财政)?(?:拨款)?(?:收入)?"
                                 r"(?:安排|为|是)*")
_PROCUREMENT_SUBJECT = {"gb": "政府采购一般公共预算", "gf": "政府采购政府性基金预算", "sc": "政府采购国有资本经营预算",
                        "sa": "政府采购财政专户管理资金", "uf": "政府采购单位资金"}

# --------------------------------------------------------------- text shapes

# A figure: a number with its unit. "元/人" or "万元/m²" is a rate, not an amount. The number starts at a digit
# no digit, "." or "," comes before ((?<![\d.,]\d) once that digit is read): a pattern that opens with a digit lets
# the regex engine skip to the digits, where one that opens with the lookbehind tries every character (3× the time).
_FIGURE = re.compile(r"(\d(?<![\d.,]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))(亿元|万元|元|%|％)(?![/／每])")
# What ends the phrase that names a figure's subject.
_STOP = re.compile(r"[，,；;。：:、（）()【】\[\]！？!?\n]")
# A cheap test that a section states any figure at all (most do not).
_QUICK = re.compile(r"\d\s*(?:[万亿]\s*元|元|%|％)")
# A change of nothing, stated in words (与上年持平, 与上年相比无变化): a change claim of 0 at those words.
_FLAT = re.compile(r"持平|无变化|没有变化|未发生变化|无增减变化|无增减")
# The verb of a change, or the noun of a rate (降幅23.89%, 下降率为, 增长幅度达).
_DIRECTION = re.compile(r"(增加|增长|上升|新增|增幅|增|减少|下降|降低|降幅|减)(?:率|幅度|比例)?(?:了|为|是|达到?)?$")
_COMPARATOR = re.compile(r"(?:同比|(?:比|较|与|同)(?:上年|上一年|去年|20\d\d年度?)?(?:年初)?(?:预算|决算)?数?(?:相比|对比)?)")
# "占23.54%", "占比为", "占支出总额的59.16%", "分别占": a share, with the whole it names if it names one.
_SHARE = re.compile(r"(?:分别)?占(?P<whole>[^的]*?)的?(?:比重|比例|比)?为?")
# The words a share names its whole by that are no subject's own name.
_SHARE_WHOLES = {"总预算": "收支总预算", "部门预算": "收支总预算", "预算总额": "收支总预算", "部门预算总额": "收支总预算",
                 "总额": None, "全部": None, "": None}
# "A、B、C分别为x万元、y万元、z万元": the figures of a list, in the order of the names before them.
_RESPECTIVELY = re.compile(r"分别(?:为|是|安排|达到?|占)?$")
_LIST_GAP = re.compile(r"[、，,和及与]?")
_CLAUSE_END = re.compile(r"[；;]")
# A year (2023年), no digit before it: the lookbehind is read after the "2", as in _FIGURE, so the engine skips to 2s.
_YEAR = re.compile(r"(2(?<!\d2)0\d\d)(?=年)")
_OTHER_YEAR_WORDS = re.compile(r"上年|去年|上一年|决算")
_LEAD = re.compile(r"^(?:[*#\-]+|\d+[.、．]|[一二三四五六七八九十]+[、是]|(?:另)?一方面|其[一二三四五六七八九十]|主要(?:用于|为|是|包括|有)|用于|其中|包括|以及|和|及|另|共|合计|预算数?|安排"
                   r"|全年|今年|本年(?!度?收入)度?"
                   # "收入按资金来源分全部为一般公共预算拨款2805.56万元"
                   r"|(?:收入|支出)?按资金(?:来源|年度|性质)分(?:全部)?为?|全部(?:为|是)"
                   r"|我部门|本部门|我局|本局|我单位|本单位|20\d\d年度?)")
# (各: "收、支预算总计各增加…", each of the two.)
_TRAIL_WORDS = ("共计安排", "预算安排", "共安排", "安排", "共计", "合计", "总计", "预算数", "预算", "为", "是", "达到", "达",
                "各")
_TRAIL = re.compile(f"(?:{'|'.join(_TRAIL_WORDS)})$")
# "卫生健康（类）行政事业单位医疗（款）行政单位医疗（项）**2024年预算" right before a figure.
_PATH = re.compile(r"(?P<lei>[\u4e00-\u9fff]+)[（(]类[）)](?P<kuan>[\u4e00-\u9fff]+)[（(]款[）)]"
                   r"(?P<xiang>[\u4e00-\u9fff]+)[（(]项[）)]\**[:：]?(?:20\d\d年度?)?(?:预算|安排|数|为)*$")
# A heading that is only a 类/款/项 path: its figures are on the lines after it.
_PATH_HEADING = re.compile(r"[（(]项[）)]\**[:：]?\**$")
_CODE = re.compile(r"(2\d{2}(?:\d{2}){0,2})[\u4e00-\u9fff]{2,}")
_CODE_IN_BRACKETS = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,})[（(](?P<code>2\d{2}(?:\d{2}){0,2})[）)]"
                               r"(?:20\d\d年度?)?(?:预算|安排|数|为)*$")
# "交通运输支出（类）", "公路养护（项）" right before a figure: one line named with its level (not the last step of a
# path: no "）" before the name).
_LEVEL_NAMED = re.compile(r"(?<![\u4e00-\u9fff）)])(?P<name>[\u4e00-\u9fff]+)[（(](?P<level>[类款项])[）)]\**[:：]?"
                          r"(?:20\d\d年度?)?(?:预算|安排|数|为)*$")
_CLASS_NAMED = re.compile(r"(?<![\u4e00-\u9fff）)])(?P<name>[\u4e00-\u9fff]+)[（(]类[）)]")
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
_SENTENCE_END_CHARS = "。！？!?\n"
_TERMINAL = tuple("。：:；;！？!?")
# A line that opens with an amount and its unit (10.00万元。): the end of the line before it.
_FIGURE_FIRST = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万\s*元|元|%|％)")

_INCREASE = frozenset({"增加", "增长", "上升", "新增", "增幅", "增"})
# Last year's words before a figure ("上年预算19.00万元", "去年"); a 决算 or 执行 figure is not last year's budget.
_LAST_YEAR = re.compile(r"^(?:上年|去年|上一年|上年度)(?:年初)?")
_NOT_BUDGET = re.compile(r"决算|执行数|实际")
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
    """Whether the line break between two non-blank lines (spaces around them stripped) ends a sentence or a
    heading."""
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
    return bool(_PLAIN_HEADING.match(_YEAR_WORDS.sub("", line)))


_YEAR_WORDS = re.compile(r"20\d\d年度?")


def _flatten(text: str, start: int, end: int) -> _Flat:
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text, start, end) if not m.group().isspace()]
    stripped = [words.strip() for _at, words in lines]
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = 0
    for i, (at, words) in enumerate(lines):
        run = stripped[i]
        if len(run.split(maxsplit=1)) == 1:  # most lines: one run of characters (``\S+``), spaces around it aside
            parts.append(run)
            starts.append(length)
            origins.append(at + len(words) - len(words.lstrip()))
            length += len(run)
        else:
            for m in _RUN.finditer(text, at, at + len(words)):
                parts.append(m.group())
                starts.append(length)
                origins.append(m.start())
                length += m.end() - m.start()
        if i + 1 < len(lines) and _hard_break(run, stripped[i + 1]):
            parts.append("\n")
            starts.append(length)
            origins.append(at + len(words))
            length += 1
    # "（境）" belongs to the name 因公出国（境）费; keep its brackets from ending the phrase.
    flat = "".join(parts).replace("（境）", "〔境〕").replace("(境)", "〔境〕")
    stops = [m.start() for m in _STOP.finditer(flat)]
    ends = [i for i in stops if flat[i] in _SENTENCE_END_CHARS]  # (every character that ends a sentence ends a phrase)
    return _Flat(flat, starts, origins, ends, [i for i in ends if flat[i] == "\n"], stops)


def _has_figures(text: str, start: int, end: int) -> bool:
    return _QUICK.search(text, start, end) is not None or text.find("空表", start, end) >= 0


# ----------------------------------------------------------------- figures

@dataclass(slots=True)
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
    empty: bool = False  # "《政府性基金预算支出表》为空表": the table's total stated as nothing
    share_of: str | None = None  # the whole a share names (占支出总额的59.16%)
    listed: bool = False  # its subject comes from a 分别 list ("A、B分别为x万元、y万元")
    reason: str | None = None  # why a money figure kept with no subject it can be checked by is not compared


@dataclass
class _Context:
    year: int | None
    department: str | None
    tables: list[Table]
    projects: tuple[str, ...] = ()  # the project table's project names, squashed
    cards: tuple[str, ...] = ()  # the project cards' (绩效目标表) project names, squashed, one per card
    final_accounts: bool = False  # a 决算 disclosure: its 决算 figures are the year's own, not another year's
    cores: dict[str, str] = field(init=False)  # each project's name less the words any project ends in

    def __post_init__(self) -> None:
        self.cores = {p: _project_core(p) for p in self.projects}

    @cached_property
    def codes(self) -> dict[str, str]:
        """Functional code -> squashed row label, from the tables (read only for a text that names a code: most
        do not)."""
        return _code_labels(self.tables)


# Income and expenditure named at once (收入、支出, 收、支, 收入和支出): the 收支总表's one total of both.
_BOTH_WAYS = re.compile(r"收入?[、和与及]支出?")


def _clean(phrase: str, department: str | None) -> str:
    """Strip numbering, the department, the year and verbs around the name of a subject."""
    phrase = phrase.replace("（含所属单位）", "")
    if "收" in phrase and "支" in phrase:
        phrase = _BOTH_WAYS.sub("收支", phrase)
    if department:
        phrase = phrase.replace(department, "")
    while True:
        lead = _LEAD.match(phrase)
        cleaned = phrase[lead.end():] if lead else phrase
        # (``$`` matches before a final newline too.)
        if cleaned.endswith(_TRAIL_WORDS) or cleaned.endswith("\n"):
            cleaned = _TRAIL.sub("", cleaned)
        if cleaned == phrase:
            return phrase
        phrase = cleaned


def _subject_of(name: str, ctx: _Context) -> str | None:
    subject = _named_subject(name)
    if subject is not None:
        return subject
    m = _CODE.fullmatch(name)
    # "2101501行政运行": a code counts only when the tables print it under that name
    # ("共201个项目" is not class 201).
    if m and ctx.codes.get(m.group(1)) and name[len(m.group(1)):].startswith(ctx.codes[m.group(1)]):
        return m.group(1)
    return (_project_of(name, ctx) if ctx.projects else None) or (_card_project(name, ctx) if ctx.cards else None)


# Documents name their subjects in the same few words (基本支出, 项目支出 …): one match of the long alternation per
# distinct phrase.
@lru_cache(maxsize=4096)
def _named_subject(name: str) -> str | None:
    """The subject of the vocabulary (a functional class, or one of ``_SUBJECT_PATTERNS``) a phrase names in full."""
    if name in CLASS_CODES:
        return name
    m = _SUBJECT_RE.fullmatch(name)
    return _SUBJECT_BY_GROUP[m.lastgroup] if m else None


def _code_for_path(window: str, ctx: _Context) -> str | None:
    """The 7-digit code of a 类/款/项 path printed right before a figure, found by the tables' labels."""
    m = _PATH.search(window)
    if not m:
        return None
    # "农林水（类）" or, as the tables print it, "农林水支出（类）".
    printed = m.group("lei").removesuffix("支出")
    lei = next((c for n, c in CLASS_CODES.items() if printed.endswith(n.removesuffix("支出"))), None)
    if lei is None:
        return None
    under = [c for c, label in ctx.codes.items() if len(c) == 7 and c.startswith(lei) and label == m.group("xiang")]
    exact = [c for c in under if ctx.codes.get(c[:5]) == m.group("kuan")]
    found = exact or under
    return found[0] if len(found) == 1 else None


def _code_in_brackets(window: str, ctx: _Context) -> str | None:
    """The code of "机关事业单位基本养老保险缴费支出（2080505）" right before a figure, when the tables print that code
    under that name."""
    m = _CODE_IN_BRACKETS.search(window)
    if not m:
        return None
    label = ctx.codes.get(m.group("code"))
    return m.group("code") if label and m.group("name").endswith(label) else None


def _level_named(window: str, ctx: _Context) -> str | None:
    """The line of "交通运输支出（类）" or "公路养护（项）" right before a figure: a class by its name, a 款 or 项 by the
    tables' label of that level (one code only; of several, the one under the class the sentence names before it)."""
    m = _LEVEL_NAMED.search(window)
    if not m:
        return None
    name = _clean(m.group("name"), ctx.department)
    if m.group("level") == "类":
        return _class_named(name)
    width = 5 if m.group("level") == "款" else 7
    found = [c for c, label in ctx.codes.items() if len(c) == width and label == name]
    if len(found) > 1:
        classes = [_class_named(_clean(c.group("name"), ctx.department))
                   for c in _CLASS_NAMED.finditer(window, 0, m.start())]
        under = CLASS_CODES.get(classes[-1]) if classes and classes[-1] else None
        found = [c for c in found if under and c.startswith(under)]
    return found[0] if len(found) == 1 else None


def _class_named(name: str) -> str | None:
    """The functional class "交通运输支出" or "交通运输" names."""
    return name if name in CLASS_CODES else name + "支出" if name + "支出" in CLASS_CODES else None


def _figures(flat: _Flat, ctx: _Context) -> list[_Figure]:
    figures: list[_Figure] = []
    prev_end = 0
    for m in _figure_matches(flat.text):
        words = _both_ways(flat, prev_end, m.start())
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
        figure.phrase = _clean(_FINAL_WORD.sub("", words) if ctx.final_accounts else words, ctx.department)
        if figure.direction:
            figure.phrase = _compared_thing(figure.phrase, ctx)
        _classify(figure, flat, ctx)
        figures.append(figure)
        prev_end = m.end()
    _respectively(figures, flat, ctx)
    return figures


def _both_ways(flat: _Flat, start: int, end: int) -> str:
    """The words before a figure (``_Flat.phrase``), with "收入、" put back before "支出…" ("收入、支出预算总计2479.35万元",
    "收、支预算总计各增加"): the 、 ended the phrase, but the figure is both totals' (``_BOTH_WAYS``)."""
    words = flat.phrase(start, end)
    at = end - len(words)
    if not words.startswith("支") or at <= start or flat.text[at - 1] != "、":
        return words
    before = flat.phrase(start, at - 1)
    return f"{before}、{words}" if before.endswith(("收", "收入")) else words


def _compared_thing(phrase: str, ctx: _Context) -> str:
    """The subject of a change whose words hold what it is compared with, before it ("与上年相比收支预算总计各增加") or
    after it ("基本支出比上年增加"): the words without the comparison."""
    m = _COMPARATOR.match(phrase)
    if m is not None and 2 <= m.end() < len(phrase):
        return _clean(phrase[m.end():], ctx.department)
    m = _COMPARED_LAST.search(phrase)
    if m is not None and m.start() > 0 and m.end() - m.start() >= 2:
        return _clean(phrase[:m.start()], ctx.department)
    return phrase


_COMPARED_LAST = re.compile(f"(?:{_COMPARATOR.pattern})$")


# "故《政府性基金预算支出表》为空表", "“三公”经费支出表为空表": the text says a table it names prints nothing.
_EMPTY_TABLE = re.compile(r"《?(?P<name>[^《》，,。；;：:、]{2,40}?表)》?(?:为|是|系)空表")
# The subject whose figure is a table's total, by the table's kind: an empty table states it as 0.
_TOTAL_OF = {"general_budget_expenditure": "一般公共预算支出", "government_fund_expenditure": "政府性基金预算支出",
             "state_capital_expenditure": "国有资本经营预算支出", "three_public_costs": "三公经费",
             "government_procurement": "政府采购"}


def _empty_statements(flat: _Flat) -> list[_Figure]:
    """Each "…表为空表" of a table the text names, as a figure of 0 for that table's total."""
    if "空表" not in flat.text:
        return []  # (most sections: the pattern's scan of every character costs more than this test)
    out = []
    for m in _EMPTY_TABLE.finditer(flat.text):
        name = re.sub(r"^.*?(?:故|因此|所以|因而|则)", "", m.group("name"))
        subject = _TOTAL_OF.get(kind_for_title(name) or "")
        if subject is None:
            continue
        figure = _Figure(m.end() - 2, m.end(), "万元", m.end(), name, subject=subject, kept=True, empty=True)
        figure.sentence = flat.sentence(figure.start)
        out.append(figure)
    return out


def _respectively(figures: list[_Figure], flat: _Flat, ctx: _Context) -> None:
    """Figures listed after 分别: amounts take the names listed before 分别, in order ("社会保障和就业支出、卫生健康支出
    分别为120.00万元、50.00万元"); shares (分别占58.16%、42.84%) the amounts listed before them in the sentence. A list
    whose names and figures do not pair one to one is left as it is."""
    i = 0
    while i < len(figures):
        first = figures[i]
        if not _RESPECTIVELY.search(first.words):
            i += 1
            continue
        run = [first]
        while i + len(run) < len(figures):
            nxt, last = figures[i + len(run)], run[-1]
            if nxt.unit != first.unit or nxt.sentence != first.sentence \
                    or not _LIST_GAP.fullmatch(flat.text[last.unit_end: nxt.start]):
                break
            run.append(nxt)
        i += len(run)
        if first.unit == "%":
            amounts = [f for f in figures if f.kind == "amount" and f.sentence == first.sentence
                       and f.unit_end <= first.start]
            names = [f.subject for f in amounts[-len(run):]] if len(amounts) >= len(run) else []
        else:
            names = _listed_names(flat, first, ctx)
        if len(run) < 2 or len(names) != len(run) or None in names:
            continue
        for figure, name in zip(run, names):
            figure.listed, figure.subject = True, name
            if figure.unit == "%":
                figure.kind, figure.bare, figure.direction = "share", True, None


def _listed_names(flat: _Flat, first: _Figure, ctx: _Context) -> list[str | None]:
    """The subjects named before "分别为": "主要用于A、B、C和D，分别为" → [A, B, C, D]."""
    m = _RESPECTIVELY.search(first.words)
    end = first.start - len(first.words) + m.start()  # "…住房保障支出分别为": the last name may precede 分别 directly
    text = flat.text[first.sentence[0]: end].rstrip("，,")
    clause = re.split(r"[，,；;：:。\n]", text)[-1]
    items = clause.split("、")
    if len(items) > 1:
        last = re.split(r"[和及与]", items[-1])
        if len(last) == 2 and _name_in(last[0], ctx) and _name_in(last[1], ctx):
            items[-1:] = last
    return [_name_in(item, ctx) for item in items]


def _name_in(words: str, ctx: _Context) -> str | None:
    """The subject the end of ``words`` names ("主要用于社会保障和就业支出" → 社会保障和就业支出)."""
    for start in range(len(words)):
        subject = _subject_of(_clean(words[start:], ctx.department), ctx)
        if subject is not None:
            return subject
    return None


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
            m = _SHARE.fullmatch(phrase) or _SHARE.fullmatch(figure.words)
            figure.bare = m is not None
            if m and m.group("whole") not in _SHARE_WHOLES:
                figure.share_of = _subject_of(_clean(m.group("whole"), ctx.department), ctx)
                figure.bare = figure.share_of is not None  # 占全县… : a whole we cannot place
            elif m:
                figure.share_of = _SHARE_WHOLES[m.group("whole")]
        return
    figure.kind = "change" if figure.direction or figure.flat else "amount"
    if figure.kind == "change" and (not phrase or _COMPARATOR.fullmatch(phrase)):
        figure.bare = True
        return
    figure.subject = _subject_of(phrase, ctx)
    if figure.subject in _SOURCES and "收入" not in phrase and figure.words.endswith("安排"):
        figure.subject = None  # "一般公共预算拨款安排2145万元": a project's funding, not the department's income
        figure.reason = f"“{figure.words}”是项目资金的来源，不是部门的收入，表中没有可核对的数 — “{figure.words}” is " \
                        f"where a project's money comes from, not the department's income: no table line to compare"
    if figure.subject is None and not phrase:
        window = flat.text[figure.sentence[0]: figure.start]
        figure.subject = _code_for_path(window, ctx) or _code_in_brackets(window, ctx) \
            or (None if _PATH.search(window) else _level_named(window, ctx))


# "收入、支出决算总计", "“三公”经费支出决算": in a 决算 disclosure the word says what the figure is, as 预算 does in a budget's.
_FINAL_WORD = re.compile(r"决算数?")


def _is_budget_year(figure: _Figure, flat: _Flat, ctx: _Context) -> bool:
    """An amount is about the disclosure's year unless its sentence dates it otherwise (2023年…, 上年…, and in a
    budget, 决算)."""
    words = _FINAL_WORD.sub("", figure.words) if ctx.final_accounts else figure.words
    if figure.subject not in ("上年结转", "固定资产") and _OTHER_YEAR_WORDS.search(words):
        return False
    last = _dated(figure, flat, ctx.year)
    return last is None or last == ctx.year


def _is_last_years_budget(figure: _Figure, flat: _Flat, year: int | None) -> bool:
    """An amount the text gives as last year's budget ("上年预算19.00万元", "2024年预算数为1200.00万元"), not its
    final accounts (决算) or outturn (执行数)."""
    if figure.subject in ("上年结转", "固定资产") or _NOT_BUDGET.search(flat.text, figure.sentence[0], figure.start):
        return False
    if re.search(r"上年|去年|上一年", figure.words):
        return True
    return year is not None and _dated(figure, flat, year) == year - 1


def _dated(figure: _Figure, flat: _Flat, year: int | None) -> int | None:
    """The year the figure's sentence dates it to (2023年…), None when it names none."""
    if year is None:
        return None
    sent_start = figure.sentence[0]
    last = None
    for m in _YEAR.finditer(flat.text, sent_start, figure.start):
        before = flat.text[max(sent_start, m.start() - 2): m.start()]
        # "比2023年", "较2023年", "与2023年相比", "截至2023年12月31日" compare or date; they do not date the amount.
        if before[-1:] in ("比", "较", "与", "同") or before in ("截至", "截止"):
            continue
        last = int(m.group(1))
    return last


def _last_years(figure: _Figure, figures: list[_Figure], i: int, ctx: _Context) -> str | None:
    """The subject of last year's amount: its own name ("2024年“三公”经费预算19.00万元"), else the amount this
    year's its sentence states before it ("…1314.56万元，2024年预算数为1200.00万元")."""
    name = _clean(_LAST_YEAR.sub("", figure.phrase), ctx.department)
    if name:
        return _subject_of(name, ctx)
    before = next((f for f in reversed(figures[:i]) if f.sentence == figure.sentence and f.kind == "amount"), None)
    return before.subject if before is not None and before.kept and not before.after_change else None


def _attribute(figures: list[_Figure], flat: _Flat, ctx: _Context) -> None:
    """Give bare changes, rates and shares the subject they belong to; drop what cannot be placed."""
    change_in_sentence: set[tuple[int, int]] = set()
    for i, figure in enumerate(figures):
        sentence = figure.sentence
        prev = figures[i - 1] if i else None
        same_clause = prev is not None and prev.sentence == sentence and not _CLAUSE_END.search(
            flat.text, prev.unit_end, figure.start)
        if figure.kind == "amount":
            if _in_project_list(figure, figures, i, flat, ctx) or _project_budget_line(figure, flat, ctx):
                figure.after_change = sentence in change_in_sentence
                figure.kept = True
                continue
            if _is_procurement_source(figure, figures, i, flat):
                figure.subject = _PROCUREMENT_SUBJECT[_PROCUREMENT_SOURCE.fullmatch(_unled(figure.words)).lastgroup]
                figure.kept, figure.reason = True, None  # the procurement's funding: no project's
                continue
            if not _is_budget_year(figure, flat, ctx):
                last_year = _is_last_years_budget(figure, flat, ctx.year)
                figure.subject = _last_years(figure, figures, i, ctx) if last_year else None
                figure.kind = "previous" if figure.subject else "amount"
                figure.kept = figure.subject is not None
                continue
            # After a change in the same sentence ("与2020年相比增加3万元…；公务接待费0万元") an amount may be a
            # change with its verb left out: it is kept, and checked as either (never as a part of a whole).
            figure.after_change = sentence in change_in_sentence
        elif figure.kind == "change":
            if not figure.flat:  # after 与上年持平 an amount is this year's, never a change without its verb
                change_in_sentence.add(sentence)
            if figure.bare and same_clause and prev.kind == "amount" and prev.after_change and prev.kept:
                # "…；项目支出550.00万元，比上年增加60.00万元": an amount its own change follows is this year's amount.
                prev.after_change = False
            if figure.bare:
                figure.subject = _anchor(figure, figures, i, flat, same_clause)
        elif figure.listed:
            pass  # a share of a 分别 list: its amount is named by the list
        elif figure.bare:
            # A rate follows its change ("增加1653.67万元，增长143.56%"); a share its amount ("基本支出660.56万元，占23.54%").
            wanted = "change" if figure.kind == "percent" else "amount"
            figure.subject = prev.subject if same_clause and prev.kind == wanted and prev.kept \
                and not prev.after_change else None
            if figure.subject is None and figure.kind == "percent" and same_clause and prev.kind in ("amount", "previous") \
                    and prev.kept and not prev.after_change:
                # "三公经费30.00万元，比上年下降6.25%" or "…上年预算数1200.00万元，增长10.55%": a rate with no change stated
                figure.subject = prev.subject
        figure.kept = figure.subject is not None


# The words that open a list of what an amount is made of: "项目支出8473.23万元，主要为A 6432万元、B 751.8万元".
_LIST_OPENS = re.compile(r"主要(?:为|是|用于|包括|有)|包括|其中|用于|具体为|分别为|安排")


def _in_project_list(figure: _Figure, figures: list[_Figure], i: int, flat: _Flat, ctx: _Context) -> bool:
    """Whether an amount is an item of the list of projects after a 项目支出 total in its sentence ("项目支出8473.23万元，
    主要为城乡居民医疗保险财政补助重点保障经费6432万元、…"); if so it is given that project (the project table's or a
    card's name for it, else the name as printed). A year in a project's name (提前下达2025年…补助资金) does not date
    it: the list's total does."""
    if figure.subject is not None and not figure.subject.startswith(PROJECT) or not figure.phrase or figure.reason:
        return False
    whole = next((f for f in reversed(figures[:i]) if f.sentence == figure.sentence and f.kind == "amount"
                  and f.subject is not None and not f.subject.startswith(PROJECT)), None)
    if whole is None or whole.subject != "项目支出" or not whole.kept or whole.after_change:
        return False
    between = flat.text[whole.unit_end: figure.start]
    opens = _LIST_OPENS.search(between)
    if opens is None or _CLAUSE_END.search(between) or not _LIST_FOLLOWS.fullmatch(between[: opens.start()]):
        return False
    figure.subject = figure.subject or PROJECT + figure.phrase
    return True


# What may stand between a total and the word opening its list: a comma, its share (占76.46%), its change.
_LIST_FOLLOWS = re.compile(r"[，,]?(?:[^，,；;。]*[，,])*")

# "1.“欺诈骗取医保基金行为举报奖励”项目。…（6）年度预算安排。项目预算安排资金5.0万元": a project's budget, in the
# paragraphs a heading quoting its name opens.
_PROJECT_BUDGET = re.compile(r"(?:项目)?(?:年度)?预算(?:安排)?(?:资金|金额|数)?(?:总额)?")
_QUOTED_PROJECT = re.compile(r"[“\"]([^”\"\n]{2,60})[”\"]项目")


def _project_budget_line(figure: _Figure, flat: _Flat, ctx: _Context) -> bool:
    """Whether an amount is the budget of the project the last quoted heading before it names; if so it is that
    project's (the project table's or a card's), or left as it was when no project has that name."""
    if figure.subject is not None or not _PROJECT_BUDGET.fullmatch(figure.phrase) or "项目" not in figure.words:
        return False
    quoted = None
    for quoted in _QUOTED_PROJECT.finditer(flat.text, 0, figure.start):
        pass
    if quoted is None:
        return False
    name = "".join(quoted.group(1).split())
    figure.subject = (_project_of(name, ctx) if ctx.projects else None) or \
        (_card_project(name, ctx) if ctx.cards else None)
    return figure.subject is not None


def _unled(words: str) -> str:
    """Words without what may lead them (其中, 主要为 …): "其中一般公共预算拨款" → 一般公共预算拨款."""
    return _LEAD.sub("", words, count=1)


def _is_procurement_source(figure: _Figure, figures: list[_Figure], i: int, flat: _Flat) -> bool:
    """An amount named by a source of funds (一般公共预算安排, 单位资金) after a procurement total in its paragraph, the
    amounts between them the total's own or its sources (政府采购…21.54万元，…。其中，一般公共预算安排21.54万元)."""
    if figure.subject is not None and figure.subject not in _SOURCES or not _PROCUREMENT_SOURCE.fullmatch(
            _unled(figure.words)):
        return False
    para = flat.paragraph(figure.start)
    before = next((f for f in reversed(figures[:i]) if f.kind == "amount" and f.kept and not f.after_change), None)
    return before is not None and flat.paragraph(before.start) == para and (
        before.subject == "政府采购" or before.subject in _PROCUREMENT_SUBJECT.values())


def _anchor(figure: _Figure, figures: list[_Figure], i: int, flat: _Flat, same_clause: bool) -> str | None:
    """Whose change a bare "比2023年预算增加…" is: the amount just before it, or the paragraph's lead figure."""
    prev = figures[i - 1] if i else None
    if same_clause:
        return prev.subject if prev.kind in ("amount", "share", "previous") and prev.kept and not prev.after_change \
            else None
    if prev is not None and prev.sentence == figure.sentence:
        return None  # after a "；" in the same sentence: too loose to place
    # First figure of its sentence ("…公务接待费0.59万元。与2023年相比减少0.04万元"): the paragraph's lead.
    para = flat.paragraph(figure.start)
    lead = next((f for f in figures[:i] if flat.paragraph(f.start) == para), None)
    return lead.subject if lead is not None and lead.kind == "amount" and lead.kept and not lead.after_change \
        else None


def _claim(figure: _Figure, flat: _Flat, text: str, section_id: str, fund: str | None = None,
           places: int = 0) -> Claim:
    span = flat.span(figure.start, figure.end)
    # The digits as printed (a number wrapped across lines keeps its line break in ``raw``).
    raw = text[span[0]: span[1]]
    # _FIGURE matched plain digits; only a wrapped or comma-grouped number needs the full parser.
    value = Decimal("0.00") if figure.flat or figure.empty else Decimal(raw) if raw.replace(".", "", 1).isdigit() \
        else parse_amount(raw)
    if value == 0 and figure.unit != "%" and printed_places(value) < places:
        value = value.quantize(Decimal(1).scaleb(-places))  # "0万元" among figures to the cent: 0.00, not 0 ± 0.5
    return Claim(
        id=f"c{span[0]}", kind=figure.kind, subject=figure.subject, unit=figure.unit,
        value=Amount(span=span, value=value, raw=raw),
        direction=figure.direction, sentence=flat.span(*figure.sentence), section_id=section_id,
        after_change=figure.after_change, fund=fund, share_of=figure.share_of, reason=figure.reason,
    )


# A project named in the text is "项目:<its name in the project table>".
PROJECT = "项目:"
_NOT_PROJECTS = re.compile(r"^(?:合计|总计|小计|其中.*|[（(]?[一二三四五六七八九十\d]+[)）、.]?)$")


def _card_names(result: ExtractionResult) -> tuple[str, ...]:
    return tuple(card_name(c) for c in result.cards if c.kind == "performance_target")


def _project_names(result: ExtractionResult) -> tuple[str, ...]:
    names: list[str] = []
    for table in result.tables:
        if table.kind == "project_expenditure" and table.entity_role != "unit":
            names += [n for row in table.rows if row.label and row.values and row.item != "total"
                      and not _NOT_PROJECTS.match(n := "".join(row.label.text.split()))]
            break
    return tuple(dict.fromkeys(names))


def _project_of(name: str, ctx: _Context) -> str | None:
    """The project of the project table a phrase names: its name, or (4 characters or more, 项目/经费 … aside) the
    one name that contains it or that it contains ("高标准农田建设经费" for 高标准农田建设项目)."""
    if name in ctx.projects:
        return PROJECT + name
    core = _project_core(name)
    if len(core) < 4:
        return None
    found = [p for p in ctx.projects if core in p or (len(ctx.cores[p]) >= 4 and ctx.cores[p] in name)]
    return PROJECT + found[0] if len(found) == 1 else None


def _card_project(name: str, ctx: _Context) -> str | None:
    """The project of the cards (绩效目标表) a phrase names when the project table does not: one card name (several
    cards may print it) the same as the phrase's, spelling apart (``_spelled_alike``)."""
    found = {c for c in ctx.cards if _spelled_alike(name, c)}
    return PROJECT + found.pop() if len(found) == 1 else None


_SPELLING = str.maketrans({"及": "与", "和": "与", "、": "与", "（": "(", "）": ")", "【": "[", "】": "]", "“": "",
                           "”": "", "-": "", "_": "", "—": "", "－": "", "·": ""})


def _spelled_alike(said: str, card: str) -> bool:
    """Whether the text's name of a project is a card's: the same once spaces, brackets, quotes, dashes and 及/和/与
    are spelled one way (医疗保障运行及审计 for 医疗保障运行与审计, 2024-城乡医疗救助 for 2024_城乡医疗救助), or but for what
    cards add to a name (a year before it, 专项/资金/经费 after it, a bracketed note). A shortened name is no match: a
    card whose name only holds it may be another project, or one of several cards of one (``_cards_holding``)."""
    a, b = _spelling(said), _spelling(card)
    return bool(a) and bool(b) and (a == b or _card_core(a) == _card_core(b))


def _cards_holding(said: str, cards: list[PerformanceCard]) -> list[PerformanceCard]:
    """The cards whose names hold a shortened name of 6 characters or more: said in a reason, never compared."""
    core = _card_core(_spelling(said))
    return [c for c in cards if len(core) >= 6 and core in _spelling(card_name(c))]


@lru_cache(maxsize=4096)
def _spelling(name: str) -> str:
    return unicodedata.normalize("NFKC", "".join(name.split()).translate(_SPELLING))


def _project_core(name: str) -> str:
    """A project's name without the words any project ends in (项目, 经费, 专项资金): 高标准农田建设."""
    return _PROJECT_ENDING.sub("", name)


_PROJECT_ENDING = re.compile(r"(?:项目|经费|资金|专项|补助)+$")


def _code_labels(tables: list[Table]) -> dict[str, str]:
    codes: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            if row.code and row.code.startswith("2") and row.label:
                codes.setdefault(row.code, "".join(row.label.text.split()))
    return codes


def extract_claims(result: ExtractionResult, text: str) -> list[Claim]:
    """Every figure of the narrative sections whose subject is recognised, in document order."""
    ctx = _Context(result.document.year, result.document.department, result.tables, _project_names(result),
                   _card_names(result), result.document.stage == "final_accounts")
    claims: list[Claim] = []
    text = arabic_years(text)
    for section in result.sections:
        if section.kind != "narrative" or not _has_figures(text, *section.span):
            continue
        flat = _flatten(text, *section.span)
        figures = _figures(flat, ctx)
        _attribute(figures, flat, ctx)
        funds = _heading_funds(flat)
        places = _money_places(figures, flat)
        kept = sorted([*(f for f in figures if f.kept or _unplaced(f, flat, ctx)), *_empty_statements(flat)],
                      key=lambda f: f.start)
        claims.extend(_claim(f, flat, text, section.id, _fund_at(funds, f.start), places) for f in kept)
    return claims


def _unplaced(figure: _Figure, flat: _Flat, ctx: _Context) -> bool:
    """Whether a money figure no subject was found for is kept all the same — every amount the text prints is — as
    a claim compared with nothing, the reason said (``Claim.reason``); its subject is the words it is printed after."""
    if figure.unit == "%" or figure.flat:
        return False  # a rate or share with nothing to place it by is no amount; 持平 prints no number
    words = _shortened(figure.phrase or _printed_before(figure, flat, ctx))
    if figure.reason:
        pass  # said when its words were read (a project's funding)
    elif figure.kind == "change":
        figure.reason = "说明未指明这是哪一项的增减，无从核对 — the text does not say what this change is of: not compared"
    elif not _is_budget_year(figure, flat, ctx):
        figure.reason = "此数是另一年度的数（上年、决算或所注年份），不与本年预算核对 — another year's figure (last " \
                        "year's, final accounts or the year it names): not compared with this year's budget"
    elif words:
        figure.reason = f"“{words}”不是已知的科目、表中的行或项目，无从核对 — “{words}” names no subject, table " \
                        f"line or project the verifier knows: not compared"
    else:
        figure.reason = "此数前没有说明它是什么，无从核对 — no words say what this figure is: not compared"
    figure.subject = figure.subject or words or "—"
    figure.kind = "change" if figure.kind == "change" else "amount"
    return True


def _shortened(words: str) -> str:
    """The words a figure is printed after, as its subject: the last 30 characters (a card's grid read as prose runs
    on for hundreds)."""
    return words if len(words) <= 30 else "…" + words[-30:]


_CLAUSE_STOP = re.compile(r"[，,；;：:。！？!?\n]")


def _printed_before(figure: _Figure, flat: _Flat, ctx: _Context) -> str:
    """The words of its clause before a figure whose phrase is empty (公路养护（项）1362.34万元: the brackets end a
    phrase, not a clause)."""
    start = figure.sentence[0]
    for m in _CLAUSE_STOP.finditer(flat.text, start, figure.start):
        start = m.end()
    return _clean(flat.text[start: figure.start], ctx.department)


def _money_places(figures: list[_Figure], flat: _Flat) -> int:
    """The most decimals the section prints an amount with: a bare "0万元" beside "15.50万元" is 0.00, as a bare
    2145 is 2145.00 in a table that prints 660.56 (docs/verify.md)."""
    return max((len(flat.text[f.start: f.end].partition(".")[2]) for f in figures if f.unit != "%" and not f.flat),
               default=0)


# The funds a heading names ("（二）一般公共预算当年拨款结构情况"): the figures under it are that budget's.
_FUNDS = (("一般公共预算", "一般公共预算"), ("政府性基金", "政府性基金预算"), ("国有资本经营", "国有资本经营预算"),
          ("财政拨款", "财政拨款"))
# The numbering of each heading level, first to last: the level is the first that matches.
_HEADING_LEVEL = re.compile(r"(?P<l0>第[一二三四五六七八九十]+部分)|(?P<l1>[一二三四五六七八九十]+、)"
                            r"|(?P<l2>[（(][一二三四五六七八九十]+[)）])|(?P<l3>\d+\s*[、.．](?!\d))|(?P<l4>[（(]\d+[)）])")


_HEAD_END = re.compile(r"[。：:]")  # a paragraph's first sentence ends at the first of these


def _heading_funds(flat: _Flat) -> list[tuple[int, str | None]]:
    """Where each heading of a section starts and the funds it (or the heading it is under) names, in order.

    A heading is a paragraph's first sentence when it is numbered like one (一、 （二） 1. （1）) or is a plain
    heading, and states no figure; a heading of one level ends the headings of its level and below."""
    out: list[tuple[int, str | None]] = []
    stack: list[tuple[int, str | None]] = []  # the headings a paragraph is under: level, funds named there or above
    end = 0
    for para in flat.text.split("\n"):
        start, end = end, end + len(para) + 1
        head = para[:m.start()] if (m := _HEAD_END.search(para)) else para
        if len(head) > 40:
            continue  # a sentence, not a heading (most paragraphs: tested first as the cheapest test)
        level = int(m.lastgroup[1]) if (m := _HEADING_LEVEL.match(head)) else None
        if level is None and _is_plain_heading(head):
            level = 1
        if level is not None and not _QUICK.search(head):
            stack = [(lv, f) for lv, f in stack if lv < level]
            named = next((fund for word, fund in _FUNDS if word in head), None)
            stack.append((level, named or (stack[-1][1] if stack else None)))
            out.append((start, stack[-1][1]))
    return out


def _fund_at(funds: list[tuple[int, str | None]], pos: int) -> str | None:
    i = bisect.bisect_right(funds, pos, key=lambda item: item[0])
    return funds[i - 1][1] if i else None


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
    if c.startswith(PROJECT):
        return w == "项目支出" or _descends("项目支出", w)
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


_KIND_ZH = {"amount": "金额", "change": "增减额", "percent": "增减率", "share": "占比", "previous": "上年数"}


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
    if subject.startswith(PROJECT):
        return f"project {subject.removeprefix(PROJECT)}"
    code = _node(subject)
    return f"class {code}" if len(code) == 3 else f"code {code}"


@dataclass
class _Links:
    """How the claims of one section relate: parent wholes, the change a rate is of, the amount a share is of."""

    parent: dict[str, Claim] = field(default_factory=dict)
    base: dict[str, Claim] = field(default_factory=dict)  # change/percent/share -> the claim it qualifies
    # change/percent -> last year's amount its sentence states before it, and this year's amount before that
    previous: dict[str, tuple[Claim, Claim]] = field(default_factory=dict)

    def chain(self, claim: Claim) -> Iterator[Claim]:
        while claim.id in self.parent:
            claim = self.parent[claim.id]
            yield claim


def _link(claims: list[Claim]) -> _Links:
    links = _Links()
    stated: list[Claim] = []  # the claims so far that can be a whole or a base, in order
    for claim in claims:
        if claim.after_change:
            continue  # the amount or a change: no whole, no part, no base of a share
        earlier = stated[::-1]
        stated.append(claim)
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
        if claim.kind in ("change", "percent"):
            same = [c for c in earlier if c.subject == claim.subject and c.sentence == claim.sentence]
            last = next((c for c in same if c.kind == "previous"), None)
            this = next((c for c in same if c.kind == "amount" and last and c.value.span[0] < last.value.span[0]), None)
            if last is not None and this is not None:
                links.previous[claim.id] = (last, this)
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


_MEMO = "(?:其中[：:])?"


def _income_source(label: str, column: str) -> tuple[tuple[str, str, str], ...]:
    return (("income_expenditure_summary", _income(label), "income_amount"), ("income_summary", "^total$", column))


# Subject -> where the table prints it, in order of preference: (table kind, row key pattern, column).
_DEPT_SOURCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (A 决算 收支总表 prints its last line as 总计.)
    "收支总预算": (("income_expenditure_summary", _income("(?:收入)?总计"), "income_amount"),),
    "收入": (("income_expenditure_summary", _income("(?:收入)?总计"), "income_amount"),
           ("income_summary", "^total$", "total")),
    "本年收入": (("income_expenditure_summary", _income("本年收入(?:合计|小计)"), "income_amount"),
             ("income_summary", "^total$", "income_subtotal")),
    "上年结转": (("income_expenditure_summary", _income("上年结转(?:结余|数)?"), "income_amount"),
             ("income_summary", "^total$", "carryover")),
    # Each source of income: its line of the 收支总表, else its column of the 收入总表 (合计 line).
    "一般公共预算拨款收入": _income_source("一般公共预算拨款(?:收入)?", "general_budget"),
    "政府性基金预算拨款收入": _income_source("政府性基金预算拨款(?:收入)?", "government_fund"),
    "国有资本经营预算拨款收入": _income_source("国有资本经营预算拨款(?:收入)?", "state_capital"),
    "财政专户管理资金收入": _income_source("财政专户管理资金(?:收入)?", "special_account"),
    "单位资金收入": _income_source("单位资金(?:收入)?", "unit_funds"),
    # 单位资金's parts: a line of their own, or a 其中 line under 单位资金 (五、单位资金 / 其中：事业收入).
    "事业收入": _income_source(f"{_MEMO}事业收入", "business_income"),
    "事业单位经营收入": _income_source(f"{_MEMO}(?:事业单位)?经营收入", "operating_income"),
    "上级补助收入": _income_source(f"{_MEMO}上级补助收入", "superior_subsidy"),
    "附属单位上缴收入": _income_source(f"{_MEMO}附属单位上缴收入", "subordinate_remittance"),
    "其他收入": _income_source(f"{_MEMO}其他(?:来源)?收入", "other_income"),
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
    "政府性基金预算支出": (("government_fund_expenditure", "^total$", "total"),),
    "国有资本经营预算支出": (("state_capital_expenditure", "^total$", "total"),),
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
    "政府采购一般公共预算": (("government_procurement", "^total$", "general_budget"),),
    "政府采购政府性基金预算": (("government_procurement", "^total$", "government_fund"),),
    "政府采购国有资本经营预算": (("government_procurement", "^total$", "state_capital"),),
    "政府采购财政专户管理资金": (("government_procurement", "^total$", "special_account"),),
    "政府采购单位资金": (("government_procurement", "^total$", "unit_funds"),),
    "固定资产": (("fixed_assets", "^total_assets$", "value"),),
}
# Under a general-budget whole (一般公共预算支出…) or heading the same words mean the general-budget table's figures;
# under a government-fund one, the fund table's; under a 财政拨款 heading, the fiscal appropriation summary's.
def _fund_sources(kind: str) -> dict[str, tuple[tuple[str, str, str], ...]]:
    return {"支出": ((kind, "^total$", "total"),), "基本支出": ((kind, "^total$", "basic"),),
            "项目支出": ((kind, "^total$", "project"),)}


_FUND_SOURCES: dict[str, dict[str, tuple[tuple[str, str, str], ...]]] = {
    "gb": _fund_sources("general_budget_expenditure"),
    "gf": _fund_sources("government_fund_expenditure"),
    "sc": _fund_sources("state_capital_expenditure"),
    "fa": {"收入": (("fiscal_appropriation_summary", _income("收入总计"), "income_amount"),),
           "支出": (("fiscal_appropriation_summary", _income("收入总计"), "income_amount"),)},
}


@lru_cache(maxsize=256)
def _key_re(pattern: str) -> re.Pattern:
    # Row-key patterns are few but some are built per class code; compile each once.
    return re.compile(pattern)


@dataclass
class _Blank:
    """A subject's place in a table that prints no figure there: an empty cell (``key`` set, the column printed),
    or a line (``key`` None) or column the table does not have."""

    view: TableView
    key: str | None
    column: str

    @property
    def empty_table(self) -> bool:
        """A table printed with no figure at all (为空表): every line of it is 0."""
        return self.view.table.empty or not any(row.values for _k, row in self.view.rows)

    @property
    def empty_cell(self) -> bool:
        return self.empty_table or self.key is not None and (
            self.column in self.view.table.columns or any(self.column in row.values for _k, row in self.view.rows))

    def where(self) -> str:
        """The empty line as a reader finds it in the printed table (表 行 列), or the table that lacks it."""
        if self.key is not None and self.empty_cell:
            return f"{self.view.zh} {self.view.row_zh(self.key)} {self.view.column_zh(self.column)}"
        return f"{self.view.zh}（空表）" if self.empty_table else self.view.zh

    def en_where(self) -> str:
        kind = self.view.table.kind.replace("_", " ")
        if self.key is not None and self.empty_cell:
            return f"{kind} {self.key} {self.column}"
        return f"{kind} (printed empty)" if self.empty_table else kind


class _Tables:
    """The first table of each kind, looked up by row-key pattern."""

    def __init__(self, views: list[TableView], cards: list[PerformanceCard] = ()):
        self.cards = [c for c in cards if c.kind == "performance_target"]
        self.views: dict[str, TableView] = {}
        self.cache: dict[tuple[str, str, str], Val | None] = {}
        self.others: list[TableView] = []  # tables of no standard kind (机关运行经费预算表 …), known by their titles
        self.last_years: dict[str, Val] = {}  # a titled table's value path -> its last year's figure
        for view in views:
            if view.table.entity_role != "unit":  # the department's figures: never one unit's own table
                self.views.setdefault(view.table.kind, view)
                if view.table.kind == "other_table":
                    self.others.append(view)

    def titled(self, subject: str) -> Val | None:
        """A subject no standard table prints, from a table its title names (机关运行经费 in a 机关运行经费预算表): the
        line of that name (or the total), in this year's column; last year's column is kept for ``year_on_year``."""
        for view in self.others:
            if subject not in "".join((view.table.title or "").split()):
                continue
            key = next((k for k, _row in view.rows if subject in view.label(k)), None) \
                or next((k for k, _row in view.rows if re.fullmatch(r"(?:合计|总计)", view.label(k))), None)
            this, last = _year_columns(list(view.row_vals(key))) if key else (None, None)
            if this is None:
                continue
            title = re.sub(r"^(?:附?表\s*[\d一二三四五六七八九十-]+\s*)", "", "".join((view.table.title or "").split()))
            named = {c: replace(v, where=f"{title} {view.label(key)}") for c, v in view.row_vals(key).items()}
            val = named.get(this)
            if val is not None and last is not None and named.get(last) is not None:
                self.last_years[val.path] = named[last]
            return val
        return None

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
                val = view.get(key, column)
                return val if val is not None or key != "total" else self._half_total(view, column)
        return None

    @staticmethod
    def _half_total(view: TableView, column: str) -> Val | None:
        """A column's total on a later total line: two tables printed side by side (人员经费 | 公用经费, each half with
        its own 合计 line: "人员经费合计 1804.15 | 公用经费合计 140.20") print each column's total on their own line."""
        return next((val for key, _row in view.rows if key.startswith("total#")
                     and (val := view.get(key, column)) is not None), None)

    def project(self, name: str) -> Val | None:
        """A project's total in the project table, by its name; else the budget of the one card (绩效目标表) of that
        name."""
        view = self.views.get("project_expenditure")
        key = next((k for k, _row in view.rows if view.label(k) == name), None) if view is not None else None
        if key is not None:
            return view.get(key, "total")
        cards = self.cards_named(name)
        return card_total(cards[0]) if len(cards) == 1 else None

    def cards_named(self, name: str) -> list[PerformanceCard]:
        return [c for c in self.cards if card_name(c) == name]

    def year_on_year(self, val: Val) -> tuple[Val | None, Val | None, Val | None]:
        """Last year's amount, the change and the rate the table prints beside ``val`` (上年 | 本年 | 增减额 | 增减率)."""
        if val.path in self.last_years:
            return self.last_years[val.path], None, None
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

    def blank(self, sources: tuple[tuple[str, str, str], ...]) -> _Blank | None:
        """Where the tables leave a subject's line empty, or do not print it: the first source whose table the
        document prints. An empty cell of a printed line (or of a printed column) is 0; a line or column the table
        does not have is a figure no table prints. None when no table of the sources is printed at all."""
        absent = None
        for kind, pattern, column in sources:
            view = self.views.get(kind)
            if view is None:
                continue
            regex = _key_re(pattern)
            key = next((k for k, _row in view.rows if "#" not in k and regex.match(k)), None)
            has_column = column in view.table.columns or any(column in row.values for _k, row in view.rows)
            if key is not None and has_column:
                return _Blank(view, key, column)
            absent = absent or _Blank(view, key, column)
        return absent


_FUND_CONTEXT = {"一般公共预算": "gb", "政府性基金预算": "gf", "国有资本经营预算": "sc", "财政拨款": "fa"}


def _year_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """This year's and last year's column of a table of no standard kind, by the years its headers name
    ("2024年预算数 | 2025年预算数"; one column alone is this year's)."""
    relative = relative_years(columns)
    this = next((c for c, r in zip(columns, relative) if "本年" in r), None)
    last = next((c for c, r in zip(columns, relative) if "上年" in r), None)
    if this is None and len(columns) == 1:
        this = columns[0]
    return this, last


def _context(claim: Claim, links: _Links) -> str:
    """Which tables a claim's words refer to: the general budget's, the government fund's, the fiscal
    appropriations', or the department's — by the whole it is stated under, else by the heading it is under."""
    for whole in links.chain(claim):
        if whole.subject in ("一般公共预算支出", "一般公共预算基本支出"):
            return "gb"
        if whole.subject == "政府性基金预算支出":
            return "gf"
        if whole.subject == "国有资本经营预算支出":
            return "sc"
        if whole.subject == "财政拨款收支":
            return "fa"
    return _FUND_CONTEXT.get(claim.fund, "dept")


def _functional_sources(node: str, context: str) -> tuple[tuple[str, str, str], ...]:
    if context == "fa" and len(node) == 3:
        return (("fiscal_appropriation_summary", rf"^expenditure:{_NUM}{CLASS_NAMES[node]}$", "total"),)
    kind = {"gb": "general_budget_expenditure", "gf": "government_fund_expenditure",
            "sc": "state_capital_expenditure"}.get(context, "expenditure_summary")
    sources = ((kind, rf"^{node}$", "total"),)
    if context == "dept" and len(node) == 3:
        sources += (("income_expenditure_summary", rf"^expenditure:{_NUM}{CLASS_NAMES[node]}$", "expenditure_amount"),)
    return sources


def _basic_split_applies(tables: _Tables) -> bool:
    """人员经费/公用经费 come from the general-budget basic table; they split the department's
    basic expenditure only when all of it is general-budget (the two basic totals agree)."""
    dept = tables.find("expenditure_summary", "^total$", "basic")
    gb = tables.first(_DEPT_SOURCES["一般公共预算基本支出"])
    return dept is None or gb is None or sum_gap(dept.common, [gb.common]) is None


def _sources(claim: Claim, links: _Links, tables: _Tables) -> tuple[tuple[str, str, str], ...]:
    """Where the tables print the claim's subject, in order of preference; () when no table is its measure."""
    node = _node(claim.subject)
    context = _context(claim, links)
    if _is_code(node):
        return _functional_sources(node, context) if node[:3] in CLASS_NAMES else ()
    if claim.subject in _FUND_SOURCES.get(context, {}):
        return _FUND_SOURCES[context][claim.subject]
    if claim.subject in ("人员经费", "公用经费") and context == "dept" and not _basic_split_applies(tables):
        return ()
    return _DEPT_SOURCES.get(claim.subject, ())


# Subjects no standard table prints, read from a table their name titles.
_TITLED = ("机关运行经费",)


def _table_val(claim: Claim, links: _Links, tables: _Tables, sources=None) -> Val | None:
    """The table's value of the claim's subject; ``sources``: its ``_sources`` when the caller has them."""
    if claim.subject.startswith(PROJECT):
        return tables.project(claim.subject.removeprefix(PROJECT))
    val = tables.first(_sources(claim, links, tables) if sources is None else sources)
    return tables.titled(claim.subject) if val is None and claim.subject in _TITLED else val


def _in_wan(term: Term, unit: str) -> Term | None:
    scale = _UNIT_SCALE.get(unit)
    return None if scale is None else Term(term.value * scale, term.half * scale)


def _check_table(claim: Claim, links: _Links, tables: _Tables, flagger: Flagger) -> None:
    if claim.kind != "amount":
        _check_year_on_year(claim, links, tables, flagger)
        return
    sources = _sources(claim, links, tables)
    val = _table_val(claim, links, tables, sources)
    if val is None:
        blank = tables.blank(sources)
        parts = _printed_parts(claim, links, tables, blank)
        if parts:
            _check_printed_parts(claim, parts, flagger)
        elif blank is not None:
            _check_blank(claim, blank, flagger)
        return
    stated = _val(claim)
    if not comparable(flagger, "narrative.table", [stated, val]):
        return
    printed = _in_wan(val.term, val.unit)
    if claim.unit not in _UNIT_SCALE or printed is None:
        return
    if sum_gap(_term(claim), [printed]) is None:
        flagger.held("narrative.table", [stated, val])
        return
    v = fmt(claim.value.value, claim.unit)
    if claim.value.raw == "空表":
        v = "（说明称该表为空表）0.00"
    severity, note, note_en, vals = "error", "", "", [stated, val]
    if _is_card(val):
        # A card may hold part of a project's money (two cards of one project name are seen): the text's figure
        # against it is a doubt, not a proven fault.
        severity, note, note_en = "warning", "（项目支出表未列此项目，此为其绩效目标表的预算数）", \
            " (the project table does not list the project: this is its card's budget)"
    if claim.after_change:
        # After a change in its sentence the figure may be the change with its verb left out: checked as that too.
        change = _table_change(val, tables)
        if change is not None and sum_gap(_term(claim), [Term(abs(change[0].value), change[0].half)]) is None:
            flagger.held("narrative.table", [stated, val, *change[1]])
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
        f"说明：{claim.subject} {v} {claim.unit} ≠ {val.where} {val.what} {_shown_wan(val)}{note}",
        f"narrative: {_en(claim.subject)} {v} {claim.unit} ≠ {val.en_where} {val.en_what} {val.text} {val.unit}"
        f"{note_en}", vals, expected=val.value, found=claim.value.value,
        section_id=claim.section_id, key=claim.id,
    )


def _printed_parts(claim: Claim, links: _Links, tables: _Tables, blank: _Blank | None) -> list[Val]:
    """The lines of a table that prints a whole's parts but no line or column of the whole itself ("人员经费合计 |
    公用经费合计" printed side by side, no 基本支出 合计): the parts of one breakdown of it, each found in that table."""
    if blank is None or blank.empty_cell:
        return []
    kind = blank.view.table.kind
    for alternative in _BREAKDOWNS.get(claim.subject, []):
        vals = [tables.first(tuple(s for s in _sources(claim.model_copy(update={"subject": part}), links, tables)
                                   if s[0] == kind)) for part in alternative]
        if len(vals) > 1 and None not in vals:
            return vals
    return []


def _check_printed_parts(claim: Claim, parts: list[Val], flagger: Flagger) -> None:
    """A stated whole against the sum of the parts its table prints (the table prints no line of the whole)."""
    stated = _val(claim)
    printed = [_in_wan(v.term, v.unit) for v in parts]
    if claim.unit not in _UNIT_SCALE or None in printed or not comparable(flagger, "narrative.table", [stated, *parts]):
        return
    if sum_gap(_term(claim), printed) is None:
        flagger.held("narrative.table", [stated, *parts])
        return
    v = fmt(claim.value.value, claim.unit)
    total = _cents(sum((t.value for t in printed), Decimal(0)))
    flagger.add(
        "narrative.table", "error",
        f"说明：{claim.subject} {v} {claim.unit} ≠ " + " + ".join(f"{p.where} {p.what} {_bare_or_wan(p)}" for p in parts)
        + f" = {fmt(total)} 万元",
        f"narrative: {_en(claim.subject)} {v} {claim.unit} ≠ "
        + " + ".join(f"{p.en_where} {p.en_what} {p.text} {p.unit}" for p in parts) + f" = {fmt(total)} 万元",
        [stated, *parts], expected=total, found=claim.value.value, section_id=claim.section_id, key=claim.id,
    )


def _is_card(val: Val) -> bool:
    return val.path.startswith(("performance_target[", "department_performance_target["))


def _check_blank(claim: Claim, blank: _Blank, flagger: Flagger) -> None:
    """A stated amount where the tables print nothing: an empty cell is 0 (an error unless the text says 0 too);
    a line the table does not have is a figure no table prints (a warning: the tables cannot bear it out)."""
    if claim.unit not in _UNIT_SCALE:
        return
    if sum_gap(_term(claim), [Term(Decimal(0), Decimal(0))]) is None:
        if blank.empty_cell:  # 0 stated for a line printed empty: the two agree
            flagger.held("narrative.table", [_val(claim)])
        return
    v = fmt(claim.value.value, claim.unit)
    if blank.empty_cell:
        flagger.add(
            "narrative.table", "error",
            f"说明：{claim.subject} {v} {claim.unit} ≠ {blank.where()} 空（0）",
            f"narrative: {_en(claim.subject)} {v} {claim.unit} ≠ {blank.en_where()}, printed empty (0)",
            [_val(claim)], expected="0", found=claim.value.value, section_id=claim.section_id, key=claim.id,
        )
        return
    flagger.add(
        "narrative.table", "warning",
        f"说明：{claim.subject} {v} {claim.unit}，但{blank.where()}未列此项：说明所述之数，表中没有，无从核对",
        f"narrative: {_en(claim.subject)} {v} {claim.unit}, but the {blank.en_where()} prints no such line: the "
        f"document states a figure no table prints, so it cannot be checked",
        [_val(claim)], found=claim.value.value, section_id=claim.section_id, key=claim.id,
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
    note = ""
    if claim.kind == "change":
        found = _table_change(val, tables)
        if found is None or claim.unit not in _UNIT_SCALE:
            return
        if sum_gap(stated, [found[0]]) is None:
            flagger.held("narrative.change", [_val(claim), val, *found[1]])
            return
        # In 万元 whatever the table's unit, its own figures beside them: 15.50 万元（155000.00 元）.
        what = f"{change.where} {change.what} {_shown_wan(change)}" if change is not None and change.unit != "万元" \
            else f"{change.where} {change.what}" if change is not None else \
            f"{val.where} {_bare_or_wan(val)} − 上年 {_bare_or_wan(previous)}"
        expected, vals = _cents(found[0].value), [val, *found[1]]
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
        if not same_way and change_rate_holds(_term(claim), Term(abs(change_term.value), change_term.half), last):
            note = f"（说明称{'增长' if claim.direction == 'increase' else '下降'}，" \
                   f"应为{'下降' if claim.direction == 'increase' else '增长'}）"
    else:
        return
    pct = "%" if claim.kind == "percent" else ""
    shown = fmt(stated.value) + pct
    said = _words(claim) if claim.kind == "change" else \
        f"{'增长' if claim.direction == 'increase' else '下降'} {fmt(claim.value.value)}%"
    flagger.add(
        "narrative.change", "warning",
        f"说明：{claim.subject} 比上年{said} ≠ {what} = {_shown(expected)}{pct}{note}",
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
        if whole.subject == "项目支出":
            breakdowns = [[n for n in children if n.startswith(PROJECT)]]
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
    value = fmt(claim.value.value, claim.unit) + ("" if claim.unit == "万元" else f" {claim.unit}")
    if claim.kind != "change":
        return value
    if claim.direction is None:
        return f"{claim.value.raw}（0）"  # 持平 / 无变化
    return f"{'增加' if claim.direction == 'increase' else '减少'} {value}"


def _names_some_lines(whole: Claim, parts: list[Claim], links: _Links, tables: _Tables) -> bool:
    """Whether functional lines stated as parts of a whole are only some of the lines the table prints under it
    ("结构情况：社会保障和就业支出…；农林水支出…" naming the notable classes): short of the whole is then no fault.
    Beyond the whole it still is; and a wrong line is caught against its own table line."""
    nodes = [_node(p.subject) for p in parts]
    if not all(_is_code(n) for n in nodes) or sum_gap(_signed(whole), [_signed(p) for p in parts]) is None \
            or sum_gap(_signed(whole), [_signed(p) for p in parts]) < 0:
        return False
    kind = {"gb": "general_budget_expenditure", "gf": "government_fund_expenditure",
            "sc": "state_capital_expenditure", "dept": "expenditure_summary"}.get(_context(parts[0], links))
    view = tables.views.get(kind or "")
    if view is None:
        return False
    under = _node(whole.subject) if _is_code(_node(whole.subject)) else ""
    printed = {code for code in view.by_code if code.isdigit() and len(code) == len(nodes[0])
               and code.startswith(under) and (v := view.get(view.by_code[code], "total")) is not None and v.value}
    return set(nodes) < printed


def _unnamed_in(whole: Claim, parts: list[Claim], unnamed: list[Claim]) -> list[Claim]:
    """The figures after a whole, in its sentence or a part's, that no subject was found for ("其中：…，纳入专户管理的
    非税收入30.00万元"): each may be a part the verifier cannot name."""
    sentences = {whole.sentence, *(p.sentence for p in parts)}
    return [u for u in unnamed if u.kind == whole.kind and u.sentence in sentences
            and u.value.span[0] > whole.value.span[0]]


def _check_parts(whole: Claim, parts: list[Claim], flagger: Flagger, unnamed: list[Claim] = ()) -> None:
    """A stated whole against its stated parts; changes add up with their signs (+2.64 − 16466.18). Parts short of
    the whole when the list holds figures the verifier could not name (``unnamed``) are no proven fault: they hold
    with those figures added, else a warning says which figures were not named."""
    terms = [_signed(p) for p in parts]
    gap = sum_gap(_signed(whole), terms)
    check = "narrative.change" if whole.kind == "change" else "narrative.parts"
    if gap is None:
        flagger.held(check, [_val(whole), *(_val(p) for p in parts)])
        return
    if gap > 0 and all(p.subject.startswith(PROJECT) for p in parts):
        return  # a list of projects names the notable ones ("主要用于…"): short of the total is no fault, beyond it is
    if gap > 0 and unnamed:
        if sum_gap(_signed(whole), [*terms, *(_signed(u) for u in unnamed)]) is None:
            flagger.held(check, [_val(whole), *(_val(p) for p in parts)])
            return
        note = "；说明另列有未能识别名目的" + "、".join(f"“{u.subject}”{_words(u)}" for u in unnamed) + \
               "，或为其分项，故不断定说明有误"
        note_en = f"; the text also lists {len(unnamed)} figure(s) the verifier could not name, which may be parts: " \
                  f"not proven wrong"
    else:
        note = note_en = ""
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
        rhs_en = " + ".join(f"{_en(p.subject)} {fmt(t.value, unit)}{suffix}" for p, t in zip(parts, shown))
    in_unit = suffix.strip() or "万元"
    sums = f"{fmt(found, in_unit)}{suffix}"
    flagger.add(
        check, "warning" if is_change or note else "error",
        f"说明：{whole.subject} {said_whole} ≠ {rhs} = {sums}（差 {fmt(gap, in_unit)}{suffix}，舍入容差 {fmt(allow)}{suffix}）"
        f"{note}",
        f"narrative: {'change in ' if is_change else ''}{_en(whole.subject)} {fmt(shown_whole.value, in_unit)}{suffix} ≠ "
        f"{rhs_en} = {sums} (difference {fmt(gap, in_unit)}{suffix}, rounding allows < {fmt(allow)}{suffix}){note_en}",
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
        value += f"（{fmt(claim.value.value, claim.unit)} {claim.unit}）"
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


def _share_whole(share: Claim, part: Claim, claims: list[Claim], links: _Links,
                 tables: _Tables) -> tuple[Claim | None, Val | None]:
    """What a share is of: the whole it names (a stated figure of that subject before it, else its table line),
    else the whole its amount is stated under, else the table's total its amount is a line of."""
    if share.share_of is not None:
        stated = next((c for c in reversed(claims) if c.value.span[0] < share.value.span[0] and c.kind == "amount"
                       and c.subject == share.share_of and not c.after_change), None)
        if stated is not None:
            return stated, None
        return None, tables.first(_sources(share.model_copy(update={"subject": share.share_of}), links, tables))
    whole = links.parent.get(part.id)
    if whole is not None:
        return whole, None
    subject = _implied_whole(part, _context(part, links))
    if subject is None:
        return None, None
    return None, tables.first(_sources(part.model_copy(update={"subject": subject}), links, tables))


def _implied_whole(part: Claim, context: str) -> str | None:
    """The whole a part's share is of when the text states none: the total of the table the part is a line of."""
    node = _node(part.subject)
    if _is_code(node) or part.subject in ("基本支出", "项目支出"):
        return {"gb": "一般公共预算支出", "gf": "政府性基金预算支出", "sc": "国有资本经营预算支出",
                "fa": "财政拨款收支"}.get(context, "支出")
    return next((whole for whole, alternatives in _BREAKDOWNS.items() if whole != "收支总预算"
                 and any(part.subject in alternative for alternative in alternatives)), None)


def _check_share(share: Claim, claims: list[Claim], links: _Links, tables: _Tables, flagger: Flagger) -> None:
    part = links.base.get(share.id)
    if part is None:
        return
    whole, printed = _share_whole(share, part, claims, links, tables)
    if whole is not None:
        whole_term, whole_words, whole_val = _term(whole), f"{whole.subject} {_words(whole)}", _val(whole)
    elif printed is not None and (term := _in_wan(printed.term, printed.unit)) is not None:
        whole_term, whole_words, whole_val = term, f"{printed.where} {printed.what} {fmt(printed.value)}", printed
    else:
        s = fmt(share.value.value)
        flagger.add(
            "narrative.share", "warning",
            f"说明：{part.subject} {_words(part)} 占 {s}%：说明未给出所占的总数，表中也找不到，无从核对",
            f"narrative: {_en(part.subject)} {_words(part)} stated as {s}% of a whole neither the text nor the tables "
            f"give: not checked", [_val(share), _val(part)], found=s, section_id=share.section_id, key=share.id,
        )
        return
    if share_holds(_term(share), _term(part), whole_term):
        flagger.held("narrative.share", [_val(share), _val(part), whole_val])
        return
    s, rate = fmt(share.value.value), _rate(_term(part).value, whole_term.value)
    flagger.add(
        "narrative.share", "error",
        f"说明：{part.subject} {_words(part)} 占 {s}% ≠ {_words(part)} / {whole_words} = {rate}%",
        f"narrative: {_en(part.subject)} {_words(part)} stated as {s}% of "
        f"{_en(whole.subject) + ' ' + _words(whole) if whole else printed.en_where + ' ' + fmt(printed.value)}; "
        f"it is {rate}%",
        [_val(share), _val(part), whole_val], expected=rate, found=s,
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
    # The size agrees but not the direction (比上年减少2.50万元，增长13.89%): say so, two equal numbers do not.
    opposite = "" if same_way or not change_rate_holds(_term(rate), _term(change), previous) else \
        f"（说明称{verb}，但{_words(change)}，应为{'下降' if verb == '增长' else '增长'} {_rate(d, p)}%）"
    flagger.add(
        "narrative.change", "warning",
        f"说明：{rate.subject} {verb} {r}% ≠ {_words(change)} / 上年 {fmt(p)} = {_rate(d, p)}%{opposite}",
        f"narrative: {_en(rate.subject)} change stated as {'+' if rate.direction == 'increase' else '-'}{r}%; "
        f"{fmt(_signed(change).value)} on last year's {fmt(p)} is {_rate(d, p)}%",
        [_val(rate), _val(change), _val(current)], expected=_rate(d, p), found=r,
        section_id=rate.section_id, key=rate.id,
    )


def _check_previous(claim: Claim, links: _Links, tables: _Tables, flagger: Flagger) -> None:
    """Last year's budget as the text states it against the table's 上年 column of its line (a warning: the text may
    mean the adjusted budget)."""
    val = _table_val(claim, links, tables)
    if val is None:
        return
    previous = tables.year_on_year(val)[0]
    if previous is None or not comparable(flagger, "narrative.change", [_val(claim), previous]):
        return
    printed = _in_wan(previous.term, previous.unit)
    if claim.unit not in _UNIT_SCALE or printed is None:
        return
    if sum_gap(_term(claim), [printed]) is None:
        flagger.held("narrative.change", [_val(claim), previous])
        return
    v = fmt(claim.value.value)
    flagger.add(
        "narrative.change", "warning",
        f"说明：{claim.subject} 上年 {v} {claim.unit} ≠ {previous.where} {previous.what} {_shown_wan(previous)}",
        f"narrative: {_en(claim.subject)} last year {v} {claim.unit} ≠ {previous.en_where} {previous.en_what} "
        f"{_shown_wan(previous)}", [_val(claim), previous], expected=previous.value, found=claim.value.value,
        section_id=claim.section_id, key=claim.id,
    )


def _bare_or_wan(val: Val) -> str:
    """A table's figure as printed when in 万元, else in 万元 with its own beside it."""
    return fmt(val.value) if val.unit == "万元" else _shown_wan(val)


def _cents(value: Decimal) -> Decimal:
    """A figure converted to 万元 without the zeros the conversion added, to the cent at least (-2.500000 → -2.50)."""
    value = _plain(value)
    return value.quantize(Decimal("0.01")) if printed_places(value) < 2 else value


def _shown_wan(val: Val) -> str:
    """A table value in 万元, its own figure beside it when the table prints another unit: 15.50 万元（155000.00 元）."""
    term = _in_wan(val.term, val.unit)
    if val.unit == "万元" or term is None:
        return f"{val.text} {val.unit}"
    return f"{fmt(_cents(term.value))} 万元（{val.text} {val.unit}）"


def _check_from_previous(claim: Claim, links: _Links, flagger: Flagger) -> None:
    """A change or rate stated after last year's amount (…1314.56万元，上年预算数1200.00万元，增加114.56万元 / 增长9.55%):
    this year's − last year's, and that over last year's."""
    last, this = links.previous[claim.id]
    diff = Term(_term(this).value - _term(last).value, _term(this).half + _term(last).half)
    stated = _signed(claim)
    if claim.kind == "change":
        if sum_gap(stated, [diff]) is None:
            flagger.held("narrative.change", [_val(claim), _val(this), _val(last)])
            return
        expected, shown = fmt(diff.value), _words(claim)
    else:
        same_way = diff.value == 0 or (diff.value > 0) == (claim.direction == "increase")
        if same_way and change_rate_holds(_term(claim), Term(abs(diff.value), diff.half), _term(last)):
            flagger.held("narrative.change", [_val(claim), _val(this), _val(last)])
            return
        expected = _rate(diff.value, _term(last).value)
        shown = f"{'增长' if claim.direction == 'increase' else '下降'} {fmt(claim.value.value)}%"
        expected += "%"
    where = f"{_words(this)} − 上年 {_words(last)}" + ("" if claim.kind == "change" else f"）÷ {_words(last)}")
    where = where if claim.kind == "change" else f"（{where}"
    flagger.add(
        "narrative.change", "warning",
        f"说明：{claim.subject} {shown} ≠ {where} = {expected}",
        f"narrative: {_en(claim.subject)} change stated as {fmt(stated.value)}{'%' if claim.kind == 'percent' else ''}"
        f" ≠ this year's {_words(this)} against last year's {_words(last)}: {expected}",
        [_val(claim), _val(this), _val(last)], expected=expected, found=fmt(stated.value),
        section_id=claim.section_id, key=f"{claim.id}.previous",
    )


def claims_with_outcomes(claims: list[Claim], flags, held: set[str], reasons: dict[str, str] | None = None) -> list[Claim]:
    """Each claim with what the checks made of it: flagged when a flag names it, verified when a comparison held
    for it, else unchecked, with the reason (its own, or ``reasons``: ``check_claims``' answer)."""
    named = {ref.path for flag in flags for ref in flag.fields if ref.path.startswith("narrative[")}
    reasons = reasons or {}

    def outcome(claim: Claim) -> dict:
        path = f"narrative[{claim.id}]"
        if path in named:
            return {"status": "flagged"}
        if path in held:
            return {"status": "verified"}
        return {"status": "unchecked", "reason": claim.reason or reasons.get(claim.id)}

    return [c.model_copy(update=outcome(c)) for c in claims]


def check_claims(claims: list[Claim], views: list[TableView], flagger: Flagger,
                 cards: list[PerformanceCard] = ()) -> dict[str, str]:
    """Flag stated figures that disagree with the tables (or a project's card), with their stated parts, or with
    their own rates. Returns why each claim no comparison held for may be unchecked, by id. A claim kept with its
    reason already (no subject it can be checked by) takes part in nothing."""
    tables = _Tables(views, cards)
    reasons: dict[str, str] = {}
    unnamed = _by_section([c for c in claims if c.reason is not None])
    for section, section_claims in _by_section([c for c in claims if c.reason is None]).items():
        links = _link(section_claims)
        for claim in section_claims:
            if claim.kind == "previous":
                _check_previous(claim, links, tables, flagger)
                continue
            _check_table(claim, links, tables, flagger)
            if claim.id in links.previous:
                _check_from_previous(claim, links, flagger)
            if claim.kind == "share":
                _check_share(claim, section_claims, links, tables, flagger)
            elif claim.kind == "percent":
                _check_rate(claim, links, flagger)
        for whole, parts in part_groups(section_claims, links):
            if not _names_some_lines(whole, parts, links, tables):
                _check_parts(whole, parts, flagger, _unnamed_in(whole, parts, unnamed.get(section, [])))
        for claim in section_claims:
            if f"narrative[{claim.id}]" not in flagger.held_claims:
                reasons[claim.id] = _why_unchecked(claim, links, tables)
    return reasons


def _why_unchecked(claim: Claim, links: _Links, tables: _Tables) -> str:
    """Why nothing a claim could be compared with was found (said when no comparison held for it)."""
    subject = claim.subject
    if subject.startswith(PROJECT):
        name = subject.removeprefix(PROJECT)
        cards = tables.cards_named(name)
        if len(cards) > 1:
            budgets = "、".join(c.budget.total.raw if c.budget.total else "—" for c in cards)
            return f"有 {len(cards)} 张名为“{name}”的绩效目标表（预算数 {budgets}），不知说明所指是哪一张或其和 — " \
                   f"{len(cards)} cards are named so (budgets {budgets}): which one, or their sum, is not known"
        holding = "、".join(f"“{card_name(c)}”（{c.budget.total.raw if c.budget.total else '—'}）"
                            for c in _cards_holding(name, tables.cards))
        some = f"；名称含此名的绩效目标表 {holding} 不能确定是同一项目，未作比较" if holding else ""
        some_en = f"; the cards whose names hold it ({holding}) may be other projects: not compared" if holding else ""
        return f"项目支出表和绩效目标表中都没有名称可确定对应“{name}”的项目{some} — neither the project table nor a " \
               f"card names this project so that it can be told{some_en}"
    if claim.kind in ("change", "percent", "previous"):
        return f"表中没有{subject}的上年数或增减数，说明中也没有可据以核算的数 — the tables print no last-year figure " \
               f"or change of {_en(subject)}, nor does the text state one to work it out from"
    if claim.kind == "share":
        return f"说明未给出{subject}所占的总数 — the text gives no whole this share is of"
    return f"表中没有可核对{subject}的数，说明中也没有它的总数或分项 — no table prints {_en(subject)}, and the text " \
           f"states no whole or parts of it"
