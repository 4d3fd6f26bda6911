"""A 收支总表 whose lines are numbered in outline (trial 26, finding 15).

Several provinces print the spending side by nature: 一、基本支出 with its parts （一）人员经费 / （二）公用经费
on the lines under it, then 二、项目支出. The sub-lines are the heading's parts, not its siblings: 本年支出合计 =
一、 + 二、, and 一、 = （一） + （二）. A numbered line that prints nothing heads nothing (its sub-lines stay in the
sum). Generated here in tab, pipe and space-aligned text, not a real disclosure.
"""

from __future__ import annotations

import pytest

from textlayouts import display_width, layouts, run_text

HEADER = ["收入\t\t支出\t", "项目\t预算数\t项目\t预算数"]


def _lines(personnel: str = "1804.15", fiscal: str = "") -> list[str]:
    return [f"一、财政拨款收入\t{fiscal}\t一、基本支出\t1944.35",
            f"（一）一般公共预算拨款\t2279.35\t（一）人员经费\t{personnel}",
            "（二）政府性基金预算拨款\t\t（二）公用经费\t140.20",
            "二、财政专户管理资金收入\t150.00\t二、项目支出\t535.00",
            "三、事业收入\t50.00\t\t",
            "本年收入合计\t2479.35\t本年支出合计\t2479.35",
            "上年结转\t\t年终结转结余\t",
            "收入总计\t2479.35\t支出总计\t2479.35"]


def _side_by_side(text: str) -> str:
    """Space-aligned as ``pdftotext -layout`` prints a 收支总表: each side's label left-aligned, its figure
    right-aligned."""
    out = []
    for line in text.splitlines():
        cells = line.split("\t")
        out.append("".join(c + " " * (30 - display_width(c)) if i % 2 == 0 else " " * (12 - display_width(c)) + c + "  "
                           for i, c in enumerate(cells)).rstrip())
    return "\n".join(out)


def _text(layout: str, **kw) -> str:
    rows = "\n".join([*HEADER, *_lines(**kw)])
    body = _side_by_side(rows) if layout == "spaced" else layouts()[layout](rows)
    return "\n".join(["示范县教育局2024年部门预算", "", "示范县教育局2024年部门收支预算总表", "单位：万元", body, ""])


LAYOUTS = ["tab", "pipe", "spaced"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fiscal", ["", "2279.35"])
def test_sub_lines_are_parts_of_their_heading(tmp_path, layout, fiscal):
    result, _ = run_text(tmp_path, _text(layout, fiscal=fiscal))
    (table,) = result.tables
    assert table.kind == "income_expenditure_summary"
    assert not [f.message for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_wrong_sub_line_is_blamed_on_its_heading(tmp_path, layout):
    result, _ = run_text(tmp_path, _text(layout, personnel="1814.15"))
    errors = [f.message for f in result.flags if f.severity == "error"]
    assert len(errors) == 1, errors
    assert "一、基本支出" in errors[0] and "1944.35" in errors[0] and "（一）人员经费 1814.15" in errors[0], errors
