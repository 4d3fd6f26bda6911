"""Table columns and sums as other provinces print them (trial 19): plain source columns, flat income tables,
project categories, two text columns, department and unit lines, 其中 lists that continue without 其中.

Every table is generated here (hand-written fixtures, not real disclosures), in several forms: tab-separated
text, markdown pipes, a workbook, a CSV. A value is never moved from under the header it is printed under only
because a sum then holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.export import result_facts


def _run(path: Path):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text)


def _write(tmp_path: Path, form: str, title: str, header: list[str], rows: list[list[str]],
           unit: str = "单位：万元") -> Path:
    if form == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        for row in [[title], [unit], [], header, *rows]:
            ws.append(row)
        path = tmp_path / "t.xlsx"
        book.save(path)
        return path
    if form == "csv":
        path = tmp_path / "t.csv"
        path.write_text("\n".join(",".join(r) for r in [[title], [unit], header, *rows]) + "\n", encoding="utf-8")
        return path
    if form == "pipes":
        lines = ["| " + " | ".join(r) + " |" for r in [header, ["---"] * len(header), *rows]]
    else:
        lines = ["\t".join(r) for r in [header, *rows]]
    path = tmp_path / "t.txt"
    path.write_text("示范县交通运输局2025年部门预算\n\n" + title + "\n" + unit + "\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    return path


def _facts(result) -> dict[tuple[str, str], dict]:
    return {(f["row_label"], f["column"]): f for f in result_facts(result)}


def _checks(result) -> list[str]:
    return sorted(f.check for f in result.flags)


FORMS = ["tab", "pipes", "xlsx", "csv"]
PROJECT_TITLE = "示范县交通运输局2025年项目支出预算表"


# --- finding 1: a plain source column beside an empty 上年结转 -------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("source,key", [("一般公共预算拨款", "current_general_budget"),
                                        ("政府性基金预算拨款", "current_government_fund"),
                                        ("国有资本经营预算", "current_state_capital")])
def test_plain_source_column_stays_under_its_header(tmp_path, form, source, key):
    rows = [["合计", "1000.00", "1000.00", ""], ["学前教育资助", "500.00", "500.00", ""],
            ["高中教育质量提升", "500.00", "500.00", ""]]
    result = _run(_write(tmp_path, form, PROJECT_TITLE, ["项目名称", "合计", source, "上年结转"], rows))
    facts = _facts(result)
    for label, value in (("合计", "1000.00"), ("学前教育资助", "500.00"), ("高中教育质量提升", "500.00")):
        fact = facts[(label, key)]
        assert fact["value"].rstrip("0").rstrip(".") == value.rstrip("0").rstrip(".")
        assert fact["column_label"] == source and fact["status"] == "verified"
        assert (label, "carryover") not in facts
    assert _checks(result) == []


@pytest.mark.parametrize("form", ["tab", "pipes"])
def test_a_figure_that_only_repeats_the_total_is_not_moved_to_make_the_sum_hold(tmp_path, form):
    """增减额 beside an empty 上年结转: reading the figure as 上年结转 makes 合计 = 上年结转 hold, but proves nothing.
    It stays where it is printed; the other reading is named (read.ambiguous), the sum flagged."""
    rows = [["合计", "1000.00", "1000.00", ""], ["学前教育资助", "500.00", "500.00", ""],
            ["高中教育质量提升", "500.00", "500.00", ""]]
    result = _run(_write(tmp_path, form, PROJECT_TITLE, ["项目名称", "合计", "增减额", "上年结转"], rows))
    facts = _facts(result)
    assert facts[("合计", "增减额")]["value"] == "1000.00"
    assert not [k for k in facts if k[1] == "carryover"]
    assert all(f["status"] != "verified" for f in facts.values() if f["column"] == "增减额")
    ambiguous = [f for f in result.flags if f.check == "read.ambiguous"]
    assert len(ambiguous) == 3 and all("上年结转" in f.message for f in ambiguous)


def test_spreadsheet_cells_are_where_they_stand(tmp_path):
    """A workbook keeps every cell: no reading says its rows lost their empty cells."""
    rows = [["合计", 1000, 1000, None], ["学前教育资助", 500, 500, None], ["高中教育质量提升", 500, 500, None]]
    result = _run(_write(tmp_path, "xlsx", PROJECT_TITLE, ["项目名称", "合计", "增减额", "上年结转"], rows))
    assert not [f for f in result.flags if f.check == "read.ambiguous"]
    assert not [k for k in _facts(result) if k[1] == "carryover"]


# --- finding 3: 收入总表 printed flat, without 本年收入小计 ------------------------------------------------------

INCOME_TITLE = "示范县交通运输局2025年部门收入预算表"
INCOME_HEADER = ["科目编码", "科目名称", "合计", "一般公共预算拨款", "政府性基金预算拨款", "事业收入", "上级补助收入", "上年结转"]
INCOME_ROWS = [
    ["", "合计", "3,650,000.00", "1,300,000.00", "2,000,000.00", "150,000.00", "100,000.00", "100,000.00"],
    ["212", "城乡社区支出", "2,000,000.00", "", "2,000,000.00", "", "", ""],
    ["21208", "国有土地使用权出让收入安排的支出", "2,000,000.00", "", "2,000,000.00", "", "", ""],
    ["2120899", "其他国有土地使用权出让收入安排的支出", "2,000,000.00", "", "2,000,000.00", "", "", ""],
    ["214", "交通运输支出", "1,650,000.00", "1,300,000.00", "", "150,000.00", "100,000.00", "100,000.00"],
    ["21401", "公路水路运输", "1,650,000.00", "1,300,000.00", "", "150,000.00", "100,000.00", "100,000.00"],
    ["2140101", "行政运行", "1,300,000.00", "1,300,000.00", "", "", "", ""],
    ["2140106", "公路养护", "350,000.00", "", "", "150,000.00", "100,000.00", "100,000.00"],
]


@pytest.mark.parametrize("form", ["tab", "pipes", "xlsx"])
def test_flat_income_table_sums_the_sources_it_prints(tmp_path, form):
    rows = [[c.replace(",", "") for c in r] for r in INCOME_ROWS] if form != "tab" else INCOME_ROWS
    result = _run(_write(tmp_path, form, INCOME_TITLE, INCOME_HEADER, rows, unit="单位：元"))
    facts = _facts(result)
    assert facts[("合计", "government_fund")]["column_label"] == "政府性基金预算拨款"
    assert {f["status"] for f in facts.values()} == {"verified"}
    assert _checks(result) == []


def test_flat_income_table_flags_a_row_whose_sources_do_not_add_up(tmp_path):
    rows = [list(r) for r in INCOME_ROWS]
    rows[7][5] = "160,000.00"  # 公路养护 事业收入 150,000 → 160,000
    result = _run(_write(tmp_path, "tab", INCOME_TITLE, INCOME_HEADER, rows, unit="单位：元"))
    row_sums = [f for f in result.flags if f.check == "table.row_sum"]
    assert len(row_sums) == 1 and "公路养护" in row_sums[0].message and "事业收入" in row_sums[0].message


@pytest.mark.parametrize("form", ["tab", "xlsx"])
def test_a_column_the_registry_does_not_know_takes_part_in_the_row_sum(tmp_path, form):
    header = ["科目编码", "科目名称", "合计", "一般公共预算拨款", "用事业基金弥补收支差额", "上年结转"]
    rows = [["", "合计", "150.00", "100.00", "30.00", "20.00"], ["213", "农林水支出", "150.00", "100.00", "30.00", "20.00"],
            ["2130101", "行政运行", "150.00", "100.00", "30.00", "20.00"]]
    result = _run(_write(tmp_path, form, INCOME_TITLE, header, rows))
    facts = _facts(result)
    assert facts[("农林水支出", "用事业基金弥补收支差额")]["status"] == "verified"
    assert _checks(result) == []
    rows[1][4] = "40.00"
    result = _run(_write(tmp_path, form, INCOME_TITLE, header, rows))
    assert "table.row_sum" in _checks(result)


def test_an_unknown_column_under_its_header_is_not_moved_into_an_empty_one(tmp_path):
    rows = [["合计", "1000.00", "1000.00", ""], ["学前教育资助", "500.00", "400.00", ""],
            ["高中教育质量提升", "500.00", "500.00", ""]]
    result = _run(_write(tmp_path, "tab", PROJECT_TITLE, ["项目名称", "合计", "市级财政补助", "上年结转"], rows))
    facts = _facts(result)
    assert facts[("学前教育资助", "市级财政补助")]["value"] == "400.00"
    assert not [k for k in facts if k[1] == "carryover"]
    assert "table.row_sum" in _checks(result)


# --- finding 4: 项目类别 and plain sources in a project table ---------------------------------------------

@pytest.mark.parametrize("form", ["tab", "xlsx"])
@pytest.mark.parametrize("category", ["项目类别", "项目类型", "类别"])
def test_project_category_is_text_and_sources_sum(tmp_path, form, category):
    header = ["项目名称", category, "合计", "一般公共预算拨款", "政府性基金预算拨款", "单位资金", "上年结转"]
    rows = [["合计", "", "9500000.00", "6845678.90", "2000000.00", "500000.00", "154321.10"],
            ["农村公路建设补助", "特定目标类", "5000000.00", "4845678.90", "", "", "154321.10"],
            ["公路日常养护", "其他运转类", "2500000.00", "2000000.00", "", "500000.00", ""],
            ["交通基础设施配套建设", "特定目标类", "2000000.00", "", "2000000.00", "", ""]]
    result = _run(_write(tmp_path, form, PROJECT_TITLE, header, rows, unit="单位：元"))
    assert _checks(result) == []
    table = result.tables[0]
    assert [r.texts["project_type"].text for r in table.rows if "project_type" in r.texts] == \
        ["特定目标类", "其他运转类", "特定目标类"]


# --- finding 5: two text columns ----------------------------------------------------------------------

PROCUREMENT_TITLE = "示范县交通运输局2025年政府采购预算表"


@pytest.mark.parametrize("form", ["tab", "pipes", "xlsx"])
def test_two_text_columns_keep_the_row_labels_and_the_total_line(tmp_path, form):
    header = ["采购项目", "采购品目", "数量", "合计", "一般公共预算拨款", "单位资金"]
    rows = [["合计", "", "", "2000000.00", "1500000.00", "500000.00"],
            ["公路日常养护", "公路养护服务", "1", "1200000.00", "700000.00", "500000.00"],
            ["农村公路建设补助", "沥青", "2000", "800000.00", "800000.00", ""]]
    result = _run(_write(tmp_path, form, PROCUREMENT_TITLE, header, rows, unit="单位：元"))
    assert _checks(result) == []
    table = result.tables[0]
    assert [(r.label.text, r.item) for r in table.rows] == [("合计", "total"), ("公路日常养护", None),
                                                            ("农村公路建设补助", None)]
    assert [r.texts["item_name"].text for r in table.rows[1:]] == ["公路养护服务", "沥青"]
    fields = {f["field"] for f in result_facts(result)}
    assert "government_procurement[total].total" in fields


def test_a_column_of_words_the_registry_does_not_know_is_text(tmp_path):
    header = ["采购单位", "采购方式", "采购品目", "数量", "合计", "一般公共预算拨款"]
    rows = [["合计", "", "", "", "300.00", "300.00"], ["示范县公路站", "公开招标", "沥青", "10", "200.00", "200.00"],
            ["示范县公路站", "询价", "电脑", "5", "100.00", "100.00"]]
    result = _run(_write(tmp_path, "tab", PROCUREMENT_TITLE, header, rows))
    assert _checks(result) == []
    table = result.tables[0]
    assert table.rows[0].item == "total"
    assert [r.texts["采购方式"].text for r in table.rows[1:]] == ["公开招标", "询价"]
    assert [r.label.text for r in table.rows[1:]] == ["示范县公路站", "示范县公路站"]


# --- finding 8: department line = Σ its units ------------------------------------------------------------

GB_TITLE = "示范市教育局2025年一般公共预算支出预算表"


def _units_rows(first_school: str, codes: bool) -> list[list[str]]:
    head = [["", "合计", "5321.46", "4321.46", "1000.00"]]
    units = [["", "示范市教育局", "5321.46", "4321.46", "1000.00"],
             ["", "示范市教育局（本级）", "1321.46", "821.46", "500.00"],
             ["", "示范市第一中学", first_school, "3500.00", "500.00"]]
    if codes:
        units = [["308", "示范市教育局", *units[0][2:]], ["308001", "示范市教育局机关", *units[1][2:]],
                 ["308002", "示范市第一中学", *units[2][2:]]]
    body = [["205", "教育支出", "5321.46", "4321.46", "1000.00"],
            ["20502", "普通教育", "5321.46", "4321.46", "1000.00"],
            ["2050203", "高中教育", "5321.46", "4321.46", "1000.00"]]
    return head + units + body


@pytest.mark.parametrize("codes", [False, True])
def test_a_department_line_is_the_sum_of_its_units(tmp_path, codes):
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    result = _run(_write(tmp_path, "tab", GB_TITLE, header, _units_rows("4000.00", codes)))
    assert "table.units" not in _checks(result)
    result = _run(_write(tmp_path, "tab", GB_TITLE, header, _units_rows("4100.00", codes)))
    units = [f for f in result.flags if f.check == "table.units"]
    assert len(units) == 1 and "示范市第一中学 4100.00" in units[0].message


# --- finding 9: a 其中 list continued without 其中 ----------------------------------------------------------

SUMMARY_TITLE = "示范县交通运输局2025年部门收支预算总表"


def _summary(unit_funds_parts: tuple[str, str]) -> list[list[str]]:
    return [["一、一般公共预算拨款收入", "1234.57", "一、社会保障和就业支出", "120.00"],
            ["二、政府性基金预算拨款收入", "200.00", "二、交通运输支出", "1164.57"],
            ["三、单位资金收入", "50.00", "三、城乡社区支出", "200.00"],
            ["  其中：事业收入", unit_funds_parts[0], "", ""],
            ["        上级补助收入", unit_funds_parts[1], "", ""],
            ["        其他收入", "", "", ""],
            ["本年收入合计", "1484.57", "本年支出合计", "1484.57"],
            ["收入总计", "1484.57", "支出总计", "1484.57"]]


@pytest.mark.parametrize("form", ["tab", "pipes"])
def test_qizhong_list_continued_on_lines_without_qizhong(tmp_path, form):
    header = ["收入项目", "预算数", "支出项目", "预算数"]
    result = _run(_write(tmp_path, form, SUMMARY_TITLE, header, _summary(("30.00", "20.00"))))
    assert _checks(result) == []
    memos = [r.label.text.strip() for r in result.tables[0].rows if r.memo]
    assert memos == ["其中：事业收入", "上级补助收入", "其他收入"][:len(memos)] and len(memos) >= 2
    result = _run(_write(tmp_path, form, SUMMARY_TITLE, header, _summary(("30.00", "40.00"))))
    assert _checks(result) == ["table.subset"]  # 30 + 40 of 单位资金收入 50


def test_a_registry_column_printed_flat_sums_by_its_one_entry(tmp_path):
    """政府购买服务 by source: the source columns say in the registry which total they are part of (sums_into)."""
    header = ["项目名称", "二级目录名称", "购买金额", "一般公共预算拨款", "单位资金"]
    rows = [["合计", "", "300.00", "250.00", "50.00"], ["公路养护", "公共服务", "200.00", "150.00", "50.00"],
            ["信息化运维", "技术服务", "100.00", "100.00", ""]]
    title = "示范县交通运输局2025年政府购买服务预算表"
    result = _run(_write(tmp_path, "tab", title, header, rows))
    assert _checks(result) == []
    assert _facts(result)[("信息化运维", "general_budget")]["status"] == "verified"
    rows[2][3] = "90.00"
    result = _run(_write(tmp_path, "tab", title, header, rows))
    assert "table.row_sum" in _checks(result)
