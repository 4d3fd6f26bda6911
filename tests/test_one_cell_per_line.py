"""Text that puts each cell of a table on a line of its own (trial 21d; a converter that writes one text box per line,
like 001 of the corpus): which column a cell is in is lost, so the rules do not read it — and say exactly that, with
empty cells dropped or kept as blank lines, for the LLM reader (or the PDF itself).

Generated here (a hand-written fixture, not a real disclosure).
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

HEADER = ["科目编码", "科目名称", "合计", "一般公共预算", "政府性基金预算", "上年结转"]
ROWS = [["", "合计", "360.00", "300.00", "40.00", "20.00"],
        ["208", "社会保障和就业支出", "300.00", "300.00", "", ""],
        ["212", "城乡社区支出", "60.00", "", "40.00", "20.00"],
        ["21208", "国有土地使用权出让收入安排的支出", "60.00", "", "40.00", "20.00"]]


@pytest.mark.parametrize("empties", ["dropped", "kept"])
def test_a_table_one_cell_per_line_is_unread_with_that_reason(tmp_path, empties):
    cells = [c for row in [HEADER, *ROWS] for c in row if c or empties == "kept"]
    text = "\n".join(["示范县自然资源局2025年部门预算", "", "表2 示范县自然资源局2025年部门收入总表", "单位：万元", "",
                      *cells, ""])
    result, _text = run_text(tmp_path, text)
    (unread,) = result.unread
    assert unread.kind == "income_summary"
    assert "one cell per line" in unread.reason and "needs the LLM reader" in unread.reason
    (flag,) = [f for f in result.flags if f.check == "completeness.unread"]
    assert "每行一个单元格" in flag.message
