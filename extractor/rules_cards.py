"""Stage 3a — the deterministic reader for performance-target cards in tabular layouts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from schemas import (
    COMPARATORS, Amount, CardBudget, CardTask, Indicator, PerformanceCard, SpendingStep, Text, parse_amount,
)
from schemas.cards import PERIOD_OF_ITS_OWN, plan_by_period

from .chunk import Chunk, LineKind
from .grid import Cell, norm, split_cells
from .rules import Unreadable
from .units import statement_in

# (A member of an Enum is slow to look up on its class, and the reader asks a line's kind several times over.)
_SPACED, _TEXT, _BLANK = LineKind.SPACED, LineKind.TEXT, LineKind.BLANK

_BUDGET_KEYS = {
    "预算数": "total", "年度资金总额": "total", "资金总额": "total",
    "财政资金": "fiscal", "其中:财政资金": "fiscal", "其中:财政拨款": "fiscal", "财政拨款": "fiscal",
    # (The year's own grant and the money carried over, as other provinces' templates name them: 当年财政拨款 | 上年结转资金.)
    "当年财政拨款": "fiscal", "其中:当年财政拨款": "fiscal", "本年财政拨款": "fiscal", "其中:本年财政拨款": "fiscal",
    "上年结转": "carryover", "其中:上年结转": "carryover", "上年结转资金": "carryover", "其中:上年结转资金": "carryover",
    "其他资金": "other",
    # A department card's budget by the nature of its income (按收入性质分: 一般公共预算 | 事业收入 | 上年结转): the income
    # that is neither fiscal money nor carried over is its 其他资金 (one such line: a second is left unread, flagged).
    "事业收入": "other", "经营收入": "other", "事业单位经营收入": "other", "其他收入": "other",
}
# (Those of the keys above that name the other money by its income; the card's notes say which it printed.)
_OTHER_INCOME_KEYS = frozenset({"事业收入", "经营收入", "事业单位经营收入", "其他收入"})
# A label that names the budget's total when its figure is printed right after it (项目资金（万元）：95.00, 年度预算（万元）
# | 95.00, 项目总金额：95.00); printed over the budget's keys (项目资金（万元） | 年度资金总额 | 85.00) it is their group's label.
_TOTAL_LABEL = re.compile(r"^(项目资金|项目总金额|项目金额|项目(预算)?总额|项目预算|年度预算(数|金额|资金)?|预算金额|年度资金)$")
# The points a template gives the budget's execution rate beside the indicators' (执行率分值 10: with the indicators'
# 分值, 100 in all).
_SCORE_KEYS = frozenset({"执行率分值", "预算执行率分值", "资金执行率分值", "执行率权重", "预算执行率权重"})
# The fiscal money's sources a card may list in place of one 财政拨款 line, or under it as its 其中 breakdown.
_SOURCE_KEY = re.compile(r"^(其中:)?(?P<name>一般公共预算(拨款|资金)?|政府性基金(预算)?(拨款|资金)?|国有资本经营预算(拨款|资金)?|"
                         r"财政专户管理资金|财政专户|本级财政(资金|拨款)?|上级(补助|转移支付)(资金)?|(中央|省级|市级|县级)(财政)?"
                         r"(补助|资金|拨款))$")
_TEXT_KEYS = {
    "项目编码": "project_code", "项目名称": "project_name", "部门名称": "department",
    "主管部门及代码": "department", "主管部门": "department", "部门(单位)名称": "department", "实施单位": "implementing_unit",
    "项目期": "project_period", "项目期限": "project_period", "实施期限": "project_period",
}
# The goal's key: 绩效目标, 年度目标, 年度绩效目标, and in other templates 年度总体目标, 总体目标, 项目绩效目标,
# 部门整体绩效目标, 实施期目标… (never 目标 alone, nor 目标1: a numbered goal's own label).
_GOAL_KEY = re.compile(r"^(?!目标$)(年度|项目|部门|部门整体|整体|实施期|中期|中长期)?(总体)?(绩效)?目标$")
# The goal of the whole project period, printed beside the year's (实施期目标 | 年度目标, 中期目标（2025-2027年）).
_MIDTERM_GOAL_KEY = re.compile(r"^(实施期|中期|中长期)(总体)?(绩效)?目标$")
# A goal key's bracketed years (年度目标（2025年）, 中期目标（2025-2027年）).
_KEY_YEARS = re.compile(r"\([^()]*\d{4}[^()]*\)$")
# The budget's two columns in the multi-year template (项目资金 | 实施期资金总额 | 年度资金总额): the year's is the card's
# budget, the period's kept as the period's.
_MIDTERM_BUDGET_HEAD = re.compile(r"^(实施期|中期|中长期|项目期)(资金总额|资金|预算数?|预算总额)(\(.*\))?$")
_ANNUAL_BUDGET_HEAD = re.compile(r"^(年度|本年度?|当年)(资金总额|资金|预算数?|预算总额)(\(.*\))?$")
# The indicator header's columns, in the wordings of several provinces' templates. A header that gives the
# comparator or the unit a column of its own (指标性质 | 指标值 | 度量单位, 符号 | 值 | 单位) prints the target's number
# alone under 指标值: read as the value then (``_map_roles``).
_ROLE_HEADERS = tuple((role, re.compile(pattern)) for role, pattern in (
    ("level1", r"^一级指标(名称)?$"), ("level2", r"^二级指标(名称)?$"), ("name", r"^三级指标(名称)?$"),
    ("description", r"^(绩效指标描述|指标说明|指标描述|指标内容|指标解释)$"),
    ("target", r"^(年度|预期)?(指标|目标)值([（(].*[)）])?$|^指标目标值$"),
    ("midterm_target", r"^(实施期|中期|中长期)(绩效)?(指标|目标)值([（(].*[)）])?$"),
    ("basis", r"^指标(值)?(确定|设定)依据$"),
    ("comparator", r"^(符号|指标性质|指标方向|比较符号?|运算符号?|计算符号)$"),
    ("value", r"^(值|数值)$"), ("unit", r"^(度量|计量|计算)?单位"),
    ("scoring", r"^(评|计|评\(计\)|评（计）)分(标准|方法|规则)$"), ("weight", r"^(权重|分值)([（(].*[)）]|%)?$"),
))
# Comparators in words, as a 指标性质 / 指标方向 column prints them.
_COMPARATOR_WORDS = {
    "大于等于": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
    "不多于": "≤", "不大于": "≤", "等于": "=", "大于": ">", "高于": ">", "小于": "<", "低于": "<",
    "约": "≈", "大约": "≈", "约为": "≈",
}
# Comparator words at the start of a target cell (不超过2000万元, 达到100%, 控制在…以内, 约500人) and at its end (10项以上,
# 3天以内), and a note in brackets after it (≥95%（含）: the bound included, as ≥ says).
_WORDS_FIRST = re.compile(r"^\s*(?P<w>大于等于|小于等于|不低于|不少于|不小于|不高于|不超过|不多于|不大于|达到|控制在|"
                          r"大于|高于|超过|多于|小于|低于|少于|大约|约为|约)\s*")
_WORDS_FIRST_CMP = {"达到": "≥", "控制在": "≤", "超过": ">", "多于": ">", "少于": "<"}
_WORDS_LAST = re.compile(r"\s*(?P<w>及以上|及以下|以上|以下|以内|之内|内)\s*$")
_WORDS_LAST_CMP = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤"}
_INCLUDED_NOTE = re.compile(r"\s*[（(]\s*含(本数)?\s*[)）]\s*$")
_LEVEL1 = {"产出指标", "效益指标", "满意度指标", "成本指标", "效果指标", "投入管理指标", "部门产出"}
_LEVEL2_ONLY = {
    "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标",
}
_LEVELS = _LEVEL1 | _LEVEL2_ONLY
_LEVEL1_BUT_COST = _LEVEL1 - {"成本指标"}  # 成本指标 is a level-2 name under 产出指标 in some templates
# Level-1 names never a row's own level 2 (满意度指标 | 满意度指标): a group's name, wherever its cell's middle falls.
_GROUP_NAMES = _LEVEL1_BUT_COST - {"满意度指标"}
_PERIOD = re.compile(r"^(\d{1,2})\s*月\s*底$")

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
# The number may print thousands separators (≥1,200笔).
_TARGET = re.compile(r"^(?P<cmp>≥|≧|>=|≤|≦|<=|=|＝|<|>|＜|＞|≈)?\s*(?P<num>-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))\s*"
                     r"(?P<unit>.*)$")
_UNIT = re.compile(r"^[%‰a-zA-Z²㎡/·\s个人次户家套份项场条天日年月周辆台批元万千亿分钟小时平方米]*$")
# Beside the usual units, a measure word of any kind (笔, 件, 所, 篇, 册, 期, 公里, 个工作日…): a few ideographs.
# What a unit may not be is told by _NOT_A_UNIT (12月底前, 3日内, 90%以上 are words about a figure).
_MEASURE_WORD = re.compile(r"^\s*[\u4e00-\u9fff]{1,4}\s*$")
_NOT_A_UNIT = re.compile(r"底|前|内|后|完成|以上|以下|之")
# A unit per some count (1000元/生·年, 50元/人·次, 3万元/公里, 200元每人): a unit, then a few ideographs it is counted by.
_PER_UNIT = re.compile(r"^(?P<unit>[^/每\d\s]{1,4})\s*(?:/|每)\s*[\u4e00-\u9fff·・.]{1,6}$")
_SPACES = re.compile(r"\s+")
_GOAL_NUMBER = re.compile(r"^目标\s*\d+$")
_ONE_SPACE = re.compile(r"(?<! ) (?! )")


@dataclass
class _State:
    roles: dict[str, int] = field(default_factory=dict)
    header_width: int = 0
    level1: str | None = None
    level2: str | None = None
    periods: list[tuple[int, Cell]] = field(default_factory=list)
    periods_width: int = 0
    last_line: object = None  # the line of the last indicator read (space-aligned cards wrap under it)
    header_line: object = None  # the last indicator header line, and its cells
    header_cells: list = field(default_factory=list)
    # The text fields the last line of fields set, and where each value starts across the page: in
    # space-aligned text a long value (项目名称) wraps onto lines of its own under where it starts.
    values: list[tuple[str, int]] = field(default_factory=list)
    # A row of goal keys with their texts on the row below (总体目标 | 实施期目标 | 年度目标): each key's field and where
    # it stands (its index in a delimited row, or across the page).
    goal_columns: list[tuple[str, int]] = field(default_factory=list)
    # The budget's columns in the multi-year template: the year's and the period's, where each stands.
    budget_columns: list[tuple[str, int]] = field(default_factory=list)
    # A header row of the budget's parts (年度资金总额 | 财政拨款 | 上年结转 | 其他资金) over their figures' row.
    budget_parts: list[tuple[str, int]] = field(default_factory=list)
    after_header: bool = False  # the last line read was the indicator header (its cells may wrap below it)
    # Pieces of the next indicator's cells printed above its line (cells aligned to the bottom wrap upwards).
    pending: list = field(default_factory=list)
    starts: tuple | None = None  # the last ``_column_starts``, with what it depended on
    cells_above: bool = False  # a row of this card printed pieces of its cells above its own line
    halves: bool = False  # the pieces held are the upper half of the next row's cells (``_upper_half_of_next_row``)
    # Where the fields of the last row begin across the page when its own line does not print them (pieces held
    # from above its line).
    held_x: dict[str, int] = field(default_factory=dict)
    # The indicator header's columns no role is known for, by position: their header as printed.
    unknown: dict[int, str] = field(default_factory=dict)
    # The task-budget grid of a department card, while it is being read: its columns.
    task_columns: list | None = None
    # On a page the card continues on, until its first row there: where that row's fields start across the
    # page (a page may be laid out anew, its columns elsewhere than on the page before).
    page_starts: dict[str, int] | None = None
    # Each line's cells, split once: a line is asked for them again by the lines around it (``_cells_of``).
    split: dict[tuple, list[Cell]] = field(default_factory=dict)
    field_starts: tuple | None = None  # the last ``_field_starts``, with what it depended on


_NO_STARTS: frozenset[int] = frozenset()


def read_cards(chunk: Chunk) -> list[PerformanceCard]:
    """The cards of a card section: one, or one per project block of a summary grid (``_summary_grid_cards``)."""
    card = read_card(chunk)
    return _summary_grid_cards(card, chunk) or [card]


def read_card(chunk: Chunk) -> PerformanceCard:
    paragraphs = _field_paragraphs(chunk) if chunk.has_rows else []
    if not chunk.has_rows or _mostly_flattened(chunk, len(paragraphs)):
        raise Unreadable("no table rows: the card is flattened into lines (needs the LLM reader)")
    card = PerformanceCard(section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span,
                           **card_unit([*chunk.lead, *chunk.lines]))
    paragraph_state = _State()  # (the paragraphs' own: a row's reading never depends on them)
    for line, cells in paragraphs:
        if cells:
            _fields(card, paragraph_state, cells, line)
    state = _State()
    for n, seg in enumerate(chunk.segments):
        first_data = True
        above: list[Cell] = []  # header words set above the header's line (a delimited one)
        after_header = False  # the line before was a delimited indicator header
        state.page_starts = _page_row_starts(seg.lines, state) if n > 0 else None
        for k, line in enumerate(seg.lines):
            # Where the columns start matters only to a space-aligned line (delimiters part the others).
            starts = _column_starts(card, state) if line.kind is _SPACED else _NO_STARTS
            cells = _cells_of(state, line, starts)
            words = {norm(c.text) for c in cells}  # asked of the line several times below
            if not any(words):
                continue  # (no cell prints anything)
            if line.kind is _SPACED and state.after_header and _header_rest(state, cells, line):
                continue
            state.after_header = False
            if line.kind is _SPACED and card.indicators and state.unknown and state.header_line is not None:
                cells = _grid_label_pieces(card.indicators, state, cells, line)
                if not cells:
                    continue
            if line.kind is _SPACED and card.indicators and state.roles and state.last_line is not None \
                    and not _names_indicator_header(words) and "符号" not in words:
                cells = _level_rests(card.indicators[-1], state, cells)
                if not cells:
                    continue
                if not _wrapped_level_first(state, seg.lines, k, cells) \
                        and _upper_half_of_next_row(card, seg.lines, k, state):
                    state.pending.append((line, cells))
                    state.halves = True
                    continue
                if _group_name_in_a_row(card, seg.lines, k, state, cells):
                    continue
                roles = _nearest_fields(card.indicators[-1], cells, line, state)
                if roles and all(_wrapped_piece(c, r) for c, r in zip(cells, roles)) \
                        and not _wrapped_level_first(state, seg.lines, k, cells):
                    if _held_for_next(seg.lines, k, state) or _starts_next_row(card, seg.lines, k, state):
                        state.pending.append((line, cells))
                        continue
                    alone = _lone_name(card.indicators[-1], state, seg.lines, cells, roles)
                    if alone != "row":
                        if alone == "either":
                            card.indicators[-1].name_rest = _text(cells[0])
                        _extend_by_position(card.indicators[-1], cells, roles)
                        continue
            if line.kind is _SPACED and not card.indicators and state.header_line is not None \
                    and _above_first_row(card, seg.lines, k, state):
                state.pending.append((line, cells))
                continue
            if state.pending and (not state.roles or _names_indicator_header(words)):
                _flush_pending(card, state)
            if line.kind is not _SPACED:
                if _header_words_above(state, seg.lines, k, words):
                    above = cells
                    continue
                if above and _names_indicator_header(words):
                    cells = _with_words_above(cells, above)
                    words = {norm(c.text) for c in cells}
                above = []
                if after_header and (rest := _header_word_below(state, cells)) is not None:
                    cells = rest
                    words = {norm(c.text) for c in cells}
                    if not any(c.text for c in cells):
                        continue
            after_header = False
            if not state.roles and (state.task_columns is not None or _task_header(words)) \
                    and _task_line(card, state, cells, line, words):
                continue
            if _names_indicator_header(words):
                if line.kind is _SPACED:
                    cells = _header_words_apart(cells)
                if not (state.roles and _same_header(cells, state.header_cells)):
                    # (The header printed again on a new page keeps the columns its sub-row, 符号 / 值 /
                    # 单位, split 指标值 into, whether or not the sub-row is printed again.)
                    _map_roles(state, cells)
                state.header_cells, state.header_line, state.after_header = cells, line, True
                after_header = line.kind is not _SPACED
                continue
            if state.roles and "符号" in words:
                _map_roles(state, cells, sub=True)
                continue
            if state.roles:
                if n > 0 and first_data and card.indicators and (
                        _continues(state, cells) or (line.kind is not _SPACED and _packed_rest(state, cells))):
                    _extend(card.indicators[-1], state, cells, line)
                else:
                    _indicator(card, state, cells, line)
                first_data = False
                continue
            if line.kind is _SPACED and _extend_values(card, state, cells, line):
                continue
            state.values = [(attr, _x(line, cell.span[0])) for attr, cell in _fields(card, state, cells, line)]
        _flush_pending(card, state)
    if not (card.indicators or card.budget.total or card.project_name or card.tasks):
        raise Unreadable("no card fields this reader recognises")
    if card.midterm_goals and not card.goals:
        # The period's goal is told from the year's only beside it: printed alone, it is the card's goal.
        card.goals, card.midterm_goals = card.midterm_goals, []
    _list_untaken(card, [(line.start, line.text) for line in chunk.lines if line.kind not in _NOT_PRINTED_ON_THE_CARD])
    return card


def _list_untaken(card: PerformanceCard, lines: list[tuple[int, str]]) -> None:
    """The card's figures no field took, first, then those its reading left unread (a figure in another unit than
    the card's, under a key the budget has no field for): each once."""
    untaken = card.untaken_figures(lines)
    listed = {t.span for t in untaken}
    card.unparsed = [*untaken, *(t for t in card.unparsed if t.span not in listed)]


