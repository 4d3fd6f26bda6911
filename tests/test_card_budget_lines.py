"""A card's budget in the other shapes templates print it: the fiscal money as its sources (一般公共预算 | 政府性基金预算
in place of one 财政拨款 line), 财政拨款 with a 其中 breakdown under it (本级财政 | 上级补助), and the budget as a header
row of its parts over a row of figures. Each is read and checked: the budget = its parts, the 其中 lines = 财政拨款, never
a sum of parts that were not read.

The cards are generated here (hand-written fixtures in the shapes of other provinces' cards).
"""

from __future__ import annotations

import pytest

from textlayouts import left_aligned, pipes, run_text

CARD = """项目支出绩效目标表
项目名称\t文化惠民演出\t\t\t\t
{budget}年度目标\t全年组织送戏下乡演出300场。\t\t\t\t
一级指标\t二级指标\t三级指标\t指标值\t\t
产出指标\t数量指标\t送戏下乡演出场次\t≥300场\t\t
"""
SOURCES = """项目资金（万元）\t年度资金总额:\t{total}\t\t\t
\t其中:一般公共预算\t1800.00\t\t\t
\t政府性基金预算\t100.00\t\t\t
\t上年结转\t22.22\t\t\t
\t其他资金\t0.00\t\t\t
"""
BREAKDOWN = """项目资金（万元）\t年度资金总额:\t1922.22\t\t\t
\t其中:财政拨款\t1900.00\t\t\t
\t其中：本级财政\t{own}\t\t\t
\t上级补助\t400.00\t\t\t
\t上年结转\t22.22\t\t\t
"""
HEADER_ROW = """资金来源（万元）\t年度资金总额\t财政拨款\t上年结转\t其他资金\t
\t{total}\t1900.00\t22.22\t0.00\t
"""
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}


def _run(tmp_path, budget: str, layout: str):
    text = "青山县文化旅游局2025年部门预算\n\n" + LAYOUTS[layout](CARD.format(budget=budget))
    return run_text(tmp_path, text, "card.txt")[0]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("total,flagged", [("1922.22", []), ("1932.22", ["1932.22"])])
def test_the_fiscal_money_as_its_sources_is_read_and_summed(tmp_path, total, flagged, layout):
    result = _run(tmp_path, SOURCES.format(total=total), layout)
    (card,) = result.cards
    assert {k: str(v.value) for k, v in card.budget.sources.items()} == {"一般公共预算": "1800.00", "政府性基金预算": "100.00"}
    assert card.budget.fiscal is None
    assert [(f.check, f.found) for f in result.flags] == [("card.budget", x) for x in flagged]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("own,flagged", [("1500.00", []), ("1400.00", ["1900.00"])])
def test_a_breakdown_of_the_fiscal_money_is_its_own_sum_never_added_to_the_budget(tmp_path, own, flagged, layout):
    result = _run(tmp_path, BREAKDOWN.format(own=own), layout)
    (card,) = result.cards
    assert str(card.budget.fiscal.value) == "1900.00" and set(card.budget.sources) == {"本级财政", "上级补助"}
    assert [(f.check, f.found) for f in result.flags] == [("card.budget", x) for x in flagged]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("total,flagged", [("1922.22", []), ("1932.22", ["1932.22"])])
def test_the_budget_as_a_header_row_over_its_figures_is_read(tmp_path, total, flagged, layout):
    result = _run(tmp_path, HEADER_ROW.format(total=total), layout)
    (card,) = result.cards
    b = card.budget
    assert [str(x.value) for x in (b.total, b.fiscal, b.carryover, b.other)] == [total, "1900.00", "22.22", "0.00"]
    assert [(f.check, f.found) for f in result.flags] == [("card.budget", x) for x in flagged]
