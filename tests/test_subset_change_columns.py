"""A 其中 line in a change (增减额) or rate column (trial 26, finding 18).

"A part is at most its whole" holds for amounts, not for changes: a part of a decrease is a smaller decrease
(其中：办公费 -2.00 of 机关运行经费合计 -4.80), and the lines of a change need not share its sign. So the subset
check skips change and rate columns, and still catches a 其中 line larger than its whole in the amount columns.
Generated here (a hand-written table in tab, pipe and space-aligned text), not a real disclosure.
"""

from __future__ import annotations

import pytest

from textlayouts import layouts, run_text

HEADER = "项目\t2023年预算数\t2024年预算数\t增减额\t增减率"


def _text(office_2024: str = "40.00") -> str:
    rows = [HEADER,
            "机关运行经费合计\t145.00\t140.20\t-4.80\t-3.31%",
            f"其中：办公费\t42.00\t{office_2024}\t-2.00\t-4.76%",
            "差旅费\t26.00\t25.00\t-1.00\t-3.85%"]
    return "\n".join(["示范县教育局2024年部门预算", "", "示范县教育局2024年机关运行经费预算表", "单位：万元",
                      *rows, ""])


@pytest.mark.parametrize("layout", ["tab", "pipe", "spaced"])
def test_a_smaller_decrease_is_not_blamed(tmp_path, layout):
    result, _ = run_text(tmp_path, layouts(labels=(24,))[layout](_text()))
    assert [t.kind for t in result.tables] == ["other_table"]
    assert not [f.message for f in result.flags if f.check == "table.subset"]


@pytest.mark.parametrize("layout", ["tab", "pipe", "spaced"])
def test_a_memo_line_larger_than_its_whole_is_still_caught(tmp_path, layout):
    result, _ = run_text(tmp_path, layouts(labels=(24,))[layout](_text(office_2024="150.00")))
    messages = [f.message for f in result.flags if f.check == "table.subset"]
    assert len(messages) == 1 and "150.00" in messages[0] and "140.20" in messages[0], messages
