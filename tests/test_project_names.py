"""A project table whose rows print the unit's name beside the project's (单位名称 | 项目名称 | 合计 …).

Generated here as text and, through the tests' spreadsheet and Word writers, as .xlsx and .docx: each row is its
project (the label), the unit kept as text (under 项目单位 where its header is a name column), whatever the format. Two projects of one unit stay apart.
"""

from __future__ import annotations

import pytest

from sheetdocs import word_document, workbook

UNIT = "东湖示范区农业农村局"
PROJECTS = [("高标准农田建设项目", "300.00"), ("农业技术推广项目", "200.00")]


def document(unit_header: str = "单位名称") -> str:
    rows = [f"{UNIT}\t{name}\t{amount}\t{amount}\t" for name, amount in PROJECTS]
    total = sum(float(a) for _n, a in PROJECTS)
    return "\n".join([f"{UNIT}2025年项目支出表", "单位：万元", "",
                      f"{unit_header}\t项目名称\t合计\t一般公共预算拨款\t上年结转", *rows,
                      f"\t合计\t{total:.2f}\t{total:.2f}\t", ""]) + "\n"


def _read(path):
    from extractor.pipeline import run_file

    result = run_file(path)
    return result, next(t for t in result.tables if t.kind == "project_expenditure")


@pytest.mark.parametrize("form", ["txt", "xlsx", "docx"])
@pytest.mark.parametrize("unit_header", ["单位名称", "部门名称", "预算单位"])
def test_each_project_row_is_labelled_by_its_project_and_keeps_its_unit(tmp_path, form, unit_header):
    text = document(unit_header)
    path = tmp_path / f"p.{form}"
    if form == "txt":
        path.write_text(text, encoding="utf-8")
    else:
        (workbook if form == "xlsx" else word_document)(text, path)
    result, table = _read(path)
    lines = [(r.label.text, [t.text for t in r.texts.values()], str(r.values["total"].value))
             for r in table.rows if r.item != "total"]
    assert lines == [(name, [UNIT], amount) for name, amount in PROJECTS]
    assert unit_header in table.columns.values()
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]
