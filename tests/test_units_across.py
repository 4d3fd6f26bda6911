"""Relations between tables (and with the narrative) whose tables print different units, or one not understood.

Hand-written documents (a made-up department, figures made up to add up): an expenditure summary and the general
budget's expenditure table print the same codes, each in the unit given; the narrative restates them in 万元.
A 元 table restated in 万元 is rounded to two decimals, as templates print it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import verify_text

# Rows: code, label, total, basic, project — in 元.
ROWS = [("210", "卫生健康支出", "1234567.80", "934567.80", "300000.00"),
        ("21015", "医疗保障管理事务", "1234567.80", "934567.80", "300000.00"),
        ("2101501", "行政运行", "934567.80", "934567.80", ""),
        ("2101599", "其他医疗保障管理事务支出", "300000.00", "", "300000.00"),
        ("", "合计", "1234567.80", "934567.80", "300000.00")]

DOC = """某市示范医疗保障局
2025年部门预算

一、部门预算情况说明

2025年支出预算{narrative}万元，其中：基本支出93.46万元，项目支出30.00万元。

二、部门预算报表

表一 2025年部门支出预算总表

{unit1}

科目编码\t科目名称\t合计\t基本支出\t项目支出
{rows1}

表二 2025年一般公共预算支出预算表

{unit2}

科目编码\t科目名称\t合计\t基本支出\t项目支出
{rows2}
"""

_FACTOR = {"元": Decimal(1), "万元": Decimal("0.0001"), "千元": Decimal("0.001")}


def _in(unit: str, yuan: str) -> str:
    """An amount printed in ``unit`` (two decimals), from its value in 元; a unit not understood prints 元."""
    if not yuan:
        return ""
    return str((Decimal(yuan) * _FACTOR.get(unit, Decimal(1))).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _rows(unit: str, change: dict[str, str] | None = None) -> str:
    change = change or {}
    return "\n".join("\t".join([code, label, *(_in(unit, change.get(code or "total", v) if i == 0 else v)
                                               for i, v in enumerate(vals))])
                     for code, label, *vals in ROWS)


def _doc(unit1: str, unit2: str, change1: dict | None = None, narrative: str = "123.46") -> str:
    said = {u: f"单位：{u}" for u in _FACTOR}
    return DOC.format(unit1=said.get(unit1, unit1), unit2=said.get(unit2, unit2), narrative=narrative,
                      rows1=_rows(unit1.removeprefix("单位："), change1), rows2=_rows(unit2.removeprefix("单位：")))


def _run(text: str):
    return verify_text("003", text)


def _errors(result, check: str):
    return [f for f in result.flags if f.check == check and f.severity == "error"]


@pytest.mark.parametrize("unit1,unit2", [("万元", "元"), ("元", "万元"), ("千元", "元"), ("万元", "千元")])
def test_tables_in_different_known_units_are_compared_converted_and_rounding_aware(unit1, unit2):
    result = _run(_doc(unit1, unit2))
    assert [t.unit for t in result.tables] == [unit1, unit2]
    assert [f.message for f in result.flags if f.severity == "error"] == []
    assert not [f for f in result.flags if f.check == "cross.unit"]


@pytest.mark.parametrize("unit1,unit2", [("万元", "元"), ("元", "万元")])
def test_a_real_difference_between_units_is_an_error_naming_both_units(unit1, unit2):
    # 2101599 is 300,000.00 元 = 30.00 万元 in the detail table; the summary prints 31.00 万元 / 310,000.00 元.
    result = _run(_doc(unit1, unit2, change1={"2101599": "310000.00"}))
    same_code = _errors(result, "cross.same_code")
    assert any("2101599" in f.message and "万元" in f.message and " 元" in f.message for f in same_code)


@pytest.mark.parametrize("unknown", ["单位：美元", "单位：元/人", "金额单位：港币"])
def test_a_table_in_a_unit_not_understood_is_never_compared_with_another_unit(unknown):
    result = _run(_doc(unknown, "元"))
    assert [t.unit for t in result.tables] == [None, "元"]
    # Neither an error nor a held relation: no cross or narrative error, and a warning naming the unit says why.
    for check in ("cross.same_code", "cross.summary", "narrative.table"):
        assert _errors(result, check) == []
    warnings = [f for f in result.flags if f.check == "cross.unit"]
    assert warnings and all(unknown in f.message and f.severity == "warning" for f in warnings)
    assert any("一般公共预算" in f.message for f in warnings)  # the other table
    assert any("说明" in f.message for f in warnings)  # the narrative's 万元
    # Its amounts stay flagged read.unit (none of them verified by a relation).
    flagged = {ref.path for f in result.flags if f.check == "read.unit" for ref in f.fields}
    assert all(p in flagged for p in (f"expenditure_summary[{c}].total" for c in ("210", "2101501", "total")))


def test_a_table_in_a_unit_not_understood_is_never_compared_even_when_the_figures_match():
    """Before: the unknown unit was compared as 万元; the same figures in 元 'verified', a narrative in 万元 'failed'."""
    result = _run(_doc("单位：美元", "元", narrative="1234567.80"))
    assert _errors(result, "narrative.table") == [] and _errors(result, "cross.same_code") == []


def test_two_tables_stating_the_same_unknown_unit_are_still_compared():
    same = _run(_doc("单位：美元", "单位：美元"))
    assert _errors(same, "cross.same_code") == []
    assert not [f for f in same.flags if f.check == "cross.unit" and "一般公共预算" in f.message]
    wrong = _run(_doc("单位：美元", "单位：美元", change1={"2101599": "310000.00"}))
    assert any("2101599" in f.message for f in _errors(wrong, "cross.same_code"))


def test_two_different_unknown_units_are_not_compared():
    result = _run(_doc("单位：美元", "单位：港币", change1={"2101599": "310000.00"}))
    assert _errors(result, "cross.same_code") == []
    assert [f for f in result.flags if f.check == "cross.unit" and "一般公共预算" in f.message]


# ------------------------------------------- a statement and a header cell that disagree

def _with_header_unit(text: str, statement: str, header_unit: str) -> str:
    """The summary's statement replaced, and its header cells printing ``header_unit``."""
    old = "科目编码\t科目名称\t合计\t基本支出\t项目支出"
    head = text.split("表一", 1)[1].split(old, 1)[0]
    said = head.strip().splitlines()[-1]  # the statement line, under the title
    new_head = head.replace(said, statement)
    return text.replace(head + old, new_head + f"科目编码\t科目名称\t合计（{header_unit}）\t基本支出（{header_unit}）"
                                               f"\t项目支出（{header_unit}）", 1)


