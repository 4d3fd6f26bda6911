"""A 收支总表 printed as one list (项目 | 预算数: the income lines, then the spending lines under them), as some
counties' Word templates print it, is read as the side-by-side form is: each line on its block's side, its figure
under income_amount or expenditure_amount — so the table's sums and its comparison with the 支出总表 are checked.
Documents generated here (a made-up bureau, figures made up to add up).
"""

from __future__ import annotations

import pytest
from conftest import read_generated


INCOME = [("（一）一般公共预算拨款收入", "3293.85"), ("（二）政府性基金预算拨款收入", ""), ("（三）事业收入", "50.00"),
          ("本年收入合计", "3343.85"), ("上年结转结余", "200.00"), ("收入总计", "3543.85")]
SPENDING = [("（一）社会保障和就业支出", "125.30"), ("（二）卫生健康支出", "49.20"), ("（三）交通运输支出", "3283.95"),
            ("（四）住房保障支出", "85.40"), ("本年支出合计", "3543.85"), ("年终结转结余", ""), ("支出总计", "3543.85")]
EXPENDITURE = [("", "合计", "3543.85"), ("208", "社会保障和就业支出", "125.30"), ("210", "卫生健康支出", "49.20"),
               ("214", "交通运输支出", "3283.95"), ("221", "住房保障支出", "85.40")]


def document(income=INCOME, spending=SPENDING, headings: bool | tuple[str, str] = True, sep: str = "\t") -> str:
    def line(*cells):
        return f"| {' | '.join(cells)} |" if sep == "|" else sep.join(cells)

    summary = [line("项目", "预算数")]
    if sep == "|":
        summary.append("|---|---|")
    income_heading, spending_heading = headings if isinstance(headings, tuple) else ("一、收入", "二、支出")
    summary += ([line(income_heading, "")] if headings else []) + [line(*r) for r in income]
    summary += ([line(spending_heading, "")] if headings else []) + [line(*r) for r in spending]
    head = [line("科目编码", "科目名称", "合计")] + (["|---|---|---|"] if sep == "|" else [])
    expenditure = head + [line(*r) for r in EXPENDITURE]
    return ("某市交通运输局2025年部门预算公开\n\n表1 部门收支总表\n\n单位：万元\n\n" + "\n".join(summary)
            + "\n\n表3 部门支出总表\n\n单位：万元\n\n" + "\n".join(expenditure) + "\n")


def read(text: str):
    return read_generated(text, "stacked")


def summary_values(result) -> dict[str, tuple[str, str, str]]:
    table = next(t for t in result.tables if t.kind == "income_expenditure_summary")
    return {row.label.text: (row.side, key, str(amount.value))
            for row in table.rows for key, amount in row.values.items()}


@pytest.mark.parametrize("sep", ["\t", "|"])
# A bare 收入 line under the header is the income block's heading, not a header row (trial 26, finding 05).
@pytest.mark.parametrize("headings", [True, False, ("收入", "支出")])
def test_stacked_summary_lines_are_read_on_their_block_side(sep, headings):
    result = read(document(headings=headings, sep=sep))
    got = summary_values(result)
    assert got["（三）事业收入"] == ("income", "income_amount", "50.00")
    assert got["收入总计"] == ("income", "income_amount", "3543.85")
    assert got["（二）卫生健康支出"] == ("expenditure", "expenditure_amount", "49.20")
    assert got["支出总计"] == ("expenditure", "expenditure_amount", "3543.85")
    assert [f.message for f in result.flags if f.severity == "error"] == []
    assert not [f for f in result.flags if f.check == "read.unplaced"]


def test_stacked_summary_changed_figures_are_flagged():
    income = [(n, "55.00" if n == "（三）事业收入" else v) for n, v in INCOME]
    spending = [(n, "49.30" if n == "（二）卫生健康支出" else v) for n, v in SPENDING]
    result = read(document(income, spending))
    errors = [(f.check, f.message) for f in result.flags if f.severity == "error"]
    assert any(check == "table.summary" and "55.00" in m for check, m in errors), errors
    assert any(check == "table.summary" and "49.30" in m for check, m in errors), errors
    assert any(check == "cross.summary" and "49.30" in m for check, m in errors), errors
