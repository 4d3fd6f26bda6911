"""Code columns as other templates print them (trial 21d).

- 类 | 款 | 项 whose 款 and 项 are kept as numbers: a spreadsheet that stores 03 as the number 3 prints it without
  its leading zero. The parts still make the 7-digit code (211 | 3 | 2 → 2110302).
- A 科目编码 column beside 类 | 款 | 项 columns: the code printed whole and in parts.

Either way the rows are keyed by code, so the table's hierarchy and the other tables are checked by code, and a
fault in a 项 line is caught. Generated here (hand-written fixtures, not real disclosures): a workbook with number
cells, and tab-separated text that prints the parts as the workbook shows them.
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


@pytest.mark.parametrize("parts", ["prefixed", "bare", "numbers"])
def test_a_code_column_beside_its_parts_gives_each_row_its_code(tmp_path, parts):
    """科目编码 | 类 | 款 | 项 | 科目名称: the code printed whole and in parts (the parts with or without their parent's
    prefix, or kept as numbers); the rows are keyed by code, so the other tables are checked by code too."""
    def split(code: str) -> list[str]:
        pieces = [code[:3], code[3:5], code[5:7]]
        if parts == "prefixed":
            pieces = [code[:3], code[:5] if len(code) >= 5 else "", code if len(code) == 7 else ""]
        elif parts == "numbers":
            pieces = [pieces[0], *(str(int(p)) if p else "" for p in pieces[1:])]
        return pieces

    rows = [(code, name, amount) for code, name, amount in (
        ("208", "社会保障和就业支出", "90.00"), ("20805", "行政事业单位养老支出", "90.00"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "90.00"), ("211", "节能环保支出", "150.00"),
        ("21103", "污染防治", "150.00"), ("2110302", "水体", "150.00"))]
    body = ["科目编码\t类\t款\t项\t科目名称\t合计"]
    body += ["\t".join([code, *split(code), name, amount]) for code, name, amount in rows]
    body.append("\t\t\t\t合计\t240.00")
    summary = ["科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t240.00\t90.00\t150.00"]
    summary += [f"{code}\t{name}\t{amount}\t{amount if code.startswith('208') else ''}\t"
                f"{'' if code.startswith('208') else amount}" for code, name, amount in rows]
    text = "\n".join(["示范县生态环境局2025年部门预算", "", "表3 示范县生态环境局2025年部门支出总表", "单位：万元", *summary,
                      "", "表5 " + TITLE, "单位：万元", *body, ""])
    result, _text = run_text(tmp_path, text)
    (table,) = [t for t in result.tables if t.kind == "general_budget_expenditure"]
    assert [r.code for r in table.rows if r.code] == [code for code, _n, _a in rows]
    assert not result.flags, [f.message for f in result.flags]
    # A fault in one table is found by code against the other.
    faulty, _text = run_text(tmp_path, text.replace("2110302\t水体\t150.00\t\t150.00", "2110302\t水体\t160.00\t\t160.00"),
                             name="faulty.txt")
    assert any(f.check == "cross.same_code" and "2110302" in f.message for f in faulty.flags), \
        [f.message for f in faulty.flags]