@pytest.mark.parametrize("printed,statement,header", [
    ("元", "单位：万元", "元"),  # the header is right
    ("万元", "单位：万元", "元"),  # the statement is right
    ("元", "金额单位：千元", "元"),
])
def test_a_statement_and_a_header_that_disagree_are_settled_by_the_other_tables(printed, statement, header):
    result = _run(_with_header_unit(_doc(printed, "元"), statement, header))
    summary = result.tables[0]
    assert summary.unit_header is not None and summary.unit_header.text == f"合计（{header}）"
    assert summary.unit == printed
    unit_flags = [f for f in result.flags if f.check == "read.unit"]
    assert len(unit_flags) == 1 and unit_flags[0].severity == "warning"
    assert statement in unit_flags[0].message and f"合计（{header}）" in unit_flags[0].message
    assert [f.message for f in result.flags if f.severity == "error"] == []


def test_a_disagreement_no_relation_can_settle_leaves_every_amount_flagged():
    # The detail table states a unit not understood: nothing can tell the summary's unit.
    result = _run(_with_header_unit(_doc("元", "单位：美元"), "单位：万元", "元"))
    summary = result.tables[0]
    assert summary.unit is None
    flag = next(f for f in result.flags if f.check == "read.unit" and "合计（元）" in f.message)
    assert flag.severity == "error" and "单位：万元" in flag.message
    n_amounts = sum(len(r.values) for r in summary.rows)
    assert len({ref.path for ref in flag.fields}) == n_amounts
    assert _errors(result, "narrative.table") == [] and _errors(result, "cross.same_code") == []


def test_a_header_that_prints_the_statements_unit_in_one_cell_is_no_disagreement():
    """单价（元） beside 金额（万元） under 单位：万元: a column's own unit, not a disagreement about the table's."""
    text = _with_header_unit(_doc("万元", "万元"), "单位：万元", "万元").replace("基本支出（万元）", "基本支出（元）", 1)
    result = _run(text)
    assert result.tables[0].unit == "万元" and result.tables[0].unit_header is None
    assert not [f for f in result.flags if f.check == "read.unit"]


def test_a_statement_alone_or_a_header_alone_is_no_disagreement():
    for text in (_with_header_unit(_doc("元", "元"), "单位：元", "元"), _doc("元", "元")):
        result = _run(text)
        assert result.tables[0].unit == "元" and result.tables[0].unit_header is None
        assert not [f for f in result.flags if f.check == "read.unit"]


def test_the_report_shows_both_units_of_a_disagreement():
    from extractor.report import _unit_shown

    settled = _run(_with_header_unit(_doc("元", "元"), "单位：万元", "元")).tables[0]
    assert "单位：万元" in _unit_shown(settled) and "合计（元）" in _unit_shown(settled)
    assert _unit_shown(settled).startswith("元")
    open_ = _run(_with_header_unit(_doc("元", "单位：美元"), "单位：万元", "元")).tables[0]
    assert _unit_shown(open_).startswith("未知") and "合计（元）" in _unit_shown(open_)
