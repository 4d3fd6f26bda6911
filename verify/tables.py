"""Arithmetic inside one table: row relations, code hierarchies, column totals, fixed lines.

Every relation is rounding-aware (see ``tolerance``). A missing cell counts as
zero — the templates leave zero cells blank — but only printed values are
named in a flag, since only they can be pointed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from schemas import is_extra_column, spec_for
from schemas.tables import YEAR_ON_YEAR_KEYS

from .flags import Flagger, fmt
from .tolerance import ZERO, Term, exceeds, printed_places, product_holds, sum_gap
from .values import TableView, Val, printed_code

_FUNDS = ("general_budget", "government_fund", "state_capital")
# A part is a column key, or (aggregate, its parts): the aggregate where the table prints it, else its parts.
_FISCAL = ("fiscal_appropriation", _FUNDS)
_INCOME_SOURCES = (_FISCAL, "special_account", "business_income", "operating_income", "superior_subsidy",
                   "subordinate_remittance", "other_income", "unit_funds")
_PERSONNEL = ("personnel", ("personnel_wages", "personnel_family"))
_PUBLIC = ("public", ("public_goods", "public_capital"))
_BASIC = ("basic", (_PERSONNEL, _PUBLIC))
_PROJECT = ("project", ("project_routine", "project_specific"))
# The splits of basic and project expenditure some templates print (人员经费 → 工资福利支出 + 对个人和家庭的补助 …).
_EXPENDITURE_SPLITS = (("basic", (_PERSONNEL, _PUBLIC)), ("personnel", _PERSONNEL[1]), ("public", _PUBLIC[1]),
                       ("project", _PROJECT[1]))
# A column and the parts it splits into where a table does not print it (cross-table checks ask for these).
EXPENDITURE_SPLITS = {"basic": _BASIC, "project": _PROJECT, "personnel": _PERSONNEL, "public": _PUBLIC}
_VEHICLE = ("vehicle", ("vehicle_purchase", "vehicle_operation"))
_CURRENT = ("current_appropriation", ("current_general_budget", "current_government_fund", "current_state_capital"))
_CARRIED = ("carryover", ("carryover_general_budget", "carryover_government_fund", "carryover_state_capital"))

# Per table kind: (total column, part columns) relations that hold on every row.
ROW_RELATIONS: dict[str, tuple[tuple[str, tuple], ...]] = {
    # 合计 = 本年收入小计 + 上年结转, or where a template prints no 小计 (合计 | 一般公共预算拨款 | … | 上年结转), the sources.
    "income_summary": (("total", (("income_subtotal", _INCOME_SOURCES), "carryover")), ("income_subtotal", _INCOME_SOURCES),
                       ("fiscal_appropriation", _FUNDS)),
    "expenditure_summary": (("total", (_BASIC, _PROJECT, "operating", "remit_superior", "subsidy_subordinate")),
                            *_EXPENDITURE_SPLITS),
    "general_budget_expenditure": (("total", (_BASIC, _PROJECT)), *_EXPENDITURE_SPLITS),
    "general_budget_basic_expenditure": (("total", ("personnel", "public")),),
    "government_fund_expenditure": (("total", (_BASIC, _PROJECT)), *_EXPENDITURE_SPLITS),
    "state_capital_expenditure": (("total", (_BASIC, _PROJECT)), *_EXPENDITURE_SPLITS),
    "three_public_costs": (("total", _FUNDS), ("total", ("outbound", _VEHICLE, "reception")), _VEHICLE),
    "fiscal_appropriation_summary": (("total", _FUNDS),),
    "project_expenditure": (("total", (_CURRENT, _CARRIED, "special_account", "unit_funds")), _CURRENT),
    "government_procurement": (("total", (*_FUNDS, "special_account", "unit_funds", "fiscal_carryover",
                                          "non_fiscal_balance")),),
}


def resolve_parts(parts: tuple, printed: set[str] | dict) -> list[str]:
    """The columns a relation's parts stand for in a table that prints ``printed`` columns."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            aggregate, subs = part
            out.extend([aggregate] if aggregate in printed or not any(_mentions(s, printed) for s in subs)
                       else resolve_parts(subs, printed))
    return out


def _mentions(part, printed) -> bool:
    if isinstance(part, str):
        return part in printed
    return part[0] in printed or any(_mentions(s, printed) for s in part[1])


def row_relations(kind: str, printed: set[str] | dict) -> list[tuple[str, list[str]]]:
    """The row relations of a table kind, resolved to the columns the table prints.

    With the printed header paths (``printed`` a dict), a column printed flat beside the parts of a total
    that no relation names (one the registry does not know, or a registry column that ``sums_into`` it)
    is one more part of that total: the row sum is the sum of the columns the row prints.
    """
    out = []
    flat = _flat_parts(kind, printed) if isinstance(printed, dict) else {}
    for total, parts in ROW_RELATIONS.get(kind, ()):
        cols = resolve_parts(parts, printed)
        cols += [c for c in flat.get(total, ()) if c not in cols]
        if any(c in printed for c in cols):
            out.append((total, cols))
    named = {total for total, _parts in ROW_RELATIONS.get(kind, ())}
    out += [(total, cols) for total, cols in flat.items() if total not in named and total in printed]
    return out


# Header words of columns that are not parts of this year's total: last year's, changes, rates, shares, 其中.
_NOT_A_PART = re.compile(r"上年(?!结转|结余)|增减|增长|比上年|变动|[%％率]|占比|比重|单价|其中|(19|20)\d\d年")


def _flat_parts(kind: str, printed: dict) -> dict[str, list[str]]:
    """Columns each relation's total gains: printed flat (no printed column or 小计 above them), additive
    amounts, named by no relation of the kind. A column the registry does not know joins the one relation whose
    total is the table's 合计, when the kind has exactly one."""
    relations = ROW_RELATIONS.get(kind, ())
    named = {c for total, parts in relations for c in (total, *_all_keys(parts))}
    totals = [total for total, _parts in relations if total == "total"]
    if spec_for(kind).row_key == "two_sided":
        return {}
    spec = spec_for(kind)
    paths = set(printed.values())
    out: dict[str, list[str]] = {}
    for key, path in printed.items():
        col = spec.column(key)
        if key in named or col.type != "amount" or not col.additive or key.startswith("列"):
            continue
        into = col.sums_into if not is_extra_column(key) else ("total" if len(totals) == 1 else None)
        if into is None or _NOT_A_PART.search(path) or not _flat(path, paths):
            continue
        out.setdefault(into, []).append(key)
    return out


def _all_keys(parts: tuple) -> list[str]:
    out: list[str] = []
    for part in parts:
        out.extend([part] if isinstance(part, str) else [part[0], *_all_keys(part[1])])
    return out