def _summary_grid_cards(card: PerformanceCard, chunk: Chunk) -> list[PerformanceCard] | None:
    """Cards printed as one summary grid: the card's labels (项目名称 | 实施单位 | 年度资金总额 | 财政拨款 | 年度目标) in the
    indicator header's row, one block of rows per project, its cells printed on the block's first row. Read as one card,
    those cells are kept under their headers in each block's first indicator (``other``); a cell under 项目名称 starts a
    card, and the cells under the labels the reader knows become that card's fields. None when the grid is no such
    grid (the first indicator names no project, or the card names its project above the grid)."""
    def project_header(ind: Indicator) -> str | None:
        return next((h for h in ind.other if _key(h) == "项目名称"), None)

    if card.project_name is not None or card.tasks or not card.indicators or project_header(card.indicators[0]) is None:
        return None
    blocks: list[list[Indicator]] = []
    for ind in card.indicators:
        if project_header(ind) is not None or not blocks:
            blocks.append([])
        blocks[-1].append(ind)
    starts = [card.span[0]] + [block[0].span[0] for block in blocks[1:]]
    ends = [s for s in starts[1:]] + [card.span[1]]
    lines = [(line.start, line.text) for line in chunk.lines if line.kind not in _NOT_PRINTED_ON_THE_CARD]
    cards = []
    for n, (block, c0, c1) in enumerate(zip(blocks, starts, ends)):
        one = PerformanceCard(section_id=chunk.id if n == 0 else f"{chunk.id}-{n + 1}", kind=card.kind,
                              title=card.title, span=(c0, c1), unit=card.unit, unit_text=card.unit_text,
                              indicators=block)
        for ind in block:
            for header in [h for h in ind.other if _key(h) is not None]:
                _grid_field(one, _key(header), header, ind.other.pop(header))
        one.notes = (list(card.notes) if n == 0 else []) + [
            f"card {n + 1} of {len(blocks)} printed as one summary grid (the card's labels in its header row)"]
        _list_untaken(one, lines)
        cards.append(one)
    return cards


def _grid_label_pieces(indicators: list[Indicator], state: _State, cells: list[Cell], line) -> list[Cell]:
    """A space-aligned summary grid's line under a block's first row: its pieces under a card label's column (年度目标,
    项目名称, 实施单位 wrapped in their narrow columns) are the rest of the block's cell there, joined to it (kept in
    the indicator that holds it, as the block's first row's cells are, until the grid is split into cards); the
    line's other cells returned. A line printing a project's name under 项目名称 starts a block: none taken."""
    labels = {i: h for i, h in state.unknown.items() if _key(h) is not None and i < len(state.header_cells)}
    if not labels or state.header_line.kind is not _SPACED:
        return cells
    at = {i: _x(state.header_line, state.header_cells[i].span[0]) for i in labels}
    pieces, rest = {}, []
    for cell in cells:
        x = _x(line, cell.span[0])
        i = next((i for i, a in at.items() if abs(a - x) <= 1), None)
        (rest.append(cell) if i is None else pieces.setdefault(labels[i], cell))
    holder = next((h for h in reversed(indicators) if any(label in h.other for label in labels.values())), None)
    if not pieces or holder is None or any(_key(h) == "项目名称" for h in pieces):
        return cells
    for label, cell in pieces.items():
        old = holder.other.get(label)
        holder.other[label] = _text(cell) if old is None else Text(
            text=old.text + cell.text, span=(old.span[0], cell.span[1]), parts=old.parts + cell.parts)
    return rest


def _grid_field(card: PerformanceCard, key: str, header: str, text: Text) -> None:
    """A summary grid's cell under a card label (``key``, from its ``header`` as printed) into the card's field."""
    if key in _TEXT_KEYS:
        old = getattr(card, _TEXT_KEYS[key])
        setattr(card, _TEXT_KEYS[key], text if old is None else Text(
            text=old.text + text.text, span=(old.span[0], text.span[1]), parts=old.parts + text.parts))
    elif key in _BUDGET_KEYS or _SOURCE_KEY.match(key):
        value = _cell_amount(text)
        if value is None:
            _figure_unread(card, text)
            return  # not a figure: left unread (its numbers are flagged read.unparsed)
        if key in _BUDGET_KEYS:
            setattr(card.budget, _BUDGET_KEYS[key], value)
        else:
            card.budget.sources[_SOURCE_KEY.match(key).group("name")] = value
        if (m := _BUDGET_LABEL_UNIT.match(norm(header))) and card.unit_text is None:
            card.unit = m.group("unit")
    elif _GOAL_KEY.match(key):
        getattr(card, _goal_field(key)).append(text)


# A budget label that prints the unit of the card's amounts in brackets: 项目资金（元）, 资金来源(元), 预算金额（元）,
# 年度资金总额（万元）. (A bracketed unit after an indicator's name, 人均补助（元）, is the indicator's own.)
_BUDGET_LABEL_UNIT = re.compile(r"^(?P<label>[^\s（()]{0,10}(?:资金|金额|预算|总额|拨款|结转)[^\s（()]{0,6})\s*"
                                r"[（(]\s*(?:单位\s*[：:])?\s*(?:人民币)?\s*(?P<unit>百万元|万元|千元|亿元|元)\s*[)）]\s*[:：]?$")
_MONEY_UNIT_IN_LABEL = re.compile(r"\s*[（(]\s*(?:单位\s*[：:])?\s*(?:人民币)?\s*(?:百万元|万元|千元|亿元|元)\s*[)）]")


def card_unit(lines: list) -> dict:
    """The unit of a card's amounts (its budget and task grid), from the card's lines above its indicator grid: a
    budget label's bracketed unit (项目资金（元）, 预算金额（元）: nearest the figures), else the unit line (单位：元,
    金额单位：元). 万元 when the card prints neither, as the templates do; a statement the reader does not understand
    leaves it so (the card's own words are kept in unit_text)."""
    above: list = []
    for line in lines:
        # (The header's words 二级指标 / 三级指标, and a budget label's unit 元, asked of the text first: most lines
        # print neither.)
        if "指" in line.text and line.is_row and _names_indicator_header({norm(c.text) for c in split_cells(line)}):
            break
        above.append(line)
    for line in above:
        if "元" not in line.text or not line.is_row:
            continue
        for cell in _cells(line):
            m = _BUDGET_LABEL_UNIT.match(cell.text.strip())
            if m:
                return {"unit": m.group("unit"), "unit_text": _text(cell)}
    found = statement_in((line.start, line.text) for line in above)
    if found is None:
        return {}
    statement, start = found
    printed = Text(text=statement.text, span=(start, start + len(statement.text)))
    return {"unit": statement.unit, "unit_text": printed} if statement.unit else {"unit_text": printed}


def inherit_card_units(cards: list[PerformanceCard]) -> None:
    """A card that prints no unit is in the unit the document's other cards state, when they agree (a page of cards
    under one unit line, or a template that states it on the first card only); else 万元 stays, as templates print."""
    stated = {c.unit for c in cards if c.unit_text is not None}
    if len(stated) != 1:
        return
    unit = stated.pop()
    for card in cards:
        if card.unit_text is None:
            card.unit = unit
            card.notes.append(f"unit: {unit}, as the document's other cards state (this card prints none)")


# Lines of a card's section that print none of its figures: blank lines, page furniture (a page's number).
_NOT_PRINTED_ON_THE_CARD = (LineKind.BLANK, LineKind.SEPARATOR, LineKind.PAGE_HEADER)


def _mostly_flattened(chunk: Chunk, paragraphs: int) -> bool:
    """A card whose lines are mostly not rows: a flattened layout with a stray row or two in it. The lines of its
    fields printed as paragraphs (``paragraphs`` of them: 项目名称：…) above a grid of indicator rows are read as they
    are, not flattened cells."""
    rows = sum(len(seg.lines) for seg in chunk.segments)
    text = sum(1 for line in chunk.lines[1:] if line.kind is _TEXT)
    if text > 2 * rows and paragraphs and _indicator_grid(chunk):
        text -= paragraphs
    return text > 2 * rows


def _indicator_grid(chunk: Chunk) -> bool:
    """The card's rows print its indicator header: its indicators are a grid of rows, not cells flattened into lines
    (a card cut short before its grid, or flattened with it, is not read by its paragraphs alone)."""
    return any(_names_indicator_header({norm(c.text) for c in split_cells(line)})
               for seg in chunk.segments for line in seg.lines)


_FIELD_GAP = re.compile(r"\s{2,}")


def _cells_of(state: _State, line, starts: frozenset[int] = frozenset()) -> list[Cell]:
    """``_cells`` of a line of the card, split once (the list is shared: callers make new lists, never change it)."""
    key = (line.start, starts if line.kind is _SPACED else None)  # (a line of the card: known by its start)
    cells = state.split.get(key)
    if cells is None:
        cells = state.split[key] = _cells(line, starts)
    return cells


def _cells(line, starts: frozenset[int] = frozenset()) -> list[Cell]:
    """A card row's cells: delimited cells, or a space-aligned line's fields (runs of two or more spaces
    apart) in order. A card's text cells are long and wrap, so their columns are told by their words
    (see ``_placed_by_content``), not by where they start; but a cell that fills its column to the edge
    leaves one space before the next, so a single space before a word that starts where a column starts
    (``starts``: where the last indicator's fields and the header's cells started) parts two cells too."""
    if line.kind is not _SPACED:
        return split_cells(line)
    cells = []
    pos = 0
    for field_text in _FIELD_GAP.split(line.text):
        at = line.text.index(field_text, pos) if field_text else pos
        pos = at + len(field_text)
        body = field_text.strip()
        if not body:
            continue
        start = line.start + at + (len(field_text) - len(field_text.lstrip()))
        if " " not in body:
            # (Most fields: the cells below are parted at a single space, and this field has none.)
            cells.append(Cell(body, [(start, start + len(body))], start))
            continue
        for cell in _amount_beside_key(Cell(body, [(start, start + len(body))], start)):
            for piece in (_key_beside_value(cell) if not cells else [cell]):
                for part in _level_beside_name(piece):
                    cells.extend(_parted(part, line, starts))
    return cells


def _key_beside_value(cell: Cell) -> list[Cell]:
    """A line's first field that is a text key and its value one space apart (年度绩效目标 全年组织…: a converter left
    one space between the cells): two cells."""
    key, sep, rest = cell.text.partition(" ")
    if not sep or not rest.strip() or _key(key) is None or _key(key) in _BUDGET_KEYS:
        return [cell]
    at = cell.span[0] + len(key) + 1 + (len(rest) - len(rest.lstrip()))
    rest = rest.strip()
    return [Cell(key, [(cell.span[0], cell.span[0] + len(key))], cell.span[0]), Cell(rest, [(at, at + len(rest))], at)]


def _level_beside_name(cell: Cell) -> list[Cell]:
    """A level's name and the indicator's name one space apart (服务对象满意度指标 群众满意度: the level filled its column
    to the edge): two cells."""
    level, sep, rest = cell.text.partition(" ")
    if not sep or level not in _LEVELS or not rest.strip():
        return [cell]
    at = cell.span[0] + len(level) + 1 + (len(rest) - len(rest.lstrip()))
    rest = rest.strip()
    return [Cell(level, [(cell.span[0], cell.span[0] + len(level))], cell.span[0]), Cell(rest, [(at, at + len(rest))], at)]


_AMOUNT_WORD = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def _amount_beside_key(cell: Cell) -> list[Cell]:
    """A field's amount and the next key one space apart (2.00 其中：财政资金: an amount filling its cell to the edge)
    are two cells: parted when every word of the piece is an amount or a key, one of each at least."""
    if " " not in cell.text or not any(ch.isdigit() for ch in cell.text):
        return [cell]
    words = cell.text.split(" ")
    amounts = [bool(_AMOUNT_WORD.match(w)) for w in words]
    if not any(amounts) or all(amounts) or not all(a or _key(w) is not None for a, w in zip(amounts, words)):
        return [cell]
    out, at = [], cell.span[0]
    for w in words:
        if w:
            out.append(Cell(w, [(at, at + len(w))], at))
        at += len(w) + 1
    return out


def _parted(cell: Cell, line, starts: set[int]) -> list[Cell]:
    if not starts or " " not in cell.text:
        return [cell]
    base = cell.span[0] - line.start
    cuts = [m.end() for m in _ONE_SPACE.finditer(cell.text)
            if _x(line, line.start + base + m.end()) in starts]
    if not cuts:
        return [cell]
    out, prev = [], 0
    for cut in [*cuts, len(cell.text) + 1]:
        body = cell.text[prev:cut - 1] if cut <= len(cell.text) else cell.text[prev:]
        s0 = cell.span[0] + prev
        out.append(Cell(body, [(s0, s0 + len(body))], s0))
        prev = cut
    return out


