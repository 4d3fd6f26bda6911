"""类 | 款 | 项 code columns whose 款 and 项 are kept as numbers (trial 21d): a spreadsheet that stores 03 as the
number 3 prints it without its leading zero. The parts still make the 7-digit code (211 | 3 | 2 → 2110302), so
the table's hierarchy and the other tables are checked by code, and a fault in a 项 line is caught.

Generated here (hand-written fixtures, not real disclosures): a workbook with number cells, and the same table as
tab-separated text that prints the parts as the workbook shows them.
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

TITLE = "示范县生态环境局2025年一般公共预算支出表"
HEADER = [["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项", "", "", "", ""]]
# (类, 款, 项, name, total, basic, project); 款 and 项 as the numbers a spreadsheet keeps.
LINES = [
    (None, None, None, "合计", "640.00", "420.00", "220.00"),
    (208, None, None, "社会保障和就业支出", "90.00", "90.00", ""),
    (208, 5, None, "行政事业单位养老支出", "90.00", "90.00", ""),
    (208, 5, 5, "机关事业单位基本养老保险缴费支出", "90.00", "90.00", ""),
    (211, None, None, "节能环保支出", "550.00", "330.00", "220.00"),
    (211, 1, None, "环境保护管理事务", "400.00", "330.00", "70.00"),
    (211, 1, 1, "行政运行", "330.00", "330.00", ""),
    (211, 1, 4, "生态环境保护宣传", "70.00", "", "70.00"),
    (211, 3, None, "污染防治", "150.00", "", "150.00"),
    (211, 3, 2, "水体", "150.00", "", "150.00"),
]
CODES = ["208", "20805", "2080505", "211", "21101", "2110101", "2110104", "21103", "2110302"]


def _lines(fault: bool) -> list[tuple]:
    if not fault:
        return LINES
    return [(*line[:4], "160.00", "", "160.00") if line[3] == "水体" else line for line in LINES]


def _read(tmp_path, form: str, fault: bool = False):
    if form == "xlsx":
        import openpyxl

        from extractor.load import load_document
        from extractor.pipeline import extract_document
        from verify import verify_result

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append([TITLE])
        sheet.append(["单位：万元"])
        for row in HEADER:
            sheet.append(row)
        for lei, kuan, xiang, name, *amounts in _lines(fault):
            sheet.append([lei, kuan, xiang, name, *(float(a) if a else None for a in amounts)])
        sheet.merge_cells("A3:C3")
        path = tmp_path / "t.xlsx"
        book.save(path)
        doc = load_document(path)
        return verify_result(extract_document(doc), doc.text)
    body = ["\t".join(row) for row in HEADER]
    body += ["\t".join("" if c is None else str(c) for c in line) for line in _lines(fault)]
    return run_text(tmp_path, "\n".join(["示范县生态环境局2025年部门预算", "", TITLE, "单位：万元", *body, ""]))[0]


@pytest.mark.parametrize("form", ["xlsx", "tab"])
def test_numeric_kuan_and_xiang_make_the_code(tmp_path, form):
    result = _read(tmp_path, form)
    (table,) = [t for t in result.tables if t.kind == "general_budget_expenditure"]
    assert [r.code for r in table.rows if r.code] == CODES
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("form", ["xlsx", "tab"])
def test_a_fault_in_a_line_with_numeric_parts_is_caught(tmp_path, form):
    result = _read(tmp_path, form, fault=True)
    messages = [f.message for f in result.flags if f.check == "table.hierarchy"]
    assert any("21103 污染防治 · 合计 150" in m and "2110302 水体 160" in m for m in messages), messages