def _flat(path: str, paths: set[str]) -> bool:
    """No header above the column is a column of its own or has a 小计 / 合计 beneath it (``header_tree`` then
    checks it among its siblings)."""
    parts = path.split("/")
    for n in range(1, len(parts)):
        above = "/".join(parts[:n])
        if above in paths or any(p.startswith(above + "/") and re.search(r"/(小计|合计)$", p) for p in paths):
            return False
    return True


def row_balance(kind: str, values: dict, printed: set[str] | dict, relations=None) -> tuple[int, int]:
    """(relations that hold, relations that fail) on one row's values: how a proposed placement scores."""
    held = failed = 0
    for total_col, cols in relations if relations is not None else row_relations(kind, printed):
        total = values.get(total_col)
        if total is None:
            continue
        parts = [values[c] for c in cols if c in values]
        if total_col == "basic" and not parts:
            continue
        # Amounts beside ones printed to the cent are exact to the cent too ("5" beside "5.00"): a bare
        # figure placed in an amount column must not borrow the slack of its missing decimals.
        places = max(printed_places(a.value) for a in (total, *parts))
        gap = sum_gap(Term.printed(total.value, places), [Term.printed(p.value, places) for p in parts])
        if gap is None:
            held += 1
        else:
            failed += 1
    return held, failed


# Fixed lines of item-keyed tables: (column or None for every amount column, total item, part items).
ITEM_RELATIONS: dict[str, tuple[tuple[str | None, str, tuple[str, ...]], ...]] = {
    "three_public_costs": (
        (None, "total", ("subtotal",)),
        (None, "subtotal", ("outbound", "vehicle", "reception")),
        (None, "vehicle", ("vehicle_purchase", "vehicle_operation")),
        (None, "outbound", ("outbound_teaching", "outbound_other")),
    ),
    "fixed_assets": tuple((column, "total_assets", ("buildings", "vehicles", "equipment", "other_assets"))
                          for column in ("value", "original_value", "net_value")),
}
# A line a template may leave out, whose relation its stand-in then carries: with no 三公小计 line, the 合计
# line is the sum of the three costs.
ITEM_STANDINS: dict[str, dict[str, str]] = {"three_public_costs": {"subtotal": "total"}}
# Lines that are part of another line ("其中：办公用房" within 房屋).
ITEM_SUBSETS: dict[str, tuple[tuple[str, str], ...]] = {
    "fixed_assets": (("office_buildings", "buildings"),),
}
# Columns of one line bounded by another column of it: a net book value is the value at cost less depreciation.
COLUMN_BOUNDS: dict[str, tuple[tuple[str, str], ...]] = {
    "fixed_assets": (("net_value", "original_value"),),
}
# Sub-item lines a template may leave out entirely; the relation is checked only when one is printed.
_OPTIONAL_BREAKDOWN = {"outbound"}


def header_tree(table) -> list[tuple[str, list[str]]]:
    """Columns the registry does not know, checked by their header: siblings under one header sum to it.

    "基本支出/人员经费/津贴补贴" and its siblings add up to the column headed
    "基本支出/人员经费" (or ".../小计", ".../合计"). Groups of registry columns
    only are left to ``ROW_RELATIONS``.
    """
    return _header_tree(table.columns)


def _header_tree(columns: dict[str, str]) -> list[tuple[str, list[str]]]:
    paths = dict(columns)
    by_path = {p: k for k, p in paths.items()}
    groups: dict[str, list[str]] = {}
    for key, path in paths.items():
        parent, _, leaf = path.rpartition("/")
        if parent and not re.search(r"其中|单价", leaf):
            groups.setdefault(parent, []).append(key)
            if leaf in ("小计", "合计") and parent not in by_path and "/" in parent:
                # A group printed with no column of its own but its 小计 (公务用车购置及运行维护费 over 小计 | 购置费 |
                # 运行维护费) is, among its own siblings, that 小计.
                groups.setdefault(parent.rpartition("/")[0], []).append(key)
    out = []
    for parent, kids in groups.items():
        if not any(is_extra_column(k) for k in kids):
            continue
        total = by_path.get(parent)
        sub = [k for k in kids if paths[k] in (f"{parent}/小计", f"{parent}/合计")]
        if total is None and sub:
            total = sub[0]
        parts = [k for k in kids if k != total and k not in sub]
        if total is not None and len(parts) >= 2:
            out.append((total, parts))
    return out


def table_relations(table) -> list[tuple[str, list[str]]]:
    """Every row relation of a table: its kind's, and its header tree's. A header-tree relation that names more
    parts of the same total (a column the registry does not know beside 人员经费 and 公用经费 under 基本支出) stands
    in for the kind's."""
    return _relations_of(table.kind, tuple(table.columns.items()))


@lru_cache(maxsize=1024)
def _relations_of(kind: str, columns: tuple[tuple[str, str], ...]) -> list[tuple[str, list[str]]]:
    # Asked each time the chooser scores a reading: the same few headers over and over.
    printed = dict(columns)
    tree = _header_tree(printed)
    kept = [(total, parts) for total, parts in row_relations(kind, printed)
            if not any(t == total and {p for p in parts if p in printed} < set(tparts) for t, tparts in tree)]
    return kept + tree


def _check_subset(view: TableView, flagger: Flagger, small_key: str, large_key: str) -> None:
    """Each amount on the ``small_key`` line is part of the same column's amount on ``large_key``."""
    if not view.touches(small_key, large_key):
        return
    for col, small in view.row_vals(small_key).items():
        if not _parts_at_most_whole(view, col):
            continue
        large = view.get(large_key, col)
        gap = exceeds(small.term, large.term) if large is not None else None
        if gap is not None:
            flagger.add("table.subset", "error",
                        f"{small.where} {small.text} 大于其所属的 {large.where} {large.text}",
                        f"{small.en_where} {small.text} exceeds {large.en_where} {large.text}, which contains it",
                        [small, large], expected=f"≤ {large.value}", found=small.value)


# Header words of change and rate columns: a part of a decrease is a smaller decrease (-2.00 of -4.80), and the
# lines of a change need not share its sign, so "a part is at most its whole" does not hold there.
_CHANGE_OR_RATE = re.compile(r"增减|增长|比上年|变动|[%％率]")


def _parts_at_most_whole(view: TableView, col: str) -> bool:
    return not _CHANGE_OR_RATE.search(view.table.columns.get(col, col))


def check_memo_lines(view: TableView, flagger: Flagger) -> None:
    """A 其中 line restates part of the line above it: never more than that line; nor are the lines of one 其中
    list together (其中：事业收入 / 上级补助收入, parts of 单位资金收入)."""
    pairs, lists = _memo_lines(view)
    for key, above in pairs:
        _check_subset(view, flagger, key, above)
    for parent, members in lists.items():
        if len(members) > 1:
            _check_memo_sum(view, flagger, parent, members)


