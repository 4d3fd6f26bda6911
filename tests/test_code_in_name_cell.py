"""A classification code printed inside the name's cell, as budget systems' exports print it (`[208]社会保障和就业支出`,
`【20805】行政事业单位养老支出`, `2080505 机关事业单位基本养老保险缴费支出`), is read as the row's code: the name without
it, the code's characters as printed, and the hierarchy checked by it. Documents generated here (a made-up bureau).
"""

from __future__ import annotations

import pytest
from conftest import read_generated


ROWS = [("208", "社会保障和就业支出", "125.30"), ("20805", "行政事业单位养老支出", "125.30"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "125.30"), ("210", "卫生健康支出", "49.20"),
        ("21011", "行政事业单位医疗", "49.20"), ("2101101", "行政单位医疗", "18.30"), ("2101102", "事业单位医疗", "30.90")]
FORMS = {"brackets": "[{code}]{name}", "cjk_brackets": "【{code}】{name}", "space": "{code} {name}",
         "ideographic_space": "{code}\u3000{name}"}


def document(form: str, rows=ROWS, sep: str = "\t") -> str:
    lines = [sep.join(("科目名称", "合计", "基本支出", "项目支出")), sep.join(("合计", "174.50", "174.50", ""))]
    lines += [sep.join((FORMS[form].format(code=c, name=n), v, v, "")) for c, n, v in rows]
    return "某市交通运输局2025年部门预算公开\n\n表3 部门支出总表\n\n单位：万元\n\n" + "\n".join(lines) + "\n"


def read(text: str):
    return read_generated(text, "codes"), text


@pytest.mark.parametrize("form", sorted(FORMS))
def test_code_in_name_cell_is_the_rows_code(form):
    result, text = read(document(form))
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    coded = [r for r in table.rows if r.code]
    assert [(r.code, r.label.text) for r in coded] == [(c, n) for c, n, _v in ROWS]
    for row in coded:  # grounded: the code and the name each at their own characters
        assert text[row.code_raw.span[0]:row.code_raw.span[1]].strip("[]【】") == row.code
        assert row.label.source_text(text) == row.label.text
    assert [f.message for f in result.flags if f.check.startswith("table.")] == []


def test_code_in_name_cell_checks_the_hierarchy():
    rows = [(c, n, "31.90" if c == "2101102" else v) for c, n, v in ROWS]
    result, _text = read(document("brackets", rows))
    assert any(f.check == "table.hierarchy" and "21011" in f.message for f in result.flags), result.flags


def test_figures_that_start_a_name_are_not_codes():
    """300万元以上 / 2024年 at the start of a name are words of the name, not a code."""
    rows = [("208", "社会保障和就业支出", "125.30")]
    text = document("brackets", rows).replace("[208]社会保障和就业支出", "300万元以上设备购置")
    result, _ = read(text)
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    assert all(r.code is None for r in table.rows)
