"""The reader on layouts the corpus does not print: space-aligned text, dropped empty cells, 类|款|项 codes,
其中 lines, other furniture and contents pages — and the reading flags it raises instead of guessing.

The small tables here are hand-written fixtures (marked as such), each modelled on a real converter's
output or another province's template; the figures are the corpus's own. The layout-variant suite
(``test_layout_variants.py``) runs whole corpus documents through such layouts.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from extractor.load import Document
from extractor.pipeline import extract_document
from verify import verify_result


def read(text: str, name: str = "fixture"):
    doc = Document(path=Path(f"/nonexistent/{name}.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(doc), text)


def values(result, kind: str) -> dict:
    table = next(t for t in result.tables if t.kind == kind)
    return {(r.code or r.item or r.label.text): {k: str(v.value) for k, v in r.values.items()} for r in table.rows}


def checks(result) -> list[str]:
    return sorted(f.check for f in result.flags)


# Hand-written fixture: `pdftotext -layout` of a ruled table rendered by reportlab (each character one
# column, merged header cells left-aligned in their span, full-height cells centred on the middle line,
# a label that wrapped around its row's figures, empty columns with no figure at all).
PDFTOTEXT = """部门预算收入总表
单位：万元
     功能分类科目                              本年收入
序号                         合计                                               上年结转
     科目编码      科目名称                      小计            财政拨款收入 财政专户收入 事业收入
1              合计           361.93        356.93      356.93              5.00
2    201       一般公共服务支出           8.00          8.00        8.00
5    208       社会保障和就业支出        211.87        206.87      206.87              5.00
               机关事业单位基本
8    2080505                    143.06        143.06      143.06
               养老保险缴费支出