def _memo_lines(view: TableView) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """Each 其中 line with the line above it, and each line's 其中 lines. Kept with the view: which lines are 其中
    lines does not change while the chooser tries placements of their figures."""
    cached = view.memo.get("memo lines")
    if cached is None:
        aboves: dict[str | None, str] = {}  # by side: a two-sided table's lines alternate income and expenditure
        pairs: list[tuple[str, str]] = []
        lists: dict[str, list[str]] = {}
        for key, row in view.rows:
            if not row.memo:
                aboves[row.side] = key
                continue
            above = aboves.get(row.side)
            if above is None:
                continue
            pairs.append((key, above))
            lists.setdefault(above, []).append(key)
        cached = view.memo["memo lines"] = (pairs, lists)
    return cached


def _check_memo_sum(view: TableView, flagger: Flagger, parent: str, members: list[str]) -> None:
    if not view.touches(parent, *members):
        return
    for col, whole in view.row_vals(parent).items():
        if not _parts_at_most_whole(view, col):
            continue
        named = [(k, v) for k in members if (v := view.get(k, col)) is not None]
        if len(named) < 2:
            continue
        parts = [v for _k, v in named]
        together = Term(sum((p.term.value for p in parts), ZERO), sum((p.term.half for p in parts), ZERO))
        if exceeds(together, whole.term) is not None:
            rhs = " + ".join(f"{view.label(k)} {p.text}" for k, p in named)
            flagger.add("table.subset", "error",
                        f"{whole.where}: 其中各项 {rhs} = {fmt(together.value, whole.unit)} 大于 {whole.what} {whole.text}",
                        f"{whole.en_where}: its 其中 lines {rhs} = {fmt(together.value, whole.unit)} exceed {whole.text}",
                        [*parts, whole], expected=f"≤ {whole.value}", found=together.value)


def check_unit(view: TableView, flagger: Flagger) -> None:
    """A table that states a unit the reader did not understand: none of its amounts can be trusted in any unit."""
    if view.only is not None:
        return  # whatever its rows hold: a trial placement changes nothing here
    table = view.table
    if table.unit_header is not None:
        _check_unit_header(view, flagger)
        return
    if table.unit is not None or table.empty:
        return
    stated = table.unit_text.text if table.unit_text else "（未记录）"
    amounts = [v for (_k, col), v in view.vals.items() if spec_for(table.kind).column(col).type == "amount"]
    flagger.add("read.unit", "error",
                f"{view.zh}: 单位说明“{stated}”无法识别，本表 {len(amounts)} 个金额的单位未知（未按万元处理）",
                f"{view.name}: the unit statement “{stated}” is not one the reader understands; the unit of its "
                f"{len(amounts)} amounts is unknown (not taken as 万元)",
                amounts, spans=[table.unit_text.span] if table.unit_text else [], section_id=table.section_id,
                expected="万元 / 元 / 千元 / 亿元", found=stated)


def _check_unit_header(view: TableView, flagger: Flagger) -> None:
    """A statement and a header cell that state two units (单位：万元 above 预算数（元）): a warning naming both when
    the relations between tables bore one out (``verify.choose.settle_units``), else every amount is flagged."""
    table = view.table
    stated, header = table.unit_text.text if table.unit_text else "", table.unit_header.text
    spans = [t.span for t in (table.unit_text, table.unit_header) if t is not None]
    if table.unit is not None:
        flagger.add("read.unit", "warning",
                    f"{view.zh}: 单位说明“{stated}”与表头“{header}”不一致；与其他表的关系表明本表金额的单位是{table.unit}",
                    f"{view.name}: the unit statement “{stated}” and the header “{header}” disagree; the relations "
                    f"with the other tables bear out {table.unit}",
                    spans=spans, section_id=table.section_id, expected=table.unit, found=f"{stated} / {header}")
        return
    if table.empty:
        return
    amounts = [v for (_k, col), v in view.vals.items() if spec_for(table.kind).column(col).type == "amount"]
    flagger.add("read.unit", "error",
                f"{view.zh}: 单位说明“{stated}”与表头“{header}”不一致，与其他表的关系也不能判定哪个正确："
                f"本表 {len(amounts)} 个金额的单位未知（未按万元处理）",
                f"{view.name}: the unit statement “{stated}” and the header “{header}” disagree, and no relation "
                f"with another table tells which applies: the unit of its {len(amounts)} amounts is unknown",
                amounts, spans=spans, section_id=table.section_id, expected=f"{stated} / {header}",
                found=f"{stated} / {header}")


def _ratio_holds(percent: Term, change: Term, previous: Term) -> bool:
    """percent = change / previous × 100 for some exact values behind the printed ones, either sign of change."""
    p_lo, p_hi = previous.value - previous.half, previous.value + previous.half
    if p_lo <= 0:
        return True  # a previous year that may be zero (or is negative) says nothing about the rate
    c_lo, c_hi = change.value - change.half, change.value + change.half
    lo = min(c_lo / p_lo, c_lo / p_hi) * 100
    hi = max(c_hi / p_lo, c_hi / p_hi) * 100
    return percent.value - percent.half < hi and lo < percent.value + percent.half


def check_year_on_year(view: TableView, flagger: Flagger) -> None:
    """增减额 = 本年 − 上年 and 增减率 = 增减额 ÷ 上年 × 100, on every row that prints them."""
    printed = view.table.columns
    for keys in YEAR_ON_YEAR_KEYS:
        if keys[1] in printed or keys[2] in printed or keys[3] in printed:
            _year_on_year(view, flagger, *keys)


def _year_on_year(view: TableView, flagger: Flagger, now_col: str, before_col: str, change_col: str,
                  rate_col: str) -> None:
    for key, _row in view.touched_rows:
        now, before = view.get(key, now_col), view.get(key, before_col)
        change, rate = view.get(key, change_col), view.get(key, rate_col)
        if now is not None and before is not None and change is not None:
            gap = sum_gap(now.term, [before.term, change.term])
            if gap is not None:
                found = now.value - before.value
                flagger.add("table.change", "error",
                            f"{change.where} · {change.what} {change.text} ≠ {now.what} {now.text} − "
                            f"{before.what} {before.text} = {fmt(found, now.unit)}",
                            f"{change.en_where}: change {change.text} ≠ this year {now.text} − last year "
                            f"{before.text} = {fmt(found, now.unit)}",
                            [change, now, before], expected=found, found=change.value)
        if rate is None or before is None:
            continue
        if change is not None:
            delta = change.term
        elif now is not None:
            delta = Term(now.value - before.value, now.term.half + before.term.half)
        else:
            continue
        if not _ratio_holds(rate.term, delta, before.term):
            expected = (delta.value / before.value * 100).quantize(rate.value) if before.value else None
            flagger.add("table.change", "error",
                        f"{rate.where} · {rate.what} {rate.text}% ≠ 增减 {fmt(delta.value, before.unit)} ÷ {before.what} "
                        f"{before.text} = {expected}%",
                        f"{rate.en_where}: rate {rate.text}% ≠ change {fmt(delta.value, before.unit)} ÷ last year {before.text} "
                        f"= {expected}%",
                        [v for v in (rate, change, now, before) if v is not None], expected=expected,
                        found=rate.value)


