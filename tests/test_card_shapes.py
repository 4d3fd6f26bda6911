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

HEAD = """项目支出绩效目标表
项目名称\t农村公路建设补助
主管部门\t青山县交通运输局\t实施单位\t青山县交通运输局本级
项目资金（万元）\t年度资金总额\t500.00
\t其中：财政拨款\t500.00
\t其他资金\t0.00
{goal_key}\t完成农村公路新改建30公里，提升农村公路通行能力。
"""


def _pipes(text: str) -> str:
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.splitlines())


def _run(tmp_path, text: str, layout: str = "tab"):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    path = tmp_path / "card.txt"
    path.write_text("青山县交通运输局2025年部门预算\n\n" + (_pipes(text) if layout == "pipe" else text), encoding="utf-8")
    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text)


def _grid(cmp_head: str, value_head: str, unit_head: str, signs: tuple[str, str, str]) -> str:
    ge, eq, le = signs
    return (f"一级指标\t二级指标\t三级指标\t{cmp_head}\t{value_head}\t{unit_head}\n"
            f"产出指标\t数量指标\t农村公路新改建里程\t{ge}\t30\t公里\n"
            f"\t质量指标\t工程验收合格率\t{eq}\t100\t%\n"
            f"\t成本指标\t项目总成本\t{le}\t600\t万元\n"
            "效益指标\t社会效益指标\t农村群众出行条件\t定性\t明显改善\t\n")


@pytest.mark.parametrize("layout", ["tab", "pipe"])
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