def _column_starts(card: PerformanceCard, state: _State) -> frozenset[int]:
    """Where the columns of the indicator rows start across the page, as far as the card has shown."""
    if not state.roles or state.header_line is None:
        return frozenset()
    ind = card.indicators[-1] if card.indicators else None
    fields = (ind.name, ind.description, ind.target, ind.basis, ind.scoring) if ind is not None else ()
    # The same until the header, the last indicator or one of its fields changes: worked out once.
    key = (state.header_line, state.header_cells, state.last_line, *fields)
    if state.starts is not None and state.starts[0] == key:
        return state.starts[1]
    starts = frozenset(_x(state.header_line, c.span[0]) for c in state.header_cells if c.text)
    if ind is not None and state.last_line is not None and state.last_line.start > state.header_line.start:
        line = state.last_line
        starts |= {_x(line, a) for a in (_start_on(f, line) for f in fields if f is not None)
                   if line.start <= a < line.end}
    state.starts = (key, starts)
    return starts


def _header_rest(state: _State, cells: list[Cell], line) -> bool:
    """A line under the indicator header whose pieces each finish the header cell above them
    ("指标值确定依" / "据"): the header's wrapped rest. Join it to the header and map the columns anew."""
    header = state.header_cells
    joined = list(header)
    for cell in cells:
        x0, x1 = _x(line, cell.span[0]), _x(line, cell.span[1])
        above = [i for i, h in enumerate(header) if h.text and _x(state.header_line, h.span[0]) < x1
                 and _x(state.header_line, h.span[1]) + 2 > x0]
        if len(above) != 1:
            return False
        i = above[0]
        word = norm(joined[i].text + cell.text)
        if _header_word(norm(joined[i].text)) or not _header_word(word):
            return False
        joined[i] = joined[i].joined(cell)
    state.header_cells = joined
    _map_roles(state, joined)
    return True


def _wrapped_piece(cell: Cell, role: str) -> bool:
    """A lone field under an indicator: the rest of a cell that wrapped, not a row of its own.

    Words that read like a target ("降低了就医成本") are a piece only where they stand under another field.
    """
    t = norm(cell.text)
    return t not in _LEVEL1 and t not in _LEVEL2_ONLY and _key(cell.text) is None \
        and not (_TARGET_LIKE.search(t) and (role == "target" or _TARGET_START.search(t)))


_TARGET_START = re.compile(r"^(≥|≧|>=|≤|≦|<=|=|＝|<|>|＜|＞)|^\d+(\.\d+)?\s*\S{0,6}$|%$")


# Text columns beside the name and the target: a row of its own would print its cells there too (a description, a
# basis), so a name piece alone under a row of such a grid is the rest of the name.
_OTHER_TEXT_COLUMNS = ("description", "midterm_target", "basis", "scoring")
_UNFINISHED_END = re.compile(r"[，,、；;：:（(“]$")  # a name's line ending mid-sentence: it goes on below
_FRAGMENT_START = re.compile(r"^[）)》〉>】\]”、，,。；;：:%％]")


def _lone_name(ind: Indicator, state: _State, lines: list, cells: list[Cell], roles: list[str]) -> str | None:
    """What a lone name under the name column is, under a row that printed its target: "row" — an indicator of its own
    whose 指标值 the document left empty (flagged as such) — when the name above did not fill its column (a name of
    the grid printed on one line is wider: the name above had room, and did not wrap); "either" when one is as wide
    (the name above may have wrapped at the column's edge, or filled it and ended: the layout cannot tell, so the
    piece is joined as before and the indicator says so, for the verifier to flag); None: the name's rest.

    A name wraps only when it is wider than its column holds, so its first line is the widest text the column prints on
    one line. Only in a grid whose only text columns are the name and the target: a row of its own would print its
    description or basis too. A piece that reads as a fragment (it closes a bracket the name left open, starts with
    punctuation, is one or two characters), under a name whose line ends mid-sentence (a comma), or under a name that
    wrapped already, is the name's rest."""
    if roles != ["name"] or ind.name is None or ind.target is None or state.last_line is None \
            or len(ind.name.parts) > 1 or any(r in state.roles for r in _OTHER_TEXT_COLUMNS) \
            or not _printed_on(ind.target, state.last_line) or not _printed_on(ind.name, state.last_line):
        return None
    piece, name = norm(cells[0].text), norm(ind.name.text)
    if len(piece) <= 2 or _FRAGMENT_START.match(piece) or _UNFINISHED_END.search(name) \
            or any(name.count(o) > name.count(c) for o, c in zip(_OPENERS, _CLOSERS)):
        return None
    above = state.last_line
    x = _x(above, ind.name.span[0])
    width = _x(above, ind.name.span[1]) - x
    others = []
    for n, line in enumerate(lines):
        if line is above or line.kind is not _SPACED or line.start <= state.header_line.start:
            continue
        same = [c for c in _cells_of(state, line) if c.text and abs(_x(line, c.span[0]) - x) <= 1]
        if not same or len(_cells_of(state, line)) < 2:
            continue  # no name here, or a lone piece (itself a name's rest or a row with no value)
        below = [c for c in _cells_of(state, lines[n + 1]) if c.text] if n + 1 < len(lines) else []
        if len(below) == 1 and abs(_x(lines[n + 1], below[0].span[0]) - x) <= 1:
            continue  # a name with a lone piece under it: maybe wrapped, its width says nothing
        others.append(_x(line, same[0].span[1]) - _x(line, same[0].span[0]))
    if not others or max(others) < width:
        return None
    # (Wider by a character at least, CJK two columns wide: the name above had room for another.)
    return "row" if max(others) >= width + 2 else "either"


def _wrapped_level_first(state: _State, lines: list, k: int, cells: list[Cell]) -> bool:
    """A line that begins with a level's name wrapped in its narrow column, its rest first on the line right below
    (可持续影响指 … / 标 …): a row's line, the level's first half, not pieces of the row above."""
    first = norm(cells[0].text)
    if not (_starts_level(first, _LEVEL2_ONLY) or _starts_level(first, _LEVEL1)) or k + 1 >= len(lines) \
            or lines[k + 1].index != lines[k].index + 1:
        return False
    below = [c for c in _cells_of(state, lines[k + 1]) if c.text]
    return bool(below) and first + norm(below[0].text) in _LEVELS


def _level_rests(ind: Indicator, state: _State, cells: list[Cell]) -> list[Cell]:
    """The rest of a level's name that wrapped in its narrow column (可持续影响指 / 标, 服务对象满意 / 度指标), on the
    line under the row: joined to the level it completes (of the last row, and of the rows under it); the line's other
    cells returned."""
    rest = []
    for cell in cells:
        piece = norm(cell.text)
        for attr, known in (("level2", _LEVEL2_ONLY), ("level1", _LEVEL1)):
            name = getattr(ind, attr)
            if name and name not in known and (joined := name + piece) in known:
                setattr(ind, attr, joined)
                setattr(state, attr, joined)
                break
        else:
            rest.append(cell)
    return rest


def _held_for_next(lines: list, k: int, state: _State) -> bool:
    """Pieces of a wrapped cell on a line of their own that belong to the row below, not the one above:
    ``pdftotext`` leaves a blank line between rows and none between the lines of one row, so a piece
    with a blank line above it and the next row right under it (or under the next such piece) starts
    that row's cell, which wrapped upwards (a cell aligned to the bottom of a taller row)."""
    line = lines[k]
    if k + 1 >= len(lines) or lines[k + 1].index != line.index + 1:
        return False
    if state.pending and state.pending[-1][0].index == line.index - 1:
        return True
    return k > 0 and line.index - lines[k - 1].index > 1


_TEXT_FIELDS = ("name", "description", "midterm_target", "target", "basis", "scoring")


def _first_row_pieces(line, state: _State) -> bool:
    """A line under the card's indicator header, before any row, that holds only pieces of wrapped cells, each
    under the header of a text field (a label printed left of the header's columns is no piece)."""
    cells = [c for c in _cells_of(state, line) if c.text]
    if not cells or _is_indicator_header(cells) or "符号" in [norm(c.text) for c in cells]:
        return False
    fields = [r for r in _TEXT_FIELDS if r in state.roles]
    first = min(state.roles[r] for r in fields)
    if any(_header_column(c, line, state) < first for c in cells):
        return False
    roles = _under_header(cells, line, state, fields)
    return bool(roles) and all(_wrapped_piece(c, r) for c, r in zip(cells, roles))


def _above_first_row(card: PerformanceCard, lines: list, k: int, state: _State) -> bool:
    """Pieces under the card's indicator header that begin its first row: lines of pieces, right above the
    first row's line with no blank line between (cells centred or aligned to the bottom of a tall row)."""
    if not any(r in state.roles for r in _TEXT_FIELDS) or not _first_row_pieces(lines[k], state):
        return False
    i = k + 1
    while i < len(lines) and lines[i].index == lines[i - 1].index + 1 and _first_row_pieces(lines[i], state):
        i += 1
    if i >= len(lines) or lines[i].index != lines[i - 1].index + 1:
        return False
    row = [c for c in _cells_of(state, lines[i]) if c.text]
    return any(norm(c.text) in _LEVEL1 or norm(c.text) in _LEVEL2_ONLY for c in row)


def _placed_pieces(card: PerformanceCard, line, state: _State, seen: dict) -> tuple[list[Cell], list[str]]:
    """A line's printed cells and the field of the last indicator each stands under (``_nearest_fields``): worked out
    once per line while the lines about a row are weighed (``seen``, by line: nothing they depend on changes then)."""
    placed = seen.get(line.index)
    if placed is None:
        cells = [c for c in _cells_of(state, line, _column_starts(card, state)) if c.text]
        placed = seen[line.index] = (cells, _nearest_fields(card.indicators[-1], cells, line, state) if cells else [])
    return placed


def _is_piece_line(card: PerformanceCard, line, state: _State, seen: dict) -> bool:
    """A line that holds nothing but pieces of wrapped cells (no level name, target or field of its own)."""
    cells, roles = _placed_pieces(card, line, state, seen)
    if not cells or _is_indicator_header(cells) or "符号" in [norm(c.text) for c in cells]:
        return False
    return bool(roles) and all(_wrapped_piece(c, r) for c, r in zip(cells, roles))


def _occupied(card: PerformanceCard, line, state: _State, seen: dict) -> set[str]:
    """The indicator fields a line prints a piece under (level names left out: they are one line)."""
    cells, roles = _placed_pieces(card, line, state, seen)
    return {r for c, r in zip(cells, roles) if norm(c.text) not in _LEVEL1 and norm(c.text) not in _LEVEL2_ONLY}


def _starts_next_row(card: PerformanceCard, lines: list, k: int, state: _State) -> bool:
    """Pieces on a line between two rows with no blank line between them that start the row below: the
    cells of a tall row centred in it (``pdftotext`` prints a row's one-line cells on its middle line and its
    taller cells above and below them).

    A cell is one run of lines in its column. Between the last row's line and the next row's, a run in a
    field's column that holds the upper row's line ends that row's cell there; a run that reaches down to the
    lower row's line without touching the upper's starts the lower row's cell. Where one run holds both rows'
    lines, and the card has printed cells above their row's line before, each row's cell is taken as centred
    on its line: the lower row's reaches above its line as far as below it, less one (a cell whose lines do not
    split evenly about the line may lean either way). The line is the lower row's when
    it stands below where every upper cell ends and at or below where some lower cell begins; every line the
    upper row can keep stays with it (cells aligned to the top wrap only downwards)."""
    upper = state.last_line
    # (Lines found by identity: comparing them field by field is slow and says nothing more.)
    top = next((i for i in range(k) if lines[i] is upper), None) if card.indicators and upper is not None else None
    if top is None:
        return False
    if any(b.index != a.index + 1 for a, b in zip(lines[top:k], lines[top + 1:k + 1])):
        return False  # a blank line in between: the rule for rows set apart by blank lines decides
    seen: dict = {}
    below = _past_pieces(card, lines, k + 1, state, seen)
    if below >= len(lines) or lines[below].index != lines[below - 1].index + 1:
        return False
    nxt = [c for c in _cells_of(state, lines[below], _column_starts(card, state)) if c.text]
    if not nxt or _is_indicator_header(nxt):
        return False
    span = lines[top:_past_pieces(card, lines, below + 1, state, seen)]  # the lower row's pieces below it too
    b = below - top
    ind = card.indicators[-1]
    last_upper, first_lower, shared = 0, b, []
    runs = _runs(card, span, state, seen)
    starting = {(role, run[0]): run for role, run in runs}
    for role, run in runs:
        under = starting.get((role, b + 1)) if run[-1] == b - 1 else None
        field = getattr(ind, role, None)
        if run[0] == 1 and role in state.held_x and field is not None and not _printed_on(field, upper):
            # The upper row printed this cell's first half above its line and none on it: the half right
            # under its line is the rest of it.
            last_upper = max(last_upper, 1)
        elif under is not None:
            # A cell in two halves, one on each side of the lower row's line, which it leaves empty: a cell
            # centred on that line with its lines set between the line's (pdftotext cut it in two). It reaches
            # as far above the line as below; lines above that, in a run from the upper row, are the upper's.
            start = max(run[0], b - len(under), 1)
            first_lower = min(first_lower, start)
            if run[0] == 0:
                last_upper = max(last_upper, start - 1)
        elif run[0] == 0 and run[-1] < b:
            last_upper = max(last_upper, run[-1])
        elif run[0] > 0 and run[0] <= b <= run[-1]:
            first_lower = min(first_lower, run[0])
        elif run[0] == 0 and run[-1] >= b and state.cells_above:
            field = getattr(ind, role, None)
            above = _lines_above(lines, top, field.parts[0][0]) if field is not None and field.parts else 0
            last_upper = max(last_upper, above)  # centred: as far below the upper line as it starts above
            shared.append(b - (run[-1] - b) + 1)  # (a cell one line taller than the other half may lean down)
    first_lower = min([first_lower, *(s for s in shared if s > last_upper)])
    return last_upper < first_lower and k - top >= first_lower


def _past_pieces(card: PerformanceCard, lines: list, i: int, state: _State, seen: dict) -> int:
    """The first line from ``i`` on that is not a line of pieces right under the one before it."""
    while i < len(lines) and lines[i].index == lines[i - 1].index + 1 and _is_piece_line(card, lines[i], state, seen):
        i += 1
    return i


def _runs(card: PerformanceCard, span: list, state: _State, seen: dict) -> list[tuple[str, list[int]]]:
    """Each field's runs of consecutive lines in ``span`` that print a piece under it, as positions in it."""
    at: dict[str, list[int]] = {}
    for n, line in enumerate(span):
        for role in _occupied(card, line, state, seen):
            at.setdefault(role, []).append(n)
    out = []
    for role, ns in at.items():
        start = 0
        for i in range(1, len(ns) + 1):
            if i == len(ns) or ns[i] != ns[i - 1] + 1:
                out.append((role, ns[start:i]))
                start = i
    return out


def _lines_above(lines: list, top: int, offset: int) -> int:
    """How many lines above ``lines[top]`` the one holding ``offset`` is (0 when on it, below, or elsewhere)."""
    for n in range(top, -1, -1):
        if lines[n].start <= offset:
            return top - n if offset <= lines[n].end else 0
    return 0