def check_table(view: TableView, flagger: Flagger) -> None:
    spec = spec_for(view.table.kind)
    check_unit(view, flagger)
    check_rows(view, flagger)
    check_year_on_year(view, flagger)
    check_memo_lines(view, flagger)
    if spec.row_key in ("functional", "economic"):
        check_hierarchy(view, flagger, spec.row_key)
        check_named_hierarchy(view, flagger, spec.row_key)
        check_units(view, flagger)
    elif view.table.kind == "other_table":
        check_unknown_kind(view, flagger)
    elif spec.row_key == "item":
        check_items(view, flagger)
    elif spec.row_key == "two_sided":
        check_two_sided(view, flagger)
    if view.table.kind in COLUMN_TOTAL_KINDS:
        check_column_totals(view, flagger)
    if view.table.kind == "government_procurement":
        check_procurement(view, flagger)


def _where(view: TableView, key: str) -> tuple[str, str]:
    vals = view.row_vals(key)
    first = next(iter(vals.values()), None)
    return (first.where, first.en_where) if first else (view.zh, view.name)


def check_rows(view: TableView, flagger: Flagger) -> None:
    """合计 = 基本 + 项目 and the like, on every row that prints its total."""
    rows = view.touched_rows
    by_row = view.by_row
    for total_col, part_cols in table_relations(view.table):
        for key, _row in rows:
            cells = by_row.get(key)
            total = cells.get(total_col) if cells else None
            if total is None:
                continue
            parts = [v for c in part_cols if (v := cells.get(c)) is not None]
            if total_col == "basic" and not parts:
                continue  # layouts that split basic into 人员/公用 on some rows only
            gap = sum_gap(total.term, [p.term for p in parts])
            if gap is not None:
                where, en = _where(view, key)
                flagger.sum_mismatch("table.row_sum", where, en, total, parts, gap)


def check_unknown_kind(view: TableView, flagger: Flagger) -> None:
    """A table of no known kind (``other_table``: 支出决算表, 某某支出明细表 …) has no relations in the registry, but
    it prints the ones every budget table keeps: its classification codes add up (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项,
    column by column) and its 合计 column is the sum of the amount columns printed flat beside it."""
    scheme = code_scheme(view)
    if scheme is not None:
        check_hierarchy(view, flagger, scheme)
    relation = printed_total(view)
    if relation is None:
        return
    total_col, part_cols = relation
    for key, _row in view.touched_rows:
        cells = view.by_row.get(key)
        total = cells.get(total_col) if cells else None
        if total is None:
            continue
        parts = [v for c in part_cols if (v := cells.get(c)) is not None]
        gap = sum_gap(total.term, [p.term for p in parts])
        if gap is not None:
            where, en = _where(view, key)
            flagger.sum_mismatch("table.row_sum", where, en, total, parts, gap)


# Functional codes (类 2xx, 款 2xxxx, 项 2xxxxxx) and economic ones (类 3xx, 款 3xxxx).
_SCHEME_OF_CODES = (("functional", re.compile(r"2\d{2}(\d{2}){0,2}")), ("economic", re.compile(r"[35]\d{2}(\d{2})?")))


def code_scheme(view: TableView) -> str | None:
    """The classification a table of no known kind is keyed by, told by its rows' codes (all of one scheme)."""
    codes = [row.code for _key, row in view.rows if row.code]
    if not codes:
        return None
    for scheme, pattern in _SCHEME_OF_CODES:
        if all(pattern.fullmatch(c) for c in codes):
            return scheme
    return None


_TOTAL_HEADER = re.compile(r"^(合计|总计)(数|金额)?$")


def printed_total(view: TableView) -> tuple[str, list[str]] | None:
    """(the 合计 column, the flat amount columns beside it) of a table of no known kind — as the table's own total
    line prints them: a header does not say whether columns printed flat are parts of 合计 or parts of each other
    (人员经费 | 工资福利支出 side by side), so the relation is taken only where the total line adds up by it. Last
    year's, change, rate and 其中 columns are never parts."""
    printed = view.table.columns
    total_col = next((k for k, path in printed.items() if _TOTAL_HEADER.match(path)), None)
    if total_col is None:
        return None
    paths = set(printed.values())
    parts = [k for k, path in printed.items()
             if k != total_col and not _NOT_A_PART.search(path) and _flat(path, paths)]
    total_line = next((key for key, row in view.rows if row.item == "total"), None)
    cells = view.by_row.get(total_line) if total_line is not None else None
    if len(parts) < 2 or not cells or cells.get(total_col) is None:
        return None
    values = [v for c in parts if (v := cells.get(c)) is not None]
    if sum_gap(cells[total_col].term, [v.term for v in values]) is not None:
        return None
    return total_col, parts


def _children_of(codes: list[str], scheme: str) -> dict[str, list[str]]:
    """Each code's sub-codes one level down, in the table's order (one pass: tables can have thousands of rows)."""
    steps = {"functional": {3: 5, 5: 7}, "economic": {3: 5}}[scheme]
    out: dict[str, list[str]] = {}
    for c in codes:
        for size, child in steps.items():
            if len(c) == child:
                out.setdefault(c[:size], []).append(c)
    return out


def _sum_relations(view: TableView, total_key: str, part_keys: list[str],
                   others: frozenset[str] = frozenset()) -> Iterator[tuple[Val, list[Val], str]]:
    """For every amount column: (total, printed parts, column); not the columns in ``others`` the total leaves blank
    (another total line prints them)."""
    by_row = view.by_row
    total_cells = by_row.get(total_key) or {}
    part_cells = [cells for k in part_keys if (cells := by_row.get(k))]
    if view.only_columns is None:
        columns = set(total_cells).union(*part_cells)
    else:  # a trial placement: only the columns it changed, of those the lines print
        columns = {c for c in view.only_columns if c in total_cells or any(c in cells for cells in part_cells)}
    if others:
        columns -= others - set(total_cells)
    additive = view.memo.get("additive")  # column -> ``ColumnSpec.additive``, filled as columns are met
    if additive is None:
        additive = view.memo["additive"] = {}
    for col in sorted(columns):
        adds = additive.get(col)
        if adds is None:
            adds = additive[col] = spec_for(view.table.kind).column(col).additive
        if not adds:
            continue
        total = total_cells.get(col)
        parts = [v for cells in part_cells if (v := cells.get(col)) is not None]
        if total is None and not parts:
            continue
        yield total, parts, col


