"""How a flag names what it points at (trial 21d): a total column by the word the table prints (合计 or 总计), and a
table of one line printed across (the 三公 table with a column per item) by its name alone, with no empty row
label and no doubled space.

Generated here (hand-written fixtures, not real disclosures), each with one planted fault.
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

PROJECTS = """示范县水务局2025年部门预算

表9 示范县水务局2025年项目支出表
单位：万元
项目名称\t{total}\t一般公共预算\t政府性基金预算
河道清淤\t60.00\t60.00\t
农村饮水安全\t160.00\t150.00\t
{total}\t220.00\t210.00\t
"""

THREE_PUBLIC = """示范县水务局2025年部门预算

表8 示范县水务局2025年一般公共预算“三公”经费支出表
单位：元
合计\t因公出国（境）费\t公务用车购置及运行维护费\t公务接待费
32,000.00\t0.00\t24,000.00\t6,000.00
"""


@pytest.mark.parametrize("total", ["合计", "总计"])
def test_a_total_column_is_named_as_printed(tmp_path, total):
    result, _text = run_text(tmp_path, PROJECTS.format(total=total))
    messages = [f.message for f in result.flags if f.check == "table.row_sum"]
    assert messages and messages[0].startswith(f"项目支出表 农村饮水安全: {total} 160.00 ≠"), messages


def test_a_table_of_one_line_across_is_named_by_its_title_alone(tmp_path):
    result, _text = run_text(tmp_path, THREE_PUBLIC)
    messages = [f.message for f in result.flags]
    assert any(m.startswith("“三公”经费支出表: 合计 32,000.00 ≠") for m in messages), messages
    assert not any("  " in m or " :" in m for m in messages), messages
