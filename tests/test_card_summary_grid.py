"""Cards printed as one summary grid: the card's labels (项目名称 | 实施单位 | 年度资金总额 | 财政拨款 | 年度目标) in the
indicator header's row, one block of rows per project with the project's cells on its first row only. Each block is a
card of its own, its labels' cells its fields, so its budget is checked (its parts, the 项目支出表) and its indicators
are told apart by project.

The grids are generated here (hand-written fixtures in the shapes other provinces print), in tab, pipe and
space-aligned text, with the labels in two orders and with or without a 项目编码 column.
"""

from __future__ import annotations

import pytest

from textlayouts import left_aligned, pipes, run_text

PROJECTS = """青山县文化旅游局2025年项目支出表
单位：万元
项目名称\t合计\t财政拨款\t上年结转
文化惠民演出\t1922.22\t1900.00\t22.22
非遗保护传承\t95.50\t75.00\t20.50
合计\t2017.72\t1975.00\t42.72

"""

# name, code, unit, (total, fiscal, carryover), goal, indicators (level1, level2, name, target)
BLOCKS = [
    ("文化惠民演出", "34122525P000000100011", "青山县文化馆", ("1922.22", "1900.00", "22.22"), "全年组织送戏下乡演出。",
     [("产出指标", "数量指标", "送戏下乡演出场次", "≥300场"), ("", "", "惠及群众人次", "10000人次"),
      ("", "成本指标", "项目总成本", "≤1922.22万元"), ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%")]),
    # Its budget disagrees with the 项目支出表 (85.50 against 95.50), and its parts do not add up (60.00 + 20.50).
    ("非遗保护传承", "34122525P000000100012", "青山县非遗保护中心", ("85.50", "60.00", "20.50"), "开展传承人培训。",
     [("产出指标", "数量指标", "非遗项目保护数量", "＝12项"), ("", "质量指标", "传承活动完成质量", "优"),
      ("满意度指标", "服务对象满意度指标", "传承人满意度", "≥90%")]),
]
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}
# The labels' order across provinces' grids: the project first, or the indicators' levels first.
ORDERS = {
    "project_first": ("项目名称", "实施单位", "年度资金总额（万元）", "财政拨款", "上年结转", "年度目标",
                      "一级指标", "二级指标", "三级指标", "指标值"),
    "with_code": ("项目编码", "项目名称", "实施单位", "资金总额", "其中:财政拨款", "上年结转", "年度目标",
                  "一级指标", "二级指标", "三级指标", "指标值"),
}


def _grid(order: tuple[str, ...]) -> str:
    rows = ["\t".join(order)]
    for name, code, unit, (total, fiscal, carry), goal, indicators in BLOCKS:
        for n, (l1, l2, ind, target) in enumerate(indicators):
            first = n == 0
            cells = {"项目编码": code, "项目名称": name, "实施单位": unit, "资金总额": total, "财政拨款": fiscal,
                     "上年结转": carry, "年度目标": goal, "一级指标": l1, "二级指标": l2, "三级指标": ind, "指标值": target}
            row = []
            for label in order:
                key = next(k for k in cells if k in label)
                project_cell = key not in ("一级指标", "二级指标", "三级指标", "指标值")
                row.append(cells[key] if first or not project_cell else "")
            rows.append("\t".join(row))
    return "\n".join(rows) + "\n"


def _read(tmp_path, layout: str, order: str):
    text = ("青山县文化旅游局2025年部门预算\n\n" + PROJECTS + "青山县文化旅游局2025年项目支出绩效目标表\n单位：万元\n"
            + LAYOUTS[layout](_grid(ORDERS[order])))
    return run_text(tmp_path, text, "grid.txt")[0]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_project_block_of_a_summary_grid_is_a_card_with_its_fields(tmp_path, layout, order):
    result = _read(tmp_path, layout, order)
    got = [(c.project_name.text, c.implementing_unit.text, [g.text for g in c.goals],
            tuple(str(getattr(c.budget, k).value) for k in ("total", "fiscal", "carryover")),
            [i.name.text for i in c.indicators]) for c in result.cards]
    assert got == [(name, unit, [goal], budget, [i[2] for i in indicators])
                   for name, _, unit, budget, goal, indicators in BLOCKS]
    if "项目编码" in ORDERS[order]:
        assert [c.project_code.text for c in result.cards] == [b[1] for b in BLOCKS]
    assert len({c.section_id for c in result.cards}) == 2
    # The label cells are the cards' fields: none kept as an unknown column, none of their figures unread.
    assert not [i.other for c in result.cards for i in c.indicators if i.other]
    assert not [c.unparsed for c in result.cards if c.unparsed]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_summary_grid_cards_budget_is_checked_against_its_parts_and_its_project(tmp_path, layout, order):
    result = _read(tmp_path, layout, order)
    flags = sorted((f.check, f.found) for f in result.flags)
    assert flags == [("card.budget", "85.50"), ("cross.card_budget", "85.50")]
    (budget,) = [f for f in result.flags if f.check == "card.budget"]
    assert "非遗保护传承" in budget.message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_summary_grid_cell_wrapped_over_the_blocks_rows_stays_the_cards(tmp_path, layout):
    """The goal and the implementing unit wrapped in their narrow columns over the block's next rows (beside those
    rows' indicators): the card's goal and unit, no indicator lost. (Delimited rows keep each line's piece as printed:
    a goal in two cells is two goals, never joined by guess.)"""
    rows = _grid(ORDERS["project_first"]).split("\n")
    goal, unit = ORDERS["project_first"].index("年度目标"), ORDERS["project_first"].index("实施单位")
    pieces = {1: ("全年组织送戏", "青山县文化"), 2: ("下乡演出，", "馆"), 3: ("丰富生活。", "")}
    for n, (g, u) in pieces.items():
        cells = rows[n].split("\t")
        cells[goal], cells[unit] = g, u
        rows[n] = "\t".join(cells)
    text = ("青山县文化旅游局2025年部门预算\n\n" + PROJECTS + "青山县文化旅游局2025年项目支出绩效目标表\n单位：万元\n"
            + LAYOUTS[layout]("\n".join(rows)))
    result = run_text(tmp_path, text, "grid.txt")[0]
    first = result.cards[0]
    assert [i.name.text for i in first.indicators] == [i[2] for i in BLOCKS[0][5]]
    assert "".join(g.text for g in first.goals) == "全年组织送戏下乡演出，丰富生活。"
    if layout == "spaced":
        assert first.implementing_unit.text == "青山县文化馆" and len(first.goals) == 1
    assert sorted((f.check, f.found) for f in result.flags) == [("card.budget", "85.50"), ("cross.card_budget", "85.50")]