def _column_mismatch(view: TableView, flagger: Flagger, check: str, total_key: str, part_keys: list[str],
                     what_zh: str, what_en: str, others: frozenset[str] = frozenset()) -> None:
    if not view.touches(total_key, *part_keys):
        return
    for total, parts, col in _sum_relations(view, total_key, part_keys, others):
        if total is None:
            # The parts print an amount the total line leaves blank: nothing to point at on the total side.
            gap = sum_gap(Term(ZERO, ZERO), [p.term for p in parts])
            if gap is not None:
                rhs = " + ".join(f"{p.where} {p.text}" for p in parts)
                flagger.fails(check, "error", lambda: (
                    f"{view.zh} {view.row_zh(total_key)} 的{view.column_zh(col)}为空，但{what_zh} {rhs} 不为零",
                    f"{view.name}: {what_en} ({col}) is blank but its parts {rhs} are not zero"),
                    parts, expected=-gap, found="0", key=f"{total_key}.{col}")
            continue
        gap = sum_gap(total.term, [p.term for p in parts])
        if gap is None:
            continue
        found = total.value - gap
        flagger.fails(check, "error", lambda: _mismatch_words(view, total, parts, col, found, gap, what_zh, what_en),
                      [total, *parts], expected=found, found=total.value)


def _mismatch_words(view: TableView, total: Val, parts: list[Val], col: str, found, gap, what_zh: str,
                    what_en: str) -> tuple[str, str]:
    rhs = " + ".join(f"{p.where.replace(view.zh, '').strip()} {p.text}" for p in parts) or "0"
    return (f"{total.where} · {total.what} {total.text} ≠ {what_zh} {rhs} = {fmt(found, total.unit)}（差 {fmt(gap, total.unit)}）",
            f"{total.en_where} {col} {total.text} ≠ {what_en} {fmt(found, total.unit)} (difference {fmt(gap, total.unit)})")


def check_hierarchy(view: TableView, flagger: Flagger, scheme: str) -> None:
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 (economic: 301 = Σ 301xx), column by column."""
    totals, families = _hierarchy(view, scheme)
    for key, tops in totals:
        # Tables printed side by side (人员经费 | 公用经费) each print their own total line: a column is the total's
        # that prints it, never blank on the other's.
        others = frozenset(c for k, _tops in totals if k != key for c in view.row_vals(k))
        _column_mismatch(view, flagger, "table.hierarchy", key, tops, "各类之和", "sum of the classes", others)
    for parent, kids in _touching(view, families, ("hierarchy families", scheme)):
        _column_mismatch(view, flagger, "table.hierarchy", parent, kids, "下级科目之和", "sum of its sub-codes")


def _touching(view: TableView, relations: list[tuple[str, list[str]]], name) -> list[tuple[str, list[str]]]:
    """The relations (a line and its parts) that involve a row in ``view.only``, in order; all of them when no
    trial is being checked. The rows each relation involves are indexed once per view."""
    if view.only is None:
        return relations
    index = view.memo.get(name)
    if index is None:
        index = view.memo[name] = {}
        for n, (total, parts) in enumerate(relations):
            for key in (total, *parts):
                index.setdefault(key, []).append(n)
    hit = sorted({n for key in view.only for n in index.get(key, ())})
    return [relations[n] for n in hit]


def _hierarchy(view: TableView, scheme: str) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """The table's total lines over its classes, and each code over its sub-codes, in the table's order. Kept with
    the view: the rows' codes do not change while the chooser tries placements of their figures."""
    cached = view.memo.get(("hierarchy", scheme))
    if cached is None and view.unit_of:
        cached = view.memo[("hierarchy", scheme)] = _block_hierarchy(view, scheme)
    if cached is None:
        coded = [k for k, row in view.rows if row.code and k == row.code]
        tops = [c for c in coded if len(c) == 3]
        totals = [(key, tops) for key, row in view.rows if row.item == "total" and tops]
        children = _children_of(coded, scheme)
        families = [(parent, kids) for parent in coded
                    if (kids := children.get(parent) if len(parent) in (3, 5) else None)]
        cached = view.memo[("hierarchy", scheme)] = (totals, families)
    return cached


def _block_hierarchy(view: TableView, scheme: str) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """A table printed in blocks per unit: each unit's line over its block's classes, and each code over its
    sub-codes within the block (the 合计 and the department's line are ``check_units``')."""
    blocks: dict[str, dict[str, str]] = {}  # unit line -> its block's code -> row key
    for key, row in view.rows:
        if (unit := view.unit_of.get(key)) is not None:
            blocks.setdefault(unit, {}).setdefault(row.code, key)
    totals, families = [], []
    for unit, by_code in blocks.items():
        tops = [k for c, k in by_code.items() if len(c) == 3]
        if tops and view.row_vals(unit):
            totals.append((unit, tops))
        for parent, kids in _children_of(list(by_code), scheme).items():
            if parent in by_code and len(parent) in (3, 5):
                families.append((by_code[parent], [by_code[c] for c in kids]))
    return totals, families


def names_only(view: TableView) -> list[tuple[str, object]] | None:
    """The lines of a classification table that prints names only (no 科目编码), when it has two or more."""
    if any(row.code for _k, row in view.rows):
        return None
    lines = [(k, row) for k, row in view.rows if view.row_vals(k)
             and not (row.item == "total" or row.memo or row.item == "department")]
    return lines if len(lines) >= 2 else None


def check_named_hierarchy(view: TableView, flagger: Flagger, scheme: str) -> None:
    """A classification table that prints names only: its levels read from the indentation of the names, where it
    is certain — every line one level at most deeper than the line above, no deeper than the classification goes —
    and checked as codes are (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项). Otherwise ``check_names_by_codes`` tries the
    codes the document's other tables print for the same names."""
    lines = names_only(view)
    tree = _indented_tree(lines, 3 if scheme == "functional" else 2) if lines else None
    if tree is not None:
        _check_tree(view, flagger, *tree)