def _row_top(card: PerformanceCard, lines: list, k: int, state: _State) -> int | None:
    """Where the last row's line stands in ``lines`` when every line from it down to ``lines[k]`` follows the one
    before with no blank line between (the lines of one run of rows); None otherwise."""
    upper = state.last_line
    top = next((i for i in range(k) if lines[i] is upper), None) if card.indicators and upper is not None else None
    if top is None or any(b.index != a.index + 1 for a, b in zip(lines[top:k], lines[top + 1:k + 1])):
        return None
    return top


def _line_of(lines: list, offset: int, start: int = 0) -> int | None:
    return next((n for n in range(start, len(lines)) if lines[n].start <= offset <= lines[n].end), None)


def _row_reach(ind: Indicator, lines: list, top: int) -> int:
    """How many lines below its own line (``lines[top]``) the row's cells reach for certain: a cell centred in the row
    reaches as far below its line as it starts above it (one split about the line, leaving it empty, as well as one
    printed across it), and at least as far as the pieces joined to it so far."""
    reach = 0
    for role in _TEXT_FIELDS:
        text: Text | None = getattr(ind, role)
        if text is None or not text.parts:
            continue
        last = _line_of(lines, text.parts[-1][0], top)
        reach = max(reach, _lines_above(lines, top, text.parts[0][0]), (last - top) if last is not None else 0)
    return reach


_HALF_LINES = 3  # the most lines of a cell's upper half looked through, down to its row's line


def _upper_half_of_next_row(card: PerformanceCard, lines: list, k: int, state: _State) -> bool:
    """Cells above a row's line in a column it leaves empty, printed again below it in as many lines at least: the
    upper half of that row's cell, split about its line (a cell of an even number of lines centred in a tall row:
    pdftotext prints the row's one-line cells, its levels, on a line between the halves: 救助资金使用金 49650000 /
    成本指标 / 额 元) — held for that row, not read as a row of its own nor as the rest of the row above, once the row
    above is complete (its cells reach no further down than they started above its line)."""
    top = _row_top(card, lines, k, state) if _name_and_target_only(state) else None
    if top is None or k - top <= _row_reach(card.indicators[-1], lines, top):
        return False
    seen: dict = {}
    cells, _ = _placed_pieces(card, lines[k], state, seen)
    if not cells or any(norm(c.text) in _LEVELS for c in cells) or _is_indicator_header(cells):
        return False  # (a level's first half may be split about the row's line too: 满意度指 / 满意度指标 ≥85% / 标)
    columns = _occupied(card, lines[k], state, seen)
    j = k + 1  # the row's line: the first below that prints a level
    while j < len(lines) and lines[j].index == lines[j - 1].index + 1 and j - k <= _HALF_LINES:
        row, _ = _placed_pieces(card, lines[j], state, seen)
        if _is_indicator_header(row):
            return False
        if any(_names_level(c) for c in row):
            break
        j += 1
    else:
        return False
    split = columns - _occupied(card, lines[j], state, seen)
    return bool(split) and all(_lines_printing(card, lines, j + 1, col, state, seen) >= _lines_printing(
        card, lines[k:j][::-1], 0, col, state, seen) for col in split)


def _name_and_target_only(state: _State) -> bool:
    """A grid whose only text columns are the name and the target. (Where it prints a description or a basis too, a
    row's pieces may stand under any of four columns, and the rows above — read wrong themselves, often — are no
    guide to where: there pieces are placed as before, by the header and by their words.)"""
    return not any(r in state.roles for r in _OTHER_TEXT_COLUMNS)


def _names_level(cell: Cell) -> bool:
    t = norm(cell.text)
    return t in _LEVELS or _starts_level(t, _LEVELS)


def _lines_printing(card: PerformanceCard, lines: list, i: int, column: str, state: _State, seen: dict) -> int:
    """How many lines from ``lines[i]`` on, one right after the other, print a piece in ``column`` and no row's own
    level (a group's level-1 name may stand beside a row's pieces)."""
    n = i
    while n < len(lines) and (n == i or abs(lines[n].index - lines[n - 1].index) == 1):
        cells, _ = _placed_pieces(card, lines[n], state, seen)
        if column not in _occupied(card, lines[n], state, seen) or any(
                _names_level(c) and norm(c.text) not in _GROUP_NAMES for c in cells):
            break
        n += 1
    return n - i


def _group_name_in_a_row(card: PerformanceCard, lines: list, k: int, state: _State, cells: list[Cell]) -> bool:
    """A level-1 name printed on a line of the last row's cells, which go on there (效益指标 beside 众就医负担 著, the
    lower half of a row whose cells were split about its line): the name of a group of rows, set where the middle
    of its cell falls, which is a line of this row — the row's level 1, and the line's other cells its rest."""
    groups = [c for c in cells if norm(c.text) in _GROUP_NAMES]
    rest = [c for c in cells if c.text and c not in groups]
    if len(groups) != 1 or not rest:
        return False
    top = _row_top(card, lines, k, state)
    ind = card.indicators[-1]
    if top is None or k - top > _row_reach(ind, lines, top):
        return False
    roles = _nearest_fields(ind, rest, lines[k], state)
    if not roles or not all(_wrapped_piece(c, r) for c, r in zip(rest, roles)):
        return False
    ind.level1 = state.level1 = norm(groups[0].text)
    _extend_by_position(ind, rest, roles)
    return True


def _flush_pending(card: PerformanceCard, state: _State) -> None:
    """Pieces held for a row below that did not come: they end the indicator above after all."""
    for line, cells in state.pending:
        if card.indicators:
            roles = _nearest_fields(card.indicators[-1], cells, line, state)
            if roles:
                _extend_by_position(card.indicators[-1], cells, roles)
    state.pending, state.halves = [], False


def _level_start(ind: Indicator, state: _State, cell: Cell, printed: tuple[str, ...]) -> bool:
    """A held piece that starts a level's name the row's line does not print (满意度指 / 满意度指标 ≥85% / 标: a level
    wrapped in its narrow column and centred about the row's line): the row's level, finished by ``_level_rests``
    from the line that prints its rest. ``printed``: the levels the row's line prints (those stay)."""
    piece = norm(cell.text)
    if printed == ("level1",) and _starts_level(piece, _LEVEL1):
        # The line's one level stands right of a level-1 name split about it (满意度指 / 满意度指标 / 标): the
        # line's is the row's level 2, under the level 1 it splits.
        ind.level2 = state.level2 = ind.level1
        ind.level1 = state.level1 = piece
        return True
    for attr, known in (("level1", _LEVEL1), ("level2", _LEVEL2_ONLY)):
        if attr not in printed and _starts_level(piece, known):
            setattr(ind, attr, piece)
            setattr(state, attr, piece)
            return True
    return False


def _columns_above(card: PerformanceCard, state: _State) -> dict[str, int]:
    """Where the last row starts each of its text fields across the page (and the header each column it left empty);
    {} where a header printed again, or a new page, may have moved the columns since."""
    if not card.indicators or state.last_line is None or state.page_starts or (
            state.header_line is not None and state.header_line.start > state.last_line.start):
        return {}
    ind = card.indicators[-1]
    fields = [role for role in _TEXT_FIELDS if getattr(ind, role) is not None]
    return (_field_starts(ind, fields, state) if fields else {}) | _empty_columns(ind, state)


def _held_cells(ind: Indicator, columns: dict[str, int], state: _State, printed: tuple[str, ...]) -> None:
    """A row whose line prints none of its text fields: the pieces held for it are its fields, top to bottom, each
    the one the row above starts nearest it (``columns``)."""
    for piece_line, cells in state.pending:
        for cell in cells:
            if _level_start(ind, state, cell, printed):
                continue
            role = _nearest(columns, _x(piece_line, cell.span[0]))
            old: Text | None = getattr(ind, role)
            setattr(ind, role, Text(text=old.text + cell.text, span=(old.span[0], cell.span[1]),
                                    parts=old.parts + cell.parts) if old is not None else _text(cell))
            state.held_x.setdefault(role, _x(piece_line, cell.span[0]))
        ind.span = (min(ind.span[0], piece_line.start), ind.span[1])
    state.cells_above = True
    state.pending = []


def _prepend_pending(ind: Indicator, line, state: _State, printed: tuple[str, ...] = (),
                     above: dict[str, int] | None = None) -> None:
    """Join the pieces held for this indicator to the fields they stand over, before the field's text. A column the
    row's line leaves empty starts where the row above starts it (``above``), else where the header does."""
    fields = [role for role in _TEXT_FIELDS if getattr(ind, role) is not None]
    empty = {r: x for r, x in (above or {}).items() if r not in fields} or _empty_columns(ind, state)
    state.cells_above = state.cells_above or bool(fields)
    for piece_line, cells in reversed(state.pending):
        for cell in cells:
            if not fields:
                break
            if _level_start(ind, state, cell, printed):
                continue
            x = _x(piece_line, cell.span[0])
            starts = {r: _held_start(getattr(ind, r), r, line, state) for r in fields} | \
                {r: x for r, x in empty.items() if r not in fields}
            role = _nearest(starts, x)
            if getattr(ind, role) is None:
                setattr(ind, role, _text(cell))  # the first piece of a column the row's line left empty
                fields.append(role)
            elif _keeps_figure(ind, role, cell) and ind.name is None:
                # Words nearest a target that reads as a figure ("≥70%"), on a row whose line prints no name:
                # the name, printed all above the line (a centred cell cut in two about it), not the target's.
                ind.name, role = _text(cell), "name"
                fields.append("name")
            else:
                old: Text = getattr(ind, role)
                setattr(ind, role, Text(text=cell.text + old.text, span=(cell.span[0], old.span[1]),
                                        parts=cell.parts + old.parts))
            state.held_x[role] = x
        ind.span = (min(ind.span[0], piece_line.start), ind.span[1])
    state.pending = []


def _held_start(text: Text, role: str, line, state: _State) -> int:
    """Where a field of a row starts across the page: on the row's line, or where its first piece held from above
    started, for a field the line leaves empty."""
    on = _first_on(text, line)
    if on is None and role in state.held_x:
        return state.held_x[role]
    return _x(line, text.span[0] if on is None else on)


def _nearest_fields(ind: Indicator, cells: list[Cell], line, state: _State) -> list[str]:
    """The indicator's field each cell of a line stands under: the one that starts nearest it on the
    indicator's line. A header repeated on a new page in between says how far that page's lines moved."""
    fields = [role for role in _TEXT_FIELDS if getattr(ind, role) is not None]
    if not fields:
        return []
    if state.header_line is not None and state.header_line.start > state.last_line.start:
        # The header was printed again (a new page, maybe laid out anew).
        return _under_header(cells, line, state, fields)
    if state.page_starts:
        # A new page with no header again: its first row says where its columns start.
        starts = {role: x for role, x in state.page_starts.items() if role in fields}
        if starts:
            return [_nearest(starts, _x(line, cell.span[0])) for cell in cells]
    starts = _field_starts(ind, fields, state) | _empty_columns(ind, state)  # (once for the line's cells)
    return [_nearest(starts, _x(line, cell.span[0])) for cell in cells]


def _empty_columns(ind: Indicator, state: _State) -> dict[str, int]:
    """Where the header of each text column the indicator's line left empty starts across the page (space-aligned):
    a piece printed under it, above or below the row's line (评分标准 wrapped about a row whose other cells are one
    line), is that column's, not the rest of the field printed nearest."""
    if state.header_line is None or state.header_line.kind is not _SPACED:
        return {}
    out = {}
    for role in _TEXT_FIELDS:
        i = state.roles.get(role)
        if getattr(ind, role) is None and i is not None and i < len(state.header_cells) and state.header_cells[i].text:
            out[role] = _x(state.header_line, state.header_cells[i].span[0])
    return out


def _field_starts(ind: Indicator, fields: list[str], state: _State) -> dict[str, int]:
    """Where each of the indicator's text ``fields`` starts across the page on its line (a field its line does not
    print: where its piece held from above started)."""
    # The same until the indicator, its line, one of its fields or the held pieces change: worked out once.
    key = (ind, state.last_line, *(getattr(ind, role) for role in fields))
    held = tuple(state.held_x.items())
    if state.field_starts is not None and state.field_starts[1] == held and state.field_starts[0] == key:
        return state.field_starts[2]
    line = state.last_line
    starts = {}
    for role in fields:
        text = getattr(ind, role)
        on = _first_on(text, line)
        starts[role] = _x(line, on) if on is not None else \
            state.held_x[role] if role in state.held_x else _x(line, text.span[0])
    state.field_starts = (key, held, starts)
    return starts


def _nearest(starts: dict[str, int], x: int) -> str:
    """The field that starts nearest ``x`` (the first of those as near)."""
    best, gap = None, None
    for role, at in starts.items():
        if gap is None or abs(at - x) < gap:
            best, gap = role, abs(at - x)
    return best


def _page_row_starts(lines: list, state: _State) -> dict[str, int] | None:
    """Where the fields of the first indicator row on a continued page start across it: the first line
    printing a level's name or a figure, its cells laid on the header's roles as a row is read. None when
    the header is printed again first (it tells the page's columns) or no such row is on the page."""
    if not state.roles or state.header_line is None:
        return None
    for line in lines:
        if line.kind is not _SPACED:
            return None
        cells = [c for c in _cells_of(state, line) if c.text]
        words = {norm(c.text) for c in cells}
        if _names_indicator_header(words) or "符号" in words:
            return None
        if not (words & _LEVELS or any(_TARGET_START.search(w) for w in words)):
            continue
        placed, _ = _realigned(state, _cells_of(state, line))
        return {role: _x(line, cell.span[0]) for role in _TEXT_FIELDS
                if (cell := _get(placed, state.roles.get(role))) is not None}
    return None


def _printed_on(text: Text, line) -> bool:
    return _first_on(text, line) is not None


def _first_on(text: Text, line) -> int | None:
    """Where the first piece of ``text`` printed on ``line`` starts; None when none is."""
    return next((a for a, _ in text.parts if line.start <= a <= line.end), None)


def _keeps_figure(ind: Indicator, role: str, cell: Cell) -> bool:
    """Words that would join a target that reads as a figure ("≥70%") without reading as any part of it."""
    if role != "target" or ind.target is None:
        return False
    m = _TARGET.match(ind.target.text)
    return bool(m) and bool(_UNIT.match(m.group("unit").strip())) and not _TARGET_LIKE.search(norm(cell.text)) \
        and not _UNIT.match(norm(cell.text))


def _under_header(cells: list[Cell], line, state: _State, fields: list[str]) -> list[str]:
    """The field of ``fields`` whose header column each cell stands in: a piece starts at its column's left
    edge, where the column's header word has not ended yet."""
    by_index = {i: role for role, i in state.roles.items() if role in fields}
    out = []
    for cell in cells:
        col = _header_column(cell, line, state)
        near = [i for i in by_index if i <= col] or list(by_index)
        out.append(by_index[max(near)] if near else fields[-1])
    return out


def _header_column(cell: Cell, line, state: _State) -> int:
    """The header cell whose column a cell starts in: the first whose word ends right of where it starts."""
    x = _x(line, cell.span[0])
    ends = [_x(state.header_line, c.span[1]) for c in state.header_cells]
    return next((i for i, x1 in enumerate(ends) if x1 > x), len(ends) - 1)


def _start_on(text: Text, line) -> int:
    """Where a field starts on ``line``: its first piece printed there (a piece held from a line above
    starts the field elsewhere)."""
    on = _first_on(text, line)
    return text.span[0] if on is None else on


