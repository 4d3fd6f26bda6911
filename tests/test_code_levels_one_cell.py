"""类 款 项 over one column, with each code printed in its levels a space apart (trial 26, finding 06).

A converter that joins a row's cells with one space and drops the empty ones writes the code header 类 | 款 | 项
as "类 款 项" and each code as "205 01 01". The header is the code's, never an amount column's: the codes key the
rows (so the hierarchy is checked by code) and are never added into a row's sum. Generated here in the layouts
such text comes in (one space, tab, pipe, space-aligned), not a real disclosure. So are two headers other templates
print over such codes: 科目编号, and 科目编码 printed spaced out (科 目 编 码), under which the one-space layout cannot
part "205 02" from its name: a label that starts with a code printed in its levels gives the row its code.
"""

from __future__ import annotations

import pytest

from textlayouts import layouts, run_text

TITLE = "示范县教育局2024年部门支出预算总表"
HEADER = ["类 款 项", "科目名称", "合计", "基本支出", "项目支出"]
LINES = [
    ("205", "教育支出", "20,555,000.00", "15,205,000.00", "5,350,000.00"),
    ("205 01", "教育管理事务", "4,055,000.00", "3,205,000.00", "850,000.00"),
    ("205 01 01", "行政运行", "3,205,000.00", "3,205,000.00", ""),
    ("205 01 99", "其他教育管理事务支出", "850,000.00", "", "850,000.00"),
    ("205 02", "普通教育", "16,500,000.00", "12,000,000.00", "4,500,000.00"),
    ("205 02 01", "学前教育", "1,500,000.00", "", "1,500,000.00"),
    ("205 02 02", "小学教育", "15,000,000.00", "12,000,000.00", "3,000,000.00"),
    ("208", "社会保障和就业支出", "2,245,600.00", "2,245,600.00", ""),
    ("208 05", "行政事业单位养老支出", "2,245,600.00", "2,245,600.00", ""),
    ("208 05 05", "机关事业单位基本养老保险缴费支出", "1,604,000.00", "1,604,000.00", ""),
    ("208 05 06", "机关事业单位职业年金缴费支出", "641,600.00", "641,600.00", ""),
    ("", "合计", "22,800,600.00", "17,450,600.00", "5,350,000.00"),
]
CODES = ["205", "20501", "2050101", "2050199", "20502", "2050201", "2050202", "208", "20805", "2080505", "2080506"]


def _rows(fault: bool) -> list[tuple]:
    if not fault:
        return LINES
    return [(*line[:2], "16,000,000.00", "13,000,000.00", line[4]) if line[1] == "小学教育" else line
            for line in LINES]


def _text(layout: str, fault: bool = False, code_header: str = "类 款 项") -> str:
    rows = [[code_header, *HEADER[1:]], *_rows(fault)]
    if layout == "one_space":
        body = "\n".join(" ".join(c for c in row if c) for row in rows)
    else:
        body = layouts(labels=(12, 36))[layout]("\n".join("\t".join(row) for row in rows))
    return "\n".join(["示范县教育局2024年部门预算", "", TITLE, "单位：元", body, ""])


LAYOUTS = ["one_space", "tab", "pipe", "spaced"]


@pytest.mark.parametrize("code_header", ["类 款 项", "科目编号", "科 目 编 码"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_codes_key_the_rows_and_are_no_amounts(tmp_path, layout, code_header):
    result, _ = run_text(tmp_path, _text(layout, code_header=code_header))
    (table,) = result.tables
    assert table.kind == "expenditure_summary"
    assert set(table.columns) == {"total", "basic", "project"}
    assert [r.code for r in table.rows if r.code] == CODES
    leaf = next(r for r in table.rows if r.code == "2050101")
    assert set(leaf.values) == {"total", "basic"}
    assert not [f.message for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_fault_in_a_code_line_is_caught(tmp_path, layout):
    result, _ = run_text(tmp_path, _text(layout, fault=True))
    errors = [f for f in result.flags if f.severity == "error"]
    assert errors and all(f.check.startswith("table.") for f in errors), [f.message for f in errors]
    assert any("小学教育" in f.message for f in errors), [f.message for f in errors]
    assert not any("类款项" in f.message or "2,050,202" in f.message for f in errors)


def test_a_code_left_in_the_label_gives_the_row_its_code(tmp_path):
    # Under a spaced-out 科 目 编 码 the one-space layout leaves "205 02" among the name's words on one line.
    rows = [("科 目 编 码", "科目名称", "合计", "基本支出", "项目支出"),
            ("205", "教育支出", "2055.50", "1520.50", "535.00"), ("205 01", "教育管理事务", "405.50", "320.50", "85.00"),
            ("205 01 01", "行政运行", "320.50", "320.50", ""), ("205 01 99", "其他教育管理事务支出", "85.00", "", "85.00"),
            ("205 02", "普通教育", "1650.00", "1200.00", "450.00"), ("205 02 02", "小学教育", "1650.00", "1200.00", "450.00"),
            ("", "合计", "2055.50", "1520.50", "535.00")]
    body = "\n".join(" ".join(c for c in row if c) for row in rows)
    result, _ = run_text(tmp_path, "\n".join(["示范县教育局2024年部门预算", "", TITLE, "单位：万元", body, ""]))
    (table,) = result.tables
    assert [r.code for r in table.rows if r.code] == ["205", "20501", "2050101", "2050199", "20502", "2050202"]
    assert next(r for r in table.rows if r.code == "20502").label.text == "普通教育"
    assert not [f.message for f in result.flags if f.severity == "error"]
