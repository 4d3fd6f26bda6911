"""A 项目支出表 that prints words columns around its amounts (单位编码 | 单位名称 | 项目名称 | 项目类型 | 资金性质 | 合计 |
一般公共预算 | 上年结转 | 绩效目标), as several provinces do, read whether or not the converter dropped the empty 上年结转
cells: the words fill the text columns in order (the last one, after the figures, under 绩效目标), the figures are
proposed under the amount columns and the verifier keeps the placement that adds up. A changed figure is still
flagged. Documents generated here (a made-up bureau, figures made up to add up).
"""

from __future__ import annotations

import pytest

from conftest import read_generated

HEADER = ["单位编码", "单位名称", "项目名称", "项目类型", "资金性质", "合计", "一般公共预算", "上年结转", "绩效目标"]
TARGET = "按期完成建设任务"
# code, unit, project, type, total, general budget, carried over (empty: printed as nothing)
PROJECTS = [("301001", "某市交通运输局本级", "国省干线公路建设项目", "特定目标类", "1200.00", "1000.00", "200.00"),
            ("301002", "某市公路事业发展中心", "农村公路养护工程", "特定目标类", "850.00", "850.00", ""),
            ("301002", "某市公路事业发展中心", "公路应急保障经费", "其他运转类", "95.50", "95.50", ""),
            ("301003", "某市道路运输服务中心", "道路运输安全监管", "其他运转类", "35.00", "35.00", "")]
TOTALS = ("2180.50", "1980.50", "200.00")


def document(style: str, dropped: bool, projects=PROJECTS, targets=(TARGET,) * len(PROJECTS)) -> str:
    rows = [["合计", "", "", "", "", *TOTALS, ""]]
    rows += [[code, unit, name, kind, "一般公共预算", total, general, carried, target]
             for (code, unit, name, kind, total, general, carried), target in zip(projects, targets)]
    if dropped:
        rows = [[c for c in row if c] for row in rows]
    if style == "pipe":
        lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        lines = ["\t".join(row) for row in [HEADER, *rows]]
    return "\n".join(["某市交通运输局2025年部门预算公开", "", "表7 项目支出表", "", "单位：万元", "", *lines]) + "\n"


def projects_table(result):
    return next(t for t in result.tables if t.kind == "project_expenditure")


def errors(result) -> list[str]:
    return [f"{f.check}: {f.message}" for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("style", ["tab", "pipe"])
@pytest.mark.parametrize("dropped", [False, True], ids=["every-cell", "empty-cells-dropped"])
def test_words_fill_the_text_columns_and_figures_their_amount_columns(style, dropped):
    result = read_generated(document(style, dropped), f"projects_{style}")
    table = projects_table(result)
    assert "绩效目标" in table.columns and not any(k.startswith("列") for k in table.columns), table.columns
    rows = [r for r in table.rows if r.item != "total"]
    assert [r.label.text for r in rows] == [p[2] for p in PROJECTS]
    for row, (_code, unit, _name, kind, total, general, carried) in zip(rows, PROJECTS):
        assert {k: t.text for k, t in row.texts.items()} == {
            "project_unit": unit, "project_type": kind, "资金性质": "一般公共预算", "绩效目标": TARGET}
        printed = {"total": total, "current_general_budget": general, "carryover": carried}
        assert {k: str(a.value) for k, a in row.values.items()} == {k: v for k, v in printed.items() if v}
        assert not row.unparsed
    assert errors(result) == [] and not [f for f in result.flags if f.check.startswith("read.")], result.flags


@pytest.mark.parametrize("style", ["tab", "pipe"])
def test_a_changed_figure_in_a_row_that_lost_its_empty_cell_is_flagged(style):
    projects = [(*p[:4], "860.00", *p[5:]) if p[2] == "农村公路养护工程" else p for p in PROJECTS]
    result = read_generated(document(style, dropped=True, projects=projects), f"projects_{style}")
    assert any(e.startswith("table.") and "860.00" in e for e in errors(result)), result.flags


@pytest.mark.parametrize("style", ["tab", "pipe"])
def test_rows_that_leave_the_trailing_words_column_empty_keep_their_text_columns(style):
    targets = ("", TARGET, TARGET, "")  # the first and last rows print no 绩效目标 (and the last no 上年结转 either)
    result = read_generated(document(style, dropped=True, targets=targets), f"projects_{style}")
    rows = [r for r in projects_table(result).rows if r.item != "total"]
    assert [r.label.text for r in rows] == [p[2] for p in PROJECTS]
    assert [r.texts["project_unit"].text for r in rows] == [p[1] for p in PROJECTS]
    assert [r.texts["绩效目标"].text if "绩效目标" in r.texts else "" for r in rows] == list(targets)
    assert [str(r.values["total"].value) for r in rows] == [p[4] for p in PROJECTS]
    assert errors(result) == [] and not [f for f in result.flags if f.check.startswith("read.")], result.flags
