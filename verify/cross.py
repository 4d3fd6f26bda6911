"""Relations between tables: the same code, the same totals, wherever a document prints them."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from schemas import ExtractionResult, spec_for

from .flags import Flagger, fmt
from .tables import EXPENDITURE_SPLITS, check_names_by_codes, listed_parts, names_only, resolve_parts, summary_groups
from .tolerance import ZERO, Term, exceeds, printed_places, sum_gap
from .card_projects import check_card_projects
from .values import ONE, TO_WAN, TableView, Val, card_name, card_total, is_known_unit

_BRACKETS = str.maketrans("【】〔〕", "[][]")
_FISCAL_DETAIL = ("general_budget_expenditure", "government_fund_expenditure", "state_capital_expenditure")
# Income that is no fiscal appropriation; 单位资金 is the 2025 templates' one column for all of it.
_NON_FISCAL = ("special_account", "business_income", "operating_income", "superior_subsidy",
               "subordinate_remittance", "other_income", "unit_funds")
# 三公 lines and the basic-expenditure economic codes that pay for them.
_THREE_PUBLIC_LINES = (("outbound", "30212"), ("vehicle_operation", "30231"), ("vehicle_purchase", "31013"),
                       ("reception", "30217"))


def _first(views: list[TableView], kind: str) -> TableView | None:
    return next((v for v in views if v.table.kind == kind), None)


def _total_key(view: TableView) -> str | None:
    return next((k for k, row in view.rows if row.item == "total"), None)


def comparable(flagger: Flagger, check: str, vals: list[Val]) -> bool:
    """Whether values can be compared: all in one unit, or all in units that convert (元 ↔ 万元 ↔ 千元 …).

    A value of a table whose unit statement was not understood compares only with values printed under the same
    statement. Against any other unit the relation is neither held nor failed: one warning per pair of sides says
    it was not checked, and why."""
    units = {v.unit for v in vals}
    if len(units) == 1 or all(is_known_unit(u) for u in units):
        return True
    unknown = next(v for v in vals if not is_known_unit(v.unit))
    other = next(v for v in vals if v.unit != unknown.unit)
    a, b = _side(unknown), _side(other)
    flagger.add("cross.unit", "warning",
                f"{a[0]}的单位说明无法识别{unknown.unit}，与{b[0]}（单位 {other.unit}）之间的关系未核对（如 {unknown.label} 与 "
                f"{other.label}）：既不算核实，也不算错误",
                f"{a[1]} states a unit the reader does not understand {unknown.unit}: its relations with {b[1]} "
                f"(in {other.unit}) were not checked (e.g. {unknown.en_where} {unknown.en_what} against "
                f"{other.en_where} {other.en_what}); neither verified nor an error",
                spans=[unknown.amount.span, other.amount.span], section_id=unknown.section_id, key=f"{a[1]}|{b[1]}")
    return False


def _side(val: Val) -> tuple[str, str]:
    """The table (or the narrative) a value belongs to, as messages name it: (中文, English)."""
    name = val.path.split("[", 1)[0]
    kind = name.split("#", 1)[0]
    if kind == "narrative":
        return "说明", "the narrative"
    try:
        return spec_for(kind).zh, name
    except KeyError:
        return name, name


def _equal(flagger: Flagger, check: str, a: Val, b: Val, severity: str = "error", note: str = "", note_en: str = "") -> None:
    if a.unit != b.unit and not comparable(flagger, check, [a, b]):
        return  # (two values of one unit always compare: most pairs, checked first)
    gap = sum_gap(a.common, [b.common])
    if gap is None:
        flagger.held(check, [a, b])
    if gap is not None:
        flagger.fails(check, severity, lambda: _unequal_words(a, b, note, note_en), [a, b], expected=b.value,
                      found=a.value)


def _unequal_words(a: Val, b: Val, note: str, note_en: str) -> tuple[str, str]:
    av, bv = _values(a, b)
    return (f"{a.label} {av} ≠ {b.label} {bv}{note}",
            f"{a.en_where} {a.en_what} {av} ≠ {b.en_where} {b.en_what} {bv}{note_en}")


def _values(*vals: Val) -> list[str]:
    """The values as messages print them: with their units when the tables print different ones."""
    if len({v.unit for v in vals}) > 1:
        return [v.shown for v in vals]
    return [v.text for v in vals]


def _sum_equal(flagger: Flagger, check: str, total: Val, parts: list[Val]) -> None:
    if not parts:
        return  # a relation with no term: nothing to compare with (callers say so where a blank is a zero)
    if len(parts) == 1:
        _equal(flagger, check, total, parts[0])
        return
    if not comparable(flagger, check, [total, *parts]):
        return
    gap = sum_gap(total.common, [p.common for p in parts])
    if gap is None:
        flagger.held(check, [total, *parts])
    if gap is not None:
        found = total.value - gap / TO_WAN.get(total.unit, ONE)  # the parts' sum, in the total's unit
        if any(p.unit != total.unit for p in parts):  # 6500000.00 元 + 1500000.00 元 = 800.00 万元, not 800.000000
            found = found.normalize()
            if printed_places(found) < total.places:
                found = found.quantize(Decimal(1).scaleb(-total.places))
        flagger.fails(check, "error", lambda: _unsummed_words(total, parts, found), [total, *parts], expected=found,
                      found=total.value)


def _unsummed_words(total: Val, parts: list[Val], found: Decimal) -> tuple[str, str]:
    shown = _values(total, *parts)
    rhs = " + ".join(f"{p.label} {v}" for p, v in zip(parts, shown[1:]))
    return (f"{total.label} {shown[0]} ≠ {rhs} = {fmt(found, total.unit)}",
            f"{total.en_where} {total.en_what} {shown[0]} ≠ " + " + ".join(
                f"{p.en_where} {p.en_what} {v}" for p, v in zip(parts, shown[1:])) + f" = {fmt(found, total.unit)}")


def all_fiscal(views: list[TableView]) -> bool:
    """Whether every income is a fiscal appropriation, so the summary and the fiscal tables must agree."""
    income = _first(views, "income_summary")
    if income is None or (key := _total_key(income)) is None:
        return True
    return all(v.value == ZERO for c, v in income.row_vals(key).items() if c in _NON_FISCAL)


def check_same_codes(views: list[TableView], flagger: Flagger) -> None:
    """A code in the expenditure summary carries the sum of what the fiscal tables give it."""
    summary = _first(views, "expenditure_summary")
    details = [v for v in views if v.table.kind in _FISCAL_DETAIL and not v.table.empty]
    if summary is None or not details or not all_fiscal(views):
        return
    # A detail table that prints no such column (basic split into 人员经费 / 公用经费 with no 基本支出 column) gives
    # the sum of the columns it splits it into.
    printed = {(id(d), col): _printed_parts(d, col) for d in details for col in ("total", "basic", "project")}
    for key, row in summary.rows:
        if not (row.code or row.item == "total"):
            continue
        match_keys = [(d, k) for d in details if (k := _match_key(d, row)) is not None]
        for col in ("total", "basic", "project"):
            total = summary.get(key, col)
            listed = [(d, k, cols) for d, k in match_keys if (cols := printed[id(d), col])]
            if not listed:
                continue
            parts = [v for d, k, cols in listed for c in cols if (v := d.get(k, c)) is not None]
            if total is None and not parts:
                continue
            if not parts:
                if total.value:
                    _blank_in_details(flagger, total, listed, col)
                continue
            if total is None:
                flagger.add("cross.same_code", "error",
                            f"{summary.zh} {row.code or '合计'} 的{summary.column_zh(col)}为空，但 " + "、".join(
                                f"{p.label} {p.text}" for p in parts) + " 不为零",
                            f"{summary.name} {row.code or 'total'} {col} is blank but the fiscal tables print "
                            + ", ".join(f"{p.en_where} {p.text}" for p in parts), parts,
                            key=f"{key}.{col}")
                continue
            _sum_equal(flagger, "cross.same_code", total, parts)
    income = _first(views, "income_summary")
    if income is not None:
        for key, row in income.rows:
            a = income.get(key, "total")
            k = _match_key(summary, row)
            b = summary.get(k, "total") if k else None
            if a is not None and b is not None:
                _equal(flagger, "cross.same_code", a, b)


def _printed_parts(view: TableView, col: str) -> list[str]:
    """The columns of ``view`` that hold ``col``: itself where printed, else the parts it splits into."""
    cols = resolve_parts((EXPENDITURE_SPLITS.get(col, col),), view.table.columns)
    return [c for c in cols if c in view.table.columns]


def _blank_in_details(flagger: Flagger, total: Val, listed, col: str) -> None:
    """The summary prints an amount where every detail table leaves the columns that hold it blank."""
    where = "、".join(f"{d.zh} {d.row_zh(k)} {'+'.join(d.column_zh(c) for c in cols)}" for d, k, cols in listed)
    flagger.add("cross.same_code", "error", f"{total.label} {total.text} ≠ {where}（空，即 0）",
                f"{total.en_where} {total.en_what} {total.text} ≠ blank (0) in "
                + ", ".join(f"{d.name} {k} {'+'.join(cols)}" for d, k, cols in listed),
                [total], expected="0", found=total.value, key=f"blank.{col}")


def _match_key(view: TableView, row) -> str | None:
    return view.by_code.get(row.code or ("total" if row.item == "total" else ""))


_CLASS_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、]?")
_CLASS_SUFFIX = re.compile(r"(拨款)?(收入)?$")


@lru_cache(maxsize=4096)
def _class_name(label: str) -> str:
    """"十、卫生健康支出" → "卫生健康支出"; "一、一般公共预算拨款收入" and "一般公共预算拨款" → "一般公共预算"."""
    return _CLASS_SUFFIX.sub("", _CLASS_NUMBER.sub("", label))


def check_summaries(views: list[TableView], flagger: Flagger) -> None:
    """The two-sided summaries against the detail tables they summarise."""
    summary = _first(views, "expenditure_summary")
    income = _first(views, "income_summary")
    ies = _first(views, "income_expenditure_summary")
    fas = _first(views, "fiscal_appropriation_summary")
    if ies is not None and summary is not None:
        _classes_match(ies, "expenditure_amount", [summary], flagger)
        _side_total_match(ies, "expenditure", "current", "expenditure_amount", summary, "total", flagger)
    if ies is not None and income is not None:
        _income_sources_match(ies, income, flagger)
        _side_total_match(ies, "income", "current", "income_amount", income, "income_subtotal", flagger)
        _side_total_match(ies, "income", "grand", "income_amount", income, "total", flagger)
        _side_total_match(ies, "income", "carry", "income_amount", income, "carryover", flagger)
    if fas is not None:
        fiscal = {d.table.kind: d for d in views if d.table.kind in _FISCAL_DETAIL}
        if "general_budget" in fas.table.columns:
            for col, kind in (("general_budget", "general_budget_expenditure"),
                              ("government_fund", "government_fund_expenditure"),
                              ("state_capital", "state_capital_expenditure")):
                if kind in fiscal and not fiscal[kind].table.empty:
                    _classes_match(fas, col, [fiscal[kind]], flagger)
                    _side_total_match(fas, "expenditure", "current", col, fiscal[kind], "total", flagger)
        details = [d for d in fiscal.values() if not d.table.empty]
        if details:
            _classes_match(fas, "total", details, flagger)
    if ies is not None and fas is not None:
        _income_lines_match(ies, fas, flagger)
        if all_fiscal(views):
            # With no income but appropriations, both summaries carry the same totals.
            for role in ("current", "grand"):
                _summaries_match(ies, fas, "income", role, "income_amount", "income_amount", flagger)


def _classes_match(two_sided: TableView, column: str, details: list[TableView], flagger: Flagger) -> None:
    """Each function class line of a summary = the class rows (3-digit codes) of the detail tables."""
    for key, row in two_sided.rows:
        if row.side != "expenditure" or (line := two_sided.get(key, column)) is None:
            continue
        name = _class_name(two_sided.label(key))
        parts = [v for d in details for dkey in _class_lines(d).get(name, ())
                 if (v := d.get(dkey, "total")) is not None]
        if parts:
            _sum_equal(flagger, "cross.summary", line, parts)


def _class_lines(view: TableView) -> dict[str, list[str]]:
    """The class rows (3-digit codes) of a detail table by label, in the table's order: each summary line looks its
    classes up here, not through every code of the table."""
    lines = view.memo.get("class lines")
    if lines is None:
        lines = view.memo["class lines"] = {}
        for code, key in view.by_code.items():
            if len(code) == 3:
                lines.setdefault(view.label(key), []).append(key)
        for key, row in view.rows:  # a table printed in blocks per unit: each unit's class line is a part
            if key in view.unit_of and len(row.code) == 3 and "#" not in key:
                lines.setdefault(view.label(key), []).append(key)
    return lines


def _side_total_match(two_sided: TableView, side: str, role: str, column: str, detail: TableView, detail_col: str,
                      flagger: Flagger) -> None:
    keys = summary_groups(two_sided, side)[role]
    dkey = _total_key(detail)
    if len(keys) != 1 or dkey is None:
        return
    a, b = two_sided.get(keys[0], column), detail.get(dkey, detail_col)
    if a is not None and b is not None:
        _equal(flagger, "cross.summary", a, b)


# The income summary's source columns and the words of the 收支总表 income lines that restate them.
_SOURCE_LINES = (
    ("fiscal_appropriation", re.compile(r"一般公共预算|政府性基金|国有资本经营")),
    ("general_budget", re.compile(r"一般公共预算")),
    ("government_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("special_account", re.compile(r"财政专户")),
    ("business_income", re.compile(r"^(\S、)?事业收入")),
    ("operating_income", re.compile(r"经营收入")),
    ("superior_subsidy", re.compile(r"上级补助")),
    ("subordinate_remittance", re.compile(r"附属单位")),
    ("other_income", re.compile(r"其他收入")),
)


def _income_sources_match(ies: TableView, income: TableView, flagger: Flagger) -> None:
    """Each source of this year's income: the income summary's total line and the 收支总表 line that names it."""
    total_key = _total_key(income)
    if total_key is None:
        return
    lines = summary_groups(ies, "income")["current_items"]
    totals = income.row_vals(total_key)
    for col, words in _SOURCE_LINES:
        if col not in income.table.columns:
            continue
        named = [k for k in lines if words.search(_class_name(ies.label(k)) or ies.label(k))]
        if not named:
            continue
        parts = [v for k in named if (v := ies.get(k, "income_amount")) is not None]
        total = totals.get(col)
        if total is None and not parts:
            continue
        if total is None:
            if any(p.value != ZERO for p in parts):
                flagger.add("cross.summary", "error",
                            f"{income.zh} 合计的{income.column_zh(col)}为空，但 " + "、".join(
                                f"{p.label} {p.text}" for p in parts) + " 不为零",
                            f"{income.name} total {col} is blank but {ies.name} prints "
                            + ", ".join(f"{p.en_where} {p.text}" for p in parts), parts, key=f"sources.{col}")
            continue
        _sum_equal(flagger, "cross.summary", total, parts)


def _summaries_match(a: TableView, b: TableView, side: str, role: str, col_a: str, col_b: str,
                      flagger: Flagger) -> None:
    ka, kb = summary_groups(a, side)[role], summary_groups(b, side)[role]
    if len(ka) == 1 and len(kb) == 1:
        va, vb = a.get(ka[0], col_a), b.get(kb[0], col_b)
        if va is not None and vb is not None:
            _equal(flagger, "cross.summary", va, vb)


def _income_lines_match(ies: TableView, fas: TableView, flagger: Flagger) -> None:
    """This year's appropriation lines read the same in 收支总表 and 财政拨款收支总表."""
    lines = {}
    for key in summary_groups(fas, "income")["current_items"]:
        if (v := fas.get(key, "income_amount")) is not None:
            lines.setdefault(_class_name(key.split(":", 1)[-1]), v)
    for key in summary_groups(ies, "income")["current_items"]:
        v = ies.get(key, "income_amount")
        other = lines.get(_class_name(key.split(":", 1)[-1]))
        if v is not None and other is not None:
            _equal(flagger, "cross.summary", v, other)