def check_names_by_codes(view: TableView, flagger: Flagger, scheme: str, codes: dict[str, str]) -> None:
    """A names-only table whose indentation does not show its levels: each name's code where the document's coded
    tables give that name one code, and the hierarchy checked by those codes when every line has one. Else, unless
    the 合计 is simply the sum of every line (one level), a warning says the hierarchy was not checked."""
    lines = names_only(view)
    if not lines or _indented_tree(lines, 3 if scheme == "functional" else 2) is not None:
        return
    named = {k: codes.get(view.label(k)) for k, _row in lines}
    if all(named.values()) and len(set(named.values())) == len(named):
        by_code = {c: k for k, c in named.items()}
        children = _children_of(list(by_code), scheme)
        tops = [by_code[c] for c in by_code if len(c) == 3]
        kids = {by_code[p]: [by_code[c] for c in cs] for p, cs in children.items() if p in by_code}
        orphans = [c for c in by_code if len(c) > 3 and c[:len(c) - 2] not in by_code]
        if tops and not orphans:
            _check_tree(view, flagger, tops, kids, by_codes=True)
            return
    keys = [k for k, _row in lines]
    total = next((k for k, row in view.rows if row.item == "total"), None)
    if total is not None and _adds_up(view, total, keys):
        return  # one level: the 合计 is the sum of every line, and that is checked
    flagger.add("table.hierarchy", "warning",
                f"{view.zh}的科目没有编码，名称也没有可确定层级的缩进（或与他表同名科目的编码对应）：科目层级（合计 = Σ 类，"
                f"类 = Σ 款 …）未核对，其数值仅经行内及跨表核对",
                f"{view.name}: its lines print names without codes, and neither their indentation nor the codes other "
                f"tables give the same names show their levels for certain: the classification hierarchy (total = "
                f"Σ classes, class = Σ its lines …) was not checked",
                [v for k in keys for v in view.row_vals(k).values()], key="unchecked")


def _check_tree(view: TableView, flagger: Flagger, tops: list[str], children: dict[str, list[str]],
                by_codes: bool = False) -> None:
    total = next((k for k, row in view.rows if row.item == "total"), None)
    how_zh, how_en = ("（层级按他表同名科目的编码）", " (levels from the codes other tables print for these names)") \
        if by_codes else ("", "")
    if total is not None:
        _column_mismatch(view, flagger, "table.hierarchy", total, tops, "各类之和" + how_zh,
                         "sum of the classes" + how_en)
    for parent, kids in children.items():
        if kids:
            _column_mismatch(view, flagger, "table.hierarchy", parent, kids, "下级科目之和" + how_zh,
                             "sum of its sub-lines" + how_en)


def _indented_tree(lines: list, depth: int) -> tuple[list[str], dict[str, list[str]]] | None:
    """(the top lines, each line's lines one level down) from the indentation; None unless it is certain."""
    indents = [row.indent for _k, row in lines]
    if any(i is None for i in indents):
        return None
    levels = sorted(set(indents))
    if len(levels) < 2 or len(levels) > depth or indents[0] != levels[0]:
        return None
    tops: list[str] = []
    children: dict[str, list[str]] = {}
    stack: list[str] = []  # the open line at each level
    for key, row in lines:
        level = levels.index(row.indent)
        if level > len(stack):
            return None  # a line two levels below the one above it
        del stack[level:]
        (children.setdefault(stack[-1], []) if stack else tops).append(key)
        stack.append(key)
    return tops, children


def _adds_up(view: TableView, total: str, keys: list[str]) -> bool:
    held = False
    for total_val, parts, _col in _sum_relations(view, total, keys):
        if total_val is None or sum_gap(total_val.term, [p.term for p in parts]) is not None:
            return False
        held = True
    return held


def department_groups(view: TableView) -> list[tuple[str, list[str]]]:
    """(a department's line, its units' lines) among the lines without a classification code that a
    code-keyed table prints before its codes (合计 / 南溪市教育局 / 南溪市教育局（本级） / 南溪市第一中学 / 205 …).

    Told apart by what is printed, never by the amounts: a 3-digit department code over the 6-digit codes of
    its units (308 / 308001 / 308002), or, without codes, a first line whose name the next lines repeat as
    their own (南溪市教育局 / 南溪市教育局（本级）: the department's own office among its units).
    """
    if view.unit_of:
        return _block_departments(view)
    block: list[tuple[str, object]] = []
    for key, row in view.rows:
        if row.code:
            break
        if row.item == "total" or row.memo or not view.row_vals(key):
            continue
        block.append((key, row))
    if len(block) < 2:
        return []
    coded = [(k, printed_code(r)) for k, r in block]
    if all(c for _k, c in coded):
        groups = []
        for key, code in coded:
            if len(code) == 3:
                groups.append((key, code, []))
            elif groups and len(code) == 6 and code.startswith(groups[-1][1]):
                groups[-1][2].append(key)
        return [(dept, units) for dept, _code, units in groups if units]
    head = view.label(block[0][0])
    units = [k for k, _r in block[1:]]
    if head and any(view.label(k).startswith(head) and view.label(k) != head for k in units):
        return [(block[0][0], units)]
    return []


def _block_departments(view: TableView) -> list[tuple[str, list[str]]]:
    """A table printed in blocks per unit: the department's line (3 digits) over every unit's line (its 6 digits
    after it), wherever the blocks put them; without a department line, the 合计 over the units' lines."""
    units = list(dict.fromkeys(view.unit_of.values()))
    for key, row in view.rows:
        code = printed_code(row) if row.item == "department" else ""
        if len(code) == 3 and all(u.startswith(code) for u in units):
            return [(key, units)]
    total = next((k for k, row in view.rows if row.item == "total"), None)
    return [(total, units)] if total is not None else []


def check_units(view: TableView, flagger: Flagger) -> None:
    """A department's line is the sum of its units' lines, column by column."""
    for dept, units in department_groups(view):
        _column_mismatch(view, flagger, "table.units", dept, units, "所属单位之和", "sum of its units")
    if view.unit_of:
        # Printed in blocks per unit: the 合计 is the department's line (no class lines of its own to add up).
        total = next((k for k, row in view.rows if row.item == "total"), None)
        dept = [d for d, _units in department_groups(view) if d != total]
        if total is not None and dept:
            _column_mismatch(view, flagger, "table.units", total, dept, "部门合计", "the department's line")


def _item_key(view: TableView, item: str) -> str | None:
    for key, row in view.rows:
        if row.item == item:
            return key
    return None


def check_items(view: TableView, flagger: Flagger) -> None:
    kind = view.table.kind
    standins = ITEM_STANDINS.get(kind, {})
    for column, total_item, part_items in ITEM_RELATIONS.get(kind, ()):
        total_key = _item_key(view, total_item)
        if total_key is None and total_item in standins:
            total_key = _item_key(view, standins[total_item])
        part_keys = [k for i in part_items if (k := _item_key(view, i)) is not None]
        if total_key is None or not part_keys:
            continue
        if total_item in _OPTIONAL_BREAKDOWN and not any(view.row_vals(k) for k in part_keys):
            continue
        if column is None:
            _column_mismatch(view, flagger, "table.items", total_key, part_keys, "各分项之和", "sum of its lines")
        else:
            _item_column(view, flagger, column, total_key, part_keys)
    for small_item, large_item in ITEM_SUBSETS.get(kind, ()):
        small_key, large_key = _item_key(view, small_item), _item_key(view, large_item)
        if small_key is None or large_key is None:
            continue
        _check_subset(view, flagger, small_key, large_key)
    for small_col, large_col in COLUMN_BOUNDS.get(kind, ()):
        _check_column_bound(view, flagger, small_col, large_col)


