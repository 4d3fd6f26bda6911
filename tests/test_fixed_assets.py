"""The asset table in the templates that print two book values: 原值 (at cost) and 净值 (after depreciation).

Each value column sums down the table (资产总额 = 房屋 + 车辆 + 设备 + 其他), and a line's 净值 is never more
than its 原值. The document is generated here (a hand-written fixture in the shape of another province's table).
"""

from __future__ import annotations

import pytest

ASSETS = """东岭区民政局2024年部门预算

表12
东岭区民政局2024年国有资产占用情况表
单位：万元
项目	数量	原值	净值
资产总额		1,500.00	900.00
1、房屋（平方米）	2,000	1,000.00	600.00
2、车辆（辆）	2	60.00	20.00
其中：一般公务用车	1	30.00	10.00
3、单位价值50万元以上通用设备（台套）	3	200.00	120.00
4、其他资产		240.00	160.00
"""


def _run(tmp_path, text: str):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text)


def _assets(result):
    (table,) = [t for t in result.tables if t.kind == "fixed_assets"]
    return {r.item or r.label.text: {k: str(v.value) for k, v in r.values.items()} for r in table.rows}


def test_both_book_values_are_registry_columns_and_the_table_verifies(tmp_path):
    result = _run(tmp_path, ASSETS)
    rows = _assets(result)
    assert rows["total_assets"] == {"original_value": "1500.00", "net_value": "900.00"}
    assert rows["other_assets"] == {"original_value": "240.00", "net_value": "160.00"}
    assert rows["buildings"]["quantity"] == "2000"
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("column,line,wrong", [
    ("原值", "4、其他资产\t\t240.00\t160.00", "4、其他资产\t\t240.10\t160.00"),
    ("净值", "2、车辆（辆）\t2\t60.00\t20.00", "2、车辆（辆）\t2\t60.00\t20.10"),
])
def test_a_column_that_does_not_sum_to_the_total_assets_is_an_error_naming_its_lines(tmp_path, column, line, wrong):
    result = _run(tmp_path, ASSETS.replace(line, wrong))
    (flag,) = [f for f in result.flags if f.check == "table.items"]
    assert flag.severity == "error"
    assert flag.message.startswith(f"固定资产占用情况表 {column}: 资产总额 ")
    assert "1、房屋（平方米）" in flag.message and "（差 -0.10" in flag.message


def test_a_net_value_above_the_value_at_cost_is_an_error(tmp_path):
    text = ASSETS.replace("2、车辆（辆）\t2\t60.00\t20.00", "2、车辆（辆）\t2\t60.00\t70.00").replace(
        "资产总额\t\t1,500.00\t900.00", "资产总额\t\t1,500.00\t950.00")
    result = _run(tmp_path, text)
    assert [(f.check, f.severity) for f in result.flags] == [("table.subset", "error")]
    assert "净值 70.00 大于原值 60.00" in result.flags[0].message


# The one-line template of the counts (国有资产占用情况表 of a county: vehicles and devices as columns, one 数量 row),
# its statement naming only units of counts.
COUNTS = """东岭区教育局2024年部门预算

表一 东岭区教育局2024年部门支出总表
单位：万元
项目	合计	基本支出	项目支出
合计	120.00	100.00	20.00

表二 东岭区教育局国有资产占用情况表
单位：辆、台（套）
项目	车辆数合计	一般公务用车	执法执勤用车	其他用车	单位价值50万元以上通用设备	单位价值100万元以上专用设备
数量	3	2	1	0	1	0
"""


def test_a_table_stated_in_units_of_counts_is_never_read_as_wan(tmp_path):
    """单位：辆、台（套） says the figures are counts: no figure takes the document's 万元 (a device was read as an asset
    worth 1 万元), 单位价值50万元以上通用设备 is an item's column, not the 价值 column, and the statement is flagged as
    no money unit."""
    result = _run(tmp_path, COUNTS)
    (table,) = [t for t in result.tables if t.kind == "fixed_assets"]
    assert table.unit is None and table.unit_text.text == "单位：辆、台（套）"
    (row,) = table.rows
    assert "value" not in row.values and row.values["单位价值50万元以上通用设备"].raw == "1"
    flagged = [f for f in result.flags if f.check == "read.unit" and f.section_id == table.section_id]
    assert flagged and flagged[0].severity == "error"
    wan = {t.kind: t.unit for t in result.tables}
    assert wan["expenditure_summary"] == "万元"


@pytest.mark.parametrize("statement", ["单位：台", "单位：个", "（单位：辆）"])
def test_other_statements_of_counts_leave_the_unit_unknown(tmp_path, statement):
    result = _run(tmp_path, COUNTS.replace("单位：辆、台（套）", statement))
    (table,) = [t for t in result.tables if t.kind == "fixed_assets"]
    assert table.unit is None and table.unit_from == "stated"
