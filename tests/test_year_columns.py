"""Amount columns headed 预算数 / 2025年预算数, and year-on-year columns (上年 | 本年 | 增减额 | 增减率).

Hand-written tables in other provinces' templates (figures made up for the test): the lone amount column is the
table's total whatever it is headed, so every check that reads the total runs; 上年 / 增减 / 增减率 are columns of
their own, checked: 增减额 = 本年 − 上年, 增减率 = 增减额 ÷ 上年 (a percentage, kept with its unit %).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import verify_text

NARRATIVE = """某市示范医疗保障局
2025年部门预算

一、部门预算情况说明

2025年“三公”经费预算{total}万元，其中公务接待费5.00万元。

二、部门预算报表

"""
THREE_PUBLIC = """表七 2025年一般公共预算“三公”经费支出预算表

单位：万元

项目\t{header}
合计\t30.00
一、因公出国（境）费\t
二、公务用车购置及运行维护费\t25.00
其中：公务用车购置费\t
公务用车运行维护费\t25.00
三、公务接待费\t5.00
"""


def _run(text: str):
    return verify_text("003", text)


def _three(result):
    return next(t for t in result.tables if t.kind == "three_public_costs")


@pytest.mark.parametrize("header", ["合计", "预算数", "2025年预算数", "本年预算数", "金额", "本年预算", "2025年", "本期数",
                                    "预算安排"])
def test_a_lone_amount_column_is_the_total_and_every_check_reads_it(header):
    right = _run(NARRATIVE.format(total="30.00") + THREE_PUBLIC.format(header=header))
    assert set(_three(right).columns) == {"total"}
    assert [f.message for f in right.flags if f.severity == "error"] == []
    # The narrative's figure is compared with the table's: a wrong one is told, whatever the header says.
    wrong = _run(NARRATIVE.format(total="35.00") + THREE_PUBLIC.format(header=header))
    assert [f.check for f in wrong.flags if f.severity == "error"] == ["narrative.table"]


YOY = """表七 2025年一般公共预算“三公”经费支出预算表

单位：万元

项目\t{previous}\t{current}\t增减额\t增减率
合计\t32.00\t30.00\t-2.00\t-6.25%
一、因公出国（境）费\t0.00\t0.00\t0.00\t
二、公务用车购置及运行维护费\t26.00\t25.00\t-1.00\t-3.85%
其中：公务用车购置费\t0.00\t0.00\t0.00\t
公务用车运行维护费\t26.00\t25.00\t-1.00\t-3.85%
三、公务接待费\t6.00\t{reception}\t-1.00\t-16.67%
"""


@pytest.mark.parametrize("previous,current", [("2024年预算数", "2025年预算数"), ("上年预算数", "本年预算数"),
                                              ("2023年预算数", "2024年预算数"), ("2024年预算数", "预算数"),
                                              ("上年数", "本年数")])
def test_year_on_year_columns_are_read_and_checked(previous, current):
    result = _run(NARRATIVE.format(total="30.00") + YOY.format(previous=previous, current=current, reception="5.00"))
    table = _three(result)
    assert list(table.columns) == ["previous_year", "total", "change", "change_rate"]
    total = next(r for r in table.rows if r.item == "total")
    assert {k: v.value for k, v in total.values.items()} == {
        "previous_year": Decimal("32.00"), "total": Decimal("30.00"), "change": Decimal("-2.00"),
        "change_rate": Decimal("-6.25")}
    assert total.values["change_rate"].raw == "-6.25"  # grounded on its digits, the % sign is the unit
    assert not any(r.unparsed for r in table.rows)
    assert [f.message for f in result.flags if f.severity == "error"] == []


def test_a_change_that_is_not_this_year_minus_last_is_flagged():
    # 公务接待费 printed 6.00 this year: 增减额 -1.00 no longer holds, nor does the 合计.
    result = _run(NARRATIVE.format(total="30.00") + YOY.format(previous="2024年预算数", current="2025年预算数",
                                                               reception="6.00"))
    checks = sorted(f.check for f in result.flags if f.severity == "error")
    assert "table.change" in checks and "table.items" in checks
    change = next(f for f in result.flags if f.check == "table.change")
    assert "-1.00" in change.message and "6.00" in change.message


def test_a_rate_that_does_not_recompute_is_flagged():
    text = NARRATIVE.format(total="30.00") + YOY.format(previous="上年预算数", current="本年预算数", reception="5.00")
    result = _run(text.replace("-6.25%", "-7.25%"))
    flags = [f for f in result.flags if f.check == "table.change"]
    assert len(flags) == 1 and "-7.25%" in flags[0].message


def test_rates_are_exported_with_their_unit():
    from extractor.export import result_facts

    result = _run(NARRATIVE.format(total="30.00") + YOY.format(previous="上年预算数", current="本年预算数",
                                                               reception="5.00"))
    units = {f["column"]: f["unit"] for f in result_facts(result) if f["table"] == "three_public_costs"}
    assert units == {"previous_year": "万元", "total": "万元", "change": "万元", "change_rate": "%"}


SUMMARY_YOY = """表一 2025年部门收支预算总表

