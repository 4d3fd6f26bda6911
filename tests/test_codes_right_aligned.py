"""Codes right-aligned inside a wide code column (trial 21d): a space-aligned 基本支出表 whose merged header
(…经济分类科目 over 科目编码 | 科目名称) prints 科目编码 at the column's left edge while the codes stand at its right
edge. The codes are the rows' codes, never amounts under no header.

Generated here (a hand-written fixture, not a real disclosure), as ``pdftotext -layout`` prints such a table.
"""

from __future__ import annotations

import pytest

from textlayouts import display_width, run_text

ROWS = [
    ("301", "工资福利支出", "386.50", "386.50", ""),
    ("30101", "基本工资", "150.00", "150.00", ""),
    ("30102", "津贴补贴", "136.50", "136.50", ""),
    ("30108", "机关事业单位基本养老保险缴费", "100.00", "100.00", ""),
    ("302", "商品和服务支出", "48.00", "", "48.00"),
    ("30201", "办公费", "20.00", "", "20.00"),
    ("30211", "差旅费", "28.00", "", "28.00"),
    ("", "合计", "434.50", "386.50", "48.00"),
]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _table(group: str, code_edge: int) -> str:
    name_at = code_edge + 3
    head = [_pad(group, name_at + 32) + "合计".rjust(8) + "    人员经费" + "    公用经费",
            _pad("科目编码", name_at) + "科目名称"]
    body = []
    for code, name, *amounts in ROWS:
        line = " " * (code_edge - len(code)) + code + "   " + _pad(name, 32)
        line += "".join(a.rjust(12) for a in amounts)
        body.append(line.rstrip())
    return "\n".join(["示范县气象局2025年部门预算", "", "表6 示范县气象局2025年一般公共预算基本支出表", "",
                      "单位：万元", "", *head, *body, ""])


@pytest.mark.parametrize("group", ["部门预算支出经济分类科目", "政府预算支出经济分类科目"])
@pytest.mark.parametrize("code_edge", [18, 26])
def test_right_aligned_codes_are_the_rows_codes(tmp_path, group, code_edge):
    result, _text = run_text(tmp_path, _table(group, code_edge))
    (table,) = [t for t in result.tables if t.kind == "general_budget_basic_expenditure"]
    assert [r.code for r in table.rows if r.code] == [code for code, *_rest in ROWS if code]
    assert not any(k.startswith("列") for r in table.rows for k in r.values)
    assert not result.flags, [f.message for f in result.flags]
