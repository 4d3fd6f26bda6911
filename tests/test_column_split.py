"""A table too wide for its page printed by columns: the left columns on one page, the right ones on the next under
their own header (续表), with the rows' codes and names printed again. The right half's figures are the same rows'
other columns: joined to them by code (or by name where there is none), never second copies of the rows
(``income_summary[201#2]``) that then fail every sum.

The tables are generated here (hand-written fixtures in the shape of the national 收入总表, figures made up), in tab,
pipe and space-aligned text.
"""

from __future__ import annotations

import pytest

from textlayouts import layouts, run_text
from verify.grounding import amount_slots

# code, name, 合计, 本年收入小计, 一般公共预算拨款, 政府性基金预算拨款, 上年结转
ROWS = [("", "合计", "1410.00", "1380.00", "1300.00", "80.00", "30.00"),
        ("201", "一般公共服务支出", "520.00", "520.00", "520.00", "", ""),
        ("20103", "政府办公厅（室）及相关机构事务", "520.00", "520.00", "520.00", "", ""),
        ("2010301", "行政运行", "400.00", "400.00", "400.00", "", ""),
        ("2010350", "事业运行", "120.00", "120.00", "120.00", "", ""),
        ("212", "城乡社区支出", "80.00", "80.00", "", "80.00", ""),
        ("21208", "国有土地使用权出让收入安排的支出", "80.00", "80.00", "", "80.00", ""),
        ("2120803", "城市建设支出", "80.00", "80.00", "", "80.00", ""),
        ("213", "农林水支出", "810.00", "780.00", "780.00", "", "30.00"),
        ("21307", "农村综合改革", "810.00", "780.00", "780.00", "", "30.00"),
        ("2130705", "对村民委员会和村党支部的补助", "810.00", "780.00", "780.00", "", "30.00")]
KEYS = ("total", "income_subtotal", "general_budget", "government_fund", "carryover")

TITLE = "东岭区民政局2025年部门收入总表"


def _table(rows, continued: str) -> str:
    left = ["科目编码\t科目名称\t合计\t本年收入", "\t\t\t小计"] + ["\t".join(r[:4]) for r in rows]
    right = ["科目编码\t科目名称\t本年收入\t\t上年结转", "\t\t一般公共预算拨款\t政府性基金预算拨款\t"] + \
        ["\t".join(r[:2] + r[4:]) for r in rows]
    return (f"东岭区民政局2025年部门预算\n\n{TITLE}\n单位：万元\n" + "\n".join(left) + "\n\n— 3 —\n\f\n"
            + continued + "单位：万元\n" + "\n".join(right) + "\n")


LAYOUTS = layouts(labels=(10, 36), figures=20)
CONTINUED = {"续表": "续表\n", "title with （续）": f"{TITLE}（续）\n"}


def _run(tmp_path, text: str):
    return run_text(tmp_path, text)[0]


def _expected(rows) -> dict[str, str]:
    out = {}
    for code, _name, *figures in rows:
        for key, figure in zip(KEYS, figures):
            if figure:
                out[f"income_summary[{code or 'total'}].{key}"] = figure
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("continued", CONTINUED)
def test_the_right_half_of_a_table_split_by_columns_joins_its_rows(tmp_path, continued, layout):
    result = _run(tmp_path, LAYOUTS[layout](_table(ROWS, CONTINUED[continued])))
    [table] = result.tables
    assert len(table.rows) == len(ROWS)
    got = {slot.path: str(slot.amount.value) for slot in amount_slots(result)}
    assert got == _expected(ROWS)
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("layout", ["tab", "pipe"])
def test_a_wrong_figure_in_the_right_half_is_caught_in_its_row(tmp_path, layout):
    rows = [r if r[0] != "2010350" else ("2010350", "事业运行", "120.00", "120.00", "120.10", "", "") for r in ROWS]
    result = _run(tmp_path, LAYOUTS[layout](_table(rows, "续表\n")))
    errors = {f.check for f in result.flags if f.severity == "error"}
    assert "table.row_sum" in errors or "table.hierarchy" in errors
    assert not [f for f in result.flags if "#2" in f.message]


def test_a_page_that_prints_the_same_columns_again_is_no_right_half(tmp_path):
    """Rows printed twice under the same columns are not joined (a value would be overwritten): they stay rows."""
    left = ["科目编码\t科目名称\t合计\t本年收入", "\t\t\t小计"] + ["\t".join(r[:4]) for r in ROWS]
    text = (f"东岭区民政局2025年部门预算\n\n{TITLE}\n单位：万元\n" + "\n".join(left) + "\n\n— 3 —\n\f\n续表\n"
            + "\n".join(left) + "\n")
    result = _run(tmp_path, text)
    assert len(result.tables[0].rows) == 2 * len(ROWS)