"""


def test_pdftotext_layout_columns_come_from_character_positions():
    result = read(PDFTOTEXT)
    got = values(result, "income_summary")
    assert got["total"] == {"total": "361.93", "income_subtotal": "356.93", "fiscal_appropriation": "356.93",
                            "carryover": "5.00"}
    assert got["208"] == {"total": "211.87", "income_subtotal": "206.87", "fiscal_appropriation": "206.87",
                          "carryover": "5.00"}
    table = result.tables[0]
    assert table.columns["special_account"] == "本年收入/财政专户收入"  # an empty column keeps its header
    label = next(r for r in table.rows if r.code == "2080505").label
    assert label.text == "机关事业单位基本养老保险缴费支出"  # the pieces above and below its figures
    for row in table.rows:
        for amount in row.values.values():
            assert PDFTOTEXT[amount.span[0]:amount.span[1]] == amount.raw


# Hand-written fixture: the 000 收入总表 rows as tab text whose converter dropped every empty cell.
DROPPED = "\n".join([
    "部门预算收入总表",
    "序号\t功能分类科目\t\t合计\t本年收入\t\t\t\t\t\t\t\t上年结转",
    "\t科目编码\t科目名称\t\t小计\t财政拨款收入\t财政专户收入\t事业收入\t经营收入\t上级补助收入\t附属单位上缴收入\t其他收入\t",
    "1\t合计\t219.87\t214.87\t214.87\t5.00",
    "2\t201\t一般公共服务支出\t8.00\t8.00\t8.00",
    "3\t20132\t组织事务\t8.00\t8.00\t8.00",
    "4\t2013299\t其他组织事务支出\t8.00\t8.00\t8.00",
    "5\t208\t社会保障和就业支出\t211.87\t206.87\t206.87\t5.00",
    "6\t20805\t行政事业单位养老支出\t201.87\t201.87\t201.87",
    "7\t2080505\t机关事业单位基本养老保险缴费支出\t201.87\t201.87\t201.87",
    "8\t20899\t其他社会保障和就业支出\t10.00\t5.00\t5.00\t5.00",
    "9\t2089999\t其他社会保障和就业支出\t10.00\t5.00\t5.00\t5.00",
    "",
])


def test_dropped_empty_cells_are_placed_by_the_tables_own_arithmetic():
    result = read(DROPPED)
    got = values(result, "income_summary")
    # 5.00 after 小计 and 财政拨款收入 can only be 上年结转: 合计 = 小计 + 上年结转.
    assert got["208"] == {"total": "211.87", "income_subtotal": "206.87", "fiscal_appropriation": "206.87",
                          "carryover": "5.00"}
    assert got["20899"]["carryover"] == "5.00" and "other_income" not in got["20899"]
    assert got["2013299"] == {"total": "8.00", "income_subtotal": "8.00", "fiscal_appropriation": "8.00"}
    assert not [f for f in result.flags if f.severity == "error"], checks(result)


def test_a_placement_no_relation_decides_is_flagged_ambiguous_with_its_alternatives():
    # Hand-written fixture: one row, two figures, a total and one part of three; nothing says which part.
    text = "\n".join([
        "部门预算支出总表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\t经营支出",
        "2101501\t行政运行\t5.00\t5.00",
        "",
    ])
    result = read(text)
    flags = [f for f in result.flags if f.check == "read.ambiguous"]
    assert len(flags) == 1 and flags[0].severity == "warning"
    assert "项目支出" in flags[0].message and "基本支出" in flags[0].message
    row = result.tables[0].rows[0]
    assert row.values["basic"].value == Decimal("5.00") and row.alternatives  # the reader's own first, others named


def test_codes_printed_as_class_item_and_section_columns():
    # Hand-written fixture: a template with 类 | 款 | 项 columns, the parent prefix not repeated.
    text = "\n".join([
        "一般公共预算支出表",
        "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
        "类\t款\t项\t\t\t\t",
        "\t\t\t合计\t211.87\t206.87\t5.00",
        "208\t\t\t社会保障和就业支出\t211.87\t206.87\t5.00",
        "208\t05\t\t行政事业单位养老支出\t201.87\t201.87\t",
        "208\t05\t05\t机关事业单位基本养老保险缴费支出\t201.87\t201.87\t",
        "208\t99\t\t其他社会保障和就业支出\t10.00\t5.00\t5.00",
        "208\t99\t99\t其他社会保障和就业支出\t10.00\t5.00\t5.00",
        "",
    ])
    result = read(text)
    got = values(result, "general_budget_expenditure")
    assert set(got) == {"total", "208", "20805", "2080505", "20899", "2089999"}
    assert got["2080505"] == {"total": "201.87", "basic": "201.87"}
    assert not [f for f in result.flags if f.severity == "error"], checks(result)


def test_memo_lines_are_not_added_and_sub_columns_other_templates_print_are_kept():
    # Hand-written fixture: 人员经费 split into 工资福利支出 / 对个人和家庭的补助, a 其中 line under a class.
    text = "\n".join([
        "一般公共预算财政拨款支出表",
        "科目编码\t科目名称\t合计\t基本支出\t\t\t\t项目支出",
        "\t\t\t小计\t人员经费\t\t公用经费\t",
        "\t\t\t\t工资福利支出\t对个人和家庭的补助\t\t",
        "\t合计\t211.87\t206.87\t150.00\t50.00\t6.87\t5.00",
        "208\t社会保障和就业支出\t211.87\t206.87\t150.00\t50.00\t6.87\t5.00",
        "\t其中：财政拨款\t200.00\t200.00\t150.00\t50.00\t\t",
        "",
    ])
    result = read(text)
    table = result.tables[0]
    assert table.columns["personnel_wages"].endswith("工资福利支出")
    assert table.columns["personnel_family"].endswith("对个人和家庭的补助")
    memo = next(r for r in table.rows if r.label and r.label.text.startswith("其中"))
    assert memo.memo
    assert not [f for f in result.flags if f.severity == "error"], checks(result)


def test_a_column_the_registry_does_not_know_is_kept_under_its_header_and_checked():
    # Hand-written fixture: 公用经费 split into two columns the registry has no key for.
    text = "\n".join([
        "一般公共预算财政拨款基本支出表",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费\t\t",
        "\t\t\t\t小计\t办公费\t差旅费",
        "302\t商品和服务支出\t30.00\t\t30.00\t20.00\t10.00",
        "30201\t办公费\t20.00\t\t20.00\t20.00\t",
        "30211\t差旅费\t10.00\t\t10.00\t\t10.00",
        "",
    ])
    result = read(text)
    table = result.tables[0]
    assert table.columns["公用经费/办公费"] == "公用经费/办公费"
    assert next(r for r in table.rows if r.code == "302").values["公用经费/差旅费"].value == Decimal("10.00")
    assert not [f for f in result.flags if f.severity == "error"], checks(result)
    broken = read(text.replace("30.00\t\t30.00\t20.00\t10.00", "30.00\t\t30.00\t20.00\t11.00"))
    assert "table.row_sum" in checks(broken)  # the siblings no longer add up to 公用经费


def test_number_forms_are_read_and_anything_else_is_flagged_unparsed():
    # Hand-written fixture: full-width digits, thousands separators, a parenthesised negative, a dash for
    # nothing, and two cells that are not numbers.
    text = "\n".join([
        "部门预算支出总表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "201\t一般公共服务支出\t１，２３４．５６\t1,234.56\t—",
        "204\t公共安全支出\t（12.00）\t(12.00)\t-",
        "205\t教育支出\tNaN\t12,34\t",
        "",
    ])
    result = read(text)
    got = values(result, "expenditure_summary")
    assert got["201"] == {"total": "1234.56", "basic": "1234.56"}
    assert got["204"] == {"total": "-12.00", "basic": "-12.00"}
    unparsed = [f for f in result.flags if f.check == "read.unparsed"]
    assert sorted(f.found for f in unparsed) == ["12,34", "NaN"]
    for f in unparsed:
        s, e = f.spans[0]
        assert text[s:e] == f.found


def test_a_number_under_no_header_is_kept_and_flagged_unplaced():
    # Hand-written fixture: a row with one more figure than the header has columns.
    text = "\n".join([
        "部门预算支出总表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "201\t一般公共服务支出\t8.00\t8.00\t\t3.00",
        "",
    ])
    result = read(text)
    flags = [f for f in result.flags if f.check == "read.unplaced"]
    assert len(flags) == 1 and flags[0].found == "3.00"
    assert values(result, "expenditure_summary")["201"]["列6"] == "3.00"


def test_summary_grand_totals_named_like_the_current_year_total():
    # Hand-written fixture: a 收支总表 whose grand totals read 收入合计 / 支出合计 after the carry-over lines.
    text = "\n".join([
        "收支预算总表",
        "收入\t\t支出\t",
        "项目\t预算数\t项目\t预算数",
        "一般公共预算拨款收入\t100.00\t一般公共服务支出\t105.00",
        "本年收入合计\t100.00\t本年支出合计\t105.00",
        "上年结转\t5.00\t年终结转结余\t",
        "收入合计\t105.00\t支出合计\t105.00",
        "",
    ])
    result = read(text)
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]
    broken = read(text.replace("收入合计\t105.00", "收入合计\t106.00"))
    assert "table.summary" in checks(broken)


def test_page_numbers_and_running_titles_inside_a_table_do_not_end_it():
    rows = ["2\t201\t一般公共服务支出\t8.00\t8.00\t", "3\t208\t社会保障和就业支出\t211.87\t206.87\t5.00"]
    for furniture in ("— 7 —", "- 7 -", "第 7 页，共 31 页", "第7页", "7 / 31"):
        # Hand-written fixture: a table broken over two pages by a page number line.
        text = "\n".join([
            "部门预算支出总表",
            "序号\t科目编码\t科目名称\t合计\t基本支出\t项目支出",
            "1\t\t合计\t219.87\t214.87\t5.00",
            rows[0], "", furniture, "", rows[1], "",
            "二、其他说明",
            "本部门没有其他需要说明的事项。",
        ])
        result = read(text)
        got = values(result, "expenditure_summary")
        assert set(got) == {"total", "201", "208"}, (furniture, got)
        assert not [f for f in result.flags if f.severity == "error"], (furniture, checks(result))


def test_contents_pages_in_other_forms_are_recorded():
    body = "\n".join(["部门预算支出总表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                      "201\t一般公共服务支出\t8.00\t8.00\t", ""])
    for contents in (
        ["目  录", "1. 部门收支总表 ……………… 1", "2. 部门支出总表 ……………… 2"],
        ["目录", "• 部门收支总表", "• 部门支出总表"],
        ["目录", "表一  部门收支总表    3", "表二  部门支出总表    5"],
        ["| 部门收支总表..... | 1 |", "| 部门支出总表..... | 2 |"],
    ):
        # Hand-written fixture: a contents page listing a table the document then lacks.
        result = read("\n".join(contents) + "\n\n" + body)
        assert [c.kind for c in result.contents] == ["income_expenditure_summary", "expenditure_summary"], contents
        assert "completeness.listed_missing" in checks(result)
        assert [t.kind for t in result.tables] == ["expenditure_summary"]


def test_spending_from_a_source_of_funds_the_department_lacks_is_flagged():
    # Hand-written fixture: the government-fund table is empty, yet a purchase is paid from government funds.
    text = "\n".join([
        "政府性基金预算财政拨款支出表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t\t\t",
        "注：本部门无政府性基金预算，空表列示。",
        "",
        "政府采购预算表",
        "项目名称\t采购品目\t合计\t一般公共预算\t政府性基金预算",
        "合计\t\t5.04\t\t5.04",
        "办公设备购置\t台式计算机\t5.04\t\t5.04",
        "",
    ])
    result = read(text)
    flags = [f for f in result.flags if f.check == "cross.fund_source"]
    assert len(flags) == 2 and all("政府性基金" in f.message for f in flags)
    fine = read(text.replace("5.04\t\t5.04", "5.04\t5.04\t"))
    assert not [f for f in fine.flags if f.check == "cross.fund_source"]


# Hand-written fixture: `pdftotext -layout` of a table over three pages. The second page repeats the header
# after blank lines only (no form feed), the third starts after a bare page number and a form feed with no
# header at all; a fixed-assets header cell "(金额单位：万元)" wraps over three lines, cut at its colon.
PAGES = """部门支出总表
单位：万元
  科目编码   科目名称                  合计        基本支出      项目支出
  210        卫生健康支出           9682.62       1529.86       8152.76
  21011      行政事业单位医疗         53.68         53.68


  科目编码   科目名称                  合计        基本支出      项目支出
  2101101    行政单位医疗             53.68         53.68
  21015      医疗保障管理事务       1870.14       1476.18        393.96

                                     7