def _extend_by_position(ind: Indicator, cells: list[Cell], roles: list[str]) -> None:
    """Join the pieces of cells that wrapped onto a line of their own to the indicator's fields they stand under."""
    line_end = max(c.span[1] for c in cells)
    for cell, role in zip(cells, roles):
        old: Text | None = getattr(ind, role)
        setattr(ind, role, Text(text=old.text + cell.text, span=(old.span[0], cell.span[1]),
                                parts=old.parts + cell.parts) if old is not None else _text(cell))
        if role == "target":
            _parse_target(ind, getattr(ind, role))
    ind.span = (ind.span[0], max(ind.span[1], line_end))


def _x(line, offset: int) -> int:
    """Where a character stands across the page (CJK characters two columns wide)."""
    return _prefix_widths(line.text)[min(max(0, offset - line.start), len(line.text))]


@lru_cache(maxsize=16384)
def _prefix_widths(text: str) -> tuple[int, ...]:
    """How wide each prefix of a line is across the page: worked out once per line, asked at many offsets."""
    return tuple(accumulate(map(_CHAR_WIDTHS.__getitem__, text), initial=0))


class _CharWidths(dict):
    """How wide a character is across the page, looked up once per character (a document prints a few hundred
    different ones, line after line): CJK characters two columns wide."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def _is_indicator_header(cells: list[Cell]) -> bool:
    return _names_indicator_header({norm(c.text) for c in cells})


def _names_indicator_header(words: set[str]) -> bool:
    """A line whose cells (``words``, normalised) are the indicator header's: 一级指标 with a lower level's, or
    three header words and nothing else (the header printed again with its first word set in another line: a
    cell merged over it and the row below, or centred higher than the rest)."""
    if "三级指标" not in words and "二级指标" not in words:
        return False  # (most lines)
    if "一级指标" in words:
        return True
    named = [w for w in words if w]
    return len(named) >= 3 and all(_header_word(w) for w in named)


def _header_words_apart(cells: list[Cell]) -> list[Cell]:
    """A space-aligned header's cells with two header words one space apart (权重（%） 评分标准: a cell filling its
    column to the edge) parted: each word heads a column of its own."""
    out = []
    for cell in cells:
        words = cell.text.split(" ")
        if len(words) < 2 or not all(w and _header_word(norm(w)) for w in words):
            out.append(cell)
            continue
        at = cell.span[0]
        for w in words:
            out.append(Cell(w, [(at, at + len(w))], at))
            at += len(w) + 1
    return out


def _header_word(word: str) -> bool:
    return bool(_header_roles(word))


def _only_header_words(words: set[str]) -> bool:
    """Every word printed (``words``, normalised) is a word of the indicator header."""
    for w in words:  # (asked of nearly every line: a loop, not a generator of ``_header_word``)
        if w and not _header_roles(w):
            return False
    return True


@lru_cache(maxsize=4096)
def _header_roles(word: str) -> tuple[str, ...]:
    """The roles of the indicator header whose wordings ``word`` (normalised) is, in ``_ROLE_HEADERS``' order."""
    return tuple(role for role, pattern in _ROLE_HEADERS if word and pattern.match(word))


def _header_words_above(state: _State, lines: list, k: int, words: set[str]) -> bool:
    """A delimited line right above the indicator header printing only words of it (``words``, its cells'
    normalised), each where the header's own line leaves its cell empty: header cells set higher than the rest
    (centred in a header row whose other cells wrap), which a reader of rows reads as a row of their own."""
    line = lines[k]
    if line.kind is _SPACED or k + 1 >= len(lines) or lines[k + 1].index != line.index + 1:
        return False
    if not _only_header_words(words):
        return False  # (most lines: asked first, of each word once)
    cells = _cells_of(state, line)
    named = [i for i, c in enumerate(cells) if c.text]
    if not named or not all(_header_word(norm(cells[i].text)) for i in named):
        return False
    below = _cells_of(state, lines[k + 1])
    return _names_indicator_header({norm(c.text) for c in below}) \
        and all(i < len(below) and not below[i].text for i in named)


def _with_words_above(cells: list[Cell], above: list[Cell]) -> list[Cell]:
    return [c if c.text or i >= len(above) or not above[i].text else above[i] for i, c in enumerate(cells)]


def _header_word_below(state: _State, cells: list[Cell]) -> list[Cell] | None:
    """The row right under a delimited indicator header, printing a word of the header in a cell the header leaves
    empty (一级指标 merged over the header and the first row under it, written in the row) beside cells of a row:
    the word moved up into the header, which is mapped again; the row without it. None when the row prints no such
    word, or only header words (the header's second row)."""
    header = state.header_cells
    moved = [i for i, c in enumerate(cells) if c.text and i < len(header) and not header[i].text
             and _header_word(norm(c.text))]
    if not moved or not any(c.text for i, c in enumerate(cells) if i not in moved) \
            or any(norm(c.text) == "符号" or _header_word(norm(c.text)) for i, c in enumerate(cells) if i not in moved):
        return None  # the header's own second row (符号 值 单位 under 指标值), or a row of nothing else
    state.header_cells = [cells[i] if i in moved else h for i, h in enumerate(header)]
    _map_roles(state, state.header_cells)
    return [Cell("", [], c.at) if i in moved else c for i, c in enumerate(cells)]


def _same_header(cells: list[Cell], before: list[Cell]) -> bool:
    return [norm(c.text) for c in cells] == [norm(c.text) for c in before]


def _map_roles(state: _State, cells: list[Cell], sub: bool = False) -> None:
    if not sub:
        state.roles = {}
        state.header_width = len(cells)
    elif "target" in state.roles and not cells[0].text == "" and len(cells) < state.header_width:
        # 符号 / 值 / 单位 under 指标值, their empty cells dropped: they stand where 指标值 stands, and the
        # header's later columns move right by the two columns they add.
        at = state.roles["target"]
        state.roles = {r: (i + 2 if i > at else i) for r, i in state.roles.items() if r != "target"}
        state.header_width += 2
        for n, cell in enumerate(c for c in cells if c.text):
            for role in _header_roles(norm(cell.text)):
                if role in ("comparator", "value", "unit"):
                    state.roles[role] = at + n
        return
    for i, cell in enumerate(cells):
        for role in _header_roles(norm(cell.text)):
            if sub or role not in state.roles:
                state.roles.setdefault(role, i)
    if sub:
        state.roles.pop("target", None)
    elif "target" in state.roles and "value" not in state.roles and ("comparator" in state.roles
                                                                     or "unit" in state.roles):
        # 指标性质 | 指标值 | 度量单位: the comparator and the unit have columns of their own; 指标值 prints the number.
        state.roles["value"] = state.roles.pop("target")
    taken = set(state.roles.values())
    state.unknown = {i: cell.text for i, cell in enumerate(cells) if cell.text.strip() and i not in taken}


def _get(cells: list[Cell], idx: int | None) -> Cell | None:
    if idx is None or idx >= len(cells) or not cells[idx].text:
        return None
    return cells[idx]


def _text(cell: Cell | None) -> Text | None:
    return Text(text=cell.text, span=cell.span, parts=cell.parts) if cell else None


def _continues(state: _State, cells: list[Cell]) -> bool:
    """A row cut by a page break: no level of its own, the rest of the last indicator's cells."""
    return _get(cells, state.roles.get("level1")) is None and _get(cells, state.roles.get("level2")) is None


def _packed_rest(state: _State, cells: list[Cell]) -> bool:
    """The rest of a row cut by a page break, in a row that lost its empty cells (its pieces packed to the
    left, so no position says the level cells are blank): a few pieces, the first no level's name."""
    filled = [i for i, c in enumerate(cells) if c.text]
    return _packed(state, cells) and len(filled) * 2 <= state.header_width \
        and _fits_role("level1", cells[0].text) < 0 and _fits_role("level2", cells[0].text) < 0


def _packed(state: _State, cells: list[Cell]) -> bool:
    """The row's cells are packed to the left: fewer than the header's, or its words first and blanks after."""
    filled = [i for i, c in enumerate(cells) if c.text]
    return bool(filled) and filled == list(range(len(filled))) and (
        len(cells) < state.header_width or len(filled) < len(cells))


_OPENERS, _CLOSERS = "（(《〈<【[“", "）)》〉>】]”"


def _cut_field(ind: Indicator, piece: str) -> str | None:
    """The field of ``ind`` a lone piece continues, when the words say: the field that with the piece is
    what the description restates ("发放" + "率" in "反映…发放率情况"), or the field that left open the
    bracket the piece closes; else the basis (the long last column, which wraps most), if printed."""
    piece = norm(piece)
    description = norm(ind.description.text) if ind.description else ""
    fields = [r for r in _TEXT_FIELDS if getattr(ind, r) is not None]
    for role in fields:
        if role != "description" and description and norm(getattr(ind, role).text) + piece in description:
            return role
    closes = [c for o, c in zip(_OPENERS, _CLOSERS) if c in piece and o not in piece.split(c)[0]]
    for role in reversed(fields):
        text = norm(getattr(ind, role).text)
        if any(text.count(o) > text.count(c) for o, c in zip(_OPENERS, _CLOSERS) if c in closes):
            return role
    return "basis" if "basis" in fields else None


def _extend(ind: Indicator, state: _State, cells: list[Cell], line) -> None:
    filled = [c for c in cells if c.text]
    if len(filled) == 1 and line.kind is not _SPACED and _packed(state, cells) \
            and (role := _cut_field(ind, filled[0].text)) in state.roles:
        # One piece, its column unknown: the field it continues, by its words.
        cells = [Cell("", [], filled[0].at)] * state.roles[role] + filled
    elif len(filled) == 1 and filled[0] is cells[-1] and len(cells) < state.header_width \
            and line.kind is not _SPACED and ind.basis is not None and "basis" in state.roles:
        # One piece in the last cell of a row that lost cells ("| | | | | | 3]) |" under a header a column wider):
        # the rest of the last column, though it may read like a figure.
        cells = [Cell("", [], filled[0].at)] * state.roles["basis"] + filled
    elif len(cells) < state.header_width or (line.kind is not _SPACED and _packed(state, cells)):
        # The rest of a row cut by a page break, in a row that lost cells: its pieces go where their
        # words fit, among the indicator's text columns.
        text_roles = _State(roles={r: i for r, i in state.roles.items() if r not in ("level1", "level2")},
                            header_width=state.header_width)
        cells = _placed_by_content(text_roles, cells) or cells
    for role in _TEXT_FIELDS:
        cell = _get(cells, state.roles.get(role))
        if cell is None:
            continue
        old: Text | None = getattr(ind, role)
        joined = Text(text=old.text + cell.text, span=(old.span[0], cell.span[1]), parts=old.parts + cell.parts) \
            if old else _text(cell)
        setattr(ind, role, joined)
        if role == "target":
            _parse_target(ind, joined)
    ind.span = (ind.span[0], line.end)


def _packed_left(cells: list[Cell]) -> bool:
    """The row's words first and blanks after, one of each at least."""
    if not cells or not cells[0].text or cells[-1].text:
        return False  # (most rows print their last column)
    first_blank = next(i for i, c in enumerate(cells) if not c.text)
    return not any(c.text for c in cells[first_blank:])


def _realigned(state: _State, cells: list[Cell], delimited: bool = False) -> tuple[list[Cell], bool]:
    """Undo the two cell losses seen in these cards; say whether it was needed. A delimited row wider than the
    header (a part of the card whose grid took in columns of its own: a row above a header printed again, set on
    other columns) says nothing by its cells' places either: its cells go where their words fit."""
    roles = state.roles
    if delimited and state.header_width and any(c.text for c in cells[state.header_width:]) and len(roles) >= 4:
        placed = _placed_by_content(state, cells)
        if placed is not None:
            return placed, True
    # The row lost cells: fewer than the header's, or its words packed to the left with the last column
    # blank (a converter that drops empty cells and pads the row out again).
    short = len(cells) < state.header_width or (
        _packed_left(cells) and norm(cells[0].text) not in _LEVEL1_BUT_COST)
    if short and len(roles) >= 4:
        placed = _placed_by_content(state, cells)
        if placed is not None:
            return placed, True
    first_role = min(roles.values()) if roles else 0
    if first_role > 0 and cells and norm(cells[0].text) in _LEVELS:
        # The row lost its leading empty cell (under "绩效指标"): everything sits one cell left.
        return [Cell("", [], cells[0].at)] * first_role + cells, True
    l1 = _get(cells, roles.get("level1"))
    l2 = _get(cells, roles.get("level2"))
    level2_first = l1 is not None and (norm(l1.text) in _LEVEL2_ONLY or (
        short and norm(l1.text) == "成本指标" and not (l2 and norm(l2.text).endswith("成本指标"))))
    if level2_first and (l2 is None or norm(l2.text) not in _LEVELS):
        i = roles["level1"]
        rest = [c for c in cells[i + 1:] if c.text]
        shifted = cells[:i] + [Cell("", [], l1.at), l1] + rest
        return shifted, True
    return cells, False


_TARGET_LIKE = re.compile(r"^(≥|≧|>=|≤|≦|<=|=|＝|<|>|＜|＞)|^\d+(\.\d+)?\s*\S{0,6}$|%$|^(达到|完成|按时|及时|合格|提高|降低|有效|显著)")


@lru_cache(maxsize=4096)
def _fits_role(role: str, text: str) -> int:
    """How well a cell's words fit a role of the indicator header: 2 for a telling fit, 1 for any text, -9 for none."""
    t = norm(text)
    if role == "level1":
        # 成本指标 is a level-1 name in some templates and a level-2 name under 产出指标 in others.
        return (1 if t == "成本指标" else 2) if t in _LEVEL1 else 1 if _starts_level(t, _LEVEL1) else -9
    if role == "level2":
        return 2 if t in _LEVEL2_ONLY or t.endswith("指标") else 1 if _starts_level(t, _LEVEL2_ONLY) else -9
    if role == "comparator":
        return 2 if t in COMPARATORS or t in _COMPARATOR_WORDS else -9
    if role == "value":
        return 2 if parse_amount(t) is not None else -9
    if role == "weight":
        return 2 if parse_amount(t.rstrip("%％")) is not None else -9
    if role == "unit":
        return 1 if len(t) <= 8 else -9
    if role == "target":
        return 2 if _TARGET_LIKE.search(t) and len(t) <= 20 else 0
    if t in _LEVEL1 or t in _LEVEL2_ONLY or (t.endswith("指标") and len(t) <= 8):
        return -9
    return 1


def _starts_level(t: str, known: set[str]) -> bool:
    """The first line of a level's name that wrapped in its column (可持续影响指, 服务对象满意)."""
    return len(t) >= 4 and t not in known and any(k.startswith(t) for k in known)


