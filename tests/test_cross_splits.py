"""Cross-table checks against a table that splits a column instead of printing it.

Hand-written (figures made up): the general-budget table prints basic expenditure as 人员经费 + 公用经费 with no
基本支出 column, as many provinces' templates do. The expenditure summary's 基本支出 is compared with their sum;
a relation with no term is never a flag.
"""

from __future__ import annotations

from conftest import verify_text

DOC = """某市示范医疗保障局
2025年部门预算

一、部门预算报表

表三 2025年部门支出预算总表

单位：元

科目编码\t科目名称\t合计\t基本支出\t项目支出
210\t卫生健康支出\t11,000,000.00\t8,000,000.00\t3,000,000.00
21015\t医疗保障管理事务\t11,000,000.00\t8,000,000.00\t3,000,000.00
2101501\t行政运行\t8,000,000.00\t8,000,000.00\t
2101599\t其他医疗保障管理事务支出\t3,000,000.00\t\t3,000,000.00
\t合计\t11,000,000.00\t8,000,000.00\t3,000,000.00

表五 2025年一般公共预算支出预算表

单位：元

科目编码\t科目名称\t合计\t{personnel}\t{public}\t项目支出
210\t卫生健康支出\t11,000,000.00\t6,500,000.00\t1,500,000.00\t3,000,000.00
21015\t医疗保障管理事务\t11,000,000.00\t6,500,000.00\t1,500,000.00\t3,000,000.00
2101501\t行政运行\t8,000,000.00\t{admin_personnel}\t1,500,000.00\t
2101599\t其他医疗保障管理事务支出\t3,000,000.00\t\t\t3,000,000.00
\t合计\t11,000,000.00\t6,500,000.00\t1,500,000.00\t3,000,000.00
"""


def _run(personnel="人员经费", public="公用经费", admin_personnel="6,500,000.00"):
    return verify_text("003", DOC.format(personnel=personnel, public=public, admin_personnel=admin_personnel))


def test_basic_split_into_personnel_and_public_agrees_with_the_summary():
    result = _run()
    assert [f.message for f in result.flags if f.check == "cross.same_code"] == []
    assert not any("≠  =" in f.message or "≠ =" in f.message for f in result.flags)


def test_a_split_that_does_not_add_up_to_the_summarys_basic_is_told():
    # 行政运行's 人员经费 6,400,000 (合计 8,000,000 is then off by 100,000 inside the table, and against the summary).
    result = _run(admin_personnel="6,400,000.00")
    same = [f for f in result.flags if f.check == "cross.same_code" and "2101501" in f.message]
    assert same, [f.message for f in result.flags]
    basic = next(f for f in same if "基本支出" in f.message)
    assert "人员经费" in basic.message and "公用经费" in basic.message
    assert {ref.path for ref in basic.fields} >= {"expenditure_summary[2101501].basic",
                                                  "general_budget_expenditure[2101501].personnel",
                                                  "general_budget_expenditure[2101501].public"}


def test_the_same_columns_under_other_names_are_compared_too():
    result = _run(personnel="工资福利支出", public="商品和服务支出")
    assert [f.message for f in result.flags if f.check == "cross.same_code"] == []