\f  2101501    行政运行               1182.71       1182.71

部门固定资产占用情况表
                               价 值 (金
   项 目             数 量     额 单 位 :
                                 万 元)
资产总额                         992.43
2、车辆（台、辆）         2       45.13
"""


def test_space_aligned_pages_split_by_a_repeated_header_or_a_page_number():
    result = read(PAGES)
    got = values(result, "expenditure_summary")
    assert got["2101101"] == {"total": "53.68", "basic": "53.68"}  # under the repeated header, not beside it
    assert got["21015"] == {"total": "1870.14", "basic": "1476.18", "project": "393.96"}
    assert got["2101501"] == {"total": "1182.71", "basic": "1182.71"}  # a page with no header keeps the columns
    assert not any("7" == str(v.value) for t in result.tables for r in t.rows for v in r.values.values())
    assets = values(result, "fixed_assets")
    assert assets["total_assets"] == {"value": "992.43"}
    assert assets["vehicles"] == {"quantity": "2", "value": "45.13"}


def test_a_document_cut_short_inside_a_table_is_flagged():
    from conftest import text_for, verify_text

    text = text_for("000")
    result = verify_text("000", text[:len(text) // 5])  # cut at a fifth, inside the 财政拨款收支总表
    truncated = [f for f in result.flags if f.check == "completeness.truncated"]
    assert len(truncated) == 1 and truncated[0].severity == "error"
    assert "部门预算一般公共预算财政拨款支出表" in truncated[0].message
    assert not [f for f in verify_text("000", text).flags if f.check == "completeness.truncated"]


def test_a_text_with_no_budget_table_is_flagged():
    result = read("关于做好2024年工作的通知\n各单位：\n现将有关事项通知如下。\n")
    assert [f.check for f in result.flags] == ["document.no_tables"]
    assert not [f for f in read(PDFTOTEXT).flags if f.check == "document.no_tables"]


def test_layouts_that_no_relation_tells_apart_are_recorded_as_alternatives_not_chosen_silently():
    """Two layouts of a header that the table's relations and those between tables fare alike with: the
    kept one's rows carry the other's reading as an alternative (flagged read.ambiguous)."""
    from conftest import table

    from schemas import HintUse
    from verify.choose import _record_tied_layouts

    kept = table("003", "expenditure_summary").model_copy(deep=True)
    same = kept.model_copy(deep=True)
    other = kept.model_copy(deep=True)
    moved = next(r for r in other.rows if r.code == "2101102")
    moved.values = {"total": moved.values["total"], "project": moved.values["basic"]}
    _record_tied_layouts(kept, [same, other])
    ambiguous = [r for r in kept.rows if r.alternatives]
    assert [r.code for r in ambiguous] == ["2101102"]
    assert set(ambiguous[0].alternatives[0].values) == {"total", "project"}
    # A person's layout hint for the header settles such a tie.
    hinted = table("003", "expenditure_summary").model_copy(deep=True)
    hinted.hint = HintUse(id="h1", used=True, moves="basic → project")
    _record_tied_layouts(hinted, [other])
    assert not any(r.alternatives for r in hinted.rows)


def test_a_ragged_line_whose_figure_falls_under_the_label_column_is_read_by_its_words():
    # Hand-written fixture: cells parted by one space, labels of different widths, so a short label's first
    # figure sits where a longer label's characters are. No figure may end up inside a label.
    text = "\n".join([
        "某县某局2024年一般公共预算基本支出表",
        "单位：万元",
        "科目编码 科目名称 合计 人员经费 公用经费",
        "30101 基本工资 181.28 181.28",
        "30201 办公费 45.23 45.23",
        "30399 其他对个人和家庭的补助 7 7",
        "",
    ])
    result = read(text)
    table = result.tables[0]
    assert [r.label.text for r in table.rows] == ["基本工资", "办公费", "其他对个人和家庭的补助"]
    assert [str(r.values["total"].value) for r in table.rows] == ["181.28", "45.23", "7"]
    assert sum(len(r.values) for r in table.rows) == 6
    assert not [f for f in result.flags if f.severity == "error"]  # which part each is: ambiguous, said so


def test_row_names_under_a_header_cell_shared_with_the_code_are_kept():
    # Hand-written fixture (after a new user's space-aligned text): 科目编码 and 科目名称 printed as one header
    # cell, so the names sit in a column the layout gives no role. They are the rows' labels; the total line
    # is known by its name, and its wrong figure is flagged.
    text = "\n".join([
        "泗县医疗保障局2024年一般公共预算支出表",
        "                                                         单位：万元",
        "",
        "功能分类科目                        合计       基本支出                            项目支出",
        "科目编码  科目名称                               小计       人员经费       公用经费          ",
        "208      社会保障和就业支出             5                                          5",
        "20801    人力资源和社会保障管理事务         5                                          5",
        "2080109  社会保险经办机构              5                                          5",
        "210      卫生健康支出          2800.56     660.56     533.75     126.81      2140",
        "         合计              2905.56     660.56     533.75     126.81      2140",
        "",
    ])
    result = read(text)
    table = result.tables[0]
    assert [r.label.text if r.label else None for r in table.rows] == [
        "社会保障和就业支出", "人力资源和社会保障管理事务", "社会保险经办机构", "卫生健康支出", "合计"]
    assert table.rows[-1].item == "total"
    assert any(f.check == "table.hierarchy" and f.severity == "error" for f in result.flags)
