"""A 项目支出表 grouped under functional code lines (trial 26, finding 07).

Several provinces print the project table as 合计, then the class, 款 and 项 lines (205 / 20501 / 2050199), each
followed by its projects, which print no code. The code lines are the hierarchy, not projects: 合计 = Σ 类,
类 = Σ 款, 款 = Σ 项, and a 项 = Σ the projects under it. A project table whose codes nest nowhere (each project
printing its own 项 code) is still the plain list. Generated here in tab, pipe, space-aligned and one-space text, not a real
disclosure.
"""

from __future__ import annotations

import pytest

from textlayouts import layouts, run_text

HEADER = "科目编码\t科目名称（项目名称）\t合计\t一般公共预算拨款\t上年结转"
LINES = [
    ("", "合计", "535.00", "505.00", "30.00"),
    ("205", "教育支出", "535.00", "505.00", "30.00"),
    ("20501", "教育管理事务", "85.00", "85.00", ""),
    ("2050199", "其他教育管理事务支出", "85.00", "85.00", ""),
    ("", "教育督导评估", "85.00", "85.00", ""),
    ("20502", "普通教育", "450.00", "420.00", "30.00"),
    ("2050201", "学前教育", "150.00", "150.00", ""),
    ("", "学前教育资助", "150.00", "150.00", ""),
    ("2050202", "小学教育", "300.00", "270.00", "30.00"),
    ("", "义务教育公用经费补助", "180.00", "150.00", "30.00"),
    ("", "义务教育学校维修改造", "120.00", "120.00", ""),
]
LAYOUTS = ["tab", "pipe", "spaced", "one_space"]


def _text(layout: str, lines=LINES) -> str:
    body = "\n".join([HEADER, *("\t".join(line) for line in lines)])
    if layout == "one_space":  # a converter that joins cells with one space and drops the empty ones
        body = "\n".join(" ".join(c for c in line.split("\t") if c) for line in body.splitlines())
    else:
        body = layouts(labels=(10, 40), figures=20)[layout](body)
    return "\n".join(["示范县教育局2024年部门预算", "", "示范县教育局2024年项目支出预算表", "单位：万元", body, ""])


def _faulty(line: tuple) -> tuple:
    return (*line[:2], "200.00", "170.00", line[4]) if line[1] == "义务教育公用经费补助" else line


@pytest.mark.parametrize("layout", LAYOUTS)
def test_code_lines_are_the_hierarchy_not_projects(tmp_path, layout):
    result, _ = run_text(tmp_path, _text(layout))
    (table,) = result.tables
    assert table.kind == "project_expenditure"
    assert [r.code for r in table.rows if r.code] == ["205", "20501", "2050199", "20502", "2050201", "2050202"]
    assert not [f.message for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_wrong_project_is_blamed_on_its_code_line(tmp_path, layout):
    result, _ = run_text(tmp_path, _text(layout, [_faulty(line) for line in LINES]))
    errors = [f.message for f in result.flags if f.severity == "error"]
    assert errors and all("2050202 小学教育" in m and "义务教育公用经费补助" in m for m in errors), errors
    assert not [f for f in result.flags if f.check == "table.column_total"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_projects_printing_their_own_codes_stay_a_list(tmp_path, layout):
    lines = [("", "合计", "335.00", "305.00", "30.00"),
             ("2050199", "教育督导评估", "35.00", "35.00", ""),
             ("2050202", "义务教育公用经费补助", "180.00", "150.00", "30.00"),
             ("2050202", "义务教育学校维修改造", "120.00", "120.00", "")]
    result, _ = run_text(tmp_path, _text(layout, lines))
    assert not [f.message for f in result.flags if f.severity == "error"]
    wrong = [(*lines[0][:2], "345.00", "315.00", "30.00"), *lines[1:]]
    result, _ = run_text(tmp_path, _text(layout, wrong))
    assert [f.check for f in result.flags if f.severity == "error"] == ["table.column_total"] * 2
