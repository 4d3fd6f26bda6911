"""Tables whose titles are not in the text (printed as images, or left out by a converter).

- A header of another table under a table's figures (after a gap, no 续表) starts a table of its own, read under
  its own header — never rows of the table above, verified under that table's column names.
- A performance card under them, its title not in the text either (项目名称 … then 一级指标 / 年度目标 a few rows
  down), is a card of its own.
- A document with tables of which none is recognised as a standard budget table gets an error
  (``document.no_standard_tables``): its narrative's figures would otherwise be checked against nothing, silently.
- A table's own header printed again (on its next page, whole or wrapped otherwise) still continues it, and so does
  a different header announced by 续表 (a wide table's right half).

The documents are generated here (hand-written fixtures in the shape of the national templates, figures made up).
"""

from __future__ import annotations

import pytest

NARRATIVE = """东岭区民政局2025年部门预算

一、部门预算情况说明
2025年收入预算1368.06万元。支出预算1368.06万元，其中：基本支出868.06万元，项目支出500.00万元。

二、部门预算表
"""

INCOME = """单位：万元

科目编码\t科目名称\t合计\t一般公共预算拨款收入\t上年结转
\t合计\t1368.06\t1368.06\t
213\t农林水支出\t1368.06\t1368.06\t
21301\t农业农村\t1368.06\t1368.06\t
2130101\t行政运行\t868.06\t868.06\t
2130153\t农田建设\t500.00\t500.00\t
"""

EXPENDITURE = """单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t1368.06\t868.06\t500.00
213\t农林水支出\t1368.06\t868.06\t500.00
21301\t农业农村\t1368.06\t868.06\t500.00
2130101\t行政运行\t868.06\t868.06\t
2130153\t农田建设\t500.00\t\t500.00
"""

BASIC = """单位：万元

经济分类科目编码\t经济分类科目名称\t合计\t人员经费\t公用经费
\t合计\t868.06\t718.00\t150.06
301\t工资福利支出\t718.00\t718.00\t
302\t商品和服务支出\t150.06\t\t150.06
"""

CARD = """
项目名称\t高标准农田建设项目\t\t
主管部门\t东岭区民政局\t\t
项目资金（万元）\t年度资金总额\t500.00\t
\t其中：财政拨款\t500.00\t
年度目标\t新建高标准农田5000亩。\t\t
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t新建高标准农田面积\t≥5000亩
满意度指标\t服务对象满意度指标\t受益农户满意度\t≥90%
"""

TITLES = {"INCOME": "东岭区民政局2025年收入总表", "EXPENDITURE": "东岭区民政局2025年支出总表",
          "BASIC": "东岭区民政局2025年一般公共预算基本支出表"}


def _pipes(text: str) -> str:
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.splitlines())


LAYOUTS = {"tab": lambda t: t, "pipe": _pipes}


def _run(tmp_path, text: str):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text)


def _doc(titled: bool) -> str:
    parts = [NARRATIVE]
    for name, body in (("INCOME", INCOME), ("EXPENDITURE", EXPENDITURE), ("BASIC", BASIC)):
        parts.append(("\n" + TITLES[name] + "\n" if titled else "\n") + body)
    parts.append(("\n高标准农田建设项目绩效目标表\n" if titled else "\n") + CARD)
    return "".join(parts)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tables_without_titles_are_tables_of_their_own_and_the_document_is_flagged(tmp_path, layout):
    result = _run(tmp_path, LAYOUTS[layout](_doc(titled=False)))
    tables = [t for t in result.tables]
    assert len(tables) == 3
    assert [sorted(t.columns.values()) for t in tables] == [
        ["一般公共预算拨款收入", "合计"], ["合计", "基本支出", "项目支出"], ["人员经费", "公用经费", "合计"]]
    # 718.00 is 人员经费 of the third table, never a 基本支出 of the first.
    staff = [(t.columns[k], v.value) for t in tables for r in t.rows for k, v in r.values.items() if str(v.value) == "718.00"]
    assert {label for label, _ in staff} == {"合计", "人员经费"}
    assert [f.severity for f in result.flags if f.check == "document.no_standard_tables"] == ["error"]
    # The card under the tables, its title not in the text either, is read as a card, not as rows of a table.
    assert [(c.project_name.text, str(c.budget.total.value)) for c in result.cards] == [("高标准农田建设项目", "500.00")]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_same_tables_with_their_titles_are_read_by_kind_and_not_flagged(tmp_path, layout):
    result = _run(tmp_path, LAYOUTS[layout](_doc(titled=True)))
    assert [t.kind for t in result.tables] == ["income_summary", "expenditure_summary",
                                               "general_budget_basic_expenditure"]
    assert not [f for f in result.flags if f.check == "document.no_standard_tables"]
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]
    assert len(result.cards) == 1


def _split_over_pages(body: str, repeat: str) -> str:
    lines = body.strip("\n").split("\n")
    header_at = next(i for i, line in enumerate(lines) if "\t" in line)
    return "\n".join(lines[:header_at + 4]) + "\n\n— 7 —\n\n" + repeat + "\n".join(lines[header_at + 4:]) + "\n"


@pytest.mark.parametrize("repeat", [
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n",  # the header printed again
    "科目编码\t科目名称\t合计\t基本\t项目\n\t\t\t支出\t支出\n",  # printed again, wrapped otherwise
    "续表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n",
    "",  # the rows go on with no header
], ids=["same header", "rewrapped", "续表", "no header"])
def test_a_table_going_on_over_a_page_with_its_header_printed_again_stays_one_table(tmp_path, repeat):
    text = NARRATIVE + "\n" + TITLES["EXPENDITURE"] + "\n" + _split_over_pages(EXPENDITURE, repeat)
    result = _run(tmp_path, text)
    assert [t.kind for t in result.tables] == ["expenditure_summary"]
    assert len(result.tables[0].rows) == 5
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def test_a_standard_table_and_an_untitled_one_raise_no_document_error(tmp_path):
    text = NARRATIVE + "\n" + TITLES["EXPENDITURE"] + "\n" + EXPENDITURE + "\n" + BASIC
    result = _run(tmp_path, text)
    assert [t.kind for t in result.tables] == ["expenditure_summary", "other_table"]
    assert not [f for f in result.flags if f.check == "document.no_standard_tables"]