def _placed_by_content(state: _State, cells: list[Cell]) -> list[Cell] | None:
    """A row that lost empty cells: its cells laid on the header's roles in order, each where its words fit best."""
    order = sorted(state.roles.items(), key=lambda kv: kv[1])
    at = [n for n, c in enumerate(cells) if c.text]
    filled = [cells[n] for n in at]
    if not filled or len(filled) > len(order):
        return None

    # best[i][r]: the best score of laying filled[i:] on order[r:], and the placing (role index, cell) that gives it;
    # worked out from the last cell and role back.
    n, m = len(filled), len(order)
    best = [[(-10_000, ())] * (m + 1) for _ in range(n)] + [[(0, ())] * (m + 1)]
    for i in range(n - 1, -1, -1):
        for r in range(m - (n - i), -1, -1):  # (roles enough left for the cells left)
            skip = best[i][r + 1]
            score, rest = best[i + 1][r + 1]
            # Where the words fit equally, the cell stays nearest the column it was printed in.
            fit = _fits_role(order[r][0], filled[i].text) - abs(order[r][1] - at[i]) / 1000
            take = (score + fit, ((order[r][1], filled[i]),) + rest)
            best[i][r] = take if take[0] >= skip[0] else skip  # (the first of two as good, as max gives)

    score, placed = best[0][0]
    if score < 0:
        return None
    width = max(state.header_width, max(idx for idx, _ in placed) + 1)
    out = [Cell("", [], filled[0].at) for _ in range(width)]
    for idx, cell in placed:
        out[idx] = cell
    return out


def _indicator(card: PerformanceCard, state: _State, cells: list[Cell], line) -> None:
    cells, moved = _realigned(state, cells, delimited=line.kind is not _SPACED)
    # The cell the row prints under each role (``_get`` of every role at once: the row is asked for most of them).
    printed = {role: cells[i] for role, i in state.roles.items() if i < len(cells) and cells[i].text}
    if line.kind is _SPACED and state.pending and card.indicators and _name_and_target_only(state):
        _text_cells_by_place(card.indicators[-1], state, printed, line)
    l1 = printed.get("level1")
    l2 = printed.get("level2")
    if l1:
        state.level1, state.level2 = norm(l1.text), None
    if l2:
        state.level2 = norm(l2.text)
    name = _text(printed.get("name"))
    target = _text(printed.get("target") or _beside_unheaded(state, cells, line))
    value_cell = printed.get("value")
    unit_cell = printed.get("unit")
    cmp_cell = printed.get("comparator")
    if not (name or target or value_cell or unit_cell or (state.pending and state.halves and l2)):
        return
    # Where the row above starts each field: the columns of pieces held from above this row's line (the header's
    # may be set elsewhere across the page than the rows').
    above = _columns_above(card, state) if state.pending and _name_and_target_only(state) else {}
    ind = Indicator(
        level1=state.level1, level2=state.level2, name=name,
        description=_text(printed.get("description")),
        midterm_target=_text(printed.get("midterm_target")),
        target=target, basis=_text(printed.get("basis")),
        scoring=_text(printed.get("scoring")), span=(line.start, line.end),
        **(_target_reading(target) if target is not None else {}),  # (read again below if pieces held join it)
    )
    weight = printed.get("weight")
    if weight is not None and (amount := parse_amount(weight.text.rstrip("%％ "))) is not None \
            and len(weight.parts) == 1:
        raw = weight.text.rstrip("%％ ")
        ind.weight = Amount(value=amount, raw=raw, span=(weight.span[0], weight.span[0] + len(raw)))
    elif weight is not None:
        ind.other[_header_of(state, "weight")] = _text(weight)
    for i, header in state.unknown.items():
        if (cell := _get(cells, i)) is not None:
            ind.other[header] = _text(cell)
    if moved:
        card.notes.append(f"indicator {name.text if name else ''!r}: a lost empty cell was restored before reading")
    state.held_x = {}
    levels = tuple(attr for attr, cell in (("level1", l1), ("level2", l2)) if cell)
    held = bool(state.pending)
    if state.pending and above and not (name or target or value_cell or unit_cell):
        _held_cells(ind, above, state, levels)
    if state.pending:
        _prepend_pending(ind, line, state, levels, above)
    state.halves = False
    if held and ind.target is not None:
        _parse_target(ind, ind.target)
    if ind.target is None and (value_cell or unit_cell or cmp_cell):
        _three_columns(ind, cmp_cell, value_cell, unit_cell)
    card.indicators.append(ind)
    state.last_line = line
    state.page_starts = None


def _text_cells_by_place(above: Indicator, state: _State, printed: dict[str, Cell], line) -> None:
    """A row held pieces of its cells above its line, which leaves some of its columns empty (cells centred in a tall
    row): its text cells go to the fields the row above prints where they stand, not where their words fit best
    ("效果显著" reads like no figure, yet stands under 指标值)."""
    roles = [r for r in _TEXT_FIELDS if r in printed]
    if not roles or ("target" in printed and _TARGET_START.search(norm(printed["target"].text))):
        return  # (a target read as a figure stays: the row above may be no guide, read wrong itself)
    placed = _nearest_fields(above, [printed[r] for r in roles], line, state)
    if placed != roles and len(set(placed)) == len(placed):
        cells = [printed.pop(r) for r in roles]
        printed.update(zip(placed, cells))


def _beside_unheaded(state: _State, cells: list[Cell], line) -> Cell | None:
    """A delimited row's target printed in the column right beside 指标值 that no header names, its own cell under 指标值
    left empty: the header centred over both columns (a merged cell a converter gave to one of them, a borderless sheet
    printed to PDF). None when the row prints something under 指标值, or the column beside it has a header, or the
    row prints no name in its column (a row whose cells slid, not one beside a merged header)."""
    at = state.roles.get("target")
    if at is None or line.kind is _SPACED or _get(cells, state.roles.get("name")) is None:
        return None  # (a row with no name in its column is shifted, not beside a merged header: left as it reads)
    taken = set(state.roles.values())
    for i in (at - 1, at + 1):
        if 0 <= i < len(cells) and cells[i].text and i not in taken and i not in state.unknown \
                and (i >= len(state.header_cells) or not state.header_cells[i].text):
            return cells[i]
    return None


def _header_of(state: _State, role: str) -> str:
    cells = state.header_cells
    i = state.roles.get(role)
    return norm(cells[i].text) if i is not None and i < len(cells) else role


def _three_columns(ind: Indicator, cmp_cell: Cell | None, value_cell: Cell | None, unit_cell: Cell | None) -> None:
    """Templates that print the comparator, the number and the unit as cells of their own (符号 / 值 / 单位,
    指标性质 / 指标值 / 度量单位). The comparator may be a word (大于等于, 不低于); a number cell may carry its own
    comparator and unit (≥30, 30公里) when its neighbours are blank."""
    word = norm(cmp_cell.text) if cmp_cell else ""
    ind.comparator = COMPARATORS.get(word) or _COMPARATOR_WORDS.get(word)
    said, at, core = _in_words(value_cell.text.strip()) if value_cell else (None, 0, "")
    m = _TARGET.match(core) if value_cell and len(value_cell.parts) == 1 else None
    own_unit = _SPACES.sub("", m.group("unit")) if m else ""
    if m and (not (m.group("cmp") or said) or ind.comparator is None) and (not own_unit or (
            unit_cell is None and (_UNIT.match(own_unit) or _MEASURE_WORD.match(own_unit))
            and not _NOT_A_UNIT.search(own_unit))):
        ind.comparator = ind.comparator or said
        start = value_cell.span[0] + (len(value_cell.text) - len(value_cell.text.lstrip())) + at + m.start("num")
        ind.value = Amount(value=parse_amount(m.group("num")), raw=m.group("num"),
                           span=(start, start + len(m.group("num"))))
        if m.group("cmp"):
            ind.comparator = COMPARATORS[m.group("cmp")]
        ind.unit = (norm(unit_cell.text) if unit_cell else own_unit) or None
    else:
        ind.qualitative = " ".join(c.text for c in (value_cell, unit_cell) if c) or None
    pieces = [c for c in (cmp_cell, value_cell, unit_cell) if c]
    ind.target = Text(text=" ".join(c.text for c in pieces), span=(pieces[0].span[0], pieces[-1].span[1]),
                      parts=[p for c in pieces for p in c.parts])


def _in_words(text: str) -> tuple[str | None, int, str]:
    """A target with its comparator in words (不超过2000万元, 10项以上, 控制在3天以内, 约500人) or a note after it
    (≥95%（含）): the comparator the words say (None when none, or when they disagree), where the figure's own text
    starts in ``text``, and that text (the sign, the number and the unit)."""
    core, at, said = text, 0, []
    if (m := _INCLUDED_NOTE.search(core)) and m.start() > 0:
        core = core[:m.start()]
    if (m := _WORDS_FIRST.match(core)) and m.end() < len(core):
        said.append(_WORDS_FIRST_CMP.get(m.group("w")) or _COMPARATOR_WORDS[m.group("w")])
        core, at = core[m.end():], m.end()
    if (m := _WORDS_LAST.search(core)) and m.start() > 0:
        said.append(_WORDS_LAST_CMP[m.group("w")])
        core = core[:m.start()]
    sign = _COMPARATOR_FIRST.match(core)
    if len(set(said)) > 1 or (said and sign and COMPARATORS.get(sign.group(1)) != said[0]):
        return None, 0, text  # 不低于…以下, ≥…以内: words that do not say one bound
    if said and sign:
        said = []  # ≤10个工作日内: the sign says it, the words agree
    return (said[0] if said else None), at, core


def _parse_target(ind: Indicator, target: Text) -> None:
    reading = _target_reading(target)
    # (Set once each: a model's attribute is slow to set.)
    ind.comparator, ind.value, ind.unit, ind.qualitative = \
        reading["comparator"], reading["value"], reading["unit"], reading["qualitative"]


def _target_reading(target: Text) -> dict:
    """The indicator's comparator, value, unit and qualitative target, as its printed target says (a figure printed
    over lines in its cell: where its pieces stand, ``_figure_spans``)."""
    figure = _target_figure(target.text)
    pieces = _figure_spans(target, figure[1], figure[1] + len(figure[2])) if figure is not None else None
    if not pieces:
        return {"comparator": _bare_comparator(target.text), "value": None, "unit": None, "qualitative": target.text}
    comparator, _, num, unit = figure
    value = Amount(value=parse_amount(num), raw=num, span=(pieces[0][0], pieces[-1][1]), parts=pieces)
    return {"comparator": comparator, "value": value, "unit": unit, "qualitative": None}


# (The two functions of a target's words below are asked of the same targets card after card: each answer is kept.)
@lru_cache(maxsize=4096)
def _target_figure(text: str) -> tuple[str | None, int, str, str | None] | None:
    """A target printed as a figure: its comparator, where its number starts in ``text``, the number and the unit.
    None when the target is words."""
    said, at, core = _in_words(text)
    m = _TARGET.match(core)
    printed_unit = m.group("unit").strip() if m else ""
    if not (m and (_UNIT.match(printed_unit) or _MEASURE_WORD.match(printed_unit) or _per_unit(printed_unit))
            and not _NOT_A_UNIT.search(printed_unit)):
        return None
    comparator = COMPARATORS.get(m.group("cmp")) if m.group("cmp") else said
    return comparator, at + m.start("num"), m.group("num"), _SPACES.sub("", printed_unit) or None


def _per_unit(unit: str) -> bool:
    m = _PER_UNIT.match(unit)
    return m is not None and bool(_UNIT.match(m.group("unit")) or _MEASURE_WORD.match(m.group("unit")))


@lru_cache(maxsize=4096)
def _bare_comparator(text: str) -> str | None:
    """A comparator printed with no number after it (≥, ≥ 笔, ≥较高): kept, for the verifier to flag."""
    printed = _COMPARATOR_FIRST.match(text)
    return COMPARATORS.get(printed.group(1)) if printed and not _DIGIT.search(text) else None


def _cell_amount(cell: Cell | Text) -> Amount | None:
    """A cell that prints one figure and nothing else, as an amount: on one line, or over lines when its pieces join
    one way only (``_figure_spans``: 1760.<br>00 is read, 176<br>0.00 left unread and flagged)."""
    amount = parse_amount(cell.text)
    if amount is None:
        return None
    if len(cell.parts) == 1:
        return Amount(value=amount, raw=cell.text, span=cell.span)
    text = cell if isinstance(cell, Text) else _text(cell)
    spans = _figure_spans(text, 0, len(text.text))
    return Amount(value=amount, raw=text.text, span=(spans[0][0], spans[-1][1]), parts=spans) if spans else None


_PIECE_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _figure_unread(card: PerformanceCard, cell: Cell | Text) -> None:
    """A figure printed over lines in its cell whose pieces do not join one way (19<br>22.22): each piece's numbers
    are listed unread (flagged read.unparsed), as no figure cell of a line holds them."""
    if len(cell.parts) < 2 or parse_amount(cell.text) is None:
        return
    at = 0
    for a, b in cell.parts:
        piece = cell.text[at:at + b - a]
        at += b - a
        card.unparsed += [Text(text=m.group(), span=(a + m.start(), a + m.end())) for m in _PIECE_NUMBER.finditer(piece)]


def _figure_spans(text: Text, start: int, end: int) -> list[tuple[int, int]] | None:
    """Where the characters ``start:end`` of a text (its figure) stand in the document: one span, or one per piece when
    the cell printed the figure over lines (≤50<br>000元, a target wrapped in its narrow cell: the pieces are the
    figure the cell prints). None when the pieces do not spell the text, or a break falls between two digits where the
    digits after it could be a figure of their own (17<br>60: one figure or two?) — left unread, and flagged."""
    if len(text.parts) == 1:
        return [(text.span[0] + start, text.span[0] + end)]
    offsets = [o for a, b in text.parts for o in range(a, b)]
    if len(offsets) != len(text.text):
        return None
    breaks = set(accumulate(b - a for a, b in text.parts[:-1]))
    body = text.text
    for k in breaks:
        if start < k < end and body[k - 1].isdigit() and body[k].isdigit() \
                and not (body[k] == "0" and k + 1 < end and body[k + 1].isdigit()):
            return None
    spans: list[tuple[int, int]] = []
    for o in offsets[start:end]:
        if spans and spans[-1][1] == o:
            spans[-1] = (spans[-1][0], o + 1)
        else:
            spans.append((o, o + 1))
    return spans


_COMPARATOR_FIRST = re.compile(r"^\s*(＞＝|＜＝|>=|<=|≥|≧|≤|≦|=|＝|<|>|＜|＞|≈)")
_DIGIT = re.compile(r"\d")


def _extend_values(card: PerformanceCard, state: _State, cells: list[Cell], line) -> bool:
    """A space-aligned line whose every piece starts where a text value of the line above started, and
    names no field: the rest of those values, which wrapped. Join them; say whether it was such a line."""
    if not state.values or any(_key(c.text) is not None for c in cells):
        return False
    targets = []
    for cell in cells:
        x = _x(line, cell.span[0])
        attr = next((a for a, at in state.values if abs(at - x) <= 1), None)
        if attr is None:
            return False
        targets.append(attr)
    for cell, attr in zip(cells, targets):
        if attr == "goals":
            old = card.goals[-1]
            card.goals[-1] = Text(text=old.text + cell.text, span=(old.span[0], cell.span[1]),
                                  parts=old.parts + cell.parts)
        else:
            old = getattr(card, attr)
            setattr(card, attr, Text(text=old.text + cell.text, span=(old.span[0], cell.span[1]),
                                     parts=old.parts + cell.parts))
    return True


