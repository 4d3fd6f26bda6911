"""The department card's task-budget grid (年度主要任务 | 任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金) where its 金额合计 line
prints its words in the grid's key column, left of the tasks' names (a cell merged over 年度主要任务's column): the line
is the grid's total, checked against the tasks and the card's 预算数, never a task of no name. The card's unit name under
部门（单位）名称 is its department.

The cards are generated here (hand-written fixtures in the shape of other provinces' cards).
"""

from __future__ import annotations

import pytest

from textlayouts import left_aligned, pipes, run_text

DEPT = """青山县文化旅游局部门（单位）整体支出绩效目标表
部门（单位）名称\t青山县文化旅游局\t\t\t\t
{budget}年度主要任务\t任务名称\t主要内容\t预算金额（万元）\t\t
\t\t\t总额\t财政拨款\t其他资金
\t文化惠民演出\t送戏下乡\t1922.22\t1900.00\t22.22
\t机关运行保障\t日常运转\t500.00\t500.00\t0.00
{total_key}\t{total_name}\t\t{total}\t{fiscal}\t22.22
年度总体目标\t全年送戏下乡演出300场以上。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
"""
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}
WHERE = {"key_column": ("金额合计", ""), "name_column": ("", "金额合计"), "key_column_合计": ("合计", "")}


def _run(tmp_path, layout: str, where: str, total: str = "2422.22", fiscal: str = "2400.00", budget: str = ""):
    key, name = WHERE[where]
    text = DEPT.format(total_key=key, total_name=name, total=total, fiscal=fiscal, budget=budget)
    return run_text(tmp_path, "青山县文化旅游局2025年部门预算\n\n" + LAYOUTS[layout](text), "dept.txt")[0]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("where", WHERE)
def test_the_total_line_is_the_grids_total_wherever_its_words_stand(tmp_path, layout, where):
    result = _run(tmp_path, layout, where)
    (card,) = result.cards
    assert [t.name.text for t in card.tasks] == ["文化惠民演出", "机关运行保障"]
    assert (str(card.tasks_total.total.value), str(card.tasks_total.fiscal.value)) == ("2422.22", "2400.00")
    assert card.department.text == "青山县文化旅游局"
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("where", WHERE)
def test_a_total_line_over_its_tasks_is_flagged_though_it_adds_up_across(tmp_path, layout, where):
    result = _run(tmp_path, layout, where, total="2432.22", fiscal="2410.00")
    flags = sorted((f.check, f.found) for f in result.flags)
    assert flags == [("card.tasks", "2410.00"), ("card.tasks", "2432.22")]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_cards_budget_is_checked_against_the_grids_total(tmp_path, layout):
    budget = "年度预算数（万元）\t预算数\t2600.00\t财政拨款\t2577.78\t其他资金\t22.22\n"
    result = _run(tmp_path, layout, "key_column", budget=budget)
    assert [(f.check, f.found) for f in result.flags] == [("card.tasks", "2600.00")]