def check_basic_split(views: list[TableView], flagger: Flagger) -> None:
    """一般公共预算支出表's basic column = the basic-expenditure table's totals (Σ its classes where it prints no total
    line)."""
    gb, basic = _first(views, "general_budget_expenditure"), _first(views, "general_budget_basic_expenditure")
    if gb is None or basic is None or (gk := _total_key(gb)) is None:
        return
    if _total_key(basic) is None:
        classes = [k for k, row in basic.rows if row.code and len(row.code) == 3 and k == row.code]
        for gcol, bcol in (("basic", "total"), ("personnel", "personnel"), ("public", "public")):
            a, parts = gb.get(gk, gcol), [v for k in classes if (v := basic.get(k, bcol)) is not None]
            if a is not None and parts:
                _sum_equal(flagger, "cross.basic", a, parts)
        return
    # The basic table's total line that prints the column: 人员经费 and 公用经费 printed side by side each have theirs.
    totals = [k for k, row in basic.rows if row.item == "total"]
    for gcol, bcol in (("basic", "total"), ("personnel", "personnel"), ("public", "public")):
        a, b = gb.get(gk, gcol), next((v for k in totals if (v := basic.get(k, bcol)) is not None), None)
        if a is not None and b is not None:
            _equal(flagger, "cross.basic", a, b)


