"""Messages show amounts in 元 grouped by thousands, as the documents print them (1,922,200.00 元; trial 21d), and
amounts in 万元 as before; a flag's ``expected`` and ``found`` stay plain decimals for programs.

Generated here (hand-written fixtures in the form of trial 21d's docB, not real disclosures), each with a planted
fault; the trial's wording is one formatting function (``verify.flags.fmt``) for every message.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from textlayouts import layouts, run_text
from verify.flags import fmt

EXPENDITURE = """示范县生态环境局2025年部门预算

表3 示范县生态环境局2025年部门支出总表
单位：{unit}
科目编码\t科目名称\t合计\t基本支出\t项目支出
211\t节能环保支出\t{total}\t{basic}\t{project}
21101\t环境保护管理事务\t{total}\t{basic}\t{project}
2110101\t行政运行\t{total}\t{basic}\t{project}
\t合计\t{total}\t{basic}\t{project}
"""


def test_the_one_function_groups_yuan_and_nothing_else():
    assert fmt(Decimal("1922200.00"), "元") == "1,922,200.00"
    assert fmt(Decimal("-200000.00"), "元") == "-200,000.00"
    assert fmt(Decimal("999.50"), "元") == "999.50"
    assert fmt(Decimal("19222.20"), "万元") == "19222.20"  # 万元 as the national templates print it
    assert fmt(Decimal("61.67"), "%") == "61.67"
    assert fmt(Decimal("1922200.00")) == "1922200.00"  # no unit: a plain number (an id, a count, a field)


@pytest.mark.parametrize("form", ["tab", "pipe"])
def test_a_sum_in_yuan_is_worded_with_thousands_separators(tmp_path, form):
    text = EXPENDITURE.format(unit="元", total="1,922,200.00", basic="1,500,000.00", project="432,200.00")
    result, _ = run_text(tmp_path, layouts()[form](text))
    flags = [f for f in result.flags if f.check == "table.row_sum"]  # each of the four lines
    assert len(flags) == 4, [f.message for f in result.flags]
    flag = flags[0]
    assert "1,922,200.00 ≠" in flag.message and "1,500,000.00 + " in flag.message and "432,200.00" in flag.message
    assert "= 1,932,200.00（差 -10,000.00" in flag.message, flag.message
    assert "1,922,200.00" in flag.message_en
    # The fields a program reads stay plain decimals.
    assert flag.expected == "1932200.00" and flag.found == "1922200.00"


def test_a_sum_in_wanyuan_reads_as_before(tmp_path):
    text = EXPENDITURE.format(unit="万元", total="19222.00", basic="15000.00", project="4322.00")
    result, _ = run_text(tmp_path, text)
    messages = [f.message for f in result.flags if f.check == "table.row_sum"]
    assert messages and "19222.00 ≠" in messages[0] and "," not in messages[0], messages