def _check_column_bound(view: TableView, flagger: Flagger, small_col: str, large_col: str) -> None:
    for key, _row in view.rows:
        if not view.touches(key):
            continue
        small, large = view.get(key, small_col), view.get(key, large_col)
        gap = exceeds(small.term, large.term) if small is not None and large is not None else None
        if gap is not None:
            flagger.add("table.subset", "error",
                        f"{small.where} 的{small.what} {small.text} 大于{large.what} {large.text}",
                        f"{small.en_where} {small_col} {small.text} exceeds {large_col} {large.text}",
                        [small, large], expected=f"≤ {large.value}", found=small.value)


def _item_column(view: TableView, flagger: Flagger, column: str, total_key: str, part_keys: list[str]) -> None:
    if not view.touches(total_key, *part_keys) or not view.touches_column(column):
        return
    total = view.get(total_key, column)
    parts = [_named_by_row(view, k, v) for k in part_keys if (v := view.get(k, column)) is not None]
    if total is None:
        # The lines print amounts the total line leaves blank.
        gap = sum_gap(Term(ZERO, ZERO), [p.term for p in parts]) if parts else None
        if gap is not None:
            rhs = " + ".join(f"{p.where} {p.text}" for p in parts)
            flagger.add("table.items", "error", f"{view.zh} {view.row_zh(total_key)} 的{view.column_zh(column)}为空，但其组成 {rhs} 不为零",
                        f"{view.name}: {total_key} ({column}) is blank but its lines {rhs} are not zero",
                        parts, expected=-gap, found="0", key=f"{total_key}.{column}")
        return
    gap = sum_gap(total.term, [p.term for p in parts])
    if gap is not None:
        total = _named_by_row(view, total_key, total)
        flagger.sum_mismatch("table.items", f"{view.zh} {view.column_zh(column)}", f"{view.name} {column}",
                             total, parts, gap)


def _named_by_row(view: TableView, key: str, val: Val) -> Val:
    """The value named by its line, for a sum that runs down one column (资产总额 = 房屋 + 车辆 + …)."""
    return replace(val, what=view.row_zh(key), en_what=key)


# Two-sided summaries (收支总表, 财政拨款收支总表): the lines are told apart by their labels.
_GRAND = re.compile(r"总计$")
_CURRENT = re.compile(r"本年(收入|支出)(合计|小计)$|^一、本年(收入|支出)$")
_SIDE_TOTAL = re.compile(r"^(收入|支出)(合计|小计)$")
_CARRY = re.compile(r"结转|结余")


@lru_cache(maxsize=4096)
def _line_role(label: str) -> str:
    # Cached by label: a summary's lines are its template's (本年收入合计, 上年结转 …), printed by every document.
    if _GRAND.search(label):
        return "grand"
    if _CURRENT.search(label):
        return "current"
    if _SIDE_TOTAL.search(label):
        return "side_total"
    if _CARRY.search(label):
        return "carry"
    return "item"


def summary_groups(view: TableView, side: str) -> dict[str, list[str]]:
    """Row keys of one side by role: grand, current, carry, and the items of each group.

    A bare 收入合计 / 支出合计 is this year's total where it comes before the
    carry-over lines, and the grand total where it comes after them.
    """
    cached = view.memo.get(("groups", side))
    if cached is not None:
        return cached
    groups: dict[str, list[str]] = {"grand": [], "current": [], "carry": [], "current_items": [], "carry_items": []}
    bucket = "current_items"
    for key, row in view.rows:
        if row.side != side or row.memo:
            continue
        role = _line_role(view.label(key))
        if role == "side_total":
            role = "grand" if groups["carry"] or groups["current"] else "current"
        if role == "item":
            groups[bucket].append(key)
        else:
            groups[role].append(key)
            bucket = "carry_items" if role == "carry" else "current_items"
    view.memo[("groups", side)] = groups
    return groups


# The numbering of a summary's lines, outermost first: 一、 / （一） / 1. / （1）.
_OUTLINE_LEVELS = (re.compile(r"^[一二三四五六七八九十]+[、.．]"), re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
                   re.compile(r"^\d+[、.．](?!\d)"), re.compile(r"^[（(]\d+[)）]"))


def _outline_level(label: str) -> int | None:
    return next((n for n, pattern in enumerate(_OUTLINE_LEVELS) if pattern.match(label)), None)


