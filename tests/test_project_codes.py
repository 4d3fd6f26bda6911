"""A 项目支出表's 项目编码 column (8 digits and more: 20250001, 44010022000000001) is the row's project code: a text
column read and exported with the row, not a classification code (and not a note that drops it)."""

from __future__ import annotations

import pytest

TEXT = ("平安县卫生健康委员会2025年项目支出表\n单位：万元\n"
        "项目编码\t项目名称\t合计\t本年拨款\t上年结转\n"
        "20250001\t基层医疗卫生机构能力提升\t120.50\t100.50\t20.00\n"
        "44010022000000001\t公共卫生服务补助资金\t300.00\t300.00\t\n"
        "2025000300\t家庭医生签约服务\t79.50\t79.50\t\n"
        "\t合计\t500.00\t480.00\t20.00\n")

WANT = {"基层医疗卫生机构能力提升": "20250001", "公共卫生服务补助资金": "44010022000000001",
        "家庭医生签约服务": "2025000300"}


def _project_codes(result) -> dict[str, str | None]:
    (table,) = [t for t in result.tables if t.kind == "project_expenditure"]
    rows = {r.label.text.replace(" ", ""): r for r in table.rows if r.label is not None}
    assert rows["合计"].code is None and "project_code" not in rows["合计"].texts
    for name in WANT:
        assert rows[name].code is None  # no classification code was invented from it
        assert not [n for n in rows[name].notes if "classification code" in n]
    return {name: (rows[name].texts["project_code"].text if "project_code" in rows[name].texts else None)
            for name in WANT}


def _read(path):
    from extractor.pipeline import run_file

    return run_file(path)


def test_a_project_code_column_is_read_as_the_rows_project_code(tmp_path):
    path = tmp_path / "proj.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = _read(path)
    assert _project_codes(result) == WANT
    assert not [f for f in result.flags if f.severity == "error"]


def test_a_project_code_column_in_a_pdf_is_read_and_exported_with_the_row(tmp_path):
    pytest.importorskip("reportlab")
    pytest.importorskip("openpyxl")
    import openpyxl

    import os
    import subprocess
    import sys

    from conftest import ROOT
    from extractor.export import result_json
    from pdfdocs import render

    path = render(TEXT, tmp_path / "proj.pdf")
    result = _read(path)
    assert _project_codes(result) == WANT
    out = tmp_path / "out"
    out.mkdir()
    (out / "proj.json").write_text(result_json(result), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "extractor", "export", str(out), "-f", "xlsx", "-o",
                           str(tmp_path / "t.xlsx")], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["项目支出表"]
    head, *rows = list(sheet.iter_rows(values_only=True))
    by_name = {r[head.index("line")]: r[head.index("项目编码")] for r in rows}
    assert {name: by_name[name] for name in WANT} == WANT
