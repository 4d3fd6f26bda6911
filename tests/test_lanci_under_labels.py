"""A space-aligned table whose 栏次 row (1 2 3 …) stands left-aligned under the header's labels (trial 21d), as a
converter prints a header whose words start at their columns' left edges over right-aligned figures: the 栏次 numbers
never move the columns, so each figure is read under the label it is printed under.

Generated here (a hand-written fixture, not a real disclosure), with the 栏次 numbers left-aligned, centred, or left out;
one column no line prints a figure in, so that only its header and its 栏次 number show where it is.
"""

from __future__ import annotations

import pytest

from textlayouts import display_width, run_text

LABELS = ["合计", "一般公共预算", "政府性基金预算", "事业收入", "其他收入", "上年结转"]
KEYS = ["total", "general_budget", "government_fund", "business_income", "other_income", "carryover"]
# 上年结转 is printed but no line has one: a column that only its header (and its 栏次 number) shows.
ROWS = [
    ("", "合计", ["2400.00", "1810.00", "420.00", "130.00", "40.00", ""]),
    ("201", "一般公共服务支出", ["1210.00", "1100.00", "", "70.00", "40.00", ""]),
    ("20103", "政府办公厅（室）及相关机构事务", ["1210.00", "1100.00", "", "70.00", "40.00", ""]),
    ("2010301", "行政运行", ["1210.00", "1100.00", "", "70.00", "40.00", ""]),
    ("212", "城乡社区支出", ["420.00", "", "420.00", "", "", ""]),
    ("21208", "国有土地使用权出让收入安排的支出", ["420.00", "", "420.00", "", "", ""]),
    ("2120801", "征地和拆迁补偿支出", ["420.00", "", "420.00", "", "", ""]),
    ("213", "农林水支出", ["770.00", "710.00", "", "60.00", "", ""]),
    ("21301", "农业农村", ["770.00", "710.00", "", "60.00", "", ""]),
    ("2130104", "事业运行", ["770.00", "710.00", "", "60.00", "", ""]),
]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table(lanci: str | None) -> str:
    """Labels left-aligned at their columns' starts, figures right-aligned at the columns' ends (a column as wide as
    its label or its widest figure), three spaces between columns; the 栏次 numbers under the labels' first characters, centred, or none."""
    lead = [10, 36]
    widths = [max(display_width(label), *(len(v) for _c, _n, vs in ROWS for v in vs)) for label in LABELS]
    header = _pad("科目编码", lead[0]) + _pad("科目名称", lead[1]) + "".join(_pad(l, w + 3) for l, w in zip(LABELS, widths))
    lines = [header.rstrip()]
    if lanci is not None:
        numbers = ""
        for n, w in enumerate(widths, start=1):
            cell = str(n)
            if lanci == "centred":
                left = (w - 1) // 2
                cell = " " * left + cell
            numbers += _pad(cell, w + 3)
        lines.append((_pad("栏次", lead[0] + lead[1]) + numbers).rstrip())
    for code, name, values in ROWS:
        line = _pad(code, lead[0]) + _pad(name, lead[1])
        line += "".join(" " * (w - len(v)) + v + "   " for v, w in zip(values, widths))
        lines.append(line.rstrip())
    return "\n".join(["示范县农业农村局2025年部门预算", "", "表2 示范县农业农村局2025年部门收入总表", "",
                      "单位：万元", "", *lines, ""])


@pytest.mark.parametrize("lanci", ["left", "centred", None])
def test_each_figure_is_read_under_the_label_it_is_printed_under(tmp_path, lanci):
    result, _text = run_text(tmp_path, _table(lanci))
    (table,) = [t for t in result.tables if t.kind == "income_summary"]
    read = {(r.code or "合计", k): str(a.value) for r in table.rows for k, a in r.values.items()}
    printed = {(code or "合计", key): v for code, _name, values in ROWS for key, v in zip(KEYS, values) if v}
    assert read == printed
    assert not result.flags, [f.message for f in result.flags]