def _fields(card: PerformanceCard, state: _State, cells: list[Cell], line) -> list[tuple[str, Cell]]:
    """Read a line of the card's fields; return the text fields it set, with their cells."""
    cells = _keys_apart(card, cells)
    keys = [_field_key(c.text) or ("预算数" if _names_total(c.text) and _figure_next(cells, i) else None)
            for i, c in enumerate(cells)]
    texts: list[tuple[str, Cell]] = []
    columns, state.goal_columns = state.goal_columns, []
    if columns and not any(keys):
        return _goals_under_keys(card, columns, cells, line)
    parts, state.budget_parts = state.budget_parts, []
    if parts and not any(keys):
        _budget_under_keys(card, parts, cells, line)
        return texts
    if _budget_header(state, keys, cells, line):
        return texts
    if _budget_columns(state, cells, line):
        return texts
    for i, key in enumerate(keys):
        if key is None:
            continue
        # The value is the first non-empty cell before the next key on the row.
        nxt_key = next((j for j in range(i + 1, len(keys)) if keys[j] is not None), len(keys))
        value = next((c for c in cells[i + 1:nxt_key] if c.text), None)
        if key in _BUDGET_KEYS and state.budget_columns:
            _budget_by_columns(card, state, key, cells[i + 1:nxt_key], i + 1, line)
            continue
        if value is None:
            if _GOAL_KEY.match(key) and all(k is None or _GOAL_KEY.match(k) for k in keys):
                # A row of goal keys whose texts are on the row below.
                state.goal_columns.append((_goal_field(key), _anchor(cells[i], i, line)))
            continue
        if key in _TEXT_KEYS:
            setattr(card, _TEXT_KEYS[key], _text(value))
            texts.append((_TEXT_KEYS[key], value))
        elif key in _OTHER_INCOME_KEYS:
            _other_income(card, key, value)
        elif key in _SCORE_KEYS:
            if (amount := _cell_amount(value)) is not None:
                card.execution_weight = amount
            else:
                _figure_unread(card, value)
        elif key in _BUDGET_KEYS:
            if (amount := _cell_amount(value)) is not None:
                setattr(card.budget, _BUDGET_KEYS[key], amount)
            else:
                _figure_unread(card, value)
        elif m := _SOURCE_KEY.match(key):
            if (amount := _cell_amount(value)) is not None:
                card.budget.sources[m.group("name")] = amount
            else:
                _figure_unread(card, value)
        elif _GOAL_KEY.match(key):
            goals = [c for c in cells[i + 1:nxt_key] if c.text and not _GOAL_NUMBER.match(c.text)]
            attr = _goal_field(key)
            getattr(card, attr).extend(_text(c) for c in goals)
            texts += [(attr, c) for c in goals[-1:]]
    if not any(field == "goals" for field, _ in state.goal_columns) and len(state.goal_columns) < 2:
        state.goal_columns = []  # (a lone key with no value is a key left blank, not a row of keys)
    _spending(card, state, cells)
    return texts


@lru_cache(maxsize=4096)  # (a label's text: the same few labels card after card)
def _names_total(text: str) -> bool:
    """A label that names the budget's total (``_TOTAL_LABEL``): its key when its figure is printed right after it,
    as other templates print the total (项目资金（万元） | 95.00; 年度预算（万元）：95.00)."""
    return bool(_TOTAL_LABEL.match(_MONEY_UNIT_IN_LABEL.sub("", norm(text)).rstrip(":")))


def _figure_next(cells: list[Cell], i: int) -> bool:
    return i + 1 < len(cells) and _cell_amount(cells[i + 1]) is not None and _field_key(cells[i + 1].text) is None


def _other_income(card: PerformanceCard, key: str, value: Cell) -> None:
    """An income neither fiscal nor carried over (事业收入 in a department card's 按收入性质分 block): the card's 其他资金,
    the first such line; a second has no field of its own, and is left unread (its figure flagged, never added in)."""
    amount = _cell_amount(value)
    if amount is None:
        _figure_unread(card, value)
        return
    if card.budget.other is not None:
        return  # (its figure, taken by no field, is flagged with the card's other untaken figures)
    card.budget.other = amount
    card.notes.append(f"budget: 其他资金 is the card's {key} {amount.raw}")


# A key and its value in one run of text, apart by a colon, full- or half-width (项目名称：国省干线公路建设项目,
# 年度资金总额: 1200.00万元): a Word template's fields printed as paragraphs, or a row's cell that holds both.
_KEY_COLON = re.compile(r"^(?P<key>[^:：，,。；;]{1,16}?)\s*[:：]\s*")
# A budget printed as a sentence (年度资金总额1200.00，其中：财政拨款1000.00，上年结转200.00): its clauses, apart by
# commas and semicolons (a comma before a digit is a thousands separator), or by the gaps a form's cells leave when
# printed on one line (年度资金总额：95.00    其中：财政拨款：95.00), each a key and its figure, a unit after it.
_CLAUSE_END = re.compile(r"[，；;。]|,(?!\d)|\s{2,}|\t|\u3000")
_KEY_FIGURE = re.compile(r"^(?P<key>(?:其中\s*[:：]\s*)?[^\d:：]+?)\s*[:：]?\s*(?P<figure>-?\d[\d,]*(?:\.\d+)?)\s*"
                         r"(?P<unit>百万元|万元|千元|亿元|元)?$")
_FIGURE_WITH_UNIT = re.compile(r"^(?P<figure>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>百万元|万元|千元|亿元|元)$")
_TOTAL_FIGURE = re.compile(r"^(?P<figure>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>百万元|万元|千元|亿元|元)?$")


def _keys_apart(card: PerformanceCard, cells: list[Cell]) -> list[Cell]:
    """A line of the card's fields with each key and its value in cells of their own: a cell that prints both (项目名称：
    国省干线公路建设项目; a budget sentence, 项目资金（万元）：年度资金总额1200.00，其中：财政拨款1000.00…) is taken apart at
    their characters, and a figure printed with its unit after a budget key (1200.00万元) keeps the figure alone. The
    figures of a budget sentence that no key of the card's budget reads are listed unread (flagged read.unparsed)."""
    out: list[Cell] = []
    for cell in cells:
        text = cell.text
        if len(cell.parts) != 1 or not _may_hold_key_and_value(text) or _field_key(text) is not None:
            out.append(cell)  # (most cells: a figure alone, words with no colon; or a key, 其中：财政拨款)
            continue
        if out and (figure := _FIGURE_WITH_UNIT.match(text)) and _is_budget_key(_field_key(out[-1].text)):
            # (Left unread, the figure is flagged with the card's other untaken figure cells.)
            _figure_in_card_unit(card, out, _piece(cell, figure, "figure"), _piece_text(cell, figure, "unit"))
        elif (sentence := _budget_sentence(cell)) is not None:
            label, pairs, unread = sentence
            if label is not None:
                _label_unit(card, label)
            other = card.budget.other is not None
            for key, figure, unit in pairs:
                if _field_key(key.text) in _OTHER_INCOME_KEYS:
                    if other:
                        unread.append(_text(figure))  # a second income of the other kind: no field of its own
                        continue
                    other = True
                out.append(key)
                if not _figure_in_card_unit(card, out, figure, unit):
                    unread.append(_text(figure))
            if not pairs:
                out.append(cell)  # (a budget key whose value is no figure: 年度资金总额：约1200万元)
            card.unparsed += sorted(unread, key=lambda t: t.span)
        elif (head := _KEY_COLON.match(text)) is not None and head.end() == len(text) \
                and _BUDGET_LABEL_UNIT.match(text):
            _label_unit(card, _piece(cell, head, "key"))  # 项目资金（万元）： on a line of its own, its sentence below
            out.append(cell)
        else:
            out += _key_and_value(cell)
    return out


def _may_hold_key_and_value(text: str) -> bool:
    """A text that may print a key and its value: a colon in it, words ending in a figure (年度资金总额1200.00), or a
    figure with its money unit (1200.00万元). (Asked of every cell of the card's field lines: most are figures alone,
    or words.)"""
    if ":" in text or "：" in text:
        return True
    last = text[-1:]
    return last == "元" or (last.isdigit() and not text[0].isdigit())


def _piece(cell: Cell, m: re.Match, group: str | int = 0, offset: int = 0) -> Cell:
    """The characters a group of a match over (part of) a one-line cell's text stands at: a cell of their own."""
    at = cell.span[0] + offset + m.start(group)
    return Cell(m.group(group), [(at, at + len(m.group(group)))], at)


def _piece_text(cell: Cell, m: re.Match, group: str, offset: int = 0) -> Text | None:
    return _text(_piece(cell, m, group, offset)) if m.group(group) else None


def _figure_in_card_unit(card: PerformanceCard, out: list[Cell], figure: Cell, unit: Text | None) -> bool:
    """A budget figure, as its key's value: read when it is in the card's unit (a card that states none takes the one
    printed after its figure); a figure in another unit than the card's amounts is left unread. Say whether it was
    read."""
    if unit is not None and card.unit_text is None:
        card.unit, card.unit_text = unit.text, unit
    if unit is not None and unit.text != card.unit:
        return False
    out.append(figure)
    return True


def _label_unit(card: PerformanceCard, label: Cell) -> None:
    """A budget sentence's label that prints the unit of the card's amounts (项目资金（元）：…), as the rows' labels do
    (``card_unit``), when the card states none before it."""
    if card.unit_text is None and (m := _BUDGET_LABEL_UNIT.match(label.text)):
        card.unit, card.unit_text = m.group("unit"), _text(label)


def _is_budget_key(key: str | None) -> bool:
    return key is not None and (key in _BUDGET_KEYS or _SOURCE_KEY.match(key) is not None)


def _budget_sentence(cell: Cell) -> tuple[Cell | None, list[tuple[Cell, Cell, Text | None]], list[Text]] | None:
    """A one-line cell that prints the budget as a sentence: after a label (项目资金（万元）：) or a budget key and its
    colon (年度资金总额：1200.00万元), clauses of a budget key and its figure (其中：财政拨款1000.00, 上年结转200.00万元).
    Its label, its (key, figure, unit) clauses, and the numbers it prints that none of them read (基本支出1363.35: no
    key of the card's budget; 约1200万元): None when the cell is no budget sentence (its first clause reads no figure
    of the budget's, and it starts with no budget key)."""
    text = cell.text
    label, start, budget_key = None, 0, False
    if (head := _KEY_COLON.match(text)) is not None:
        key = _field_key(head.group("key"))
        if key is None and norm(head.group("key")) != "其中":
            label, start = _piece(cell, head, "key"), head.end()
        elif key is not None and not _is_budget_key(key):
            return None  # a text field's key or a goal's
        else:
            budget_key = True  # (年度资金总额：…, 其中：…)
    pairs, read = [], []
    pos = start
    for end in [*(m.start() for m in _CLAUSE_END.finditer(text, start)), len(text)]:
        clause, at = text[pos:end], pos
        pos = end + 1
        at += len(clause) - len(clause.lstrip())
        clause = clause.strip()
        if pairs and (inner := _KEY_COLON.match(clause)) and _field_key(inner.group("key")) is None \
                and norm(inner.group("key")) != "其中":
            clause, at = clause[inner.end():], at + inner.end()  # a group's label (…；按收入性质分：一般公共预算…)
        if not pairs and label is not None and (alone := _TOTAL_FIGURE.match(clause)) \
                and _TOTAL_LABEL.match(_MONEY_UNIT_IN_LABEL.sub("", norm(label.text))):
            # (项目资金（万元）：95.00: the label is the total's key.)
            pairs.append((label, _piece(cell, alone, "figure", at), _piece_text(cell, alone, "unit", at)))
            read.append(pairs[-1][1].span)
            continue
        m = _KEY_FIGURE.match(clause)
        if m is None or not _is_budget_key(_field_key(m.group("key"))):
            if not pairs and not budget_key:
                return None  # (the first clause is no budget line: words, a goal, a name)
            continue
        pairs.append((_piece(cell, m, "key", at), _piece(cell, m, "figure", at), _piece_text(cell, m, "unit", at)))
        read.append(pairs[-1][1].span)
    base = cell.span[0]
    unread = [Text(text=n.group(), span=(base + n.start(), base + n.end()))
              for n in _PIECE_NUMBER.finditer(text, start)
              if not any(a <= base + n.start() and base + n.end() <= b for a, b in read)]
    return label, pairs, unread


def _key_and_value(cell: Cell) -> list[Cell]:
    """A one-line cell that prints a key of the card's fields, a colon and its value (项目名称：国省干线公路建设项目,
    年度绩效目标：完成…): the key's cell and the value's. (A key with its colon and no value stays one cell: its
    value is in the next cell, or on the next line.)"""
    head = _KEY_COLON.match(cell.text)
    if head is None or _field_key(head.group("key")) is None or head.end() == len(cell.text):
        return [cell]
    value = cell.text[head.end():]
    at = cell.span[0] + head.end()
    return [_piece(cell, head, "key"), Cell(value, [(at, at + len(value))], at)]


def _field_paragraphs(chunk: Chunk) -> list[tuple[object, list[Cell]]]:
    """The card's fields printed as paragraphs, not rows (a Word template's fields above its indicator grid: 项目名称：…,
    项目资金（万元）：年度资金总额1200.00，其中：…, 年度绩效目标：…): each line that prints one, with the cells ``_fields``
    reads it as (the line's text, read by ``_keys_apart``). A key printed with its colon alone (项目名称：) takes the next
    line as its value; a goal's key, each line up to the next key. A key printed alone gives no cells: it is read
    with its value."""
    out: list[tuple[object, list[Cell]]] = []
    pending: Cell | None = None  # a key printed alone, or a goal's key: the next lines are its value
    for line in chunk.lines:
        if line.kind is not _TEXT:
            if line.kind is not _BLANK:
                pending = None  # a row between: the key's value is not on the next line
            continue
        body = line.text.strip()
        if not body or (pending is None and not _may_hold_key_and_value(body)):
            continue  # (most text lines of a card: its title, a note)
        at = line.start + line.text.index(body)
        cell = Cell(body, [(at, at + len(body))], at)
        head = _KEY_COLON.match(body)
        key = _field_key(head.group("key")) if head is not None else None
        if head is not None and key is None and pending is not None and _GOAL_NUMBER.match(norm(head.group("key"))) \
                and _GOAL_KEY.match(_field_key(pending.text) or ""):
            out.append((line, [pending, cell]))  # 目标1：… under a goal's key
        elif head is not None and (key is not None or _budget_sentence(cell) is not None
                                   or _BUDGET_LABEL_UNIT.match(body) or _plan_sentence(cell)):
            alone = head.end() == len(body) and key is not None
            out.append((line, [] if alone else [cell]))
            key_cell = _piece(cell, head, "key")
            pending = key_cell if key is not None and (alone or _GOAL_KEY.match(key)) else None
        elif head is None and pending is not None:
            out.append((line, [pending, cell]))
            if not _GOAL_KEY.match(_field_key(pending.text) or ""):
                pending = None
        elif head is None and (_budget_sentence(cell) is not None or _plan_sentence(cell)):
            out.append((line, [cell]))  # 年度资金总额1200.00，其中：… under its label's line (项目资金（万元）：)
        else:
            pending = None
    return out


def _budget_header(state: _State, keys: list, cells: list[Cell], line) -> bool:
    """A row of budget keys with no figures, two or more (a label before them, 资金来源（万元）, aside): the header of
    the budget's figures on the row below. Remembered; say whether it was one."""
    named = [(i, k) for i, k in enumerate(keys) if k is not None]
    if len(named) < 2 or not all(k in _BUDGET_KEYS for _, k in named):
        return False
    if any(c.text and keys[i] is None and (i > named[0][0] or parse_amount(c.text) is not None)
           for i, c in enumerate(cells)):
        return False  # a figure or other words among the keys: a row of keys and their values
    state.budget_parts = [(_BUDGET_KEYS[k], _anchor(cells[i], i, line)) for i, k in named]
    return True


