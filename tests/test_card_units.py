"""The unit of a card's amounts, and the units its cost indicators print.

- A card printed in 元 says so as tables do: a unit line (单位：元, 金额单位：元) or a budget label with the unit in
  brackets (项目资金（元）, 资金来源(元), 预算金额（元） over a department card's task grid). Its budget is read in 元 and
  every check on it (the cost indicators, its project's row in the 项目支出表) compares in one unit.
- A cost indicator in 万 or 亿元 (≤2000万, ≤0.2亿元) is compared with the budget as one in 元 or 万元 is.

The cards are generated here (hand-written fixtures in the shapes of other provinces' cards).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from textlayouts import left_aligned, pipes, run_text

PROJECTS = """青山县文化旅游局2025年项目支出表
单位：万元
项目名称\t合计\t财政拨款\t上年结转
文化惠民演出\t1922.22\t1900.00\t22.22
非遗保护传承\t85.50\t85.50\t0.00
合计\t2007.72\t1985.50\t22.22

"""

# A card whose unit line and budget label are filled in per test; the cost line too.
CARD = """项目支出绩效目标表
{unit_line}
项目名称\t{name}
实施单位\t青山县文化馆
{label}\t年度资金总额:\t{total}
\t其中:财政拨款\t{fiscal}
\t上年结转\t{carry}
\t其他资金\t0.00
年度目标\t全年组织送戏下乡演出不少于300场。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
\t成本指标\t项目总成本\t{cost}
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%
"""

IN_YUAN = dict(total="19222200.00", fiscal="19000000.00", carry="222200.00")
IN_WAN = dict(total="1922.22", fiscal="1900.00", carry="22.22")
# Ways a card says its amounts are in 元: (the line under the title, the budget group's label).
SAYS_YUAN = {
    "unit_line": ("单位：元", "项目资金"),
    "amount_unit_line": ("金额单位：元", "项目资金"),
    "budget_label": ("", "项目资金（元）"),
    "source_label": ("", "资金来源(元)"),
}
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}


def _run(tmp_path, text: str, layout: str = "tab"):
    return run_text(tmp_path, "青山县文化旅游局2025年部门预算\n\n" + LAYOUTS[layout](text), "card.txt")[0]


def _card(unit_line: str, label: str, amounts: dict, cost: str = "≤1922.22万元", name: str = "文化惠民演出") -> str:
    return CARD.format(unit_line=unit_line, label=label, cost=cost, name=name, **amounts)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("says", SAYS_YUAN)
def test_a_card_that_says_its_amounts_are_in_yuan_is_read_in_yuan_and_checked_against_its_project_in_wan(
        tmp_path, says, layout):
    unit_line, label = SAYS_YUAN[says]
    result = _run(tmp_path, PROJECTS + _card(unit_line, label, IN_YUAN), layout)
    (card,) = result.cards
    assert card.unit == "元"
    assert card.budget.total.value == Decimal("19222200.00")
    assert card.unit_text is not None and "元" in card.unit_text.text
    # 19222200.00 元 is the 项目支出表's 1922.22 万元: held, not a false error; and the budget adds up.
    assert [f for f in result.flags if f.severity == "error"] == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_card_in_yuan_that_disagrees_with_its_project_is_an_error_naming_both_units(tmp_path, layout):
    amounts = dict(total="19322200.00", fiscal="19100000.00", carry="222200.00")
    result = _run(tmp_path, PROJECTS + _card("单位：元", "项目资金", amounts), layout)
    (flag,) = [f for f in result.flags if f.check == "cross.card_budget"]
    assert "19,322,200.00 元" in flag.message and "1922.22 万元" in flag.message


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("says", SAYS_YUAN)
def test_a_cost_in_yuan_over_a_budget_in_yuan_is_flagged(tmp_path, says, layout):
    unit_line, label = SAYS_YUAN[says]
    result = _run(tmp_path, _card(unit_line, label, IN_YUAN, cost="≤25000000元"), layout)
    (flag,) = [f for f in result.flags if f.check == "card.cost"]
    assert "2500 万元" in flag.message and "19,222,200.00 元" in flag.message


def test_a_cost_within_a_budget_in_yuan_is_not_flagged(tmp_path):
    result = _run(tmp_path, _card("单位：元", "项目资金", IN_YUAN, cost="≤19000000元"))
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("unit_line,label", [("单位：万元", "项目资金"), ("", "项目资金"), ("", "项目资金（万元）")])
def test_a_card_in_wan_or_saying_no_unit_stays_in_wan(tmp_path, unit_line, label):
    result = _run(tmp_path, PROJECTS + _card(unit_line, label, IN_WAN))
    (card,) = result.cards
    assert card.unit == "万元"
    assert [f for f in result.flags if f.severity == "error"] == []


def test_a_money_unit_in_an_indicators_name_is_the_indicators_own_not_the_cards(tmp_path):
    text = _card("", "项目资金", IN_WAN).replace("送戏下乡演出场次\t≥300场", "人均补助标准（元）\t≤500元")
    (card,) = _run(tmp_path, text).cards
    assert card.unit == "万元" and card.unit_text is None


def test_the_budget_of_a_card_in_yuan_is_exported_in_yuan(tmp_path):
    from extractor.export import result_facts

    result = _run(tmp_path, _card("单位：元", "项目资金", IN_YUAN))
    budget = [f for f in result_facts(result) if f["column"] == "budget_total"]
    assert [(f["value"], f["unit"]) for f in budget] == [("19222200.00", "元")]


DEPT = """青山县文化旅游局部门整体支出绩效目标表
{unit_line}
部门名称\t青山县文化旅游局
年度主要任务\t任务名称\t主要内容\t{money}\t\t
\t\t\t总额\t财政拨款\t其他资金
\t文化惠民演出\t送戏下乡\t19222200.00\t19000000.00\t222200.00
\t机关运行保障\t日常运转\t5000000.00\t5000000.00\t0.00
\t金额合计\t\t24222200.00\t24000000.00\t222200.00
年度总体目标\t全年送戏下乡演出300场以上。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
\t成本指标\t部门预算总额\t≤{cost}元
"""


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("unit_line,money", [("单位：元", "预算金额"), ("", "预算金额（元）")])
def test_a_department_cards_task_grid_in_yuan_is_read_in_yuan(tmp_path, unit_line, money, layout):
    result = _run(tmp_path, DEPT.format(unit_line=unit_line, money=money, cost="24222200"), layout)
    (card,) = result.cards
    assert card.unit == "元"
    assert card.tasks_total.total.value == Decimal("24222200.00")
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("cost,over", [
    ("≤2000万", True), ("≤0.2亿元", True), ("≤0.2亿", True), ("≤2000万元", True), ("≤20000000元", True),
    ("≤1900万", False), ("≤0.19亿元", False), ("≤500万元/场", False),
])
def test_a_cost_in_wan_or_yi_is_compared_with_the_budget(tmp_path, cost, over):
    result = _run(tmp_path, _card("", "项目资金", IN_WAN, cost=cost))
    flags = [f for f in result.flags if f.check == "card.cost"]
    assert len(flags) == (1 if over else 0)
    if over:
        assert "2000 万元" in flags[0].message and "1922.22 万元" in flags[0].message
