"""Performance cards in other provinces' shapes.

- The indicator grid with the comparator and the unit in columns of their own, in the wordings templates print
  (指标性质 | 指标值 | 度量单位, 指标方向 | 指标值 | 计量单位, 符号 | 值 | 单位), comparators as signs or words; the goal
  under 年度总体目标 and its kin; weights and scoring rules; and a column no reader knows, kept and flagged.
- The department card's task-budget grid (任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金, 金额合计) and a quarterly,
  non-cumulative spending plan (1-3月 | 4-6月 | 7-9月 | 10-12月), read and checked.

The cards are generated here (hand-written fixtures in the shape of other provinces' cards).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from textlayouts import left_aligned, pipes, run_text

HEAD = """项目支出绩效目标表
项目名称\t农村公路建设补助
主管部门\t青山县交通运输局\t实施单位\t青山县交通运输局本级
项目资金（万元）\t年度资金总额\t500.00
\t其中：财政拨款\t500.00
\t其他资金\t0.00
{goal_key}\t完成农村公路新改建30公里，提升农村公路通行能力。
"""


def _run(tmp_path, text: str, layout: str = "tab"):
    laid = {"pipe": pipes, "spaced": left_aligned}.get(layout, lambda t: t)(text)
    return run_text(tmp_path, "青山县交通运输局2025年部门预算\n\n" + laid, "card.txt")[0]


def _grid(cmp_head: str, value_head: str, unit_head: str, signs: tuple[str, str, str]) -> str:
    ge, eq, le = signs
    return (f"一级指标\t二级指标\t三级指标\t{cmp_head}\t{value_head}\t{unit_head}\n"
            f"产出指标\t数量指标\t农村公路新改建里程\t{ge}\t30\t公里\n"
            f"\t质量指标\t工程验收合格率\t{eq}\t100\t%\n"
            f"\t成本指标\t项目总成本\t{le}\t600\t万元\n"
            "效益指标\t社会效益指标\t农村群众出行条件\t定性\t明显改善\t\n")


@pytest.mark.parametrize("layout", ["tab", "pipe", "spaced"])
@pytest.mark.parametrize("heads,signs", [
    (("指标性质", "指标值", "度量单位"), ("≥", "＝", "≤")),
    (("指标方向", "指标值", "计量单位"), ("大于等于", "等于", "小于等于")),
    (("符号", "值", "单位"), ("≥", "=", "≤")),
    (("指标性质", "指标值", "计量单位"), ("不低于", "＝", "不超过")),
])
def test_comparator_value_and_unit_in_columns_of_their_own_are_read(tmp_path, heads, signs, layout):
    result = _run(tmp_path, HEAD.format(goal_key="年度目标") + _grid(*heads, signs), layout)
    (card,) = result.cards
    got = [(i.name.text, i.comparator, str(i.value.value) if i.value else None, i.unit, i.qualitative)
           for i in card.indicators]
    assert got == [("农村公路新改建里程", "≥", "30", "公里", None), ("工程验收合格率", "=", "100", "%", None),
                   ("项目总成本", "≤", "600", "万元", None), ("农村群众出行条件", None, None, None, "明显改善")]
    # The cost indicator now has its unit: 600 万元 against a budget of 500 万元 is flagged.
    assert [f.check for f in result.flags] == ["card.cost"]


def test_a_number_cell_that_carries_its_own_comparator_is_read(tmp_path):
    grid = ("一级指标\t二级指标\t三级指标\t指标值\t计量单位\n"
            "产出指标\t数量指标\t农村公路新改建里程\t≥30\t公里\n"
            "满意度指标\t服务对象满意度指标\t沿线群众满意度\t≥ 90\t%\n")
    (card,) = _run(tmp_path, HEAD.format(goal_key="年度目标") + grid).cards
    assert [(i.comparator, i.value.raw, i.unit) for i in card.indicators] == [("≥", "30", "公里"), ("≥", "90", "%")]
    text = (tmp_path / "card.txt").read_text(encoding="utf-8")
    assert all(text[slice(*i.value.span)] == i.value.raw for i in card.indicators)


@pytest.mark.parametrize("key", ["年度总体目标", "总体目标", "项目绩效目标", "实施期目标", "年度绩效目标", "绩效目标"])
def test_the_goal_is_read_under_the_keys_templates_give_it(tmp_path, key):
    grid = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t新改建里程\t≥30公里\n"
    (card,) = _run(tmp_path, HEAD.format(goal_key=key) + grid).cards
    assert [g.text for g in card.goals] == ["完成农村公路新改建30公里，提升农村公路通行能力。"]


def test_weights_and_scoring_rules_are_read_and_an_unknown_column_is_kept_and_flagged(tmp_path):
    grid = ("一级指标\t二级指标\t三级指标\t指标值\t权重（%）\t评(计)分标准\t备注\n"
            "产出指标\t数量指标\t新改建里程\t≥30公里\t40\t完成得满分\t按年报统计\n"
            "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t60\t每低1%扣1分\t\n")
    result = _run(tmp_path, HEAD.format(goal_key="年度目标") + grid)
    (card,) = result.cards
    assert [(i.weight.raw, i.scoring.text) for i in card.indicators] == [("40", "完成得满分"), ("60", "每低1%扣1分")]
    assert card.indicators[0].other["备注"].text == "按年报统计"
    flags = [f for f in result.flags if f.check == "read.card_column"]
    assert len(flags) == 1 and "备注" in flags[0].message
    text = (tmp_path / "card.txt").read_text(encoding="utf-8")
    assert text[slice(*flags[0].spans[0])] == "按年报统计"
    assert not [f for f in result.flags if f.check == "read.unparsed"]  # the weights are read, not lost


@pytest.mark.parametrize("layout", ["tab", "pipe", "spaced"])
@pytest.mark.parametrize("weights,flagged", [(("40", "60"), None), (("50", "60"), "110"), (("40", "50"), "90"),
                                             (("40.5", "59.5"), None), (("40", ""), None)])
def test_weights_that_do_not_add_up_to_100_are_flagged(tmp_path, weights, flagged, layout):
    """Where every indicator prints its weight they add up to 100; a card weighting some rows only is not checked."""
    grid = ("一级指标\t二级指标\t三级指标\t指标值\t分值\n"
            f"产出指标\t数量指标\t新改建里程\t≥30公里\t{weights[0]}\n"
            f"满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t{weights[1]}\n")
    result = _run(tmp_path, HEAD.format(goal_key="年度目标") + grid, layout)
    flags = [f for f in result.flags if f.check == "card.weights"]
    assert [f.found for f in flags] == ([flagged] if flagged else [])
    assert all(f.severity == "warning" for f in flags)


DEPT = """南溪市教育局2025年部门整体绩效目标表
部门名称\t南溪市教育局
{grid}年度总体目标\t全面落实各项教育资助政策，提升教育质量。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t资助学前儿童人数\t≥3000人
"""
GRID_UNDER_PARENT = """年度主要任务\t任务名称\t主要内容\t预算金额（万元）\t\t
\t\t\t总额\t财政拨款\t其他资金
\t学前教育资助\t落实学前教育资助政策\t500.00\t450.00\t50.00
\t高中教育质量提升\t改善高中办学条件\t{second}\t500.00\t0.00
\t金额合计\t\t1000.00\t950.00\t50.00
"""
GRID_FLAT = """年度主要任务\t主要任务\t任务内容\t对应项目\t预算数\t财政资金\t其他资金
\t学前教育资助\t落实学前教育资助政策\t学前资助\t500.00\t450.00\t50.00
\t高中教育质量提升\t改善高中办学条件\t高中提质\t{second}\t500.00\t0.00
\t合计\t\t\t1000.00\t950.00\t50.00
"""


@pytest.mark.parametrize("layout", ["tab", "pipe", "spaced"])
@pytest.mark.parametrize("grid", [GRID_UNDER_PARENT, GRID_FLAT], ids=["under_parent", "flat"])
def test_the_department_cards_task_budget_grid_is_read(tmp_path, grid, layout):
    result = _run(tmp_path, DEPT.format(grid=grid.format(second="500.00")), layout)
    (card,) = result.cards
    assert card.kind == "department_performance_target"
    assert [(t.name.text, t.content.text, str(t.budget.total.value), str(t.budget.fiscal.value),
             str(t.budget.other.value)) for t in card.tasks] == [
        ("学前教育资助", "落实学前教育资助政策", "500.00", "450.00", "50.00"),
        ("高中教育质量提升", "改善高中办学条件", "500.00", "500.00", "0.00")]
    assert (str(card.tasks_total.total.value), str(card.tasks_total.fiscal.value)) == ("1000.00", "950.00")
    assert [g.text for g in card.goals] == ["全面落实各项教育资助政策，提升教育质量。"]
    assert card.department.text == "南溪市教育局"
    checks = sorted(f.check for f in result.flags)
    # Every printed figure is read; a column no reader knows (对应项目) is kept and flagged, never dropped.
    assert checks == (["read.card_column"] if grid is GRID_FLAT else [])
    if grid is GRID_FLAT:
        assert card.tasks[0].other == {"对应项目": card.tasks[0].other["对应项目"]}
        assert card.tasks[0].other["对应项目"].text == "学前资助"


def test_task_amounts_that_do_not_add_up_are_flagged(tmp_path):
    result = _run(tmp_path, DEPT.format(grid=GRID_UNDER_PARENT.format(second="520.00")))
    flags = [f for f in result.flags if f.check == "card.tasks"]
    # 520 ≠ 500 + 0 on its own line, and 1000 ≠ 500 + 520 down the 总额 column.
    assert sorted(f.found for f in flags) == ["1000.00", "520.00"]
    assert all(f.severity == "error" for f in flags)
    paths = {r.path for f in flags for r in f.fields}
    assert "department_performance_target[s01-department_performance_target].tasks[1].total" in paths


def test_task_amounts_are_exported_as_facts(tmp_path):
    from extractor.export import count_facts, result_facts

    result = _run(tmp_path, DEPT.format(grid=GRID_UNDER_PARENT.format(second="500.00")))
    facts = [f for f in result_facts(result) if f["column"].startswith("task_")]
    assert len(facts) == 9 and all(f["status"] == "verified" for f in facts)
    assert count_facts(result) == len(list(result_facts(result)))


PLAN = """项目支出绩效目标表
项目名称\t学前教育资助
项目资金（万元）\t年度资金总额\t450.00
资金执行进度\t{periods}
\t{percents}
年度目标\t资助学前儿童3000人。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t资助学前儿童人数\t≥3000人
"""


@pytest.mark.parametrize("periods,percents,cumulative,flagged", [
    ("1-3月\t4-6月\t7-9月\t10-12月", "25%\t25%\t25%\t25%", False, False),
    ("1-3月\t4-6月\t7-9月\t10-12月", "25%\t25%\t25%\t20%", False, True),
    ("第一季度\t第二季度\t第三季度\t第四季度", "10%\t30%\t30%\t30%", False, False),
    ("上半年\t下半年", "40%\t50%", False, True),
    ("1-3月\t1-6月\t1-9月\t1-12月", "25%\t50%\t75%\t100%", True, False),
    ("3月底\t6月底\t9月底\t12月底", "25%\t50%\t75%\t100%", True, False),
])
def test_a_plan_by_period_adds_up_to_100_and_a_cumulative_one_ends_there(tmp_path, periods, percents, cumulative,
                                                                          flagged):
    result = _run(tmp_path, PLAN.format(periods=periods, percents=percents))
    (card,) = result.cards
    assert [s.period for s in card.spending_plan] == periods.split("\t")
    assert [str(s.percent.value) for s in card.spending_plan] == [p.rstrip("%") for p in percents.split("\t")]
    assert {s.cumulative for s in card.spending_plan} == {cumulative}
    plan_flags = [f for f in result.flags if f.check == "card.spending_plan"]
    assert bool(plan_flags) == flagged, [f.message for f in plan_flags]
    assert not [f for f in result.flags if f.check == "read.unparsed"]


def test_a_plan_by_period_a_model_filled_is_read_as_one():
    """The model's form has no field for it: the periods say so, whatever reader read them (a hand-written answer)."""
    from extractor.chunk import chunk_document
    from extractor.llm.fill import card_from_form
    from schemas.forms import CardForm

    text = PLAN.format(periods="1-3月\t4-6月\t7-9月\t10-12月", percents="25%\t25%\t25%\t25%")
    chunk = next(c for c in chunk_document(text) if c.kind == "performance_target")
    form = CardForm(spending_plan=[{"period": p, "percent": "25"} for p in ("1-3月", "4-6月", "7-9月", "10-12月")])
    card = card_from_form(chunk, form, text)
    assert [s.cumulative for s in card.spending_plan] == [False] * 4
