"""The unit a table states, in every form templates print it; never 万元 by a silent default.

The documents here are hand-written (a made-up department, figures made up to add up), in the shapes other
provinces' templates print: the unit statement varies, the amounts are in 元.
"""

from __future__ import annotations

import pytest

from conftest import verify_text

# One statement per table (``{unit}``), amounts in 元. The narrative restates them in 万元.
DOC = """某市示范医疗保障局
2025年部门预算

一、部门预算情况说明

2025年支出预算123.46万元，其中：基本支出93.46万元，项目支出30.00万元。

二、部门预算报表

表一 2025年部门支出预算总表

{unit}

科目编码\t科目名称\t合计\t基本支出\t项目支出
210\t卫生健康支出\t1,234,567.80\t934,567.80\t300,000.00
21015\t医疗保障管理事务\t1,234,567.80\t934,567.80\t300,000.00
2101501\t行政运行\t934,567.80\t934,567.80\t
2101599\t其他医疗保障管理事务支出\t300,000.00\t\t300,000.00
\t合计\t1,234,567.80\t934,567.80\t300,000.00

表二 2025年一般公共预算“三公”经费支出预算表

{unit3g}

项目\t合计
合计\t60,000.00
一、因公出国（境）费\t
二、公务用车购置及运行维护费\t40,000.00
其中：公务用车购置费\t
公务用车运行维护费\t40,000.00
三、公务接待费\t20,000.00
"""


def _doc(unit: str, unit3g: str | None = None) -> str:
    return DOC.format(unit=unit, unit3g=unit if unit3g is None else unit3g)


def _run(text: str):
    return verify_text("003", text)


STATED_IN_YUAN = ["单位：元", "单位:元", "（单位：元）", "(单位:元)", "金额单位：元", "单位：元（人民币）",
                  "单位：人民币元", "金额单位：人民币元", "单位 ：元", "单位（元）", "单位 : 人民币元",
                  "计量单位：元", "部门名称：某市示范医疗保障局\t\t单位：元", "单位：元   第 1 页",
                  # A justified line spaces its characters out.
                  "单 位：元", "单位：人民币 元", "单 位： 元"]


@pytest.mark.parametrize("statement", STATED_IN_YUAN)
def test_every_form_of_a_statement_in_yuan_reads_yuan(statement):
    result = _run(_doc(statement))
    assert [t.unit for t in result.tables] == ["元", "元"]
    assert all(t.unit_from == "stated" and t.unit_text is not None for t in result.tables)
    assert result.document.unit == "元"
    # Read in 元, the tables agree with the narrative's 万元: no error at all.
    assert [f.message for f in result.flags if f.severity == "error"] == []
    # The statement is furniture, not a header cell: the 三公 column is the registry's, not "单位(元)/…".
    three = next(t for t in result.tables if t.kind == "three_public_costs")
    assert not any("单位" in label for label in three.columns.values())


@pytest.mark.parametrize("statement,unit", [("单位：千元", "千元"), ("单位：亿元", "亿元"), ("单位：万元", "万元"),
                                            ("金额单位：人民币万元", "万元"), ("单位：万元、平方米、台", "万元")])
def test_other_units_are_read_as_stated(statement, unit):
    result = _run(_doc(statement))
    assert [t.unit for t in result.tables] == [unit, unit]


@pytest.mark.parametrize("statement", ["单位：美元", "单位：元/人", "金额单位：港币", "单位：万"])
def test_a_statement_not_understood_is_flagged_never_taken_for_wan(statement):
    result = _run(_doc(statement))
    assert [t.unit for t in result.tables] == [None, None]
    assert result.document.unit is None
    flags = [f for f in result.flags if f.check == "read.unit"]
    assert len(flags) == 2 and all(f.severity == "error" and statement in f.message for f in flags)
    # Every amount of those tables is flagged by it: none comes out verified.
    flagged = {ref.path for f in flags for ref in f.fields}
    n_amounts = sum(len(r.values) for t in result.tables for r in t.rows)
    assert len(flagged) == n_amounts


def test_a_header_cell_that_states_the_unit_is_read():
    result = _run(_doc("").replace("\t合计\t基本支出\t项目支出", "\t合计（元）\t基本支出（元）\t项目支出（元）")
                  .replace("项目\t合计", "项目\t预算数（元）"))
    assert [t.unit for t in result.tables] == ["元", "元"]
    assert [f.message for f in result.flags if f.severity == "error"] == []


def test_a_table_without_a_statement_takes_the_unit_the_other_tables_state():
    result = _run(_doc("单位：元", unit3g=""))
    assert [(t.unit, t.unit_from) for t in result.tables] == [("元", "stated"), ("元", "document")]
    assert [f.message for f in result.flags if f.severity == "error"] == []


