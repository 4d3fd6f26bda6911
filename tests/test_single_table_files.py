"""Files holding one table (a workbook, a CSV, a .docx), as a finance bureau attaches them.

- Their department and year come from the title (示范局2025年一般公共预算支出表), as a document's come from its
  部门预算 title.
- A .docx that opens with its explanation (no heading before it) has it checked against the table: the prose is
  narrative, not front matter.

The files are generated here (hand-written fixtures, not real disclosures).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

TABLE = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["208", "社会保障和就业支出", "134.57", "134.57", ""],
    ["210", "卫生健康支出", "1100.00", "800.00", "300.00"],
    ["", "合计", "1234.57", "934.57", "300.00"],
]
TITLE = "示范局2025年一般公共预算支出表"


def _run(path: Path):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text)


def _xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for row in [[TITLE], ["单位：万元"], [], *TABLE]:
        ws.append(row)
    book.save(path)
    return path


def _csv(path: Path) -> Path:
    path.write_text("\n".join(",".join(r) for r in [[TITLE], ["单位：万元"], *TABLE]) + "\n", encoding="utf-8")
    return path


def _docx(path: Path, paragraphs: list[str], title: str, rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    for line in [*paragraphs, title, "单位：万元"]:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(i, c).text = value
    document.save(str(path))
    return path


@pytest.mark.parametrize("make", [_xlsx, _csv, lambda p: _docx(p, [], TITLE, TABLE)], ids=["xlsx", "csv", "docx"])
def test_a_file_holding_one_table_takes_its_department_and_year_from_the_title(make, tmp_path):
    suffix = {"_xlsx": ".xlsx", "_csv": ".csv"}.get(getattr(make, "__name__", ""), ".docx")
    result = _run(make(tmp_path / f"one{suffix}"))
    assert [t.kind for t in result.tables] == ["general_budget_expenditure"]
    assert (result.document.department, result.document.year) == ("示范局", 2025)


THREE_PUBLIC = [["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
                ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
                ["40.00", "0.00", "25.00", "0.00", "25.00", "15.00"]]


@pytest.mark.parametrize("stated,flagged", [("15.00", False), ("13.70", True)])
def test_an_explanation_that_opens_a_docx_is_checked_against_its_table(stated, flagged, tmp_path):
    path = _docx(tmp_path / "narr.docx", ["示范局2025年“三公”经费预算情况说明",
                                          f"2025年“三公”经费预算40.00万元，其中公务接待费{stated}万元。"],
                 "2025年一般公共预算“三公”经费支出表", THREE_PUBLIC)
    result = _run(path)
    assert any(s.kind == "narrative" for s in result.sections)
    flags = [f for f in result.flags if f.check.startswith("narrative.")]
    assert bool(flags) == flagged
    if flagged:
        [flag] = flags
        assert "公务接待费 13.70" in flag.message and "15.00" in flag.message
    assert (result.document.department, result.document.year) == ("示范局", 2025)


@pytest.mark.parametrize("label", ["部门：北川县卫生健康局", "编制单位：北川县卫生健康局", "预算单位名称：北川县卫生健康局",
                                   "部门名称： 北川县卫生健康局"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_sheet_labelled_with_its_department_and_titled_on_its_tab_names_the_department(label, suffix, tmp_path):
    """A sheet titled only on its tab (表3-一般公共预算支出表) that prints its department on a label line beside the
    unit: the department is the label's. No year is printed anywhere, so none is given (never guessed)."""
    rows = [[label, "", "", "", "金额单位：元"], *TABLE]
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "表3-一般公共预算支出表"
        for row in rows:
            ws.append(row)
        path = tmp_path / "book.xlsx"
        book.save(path)
    else:
        path = tmp_path / "表3-一般公共预算支出表.csv"
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="gbk")
    result = _run(path)
    assert [t.kind for t in result.tables] == ["general_budget_expenditure"]
    assert (result.document.department, result.document.year) == ("北川县卫生健康局", None)
    assert len(result.tables[0].rows) == 3  # the label line is no row of the table


def test_a_unit_statement_is_never_taken_for_the_department(tmp_path):
    path = tmp_path / "表3-一般公共预算支出表.csv"
    path.write_text("\n".join(",".join(r) for r in [["单位：万元"], *TABLE]) + "\n", encoding="utf-8")
    assert _run(path).document.department is None