def check_projects(views: list[TableView], flagger: Flagger) -> None:
    """Σ project rows (the project table's 合计, or its rows where it prints no total line) = the project expenditure
    in the summary."""
    projects, summary = _first(views, "project_expenditure"), _first(views, "expenditure_summary")
    if projects is None or summary is None or not all_fiscal(views):
        return
    sk = _total_key(summary)
    b = summary.get(sk, "project") if sk is not None else None
    if b is None:
        return
    pk = _total_key(projects)
    if pk is not None:
        if (a := projects.get(pk, "total")) is not None:
            _equal(flagger, "cross.projects", a, b)
        return
    rows = [v for k in listed_parts(projects) if (v := projects.get(k, "total")) is not None]
    if rows:
        _sum_equal(flagger, "cross.projects", b, rows)


def check_three_public(views: list[TableView], flagger: Flagger) -> None:
    """三公 lines against the basic-expenditure lines that pay for them.

    A warning, not an error: project funds may pay part of a 三公 line, so the
    three-public figure may legitimately be the larger one.
    """
    three, basic = _first(views, "three_public_costs"), _first(views, "general_budget_basic_expenditure")
    if three is None or basic is None:
        return
    for item, code in _THREE_PUBLIC_LINES:
        key = next((k for k, row in three.rows if row.item == item), None)
        line = three.get(key, "total") if key else None
        basic_line = basic.get(code, "total")
        if line is None or basic_line is None or not comparable(flagger, "cross.three_public", [line, basic_line]):
            continue
        if sum_gap(line.common, [basic_line.common]) is not None:
            severity = "error" if exceeds(basic_line.common, line.common) is not None else "warning"
            _equal(flagger, "cross.three_public", line, basic_line, severity,
                   "（三公经费小于基本支出中的同一科目）" if severity == "error" else "（项目经费可能承担部分三公经费）",
                   " (the three-public figure is below the basic-expenditure line)" if severity == "error"
                   else " (project funds may pay part of it)")