def test_no_statement_anywhere_is_recorded_as_assumed_wan():
    """The national templates print 万元; a document that never says is read so, and says it assumed it."""
    result = _run(_doc(""))
    assert [(t.unit, t.unit_from, t.unit_text) for t in result.tables] == [("万元", "assumed", None)] * 2
    # The narrative's 万元 then disagree with the tables: the mismatch is told.
    assert [f for f in result.flags if f.check == "narrative.table"]


def test_the_document_unit_is_mixed_when_its_tables_differ():
    result = _run(_doc("单位：元", unit3g="单位：万元").replace("60,000.00", "6.00").replace("40,000.00", "4.00")
                  .replace("20,000.00", "2.00"))
    assert [t.unit for t in result.tables] == ["元", "万元"]
    assert result.document.unit == "mixed"


def test_the_corpus_documents_are_in_wan():
    from conftest import result_for

    for doc in ("000", "002", "003"):
        result = result_for(doc)
        assert result.document.unit == "万元"
        assert all(t.unit == "万元" and t.unit_from in ("stated", "document") for t in result.tables)


@pytest.mark.parametrize("line,unit", [
    ("单位：人民币元", "元"), ("单位 ：元", "元"), ("单位（元）", "元"), ("（单位：万元）", "万元"),
    ("单位：万元（保留两位小数）", "万元"), ("单位：美元", None), ("单 位：元", "元"), ("单位： 万 元", "万元")])
def test_a_unit_statement_line_is_page_furniture(line, unit):
    from extractor.chunk import is_furniture
    from extractor.units import find_statement

    assert is_furniture(line)
    assert find_statement(line).unit == unit


@pytest.mark.parametrize("line", ["编制单位：某市示范医疗保障局", "单位名称：某局", "单位资金", "计量单位", "单 位 名 称",
                                  "单位（个人）缴纳的基本医疗保险费"])
def test_words_with_danwei_that_state_no_unit(line):
    from extractor.units import find_statement

    assert find_statement(line) is None


def test_messages_name_the_unit_of_the_table_side():
    """说明 in 万元 against a table in 元: the message says both units, so a person sees why they differ."""
    text = _doc("单位：元").replace("基本支出93.46万元", "基本支出94.46万元")
    flags = [f for f in _run(text).flags if f.check == "narrative.table"]
    # The table's figure in 万元 beside the text's, its own in 元 beside it: 93.45678 万元（934567.80 元）.
    assert flags and all("94.46 万元" in f.message and "93.45678 万元（934,567.80 元）" in f.message for f in flags)


def test_a_correction_is_asked_for_in_the_unit_its_table_states():
    from extractor.review.service import correction_value, unit_of_field
    from extractor.review.errors import ReviewError

    result = _run(_doc("单位：元"))
    table = result.tables[0]
    path = "expenditure_summary[210].total"
    assert unit_of_field(result, table.section_id, path) == "元"
    with pytest.raises(ReviewError) as raised:
        correction_value(path, "30万", unit_of_field(result, table.section_id, path))
    assert "in 元" in str(raised.value) and "万元" not in str(raised.value)


@pytest.mark.parametrize("line", ["车辆（单位：辆）", "数量（单位：台、辆）", "单位 资金来源"])
def test_the_unit_of_a_count_or_a_word_after_danwei_is_no_money_statement(line):
    from extractor.units import find_statement

    assert find_statement(line) is None


def test_a_row_of_figures_with_a_unit_in_its_label_does_not_set_the_tables_unit():
    from extractor.units import header_units

    assert header_units([(0, "人均经费（元）\t12.00"), (20, "项目\t预算数（元）")]) == [("元", 26, "（元）")]


@pytest.mark.parametrize("name", ["部门汇总", "白沙镇中心小学", "某市示范医疗保障局本级", "东岭区第一人民医院"])
@pytest.mark.parametrize("joint", ["\t\t\t\t", "    ", "\n"], ids=["tab", "spaces", "next line"])
def test_danwei_naming_the_organisation_beside_the_money_unit(name, joint):
    """``单位：<name>`` is the unit a table is for (a 部门汇总 or a school's own tables), ``金额单位：元`` the unit of its
    amounts: the amounts are read in 元 (not flagged as a unit not understood, not taken for 万元)."""
    result = _run(_doc(f"单位：{name}{joint}金额单位：元"))
    assert [(t.unit, t.unit_text.text) for t in result.tables] == [("元", "金额单位：元")] * 2
    assert [f.message for f in result.flags if f.severity == "error"] == []


def test_danwei_naming_the_organisation_alone_is_no_unit_statement():
    """With no money unit printed anywhere the tables are read as the templates' 万元 and say it was assumed,
    the same as a table that prints no unit at all."""
    result = _run(_doc("单位：白沙镇中心小学"))
    assert [(t.unit, t.unit_from) for t in result.tables] == [("万元", "assumed")] * 2
    assert not [f for f in result.flags if f.check == "read.unit"]