单位：万元

收入\t\t\t\t支出\t\t\t
项目\t2024年预算数\t2025年预算数\t增减额\t项目\t2024年预算数\t2025年预算数\t增减额
一、一般公共预算拨款收入\t100.00\t120.00\t20.00\t一、卫生健康支出\t100.00\t120.00\t{change}
本年收入合计\t100.00\t120.00\t20.00\t本年支出合计\t100.00\t120.00\t20.00
收入总计\t100.00\t120.00\t20.00\t支出总计\t100.00\t120.00\t20.00
"""


def test_a_two_sided_summary_reads_this_years_amounts_not_last_years():
    result = _run(NARRATIVE.format(total="0") + SUMMARY_YOY.format(change="20.00"))
    table = next(t for t in result.tables if t.kind == "income_expenditure_summary")
    grand = next(r for r in table.rows if r.side == "income" and r.label.text == "收入总计")
    assert grand.values["income_amount"].value == Decimal("120.00")
    assert grand.values["income_previous_year"].value == Decimal("100.00")
    assert not [f for f in result.flags if f.check == "table.change"]
    wrong = _run(NARRATIVE.format(total="0") + SUMMARY_YOY.format(change="21.00"))
    assert [f for f in wrong.flags if f.check == "table.change"]


def test_last_years_columns_of_a_two_sided_summary_must_balance_too():
    """Each side adds up within itself, but last year's income and expenditure totals differ: table.balance."""
    text = NARRATIVE.format(total="0") + SUMMARY_YOY.format(change="20.00").replace(
        "收入总计\t100.00", "收入总计\t110.00").replace("本年收入合计\t100.00", "本年收入合计\t110.00").replace(
        "一、一般公共预算拨款收入\t100.00", "一、一般公共预算拨款收入\t110.00")
    balance = [f for f in _run(text).flags if f.check == "table.balance"]
    assert [f.message.split(": ", 1)[1] for f in balance] == ["上年收入总计 110.00 ≠ 上年支出总计 100.00"]
    assert not [f for f in _run(NARRATIVE.format(total="0") + SUMMARY_YOY.format(change="20.00")).flags
                if f.check == "table.balance"]


# ------------------------------------------- a header naming a year other than the document's

@pytest.mark.parametrize("header,named", [("2024年预算数", 2024), ("2026年预算数", 2026), ("2023年", 2023)])
def test_a_lone_column_naming_another_year_than_the_documents_is_flagged_not_silently_this_year(header, named):
    result = _run(NARRATIVE.format(total="30.00") + THREE_PUBLIC.format(header=header))
    flags = [f for f in result.flags if f.check == "read.year"]
    assert len(flags) == 1 and flags[0].severity == "warning"
    assert str(named) in flags[0].message and "2025" in flags[0].message and header in flags[0].message
    # Every value of that column carries it: none comes out verified as this year's.
    flagged = {ref.path for ref in flags[0].fields}
    assert len(flagged) == sum("total" in r.values for r in _three(result).rows) >= 4
    assert all(p.endswith(".total") for p in flagged)


@pytest.mark.parametrize("previous,current,flagged", [
    ("2024年预算数", "2025年预算数", None),  # the document's year is the latest: as read
    ("2023年预算数", "2024年预算数", 2024),  # both a year early: 2024 read as 本年 in a 2025 document
    ("2025年预算数", "2026年预算数", 2026),
    ("2024年预算数", "预算数", None),  # the undated column is this year's, 2024 last year's
    ("2025年预算数", "预算数", 2025),  # read as 上年, but it names the document's own year
])
def test_year_on_year_columns_naming_other_years_are_flagged(previous, current, flagged):
    result = _run(NARRATIVE.format(total="30.00") + YOY.format(previous=previous, current=current, reception="5.00"))
    flags = [f for f in result.flags if f.check == "read.year"]
    if flagged is None:
        assert flags == []
    else:
        assert len(flags) == 1 and str(flagged) in flags[0].message and "2025" in flags[0].message


def test_no_year_column_is_flagged_on_the_corpus():
    from conftest import result_for

    for doc in ("000", "001", "002", "003"):
        assert not [f for f in result_for(doc).flags if f.check == "read.year"]