@lru_cache(maxsize=4096)
def _norm_name(s: str) -> str:
    # Full- and half-width punctuation vary between a table and a card of the same project.
    s = unicodedata.normalize("NFKC", s).translate(_BRACKETS)
    s = re.sub(r"^\d+[、.]", "", re.sub(r"\s+", "", s))
    return re.sub(r"(绩效目标表|绩效目标|项目)$", "", s)


def _same_project(a: str, b: str) -> bool:
    a, b = _norm_name(a), _norm_name(b)
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 10 and (a.startswith(b) or b.startswith(a)))


def check_cards(result: ExtractionResult, views: list[TableView], flagger: Flagger) -> None:
    """A card's budget = its project's row in the project table, where both exist."""
    projects = _first(views, "project_expenditure")
    if projects is not None:
        check_card_projects(result.cards, projects, flagger, _equal)


def check_procurement_projects(views: list[TableView], flagger: Flagger) -> None:
    """Purchase lines of one project print the same project budget, and spend no more than it."""
    proc = _first(views, "government_procurement")
    if proc is None:
        return
    by_project: dict[tuple[str, str], list[str]] = {}
    unit = ""  # the same project name under two units' 小计 is two projects
    for key, row in proc.rows:
        if proc.label(key).endswith("小计"):
            unit = key
        elif proc.get(key, "project_budget") is not None and row.label:
            by_project.setdefault((unit, _norm_name(proc.label(key))), []).append(key)
    for keys in by_project.values():
        budgets = [proc.get(k, "project_budget") for k in keys]
        for other in budgets[1:]:
            _equal(flagger, "cross.procurement_project", other, budgets[0])
        spent = [v for k in keys if (v := proc.get(k, "total")) is not None]
        if spent and comparable(flagger, "cross.procurement_project", [budgets[0], *spent]) and exceeds(_sum_term(spent), budgets[0].common) is not None:
            flagger.add("cross.procurement_project", "error",
                        f"{budgets[0].where}: 采购金额合计 {sum(v.value for v in spent)} 超过项目预算 {budgets[0].text}",
                        f"{budgets[0].en_where}: purchases {sum(v.value for v in spent)} exceed the project budget "
                        f"{budgets[0].text}", [budgets[0], *spent], expected=f"≤ {budgets[0].value}",
                        found=sum(v.value for v in spent))


