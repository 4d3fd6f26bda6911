"""Changes and rates the narrative states after 比上年, and amounts that follow them in the same sentence.

Hand-written documents (a made-up department, figures made up to add up): a 三公 table in other provinces'
year-on-year template (上年 | 本年 | 增减额 | 增减率), or with 上年 and 本年 only, or with one amount column.
"比上年减少2.00万元，下降6.25%" is a claim against the table's 增减额 / 增减率 where it prints them, else against
本年 − 上年; an amount after the change in the same sentence is this year's amount or (its verb left out) a change,
checked as either — it used to be dropped without a word.
"""

from __future__ import annotations

import pytest

from conftest import verify_text

HEAD = """某市示范医疗保障局
2025年部门预算

一、部门预算情况说明

{narrative}

二、部门预算报表

表七 2025年一般公共预算“三公”经费支出预算表

单位：万元

"""
# 上年 | 本年 | 增减额 | 增减率: 合计 32.00 → 30.00 (−2.00, −6.25%), 公务接待费 6.00 → 5.00 (−1.00).
YOY = """项目\t上年预算数\t本年预算数\t增减额\t增减率
合计\t32.00\t30.00\t-2.00\t-6.25%
一、因公出国（境）费\t0.00\t0.00\t0.00\t
二、公务用车购置及运行维护费\t26.00\t25.00\t-1.00\t-3.85%
其中：公务用车购置费\t0.00\t0.00\t0.00\t
公务用车运行维护费\t26.00\t25.00\t-1.00\t-3.85%
三、公务接待费\t6.00\t5.00\t-1.00\t-16.67%
"""
TWO_YEARS = """项目\t2024年预算数\t2025年预算数
合计\t32.00\t30.00
一、因公出国（境）费\t0.00\t0.00
二、公务用车购置及运行维护费\t26.00\t25.00
其中：公务用车购置费\t0.00\t0.00
公务用车运行维护费\t26.00\t25.00
三、公务接待费\t6.00\t5.00
"""
ONE_YEAR = """项目\t预算数
合计\t30.00
一、因公出国（境）费\t
二、公务用车购置及运行维护费\t25.00
其中：公务用车购置费\t
公务用车运行维护费\t25.00
三、公务接待费\t5.00
"""


def _run(narrative: str, table: str):
    return verify_text("003", HEAD.format(narrative=narrative) + table)


def _flags(result, *checks):
    return [f for f in result.flags if f.check in checks]


@pytest.mark.parametrize("table", [YOY, TWO_YEARS], ids=["change columns", "two years"])
def test_a_change_and_rate_that_agree_with_the_table_raise_nothing(table):
    result = _run("2025年“三公”经费预算30.00万元，比上年减少2.00万元，下降6.25%。", table)
    assert _flags(result, "narrative.table", "narrative.change") == []
    change = next(c for c in result.claims if c.kind == "change")
    assert change.subject == "三公经费" and change.value.raw == "2.00"


@pytest.mark.parametrize("table,expected", [(YOY, "-2.00"), (TWO_YEARS, "-2.00")],
                         ids=["change columns", "two years"])
def test_a_change_the_table_does_not_bear_out_is_flagged(table, expected):
    result = _run("2025年“三公”经费预算30.00万元，比上年减少3.00万元。", table)
    flags = _flags(result, "narrative.change")
    assert len(flags) == 1 and flags[0].severity == "warning"
    assert "3.00" in flags[0].message and expected in flags[0].message
    # Its span names the narrative's digits and the table's.
    assert len(flags[0].spans) >= 2


@pytest.mark.parametrize("table", [YOY, TWO_YEARS], ids=["rate column", "two years"])
@pytest.mark.parametrize("narrative", ["2025年“三公”经费预算30.00万元，比上年减少2.00万元，下降7.25%。",
                                       "2025年“三公”经费预算30.00万元，比上年下降7.25%。"],
                         ids=["with its change", "a rate alone"])
