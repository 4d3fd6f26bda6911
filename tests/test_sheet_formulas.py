"""A workbook whose totals are formulas with no saved value (openpyxl and many exporters never calculate).

Such a cell reads as empty. The loader names the file, the sheet and the cells in one note; the verifier flags
the empty values as what they are (`source.formula_unsaved`), and no number is made up for them. The workbook
is generated here (a hand-written fixture, not a real disclosure).
"""

from __future__ import annotations

from pathlib import Path

ROWS = [
    ["示范局2025年部门支出总表"], ["单位：万元"], [],
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["208", "社会保障和就业支出", 134.57, 134.57, None],
    ["210", "卫生健康支出", 1100, 800, 300],
]


def _book(path: Path, formulas: bool) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "支出总表"
    for row in ROWS:
        ws.append(row)
    total = ["", "合计", "=C5+C6", "=SUM(D5:D6)", "=E6"] if formulas else ["", "合计", 1234.57, 934.57, 300]
    ws.append(total)
    book.save(path)
    return path


def test_formulas_with_no_saved_value_are_named_and_flagged_never_computed(tmp_path):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    path = _book(tmp_path / "formula.xlsx", formulas=True)
    doc = load_document(path)
    [note] = doc.notes
    assert str(path) in note and "sheet 支出总表" in note and "C7, D7, E7" in note
    assert "formulas with no saved value" in note and "open and save the file in Excel or LibreOffice" in note
    [sheet] = doc.geometry.pages
    assert sheet.formulas_unsaved == ["C7", "D7", "E7"]
    total_line = next(line for line in doc.text.splitlines() if line.startswith("\t合计"))
    assert total_line.split("\t")[2:] == ["", "", ""]  # left empty: no number made up
    assert "1234.57" not in doc.text

    result = verify_result(extract_document(doc), doc.text)
    [flag] = [f for f in result.flags if f.check == "source.formula_unsaved"]
    assert flag.severity == "error" and "C7, D7, E7" in flag.message and "支出总表" in flag.message
    assert "no saved value" in flag.message_en
    assert any(doc.text[slice(*span)].startswith("合计") for span in flag.spans)  # points at the row of the cells
    # The blank total is the formula's doing, not the document's arithmetic: no "合计为空" fault is reported, and the
    # values those sums involve are this flag's (flagged, not verified).
    assert not [f for f in result.flags if "为空" in f.message and f.check != "source.formula_unsaved"]
    assert "3 项合计检查" in flag.message
    assert {ref.path for ref in flag.fields} >= {"expenditure_summary[208].total", "expenditure_summary[210].total",
                                                  "expenditure_summary[210].project"}


def test_a_workbook_with_values_has_no_such_note(tmp_path):
    from extractor.load import load_document

    doc = load_document(_book(tmp_path / "values.xlsx", formulas=False))
    assert doc.notes == () and doc.geometry.pages[0].formulas_unsaved is None