def check_procurement_cards(result: ExtractionResult, views: list[TableView], flagger: Flagger) -> None:
    """A purchase line's project budget is the budget of the card for that project.

    Names are matched loosely (cut lines, numbering), and two cards may share a
    name, so the line must equal one of the matching cards; a warning, not an error.
    """
    proc = _first(views, "government_procurement")
    if proc is None or not result.cards:
        return
    lines = [(key, budget) for key, row in proc.rows
             if (budget := proc.get(key, "project_budget")) is not None and row.label]
    if not lines:
        return  # (the cards' budgets are not named for nothing)
    cards = [(card_name(c), v) for c in result.cards if (v := card_total(c)) is not None]
    for key, budget in lines:
        matches = [v for name, v in cards if _same_project(proc.label(key), name)]
        if matches and comparable(flagger, "cross.procurement_card", [budget, *matches]) and all(sum_gap(budget.common, [m.common]) is not None for m in matches):
            flagger.add("cross.procurement_card", "warning",
                        f"{budget.label} {budget.text} ≠ 同名项目绩效目标表的预算数 " + "、".join(str(m.value) for m in matches),
                        f"{budget.en_where} project budget {budget.text} ≠ the budget of the card(s) for the project: "
                        + ", ".join(str(m.value) for m in matches),
                        [budget, *matches], expected=matches[0].value, found=budget.value)


