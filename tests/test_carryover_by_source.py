"""A 收入总表 whose 上年结转 is split by source (上年结转 over 一般公共预算 | 单位资金, trial 21d): each part is read under
its own key and header, a part of the 合计, never the whole carry-over.

Generated here (hand-written fixtures, not real disclosures): tab-separated text and a workbook with merged headers.
"""

from __future__ import annotations

import pytest

from extractor.export import result_facts
from textlayouts import run_text

TITLE = "表2 示范县文化旅游局2025年部门收入总表"
HEADER = [["科目编码", "科目名称", "合计", "本年收入", "", "", "上年结转", ""],
          ["", "", "", "小计", "一般公共预算拨款", "事业收入", "一般公共预算", "单位资金"]]
LINES = [
    ["", "合计", "1480.00", "1300.00", "1210.00", "90.00", "150.00", "30.00"],
    ["207", "文化旅游体育与传媒支出", "1480.00", "1300.00", "1210.00", "90.00", "150.00", "30.00"],
    ["20701", "文化和旅游", "1480.00", "1300.00", "1210.00", "90.00", "150.00", "30.00"],
    ["2070101", "行政运行", "980.00", "900.00", "900.00", "", "80.00", ""],
    ["2070109", "群众文化", "500.00", "400.00", "310.00", "90.00", "70.00", "30.00"],
]


def _read(tmp_path, form: str, lines=LINES):
    if form == "xlsx":
        import openpyxl

        from extractor.load import load_document
        from extractor.pipeline import extract_document
        from verify import verify_result

        book = openpyxl.Workbook()
        sheet = book.active
        for row in [[TITLE], ["单位：万元"], *HEADER, *lines]:
            sheet.append(row)
        for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:H3"):
            sheet.merge_cells(cells)
        path = tmp_path / "t.xlsx"
        book.save(path)
        doc = load_document(path)
        return verify_result(extract_document(doc), doc.text)
    body = ["\t".join(r) for r in [*HEADER, *lines]]
    return run_text(tmp_path, "\n".join(["示范县文化旅游局2025年部门预算", "", TITLE, "单位：万元", *body, ""]))[0]


@pytest.mark.parametrize("form", ["tab", "xlsx"])
def test_each_part_of_the_carryover_keeps_its_own_key_and_header(tmp_path, form):
    result = _read(tmp_path, form)
    facts = {(f["row_label"], f["column"]): f for f in result_facts(result) if f["table"] == "income_summary"}
    total = {col: (f["column_label"], f["value"]) for (label, col), f in facts.items() if label == "合计"}
    assert total["carryover_general_budget"] == ("上年结转/一般公共预算", "150.00")
    assert total["carryover_unit_funds"] == ("上年结转/单位资金", "30.00")
    assert "carryover" not in total  # no column prints the whole carry-over
    assert all(f["status"] == "verified" for f in facts.values())
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("form", ["tab", "xlsx"])
def test_a_wrong_carryover_part_breaks_the_row_sum(tmp_path, form):
    lines = [[*line[:7], "35.00"] if line[1] == "群众文化" else line for line in LINES]
    result = _read(tmp_path, form, lines)
    messages = [f.message for f in result.flags if f.severity == "error"]
    assert any("2070109 群众文化" in m and "合计 500.00" in m and "35.00" in m for m in messages), messages