def test_a_rate_the_table_does_not_bear_out_is_flagged(table, narrative):
    # 2.00 of 32.00 is 6.25%. Checked against the table whether or not the change is stated.
    result = _run(narrative, table)
    table_flags = [f for f in _flags(result, "narrative.change") if "经费支出表" in f.message]
    assert len(table_flags) == 1 and table_flags[0].severity == "warning"
    assert "7.25" in table_flags[0].message and "6.25" in table_flags[0].message


@pytest.mark.parametrize("table", [YOY, TWO_YEARS], ids=["rate column", "two years"])
def test_a_rate_alone_that_agrees_with_the_table_raises_nothing(table):
    result = _run("2025年“三公”经费预算30.00万元，比上年下降6.25%。", table)
    assert ("percent", "三公经费", "6.25") in {(c.kind, c.subject, c.value.raw) for c in result.claims}
    assert _flags(result, "narrative.change", "narrative.table") == []


def test_a_change_with_no_last_year_figure_in_the_tables_is_still_a_claim():
    result = _run("2025年“三公”经费预算30.00万元，比上年减少3.00万元，下降9.09%。", ONE_YEAR)
    claims = {(c.kind, c.value.raw) for c in result.claims}
    assert ("change", "3.00") in claims and ("percent", "9.09") in claims
    # 3.00 of last year's 33.00 (30.00 + 3.00) is 9.09%: consistent, so nothing to flag.
    assert _flags(result, "narrative.change", "narrative.table") == []


SENTENCE = "2025年“三公”经费预算30.00万元，比上年减少2.00万元，其中公务接待费{reception}万元。"


@pytest.mark.parametrize("table", [YOY, TWO_YEARS, ONE_YEAR], ids=["change columns", "two years", "one column"])
def test_an_amount_after_a_change_is_claimed_and_checked_not_dropped(table):
    result = _run(SENTENCE.format(reception="5.00"), table)  # this year's amount
    claim = next(c for c in result.claims if c.subject == "公务接待费")
    assert claim.kind == "amount" and claim.after_change and claim.value.raw == "5.00"
    assert _flags(result, "narrative.table", "narrative.change", "narrative.parts") == []


@pytest.mark.parametrize("table", [YOY, TWO_YEARS], ids=["change columns", "two years"])
def test_an_amount_after_a_change_may_be_the_change_with_its_verb_left_out(table):
    result = _run(SENTENCE.format(reception="1.00"), table)  # 公务接待费 fell by 1.00
    assert _flags(result, "narrative.table", "narrative.change") == []


@pytest.mark.parametrize("table", [YOY, TWO_YEARS], ids=["change columns", "two years"])
def test_an_amount_after_a_change_that_is_neither_is_an_error(table):
    result = _run(SENTENCE.format(reception="6.50"), table)
    flags = _flags(result, "narrative.table")
    assert len(flags) == 1 and flags[0].severity == "error"
    assert "6.50" in flags[0].message and "5.00" in flags[0].message and "-1.00" in flags[0].message


def test_an_amount_after_a_change_with_no_last_year_to_check_is_a_warning_that_says_why():
    result = _run(SENTENCE.format(reception="6.50"), ONE_YEAR)
    flags = _flags(result, "narrative.table")
    assert len(flags) == 1 and flags[0].severity == "warning"
    assert "6.50" in flags[0].message and "5.00" in flags[0].message and "增减" in flags[0].message


def test_amounts_after_a_change_are_no_parts_of_a_whole():
    """"…比上年增加2万元，其中基本支出增加1万元，项目支出1万元": 项目支出 may be a change; never summed as a part."""
    result = _run("2025年“三公”经费预算30.00万元，比上年减少2.00万元，其中公务用车运行维护费1.00万元，"
                  "公务接待费1.00万元。", YOY)
    assert _flags(result, "narrative.parts", "narrative.table", "narrative.change") == []