def _sum_term(vals: list[Val]) -> Term:
    return Term(sum((v.common.value for v in vals), ZERO), sum((v.common.half for v in vals), ZERO))


# A source of funds, the words that name it on a summary's income side, and the table that spends it.
_SOURCES = (
    ("government_fund", "政府性基金预算", re.compile(r"政府性基金"), "government_fund_expenditure"),
    ("state_capital", "国有资本经营预算", re.compile(r"国有资本经营"), "state_capital_expenditure"),
    ("special_account", "财政专户管理资金", re.compile(r"财政专户"), None),
    ("unit_funds", "单位资金", re.compile(r"单位资金"), None),
)
_SPENDING_BY_SOURCE = ("government_procurement", "three_public_costs", "project_expenditure")


def _absent_sources(views: list[TableView]) -> dict[str, str]:
    """Sources the document itself shows the department does not have, with the evidence (in Chinese)."""
    absent: dict[str, str] = {}
    summary = _first(views, "income_expenditure_summary") or _first(views, "fiscal_appropriation_summary")
    for key, zh, words, table_kind in _SOURCES:
        spending = _first(views, table_kind) if table_kind else None
        if spending is not None and _all_zero(spending):
            absent[key] = f"{spending.zh}为空"
            continue
        if summary is None:
            continue
        lines = [k for k, row in summary.rows if row.side == "income" and words.search(summary.label(k))]
        if lines and all(v.value == ZERO for k in lines for v in summary.row_vals(k).values()):
            absent[key] = f"{summary.zh}中“{summary.label(lines[0])}”为空"
    return absent


