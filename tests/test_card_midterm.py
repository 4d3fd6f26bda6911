"""The multi-year template: a card printing the whole project period's goal, budget and targets beside the year's
(实施期目标 | 年度目标, 实施期资金总额 | 年度资金总额, 实施期指标值 | 年度指标值). The year's are the card's goal, budget and
targets — its budget checked against its parts, its cost indicators and its project's row; the period's are kept as
the period's (midterm_goals, midterm_budget, midterm_target), never a goal lost, a budget taken for the year's, or a
figure reported unread.

The cards are generated here (hand-written fixtures in the shape of the central template).
"""

from __future__ import annotations

import pytest

from textlayouts import left_aligned, pipes, run_text

PROJECTS = """青山县文化旅游局2025年项目支出表
单位：万元
项目名称\t合计\t财政拨款\t上年结转
文化惠民演出\t1922.22\t1900.00\t22.22
合计\t1922.22\t1900.00\t22.22

"""
HEAD = """项目支出绩效目标表
项目名称\t文化惠民演出\t\t\t
实施单位\t青山县文化馆\t项目期\t3年\t
"""
BUDGET_ONE = """项目资金（万元）\t年度资金总额\t1922.22\t\t
\t其中：财政拨款\t1900.00\t\t
\t上年结转\t22.22\t\t
"""
BUDGET_TWO = """项目资金（万元）\t\t{mid_head}\t{year_head}\t
\t资金总额\t5500.00\t{total}\t
\t其中：财政拨款\t5400.00\t1900.00\t
\t上年结转\t100.00\t22.22\t
"""
MID = "三年内完成全县各乡镇文化站演出全覆盖，累计演出900场以上。"
YEAR = "全年组织送戏下乡演出不少于300场，丰富群众文化生活。"
GOALS = {
    "keys_above": f"总体目标\t实施期目标\t\t年度目标\t\n\t{MID}\t\t{YEAR}\t\n",
    "years_in_keys": f"中期目标（2025-2027年）\t\t年度目标（2025年）\t\t\n{MID}\t\t{YEAR}\t\t\n",
    "same_row": f"实施期目标\t{MID}\t年度目标\t{YEAR}\t\n",
}
GRID = """一级指标\t二级指标\t三级指标\t实施期指标值\t年度指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥900场\t≥300场
\t成本指标\t项目总成本\t≤5500万元\t{cost}
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%\t≥95%
"""
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}


def _run(tmp_path, body: str, layout: str):
    text = "青山县文化旅游局2025年部门预算\n\n" + PROJECTS + LAYOUTS[layout](body)
    return run_text(tmp_path, text, "card.txt")[0]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("goals", GOALS)
def test_the_periods_goal_and_targets_are_kept_beside_the_years(tmp_path, goals, layout):
    result = _run(tmp_path, HEAD + BUDGET_ONE + GOALS[goals] + GRID.format(cost="≤1922.22万元"), layout)
    (card,) = result.cards
    assert [g.text for g in card.goals] == [YEAR]
    assert [g.text for g in card.midterm_goals] == [MID]
    got = [(i.name.text, i.midterm_target.text, i.comparator, i.value.raw) for i in card.indicators]
    assert got == [("送戏下乡演出场次", "≥900场", "≥", "300"), ("项目总成本", "≤5500万元", "≤", "1922.22"),
                   ("群众满意度", "≥95%", "≥", "95")]
    # The period's figures are read into its field: no read.unparsed, no unknown column.
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("heads", [("实施期资金总额", "年度资金总额"), ("中期资金总额", "本年度资金总额"),
                                   ("实施期预算数", "年度预算数")])
def test_the_years_budget_column_is_the_cards_budget_and_the_periods_kept(tmp_path, heads, layout):
    body = HEAD + BUDGET_TWO.format(mid_head=heads[0], year_head=heads[1], total="1922.22") + \
        f"年度目标\t{YEAR}\t\t\t\n" + GRID.format(cost="≤1922.22万元")
    result = _run(tmp_path, body, layout)
    (card,) = result.cards
    b, m = card.budget, card.midterm_budget
    assert [str(x.value) for x in (b.total, b.fiscal, b.carryover)] == ["1922.22", "1900.00", "22.22"]
    assert [str(x.value) for x in (m.total, m.fiscal, m.carryover)] == ["5500.00", "5400.00", "100.00"]
    assert [f.check for f in result.flags] == []  # held against the 项目支出表's 1922.22; nothing unread


@pytest.mark.parametrize("layout", LAYOUTS)
def test_checks_use_the_years_budget(tmp_path, layout):
    body = HEAD + BUDGET_TWO.format(mid_head="实施期资金总额", year_head="年度资金总额", total="1932.22") + \
        f"年度目标\t{YEAR}\t\t\t\n" + GRID.format(cost="≤2000万元")
    result = _run(tmp_path, body, layout)
    # The year's 1932.22 ≠ 1900.00 + 22.22 and ≠ the project's 1922.22; the cost 2000 over the year's budget.
    assert sorted(f.check for f in result.flags) == ["card.budget", "card.cost", "cross.card_budget"]