def _budget_under_keys(card: PerformanceCard, parts: list[tuple[str, int]], cells: list[Cell], line) -> None:
    """The budget's figures under their header row of keys, each under its key."""
    for i, cell in enumerate(cells):
        amount = parse_amount(cell.text) if cell.text else None
        part = _nearest_column(parts, cell, i, line) if amount is not None else None
        if part is not None and len(cell.parts) == 1:
            setattr(card.budget, part, Amount(value=amount, raw=cell.text, span=cell.span))


def _goal_field(key: str) -> str:
    return "midterm_goals" if _MIDTERM_GOAL_KEY.match(key) else "goals"


def _anchor(cell: Cell, i: int, line) -> int:
    """Where a cell stands: its index in a delimited row, or across the page in a space-aligned one."""
    return _x(line, cell.span[0]) if line.kind is _SPACED else i


def _nearest_column(columns: list[tuple[str, int]], cell: Cell, i: int, line) -> str | None:
    at = _anchor(cell, i, line)
    if line.kind is not _SPACED:
        return next((f for f, a in columns if a == at), None)
    return min(columns, key=lambda c: abs(c[1] - at))[0]


def _goals_under_keys(card: PerformanceCard, columns: list[tuple[str, int]], cells: list[Cell],
                      line) -> list[tuple[str, Cell]]:
    """The texts of a row of goal keys, on the row below: each under its key (总体目标 over both is no goal's)."""
    texts = []
    for i, cell in enumerate(cells):
        if not cell.text or _GOAL_NUMBER.match(cell.text):
            continue
        attr = _nearest_column(columns, cell, i, line)
        if attr is None and line.kind is not _SPACED:
            # (A delimited row that lost its empty cells: the texts in their keys' order.)
            filled = [c for c in cells if c.text]
            if len(filled) == len(columns):
                attr = columns[filled.index(cell)][0]
        if attr is not None:
            getattr(card, attr).append(_text(cell))
            texts.append((attr, cell))
    return texts


def _budget_columns(state: _State, cells: list[Cell], line) -> bool:
    """A header row of the budget's two columns (实施期资金总额 | 年度资金总额): remembered; say whether it was one."""
    if not any("期" in c.text for c in cells):
        return False  # (most rows: no head of the period's budget, 实施期 / 中期 / 项目期)
    words = [(i, norm(c.text)) for i, c in enumerate(cells) if c.text]
    annual = [i for i, w in words if _ANNUAL_BUDGET_HEAD.match(w)]
    midterm = [i for i, w in words if _MIDTERM_BUDGET_HEAD.match(w)] if annual else []
    if not (annual and midterm) or any(parse_amount(w) is not None for _, w in words):
        return False
    state.budget_columns = [("budget", _anchor(cells[annual[0]], annual[0], line)),
                            ("midterm_budget", _anchor(cells[midterm[0]], midterm[0], line))]
    return True


def _budget_by_columns(card: PerformanceCard, state: _State, key: str, cells: list[Cell], first: int, line) -> None:
    """A budget line under the budget's two columns (its figures ``cells``, the first at index ``first`` of the row):
    each figure into the year's budget or the period's."""
    for n, cell in enumerate(cells):
        amount = parse_amount(cell.text) if cell.text else None
        attr = _nearest_column(state.budget_columns, cell, first + n, line) if amount is not None else None
        if attr is None or len(cell.parts) != 1:
            continue
        if attr == "midterm_budget" and card.midterm_budget is None:
            card.midterm_budget = CardBudget()
        setattr(getattr(card, attr), _BUDGET_KEYS[key], Amount(value=amount, raw=cell.text, span=cell.span))


_TASK_NAME = re.compile(r"^(任务名称|主要任务|年度主要任务名称|重点任务|任务)$")
_TASK_CONTENT = re.compile(r"^(主要内容|任务内容|工作内容|主要工作内容|任务描述|主要工作)$")
_TASK_AMOUNTS = tuple((part, re.compile(pattern)) for part, pattern in (
    ("total", r"^(总额|合计|小计|资金总额|预算总额|预算金额|预算数|金额)(\((万元|元|千元|亿元)\))?$"),
    ("fiscal", r"^(其中:)?(财政拨款|财政资金|财政性资金)$"),
    ("carryover", r"^(其中:)?上年结转(资金)?$"),
    ("other", r"^(其中:)?其他资金$"),
))
_TASK_TOTAL = re.compile(r"^(金额)?(合计|总计)$")


@lru_cache(maxsize=4096)
def _task_part(word: str) -> str | None:
    return next((part for part, pattern in _TASK_AMOUNTS if pattern.match(word)), None)


def _task_header(words: set[str]) -> bool:
    """The header of a department card's task-budget grid: a task name column beside its content or an amount."""
    return any(map(_TASK_NAME.match, words)) and any(_TASK_CONTENT.match(w) or _task_part(w) for w in words)


@dataclass
class _TaskColumn:
    """A column of the task grid: where it stands (its index in a delimited row, or in a space-aligned one the middle
    of its header across the page), its role (name, content, total, fiscal, carryover, other) or None, its header."""

    at: float
    role: str | None
    header: str
    lo: float = 0  # (space-aligned) where its header starts and ends across the page
    hi: float = 0


def _task_line(card: PerformanceCard, state: _State, cells: list[Cell], line, words: set[str]) -> bool:
    """Read a line of the task-budget grid (任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金, and its 金额合计 line); say
    whether it was one. The amount columns may stand under a parent cell (预算金额（万元）) on a header line of their
    own. Any other column (对应项目…) is kept under its header and flagged."""
    if _task_header(words):
        state.task_columns = []
        for i, cell in enumerate(cells):
            if cell.text:
                w = norm(cell.text)
                role = "name" if _TASK_NAME.match(w) else "content" if _TASK_CONTENT.match(w) else _task_part(w)
                state.task_columns.append(_task_anchor(cell, line, i, role))
        first = next((c for c in state.task_columns if c.role == "name"), None)
        # A header cell left of the task's name is the grid's own key (年度主要任务), no column of tasks.
        state.task_columns = [c for c in state.task_columns if first is None or c.at >= first.at]
        return True
    if state.task_columns is None:
        return False
    figures = [c for c in cells if c.text and parse_amount(c.text) is not None]
    parts = [(i, c, _task_part(norm(c.text))) for i, c in enumerate(cells) if c.text]
    if not figures and parts and all(p for _, _, p in parts):
        # The amount columns' own header line, under their parent (预算金额（万元） / 总额 | 财政拨款 | 其他资金): they
        # take the parent's place.
        subs = [_task_anchor(c, line, i, p) for i, c, p in parts]
        state.task_columns = [c for c in state.task_columns if not any(_under(s, c) for s in subs)] + subs
        return True
    if any(_key(c.text) is not None for c in cells[1:]) or _names_indicator_header(words) \
            or (cells and cells[0].text and _key(cells[0].text) is not None) \
            or any(_is_period(c.text) or _PERCENT.match(norm(c.text)) for c in cells):
        state.task_columns = None  # the grid has ended: the card's fields go on
        return False
    by_role: dict[str, Cell] = {}
    other: dict[str, Text] = {}
    names_at = min((c.at for c in state.task_columns if c.role == "name"), default=0)
    for i, cell in enumerate(cells):
        if not cell.text:
            continue
        here = _task_anchor(cell, line, i, None)
        col = min(state.task_columns, key=lambda c: abs(c.at - here.at))
        if line.kind is not _SPACED and col.at != here.at:
            if here.at < names_at and _TASK_TOTAL.match(norm(cell.text)) and "name" not in by_role:
                by_role["name"] = cell  # 金额合计 printed in the grid's key column, left of the tasks' names
                continue
            if here.at < names_at:
                continue  # the grid's own key (年度主要任务), printed beside its first line
            other[f"列{i + 1}"] = _text(cell)
        elif col.role is not None and col.role not in by_role:
            by_role[col.role] = cell
        else:
            other[col.header] = _text(cell)
    if not by_role and not other:
        return True
    budget = CardBudget()
    for part in ("total", "fiscal", "carryover", "other"):
        cell = by_role.get(part)
        if cell is not None and (amount := parse_amount(cell.text)) is not None and len(cell.parts) == 1:
            setattr(budget, part, Amount(value=amount, raw=cell.text, span=cell.span))
        elif cell is not None:
            other[part] = _text(cell)
    name = by_role.get("name")
    if name is not None and _TASK_TOTAL.match(norm(name.text)) and "content" not in by_role:
        card.tasks_total = budget
    else:
        card.tasks.append(CardTask(name=_text(name), content=_text(by_role.get("content")), budget=budget,
                                   other=other, span=(line.start, line.end)))
    return True


def _task_anchor(cell: Cell, line, i: int, role: str | None) -> _TaskColumn:
    if line.kind is not _SPACED:
        return _TaskColumn(i, role, norm(cell.text), i, i)
    lo, hi = _x(line, cell.span[0]), _x(line, cell.span[1])
    return _TaskColumn((lo + hi) / 2, role, norm(cell.text), lo, hi)


def _under(sub: _TaskColumn, parent: _TaskColumn) -> bool:
    """An amount header under its parent: in the same column of a delimited grid, or under the parent's words (or
    right of them, when the parent is centred over the columns) in a space-aligned one."""
    if sub.lo == sub.hi:  # delimited
        return sub.at == parent.at
    return parent.lo - 2 <= sub.at and (sub.at <= parent.hi + 2 or parent.role in ("total", None))


# (The functions of a cell's words below are asked of the same words line after line: each answer is kept.)
@lru_cache(maxsize=4096)
def _key(text: str) -> str | None:
    k = _MONEY_UNIT_IN_LABEL.sub("", norm(text)).rstrip(":")
    if k in _TEXT_KEYS or k in _BUDGET_KEYS or k in _SCORE_KEYS or _GOAL_KEY.match(k) or _SOURCE_KEY.match(k):
        return k
    if _GOAL_KEY.match(bare := _KEY_YEARS.sub("", k)):
        return bare  # 年度目标（2025年）
    return None


@lru_cache(maxsize=4096)
def _field_key(text: str) -> str | None:
    """The key a cell of the card's fields prints: its own, or a budget line's after its group's label."""
    return _key(text) or _budget_key_after_label(text)


@lru_cache(maxsize=4096)
def _budget_key_after_label(text: str) -> str | None:
    """A budget line's key printed in one cell after its group's label (项目资金(万元) 年度资金总额: — a label
    merged over the budget lines, set beside the first key with no gap a reader of positions parts cells at)."""
    words = text.split()
    if len(words) < 2 or _key(words[-1]) not in _BUDGET_KEYS or parse_amount(norm(words[0])) is not None:
        return None
    return _key(words[-1])


@lru_cache(maxsize=4096)
def _is_period(text: str) -> bool:
    t = norm(text)
    return bool(_PERIOD.match(t) or PERIOD_OF_ITS_OWN.match(t))


def _spending(card: PerformanceCard, state: _State, cells: list[Cell]) -> None:
    before = len(card.spending_plan)
    _spending_steps(card, state, cells)
    if len(card.spending_plan) > before and plan_by_period([s.period for s in card.spending_plan],
                                                           [s.percent.value for s in card.spending_plan]):
        for step in card.spending_plan:
            step.cumulative = False


def _spending_steps(card: PerformanceCard, state: _State, cells: list[Cell]) -> None:
    cells = _periods_apart(cells)
    periods = [(i, c) for i, c in enumerate(cells) if _is_period(c.text)]
    # (Percentages matter only beside periods, or under the periods of the row above.)
    percents = [(i, c) for i, c in enumerate(cells) if _PERCENT.match(norm(c.text))] if periods or state.periods else []
    if periods and percents:
        # "| 12 月底 | 100% |": each period is followed by its own percentage.
        for (i, period), (j, pct) in zip(periods, percents):
            _add_step(card, period, pct)
        state.periods = []
    elif periods:
        state.periods = periods
        state.periods_width = len(cells)
    elif percents and state.periods:
        by_index = dict(state.periods)
        dropped = len(cells) < state.periods_width and len(percents) < len(state.periods)
        if dropped:
            # The row lost its empty cells. A cumulative plan leaves blank only the periods before any
            # spending (a blank after a figure would mean the total fell back): the figures are the last periods'.
            pairs = list(zip([c for _, c in state.periods][-len(percents):], [c for _, c in percents]))
            card.notes.append("spending plan: the row lost its empty cells; its percentages are the last periods'")
        elif all(i in by_index for i, _ in percents):
            pairs = [(by_index[i], c) for i, c in percents]
        else:  # the percentages slid right of their periods: they belong to the last periods
            pairs = list(zip([c for _, c in state.periods][-len(percents):], [c for _, c in percents]))
            card.notes.append("spending plan: percentages not under their periods; matched to the last periods")
        for period, pct in pairs:
            _add_step(card, period, pct)
        state.periods = []


# A period and its share in one cell or clause (一季度25%, 1-3月：25%, 6月底 50%): a plan printed as a sentence
# (资金支出计划：一季度25%，二季度50%…) or as a row of such cells.
_PERIOD_AND_PERCENT = re.compile(r"(?P<period>\S.*?)\s*[:：]?\s*(?P<pct>\d+(?:\.\d+)?\s*%)")
_PLAN_CLAUSE = re.compile(r"[，,；;、]")


def _periods_apart(cells: list[Cell]) -> list[Cell]:
    """The cells of a spending plan's line with each period and its share in cells of their own: a cell that prints
    both (一季度25%; a plan's sentence after its key, 资金支出计划：一季度25%，二季度50%…) is taken apart at their
    characters. (Most cells print no percentage: left as they are.)"""
    out: list[Cell] = []
    for cell in cells:
        pieces = _period_pieces(cell) if "%" in cell.text and len(cell.parts) == 1 else None
        out += pieces or [cell]
    return out


def _plan_sentence(cell: Cell) -> bool:
    """A paragraph that prints a spending plan (资金支出计划：一季度25%，二季度50%…; 1-3月25%，4-6月25%…)."""
    return "%" in cell.text and _period_pieces(cell) is not None


def _period_pieces(cell: Cell) -> list[Cell] | None:
    text = cell.text
    head = _KEY_COLON.match(text)
    start = head.end() if head is not None and not _is_period(head.group("key")) else 0
    out: list[Cell] = []
    pos = start
    for end in [*(m.start() for m in _PLAN_CLAUSE.finditer(text, start)), len(text)]:
        clause = text[pos:end]
        at = pos + len(clause) - len(clause.lstrip())
        pos = end + 1
        m = _PERIOD_AND_PERCENT.fullmatch(clause.strip())
        if m is None or not _is_period(m.group("period")):
            return None  # (words with a percentage in them: no plan)
        out += [_piece(cell, m, "period", at), _piece(cell, m, "pct", at)]
    return out


def _add_step(card: PerformanceCard, period: Cell, pct: Cell) -> None:
    m = _PERCENT.match(norm(pct.text))
    if not m or len(pct.parts) != 1:
        return
    start = pct.span[0]
    raw = pct.text[: len(pct.text.rstrip("% ")) ]
    card.spending_plan.append(SpendingStep(
        period=norm(period.text),
        percent=Amount(value=parse_amount(raw), raw=raw, span=(start, start + len(raw))),
    ))