def _outline(view: TableView, items: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """A side's lines as printed in outline (一、基本支出 1944.35 / （一）人员经费 / （二）公用经费 / 二、项目支出): the lines
    that add up to the side's total, and each numbered line that prints an amount with the more deeply numbered
    lines under it, its parts — not siblings. A numbered line that prints nothing heads nothing: the lines under
    it stay in the sum (二、财政拨款收入 left blank over （一）一般公共预算 …)."""
    tops: list[str] = []
    parts: dict[str, list[str]] = {}
    open_headings: list[tuple[int, str]] = []
    for key in items:
        level = _outline_level(view.label(key))
        while open_headings and (level is None or open_headings[-1][0] >= level):
            open_headings.pop()
        (parts[open_headings[-1][1]] if open_headings else tops).append(key)
        if level is not None and view.row_vals(key):
            open_headings.append((level, key))
            parts[key] = []
    return tops, [(key, kids) for key, kids in parts.items() if kids]


def check_two_sided(view: TableView, flagger: Flagger) -> None:
    """本年合计 = Σ lines; 总计 = 本年合计 + 结转; 收入总计 = 支出总计."""
    grands = {}
    for side in ("income", "expenditure"):
        g = summary_groups(view, side)
        for role, items in (("current", g["current_items"]), ("carry", g["carry_items"])):
            tops, headings = _outline(view, items)
            if len(g[role]) == 1 and tops:
                _column_mismatch(view, flagger, "table.summary", g[role][0], tops, "各项之和", "sum of the lines")
            for heading, parts in headings:
                _column_mismatch(view, flagger, "table.summary", heading, parts, "其下各项之和", "sum of its sub-lines")
        if len(g["grand"]) == 1 and len(g["current"]) == 1:
            _column_mismatch(view, flagger, "table.summary", g["grand"][0], g["current"] + g["carry"][:1],
                             "本年合计与结转之和", "this year's total plus carry-over")
        if len(g["grand"]) == 1:
            grands[side] = g["grand"][0]
    if len(grands) == 2 and view.touches(grands["income"], grands["expenditure"]):
        earned, spend = view.row_vals(grands["income"]), view.row_vals(grands["expenditure"])
        for (income_key, spent_keys), (zh, en) in zip(_BALANCED_COLUMNS, _BALANCED_YEARS):
            income = earned.get(income_key)
            spent = next((spend[k] for k in spent_keys if spend.get(k) is not None), None)
            if income is not None and spent is not None and sum_gap(income.term, [spent.term]) is not None:
                flagger.add("table.balance", "error",
                            f"{view.zh}: {zh}收入总计 {income.text} ≠ {zh}支出总计 {spent.text}",
                            f"{view.name}: {en}total income {income.text} ≠ {en}total expenditure {spent.text}",
                            [income, spent], expected=spent.value, found=income.value)


# Income and expenditure balance this year, and in the previous year's columns when the table prints them.
_BALANCED_COLUMNS = (("income_amount", ("expenditure_amount", "total")),
                     ("income_previous_year", ("expenditure_previous_year", "previous_year")))
_BALANCED_YEARS = (("", ""), ("上年", "last year's "))


_SUBTOTAL = re.compile(r"小计$")


# Tables listed row by row whose total line adds up its rows (or its 小计 lines, each adding up the rows under it).
COLUMN_TOTAL_KINDS = ("project_expenditure", "government_procurement", "purchased_services")


def subtotal_groups(lines: list[tuple[object, str]]) -> tuple[list[tuple[object, list]], list]:
    """Lines (anything, with its label) in order → ([(小计 line, the lines under it)], lines under no 小计)."""
    groups: list[tuple[object, list]] = []
    loose: list = []
    for line, label in lines:
        if _SUBTOTAL.search(label):
            groups.append((line, []))
        elif groups:
            groups[-1][1].append(line)
        else:
            loose.append(line)
    return groups, loose


def check_column_totals(view: TableView, flagger: Flagger) -> None:
    """合计 = Σ rows (or Σ 小计, each 小计 = Σ the rows under it) for tables listed row by row."""
    total_key, groups, loose = _column_groups(view)
    coded = _code_groups(view)
    if coded is not None:
        _check_code_groups(view, flagger, total_key, *coded)
        return
    subtotals = view.memo.get("subtotals")
    if subtotals is None:
        subtotals = view.memo["subtotals"] = [(sub, members) for sub, members in groups if members]
    for sub, members in _touching(view, subtotals, "subtotal lines"):
        _column_mismatch(view, flagger, "table.column_total", sub, members, "其下各行之和", "sum of its rows")
    if total_key is not None:
        parts = [g for g, _ in groups] + loose if groups else loose
        if parts:
            _column_mismatch(view, flagger, "table.column_total", total_key, parts, "各行之和", "sum of the rows")


def listed_parts(view: TableView) -> list[str]:
    """The lines that add up to a listed table's whole: its 小计 lines and the lines under none (its total line
    aside)."""
    _total, groups, loose = _column_groups(view)
    coded = _code_groups(view)
    if coded is not None:
        return coded[0]
    return [g for g, _ in groups] + loose if groups else loose


def _check_code_groups(view: TableView, flagger: Flagger, total_key: str | None, tops: list[str],
                       families: list[tuple[str, list[str]]]) -> None:
    for parent, parts in _touching(view, families, "code group lines"):
        _column_mismatch(view, flagger, "table.hierarchy", parent, parts, "其下各行之和", "sum of the lines under it")
    if total_key is not None and tops:
        _column_mismatch(view, flagger, "table.column_total", total_key, tops, "各类之和", "sum of the classes")


def _code_groups(view: TableView) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """A listed table grouped under classification lines (项目支出表 as several provinces print it: 合计, then
    205 / 20501 / 2050199, each code line followed by its projects, which print no code): the code lines are the
    hierarchy, not items of the list. Returns the lines that add up to the total (the classes, and any line
    printed before the first code) and each code line with its parts (its sub-codes and the uncoded lines under
    it); None when the codes nest nowhere (each project printing its own 项 code, or no codes) or the table
    has 小计 lines. Kept with the view: the rows' codes do not change while the chooser tries placements."""
    cached = view.memo.get("code groups", False)
    if cached is False:
        cached = view.memo["code groups"] = _group_by_codes(view)
    return cached


def _group_by_codes(view: TableView) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    total_key, groups, _loose = _column_groups(view)
    lines = [(key, row.code) for key, row in view.rows if key != total_key and not row.memo]
    codes = {code for _key, code in lines if code}
    if groups or not any(len(c) > 3 and c[:-2] in codes for c in codes):
        return None
    key_of: dict[str, str] = {}
    tops: list[str] = []
    parts: dict[str, list[str]] = {}
    under: str | None = None  # the last code line: an uncoded line is one of its projects
    for key, code in lines:
        if not code:
            (parts[under] if under is not None else tops).append(key)
            continue
        parent = key_of.get(code[:-2]) if len(code) > 3 else None
        (parts[parent] if parent is not None else tops).append(key)
        key_of.setdefault(code, key)
        under = key
        parts.setdefault(key, [])
    return tops, [(key, kids) for key, kids in parts.items() if kids]


def _column_groups(view: TableView) -> tuple[str | None, list[tuple[str, list[str]]], list[str]]:
    """The total line, the 小计 lines with the lines under each, and the lines under none. Kept with the view: the
    rows' labels do not change while the chooser tries placements of their figures."""
    cached = view.memo.get("column_groups")
    if cached is None:
        total_key = next((k for k, row in view.rows if row.item == "total"), None)
        groups, loose = subtotal_groups([(key, view.label(key)) for key, row in view.rows
                                         if key != total_key and not row.memo])
        cached = view.memo["column_groups"] = (total_key, groups, loose)
    return cached


def check_procurement(view: TableView, flagger: Flagger) -> None:
    """数量 × 单价 = 金额 on each purchase line, within the rounding of all three."""
    for key, _row in view.touched_rows:
        sme, total = view.get(key, "sme_reserved"), view.get(key, "total")
        if sme is not None and total is not None and exceeds(sme.term, total.term) is not None:
            flagger.add("table.subset", "error",
                        f"{total.where}: 面向中小企业预留 {sme.text} 大于采购金额 {total.text}",
                        f"{total.en_where}: reserved for small firms {sme.text} exceeds the purchase total {total.text}",
                        [sme, total], expected=f"≤ {total.value}", found=sme.value)
        qty, price, total = view.get(key, "quantity"), view.get(key, "unit_price"), view.get(key, "total")
        if qty is None or price is None or total is None:
            continue
        if not product_holds(total.term, qty.term, price.term):
            flagger.add("table.quantity_price", "error",
                        f"{total.where}: 数量 {qty.text} × 单价 {price.text} ≠ 金额 {total.text}",
                        f"{total.en_where}: quantity {qty.text} × unit price {price.text} ≠ total {total.text}",
                        [qty, price, total], expected=qty.value * price.value, found=total.value)