def _all_zero(view: TableView) -> bool:
    return all(v.value == ZERO for cells in view.by_row.values() for v in cells.values())


@lru_cache(maxsize=1024)
def _source_of(column: str) -> tuple | None:
    """The source of funds (of ``_SOURCES``) a spending column says it is paid from: named by the column's key, or
    at its end (project_government_fund); None for any other column."""
    return next((s for s in _SOURCES if column == s[0] or column.endswith(f"_{s[0]}")), None)


def check_fund_sources(views: list[TableView], flagger: Flagger) -> None:
    """Spending paid from a source of funds the department does not have (a procurement by government funds
    while the government-fund table is empty)."""
    absent = _absent_sources(views)
    if not absent:
        return
    for view in views:
        if view.table.kind not in _SPENDING_BY_SOURCE:
            continue
        for key, cells in view.by_row.items():
            for col, val in cells.items():
                source = _source_of(col)
                if source is None or source[0] not in absent or val.value == ZERO:
                    continue
                flagger.add("cross.fund_source", "error",
                            f"{val.label} {val.text} 由{source[1]}支付，但本部门没有{source[1]}（{absent[source[0]]}）",
                            f"{val.en_where} {val.en_what} {val.text} is paid from {source[0].replace('_', ' ')}, "
                            f"which the department does not have", [val], expected="0", found=val.value)


def check_unit_sums(views: list[TableView], flagger: Flagger) -> None:
    """A kind printed for the department (部门汇总) and again for each of its units: the consolidated table is the
    units' sum, row by row (same code or line) and column by column. Where some of its lines are in no unit's
    table, or no table says it is the consolidated one, a warning says the sum was not checked."""
    by_kind: dict[str, list[TableView]] = {}
    for view in views:
        if view.table.entity is not None:
            by_kind.setdefault(view.table.kind, []).append(view)
    for kind, group in by_kind.items():
        if len({"".join(v.table.entity.text.split()) for v in group}) < 2:
            continue
        whole = [v for v in group if v.table.entity_role == "consolidated"]
        units = [v for v in group if v.table.entity_role == "unit"]
        if len(whole) != 1 or not units:
            names = "、".join(v.table.entity.text for v in group)
            flagger.add("cross.units", "warning",
                        f"{spec_for(kind).zh}按单位印出了多张（{names}），没有一张标明是部门汇总：各单位之和未核对",
                        f"{kind} is printed for several units ({names}) and none says it is the consolidated "
                        f"table: the units' sum was not checked",
                        spans=[v.table.entity.span for v in group], section_id=group[0].table.section_id,
                        key=f"{kind}|roles")
            continue
        _unit_sums(whole[0], units, flagger)


