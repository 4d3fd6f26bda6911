"""A table printed as its title and a line saying it has nothing to show (trial 21d): 此表不公开, 故本表为空表,
（此表无数据）, 本部门无…安排的支出 — an empty table with that note, as one printed with its header and an empty
合计 is; never a section that "needs a model". A title over lines that say no such thing is still not read, and
says so.

Generated here (hand-written fixtures, not real disclosures).
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

BEFORE = """示范县林业局2024年部门预算

表7 示范县林业局2024年政府性基金预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t12.00\t\t12.00
213\t农林水支出\t12.00\t\t12.00
21302\t林业和草原\t12.00\t\t12.00
2130299\t其他林业和草原支出\t12.00\t\t12.00

表8 示范县林业局2024年国有资本经营预算支出表
"""
AFTER = """
表9 示范县林业局2024年一般公共预算“三公”经费支出表
单位：万元
项目\t预算数
合计\t4.00
因公出国（境）费\t0.00
公务用车购置及运行维护费\t3.00
公务接待费\t1.00
"""

STATEMENTS = [
    "本部门2024年无国有资本经营预算拨款安排的支出，此表不公开。",
    "本单位没有国有资本经营预算收支，故本表为空表。",
    "注：本部门2024年未安排国有资本经营预算支出，故本表无数据。",
    "（此表无数据）",
    "单位：万元\n本部门无国有资本经营预算财政拨款支出。",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_a_title_with_only_a_statement_is_an_empty_table_with_its_note(tmp_path, statement):
    result, _text = run_text(tmp_path, BEFORE + statement + "\n" + AFTER)
    (table,) = [t for t in result.tables if t.kind == "state_capital_expenditure"]
    assert table.empty and not table.rows
    assert table.note == statement.splitlines()[-1]
    (section,) = [s for s in result.sections if s.kind == "state_capital_expenditure"]
    assert section.status == "empty"
    assert not result.unread
    assert not result.flags, [f.message for f in result.flags]
    assert [t.kind for t in result.tables] == ["government_fund_expenditure", "state_capital_expenditure",
                                               "three_public_costs"]


def test_a_title_over_lines_that_are_no_such_statement_is_still_unread(tmp_path):
    flattened = "科目编码\n科目名称\n合计\n223\n国有资本经营预算支出\n5.00\n"
    result, _text = run_text(tmp_path, BEFORE + flattened + AFTER)
    assert not [t for t in result.tables if t.kind == "state_capital_expenditure"]
    assert [u for u in result.unread if "state_capital" in u.section_id]


CONTENTS = "目录\n表7 政府性基金预算支出表\n表8 国有资本经营预算支出表\n表9 一般公共预算“三公”经费支出表\n"


@pytest.mark.parametrize("said", [True, False])
def test_a_listed_table_left_out_is_a_warning_unless_the_document_says_why(tmp_path, said):
    text = BEFORE.replace("\n表7", "\n" + CONTENTS + "\n表7", 1).replace("表8 示范县林业局2024年国有资本经营预算支出表\n", "")
    text += AFTER + "\n二、部门预算情况说明\n"
    text += ("本部门2024年无国有资本经营预算拨款安排的支出，故未公开国有资本经营预算支出表。\n" if said else
             "本部门2024年预算收入12.00万元。\n")
    result, _text = run_text(tmp_path, text)
    (status,) = [c for c in result.completeness if c.kind == "state_capital_expenditure"]
    assert status.status == "listed_missing"
    missing = [f for f in result.flags if f.check == "completeness.listed_missing"]
    if said:
        assert not missing and "故未公开国有资本经营预算支出表" in status.note
    else:
        assert len(missing) == 1
