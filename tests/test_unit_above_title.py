"""A unit statement printed on the line above a table's title (单位：万元 over 表五 …, as many PDFs lay out a
right-aligned unit a little higher than the centred title) is the unit of that table, not lost furniture of the
section before it. The documents are the corpus with its statements moved, and a hand-written one (a made-up
department, figures made up to add up) in 元 with one table in 万元."""

from __future__ import annotations

import re

import pytest

from conftest import text_for, verify_text

# Tables in 元, the 三公 table in 万元 with its statement above its title (``{above}``) and none under it.
DOC = """某市示范教育局
2025年部门预算

表一 2025年部门支出预算总表

单位：元

科目编码\t科目名称\t合计\t基本支出\t项目支出
205\t教育支出\t1,234,567.80\t934,567.80\t300,000.00
20501\t教育管理事务\t1,234,567.80\t934,567.80\t300,000.00
2050101\t行政运行\t934,567.80\t934,567.80\t
2050199\t其他教育管理事务支出\t300,000.00\t\t300,000.00
\t合计\t1,234,567.80\t934,567.80\t300,000.00

{above}
表二 2025年一般公共预算“三公”经费支出预算表

项目\t合计
合计\t18.50
一、因公出国（境）费\t
二、公务用车购置及运行维护费\t12.00
其中：公务用车购置费\t
公务用车运行维护费\t12.00
三、公务接待费\t6.50
"""

STATEMENTS = ["单位：万元", "（单位：万元）", "金额单位：万元", "部门：某市示范教育局                    单位：万元",
              "编制单位：某市示范教育局\t\t单位：万元", "单位：万元\n", "单 位：万元"]


@pytest.mark.parametrize("above", STATEMENTS)
def test_a_statement_above_the_title_is_the_unit_of_that_table(above):
    text = DOC.format(above=above)
    result = verify_text("003", text)
    three_public = next(t for t in result.tables if t.kind == "three_public_costs")
    assert (three_public.unit, three_public.unit_from) == ("万元", "stated")
    start, end = three_public.unit_text.span
    assert text[start:end] == three_public.unit_text.text and "万元" in three_public.unit_text.text
    # The statement is inside the table's section, not left at the end of the one before.
    section = next(s for s in result.sections if s.id == three_public.section_id)
    assert section.span[0] <= start < section.title_span[0]
    first = next(t for t in result.tables if t.kind != "three_public_costs")
    assert (first.unit, first.unit_from) == ("元", "stated") and first.span[1] <= section.span[0]


def test_without_a_statement_the_table_takes_the_documents_unit_as_before():
    three_public = next(t for t in verify_text("003", DOC.format(above="")).tables if t.kind == "three_public_costs")
    assert (three_public.unit, three_public.unit_from) == ("元", "document")


def test_a_statement_under_a_title_with_nothing_else_stays_that_tables():
    """A title, its statement, then the next title (a table printed empty): the statement is under its own title."""
    empty = "表二 2025年政府性基金预算支出表\n\n单位：万元\n\n"
    text = DOC.format(above="").replace("表二 2025年一般公共预算", empty + "表三 2025年一般公共预算")
    result = verify_text("003", text)
    title = text.index("表二 2025年政府性基金")
    fund = next(s for s in result.sections if s.span[0] <= title < s.span[1])
    assert fund.span[0] < text.index("单位：万元") < fund.span[1]
    three_public = next(t for t in result.tables if t.kind == "three_public_costs")
    assert three_public.unit_from == "document"


# 003 prints each table's title, a blank line, then its statement: the same document with every statement printed
# above its title must read the same.
_TITLE_THEN_UNIT = re.compile(r"(?m)^(?P<title>[^\n|]{4,60}表)\n\n(?P<unit>单位：万元)\n")


def _table_readings(result):
    return [(t.kind, t.unit, t.unit_from, [(r.label.text if r.label else None, sorted(
        (k, str(a.value)) for k, a in r.values.items())) for r in t.rows]) for t in result.tables]


def test_the_corpus_reads_the_same_with_every_statement_above_its_title():
    original = text_for("003")
    moved, n = _TITLE_THEN_UNIT.subn(r"\g<unit>\n\g<title>\n\n", original)
    assert n >= 8
    before, after = verify_text("003", original), verify_text("003", moved)
    assert _table_readings(after) == _table_readings(before)
    assert all(t.unit_from == "stated" for t in after.tables)
    assert sorted((f.check, f.severity) for f in after.flags) == sorted((f.check, f.severity) for f in before.flags)