def _unit_sums(whole: TableView, units: list[TableView], flagger: Flagger) -> None:
    spec = spec_for(whole.table.kind)
    printed = {k for u in units for k, _row in u.rows if u.row_vals(k)}
    lost = [k for k, _row in whole.rows if k not in printed and any(v.value for v in whole.row_vals(k).values())]
    if lost:
        shown = "、".join(whole.row_zh(k) for k in lost[:5]) + ("等" if len(lost) > 5 else "")
        flagger.add("cross.units", "warning",
                    f"{whole.zh}的 {shown} 在各单位的表中都没有：似有单位的表未印出，各单位之和未核对",
                    f"{whole.name}: {', '.join(lost[:5])} are in no unit's table: a unit's table seems not to be "
                    f"printed; the units' sum was not checked",
                    [v for k in lost[:5] for v in whole.row_vals(k).values()], key=f"{whole.name}|lost")
        return
    keys = [k for k, _row in whole.rows] + [k for u in units for k, _row in u.rows]
    for key in dict.fromkeys(keys):
        columns = {c for v in (whole, *units) for c in v.row_vals(key)}
        for col in sorted(columns):
            cspec = spec.column(col)
            if cspec.type != "amount" or not cspec.additive:
                continue
            total = whole.get(key, col)
            parts = [(u, u.get(key, col)) for u in units]
            vals = [p for _u, p in parts if p is not None]
            if not comparable(flagger, "cross.units", [v for v in (total, *vals) if v is not None]):
                continue
            gap = sum_gap(total.common if total else Term(ZERO, ZERO), [p.common for p in vals])
            if gap is None:
                continue
            # In the consolidated table's unit (the units' tables may print another: 元 against 万元).
            factor = TO_WAN.get((total or vals[0]).unit, ONE)
            if factor != ONE:
                gap = gap / factor
            found = ((total.value if total else ZERO) - gap)
            rhs = " + ".join(f"{u.table.entity.text} {p.value if p else 0}" for u, p in parts)
            where = total.label if total else f"{whole.zh} {whole.row_zh(key) or key} · {whole.column_zh(col)}"
            en_where = f"{total.en_where} {col}" if total else f"{whole.name} {key} {col}"
            flagger.add("cross.units", "error",
                        f"{where} {total.value if total else '（空）'} ≠ 各单位之和 {rhs} = {found}（差 {gap}）",
                        f"{en_where} {total.value if total else '(blank)'} ≠ the sum of its units {rhs} = {found} "
                        f"(difference {gap})",
                        [v for v in (total, *vals) if v is not None], expected=found,
                        found=total.value if total else "0", key=f"{key}.{col}")


def check_names_hierarchy(views: list[TableView], flagger: Flagger) -> None:
    """Names-only classification tables whose indentation does not show their levels: checked by the codes the
    document's coded tables print for the same names (a name with two codes gives none)."""
    for scheme in ("functional", "economic"):
        tables = [v for v in views if spec_for(v.table.kind).row_key == scheme]
        unnumbered = [v for v in tables if names_only(v)]
        if not unnumbered:
            continue  # (most documents: every classification table prints its codes)
        codes: dict[str, set[str]] = {}
        for view in tables:
            for key, row in view.rows:
                if row.code and view.label(key):
                    codes.setdefault(view.label(key), set()).add(row.code)
        named = {label: next(iter(c)) for label, c in codes.items() if len(c) == 1}
        for view in unnumbered:
            check_names_by_codes(view, flagger, scheme, named)


def check_across(result: ExtractionResult, views: list[TableView], flagger: Flagger) -> None:
    check_unit_sums(views, flagger)
    check_names_hierarchy(views, flagger)
    # The other relations are the department's: a unit's own table (本级, a school) is checked against its
    # consolidated table above, never against the department's other tables.
    views = [v for v in views if v.table.entity_role != "unit"]
    check_same_codes(views, flagger)
    check_fund_sources(views, flagger)
    check_summaries(views, flagger)
    check_basic_split(views, flagger)
    check_projects(views, flagger)
    check_three_public(views, flagger)
    check_cards(result, views, flagger)
    check_procurement_projects(views, flagger)
    check_procurement_cards(result, views, flagger)
